"""``vars:``: kustomize's deprecated variables, ``$(NAME)`` in the varReference fields.

kustomize's ``api/types/var.go``, ``ResAccumulator.MergeVars``/``ResolveVars``
(``api/internal/accumulator``) and ``api/filters/refvar``:

* a var names an object (``objref``: ``apiVersion`` or ``group``/``version``, ``kind``,
  ``name``, optionally ``namespace``) and one of its fields (``fieldref.fieldPath``, default
  ``metadata.name``, kyaml's path syntax: ``spec.ports[0].port``, ``[name=x]``);
* each kustomization, after its transformers, looks its vars' objects up among its resources by
  any id they had (group, version, kind and name equal; the namespace too when the objref has
  one): two matches are an error, one is remembered on the object (which keeps it through the
  renames and generator merges above), none is an error only once the vars are resolved;
* vars accumulate upward, bases first; a name declared twice is an error (twice the same base,
  through two paths, too);
* at the top, after the hash suffixes and the name-reference rewrite, each var takes the value of
  its field in its object (a string, number or boolean; a mapping or a list is never
  substituted) and every ``$(NAME)`` in the strings at the varReference fieldSpecs is replaced:
  a string that is exactly ``$(NAME)`` takes the value with its type, elsewhere its text;
  ``$$`` is a ``$``; an unknown name stays as written. A list found there must hold strings
  only. Vars never substituted are reported (a warning, as kustomize logs them).

Linear: the objects are found through an index of every id, and each object's varReference
fields are found in one walk of a trie of their paths. Messages name the kustomization, the
``vars[i]`` entry and the object, never a value: a var read out of a Secret is a secret.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from kgen import patterns, yamlio
from kgen.decode import lowered, string
from kgen.emit import go_format_g, literal_block_in_kyaml
from kgen.errors import KustomizationError, ResourceError, describe_type, quote
from kgen.fieldspecs import FieldSpec, join_path, selects
from kgen.findings import Finding
from kgen.model import Gvk, Manifest, ResId, Resource
from kgen.records import NamedTuple
from kgen.scopes import is_cluster_scoped
from kgen.walker import FieldPathError, FieldTrie, Location, find_fields, location_text
from kgen.yamlio import CONTROL_CHARACTER, JSON_UNPRINTABLE, WRITTEN_EMPTY, WRITTEN_STYLED

DEFAULT_FIELD_PATH = "metadata.name"
_VAR_FIELDS = ("name", "objref", "fieldref")
_OBJREF_FIELDS = ("apiVersion", "group", "version", "kind", "name", "namespace")
_FIELDREF_FIELDS = ("fieldPath",)
_INT64 = 1 << 63
_DOLLAR = ord("$")
_OPEN = ord("(")
_BASE64_LINE = 70
_UINT64 = 1 << 64


class Var(NamedTuple):
    """One ``vars:`` entry, with the GVK its objref gives (kustomize's ``Target.GVK()``)."""

    name: str
    target: ResId
    """group, version, kind, name and namespace (``""``: any) of the object it reads."""
    field_path: str
    where: str
    """``path/kustomization.yaml: vars[2]``, the prefix of every message about it."""


# --------------------------------------------------------------------------------------------
# Parsing (pure)


def parse_vars(data: Any, where: str) -> tuple[Var, ...]:
    """The ``vars:`` of a kustomization, as Go's ``encoding/json`` decodes them."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise KustomizationError(where, f"vars: expected a list, got {describe_type(data)}")
    return tuple(_parse_var(entry, f"{where}: vars[{number}]") for number, entry in enumerate(data))


def _parse_var(entry: Any, at: str) -> Var:
    fields = _mapping(entry, at, "", _VAR_FIELDS)
    objref = _mapping(fields.get("objref"), at, "objref", _OBJREF_FIELDS)
    fieldref = _mapping(fields.get("fieldref"), at, "fieldref", _FIELDREF_FIELDS)
    texts = {name: string(objref.get(name), at, f"objref.{name}") for name in _OBJREF_FIELDS}
    group, version = texts["group"], texts["version"]
    api_version = texts["apiVersion"]
    if api_version:  # Target.GVK(): group/version, or a version alone; more slashes: neither
        parts = api_version.split("/")
        if len(parts) == 2:
            group, version = parts
        elif len(parts) == 1:
            version = api_version
    target = ResId(group, version, texts["kind"], texts["name"], texts["namespace"])
    path = string(fieldref.get("fieldPath"), at, "fieldref.fieldPath") or DEFAULT_FIELD_PATH
    return Var(string(fields.get("name"), at, "name"), target, path, at)


def _mapping(value: Any, at: str, field: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        prefix = f"{field}: " if field else ""
        raise KustomizationError(at, f"{prefix}expected a mapping, got {describe_type(value)}")
    return lowered(value, allowed, f"{at}.{field}" if field else at)


# --------------------------------------------------------------------------------------------
# Accumulation: each kustomization's vars find their objects; the var sets merge upward


VarSet = dict[str, Var]
"""The vars a kustomization knows (its own and its bases'), by name, in declaration order."""


def merge_var_set(into: VarSet, incoming: Mapping[str, Var], at: str) -> None:
    """kustomize's ``VarSet.MergeSet`` of a base's vars (``at``: its ``resources[i]`` entry):
    any name already known is an error, even for the same var reached twice."""
    for name, var in incoming.items():
        known = into.get(name)
        if known is not None:
            twice = (
                f"var {quote(name)} of {var.where} is reached twice, through two paths to one "
                "kustomization"
                if known.where == var.where
                else f"var {quote(name)} is declared twice: by {known.where} and by {var.where}"
            )
            raise KustomizationError(at, f"{twice} (kustomize refuses a var declared twice)")
        into[name] = var


def add_vars(resources: Sequence[Resource], own: Sequence[Var], into: VarSet) -> None:
    """kustomize's ``MergeVars``: each var of this kustomization is remembered on the object
    its objref names (by any id the object had), then joins the set."""
    if not own:
        return
    index = _IdIndex(resources)
    for var in own:
        matched = index.find(var.target)
        if len(matched) > 1:
            shown = ", ".join(_show(resource.id) for resource in matched)
            raise ResourceError(
                var.where,
                f"var {quote(var.name)}: its objref matches {len(matched)} objects ({shown}); "
                "give objref a namespace to choose one",
            )
        if matched:
            matched[0].var_names.append(var.name)
    for var in own:
        known = into.get(var.name)
        if known is not None:
            raise KustomizationError(
                var.where, f"var {quote(var.name)} is already declared by {known.where}"
            )
        into[var.name] = var


class _IdIndex:
    """Every id (current and earlier) of a layer's objects, by group, version, kind and name."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._by_gvkn: dict[tuple[str, str, str, str], list[tuple[Resource, set[str]]]] = {}
        for resource in resources:
            seen: dict[tuple[str, str, str, str], set[str]] = {}
            for rid in (*resource.previous_ids, resource.id):
                seen.setdefault((rid.group, rid.version, rid.kind, rid.name), set()).add(
                    _effective_namespace(rid)
                )
            for key, namespaces in seen.items():
                self._by_gvkn.setdefault(key, []).append((resource, namespaces))

    def find(self, target: ResId) -> list[Resource]:
        """``GetMatchingResourcesByAnyId``: ``GvknEquals``, or ``Equals`` with a namespace (the
        objref's namespace is never taken as cluster-scoped: kyaml leaves that unset)."""
        rows = self._by_gvkn.get((target.group, target.version, target.kind, target.name), [])
        if not target.namespace:
            return [resource for resource, _ in rows]
        return [resource for resource, namespaces in rows if target.namespace in namespaces]


def _effective_namespace(rid: ResId) -> str:
    if is_cluster_scoped(rid.gvk):
        return "_non_namespaceable_"
    return rid.namespace or "default"


def _show(rid: ResId) -> str:
    shown = f"{rid.kind or '[noKind]'} {quote(rid.name)}"
    return shown + (f" in namespace {quote(rid.namespace)}" if rid.namespace else "")


# --------------------------------------------------------------------------------------------
# Resolution, at the top


class Unsubstitutable(NamedTuple):
    """The value of a var whose field is a mapping or a list: kustomize never substitutes it."""

    kind: str
    """``a mapping`` or ``a list``."""


Value = str | int | float | bool


def resolve_vars(
    resources: Sequence[Resource], var_set: Mapping[str, Var], specs: tuple[FieldSpec, ...]
) -> list[Finding]:
    """Substitute the vars in the varReference fields of ``resources`` (in place); the vars
    never substituted, as warnings. Nothing is visited without vars (as in kustomize)."""
    if not var_set:
        return []
    values = _var_values(resources, var_set)
    counts: dict[str, int] = {}

    def lookup(name: str) -> Value | None:
        value = values.get(name)
        if value is None or isinstance(value, Unsubstitutable):
            return None
        counts[name] = counts.get(name, 0) + 1
        return value

    plan = _Plan(specs)
    for resource in resources:
        tries = plan.tries_for(resource.id.gvk)
        if tries:
            _Substitution(resource, lookup).run(tries)
    findings = []
    for name in sorted(var_set):
        if name in counts:
            continue
        var = var_set[name]
        value = values[name]
        why = (
            f"its field {quote(var.field_path)} is {value.kind}, which kustomize never substitutes"
            if isinstance(value, Unsubstitutable)
            else f"no $({name}) in a varReference field"
        )
        findings.append(Finding("unused-var", var.where, f"var {quote(name)} is never used: {why}"))
    return findings


def _var_values(
    resources: Sequence[Resource], var_set: Mapping[str, Var]
) -> dict[str, Value | Unsubstitutable]:
    """``makeVarReplacementMap``: each var's value, in name order (the first error wins)."""
    owners: dict[str, Resource] = {}
    for resource in resources:
        for name in resource.var_names:
            owners.setdefault(name, resource)
    values: dict[str, Value | Unsubstitutable] = {}
    for name in sorted(var_set):
        var = var_set[name]
        owner = owners.get(name)
        if owner is None:
            raise ResourceError(
                var.where,
                f"var {quote(name)}: no object matches its objref ({_describe_target(var)}) "
                "among the resources (an objref names the object with its apiVersion, by a name "
                "it had in the var's kustomization, before the prefixes, suffixes and hashes "
                "above it)",
            )
        holder, key, node = _located(owner.manifest, var.field_path)
        value = _value_of(node)
        if type(value) is int and not _atoi_reads(_written(owner, holder, key), value):
            raise ResourceError(
                var.where,
                f"var {quote(name)}: field {quote(var.field_path)} of {_show(owner.id)} is an "
                "integer not written in decimal digits (0x.., 0o.., 1_000), which kustomize "
                "fails to read (strconv.Atoi; it reports the field not found)",
            )
        if value is None:
            raise ResourceError(
                var.where,
                f"var {quote(name)}: field {quote(var.field_path)} not found in {_show(owner.id)}",
            )
        values[name] = value
    return values


def _describe_target(var: Var) -> str:
    target = var.target
    api_version = f"{target.group}/{target.version}" if target.group else target.version
    shown = f"{target.kind or '[noKind]'} {quote(target.name)}"
    shown += f", apiVersion {quote(api_version)}" if api_version else ", no apiVersion"
    return shown + (f", namespace {quote(target.namespace)}" if target.namespace else "")


_MISSING: Any = object()
"""A path element kyaml finds nothing at (or fails on)."""


def field_value(manifest: Manifest, path: str) -> Value | Unsubstitutable | None:
    """kyaml's ``RNode.GetFieldValue``: the field at ``path`` (kyaml's path syntax) as a
    string, number or boolean (null: ``"null"``), or ``None`` where kustomize finds no field
    or fails to read it."""
    return _value_of(_located(manifest, path)[2])


def _located(manifest: Manifest, path: str) -> tuple[Any, str, Any]:
    """(what holds the field at ``path``, the path's last part, the field's value:
    ``_MISSING`` where kyaml finds nothing)."""
    holder: Any = None
    part = ""
    node: Any = manifest
    for part in _lookup_parts(path):
        holder = node
        node = _step(node, part)
        if node is _MISSING:
            break
    return holder, part, node


def _value_of(node: Any) -> Value | Unsubstitutable | None:
    """:func:`field_value` of the node found."""
    if node is _MISSING:
        return None
    if isinstance(node, dict):
        return Unsubstitutable("a mapping")
    if isinstance(node, list):
        return Unsubstitutable("a list")
    if node is None:
        return "null"
    if isinstance(node, bool | str | float):
        return node
    if isinstance(node, int):
        if -_INT64 <= node < _INT64:
            return node
        # goyaml.v3 tags a uint64 !!int, which strconv.Atoi fails on; beyond it, a float
        return None if node < _UINT64 else float(node)
    return None


def _written(resource: Resource, holder: Any, key: str) -> str | None:
    """The text the entry ``key`` of the mapping ``holder`` was written with, where the loader
    noted one (a number written otherwise than Python writes it: ``0x2``, ``0o17``, ``+5``)."""
    if not isinstance(holder, dict):
        return None
    for mapping, name, how in resource.notes:
        if mapping is holder and name == key and how not in (WRITTEN_EMPTY, WRITTEN_STYLED):
            return how
    return None


def _atoi_reads(text: str | None, value: int) -> bool:
    """Whether Go's ``strconv.Atoi`` reads the integer ``value`` from ``text`` as written
    (``None``: written as Python writes it, which it reads). A text that no longer reads as
    the value (a transformer set a new one) is not the value's."""
    if text is None:
        return True
    try:
        written = yamlio.resolve_plain(text)[1]
    except ValueError:
        return True
    if type(written) is not int or written != value:
        return True
    return _GO_INT.fullmatch(text) is not None


_SLICE_INDEX = patterns.lazy(r"(.*)\[([0-9]+)\]", re.DOTALL)
_GO_INT = patterns.lazy(r"[+-]?[0-9]+")


def _lookup_parts(path: str) -> list[str]:
    """``SmarterPathSplitter(path, ".")``, ``convertSliceIndex`` and ``cleanPath``."""
    from kgen.transformers.replacements import split_path

    joined = split_path(path)
    parts: list[str] = []
    for element in joined:
        match = _SLICE_INDEX.fullmatch(element) if element.endswith("]") else None
        if match is None:
            parts.append(element)
        else:
            if match[1]:
                parts.append(match[1])
            parts.append(match[2])
    return [part.strip() for part in parts if part.strip()]


def _step(node: Any, part: str) -> Any:
    """One element of kyaml's ``PathGetter`` without creation; a failure is a miss."""
    if _GO_INT.fullmatch(part) and -_INT64 <= int(part) < _INT64:  # strconv.Atoi
        index = int(part)
        if index < 0 or not isinstance(node, list):
            return _MISSING
        return node[index] if index < len(node) else _MISSING
    if part == "-":
        return node[-1] if isinstance(node, list) and node else _MISSING
    if part == "*":
        return _MISSING
    if part.startswith("[") and part.endswith("]"):
        name, equals, wanted = part[1:-1].partition("=")
        if not equals or not isinstance(node, list):
            return _MISSING
        for element in node:
            if name:
                found = isinstance(element, dict) and name in element
                if found and _node_text(element[name]) == wanted:
                    return element
            elif _node_text(element) == wanted:
                return element
        return _MISSING
    if node is None:
        return _MISSING
    if not isinstance(node, dict):
        return _MISSING
    return node.get(part, _MISSING)


def _node_text(value: Any) -> str:
    """A node's ``Value`` as kyaml compares it: a scalar's text, ``""`` for a collection."""
    if isinstance(value, dict | list):
        return ""
    return _typed_text(value) if value is not None else "null"


def _typed_text(value: Value) -> str:
    """The text refvar's ``updateNodeValue`` writes for a value (floats in ``'f'`` format)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _format_f(value)
    return str(value)


def _format_f(number: float) -> str:
    """Go ``strconv.FormatFloat(f, 'f', -1, 64)``: the shortest digits, never an exponent."""
    from decimal import Decimal

    text = format(Decimal(repr(number)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _inline_text(value: Value) -> str:
    """Go's ``fmt.Sprintf("%v", value)`` for a value inside a longer string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_format_g(value)
    return str(value)


def expand(text: str, lookup: Callable[[str], Value | None]) -> Value:
    """refvar's ``DoReplacements``, byte for byte as Go does it: ``$(NAME)`` is replaced with
    ``lookup(NAME)`` (``None``: kept as written), ``$$`` is ``$``; a ``$`` before any other
    byte is kept with that byte read as a character on its own (which garbles a multi-byte
    character after a ``$``, as in kustomize: such a string, no longer UTF-8, comes out as its
    base64, as goyaml writes it)."""
    if "$" not in text:
        return text
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)
    out = bytearray()
    checkpoint = 0
    cursor = 0
    while cursor < size:
        if data[cursor] == _DOLLAR and cursor + 1 < size:
            out += data[checkpoint:cursor]
            following = data[cursor + 1]
            advance = 1
            if following == _DOLLAR:
                out += b"$"
            elif following == _OPEN:
                close = data.find(b")", cursor + 2)
                if close < 0:
                    out += b"$("
                else:
                    name = data[cursor + 2 : close].decode("utf-8", "surrogatepass")
                    mapped = lookup(name)
                    if cursor == 0 and close == size - 1:
                        return text if mapped is None else mapped
                    out += (f"$({name})" if mapped is None else _inline_text(mapped)).encode(
                        "utf-8", "surrogatepass"
                    )
                    advance = close - cursor
            else:
                out += b"$" + chr(following).encode()
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    out += data[checkpoint:]
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return _go_base64(bytes(out))


def _go_base64(data: bytes) -> str:
    """goyaml's ``encodeBase64``: how it writes a string that is not UTF-8 (lines of 70
    characters, each ending in a line break, once there is more than one)."""
    encoded = base64.b64encode(data).decode("ascii")
    if len(encoded) < _BASE64_LINE:
        return encoded
    return "".join(
        encoded[start : start + _BASE64_LINE] + "\n"
        for start in range(0, len(encoded), _BASE64_LINE)
    )


class _WalkError(Exception):
    pass


class _Plan:
    """The varReference fieldSpecs that select each GVK, as tries (usually one), made once."""

    def __init__(self, specs: Iterable[FieldSpec]) -> None:
        self.specs = tuple(specs)
        self._cache: dict[Gvk, list[FieldTrie[str]]] = {}

    def tries_for(self, gvk: Gvk) -> list[FieldTrie[str]]:
        cached = self._cache.get(gvk)
        if cached is None:
            chosen = [spec for spec in self.specs if selects(spec, gvk)]
            merged: FieldTrie[str] = FieldTrie()
            for spec in chosen:
                merged.add(spec.path, join_path(spec.path))
            if merged.has_inner_ends():  # kustomize applies spec after spec
                cached = []
                for spec in chosen:
                    single: FieldTrie[str] = FieldTrie()
                    single.add(spec.path, join_path(spec.path))
                    cached.append(single)
            else:
                cached = [merged] if chosen else []
            self._cache[gvk] = cached
        return cached


class _Substitution:
    """refvar's ``Filter`` over one object: every string at its varReference fields is
    rewritten (kustomize writes each one back as a plain-style string, so whether goyaml can
    write it out is decided anew by its new text)."""

    def __init__(self, resource: Resource, lookup: Callable[[str], Value | None]) -> None:
        self.resource = resource
        self.lookup = lookup
        metadata = resource.manifest.get("metadata")
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        self.annotations = annotations if isinstance(annotations, dict) else None
        """kustomize writes ``metadata.annotations`` back from each value's text."""
        self.old_unwritable = {id(value): error for value, error in resource.unwritable_values}
        self.visited: set[int] = set()
        self.unwritable: list[tuple[str | float, Exception]] = []
        self.location: Location = ()

    def run(self, tries: list[FieldTrie[str]]) -> None:
        manifest = self.resource.manifest
        for trie in tries:
            try:
                for path, container, key, location in find_fields(manifest, trie, strict=True):
                    self.location = location
                    try:
                        self._set(container, key)
                    except _WalkError as error:
                        raise self._fail(path, str(error)) from None
            except FieldPathError as error:
                raise self._fail(error.path, error.message) from None
        if self.visited or self.unwritable:
            kept = [
                (value, error)
                for value, error in self.resource.unwritable_values
                if id(value) not in self.visited
            ]
            self.resource.unwritable_values = kept + self.unwritable

    def _fail(self, path: str, message: str) -> ResourceError:
        return ResourceError(
            self.resource.origin,
            f"substituting vars in the '{path}' field: {message}",
        )

    def _set(self, container: Any, key: Any) -> None:
        value = container[key]
        if isinstance(value, str):
            container[key] = self._new(value, as_text=container is self.annotations, at=())
        elif isinstance(value, dict):
            as_text = value is self.annotations
            for name, item in value.items():
                if isinstance(item, str):
                    value[name] = self._new(item, as_text=as_text, at=(name,))
        elif isinstance(value, list):
            for position, item in enumerate(value):
                if not isinstance(item, str):
                    raise _WalkError(
                        f"element {position} of the list is {describe_type(item)}: "
                        "kustomize expects a list of strings there"
                    )
                value[position] = self._new(item, as_text=False, at=(position,))

    def _new(self, old: str, *, as_text: bool, at: Location) -> Value:
        new = expand(old, self.lookup)
        if as_text and not isinstance(new, str):
            new = _typed_text(new)
        if self.old_unwritable:
            self.visited.add(id(old))
        if isinstance(new, str):
            self._check_writable(old, new, at)
        return new

    def _check_writable(self, old: str, new: str, at: Location) -> None:
        """Record ``new`` if kustomize cannot write it out. A control character fails
        whatever the style (the old value's error, which says where it was read, is kept).
        A block scalar led by a tab (unwritable as read) is written back plain-style: it
        still fails if goyaml makes it a literal block again (a line break in it); a quoted
        string that now looks like one fails too, but only outside flow collections, whose
        style kustomize keeps and kgen does not know: kgen writes it (double-quoted)."""
        previous = self.old_unwritable.get(id(old))
        if JSON_UNPRINTABLE.search(new):
            same = JSON_UNPRINTABLE.search(old) is not None
            error = previous if same and previous is not None else None
            self.unwritable.append((new, error or self._error(at, CONTROL_CHARACTER)))
        elif previous is not None and new.startswith("\t") and literal_block_in_kyaml(new):
            self.unwritable.append((new, previous))

    def _error(self, at: Location, message: str) -> ResourceError:
        where = location_text((*self.location, *at))
        return ResourceError(self.resource.origin, f"{where}: {message}")
