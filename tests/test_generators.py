from __future__ import annotations

import pytest

from kgen.errors import GeneratorError, ResourceError
from kgen.generators import add_generated, encode_base64, make_manifest, make_resource
from kgen.kustomization import Behavior, GeneratorKind, GeneratorOptions, GeneratorSpec
from kgen.model import Gvk, Resource
from kgen.sources import Pair

W = "kustomization.yaml: secretGenerator[s]"


def spec(
    kind: GeneratorKind = "Secret",
    name: str = "s",
    behavior: Behavior = "create",
    options: GeneratorOptions | None = None,
    namespace: str = "",
    secret_type: str = "Opaque",
) -> GeneratorSpec:
    return GeneratorSpec(
        kind=kind,
        name=name,
        namespace=namespace,
        behavior=behavior,
        literals=(),
        files=(),
        envs=(),
        secret_type=secret_type,
        options=options or GeneratorOptions(),
        where=W,
    )


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        pytest.param(b"", "", id="empty"),
        pytest.param(b"admin", "YWRtaW4=", id="short"),
        pytest.param(b"x" * 51, "eHh4" * 17, id="68-chars-one-line"),
        pytest.param(b"x" * 52, "eHh4" * 17 + "eA\n==\n", id="70-chars-wrapped"),
        pytest.param(b"x" * 105, "eHh4" * 17 + "eH\n" + "h4" + "eHh4" * 17 + "\n", id="two-lines"),
    ],
)
def test_encode_base64(value: bytes, encoded: str) -> None:
    assert encode_base64(value) == encoded


def test_secret_manifest() -> None:
    options = GeneratorOptions(labels=(("l", "1"),), annotations=(("a", "2"),), immutable=True)
    manifest = make_manifest(
        spec(options=options, namespace="ns", secret_type="kubernetes.io/basic-auth"),
        [Pair("password", b"S!B*d$zDsb", "literals[0]")],
    )
    assert manifest == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "s",
            "namespace": "ns",
            "labels": {"l": "1"},
            "annotations": {"a": "2"},
        },
        "type": "kubernetes.io/basic-auth",
        "data": {"password": "UyFCKmQkekRzYg=="},
        "immutable": True,
    }


def test_empty_secret_has_empty_data_and_empty_configmap_none() -> None:
    assert make_manifest(spec(), [])["data"] == {}
    assert "data" not in make_manifest(spec(kind="ConfigMap"), [])


def test_configmap_binary_data() -> None:
    manifest = make_manifest(
        spec(kind="ConfigMap"),
        [Pair("text", b"hello\n", "files[0]"), Pair("bin.dat", b"\xff\xfe\x00binary", "files[1]")],
    )
    assert manifest["data"] == {"text": "hello\n"}
    assert manifest["binaryData"] == {"bin.dat": "//4AYmluYXJ5"}


def _existing(data: dict[str, str], **meta: object) -> Resource:
    resource = make_resource(spec(kind="ConfigMap", name="cm"), [])
    resource.manifest["data"] = dict(data)
    resource.manifest["metadata"].update(meta)
    return resource


def test_merge_combines_data_keeps_name_namespace_and_position() -> None:
    first = Resource({"kind": "Pod", "metadata": {"name": "p"}}, "pod.yaml", Gvk("", "v1", "Pod"))
    base = _existing({"a": "1", "b": "2"}, name="base-cm", namespace="ns", labels={"x": "old"})
    base.previous_ids.append(base.id._replace(name="cm", namespace=""))
    resources = [first, base]
    overlay = spec(
        kind="ConfigMap",
        name="cm",
        behavior="merge",
        options=GeneratorOptions(labels=(("x", "new"), ("y", "1"))),
    )
    add_generated(resources, overlay, make_resource(overlay, [Pair("b", b"3", "literals[0]")]))
    merged = resources[1].manifest
    assert resources[0] is first
    assert merged["data"] == {"a": "1", "b": "3"}
    assert merged["metadata"] == {
        "name": "base-cm",
        "namespace": "ns",
        "labels": {"x": "new", "y": "1"},
    }


def test_replace_drops_old_data() -> None:
    resources = [_existing({"a": "1"})]
    overlay = spec(kind="ConfigMap", name="cm", behavior="replace")
    add_generated(resources, overlay, make_resource(overlay, [Pair("b", b"2", "literals[0]")]))
    assert resources[0].manifest["data"] == {"b": "2"}


def test_hash_kept_only_when_both_enable_it() -> None:
    resources = [_existing({"a": "1"})]
    overlay = spec(
        kind="ConfigMap",
        name="cm",
        behavior="merge",
        options=GeneratorOptions(disable_name_suffix_hash=True),
    )
    add_generated(resources, overlay, make_resource(overlay, []))
    assert resources[0].needs_hash is False


@pytest.mark.parametrize(
    ("behavior", "existing", "message"),
    [
        pytest.param(
            "merge",
            False,
            'behavior: merge needs an existing ConfigMap "cm", and there is none',
            id="merge-nothing",
        ),
        pytest.param(
            "replace",
            False,
            'behavior: replace needs an existing ConfigMap "cm", and there is none',
            id="replace-nothing",
        ),
        pytest.param(
            "create",
            True,
            f'ConfigMap "cm" already exists (from {W}); use behavior: merge or replace',
            id="create-existing",
        ),
    ],
)
def test_behavior_errors(behavior: Behavior, existing: bool, message: str) -> None:
    resources = [_existing({})] if existing else []
    overlay = spec(kind="ConfigMap", name="cm", behavior=behavior)
    with pytest.raises(ResourceError) as info:
        add_generated(resources, overlay, make_resource(overlay, []))
    assert str(info.value) == f"{W}: {message}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            b"\tx\ny",
            "a value that starts with a tab and has several lines cannot be generated "
            "(kustomize fails on it: found a tab character where an indentation space is "
            "expected); put it in a resource file or a Secret",
            id="tab-multiline",
        ),
        pytest.param(
            b"a\x7fb",
            "the value contains a control character (DEL, U+0080..U+009F but U+0085, U+FFFE "
            "or U+FFFF), which kustomize cannot generate either",
            id="del",
        ),
        pytest.param(
            "a\u0080b".encode(),
            "the value contains a control character (DEL, U+0080..U+009F but U+0085, U+FFFE "
            "or U+FFFF), which kustomize cannot generate either",
            id="c1",
        ),
    ],
)
def test_configmap_values_kustomize_cannot_generate(value: bytes, message: str) -> None:
    with pytest.raises(GeneratorError) as info:
        make_manifest(spec(kind="ConfigMap"), [Pair("k", value, "literals[0]")])
    assert str(info.value) == f'{W}.literals[0]: key "k": {message}'


@pytest.mark.parametrize("value", [b"\tx", b"a\n\tb", b"\n\tx", b" \tx\ny", "x\u0085y".encode()])
def test_configmap_values_kustomize_generates(value: bytes) -> None:
    manifest = make_manifest(spec(kind="ConfigMap"), [Pair("k", value, "literals[0]")])
    assert manifest["data"] == {"k": value.decode()}


def test_secret_values_are_never_refused() -> None:
    manifest = make_manifest(spec(), [Pair("k", b"\tx\ny\x7f", "literals[0]")])
    assert manifest["data"] == {"k": "CXgKeX8="}
