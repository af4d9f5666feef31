"""kgen.resources: documents → resources, with the source texts a generator merge needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kgen import resources, yamlio
from kgen.errors import ResourceError
from kgen.generators import IdIndex, add_generated, make_resource
from kgen.kustomization import Behavior, GeneratorOptions, GeneratorSpec
from kgen.model import ResId, Resource
from kgen.resources import parse_resources, read_resources
from kgen.sources import Pair

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"


def _read(tmp_path: Path, text: str) -> list[Resource]:
    path = tmp_path / "resources.yaml"
    path.write_text(text)
    return read_resources(path, "kustomization.yaml: resources[0]")


def _merge(resources: list[Resource], name: str) -> dict[str, str]:
    spec = GeneratorSpec(
        kind="ConfigMap",
        name=name,
        namespace="",
        behavior="merge",
        literals=(),
        files=(),
        envs=(),
        secret_type="Opaque",
        options=GeneratorOptions(),
        where="kustomization.yaml: configMapGenerator[0]",
    )
    add_generated(
        resources,
        IdIndex(resources),
        spec,
        make_resource(spec, [Pair("region", b"eu", "literals[0]")]),
    )
    merged = next(res for res in resources if res.name == name)
    data: dict[str, str] = merged.manifest["data"]
    return data


def test_read_resources_keeps_source_texts(tmp_path: Path) -> None:
    text = (
        CM.format(name="a")
        + "data:\n  ratio: 0.50\n  name: x\nbinaryData:\n  b: True\n---\n"
        + CM.format(name="b")
        + "data: {c: x}\n"
    )
    first, second = _read(tmp_path, text)
    assert first.manifest["data"] == {"ratio": 0.5, "name": "x"}
    assert first.data_text == {"data": {"ratio": "0.50"}, "binaryData": {"b": "True"}}
    assert second.data_text == {}


def test_merge_into_plain_configmap_uses_source_texts(tmp_path: Path) -> None:
    # The fixture overlay-merge-into-plain-configmap, and the scalars of kustomize issue 3393.
    body = (
        "data:\n  ratio: 0.50\n  verbose: True\n  umask: 0o022\n  proxy: ~\n  workers: 4\n"
        "  hex: 0x1F\n  oct: 017\n  exp: 1e3\n  under: 1_000\n  date: 2024-05-01\n"
        "  nul: null\n  empty:\n  quoted: '0.50'\n  map: {k: 1}\n"
    )
    resources = _read(tmp_path, CM.format(name="app-settings") + body)
    assert _merge(resources, "app-settings") == {
        "ratio": "0.50",
        "verbose": "True",
        "umask": "0o022",
        "proxy": "",
        "workers": "4",
        "hex": "0x1F",
        "oct": "017",
        "exp": "1e3",
        "under": "1_000",
        "date": "2024-05-01",
        "nul": "",
        "empty": "",
        "quoted": "0.50",
        "map": "",
        "region": "eu",
    }


@pytest.mark.parametrize(
    ("kind", "written"),
    [
        # kyaml's reader unwraps a file's own ``kind: List`` and keeps the items' YAML...
        pytest.param("List", {"ratio": "0.50", "flag": "True", "day": "2024-05-01"}, id="List"),
        # ...kustomize turns any other list into JSON and back (pinned with kubectl).
        pytest.param(
            "ConfigMapList",
            {"ratio": "0.5", "flag": "true", "day": "2024-05-01T00:00:00Z"},
            id="ConfigMapList",
        ),
    ],
)
def test_list_items_keep_source_texts_only_in_a_top_level_list(
    tmp_path: Path, kind: str, written: dict[str, str]
) -> None:
    item = "- " + CM.format(name="cm").replace("\n", "\n  ").rstrip() + "\n"
    item += "  data: {ratio: 0.50, flag: True, day: 2024-05-01}\n"
    resources = _read(tmp_path, f"apiVersion: v1\nkind: {kind}\nitems:\n{item}")
    assert _merge(resources, "cm") == {**written, "region": "eu"}


def test_nested_list_items_lose_source_texts(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: cm}\n"
        "    data: {ratio: 0.50}\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: top}\n  data: {ratio: 0.50}\n"
    )
    resources = _read(tmp_path, text)
    assert {res.name: res.data_text for res in resources} == {
        "top": {"data": {"ratio": "0.50"}},
        "cm": {},
    }
    assert _merge(resources, "cm") == {"ratio": "0.5", "region": "eu"}


def test_parse_resources_without_texts() -> None:
    document = yamlio.load_documents((CM.format(name="a") + "data: {a: 1}\n").encode(), "r.yaml")
    [resource] = parse_resources(document, "r.yaml")
    assert resource.data_text == {}


def test_parse_resources_wants_one_texts_per_document() -> None:
    with pytest.raises(ValueError, match="one SourceTexts per document"):
        parse_resources([{"kind": "ConfigMap"}], "r.yaml", texts=[{}, {}])


def test_null_list_items_are_kept_and_null_list_entries_dropped() -> None:
    """kustomize keeps ``null`` items inside objects and drops null items of a ``List``."""
    from kgen.resources import parse_resources

    container: dict[str, Any] = {"name": "c", "args": ["a", None]}
    pod: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [container], "tolerations": [None]},
    }
    listed = {"apiVersion": "v1", "kind": "List", "items": [None, pod]}
    [resource] = parse_resources([listed], "pod.yaml")
    assert resource.manifest["spec"] == {"containers": [container], "tolerations": [None]}


def test_a_list_without_items_or_name_stays_an_object() -> None:
    from kgen.resources import parse_resources

    [resource] = parse_resources([{"apiVersion": "v1", "kind": "List"}], "r.yaml")
    assert resource.manifest == {"apiVersion": "v1", "kind": "List", "metadata": {}}


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param({"resourceVersion": ""}, id="resourceVersion"),
        pytest.param({"name": "", "labels": {"a": "b"}}, id="empty-name"),
    ],
)
def test_a_nameless_list_keeps_its_metadata(metadata: dict[str, Any]) -> None:
    """kustomize needs no name for a ``...List`` whatever its metadata holds (``kubectl get -o
    yaml`` writes ``metadata: {resourceVersion: ""}``); ``Items:`` lists stay objects."""
    from kgen.resources import parse_resources

    document = {"apiVersion": "v1", "kind": "List", "metadata": metadata, "Items": []}
    [resource] = parse_resources([document], "r.yaml")
    assert resource.manifest == document
    assert resource.origin == 'r.yaml: document 1 (List "")'


def test_prefetch_in_two_processes_counts_both_halves_in_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "PARALLEL_BYTES", 0)
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(CM.format(name=name) + "x: &x [1, 2]\ny: [*x, *x]\n")
        paths.append(path)
    cache = resources.FileCache()
    cache.prefetch(paths)
    assert (cache.ahead.parsed, cache.ahead.expanded) == (2 * 15, 2 * 6)
    nodes = yamlio.Budget()
    used = [
        r.manifest["y"] for p in paths for r in resources.read_resources(p, "k", cache, None, nodes)
    ]
    assert (nodes.parsed, nodes.expanded) == (2 * 15, 2 * 6)  # each use charges its build
    assert used == [
        [[1, 2], [1, 2]],
        [[1, 2], [1, 2]],
    ]


# metadata.annotations: kustomize rewrites a non-empty map from its values' texts (kyaml
# GetAnnotations/SetAnnotations, when it strips its build annotations); pinned with kubectl
# kustomize v5.5.0 on a plain ``resources:`` build.
ANNOTATIONS = (
    "    port: 8080\n    oct: 010\n    mode: 0755\n    f: 1.50\n    e: 1e-7\n    t: true\n"
    "    empty:\n    tilde: ~\n    nul: null\n    m: {}\n    s: []\n    b: !!binary aGVsbG8=\n"
    "    d: 2024-01-01\n    inf: .inf\n    big: 123456789012345678901234567890\n"
    "    q: '1'\n    y: yes\n"
)
WRITTEN = {
    "port": "8080",
    "oct": "010",
    "mode": "0755",
    "f": "1.50",
    "e": "1e-7",
    "t": "true",
    "empty": "",
    "tilde": "~",
    "nul": "null",
    "m": "",
    "s": "",
    "b": "aGVsbG8=",
    "d": "2024-01-01",
    "inf": ".inf",
    "big": "123456789012345678901234567890",
    "q": "1",
    "y": "yes",
}


def test_annotations_are_written_as_their_text(tmp_path: Path) -> None:
    [resource] = _read(tmp_path, CM.format(name="a") + "  annotations:\n" + ANNOTATIONS)
    assert resource.manifest["metadata"]["annotations"] == WRITTEN


@pytest.mark.parametrize(
    ("kind", "written"),
    [
        pytest.param("List", {"f": "1.50", "mode": "0755", "empty": "", "d": "2024-01-01"}),
        # kustomize turns the items of any other list into JSON and back (pinned with kubectl)
        pytest.param(
            "ConfigMapList",
            {"f": "1.5", "mode": "493", "empty": "null", "d": "2024-01-01T00:00:00Z"},
        ),
    ],
    ids=["List", "ConfigMapList"],
)
def test_annotations_of_list_items(tmp_path: Path, kind: str, written: dict[str, str]) -> None:
    item = "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n"
    item += "    annotations:\n      f: 1.50\n      mode: 0755\n      empty:\n      d: 2024-01-01\n"
    [resource] = _read(tmp_path, f"apiVersion: v1\nkind: {kind}\nitems:\n{item}")
    assert resource.manifest["metadata"]["annotations"] == written


@pytest.mark.parametrize(
    ("annotations", "metadata"),
    [
        pytest.param("{}", {"name": "a"}, id="empty-map-dropped"),
        pytest.param("~", {"name": "a"}, id="null-dropped"),
        pytest.param("x", {"name": "a", "annotations": "x"}, id="scalar-kept"),
        pytest.param("[1]", {"name": "a", "annotations": [1]}, id="list-kept"),
    ],
)
def test_annotations_that_are_not_a_non_empty_map(
    tmp_path: Path, annotations: str, metadata: dict[str, Any]
) -> None:
    [resource] = _read(tmp_path, CM.format(name="a") + f"  annotations: {annotations}\n")
    assert resource.manifest["metadata"] == metadata


def test_labels_keep_their_loaded_values(tmp_path: Path) -> None:
    # kustomize leaves labels alone unless a generator merges into the object
    text = CM.format(name="a") + "  labels: {a: 12, b: 1.50, c: 0755, d: true}\n"
    [resource] = _read(tmp_path, text)
    assert resource.manifest["metadata"]["labels"] == {"a": 12, "b": 1.5, "c": 493, "d": True}


@pytest.mark.parametrize("behavior", ["merge", "replace"])
def test_generator_merge_writes_old_labels_and_annotations_as_text(
    tmp_path: Path, behavior: Behavior
) -> None:
    # kyaml CopyMergeMetaDataFieldsFrom: SetLabels(GetLabels()...) (pinned with kubectl)
    text = CM.format(name="a") + "  labels:\n    a: 12\n    b: 1.50\n    c:\n    d: ~\n"
    text += "    e: 0755\n    f: {}\n  annotations: {g: 0x1F}\ndata: {k: 1}\n"
    resources = _read(tmp_path, text)
    spec = GeneratorSpec(
        kind="ConfigMap",
        name="a",
        namespace="",
        behavior=behavior,
        literals=(),
        files=(),
        envs=(),
        secret_type="Opaque",
        options=GeneratorOptions(labels=(("z", "1"),)),
        where="kustomization.yaml: configMapGenerator[0]",
    )
    add_generated(resources, IdIndex(resources), spec, make_resource(spec, []))
    meta = resources[0].manifest["metadata"]
    assert meta["labels"] == {
        "a": "12", "b": "1.50", "c": "", "d": "~", "e": "0755", "f": "", "z": "1"
    }  # fmt: skip
    assert meta["annotations"] == {"g": "0x1F"}


@pytest.mark.parametrize(
    ("documents", "written"),
    [
        pytest.param(["List"], "0755", id="only-document"),
        pytest.param(["List", "ConfigMap"], "493", id="first-of-two"),
        pytest.param(["ConfigMap", "List"], "493", id="second-of-two"),
        pytest.param(["ResourceList"], "0755", id="resource-list"),
    ],
)
def test_list_items_keep_their_texts_only_in_a_file_of_one_document(
    tmp_path: Path, documents: list[str], written: str
) -> None:
    # kyaml's reader unwraps a List only when it is the file's one document (pinned with kubectl)
    item = "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n"
    item += "    annotations: {mode: 0755}\n"
    bodies = {
        "List": f"apiVersion: v1\nkind: List\nitems:\n{item}",
        "ResourceList": f"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{item}",
        "ConfigMap": CM.format(name="other"),
    }
    resources = _read(tmp_path, "---\n".join(bodies[kind] for kind in documents))
    [listed] = [res for res in resources if res.name == "x"]
    assert listed.manifest["metadata"]["annotations"] == {"mode": written}


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        pytest.param("apiVersion: 1\nkind: 2\n", ResId("", "1", "2", "x", ""), id="numbers"),
        pytest.param("apiVersion: v1\nkind: true\n", ResId("", "v1", "true", "x", ""), id="bool"),
        pytest.param(
            "apiVersion: 0x1F\nkind: 0755\n", ResId("", "31", "493", "x", ""), id="hex-octal"
        ),
        pytest.param(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 123, namespace: 12}\n",
            ResId("", "v1", "ConfigMap", "123", "12"),
            id="number-name",
        ),
    ],
)
def test_ids_that_are_not_strings_pass_through(tmp_path: Path, text: str, rid: ResId) -> None:
    # kustomize builds these and writes the values back as loaded (pinned with kubectl)
    if "metadata" not in text:
        text += "metadata: {name: x}\n"
    [resource] = _read(tmp_path, text)
    assert resource.id == rid
    assert resource.original_gvk == rid.gvk


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("kind: null\n", "missing kind", id="null-kind"),
        pytest.param("kind: {a: 1}\n", "missing kind", id="map-kind"),
        pytest.param(
            "kind: X\napiVersion: [v1]\n",
            "(X x): apiVersion: expected a string",
            id="list-api-version",
        ),
    ],
)
def test_ids_that_cannot_be_read(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ResourceError) as caught:
        _read(tmp_path, text + "metadata: {name: x}\n")
    assert str(caught.value).endswith(message)


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        pytest.param({"name": "a", "annotations": None}, {"name": "a"}, id="null-annotations"),
        pytest.param({"name": "a", "annotations": {}}, {"name": "a"}, id="empty-annotations"),
        pytest.param(
            {"name": "a", "annotations": {"x": "y"}},
            {"name": "a", "annotations": {"x": "y"}},
            id="annotations-kept",
        ),
        pytest.param(
            {"name": "a", "labels": None}, {"name": "a", "labels": None}, id="null-labels-kept"
        ),
    ],
)
def test_empty_or_null_annotations_are_dropped(
    metadata: dict[str, Any], expected: dict[str, Any]
) -> None:
    """kustomize drops a top-level ``metadata.annotations`` that is ``{}`` or ``null``."""
    document = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata}
    [resource] = parse_resources([document], "r.yaml")
    assert resource.manifest["metadata"] == expected
