"""Per-layer transformers (namespace, namePrefix, nameSuffix) and ``configurations:`` files.

Each rename records the previous id on the resource, so the reference pass at the top level
can find objects by any name they had.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kgen import namerefs, yamlio
from kgen.errors import LoadError, ResourceError
from kgen.kustomization import Kustomization
from kgen.model import Gvk, ResId, Resource
from kgen.paths import check_within, display
from kgen.scopes import is_cluster_scoped

_NOT_RENAMED = (
    Gvk("", "", "CustomResourceDefinition"),
    Gvk("apiregistration.k8s.io", "", "APIService"),
    Gvk("", "", "Namespace"),
)
_ROLE_BINDINGS = ("RoleBinding", "ClusterRoleBinding")


def apply_layer(resources: list[Resource], kustomization: Kustomization) -> None:
    """kustomize's builtin transformer order: namespace, then prefix, then suffix."""
    if kustomization.namespace:
        set_namespace(resources, kustomization.namespace, display(kustomization.path))
    if kustomization.name_prefix:
        add_name_affix(resources, prefix=kustomization.name_prefix)
    if kustomization.name_suffix:
        add_name_affix(resources, suffix=kustomization.name_suffix)


def set_namespace(resources: list[Resource], namespace: str, where: str) -> None:
    """Put every namespaced object into ``namespace`` (in place)."""
    seen: dict[ResId, Resource] = {}
    for resource in resources:
        manifest = resource.manifest
        rid = resource.id
        resource.previous_ids.append(rid)
        if not is_cluster_scoped(rid.gvk):
            manifest.setdefault("metadata", {})["namespace"] = namespace
        if rid.kind == "Namespace" and manifest.get("apiVersion") == "v1":
            manifest["metadata"]["name"] = namespace
        if rid.kind == "APIService" and rid.group == "apiregistration.k8s.io":
            _set_path(manifest, ("spec", "service", "namespace"), namespace, create=True)
        if rid.kind == "CustomResourceDefinition" and rid.group == "apiextensions.k8s.io":
            path = ("spec", "conversion", "webhook", "clientConfig", "service", "namespace")
            _set_path(manifest, path, namespace, create=False)
        if rid.kind in _ROLE_BINDINGS:
            for subject in _list(manifest.get("subjects")):
                if isinstance(subject, dict) and subject.get("name") == "default":
                    subject["namespace"] = namespace
        current = resource.id
        key = current._replace(namespace=current.namespace or "default")
        if key in seen:
            raise ResourceError(
                where,
                f"namespace: {current.kind} {current.name!r} would exist twice in namespace "
                f"{namespace!r} (from {seen[key].origin} and {resource.origin})",
            )
        seen[key] = resource


def add_name_affix(resources: list[Resource], *, prefix: str = "", suffix: str = "") -> None:
    """``namePrefix``/``nameSuffix``: rename every object but CRDs, APIServices and
    Namespaces (matched by their original kind), recording the affix."""
    for resource in resources:
        gvk = resource.original_gvk
        if any(_selects(skip, gvk) for skip in _NOT_RENAMED):
            continue
        if prefix:
            resource.prefixes.append(prefix)
        if suffix:
            resource.suffixes.append(suffix)
        resource.rename(f"{prefix}{resource.name}{suffix}")


def read_configuration(
    root: Path, entry: str, where: str, *, restrict: bool
) -> tuple[namerefs.NameReference, ...]:
    """A ``configurations:`` file of the kustomization in ``root``: its ``nameReference``
    entries."""
    path = root / entry
    if not path.is_file():
        raise LoadError(where, f"no such file: {display(path)}")
    if restrict:
        check_within(path, root, where)
    shown = display(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(where, f"cannot read {shown}: {exc.strerror}") from None
    documents = yamlio.load_documents(data, shown, "kustomization")
    if not documents:
        return ()
    return namerefs.parse_name_references(documents[0], shown)


def _selects(selector: Gvk, gvk: Gvk) -> bool:
    return all(want in ("", have) for want, have in zip(selector, gvk, strict=True))


def _set_path(manifest: dict[str, Any], path: tuple[str, ...], value: str, *, create: bool) -> None:
    node: Any = manifest
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            if not create or child is not None:
                return
            child = node[key] = {}
        node = child
    if create or path[-1] in node:
        node[path[-1]] = value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
