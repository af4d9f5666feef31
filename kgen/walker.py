"""The one field-path walker: every fieldSpec transformer finds its fields through it.

kustomize's ``api/filters/fieldspec`` (``Filter``): a path is a tuple of field names (see
:func:`kgen.fieldspecs.split_path`); a sequence met on the way is entered element by element; a
name ending in ``[]`` names a sequence that is never created; a missing mapping on the way, or the
last field, is created only when the spec says ``create`` and the transformer knows what to create
(``create_kind``); a null on the way is a missing field when creating, else the walk stops there.
A null looked up as a ``[]`` sequence becomes an empty one, as in kyaml. A scalar on the way, with
fields left to walk, is kustomize's "expected sequence or mapping node" error.

The walk is iterative, and creation stops at kgen's nesting limit (the one resource files are read
with): a fieldSpec path may be as long as a user likes, the object it makes may not nest deeper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, Literal, TypeVar

from kgen import yamlio
from kgen.errors import ResourceError
from kgen.fieldspecs import FieldSpec, join_path, selects
from kgen.model import Gvk, Manifest

CreateKind = Literal["map", "scalar"]
"""What a transformer creates at the end of a missing path: a mapping (labels, annotations) or a
scalar (a namespace, a name, a replica count)."""

_Payload = TypeVar("_Payload")

Visit = Callable[[Any, Any], None]
"""Called with (container, key) for each field found or created: ``container[key]`` is the
field's value (``key`` is an index when the field is an element of a sequence)."""


def apply_specs(
    manifest: Manifest,
    gvk: Gvk,
    specs: tuple[FieldSpec, ...],
    visit: Visit,
    *,
    create_kind: CreateKind | None,
    where: str,
) -> None:
    """Walk every spec of ``specs`` that selects ``gvk`` (kustomize's ``fsslice.Filter``)."""
    for spec in specs:
        if selects(spec, gvk):
            walk(manifest, spec, visit, create_kind=create_kind, where=where)


def walk(
    manifest: Manifest,
    spec: FieldSpec,
    visit: Visit,
    *,
    create_kind: CreateKind | None,
    where: str,
) -> None:
    """Call ``visit`` on every field ``spec.path`` names in ``manifest`` (GVK not checked)."""
    path = spec.path
    create = spec.create and create_kind is not None
    # (container, key, path index, depth): container[key] is the node at path[:index]
    root = [manifest]
    pending: list[tuple[Any, Any, int, int]] = [(root, 0, 0, 1)]
    while pending:
        container, key, at, depth = pending.pop()
        node = container[key]
        if at == len(path):
            if container is not root:
                visit(container, key)
            continue
        if node is None:
            continue
        if isinstance(node, list):
            pending.extend((node, index, at, depth + 1) for index in reversed(range(len(node))))
            continue
        if not isinstance(node, dict):
            raise ResourceError(
                where,
                f"considering field '{join_path(path)}': expected sequence or mapping node",
            )
        name = path[at]
        is_sequence = name.endswith("[]")
        if is_sequence:
            name = name[:-2]
        if not name:
            raise ResourceError(
                where,
                f"considering field '{join_path(path)}': cannot set or create an empty field name",
            )
        last = at == len(path) - 1
        if create and not is_sequence and (name not in node or node[name] is None):
            if not last and depth >= yamlio.MAX_DEPTH:
                raise ResourceError(
                    where,
                    f"a fieldSpec path of {len(path)} fields would create an object nested "
                    f"deeper than {yamlio.MAX_DEPTH} levels, kgen's limit",
                )
            node[name] = "" if last and create_kind == "scalar" else {}
        elif name not in node:
            continue
        elif is_sequence and node[name] is None:
            node[name] = []  # kyaml turns a null it looked up as a sequence into one
        pending.append((node, name, at + 1, depth + 1))


Location = tuple[str | int, ...]
"""Where a field is in its object: field names and sequence indexes from the top."""


class FieldTrie(Generic[_Payload]):
    """Many fieldSpec paths, each with a payload, merged on their common prefixes: one
    :func:`find_fields` walk finds the fields of all of them (for checks, which look at a
    few dozen paths in every object)."""

    __slots__ = ("children", "ends")

    def __init__(self) -> None:
        self.children: dict[str, FieldTrie[_Payload]] = {}
        self.ends: list[_Payload] = []

    def add(self, path: tuple[str, ...], payload: _Payload) -> None:
        node = self
        for name in path:
            node = node.children.setdefault(name.removesuffix("[]"), FieldTrie())
        node.ends.append(payload)


def find_fields(
    manifest: Manifest, trie: FieldTrie[_Payload]
) -> Iterator[tuple[_Payload, Any, Any, Location]]:
    """Every field the paths of ``trie`` name in ``manifest``, as ``(payload, container, key,
    location)``, in document order, read-only: nothing is created or changed, and a scalar in
    the way ends that path quietly (a check reports what the API server would reject; the
    transformers report what kustomize rejects)."""
    # (container, key, trie node, location, entered): ``entered`` marks an element of a
    # sequence met on the way, which stands at its sequence's place in the paths
    pending: list[tuple[Any, Any, FieldTrie[_Payload], Location, bool]] = [
        ([manifest], 0, trie, (), True)
    ]
    while pending:
        container, key, node, location, entered = pending.pop()
        value = container[key]
        if not entered:
            for payload in node.ends:
                yield payload, container, key, location
        if not node.children or value is None:
            continue
        if isinstance(value, list):
            pending.extend(
                (value, index, node, (*location, index), True)
                for index in reversed(range(len(value)))
            )
        elif isinstance(value, dict):
            pending.extend(
                (value, name, child, (*location, name), False)
                for name, child in reversed(node.children.items())
                if name in value
            )
