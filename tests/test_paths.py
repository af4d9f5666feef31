"""kgen.paths: reading files safely (regular files only, size caps) and the load restriction."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from kgen import paths
from kgen.errors import LoadError
from kgen.paths import ReadBudget, check_within, checked_size, read_file


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.mkdir()


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        pytest.param(_fifo, "a FIFO", id="fifo"),
        pytest.param(_directory, "a directory", id="directory"),
        pytest.param(_socket, "a socket", id="socket"),
        pytest.param(_device, "a character device", id="dev-zero"),
    ],
)
def test_only_regular_files_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], None], kind: str
) -> None:
    """Checked before opening: opening a FIFO blocks until a writer comes, /dev/zero never
    ends."""
    monkeypatch.chdir(tmp_path)
    if make is _device and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    make(tmp_path / "x")
    opened: list[object] = []
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", lambda *args: opened.append(args))
        with pytest.raises(LoadError) as info:
            read_file(Path("x"), "k.yaml: resources[0]")
    assert str(info.value) == f"k.yaml: resources[0]: cannot read x: {kind}, not a regular file"
    assert opened == []


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Path("big").open("wb") as stream:
        stream.truncate(2 * 1024**3)  # sparse: no disk used
    opened: list[object] = []
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", lambda *args: opened.append(args))
        with pytest.raises(LoadError) as info:
            read_file(Path("big"), "k.yaml: resources[0]")
    assert str(info.value) == (
        "k.yaml: resources[0]: cannot read big: 2,147,483,648 bytes, more than kgen's limit "
        "of 67,108,864 bytes (64 MiB) per file"
    )
    assert opened == []


def test_file_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "MAX_FILE_BYTES", 4)
    (tmp_path / "four").write_bytes(b"abcd")
    assert checked_size(tmp_path / "four", "w") == 4
    assert read_file(tmp_path / "four", "w") == b"abcd"


def test_file_that_grows_after_the_check_is_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    Path("grows").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    monkeypatch.setattr(paths, "checked_size", lambda path, where: 0)  # as stat saw it
    with pytest.raises(LoadError) as info:
        read_file(Path("grows"), "w")
    assert str(info.value) == (
        "w: cannot read grows: more than kgen's limit of 2,097,152 bytes (2 MiB) per file"
    )


def _denied(*args: object) -> int:
    raise PermissionError(13, "Denied")


def test_missing_and_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LoadError) as info:
        read_file(Path("missing"), "w")
    assert str(info.value) == "w: cannot read missing: No such file or directory"
    Path("locked").write_text("x")
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", _denied)
        with pytest.raises(LoadError) as info:
            read_file(Path("locked"), "w")
    assert str(info.value) == "w: cannot read locked: Denied"


def test_build_budget_counts_every_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        Path(name).write_bytes(b"x" * 6)
    budget = ReadBudget(limit=12)
    assert read_file(Path("a"), "w", budget) == b"x" * 6
    assert read_file(Path("b"), "w", budget) == b"x" * 6
    assert budget.spent == 12
    with pytest.raises(LoadError) as info:
        read_file(Path("a"), "k.yaml: resources[2]", budget)
    assert str(info.value) == (
        "k.yaml: resources[2]: reading a would take this build past kgen's limit of "
        "12 bytes of input"
    )
    assert budget.spent == 12


def test_default_build_budget() -> None:
    assert ReadBudget().limit == 256 * 1024 * 1024


def test_check_within(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("root").mkdir()
    Path("outside.yaml").write_text("x")
    (tmp_path / "root" / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    check_within(Path("root"), Path("root"), "w")
    with pytest.raises(LoadError) as info:
        check_within(Path("root/link.yaml"), Path("root"), "w")
    assert str(info.value) == (
        "w: root/link.yaml is outside the kustomization root root "
        "(use --load-restrictor LoadRestrictionsNone to allow it)"
    )
