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
from typing import Any, Literal

from kgen import yamlio
from kgen.errors import ResourceError
from kgen.fieldspecs import FieldSpec, join_path, selects
from kgen.model import Gvk, Manifest

CreateKind = Literal["map", "scalar"]
"""What a transformer creates at the end of a missing path: a mapping (labels, annotations) or a
scalar (a namespace, a name, a replica count)."""

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
    for container, key, _ in _fields(manifest, spec, create_kind, where, located=False):
        visit(container, key)


Location = tuple[str | int, ...]
"""Where a field is in its object: field names and sequence indexes from the top."""


def located_fields(
    manifest: Manifest, spec: FieldSpec, where: str
) -> Iterator[tuple[Any, Any, Location]]:
    """Every field ``spec.path`` names in ``manifest`` (nothing created, GVK not checked), as
    ``(container, key, location)``: for the checks that name the field they report on."""
    for container, key, location in _fields(manifest, spec, None, where, located=True):
        assert location is not None
        yield container, key, location


def _fields(
    manifest: Manifest,
    spec: FieldSpec,
    create_kind: CreateKind | None,
    where: str,
    *,
    located: bool,
) -> Iterator[tuple[Any, Any, Location | None]]:
    """The walk itself: ``(container, key, location)`` for each field found or created, in
    document order (``location`` only when ``located``)."""
    path = spec.path
    create = spec.create and create_kind is not None
    # (container, key, path index, depth, location): container[key] is the node at path[:index]
    root = [manifest]
    pending: list[tuple[Any, Any, int, int, Location | None]] = [
        (root, 0, 0, 1, () if located else None)
    ]
    while pending:
        container, key, at, depth, location = pending.pop()
        node = container[key]
        if at == len(path):
            if container is not root:
                yield container, key, location
            continue
        if node is None:
            continue
        if isinstance(node, list):
            pending.extend(
                (node, index, at, depth + 1, None if location is None else (*location, index))
                for index in reversed(range(len(node)))
            )
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
            if located:
                continue  # a check looks, it never changes the object
            node[name] = []  # kyaml turns a null it looked up as a sequence into one
        pending.append(
            (node, name, at + 1, depth + 1, None if location is None else (*location, name))
        )
