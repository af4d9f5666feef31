"""SOPS files: recognised by their ``sops`` metadata and decrypted in memory.

What a file holds, as the ``sops`` tool writes it (getsops/sops: ``sops.go``, ``aes/cipher.go``,
``stores/*``): a 32-byte data key, encrypted for each recipient (``age``: an armored age file;
``pgp``: an armored OpenPGP message), and every value chosen by the file's rules encrypted with
it: ``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]``, AES-256-GCM with the value's key path joined
by ``:`` (plus a trailing ``:``; list indices are not part of it) as additional data. A SHA-512
over the leaf values (the MAC, itself encrypted, with ``lastmodified`` as additional data)
covers the whole tree: a file whose MAC does not match is refused, never output.

This module decrypts YAML, JSON, dotenv, INI and binary files (sops' formats) given the keys
(:class:`Keys`: age identities through ``pyrage``, PGP through the user's own ``gpg``), and
gives back the plain content in the form a generator reads it (:class:`Decrypted`). Nothing is
written to disk; no message holds a value, a data key or an identity. Errors are
:class:`kgen.errors.DecryptError`, their message naming the problem (the caller adds the file).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from kgen import patterns
from kgen.errors import DecryptError, quote
from kgen.records import NamedTuple

SUPPORTED = ("age", "pgp")
"""The recipient kinds kgen decrypts."""
OTHER_KINDS = {
    "kms": "AWS KMS",
    "gcp_kms": "GCP KMS",
    "azure_kv": "Azure Key Vault",
    "hc_vault": "HashiCorp Vault",
}
"""Recipient kinds sops knows that kgen does not decrypt (they need a cloud service)."""
_KIND_NAMES = {"age": "age", "pgp": "PGP", **OTHER_KINDS}

_ENC = patterns.lazy(
    r"ENC\[AES256_GCM,data:(?P<data>[A-Za-z0-9+/=]*),iv:(?P<iv>[A-Za-z0-9+/=]*),"
    r"tag:(?P<tag>[A-Za-z0-9+/=]*),type:(?P<type>[a-z]+)\]"
)
_MAC_ONLY_ENCRYPTED_SEED = bytes.fromhex(
    "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69"
)
"""What sops feeds the MAC first when ``mac_only_encrypted`` is set (``sops.go``)."""
_AGE_ARMOR = ("-----BEGIN AGE ENCRYPTED FILE-----", "-----END AGE ENCRYPTED FILE-----")
_GPG_TIMEOUT_S = 60
_GO_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")


class Format(Enum):
    """sops' file formats (its stores)."""

    YAML = "yaml"
    JSON = "json"
    DOTENV = "dotenv"
    INI = "ini"
    BINARY = "binary"


_BY_SUFFIX = {
    ".yaml": Format.YAML,
    ".yml": Format.YAML,
    ".json": Format.JSON,
    ".env": Format.DOTENV,
    ".ini": Format.INI,
}


class Comment(NamedTuple):
    """An encrypted comment of a YAML, dotenv or INI file (never part of the MAC)."""

    text: str


class Decrypted(NamedTuple):
    """A decrypted file: its format, the plain bytes in that format, and every decrypted
    value (for redaction: the caller treats them as secret values)."""

    format: Format
    plain: bytes
    values: tuple[str, ...]
    documents: list[dict[str, Any]]
    """The plain value trees (YAML: one per document; others: one), without ``sops``."""


# --------------------------------------------------------------------------- recognising


def detect(name: str, data: bytes) -> Format | None:
    """The format of ``data`` when it is a SOPS file (it carries sops metadata), else
    ``None``. A cheap test first: a file that never says ``sops`` is not one."""
    if b"sops" not in data:
        return None
    suffix = os.path.splitext(name)[1].lower()  # noqa: PTH122 - a name, not a path
    text = data.decode("utf-8", errors="replace")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        if re.search(r'"sops"\s*:\s*\{', text) is None:
            return None
        known = _BY_SUFFIX.get(suffix)
        if known is Format.JSON or known is Format.YAML:
            return Format.JSON
        return Format.BINARY
    if re.search(r"^sops_(version|mac|lastmodified)=", text, re.MULTILINE):
        return Format.DOTENV
    if re.search(r"^\[sops\][ \t]*\r?$", text, re.MULTILINE):
        return Format.INI
    if re.search(r"^sops:[ \t]*(#.*)?\r?$", text, re.MULTILINE) or re.search(
        r"^[\"']sops[\"']:", text, re.MULTILINE
    ):
        return Format.YAML
    return None


# --------------------------------------------------------------------------- keys


class Keys:
    """The keys one run may decrypt with: age identities (from where sops looks for them,
    and ``--age-key-file``) and the user's ``gpg``. Messages name where keys were looked
    for, never a key."""

    __slots__ = ("age", "gpg", "looked", "skipped")

    def __init__(
        self,
        age: tuple[Any, ...] = (),
        gpg: str | None = None,
        looked: tuple[str, ...] = (),
        skipped: int = 0,
    ) -> None:
        self.age = age
        self.gpg = gpg
        self.looked = looked
        """Where age identities were looked for, for messages (with what was found)."""
        self.skipped = skipped
        """Identity lines kgen cannot use (plugins, post-quantum keys)."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], age_key_file: Path | None = None) -> Keys:
        """The keys sops would find in ``environ`` (``SOPS_AGE_KEY``, ``SOPS_AGE_KEY_FILE``,
        the user's ``sops/age/keys.txt``), merged with ``age_key_file``, and ``gpg`` when
        it is installed."""
        texts: list[tuple[str, str]] = []
        looked: list[str] = []
        inline = environ.get("SOPS_AGE_KEY", "")
        if inline.strip():
            texts.append(("SOPS_AGE_KEY", inline))
        looked.append("SOPS_AGE_KEY" + ("" if inline.strip() else " (unset)"))
        files: list[tuple[str, Path]] = []
        if environ.get("SOPS_AGE_KEY_FILE"):
            files.append(("SOPS_AGE_KEY_FILE", Path(environ["SOPS_AGE_KEY_FILE"])))
        else:
            looked.append("SOPS_AGE_KEY_FILE (unset)")
        default = default_key_file(environ)
        if default is not None:
            files.append((str(default), default))
        if age_key_file is not None:
            files.append(("--age-key-file", age_key_file))
        for name, path in files:
            try:
                texts.append((name, path.read_text(encoding="utf-8")))
                looked.append(f"{name} ({path})" if name != str(path) else name)
            except FileNotFoundError:
                if name in {"--age-key-file", "SOPS_AGE_KEY_FILE"}:
                    raise DecryptError(name, f"no such file: {path}") from None
                looked.append(f"{path} (none)")
            except (OSError, UnicodeDecodeError):
                raise DecryptError(name, f"cannot read the age identities in {path}") from None
        identities: list[Any] = []
        skipped = 0
        for name, text in texts:
            found, unusable = _identities(text, name)
            identities.extend(found)
            skipped += unusable
        return cls(tuple(identities), shutil.which("gpg"), tuple(looked), skipped)


def default_key_file(environ: Mapping[str, str], platform: str | None = None) -> Path | None:
    """``<user config dir>/sops/age/keys.txt`` as sops finds it: Go's ``os.UserConfigDir``
    (``$XDG_CONFIG_HOME`` or ``~/.config``; ``%AppData%`` on Windows; on macOS
    ``~/Library/Application Support``, unless ``XDG_CONFIG_HOME`` is set, which sops
    honours there)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        base = environ.get("AppData") or environ.get("APPDATA")
        return Path(base, "sops", "age", "keys.txt") if base else None
    xdg = environ.get("XDG_CONFIG_HOME")
    if xdg:
        return Path(xdg, "sops", "age", "keys.txt")
    home = environ.get("HOME")
    if not home:
        return None
    if platform == "darwin":
        return Path(home, "Library", "Application Support", "sops", "age", "keys.txt")
    return Path(home, ".config", "sops", "age", "keys.txt")


def _identities(text: str, where: str) -> tuple[list[Any], int]:
    """The X25519 identities of an identity file's text (``#`` lines are comments; several
    per line, whitespace-separated, as sops reads ``SOPS_AGE_KEY``), and how many other
    identities (plugins, post-quantum) it holds."""
    import pyrage

    found: list[Any] = []
    skipped = 0
    for written in text.splitlines():
        line = written.strip()
        if not line or line.startswith("#"):
            continue
        for word in line.split():
            if word.startswith("AGE-SECRET-KEY-1"):
                try:
                    found.append(pyrage.x25519.Identity.from_str(word))
                except pyrage.IdentityError:
                    raise DecryptError(where, "an age identity is malformed") from None
            elif word.startswith("AGE-"):
                skipped += 1
            else:
                raise DecryptError(
                    where, "not an age identity file (expected lines AGE-SECRET-KEY-1...)"
                )
    return found, skipped


# --------------------------------------------------------------------------- parsing


class _Parsed(NamedTuple):
    documents: list[dict[str, Any]]
    metadata: dict[str, Any]
    comments: list[tuple[Any, Any, str]]
    """(container, key, ciphertext) of encrypted comments: dotenv/INI."""


def _parse(data: bytes, fmt: Format) -> _Parsed:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptError("", "not valid UTF-8 text, so not a SOPS file") from None
    if fmt is Format.YAML:
        return _parse_yaml(data)
    if fmt is Format.JSON or fmt is Format.BINARY:
        return _parse_json(text, fmt)
    if fmt is Format.DOTENV:
        return _parse_dotenv(text)
    return _parse_ini(text)


def _parse_yaml(data: bytes) -> _Parsed:
    from kgen import yamlio
    from kgen.errors import LoadError

    try:
        loaded = yamlio.load_resource_documents(data, "")
    except LoadError as exc:
        raise DecryptError("", f"not a readable SOPS YAML file ({exc.message})") from None
    documents = [document for document, _ in loaded]
    metadata = documents[0].pop("sops", None) if documents else None
    for document in documents[1:]:
        document.pop("sops", None)
    if not isinstance(metadata, dict):
        raise DecryptError("", "no sops metadata (a top-level sops mapping) in the first document")
    return _Parsed(documents, metadata, [])


def _parse_json(text: str, fmt: Format) -> _Parsed:
    def number(literal: str) -> int | float:
        value = int(literal)
        return value if -(1 << 63) <= value < (1 << 63) else float(literal)

    try:
        document = json.loads(text, parse_int=number)
    except (ValueError, RecursionError):
        raise DecryptError("", f"not a readable SOPS {fmt.value} file (malformed JSON)") from None
    if not isinstance(document, dict) or not isinstance(document.get("sops"), dict):
        raise DecryptError("", "no sops metadata (a top-level sops object)")
    metadata = document.pop("sops")
    if fmt is Format.BINARY and (
        set(document) != {"data"} or not isinstance(document["data"], str)
    ):
        raise DecryptError("", "a SOPS binary file holds one data value and its sops metadata")
    return _Parsed([document], metadata, [])


def _unflatten(flat: dict[str, str]) -> dict[str, Any]:
    """sops' flattened metadata (``age__list_0__map_enc``) as the nested tree."""
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        parts = re.split(r"__(list_\d+|map_)", key)
        steps: list[str | int] = [parts[0]]
        index = 1
        while index < len(parts):
            marker, rest = parts[index], parts[index + 1]
            if marker.startswith("list_"):
                steps.append(int(marker[5:]))
                if rest:
                    raise DecryptError("", "malformed flattened sops metadata")
            else:
                steps.append(rest)
            index += 2
        node: Any = tree
        for step, following in zip(steps, [*steps[1:], None], strict=True):
            if following is None:
                if isinstance(node, list):
                    raise DecryptError("", "malformed flattened sops metadata")
                node[step] = value
                break
            empty: Any = [] if isinstance(following, int) else {}
            if isinstance(node, list):
                assert isinstance(step, int)
                while len(node) <= step:
                    node.append([] if isinstance(following, int) else {})
                node = node[step]
            else:
                node = node.setdefault(step, empty)
            if isinstance(following, int) and not isinstance(node, list):
                raise DecryptError("", "malformed flattened sops metadata")
    return tree


def _parse_dotenv(text: str) -> _Parsed:
    document: dict[Any, Any] = {}
    flat: dict[str, str] = {}
    comments: list[tuple[Any, Any, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            continue
        if line.startswith("#"):
            marker = Comment(f"#{number}")
            document[marker] = line[1:]
            comments.append((document, marker, line[1:]))
            continue
        name, separator, value = line.partition("=")
        if not separator:
            raise DecryptError("", f"line {number}: not a dotenv line (KEY=VALUE)")
        value = value.replace("\\n", "\n")
        if name.startswith("sops_"):
            flat[name[5:]] = value
        else:
            document[name] = value
    if not flat:
        raise DecryptError("", "no sops metadata (sops_ lines)")
    return _Parsed([document], _unflatten(flat), comments)


def _parse_ini(text: str) -> _Parsed:
    document: dict[str, dict[Any, Any]] = {}
    section: dict[Any, Any] = document.setdefault("DEFAULT", {})
    comments: list[tuple[Any, Any, str]] = []
    name = "DEFAULT"
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line[0] in ";#":
            marker = Comment(f"{line[0]}{number}")
            section[marker] = line[1:].strip()
            comments.append((section, marker, section[marker]))
            continue
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1].strip()
            section = document.setdefault(name, {})
            continue
        match = re.match(r"([^=:]*?)\s*[=:]\s*(.*)", line)
        if match is None:
            raise DecryptError("", f"line {number}: not an INI line (key = value)")
        key, value = match.group(1), match.group(2)
        section[key] = value.replace("\\n", "\n") if name == "sops" else value
    metadata = document.pop("sops", None)
    if not metadata:
        raise DecryptError("", "no sops metadata (a [sops] section)")
    if not any(not isinstance(key, Comment) for key in document["DEFAULT"]):
        comments = [item for item in comments if item[0] is not document["DEFAULT"]]
        del document["DEFAULT"]
    plain_metadata = {key: value for key, value in metadata.items() if not isinstance(key, Comment)}
    return _Parsed([document], _unflatten(plain_metadata), comments)


# --------------------------------------------------------------------------- metadata


class _Rules(NamedTuple):
    unencrypted_suffix: str
    encrypted_suffix: str
    unencrypted_regex: re.Pattern[str] | None
    encrypted_regex: re.Pattern[str] | None
    mac_only_encrypted: bool

    def encrypted(self, path: tuple[str, ...]) -> bool:
        """sops' ``shouldBeEncrypted`` over the keys of a leaf's path (in that order, a
        later rule overriding an earlier one)."""
        encrypted = True
        if self.unencrypted_suffix and any(p.endswith(self.unencrypted_suffix) for p in path):
            encrypted = False
        if self.encrypted_suffix:
            encrypted = any(p.endswith(self.encrypted_suffix) for p in path)
        if self.unencrypted_regex is not None and any(
            self.unencrypted_regex.search(p) for p in path
        ):
            encrypted = False
        if self.encrypted_regex is not None:
            encrypted = any(self.encrypted_regex.search(p) for p in path)
        return encrypted


def _rules(metadata: Mapping[str, Any]) -> _Rules:
    def text(name: str) -> str:
        value = metadata.get(name)
        return value if isinstance(value, str) else ""

    def pattern(name: str) -> re.Pattern[str] | None:
        written = text(name)
        if not written:
            return None
        try:
            return re.compile(written)
        except re.error:
            raise DecryptError("", f"sops metadata {name}: not a regular expression") from None

    only = metadata.get("mac_only_encrypted")
    return _Rules(
        text("unencrypted_suffix"),
        text("encrypted_suffix"),
        pattern("unencrypted_regex"),
        pattern("encrypted_regex"),
        only is True or (isinstance(only, str) and only in _GO_TRUE),
    )


def _check_version(metadata: Mapping[str, Any]) -> None:
    version = metadata.get("version")
    text = str(version) if isinstance(version, str | int | float) else ""
    if not re.fullmatch(r"3(\.\d+){1,2}", text):
        shown = quote(text) if len(text) <= 20 else "(not a version)"
        raise DecryptError(
            "",
            f"unknown sops version {shown} in the metadata (kgen reads files of sops 3.x)"
            if text
            else "the sops metadata has no version",
        )


def _master_keys(metadata: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(kind, entry) of every recipient the data key is encrypted for, in sops' order."""
    groups = metadata.get("key_groups")
    sources: list[Mapping[str, Any]] = [metadata]
    if isinstance(groups, list) and groups:
        threshold = metadata.get("shamir_threshold")
        if len(groups) > 1 and str(threshold) not in ("", "None", "1"):
            raise DecryptError(
                "",
                f"the data key is split over {len(groups)} key groups (Shamir); kgen decrypts "
                "files whose key any one recipient holds",
            )
        sources = [group for group in groups if isinstance(group, Mapping)]
    found: list[tuple[str, Mapping[str, Any]]] = []
    for source in sources:
        for kind in (*SUPPORTED, *OTHER_KINDS):
            entries = source.get(kind)
            if isinstance(entries, list):
                found.extend((kind, entry) for entry in entries if isinstance(entry, Mapping))
    return found


def describe_recipients(keys: list[tuple[str, Mapping[str, Any]]]) -> str:
    """The recipients as messages name them: their kind and public identifier only."""
    shown = []
    for kind, entry in keys:
        ident = entry.get("recipient") or entry.get("fp") or entry.get("arn")
        ident = ident or entry.get("resource_id") or entry.get("vault_address")
        ident = ident or entry.get("vaultUrl") or entry.get("vault_url")
        name = _KIND_NAMES[kind]
        shown.append(f"{name} {ident}" if isinstance(ident, str) and ident else name)
    return ", ".join(shown) if shown else "no recipient"


# --------------------------------------------------------------------------- the data key


def _data_key(metadata: Mapping[str, Any], keys: Keys) -> bytes:
    recipients = _master_keys(metadata)
    kinds = {kind for kind, _ in recipients}
    if not kinds & set(SUPPORTED):
        names = sorted({_KIND_NAMES[kind] for kind in kinds})
        raise DecryptError(
            "",
            f"it is encrypted for {', '.join(names) or 'no recipient'} only; kgen decrypts "
            "age and PGP recipients (decrypt it with sops, or add an age recipient: "
            "sops updatekeys)",
        )
    for kind, entry in recipients:
        enc = entry.get("enc")
        if not isinstance(enc, str) or not enc:
            continue
        key = _age_key(enc, keys) if kind == "age" else None
        key = _pgp_key(enc, keys) if kind == "pgp" else key
        if key is not None:
            if len(key) != 32:
                raise DecryptError("", "the data key is not 32 bytes: not a sops file")
            return key
    tried = []
    if "age" in kinds:
        count = len(keys.age)
        looked = ", ".join(keys.looked)
        tried.append(
            f"{count} age identit{'y' if count == 1 else 'ies'} (from {looked}), none of them a "
            "recipient"
            if count
            else f"no age identity (looked in {looked}; set SOPS_AGE_KEY_FILE or pass "
            "--age-key-file)"
        )
        if keys.skipped:
            tried.append(f"{keys.skipped} plugin or post-quantum identities it cannot use")
    if "pgp" in kinds:
        tried.append(
            "gpg, whose keyring holds none of their secret keys"
            if keys.gpg
            else "no gpg (it is not installed)"
        )
    raise DecryptError(
        "",
        f"no key fits: it is encrypted for {describe_recipients(recipients)}; kgen has "
        f"{'; '.join(tried)}",
    )


def _age_key(enc: str, keys: Keys) -> bytes | None:
    if not keys.age:
        return None
    import pyrage

    body = enc.strip()
    if body.startswith(_AGE_ARMOR[0]):
        if not body.endswith(_AGE_ARMOR[1]):
            raise DecryptError("", "an age recipient's key is truncated (no armor end line)")
        inner = body[len(_AGE_ARMOR[0]) : -len(_AGE_ARMOR[1])]
        try:
            binary = base64.b64decode("".join(inner.split()), validate=True)
        except binascii.Error:
            raise DecryptError("", "an age recipient's key is not valid armored age") from None
    else:
        binary = body.encode()
    try:
        key: bytes = pyrage.decrypt(binary, list(keys.age))
    except pyrage.DecryptError:
        return None  # not for these identities (or a damaged header: the same to a reader)
    except Exception:  # noqa: BLE001 - the library's other failures: a malformed age file
        raise DecryptError("", "an age recipient's key is not a valid age file") from None
    return key


def _pgp_key(enc: str, keys: Keys) -> bytes | None:
    if keys.gpg is None:
        return None
    try:
        done = subprocess.run(
            [keys.gpg, "--batch", "--quiet", "--no-tty", "--decrypt"],
            input=enc.encode(),
            capture_output=True,
            timeout=_GPG_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 and done.stdout else None


# --------------------------------------------------------------------------- values


def _leaves(
    node: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[Any, Any, tuple[str, ...], Any]]:
    """(container, key or index, key path, value) of every leaf, in document order."""
    items: Any = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if isinstance(key, Comment):
            continue
        inner = (*path, str(key)) if isinstance(node, dict) else path
        if isinstance(value, dict | list):
            yield from _leaves(value, inner)
        else:
            yield node, key, inner, value


def _decrypt_value(key: bytes, text: str, aad: str, shown: str, *, raw: bool = False) -> Any:
    """The plain value of the ``ENC[...]`` text ``text`` (of its type; bytes when ``raw``:
    a binary file's content, whatever type it was written as)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    match = _ENC.fullmatch(text)
    if match is None:
        raise DecryptError("", f"{shown}: expected an ENC[AES256_GCM,...] value (it is not)")
    try:
        data = base64.b64decode(match["data"], validate=True)
        iv = base64.b64decode(match["iv"], validate=True)
        tag = base64.b64decode(match["tag"], validate=True)
    except binascii.Error:
        raise DecryptError("", f"{shown}: the encrypted value is not valid base64") from None
    if len(tag) != 16 or not 8 <= len(iv) <= 128:
        raise DecryptError("", f"{shown}: the encrypted value is malformed (iv or tag size)")
    try:
        plain = AESGCM(key).decrypt(iv, data + tag, aad.encode())
    except InvalidTag:
        raise DecryptError(
            "",
            f"{shown}: the value does not decrypt (its authentication tag does not match): "
            "the file was changed after sops wrote it",
        ) from None
    return plain if raw else _typed(plain, match["type"], shown)


def _typed(plain: bytes, kind: str, shown: str) -> Any:
    if kind == "bytes":
        return plain
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptError("", f"{shown}: the decrypted value is not UTF-8 text") from None
    if kind in ("str", "time"):
        return text
    if kind == "comment":
        return Comment(text)
    if kind == "int" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            pass
    if kind == "bool" and text in (*_GO_TRUE, *_GO_FALSE):
        return text in _GO_TRUE
    raise DecryptError("", f"{shown}: unknown or malformed value type {quote(kind)}")


def to_bytes(value: Any) -> bytes:
    """A leaf as sops' ``ToBytes`` hashes it."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bool):
        return b"True" if value else b"False"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, float):
        return _go_float_f(value).encode()
    return str(value).encode()


def _go_float_f(number: float) -> str:
    """Go ``strconv.FormatFloat(f, 'f', -1, 64)``: shortest digits, never an exponent."""
    if math.isnan(number) or math.isinf(number):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[repr(number)]
    text = format(Decimal(repr(number)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" and number == 0 and repr(number) == "0.0" else text


def _go_rfc3339(value: Any) -> str:
    """``lastmodified`` as Go's time.RFC3339 formats it (the MAC's additional data)."""
    text = value if isinstance(value, str) else str(value)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise DecryptError("", "the sops metadata lastmodified is not a timestamp") from None
    moment = moment.replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    offset = moment.utcoffset()
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if not offset:
        return stamp + "Z"
    total = int(offset.total_seconds())
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total) // 60, 60)
    return f"{stamp}{sign}{hours:02d}:{minutes:02d}"


def decrypt(data: bytes, fmt: Format, keys: Keys | Callable[[], Keys]) -> Decrypted:
    """The plain content of the SOPS file ``data`` (in ``fmt``), MAC verified. ``keys`` (or
    the function that finds them, called only when needed) decrypts the data key."""
    parsed = _parse(data, fmt)
    metadata = parsed.metadata
    _check_version(metadata)
    rules = _rules(metadata)
    key = _data_key(metadata, keys if isinstance(keys, Keys) else keys())
    digest = hashlib.sha512()
    if rules.mac_only_encrypted:
        digest.update(_MAC_ONLY_ENCRYPTED_SEED)
    values: list[str] = []
    ciphers: dict[str, Any] = {}
    for document in parsed.documents:
        for container, name, path, value in list(_leaves(document)):
            encrypted = rules.encrypted(path)
            if encrypted and value not in ("", None):
                shown = ".".join(path) or "data"
                if not isinstance(value, str):
                    raise DecryptError("", f"{shown}: expected an encrypted value (it is plain)")
                plain = _decrypt_value(
                    key, value, ":".join(path) + ":", shown, raw=fmt is Format.BINARY
                )
                container[name] = ciphers[value] = plain
                if isinstance(plain, str):
                    values.append(plain)
                elif isinstance(plain, bytes):
                    values.append(plain.decode("utf-8", errors="replace"))
                value = plain  # noqa: PLW2901 - the leaf is its plain value from here on
            if value is None or (rules.mac_only_encrypted and not encrypted):
                continue
            digest.update(to_bytes(value))
    for container, name, text in parsed.comments:
        if _ENC.fullmatch(text):
            container[name] = _decrypt_comment(key, text, ())
    mac = metadata.get("mac")
    if not isinstance(mac, str) or not mac:
        raise DecryptError("", "the file has no MAC: sops refuses it, and so does kgen")
    lastmodified = _go_rfc3339(metadata.get("lastmodified", ""))
    stored = _decrypt_value(key, mac, lastmodified, "the MAC")
    if not isinstance(stored, str) or not hmac.compare_digest(
        stored.upper(), digest.hexdigest().upper()
    ):
        raise DecryptError("", "the MAC does not match: the file was changed after sops wrote it")
    if fmt is Format.YAML:
        branches = [path for document in parsed.documents for path in _branches(document)]
        plain = plain_yaml(data.decode("utf-8"), ciphers, key, branches).encode()
    else:
        plain = _plain_bytes(fmt, parsed.documents[0])
    return Decrypted(fmt, plain, tuple(values), parsed.documents)


# --------------------------------------------------------------------------- plain output


def _plain_bytes(fmt: Format, document: dict[str, Any]) -> bytes:
    if fmt is Format.BINARY:
        value = document["data"]
        return value if isinstance(value, bytes) else str(value).encode()
    if fmt is Format.DOTENV:
        return _dotenv_text(document).encode()
    if fmt is Format.INI:
        return _ini_text(document).encode()
    if fmt is Format.JSON:
        return (json.dumps(_jsonable(document), indent="\t", ensure_ascii=False) + "\n").encode()
    raise AssertionError(fmt)


def _dotenv_text(document: Mapping[Any, Any]) -> str:
    lines = []
    for key, value in document.items():
        if isinstance(key, Comment):
            lines.append("#" + str(value.text if isinstance(value, Comment) else value))
        else:
            escaped = str(value).replace("\n", "\\n")
            lines.append(f"{key}={escaped}")
    return "".join(line + "\n" for line in lines)


def _ini_text(document: Mapping[str, Any]) -> str:
    blocks = []
    for section, items in document.items():
        lines = [] if section == "DEFAULT" else [f"[{section}]"]
        for key, value in items.items():
            if isinstance(key, Comment):
                text = value.text if isinstance(value, Comment) else value
                lines.append(f"{key.text[0]} {text}")
            else:
                lines.append(f"{key} = {value}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items() if not isinstance(key, Comment)}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


_ENC_SCALAR = patterns.lazy(r"(?P<q>[\"']?)(?P<enc>" + _ENC.pattern + r")(?P=q)")


def plain_yaml(
    text: str, ciphers: Mapping[str, Any], key: bytes, branches: Sequence[str] = ("",)
) -> str:
    """The decrypted YAML file as text: the file as written, its top-level ``sops`` block
    removed, each encrypted value replaced by its plain value (``ciphers``: ciphertext ->
    value; a YAML scalar of its type, in goyaml's style but that a multi-line string is
    double-quoted on one line) and each encrypted comment by its text. Every other
    byte is the file's own, so what was not encrypted reads exactly as it did. ``branches``:
    the key paths of the file's mappings (a comment's additional data is the path of the
    mapping it is in, which the text does not say)."""

    def replace(match: re.Match[str]) -> str:
        cipher = match["enc"]
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text[line_start : match.start()].lstrip().startswith("#"):
            if match["type"] != "comment":
                return match.group(0)
            comment = _decrypt_comment(key, cipher, branches)
            return comment.text if isinstance(comment, Comment) else match.group(0)
        if cipher not in ciphers:
            return match.group(0)
        return _yaml_scalar(ciphers[cipher])

    return _ENC_SCALAR.sub(replace, _without_sops_block(text))


def _decrypt_comment(key: bytes, cipher: str, branches: Sequence[str]) -> Comment:
    """An encrypted comment, whose additional data is the path of the mapping holding it
    (``:`` at the top, ``spec:template:`` below)."""
    for aad in dict.fromkeys(("", ":", *(branch + ":" for branch in branches if branch))):
        try:
            comment = _decrypt_value(key, cipher, aad, "a comment")
        except DecryptError:
            continue
        if isinstance(comment, Comment):
            return comment
    raise DecryptError(
        "",
        "a comment does not decrypt (its authentication tag does not match): the file was "
        "changed after sops wrote it",
    )


def _branches(node: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """The key paths (joined by ``:``) of every mapping in ``node``."""
    if isinstance(node, dict):
        yield ":".join(path)
        for key, value in node.items():
            yield from _branches(value, (*path, str(key)))
    elif isinstance(node, list):
        for item in node:
            yield from _branches(item, path)


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        return repr(value) if math.isfinite(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    from kgen.emit import scalar_style

    text = str(value)
    # as sops (goyaml) writes it, but that a block is double-quoted: one line, any value
    style = scalar_style(text)
    if style == "plain":
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def _without_sops_block(text: str) -> str:
    """``text`` without its top-level ``sops:`` mapping (the key's line and every indented,
    blank or comment line after it)."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    inside = False
    for line in lines:
        if inside:
            if not line.strip() or line[0] in " \t" or line.startswith("#"):
                continue
            inside = False
        if re.match(r"[\"']?sops[\"']?:[ \t]*(#.*)?\r?\n?$", line):
            inside = True
            continue
        kept.append(line)
    return "".join(kept)
