"""How paths are shown in messages and the load restriction (files stay under their root)."""

from __future__ import annotations

import os
from pathlib import Path

from kgen.errors import LoadError


def display(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else absolute."""
    absolute = Path(os.path.normpath(Path.cwd() / path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def read_file(path: Path, where: str) -> bytes:
    """The bytes of ``path``; an unreadable file is a :class:`LoadError` naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(where, f"cannot read {display(path)}: {exc.strerror}") from None


def check_within(path: Path, root: Path, where: str) -> None:
    """Refuse ``path`` unless it resolves (symlinks followed) inside ``root``."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise LoadError(
            where,
            f"{display(path)} is outside the kustomization root {display(root)} "
            "(use --load-restrictor LoadRestrictionsNone to allow it)",
        )
