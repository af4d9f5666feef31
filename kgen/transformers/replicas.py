"""``replicas``: kustomize's ReplicaCountTransformer (``api/builtins/ReplicaCountTransformer.go``).

Sets the ``replicas`` fieldSpecs of every object whose current or any previous name is the entry's
name to the entry's count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen.decode import lowered, string
from kgen.errors import KustomizationError, quote
from kgen.fieldspecs import FieldSpec, TransformerConfig, selects
from kgen.findings import Finding
from kgen.model import Gvk, Resource
from kgen.records import NamedTuple
from kgen.walker import apply_specs


class Replica(NamedTuple):
    name: str
    count: int  # type: ignore[assignment]  # (shadows tuple.count, never called here)
    at: str
    """The entry, for messages: ``replicas[1]``."""


def parse(fields: Mapping[str, Any], where: str) -> tuple[Replica, ...] | None:
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
        values = lowered(entry, ("name", "count"), f"{where}: {at}")
        entries.append(
            Replica(
                string(values.get("name"), where, f"{at}.name"),
                _count(values.get("count"), where, at),
                at,
            )
        )
    return tuple(entries) or None


def _count(value: Any, where: str, at: str) -> int:
    """Go's int64 from JSON: null is 0, a float with no fraction (``2.0``) is its integer."""
    if value is None:
        return 0
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise KustomizationError(where, f"{at}: count must be an integer")
    return value


def check(entries: tuple[Replica, ...], where: str) -> list[Finding]:
    return [
        Finding(
            "replica-count",
            f"{where}: {entry.at} {quote(entry.name)}",
            f"count {entry.count} is negative; the API server requires replicas >= 0",
        )
        for entry in entries
        if entry.count < 0
    ]


def apply(
    resources: list[Resource],
    entries: tuple[Replica, ...],
    config: TransformerConfig,
    where: str,
) -> None:
    by_name: dict[str, list[Resource]] = {}
    for resource in resources:  # one pass, however many entries: the cost stays linear
        names = dict.fromkeys((resource.id.name, *(rid.name for rid in resource.previous_ids)))
        for name in names:
            by_name.setdefault(name, []).append(resource)
    for entry in entries:
        matched = [
            res
            for res in by_name.get(entry.name, ())
            if _selected(res, entry.name, config.replicas)
        ]
        if not matched:
            raise KustomizationError(
                where,
                f"{entry.at}: resource with name {quote(entry.name)} does not match a config "
                f"with the following GVK [{' '.join(_gvk_text(spec) for spec in config.replicas)}]",
            )

        def visit(container: Any, key: Any, count: int = entry.count) -> None:
            container[key] = count

        for resource in matched:
            apply_specs(
                resource.manifest,
                resource.original_gvk,
                config.replicas,
                visit,
                create_kind="scalar",
                where=f"{resource.origin}: replicas",
            )


def _selected(resource: Resource, name: str, specs: tuple[FieldSpec, ...]) -> bool:
    """kustomize's matcher: an id of the object (current or previous) has the entry's name and
    a kind some replicas fieldSpec selects."""
    ids = (resource.id, *resource.previous_ids)
    return any(
        rid.name == name and selects(spec, Gvk(rid.group, rid.version, rid.kind))
        for rid in ids
        for spec in specs
    )


def _gvk_text(spec: FieldSpec) -> str:
    """kustomize's ``Gvk.String()``: ``Deployment.[noVer].[noGrp]``."""
    return ".".join((spec.kind or "[noKind]", spec.version or "[noVer]", spec.group or "[noGrp]"))
