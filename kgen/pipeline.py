"""``build()``: one call per pipeline step (see DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from kgen import generators, namerefs, order, resources, sources, transformers, validate
from kgen.errors import KgenError, KustomizationError, LoadError, ResourceError
from kgen.hashing import HashMode, hash_suffix
from kgen.kustomization import find_kustomization, is_remote, read_kustomization
from kgen.model import Manifest, ResId, Resource, SortOptions
from kgen.paths import check_within, display

LoadRestrictor = Literal["LoadRestrictionsRootOnly", "LoadRestrictionsNone"]
LOAD_RESTRICTORS: tuple[LoadRestrictor, ...] = get_args(LoadRestrictor)


@dataclass(frozen=True)
class BuildOptions:
    hash_mode: HashMode = "xxhash"
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly"
    validate: bool = True


@dataclass
class Build:
    """The objects of the output stream, and what validation found (nothing when off)."""

    manifests: list[Manifest]
    findings: list[validate.Finding]


@dataclass
class Layer:
    """What one kustomization contributes: its objects and the reference table it knows."""

    resources: list[Resource]
    config: namerefs.TransformerConfig
    sort_options: SortOptions | None
    findings: list[validate.Finding]


def build(root: Path, options: BuildOptions, cache: resources.FileCache | None = None) -> Build:
    """Build the kustomization in ``root`` into the objects of the output stream.

    ``cache`` shares parsed files between the roots of one run (see :func:`prefetch`)."""
    if cache is None:
        cache = prefetch([root])
    layer = accumulate(root, options, (), cache)
    add_hash_suffixes(layer.resources, options.hash_mode)
    namerefs.rewrite_references(layer.resources, layer.config.name_references)
    kept = [res for res in layer.resources if not resources.is_local_config(res)]
    generators.check_writable(kept)
    if options.validate:
        layer.findings.extend(validate.check_stream(kept))
    ordered = order.order_resources(kept, layer.sort_options or SortOptions())
    return Build([res.manifest for res in ordered], layer.findings)


def prefetch(roots: list[Path]) -> resources.FileCache:
    """A cache holding the resource files of ``roots``, parsed ahead (in parallel when big)."""
    cache = resources.FileCache()
    files: list[Path] = []
    for root in roots:
        files.extend(resource_files(root))
    cache.prefetch(files)
    return cache


def resource_files(directory: Path, stack: tuple[Path, ...] = ()) -> list[Path]:
    """The resource files a build of ``directory`` reads, in order (a best effort: anything
    unreadable is left for the build itself to report)."""
    real = directory.resolve()
    if real in stack:
        return []
    try:
        kustomization = read_kustomization(find_kustomization(directory, ""), "")
    except KgenError:
        return []
    files: list[Path] = []
    for entry in kustomization.resources:
        target = directory / entry
        if is_remote(entry):
            continue
        if target.is_dir():
            files.extend(resource_files(target, (*stack, real)))
        elif target.is_file():
            files.append(target)
    return files


def accumulate(
    directory: Path, options: BuildOptions, stack: tuple[Path, ...], cache: resources.FileCache
) -> Layer:
    """Load one kustomization and everything it includes; run its generators and
    transformers. No hash and no reference fixing: those happen once, at the top."""
    path = find_kustomization(directory, display(directory))
    where = display(path)
    kustomization = read_kustomization(path, where)
    if stack and kustomization.is_component:
        raise KustomizationError(where, "kind: Component cannot be listed in resources")
    stack = (*stack, directory.resolve())
    restrict = options.load_restrictor == "LoadRestrictionsRootOnly"
    config = namerefs.BUILTIN_CONFIG
    accumulated: list[Resource] = []
    findings: list[validate.Finding] = []
    index: dict[ResId, Resource] = {}
    for number, entry in enumerate(kustomization.resources):
        at = f"{where}: resources[{number}]"
        target = directory / entry
        if is_remote(entry):
            raise LoadError(at, "remote resources (URLs, git) are not supported by kgen")
        if target.is_dir():
            _check_no_cycle(target, entry, stack, at)
            child = accumulate(target, options, stack, cache)
            config = namerefs.merge_transformer_configs(config, child.config, at)
            findings.extend(child.findings)
            found = child.resources
        elif target.exists():
            if restrict:
                check_within(target, directory, at)
            found = resources.read_resources(target, at, cache)
        else:
            raise LoadError(at, f"no such file or directory: {display(target)}")
        for resource in found:
            _append(accumulated, index, resource)
    for number, entry in enumerate(kustomization.configurations):
        at = f"{where}: configurations[{number}]"
        custom = transformers.read_configuration(directory, entry, at, restrict=restrict)
        config = namerefs.merge_transformer_configs(config, custom, at)
    ids = generators.IdIndex(accumulated)
    for spec in kustomization.generators:
        pairs = sources.load_pairs(spec, directory, restrict=restrict)
        if options.validate:
            findings.extend(validate.check_pairs(spec, pairs))
        generators.add_generated(accumulated, ids, spec, generators.make_resource(spec, pairs))
    transformers.apply_layer(accumulated, kustomization, config)
    sort_options = kustomization.sort_options if len(stack) == 1 else None
    return Layer(accumulated, config, sort_options, findings)


def _check_no_cycle(target: Path, entry: str, stack: tuple[Path, ...], at: str) -> None:
    """kustomize's rule: a kustomization directory may not be, or contain, one being built."""
    if Path(entry).is_absolute():
        raise LoadError(at, "a kustomization directory must be given as a relative path")
    real = target.resolve()
    for position, visited in enumerate(stack):
        if real == visited:
            cycle = " -> ".join(display(p) for p in (*stack[position:], real))
            raise LoadError(at, f"kustomization cycle: {cycle}")
        if real in visited.parents:
            raise LoadError(
                at,
                f"kustomization cycle: {display(real)} contains {display(visited)}, "
                "which is being built",
            )


def add_hash_suffixes(accumulated: list[Resource], mode: HashMode) -> None:
    """Append ``-<hash>`` to every generated object that keeps its hash (in place)."""
    for resource in accumulated:
        if resource.needs_hash:
            resource.rename(f"{resource.name}-{hash_suffix(resource.manifest, mode)}")


def _append(accumulated: list[Resource], index: dict[ResId, Resource], resource: Resource) -> None:
    rid = resource.id
    key = rid._replace(namespace=rid.namespace or "default")
    if key in index:
        raise ResourceError(resource.origin, f"already defined by {index[key].origin}")
    index[key] = resource
    accumulated.append(resource)
