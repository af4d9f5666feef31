"""SOPS files for tests, written the way the ``sops`` tool writes them (age recipients only).

The corpus in ``../shared/corpora/sops`` holds files the real tool made; these are the ones the
tests make themselves: any content, any rules, tampered on purpose. Each value is encrypted
with AES-256-GCM (a 32-byte nonce, the key path as additional data), the MAC is SHA-512 over
the leaves (encrypted with ``lastmodified`` as additional data) and the data key is an armored
age file for the recipient.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

import pyrage
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

LASTMODIFIED = "2026-01-02T03:04:05Z"


class Identity:
    """A throw-away age identity: its secret line and its recipient."""

    def __init__(self) -> None:
        identity = pyrage.x25519.Identity.generate()
        self.secret = str(identity)
        self.recipient = str(identity.to_public())

    def key_file(self) -> str:
        """An identity file's text, as age-keygen writes it."""
        return f"# created: 2026-01-02T03:04:05Z\n# public key: {self.recipient}\n{self.secret}\n"


def encrypt_value(key: bytes, plain: bytes, aad: str, kind: str = "str") -> str:
    iv = os.urandom(32)
    sealed = AESGCM(key).encrypt(iv, plain, aad.encode())
    data, tag = sealed[:-16], sealed[-16:]
    b64 = base64.b64encode
    return (
        f"ENC[AES256_GCM,data:{b64(data).decode()},iv:{b64(iv).decode()},"
        f"tag:{b64(tag).decode()},type:{kind}]"
    )


def _armored_key(key: bytes, recipient: str) -> str:
    sealed = pyrage.encrypt(key, [pyrage.x25519.Recipient.from_str(recipient)])
    body = "\n".join(textwrap.wrap(base64.b64encode(sealed).decode(), 64))
    return f"-----BEGIN AGE ENCRYPTED FILE-----\n{body}\n-----END AGE ENCRYPTED FILE-----\n"


def _leaf_bytes(value: Any) -> bytes:
    if isinstance(value, bool):
        return b"True" if value else b"False"
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def encrypt_tree(
    tree: dict[str, Any],
    recipient: str,
    *,
    encrypted: Callable[[tuple[str, ...]], bool] = lambda path: True,
    rules: Mapping[str, Any] | None = None,
    version: str = "3.9.4",
    mac_only_encrypted: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The encrypted copy of ``tree`` and its ``sops`` metadata."""
    key = os.urandom(32)
    digest = hashlib.sha512()
    if mac_only_encrypted:
        digest.update(
            bytes.fromhex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69")
        )

    def walk(node: Any, path: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            return {name: walk(value, (*path, name)) for name, value in node.items()}
        if isinstance(node, list):
            return [walk(item, path) for item in node]
        if node is None:
            return None
        secret = encrypted(path)
        if not (mac_only_encrypted and not secret) and node != "":
            digest.update(_leaf_bytes(node))
        if not secret or node == "":
            return node
        return encrypt_value(key, _leaf_bytes(node), ":".join(path) + ":", _kind(node))

    encrypted_tree = walk(tree, ())
    mac = encrypt_value(key, digest.hexdigest().upper().encode(), LASTMODIFIED)
    metadata: dict[str, Any] = {
        "age": [{"recipient": recipient, "enc": _armored_key(key, recipient)}],
        "lastmodified": LASTMODIFIED,
        "mac": mac,
        **(rules or {}),
        "version": version,
    }
    if mac_only_encrypted:
        metadata["mac_only_encrypted"] = True
    return encrypted_tree, metadata


def _yaml_scalar(value: Any) -> str:
    return json.dumps(value) if isinstance(value, str) else str(value).lower()


def _yaml_lines(node: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for name, value in node.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{name}:")
            lines.extend(_yaml_lines(value, indent + 4))
        elif isinstance(value, list):
            lines.append(f"{pad}{name}:")
            for item in value:
                if isinstance(item, dict):
                    inner = _yaml_lines(item, indent + 8)
                    lines.append(f"{pad}    -   {inner[0].strip()}")
                    lines.extend(inner[1:])
                else:
                    lines.append(f"{pad}    - {_yaml_scalar(item)}")
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{pad}{name}: |")
            lines.extend(f"{pad}    {line}" for line in value.rstrip("\n").split("\n"))
        else:
            lines.append(f"{pad}{name}: {_yaml_scalar(value) if value is not None else 'null'}")
    return lines


def yaml_file(
    tree: dict[str, Any],
    recipient: str,
    *,
    encrypted_regex: str = "",
    **options: Any,
) -> bytes:
    """A SOPS YAML file of ``tree`` (indent 4, as sops writes YAML)."""
    import re

    rules: dict[str, Any] = {}
    if encrypted_regex:
        rules["encrypted_regex"] = encrypted_regex
        pattern = re.compile(encrypted_regex)
        options.setdefault("encrypted", lambda path: any(pattern.search(p) for p in path))
    else:
        rules["unencrypted_suffix"] = "_unencrypted"
        options.setdefault(
            "encrypted", lambda path: not any(p.endswith("_unencrypted") for p in path)
        )
    body, metadata = encrypt_tree(tree, recipient, rules=rules, **options)
    return ("\n".join([*_yaml_lines(body, 0), *_yaml_lines({"sops": metadata}, 0)]) + "\n").encode()


def secret_yaml(
    name: str, string_data: dict[str, str], recipient: str, *, kind: str = "Secret"
) -> bytes:
    """An encrypted Secret manifest, as ``sops --encrypted-regex '^(data|stringData)$'``
    writes one (the other fields stay readable)."""
    tree = {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}, "stringData": string_data}
    return yaml_file(tree, recipient, encrypted_regex="^(data|stringData)$")


def dotenv(pairs: dict[str, str], recipient: str) -> bytes:
    """A SOPS dotenv file (every value encrypted but for ``*_unencrypted`` keys)."""
    body, metadata = encrypt_tree(
        pairs,
        recipient,
        encrypted=lambda path: not path[-1].endswith("_unencrypted"),
        rules={"unencrypted_suffix": "_unencrypted"},
    )
    lines = [f"{name}={value}" for name, value in body.items()]
    age = metadata["age"][0]
    flat = {
        "age__list_0__map_enc": age["enc"].replace("\n", "\\n"),
        "age__list_0__map_recipient": age["recipient"],
        "lastmodified": metadata["lastmodified"],
        "mac": metadata["mac"],
        "unencrypted_suffix": "_unencrypted",
        "version": metadata["version"],
    }
    lines += [f"sops_{name}={value}" for name, value in flat.items()]
    return ("\n".join(lines) + "\n").encode()


def binary(data: bytes, recipient: str) -> bytes:
    """A SOPS binary file: ``{"data": ..., "sops": ...}`` (as ``sops -e file.bin`` writes)."""
    key_tree, metadata = encrypt_tree({"data": data}, recipient)
    document = {"data": key_tree["data"], "sops": metadata}
    return (json.dumps(document, indent="\t") + "\n").encode()
