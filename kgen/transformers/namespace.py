"""``namespace``: kustomize's NamespaceTransformer (``api/filters/namespace``).

Puts every namespaced object into the kustomization's namespace and sets the other namespace
fields of the ``namespace`` fieldSpecs. Each object records its previous id, so the reference pass
at the top level can find it by any namespace it had.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from kgen.decode import string
from kgen.errors import ResourceError, quote
from kgen.fieldspecs import FieldSpec, TransformerConfig, selects
from kgen.model import ResId, Resource
from kgen.scopes import is_cluster_scoped
from kgen.walker import Visit, walk

_ROLE_BINDINGS = ("RoleBinding", "ClusterRoleBinding")
_METADATA_NAME = ("metadata", "name")
_METADATA_NAMESPACE = ("metadata", "namespace")
_SUBJECTS_NAMESPACE = ("subjects", "namespace")


def parse(fields: Mapping[str, Any], where: str) -> str | None:
    return string(fields.get("namespace"), where, "namespace") or None


def apply(resources: list[Resource], namespace: str, config: TransformerConfig, where: str) -> None:
    set_namespace(resources, namespace, config.namespace, where)


def set_scalar(value: Any, *, unset_only: bool = False) -> Visit:
    """A visit that sets a scalar field (a mapping or sequence found there is left alone);
    ``unset_only``: only a missing, null or empty one (kustomize's ``SetEntryIfEmpty``)."""

    def visit(container: Any, key: Any) -> None:
        found = container[key]
        if isinstance(found, dict | list) or (unset_only and found not in (None, "")):
            return
        container[key] = value

    return visit


SubjectMode = Literal["defaultOnly", "allServiceAccounts", "none"]
"""Which subjects of a (Cluster)RoleBinding get the namespace: those named ``default`` (the
kustomization field's way), every ServiceAccount, or none (a NamespaceTransformer config's
``setRoleBindingSubjects``)."""


def set_namespace(
    resources: list[Resource],
    namespace: str,
    specs: tuple[FieldSpec, ...],
    where: str,
    *,
    unset_only: bool = False,
    subjects: SubjectMode = "defaultOnly",
) -> None:
    """Put every namespaced object into ``namespace``; set the other namespace fields
    (``unset_only``: only those without a value)."""
    seen: dict[ResId, Resource] = {}
    visit = set_scalar(namespace, unset_only=unset_only)
    for resource in resources:
        manifest = resource.manifest
        rid = resource.id
        resource.previous_ids.append(rid)
        if not is_cluster_scoped(rid.gvk):
            metadata = manifest.setdefault("metadata", {})
            if not unset_only or metadata.get("namespace") in (None, ""):
                metadata["namespace"] = namespace
        role_binding = rid.kind in _ROLE_BINDINGS
        if role_binding and subjects != "none":
            field, wanted = (
                ("name", "default") if subjects == "defaultOnly" else ("kind", "ServiceAccount")
            )
            for subject in _list(manifest.get("subjects")):
                if (
                    isinstance(subject, dict)
                    and subject.get(field) == wanted
                    and (not unset_only or subject.get("namespace") in (None, ""))
                ):
                    subject["namespace"] = namespace
        for spec in specs:
            if not selects(spec, rid.gvk):
                continue
            if spec.path == _METADATA_NAME and manifest.get("apiVersion") != "v1":
                continue
            if role_binding and spec.path == _SUBJECTS_NAMESPACE:
                continue
            if spec.path == _METADATA_NAMESPACE:
                continue
            walk(manifest, spec, visit, create_kind="scalar", where=f"{resource.origin}: namespace")
        current = resource.id
        key = current._replace(namespace=current.namespace or "default")
        if key in seen:
            raise ResourceError(
                where,
                f"namespace: {current.kind} {quote(current.name)} would exist twice in namespace "
                f"{quote(namespace)} (from {_origin(seen[key])} and {_origin(resource)})",
            )
        seen[key] = resource


def _origin(resource: Resource) -> str:
    """Where a resource came from, with the namespace it had before this layer's."""
    before = resource.previous_ids[-1].namespace
    return f"{resource.origin} in namespace {quote(before)}" if before else resource.origin


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
