"""Kustomization roots: which directories ``kgen build --all DIR`` builds (I/O)."""

from __future__ import annotations

import os
from pathlib import Path

from kgen.kustomization import FILE_NAMES, is_remote, read_kustomization
from kgen.paths import display


def find_roots(directory: Path) -> list[Path]:
    """Every kustomization under ``directory`` that no other kustomization there includes,
    sorted by path. Hidden directories (``.git``, ``.venv``…) are not searched."""
    found: list[Path] = []
    for current, subdirectories, files in os.walk(directory):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        if any(name in files for name in FILE_NAMES):
            found.append(Path(current))
    included: set[Path] = set()
    for root in found:
        included.update(_included_directories(root))
    return sorted(
        (root for root in found if root.resolve() not in included),
        key=lambda root: root.parts,
    )


def _included_directories(root: Path) -> set[Path]:
    """The directories a kustomization lists in ``resources:`` (resolved)."""
    names = [root / name for name in FILE_NAMES if (root / name).is_file()]
    if len(names) != 1:
        return set()
    kustomization = read_kustomization(names[0], display(names[0]))
    included = set()
    for entry in kustomization.resources:
        if is_remote(entry):
            continue
        target = root / entry
        if target.is_dir():
            included.add(target.resolve())
    return included
