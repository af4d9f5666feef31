"""``--check``: a unified diff between a rendered file and the build, secrets redacted (pure).

Every value a Secret holds becomes ``REDACTED-<digest>``, the digest an HMAC keyed with a
random key made for that run: within one diff equal values look equal and changed ones look
changed, while nothing about a value can be recovered. That is every ``data``/``stringData``
value and the ``kubectl.kubernetes.io/last-applied-configuration`` annotation (a copy of the
object), of a Secret anywhere in a document: at the top, in the ``items`` of a ``List`` (a
``SecretList``'s items need no ``kind``), after a ``...`` document end. Keys stay visible, but
for the keys the build made of env-file lines that may hold a value (``hidden``), which are
redacted the same way in every object. A document that cannot be parsed, or that mentions a
Secret the parser did not find, is replaced by a note, never shown.
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
from collections.abc import Collection
from typing import Any

from kgen import emit, patterns, yamlio
from kgen.errors import KgenError
from kgen.records import NamedTuple

MARKER = "REDACTED-"
_SECRET_FIELDS = ("data", "stringData")
_KEYED_FIELDS = ("data", "binaryData", "stringData")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_DOCUMENT_LINE = patterns.lazy(r"(---|\.\.\.)(\s.*)?")
_MENTIONS_SECRET = patterns.lazy(r"""\bkind["']?\s*:\s*["']?Secret(List)?["']?(?=[\s,}\]#]|$)""")


class _Redaction(NamedTuple):
    key: bytes
    hidden: Collection[str]
    values: Collection[str] = ()
    """Decrypted SOPS values (and their base64): any string holding one is redacted, in
    whatever object it reached (a ConfigMap made from an encrypted file, a name a
    replacement took from one)."""

    def leaks(self, value: Any) -> bool:
        """Whether ``value`` (a string, or any string in it) holds a decrypted value."""
        if isinstance(value, dict):
            return any(self.leaks(item) for item in value.values())
        if isinstance(value, list):
            return any(self.leaks(item) for item in value)
        return isinstance(value, str) and any(secret in value for secret in self.values)


def redacted_diff(
    expected: str,
    actual: str,
    *,
    expected_name: str,
    key: bytes,
    hidden: Collection[str] = (),
    values: Collection[str] = (),
) -> str:
    """The unified diff from ``expected`` (the file) to ``actual`` (the build), redacted
    (``values``: the run's decrypted values, redacted wherever they are)."""
    before = redact_stream(expected, key, hidden, values)
    after = redact_stream(actual, key, hidden, values)
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


def redact_stream(
    text: str, key: bytes, hidden: Collection[str] = (), values: Collection[str] = ()
) -> str:
    """``text`` with every document holding a Secret (or a ``hidden`` key, or a decrypted
    value) re-emitted with its values redacted; other documents kept as written."""
    redaction = _Redaction(key, hidden, tuple(v for v in values if v))
    return "".join(
        _redact_document(body, number, redaction) + separator
        for number, (body, separator) in enumerate(split_documents(text), start=1)
    )


def split_documents(text: str) -> list[tuple[str, str]]:
    """The documents of a stream as (body, the ``---`` or ``...`` line that ends it or ``""``).

    A ``---`` line may carry content after a blank (``--- # note``, ``--- !tag``): the line
    still ends the document before it, and is kept with it."""
    documents: list[tuple[str, str]] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if _DOCUMENT_LINE.fullmatch(line.rstrip("\r\n")):
            documents.append(("".join(current), line))
            current = []
        else:
            current.append(line)
    if current:
        documents.append(("".join(current), ""))
    return documents


def _redact_document(body: str, number: int, redaction: _Redaction) -> str:
    try:
        documents = yamlio.load_documents(body.encode(), f"document {number}", "resource")
    except KgenError:
        return f"# document {number} could not be parsed; it is not shown\n"
    if not any(_holds_secret(document, redaction.hidden) for document in documents) and not (
        redaction.leaks(body) or any(redaction.leaks(document) for document in documents)
    ):
        if _MENTIONS_SECRET.search(body):
            return f"# document {number} names a Secret kgen cannot find in it; it is not shown\n"
        return body
    return "".join(emit.emit_document(_redacted(document, redaction)) for document in documents)


def _holds_secret(value: Any, hidden: Collection[str], *, in_secret_list: bool = False) -> bool:
    if isinstance(value, list):
        return any(_holds_secret(item, hidden, in_secret_list=in_secret_list) for item in value)
    if not isinstance(value, dict):
        return False
    if in_secret_list or value.get("kind") == "Secret":
        return True
    if any(_hidden_keys(value.get(field), hidden) for field in _KEYED_FIELDS):
        return True
    secret_list = value.get("kind") == "SecretList"
    return any(
        _holds_secret(item, hidden, in_secret_list=secret_list and field == "items")
        for field, item in value.items()
    )


def _hidden_keys(values: Any, hidden: Collection[str]) -> bool:
    return isinstance(values, dict) and any(key in hidden for key in values)


def _redacted(value: Any, redaction: _Redaction, *, in_secret_list: bool = False) -> Any:
    """A copy of ``value`` with every Secret's values (and every hidden key) redacted."""
    if isinstance(value, list):
        return [_redacted(item, redaction, in_secret_list=in_secret_list) for item in value]
    if not isinstance(value, dict):
        return _marker(value, redaction.key) if redaction.leaks(value) else value
    secret = in_secret_list or value.get("kind") == "Secret"
    secret_list = value.get("kind") == "SecretList"
    copy = {
        field: _redacted(item, redaction, in_secret_list=secret_list and field == "items")
        for field, item in value.items()
    }
    for field in _KEYED_FIELDS:
        values = copy.get(field)
        if secret and field in _SECRET_FIELDS and field in copy and not isinstance(values, dict):
            copy[field] = _marker(values, redaction.key)  # malformed, yet it may hold values
        elif isinstance(values, dict):
            copy[field] = {
                (_marker(name, redaction.key) if name in redaction.hidden else name): (
                    _marker(item, redaction.key) if secret and field in _SECRET_FIELDS else item
                )
                for name, item in values.items()
            }
    metadata = copy.get("metadata")
    if secret and isinstance(metadata, dict) and isinstance(metadata.get("annotations"), dict):
        annotations = dict(metadata["annotations"])
        if LAST_APPLIED in annotations:
            annotations[LAST_APPLIED] = _marker(annotations[LAST_APPLIED], redaction.key)
        copy["metadata"] = {**metadata, "annotations": annotations}
    return copy


def _marker(value: Any, key: bytes) -> str:
    data = value.encode() if isinstance(value, str) else repr(value).encode()
    return MARKER + hmac.new(key, data, hashlib.sha256).hexdigest()[:16]
