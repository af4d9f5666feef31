"""JSON 6902 as kustomize v5.5.0 applies it (json-patch v4.12); each departure from RFC 6902
measured with ``kubectl kustomize``."""

from __future__ import annotations

from typing import Any

import pytest

from kgen import jsonpatch
from kgen.errors import LoadError

DOC: dict[str, Any] = {
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"f": 0.5}},
    "spec": {"replicas": 1, "list": ["a", "b"]},
}


def _apply(text: str, document: dict[str, Any] | None = None) -> dict[str, Any]:
    return jsonpatch.apply(document or DOC, jsonpatch.decode(text, "p"))


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        pytest.param(
            '[{"op":"replace","path":"/spec/new","value":1}]',
            ("spec", "new"),
            1,
            id="replace-adds-missing-key",
        ),
        pytest.param(
            '[{"op":"add","path":"/spec/list/-1","value":"c"}]',
            ("spec", "list"),
            ["a", "b", "c"],
            id="add-negative-index-appends",
        ),
        pytest.param(
            '[{"op":"add","path":"/spec/list/0","value":"z"}]',
            ("spec", "list"),
            ["z", "a", "b"],
            id="add-inserts",
        ),
        pytest.param(
            '[{"op":"add","path":"/spec/list/-","value":"z"}]',
            ("spec", "list"),
            ["a", "b", "z"],
            id="add-dash",
        ),
        pytest.param(
            '[{"op":"remove","path":"/spec/list/-1"}]',
            ("spec", "list"),
            ["a"],
            id="remove-negative",
        ),
        pytest.param(
            '[{"op":"add","path":"/spec/x","value":1.0}]',
            ("spec", "x"),
            1,
            id="float-integral-becomes-int",
        ),
        pytest.param(
            '[{"op":"add","path":"/spec/x","value":12345678901234567890}]',
            ("spec", "x"),
            12345678901234567000,
            id="big-int-through-float64",
        ),
        pytest.param(
            '[{"op":"add","path":"/metadata/labels/a~1b~0c","value":"v"}]',
            ("metadata", "labels", "a/b~c"),
            "v",
            id="escapes",
        ),
        pytest.param(
            "- {op: move, from: /spec/replicas, path: /spec/r}", ("spec", "r"), 1, id="move-yaml"
        ),
        pytest.param(
            "- {op: copy, from: /spec/list, path: /spec/c}", ("spec", "c"), ["a", "b"], id="copy"
        ),
        pytest.param(
            '[{"op":"add","path":"spec/x","value":"root"}]',
            ("x",),
            "root",
            id="no-leading-slash-is-root",
        ),
    ],
)
def test_operations(text: str, path: tuple[str, ...], expected: Any) -> None:
    node: Any = _apply(text)
    for key in path:
        node = node[key]
    assert node == expected


def test_the_original_is_not_changed() -> None:
    _apply('[{"op":"remove","path":"/spec/list/0"}]')
    assert DOC["spec"]["list"] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "passes"),
    [
        pytest.param('[{"op":"test","path":"/spec/replicas","value":1}]', True, id="int"),
        pytest.param(
            '[{"op":"test","path":"/spec/replicas","value":1.0}]', False, id="json-1.0-is-not-1"
        ),
        pytest.param("- {op: test, path: /spec/replicas, value: 1.0}", True, id="yaml-1.0-is-1"),
        pytest.param(
            '[{"op":"test","path":"/metadata/labels","value":{"f":0.5}}]', True, id="mapping"
        ),
        pytest.param('[{"op":"test","path":"/spec/list","value":["a"]}]', False, id="list"),
        pytest.param(
            '[{"op":"test","path":"/spec/none","value":null}]', True, id="missing-is-null"
        ),
        pytest.param(
            '[{"op":"test","path":"/spec/replicas","value":"1"}]', False, id="string-is-not-number"
        ),
    ],
)
def test_test_compares_json_text(text: str, passes: bool) -> None:
    if passes:
        _apply(text)
    else:
        with pytest.raises(jsonpatch.PatchError):
            _apply(text)


@pytest.mark.parametrize(
    ("text", "index", "reason"),
    [
        pytest.param(
            '[{"op":"remove","path":"/spec/nothere"}]',
            0,
            "error in remove for path: '/spec/nothere': Unable to remove nonexistent "
            "key: nothere: missing value",
            id="remove-missing",
        ),
        pytest.param(
            '[{"op":"test","path":"/spec/replicas","value":1},'
            '{"op":"test","path":"/spec/replicas","value":2}]',
            1,
            "testing value /spec/replicas failed: test failed",
            id="test",
        ),
        pytest.param(
            '[{"op":"add","path":"/spec/a/b","value":2}]',
            0,
            'add operation does not apply: doc is missing path: "/spec/a/b"',
            id="add-missing-container",
        ),
        pytest.param(
            '[{"op":"add","path":"/spec/list/5","value":2}]',
            0,
            "error in add for path: '/spec/list/5': Unable to access invalid index: "
            "5: invalid index referenced",
            id="index-out-of-range",
        ),
        pytest.param('[{"op":"frob","path":"/x"}]', 0, "Unexpected kind: frob", id="unknown-op"),
    ],
)
def test_failures(text: str, index: int, reason: str) -> None:
    with pytest.raises(jsonpatch.PatchError) as info:
        _apply(text)
    assert (info.value.index, info.value.reason) == (index, reason)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "{a: 1}", "p: a JSON patch is a list of operations, got a mapping", id="mapping"
        ),
        pytest.param("- 1", "p: operation 0: expected a mapping, got a number", id="item"),
    ],
)
def test_decode_errors(text: str, message: str) -> None:
    with pytest.raises(LoadError) as info:
        jsonpatch.decode(text, "p")
    assert str(info.value) == message


def test_an_empty_yaml_document_is_no_operation() -> None:
    assert jsonpatch.decode("# only a comment\n", "p") == []


def test_a_test_sees_the_documents_numbers_as_written() -> None:
    """With a ``test``, the values compared are the document's (json-patch compares JSON
    texts): an integer beyond float64's precision passes against its own digits, and the
    result is still after the round trip (float64 digits)."""
    document = {"kind": "K", "spec": {"big": 1234567890123456789}}
    text = '[{"op":"test","path":"/spec/big","value":1234567890123456789}]'
    assert _apply(text, document) == {"kind": "K", "spec": {"big": 1234567890123456800}}
    moved = '[{"op":"move","from":"/spec/big","path":"/spec/b"}]'
    assert _apply(moved, document) == {"kind": "K", "spec": {"b": 1234567890123456800}}
    assert document["spec"] == {"big": 1234567890123456789}


@pytest.mark.parametrize(
    ("text", "tabbed"),
    [
        pytest.param('[{"op":"remove","path":"/spec/list"}]', ["\tx\ny"], id="in-the-document"),
        pytest.param(
            '[{"op":"add","path":"/spec/n","value":{"a":["\\tp\\nq"]}}]',
            ["\tx\ny", "\tp\nq"],
            id="added",
        ),
        pytest.param(
            '[{"op":"test","path":"/spec/r","value":1},{"op":"add","path":"/spec/n","value":"\\tp"}]',
            ["\tx\ny"],
            id="with-a-test",
        ),
    ],
)
def test_strings_led_by_a_tab_on_several_lines_are_reported(text: str, tabbed: list[str]) -> None:
    document = {"kind": "K", "spec": {"r": 1, "t": "\tx\ny", "u": "x\n\ty", "list": ["\t"]}}
    found: list[str] = []
    jsonpatch.apply(document, jsonpatch.decode(text, "p"), found)
    assert found == tabbed
