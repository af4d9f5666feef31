"""PLACEHOLDER (branch ``patches``): strategic merge of one patch into one object.

Only the API of the real engine (``merge``) so that the patches transformer runs; the engineer
writing the strategic-merge engine replaces this file at merge. Here: mappings merge
recursively, a null deletes a key, lists and scalars are replaced, and ``$patch: delete`` at the
top deletes the object. No list merge keys, no directives inside.
"""

from __future__ import annotations

import copy
from typing import Any

from kgen.model import Manifest
from kgen.schema import Schema


def merge(target: Manifest, patch: Manifest, schema: Schema) -> Manifest | None:
    """``target`` with ``patch`` merged in (a new object); ``None`` when the patch deletes it."""
    del schema
    if patch.get("$patch") == "delete":
        return None
    return _merge_map(copy.deepcopy(target), patch)


def _merge_map(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    for key, value in patch.items():
        if key == "$patch":
            continue
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = _merge_map(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target
