"""What a repository or a shell chooses once for every build: the name-suffix hash (I/O edge).

A repository switching from kustomize keeps its generated names by building with
``--hash kustomize``; rather than on every command line, it says so once:

- ``KGEN_HASH=kustomize`` in the environment (a shell, a CI job), or
- a ``.kgen.toml`` file holding ``hash = "kustomize"``, found by walking up from the root being
  built; the walk stops at the repository's top (the first directory holding ``.git``), so a
  file outside the repository is never read.

The command line wins over both, and the environment over the file. Without any, the hash is
xxhash, kgen's default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from kgen.errors import KgenError, quote
from kgen.hashing import HASH_MODES, HashMode
from kgen.paths import display

SETTINGS_FILE = ".kgen.toml"
HASH_VARIABLE = "KGEN_HASH"
DEFAULT_HASH: HashMode = "xxhash"
_FIELDS = ("hash",)


class UsageError(KgenError):
    """The command line or the environment asks for something kgen cannot do: exit code 2."""

    exit_code = 2


def _hash(value: object, where: str) -> HashMode:
    for mode in HASH_MODES:
        if value == mode:
            return mode
    raise UsageError(where, f"must be {' or '.join(HASH_MODES)}")


class Settings:
    """Finds each root's hash, reading each directory and settings file once per run."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        """Reads ``KGEN_HASH`` (an unknown value is a :class:`UsageError`)."""
        variable = (os.environ if environ is None else environ).get(HASH_VARIABLE)
        self.environment: HashMode | None = _hash(variable, HASH_VARIABLE) if variable else None
        self._found: dict[Path, Path | None] = {}
        self._files: dict[Path, HashMode | None] = {}

    def hash_for(self, root: Path, given: HashMode | None) -> HashMode:
        """The hash for building ``root``: ``given`` (``--hash``), else ``KGEN_HASH``, else the
        nearest settings file's, else the default."""
        if given is not None:
            return given
        if self.environment is not None:
            return self.environment
        found = self.settings_file(root)
        chosen = self._file_hash(found) if found is not None else None
        return chosen or DEFAULT_HASH

    def settings_file(self, root: Path) -> Path | None:
        """The ``.kgen.toml`` nearest above ``root`` within its repository, if any."""
        start = Path(os.path.abspath(root))  # noqa: PTH100 - lexical: a root given as ../x
        visited: list[Path] = []
        found: Path | None = None
        directory = start
        while True:
            if directory in self._found:
                found = self._found[directory]
                break
            visited.append(directory)
            candidate = directory / SETTINGS_FILE
            if candidate.is_file():
                found = candidate
                break
            if (directory / ".git").exists() or directory.parent == directory:
                break
            directory = directory.parent
        for seen in visited:
            self._found[seen] = found
        return found

    def _file_hash(self, path: Path) -> HashMode | None:
        if path not in self._files:
            self._files[path] = read_settings(path)
        return self._files[path]


def read_settings(path: Path) -> HashMode | None:
    """The ``hash`` a settings file sets (``None``: it sets none); any other key, a value that
    is not a hash kgen has, or a file that is not TOML is an error naming the file."""
    import tomllib  # only for a repository that has a settings file

    shown = display(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KgenError(shown, f"cannot read: {exc.strerror or type(exc).__name__}") from None
    except UnicodeDecodeError:
        raise KgenError(shown, "not a TOML file: it is not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:  # its messages say where, never what is there
        raise KgenError(shown, f"not a TOML file: {exc}") from None
    unknown = [key for key in data if key not in _FIELDS]
    if unknown:
        raise KgenError(
            shown, f"unknown setting {quote(unknown[0])}; kgen reads: {', '.join(_FIELDS)}"
        )
    if "hash" not in data:
        return None
    value = data["hash"]
    if value not in HASH_MODES:
        raise KgenError(shown, f"hash: must be {' or '.join(HASH_MODES)}")
    return _hash(value, f"{shown}: hash")
