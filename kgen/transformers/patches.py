"""``patches``, ``patchesStrategicMerge``, ``patchesJson6902``: kustomize's PatchTransformer,
PatchStrategicMergeTransformer and PatchJson6902Transformer (``api/internal/builtins/``).

Three steps, as kustomize configures every transformer before it runs any:

- :func:`parse` (pure): the entries of a kustomization field;
- :func:`load` (reads patch files through the build's loader): each entry's patch, detected as
  strategic merge (resource documents) or JSON 6902 (a list of operations); one that is both or
  neither is an error;
- :func:`apply`: each entry in order over the layer's resources.

Matching: a strategic-merge patch without a target patches the one object that has, as current
or previous id, the patch's own group, version, kind, name and effective namespace (none or
several is an error); with a target, every selected object (:mod:`kgen.targets`). The object
keeps its name and kind unless ``allowNameChange``/``allowKindChange``, and always its namespace.
A JSON patch needs a target; selecting nothing is no error. It sees ``metadata.annotations``
where kustomize has its own build annotations there (always in ``patches``, which stores the
previous id first; in ``patchesJson6902`` on generated or renamed objects): adding one there
works without the map. (An operation reading that whole map, ``copy``/``move``/``test`` from
``/metadata/annotations``, would see kustomize's internal annotations; kgen has none: the fuzzer
class ``json-build-annotations``.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

from kgen import jsonpatch, resources, smp, yamlio
from kgen.decode import boolean, lowered, string
from kgen.emit import literal_block_in_kyaml
from kgen.errors import KgenError, KustomizationError, LoadError, PatchError, describe_type
from kgen.fieldspecs import TransformerConfig
from kgen.model import Manifest, ResId, Resource, describe_id, repeated_id
from kgen.records import NamedTuple
from kgen.schema import Schema, default_schema
from kgen.targets import Index, Selector, parse_selector
from kgen.yamlio import Note

Field = Literal["patches", "patchesStrategicMerge", "patchesJson6902"]
Reader = Callable[[str, str], bytes]
"""(a path relative to the kustomization, where) -> the file's bytes, through the loader."""

_PATCH_FIELDS = ("path", "patch", "target", "options")
_TEXT_MAPS = (
    ("data", ("data",)),
    ("binaryData", ("binaryData",)),
    (resources.LABELS_TEXT, ("metadata", "labels")),
    (resources.ANNOTATIONS_TEXT, ("metadata", "annotations")),
)


class Entry(NamedTuple):
    """One entry of a patch field, as written."""

    field: Field
    at: str
    """For messages: ``patches[1]``."""
    path: str = ""
    text: str = ""
    target: Selector | None = None
    allow_name_change: bool = False
    allow_kind_change: bool = False


class Loaded(NamedTuple):
    """An entry with its patch: strategic-merge documents or JSON operations."""

    entry: Entry
    source: str
    """Where the patch is, for messages: ``patches[1]`` or ``patches[1] (patch.yaml)``."""
    documents: list[Resource] = []  # noqa: RUF012 - never changed in place
    operations: list[jsonpatch.Operation] | None = None


class Settings(NamedTuple):
    entries: tuple[Entry, ...]
    loaded: tuple[Loaded, ...] = ()
    schema: Schema | None = None
    """The schema strategic merges use: the build's at the time the layer is loaded."""


def parse_patches(fields: Mapping[str, Any], where: str) -> Settings | None:
    """``patches:`` (kustomize's ``PatchTransformer``, one per entry)."""
    return _parse_entries(fields, "patches", where)


def parse_json6902(fields: Mapping[str, Any], where: str) -> Settings | None:
    """``patchesJson6902:`` (each entry needs a target with a name)."""
    return _parse_entries(fields, "patchesJson6902", where)


def parse_strategic_merge(fields: Mapping[str, Any], where: str) -> Settings | None:
    """``patchesStrategicMerge:``: file paths, or patches written inline."""
    value = fields.get("patchesStrategicMerge")
    if value is None:
        return None
    if not isinstance(value, list):
        raise KustomizationError(where, "patchesStrategicMerge: expected a list of strings")
    entries = []
    for index, item in enumerate(value):
        at = f"patchesStrategicMerge[{index}]"
        if not isinstance(item, str):
            raise KustomizationError(where, f"{at}: expected a string, got {describe_type(item)}")
        entries.append(Entry("patchesStrategicMerge", at, text=item))
    return Settings(tuple(entries)) if entries else None


def _parse_entries(fields: Mapping[str, Any], name: Field, where: str) -> Settings | None:
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, list):
        raise KustomizationError(where, f"{name}: expected a list")
    entries = []
    for index, item in enumerate(value):
        at = f"{name}[{index}]"
        if not isinstance(item, dict):
            raise KustomizationError(where, f"{at}: expected a mapping, got {describe_type(item)}")
        values = lowered(item, _PATCH_FIELDS, f"{where}: {at}")
        path = string(values.get("path"), where, f"{at}.path")
        text = string(values.get("patch"), where, f"{at}.patch")
        if name == "patches":
            text = text.strip()
        target = values.get("target")
        selector = None if target is None else parse_selector(target, where, f"{at}.target")
        options = values.get("options")
        allowed = _options(options, where, f"{at}.options")
        if path and text:
            raise KustomizationError(where, f"{at}: patch and path can't be set at the same time")
        if not path and not text:
            raise KustomizationError(where, f"{at}: must specify one of patch and path")
        if name == "patchesJson6902" and (selector is None or not selector.name):
            raise KustomizationError(where, f"{at}: must specify the target name")
        entries.append(
            Entry(
                name,
                at,
                path,
                text,
                selector,
                allowed.get("allowNameChange", False),
                allowed.get("allowKindChange", False),
            )
        )
    return Settings(tuple(entries)) if entries else None


def _options(value: Any, where: str, at: str) -> dict[str, bool]:
    """``options:``: a map of booleans (kustomize reads ``allowNameChange``/``allowKindChange``
    and ignores other keys)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KustomizationError(where, f"{at}: expected a mapping, got {describe_type(value)}")
    return {str(key): boolean(item, where, f"{at}.{key}") for key, item in value.items()}


def load(settings: Settings, read: Reader, where: str, schema: Schema) -> Settings:
    """Each entry with its patch read and detected (kustomize's ``Config``)."""
    loaded = tuple(_load_entry(entry, read, where) for entry in settings.entries)
    legacy = settings.entries[0].field == "patchesStrategicMerge"
    if legacy and not any(patch.documents for patch in loaded):
        files = " ".join(entry.text for entry in settings.entries)
        raise LoadError(
            f"{where}: patchesStrategicMerge", f"patch appears to be empty; files=[{files}]"
        )
    return Settings(settings.entries, loaded, schema)


def _load_entry(entry: Entry, read: Reader, where: str) -> Loaded:
    at = f"{where}: {entry.at}"
    if entry.field == "patchesStrategicMerge":
        documents = _strategic_merge(entry.text, at, legacy=True)
        if documents is not None:
            return Loaded(entry, entry.at, documents)
        source = f"{entry.at} ({entry.text})"
        data = read(entry.text, at)
        documents = _strategic_merge(
            _decoded(data, at), f"{where}: {source}", strict=True, legacy=True
        )
        return Loaded(entry, source, documents or [])
    if entry.path:
        source = f"{entry.at} ({entry.path})"
        text = _decoded(read(entry.path, at), at)
    else:
        source = entry.at
        text = entry.text
    shown = f"{where}: {source}"
    if entry.field == "patchesJson6902":
        if not text:
            raise LoadError(shown, "the patch file is empty")
        decoded = jsonpatch.decode(text, shown)
        if not decoded:
            raise LoadError(shown, "patch appears to be empty")
        return Loaded(entry, source, operations=decoded)
    if not text:
        return Loaded(entry, source, [])  # an empty file: no document, and no JSON patch
    # kustomize copies a patch with a target as a resource per object: read as one
    documents = _strategic_merge(text, shown, legacy=entry.target is not None)
    operations: list[jsonpatch.Operation] | None = None
    if text:
        try:
            operations = jsonpatch.decode(text, shown)
        except KgenError:
            operations = None
    if documents is not None and operations is not None:
        raise LoadError(shown, "illegally qualifies as both an SM and JSON patch")
    if documents is None and operations is None:
        raise LoadError(shown, "unable to parse SM or JSON patch")
    if operations is not None:
        if entry.target is None:
            raise KustomizationError(shown, "must specify a target for JSON patch")
        return Loaded(entry, source, operations=operations)
    assert documents is not None
    if entry.target is not None and len(documents) > 1:
        raise KustomizationError(
            shown,
            "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set "
            "`patches.target` field",
        )
    return Loaded(entry, source, documents)


def _decoded(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError(where, "the patch is not UTF-8 text") from None


def _strategic_merge(
    text: str, where: str, *, strict: bool = False, legacy: bool = False
) -> list[Resource] | None:
    """The documents of a strategic-merge patch, or ``None`` when ``text`` is not one (unless
    ``strict``: then the reason is raised). ``legacy``: a patch kustomize handles as a resource
    (``patchesStrategicMerge``, or a ``patches`` entry with a target), whose labels and
    annotations are strings, nulls too."""
    notes: list[tuple[int, yamlio.Note]] = []
    try:
        loaded = yamlio.load_resource_documents(text.encode(), where, notes=notes)
        return resources.parse_resources(
            [document for document, _ in loaded],
            where,
            texts=[texts for _, texts in loaded],
            notes=notes,
            patch="legacy" if legacy else "patches",
        )
    except KgenError:
        if strict:
            raise
        return None


def apply(layer: list[Resource], settings: Settings, config: TransformerConfig, where: str) -> None:
    """Apply each entry's patch, in order, to the layer's resources (in place). Objects are
    found through an index, rebuilt only after a patch renames or deletes one."""
    del config
    schema = settings.schema if settings.schema is not None else default_schema()
    index = Index(layer)
    for loaded in settings.loaded:
        if loaded.operations is not None:
            changed = _apply_json(index, loaded, where)
        else:
            changed = _apply_strategic_merge(layer, index, loaded, schema, where)
        if changed:
            index = Index(layer)


def _apply_json(index: Index, loaded: Loaded, where: str) -> bool:
    """One JSON 6902 entry over its targets; ``True`` when it renamed one."""
    entry = loaded.entry
    assert entry.target is not None
    assert loaded.operations is not None
    renamed = False
    for resource in index.select(entry.target):
        previous = resource.id
        document = resource.manifest
        metadata = document.get("metadata")
        # kustomize's own annotations are there as the patch runs (previousNames... from
        # StorePreviousId, a generator's generatorBehavior), stripped after it
        built = entry.field == "patches" or resource.generated or bool(resource.previous_ids)
        if built and isinstance(metadata, dict) and "annotations" not in metadata:
            document = {**document, "metadata": {**metadata, "annotations": {}}}
        elif isinstance(metadata, dict):
            document = _annotations_as_read(
                document, metadata, resource, f"{where}: {loaded.source}"
            )
        _refuse_not_json(resource, f"{where}: {loaded.source}")
        tab_led: list[str] = []
        try:
            patched = jsonpatch.apply(document, loaded.operations, tab_led)
        except jsonpatch.PatchError as failure:
            operation = loaded.operations[failure.index]
            raise KustomizationError(
                f"{where}: {loaded.source}",
                f"operation {failure.index} ({jsonpatch.describe(operation)}) on "
                f"{resource.origin}: {failure.reason}",
            ) from None
        metadata = patched.get("metadata")
        if isinstance(metadata, dict):
            resources.stringify_annotations(metadata, {})
        resource.manifest = patched
        resource.shared_entries = []  # kyaml rebuilt the object from JSON: one node per value
        resource.data_text = {}  # Go's JSON round trip wrote every value anew
        resource.notes = []  # Go's JSON round trip: every value written anew
        resource.unwritable_values = (
            _tab_led_blocks(patched, f"{where}: {loaded.source}", resource) if tab_led else []
        )
        _note(resource, loaded, where)
        if resource.id != previous:
            renamed = True
            if entry.field == "patches":
                resource.previous_ids.append(previous)  # PatchTransformer's StorePreviousId
    return renamed


def _refuse_not_json(resource: Resource, where: str) -> None:
    """kustomize turns the object into JSON for a JSON patch: a ``.inf`` or ``.nan`` in it
    fails there (the patch's error, naming the value's file and line)."""
    floats = [item for item in resource.unwritable_values if type(item[0]) is float]
    if floats:
        present = resources.value_ids(resource.manifest)
        for value, error in floats:
            if id(value) in present:
                found = error.message if isinstance(error, KgenError) else str(error)
                raise KustomizationError(where, f"on {resource.origin}: {found}") from None


def _annotations_as_read(
    document: Manifest, metadata: dict[str, Any], resource: Resource, where: str
) -> Manifest:
    """The object as kustomize's JSON round trip reads it: an annotation written as a plain
    non-string (``0x1F``, ``1.50``, ``2001-12-14``, ``~``) is still that node until kyaml
    rewrites the map (kgen keeps its text), so Go decodes it as the number, timestamp or null
    and writes it back as JSON (``31``, ``1.5``, ``2001-12-14T00:00:00Z``, ``null``)."""
    texts = resource.data_text.get(resources.ANNOTATIONS_TEXT)
    annotations = metadata.get("annotations")
    if not texts or not isinstance(annotations, dict):
        return document
    read = dict(annotations)
    for key, text in texts.items():
        if key not in read or read[key] != text:
            continue  # set since it was read: a string now
        try:
            read[key] = yamlio.resolve_plain(text)[1]
        except ValueError as failure:
            raise KustomizationError(
                where,
                f"{resource.origin}: metadata.annotations[{json.dumps(key, ensure_ascii=False)}]: "
                f"kustomize cannot turn this value into JSON for the patch ({failure})",
            ) from None
    return {**document, "metadata": {**metadata, "annotations": read}}


def _tab_led_blocks(
    manifest: Manifest, where: str, resource: Resource
) -> list[tuple[str | float, Exception]]:
    """The strings of a JSON-patched object kustomize cannot write: it rebuilds the object
    from JSON, writes a multi-line string as a literal block, and fails to read back one that
    starts with a tab (refused only if the value reaches the output). Looked for when the
    patch met a string that starts with a tab and spans lines."""
    found: list[tuple[str | float, Exception]] = []
    pending: list[tuple[Any, str]] = [(manifest, "")]
    while pending:
        node, path = pending.pop()
        if isinstance(node, dict):
            pending.extend((item, _step(path, str(key))) for key, item in node.items())
        elif isinstance(node, list):
            pending.extend((item, f"{path}[{index}]") for index, item in enumerate(node))
        elif isinstance(node, str) and node.startswith("\t") and literal_block_in_kyaml(node):
            error = KustomizationError(
                where,
                f"{resource.origin}: {path}: kustomize writes this value, after the JSON patch, "
                "as a literal block that starts with a tab, and fails to read it back (found a "
                "tab character where an indentation space is expected)",
            )
            found.append((node, error))
    return found


def _step(path: str, key: str) -> str:
    if key.isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _apply_strategic_merge(
    layer: list[Resource], index: Index, loaded: Loaded, schema: Any, where: str
) -> bool:
    """One strategic-merge entry over its targets (or the objects its documents name);
    ``True`` when it renamed or deleted one."""
    entry = loaded.entry
    shown = f"{where}: {loaded.source}"
    gone: set[int] = set()
    renamed = False
    if entry.target is not None:
        patch = loaded.documents[0]
        for resource in index.select(entry.target):
            # (a shallow copy: the merge copies it, and the patch's notes are by mapping)
            copied = {**patch.manifest, "apiVersion": resource.manifest.get("apiVersion")}
            previous = resource.id
            if _merge(resource, copied, patch, loaded, schema=schema, where=where):
                gone.add(id(resource))
            renamed = renamed or resource.id != previous
        if renamed:  # kustomize's resmap ApplySmPatch adds every object back
            _unique_ids(layer, gone, shown)
    else:
        for patch in loaded.documents:
            resource = _only_match(index, patch.id, shown)
            if id(resource) in gone:
                raise KustomizationError(
                    shown, f"no resource matches patch {describe_id(patch.id)}"
                )
            manifest = patch.manifest
            if entry.field == "patchesStrategicMerge":
                manifest = {**manifest, "apiVersion": resource.manifest.get("apiVersion")}
            previous = resource.id
            if _merge(resource, manifest, patch, loaded, schema=schema, where=where):
                gone.add(id(resource))
            if resource.id != previous:
                renamed = True
                if entry.field == "patchesStrategicMerge":  # added back too, as above
                    _unique_ids(layer, gone, shown)
                index = Index(layer)  # the next document may name it by its new name
    if gone:
        layer[:] = [resource for resource in layer if id(resource) not in gone]
    return renamed or bool(gone)


def _unique_ids(layer: list[Resource], gone: set[int], where: str) -> None:
    """No two objects with one id after a patch renamed some (kustomize adds each object back
    to its map, which refuses a second object with an id, ``""`` being ``default``)."""
    repeated = repeated_id(resource for resource in layer if id(resource) not in gone)
    if repeated is not None:
        resource, first = repeated
        raise KustomizationError(
            where,
            f"{resource.origin} is renamed to {describe_id(resource.id)}, which {first.origin} "
            "already is (kustomize: may not add resource with an already registered id)",
        )


def _note(resource: Resource, loaded: Loaded, where: str) -> None:
    """Record the patch entry on the object it changed, once."""
    entry = f"{where}: {loaded.source}"
    if entry not in resource.patched_by:
        resource.patched_by.append(entry)


def _only_match(index: Index, wanted: ResId, where: str) -> Resource:
    """kustomize's ``GetById``: the one object with ``wanted`` as its current or a previous id
    (namespaces compared as effective: none is ``default``); its candidates are the objects
    that have or had ``wanted``'s name."""
    key = _effective(wanted)
    found = [
        resource
        for resource in index.named(wanted.name)
        if any(_effective(rid) == key for rid in (*resource.previous_ids, resource.id))
    ]
    if len(found) == 1:
        return found[0]
    reason = "multiple matches" if found else "no matches"
    raise KustomizationError(
        where, f"no resource matches strategic merge patch {describe_id(wanted)} ({reason})"
    )


def _effective(rid: ResId) -> ResId:
    return rid._replace(namespace=rid.namespace or "default")


def _merge(
    resource: Resource,
    patch: Manifest,
    source: Resource,
    loaded: Loaded,
    *,
    schema: Any,
    where: str,
) -> bool:
    """Merge ``patch`` into ``resource``; ``True`` when the patch deletes it. A patch that
    cannot merge is an error naming the kustomization, the entry, the object and the field."""
    entry = loaded.entry
    previous = resource.id
    kept: list[Note] = []
    shared = _shared_paths(resource)
    try:
        merged = smp.merge(
            resource.manifest,
            patch,
            schema,
            resource.notes,
            source.notes,
            kept,
            written=not resource.generated,
        )
    except PatchError as failure:
        raise KustomizationError(
            f"{where}: {loaded.source}", f"on {resource.origin}: {failure}"
        ) from None
    if merged is None or not merged:
        return True
    resource.notes = kept
    if shared:
        resource.shared_entries = _reshared(merged, patch, shared, kept)
    metadata = merged.setdefault("metadata", {})
    if not isinstance(metadata, dict):
        metadata = merged["metadata"] = {}
    if not entry.allow_kind_change:
        merged["kind"] = resource.manifest.get("kind")
    if not entry.allow_name_change:
        _set(metadata, "name", previous.name)
    _set(metadata, "namespace", previous.namespace)
    resource.manifest = merged
    if source.unwritable_values:  # the patch's own, refused if they reach the output
        resource.unwritable_values = [*resource.unwritable_values, *source.unwritable_values]
    _merge_texts(resource, source)
    # kustomize rewrites the annotations as it strips its own: one the patch emptied goes
    resources.stringify_annotations(
        metadata, resource.data_text.get(resources.ANNOTATIONS_TEXT, {})
    )
    _note(resource, loaded, where)
    if (entry.allow_name_change or entry.allow_kind_change) and resource.id != previous:
        resource.previous_ids.append(previous)
    return False


Path = tuple[str | int, ...]
SharedPaths = list[list[tuple[Path, str, Any]]]
""":attr:`Resource.shared_entries` by place: (path of the map, key, value before the merge)."""


def _shared_paths(resource: Resource) -> SharedPaths:
    """Where the entries that are one YAML node in kustomize are (the merge copies every map).
    An entry of a map that is not in the object (set in a null) has no place and is left out."""
    if not resource.shared_entries:
        return []
    wanted = {id(mapping) for group in resource.shared_entries for mapping, _ in group}
    places: dict[int, Path] = {}
    pending: list[tuple[Any, Path]] = [(resource.manifest, ())]
    while pending and len(places) < len(wanted):
        node, path = pending.pop()
        if type(node) is dict:
            if id(node) in wanted:
                places[id(node)] = path
            pending.extend(
                (item, (*path, key)) for key, item in node.items() if type(item) in (dict, list)
            )
        else:
            pending.extend(
                (item, (*path, index))
                for index, item in enumerate(node)
                if type(item) in (dict, list)
            )
    return [
        [
            (places[id(mapping)], key, mapping.get(key))
            for mapping, key in group
            if id(mapping) in places
        ]
        for group in resource.shared_entries
    ]


def _at(node: Any, path: Path) -> Any:
    for step in path:
        if type(step) is int:
            node = node[step] if type(node) is list and step < len(node) else None
        else:
            node = node.get(step) if type(node) is dict else None
    return node


def _walk_order(place: tuple[Path, str, Any]) -> tuple[tuple[int, int | bytes], ...]:
    """kyaml's walk order: map fields sorted by their bytes, list items in order."""
    path, key, _ = place
    return tuple(
        (0, step) if type(step) is int else (1, str(step).encode()) for step in (*path, key)
    )


def _reshared(
    merged: Manifest, patch: Manifest, shared: SharedPaths, notes: list[Note]
) -> list[list[tuple[dict[str, Any], str]]]:
    """The shared entries in the merged object, and the patch's writes into them: kyaml's
    merge sets a scalar field in place (``FieldSetter``), so a value the patch sets in one of
    the entries is the value of all of them (the last one in its walk order wins). An entry
    the merge removed, replaced (``$patch: replace``) or moved no longer shares."""
    groups: list[list[tuple[dict[str, Any], str]]] = []
    for group in shared:
        members: list[tuple[dict[str, Any], str, tuple[Path, str, Any]]] = []
        written: list[tuple[Path, str, Any]] = []
        for place in group:
            path, key, before = place
            mapping = _at(merged, path)
            if type(mapping) is not dict or key not in mapping:
                continue
            set_here = _patch_sets(patch, path, key)
            if set_here is None:
                continue  # replaced with its map: new nodes
            if set_here:
                written.append(place)
            elif mapping[key] != before:
                continue  # not the same entry any more
            members.append((mapping, key, place))
        if written:
            last = max(written, key=_walk_order)
            source = _at(merged, last[0])
            value = source[last[1]]
            how = [note[2] for note in notes if note[0] is source and note[1] == last[1]]
            for mapping, key, place in members:
                if place is not last:
                    mapping[key] = value
                    notes[:] = [
                        note for note in notes if not (note[0] is mapping and note[1] == key)
                    ]
                    notes.extend((mapping, key, text) for text in how)
        if len(members) > 1:
            groups.append([(mapping, key) for mapping, key, _ in members])
    return groups


def _patch_sets(patch: Manifest, path: Path, key: str) -> bool | None:
    """Whether the patch writes a scalar into the entry (a list on the way: not as kgen can
    tell, so no), or ``None`` when it replaces a map on the way (``$patch: replace``)."""
    node: Any = patch
    if node.get("$patch") == "replace":
        return None
    for step in path:
        if type(step) is int or type(node) is not dict:
            return False
        node = node.get(step)
        if type(node) is dict and node.get("$patch") == "replace":
            return None
    if type(node) is not dict or key not in node:
        return False
    value = node[key]
    return value is not None and type(value) not in (dict, list)


def _set(metadata: dict[str, Any], key: str, value: str) -> None:
    if value:
        metadata[key] = value
    else:
        metadata.pop(key, None)


def _merge_texts(resource: Resource, patch: Resource) -> None:
    """The texts as written of the string-map values the patch brought (``9102``), replacing
    those of the values it replaced."""
    for name, path in _TEXT_MAPS:
        node: Any = patch.manifest
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        texts = dict(resource.data_text.get(name, {}))
        for key in node:
            texts.pop(key, None)
        texts.update(patch.data_text.get(name, {}))
        if texts:
            resource.data_text[name] = texts
        else:
            resource.data_text.pop(name, None)
