"""kgen.resources: documents → resources, with the source texts a generator merge needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kgen import yamlio
from kgen.generators import IdIndex, add_generated, make_resource
from kgen.kustomization import GeneratorOptions, GeneratorSpec
from kgen.model import Resource
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
