"""JSON 6902 patches as kustomize v5.5.0 applies them (``gopkg.in/evanphx/json-patch.v4``).

Not the PyPI ``jsonpatch`` library: kustomize's library departs from RFC 6902 in ways builds
depend on, and each is pinned by a test measured against ``kubectl kustomize``:

- ``replace`` of a missing mapping key adds it (only a missing *container* fails);
- negative array indexes count from the end (``add`` at ``-1`` appends);
- a path without a leading ``/`` addresses the root's keys (``spec/x`` is ``/x``);
- ``test`` compares scalars by their JSON text: ``1`` is not ``1.0`` when the patch is written
  as JSON (YAML patches go through ``YAMLToJSON`` first, which writes ``1.0`` as ``1``);
- the patched object goes through Go's JSON and back: every number becomes a float64
  (``0.50`` is ``0.5``, integers past 2**53 lose digits).

Messages carry the operation's path, never a value (the object may be a Secret).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from kgen import patterns, yamlio
from kgen.errors import KgenError, LoadError, describe_type
from kgen.model import Manifest
from kgen.records import NamedTuple
from kgen.resources import json_number_text


class RawNumber(NamedTuple):
    """A number of a patch written as JSON, with its text: ``test`` compares the text."""

    text: str


class Operation(NamedTuple):
    fields: dict[str, Any]
    """The operation's mapping as decoded (``op``, ``path``, ``from``, ``value``)."""


class PatchError(Exception):
    """One operation failed: its index and kustomize's reason."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(index, reason)
        self.index = index
        self.reason = reason


_INT = patterns.lazy(r"[+-]?[0-9]+")


def decode(text: str, where: str) -> list[Operation]:
    """The operations of a patch: JSON when it starts with ``[``, else YAML converted as
    ``YAMLToJSON`` does (an empty document or comments only: none); raises
    :class:`LoadError` when it is not a list of mappings."""
    value: Any
    if text.startswith("["):
        try:
            value = json.loads(text, parse_float=RawNumber, parse_int=RawNumber)
        except json.JSONDecodeError as exc:
            raise LoadError(where, f"not a JSON patch: {exc.msg} at line {exc.lineno}") from None
    else:
        value = yamlio.load_value(text.encode(), where)
    if value is None:
        return []  # YAMLToJSON writes an empty document (or comments) as null: no operation
    if not isinstance(value, list):
        raise LoadError(where, f"a JSON patch is a list of operations, got {describe_type(value)}")
    operations = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise LoadError(
                where, f"operation {index}: expected a mapping, got {describe_type(item)}"
            )
        operations.append(Operation(item))
    return operations


def is_patch(text: str) -> bool:
    """Whether ``text`` decodes as a JSON 6902 patch (kustomize's ``jsonPatchFromBytes``)."""
    if not text:
        return False
    try:
        decode(text, "")
    except KgenError:
        return False
    return True


def apply(
    document: Manifest, operations: list[Operation], tab_led: list[str] | None = None
) -> Manifest:
    """``document`` patched (a new object, after Go's JSON round trip). Raises
    :class:`PatchError` for the first operation that fails. ``tab_led`` receives the strings
    met on the way that start with a tab and span lines (every such string of the result, and
    maybe some an operation removed).

    The round trip is one copy: made first, with each value an operation adds converted as it
    is added, unless an operation is a ``test``, which compares values as the document has
    them (json-patch compares their JSON texts): then the copy comes first, the round trip
    last."""
    tabbed = [] if tab_led is None else tab_led
    tested = any(operation.fields.get("op") == "test" for operation in operations)
    value_of: Callable[[Any], Any] = _copy if tested else partial(_round_trip, tabbed=tabbed)
    root: Any = value_of(document)
    for index, operation in enumerate(operations):
        try:
            root = _apply_one(root, operation, value_of)
        except _FailedError as exc:
            raise PatchError(index, str(exc)) from None
    if not isinstance(root, dict):
        raise PatchError(len(operations) - 1, "the patched document is not a mapping")
    result: Manifest = _round_trip(root, tabbed) if tested else root
    return result


class _FailedError(Exception):
    pass


def describe(operation: Operation) -> str:
    """``remove /spec/x`` (the op and its path as written), for messages."""
    op = operation.fields.get("op")
    path = operation.fields.get("path")
    shown_op = op if isinstance(op, str) else "unknown"
    shown_path = path if isinstance(path, str) else "(no path)"
    return f"{shown_op} {json.dumps(shown_path, ensure_ascii=False)}"


def _apply_one(root: Any, operation: Operation, value_of: Callable[[Any], Any]) -> Any:
    """One operation; ``value_of`` makes the value an ``add`` or ``replace`` sets."""
    fields = operation.fields
    op = fields.get("op")
    kind = op if isinstance(op, str) else "unknown"
    if kind == "add":
        path = _path(fields, "path", "add operation failed to decode path")
        container, key = _find(root, path)
        if container is None:
            raise _FailedError(f'add operation does not apply: doc is missing path: "{path}"')
        _add(container, key, value_of(fields.get("value")), f"error in add for path: '{path}'")
    elif kind == "remove":
        path = _path(fields, "path", "remove operation failed to decode path")
        container, key = _find(root, path)
        if container is None:
            raise _FailedError(f'remove operation does not apply: doc is missing path: "{path}"')
        _remove(container, key, f"error in remove for path: '{path}'")
    elif kind == "replace":
        return _replace(root, fields, value_of)
    elif kind == "move":
        source = _path(fields, "from", "move operation failed to decode from")
        container, key = _find(root, source)
        if container is None:
            raise _FailedError(f"move operation does not apply: doc is missing from path: {source}")
        value = _get(container, key, f"error in move for path: '{key}'")
        _remove(container, key, f"error in move for path: '{key}'")
        path = _path(fields, "path", "move operation failed to decode path")
        container, key = _find(root, path)
        if container is None:
            raise _FailedError(
                f"move operation does not apply: doc is missing destination path: {path}"
            )
        _add(container, key, value, f"error in move for path: '{path}'")
    elif kind == "copy":
        source = _path(fields, "from", "copy operation failed to decode from")
        container, key = _find(root, source)
        if container is None:
            raise _FailedError(f"copy operation does not apply: doc is missing from path: {source}")
        value = _get(container, key, f"error in copy for from: '{source}'")
        path = _path(fields, "path", "copy operation failed to decode path")
        container, key = _find(root, path)
        if container is None:
            raise _FailedError(
                f"copy operation does not apply: doc is missing destination path: {path}"
            )
        _add(container, key, _copy(value), "error while adding value during copy")
    elif kind == "test":
        _test(root, fields)
    else:
        raise _FailedError(f"Unexpected kind: {kind}")
    return root


def _path(fields: dict[str, Any], name: str, failure: str) -> str:
    value = fields.get(name)
    if value is None:
        raise _FailedError(f"{failure}: operation missing {name} field: missing value")
    if not isinstance(value, str):
        raise _FailedError(f"{failure}: {name} is {describe_type(value)}, expected a string")
    return value


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _find(root: Any, path: str) -> tuple[Any, str]:
    """json-patch's ``findObject``: the container of the path's last token, and that token."""
    split = path.split("/")
    if len(split) < 2:
        return None, ""
    node = root
    for part in split[1:-1]:
        try:
            child = _get(node, _unescape(part), "")
        except _FailedError:
            return None, ""
        if not isinstance(child, dict | list):
            return None, ""
        node = child
    return node, _unescape(split[-1])


def _index(key: str, failure: str) -> int:
    if _INT.fullmatch(key) is None:
        raise _FailedError(f'{failure}strconv.Atoi: parsing "{key}": invalid syntax')
    return int(key)


def _invalid(index: int, failure: str) -> _FailedError:
    prefix = f"{failure}: " if failure else ""
    return _FailedError(
        f"{prefix}Unable to access invalid index: {index}: invalid index referenced"
    )


def _get(container: Any, key: str, failure: str) -> Any:
    """``get``: a mapping's missing key is null; a list's index must exist (negative from the
    end)."""
    if isinstance(container, dict):
        return container.get(key)
    prefix = f"{failure}: " if failure else ""
    index = _index(key, prefix)
    size = len(container)
    if index < 0:
        if index < -size:
            raise _invalid(index, failure)
        index += size
    if index >= size:
        raise _invalid(index, failure)
    return container[index]


def _add(container: Any, key: str, value: Any, failure: str) -> None:
    if isinstance(container, dict):
        container[key] = value
        return
    if key == "-":
        container.append(value)
        return
    if _INT.fullmatch(key) is None:
        raise _FailedError(
            f"{failure}: value was not a proper array index: '{key}': "
            f'strconv.Atoi: parsing "{key}": invalid syntax'
        )
    index = int(key)
    size = len(container) + 1
    if index >= size or index < -size:
        raise _invalid(index, failure)
    if index < 0:
        index += size
    container.insert(index, value)


def _remove(container: Any, key: str, failure: str) -> None:
    if isinstance(container, dict):
        if key not in container:
            raise _FailedError(f"{failure}: Unable to remove nonexistent key: {key}: missing value")
        del container[key]
        return
    index = _index(key, f"{failure}: ")
    size = len(container)
    if index >= size or index < -size:
        raise _invalid(index, failure)
    del container[index + size if index < 0 else index]


def _replace(root: Any, fields: dict[str, Any], value_of: Callable[[Any], Any]) -> Any:
    path = _path(fields, "path", "replace operation failed to decode path")
    if path == "":
        value = value_of(fields.get("value"))
        if not isinstance(value, dict | list):
            raise _FailedError("replace operation value must be object or array")
        return value
    container, key = _find(root, path)
    if container is None:
        raise _FailedError(f"replace operation does not apply: doc is missing path: {path}")
    if isinstance(container, dict):
        # json-patch v4: a missing key is set, not refused
        container[key] = value_of(fields.get("value"))
        return root
    try:
        _get(container, key, "")
    except _FailedError:
        raise _FailedError(
            f"replace operation does not apply: doc is missing key: {path}: missing value"
        ) from None
    index = int(key)
    container[index + len(container) if index < 0 else index] = value_of(fields.get("value"))
    return root


def _test(root: Any, fields: dict[str, Any]) -> None:
    path = _path(fields, "path", "test operation failed to decode path")
    if "value" not in fields:
        raise _FailedError(f"test operation without a value for path: {path}")
    expected = fields["value"]
    if path == "":
        found = root
    else:
        container, key = _find(root, path)
        if container is None:
            raise _FailedError(f"test operation does not apply: is missing path: {path}")
        found = _get(container, key, f"error in test for path: '{path}'")
    if not _equal(found, expected):
        raise _FailedError(f"testing value {path} failed: test failed")


def _equal(found: Any, expected: Any) -> bool:
    """json-patch's ``lazyNode.equal``: mappings and lists by their members, scalars by their
    JSON text."""
    if isinstance(found, dict):
        if not isinstance(expected, dict) or len(found) != len(expected):
            return False
        return all(key in expected and _equal(value, expected[key]) for key, value in found.items())
    if isinstance(found, list):
        if not isinstance(expected, list) or len(found) != len(expected):
            return False
        return all(_equal(a, b) for a, b in zip(found, expected, strict=True))
    if isinstance(expected, dict | list):
        return False
    return _scalar_text(found) == _scalar_text(expected)


def _scalar_text(value: Any) -> tuple[str, str]:
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, RawNumber):
        return ("number", value.text)
    if value is None:
        return ("null", "null")
    if isinstance(value, bool):
        return ("bool", "true" if value else "false")
    if isinstance(value, int):
        return ("number", str(value))
    if isinstance(value, float):
        return ("number", json_number_text(value))
    return ("other", repr(value))


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _round_trip(value: Any, tabbed: list[str]) -> Any:
    """Go ``json.Marshal`` → ``json.Unmarshal`` into interface{} (numbers are float64) →
    kyaml: what becomes of a patched object's values (a copy); strings that start with a tab
    and span lines are added to ``tabbed``."""
    if isinstance(value, str):
        if value[:1] == "\t" and "\n" in value:
            tabbed.append(value)
        return value
    if isinstance(value, dict):
        return {key: _round_trip(item, tabbed) for key, item in value.items()}
    if isinstance(value, list):
        return [_round_trip(item, tabbed) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, RawNumber):
        return yamlio.json_float(float(value.text))
    if isinstance(value, int | float):
        return yamlio.json_float(float(value))
    return value
