"""``commonAnnotations``: kustomize's AnnotationsTransformer (``api/filters/annotations``).

Sets each annotation, in sorted key order, as a string on every field of the
``commonAnnotations`` fieldSpecs (``metadata/annotations`` and the pod templates of workloads,
created when missing), replacing the value it had.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from kgen.decode import string_map
from kgen.fieldspecs import TransformerConfig
from kgen.model import Resource
from kgen.transformers.labels import Pairs, set_entries


class Annotations(NamedTuple):
    pairs: Pairs


def parse(fields: Mapping[str, Any], where: str) -> Annotations | None:
    pairs = string_map(fields.get("commonAnnotations"), where, "commonAnnotations")
    return Annotations(pairs) if pairs else None


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
