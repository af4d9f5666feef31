"""PLACEHOLDER (branch ``patches``): the Kubernetes schema strategic merge reads merge keys from.

This file only gives :mod:`kgen.smp` the API of the real module (``Schema``, ``default_schema``,
``parse_openapi``) so that the patches transformer runs; the engineer writing the strategic-merge
engine replaces it at merge. It knows no merge key: every list is replaced.
"""

from __future__ import annotations

from typing import Any


class Schema:
    """PLACEHOLDER: no merge keys, no patch strategies."""

    def __init__(self, where: str = "") -> None:
        self.where = where


def default_schema() -> Schema:
    """PLACEHOLDER: the built-in schema (empty here)."""
    return Schema()


def parse_openapi(document: Any, where: str) -> Schema:
    """PLACEHOLDER: an ``openapi:`` document as a schema (ignored here)."""
    del document
    return Schema(where)
