"""``replicas``: kustomize's ReplicaCountTransformer (``api/builtins/ReplicaCountTransformer.go``).

Sets the ``replicas`` fieldSpecs of every object whose current or any previous name is the entry's
name to the entry's count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen.decode import string
from kgen.errors import KustomizationError
from kgen.fieldspecs import TransformerConfig
from kgen.model import Resource
from kgen.walker import apply_specs


def parse(fields: Mapping[str, Any], where: str) -> tuple[tuple[str, int], ...] | None:
    value = fields.get("replicas")
    if value is None:
        return None
    if not isinstance(value, list):
        raise KustomizationError(where, "replicas: expected a list")
    entries = []
    for index, entry in enumerate(value):
        at = f"replicas[{index}]"
        if not isinstance(entry, dict):
            raise KustomizationError(where, f"{at}: expected a mapping")
        count = entry.get("count", 0)
        if isinstance(count, bool) or not isinstance(count, int):
            raise KustomizationError(where, f"{at}: count must be an integer")
        entries.append((string(entry.get("name"), where, f"{at}.name"), count))
    return tuple(entries) or None


def apply(
    resources: list[Resource],
    entries: tuple[tuple[str, int], ...],
    config: TransformerConfig,
    where: str,
) -> None:
    by_name: dict[str, list[Resource]] = {}
    for resource in resources:  # one pass, however many entries: the cost stays linear
        names = dict.fromkeys((resource.id.name, *(rid.name for rid in resource.previous_ids)))
        for name in names:
            by_name.setdefault(name, []).append(resource)
    for name, count in entries:

        def visit(container: Any, key: Any, count: int = count) -> None:
            container[key] = count

        for resource in by_name.get(name, ()):
            apply_specs(
                resource.manifest,
                resource.original_gvk,
                config.replicas,
                visit,
                create_kind="scalar",
                where=f"{resource.origin}: replicas",
            )
