"""Strategic merge patch, as kustomize v5.5.0 applies a patch (``patchstrategicmerge.Filter``).

kustomize calls kyaml's ``merge2.Merge(patch, target, {ListIncreaseDirection: Prepend})``: a
walk over both documents at once, field by field, with the schema of the target's kind. This
module follows that walk step for step on plain data, because its results are what users get,
quirks included:

- maps merge recursively (fields in sorted order); a ``null`` in the patch removes the field;
  scalars and lists without a merge strategy in the schema are replaced; a list the schema
  doesn't describe (every list of a custom resource) is replaced too: kustomize does not infer
  merge keys here;
- a list whose schema strategy includes ``merge`` is merged by its keys
  (``x-kubernetes-list-map-keys`` when given, else ``x-kubernetes-patch-merge-key``; none for a
  list of scalars, merged as a set): the patch's items come first, in the patch's order, then
  the target's other items; with two keys (``ports``: containerPort, protocol) the target's
  items move after the patch's new ones;
- ``$patch: delete|replace|merge`` in a map or as a list item is obeyed as kyaml does (a
  replaced list item keeps the target's item, for one), any other value is an error;
  ``$setElementOrder/…``, ``$retainKeys`` and ``$deleteFromPrimitiveList/…`` mean nothing to
  kyaml: they are merged as ordinary fields and stay in the output;
- a list item is matched by the text of its key values, so ``containerPort: 80`` and
  ``containerPort: "80"`` are the same key.

The merged object is what kyaml's merge leaves: the patch's ``apiVersion``, ``kind``,
``metadata.name`` and ``namespace`` win like any field; restoring them (allowNameChange,
allowKindChange) is the caller's job, as it is kustomize's ``Resource.ApplySmPatch``.

What plain data can't show and kyaml sees, the loader records (``kgen.yamlio.Note``,
``Resource.notes``) and :func:`merge` takes: a target's value written empty (``key:``,
``!!null``, ``{key: }``) is a null kyaml drops wherever the walk reaches it and the patch
doesn't set it (it keeps ``key: null`` and ``key: ~``); a number or boolean replacing a string
written quoted or as a block (``image: "nginx"``) is the string of its text as written
(``1.50`` is ``"1.50"``), the style staying for a later patch; list items match by their keys'
texts as written (``port: 8_080`` is not ``port: 8080``).

Known differences: comments are not seen, so kyaml's schema-by-comment is not followed, and
a mapping with a line comment on its key that a merge empties (``nodeAffinity:  # c`` over
values written empty) makes kustomize fail writing it, where kgen builds (the fuzzer class
``comment-emptied-map``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

from kgen.errors import PatchError, quote
from kgen.model import Manifest, id_text
from kgen.schema import Schema, SchemaNode
from kgen.yamlio import WRITTEN_EMPTY, WRITTEN_STYLED, Note, yaml11_non_string


class _Missing:
    """A field that is not there (kyaml's nil node), as opposed to a null."""

    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "MISSING"


class _KeptNull:
    """A null that kyaml keeps (a target's null the patch doesn't mention)."""

    __slots__ = ()


class _Empty:
    """A target's value written empty (``key:``), a null kyaml drops unless the patch sets it;
    ``value``: what kgen read (None, or ``""`` in a flow mapping)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


MISSING: Final = _Missing()
_KEPT_NULL: Final = _KeptNull()
_EMPTY_NULL: Final = _Empty(None)
_EMPTY_TEXT: Final = _Empty("")
_DIRECTIVE: Final = "$patch"
_DELETE: Final = "delete"
_REPLACE: Final = "replace"
_MERGE: Final = "merge"


def merge(  # noqa: PLR0917 - the notes go with their documents
    target: Manifest,
    patch: Manifest,
    schema: Schema,
    notes: Collection[Note] = (),
    patch_notes: Collection[Note] = (),
    kept: list[Note] | None = None,
    *,
    written: bool = False,
) -> Manifest | None:
    """The target with the patch merged in, or None when the patch deletes the object.

    ``notes``/``patch_notes``: how some values of the target and of the patch were written
    (``kgen.yamlio.Note``, ``Resource.notes``), which kyaml sees: a target's value written
    empty is dropped where the patch doesn't set it (a ``null`` or ``~`` is kept); a number
    replacing a string the target quoted is the string of its text as written; list items
    match by their keys' texts as written. ``kept`` receives the notes of the result, for a
    later patch. ``written``: the target was read from a file, so ``notes`` name every string
    written quoted; else (a generated object, plain data) a string that would need quotes is
    taken as quoted, as kustomize's generator quotes it.

    Pure: both inputs are copied first and never changed; the result shares nothing with them.
    Raises :class:`PatchError` (naming the field path, never a value) where kustomize fails.
    """
    walk = _Walk(schema, written=written)
    marked = {(id(mapping), key): how for mapping, key, how in notes}
    patch_marked = {
        (id(mapping), key): how for mapping, key, how in patch_notes if how != WRITTEN_EMPTY
    }
    result = walk.walk([_copy(target, marked), _copy(patch, patch_marked)], None, ())
    if marked or patch_marked:
        result = _unmarked(result, [] if kept is None else kept)
    return result if isinstance(result, dict) else None


class _Styled(str):
    """A string written quoted or as a block: kyaml gives a value replacing it that style.
    ``original``: the very string it wraps (unwrapped to it: ``Resource.unwritable_values``
    are known by identity)."""

    original: str

    @classmethod
    def of(cls, value: str) -> _Styled:
        styled = cls(value)
        styled.original = value
        return styled


class _Raw:
    """A number or boolean with its text as written (``0x50``, ``1.50``)."""

    __slots__ = ("text", "value")

    def __init__(self, value: Any, text: str) -> None:
        self.value = value
        self.text = text


def _copy(value: Any, marked: dict[tuple[int, str], str] | None = None) -> Any:
    """A deep copy; the values ``marked`` (by mapping id and key) are wrapped as written."""
    if type(value) is dict:
        if marked:
            here = id(value)
            copied = {}
            for key, item in value.items():
                how = marked.get((here, key))
                copied[key] = _copy(item, marked) if how is None else _wrapped(item, how)
            return copied
        return {key: _copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_copy(item, marked) for item in value]
    return value


def _wrapped(value: Any, how: str) -> Any:
    """The value as its note says it was written (a note no longer true of it is ignored)."""
    if how == WRITTEN_EMPTY:
        if value is None:
            return _EMPTY_NULL
        if value == "":
            return _EMPTY_TEXT
    elif how == WRITTEN_STYLED:
        if type(value) is str:
            return _Styled.of(value)
    elif type(value) in {int, float, bool}:
        return _Raw(value, how)
    return _copy(value)


def _unmarked(value: Any, kept: list[Note]) -> Any:
    """The merged value unwrapped, the notes of what stays wrapped in ``kept`` (empty values
    the walk didn't reach, in a list kept as it is, say)."""
    if type(value) is dict:
        for key, item in value.items():
            kind = type(item)
            if kind is dict or kind is list:
                _unmarked(item, kept)
            elif kind is _Empty:
                value[key] = item.value
                kept.append((value, key, WRITTEN_EMPTY))
            elif kind is _Styled:
                value[key] = item.original
                kept.append((value, key, WRITTEN_STYLED))
            elif kind is _Raw:
                value[key] = item.value
                kept.append((value, key, item.text))
    elif type(value) is list:
        for item in value:
            if type(item) is dict or type(item) is list:
                _unmarked(item, kept)
    return value


def _text(value: Any) -> str:
    """A scalar node's text as kyaml compares it (a collection's is empty)."""
    if isinstance(value, str):
        return value
    if type(value) is _Raw:
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return id_text(value)
    return ""


def _restyled(old: Any, new: Any, written: bool) -> Any:
    """kyaml's ``FieldSetter`` gives the new node the old node's style: a number, boolean or
    null replacing a string written quoted or as a block (``"80"``, ``"nginx"``), or one that
    had to be (``"true"``), is written quoted, so it reads back as the string of its text as
    written (``0x50`` stays ``"0x50"``); a string replacing one is styled too."""
    if not isinstance(old, str) or isinstance(new, dict | list) or new is None:
        return new
    # (not ``written``: a generated value, which kustomize's generator writes as a literal
    # block when it spans lines, and quoted when it would not read back as a string)
    styled = type(old) is _Styled or (not written and ("\n" in old or yaml11_non_string(old)))
    if not styled:
        return new
    if isinstance(new, str):
        return _Styled.of(new) if type(old) is _Styled and type(new) is str else new
    return _Styled.of(_text(new))


def _kind_name(value: Any) -> str:
    if isinstance(value, dict):
        return "MappingNode"
    if isinstance(value, list):
        return "SequenceNode"
    return "ScalarNode"


def _where(path: tuple[str, ...]) -> str:
    return ".".join(path).replace(".[]", "[]") if path else "(top level)"


def _missing_or_null(value: Any) -> bool:
    return value is MISSING or value is None


def _empty_map(value: Any) -> bool:
    return _missing_or_null(value) or (isinstance(value, dict) and not value)


def _nil_or_empty(value: Any) -> bool:
    return _empty_map(value) or (isinstance(value, list) and not value)


def _key_text(element: Any, key: str) -> str:
    """kyaml's ``ElementValuesList`` entry: the field's text, '' when missing or empty."""
    if not isinstance(element, dict):
        return ""
    value = element.get(key, MISSING)
    return "" if _nil_or_empty(value) else _text(value)


class _Walk:
    """One merge: kyaml's ``walk.Walker`` with the ``merge2.Merger`` visitor."""

    __slots__ = ("_schema", "_written")

    def __init__(self, schema: Schema, *, written: bool) -> None:
        self._schema = schema
        self._written = written

    # --- the walker ----------------------------------------------------------------------

    def _node_schema(self, sources: list[Any], schema: SchemaNode | None) -> SchemaNode | None:
        if schema is not None:
            return schema
        for source in sources:
            if isinstance(source, dict):
                kind, api_version = id_text(source.get("kind")), id_text(source.get("apiVersion"))
                if kind and api_version:
                    found = self._schema.lookup(api_version, kind)
                    if found is not None:
                        return found
        return None

    def walk(self, sources: list[Any], schema: SchemaNode | None, path: tuple[str, ...]) -> Any:
        """kyaml's walk of one node: ``sources`` is [the target's, the patch's] (MISSING where
        one has none)."""
        schema = self._node_schema(sources, schema)
        target, patch = sources
        theirs = "" if target is MISSING or target is None else _kind_name(target)
        ours = "" if patch is MISSING or patch is None else _kind_name(patch)
        if theirs and ours and theirs != ours:
            raise PatchError(_where(path), f"wrong node kind: expected {theirs} but got {ours}")
        kind = theirs or ours
        if kind == "SequenceNode":
            if schema is not None and schema.is_associative:
                return self._walk_associative(sources, schema, path)
            return patch if patch is not MISSING else target
        if kind == "ScalarNode":
            return patch if patch is not MISSING else target
        return self._walk_map(sources, schema, path)

    def _walk_map(
        self, sources: list[Any], schema: SchemaNode | None, path: tuple[str, ...]
    ) -> Any:
        dest = self._visit_map(sources, path)
        sources[0] = dest
        if not isinstance(dest, dict):
            return dest
        patch = sources[1] if isinstance(sources[1], dict) else None
        for name in sorted(dest.keys() | patch.keys() if patch is not None else dest.keys()):
            old = dest.get(name, MISSING)
            new = MISSING if patch is None else patch.get(name, MISSING)
            if type(old) is _Empty:
                if new is MISSING:  # kyaml's VisitMap: an empty null, nothing to keep
                    del dest[name]
                    continue
                old = None
            if new is MISSING:  # the target's alone: most of an object, for most patches
                kind = type(old)
                if kind is not dict and kind is not list:
                    continue  # a scalar or a null stays as it is
                field_schema = schema.field(name) if schema is not None else None
                value = self._alone(old, field_schema, (*path, name))
                if value is old:
                    continue  # (the walk left it as it was: nothing to set)
            else:
                field_schema = schema.field(name) if schema is not None else None
                value = self.walk([old, new], field_schema, (*path, name))
            if value is MISSING or value is None:
                dest.pop(name, None)
            elif value is _KEPT_NULL:
                dest[name] = None
            else:
                dest[name] = _restyled(dest.get(name, MISSING), value, self._written)
        return dest

    def _alone(self, value: Any, schema: SchemaNode | None, path: tuple[str, ...]) -> Any:
        """What :meth:`walk` makes of a target's value the patch does not mention, without its
        general machinery: a mapping is walked in place (its values written empty dropped,
        nulls kept), a list the schema doesn't merge is left as it is, a merged list whose
        items are mappings with one key field, each of its own non-empty text, is its items
        walked (the general walk would rebuild it item for item); any other merged list (two
        keys, scalars, items missing their key or sharing one) takes the general walk."""
        kind = type(value)
        if kind is dict:
            schema = self._node_schema([value], schema)
            dropped: list[Any] = []
            for name, item in value.items():
                item_kind = type(item)
                if item_kind is dict or item_kind is list:
                    field_schema = schema.field(name) if schema is not None else None
                    result = self._alone(item, field_schema, (*path, name))
                    if result is MISSING or result is None:
                        dropped.append(name)
                    elif result is not item:
                        value[name] = result  # (an existing key: the order stays)
                elif item_kind is _Empty:
                    dropped.append(name)
            for name in dropped:
                del value[name]
            return value
        if kind is not list or schema is None or not schema.is_associative:
            return value  # a scalar (a null stays) or a list replaced as a whole
        keys = schema.merge_keys
        if len(keys) == 1 and keys[0] and self._keyed_apart(value, keys[0]):
            element_schema = schema.elements()
            inner = (*path, "[]")
            for element in value:
                self._alone(element, element_schema, inner)  # a mapping: changed in place
            return value
        return self.walk([value, MISSING], schema, path)

    def _merge_keyed(
        self,
        target: list[Any],
        patch: list[Any],
        key: str,
        schema: SchemaNode,
        path: tuple[str, ...],
    ) -> list[Any] | None:
        """The merge of two lists with one key field whose items are each keyed apart (see
        :meth:`_keyed_apart`): what :meth:`_set_elements` and ``_append_list`` make of them,
        without their scans. Items come in kyaml's order (the patch's, then the target's
        others); each is the two items of its key walked together, dropped when the walk
        leaves nothing; where the target had the item, the target's item itself (kyaml's
        ``appendListNode`` sets it back: a ``$patch: replace`` item keeps the target's).
        ``None`` when the lists are not keyed apart (the general walk's case)."""
        if not key or not self._keyed_apart(patch, key) or not self._keyed_apart(target, key):
            return None
        theirs = {_key_text(item, key): item for item in target}
        ours = {_key_text(item, key): item for item in patch}
        element_schema = schema.elements()
        inner = (*path, "[]")
        items: list[Any] = []
        for text in [*ours, *(text for text in theirs if text not in ours)]:
            old = theirs.get(text, MISSING)
            value = self.walk([old, ours.get(text, MISSING)], element_schema, inner)
            if _empty_map(value) or value is _KEPT_NULL:
                continue
            if old is not MISSING:
                items.append(old)
                continue
            if isinstance(value, dict) and key not in value:
                value[key] = text
            items.append(value)
        return items

    @staticmethod
    def _keyed_apart(items: list[Any], key: str) -> bool:
        """Whether every item is a non-empty mapping whose ``key`` has a text no other has."""
        seen: set[str] = set()
        for item in items:
            if type(item) is not dict or not item:
                return False
            text = _key_text(item, key)
            if not text or text in seen:
                return False
            seen.add(text)
        return True

    def _walk_associative(
        self, sources: list[Any], schema: SchemaNode, path: tuple[str, ...]
    ) -> Any:
        target = sources[0]
        dest = self._visit_list(sources, path)
        sources[0] = dest
        if dest is MISSING:
            return MISSING
        keys = list(schema.merge_keys)
        if dest is target and type(dest) is list and type(sources[1]) is list and len(keys) == 1:
            merged = self._merge_keyed(dest, sources[1], keys[0], schema, path)
            if merged is not None:
                return merged
        values = self._element_values(sources, keys)
        if values or keys:
            return self._set_elements(sources, values, keys, dest, schema=schema, path=path)
        return self._set_elements(
            sources, self._primitive_values(sources), [""], dest, schema=schema, path=path
        )

    @staticmethod
    def _element_values(sources: list[Any], keys: list[str]) -> list[list[str]]:
        found: list[list[str]] = []
        for source in (sources[1], sources[0]):  # ListIncreaseDirection: Prepend
            if not isinstance(source, list):
                continue
            for element in source:
                entry = [_key_text(element, key) for key in keys]
                if entry and entry not in found:
                    found.append(entry)
        return found

    @staticmethod
    def _primitive_values(sources: list[Any]) -> list[list[str]]:
        found: list[list[str]] = []
        seen: set[str] = set()
        for source in (sources[1], sources[0]):
            if not isinstance(source, list):
                continue
            for item in source:
                text = _text(item)
                if text not in seen:
                    seen.add(text)
                    found.append([text])
        return found

    def _set_elements(
        self,
        sources: list[Any],
        values_list: list[list[str]],
        keys: list[str],
        dest: Any,
        *,
        schema: SchemaNode,
        path: tuple[str, ...],
    ) -> Any:
        items: list[Any] = []
        element_schema = schema.elements()
        if len(keys) > 1:
            _merge_values(values_list)
        valid_keys: list[str] = []
        for values in values_list:
            if not values:
                continue
            valid_keys, valid_values = _validate_keys(values_list, values, keys)
            elements = _element_value_list(sources, valid_keys, valid_values)
            value = self.walk(elements, element_schema, (*path, "[]"))
            gone = False
            for index, key in enumerate(valid_keys):
                if _empty_map(value) or value is _KEPT_NULL:
                    _set_element(dest, MISSING, valid_keys, valid_values, path)
                    gone = True
                elif (not isinstance(value, dict) or key not in value) and valid_values[index]:
                    if isinstance(value, dict):
                        value[key] = valid_values[index]
                    elif isinstance(value, list):
                        raise PatchError(
                            _where(path),
                            "wrong node kind: expected MappingNode but got SequenceNode",
                        )
                    elif key:
                        raise PatchError(
                            _where(path), "wrong node kind: expected MappingNode but got ScalarNode"
                        )
                    # else: a list of scalars; kyaml re-sets the item to a scalar of the
                    # same text and style, which reads back as the same value
            if gone:
                continue
            _set_element(items, value, valid_keys, valid_values, path)
        if values_list:
            dest = _append_list(items, dest, valid_keys, path)
        return MISSING if _missing_or_null(dest) else dest

    # --- the merger ----------------------------------------------------------------------

    @staticmethod
    def _visit_map(sources: list[Any], path: tuple[str, ...]) -> Any:
        dest, origin = sources
        if _missing_or_null(dest):
            if isinstance(origin, dict) and _directive_of_map(origin, path, lenient=True) == (
                _DELETE
            ):
                return MISSING
            if origin is MISSING and dest is None:
                return _KEPT_NULL
            return origin
        if origin is None:
            return MISSING
        if isinstance(origin, dict):
            directive = _directive_of_map(origin, path, lenient=False)
        elif origin is MISSING:
            directive = _MERGE
        else:  # pragma: no cover - the walker checked the node kinds
            raise PatchError(_where(path), "no implemented strategic merge patch strategy")
        if directive == _DELETE:
            return MISSING
        if directive == _REPLACE:
            return origin
        return dest

    @staticmethod
    def _visit_list(sources: list[Any], path: tuple[str, ...]) -> Any:
        dest, origin = sources
        if _missing_or_null(dest):
            return origin
        if origin is None:
            return MISSING
        directive = _directive_of_list(origin, path) if isinstance(origin, list) else _MERGE
        if directive == _DELETE:
            return MISSING
        if directive == _REPLACE:
            return origin
        return dest


def _directive_of_map(patch: dict[str, Any], path: tuple[str, ...], *, lenient: bool) -> str:
    """The map's ``$patch`` (removed from it when known); ``merge`` when there is none."""
    if _DIRECTIVE not in patch:
        return _MERGE
    value = _text(patch[_DIRECTIVE])
    if value in {_DELETE, _REPLACE, _MERGE}:
        del patch[_DIRECTIVE]
        return value
    if lenient:
        return ""
    raise PatchError(_where(path), f"unknown patch strategy in {_DIRECTIVE}")


def _directive_of_list(patch: list[Any], path: tuple[str, ...]) -> str:
    """The ``$patch`` of a list's first item that has one, when that item has no other field
    (items with that ``$patch`` removed, and empty items with them); ``merge`` otherwise."""
    item = next((i for i in patch if isinstance(i, dict) and _DIRECTIVE in i), None)
    if item is None or len(item) > 1:
        return _MERGE
    value = _text(item[_DIRECTIVE])
    if value not in {_DELETE, _REPLACE, _MERGE}:
        raise PatchError(_where(path), f"unknown patch strategy in {_DIRECTIVE}")
    _set_element(patch, MISSING, [_DIRECTIVE], [value], path)
    return value


def _merge_values(values_list: list[list[str]]) -> None:
    for i in range(len(values_list)):
        first = values_list[i]
        for j in range(len(values_list)):
            merged = _match(first, values_list[j])
            if merged is not None:
                values_list[i] = merged
                values_list[j] = merged


def _match(first: list[str], second: list[str]) -> list[str] | None:
    if len(first) != len(second):
        return None
    common = False
    result: list[str] = []
    for a, b in zip(first, second, strict=True):
        if a == b:
            common = True
            result.append(a)
        elif a and b:
            return None
        else:
            result.append(a or b)
    return result if common else None


def _validate_keys(
    values_list: list[list[str]], values: list[str], keys: list[str]
) -> tuple[list[str], list[str]]:
    present = {keys[i] for entry in values_list for i, v in enumerate(entry) if v}
    if not present:
        return keys, values
    return (
        [key for key in keys if key in present],
        [v for i, v in enumerate(values) if v or keys[i] in present],
    )


def _element_value_list(sources: list[Any], keys: list[str], values: list[str]) -> list[Any]:
    keys, values = _validate_keys([values], values, keys)
    return [_find_element(source, keys, values) for source in sources]


def _find_element(source: Any, keys: list[str], values: list[str]) -> Any:
    """kyaml's ``ElementList``: the first item whose key fields have these texts."""
    if not isinstance(source, list):
        return MISSING
    if not keys or not keys[0]:
        wanted = values[0] if values else ""
        return next((item for item in source if _text(item) == wanted), MISSING)
    if len(keys) != len(values):
        return MISSING
    for item in source:
        if isinstance(item, dict) and all(
            key in item and _text(item[key]) == value
            for key, value in zip(keys, values, strict=True)
        ):
            return item
    return MISSING


def _field_matches(item: Any, key: str, value: str, path: tuple[str, ...]) -> bool:
    """kyaml's ``FieldMatcher{Name: key, StringValue: value}`` on a list item."""
    if not key:
        if isinstance(item, dict | list):
            raise PatchError(
                _where(path), f"wrong node kind: expected ScalarNode but got {_kind_name(item)}"
            )
        return _text(item) == value
    if not isinstance(item, dict):
        raise PatchError(
            _where(path), f"wrong node kind: expected MappingNode but got {_kind_name(item)}"
        )
    if key not in item:
        return False
    return not value or _text(item[key]) == value


def _set_element(
    target: list[Any], element: Any, keys: list[str], values: list[str], path: tuple[str, ...]
) -> None:
    """kyaml's ``ElementSetter``: replace the items matching ``keys``/``values`` by
    ``element`` (remove them when it is MISSING), append it when none matched; null and empty
    items are dropped on the way."""
    keys = keys or [""]
    mapping_setter = bool(keys[0]) and bool(values) and bool(values[0])
    kept: list[Any] = []
    matched = False
    for item in target:
        if _empty_map(item):
            continue
        if mapping_setter and not isinstance(item, dict):
            kept.append(item)
            continue
        found = True
        hit = False
        for index, key in enumerate(keys):
            if index < len(values):
                hit = _field_matches(item, key, values[index], path)
            if not hit:
                found = False
                break
        if not found:
            if values:
                kept.append(item)
            continue
        matched = True
        if element is not MISSING:
            kept.append(element)
    target[:] = kept
    if _missing_or_null(element):
        return
    if not matched:
        target.append(element)


def _append_list(items: list[Any], dest: Any, keys: list[str], path: tuple[str, ...]) -> Any:
    """kyaml's ``appendListNode(items, dest, keys)``: the target's items set into ``items``."""
    for element in dest if isinstance(dest, list) else []:
        if not keys or not keys[0]:
            _set_element(items, element, [""], [_text(element)], path)
            continue
        texts: list[str] = []
        for key in keys:
            if _missing_or_null(element):
                value: Any = MISSING
            elif isinstance(element, dict):
                value = element.get(key, MISSING)
            else:
                raise PatchError(
                    _where(path),
                    f"wrong node kind: expected MappingNode but got {_kind_name(element)}",
                )
            if value is MISSING:
                items.append(element)
                continue
            texts.append(_text(value))
        if len(keys) > 1:
            _set_element(items, MISSING, keys, texts, path)
        _set_element(items, element, keys, texts, path)
    return items


__all__ = ["MISSING", "merge", "quote"]
