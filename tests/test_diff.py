from __future__ import annotations

import base64

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
