"""kgen.schema: the built-in patch metadata (generated, pinned) and user schemas."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from kgen.schema import (
    Schema,
    SchemaError,
    WatchedSchema,
    check_openapi_version,
    combine,
    compact_definitions,
    default_schema,
    load_table,
    parse_openapi,
)
from scripts import gen_schema

DATA = Path(__file__).resolve().parent.parent / "kgen" / "data" / "patchschema_v1_21_2.json"


def _sdist() -> Path | None:
    found = gen_schema.sdist_path()
    if found is not None:
        return found
    try:
        return gen_schema.download_sdist()
    except (OSError, subprocess.CalledProcessError):
        return None


def test_committed_table_is_what_the_script_generates() -> None:
    sdist = _sdist()
    if sdist is None:
        pytest.skip("the kubernetes-validate 1.21.0 sdist is neither cached nor downloadable")
    assert gen_schema.render(gen_schema.read_definitions(sdist)) == DATA.read_text("utf-8")


def _pod_spec() -> object:
    deployment = default_schema().lookup("apps/v1", "Deployment")
    assert deployment is not None
    spec = deployment.field("spec")
    assert spec is not None
    template = spec.field("template")
    assert template is not None
    return template.field("spec")


def _walk(api_version: str, kind: str, *path: str) -> tuple[str, tuple[str, ...]]:
    node = default_schema().lookup(api_version, kind)
    for step in path:
        assert node is not None, step
        node = node.elements() if step == "[]" else node.field(step)
    assert node is not None
    return node.strategy, node.merge_keys


@pytest.mark.parametrize(
    ("gvk", "path", "strategy", "keys"),
    [
        (("apps/v1", "Deployment"), "spec.template.spec.containers", "merge", ("name",)),
        (
            ("apps/v1", "Deployment"),
            "spec.template.spec.containers.[].ports",
            "merge",
            ("containerPort", "protocol"),
        ),
        (("apps/v1", "Deployment"), "spec.template.spec.containers.[].env", "merge", ("name",)),
        (
            ("apps/v1", "Deployment"),
            "spec.template.spec.containers.[].volumeMounts",
            "merge",
            ("mountPath",),
        ),
        (("apps/v1", "Deployment"), "spec.template.spec.volumes", "merge,retainKeys", ("name",)),
        (("apps/v1", "Deployment"), "spec.template.spec.tolerations", "", ()),
        (("apps/v1", "Deployment"), "spec.template.spec.imagePullSecrets", "merge", ("name",)),
        (("apps/v1", "Deployment"), "spec.template.spec.containers.[].args", "", ()),
        (("v1", "Pod"), "metadata.finalizers", "merge", ()),
        (("v1", "Pod"), "spec.initContainers", "merge", ("name",)),
        (("v1", "Service"), "spec.ports", "merge", ("port", "protocol")),
        (
            ("batch/v1", "CronJob"),
            "spec.jobTemplate.spec.template.spec.containers",
            "merge",
            ("name",),
        ),
        (("networking.k8s.io/v1", "Ingress"), "spec.rules", "", ()),
        (("rbac.authorization.k8s.io/v1", "Role"), "rules", "", ()),
    ],
)
def test_pinned_entries(
    gvk: tuple[str, str], path: str, strategy: str, keys: tuple[str, ...]
) -> None:
    assert _walk(*gvk, *path.split(".")) == (strategy, keys)


def test_strategy_beside_a_ref_is_in_the_table_but_not_followed() -> None:
    """DeploymentSpec.strategy is ``{$ref: DeploymentStrategy, x-kubernetes-patch-strategy:
    retainKeys}``: the table keeps the extension; navigation, like kyaml's, resolves the
    ``$ref`` and so does not see it."""
    raw = load_table()["definitions"]["io.k8s.api.apps.v1.DeploymentSpec"]["p"]["strategy"]
    assert raw == {"r": "io.k8s.api.apps.v1.DeploymentStrategy", "s": "retainKeys"}
    assert _walk("apps/v1", "Deployment", "spec", "strategy") == ("", ())


def test_raw_merge_keys_and_list_types() -> None:
    container = load_table()["definitions"]["io.k8s.api.core.v1.Container"]["p"]
    assert container["ports"] == {
        "a": 1,
        "i": {"r": "io.k8s.api.core.v1.ContainerPort"},
        "k": "containerPort",
        "m": ["containerPort", "protocol"],
        "s": "merge",
        "t": "map",
    }


def test_gvk_table() -> None:
    schema = default_schema()
    assert schema.lookup("apps/v1", "Deployment") is not None
    assert schema.lookup("v1", "ConfigMap") is not None
    assert schema.lookup("batch/v1beta1", "CronJob") is not None
    assert schema.lookup("example.com/v1", "Widget") is None
    assert schema.lookup("v1", "Deployment") is None
    table = load_table()
    assert table["gvk"]["apps/v1 Deployment"] == "io.k8s.api.apps.v1.Deployment"
    assert len(table["definitions"]) == 652


def test_nodes_are_cached() -> None:
    schema = default_schema()
    first = schema.lookup("apps/v1", "Deployment")
    assert first is not None
    assert schema.lookup("apps/v1", "Deployment") is first
    assert first.field("spec") is first.field("spec")


def test_table_loads_fast() -> None:
    start = time.perf_counter()
    Schema(load_table())
    assert time.perf_counter() - start < 0.25


def test_additional_properties_and_elements() -> None:
    schema = parse_openapi(
        {
            "definitions": {
                "a.B": {
                    "x-kubernetes-group-version-kind": [
                        {"group": "", "version": "v1", "kind": "B"}
                    ],
                    "properties": {
                        "m": {
                            "type": "object",
                            "additionalProperties": {"$ref": "#/definitions/a.C"},
                        },
                        "notList": {"items": {"$ref": "#/definitions/a.C"}},
                        "missing": {"$ref": "#/definitions/a.Nope"},
                    },
                },
                "a.C": {
                    "properties": {
                        "l": {
                            "type": "array",
                            "items": {"type": "string"},
                            "x-kubernetes-patch-strategy": "merge",
                        }
                    }
                },
            }
        },
        "schema.yaml",
    )
    b = schema.lookup("v1", "B")
    assert b is not None
    m = b.field("m")
    assert m is not None
    c = m.field("anything")
    assert c is not None
    items = c.field("l")
    assert items is not None
    assert items.is_associative
    assert items.merge_keys == ()
    assert items.elements() is not None
    not_list = b.field("notList")
    assert not_list is not None
    assert not_list.elements() is None  # kyaml: items only count with type: array
    assert b.field("missing") is None
    assert b.field("other") is None


def test_compact_definitions_keeps_the_first_claim_of_a_gvk() -> None:
    claim = [{"group": "g", "version": "v1", "kind": "K"}]
    table = compact_definitions(
        {
            "z.K": {"x-kubernetes-group-version-kind": claim},
            "a.K": {"x-kubernetes-group-version-kind": claim},
        }
    )
    assert table["gvk"] == {"g/v1 K": "a.K"}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "schema.json: the OpenAPI schema is not a mapping"),
        ({"definitions": []}, "schema.json: the OpenAPI schema's definitions is not a mapping"),
    ],
)
def test_parse_openapi_errors(document: object, message: str) -> None:
    with pytest.raises(SchemaError) as caught:
        parse_openapi(document, "schema.json")
    assert str(caught.value) == message


def test_parse_openapi_without_definitions_is_empty() -> None:
    assert parse_openapi({"swagger": "2.0"}, "s.json").definition_names() == []
    assert parse_openapi({"definitions": None}, "s.json").definition_names() == []


@pytest.mark.parametrize(
    ("version", "has_path", "message"),
    [
        ("v1.21.2", False, None),
        ("", False, None),
        (None, True, None),
        (None, False, None),
        ("v1.20.0", False, "kustomization.yaml: the specified OpenAPI version is not built in"),
        (
            "v1.21.2",
            True,
            "kustomization.yaml: builtin version and custom schema provided, cannot use both",
        ),
    ],
)
def test_check_openapi_version(version: str | None, has_path: bool, message: str | None) -> None:
    """The messages are kustomize's (checked with kubectl kustomize)."""
    if message is None:
        check_openapi_version(version, "kustomization.yaml", has_path=has_path)
        return
    with pytest.raises(SchemaError) as caught:
        check_openapi_version(version, "kustomization.yaml", has_path=has_path)
    assert str(caught.value) == message


def _widget_schema(ref_kind: str) -> Schema:
    claim = [{"group": "example.com", "version": "v1", "kind": "Widget"}]
    return parse_openapi(
        {
            "definitions": {
                "com.example.Widget": {
                    "x-kubernetes-group-version-kind": claim,
                    "properties": {"spec": {"$ref": f"#/definitions/{ref_kind}"}},
                },
                "io.k8s.api.core.v1.PodSpec": {"properties": {}},
            }
        },
        "schema.json",
    )


def test_combine_keeps_both_and_the_second_wins() -> None:
    custom = _widget_schema("io.k8s.api.core.v1.PodTemplateSpec")
    builtin_wins = combine(custom, default_schema())
    custom_wins = combine(default_schema(), custom)
    for combined in (builtin_wins, custom_wins):
        widget = combined.lookup("example.com/v1", "Widget")
        assert widget is not None
        spec = widget.field("spec")  # the built-in PodTemplateSpec fills the custom $ref
        assert spec is not None
        assert spec.field("spec") is not None
        assert combined.lookup("apps/v1", "Deployment") is not None
    containers = ("spec", "template", "spec", "containers")

    def merge_key(schema: Schema) -> str:
        node = schema.lookup("apps/v1", "Deployment")
        for name in containers:
            assert node is not None
            node = node.field(name)
        return node.merge_key if node is not None else "(none)"

    assert merge_key(builtin_wins) == "name"
    assert merge_key(custom_wins) == "(none)"  # the custom PodSpec has no containers
    assert custom.lookup("apps/v1", "Deployment") is None


def test_a_watched_schema_records_a_lookup_and_shares_the_nodes() -> None:
    watched = WatchedSchema(default_schema())
    assert watched.consulted is False
    assert watched.definition("io.k8s.api.core.v1.PodSpec") is default_schema().definition(
        "io.k8s.api.core.v1.PodSpec"
    )
    assert watched.consulted is False
    assert watched.lookup("v1", "ConfigMap") is not None
    assert watched.consulted is True


def test_the_built_in_schema_is_read_only_by_a_build_that_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that merges no patch never reads the built-in table (start-up); one with a
    strategic merge reads it once."""
    from kgen import pipeline, schema

    reads: list[Path] = []

    def counted(path: Path = schema._DATA) -> dict[str, object]:
        reads.append(path)
        return load_table(path)

    monkeypatch.setattr(schema, "load_table", counted)
    schema.default_schema.cache_clear()
    (tmp_path / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
        "spec: {template: {spec: {containers: [{name: c, image: i}]}}}\n"
    )
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [d.yaml]\nnamePrefix: p-\ncommonLabels: {a: b}\n"
    )
    try:
        pipeline.build(tmp_path, pipeline.BuildOptions())
        assert reads == []
        (tmp_path / "kustomization.yaml").write_text(
            "resources: [d.yaml]\npatches:\n- patch: |-\n    apiVersion: apps/v1\n"
            "    kind: Deployment\n    metadata: {name: d}\n    spec: {replicas: 2}\n"
        )
        built = pipeline.build(tmp_path, pipeline.BuildOptions())
        assert built.manifests[0]["spec"]["replicas"] == 2
        assert len(reads) == 1
    finally:
        schema.default_schema.cache_clear()
