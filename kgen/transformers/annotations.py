"""``commonAnnotations``: kustomize's AnnotationsTransformer (``api/filters/annotations``).

Sets each annotation, in sorted key order, as a string on every field of the
``commonAnnotations`` fieldSpecs (``metadata/annotations`` and the pod templates of workloads,
created when missing), replacing the value it had.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen.decode import string_map
from kgen.errors import quote
from kgen.fieldspecs import TransformerConfig
from kgen.findings import Finding
from kgen.model import Resource
from kgen.records import NamedTuple
from kgen.transformers.labels import Pairs, qualified_name_problem, set_entries


class Annotations(NamedTuple):
    pairs: Pairs


def parse(fields: Mapping[str, Any], where: str) -> Annotations | None:
    pairs = string_map(fields.get("commonAnnotations"), where, "commonAnnotations")
    return Annotations(pairs) if pairs else None


def check(settings: Annotations, where: str) -> list[Finding]:
    """Annotation keys the API server would reject (it checks them lowercased; values are free
    text)."""
    findings = []
    for key, _ in settings.pairs:
        problem = qualified_name_problem(key.lower())
        if problem:
            message = f"key {quote(key)} is not a valid annotation key: {problem}"
            findings.append(Finding("annotation-key", where, f"commonAnnotations: {message}"))
    return findings


def apply(
    resources: list[Resource], settings: Annotations, config: TransformerConfig, _where: str
) -> None:
    set_entries(
        resources,
        dict(settings.pairs),
        config.common_annotations,
        "annotations",
        "commonAnnotations",
    )
