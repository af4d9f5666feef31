"""Tests for kgen.emit: goyaml.v2-exact YAML output as printed by ``kubectl kustomize``.

Pinned expectations were checked against ``kubectl kustomize`` (Kustomize v5.5.0); the
differential tests at the bottom re-check against the real binary when it is on PATH.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgen.emit import _key_less, emit_document, emit_stream, key_sort

# ----------------------------------------------------------------------------------------------
# Scalar styles (value position: "k: <value>")
# ----------------------------------------------------------------------------------------------

SCALAR_CASES: list[tuple[str, str, str]] = [
    # id, value, rendered
    ("plain-word", "hello", "hello"),
    ("plain-path", "/usr/bin:x", "/usr/bin:x"),
    ("plain-url", "http://x:80/a#b", "http://x:80/a#b"),
    ("plain-eq", "key=value", "key=value"),
    ("plain-unicode", "é", "é"),
    ("plain-nbsp", "\u00a0", "\u00a0"),
    ("plain-private-use", "\ue000", "\ue000"),
    ("plain-backslash", "a\\b", "a\\b"),
    ("plain-inner-quotes", "a'b", "a'b"),
    ("plain-inner-dquote", 'a"b', 'a"b'),
    ("plain-double-space", "a  b", "a  b"),
    ("plain-comma-space", "a, b", "a, b"),
    ("plain-inner-bracket", "a[b", "a[b"),
    ("plain-hash-no-space", "a#b", "a#b"),
    ("plain-colon-no-space", "x:y", "x:y"),
    ("plain-lead-colon", ":x", ":x"),
    ("plain-lead-dash", "-x", "-x"),
    ("plain-lead-question", "?x", "?x"),
    ("plain-double-dash", "--", "--"),
    ("plain-dot", ".", "."),
    ("plain-equals", "=", "="),
    ("plain-merge", "<<", "<<"),
    ("plain-underscore-num", "_1", "_1"),
    ("plain-1e", "1e", "1e"),
    ("plain-0x", "0x", "0x"),
    ("plain-0b2", "0b2", "0b2"),
    ("plain--0b-1", "-0b-1", "-0b-1"),
    ("plain-.Nan", ".Nan", ".Nan"),
    ("plain-inf", "inf", "inf"),
    ("plain-._5", "._5", "._5"),
    ("plain-.e3", ".e3", ".e3"),
    ("plain-version", "1.2.3", "1.2.3"),
    ("plain-float-overflow", "1e351200", "1e351200"),
    ("plain-float-overflow-2e308", "2e308", "2e308"),
    ("plain-hex-overflow", "0x10000000000000000", "0x10000000000000000"),
    ("plain-bad-month", "2001-13-14", "2001-13-14"),
    ("plain-bad-leap-day", "2001-02-29", "2001-02-29"),
    ("plain-bad-hour", "2001-12-14T25:00:00Z", "2001-12-14T25:00:00Z"),
    ("plain-bad-tz", "2001-12-14T21:59:43+25:00", "2001-12-14T21:59:43+25:00"),
    ("plain-base60-bad", "1:60", "1:60"),
    # resolves to a non-string -> double quotes
    ("dq-empty", "", '""'),
    ("dq-tilde", "~", '"~"'),
    ("dq-null", "null", '"null"'),
    ("dq-True", "True", '"True"'),
    ("dq-yes", "yes", '"yes"'),
    ("dq-No", "No", '"No"'),
    ("dq-on", "on", '"on"'),
    ("dq-OFF", "OFF", '"OFF"'),
    ("dq-y", "y", '"y"'),
    ("dq-N", "N", '"N"'),
    ("dq-int", "1", '"1"'),
    ("dq-neg", "-1", '"-1"'),
    ("dq-plus", "+1", '"+1"'),
    ("dq-octal", "007", '"007"'),
    ("dq-0777", "0777", '"0777"'),
    ("dq-08-float", "08", '"08"'),
    ("dq-float", "1.5", '"1.5"'),
    ("dq-exp", "1e3", '"1e3"'),
    ("dq-dot5", ".5", '".5"'),
    ("dq-1dot", "1.", '"1."'),
    ("dq-plusdot5", "+.5", '"+.5"'),
    ("dq-hex", "0x1F", '"0x1F"'),
    ("dq-hex-uint64", "0xFFFFFFFFFFFFFFFF", '"0xFFFFFFFFFFFFFFFF"'),
    ("dq-octal-o", "0o17", '"0o17"'),
    ("dq-binary", "0b101", '"0b101"'),
    ("dq-binary-signed", "0b-101", '"0b-101"'),
    ("dq-underscore", "1_000", '"1_000"'),
    ("dq-trailing-underscores", "1__", '"1__"'),
    ("dq-.inf", ".inf", '".inf"'),
    ("dq--.inf", "-.inf", '"-.inf"'),
    ("dq-.NaN", ".NaN", '".NaN"'),
    ("dq-.5_5", ".5_5", '".5_5"'),
    ("dq-.5e3_0", ".5e3_0", '".5e3_0"'),
    ("dq-int64-overflow", "9223372036854775808", '"9223372036854775808"'),
    ("dq-uint64-overflow", "18446744073709551616", '"18446744073709551616"'),
    ("dq-base60", "1:20", '"1:20"'),
    ("dq-base60-neg", "-1:20", '"-1:20"'),
    ("dq-base60-frac", "190:20:30.15", '"190:20:30.15"'),
    ("dq-date", "2001-12-14", '"2001-12-14"'),
    ("dq-date-short", "2001-1-1", '"2001-1-1"'),
    ("dq-leap-day", "2000-02-29", '"2000-02-29"'),
    ("dq-ts-lower-t", "2001-12-14t21:59:43.10Z", '"2001-12-14t21:59:43.10Z"'),
    ("dq-ts-offset", "2001-12-14T21:59:43.10+05:00", '"2001-12-14T21:59:43.10+05:00"'),
    ("dq-ts-offset-24", "2001-12-14T21:59:43+24:00", '"2001-12-14T21:59:43+24:00"'),
    ("dq-ts-spaces", "2001-12-14  21:59:43", '"2001-12-14  21:59:43"'),
    ("dq-ts-comma", "2001-12-14 21:59:43,5", '"2001-12-14 21:59:43,5"'),
    # emitter forbids plain -> single quotes
    ("sq-dots", "...", "'...'"),
    ("sq-dashes", "---", "'---'"),
    ("sq-dash", "-", "'-'"),
    ("sq-dash-space", "- x", "'- x'"),
    ("sq-question", "?", "'?'"),
    ("sq-question-space", "? x", "'? x'"),
    ("sq-colon", ":", "':'"),
    ("sq-colon-space", ": x", "': x'"),
    ("sq-trailing-colon", "x:", "'x:'"),
    ("sq-colon-inside", "x: y", "'x: y'"),
    ("sq-space-hash", "a #b", "'a #b'"),
    ("sq-hash", "#a", "'#a'"),
    ("sq-comma", ",a", "',a'"),
    ("sq-bracket", "[a", "'[a'"),
    ("sq-close-bracket", "]", "']'"),
    ("sq-brace", "{", "'{'"),
    ("sq-amp", "&a", "'&a'"),
    ("sq-star", "*a", "'*a'"),
    ("sq-bang", "!a", "'!a'"),
    ("sq-pipe", "|a", "'|a'"),
    ("sq-gt", ">a", "'>a'"),
    ("sq-quote", "'a", "'''a'"),
    ("sq-dquote", '"a', "'\"a'"),
    ("sq-percent", "%a", "'%a'"),
    ("sq-at", "@a", "'@a'"),
    ("sq-backtick", "`a", "'`a'"),
    ("sq-leading-space", " a", "' a'"),
    ("sq-trailing-space", "a ", "'a '"),
    ("sq-space", " ", "' '"),
    ("sq-date-trailing-space", "2001-12-14 ", "'2001-12-14 '"),
    # kgen deviates: goyaml.v2 writes LS/PS raw and YAML 1.1 readers fold them (data loss).
    ("dq-line-separator", "a\u2028b", '"a\\Lb"'),
    ("dq-paragraph-separator", "a\u2029b", '"a\\Pb"'),
    ("dq-next-line", "a\x85b", '"a\\Nb"'),
    # non-printable -> double quotes with escapes
    ("esc-tab", "a\tb", '"a\\tb"'),
    ("esc-cr", "a\rb", '"a\\rb"'),
    ("esc-soh", "a\x01b", '"a\\x01b"'),
    ("esc-nul", "\x00", '"\\0"'),
    ("esc-short", "\x07\x08\x0b\x0c\x1b", '"\\a\\b\\v\\f\\e"'),
    ("esc-quote-backslash", 'a"b\\c\t', '"a\\"b\\\\c\\t"'),
    ("esc-nel", "\x85", '"\\N"'),
    ("esc-del", "a\x7fb", '"a\\x7Fb"'),
    ("esc-ls-space", "a\u2028 b", '"a\\L b"'),
    ("esc-bom-alone", "\ufeff", '"\\uFEFF"'),
    ("esc-bom-inside", "a\ufeffb", '"a\\uFEFFb"'),
    ("esc-bom-leading", "\ufeffhello\n", '"\\uFEFF\\x68\\x65\\x6C\\x6C\\x6F\\n"'),
    ("esc-bom-leading-space", "\ufeffa b\u00e9", '"\\uFEFF\\x61\\x20\\x62\\xE9"'),
    ("esc-emoji", "\U0001f600", '"\\U0001F600"'),
    ("esc-emoji-text", "emoji \U0001f600 x", '"emoji \\U0001F600 x"'),
    ("esc-crlf-lines", "a\r\nb\r\n", '"a\\r\\nb\\r\\n"'),
    ("esc-trailing-space-lines", "trailing  \n", '"trailing  \\n"'),
    ("esc-space-before-break", "a \nb", '"a \\nb"'),
    ("esc-tab-lines", "a\tb\nc\n", '"a\\tb\\nc\\n"'),
    # literal blocks
    ("lit-strip", "a\nb", "|-\n  a\n  b"),
    ("lit-clip", "a\nb\n", "|\n  a\n  b\n"),
    ("lit-keep", "a\nb\n\n", "|+\n  a\n  b\n\n"),
    ("lit-newline", "\n", "|2+\n\n"),
    ("lit-newlines", "\n\n", "|2+\n\n\n"),
    ("lit-leading-newline", "\na", "|2-\n\n  a"),
    ("lit-leading-space", " a\nb", "|2-\n   a\n  b"),
    ("lit-indented-line", "a\n b", "|-\n  a\n   b"),
    ("lit-blank-line", "a\n\n b\n", "|\n  a\n\n   b\n"),
    ("dq-ls-multiline", "a\u2028b\nc\n", '"a\\Lb\\nc\\n"'),
]


@pytest.mark.parametrize(
    ("value", "rendered"), [c[1:] for c in SCALAR_CASES], ids=[c[0] for c in SCALAR_CASES]
)
def test_scalar_value(value: str, rendered: str) -> None:
    expected = f"k: {rendered}"
    if not expected.endswith("\n"):
        expected += "\n"
    assert emit_document({"k": value}) == expected


# Numbers beyond uint64 and float64 read as strings in YAML: written plain, even past the
# 4,300 digits Python's int() refuses to read (kept out of SCALAR_CASES: kustomize refuses keys
# that long, and the differential tests use them as keys).
LONG_NUMBERS = [
    ("int-21-digits-a-float", "1" * 21, '"' + "1" * 21 + '"'),
    ("int-uint64-max", "18446744073709551615", '"18446744073709551615"'),
    ("int-zeros-then-one", "0" * 5000 + "1", '"' + "0" * 5000 + '1"'),
    ("int-4301-digits", "1" * 4301, "1" * 4301),
    ("int-4301-digits-negative", "-" + "1" * 4301, "-" + "1" * 4301),
    ("int-4301-hex", "0x" + "f" * 4301, "0x" + "f" * 4301),
    ("int-4301-octal", "0" + "7" * 4301, "0" + "7" * 4301),
    ("int-4301-binary", "0b" + "1" * 4301, "0b" + "1" * 4301),
    ("float-4301-digits", "1" * 4301 + ".5", "1" * 4301 + ".5"),
]


@pytest.mark.parametrize(
    ("value", "rendered"), [c[1:] for c in LONG_NUMBERS], ids=[c[0] for c in LONG_NUMBERS]
)
def test_long_numbers(value: str, rendered: str) -> None:
    assert emit_document({"k": value}) == f"k: {rendered}\n"


def test_unicode_line_breaks_are_escaped_not_written_raw() -> None:
    # goyaml.v2 writes "x\ny<LS>" as a literal block with a raw LS that runs into the next key;
    # YAML 1.1 readers fold it. kgen keeps the value: double quotes with escapes.
    assert emit_document({"a": "x\ny\u2028", "b": "z"}) == 'a: "x\\ny\\L"\nb: z\n'


# ----------------------------------------------------------------------------------------------
# Keys
# ----------------------------------------------------------------------------------------------

KEY_CASES: list[tuple[str, str, str]] = [
    ("plain", "name", "name: v\n"),
    ("dotted", "app.kubernetes.io/name", "app.kubernetes.io/name: v\n"),
    ("y", "y", '"y": v\n'),
    ("n", "n", '"n": v\n'),
    ("empty", "", '"": v\n'),
    ("number", "1", '"1": v\n'),
    ("spaces", " sp ", "' sp ': v\n"),
    ("bad-key", "bad key!", "bad key!: v\n"),
    ("tab", "a\tb", '"a\\tb": v\n'),
    ("emoji", "\U0001f600", '"\\U0001F600": v\n'),
    ("multiline", "multi\nkey", "? |-\n  multi\n  key\n: v\n"),
    ("multiline-clip", "multi\nkey\n", "? |\n  multi\n  key\n: v\n"),
    ("cr-is-multiline", "cr\rkey", '? "cr\\rkey"\n: v\n'),
    ("line-separator", "ls\u2028key", '? "ls\\Lkey"\n: v\n'),
    ("long-128", "k" * 128, "k" * 128 + ": v\n"),
    ("long-129", "k" * 129, "? " + "k" * 129 + "\n: v\n"),
    ("long-utf8-bytes", "é" * 65, "? " + "é" * 65 + "\n: v\n"),
    ("utf8-64-chars", "é" * 64, "é" * 64 + ": v\n"),
    (
        "long-folded",
        "longkey " * 20,
        (
            "? 'longkey longkey longkey longkey longkey longkey longkey longkey longkey longkey\n"
            "  longkey longkey longkey longkey longkey longkey longkey longkey longkey longkey '\n"
            ": v\n"
        ),
    ),
]


@pytest.mark.parametrize(
    ("key", "expected"), [c[1:] for c in KEY_CASES], ids=[c[0] for c in KEY_CASES]
)
def test_key_rendering(key: str, expected: str) -> None:
    assert emit_document({key: "v"}) == expected


def test_simple_keys_are_never_folded() -> None:
    key = "word " * 25 + "end"  # 128 bytes
    assert len(key.encode()) == 128
    assert emit_document({key: "v"}) == f"{key}: v\n"


def test_complex_key_values() -> None:
    k = "k" * 130
    doc = {k: ["a", "b"], k + "1": {"x": 1, "y": []}, k + "2": {}}
    assert emit_document(doc) == (
        f'? {k}\n: - a\n  - b\n? {k}1\n: x: 1\n  "y": []\n? {k}2\n: {{}}\n'
    )


# ----------------------------------------------------------------------------------------------
# Key order
# ----------------------------------------------------------------------------------------------

FACTS_ORDER = [
    "_x",
    "A",
    "Z",
    "a-b",
    "a.b",
    "a_b",
    "a~",
    "a0",
    "a00",
    "a9",
    "a9b",
    "a09",
    "a10",
    "aB",
    "file2.txt",
    "file10.txt",
    "éa",
]

KEY_ORDER_CASES: list[tuple[str, list[str]]] = [
    ("facts-3.3", FACTS_ORDER),
    ("k8s-top-level", ["apiVersion", "data", "kind", "metadata"]),
    ("prefix-first", ["a", "aa", "aaa", "ab"]),
    ("numeric-runs", ["k1", "k2", "k10", "k20", "k100"]),
    ("digits-after-symbols", ["-a", ".a", "/a", "0a", "1a", "a"]),
    ("zero-continuation", ["a10", "a100", "a101"]),
    ("leading-zeros", ["0", "00", "000", "1", "01"]),
    ("upper-before-lower", ["B", "a", "b"]),
    ("non-letters-first", ["_", "1", "a", "é"]),
    ("int64-wrap", ["", "9223372036854775808", "1"]),
]


@pytest.mark.parametrize(
    "expected", [c[1] for c in KEY_ORDER_CASES], ids=[c[0] for c in KEY_ORDER_CASES]
)
def test_key_sort(expected: list[str]) -> None:
    for perm in (expected, expected[::-1], sorted(expected)):
        assert key_sort(perm) == expected


def test_int64_wrap_in_digit_run() -> None:
    # Digit runs are accumulated in an int64 and wrap like Go does.
    assert key_sort(["9223372036854775808", "", "1"]) == ["", "9223372036854775808", "1"]


def test_key_sort_cyclic_sets_are_deterministic() -> None:
    keys = ["k11", "k1é", "k9"]
    assert _key_less("k11", "k1é")
    assert _key_less("k1é", "k9")
    assert _key_less("k9", "k11")
    results = {tuple(key_sort(p)) for p in itertools.permutations(keys)}
    assert len(results) == 1


def test_key_sort_returns_fresh_list() -> None:
    first = key_sort(["b", "a"])
    first.append("zzz")
    assert key_sort(["b", "a"]) == ["a", "b"]


def test_mapping_keys_are_sorted_in_output() -> None:
    assert emit_document({"b": 1, "a10": 2, "a9": 3}) == "a9: 3\na10: 2\nb: 1\n"


# ----------------------------------------------------------------------------------------------
# Non-string scalars
# ----------------------------------------------------------------------------------------------

NUMBER_CASES: list[tuple[str, Any, str]] = [
    ("int", 5, "5"),
    ("negative", -42, "-42"),
    ("int64-max", 9223372036854775807, "9223372036854775807"),
    ("uint64-max", 18446744073709551615, "18446744073709551615"),
    ("bigint-as-float", 123456789012345678901234567890, "1.2345678901234568e+29"),
    ("float-integral", 1.0, "1"),
    ("float-1500", 1.5e3, "1500"),
    ("float-1e8", 100000000.0, "100000000"),
    ("float-neg-zero", -0.0, "0"),
    ("float-half", 0.5, "0.5"),
    ("float-1.5", 1.5, "1.5"),
    ("float-small", 0.00001, "1e-05"),
    ("float-1e-4", 0.0001, "0.0001"),
    ("float-exp6", 1234567.5, "1.2345675e+06"),
    ("float-exp5", 123456.5, "123456.5"),
    ("float-1e21", 1e21, "1e+21"),
    ("float-1e20", 1e20, "1e+20"),
    ("float-2^63", 2.0**63, "9223372036854776000"),
    ("float-2^64", 2.0**64, "1.8446744073709552e+19"),
    ("float-1.8e19", 1.8e19, "18000000000000000000"),
    ("float-denormal", 5e-324, "5e-324"),
    ("float-max", 1.7976931348623157e308, "1.7976931348623157e+308"),
    ("float-neg", -2.5e-7, "-2.5e-07"),
    ("true", True, "true"),
    ("false", False, "false"),
    ("null", None, "null"),
]


@pytest.mark.parametrize(
    ("value", "rendered"), [c[1:] for c in NUMBER_CASES], ids=[c[0] for c in NUMBER_CASES]
)
def test_non_string_scalars(value: Any, rendered: str) -> None:
    assert emit_document({"k": value}) == f"k: {rendered}\n"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_floats_rejected(value: float) -> None:
    with pytest.raises(ValueError, match="unsupported value"):
        emit_document({"k": value})


def test_bad_types_rejected() -> None:
    with pytest.raises(TypeError):
        emit_document({"k": object()})
    with pytest.raises(TypeError):
        emit_document({1: "v"})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        emit_document(["a"])  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------
# Structure
# ----------------------------------------------------------------------------------------------

DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "replicas": 2,
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx:1.25",
                        "ports": [{"containerPort": 80}],
                        "args": ["--a", "b"],
                        "env": [],
                        "resources": {},
                    }
                ]
            }
        },
    },
}

DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
      - args:
        - --a
        - b
        env: []
        image: nginx:1.25
        name: web
        ports:
        - containerPort: 80
        resources: {}
"""


def test_deployment_layout() -> None:
    assert emit_document(DEPLOYMENT) == DEPLOYMENT_YAML


def test_nested_sequences() -> None:
    doc = {"ll": [[1, 2], [], {}, {"a": [1]}, [[["x"]]], [{"a": 1, "b": 2}]]}
    assert emit_document(doc) == (
        "ll:\n- - 1\n  - 2\n- []\n- {}\n- a:\n  - 1\n- - - - x\n- - a: 1\n    b: 2\n"
    )


def test_block_scalar_in_sequence_and_nested_map() -> None:
    doc = {"a": {"b": ["x\ny\n", {"c": " lead\n"}]}}
    assert emit_document(doc) == "a:\n  b:\n  - |\n    x\n    y\n  - c: |2\n       lead\n"


def test_empty_document_and_stream() -> None:
    assert emit_document({}) == "{}\n"
    assert emit_stream([]) == ""
    assert emit_stream([{"a": 1}]) == "a: 1\n"
    assert emit_stream([{"a": 1}, {"b": "x\n"}, {"c": []}]) == "a: 1\n---\nb: |\n  x\n---\nc: []\n"


def test_tuple_and_mapping_inputs() -> None:
    from types import MappingProxyType

    assert emit_document(MappingProxyType({"a": ("x", "z")})) == "a:\n- x\n- z\n"


# ----------------------------------------------------------------------------------------------
# Line folding (width 80)
# ----------------------------------------------------------------------------------------------


def test_fold_plain() -> None:
    value = "word " * 30 + "end"
    assert emit_document({"m": {"fold": value}}) == (
        "m:\n"
        "  fold: word word word word word word word word word word word word word word word\n"
        "    word word word word word word word word word word word word word word word end\n"
    )


def test_fold_plain_long_word_then_spaces() -> None:
    assert emit_document({"m": {"plain": "a" * 85 + " b c"}}) == (
        "m:\n  plain: " + "a" * 85 + "\n    b c\n"
    )


def test_no_fold_without_spaces() -> None:
    value = "x" * 200
    assert emit_document({"k": value}) == f"k: {value}\n"


def test_fold_double_quoted() -> None:
    assert emit_document({"m": {"dq": "x " * 50 + "\t"}}) == (
        "m:\n"
        '  dq: "x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x\n'
        '    x x x x x x x x x x x x \\t"\n'
    )


def test_fold_double_quoted_escapes_following_space() -> None:
    assert emit_document({"m": {"dq2": "abc  " * 30 + "\t"}}) == (
        "m:\n"
        '  dq2: "abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc\n'
        '    \\ abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  abc  \\t"\n'
    )


def test_fold_single_quoted() -> None:
    assert emit_document({"m": {"sq": "it's " * 25 + "end:"}}) == (
        "m:\n"
        "  sq: 'it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s\n"
        "    it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s end:'\n"
    )


def test_fold_respects_nesting_indent() -> None:
    doc = {"a": {"b": ["w " * 45 + "z"]}}
    assert emit_document(doc) == (
        "a:\n"
        "  b:\n"
        "  - w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w\n"
        "    w w w w w w z\n"
    )


def test_literal_blocks_never_fold() -> None:
    line = "word " * 30 + "end"
    assert emit_document({"k": line + "\n"}) == f"k: |\n  {line}\n"


# ----------------------------------------------------------------------------------------------
# Differential tests against kubectl kustomize
# ----------------------------------------------------------------------------------------------

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl not on PATH")


def _yaml_dq(s: str) -> str:
    """A JSON-style double-quoted YAML scalar; non-ASCII and controls escaped."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= c < 0x7F:
            out.append(ch)
        elif c <= 0xFFFF:
            out.append(f"\\u{c:04X}")
        else:
            out.append(f"\\U{c:08X}")  # YAML only: JSON would need a surrogate pair
    out.append('"')
    return "".join(out)


def _flow(obj: Any) -> str:
    if isinstance(obj, str):
        return _yaml_dq(obj)
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_yaml_dq(k)}: {_flow(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(_flow(v) for v in obj) + "]"
    return json.dumps(obj)


def _kustomize(tmp: Path, obj: dict[str, Any]) -> str:
    assert KUBECTL is not None
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "kustomization.yaml").write_text("resources: [r.yaml]\n", encoding="utf-8")
    (tmp / "r.yaml").write_text(_flow(obj) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [KUBECTL, "kustomize", str(tmp)], capture_output=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def _kustomize_accepts(s: str) -> bool:
    """Values kustomize's input path rejects or rewrites (facts §2.6), plus the '<<' merge key."""
    if s.startswith("\t") and "\n" in s:
        return False
    # U+2028/U+2029 are not refused by kustomize, but it corrupts them (kgen escapes them).
    bad = ("\x7f", "\x85", "\u2028", "\u2029", "\ufffe", "\uffff")
    return not any(b in s for b in bad) and not any(0x80 <= ord(c) <= 0x9F for c in s)


def _acyclic(keys: Iterable[str]) -> bool:
    """Whether goyaml's Less is a strict total order on ``keys`` (then Go's order is unique)."""
    ks = list(keys)
    scores = sorted(sum(_key_less(a, b) for b in ks if b is not a) for a in ks)
    return scores == list(range(len(ks)))


def _acyclic_subset(keys: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for k in keys:
        if k not in kept and k != "<<" and _acyclic([*kept, k]):
            kept.append(k)
    return kept


def _configmap(data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm"},
        "data": data,
        **extra,
    }


def _roundtrip(obj: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(obj))
    assert loaded == obj
    return loaded


TRICKY_STRINGS = [c[1] for c in SCALAR_CASES] + [
    "a\nb\n\n",
    "word " * 40,
    " " + "word " * 40 + "x",
    "x" * 90 + " " + "y" * 10,
    "it's " * 30 + "#",
    "tab\t " * 30,
    "a" * 70 + "  b  " * 10,
    "k" * 200,
    "longkey " * 20,
    "\U0001f600 " * 50,
    "é" * 40 + " " + "é" * 40 + " é",
    "line1\nline2\u2029line3\n",
    "x\u2028" * 3 + "y",
]


@needs_kubectl
def test_differential_tricky_values(tmp_path: Path) -> None:
    values = [v for v in TRICKY_STRINGS if _kustomize_accepts(v)]
    obj = _roundtrip(
        _configmap(
            {f"k{i:03d}": v for i, v in enumerate(values)},
            list=values,
            nested={"a" * 50: {"b": values[:40]}},
        )
    )
    assert emit_stream([obj]) == _kustomize(tmp_path, obj)


@needs_kubectl
def test_differential_tricky_keys(tmp_path: Path) -> None:
    keys = _acyclic_subset(v for v in TRICKY_STRINGS if _kustomize_accepts(v))
    obj = _roundtrip(_configmap(dict.fromkeys(keys, "v")))
    assert emit_stream([obj]) == _kustomize(tmp_path, obj)


@needs_kubectl
def test_differential_structure_and_numbers(tmp_path: Path) -> None:
    numbers: list[Any] = [c[1] for c in NUMBER_CASES]
    obj = _roundtrip(
        {
            **DEPLOYMENT,
            "numbers": numbers,
            "nested": {"ll": [[1, 2], [], {}, {"a": [1]}, [[["x"]]], [{"a": 1, "b": "x\n"}]]},
            "complex": {"k" * 130: ["a"], "k" * 131: {"x": 1}, "m\nk": {"y": [1]}},
        }
    )
    second = _configmap({"a": "1"})
    assert emit_stream([obj, second]) == _kustomize(tmp_path, obj) + "---\n" + emit_document(second)


ALPHABET = st.sampled_from(
    [
        *" :#-'\"\\.,_?[]{}|>!&*%@`~=0123456789",
        *"abyneTNxYZ",
        "\n",
        "\n",
        "\t",
        "\r",
        "\x00",
        "\x1b",
        "é",
        "日",
        "\u00a0",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\U0001f600",
        " ",
        " ",
        "word",
        "1",
    ]
)
TEXT = st.lists(ALPHABET, max_size=40).map("".join) | st.lists(ALPHABET, max_size=200).map("".join)


@needs_kubectl
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(items=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=60))
def test_differential_property(tmp_path: Path, items: list[tuple[str, str]]) -> None:
    pairs = [(k, v) for k, v in items if _kustomize_accepts(k) and _kustomize_accepts(v)]
    keys = _acyclic_subset(k for k, _ in pairs)
    data = {k: v for k, v in pairs if k in keys}
    obj = _roundtrip(_configmap(data, values=[v for _, v in pairs]))
    assert emit_stream([obj]) == _kustomize(tmp_path, obj)


def test_huge_int_overflow_rejected() -> None:
    with pytest.raises(ValueError, match=r"\+Inf"):
        emit_document({"k": 10**400})
