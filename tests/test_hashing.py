from __future__ import annotations

from typing import Any

import pytest

from kgen.hashing import canonical_json, hash_suffix

CASES: list[Any] = [
    pytest.param(
        {"kind": "ConfigMap", "data": {"a": "hello", "b": "2"}},
        '{"data":{"a":"hello","b":"2"},"kind":"ConfigMap","name":""}',
        "dd5ftkt6gc",
        "khtg857f6f",
        id="configmap",
    ),
    pytest.param(
        {"kind": "Secret", "type": "Opaque", "data": {"password": "czNjcjN0"}},
        '{"data":{"password":"czNjcjN0"},"kind":"Secret","name":"","type":"Opaque"}',
        "25k92892fb",
        "9m46kbd7tm",
        id="secret",
    ),
    pytest.param(
        {"kind": "ConfigMap", "data": {"html": "<a&b>"}},
        '{"data":{"html":"\\u003ca\\u0026b\\u003e"},"kind":"ConfigMap","name":""}',
        "7h6bc8858d",
        "d752td68c8",
        id="html-escaped",
    ),
    pytest.param(
        {"kind": "ConfigMap"},
        '{"data":"","kind":"ConfigMap","name":""}',
        "6ct58987ht",
        "8f8fgd8h5m",
        id="configmap-no-data",
    ),
    pytest.param(
        {"kind": "Secret", "type": "Opaque", "data": {}},
        '{"data":{},"kind":"Secret","name":"","type":"Opaque"}',
        "46f8b28mk5",
        "9f6hm689tf",
        id="secret-empty-data",
    ),
    pytest.param(
        {
            "kind": "Secret",
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": "Q1JU", "tls.key": "S0VZ"},
        },
        '{"data":{"tls.crt":"Q1JU","tls.key":"S0VZ"},"kind":"Secret","name":"",'
        '"type":"kubernetes.io/tls"}',
        "fm47d522m5",
        "hbm8ht6m5d",
        id="tls",
    ),
    pytest.param(
        {"kind": "ConfigMap", "binaryData": {"bin.dat": "//4AYmluYXJ5"}},
        '{"binaryData":{"bin.dat":"//4AYmluYXJ5"},"data":"","kind":"ConfigMap","name":""}',
        "f4t29gdd42",
        "6hk9429mhm",
        id="binary-data",
    ),
    pytest.param(
        {
            "kind": "ConfigMap",
            "metadata": {"name": "x", "labels": {"a": "b"}},
            "immutable": True,
            "data": {"a": "1"},
        },
        '{"data":{"a":"1"},"kind":"ConfigMap","name":""}',
        "h29d89cmmt",
        "7dk48k4h89",
        id="metadata-not-hashed",
    ),
    pytest.param(
        {"kind": "ConfigMap", "data": {"c": '\x01\x08\x0c\x1f\u2028\u2029\u00e9"\\\U0001f600'}},
        '{"data":{"c":"\\u0001\\b\\f\\u001f\\u2028\\u2029\u00e9\\"\\\\\U0001f600"},'
        '"kind":"ConfigMap","name":""}',
        None,
        None,
        id="go-json-escapes",
    ),
]


@pytest.mark.parametrize(("manifest", "json_text", "kustomize", "xxhash"), CASES)
def test_canonical_json_and_suffixes(
    manifest: dict[str, Any], json_text: str, kustomize: str | None, xxhash: str | None
) -> None:
    assert canonical_json(manifest) == json_text
    if kustomize is not None:
        assert hash_suffix(manifest, "kustomize") == kustomize
    if xxhash is not None:
        assert hash_suffix(manifest, "xxhash") == xxhash


def test_suffix_alphabet() -> None:
    suffix = hash_suffix({"kind": "ConfigMap", "data": {"k": "v" * 100}}, "xxhash")
    assert len(suffix) == 10
    assert set(suffix) <= set("2456789bcdfghkmt")
