"""The one exception family of kgen.

Every message says *where* (file, entry, object and field path) and never a value: data that
reaches kgen may be a secret, so a message quotes names, keys and paths only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from kgen import patterns


def quote(text: str) -> str:
    """A name or key as messages show it: double-quoted, with newlines and control characters
    escaped, so a message stays one line and cannot fake another."""
    return json.dumps(text, ensure_ascii=False)


def describe_type(value: object) -> str:
    """What a YAML value is, for "expected X, got Y" messages (never the value itself)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return "a string" if isinstance(value, str) else "a " + type(value).__name__


_PLAIN_LABEL = patterns.lazy(r'[^\s\[\]"]+')


def label(text: str) -> str:
    """A name inside a location (``secretGenerator[NAME]``): as is when plain, else quoted."""
    plain = _PLAIN_LABEL.fullmatch(text) is not None and text.isprintable()
    return text if plain else quote(text)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value in it (as is, or as :func:`quote` escapes it) replaced:
    for values a transformer carried out of a Secret into places messages name (an object's
    name, a reference, a key)."""
    for secret in sorted(secrets, key=len, reverse=True):
        for form in dict.fromkeys((secret, quote(secret)[1:-1])):
            text = text.replace(form, "<a Secret's value>")
    return text


class KgenError(Exception):
    """A build error: exit code 1. ``str()`` is safe to print."""

    exit_code = 1

    def __init__(self, where: str, message: str) -> None:
        super().__init__(where, message)
        self.where = where
        self.message = message

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def redact(self, secrets: Iterable[str]) -> None:
        """Remove secret values from the message (see :func:`redact`), in place."""
        found = tuple(secrets)
        if found:
            self.where, self.message = redact(self.where, found), redact(self.message, found)
            self.args = (self.where, self.message)


class LoadError(KgenError):
    """A file cannot be read or parsed (missing, not a file, malformed YAML, bad encoding)."""


class KustomizationError(KgenError):
    """A kustomization is invalid: unknown or unsupported field, wrong type, bad entry."""


class GeneratorError(KgenError):
    """A secretGenerator/configMapGenerator entry cannot be built (sources, duplicate keys)."""


class ResourceError(KgenError):
    """Resources conflict or cannot be resolved (duplicate ids, ambiguous references)."""


class ValidationError(KgenError):
    """The built stream would be rejected by the API server or the kubelet."""


class PatchError(KgenError):
    """A patch cannot be applied (a strategic merge patch's directive or node kinds)."""


class FindingsError(KgenError):
    """What validation found that refuses an edit: each finding is reported as an error."""

    def __init__(self, where: str, findings: list[tuple[str, str, str]]) -> None:
        """``findings``: (where, message, rule) each, already safe to print."""
        first_where, first_message, rule = findings[0]
        super().__init__(first_where, f"{first_message} [{rule}]")
        self.findings = findings
        del where

    def lines(self) -> list[str]:
        return [f"{where}: {message} [{rule}]" for where, message, rule in self.findings]


class DecryptError(KgenError):
    """A SOPS-encrypted file cannot be decrypted: no key fits, a value or the MAC does not
    verify, the file is not one sops writes. The message never holds a value or a key."""
