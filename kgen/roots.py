"""Kustomization roots: which directories ``kgen build --all DIR`` builds (I/O)."""

from __future__ import annotations

import os
from pathlib import Path

from kgen.kustomization import FILE_NAMES, is_remote
from kgen.loader import Loader


def find_roots(directory: Path, files: Loader) -> list[Path]:
    """Every kustomization under ``directory`` that no other kustomization there includes,
    sorted by path. Hidden directories (``.git``, ``.venv``…) are not searched. ``files``:
    the run's loader, which keeps the kustomizations parsed here for the builds."""
    found: list[Path] = []
    for current, subdirectories, names in os.walk(directory):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        if any(name in names for name in FILE_NAMES):
            found.append(Path(current))
    included: set[Path] = set()
    for root in found:
        included.update(_included_directories(root, files))
    return sorted(
        (root for root in found if root.resolve() not in included),
        key=lambda root: root.parts,
    )


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
