"""The ``replacements`` transformer: kustomize's ReplacementTransformer, value by value."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from kgen.errors import KgenError, KustomizationError, LoadError, ResourceError
from kgen.fieldspecs import BUILTIN_CONFIG
from kgen.model import ResId, Resource, manifest_id
from kgen.transformers import REGISTRY, replacements
from kgen.transformers.replacements import IdSelector, Options, PathEntry

SECRET_TEXT = "Sup3r-S3cret-Passw0rd"
SECRET = base64.b64encode(SECRET_TEXT.encode()).decode()


def _resource(manifest: dict[str, Any], previous: list[ResId] | None = None) -> Resource:
    return Resource(manifest, "r.yaml", manifest_id(manifest).gvk, previous_ids=previous or [])


def _configmap(name: str, data: dict[str, Any], **metadata: Any) -> Resource:
    return _resource(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, **metadata},
            "data": data,
        }
    )


def _deployment(name: str = "web", **spec: Any) -> Resource:
    return _resource(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec}
    )


def _secret() -> Resource:
    return _resource(
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"pw": SECRET}}
    )


def _run(
    resources: list[Resource], entries: list[Any], files: dict[str, str] | None = None
) -> None:
    def read(path: str, where: str) -> bytes:
        if files is None or path not in files:
            raise LoadError(where, f"no such file: {path}")
        return files[path].encode()

    replacements.run(resources, entries, read, "k.yaml", "replacements")


def _error(
    resources: list[Resource], entries: list[Any], files: dict[str, str] | None = None
) -> str:
    with pytest.raises(KgenError) as info:
        _run(resources, entries, files)
    return str(info.value)


def _copy(source: dict[str, Any], fields: list[str], **options: Any) -> dict[str, Any]:
    target: dict[str, Any] = {"select": {"kind": "Deployment"}, "fieldPaths": fields}
    if options:
        target["options"] = options
    return {"source": source, "targets": [target]}


CM_V = {"kind": "ConfigMap", "name": "src", "fieldPath": "data.v"}


def test_registry_runs_replacements_last() -> None:
    assert [row.name for row in REGISTRY][-2:] == ["images", "replacements"]


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("metadata.name", ["metadata", "name"]),
        (".metadata.name", ["metadata", "name"]),
        ("metadata.annotations.[a.b/c]", ["metadata", "annotations", "a.b/c"]),
        ("spec.containers.[name=a.b].image", ["spec", "containers", "[name=a.b]", "image"]),
        (
            r"metadata.labels.app\.kubernetes\.io/name",
            ["metadata", "labels", "app.kubernetes.io/name"],
        ),
        ("spec.args.[=--x.*]", ["spec", "args", "[=--x.*]"]),
        ("a..b", ["a", "", "b"]),
    ],
    ids=[
        "plain",
        "leading-dot",
        "bracketed-key",
        "list-selector",
        "escaped-dots",
        "regex",
        "empty",
    ],
)
def test_split_path_is_kyamls_smarter_splitter(path: str, parts: list[str]) -> None:
    assert replacements.split_path(path) == parts


def test_parse_reads_inline_and_path_entries() -> None:
    entries = replacements.parse(
        {
            "replacements": [
                {"path": "r.yaml"},
                {
                    "Source": {"kind": "ConfigMap", "options": {"delimiter": "/", "index": 1.0}},
                    "targets": [{"select": {"name": "web"}, "options": {"create": True}}],
                },
            ]
        },
        "k",
    )
    assert entries is not None
    assert entries[0] == PathEntry("r.yaml", "replacements[0]")
    inline = entries[1]
    assert isinstance(inline, replacements.Replacement)
    assert inline.source == replacements.Source(
        IdSelector(kind="ConfigMap"), "metadata.name", Options("/", 1, create=False)
    )
    assert inline.targets is not None
    (target,) = inline.targets
    assert (target.select, target.field_paths, target.options, target.at) == (
        IdSelector(name="web"),
        ("metadata.name",),
        Options(create=True),
        "replacements[1].targets[0]",
    )
    assert replacements.parse({"replacements": []}, "k") is None
    assert replacements.parse({}, "k") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("r.yaml", "k: replacements: expected a list, got a string"),
        (["r.yaml"], "k: replacements[0]: expected a mapping, got a string"),
        ([{"source": {}, "extra": 1}], 'k: replacements[0]: unknown field "extra"'),
        (
            [{"source": {"fieldpath": 1}}],
            "k: replacements[0].source.fieldPath: expected a string, got a number",
        ),
        (
            [{"path": "r.yaml", "targets": [{}]}],
            "k: replacements[0]: cannot specify both path and inline replacement",
        ),
        (
            [{"source": {"options": {"index": "1"}}}],
            "k: replacements[0].source.options.index: expected an integer, got a string",
        ),
        (
            [{"source": {}, "targets": [{"select": {"labelSelector": "a in ("}}]}],
            (
                "k: replacements[0].targets[0].select.labelSelector: unable to parse requirement: "
                "unexpected end of selector"
            ),
        ),
        (
            [{"source": {}, "targets": [{"reject": [{"bogus": ""}]}]}],
            'k: replacements[0].targets[0].reject[0]: unknown field "bogus"',
        ),
    ],
    ids=[
        "not-a-list",
        "entry-string",
        "unknown",
        "type",
        "path-and-inline",
        "index",
        "selector",
        "reject",
    ],
)
def test_parse_errors_name_the_entry(value: Any, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        replacements.parse({"replacements": value}, "k")
    assert str(info.value) == message


def test_path_files_hold_one_or_a_list_and_ignore_unknown_fields() -> None:
    src = _configmap("src", {"v": "new"})
    other = _configmap("other", {"v": "x"})
    web = _deployment(a="old", b="old")
    files = {
        "list.yaml": "- {source: {kind: ConfigMap, name: src, fieldPath: data.v, extra: 1},\n"
        "   targets: [{select: {kind: Deployment}, fieldPaths: [spec.a], unknown: true}]}\n",
        "one.yaml": "source: {name: other, fieldPath: data.v}\n"
        "targets: [{select: {kind: Deployment}, fieldPaths: [spec.b]}]\n",
    }
    _run([src, other, web], [{"path": "list.yaml"}, {"path": "one.yaml"}], files)
    assert web.manifest["spec"] == {"a": "new", "b": "x"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just text\n", "a string"),
        ("", "null"),
    ],
    ids=["scalar", "empty"],
)
def test_a_path_file_must_hold_a_mapping_or_a_list(text: str, message: str) -> None:
    assert _error([], [{"path": "r.yaml"}], {"r.yaml": text}) == (
        "k.yaml: replacements[0]: r.yaml: unsupported replacement type encountered within "
        f"replacement path: expected a list or a mapping, got {message}"
    )


def test_a_missing_path_file_is_the_loaders_error() -> None:
    assert _error([], [{"path": "gone.yaml"}]) == "k.yaml: replacements[0]: no such file: gone.yaml"


def test_inline_empty_targets_is_no_target_but_a_files_is() -> None:
    message = "k.yaml: replacements[0]: replacements must specify a source and at least one target"
    assert _error([_deployment()], [{"source": {"kind": "Deployment"}, "targets": []}]) == message
    assert _error([_deployment()], [{"targets": [{"select": {}}]}]) == message
    _run(
        [_deployment()],
        [{"path": "r.yaml"}],
        {"r.yaml": "{source: {kind: Deployment}, targets: []}"},
    )


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        (1, "5", 5),
        (1.5, "5", 5),
        (1.5, "2.5", 2.5),
        ("abc", 5, "5"),
        ("abc", True, "true"),
        ("abc", "", ""),
        (True, "false", False),
        (None, "", None),
        ({"a": "b"}, "5", "5"),
        ({"a": "b"}, 5, 5),
        ([1], {"k": "v"}, {"k": "v"}),
        ("abc", {"k": "v"}, ""),
        (None, {"k": "v"}, None),
    ],
    ids=[
        "int-from-text",
        "float-from-int",
        "float",
        "string-from-int",
        "string-from-bool",
        "string-empty",
        "bool",
        "null-from-empty",
        "map-by-string",
        "map-by-int",
        "list-by-map",
        "string-by-map",
        "null-by-map",
    ],
)
def test_a_scalar_keeps_its_type_as_kyaml_copies_text(
    target: Any, source: Any, expected: Any
) -> None:
    web = _deployment(t=target)
    _run([_configmap("src", {"v": source}), web], [_copy(CM_V, ["spec.t"])])
    assert web.manifest["spec"]["t"] == expected


@pytest.mark.parametrize(
    ("target", "source", "found", "tag"),
    [
        (1, "foo", "str", "int"),
        (True, "5", "int", "bool"),
        (None, "x", "str", "null"),
        (1, "", "null", "int"),
    ],
    ids=["int", "bool", "null", "int-empty"],
)
def test_text_the_target_type_cannot_hold_is_an_error(
    target: Any, source: Any, found: str, tag: str
) -> None:
    message = _error(
        [_configmap("src", {"v": source}), _deployment(t=target)], [_copy(CM_V, ["spec.t"])]
    )
    assert message == (
        'k.yaml: replacements[0].targets[0]: Deployment "web" (apps/v1): "spec.t": the value '
        f"written is a !!{found} scalar, which the !!{tag} field cannot hold (kustomize fails to "
        "decode it)"
    )


def test_create_makes_untyped_fields_lists_and_elements() -> None:
    web = _deployment(
        nul=None, template={"spec": {"containers": [{"name": "app"}, {"name": "myapp"}]}}
    )
    fields = [
        "spec.a.b",
        "spec.list.[name=x].value",
        "spec.seq.0.value",
        "spec.args.[=hello]",
        "spec.nul.lost",
        "spec.template.spec.containers.[name=app].image",
        "metadata.annotations.port",
    ]
    _run([_configmap("src", {"v": "5"}), web], [_copy(CM_V, fields, create=True)])
    assert web.manifest == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "annotations": {"port": "5"}},
        "spec": {
            "a": {"b": 5},
            "list": [{"name": "x", "value": 5}],
            "seq": [{"value": 5}],
            "args": [5],
            "nul": None,
            # the selector is kustomize v5.5.0's unanchored regular expression
            "template": {
                "spec": {"containers": [{"name": "app", "image": 5}, {"name": "myapp", "image": 5}]}
            },
        },
    }


def test_a_collection_source_is_copied_into_each_target() -> None:
    web = _deployment(template={"spec": {"containers": [{"name": "a", "env": []}, {"name": "b"}]}})
    source = {"kind": "ConfigMap", "fieldPath": "data"}
    _run(
        [_configmap("src", {"k": "v"}), web],
        [_copy(source, ["spec.template.spec.containers.*.env"], create=True)],
    )
    containers = web.manifest["spec"]["template"]["spec"]["containers"]
    assert containers == [{"name": "a", "env": {"k": "v"}}, {"name": "b", "env": {"k": "v"}}]
    containers[0]["env"]["k"] = "changed"
    assert containers[1]["env"] == {"k": "v"}


def test_delimiter_cuts_the_source_and_splices_the_target() -> None:
    web = _deployment(image="nginx:1.25", a="x=1", b="x=1", c="x=1")
    source = {"kind": "ConfigMap", "fieldPath": "data.v", "options": {"delimiter": ",", "index": 1}}
    entries = [
        _copy(source, ["spec.image"], delimiter=":", index=1),
        _copy(source, ["spec.a"], delimiter="=", index=-1),
        _copy(source, ["spec.b"], delimiter="=", index=7),
        _copy(source, ["spec.c"], delimiter="=", index=0),
    ]
    _run([_configmap("src", {"v": "a,1.27,c"}), web], entries)
    assert web.manifest["spec"] == {
        "image": "nginx:1.27",
        "a": "1.27=x=1",
        "b": "x=1=1.27",
        "c": "1.27=1",
    }


def test_selection_by_ids_labels_and_rejects() -> None:
    src = _configmap("src", {"v": "new"}, namespace="default")
    one = _configmap("one", {"v": "old"}, labels={"app": "a"})
    two = _configmap("two", {"v": "old"}, labels={"app": "b"}, namespace="other")
    three = _configmap("three", {"v": "old"}, labels={"app": "a", "tier": "x"})
    source = {"kind": "ConfigMap", "name": "src", "namespace": "", "fieldPath": "data.v"}
    target = {
        "select": {"kind": "ConfigMap", "labelSelector": "app"},
        "reject": [
            {"name": "src"},
            {"labelSelector": "tier=x", "name": "not-used-by-the-label-part"},
        ],
        "fieldPaths": ["data.v"],
    }
    _run([src, one, two, three], [{"source": source, "targets": [target]}])
    assert [res.manifest["data"]["v"] for res in (src, one, two, three)] == [
        "new",
        "new",
        "new",
        "old",
    ]
    # the namespace "" is default, and any other namespace must match
    by_namespace = {"select": {"namespace": "default"}, "fieldPaths": ["data.v"]}
    src.manifest["data"]["v"] = "ns"
    _run([src, one, two, three], [{"source": source, "targets": [by_namespace]}])
    assert [res.manifest["data"]["v"] for res in (one, two, three)] == ["ns", "new", "ns"]


def test_an_earlier_id_selects_an_object() -> None:
    renamed = _resource(
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "p-api", "namespace": "prod"}},
        previous=[ResId("", "v1", "Service", "api", ""), ResId("", "v1", "Service", "p-api", "")],
    )
    web = _deployment(host="x")
    source = {"kind": "Service", "name": "api", "namespace": "default"}
    _run([renamed, web], [_copy(source, ["spec.host"])])
    assert web.manifest["spec"]["host"] == "p-api"


def test_a_later_replacement_sees_the_new_ids() -> None:
    src = _configmap("src", {"v": "renamed"})
    web = _deployment()
    entries = [
        _copy(CM_V, ["metadata.name"]),
        {
            "source": CM_V,
            "targets": [
                {
                    "select": {"name": "renamed"},
                    "fieldPaths": ["spec.x"],
                    "options": {"create": True},
                }
            ],
        },
    ]
    _run([src, web], entries)
    assert web.manifest["metadata"]["name"] == "renamed"
    assert web.manifest["spec"] == {"x": "renamed"}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            _copy({"kind": "ConfigMap", "name": "nope"}, ["spec.x"]),
            'replacements[0].source: nothing selected by kind "ConfigMap", name "nope"',
        ),
        (
            _copy({"kind": "ConfigMap"}, ["spec.x"]),
            (
                'replacements[0].source: multiple matches for kind "ConfigMap": '
                'ConfigMap "src" (v1) and ConfigMap "other" (v1)'
            ),
        ),
        (
            _copy({"name": "src", "fieldPath": "data.missing"}, ["spec.x"]),
            (
                'replacements[0].source: fieldPath "data.missing" is missing for replacement '
                'source ConfigMap "src" (v1)'
            ),
        ),
        (
            _copy({"name": "src", "fieldPath": "data.*"}, ["spec.x"]),
            (
                'replacements[0].source: ConfigMap "src" (v1): error looking up replacement source '
                '"data.*": wildcard is not supported in PathGetter'
            ),
        ),
        (
            _copy({"name": "src", "fieldPath": "data.0"}, ["spec.x"]),
            (
                'replacements[0].source: ConfigMap "src" (v1): error looking up replacement source '
                '"data.0": wrong node kind: expected SequenceNode but got MappingNode'
            ),
        ),
        (
            _copy(
                {"name": "src", "fieldPath": "data.v", "options": {"delimiter": "/", "index": 2}},
                ["spec.x"],
            ),
            (
                'replacements[0].source: ConfigMap "src" (v1): "data.v": options.index 2 is out of '
                'bounds for the value split by "/"'
            ),
        ),
        (
            _copy({"name": "src", "fieldPath": "data", "options": {"delimiter": "/"}}, ["spec.x"]),
            (
                'replacements[0].source: ConfigMap "src" (v1): "data": delimiter option can '
                "only be used with scalar nodes"
            ),
        ),
        (
            _copy(CM_V, ["spec.x"]),
            (
                'replacements[0].targets[0]: Deployment "web" (apps/v1): unable to find field '
                '"spec.x" in replacement target'
            ),
        ),
        (
            _copy(CM_V, ["spec.list.3.x"], create=True),
            (
                'replacements[0].targets[0]: Deployment "web" (apps/v1): unable to find or create '
                'field "spec.list.3.x" in replacement target: index 3 specified but only 1 '
                "elements found"
            ),
        ),
        (
            _copy(CM_V, ["spec.list.name"]),
            (
                'replacements[0].targets[0]: Deployment "web" (apps/v1): unable to find field '
                '"spec.list.name" in replacement target: wrong node kind: expected MappingNode '
                "but got SequenceNode"
            ),
        ),
        (
            _copy(CM_V, ["spec.list.[name]"]),
            (
                'replacements[0].targets[0]: Deployment "web" (apps/v1): unable to find field '
                '"spec.list.[name]" in replacement target: list path element must contain '
                "fieldName=fieldValue for element to match"
            ),
        ),
        (
            _copy(CM_V, ["spec.list"], delimiter="/"),
            (
                'replacements[0].targets[0]: Deployment "web" (apps/v1): "spec.list": delimiter '
                "option can only be used with scalar nodes"
            ),
        ),
        (
            {"source": CM_V, "targets": [{"fieldPaths": ["spec.x"]}]},
            "replacements[0].targets[0]: target must specify resources to select",
        ),
    ],
    ids=[
        "no-source",
        "two-sources",
        "source-field",
        "source-wildcard",
        "source-kind",
        "source-index",
        "source-delimiter",
        "target-field",
        "target-index",
        "target-kind",
        "target-selector",
        "target-delimiter",
        "no-select",
    ],
)
def test_errors_name_the_entry_and_the_object(entry: dict[str, Any], message: str) -> None:
    resources = [
        _configmap("src", {"v": "a/b"}),
        _configmap("other", {}),
        _deployment(list=[{"name": "a"}]),
    ]
    assert _error(resources, [entry]) == f"k.yaml: {message}"


@pytest.mark.parametrize(
    ("entry", "kind"),
    [
        (_copy({"kind": "Secret", "fieldPath": "data.pw"}, ["spec.replicas"]), ResourceError),
        (
            _copy(
                {
                    "kind": "Secret",
                    "fieldPath": "data.pw",
                    "options": {"delimiter": "z", "index": 5},
                },
                ["spec.x"],
            ),
            ResourceError,
        ),
        (_copy({"kind": "Secret", "fieldPath": "data"}, ["spec.replicas"]), ResourceError),
        (
            _copy({"kind": "Secret", "fieldPath": "data.pw"}, ["spec.list"], delimiter="z"),
            ResourceError,
        ),
    ],
    ids=["type", "index", "map-into-number", "delimiter"],
)
def test_a_value_out_of_a_secret_is_never_in_a_message(entry: dict[str, Any], kind: type) -> None:
    web = _deployment(replicas=1, list=[])
    with pytest.raises(kind) as info:
        _run([_secret(), web], [entry])
    message = str(info.value)
    assert SECRET not in message
    assert SECRET_TEXT not in message


def test_what_a_secret_value_puts_in_an_object_is_recorded_and_redacted() -> None:
    web = _deployment(image="nginx:1.27")
    entries = [
        _copy({"kind": "Secret", "fieldPath": "data.pw"}, ["metadata.name"]),
        _copy({"kind": "Secret", "fieldPath": "data.pw"}, ["spec.image"], delimiter=":", index=1),
        _copy({"kind": "Secret", "fieldPath": "data"}, ["spec.copy"], create=True),
        _copy({"kind": "Secret", "fieldPath": "metadata.name"}, ["spec.name"], create=True),
        _copy({"kind": "Secret", "fieldPath": "data.pw"}, ["spec.missing"]),
    ]
    with pytest.raises(ResourceError) as info:
        _run([_secret(), web], entries)
    assert web.manifest["metadata"]["name"] == SECRET
    assert web.secret_texts == [SECRET, f"nginx:{SECRET}"]
    info.value.redact(web.secret_texts)
    assert str(info.value) == (
        'k.yaml: replacements[4].targets[0]: Deployment "<a Secret\'s value>" (apps/v1): '
        'unable to find field "spec.missing" in replacement target'
    )


def test_the_registry_row_loads_and_applies() -> None:
    row = next(row for row in REGISTRY if row.name == "replacements")
    settings = row.parse({"replacements": [{"path": "r.yaml"}]}, "k")

    def read(path: str, where: str) -> bytes:
        assert (path, where) == ("r.yaml", "k: replacements[0]")
        return (
            b"source: {kind: ConfigMap}\n"
            b"targets: [{select: {kind: Deployment}, fieldPaths: [spec.x]}]\n"
        )

    loaded = row.load(settings, read, "k", None)  # type: ignore[arg-type]
    web = _deployment(x="old")
    row.apply([_configmap("src", {}), web], loaded, BUILTIN_CONFIG, "k")
    assert web.manifest["spec"] == {"x": "src"}


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("2024-05-01", {}, "2024-05-01T00:00:00Z"),
        ("2024-05-01", "old", "2024-05-01"),
        ("0o17", {}, 15),
        ("0.50", "old", "0.50"),
    ],
    ids=["timestamp-copied", "timestamp-text", "octal-copied", "float-text"],
)
def test_a_source_keeps_the_text_and_type_it_was_written_with(
    text: str, target: Any, expected: Any
) -> None:
    src = _configmap("src", {"v": "loaded"})
    src.data_text = {"data": {"v": text}}
    web = _deployment(t=target)
    _run([src, web], [_copy(CM_V, ["spec.t"])])
    assert web.manifest["spec"]["t"] == expected


def test_a_written_data_value_forgets_its_source_text() -> None:
    target = _configmap("target", {"v": 1, "w": 2})
    target.data_text = {"data": {"v": "0x1", "w": "0x2"}}
    source = {"kind": "Deployment", "fieldPath": "spec.n"}
    entry = {
        "source": source,
        "targets": [{"select": {"name": "target"}, "fieldPaths": ["data.v"]}],
    }
    _run([_deployment(n=5), target], [entry])
    assert (target.manifest["data"], target.data_text) == ({"v": 5, "w": 2}, {"data": {"w": "0x2"}})


def test_run_decodes_a_plugin_config_leniently() -> None:
    web = _deployment(x="old")
    entries = [{"source": {"kind": "ConfigMap", "unknown": 1}, "targets": [], "extra": True}]
    replacements.run(
        [_configmap("src", {}), web], entries, _no_files, "t.yaml", "replacements", strict=False
    )
    assert web.manifest["spec"] == {"x": "old"}
    entries[0]["targets"] = [{"select": {"kind": "Deployment"}, "fieldPaths": ["spec.x"], "x": 1}]
    replacements.run(
        [_configmap("src", {}), web], entries, _no_files, "t.yaml", "replacements", strict=False
    )
    assert web.manifest["spec"] == {"x": "src"}


def _no_files(path: str, where: str) -> bytes:
    raise LoadError(where, f"no such file: {path}")
