"""kgen.yamlio: YAML → plain data exactly as kustomize v5.5.0 ends up with it.

Expected values were pinned from ``kubectl kustomize`` (Kustomize v5.5.0) runs; the
``test_differential_*`` test re-checks a table of them against the oracle when kubectl exists.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kgen import yamlio
from kgen.errors import LoadError
from kgen.yamlio import load_documents

HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
TAB_LED = (
    "a literal or folded block value that starts with a tab cannot be output by kustomize "
    "(it keeps the block style and fails to read it back: found a tab character where an "
    "indentation space is expected); write it double-quoted"
)


@pytest.fixture(autouse=True, params=["fast", "public"])
def parser_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on the fast path (ruamel's C module patched) and on the public path
    (ruamel's event classes, taken when the C module doesn't have the expected shape)."""
    if request.param == "public":
        monkeypatch.setattr(yamlio, "_FAST_EVENTS", False)
    return str(request.param)


def spec(body: str) -> Any:
    """Load ``HEAD`` + ``spec:`` + an indented body and return the spec value."""
    text = HEAD + "spec:\n" + "".join(f"  {line}\n" for line in body.splitlines())
    return load_documents(text.encode(), "r.yaml")[0]["spec"]


def value(text: str) -> Any:
    return spec(f"v: {text}")["v"]


def error(data: str | bytes, mode: yamlio.Mode = "resource") -> str:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(LoadError) as info:
        load_documents(raw, "secrets/db.yaml", mode)
    assert info.value.where == "secrets/db.yaml"
    return info.value.message


# ---------------------------------------------------------------------------------------------
# The parser


def test_c_parser_is_used() -> None:
    cls = yamlio._PARSER_CLASS
    module = sys.modules[cls.__module__]
    assert "_ruamel_yaml" in cls.__module__
    assert not getattr(module, "__file__", "x.so").endswith(".py")
    from ruamel.yaml.parser import Parser

    assert cls is not Parser


def test_only_yamlio_imports_ruamel() -> None:
    root = Path(yamlio.__file__).parent
    offenders = [
        p.name
        for p in root.glob("*.py")
        if p.name != "yamlio.py" and re.search(r"^\s*(from|import) ruamel", p.read_text(), re.M)
    ]
    assert offenders == []


EVENT_KINDS = {
    "ScalarEvent": yamlio._EV_SCALAR,
    "MappingStartEvent": yamlio._EV_COLLECTION_START,
    "SequenceStartEvent": yamlio._EV_COLLECTION_START,
    "MappingEndEvent": yamlio._EV_COLLECTION_END,
    "SequenceEndEvent": yamlio._EV_COLLECTION_END,
    "AliasEvent": yamlio._EV_ALIAS,
    "StreamStartEvent": yamlio._EV_START,
    "DocumentStartEvent": yamlio._EV_START,
    "DocumentEndEvent": yamlio._EV_END,
    "StreamEndEvent": yamlio._EV_END,
}


def _expected_tuple(event: Any) -> tuple[Any, ...]:
    """What the loader's tuple for one of ruamel's event objects must hold."""
    name = type(event).__name__
    head = (EVENT_KINDS[name], (event.start_mark.line, event.start_mark.column))
    if name == "ScalarEvent":
        return (*head, event.value, event.style, event.tag, event.anchor)
    if name in ("MappingStartEvent", "SequenceStartEvent"):
        return (*head, event.anchor, name == "MappingStartEvent", bool(event.flow_style))
    if name == "AliasEvent":
        return (*head, event.anchor)
    return head


def test_tuple_events_match_ruamel_events() -> None:
    """The loader's event tuples hold what ruamel's event objects do (every kind of event)."""
    text = (
        "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n--- !!map\n"
        "a: &x !e!t 'b'\n? \"c\"\n: [*x, {d: 1}, !!seq [], &m !!map {}]\n"
        "e: |\n  lit\nf: >-\n  folded\n<<: *m\n&k g: !!str 1\nh:\n- - i\n...\n---\nplain\n"
    )
    parser = yamlio._PARSER_CLASS(text)
    expected = [_expected_tuple(parser.get_event())]
    while expected[-1][0] != yamlio._EV_END or len(expected) < 3:
        expected.append(_expected_tuple(parser.get_event()))
    assert {t[0] for t in expected} == set(EVENT_KINDS.values())
    with yamlio._tuple_events():
        parser = yamlio._PARSER_CLASS(text)
        events = [parser.get_event() for _ in expected]
    assert [(e[0], (e[1].line, e[1].column), *e[2:]) for e in events] == expected


def test_public_path_makes_the_same_tuples() -> None:
    """The public path (ruamel's event objects turned into tuples) gives the fast path's."""
    text = yamlio._PROBE
    fast = []
    with yamlio._tuple_events():
        parser = yamlio._PARSER_CLASS(text)
        while parser.check_event():
            fast.append(parser.get_event())
    public = yamlio._c_events(text)
    events = [public.get_event() for _ in fast]
    assert [(e[0], e[1].line, e[1].column, *e[2:]) for e in events] == [
        (e[0], e[1].line, e[1].column, *e[2:]) for e in fast
    ]
    assert [e[0] for e in events][-2:] == [yamlio._EV_END, yamlio._EV_END]


def test_shape_check_accepts_the_pinned_ruamel() -> None:
    assert yamlio._tuple_events_work() is True


def _reordered_scalar_event(*args: Any) -> tuple[Any, ...]:
    anchor, tag, _, value, start, _, style = args
    return (yamlio._EV_SCALAR, start, style, value, tag, anchor)  # value and style swapped


@pytest.mark.parametrize("change", ["missing-class", "arguments-changed", "module-is-python"])
def test_shape_check_refuses_a_changed_c_module(
    change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = sys.modules[yamlio._PARSER_CLASS.__module__]
    if change == "missing-class":
        monkeypatch.delattr(module, "AliasEvent")
    elif change == "arguments-changed":
        monkeypatch.setitem(yamlio._TUPLE_EVENTS, "ScalarEvent", _reordered_scalar_event)
    else:
        monkeypatch.setattr(module, "__file__", "/site-packages/ruamel/yaml/_ruamel_yaml.py")
    assert yamlio._tuple_events_work() is False
    assert yamlio._saved_events == {}


def test_public_path_does_not_patch_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "_FAST_EVENTS", False)
    seen: list[Any] = []
    module = sys.modules[yamlio._PARSER_CLASS.__module__]
    original = module.ScalarEvent

    def spy(*args: Any) -> Any:
        seen.append(args[3])
        return original(*args)

    monkeypatch.setattr(module, "ScalarEvent", spy)
    assert load_documents(b"a: [b, 'c']\n", "r.yaml") == [{"a": ["b", "c"]}]
    assert seen == ["a", "b", "c"]


def _event_classes() -> dict[str, Any]:
    module = sys.modules[yamlio._PARSER_CLASS.__module__]
    return {name: getattr(module, name) for name in EVENT_KINDS}


def test_ruamel_event_classes_are_put_back() -> None:
    from ruamel.yaml import events

    originals = {name: getattr(events, name) for name in EVENT_KINDS}
    assert _event_classes() == originals
    load_documents(b"a: 1\n", "ok.yaml")
    load_documents(b"a: 1\n", "ok.yaml", "kustomization")
    assert _event_classes() == originals
    for data in (b"a: [\n", b"a: 1\na: 2\n", b"- 1\n"):
        with pytest.raises(LoadError):
            load_documents(data, "bad.yaml")
        assert _event_classes() == originals
    with yamlio._tuple_events():
        with yamlio._tuple_events():
            assert _event_classes() == yamlio._TUPLE_EVENTS
        assert _event_classes() == yamlio._TUPLE_EVENTS
    assert _event_classes() == originals


def test_concurrent_loads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    docs = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  n: {i}\n"
        for i in range(50)
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda d: yamlio.load_resource_documents(d.encode(), "c.yaml"), docs * 4)
        )
    for i, result in enumerate(results):
        [(document, texts)] = result
        assert document["metadata"]["name"] == f"c{i % 50}"
        assert document["data"] == {"n": i % 50}
        assert texts == {("data",): {"n": str(i % 50)}}
    assert yamlio._events_users == 0


@pytest.mark.parametrize(
    ("text", "resource", "kustomization"),
    [
        ("name", "name", "name"),
        ("nul", "nul", "nul"),
        ("nulls", "nulls", "nulls"),
        ("Null", None, None),
        ("n", "n", False),
        ("y", "y", True),
        ("Yes", "Yes", True),
        ("off", "off", False),
        ("~x", "~x", "~x"),
        ("~", None, None),
        ("x~", "x~", "x~"),
        ("tRue", "tRue", "tRue"),
        ("falsey", "falsey", "falsey"),
        ("<<x", "<<x", "<<x"),
        ("-x", "-x", "-x"),
        ("-1", -1, -1),
        (".x", ".x", ".x"),
        ("+1", 1, 1),
        ("o0", "o0", "o0"),
        ("2001-12-14", "2001-12-14T00:00:00Z", "2001-12-14"),
    ],
)
def test_plain_scalar_fast_path(text: str, resource: Any, kustomization: Any) -> None:
    """The loader's fast path takes plain scalars that start with no number character and are
    no bool/null word as strings; the others are resolved."""
    assert spec(f"v: {text}\nl: [{text}]\n") == {"v": resource, "l": [resource]}
    loaded = load_documents(f"v: {text}\nl: [{text}]\n".encode(), "k.yaml", "kustomization")
    assert loaded == [{"v": kustomization, "l": [kustomization]}]
    if resource == text:
        assert spec(f"{text}: 1") == {text: 1}
    if kustomization == text:
        assert load_documents(f"{text}: 1".encode(), "k.yaml", "kustomization") == [{text: 1}]


# ---------------------------------------------------------------------------------------------
# Resource mode: scalar resolution (goyaml.v3) + JSON round trip, pinned from kubectl

SCALARS: list[tuple[str, str, Any]] = [
    ("bool-true", "true", True),
    ("bool-True", "True", True),
    ("bool-TRUE", "TRUE", True),
    ("bool-mixed-is-str", "tRUE", "tRUE"),
    ("bool-False", "False", False),
    ("yes-is-str", "yes", "yes"),
    ("on-is-str", "on", "on"),
    ("y-is-str", "y", "y"),
    ("off-is-str", "off", "off"),
    ("no-is-str", "no", "no"),
    ("tilde", "~", None),
    ("null", "null", None),
    ("Null", "Null", None),
    ("NULL", "NULL", None),
    ("nULL-is-str", "nULL", "nULL"),
    ("empty", "", None),
    ("legacy-octal", "0777", 511),
    ("octal-0o", "0o17", 15),
    ("octal-0O", "0O17", 15),
    ("hex", "0x1F", 31),
    ("hex-upper", "0X1F", 31),
    ("neg-hex", "-0x1F", -31),
    ("binary", "0b101", 5),
    ("neg-binary", "-0b101", -5),
    ("plus", "+1", 1),
    ("underscore", "1_000", 1000),
    ("double-underscore", "1__0", 10),
    ("trailing-underscore", "1_", 1),
    ("leading-underscore-is-str", "_1", "_1"),
    ("hex-underscore", "0x_1F", 31),
    ("bad-octal-is-float", "08", 8),
    ("bad-octal-fraction", "09.5", 9.5),
    ("zero-zero", "00", 0),
    ("minus-zero", "-0", 0),
    ("int64-max", "9223372036854775807", 9223372036854775807),
    ("uint64", "9223372036854775808", 9223372036854775808),
    ("uint64-max", "18446744073709551615", 18446744073709551615),
    ("hex-uint64-max", "0xFFFFFFFFFFFFFFFF", 18446744073709551615),
    ("above-uint64-float", "18446744073709551616", 1.8446744073709552e19),
    ("int64-min", "-9223372036854775808", -9223372036854775808),
    ("below-int64-float", "-9223372036854775809", -9.223372036854776e18),
    ("huge-int-float", "123456789012345678901234567890", 1.2345678901234568e29),
    ("huge-hex-is-str", "0x1_0000_0000_0000_0000", "0x1_0000_0000_0000_0000"),
    ("base60-is-str", "1:20", "1:20"),
    ("comma-is-str", "1,000", "1,000"),
    ("exp", "1e3", 1000),
    ("exp-upper", "1E3", 1000),
    ("exp-plus", "1e+3", 1000),
    ("dot-exp", "1.e3", 1000),
    ("dot-five", ".5", 0.5),
    ("minus-dot-five", "-.5", -0.5),
    ("plus-dot-five", "+.5", 0.5),
    ("dot-exp-float", ".5e3", 500),
    ("one-dot", "1.", 1),
    ("float-exp", "1.5e3", 1500),
    ("1e21", "1e21", 1e21),
    ("non-integral", "1234567.5", 1234567.5),
    ("small", "0.00001", 1e-05),
    ("neg-zero", "-0.0", 0),
    ("one-point-zero", "1.0", 1),
    ("overflow-is-str", "1e400", "1e400"),
    ("underflow-zero", "1e-400", 0),
    ("float-underscore", "1.5_0", 1.5),
    ("float-underscore-int-part", "1_0.5", 10.5),
    ("dot-underscore", ".5_0", 0.5),
    ("dot-leading-underscore-is-str", "._5", "._5"),
    ("hex-float-is-str", "0x1p3", "0x1p3"),
    ("dangling-exp-is-str", "12e", "12e"),
    ("1e20", "100000000000000000000.0", 1e20),
    ("2.5e20", "2.5e20", 2.5e20),
    ("point-one", "0.1", 0.1),
    ("date", "2024-01-15", "2024-01-15T00:00:00Z"),
    ("datetime-space", "2001-12-14 21:59:43.10", "2001-12-14T21:59:43.1Z"),
    ("datetime-offset", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.1-05:00"),
    ("datetime-Z", "2001-12-14T21:59:43Z", "2001-12-14T21:59:43Z"),
    ("datetime-no-zone-is-str", "2001-12-14T21:59:43", "2001-12-14T21:59:43"),
    ("date-short-fields", "2001-1-2", "2001-01-02T00:00:00Z"),
    ("yaml-spec-example-is-str", "2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"),
    ("feb-30-is-str", "2001-02-30", "2001-02-30"),
    ("nanos-truncated", "2001-12-14T21:59:43.1234567891Z", "2001-12-14T21:59:43.123456789Z"),
    ("many-spaces", "2001-12-14   21:59:43", "2001-12-14T21:59:43Z"),
    ("offset-60-min", "2001-12-14T21:59:43+05:60", "2001-12-14T21:59:43+06:00"),
    ("comma-fraction", "2001-12-14T21:59:43,5Z", "2001-12-14T21:59:43.5Z"),
    ("zero-fraction", "2001-12-14T21:59:43.000Z", "2001-12-14T21:59:43Z"),
    ("leap-day", "2000-02-29", "2000-02-29T00:00:00Z"),
    ("year-zero", "0000-01-01", "0000-01-01T00:00:00Z"),
    ("hour-24-is-str", "2001-12-14T24:00:00Z", "2001-12-14T24:00:00Z"),
    ("plus-zero-is-Z", "2001-12-14T21:59:43+00:00", "2001-12-14T21:59:43Z"),
    ("single-digit-time", "2001-12-14T1:2:3Z", "2001-12-14T01:02:03Z"),
    ("no-seconds-is-str", "2001-12-14 21:59", "2001-12-14 21:59"),
    ("five-digit-year-is-str", "20011-12-14", "20011-12-14"),
    ("half-hour-offset", "2001-12-14T21:59:43.5+01:30", "2001-12-14T21:59:43.5+01:30"),
    ("lower-z-is-str", "2001-12-14T21:59:43z", "2001-12-14T21:59:43z"),
    ("second-60-is-str", "2001-12-14T21:59:60Z", "2001-12-14T21:59:60Z"),
    ("quoted-date", '"2024-01-15"', "2024-01-15"),
    ("quoted-int", '"1"', "1"),
    ("single-quoted-bool", "'true'", "true"),
    ("tag-str", "!!str 123", "123"),
    ("tag-int-quoted", '!!int "12"', 12),
    ("custom-tag-int", "!foo 123", "123"),
    ("custom-tag-bool", "!foo true", "true"),
    ("bang-plain-resolves", "! 12", 12),
    ("bang-quoted-str", '! "12"', "12"),
    ("binary", "!!binary aGVsbG8=", "hello"),
    ("binary-invalid-utf8", "!!binary /w==", "\ufffd"),
    ("tag-float-int", "!!float 3", 3),
    ("tag-bool-quoted", '!!bool "true"', True),
    ("tag-null-empty", '!!null ""', None),
    ("tag-timestamp", "!!timestamp 2001-12-14", "2001-12-14T00:00:00Z"),
    ("tag-timestamp-quoted", '!!timestamp "2001-12-14"', "2001-12-14T00:00:00Z"),
    ("tag-str-date", "!!str 2001-12-14", "2001-12-14"),
    ("tag-float-quoted-exp", '!!float "1e3"', 1000),
    ("tag-int-hex", "!!int 0x1F", 31),
    ("tag-str-bool", "!!str true", "true"),
    ("verbatim-tag", "!<tag:yaml.org,2002:int> 7", 7),
    ("custom-tag-map", "!foo {a: 1}", {"a": 1}),
    ("custom-tag-seq", "!foo [1, 2]", [1, 2]),
    ("merge-as-value", "<<", "<<"),
    ("c0-escapes", r'"a\0b\eb\x01"', "a\x00b\x1bb\x01"),
    ("bom-in-value", '"\\uFEFFab"', "\ufeffab"),
    ("line-separator-kept", r'"a\u2028b"', "a\u2028b"),
    # kustomize folds U+0085 like a line break (data loss); kgen keeps it.
    ("nel-kept", r'"a\x85b"', "a\x85b"),
    ("nel-kept-with-spaces", r'"a \x85\x85 b\n"', "a \x85\x85 b\n"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in SCALARS], ids=[i for i, _, _ in SCALARS]
)
def test_resource_scalars(text: str, expected: Any) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


# Beyond uint64 an integer is a string (kustomize writes it plain), even past the 4,300 digits
# Python's int() refuses to read; 0-led digits are an octal that fits (kept out of SCALARS,
# which the differential test reads back with int()).
LONG_NUMBERS = [
    ("int-4301-digits", "1" * 4301, "1" * 4301),
    ("int-4301-negative", "-" + "1" * 4301, "-" + "1" * 4301),
    ("int-4301-hex", "0x" + "f" * 4301, "0x" + "f" * 4301),
    ("int-4301-octal", "0o" + "7" * 4301, "0o" + "7" * 4301),
    ("int-leading-zeros", "0" * 5000 + "17", 15),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in LONG_NUMBERS], ids=[i for i, _, _ in LONG_NUMBERS]
)
def test_long_numbers(text: str, expected: Any) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


def test_integral_float_beyond_2_53_keeps_go_digits() -> None:
    # Go prints the shortest digits padded with zeros, goyaml.v2 re-reads an int.
    assert value("9223372036854775808.0") == 9223372036854776000
    assert yamlio.json_float(2.0**63) == 9223372036854776000
    assert yamlio.json_float(2.0**64) == 2.0**64


def test_anchor_alias_block_scalars_and_mappings() -> None:
    data = spec(
        "defaults: &d\n  retries: 3\n  timeout: 10s\n"
        "copy: *d\n"
        "literalKeep: |+\n  line one\n\n"
        "literalStrip: |-\n  first\n  second\n"
        "folded: >\n  folded lines\n  become one line\n"
        "emptyMap: {}\nemptyList: []\n"
        'list: [1, "2", true, "false"]'
    )
    assert data == {
        "defaults": {"retries": 3, "timeout": "10s"},
        "copy": {"retries": 3, "timeout": "10s"},
        "literalKeep": "line one\n\n",
        "literalStrip": "first\nsecond",
        "folded": "folded lines become one line\n",
        "emptyMap": {},
        "emptyList": [],
        "list": [1, "2", True, "false"],
    }
    assert data["copy"] is not data["defaults"]  # aliases are copies


def test_alias_redefinition_and_alias_keys() -> None:
    assert spec('a: &x "1"\nb: &x "2"\nc: *x') == {"a": "1", "b": "2", "c": "2"}
    assert spec('a: &x "1"\n*x : "2"') == {"a": "1", "1": "2"}


# ---------------------------------------------------------------------------------------------
# Merge keys (kyaml DeAnchor semantics)

MERGES: list[tuple[str, str, Any]] = [
    (
        "list-earlier-wins-own-wins",
        'x1: &a {p: "1", q: "2"}\nx2: &b {q: "3", r: "4"}\nd:\n  <<: [*a, *b]\n  r: own',
        {"r": "own", "q": "2", "p": "1"},
    ),
    ("own-before-merge-wins", 'd:\n  a: "1"\n  <<: {a: "2", b: "3"}', {"a": "1", "b": "3"}),
    ("nested-merge", 'd:\n  <<: {a: "1", <<: {b: "2"}}', {"a": "1", "b": "2"}),
    ("tagged-merge", 'd:\n  !!merge "<<": {a: "2"}', {"a": "2"}),
    ("quoted-lt-dropped", 'd:\n  "<<": x\n  b: y', {"b": "y"}),
    ("quoted-lt-before-merge-dropped", 'd:\n  "<<": q\n  <<: {a: "1"}', {"a": "1"}),
    ("quoted-lt-after-merge-kept", 'd:\n  <<: {a: "1"}\n  "<<": q', {"<<": "q", "a": "1"}),
    ("empty-merge-list", "d:\n  <<: []\n  a: 1", {"a": 1}),
]


@pytest.mark.parametrize(
    ("body", "expected"), [(b, e) for _, b, e in MERGES], ids=[i for i, _, _ in MERGES]
)
def test_merge_keys(body: str, expected: Any) -> None:
    got = spec(body)["d"]
    assert got == expected
    assert list(got) == list(expected)


# ---------------------------------------------------------------------------------------------
# A ':' inside plain scalars of flow collections (libyaml 0.1.7 refuses it, goyaml does not)

FLOW_COLONS: list[tuple[str, str, Any]] = [
    ("url-in-sequence", "[--upstream=http://backend:8080]", ["--upstream=http://backend:8080"]),
    ("url-in-mapping", "{a: http://x:1}", {"a": "http://x:1"}),
    ("colon-key", "{x:1: 2}", {"x:1": 2}),
    ("pair-in-sequence", "[a:b, c: d]", ["a:b", {"c": "d"}]),
    ("trailing-colon", "[a:]", ["a:"]),
    ("trailing-colon-key", "{a:, b}", {"a:": "", "b": ""}),
    ("number-like", "[1:2, 0x1F, yes, ~, 1.5, 2001-01-01]", ["1:2", 31, "yes", None, 1.5,
                                                              "2001-01-01T00:00:00Z"]),
    ("space-before-colon", "[a :b]", ["a :b"]),
    ("colon-then-comment", "[a:#x\n    ]", ["a:#x"]),
    ("multi-line", "[\n    a:b,\n    c:d\n  ]", ["a:b", "c:d"]),
    ("anchors", "{x: &a http://a:1, y: *a, z: [&b q:r, *b]}",
     {"x": "http://a:1", "y": "http://a:1", "z": ["q:r", "q:r"]}),
    ("tagged", "!!str [x:y]", ["x:y"]),
    ("nested", "[a: b:c, {d: [e:f]}]", [{"a": "b:c"}, {"d": ["e:f"]}]),
    ("json-like-keys", '[b:c, "x":y, {"u":v}]', ["b:c", {"x": "y"}, {"u": "v"}]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in FLOW_COLONS], ids=[i for i, _, _ in FLOW_COLONS]
)
def test_colon_in_flow_plain_scalars(text: str, expected: Any) -> None:
    """Checked with kubectl kustomize (v5.5.0); files that don't need it stay on libyaml."""
    assert value(text) == expected


def test_colon_in_flow_with_tabs_after_keys() -> None:
    # The fallback parser skips tabs between tokens where libyaml does.
    assert spec("a: [x:y]\nt:\t[1]\nu: \tv\nw:\t{a: 1}") == {
        "a": ["x:y"],
        "t": [1],
        "u": "v",
        "w": {"a": 1},
    }


def test_colon_in_flow_kustomization() -> None:
    text = 'configMapGenerator:\n- name: g\n  literals: [u=http://h:80/p, "b=x:y", c=d:e]\n'
    assert load_documents(text.encode(), "k.yaml", "kustomization") == [
        {"configMapGenerator": [{"name": "g", "literals": ["u=http://h:80/p", "b=x:y", "c=d:e"]}]}
    ]


def test_colon_in_flow_only_its_piece_is_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    pure = yamlio._pure_events

    def spy(text: str) -> Any:
        calls.append(text)
        return pure(text)

    monkeypatch.setattr(yamlio, "_pure_events", spy)
    second = HEAD.replace("name: c", "name: d") + "spec: [a:b]\n"
    docs = load_documents((HEAD + "---\n" + second + "---\n" + HEAD).encode(), "r.yaml")
    assert [d["metadata"]["name"] for d in docs] == ["c", "d", "c"]
    assert docs[1]["spec"] == ["a:b"]
    assert calls == [second]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [x:y\n", ("invalid YAML at line 2, column 1: expected ',' or ']' (while "
         "parsing a flow sequence that starts at line 1, column 4)")),
        ("a: [b:c, :a]\n",  # kustomize: did not find expected node content
         "invalid YAML at line 1, column 10: expected the node content"),
        ("a: [x]\nb: c: d\n",
         "invalid YAML at line 2, column 5: mapping values are not allowed in this context"),
    ],
    ids=["unclosed", "colon-starts-a-node", "other-errors-from-libyaml"],
)  # fmt: skip
def test_colon_in_flow_errors(text: str, message: str) -> None:
    got = error(text)
    assert got == message


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in SCALARS], ids=[i for i, _, _ in SCALARS]
)
def test_pure_parser_reads_the_scalar_table_like_libyaml(
    text: str, expected: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlio, "_FAST_EVENTS", False)
    monkeypatch.setattr(yamlio, "_c_events", yamlio._pure_events)
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


# ---------------------------------------------------------------------------------------------
# Empty plain scalars in flow collections: kyaml writes them '' and reads back a string

EMPTY_IN_FLOW: list[tuple[str, str, Any]] = [
    ("key-only", "v: {b}", {"v": {"b": ""}}),
    ("empty-value", "v: {b: }", {"v": {"b": ""}}),
    ("pair-in-sequence", "v: [b: ]", {"v": [{"b": ""}]}),
    ("block-stays-null", "v:\nw: {x: 1}", {"v": None, "w": {"x": 1}}),
    ("tagged-stays-null", "v: {b: !!null }", {"v": {"b": None}}),
    ("null-word-stays-null", "v: {b: ~, c: null}", {"v": {"b": None, "c": None}}),
    ("block-inside-flow-value", "v: [{a: }, b]\nw:", {"v": [{"a": ""}, "b"], "w": None}),
    ("anchored-aliased-in-block", "v: {b: &y }\nc: *y", {"v": {"b": ""}, "c": None}),
    (  # an alias's copy is "" where it lands in a flow collection (kubectl kustomize v5.5.0)
        "aliased-in-flow-and-block",
        "k: [&z , *z]\nb: *z\nc: {d: *z}\ne:\n- *z",
        {"k": ["", ""], "b": None, "c": {"d": ""}, "e": [None]},
    ),
    ("empty-key", "v: {? }\nw: {a: 1, ? : 2}", {"v": {"": ""}, "w": {"a": 1, "": 2}}),
]


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b, e) for _, b, e in EMPTY_IN_FLOW],
    ids=[i for i, _, _ in EMPTY_IN_FLOW],
)
def test_empty_plain_scalar_in_flow_is_an_empty_string(body: str, expected: Any) -> None:
    assert spec(body) == expected


def test_empty_plain_scalar_in_flow_kustomization_is_null() -> None:
    assert load_documents(b"a: {b}\n", "k.yaml", "kustomization") == [{"a": {"b": None}}]


# ---------------------------------------------------------------------------------------------
# Folded block scalars: kustomize's goyaml.v3 round trip adds a line break before a
# more-indented or tab-led line (values pinned from kubectl kustomize v5.5.0)

FOLDED: list[tuple[str, str, str]] = [
    ("more-indented-middle", ">\n  one\n    more\n  two\n", "one\n\n  more\ntwo\n"),
    ("more-indented-end", ">\n  one\n  two\n    more\n", "one two\n\n  more\n"),
    ("more-indented-start", ">2\n    more\n  one\n\n  two\n", "  more\none two\n"),
    ("consecutive-more-indented", ">\n  one\n    more\n    more2\n  two\n",
     "one\n\n  more\n  more2\ntwo\n"),
    ("blank-then-more-indented", ">\n  one\n\n    more\n\n  two\n", "one\n\n\n  more\n\ntwo\n"),
    ("strip", ">-\n  one\n    more\n  two\n", "one\n\n  more\ntwo"),
    ("keep", ">+\n  one\n    more\n  two\n\n", "one\n\n  more\ntwo\n\n\n"),
    ("keep-single-line", ">+\n  one\n\n", "one\n\n\n"),
    ("clip-single-line", ">\n  one\n\n", "one\n"),
    ("strip-single-line", ">-\n  one\n", "one"),
    ("tab-led", ">\n  one\n  \tTab\n  two\n", "one\n\n\tTab\ntwo\n"),
    ("leading-blank-line", ">\n\n  one\n    more\n", "\none\n\n  more\n"),
    ("plain-folding-unchanged", ">\n  one\n  two\n\n  three\n", "one two\nthree\n"),
    ("space-before-break-unchanged", ">\n  one\n    more \n  two\n", "one\n  more \ntwo\n"),
    ("trailing-space-unchanged", ">-\n  one\n    more\n  two \n", "one\n  more\ntwo "),
    ("non-bmp-unchanged", ">\n  emoji \U0001f600\n    more\n", "emoji \U0001f600\n  more\n"),
    ("literal-unchanged", "|\n  one\n    more\n  two\n", "one\n  more\ntwo\n"),
    ("crlf", ">\r\n  one\r\n    more\r\n  two\r\n", "one\n\n  more\ntwo\n"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in FOLDED], ids=[i for i, _, _ in FOLDED]
)
def test_folded_block_scalars(text: str, expected: str) -> None:
    body = "data:\n  a: " + text.replace("\n  ", "\n    ")
    data = (HEAD.replace("\n", "\r\n") if "\r" in text else HEAD) + body
    assert load_documents(data.encode(), "r.yaml")[0]["data"]["a"] == expected


TAB_LED_KEPT = [
    ("leading-blank-line", "|-2\n\n    \tx\n    y\n", "\n\tx\ny"),
    ("trailing-space", "|-2\n    \tx \n    y\n", "\tx \ny"),
    ("space-before-break", "|-2\n    \tx  \n", "\tx  "),
    ("tab-later", "|\n    x\n    \ty\n", "x\n\ty\n"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [(t, e) for _, t, e in TAB_LED_KEPT],
    ids=[i for i, _, _ in TAB_LED_KEPT],
)
def test_tab_led_blocks_kustomize_writes_quoted_load(text: str, expected: str) -> None:
    data = HEAD + "data:\n  a: " + text
    assert load_documents(data.encode(), "r.yaml")[0]["data"]["a"] == expected


def test_tab_led_block_in_a_kustomization_loads() -> None:
    text = "literals:\n- |2\n  \ta=b\n"
    assert load_documents(text.encode(), "k.yaml", "kustomization") == [{"literals": ["\ta=b\n"]}]


def test_folded_block_scalars_in_sequences_and_anchors() -> None:
    got = spec("a:\n- &f >\n  one\n    more\n- *f\nb: *f")
    assert got == {"a": ["one\n\n  more\n", "one\n\n  more\n"], "b": "one\n\n  more\n"}


def test_folded_block_scalars_in_kustomization_mode_are_read_as_written() -> None:
    text = "literals:\n- >\n  a=one\n    more\n  two\n"
    assert load_documents(text.encode(), "k.yaml", "kustomization") == [
        {"literals": ["a=one\n  more\ntwo\n"]}
    ]


def test_folded_data_value_has_no_source_text() -> None:
    [(_, texts)] = yamlio.load_resource_documents(
        (HEAD + "data:\n  a: >\n    one\n      more\n").encode(), "r.yaml"
    )
    assert texts == {}


# ---------------------------------------------------------------------------------------------
# Documents

DOCS: list[tuple[str, str, list[str]]] = [
    ("two", HEAD + "---\n" + HEAD.replace("name: c", "name: d"), ["c", "d"]),
    ("leading-separator", "---\n" + HEAD, ["c"]),
    ("separator-comment", HEAD + "--- # hi\n" + HEAD.replace("name: c", "name: d"), ["c", "d"]),
    ("separator-trailing-space", "--- \n" + HEAD, ["c"]),
    ("empty-and-null-docs", HEAD + "---\n---\n# only comment\n---\n~\n---\n" + HEAD, ["c", "c"]),
    ("dots-end-rest-ignored", HEAD + "...\n" + HEAD.replace("name: c", "name: d"), ["c"]),
    ("bom-each-doc", "\ufeff" + HEAD + "---\n\ufeff" + HEAD, ["c", "c"]),
    ("crlf", (HEAD + "---\n" + HEAD).replace("\n", "\r\n"), ["c", "c"]),
    ("empty-file", "", []),
    ("only-comments", "# nothing\n", []),
]


@pytest.mark.parametrize(
    ("text", "names"), [(t, n) for _, t, n in DOCS], ids=[i for i, _, _ in DOCS]
)
def test_documents(text: str, names: list[str]) -> None:
    docs = load_documents(text.encode(), "r.yaml")
    assert [d["metadata"]["name"] for d in docs] == names


def test_bom_inside_value_is_kept() -> None:
    assert value("\ufeffx") == "\ufeffx"


# ---------------------------------------------------------------------------------------------
# Errors: exact messages, never any file content

NOT_STR = "mapping key is not a string (kustomize fails: json: unsupported type); quote it"
NO_JSON = (
    "value is not representable in JSON (.inf/.nan; kustomize fails with json: unsupported value)"
)
CTRL = (
    "string contains a control character that kustomize cannot output "
    "(yaml: control characters are not allowed)"
)
WANT_MAP = "map merge requires map or sequence of maps as the value"
TZ24 = (
    "timestamp time zone hour outside of range [0,23] (not representable in JSON, kustomize fails)"
)

ERRORS: list[tuple[str, str | bytes, str]] = [
    (
        "dup-key",
        HEAD + "data:\n  a: x\n  a: y\n",
        'line 7, column 3: mapping key "a" already defined at line 6',
    ),
    (
        "dup-quoted",
        HEAD + 'data:\n  a: x\n  "a": y\n',
        'line 7, column 3: mapping key "a" already defined at line 6',
    ),
    (
        "dup-with-merge",
        HEAD + 'data:\n  a: "1"\n  <<: {a: "2"}\n  a: "4"\n',
        'line 8, column 3: mapping key "a" already defined at line 6',
    ),
    (
        "int-key",
        HEAD + "data:\n  1: x\n",
        f"line 6, column 3: {NOT_STR}",
    ),
    (
        "bool-key",
        HEAD + "data:\n  true: x\n",
        f"line 6, column 3: {NOT_STR}",
    ),
    (
        "null-key",
        HEAD + "data:\n  ~: x\n",
        f"line 6, column 3: {NOT_STR}",
    ),
    (
        "date-key",
        HEAD + "data:\n  2001-12-14: x\n",
        f"line 6, column 3: {NOT_STR}",
    ),
    (
        "custom-tag-key",
        HEAD + "data:\n  !foo k: x\n",
        f"line 6, column 3: {NOT_STR}",
    ),
    (
        "complex-key",
        HEAD + "data:\n  ? [a]\n  : x\n",
        "line 6, column 5: invalid map key: a mapping key must be a scalar",
    ),
    (
        "inf",
        HEAD + "data:\n  a: .inf\n",
        f"line 6, column 6: {NO_JSON}",
    ),
    (
        "nan",
        HEAD + "data:\n  a: .NaN\n",
        f"line 6, column 6: {NO_JSON}",
    ),
    (
        "tz-24h",
        HEAD + "data:\n  a: 2001-12-14T21:59:43+24:00\n",
        f"line 6, column 6: {TZ24}",
    ),
    (
        "bad-int-tag",
        HEAD + "data:\n  a: !!int s3cr3t\n",
        "line 6, column 6: cannot decode !!str as a !!int",
    ),
    (
        "bad-bool-tag",
        HEAD + "data:\n  a: !!bool 1\n",
        "line 6, column 6: cannot decode !!int as a !!bool",
    ),
    (
        "bad-binary",
        HEAD + "data:\n  a: !!binary s3cr3t!\n",
        "line 6, column 6: !!binary value contains invalid base64 data",
    ),
    (
        "del-char",
        HEAD + 'data:\n  a: "s3cr3t\\x7f"\n',
        f"line 6, column 6: {CTRL}",
    ),
    (
        "tab-led-literal",
        HEAD + "data:\n  a: |-2\n    \ts3cr3t\n    x\n",
        f"line 6, column 6: {TAB_LED}",
    ),
    (
        "tab-led-literal-one-line",
        HEAD + "data:\n  a: |2\n    \ts3cr3t\n",
        f"line 6, column 6: {TAB_LED}",
    ),
    (
        "tab-led-folded",
        HEAD + "spec:\n  a: >-2\n    \ts3cr3t\n    x\n",
        f"line 6, column 6: {TAB_LED}",
    ),
    (
        "del-char-annotation",
        HEAD + '  annotations:\n    a: "s3cr3t\\x7f"\n',
        f"line 6, column 8: {CTRL}",
    ),
    (
        "c1-char",
        HEAD + 'data:\n  a: "s3cr3t\\x9f"\n',
        f"line 6, column 6: {CTRL}",
    ),
    (
        "fffe",
        HEAD + 'data:\n  a: "s3cr3t\\uFFFE"\n',
        f"line 6, column 6: {CTRL}",
    ),
    (
        "nel-key",
        HEAD + 'data:\n  "k\\x85y": v\n',
        "line 6, column 3: mapping key contains U+0085 (kustomize fails)",
    ),
    (
        "dup-merge",
        HEAD + 'data:\n  <<: {a: "1"}\n  <<: {b: "2"}\n',
        "line 7, column 3: duplicate merge key",
    ),
    (
        "merge-scalar",
        HEAD + 'data:\n  <<: "s3cr3t"\n',
        f"line 6, column 3: {WANT_MAP}",
    ),
    (
        "merge-null",
        HEAD + "data:\n  <<:\n",
        f"line 6, column 3: {WANT_MAP}",
    ),
    (
        "merge-nested",
        HEAD + 'data:\n  <<: [[{a: "1"}]]\n',
        "line 6, column 3: invalid map merge: received a nested sequence",
    ),
    (
        "merge-alias-scalar",
        HEAD + "x: &s s3cr3t\ndata:\n  <<: *s\n",
        "line 7, column 3: invalid map merge: received alias for a non-map value",
    ),
    (
        "merge-seq-scalar",
        HEAD + 'data:\n  <<: [{a: "1"}, s3cr3t]\n',
        f"line 6, column 3: {WANT_MAP}",
    ),
    (
        "recursive-alias",
        HEAD + "data: &d\n  a: *d\n",
        "line 6, column 6: anchor value contains itself (an alias inside its own anchor)",
    ),
    ("unknown-anchor", HEAD + "data:\n  a: *nope\n", "line 6, column 6: unknown anchor referenced"),
    (
        "bad-separator",
        HEAD + "--- s3cr3t\n" + HEAD,
        "invalid document separator at line 5 (only a comment may follow ---)",
    ),
    ("not-a-mapping", HEAD + "---\n- s3cr3t\n", "the document starting at line 6 is not a mapping"),
    ("scalar-doc", "s3cr3t\n", "the document starting at line 1 is not a mapping"),
    (
        "malformed",
        HEAD + "data:\n  a: [s3cr3t\n",
        (
            "invalid YAML at line 7, column 1: did not find expected ',' or ']' "
            "(while parsing a flow sequence that starts at line 6, column 6)"
        ),
    ),
    (
        "mapping-values",
        "a: b: s3cr3t\n",
        "invalid YAML at line 1, column 5: mapping values are not allowed in this context",
    ),
    (
        "tab-indent",
        "a:\n\tb: s3cr3t\n",
        "invalid YAML at line 2, column 1: found character that cannot start any token",
    ),
    ("invalid-utf8", b"a: s3cr3t\nb: \xff\xfe\n", "file is not valid UTF-8 (line 2)"),
    (
        "nul",
        b"a: s3cr3t\x00\n",
        "file contains a control character that YAML does not allow (line 1, column 10)",
    ),
    ("utf16", "a: s3cr3t\n".encode("utf-16"), "file is not valid UTF-8 (line 1)"),
    (
        "raw-del",
        "a: s3cr3t\x7f\n",
        "file contains a control character that YAML does not allow (line 1, column 10)",
    ),
    (
        "line-offset-second-doc",
        HEAD + "---\n" + HEAD + "x: [s3cr3t\n",
        (
            "invalid YAML at line 11, column 1: did not find expected ',' or ']' "
            "(while parsing a flow sequence that starts at line 10, column 4)"
        ),
    ),
]


@pytest.mark.parametrize(
    ("data", "message"), [(d, m) for _, d, m in ERRORS], ids=[i for i, _, _ in ERRORS]
)
def test_errors(data: str | bytes, message: str) -> None:
    got = error(data)
    assert got == message
    assert "s3cr3t" not in got


def test_error_is_not_chained() -> None:
    with pytest.raises(LoadError) as info:
        load_documents(b"a: [s3cr3t\n", "x.yaml")
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__
    assert str(info.value).startswith("x.yaml: invalid YAML at line 2")


# ---------------------------------------------------------------------------------------------
# Limits against hostile input


def test_deep_flow_nesting_is_refused_not_crashing() -> None:
    n = 200_000  # ruamel's C composer segfaults at ~30,000
    message = error("a: " + "[" * n + "]" * n + "\n")
    assert message.endswith(f"nesting too deep (more than {yamlio.MAX_DEPTH} levels)")


def test_deep_block_nesting_is_refused() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(yamlio.MAX_DEPTH + 5)) + "  " * 300 + "x\n"
    assert "nesting too deep" in error(text)


def test_nesting_at_the_limit_is_fine() -> None:
    depth = yamlio.MAX_DEPTH - 1
    data = load_documents(("a: " + "[" * depth + "]" * depth).encode(), "r.yaml")
    node = data[0]["a"]
    for _ in range(depth - 1):
        node = node[0]
    assert node == []


def test_alias_adding_depth_is_refused() -> None:
    half = yamlio.MAX_DEPTH // 2 + 5
    text = "a: &a " + "[" * half + "]" * half + "\nb: " + "[" * half + "*a" + "]" * half + "\n"
    assert "nesting too deep" in error(text)


def test_billion_laughs() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    measured: list[int] = []
    real_measure = yamlio._measure

    def counting(value: Any) -> tuple[int, int]:
        size, height = real_measure(value)
        measured.append(size)
        return size, height

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "_measure", counting)
        assert error("\n".join(lines) + "\n").endswith("alias expansion too large")
    # Refused by a count, each anchor measured once: the work is bounded, however many levels
    # the bomb has (a timer here would measure the machine; speed is benchmarks/run.py's job).
    assert measured == [11, 111, 1111, 11111, 111111]


def _fanout(name: str, fives: int = 5) -> bytes:
    """A resource whose aliases expand to about 123,000 + 111,000 x ``fives`` nodes."""
    lines = [
        HEAD.replace("name: c", f"name: {name}") + "spec:",
        "  a: &a [" + ", ".join("n" * 10) + "]",
    ]
    for prev, cur in zip("abcd", "bcde", strict=True):
        lines.append(f"  {cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines.append("  f: [" + ", ".join(["*e"] * fives) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_budget_counts_parsed_and_expanded_nodes() -> None:
    budget = yamlio.Budget()
    load_documents(_fanout("one"), "one.yaml", budget=budget)
    assert (budget.parsed, budget.expanded) == (33, 678995)
    load_documents(b"a: 1\n", "k.yaml", "kustomization", budget)
    assert (budget.parsed, budget.expanded) == (36, 678995)


def test_alias_budget_is_per_build_not_per_file() -> None:
    for name in ("one", "two", "three"):  # each file alone is within the limits
        load_documents(_fanout(name), f"{name}.yaml")
    budget = yamlio.Budget()
    load_documents(_fanout("one"), "one.yaml", budget=budget)
    with pytest.raises(LoadError) as info:
        load_documents(_fanout("two"), "two.yaml", budget=budget)
    assert str(info.value) == "two.yaml: line 11, column 11: alias expansion too large"


def test_node_budget_is_per_build() -> None:
    budget = yamlio.Budget()
    budget.parsed = yamlio.MAX_NODES // yamlio.MAX_EXPANSION_RATIO  # a large build so far
    budget.expanded = yamlio.MAX_NODES - budget.parsed - 100_000
    with pytest.raises(LoadError) as info:
        load_documents(_fanout("one", fives=0), "one.yaml", budget=budget)
    assert str(info.value) == "one.yaml: line 10, column 38: alias expansion too large"


def test_budget_after_the_colon_fallback_counts_the_piece_once() -> None:
    budget = yamlio.Budget()
    load_documents(b"a: &x [x:y, b]\nb: *x\nc: *x\n", "r.yaml", budget=budget)
    assert (budget.parsed, budget.expanded) == (7, 6)  # as without the colon


def test_moderate_alias_use_is_fine() -> None:
    text = "base: &b {x: 1, y: [1, 2, 3]}\n" + "".join(f"k{i}: *b\n" for i in range(2000))
    data = load_documents(text.encode(), "r.yaml")[0]
    assert data["k1999"] == {"x": 1, "y": [1, 2, 3]}


# ---------------------------------------------------------------------------------------------
# Kustomization mode (sigs.k8s.io/yaml.Unmarshal → goyaml.v2, YAML 1.1)

KUST: list[tuple[str, str, Any]] = [
    ("y-is-bool", "namePrefix: y", {"namePrefix": True}),
    (
        "yes-no-on-off",
        "a: yes\nb: No\nc: on\nd: OFF\ne: n",
        {"a": True, "b": False, "c": True, "d": False, "e": False},
    ),
    ("true-variants", "a: True\nb: tRUE", {"a": True, "b": "tRUE"}),
    ("base60-is-str", "namePrefix: 1:20", {"namePrefix": "1:20"}),
    ("timestamp-stays-str", "namePrefix: 2001-12-14", {"namePrefix": "2001-12-14"}),
    ("bang-is-str", "namePrefix: ! 12", {"namePrefix": "12"}),
    ("float", "namePrefix: 1.5", {"namePrefix": 1.5}),
    (
        "ints",
        "a: 0777\nb: 0o17\nc: 0x1F\nd: 1e3\ne: [1.0, 2.5]",
        {"a": 511, "b": 15, "c": 31, "d": 1000, "e": [1, 2.5]},
    ),
    ("dup-last-wins", "namePrefix: a-\nnamePrefix: b-", {"namePrefix": "b-"}),
    ("merge-after-overrides", "namePrefix: own-\n<<: {namePrefix: m-}", {"namePrefix": "m-"}),
    ("merge-before-overridden", "<<: {namePrefix: m-}\nnamePrefix: own-", {"namePrefix": "own-"}),
    ("merge-list-earlier-wins", "<<: [{a: 1}, {a: 2, b: 3}]", {"a": 1, "b": 3}),
    ("only-first-document", "namePrefix: a-\n---\nfoo: [\n", {"namePrefix": "a-"}),
    (
        "non-string-keys-stringified",
        "a: {1: a, 1.5: b, true: c, 1e3: d, 0.1: e, 1e7: g, .inf: h, 0x1F: i}",
        {
            "a": {
                "1": "a",
                "1.5": "b",
                "true": "c",
                "1000": "d",
                "0.1": "e",
                "1e+07": "g",
                ".inf": "h",
                "31": "i",
            }
        },
    ),
    ("binary", "x: !!binary aGVsbG8=", {"x": "hello"}),
    ("null-value", "x: ~\nz:", {"x": None, "z": None}),
    ("y-key-is-true", "y: 1", {"true": 1}),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in KUST], ids=[i for i, _, _ in KUST]
)
def test_kustomization_mode(text: str, expected: Any) -> None:
    got = load_documents(text.encode(), "kustomization.yaml", "kustomization")
    assert got == [expected]
    assert json.dumps(got) == json.dumps([expected])  # bool vs int types too


@pytest.mark.parametrize(
    "text", ["", "# c\n", "~\n", "---\n"], ids=["empty", "comment", "null", "marker"]
)
def test_kustomization_empty(text: str) -> None:
    assert load_documents(text.encode(), "kustomization.yaml", "kustomization") == []


KUST_ERRORS: list[tuple[str, str, str]] = [
    ("null-key", "~: s3cr3t", "line 1, column 1: unsupported map key (null)"),
    (
        "inf",
        "a: .inf",
        f"line 1, column 4: {NO_JSON}",
    ),
    ("list", "- s3cr3t", "the kustomization is not a mapping"),
    (
        "merge-scalar",
        "<<: s3cr3t",
        f"line 1, column 1: {WANT_MAP}",
    ),
    (
        "uint-key",
        "18446744073709551615: s3cr3t",
        "line 1, column 1: unsupported map key (an integer above the int64 range)",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [(t, m) for _, t, m in KUST_ERRORS], ids=[i for i, _, _ in KUST_ERRORS]
)
def test_kustomization_errors(text: str, message: str) -> None:
    got = error(text, "kustomization")
    assert got == message
    assert "s3cr3t" not in got


@pytest.mark.parametrize(
    ("number", "text"),
    [(1.0, "1"), (1.5, "1.5"), (0.1, "0.1"), (1e3, "1000"), (1e6, "1e+06"),
     (123456.0, "123456"), (1234567.0, "1.234567e+06"), (1e-5, "1e-05"), (0.0001, "0.0001"),
     (16777217.0, "1.6777216e+07"), (-2.5, "-2.5"), (0.0, "0")],
)  # fmt: skip
def test_float32_g(number: float, text: str) -> None:
    assert yamlio._float32_g(number) == text


# ---------------------------------------------------------------------------------------------
# Source texts of data / binaryData values (what kustomize merges: kyaml GetDataMap)


def texts(text: str) -> list[yamlio.SourceTexts]:
    return [found for _, found in yamlio.load_resource_documents(text.encode(), "r.yaml")]


# (YAML value, its text as written) for the values whose loaded form differs; pinned with
# kubectl kustomize: a configMapGenerator merging into the object prints exactly the text.
DATA_TEXTS = [
    ("0.50", "0.50"),
    ("True", "True"),
    ("true", "true"),
    ("0o022", "0o022"),
    ("4", "4"),
    ("0x1F", "0x1F"),
    ("017", "017"),
    ("1e3", "1e3"),
    ("1_000", "1_000"),
    ("-0.0", "-0.0"),
    ("1.0", "1.0"),
    ("123456789012345678901234", "123456789012345678901234"),
    ("2024-05-01", "2024-05-01"),
    ("2024-5-1", "2024-5-1"),
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10"),
    ("!!float 1", "1"),
    ("!!int '12'", "12"),
    ("!!bool true", "true"),
    ("!!binary aGk=", "aGk="),
]


@pytest.mark.parametrize(("text", "written"), DATA_TEXTS, ids=[t for t, _ in DATA_TEXTS])
def test_source_text_of_data_value(text: str, written: str) -> None:
    found = texts(HEAD + f"data:\n  k: {text}\nbinaryData:\n  b: {text}\n")
    assert found == [{("data",): {"k": written}, ("binaryData",): {"b": written}}]


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        '"0.50"',
        "'~'",
        "!!str 0.50",
        "!foo 0.50",
        "|\n    0.50",
        "2024-05-01T10:00:00+02:00",  # loads as written
        "yes",  # a string to goyaml.v3
        "~",  # nulls: no text (kustomize merges them as "")
        "null",
        "NULL",
        "",
        "!!null ''",
        "{a: 1}",  # collections: no text (kustomize merges them as "")
        "[1, 2]",
    ],
)
def test_no_source_text_when_loaded_as_written_or_null(text: str) -> None:
    assert texts(HEAD + f"data:\n  k: {text}\n") == [{}]


def test_source_texts_only_for_data_and_binary_data_of_objects() -> None:
    text = (
        HEAD
        + "spec:\n  data: {a: 1}\n  items: [{data: {b: 2}}]\n"
        + "other: {data: {c: 3}}\nstringData: {d: 4}\nannotations: {e: 5}\n"
    )
    assert texts(text) == [{}]


def test_source_texts_of_list_items_at_any_depth() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- {kind: ConfigMap, data: {a: 1, s: x}}\n"
        "- kind: X\n  items:\n  - {binaryData: {c: 0.50}}\n"
        "  - {data: [1]}\n  - [{data: {d: 1}}]\n"
        "---\n" + HEAD + "data: {b: True}\n"
    )
    assert texts(text) == [
        {("items", 0, "data"): {"a": "1"}, ("items", 1, "items", 0, "binaryData"): {"c": "0.50"}},
        {("data",): {"b": "True"}},
    ]


def test_source_texts_through_anchors_and_merge_keys() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\n"
        "x: {s: &s 0.50, m: &m {k1: 1.0, k2: yes, k3: 0x10}}\n"
        "data:\n"
        "  a: *s\n"
        "  <<: [{k2: 2e0, k4: 07}, *m, {k3: ~, k5: !!binary aGk=}]\n"
        "  own: 1.50\n"
        "  k6: &t 017\n"
        "  k7: *t\n"
        "binaryData:\n"
        "  <<: *m\n"
        "  k1: x\n"
    )
    # kyaml DeAnchor: own keys win, then earlier merge sources over later ones.
    assert texts(text) == [
        {
            ("data",): {
                "a": "0.50",
                "own": "1.50",
                "k6": "017",
                "k7": "017",
                "k1": "1.0",
                "k2": "2e0",
                "k3": "0x10",
                "k4": "07",
                "k5": "aGk=",
            },
            ("binaryData",): {"k3": "0x10"},
        }
    ]


def test_source_texts_do_not_change_loaded_documents() -> None:
    text = HEAD + "data:\n  a: 0.50\n  b: &x {c: 1}\n  d: *x\n  e: 2024-05-01\n"
    [(document, found)] = yamlio.load_resource_documents(text.encode(), "r.yaml")
    assert document == load_documents(text.encode(), "r.yaml")[0]
    assert document["data"] == {"a": 0.5, "b": {"c": 1}, "d": {"c": 1}, "e": "2024-05-01T00:00:00Z"}
    assert found == {("data",): {"a": "0.50", "e": "2024-05-01"}}


KIND = "apiVersion: v1\nkind: ConfigMap\n"

# (YAML value, its text) in metadata.labels / annotations: kyaml's GetLabels/GetAnnotations
# read every value's text, nulls included, collections as "" (pinned with kubectl kustomize).
META_TEXTS = [
    ("8080", "8080"),
    ("010", "010"),
    ("0755", "0755"),
    ("1.50", "1.50"),
    ("1e-7", "1e-7"),
    ("true", "true"),
    ("", ""),
    ("~", "~"),
    ("null", "null"),
    ("{}", ""),
    ("[]", ""),
    ("{a: 1}", ""),
    ("!!binary aGVsbG8=", "aGVsbG8="),
    ("!!int 12", "12"),
    ("2024-01-01", "2024-01-01"),
    ("123456789012345678901234567890", "123456789012345678901234567890"),
]


@pytest.mark.parametrize(("text", "written"), META_TEXTS, ids=[t or "empty" for t, _ in META_TEXTS])
def test_source_text_of_label_and_annotation_values(text: str, written: str) -> None:
    found = texts(
        KIND + f"metadata:\n  name: c\n  labels:\n    k: {text}\n  annotations:\n    k: {text}\n"
    )
    field = {"k": written}
    assert found == [{("metadata", "labels"): field, ("metadata", "annotations"): field}]


def test_source_texts_of_metadata_maps_through_aliases() -> None:
    text = (
        "x: {n: &n , m: &m {a: 1}, s: &s 0.50}\n"
        "metadata:\n  name: c\n  annotations: {a: *n, b: *m, c: *s, d: plain}\n"
        "  labels: {e: *s}\n"
    )
    assert texts(KIND + text) == [
        {
            # (&n is "" in a flow mapping: loaded as its text, no text needed)
            ("metadata", "annotations"): {"b": "", "c": "0.50"},
            ("metadata", "labels"): {"e": "0.50"},
        }
    ]


def test_source_texts_of_metadata_maps_only_under_an_objects_metadata() -> None:
    text = "spec:\n  template:\n    metadata:\n      labels: {a: 1}\n      annotations: {b: 2}\n"
    assert texts(HEAD + text) == [{}]


@pytest.mark.parametrize("text", [".inf", "-.Inf", ".nan", "2001-12-14T21:59:43+25:00"], ids=str)
def test_annotation_without_a_json_value_loads_as_its_text(text: str) -> None:
    [(document, found)] = yamlio.load_resource_documents(
        (KIND + f"metadata:\n  name: c\n  annotations:\n    k: {text}\n").encode(), "r.yaml"
    )
    assert document["metadata"]["annotations"] == {"k": text}
    assert found == {}


def test_label_without_a_json_value_still_fails() -> None:
    text = KIND + "metadata:\n  name: c\n  labels: {k: .inf}\n"
    with pytest.raises(LoadError) as caught:
        yamlio.load_resource_documents(text.encode(), "r.yaml")
    assert str(caught.value) == (
        "r.yaml: line 5, column 15: value is not representable in JSON (.inf/.nan; kustomize "
        "fails with json: unsupported value)"
    )


def test_kustomization_mode_is_unaffected() -> None:
    got = load_documents(b"data: {a: 0.50}\nitems: [{data: {b: 1}}]\n", "k.yaml", "kustomization")
    assert got == [{"data": {"a": 0.5}, "items": [{"data": {"b": 1}}]}]


# ---------------------------------------------------------------------------------------------
# Performance


def test_many_documents_are_parsed_once_each() -> None:
    doc = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  labels: {{app: a}}\n"
        "spec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: main\n"
        '        image: "r/app:{i}"\n        ports:\n        - containerPort: 8080\n'
        "        env:\n        - name: MODE\n          value: production\n"
    )
    data = "---\n".join(doc.format(i=i) for i in range(2000)).encode()
    parsed: list[int] = []
    real_load_one = yamlio._load_one

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(text))
        return real_load_one(text, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "_load_one", counting)
        docs = load_documents(data, "big.yaml")
    assert len(docs) == 2000
    assert (
        docs[1999]["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 8080
    )
    # Each document is parsed once, on its own text: the work is linear in the file (its speed
    # is measured by benchmarks/run.py, not here).
    assert len(parsed) == 2000
    assert sum(parsed) + 4 * 1999 == len(data)


# ---------------------------------------------------------------------------------------------
# Differential test against the oracle (one kubectl call)

DIFF_VALUES = [
    t for _, t, _ in SCALARS if not t.startswith(("!foo {", "!foo [", '"', "'", "!!binary /w"))
] + ["9223372036854775808.0", "1e+300", "1.7976931348623157e308", "5e-324"]


def _kubectl_scalar(text: str) -> Any:
    """Interpret a one-line scalar as goyaml.v2 printed it (quoted → str; plain → typed)."""
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"[-+]?[0-9.]+(e[-+]?[0-9]+)?", text) and not text.endswith("."):
        number = float(text)
        return text if math.isinf(number) else number  # goyaml.v2: out of range → a string
    return text


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (the oracle) is not installed")
def test_differential_against_kubectl(tmp_path: Path) -> None:
    keys = [f"v{i:03d}" for i in range(len(DIFF_VALUES))]
    body = "".join(f"  {k}: {t}\n" for k, t in zip(keys, DIFF_VALUES, strict=True))
    resource = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n" + body
    (tmp_path / "r.yaml").write_text(resource)
    (tmp_path / "kustomization.yaml").write_text("resources:\n- r.yaml\n")
    out = subprocess.run(
        ["kubectl", "kustomize", str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout
    oracle: dict[str, Any] = {}
    for line in out.splitlines():
        found = re.fullmatch(r"  (v\d{3}): (.*)", line)
        if found:
            oracle[found.group(1)] = _kubectl_scalar(found.group(2))
    ours = load_documents(resource.encode(), "r.yaml")[0]["spec"]
    assert set(oracle) == set(keys)
    for key, text in zip(keys, DIFF_VALUES, strict=True):
        expected, got = oracle[key], ours[key]
        if isinstance(expected, float) and not isinstance(got, bool):
            assert isinstance(got, float), (text, got)
            assert math.isclose(got, expected, rel_tol=1e-15), (text, got, expected)
        else:
            assert got == expected, (text, got, expected)
            assert type(got) is type(expected), (text, got, expected)


def _shared_cases() -> Path:
    """The conformance cases in ``shared/`` beside the repository (or beside a directory
    holding it, as for a worktree); CI checks the repository out with ``../shared`` next to it."""
    repository = Path(__file__).resolve().parent.parent
    for directory in repository.parents:
        cases = directory / "shared" / "conformance" / "cases"
        if cases.is_dir():
            return cases
    return repository.parent / "shared" / "conformance" / "cases"


CASES = _shared_cases()


@pytest.mark.skipif(not CASES.is_dir(), reason="conformance cases not available")
def test_conformance_edge_values_round_trip() -> None:
    """Loading the input gives the same data as loading kustomize's output of it."""
    case = CASES / "25-yaml-edge-values"
    ours = load_documents((case / "resources.yaml").read_bytes(), "resources.yaml")
    theirs = load_documents((case / "expected.yaml").read_bytes(), "expected.yaml")
    assert ours == theirs
    assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
    spec_ = ours[1]["spec"]
    assert spec_["modeOwner"] == 256
    assert spec_["date"] == "2024-01-15T00:00:00Z"
    assert spec_["enabled"] == "on"
    assert spec_["copyOfDefaults"] == {"retries": 3, "timeout": "10s"}


@pytest.mark.skipif(not CASES.is_dir(), reason=f"conformance cases not found: {CASES}")
def test_conformance_inputs_load() -> None:
    """Every kustomization of the corpus loads as one mapping, and every expected output
    (kustomize's own) as Kubernetes objects."""
    kustomizations = 0
    outputs = 0
    for case in sorted(CASES.iterdir()):
        for path in sorted(case.rglob("kustomization.yaml")):
            documents = load_documents(path.read_bytes(), str(path), "kustomization")
            assert len(documents) == 1, path
            assert isinstance(documents[0], dict), path
            kustomizations += 1
        expected = case / "expected.yaml"
        if expected.is_file():
            objects = load_documents(expected.read_bytes(), str(expected))
            assert objects, expected
            for manifest in objects:
                assert isinstance(manifest.get("kind"), str), expected
                assert isinstance(manifest.get("metadata"), dict), expected
            outputs += 1
    assert kustomizations >= len(list(CASES.iterdir())) > 0
    assert outputs > 0


ROUND_TRIP_ERRORS = [
    pytest.param(
        "secretGenerator:\n- name: s\n  literals: [password=s3cr3t]\n  literals: [password=x]\n",
        "invalid YAML at line 4, column 3: found a duplicate key (while constructing a mapping "
        "that starts at line 2, column 3)",
        id="duplicate-key",
    ),
    pytest.param(
        "a: *s3cr3t\n", "invalid YAML at line 1, column 4: found undefined alias", id="alias"
    ),
    pytest.param(
        "a: !s3cr3t!x b\n",
        "invalid YAML at line 1, column 4: found undefined tag handle",
        id="tag-handle",
    ),
    pytest.param(
        "a: b\n\ts3cr3t: d\n",
        "invalid YAML at line 2, column 1: found character that cannot start any token",
        id="tab",
    ),
    pytest.param(
        'a: "x\\qs3cr3t"\n',
        "invalid YAML at line 1, column 7: found unknown escape character",
        id="escape",
    ),
    pytest.param(
        "a: [s3cr3t, y\n",
        "invalid YAML at line 2, column 1: expected ',' or ']' (while parsing a flow sequence "
        "that starts at line 1, column 4)",
        id="flow-sequence",
    ),
    pytest.param(
        "a: |s3cr3t\n  b\n",
        "invalid YAML at line 1, column 5: expected chomping or indentation indicators",
        id="block-indicator",
    ),
    pytest.param(
        "a: s3cr3t\n---\nc: d\n",
        "invalid YAML at line 2, column 1: but found another document (expected a single "
        "document in the stream that starts at line 1, column 1)",
        id="two-documents",
    ),
]


@pytest.mark.parametrize(("text", "message"), ROUND_TRIP_ERRORS)
def test_round_trip_errors_are_kgen_messages(text: str, message: str) -> None:
    with pytest.raises(LoadError) as info:
        yamlio.load_round_trip(text.encode(), "k.yaml")
    assert str(info.value) == f"k.yaml: {message}"


def test_round_trip_load_warns_nothing(recwarn: pytest.WarningsRecorder) -> None:
    document = yamlio.load_round_trip(b"a: &s3cr3t x\nb: &s3cr3t y\nc: 1e5\n", "k.yaml")
    assert list(document.data) == ["a", "b", "c"]
    assert len(recwarn) == 0


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param(
            'found duplicate key "k" with value "s3cr3t"', "found a duplicate key", id="dup"
        ),
        pytest.param("found undefined alias 's3cr3t'", "found undefined alias", id="alias"),
        pytest.param(
            "could not determine a constructor for the tag '!s3cr3t'",
            "found an unknown tag",
            id="tag",
        ),
        pytest.param(
            "unacceptable character #x0000: special characters are not allowed",
            "unacceptable character #x0000",
            id="unacceptable",
        ),
        pytest.param("expected ' ', but found 's'", "expected ' '", id="expected"),
        pytest.param("expected URI, but found ' '", "expected URI", id="expected-uri"),
        pytest.param("while scanning a plain scalar", "while scanning a plain scalar", id="words"),
        pytest.param(
            "did not find expected ',' or ']'", "did not find expected ',' or ']'", id="c"
        ),
        pytest.param("found 's3cr3t'", "", id="unknown-with-text"),
        pytest.param("mapping with s3cr3t: yes", "", id="unknown-with-colon"),
        pytest.param("x" * 121, "", id="too-long"),
        pytest.param(None, "", id="none"),
    ],
)
def test_parser_message(text: object, shown: str) -> None:
    assert yamlio.parser_message(text) == shown


# goyaml.v3 reads an empty value in a flow collection as "" (a !!set's members, {a: }, [&x ])
# and in a block collection as null (pinned with kubectl kustomize).
FLOW_EMPTIES = [
    ("set-member", "!!set {a, b}", {"a": "", "b": ""}),
    ("flow-colon-empty", "{a: , b: 1}", {"a": "", "b": 1}),
    ("flow-explicit-key", "{? a}", {"a": ""}),
    ("flow-quoted-keys", "{\"q\": , 'r'}", {"q": "", "r": ""}),
    ("flow-null-kept", "{a: null, b: ~, c: !!null }", {"a": None, "b": None, "c": None}),
    ("flow-seq-pairs", "[a: , ? b, {c}]", [{"a": ""}, {"b": ""}, {"c": ""}]),
    ("flow-seq-anchor-alias", "[&z , *z, !!str ]", ["", "", ""]),
    ("block-set-stays-null", "!!set\n    ? a\n    ? b", {"a": None, "b": None}),
    ("block-in-flow-parent", "{a: [x]}", {"a": ["x"]}),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in FLOW_EMPTIES], ids=[i for i, _, _ in FLOW_EMPTIES]
)
def test_empty_values_in_flow_collections(text: str, expected: Any) -> None:
    [document] = load_documents((HEAD + f"spec:\n  k: {text}\n  after:\n").encode(), "r.yaml")
    assert document["spec"] == {"k": expected, "after": None}


def test_empty_flow_values_stay_null_in_kustomization_mode() -> None:
    # sigs.k8s.io/yaml (goyaml.v2) reads them as null
    got = load_documents(b"a: {b: , c}\n", "k.yaml", "kustomization")
    assert got == [{"a": {"b": None, "c": None}}]


def test_go_unprintable_is_the_complement_of_goyamls_printable_set() -> None:
    every = "".join(map(chr, range(0x110000)))
    negated = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
    found = [m.start() for m in yamlio._GO_UNPRINTABLE.finditer(every)]
    assert found == [m.start() for m in negated.finditer(every)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # read as something else than a string by goyaml.v2 (kyaml IsYaml1_1NonString)
        ("yes", True),
        ("0o17", True),
        ("1.50", True),
        ("-.inf", True),
        (".NaN", True),
        ("~", True),
        ("#x", True),  # a comment: an empty document
        ("a: b", True),
        ("- x", True),
        ("&x", True),
        ("x:", True),
        ("---", True),
        # strings, or YAML goyaml.v2 cannot read (counted as strings)
        ("plain", False),
        (" lead", False),
        ("2001-12-14", False),  # a timestamp decodes to its text
        ("...", False),
        ("@x", False),
        ("*x", False),
        ("'x", False),
        ("x\ty", False),
        ("", False),
        ("yes\nno", False),  # several lines: never
    ],
)
def test_yaml11_non_string(text: str, expected: bool) -> None:
    assert yamlio.yaml11_non_string(text) is expected
