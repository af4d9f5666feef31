"""The one loader: every file a build reads goes through it (I/O at the edge of the pipeline).

It owns the load restrictor, the size caps and each build's budget, and the caches of one run:

- :class:`Loader` (one per run: ``kgen build a b`` or ``--all``): the restrictor, the parsed
  kustomizations (each file parsed once per run, whichever root or step asks first: ``--all``'s
  root search, the prefetch walk or a build) and the parsed resource files
  (:class:`kgen.resources.FileCache`, prefetched in parallel when big);
- :class:`Reader` (one per build, from :meth:`Loader.reader`): the build's one budget, of bytes
  read (:class:`kgen.paths.ReadBudget`, every use of a file counted) and of YAML nodes
  (:class:`kgen.yamlio.Budget`, every use of a parsed file charged what parsing it cost).

A file is checked against the restrictor before it is read or parsed, with one wording
(:func:`kgen.paths.check_within`), and its size before a byte is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kgen import crds, resources, yamlio
from kgen.decode import UnknownFieldError
from kgen.decryption import Decryptor
from kgen.errors import KgenError, KustomizationError, LoadError
from kgen.fieldspecs import TransformerConfig, parse_transformer_config
from kgen.kustomization import Kustomization, find_kustomization, is_remote, parse_document
from kgen.model import Resource
from kgen.paths import ReadBudget, check_within, checked_size, display, read_file
from kgen.records import NamedTuple

MAX_NESTED_BASES = 500
"""How deep bases may nest (a base of a base of ...): the build recurses once per level."""


class _Parsed(NamedTuple):
    kustomization: Kustomization
    parsed: int
    expanded: int
    """What parsing it cost, charged to every build that uses it."""


class Loader:
    """The reads of one run: the restrictor and the caches its builds share."""

    def __init__(self, *, restrict: bool = True, decryptor: Decryptor | None = None) -> None:
        self.restrict = restrict
        self.decryptor = Decryptor() if decryptor is None else decryptor
        """Every file read passes through it: SOPS files are decrypted in memory."""
        self.files = resources.FileCache(plain=self.decryptor.resource)
        self._kustomizations: dict[Path, _Parsed] = {}
        self.bases: dict[Any, Any] = {}
        """Bases built whole once in this run, for the other roots that include them (see
        :func:`kgen.pipeline._kept_base`)."""
        self.base_uses: dict[str, int] = {}
        """How many times the run's builds include each base directory (real path), as the
        prefetch walk found: only one used more than once is worth keeping."""

    def reader(self) -> Reader:
        """A reader for one build, with a budget of its own."""
        return Reader(self)

    def check(self, path: Path, root: Path, where: str) -> None:
        """The load restrictor: ``path`` must resolve inside ``root`` (unless lifted)."""
        if self.restrict:
            check_within(path, root, where)

    def parse_kustomization(self, path: Path, nodes: yamlio.Budget) -> Kustomization:
        """The kustomization file ``path``, parsed once per run. The first parse
        spends ``nodes``; a later use is charged what the first cost. Errors are not kept
        (they may be the budget's): asking again parses again."""
        where = display(path)
        cached = self._kustomizations.get(path)
        if cached is not None:
            nodes.charge(cached.parsed, cached.expanded, where)
            return cached.kustomization
        before = (nodes.parsed, nodes.expanded)
        data = read_file(path, where)
        try:
            kustomization = parse_document(
                yamlio.load_documents(data, where, "kustomization", nodes), path, where
            )
        except UnknownFieldError as error:
            line = _top_level_line(data, error.key) if error.where == where else None
            if line is None:
                raise
            raise KustomizationError(where, f"line {line}: {error.message}") from None
        self._kustomizations[path] = _Parsed(
            kustomization, nodes.parsed - before[0], nodes.expanded - before[1]
        )
        return kustomization

    def peek(self, directory: Path) -> Kustomization | None:
        """The kustomization of ``directory`` when it reads and parses (allowed by the
        restrictor), else ``None``: for the walks that look ahead of the builds (``--all``'s
        root search, the prefetch), which leave every error to the build itself."""
        try:
            path = find_kustomization(directory, "")
            self.check(path, directory, "")
            return self.parse_kustomization(path, yamlio.Budget())
        except KgenError:
            return None

    def prefetch(self, roots: list[Path]) -> None:
        """Parse the resource files the builds of ``roots`` will read, ahead (in parallel
        when big): only files the restrictor lets them read."""
        files: list[Path] = []
        for root in roots:
            files.extend(self.resource_files(root))
        self.files.prefetch(files)

    def resource_files(self, directory: Path, building: set[str] | None = None) -> list[Path]:
        """The resource files a build of ``directory`` reads, in order (a best effort:
        anything unreadable or refused, and any cycle, is left for the build to report)."""
        building = set() if building is None else building
        real = os.path.realpath(directory)
        kustomization = None
        if real not in building and len(building) <= MAX_NESTED_BASES:
            kustomization = self.peek(directory)
        if kustomization is None:
            return []
        building.add(real)
        files: list[Path] = []
        for entry in kustomization.resources:
            target = directory / entry
            if is_remote(entry):
                continue
            if target.is_dir():
                used = os.path.realpath(target)
                self.base_uses[used] = self.base_uses.get(used, 0) + 1
                files.extend(self.resource_files(base_directory(target), building))
            elif target.is_file() and self._allowed(target, directory):
                files.append(target)
        for entry in kustomization.components:
            target = directory / entry
            if entry and not is_remote(entry) and target.is_dir():
                files.extend(self.resource_files(base_directory(target), building))
        building.remove(real)
        return files

    def _allowed(self, path: Path, root: Path) -> bool:
        try:
            self.check(path, root, "")
        except LoadError:
            return False
        return True


class Reader:
    """The reads of one build, counted against its budget."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.bytes = ReadBudget()
        self.nodes = yamlio.Budget()

    def kustomization(self, directory: Path, where: str) -> Kustomization:
        """The kustomization of ``directory``: exactly one kustomization file, inside the
        directory once symlinks are resolved (as kustomize refuses one linked out)."""
        path = find_kustomization(directory, where)
        shown = display(path)
        self.loader.check(path, directory, shown)
        self.bytes.spend(checked_size(path, shown), path, shown)
        return self.loader.parse_kustomization(path, self.nodes)

    def resources(self, directory: Path, entry: str, where: str) -> list[Resource]:
        """The objects of the resource file ``entry`` of the kustomization in ``directory``."""
        path = directory / entry
        self.loader.check(path, directory, where)
        return resources.read_resources(path, where, self.loader.files, self.bytes, self.nodes)

    def source(self, directory: Path, entry: str, where: str) -> bytes:
        """The content of a generator's source file ``entry`` (relative to ``directory``),
        decrypted in memory when it is a SOPS file."""
        path = self._file(directory, entry, where, "file not found")
        return self.loader.decryptor.source(path, read_file(path, where, self.bytes), where)

    def patch(self, directory: Path, entry: str, where: str) -> bytes:
        """The bytes of a patch file ``entry`` of the kustomization in ``directory`` (one
        that is SOPS-encrypted is refused: its values would be applied as ciphertext)."""
        path = self._file(directory, entry, where, "no such file")
        data = read_file(path, where, self.bytes)
        resources.refuse_encrypted(path, data, where)
        return data

    def _file(self, directory: Path, entry: str, where: str, missing: str) -> Path:
        """The file ``entry`` of ``directory``: it exists, the restrictor allows it, and it
        is not a directory."""
        path = directory / entry
        if not path.exists():
            raise LoadError(where, f"{missing}: {display(path)}")
        self.loader.check(path, directory, where)
        if path.is_dir():
            raise LoadError(where, f"{display(path)} is a directory, expected a file")
        return path

    def configuration(self, directory: Path, entry: str, where: str) -> TransformerConfig:
        """A ``configurations:`` file of the kustomization in ``directory``."""
        data = self.patch(directory, entry, where)
        shown = display(directory / entry)
        documents = yamlio.load_documents(data, shown, "kustomization", self.nodes)
        return parse_transformer_config(documents[0] if documents else None, shown)

    def crds(self, directory: Path, entry: str, where: str) -> TransformerConfig:
        """The field specs a ``crds:`` file of the kustomization in ``directory`` declares
        (JSON when it starts with ``{``, as kustomize tells them apart, else YAML)."""
        shown = display(directory / entry)
        data = self.patch(directory, entry, where)
        if not data:
            raise LoadError(where, f"{shown} is empty, expected OpenAPI definitions")
        return crds.parse_crds(yamlio.load_value(data, shown, self.nodes), f"{where}: {shown}")


def _top_level_line(data: bytes, key: str) -> int | None:
    """The line of a top-level key in a kustomization's text (unindented, plain or quoted),
    for the message about it."""
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        for written in (key, f'"{key}"', f"'{key}'"):
            if line.startswith(written) and line[len(written) :].lstrip(" \t").startswith(":"):
                return number
    return None


def base_directory(target: Path, real: str | None = None) -> Path:
    """The path a base directory is built from: ``target`` lexically normalized when that is
    the same directory, so that paths stay short down a chain of ``../next`` bases (each use of
    a path costs the system a step per component), else its real path (a symlink followed by
    ``..``). ``real`` is ``target``'s real path when the caller has it."""
    normal = Path(os.path.normpath(target))
    if ".." not in target.parts:
        return normal  # without "..", normalizing changes nothing the system would see
    real = os.path.realpath(target) if real is None else real
    return normal if os.path.realpath(normal) == real else Path(real)
