"""Plain YAML data decoded into typed values, with kustomize's rules and kgen's messages.

Go's ``encoding/json`` as kustomize decodes a kustomization: field names match case-insensitively,
null is the zero value; each mismatch is a :class:`KustomizationError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen.errors import KustomizationError, describe_type, quote


class UnknownFieldError(KustomizationError):
    """A key that is no field of its mapping; ``key`` is it as text (a kustomization file's
    reader adds its line)."""

    def __init__(self, where: str, message: str, key: str) -> None:
        super().__init__(where, message)
        self.key = key


GENERATOR_ENTRY_FIELDS = ("literals", "files", "envs", "env", "behavior", "options", "type")
"""Fields of a generator entry, which a kustomization sometimes gets at its top level."""


def lowered(data: Mapping[Any, Any], allowed: tuple[str, ...], where: str) -> dict[str, Any]:
    """Go ``encoding/json`` with ``DisallowUnknownFields`` over a YAML mapping: keys match a
    field exactly or ignoring case, and are decoded in sorted order (sigs.k8s.io/yaml goes
    through a Go map), so the last of two spellings of one field wins; unknown keys are errors
    (:class:`UnknownFieldError`, with the field it is most likely a misspelling of)."""
    folded = {name.casefold(): name for name in allowed}
    fields: dict[str, Any] = {}
    for key in sorted(data, key=str):
        text = str(key)
        name = text if text in allowed else folded.get(text.casefold())
        if name is None:
            message = f"unknown field {show_key(key)}{_hint(text, allowed)}"
            raise UnknownFieldError(where, message, text)
        fields[name] = data[key]
    return fields


def _hint(key: str, allowed: tuple[str, ...]) -> str:
    """`` (did you mean "secretGenerator"?)``, or where a generator's field belongs."""
    import difflib

    folded = {name.casefold(): name for name in allowed}
    close = difflib.get_close_matches(key.casefold(), list(folded), n=1, cutoff=0.75)
    if close:
        return f" (did you mean {quote(folded[close[0]])}?)"
    generators = [name for name in ("secretGenerator", "configMapGenerator") if name in allowed]
    if generators and key in GENERATOR_ENTRY_FIELDS:
        return f" (it belongs inside a {' or '.join(generators)} entry)"
    return ""


def string(value: Any, where: str, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise KustomizationError(where, f"{field}: expected a string, got {describe_type(value)}")
    return value


def boolean(value: Any, where: str, field: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise KustomizationError(
            where, f"{field}: expected true or false, got {describe_type(value)}"
        )
    return value


def strings(value: Any, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise KustomizationError(where, f"{field}: expected a list of strings")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise KustomizationError(
                where, f"{field}[{index}]: expected a string, got {describe_type(item)} (quote it)"
            )
    return tuple(value)


def string_map(value: Any, where: str, field: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise KustomizationError(where, f"{field}: expected a mapping of strings")
    pairs = []
    for key, item in value.items():
        if not isinstance(key, str):
            raise KustomizationError(where, f"{field}: key {show_key(key)} must be a string")
        text = "" if item is None else item
        if not isinstance(text, str):
            raise KustomizationError(
                where, f"{field}.{key}: expected a string, got {describe_type(text)} (quote it)"
            )
        pairs.append((key, text))
    return tuple(pairs)


def show_key(key: Any) -> str:
    return quote(str(key))
