"""``--check``: a unified diff between a rendered file and the build, secrets redacted (pure).

Every Secret ``data``/``stringData`` value becomes ``REDACTED-<digest>``, the digest an HMAC
keyed with a random key made for that run: within one diff equal values look equal and changed
ones look changed, while nothing about a value can be recovered. Keys stay visible. A document
that cannot be parsed is replaced by a note, never shown.
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
from typing import Any

from kgen import emit, yamlio
from kgen.errors import KgenError

MARKER = "REDACTED-"
_SECRET_FIELDS = ("data", "stringData")


def redacted_diff(expected: str, actual: str, *, expected_name: str, key: bytes) -> str:
    """The unified diff from ``expected`` (the file) to ``actual`` (the build), redacted."""
    before = redact_stream(expected, key)
    after = redact_stream(actual, key)
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=expected_name,
        tofile=f"{expected_name} (built)",
    )
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    return text or (
        f"--- {expected_name}\n+++ {expected_name} (built)\n"
        "# the files differ only in ways the redacted form does not show (the formatting of "
        "a Secret, or bytes such as line endings)\n"
    )


def redact_stream(text: str, key: bytes) -> str:
    """``text`` with every Secret document re-emitted with its values redacted; other
    documents kept as written."""
    return "".join(
        _redact_document(body, number, key) + separator
        for number, (body, separator) in enumerate(split_documents(text), start=1)
    )


def split_documents(text: str) -> list[tuple[str, str]]:
    """The documents of a stream as (body, the ``---`` line that ends it or ``""``)."""
    documents: list[tuple[str, str]] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.rstrip("\r\n") == "---":
            documents.append(("".join(current), line))
            current = []
        else:
            current.append(line)
    if current:
        documents.append(("".join(current), ""))
    return documents


def _redact_document(body: str, number: int, key: bytes) -> str:
    try:
        documents = yamlio.load_documents(body.encode(), f"document {number}", "resource")
    except KgenError:
        return f"# document {number} could not be parsed; it is not shown\n"
    if not any(_is_secret(document) for document in documents):
        return body
    return "".join(emit.emit_document(_redacted(document, key)) for document in documents)


def _is_secret(document: Any) -> bool:
    return isinstance(document, dict) and document.get("kind") == "Secret"


def _redacted(document: dict[str, Any], key: bytes) -> dict[str, Any]:
    if not _is_secret(document):
        return document
    copy = dict(document)
    for field in _SECRET_FIELDS:
        values = copy.get(field)
        if isinstance(values, dict):
            copy[field] = {name: _marker(value, key) for name, value in values.items()}
    return copy


def _marker(value: Any, key: bytes) -> str:
    data = value.encode() if isinstance(value, str) else repr(value).encode()
    return MARKER + hmac.new(key, data, hashlib.sha256).hexdigest()[:16]
