"""How paths are shown in messages and the load restriction (files stay under their root)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kgen.errors import LoadError


def display(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else absolute."""
    absolute = Path(os.path.normpath(Path.cwd() / path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest file kgen reads (64 MiB): resource files of CRD bundles are a few MiB, and an
API object is at most 1 MiB (1.5 MiB in etcd); the cap keeps a stray file (a disk image, a
log) from exhausting memory, with or without validation."""
MAX_BUILD_BYTES = 256 * 1024 * 1024
"""The most bytes one build reads, every file counted each time it is used (256 MiB)."""

_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class ReadBudget:
    """What one build may still read (:data:`MAX_BUILD_BYTES`); each build has its own."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_BUILD_BYTES if limit is None else limit
        self.spent = 0

    def fits(self, size: int) -> bool:
        """Whether ``size`` more bytes stay within the limit."""
        return self.spent + size <= self.limit

    def spend(self, size: int, path: Path, where: str) -> None:
        """Count ``size`` bytes of ``path``; refuse them when they would exceed the limit."""
        if self.spent + size > self.limit:
            raise LoadError(
                where,
                f"reading {display(path)} would take this build past kgen's limit of "
                f"{_amount(self.limit)} of input",
            )
        self.spent += size


def _amount(size: int) -> str:
    mebibytes, rest = divmod(size, 1024 * 1024)
    return f"{size:,} bytes" + ("" if rest else f" ({mebibytes} MiB)")


def checked_size(path: Path, where: str) -> int:
    """The size of ``path`` once it is known to be a regular file within
    :data:`MAX_FILE_BYTES`; found without opening it (opening a FIFO blocks)."""
    try:
        status = path.stat()
    except OSError as exc:
        raise LoadError(where, f"cannot read {display(path)}: {exc.strerror}") from None
    _check_regular(status, path, where)
    if status.st_size > MAX_FILE_BYTES:
        raise LoadError(
            where,
            f"cannot read {display(path)}: {status.st_size:,} bytes, more than kgen's limit of "
            f"{_amount(MAX_FILE_BYTES)} per file",
        )
    return status.st_size


def _check_regular(status: os.stat_result, path: Path, where: str) -> None:
    for test, kind in _NOT_REGULAR:
        if test(status.st_mode):
            raise LoadError(where, f"cannot read {display(path)}: {kind}, not a regular file")


def read_file(path: Path, where: str, budget: ReadBudget | None = None) -> bytes:
    """The bytes of ``path``; anything but a regular file within :data:`MAX_FILE_BYTES`
    (and ``budget``) is a :class:`LoadError` naming it. The size is checked before a byte is
    read, and the file is opened without blocking, so a FIFO swapped in cannot hang the build."""
    size = checked_size(path, where)
    if budget is not None:
        budget.spend(size, path, where)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise LoadError(where, f"cannot read {display(path)}: {exc.strerror}") from None
    with os.fdopen(handle, "rb") as stream:
        try:
            _check_regular(os.fstat(handle), path, where)  # not swapped since the check
            data = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise LoadError(where, f"cannot read {display(path)}: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:  # it grew after the check
        raise LoadError(
            where,
            f"cannot read {display(path)}: more than kgen's limit of {_amount(MAX_FILE_BYTES)} "
            "per file",
        )
    return data


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
