"""``replacements``: kustomize's ReplacementTransformer (``api/filters/replacement``,
``api/internal/builtins/ReplacementTransformer.go``, ``api/types/replacement.go``).

Each replacement, in order, reads one value from one object (its ``source``) and writes it into
fields of the objects its ``targets`` select; a later replacement sees what an earlier one wrote.

- Objects are selected as kustomize's ``ResId.IsSelectedBy`` selects them: group, version,
  kind, name and namespace compared exactly (no regular expressions; an empty field matches
  anything; the namespace ``""`` is ``default``), against the object's current id or any
  earlier one (its names before prefixes, suffixes and patches; the kinds before patches),
  with the current group and version. A target's ``labelSelector``/``annotationSelector`` must
  match the object; a ``reject`` drops the object if its id part selects any id of the object,
  or, separately, if its label or annotation selector matches the object.
- The source's ``fieldPath`` (default ``metadata.name``) is looked up as kyaml's
  ``PathGetter``: fields, ``[key=value]`` (exact), list indexes and ``-`` (the last element).
  A target's ``fieldPaths`` are matched as kyaml's ``PathMatcher``: fields, indexes,
  ``[key=value]`` (the value a regular expression found anywhere in the element's field, as
  in kustomize v5.5.0), ``[=value]`` and ``*`` (every element); with ``options.create`` the
  missing fields, ``[key=value]`` elements and index-at-end elements are created. A dot inside
  brackets or after a backslash does not split the path.
- ``options.delimiter``/``index`` cut the source value, or splice it into the target's value.
- A scalar written over a scalar takes the target's type, as kyaml copies only the text: a
  string target stays a string, ``"5"`` over ``replicas: 1`` is the number 5, and text the
  target's type cannot hold is kustomize's "cannot decode" error; a created field takes the
  type its text reads as; anything else is replaced by a copy of the source value.

Every message names the kustomization file, the entry (``replacements[2].targets[0]``), the
field path and the objects (kind and name), never a value: a value may come out of a Secret.
What a Secret's value writes into an object is recorded (``Resource.secret_texts``), so that
later messages naming the object or its references show it redacted. Sources and targets are
found through an index by name and kind (every one an object had), not by scanning the layer
for each entry. :func:`run` applies a ``replacements:`` list given as plain data (``path:``
entries read through the loader): the ``ReplacementTransformer`` builtin plugin config reuses
it.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from kgen import patterns, yamlio
from kgen.decode import boolean, string, strings
from kgen.errors import KustomizationError, ResourceError, describe_type, quote
from kgen.fieldspecs import TransformerConfig
from kgen.model import ResId, Resource
from kgen.records import NamedTuple
from kgen.resources import kyaml_text
from kgen.schema import Schema
from kgen.targets import Selector, parse_label_selector

FIELDS = ("replacements",)
DEFAULT_FIELD_PATH = "metadata.name"

Reader = Callable[[str, str], bytes]
"""(a path relative to the kustomization, where) -> the file's bytes, through the loader."""

_ID_FIELDS = ("group", "version", "kind", "name", "namespace")
_SELECTOR_FIELDS = (*_ID_FIELDS, "labelSelector", "annotationSelector")
_SOURCE_FIELDS = (*_ID_FIELDS, "fieldPath", "options")
_TARGET_FIELDS = ("select", "reject", "fieldPaths", "options")
_OPTION_FIELDS = ("delimiter", "index", "encoding", "create")
_ENTRY_FIELDS = ("source", "targets", "path")


# -- settings ------------------------------------------------------------------------------


class Options(NamedTuple):
    """kustomize's ``FieldOptions`` (``encoding`` is read and, as in kustomize, unused)."""

    delimiter: str = ""
    index: int = 0  # type: ignore[assignment]  # (shadows tuple.index, never called here)
    create: bool = False


class IdSelector(NamedTuple):
    """A ``ResId`` as a selector: each non-empty field must equal the id's."""

    group: str = ""
    version: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""

    def selects(self, rid: ResId) -> bool:
        """kustomize's ``ResId.IsSelectedBy``."""
        return (
            (not self.name or self.name == rid.name)
            and (not self.namespace or _effective(self.namespace) == _effective(rid.namespace))
            and (not self.group or self.group == rid.group)
            and (not self.version or self.version == rid.version)
            and (not self.kind or self.kind == rid.kind)
        )

    @property
    def empty(self) -> bool:
        return not (self.group or self.version or self.kind or self.name or self.namespace)

    def describe(self) -> str:
        """The selector for messages: ``kind "ConfigMap", name "cfg"`` (its names only)."""
        parts = [
            f"{name} {quote(getattr(self, name))}" for name in _ID_FIELDS if getattr(self, name)
        ]
        return ", ".join(parts) if parts else "any object"


class Source(NamedTuple):
    id: IdSelector
    field_path: str
    options: Options


class Reject(NamedTuple):
    id: IdSelector
    metadata: Selector | None
    """The label/annotation part, ``None`` when both are empty."""


class Target(NamedTuple):
    select: IdSelector | None
    """``None``: the target has no ``select`` (kustomize's error when it is reached)."""
    metadata: Selector
    rejects: tuple[Reject, ...]
    field_paths: tuple[str, ...]
    options: Options
    at: str
    """``replacements[0].targets[1]``."""


class Replacement(NamedTuple):
    source: Source | None
    targets: tuple[Target, ...] | None
    """``None`` (or, inline, empty): kustomize's "must specify a source and at least one
    target", raised when the replacement is reached."""
    at: str
    """``replacements[0]``, or ``replacements[0]: repl.yaml[2]`` for one read from a file."""


class PathEntry(NamedTuple):
    path: str
    at: str


Entry = Replacement | PathEntry


def parse(fields: Mapping[str, Any], where: str) -> tuple[Entry, ...] | None:
    """The kustomization's ``replacements:`` (inline entries decoded strictly, as kustomize
    decodes the kustomization; ``path:`` entries read by :func:`load`)."""
    value = fields.get("replacements")
    if value is None or value == []:
        return None
    return parse_entries(value, where, "replacements")


def parse_entries(value: Any, where: str, field: str, *, strict: bool = True) -> tuple[Entry, ...]:
    """A ``replacements:`` list as plain data (``field``: its name in messages). ``strict``:
    decoded as the kustomization is (unknown fields refused; an empty ``targets`` list is
    none, as kustomize's omitempty round trip to the plugin leaves it); else as the
    ReplacementTransformer plugin decodes its own config (unknown fields ignored)."""
    if not isinstance(value, list):
        raise KustomizationError(where, f"{field}: expected a list, got {describe_type(value)}")
    entries: list[Entry] = []
    for number, item in enumerate(value):
        at = f"{field}[{number}]"
        data = _mapping(item, where, at, strict=strict, allowed=_ENTRY_FIELDS)
        path = string(data.get("path"), where, f"{at}.path")
        if path:
            if data.get("source") is not None or data.get("targets"):
                raise KustomizationError(
                    where, f"{at}: cannot specify both path and inline replacement"
                )
            entries.append(PathEntry(path, at))
        else:
            entries.append(_replacement(data, where, at, strict=strict, inline=strict))
    return tuple(entries)


def load(
    entries: tuple[Entry, ...], read: Reader, where: str, schema: Schema
) -> tuple[Replacement, ...]:
    """The registry's ``load``: :func:`load_entries` (no schema needed)."""
    del schema
    return load_entries(entries, read, where)


def load_entries(entries: tuple[Entry, ...], read: Reader, where: str) -> tuple[Replacement, ...]:
    """The replacements, with those of each ``path:`` file read (through the loader) in place:
    a list of replacements or one, decoded as kustomize decodes it (unknown fields ignored)."""
    loaded: list[Replacement] = []
    for entry in entries:
        if isinstance(entry, Replacement):
            loaded.append(entry)
            continue
        at = f"{where}: {entry.at}"
        data = yamlio.load_value(read(entry.path, at), f"{at} ({entry.path})")
        prefix = f"{entry.at}: {entry.path}"
        if isinstance(data, list):
            for number, item in enumerate(data):
                item_at = f"{prefix}[{number}]"
                fields = _mapping(item, where, item_at, strict=False, allowed=_ENTRY_FIELDS)
                loaded.append(_replacement(fields, where, item_at, strict=False, inline=False))
        elif isinstance(data, dict):
            fields = _mapping(data, where, prefix, strict=False, allowed=_ENTRY_FIELDS)
            loaded.append(_replacement(fields, where, prefix, strict=False, inline=False))
        else:
            raise KustomizationError(
                where,
                f"{prefix}: unsupported replacement type encountered within replacement path: "
                f"expected a list or a mapping, got {describe_type(data)}",
            )
    return tuple(loaded)


def _mapping(
    value: Any, where: str, at: str, *, strict: bool, allowed: tuple[str, ...]
) -> dict[str, Any]:
    """Go ``encoding/json`` into a struct: names match ignoring case (the last spelling wins);
    unknown names are errors when ``strict`` (the kustomization), else ignored (a file)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KustomizationError(where, f"{at}: expected a mapping, got {describe_type(value)}")
    folded = {name.casefold(): name for name in allowed}
    fields: dict[str, Any] = {}
    for key in sorted(value, key=str):
        text = str(key)
        name = text if text in allowed else folded.get(text.casefold())
        if name is None:
            if strict:
                raise KustomizationError(where, f"{at}: unknown field {quote(text)}")
            continue
        fields[name] = value[key]
    return fields


def _replacement(
    data: dict[str, Any], where: str, at: str, *, strict: bool, inline: bool
) -> Replacement:
    source_data = data.get("source")
    source = None
    if source_data is not None:
        fields = _mapping(source_data, where, f"{at}.source", strict=strict, allowed=_SOURCE_FIELDS)
        source = Source(
            _id_selector(fields, where, f"{at}.source"),
            string(fields.get("fieldPath"), where, f"{at}.source.fieldPath") or DEFAULT_FIELD_PATH,
            _options(fields.get("options"), where, f"{at}.source.options", strict=strict),
        )
    targets_data = data.get("targets")
    targets: tuple[Target, ...] | None = None
    if targets_data is not None:
        if not isinstance(targets_data, list):
            raise KustomizationError(
                where, f"{at}.targets: expected a list, got {describe_type(targets_data)}"
            )
        targets = tuple(
            _target(item, where, f"{at}.targets[{number}]", strict=strict)
            for number, item in enumerate(targets_data)
        )
        if inline and not targets:
            targets = None
    return Replacement(source, targets, at)


def _target(value: Any, where: str, at: str, *, strict: bool) -> Target:
    fields = _mapping(value, where, at, strict=strict, allowed=_TARGET_FIELDS)
    select_data = fields.get("select")
    select = None
    metadata = Selector(patterns=(None,) * 5)
    if select_data is not None:
        select_fields = _mapping(
            select_data, where, f"{at}.select", strict=strict, allowed=_SELECTOR_FIELDS
        )
        select = _id_selector(select_fields, where, f"{at}.select")
        metadata = _metadata_selector(select_fields, where, f"{at}.select") or metadata
    rejects_data = fields.get("reject")
    rejects: list[Reject] = []
    if rejects_data is not None:
        if not isinstance(rejects_data, list):
            raise KustomizationError(
                where, f"{at}.reject: expected a list, got {describe_type(rejects_data)}"
            )
        for number, item in enumerate(rejects_data):
            item_at = f"{at}.reject[{number}]"
            reject_fields = _mapping(item, where, item_at, strict=strict, allowed=_SELECTOR_FIELDS)
            rejects.append(
                Reject(
                    _id_selector(reject_fields, where, item_at),
                    _metadata_selector(reject_fields, where, item_at),
                )
            )
    paths = strings(fields.get("fieldPaths"), where, f"{at}.fieldPaths") or (DEFAULT_FIELD_PATH,)
    options = _options(fields.get("options"), where, f"{at}.options", strict=strict)
    return Target(select, metadata, tuple(rejects), paths, options, at)


def _id_selector(fields: dict[str, Any], where: str, at: str) -> IdSelector:
    return IdSelector(*(string(fields.get(name), where, f"{at}.{name}") for name in _ID_FIELDS))


def _metadata_selector(fields: dict[str, Any], where: str, at: str) -> Selector | None:
    labels = string(fields.get("labelSelector"), where, f"{at}.labelSelector")
    annotations = string(fields.get("annotationSelector"), where, f"{at}.annotationSelector")
    if not labels and not annotations:
        return None
    return Selector(
        label_selector=parse_label_selector(labels, where, f"{at}.labelSelector"),
        annotation_selector=parse_label_selector(annotations, where, f"{at}.annotationSelector"),
        patterns=(None,) * 5,
    )


def _options(value: Any, where: str, at: str, *, strict: bool) -> Options:
    fields = _mapping(value, where, at, strict=strict, allowed=_OPTION_FIELDS)
    string(fields.get("encoding"), where, f"{at}.encoding")
    index = fields.get("index")
    if index is None:
        index = 0
    elif isinstance(index, float) and index.is_integer():
        index = int(index)
    elif isinstance(index, bool) or not isinstance(index, int):
        raise KustomizationError(
            where, f"{at}.index: expected an integer, got {describe_type(index)}"
        )
    return Options(
        string(fields.get("delimiter"), where, f"{at}.delimiter"),
        index,
        boolean(fields.get("create"), where, f"{at}.create"),
    )


# -- the transformer -----------------------------------------------------------------------


def apply(
    resources: list[Resource],
    replacements: tuple[Replacement, ...],
    config: TransformerConfig,
    where: str,
) -> None:
    del config
    apply_replacements(resources, replacements, where)


def run(
    resources: list[Resource],
    data: Any,
    read: Reader,
    where: str,
    field: str,
    *,
    strict: bool = True,
) -> None:
    """Apply a ``replacements:`` list given as plain data (``field``: its name in messages),
    its ``path:`` entries read with ``read``: what the ReplacementTransformer plugin does
    (``strict=False`` for the plugin's own config, see :func:`parse_entries`)."""
    entries = parse_entries(data, where, field, strict=strict)
    apply_replacements(resources, load_entries(entries, read, where), where)


def apply_replacements(
    resources: list[Resource], replacements: tuple[Replacement, ...], where: str
) -> None:
    """Run the replacements in order over the layer's resources (in place)."""
    index = _Index(resources)
    for replacement in replacements:
        if replacement.source is None or replacement.targets is None:
            raise KustomizationError(
                where,
                f"{replacement.at}: replacements must specify a source and at least one target",
            )
        value = _source_value(index, replacement.source, where, replacement.at)
        for target in replacement.targets:
            _apply_target(index, value, target, where)


class _Index:
    """The layer's resources by every name and every kind they had (current and earlier), so
    that a selector with a name or a kind looks at its candidates only; kept up to date when a
    replacement writes an object's id fields."""

    def __init__(self, resources: list[Resource]) -> None:
        self.resources = resources
        self.by_name: dict[str, set[int]] = {}
        self.by_kind: dict[str, set[int]] = {}
        self.keys: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self.ids: list[tuple[ResId, ...]] = []
        for number in range(len(resources)):
            self.keys.append(((), ()))
            self.ids.append(())
            self.refresh(number)

    def refresh(self, number: int) -> None:
        ids = _resource_ids(self.resources[number])
        old_names, old_kinds = self.keys[number]
        for name in old_names:
            self.by_name[name].discard(number)
        for kind in old_kinds:
            self.by_kind[kind].discard(number)
        names = tuple(dict.fromkeys(rid.name for rid in ids))
        kinds = tuple(dict.fromkeys(rid.kind for rid in ids))
        for name in names:
            self.by_name.setdefault(name, set()).add(number)
        for kind in kinds:
            self.by_kind.setdefault(kind, set()).add(number)
        self.keys[number] = (names, kinds)
        self.ids[number] = ids

    def candidates(self, selector: IdSelector) -> Iterator[int]:
        """The positions of the objects that may match ``selector``, in order."""
        if selector.name:
            return iter(sorted(self.by_name.get(selector.name, ())))
        if selector.kind:
            return iter(sorted(self.by_kind.get(selector.kind, ())))
        return iter(range(len(self.resources)))

    def describe(self, number: int) -> str:
        return _describe(self.resources[number].id)


def _resource_ids(resource: Resource) -> tuple[ResId, ...]:
    """kustomize's ``MakeResIds``: the current id, then each earlier one (with the current
    group and version, as kustomize keeps only earlier names, namespaces and kinds)."""
    current = resource.id
    earlier = (
        ResId(current.group, current.version, rid.kind, rid.name, rid.namespace)
        for rid in resource.previous_ids
    )
    return (current, *earlier)


def _effective(namespace: str) -> str:
    return namespace or "default"


def _describe(rid: ResId) -> str:
    api_version = f"{rid.group}/{rid.version}" if rid.group else rid.version
    namespace = f" in namespace {quote(rid.namespace)}" if rid.namespace else ""
    return f"{rid.kind} {quote(rid.name)} ({api_version}){namespace}"


# -- values --------------------------------------------------------------------------------


class _Value(NamedTuple):
    """The value a replacement carries: a scalar's text and tag (as kyaml holds the node), or
    a mapping or a list; ``secrets``: the texts in it that came out of a Secret's
    ``data``/``stringData``."""

    text: str
    tag: str
    """``str``, ``int``, ``float``, ``bool``, ``null``, or ``""`` for a mapping or a list."""
    node: Any
    secrets: tuple[str, ...]

    @property
    def scalar(self) -> bool:
        return self.tag != ""


class _Untagged:
    """A scalar ``options.create`` made (kyaml's new node has no tag): set at once, it takes
    the type of the text written into it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _scalar_tag(value: Any) -> str:
    if isinstance(value, _Untagged):
        return ""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if value is None:
        return "null"
    return "str"


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _Untagged):
        return value.text
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _make_value(node: Any, text: str | None, secrets: tuple[str, ...]) -> _Value:
    """The value of a source field; ``text``: the text it was written with, when kgen loaded
    it as something else (a timestamp, ``0.50``, an annotation kgen keeps as a string), whose
    tag is then the one goyaml resolved it to."""
    if isinstance(node, dict | list):
        return _Value("", "", node, secrets)
    if text is None:
        return _Value(_scalar_text(node), _scalar_tag(node), node, secrets)
    try:
        tag = yamlio.resolve_plain(text)[0]
    except ValueError:
        tag = _scalar_tag(node)
    return _Value(text, tag, node, secrets)


def _source_value(index: _Index, source: Source, where: str, at: str) -> _Value:
    """kustomize's ``getReplacement``: the one object the source selects, and its field."""
    found: list[int] = []
    for number in index.candidates(source.id):
        if any(source.id.selects(rid) for rid in index.ids[number]):
            found.append(number)
            if len(found) > 1:
                raise ResourceError(
                    where,
                    f"{at}.source: multiple matches for {source.id.describe()}: "
                    f"{index.describe(found[0])} and {index.describe(number)}",
                )
    if not found:
        raise ResourceError(where, f"{at}.source: nothing selected by {source.id.describe()}")
    number = found[0]
    resource = index.resources[number]
    path = split_path(source.field_path)
    try:
        node, location = _lookup(resource.manifest, [part.strip() for part in path if part.strip()])
    except _PathError as exc:
        raise ResourceError(
            where,
            f"{at}.source: {index.describe(number)}: error looking up replacement source "
            f"{quote(source.field_path)}: {exc.message}",
        ) from None
    if node is None or node in ({}, []):
        raise ResourceError(
            where,
            f"{at}.source: fieldPath {quote(source.field_path)} is missing for replacement "
            f"source {index.describe(number)}",
        )
    secrets = _secret_texts(resource, node, location)
    value = _make_value(node, _written_text(resource, location), secrets)
    options = source.options
    if not options.delimiter:
        return value
    if not value.scalar:
        raise ResourceError(
            where,
            f"{at}.source: {index.describe(number)}: {quote(source.field_path)}: delimiter "
            "option can only be used with scalar nodes",
        )
    parts = value.text.split(options.delimiter)
    if not 0 <= options.index < len(parts):
        raise ResourceError(
            where,
            f"{at}.source: {index.describe(number)}: {quote(source.field_path)}: options.index "
            f"{options.index} is out of bounds for the value split by {quote(options.delimiter)}",
        )
    return _Value(parts[options.index], value.tag, None, secrets)


def _written_text(resource: Resource, location: tuple[str | int, ...]) -> str | None:
    """The text a ``data``/``binaryData`` value or a label or annotation was written with,
    when it loaded as something else (``0.50``): kyaml's node keeps that text."""
    if len(location) == 2 and isinstance(location[1], str):
        field = location[0]
    elif len(location) == 3 and location[0] == "metadata" and isinstance(location[2], str):
        field = f"metadata.{location[1]}"
    else:
        return None
    return resource.data_text.get(str(field), {}).get(str(location[-1]))


# -- paths ---------------------------------------------------------------------------------


def split_path(path: str) -> list[str]:
    """kyaml's ``SmarterPathSplitter`` on ``.``: a backslash escapes a dot, a bracketed part
    holding ``=`` is kept whole with its brackets (``[name=a.b]``), another bracketed part is
    one name without them (``[a.b/c]``); a leading dot is dropped."""
    pieces = path.split(".")
    if len(pieces) > 1 and pieces[0] == "":
        pieces = pieces[1:]
    split = [pieces[0]]
    for piece in pieces[1:]:
        if split[-1].endswith("\\"):
            split[-1] = split[-1][:-1] + "." + piece
        else:
            split.append(piece)
    result: list[str] = []
    number = 0
    while number < len(split):
        element = split[number]
        if element.startswith("[") and not element.endswith("]"):
            bracketed = [element]
            while number < len(split) - 1:
                number += 1
                bracketed.append(split[number])
                if split[number].endswith("]"):
                    break
            text = ".".join(bracketed)
            result.append(text if "=" in text else text.strip("[]"))
        else:
            result.append(element)
        number += 1
    return result


@functools.lru_cache(maxsize=1024)
def _split(path: str) -> tuple[str, ...]:
    """:func:`split_path`, once per path (a target's paths are walked in every object)."""
    return tuple(split_path(path))


class _PathError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_GO_INT = patterns.lazy(r"[+-]?[0-9]+")


def _go_atoi(part: str) -> int | None:
    if _GO_INT.fullmatch(part) is None:
        return None
    number = int(part)
    return number if -(2**63) <= number < 2**63 else None


def _kind_name(node: Any) -> str:
    if isinstance(node, dict):
        return "MappingNode"
    if isinstance(node, list):
        return "SequenceNode"
    return "ScalarNode"


def _wrong_kind(expected: str, node: Any) -> _PathError:
    return _PathError(f"wrong node kind: expected {expected} but got {_kind_name(node)}")


def _split_selector(part: str) -> tuple[str, str]:
    body = part.removeprefix("[").removesuffix("]")
    if "=" not in body:
        raise _PathError("list path element must contain fieldName=fieldValue for element to match")
    name, _, value = body.partition("=")
    return name, value


def _lookup(manifest: Any, path: list[str]) -> tuple[Any, tuple[str | int, ...]]:
    """kyaml's ``PathGetter`` without creation: the node (``None`` when missing or null) and
    where it is."""
    node = manifest
    location: list[str | int] = []
    for part in path:
        number = _go_atoi(part)
        if number is not None or part == "-":
            if number is not None and number < 0:
                raise _PathError(f"array index {number} cannot be negative")
            if node is None:
                return None, ()
            if not isinstance(node, list):
                raise _wrong_kind("SequenceNode", node)
            if not node:
                return None, ()
            position = len(node) - 1 if number is None else number
            if position >= len(node):
                return None, ()
            node = node[position]
            location.append(position)
        elif part == "*":
            raise _PathError("wildcard is not supported in PathGetter")
        elif part.startswith("[") and part.endswith("]"):
            name, wanted = _split_selector(part)
            if node is None:
                return None, ()
            if not isinstance(node, list):
                raise _wrong_kind("SequenceNode", node)
            matched = _first_element(node, name, wanted)
            if matched is None:
                return None, ()
            node = node[matched]
            location.append(matched)
        else:
            if node is None:
                return None, ()
            if not isinstance(node, dict):
                raise _wrong_kind("MappingNode", node)
            if part not in node:
                return None, ()
            node = node[part]
            location.append(part)
    return node, tuple(location)


def _node_text(node: Any) -> str:
    """A node's ``Value`` as kyaml compares it: a scalar's text, ``""`` for a collection."""
    return "" if isinstance(node, dict | list) else _scalar_text(node)


def _first_element(elements: list[Any], name: str, wanted: str) -> int | None:
    """kyaml's ``ElementMatcher`` (exact): the first scalar element with text ``wanted`` (no
    ``name``), or the first mapping whose field ``name`` has that text."""
    for position, element in enumerate(elements):
        if not name:
            if _node_text(element) == wanted:
                return position
        elif isinstance(element, dict) and name in element and _node_text(element[name]) == wanted:
            return position
    return None


Slot = tuple[Any, Any]
"""(container, key): ``container[key]`` is a field a target path names."""


def _match(
    container: Any, key: Any, path: Sequence[str], create: str | None, slots: list[Slot]
) -> None:
    """kyaml's ``PathMatcher``: every field ``path`` names below ``container[key]``, created
    on the way when ``create`` (the kind of the last: ``scalar`` or ``collection``)."""
    node = container[key]
    if not path:
        slots.append((container, key))
        return
    part, rest = path[0], path[1:]
    number = _go_atoi(part)
    if number is not None and number >= 0:
        if node is not None and not isinstance(node, list):
            raise _wrong_kind("SequenceNode", node)
        elements = node if node is not None else []
        if len(elements) == number and create is not None:
            elements.append(_new_node(rest, create))
        if len(elements) < number + 1:
            raise _PathError(f"index {number} specified but only {len(elements)} elements found")
        _match(elements, number, rest, create, slots)
        return
    if part.startswith("[") and part.endswith("]"):
        name, pattern = _split_selector(part)
        _match_elements(container, key, name, pattern, part, rest, create, slots)
        return
    if part == "*":
        if node is None:
            return
        if not isinstance(node, list):
            raise _wrong_kind("SequenceNode", node)
        for position in range(len(node)):
            _match(node, position, rest, create, slots)
        return
    if not part and node is not None and isinstance(node, dict | list):
        raise _wrong_kind("ScalarNode", node)
    if node is None or not part:
        if create is None or not part:
            return
        node = {}  # kyaml sets the field in the null node, which stays null: lost
    elif not isinstance(node, dict):
        raise _wrong_kind("MappingNode", node)
    if part not in node:
        if create is None:
            return
        node[part] = _new_node(rest, create)
    _match(node, part, rest, create, slots)


def _match_elements(  # noqa: PLR0917 - one step of the walk
    container: Any,
    key: Any,
    name: str,
    pattern: str,
    part: str,
    rest: Sequence[str],
    create: str | None,
    slots: list[Slot],
    *,
    retried: bool = False,
) -> None:
    node = container[key]
    if node is None:
        if create is not None and not retried:
            # kyaml appends the element to the null node, which stays null: found, then lost
            _match_elements([[]], 0, name, pattern, part, rest, create, slots)
        return
    if not isinstance(node, list):
        raise _wrong_kind("SequenceNode", node)
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise _PathError(f"{quote(part)}: not a regular expression ({exc.msg})") from None
    elements = node
    before = len(slots)
    found = False
    for position, element in enumerate(elements):
        if not name:
            if isinstance(element, dict | list) or not regex.search(_scalar_text(element)):
                continue
            slots.append((elements, position))  # kyaml matches the element, ignoring the rest
            found = True
        elif isinstance(element, dict) and element.get(name) is not None:
            field = element[name]
            if isinstance(field, dict | list) or not regex.search(_scalar_text(field).strip()):
                continue
            _match(elements, position, rest, create, slots)
            found = found or len(slots) > before
    if found or create is None or retried:
        return  # kyaml would create again, forever, when the created element doesn't match
    elements.append(_Untagged(pattern) if not name else {name: _typed(pattern, "")})
    _match_elements(container, key, name, pattern, part, rest, create, slots, retried=True)


def _new_node(rest: Sequence[str], create: str) -> Any:
    """kyaml's ``getPathPartKind``: what a missing part is created as, by the part after it."""
    if not rest:
        return _Untagged("") if create == "scalar" else {}
    following = rest[0]
    if following.startswith("[") and following.endswith("]"):
        return []
    number = _go_atoi(following)
    if number is not None and number >= 0:
        return []
    return {}


def _apply_target(index: _Index, value: _Value, target: Target, where: str) -> None:
    at = target.at
    if target.select is None:
        raise KustomizationError(where, f"{at}: target must specify resources to select")
    id_rejects = [reject.id for reject in target.rejects if not reject.id.empty]
    meta_rejects = [reject.metadata for reject in target.rejects if reject.metadata is not None]
    for number in index.candidates(target.select):
        resource = index.resources[number]
        if not target.metadata.matches(resource) or any(
            reject.matches(resource) for reject in meta_rejects
        ):
            continue
        ids = index.ids[number]
        if not any(target.select.selects(rid) for rid in ids):
            continue
        if any(reject.selects(rid) for reject in id_rejects for rid in ids):
            continue
        _write(index, number, value, target, where)


def _write(index: _Index, number: int, value: _Value, target: Target, where: str) -> None:
    """kustomize's ``copyValueToTarget``."""
    resource = index.resources[number]
    options = target.options
    create = None
    if options.create:
        create = "scalar" if value.scalar else "collection"
    for field_path in target.field_paths:
        verb = "find or create" if create else "find"
        slots: list[Slot] = []
        try:
            _match([resource.manifest], 0, _split(field_path), create, slots)
        except _PathError as exc:
            raise ResourceError(
                where,
                f"{target.at}: {index.describe(number)}: unable to {verb} field "
                f"{quote(field_path)} in replacement target: {exc.message}",
            ) from None
        if not slots:
            raise ResourceError(
                where,
                f"{target.at}: {index.describe(number)}: unable to {verb} field "
                f"{quote(field_path)} in replacement target",
            )
        written: list[str] = []
        for container, key in slots:
            try:
                text = _set(container, key, value, options)
            except _PathError as exc:
                raise ResourceError(
                    where,
                    f"{target.at}: {index.describe(number)}: {quote(field_path)}: {exc.message}",
                ) from None
            if text is not None:
                written.append(text)
            for mapping, name in _one_value_with(resource, container, key):
                _forget_text(resource, mapping, name)
                if _is_annotations(resource, mapping):
                    # kustomize writes the annotations back as strings when it strips its own
                    mapping[name] = kyaml_text(mapping[name], text, null="null")
        if value.secrets:
            _keep_secret(resource, (*value.secrets, *written))
        if _split(field_path)[:1] in (("apiVersion",), ("kind",), ("metadata",), ("*",)):
            index.refresh(number)


def _secret_texts(
    resource: Resource, node: Any, location: tuple[str | int, ...]
) -> tuple[str, ...]:
    """The values of a Secret's ``data``/``stringData`` in a source field (all of them for a
    field above those maps)."""
    if resource.id.kind != "Secret":
        return ()
    if location:
        if location[0] not in {"data", "stringData"}:
            return ()
        pending = [node]
    else:
        pending = [node.get("data"), node.get("stringData")] if isinstance(node, dict) else []
    texts: list[str] = []
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif item is not None:
            texts.append(_scalar_text(item))
    return tuple(texts)


def _keep_secret(resource: Resource, texts: tuple[str, ...]) -> None:
    """Record the texts a value out of a Secret put into ``resource`` (a delimiter splices
    them into others), which no message shows (:func:`kgen.errors.redact`)."""
    for text in texts:
        if text and text not in resource.secret_texts:
            resource.secret_texts.append(text)


def _one_value_with(resource: Resource, container: Any, key: Any) -> list[tuple[Any, Any]]:
    """The field just set and the entries that are one YAML node with it in kustomize (labels
    or annotations one transformer created in several fields: :attr:`Resource.shared_entries`),
    which kyaml's write into that node sets too; each set here to the field's new value."""
    found: list[tuple[Any, Any]] = [(container, key)]
    for shared in resource.shared_entries:
        if any(mapping is container and name == key for mapping, name in shared):
            value = container[key]
            for mapping, name in shared:
                if (mapping is not container or name != key) and name in mapping:
                    mapping[name] = copy.deepcopy(value)
                    found.append((mapping, name))
    return found


def _is_annotations(resource: Resource, container: Any) -> bool:
    metadata = resource.manifest.get("metadata")
    return isinstance(metadata, dict) and container is metadata.get("annotations")


def _set(container: Any, key: Any, value: _Value, options: Options) -> str | None:
    """kustomize's ``setFieldValue``: a scalar takes the text with its own type; anything else
    becomes a copy of the value. Returns the text of the scalar written, if one was."""
    current = container[key]
    scalar_target = not isinstance(current, dict | list)
    text = value.text
    if options.delimiter:
        if not scalar_target:
            raise _PathError("delimiter option can only be used with scalar nodes")
        parts = _scalar_text(current).split(options.delimiter)
        if options.index < 0:
            parts.insert(0, text)
        elif options.index >= len(parts):
            parts.append(text)
        else:
            parts[options.index] = text
        text = options.delimiter.join(parts)
    if scalar_target:
        container[key] = _typed(text, _scalar_tag(current))
    elif value.scalar:
        container[key] = _typed(text, value.tag)
    else:
        container[key] = copy.deepcopy(value.node)
        return None
    return text


def _typed(text: str, tag: str) -> Any:
    """A scalar's text under a tag, as goyaml.v3 decodes it when kustomize writes the object
    out (``""``: untagged, the type the text reads as)."""
    if tag == "str":
        return text
    try:
        found, value = yamlio.resolve_plain(text)
    except ValueError as exc:
        raise _PathError(str(exc)) from None
    if not tag or found == tag:
        return value
    if tag == "float" and found == "int":
        return value
    found = "str" if found == "timestamp" else found  # goyaml tries no timestamp for a tag
    raise _PathError(
        f"the value written is a !!{found} scalar, which the !!{tag} field cannot hold "
        f"(kustomize fails to decode it)"
    )


def _forget_text(resource: Resource, container: Any, key: Any) -> None:
    """A value set in ``data``, ``binaryData`` or a label or annotation map no longer has the
    text it was read with."""
    if not resource.data_text or not isinstance(key, str):
        return
    manifest = resource.manifest
    metadata = manifest.get("metadata")
    meta = metadata if isinstance(metadata, dict) else {}
    for field, mapping in (
        ("data", manifest.get("data")),
        ("binaryData", manifest.get("binaryData")),
        ("metadata.labels", meta.get("labels")),
        ("metadata.annotations", meta.get("annotations")),
    ):
        texts = resource.data_text.get(field)
        if mapping is container and texts and key in texts:
            resource.data_text[field] = {k: v for k, v in texts.items() if k != key}
