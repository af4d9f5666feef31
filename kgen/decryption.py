"""What a run does with SOPS-encrypted files (the policy; :mod:`kgen.sops` decrypts).

One :class:`Decryptor` per run, owned by the loader: every generator source and resource file
the loader reads passes through it. A SOPS file is decrypted in memory (the keys are looked up
once, at the first encrypted file) and its decrypted values are kept, so that the CLI edge
redacts them from every message and ``--check`` diff. With ``--no-decrypt`` nothing is
decrypted: an encrypted generator source is recorded for validation to refuse
(``sops-encrypted``), as an encrypted resource already is.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kgen.errors import DecryptError
from kgen.paths import display
from kgen.records import NamedTuple

if TYPE_CHECKING:
    from kgen import sops

MIN_SECRET_CHARS = 4
"""Decrypted values shorter than this are not redacted from messages (``"1"``, ``"yes"``
would blank out unrelated text); they still never reach a message, as no message shows a
value."""


class Undecrypted(NamedTuple):
    """An encrypted generator source read as it is (``--no-decrypt``)."""

    where: str
    file: str


class Decryptor:
    """Decrypts the SOPS files of one run, and remembers their values."""

    __slots__ = ("_age_key_file", "_environ", "_keys", "enabled", "undecrypted", "values")

    def __init__(
        self,
        *,
        enabled: bool = True,
        age_key_file: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.enabled = enabled
        self._age_key_file = age_key_file
        self._environ = os.environ if environ is None else environ
        self._keys: sops.Keys | None = None
        self.values: list[str] = []
        """Every decrypted value (of at least :data:`MIN_SECRET_CHARS` characters) and every
        decrypted file's text: what messages and diffs must not show."""
        self.undecrypted: list[Undecrypted] = []

    def keys(self) -> sops.Keys:
        """The run's keys, looked up at the first use."""
        from kgen import sops

        if self._keys is None:
            self._keys = sops.Keys.from_environment(self._environ, self._age_key_file)
        return self._keys

    def source(self, path: Path, data: bytes, where: str) -> bytes:
        """The content of the generator source ``path`` (read as ``data``): decrypted when it
        is a SOPS file."""
        fmt = detect(path, data)
        if fmt is None:
            return data
        if not self.enabled:
            self.undecrypted.append(Undecrypted(where, display(path)))
            return data
        return self._decrypt(path, data, fmt, where).plain

    def resource(self, path: Path, data: bytes, where: str) -> bytes:
        """The content of the resource file ``path``: an encrypted Secret manifest
        decrypted (the ``sops`` block gone, as Flux applies it). Another kind with a
        ``sops`` block is an error. Without decryption the file is read as it is (validation
        refuses what it holds)."""
        fmt = detect(path, data) if self.enabled else None
        if fmt is None:
            return data
        if fmt.value not in ("yaml", "json"):
            return data  # a resource file is YAML or JSON: the parser reports anything else
        decrypted = self._decrypt(path, data, fmt, where)
        for number, document in enumerate(decrypted.documents, start=1):
            kind = document.get("kind")
            if kind != "Secret":
                shown = f"kind {kind}" if isinstance(kind, str) and kind else "no kind"
                raise DecryptError(
                    where,
                    f"{display(path)}: document {number} is SOPS-encrypted and has {shown}: kgen "
                    "decrypts encrypted Secret manifests only (as Flux does); generate other "
                    "objects from encrypted files with a generator",
                )
        return decrypted.plain

    def _decrypt(self, path: Path, data: bytes, fmt: sops.Format, where: str) -> sops.Decrypted:
        import base64

        from kgen import sops

        shown = display(path)
        try:
            decrypted = sops.decrypt(data, fmt, self.keys)
        except DecryptError as exc:
            at = f"{where}: {shown}" if where and where != shown else shown
            detail = f"{exc.where}: {exc.message}" if exc.where else exc.message
            raise DecryptError(at, f"cannot decrypt this SOPS {fmt.value} file: {detail}") from None
        found = [value for value in decrypted.values if len(value) >= MIN_SECRET_CHARS]
        encoded = [value.encode() for value in found]
        text = decrypted.plain.decode("utf-8", errors="replace")
        if len(text.strip()) >= MIN_SECRET_CHARS:
            found.append(text)
            encoded.append(decrypted.plain)
        self.values.extend(found)
        # a Secret's data, a ConfigMap's binaryData hold them in base64
        self.values.extend(base64.b64encode(value).decode() for value in encoded)
        return decrypted


def detect(path: Path, data: bytes) -> sops.Format | None:
    """:func:`kgen.sops.detect`, imported only for a file that says ``sops`` at all (most
    builds decrypt nothing, and pay nothing for it)."""
    if b"sops" not in data:
        return None
    from kgen import sops

    return sops.detect(path.name, data)
