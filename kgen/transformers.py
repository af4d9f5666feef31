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
from kgen.model import Gvk, Manifest, ResId, Resource
from kgen.namerefs import FieldSpec, TransformerConfig
from kgen.paths import ReadBudget, check_within, display, read_file
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
            _update(
                manifest,
                spec.path,
                lambda _: namespace,
                create=spec.create,
                where=f"{resource.origin}: namespace",
            )
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
                    where=f"{resource.origin}: {'namePrefix' if prefix else 'nameSuffix'}",
                )


def read_configuration(
    root: Path,
    entry: str,
    where: str,
    *,
    restrict: bool,
    budget: ReadBudget | None = None,
    nodes: yamlio.Budget | None = None,
) -> TransformerConfig:
    """A ``configurations:`` file of the kustomization in ``root`` (``budget``, ``nodes``: the
    build's read and YAML budgets)."""
    path = root / entry
    if not path.exists():
        raise LoadError(where, f"no such file: {display(path)}")
    if restrict:
        check_within(path, root, where)
    shown = display(path)
    documents = yamlio.load_documents(read_file(path, where, budget), shown, "kustomization", nodes)
    return namerefs.parse_transformer_config(documents[0] if documents else None, shown)


def _selects(selector: Gvk | FieldSpec, gvk: Gvk) -> bool:
    """Empty selector parts match anything (kustomize's ``Gvk.IsSelected``)."""
    return (
        selector.group in ("", gvk.group)
        and selector.version in ("", gvk.version)
        and selector.kind in ("", gvk.kind)
    )


def _update(
    manifest: Manifest,
    path: tuple[str, ...],
    update: Callable[[Any], Any],
    *,
    create: bool,
    where: str,
) -> None:
    """Apply ``update`` to the scalar(s) at ``path``; sequences on the way are traversed, and
    missing fields are created (from ``""``) only when ``create``. Iterative, and creation
    stops at kgen's nesting limit (the one resource files are read with): a fieldSpec path may
    be as long as a user likes, the object it makes may not nest deeper than that."""
    pending: list[tuple[Any, int, int]] = [(manifest, 0, 1)]  # (node, path index, depth)
    while pending:
        node, at, depth = pending.pop()
        if isinstance(node, list):
            pending.extend((item, at, depth + 1) for item in reversed(node))
            continue
        if not isinstance(node, dict) or at == len(path):
            continue
        key = path[at]
        if at == len(path) - 1:
            if key in node and not isinstance(node[key], dict | list):
                node[key] = update("" if node[key] is None else node[key])
            elif key not in node and create:
                node[key] = update("")
            continue
        if key not in node or node[key] is None:
            if not create:
                continue
            if depth >= yamlio.MAX_DEPTH:
                raise ResourceError(
                    where,
                    f"a fieldSpec path of {len(path)} fields would create an object nested "
                    f"deeper than {yamlio.MAX_DEPTH} levels, kgen's limit",
                )
            node[key] = {}
        pending.append((node[key], at + 1, depth + 1))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
