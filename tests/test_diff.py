from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from kgen.diff import MARKER, redact_stream, redacted_diff, split_documents

KEY = b"k" * 32
SECRET = """apiVersion: v1
data:
  password: {password}
  username: YWRtaW4=
kind: Secret
metadata:
  name: db
type: Opaque
"""
CONFIG = "apiVersion: v1\ndata:\n  mode: prod\nkind: ConfigMap\nmetadata:\n  name: c\n"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_split_documents() -> None:
    assert split_documents("a: 1\n---\nb: 2\n") == [("a: 1\n", "---\n"), ("b: 2\n", "")]


def test_redaction_keeps_keys_and_equal_values_equal() -> None:
    text = SECRET.format(password=b64("hunter2"))
    redacted = redact_stream(text, KEY)
    assert "password: " + MARKER in redacted
    assert "username: " + MARKER in redacted
    assert b64("hunter2") not in redacted
    assert redacted == redact_stream(text, KEY)
    assert redacted != redact_stream(text, b"other key" * 4)


def test_diff_shows_changed_secret_value_redacted_and_configmaps_verbatim() -> None:
    old = SECRET.format(password=b64("hunter2")) + "---\n" + CONFIG
    new = SECRET.format(password=b64("hunter3")) + "---\n" + CONFIG.replace("prod", "dev")
    diff = redacted_diff(old, new, expected_name="out.yaml", key=KEY)
    assert diff.startswith("--- out.yaml\n+++ out.yaml (built)\n")
    changed = [line for line in diff.splitlines() if line.startswith(("-  ", "+  "))]
    assert [line[:14] for line in changed] == [
        "-  password: R",
        "+  password: R",
        "-  mode: prod",
        "+  mode: dev",
    ]
    for text in ("hunter2", "hunter3", b64("hunter2"), b64("hunter3")):
        assert text not in diff
    assert "username" not in "".join(changed)


def test_unparsable_document_is_not_shown() -> None:
    diff = redacted_diff("password: [hunter2\n", CONFIG, expected_name="f", key=KEY)
    assert "hunter2" not in diff
    assert "-# document 1 could not be parsed; it is not shown\n" in diff


def test_formatting_only_difference_in_a_secret() -> None:
    text = SECRET.format(password=b64("x"))
    diff = redacted_diff(
        text.replace("type: Opaque", "type: 'Opaque'"), text, expected_name="f", key=KEY
    )
    assert diff.endswith(
        "# the files differ only in ways the redacted form does not show (the formatting of a "
        "Secret, or bytes such as line endings)\n"
    )


LIST = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: a}
  data: {p: SHVudGVyMkxpc3Q=}
  stringData: {q: Hunter2List}
"""
SECRET_LIST = """apiVersion: v1
kind: SecretList
items:
- metadata: {name: a}
  data: {p: SHVudGVyMkxpc3Q=}
"""
AFTER_END = """apiVersion: v1
kind: ConfigMap
metadata: {name: c}
...
apiVersion: v1
kind: Secret
metadata: {name: a}
stringData: {p: Hunter2List}
"""
LAST_APPLIED = """apiVersion: v1
kind: Secret
metadata:
  name: a
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"p":"SHVudGVyMkxpc3Q="}}'
    note: kept
data: {p: SHVudGVyMkxpc3Q=}
"""


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        pytest.param(
            LIST,
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    p: {p}\n  kind: Secret\n"
            "  metadata:\n    name: a\n  stringData:\n    q: {q}\nkind: List\n",
            id="list",
        ),
        pytest.param(
            SECRET_LIST,
            "apiVersion: v1\nitems:\n- data:\n    p: {p}\n  metadata:\n    name: a\n"
            "kind: SecretList\n",
            id="secret-list",
        ),
        pytest.param(
            AFTER_END,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n...\napiVersion: v1\n"
            "kind: Secret\nmetadata:\n  name: a\nstringData:\n  p: {q}\n",
            id="after-document-end",
        ),
        pytest.param(
            LAST_APPLIED,
            "apiVersion: v1\ndata:\n  p: {p}\nkind: Secret\nmetadata:\n  annotations:\n"
            "    kubectl.kubernetes.io/last-applied-configuration: {last}\n    note: kept\n"
            "  name: a\n",
            id="last-applied-configuration",
        ),
        pytest.param(
            "kind: Secret\ndata: [SHVudGVyMkxpc3Q=]\nstringData: Hunter2List\n",
            "data: {list}\nkind: Secret\nstringData: {q}\n",
            id="data-not-a-mapping",
        ),
        pytest.param(
            "kind: Secret\nmetadata: {name: a}\ndata: [Hunter2List\n",
            "# document 1 could not be parsed; it is not shown\n",
            id="unparsable",
        ),
        pytest.param(
            "kind: Secret\nmetadata: {name: a}\ndata: {p: SHVudGVyMkxpc3Q=}\n--- # next\n"
            "apiVersion: v1\nkind: 'Secret'\nstringData: {p: Hunter2List}\n",
            "data:\n  p: {p}\nkind: Secret\nmetadata:\n  name: a\n--- # next\n"
            "apiVersion: v1\nkind: Secret\nstringData:\n  p: {q}\n",
            id="separator-with-comment",
        ),
    ],
)
def test_every_place_a_secret_value_can_be_is_redacted(text: str, redacted: str) -> None:
    marks = {
        "p": _mark("SHVudGVyMkxpc3Q="),
        "q": _mark("Hunter2List"),
        "last": _mark('{"data":{"p":"SHVudGVyMkxpc3Q="}}'),
        "list": _mark(repr(["SHVudGVyMkxpc3Q="])),
    }
    result = redact_stream(text, KEY)
    assert result == redacted.format(**marks)
    assert "Hunter2List" not in result
    assert "SHVudGVyMkxpc3Q=" not in result


def _mark(value: str) -> str:
    return MARKER + hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()[:16]


def test_a_secret_the_parser_does_not_find_is_not_shown() -> None:
    # Not a mapping holding a Secret (a scalar; a list kind without items), yet it names one.
    text = CONFIG + "---\nkind: Secret data Hunter2List\n---\n{kind: SecretList}\n"
    assert redact_stream(text, KEY) == (
        CONFIG + "---\n# document 2 names a Secret kgen cannot find in it; it is not shown\n"
        "---\n# document 3 names a Secret kgen cannot find in it; it is not shown\n"
    )


def test_hidden_keys_are_redacted_in_every_object() -> None:
    config = "apiVersion: v1\ndata:\n  7Pasted-t0ken: ''\n  mode: prod\nkind: ConfigMap\n"
    secret = SECRET.format(password="YQ==").replace("\ndata:\n", "\ndata:\n  7Pasted-t0ken: ''\n")
    redacted = redact_stream(config + "---\n" + secret, KEY, {"7Pasted-t0ken"})
    assert "7Pasted-t0ken" not in redacted
    assert redacted.count(_mark("7Pasted-t0ken") + ":") == 2
    assert "  mode: prod\n" in redacted
    assert "  username: " + MARKER in redacted
    diff = redacted_diff(
        config, config.replace("prod", "dev"), expected_name="f", key=KEY, hidden={"7Pasted-t0ken"}
    )
    assert "7Pasted-t0ken" not in diff
    assert "-  mode: prod\n+  mode: dev\n" in diff
