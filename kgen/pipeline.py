"""``build()``: one call per pipeline step (see DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kgen import generators, namerefs, order, resources, sources, transformers
from kgen.errors import LoadError, ResourceError
from kgen.hashing import HashMode, hash_suffix
from kgen.kustomization import Kustomization, find_kustomization, read_kustomization
from kgen.model import Manifest, ResId, Resource, SortOptions
from kgen.paths import check_within, display

LoadRestrictor = Literal["LoadRestrictionsRootOnly", "LoadRestrictionsNone"]
_REMOTE_MARKERS = ("://", "github.com/", "gitlab.com/", "bitbucket.org/", "git@", "git::")


@dataclass(frozen=True)
class BuildOptions:
    hash_mode: HashMode = "xxhash"
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly"


@dataclass
class Layer:
    """What one kustomization contributes: its objects and the reference table it knows."""

    resources: list[Resource]
    table: tuple[namerefs.NameReference, ...]
    sort_options: SortOptions | None


def build(root: Path, options: BuildOptions) -> list[Manifest]:
    """Build the kustomization in ``root`` into the objects of the output stream."""
    layer = accumulate(root, options, ())
    add_hash_suffixes(layer.resources, options.hash_mode)
    namerefs.rewrite_references(layer.resources, layer.table)
    kept = [res for res in layer.resources if not resources.is_local_config(res)]
    ordered = order.order_resources(kept, layer.sort_options or SortOptions())
    return [res.manifest for res in ordered]


def accumulate(directory: Path, options: BuildOptions, stack: tuple[Path, ...]) -> Layer:
    """Load one kustomization and everything it includes; run its generators and
    transformers. No hash and no reference fixing: those happen once, at the top."""
    path = find_kustomization(directory, display(directory))
    real = directory.resolve()
    if real in stack:
        cycle = " -> ".join(display(p) for p in (*stack[stack.index(real) :], real))
        raise LoadError(display(path), f"kustomization cycle: {cycle}")
    kustomization = read_kustomization(path, display(path))
    where = display(path)
    restrict = options.load_restrictor == "LoadRestrictionsRootOnly"
    table = namerefs.BUILTIN_NAME_REFERENCES
    accumulated: list[Resource] = []
    index: dict[ResId, Resource] = {}
    for number, entry in enumerate(kustomization.resources):
        at = f"{where}: resources[{number}]"
        if any(marker in entry for marker in _REMOTE_MARKERS):
            raise LoadError(at, "remote resources (URLs, git) are not supported by kgen")
        target = directory / entry
        if target.is_dir():
            child = accumulate(target, options, (*stack, real))
            table = namerefs.merge_name_references(table, child.table)
            found = child.resources
        elif target.exists():
            if restrict:
                check_within(target, directory, at)
            found = resources.read_resources(target, at)
        else:
            raise LoadError(at, f"no such file or directory: {display(target)}")
        for resource in found:
            _append(accumulated, index, resource)
    for number, config in enumerate(kustomization.configurations):
        at = f"{where}: configurations[{number}]"
        table = namerefs.merge_name_references(
            table, transformers.read_configuration(directory, config, at, restrict=restrict)
        )
    for spec in kustomization.generators:
        pairs = sources.load_pairs(spec, directory, restrict=restrict)
        generators.add_generated(accumulated, spec, generators.make_resource(spec, pairs))
    transformers.apply_layer(accumulated, kustomization)
    return Layer(accumulated, table, _sort_options(kustomization, stack))


def add_hash_suffixes(accumulated: list[Resource], mode: HashMode) -> None:
    """Append ``-<hash>`` to every generated object that keeps its hash (in place)."""
    for resource in accumulated:
        if resource.needs_hash:
            resource.rename(f"{resource.name}-{hash_suffix(resource.manifest, mode)}")


def _append(accumulated: list[Resource], index: dict[ResId, Resource], resource: Resource) -> None:
    rid = resource.id
    key = rid._replace(namespace=rid.namespace or "default")
    if key in index:
        raise ResourceError(
            resource.origin,
            f"{rid.kind} {rid.name!r} is already defined by {index[key].origin}",
        )
    index[key] = resource
    accumulated.append(resource)


def _sort_options(kustomization: Kustomization, stack: tuple[Path, ...]) -> SortOptions | None:
    """Only the top-level kustomization's ``sortOptions`` count, as in kustomize."""
    return kustomization.sort_options if not stack else None
