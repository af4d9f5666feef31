"""Content-hash name suffixes; the only xxhash importer.

Both modes hash the canonical JSON kustomize hashes (kustomize-facts §1); only the hash
function differs: ``kustomize`` is sha256 (names identical to kubectl kustomize), ``xxhash``
is XXH3-64. Either hex digest is cut to 10 characters and mapped ``0→g 1→h 3→k a→m e→t``, so
every suffix has kustomize's alphabet and keeps names valid.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import xxhash

from kgen.model import Manifest

HashMode = Literal["xxhash", "kustomize"]
HASH_MODES: tuple[HashMode, ...] = ("xxhash", "kustomize")

_SUBSTITUTIONS = str.maketrans("013ae", "ghkmt")
_GO_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_GO_JSON_TABLE = str.maketrans(_GO_JSON_ESCAPES)


def canonical_json(manifest: Manifest) -> str:
    """The JSON kustomize hashes for a ConfigMap or Secret (the name is always ``""``)."""
    kind = manifest.get("kind")
    encoded: dict[str, Any] = {"kind": kind, "name": "", "data": manifest.get("data", "")}
    if kind == "ConfigMap":
        if "binaryData" in manifest:
            encoded["binaryData"] = manifest["binaryData"]
    else:
        encoded["type"] = manifest.get("type", "")
        if "stringData" in manifest:
            encoded["stringData"] = manifest["stringData"]
    text = json.dumps(encoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.translate(_GO_JSON_TABLE)


def hash_suffix(manifest: Manifest, mode: HashMode) -> str:
    """The 10-character suffix for ``manifest``."""
    data = canonical_json(manifest).encode()
    digest = _sha256_hex(data) if mode == "kustomize" else xxhash.xxh3_64_hexdigest(data)
    return digest[:10].translate(_SUBSTITUTIONS)


def _sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` in hex (only ``--hash kustomize`` needs one), from
    CPython's own module where it has one, imported at first use: it loads in half the time
    of ``hashlib``, which loads OpenSSL."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12 on
        except ImportError:
            from hashlib import sha256
    digest: str = sha256(data).hexdigest()
    return digest
