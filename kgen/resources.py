"""Resource files: read (I/O) and turn documents into resources (pure)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Literal

from kgen import parallel, yamlio
from kgen.errors import LoadError, ResourceError, label
from kgen.model import Gvk, Manifest, Resource, id_text, split_api_version
from kgen.paths import ReadBudget, checked_size, display, read_file
from kgen.records import NamedTuple

LOCAL_CONFIG = "config.kubernetes.io/local-config"
LABELS_TEXT = "metadata.labels"
ANNOTATIONS_TEXT = "metadata.annotations"
"""Keys of :attr:`kgen.model.Resource.data_text` for the metadata maps."""
_UNWRAPPED_LISTS = ("List", "ResourceList")
_TEXT_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("data", ("data",)),
    ("binaryData", ("binaryData",)),
    (LABELS_TEXT, ("metadata", "labels")),
    (ANNOTATIONS_TEXT, ("metadata", "annotations")),
)


class Loaded(NamedTuple):
    """A parsed resource file: its documents with their source texts, and the values kustomize
    reads but cannot write back (document index, value, error), refused if they are output."""

    documents: list[tuple[dict[str, Any], yamlio.SourceTexts]]
    unwritable: list[tuple[int, str | float, LoadError]]
    recoded: list[tuple[int, Any, Any, Any]]
    """(document index, container, key, value) of the values of flow collections that
    kustomize's re-encoding of a List's items changes."""
    notes: list[tuple[int, yamlio.Note]]
    """(document index, how a value was written) for kyaml's strategic merge."""


Plain = Callable[[Path, bytes, str], bytes]
"""What a resource file's bytes hold in plain (``(path, data, where) -> data``): the run's
:meth:`kgen.decryption.Decryptor.resource`."""


def refuse_encrypted(path: Path, data: bytes, where: str) -> None:
    """A file kgen cannot decrypt for its use (a patch, a file read ahead in another
    process) must not be a SOPS file: a :class:`LoadError` naming it when it is."""
    from kgen.decryption import detect

    if detect(path, data) is not None:
        raise LoadError(
            where,
            f"{display(path)} is SOPS-encrypted: kgen decrypts generator sources and Secret "
            "manifests, not patches (their values would be applied as ciphertext)",
        )


def _plain_as_is(path: Path, data: bytes, where: str) -> bytes:
    del path, where
    return data


PARALLEL_BYTES = 512 * 1024
"""Below this many bytes of resource files, parsing them in a second process costs more than
it saves."""


def read_resources(
    path: Path,
    where: str,
    cache: FileCache | None = None,
    budget: ReadBudget | None = None,
    nodes: yamlio.Budget | None = None,
) -> list[Resource]:
    """Every object of a resource file, ``...List`` kinds inlined; each use of a file counts
    against the build's ``budget`` of bytes and ``nodes`` (its objects are copied for each)."""
    shown = display(path)
    if budget is not None:
        budget.spend(checked_size(path, where), path, where)
    nodes = yamlio.Budget() if nodes is None else nodes
    loaded = (
        cache.take(path, where, nodes)
        if cache is not None
        else _load(path, where, nodes, _plain_as_is)
    )
    return parse_resources(
        [document for document, _ in loaded.documents],
        shown,
        texts=[texts for _, texts in loaded.documents],
        unwritable=loaded.unwritable,
        recoded=loaded.recoded,
        notes=loaded.notes,
    )


def _load(path: Path, where: str, budget: yamlio.Budget, plain: Plain) -> Loaded:
    unwritable: list[tuple[int, str | float, LoadError]] = []
    recoded: list[tuple[int, Any, Any, Any]] = []
    notes: list[tuple[int, yamlio.Note]] = []
    data = plain(path, read_file(path, where), where)
    documents = yamlio.load_resource_documents(
        data, display(path), budget, unwritable, recoded, notes=notes
    )
    return Loaded(documents, unwritable, recoded, notes)


class _Cost(NamedTuple):
    parsed: int
    expanded: int


class FileCache:
    """Parsed resource files, shared by the builds of one run: a file several builds (or one
    build, twice) use is parsed once (kept pickled, so each use gets its own copy to
    transform), and when the files are big enough half of them are parsed ahead in a second
    process, so both cores work. Each use charges the using build's node budget what the parse
    cost.

    ``ahead`` is what parsing files ahead of the builds may cost over the run; a file it
    cannot parse (an error, or the run's budget spent) is left for a build to parse, under
    that build's budget.
    """

    def __init__(self, plain: Plain = _plain_as_is) -> None:
        self.plain = plain
        """What a file's bytes hold in plain (SOPS files decrypted, in this process only)."""
        self.ahead = yamlio.Budget()
        self._once: dict[Path, tuple[Loaded, _Cost]] = {}
        self._shared: dict[Path, tuple[bytes, _Cost]] = {}
        self._uses: dict[Path, int] = {}

    def prefetch(self, paths: Sequence[Path]) -> None:
        """Parse ``paths`` (in the order builds read them; repeats count as uses) ahead."""
        for path in paths:
            key = path.resolve()
            self._uses[key] = self._uses.get(key, 0) + 1
        pending = [
            p
            for p in dict.fromkeys(path.resolve() for path in paths)
            if p not in self._once and p not in self._shared
        ]
        sizes = {path: _size(path) for path in pending}
        if len(pending) < 2 or sum(sizes.values()) < PARALLEL_BYTES or not parallel.CAN_FORK:
            return
        mine, theirs = _halves(pending, sizes)
        budget = self.ahead
        base = (budget.parsed, budget.expanded)
        there, here = parallel.split_work(partial(_parse_all, budget=budget), theirs, mine)
        if there is not None:  # the child spent a copy of the budget: add what it spent
            budget.parsed += there[1] - base[0]
            budget.expanded += there[2] - base[1]
        for path, outcome in (*here[0], *(there[0] if there else ())):
            if outcome is not None:
                self._store(path, *outcome)

    def take(self, path: Path, where: str, nodes: yamlio.Budget) -> Loaded:
        """The documents of ``path``, charged to the build's ``nodes``."""
        key = path.resolve()
        if key in self._shared:
            data, cost = self._shared[key]
            nodes.charge(cost.parsed, cost.expanded, where)
            import pickle

            loaded: Loaded = pickle.loads(data)  # noqa: S301 - our own bytes
            return loaded
        once = self._once.pop(key, None)
        if once is not None:
            nodes.charge(once[1].parsed, once[1].expanded, where)
            return once[0]
        before = (nodes.parsed, nodes.expanded)
        loaded = _load(key, where, nodes, self.plain)
        if self._uses.get(key, 0) > 1:
            self._store(key, loaded, _Cost(nodes.parsed - before[0], nodes.expanded - before[1]))
        return loaded

    def _store(self, path: Path, loaded: Loaded, cost: _Cost) -> None:
        if self._uses.get(path, 0) > 1:
            import pickle

            self._shared[path] = (pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL), cost)
        else:
            self._once[path] = (loaded, cost)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _halves(paths: list[Path], sizes: dict[Path, int]) -> tuple[list[Path], list[Path]]:
    """Two lists of about equal bytes (largest first, each to the lighter side)."""
    sides: tuple[list[Path], list[Path]] = ([], [])
    weights = [0, 0]
    for path in sorted(paths, key=lambda p: (-sizes[p], str(p))):
        side = 0 if weights[0] <= weights[1] else 1
        sides[side].append(path)
        weights[side] += sizes[path]
    return sides


def _parse_all(
    paths: list[Path], *, budget: yamlio.Budget
) -> tuple[list[tuple[Path, tuple[Loaded, _Cost] | None]], int, int]:
    """Each file's documents and what they cost (``None`` for one that fails: a build parses
    it again and reports it), and the budget's counts after them."""
    outcomes: list[tuple[Path, tuple[Loaded, _Cost] | None]] = []
    for path in paths:
        before = (budget.parsed, budget.expanded)
        try:
            loaded = _load(path, display(path), budget, _refuse_encrypted_file)
        except LoadError:
            budget.parsed, budget.expanded = before
            outcomes.append((path, None))
            continue
        outcomes.append(
            (path, (loaded, _Cost(budget.parsed - before[0], budget.expanded - before[1])))
        )
    return outcomes, budget.parsed, budget.expanded


def _refuse_encrypted_file(path: Path, data: bytes, where: str) -> bytes:
    refuse_encrypted(path, data, where)
    return data


def parse_resources(
    documents: list[Any],
    where: str,
    *,
    texts: Sequence[yamlio.SourceTexts] = (),
    unwritable: Sequence[tuple[int, str | float, LoadError]] = (),
    recoded: Sequence[tuple[int, Any, Any, Any]] = (),
    notes: Sequence[tuple[int, yamlio.Note]] = (),
    patch: Literal["", "patches", "legacy"] = "",
) -> list[Resource]:
    """Check each document and inline lists as kustomize does: a kind ending in ``List`` with
    ``items`` (it needs no name) is replaced by its items, which join the end of the file's
    queue. An empty ``metadata.annotations`` is dropped, as kustomize drops it.

    ``texts`` (one per document, optional, from :func:`kgen.yamlio.load_resource_documents`)
    gives each resource its ``data_text``; ``unwritable`` (from the same) gives each resource of
    a document the values of it kustomize cannot write (see ``Resource.unwritable_values``);
    ``recoded`` (from the same) are the values of flow collections that are others in the
    items of a List kustomize re-encodes (an empty value is null there, a timestamp
    converted, a timestamp key an error); ``notes`` (from the same) gives each resource of a
    document whose nodes kustomize keeps how its values were written (``Resource.notes``).
    ``patch``: the documents are strategic-merge patches: of ``patches`` (their annotations'
    nulls stay: they delete), or of ``patchesStrategicMerge`` (``legacy``: kustomize reads
    those as resources, so their labels and annotations are all strings, nulls too)."""
    if texts and len(texts) != len(documents):
        raise ValueError("parse_resources: one SourceTexts per document expected")
    no_texts: yamlio.SourceTexts = {}
    blocks: dict[int, list[tuple[str | float, Exception]]] = {}
    for index, value, error in unwritable:
        blocks.setdefault(index + 1, []).append((value, error))
    changes: dict[int, list[tuple[Any, Any, Any]]] = {}
    for index, container, key, value in recoded:
        changes.setdefault(index + 1, []).append((container, key, value))
    written: dict[int, list[yamlio.Note]] = {}
    for index, note in notes:
        written.setdefault(index + 1, []).append(note)
    # (document number, document, its texts, path in the document, whether kustomize keeps
    # its YAML nodes: a document, or an item of a file's only List; other lists go through JSON)
    queue: deque[tuple[int, Any, yamlio.SourceTexts, tuple[str | int, ...], bool]] = deque(
        (number, document, texts[number - 1] if texts else no_texts, (), True)
        for number, document in enumerate(documents, start=1)
    )
    resources = []
    while queue:
        number, document, source_texts, path, kept = queue.popleft()
        at = f"{where}: document {number}"
        kind = _kind(document, at)
        if kind.endswith("List") and "items" in document:
            items = document["items"]
            if items is None:
                continue
            if not isinstance(items, list):
                raise ResourceError(at, f"{kind}.items: expected a list")
            # Only a file's own ``kind: List`` (or ``ResourceList``), when it is the file's only
            # document, is unwrapped by kyaml's reader, which keeps the items' YAML nodes;
            # kustomize turns any other list into JSON and back (numbers, bools... lose the
            # text they were written with).
            unwrapped = kind in _UNWRAPPED_LISTS and not path and len(documents) == 1
            if not unwrapped:
                # kustomize re-encodes these items with goyaml at load: a control character
                # fails there, whatever happens to it later (a tab-led block just loses its
                # block style), and some values of flow collections change (note_recoded)
                for _, problem in blocks.get(number, ()):
                    if yamlio.CONTROL_CHARACTER in str(problem) or yamlio.NOT_JSON in str(problem):
                        raise problem
                for container, key, value in changes.get(number, ()):
                    if isinstance(value, Exception):
                        raise value
                    container[key] = value
            item_texts = source_texts if unwrapped else no_texts
            queue.extend(
                (number, item, item_texts, (*path, "items", index), kept and unwrapped)
                for index, item in enumerate(items)
                if item is not None  # kustomize drops null items of a list
            )
            continue
        manifest = _checked(document, kind, at)
        metadata = manifest["metadata"]
        at = f"{at} ({label(kind)} {label(id_text(metadata.get('name')))})"
        group, version = split_api_version(id_text(manifest.get("apiVersion")))
        resource = Resource(manifest=manifest, origin=at, original_gvk=Gvk(group, version, kind))
        if source_texts:
            resource.data_text = _data_text(source_texts, path)
        if kept and number in blocks:
            resource.unwritable_values = blocks[number]
        if kept and number in written:
            resource.notes = written[number]
        elif not kept:
            resource.notes = json_strings(manifest)
        if patch == "legacy":
            _stringify_legacy_patch(metadata, resource.data_text)
        else:
            known = resource.data_text.get(ANNOTATIONS_TEXT, {})
            stringify_annotations(metadata, known, patch=bool(patch))
        resources.append(resource)
    return resources


def json_strings(manifest: Manifest) -> list[yamlio.Note]:
    """The notes of an object kustomize read back from JSON (an item of a List it re-encodes):
    every string of a mapping is a double-quoted node there, so a number a strategic merge
    puts in its place takes the quotes and stays a string (``"1.50"``)."""
    notes: list[yamlio.Note] = []
    pending: list[Any] = [manifest]
    while pending:
        node = pending.pop()
        if type(node) is dict:
            for key, value in node.items():
                if type(value) is str:
                    notes.append((node, key, yamlio.WRITTEN_STYLED))
                elif type(value) is dict or type(value) is list:
                    pending.append(value)
        elif type(node) is list:
            pending.extend(item for item in node if type(item) is dict or type(item) is list)
    return notes


def _data_text(texts: yamlio.SourceTexts, path: tuple[str | int, ...]) -> dict[str, dict[str, str]]:
    """The source texts of the string maps of the object at ``path`` (see Resource.data_text)."""
    found = {}
    for field, where in _TEXT_FIELDS:
        field_texts = texts.get((*path, *where))
        if field_texts:
            found[field] = field_texts
    return found


def stringify_annotations(
    metadata: dict[str, Any], texts: dict[str, str], *, patch: bool = False
) -> None:
    """kustomize rewrites a non-empty ``metadata.annotations`` from the text of each value
    (kyaml ``GetAnnotations``/``SetAnnotations``, when it strips its build annotations), so
    ``port: 9102`` is written ``port: "9102"``; an empty or null one is dropped.

    ``patch``: the metadata of a strategic-merge patch of ``patches``, where a null (the map's
    or a value's) deletes, so it stays null."""
    annotations = metadata.get("annotations", ...)
    if annotations is None and patch:
        return
    if annotations in ({}, None):
        del metadata["annotations"]
    elif isinstance(annotations, dict):
        metadata["annotations"] = {
            key: None if value is None and patch else kyaml_text(value, texts.get(key), null="null")
            for key, value in annotations.items()
        }


def _stringify_legacy_patch(metadata: dict[str, Any], texts: dict[str, dict[str, str]]) -> None:
    """A ``patchesStrategicMerge`` patch is read as a resource (kustomize's
    ``SliceFromPatches``): its labels and annotations are rewritten from their texts, a null
    being the string of its text (``"null"``, ``"~"``, ``""``), an empty or null map dropped."""
    for field, name in (("labels", LABELS_TEXT), ("annotations", ANNOTATIONS_TEXT)):
        value = metadata.get(field, ...)
        if value in ({}, None):
            del metadata[field]
        elif isinstance(value, dict):
            known = texts.get(name, {})
            metadata[field] = {
                key: kyaml_text(item, known.get(key), null="null") for key, item in value.items()
            }


def kyaml_text(value: Any, text: str | None, *, null: str = "") -> str:
    """A value of a string map as kyaml reads it (``GetDataMap``, ``GetLabels``): a scalar's
    text as written (``text``, when it loaded as something else: ``0.50``, ``True``,
    ``0o022``, ``2024-05-01``), ``""`` for a mapping or a list, ``null`` for a null without
    a recorded text."""
    if text is not None:
        return text
    if isinstance(value, str):
        return value
    if value is None:
        return null
    if isinstance(value, dict | list):
        return ""
    # No text recorded (an item of a ``...List`` other than a file's own ``kind: List``, which
    # kustomize turns into JSON and back): the value as Go's encoding/json writes it.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return json_number_text(value)
    return str(value)


def json_number_text(number: float) -> str:
    """Go ``encoding/json``'s text for a finite float64: shortest digits, ``%f`` style unless
    below 1e-6 or from 1e21 on (then ``1e-7``, ``1.5e+21``)."""
    if number == 0:
        return "-0" if math.copysign(1.0, number) < 0 else "0"
    sign = "-" if number < 0 else ""
    from decimal import Decimal

    _, digit_tuple, exponent = Decimal(repr(abs(number))).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len(digit_tuple) - len(digits)  # value = int(digits) * 10**exponent
    point = len(digits) + exponent  # where the decimal point goes in ``digits``
    if 1e-6 <= abs(number) < 1e21:
        if exponent >= 0:
            return sign + digits + "0" * exponent
        if point > 0:
            return f"{sign}{digits[:point]}.{digits[point:]}"
        return f"{sign}0.{'0' * -point}{digits}"
    power = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    # Go writes at least two exponent digits, then encoding/json trims "e-07" to "e-7".
    exp_text = f"{abs(power):02d}" if power >= 0 else str(-power)
    return f"{sign}{mantissa}e{'+' if power >= 0 else '-'}{exp_text}"


def is_local_config(resource: Resource) -> bool:
    """Objects annotated ``config.kubernetes.io/local-config: "true"`` are not emitted."""
    metadata = resource.manifest.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    return isinstance(annotations, dict) and annotations.get(LOCAL_CONFIG) == "true"


def _kind(document: Any, at: str) -> str:
    if not isinstance(document, dict):
        raise ResourceError(at, "expected a Kubernetes object (a mapping)")
    # kyaml reads the kind into a Go string: ``kind: 2`` is kind "2" (written back as 2)
    kind = id_text(document.get("kind"))
    if not kind:
        raise ResourceError(at, "missing kind")
    return kind


def _checked(document: dict[str, Any], kind: str, at: str) -> Manifest:
    metadata = document.get("metadata")
    name = id_text(metadata.get("name")) if isinstance(metadata, dict) else ""
    if kind.endswith("List") and not name and (metadata is None or isinstance(metadata, dict)):
        # kustomize needs no name for a ...List (one without items stays an object, given an
        # empty metadata when it has none; ``kubectl get -o yaml`` writes ``resourceVersion``);
        # the API server refuses it, which validation reports.
        if metadata is None:
            document["metadata"] = {}
        return document
    if not name:
        raise ResourceError(at, f"{kind}: missing metadata.name")
    at = f"{at} ({label(kind)} {label(name)})"
    if isinstance(document.get("apiVersion"), dict | list):
        # kustomize passes even this through; the API server refuses it
        raise ResourceError(at, "apiVersion: expected a string")
    return document


def value_ids(manifest: Any) -> set[int]:
    """The identities of every string and float in ``manifest`` (iterative): those
    :attr:`Resource.unwritable_values` are known by."""
    found: set[int] = set()
    pending = [manifest]
    while pending:
        node = pending.pop()
        if isinstance(node, str | float):
            found.add(id(node))
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found
