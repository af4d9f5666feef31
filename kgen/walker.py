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

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, Generic, Literal, TypeVar

from kgen import patterns, yamlio
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
    steps = _steps(path)
    length = len(steps)
    create = spec.create and create_kind is not None
    # (container, key, path index, depth): container[key] is the node at path[:index]
    root = [manifest]
    pending: list[tuple[Any, Any, int, int]] = [(root, 0, 0, 1)]
    while pending:
        container, key, at, depth = pending.pop()
        node = container[key]
        if at == length:
            if container is not root:
                visit(container, key)
            continue
        kind = type(node)
        if kind is list:
            pending.extend((node, index, at, depth + 1) for index in reversed(range(len(node))))
            continue
        if node is None:
            continue
        if kind is not dict:
            raise ResourceError(
                where,
                f"considering field '{join_path(path)}': expected sequence or mapping node",
            )
        name, is_sequence = steps[at]
        if not name:
            raise ResourceError(
                where,
                f"considering field '{join_path(path)}': cannot set or create an empty field name",
            )
        if create and not is_sequence and node.get(name) is None:
            last = at == length - 1
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


@functools.lru_cache(maxsize=1024)
def _steps(path: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """Each field of a path without its ``[]`` mark, and whether it had one (once per path)."""
    return tuple((name[:-2], True) if name.endswith("[]") else (name, False) for name in path)


Location = tuple[str | int, ...]
"""Where a field is in its object: field names and sequence indexes from the top."""


def location_text(location: Location) -> str:
    """A location as messages write it: ``spec.template.spec.containers[0].env[1]``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_SPECIAL_PATH_ELEMENT = patterns.lazy(r"[+-]?[0-9]+|-|\*|\[.*\]", re.DOTALL)
"""kyaml's path syntax for list indexes and selectors: not a field name."""


class FieldPathError(Exception):
    """A strict :func:`find_fields` walk met what kustomize fails on: ``path`` is the first
    fieldSpec path through the offending trie node, for the caller's message."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message


class FieldTrie(Generic[_Payload]):
    """Many fieldSpec paths, each with a payload, merged on their common prefixes: one
    :func:`find_fields` walk finds the fields of all of them (the reference rewrite and the
    checks, which look at dozens of paths in every object)."""

    __slots__ = ("_reversed", "children", "ends", "error", "first_path")

    def __init__(self, first_path: str = "", error: str | None = None) -> None:
        self.children: dict[str, FieldTrie[_Payload]] = {}
        self.ends: list[_Payload] = []
        self.error = error
        """Set when this path element can't be a map key: kustomize fails on reaching a map."""
        self.first_path = first_path
        """The first fieldSpec path through this node, for messages."""
        self._reversed: tuple[tuple[str, FieldTrie[_Payload]], ...] | None = None

    def reversed_children(self) -> tuple[tuple[str, FieldTrie[_Payload]], ...]:
        """The children, last first (for a stack that pops them in order); kept once made."""
        if self._reversed is None:
            self._reversed = tuple(reversed(self.children.items()))
        return self._reversed

    def add(self, path: tuple[str, ...], payload: _Payload) -> None:
        node = self
        text = join_path(path)
        for element in path:
            name = element.removesuffix("[]")
            error = None
            if not name:
                error = "cannot set or create an empty field name"
            elif _SPECIAL_PATH_ELEMENT.fullmatch(name):
                error = f"fieldName: {name}: not a map key"
            key = element if error else name
            child = node.children.get(key)
            if child is None:
                child = node.children[key] = FieldTrie(text, error)
                node._reversed = None
            node = child
        node.ends.append(payload)

    def has_inner_ends(self) -> bool:
        """True if a path ends where another continues (the caller may then walk one by one,
        as kustomize applies spec after spec)."""
        pending = list(self.children.values())
        while pending:  # iterative: a fieldSpec path may have thousands of fields
            node = pending.pop()
            if node.ends and node.children:
                return True
            pending.extend(node.children.values())
        return False


def find_fields(
    manifest: Manifest, trie: FieldTrie[_Payload], *, strict: bool = False, located: bool = True
) -> Iterator[tuple[_Payload, Any, Any, Location]]:
    """Every field the paths of ``trie`` name in ``manifest``, as ``(payload, container, key,
    location)``, depth first in path order: kustomize's ``fieldspec.Filter`` without creation.
    The caller may replace ``container[key]`` before the walk goes on below it (the walk reads
    it afterwards). Nothing is created.

    ``strict`` (the reference rewrite): a scalar where a path goes on, or a path element that
    is no field name, raises :class:`FieldPathError` as kustomize fails. Otherwise (checks)
    such a path ends quietly, and the walk changes nothing. Without ``located``, every
    location given is ``()`` (a caller that does not use them)."""
    # (container, key, trie node, link, entered): ``link`` is (the parent's link, key) and
    # spelled out as a location only for the fields found; ``entered`` marks an element of a
    # sequence met on the way, which stands at its sequence's place in the paths; a node with
    # an error is pushed where its walk would be, so that errors come in path order
    pending: list[tuple[Any, Any, FieldTrie[_Payload], Any, bool]] = [
        ([manifest], 0, trie, None, True)
    ]
    while pending:
        container, key, node, link, entered = pending.pop()
        if node.error is not None:
            raise FieldPathError(node.first_path, node.error)
        if not entered and node.ends:
            location = _location(link) if located else ()
            for payload in node.ends:
                yield payload, container, key, location
        children = node.children
        if not children:
            continue
        value = container[key]
        kind = type(value)
        if kind is dict:
            for name, child in node.reversed_children():
                if name in value or (strict and child.error is not None):
                    pending.append((value, name, child, (link, name), False))
        elif kind is list:
            pending.extend(
                (value, index, node, (link, index), True) for index in reversed(range(len(value)))
            )
        elif strict and value is not None:
            raise FieldPathError(node.first_path, "expected sequence or mapping node")


def _location(link: Any) -> Location:
    parts: list[str | int] = []
    while link is not None:
        link, part = link
        parts.append(part)
    return tuple(reversed(parts))
