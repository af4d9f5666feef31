from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kgen.errors import KustomizationError, LoadError
from kgen.kustomization import (
    GeneratorOptions,
    GeneratorSpec,
    Kustomization,
    find_kustomization,
    parse_kustomization,
)
from kgen.model import SortOptions
from kgen.transformers import REGISTRY

PATH = Path("k/kustomization.yaml")
W = "k/kustomization.yaml"

ROWS = {row.name: row for row in REGISTRY}


def parse(data: Any) -> Kustomization:
    return parse_kustomization(data, PATH, W)


def test_full_kustomization() -> None:
    k = parse(
        {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": ["pod.yaml"],
            "bases": ["../base"],
            "generatorOptions": {"labels": {"g": "1", "both": "global"}, "immutable": True},
            "secretGenerator": [
                {
                    "name": "s",
                    "type": "kubernetes.io/tls",
                    "literals": ["a=b"],
                    "files": ["k=f"],
                    "envs": ["e.env"],
                    "env": "legacy.env",
                    "behavior": "merge",
                    "namespace": "ns",
                    "options": {"labels": {"both": "local"}, "disableNameSuffixHash": True},
                },
            ],
            "configMapGenerator": [{"name": "c", "behavior": "typo"}],
            "sortOptions": {"order": "fifo"},
            "namespace": "prod",
            "namePrefix": "p-",
            "nameSuffix": "-s",
            "configurations": ["conf.yaml"],
        }
    )
    assert k == Kustomization(
        path=PATH,
        resources=("pod.yaml", "../base"),
        generators=(
            GeneratorSpec(
                kind="ConfigMap",
                name="c",
                namespace="",
                behavior="create",
                literals=(),
                files=(),
                envs=(),
                secret_type="Opaque",
                options=GeneratorOptions(labels=(("g", "1"), ("both", "global")), immutable=True),
                where=f"{W}: configMapGenerator[c]",
            ),
            GeneratorSpec(
                kind="Secret",
                name="s",
                namespace="ns",
                behavior="merge",
                literals=("a=b",),
                files=("k=f",),
                envs=("e.env", "legacy.env"),
                secret_type="kubernetes.io/tls",
                options=GeneratorOptions(
                    labels=(("g", "1"), ("both", "local")),
                    disable_name_suffix_hash=True,
                    immutable=True,
                ),
                where=f"{W}: secretGenerator[s]",
            ),
        ),
        sort_options=SortOptions("fifo"),
        steps=((ROWS["namespace"], "prod"), (ROWS["namePrefix"], "p-"), (ROWS["nameSuffix"], "-s")),
        configurations=("conf.yaml",),
        deprecated=("bases",),
    )
    assert k.root == Path("k")


def test_deprecated_fields_are_listed_in_kustomizes_order_when_set_even_empty() -> None:
    k = parse({"vars": [], "commonLabels": {}, "bases": None, "patchesStrategicMerge": []})
    assert k.deprecated == ("commonLabels", "patchesStrategicMerge", "vars")


def test_crds_are_read_as_a_list_of_paths() -> None:
    assert parse({"crds": ["a.json", "b.yaml"], "resources": ["r.yaml"]}).crds == (
        "a.json",
        "b.yaml",
    )


def test_field_names_match_case_insensitively() -> None:
    k = parse({"SecretGenerator": [{"NAME": "s", "Literals": ["a=b"]}]})
    assert [spec.name for spec in k.generators] == ["s"]
    assert k.generators[0].literals == ("a=b",)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"metadata": {}}, id="empty-metadata"),
        pytest.param({"resources": []}, id="empty-list"),
        pytest.param(
            {
                "metadata": {
                    "name": "app",
                    "namespace": "ns",
                    "labels": {"a": "b"},
                    "annotations": {"config.kubernetes.io/local-config": "true"},
                },
                "resources": [],
            },
            id="full-metadata",
        ),
    ],
)
def test_kustomization_metadata_is_checked_and_ignored(data: dict[str, Any]) -> None:
    k = parse(data)
    assert (k.resources, k.generators, k.steps) == ((), (), ())


def test_legacy_sort_options() -> None:
    k = parse(
        {
            "resources": [],
            "sortOptions": {
                "order": "legacy",
                "legacySortOptions": {"orderFirst": ["Namespace"], "orderLast": ["Pod"]},
            },
        }
    )
    assert k.sort_options == SortOptions("legacy", ("Namespace",), ("Pod",))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "expected a mapping of fields, got a list", id="list"),
        pytest.param("text", "expected a mapping of fields, got a string", id="scalar"),
        pytest.param({"foo": 1}, 'unknown field "foo"', id="unknown-field"),
        pytest.param(
            {"helmCharts": [{"name": "c"}], "helmGlobals": {"chartHome": "charts"}},
            "helmGlobals, helmCharts: helm charts are not supported by kgen (it runs no helm: "
            "render the chart and list its output in resources)",
            id="every-refused-field-named",
        ),
        pytest.param({"kind": "Kustomization"}, "kustomization is empty", id="empty"),
        pytest.param({"resources": None}, "kustomization is empty", id="empty-null-field"),
        pytest.param({"namePrefix": ""}, "kustomization is empty", id="empty-string-field"),
        pytest.param({"metadata": None}, "kustomization is empty", id="empty-null-metadata"),
        pytest.param(
            {"metadata": 5}, "metadata: expected a mapping, got a number", id="metadata-scalar"
        ),
        pytest.param(
            {"metadata": {"foo": 1}}, 'metadata: unknown field "foo"', id="metadata-unknown"
        ),
        pytest.param(
            {"metadata": {"name": 5}},
            "metadata.name: expected a string, got a number",
            id="metadata-name-number",
        ),
        pytest.param(
            {"metadata": {"labels": "x"}},
            "metadata.labels: expected a mapping of strings",
            id="metadata-labels-string",
        ),
        pytest.param(
            {"kind": "Deployment", "resources": []}, "kind: must be Kustomization", id="bad-kind"
        ),
        pytest.param(
            {"apiVersion": "v1", "resources": []},
            "apiVersion: must be kustomize.config.k8s.io/v1beta1",
            id="bad-api-version",
        ),
        pytest.param(
            {"resources": "pod.yaml"},
            "resources: expected a list of strings",
            id="resources-not-list",
        ),
        pytest.param(
            {"resources": [1]},
            "resources[0]: expected a string, got a number (quote it)",
            id="resource-number",
        ),
        pytest.param(
            {"namespace": True}, "namespace: expected a string, got a boolean", id="namespace-bool"
        ),
        pytest.param(
            {"sortOptions": {"order": "random"}},
            "sortOptions.order: must be legacy or fifo",
            id="bad-order",
        ),
        pytest.param(
            {"sortOptions": {"order": "fifo", "legacySortOptions": {}}},
            "sortOptions.legacySortOptions: only allowed with order: legacy",
            id="fifo-with-legacy",
        ),
    ],
)
def test_kustomization_errors(data: Any, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        parse(data)
    assert str(info.value) == f"{W}: {message}"


@pytest.mark.parametrize(
    ("generator", "message"),
    [
        pytest.param("x", "secretGenerator[0]: expected a mapping, got a string", id="not-map"),
        pytest.param(
            {"literals": ["a=b"]},
            "secretGenerator[0]: name: a generator must have a name",
            id="no-name",
        ),
        pytest.param(
            {"name": True},
            "secretGenerator[0]: name: expected a string, got a boolean",
            id="name-bool",
        ),
        pytest.param(
            {"name": "s", "literal": []},
            'secretGenerator[0]: unknown field "literal" (did you mean "literals"?)',
            id="typo-field",
        ),
        pytest.param(
            {"name": "s", "literals": ["a=b", 1]},
            "secretGenerator[s]: literals[1]: expected a string, got a number (quote it)",
            id="literal-number",
        ),
        pytest.param(
            {"name": "s", "options": {"labels": {"a": True}}},
            "secretGenerator[s]: options.labels.a: expected a string, got a boolean (quote it)",
            id="label-bool",
        ),
        pytest.param(
            {"name": "s", "options": {"immutable": "yes"}},
            "secretGenerator[s]: options.immutable: expected true or false, got a string",
            id="immutable-string",
        ),
        pytest.param(
            {"name": "s", "options": {"immutible": True}},
            'secretGenerator[s]: options: unknown field "immutible" (did you mean "immutable"?)',
            id="option-typo",
        ),
    ],
)
def test_generator_errors(generator: Any, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        parse({"secretGenerator": [generator]})
    assert str(info.value) == f"{W}: {message}"


def test_configmap_generator_has_no_type() -> None:
    with pytest.raises(KustomizationError) as info:
        parse({"configMapGenerator": [{"name": "c", "type": "Opaque"}]})
    assert str(info.value) == f'{W}: configMapGenerator[0]: unknown field "type"'


@pytest.mark.parametrize("name", ["kustomization.yaml", "kustomization.yml", "Kustomization"])
def test_find_kustomization(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("resources: []\n")
    assert find_kustomization(tmp_path, "d") == tmp_path / name


def test_find_kustomization_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        find_kustomization(tmp_path, "d")
    assert str(info.value) == (
        "d: no kustomization found: unable to find one of 'kustomization.yaml', "
        "'kustomization.yml' or 'Kustomization' in the directory"
    )
    (tmp_path / "kustomization.yaml").write_text("resources: []\n")
    (tmp_path / "kustomization.yml").write_text("resources: []\n")
    with pytest.raises(LoadError) as info:
        find_kustomization(tmp_path, "d")
    assert str(info.value) == (
        "d: found multiple kustomization files: kustomization.yaml, kustomization.yml (keep one: "
        "kustomize refuses the directory too)"
    )
    with pytest.raises(LoadError) as info:
        find_kustomization(tmp_path / "kustomization.yaml", "f")
    assert str(info.value) == "f: not a directory holding a kustomization"


@pytest.mark.parametrize("value", [None, [], {}, ""], ids=["null", "list", "map", "string"])
def test_an_empty_unsupported_field_asks_for_nothing(value: Any) -> None:
    k = parse({"resources": ["a.yaml"], "helmGlobals": value, "helmCharts": value})
    assert (k.resources, k.steps) == (("a.yaml",), ())


def test_an_empty_list_alone_is_not_an_empty_kustomization() -> None:
    # kustomize compares with an empty struct: an empty list is set, and the build is empty.
    assert parse({"patches": []}).resources == ()


def test_components_are_read_in_order() -> None:
    k = parse({"resources": ["a.yaml"], "components": ["../c1", "c2"]})
    assert (k.resources, k.components, k.is_component) == (("a.yaml",), ("../c1", "c2"), False)
    component = parse(
        {"apiVersion": "kustomize.config.k8s.io/v1alpha1", "kind": "Component", "components": []}
    )
    assert (component.components, component.is_component) == ((), True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("c", "components: expected a list of strings", id="string"),
        pytest.param(["c", 1], "components[1]: expected a string, got a number (quote it)", id="n"),
    ],
)
def test_components_must_be_a_list_of_strings(value: Any, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        parse({"components": value})
    assert str(info.value) == f"{W}: {message}"
