from __future__ import annotations

import pytest

from kgen.errors import GeneratorError, ResourceError, quote
from kgen.generators import (
    IdIndex,
    add_generated,
    check_writable,
    encode_base64,
    make_manifest,
    make_resource,
)
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
    add_generated(
        resources,
        IdIndex(resources),
        overlay,
        make_resource(overlay, [Pair("b", b"3", "literals[0]")]),
    )
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
    add_generated(
        resources,
        IdIndex(resources),
        overlay,
        make_resource(overlay, [Pair("b", b"2", "literals[0]")]),
    )
    assert resources[0].manifest["data"] == {"b": "2"}


def test_hash_kept_only_when_both_enable_it() -> None:
    resources = [_existing({"a": "1"})]
    overlay = spec(
        kind="ConfigMap",
        name="cm",
        behavior="merge",
        options=GeneratorOptions(disable_name_suffix_hash=True),
    )
    add_generated(resources, IdIndex(resources), overlay, make_resource(overlay, []))
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
        add_generated(resources, IdIndex(resources), overlay, make_resource(overlay, []))
    assert str(info.value) == f"{W}: {message}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            b"\t\ta\n",
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
        make_manifest(spec(kind="ConfigMap"), [Pair("k", value, "files[0]")])
    assert str(info.value) == f'{W}.files[0]: key "k": {message}'


@pytest.mark.parametrize("value", [b"\tx", b"a\n\tb", b"\n\tx", b" \tx\ny", "x\u0085y".encode()])
def test_configmap_values_kustomize_generates(value: bytes) -> None:
    manifest = make_manifest(spec(kind="ConfigMap"), [Pair("k", value, "files[0]")])
    assert manifest["data"] == {"k": value.decode()}


@pytest.mark.parametrize("entry", ["files[0]", "envs[0]: a.env line 1"])
def test_secret_values_from_files_are_never_refused(entry: str) -> None:
    manifest = make_manifest(spec(), [Pair("k", b"\tx\ny\x7f", entry)])
    assert manifest["data"] == {"k": "CXgKeX8="}


CONTROL = (
    "contains a control character (DEL, U+0080..U+009F but U+0085, U+FFFE or U+FFFF), which "
    "kustomize cannot generate either (yaml: control characters are not allowed)"
)


@pytest.mark.parametrize("kind", ["Secret", "ConfigMap"])
@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param("k", "x\x7fy", id="del-value"),
        pytest.param("k\x80", "y", id="c1-key"),
        pytest.param("k", "\ufffe", id="fffe"),
        pytest.param("k", "\uffff", id="ffff"),
    ],
)
def test_literals_kustomize_cannot_read_back(kind: GeneratorKind, key: str, value: str) -> None:
    # kustomize hands the generator its entry as YAML: such literals fail, Secrets' too
    with pytest.raises(GeneratorError) as info:
        make_manifest(spec(kind=kind), [Pair(key, value.encode(), "literals[0]")])
    assert str(info.value) == f"{W}.literals[0]: the literal {CONTROL}"


@pytest.mark.parametrize("field", ["labels", "annotations"])
@pytest.mark.parametrize(
    ("key", "value"),
    [pytest.param("l", "x\x7f", id="del-value"), pytest.param("l\x9f", "x", id="c1-key")],
)
def test_options_kustomize_cannot_read_back(field: str, key: str, value: str) -> None:
    entries = ((key, value),)
    options = (
        GeneratorOptions(labels=entries)
        if field == "labels"
        else GeneratorOptions(annotations=entries)
    )
    with pytest.raises(GeneratorError) as info:
        make_manifest(spec(options=options), [])
    assert str(info.value) == f"{W}.options.{field}: {quote(key)}: the entry {CONTROL}"


def test_nel_in_a_literal_is_kept() -> None:
    # kustomize turns U+0085 into a space here; kgen keeps it (fixture differs-nel-in-literal)
    manifest = make_manifest(spec(), [Pair("k", "a\x85b".encode(), "literals[0]")])
    assert manifest["data"] == {"k": "YcKFYg=="}


def _plain(data: dict[str, object], field: str = "data", **texts: str) -> Resource:
    """A hand-written ConfigMap as read from a file: ``texts`` = source texts of its values."""
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, field: data}
    resource = Resource(manifest, "cm.yaml", Gvk("", "v1", "ConfigMap"))
    resource.data_text = {field: dict(texts)} if texts else {}
    return resource


def _merge_into(old: Resource) -> Resource:
    resources = [old]
    overlay = spec(kind="ConfigMap", name="cm", behavior="merge")
    add_generated(
        resources,
        IdIndex(resources),
        overlay,
        make_resource(overlay, [Pair("x", b"y", "literals[0]")]),
    )
    return resources[0]


@pytest.mark.parametrize("field", ["data", "binaryData"])
def test_merge_turns_old_values_into_their_source_text(field: str) -> None:
    # kubectl kustomize: base data {ratio: 0.50, verbose: True, umask: 0o022, proxy: ~,
    # workers: 4, date: 2024-05-01, ...} merged by a configMapGenerator.
    old = _plain(
        {
            "ratio": 0.5,
            "verbose": True,
            "umask": 18,
            "proxy": None,
            "workers": 4,
            "hex": 31,
            "oct": 15,
            "exp": 1000,
            "under": 1000,
            "date": "2024-05-01T00:00:00Z",
            "quoted": "0.50",
            "map": {"k": 1},
            "list": [1, 2],
        },
        field,
        ratio="0.50",
        verbose="True",
        umask="0o022",
        workers="4",
        hex="0x1F",
        oct="017",
        exp="1e3",
        under="1_000",
        date="2024-05-01",
    )
    merged = _merge_into(old).manifest
    expected = {
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
        "quoted": "0.50",
        "map": "",
        "list": "",
    }
    if field == "data":
        expected["x"] = "y"
    assert merged[field] == expected
    assert _merge_into(_plain({"a": 1})).data_text == {}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # No source text (items of a ConfigMapList, which kustomize turns into JSON and back):
        # Go encoding/json's spelling, pinned with kubectl kustomize.
        pytest.param(True, "true", id="true"),
        pytest.param(False, "false", id="false"),
        pytest.param(15, "15", id="int"),
        pytest.param(18446744073709551615, "18446744073709551615", id="uint64"),
        pytest.param(0.5, "0.5", id="float"),
        pytest.param(1e-7, "1e-7", id="small"),
        pytest.param(0.000001, "0.000001", id="1e-6"),
        pytest.param(1.2345678901234569e23, "1.2345678901234569e+23", id="big"),
        pytest.param(1e21, "1e+21", id="1e21"),
        pytest.param(3e20, "300000000000000000000", id="3e20"),
        pytest.param(1.8446744073709552e19, "18446744073709552000", id="2**64"),
        pytest.param(-2.5e-10, "-2.5e-10", id="negative"),
        pytest.param(-0.0, "-0", id="minus-zero"),
        pytest.param(None, "", id="null"),
        pytest.param("2024-05-01T00:00:00Z", "2024-05-01T00:00:00Z", id="string"),
    ],
)
def test_merge_without_source_text_spells_values_as_json(value: object, text: str) -> None:
    assert _merge_into(_plain({"k": value})).manifest["data"]["k"] == text


def test_replace_ignores_source_texts() -> None:
    resources = [_plain({"ratio": 0.5}, ratio="0.50")]
    overlay = spec(kind="ConfigMap", name="cm", behavior="replace")
    add_generated(
        resources,
        IdIndex(resources),
        overlay,
        make_resource(overlay, [Pair("x", b"y", "literals[0]")]),
    )
    assert resources[0].manifest["data"] == {"x": "y"}


@pytest.mark.parametrize(
    "key",
    [".5", "1", "-1", "1e3", "1_000", "0x1F", "0777", "true", "Null", "~", "2001-12-14", "<<"],
)
def test_keys_that_read_as_non_strings_are_refused_as_kustomize_fails_on_them(key: str) -> None:
    with pytest.raises(GeneratorError) as info:
        make_manifest(spec(kind="ConfigMap"), [Pair(key, b"x", "literals[0]")])
    assert str(info.value) == (
        f'{W}.literals[0]: key "{key}" reads as a number, boolean, null or date in YAML, and '
        "kustomize cannot build an object with such a key (json: unsupported type); rename it"
    )


@pytest.mark.parametrize("key", ["yes", "on", "y", "NO", "_1", ".5.", ".e3", "1:20", "a1"])
def test_keys_kustomize_keeps_as_strings(key: str) -> None:
    assert make_manifest(spec(), [Pair(key, b"x", "literals[0]")])["data"] == {key: "eA=="}


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("hello", id="string"),
        pytest.param(5, id="number"),
        pytest.param(True, id="boolean"),
        pytest.param(None, id="null"),
        pytest.param({}, id="empty-mapping"),
    ],
)
@pytest.mark.parametrize("field", ["labels", "annotations"])
def test_merge_drops_old_labels_that_are_not_a_mapping_as_kustomize_does(
    field: str, value: object
) -> None:
    old = _plain({"a": "1"})
    old.manifest["metadata"][field] = value
    assert _merge_into(old).manifest == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm"},
        "data": {"a": "1", "x": "y"},
    }


@pytest.mark.parametrize("field", ["labels", "annotations"])
def test_merge_refuses_old_labels_that_are_a_list(field: str) -> None:
    old = _plain({"a": "1"})
    old.manifest["metadata"][field] = ["a", "b"]
    with pytest.raises(ResourceError) as info:
        _merge_into(old)
    assert str(info.value) == (
        f"{W}: metadata.{field} of cm.yaml is a list, not a mapping: it cannot be merged"
    )


TAB_LED = "\tx\ny\n"
TAB_MESSAGE = (
    'key "a": a value that starts with a tab and has several lines cannot be generated '
    "(kustomize fails on it: found a tab character where an indentation space is expected); "
    "put it in a resource file or a Secret"
)


def _generated(name: str, pairs: list[Pair], behavior: Behavior = "create") -> Resource:
    return make_resource(spec(kind="ConfigMap", name=name, behavior=behavior), pairs)


def test_unwritable_entries_are_refused_only_in_the_output() -> None:
    # kustomize makes such objects and fails only when it writes them out
    resource = _generated("c", [Pair("a", TAB_LED.encode(), "literals[0]")])
    assert resource.manifest["data"] == {"a": TAB_LED}
    with pytest.raises(GeneratorError) as info:
        check_writable([resource])
    assert str(info.value) == f"{W}.literals[0]: {TAB_MESSAGE}"


@pytest.mark.parametrize(
    ("behavior", "pairs", "refused"),
    [
        pytest.param("replace", [Pair("b", b"y", "literals[0]")], False, id="replace-drops"),
        pytest.param("merge", [Pair("a", b"y", "literals[0]")], False, id="merge-overrides"),
        pytest.param("merge", [Pair("b", b"y", "literals[0]")], True, id="merge-keeps"),
    ],
)
def test_a_later_generator_may_drop_unwritable_entries(
    behavior: Behavior, pairs: list[Pair], refused: bool
) -> None:
    resources = [_generated("c", [Pair("a", TAB_LED.encode(), "literals[0]")])]
    later = make_resource(spec(kind="ConfigMap", name="c", behavior=behavior), pairs)
    later_spec = spec(kind="ConfigMap", name="c", behavior=behavior)
    add_generated(resources, IdIndex(resources), later_spec, later)
    if refused:
        with pytest.raises(GeneratorError, match="starts with a tab"):
            check_writable(resources)
    else:
        check_writable(resources)
        assert "\t" not in str(resources[0].manifest["data"])


@pytest.mark.parametrize(
    ("pair", "field"),
    [
        pytest.param(Pair("~", b"x", "literals[0]"), "data", id="null-key"),
        pytest.param(Pair("1", b"\xff", "files[0]"), "binaryData", id="binary-number-key"),
    ],
)
def test_unwritable_keys_recorded_by_field(pair: Pair, field: str) -> None:
    resource = _generated("c", [pair])
    assert list(resource.unwritable) == [(field, pair.key)]
    assert resource.unwritable_values == []


@pytest.mark.parametrize(
    "pair",
    [
        pytest.param(Pair("k", b"a\x7fb", "files[0]"), id="del-from-file"),
        pytest.param(Pair("k", TAB_LED.encode(), "files[0]"), id="tab-led"),
    ],
)
def test_unwritable_values_recorded_by_value(pair: Pair) -> None:
    """A value kustomize cannot write is refused only while that very value stays (a merge
    or a patch may set another under its key)."""
    resource = _generated("c", [pair])
    assert resource.unwritable == {}
    ((value, _),) = resource.unwritable_values
    assert value is resource.manifest["data"]["k"]
    with pytest.raises(GeneratorError):
        check_writable([resource])
    resource.manifest["data"]["k"] = "fine"
    check_writable([resource])


@pytest.mark.parametrize(
    ("field", "key"),
    [
        pytest.param("labels", "true", id="labels-true"),
        pytest.param("labels", "false", id="labels-false"),
        pytest.param("annotations", "1", id="annotations-1"),
        pytest.param("annotations", "2001-12-14", id="annotations-date"),
        pytest.param("labels", "", id="labels-empty"),
    ],
)
def test_option_keys_that_read_as_non_strings_are_refused(field: str, key: str) -> None:
    """kustomize writes generated labels and annotations plain and fails on such keys (a
    kustomization's unquoted ``y``, ``n``, ``yes``, ``on`` arrive here as ``true``/``false``)."""
    entries = ((key, "v"),)
    options = (
        GeneratorOptions(labels=entries)
        if field == "labels"
        else GeneratorOptions(annotations=entries)
    )
    with pytest.raises(GeneratorError) as info:
        make_manifest(spec(options=options), [])
    assert str(info.value) == (
        f'{W}: options.{field}: key "{key}" reads as a number, boolean, null or date in YAML, '
        "and kustomize cannot build an object with such a key (json: unsupported type); rename "
        "it (YAML 1.1 reads an unquoted y, n, yes, on, off as a boolean)"
    )


def test_option_keys_kustomize_keeps_as_strings() -> None:
    options = GeneratorOptions(labels=(("n", "v"), ("yes", "w")), annotations=(("on", "x"),))
    metadata = make_manifest(spec(options=options), [])["metadata"]
    assert metadata == {"name": "s", "labels": {"n": "v", "yes": "w"}, "annotations": {"on": "x"}}


@pytest.mark.parametrize(
    ("old_pairs", "new_pairs", "expected"),
    [
        pytest.param([], [], None, id="both-empty-no-data"),
        pytest.param([], [Pair("b", b"2", "literals[0]")], {"b": "Mg=="}, id="new-only"),
        pytest.param([Pair("a", b"1", "literals[0]")], [], {"a": "MQ=="}, id="old-only"),
    ],
)
def test_merge_leaves_an_empty_data_map_out(
    old_pairs: list[Pair], new_pairs: list[Pair], expected: dict[str, str] | None
) -> None:
    """kyaml's ``SetDataMap`` clears ``data`` and writes it only when the merged map has keys,
    so merging two empty Secrets gives a Secret without ``data`` (not ``data: {}``)."""
    base = spec(name="creds")
    resources = [make_resource(base, old_pairs)]
    overlay = spec(name="creds", behavior="merge")
    add_generated(resources, IdIndex(resources), overlay, make_resource(overlay, new_pairs))
    assert resources[0].manifest.get("data") == expected
