"""Kustomization roots: which directories ``kgen build --all DIR`` builds (I/O)."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from kgen.kustomization import FILE_NAMES, is_remote
from kgen.loader import Loader

SKIPPED_DIRECTORIES = ("node_modules", "vendor")
"""Directories ``--all`` never searches (besides hidden ones): other projects' files."""


def find_roots(directory: Path, files: Loader, exclude: tuple[str, ...] = ()) -> list[Path]:
    """Every kustomization under ``directory`` that no other kustomization there includes,
    sorted by path. Hidden directories (``.git``, ``.venv``…), ``node_modules`` and ``vendor``
    are not searched, nor a directory whose path relative to ``directory`` matches an
    ``exclude`` glob (``fnmatch``, ``*`` crossing ``/``: ``examples``, ``*/testdata``,
    ``apps/legacy-*``). ``files``: the run's loader, which keeps the kustomizations parsed
    here for the builds."""
    found: list[Path] = []
    for current, subdirectories, names in os.walk(directory):
        base = Path(current)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not name.startswith(".")
            and name not in SKIPPED_DIRECTORIES
            and not _excluded((base / name).relative_to(directory).as_posix(), exclude)
        )
        if any(name in names for name in FILE_NAMES):
            found.append(base)
    included: set[Path] = set()
    for root in found:
        included.update(_included_directories(root, files))
    return sorted(
        (root for root in found if root.resolve() not in included),
        key=lambda root: root.parts,
    )


def _excluded(relative: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(relative, pattern.strip("/")) for pattern in patterns)


def _included_directories(root: Path, files: Loader) -> set[Path]:
    """The directories a kustomization lists in ``resources:``, ``components:`` or as plugin
    configs (``transformers:`` ...), resolved; none when it does not read (its build reports
    why)."""
    kustomization = files.peek(root)
    if kustomization is None:
        return set()
    included = set()
    plugin_entries = (  # a path has no line break: an entry with one is an inline config
        entry
        for entries in kustomization.plugins.values()
        for entry in entries
        if "\n" not in entry
    )
    for entry in (*kustomization.resources, *kustomization.components, *plugin_entries):
        if is_remote(entry):
            continue
        target = root / entry
        if target.is_dir():
            included.add(target.resolve())
    return included
