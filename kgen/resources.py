"""Resource files: read (I/O) and turn documents into resources (pure)."""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kgen import parallel, yamlio
from kgen.errors import LoadError, ResourceError, label
from kgen.model import Gvk, Manifest, Resource, split_api_version
from kgen.paths import display, read_file

LOCAL_CONFIG = "config.kubernetes.io/local-config"


Loaded = list[tuple[dict[str, Any], "yamlio.SourceTexts"]]
PARALLEL_BYTES = 512 * 1024
"""Below this many bytes of resource files, parsing them in a second process costs more than
it saves."""


def read_resources(path: Path, where: str, cache: FileCache | None = None) -> list[Resource]:
    """Every object of a resource file, ``...List`` kinds inlined."""
    shown = display(path)
    loaded = cache.take(path, where) if cache is not None else _load(path, where)
    return parse_resources(
        [document for document, _ in loaded], shown, texts=[texts for _, texts in loaded]
    )


def _load(path: Path, where: str) -> Loaded:
    return yamlio.load_resource_documents(read_file(path, where), display(path))


class FileCache:
    """Parsed resource files, shared by the roots of one run: a file several roots include is
    parsed once (kept pickled, so each use gets its own copy to transform), and when the files
    are big enough half of them are parsed in a second process, so both cores work."""

    def __init__(self) -> None:
        self._once: dict[Path, Loaded | BaseException] = {}
        self._shared: dict[Path, bytes] = {}
        self._uses: dict[Path, int] = {}

    def prefetch(self, paths: Sequence[Path]) -> None:
        """Parse ``paths`` (in the order a build reads them; repeats count as uses) ahead."""
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
        there, here = parallel.split_work(_parse_all, theirs, mine)
        for path, outcome in (*here, *(there or ())):
            self._store(path, outcome)

    def take(self, path: Path, where: str) -> Loaded:
        key = path.resolve()
        if key in self._shared:
            loaded: Loaded = pickle.loads(self._shared[key])  # noqa: S301 - our own bytes
            return loaded
        outcome = self._once.pop(key, None)
        if outcome is None:
            outcome = _outcome(key, where)
            if self._uses.get(key, 0) > 1:
                self._store(key, outcome)
                return self.take(path, where)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _store(self, path: Path, outcome: Loaded | BaseException) -> None:
        if self._uses.get(path, 0) > 1 and not isinstance(outcome, BaseException):
            self._shared[path] = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            self._once[path] = outcome


def _outcome(path: Path, where: str) -> Loaded | BaseException:
    try:
        return _load(path, where)
    except LoadError as exc:
        return exc


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


def _parse_all(paths: list[Path]) -> list[tuple[Path, Loaded | BaseException]]:
    return [(path, _outcome(path, display(path))) for path in paths]


def parse_resources(
    documents: list[Any], where: str, *, texts: Sequence[yamlio.SourceTexts] = ()
) -> list[Resource]:
    """Check each document and inline lists as kustomize does: a kind ending in ``List`` with
    ``items`` (it needs no name) is replaced by its items, which join the end of the file's
    queue. An empty ``metadata.annotations`` is dropped, as kustomize drops it.

    ``texts`` (one per document, optional, from :func:`kgen.yamlio.load_resource_documents`)
    gives each resource its ``data_text``."""
    if texts and len(texts) != len(documents):
        raise ValueError("parse_resources: one SourceTexts per document expected")
    no_texts: yamlio.SourceTexts = {}
    queue: deque[tuple[int, Any, yamlio.SourceTexts, tuple[str | int, ...]]] = deque(
        (number, document, texts[number - 1] if texts else no_texts, ())
        for number, document in enumerate(documents, start=1)
    )
    resources = []
    while queue:
        number, document, source_texts, path = queue.popleft()
        at = f"{where}: document {number}"
        kind = _kind(document, at)
        if kind.endswith("List") and "items" in document:
            items = document["items"]
            if items is None:
                continue
            if not isinstance(items, list):
                raise ResourceError(at, f"{kind}.items: expected a list")
            # Only a file's own ``kind: List`` is unwrapped by kyaml's reader, which keeps the
            # items' YAML nodes; kustomize turns any other list into JSON and back (numbers,
            # bools... lose the text they were written with).
            item_texts = source_texts if kind == "List" and not path else no_texts
            queue.extend(
                (number, item, item_texts, (*path, "items", index))
                for index, item in enumerate(items)
                if item is not None  # kustomize drops null items of a list
            )
            continue
        manifest = _checked(document, kind, at)
        metadata = manifest["metadata"]
        at = f"{at} ({label(kind)} {label(metadata.get('name', ''))})"
        if "annotations" in metadata and metadata["annotations"] in ({}, None):
            del metadata["annotations"]  # kustomize drops an empty or null annotations map
        group, version = split_api_version(_api_version(manifest))
        resource = Resource(manifest=manifest, origin=at, original_gvk=Gvk(group, version, kind))
        if source_texts:
            resource.data_text = _data_text(source_texts, path)
        resources.append(resource)
    return resources


def _data_text(texts: yamlio.SourceTexts, path: tuple[str | int, ...]) -> dict[str, dict[str, str]]:
    """The source texts of the ``data``/``binaryData`` of the object at ``path``."""
    found = {}
    for field in ("data", "binaryData"):
        field_texts = texts.get((*path, field))
        if field_texts:
            found[field] = field_texts
    return found


def is_local_config(resource: Resource) -> bool:
    """Objects annotated ``config.kubernetes.io/local-config: "true"`` are not emitted."""
    metadata = resource.manifest.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    return isinstance(annotations, dict) and annotations.get(LOCAL_CONFIG) == "true"


def _kind(document: Any, at: str) -> str:
    if not isinstance(document, dict):
        raise ResourceError(at, "expected a Kubernetes object (a mapping)")
    kind = document.get("kind")
    if not isinstance(kind, str) or not kind:
        raise ResourceError(at, "missing kind")
    return kind


def _checked(document: dict[str, Any], kind: str, at: str) -> Manifest:
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if kind.endswith("List") and not name and metadata in (None, {}):
        # kustomize needs no name for a ...List (one without items stays an object, given an
        # empty metadata); the API server refuses it, which validation reports.
        document["metadata"] = {}
        return document
    if not isinstance(name, str) or not name:
        raise ResourceError(at, f"{kind}: missing metadata.name")
    at = f"{at} ({label(kind)} {label(name)})"
    if not isinstance(_api_version(document), str):
        raise ResourceError(at, "apiVersion: expected a string")
    return document


def _api_version(manifest: Manifest) -> Any:
    return manifest.get("apiVersion", "")
