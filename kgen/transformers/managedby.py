"""kustomize's ``--enable-managedby-label`` (``api/krusty/kustomizer.go``): after the build, every
object gets the label ``app.kubernetes.io/managed-by: kustomize-<version>`` in
``metadata/labels`` (created when missing), and nowhere else."""

from __future__ import annotations

from typing import Any

from kgen.fieldspecs import FieldSpec
from kgen.model import Resource
from kgen.walker import walk

MANAGED_BY_KEY = "app.kubernetes.io/managed-by"
MANAGED_BY_VALUE = "kustomize-(devel)"
"""What ``kubectl kustomize`` (Kustomize v5.5.0) writes: the version of the kustomize built into
kubectl reads as ``(devel)``."""

_METADATA_LABELS = FieldSpec("", "", "", ("metadata", "labels"), create=True)


def add_managed_by_label(resources: list[Resource]) -> None:
    """Label every object as managed by kustomize (in place)."""

    def visit(container: Any, key: Any) -> None:
        labels = container[key]
        if not isinstance(labels, dict):
            labels = container[key] = {}
        labels[MANAGED_BY_KEY] = MANAGED_BY_VALUE

    for resource in resources:
        walk(resource.manifest, _METADATA_LABELS, visit, create_kind="map", where=resource.origin)
