"""Per-layer transformers (namespace, namePrefix, nameSuffix) and ``configurations:`` files.

Each rename records the previous id on the resource, so the reference pass at the top level
can find objects by any name they had.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kgen import namerefs, yamlio
from kgen.errors import LoadError, ResourceError, quote
from kgen.kustomization import Kustomization
from kgen.model import Gvk, ResId, Resource
from kgen.namerefs import FieldSpec, TransformerConfig
from kgen.paths import check_within, display, read_file
from kgen.scopes import is_cluster_scoped

_NOT_RENAMED = (
    Gvk("", "", "CustomResourceDefinition"),
    Gvk("apiregistration.k8s.io", "", "APIService"),
    Gvk("", "", "Namespace"),
)
_ROLE_BINDINGS = ("RoleBinding", "ClusterRoleBinding")
_METADATA_NAME = ("metadata", "name")
NAMESPACE_FIELD_SPECS = (
    FieldSpec("", "", "Namespace", _METADATA_NAME, create=True),
    FieldSpec(
        "apiregistration.k8s.io", "", "APIService", ("spec", "service", "namespace"), create=True
    ),
    FieldSpec(
        "apiextensions.k8s.io",
        "",
        "CustomResourceDefinition",
        ("spec", "conversion", "webhook", "clientConfig", "service", "namespace"),
    ),
)
"""kustomize's builtin namespace fieldSpecs besides ``metadata/namespace``."""
NAME_FIELD_SPECS = (FieldSpec("", "", "", _METADATA_NAME),)
"""kustomize's builtin namePrefix/nameSuffix fieldSpecs."""


def apply_layer(
    resources: list[Resource], kustomization: Kustomization, config: TransformerConfig
) -> None:
    """kustomize's builtin transformer order: namespace, then prefix, then suffix, each with
    its builtin fieldSpecs and those of ``configurations:`` (``config``)."""
    if kustomization.namespace:
        set_namespace(
            resources,
            kustomization.namespace,
            (*NAMESPACE_FIELD_SPECS, *config.namespace),
            display(kustomization.path),
        )
    if kustomization.name_prefix:
        add_name_affix(
            resources, (*NAME_FIELD_SPECS, *config.name_prefix), prefix=kustomization.name_prefix
        )
    if kustomization.name_suffix:
        add_name_affix(
            resources, (*NAME_FIELD_SPECS, *config.name_suffix), suffix=kustomization.name_suffix
        )


def set_namespace(
    resources: list[Resource], namespace: str, specs: tuple[FieldSpec, ...], where: str
) -> None:
    """Put every namespaced object into ``namespace``; set the other namespace fields."""
    seen: dict[ResId, Resource] = {}
    for resource in resources:
        manifest = resource.manifest
        rid = resource.id
        resource.previous_ids.append(rid)
        if not is_cluster_scoped(rid.gvk):
            manifest.setdefault("metadata", {})["namespace"] = namespace
        role_binding = rid.kind in _ROLE_BINDINGS
        if role_binding:
            for subject in _list(manifest.get("subjects")):
                if isinstance(subject, dict) and subject.get("name") == "default":
                    subject["namespace"] = namespace
        for spec in specs:
            if not _selects(spec, rid.gvk):
                continue
            if spec.path == _METADATA_NAME and manifest.get("apiVersion") != "v1":
                continue
            if role_binding and spec.path == ("subjects", "namespace"):
                continue
            if spec.path == ("metadata", "namespace"):
                continue
            _update(manifest, spec.path, lambda _: namespace, create=spec.create)
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


def add_name_affix(
    resources: list[Resource], specs: tuple[FieldSpec, ...], *, prefix: str = "", suffix: str = ""
) -> None:
    """``namePrefix``/``nameSuffix``: rename every object but CRDs, APIServices and
    Namespaces (matched by their original kind), recording the affix, and affix the other
    fields the specs name."""
    for resource in resources:
        gvk = resource.original_gvk
        if any(_selects(skip, gvk) for skip in _NOT_RENAMED):
            continue
        for spec in specs:
            if not _selects(spec, gvk):
                continue
            if spec.path == _METADATA_NAME:
                if prefix:
                    resource.prefixes.append(prefix)
                if suffix:
                    resource.suffixes.append(suffix)
                resource.rename(f"{prefix}{resource.name}{suffix}")
            else:
                _update(
                    resource.manifest,
                    spec.path,
                    lambda value: f"{prefix}{value}{suffix}",
                    create=spec.create,
                )


def read_configuration(
    root: Path, entry: str, where: str, *, restrict: bool, budget: yamlio.Budget | None = None
) -> TransformerConfig:
    """A ``configurations:`` file of the kustomization in ``root`` (``budget``: the build's)."""
    path = root / entry
    if not path.is_file():
        raise LoadError(where, f"no such file: {display(path)}")
    if restrict:
        check_within(path, root, where)
    shown = display(path)
    documents = yamlio.load_documents(read_file(path, where), shown, "kustomization", budget)
    return namerefs.parse_transformer_config(documents[0] if documents else None, shown)


def _selects(selector: Gvk | FieldSpec, gvk: Gvk) -> bool:
    """Empty selector parts match anything (kustomize's ``Gvk.IsSelected``)."""
    return (
        selector.group in ("", gvk.group)
        and selector.version in ("", gvk.version)
        and selector.kind in ("", gvk.kind)
    )


def _update(
    node: Any, path: tuple[str, ...], update: Callable[[Any], Any], *, create: bool
) -> None:
    """Apply ``update`` to the scalar(s) at ``path``; sequences on the way are traversed, and
    missing fields are created (from ``""``) only when ``create``."""
    if isinstance(node, list):
        for item in node:
            _update(item, path, update, create=create)
        return
    if not isinstance(node, dict) or not path:
        return
    key, rest = path[0], path[1:]
    if not rest:
        if key in node and not isinstance(node[key], dict | list):
            node[key] = update("" if node[key] is None else node[key])
        elif key not in node and create:
            node[key] = update("")
        return
    if key not in node or node[key] is None:
        if not create:
            return
        node[key] = {}
    _update(node[key], rest, update, create=create)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
