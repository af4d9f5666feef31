"""``build()``: one call per pipeline step (see DESIGN.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from kgen import (
    fieldspecs,
    generators,
    loader,
    namerefs,
    order,
    resources,
    sources,
    transformers,
    validate,
)
from kgen.errors import KgenError, KustomizationError, LoadError, ResourceError
from kgen.hashing import HashMode, hash_suffix
from kgen.kustomization import find_kustomization, is_remote, read_kustomization
from kgen.model import Manifest, ResId, Resource, SortOptions
from kgen.paths import ReadBudget, check_within, display

LoadRestrictor = Literal["LoadRestrictionsRootOnly", "LoadRestrictionsNone"]
LOAD_RESTRICTORS: tuple[LoadRestrictor, ...] = get_args(LoadRestrictor)
MAX_NESTED_BASES = 500
"""How deep bases may nest (a base of a base of ...): the build recurses once per level."""


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
    hidden_keys: frozenset[str] = frozenset()
    """Data keys made of env-file lines that may hold a value: ``--check`` redacts them."""


@dataclass
class Layer:
    """What one kustomization contributes: its objects and the reference table it knows."""

    resources: list[Resource]
    config: fieldspecs.TransformerConfig
    sort_options: SortOptions | None
    findings: list[validate.Finding]


def build(root: Path, options: BuildOptions, cache: resources.FileCache | None = None) -> Build:
    """Build the kustomization in ``root`` into the objects of the output stream.

    ``cache`` shares parsed files between the roots of one run (see :func:`prefetch`)."""
    if cache is None:
        cache = prefetch([root])
    layer = accumulate(root, options, BuildStack(), cache, ReadBudget())
    add_hash_suffixes(layer.resources, options.hash_mode)
    namerefs.rewrite_references(layer.resources, layer.config.name_references)
    kept = [res for res in layer.resources if not resources.is_local_config(res)]
    generators.check_writable(kept)
    if options.validate:
        layer.findings.extend(validate.check_stream(kept))
    ordered = order.order_resources(kept, layer.sort_options or SortOptions())
    hidden = frozenset(key for res in ordered for key in res.hidden_keys)
    return Build([res.manifest for res in ordered], layer.findings, hidden)


def prefetch(roots: list[Path], *, restrict: bool = True) -> resources.FileCache:
    """A cache holding the resource files of ``roots``, parsed ahead (in parallel when big);
    with ``restrict``, only files the load restrictor lets the build read."""
    cache = resources.FileCache()
    files: list[Path] = []
    for root in roots:
        files.extend(resource_files(root, restrict=restrict))
    cache.prefetch(files)
    return cache


def resource_files(
    directory: Path, building: set[str] | None = None, *, restrict: bool = True
) -> list[Path]:
    """The resource files a build of ``directory`` reads, in order (a best effort: anything
    unreadable or refused, and any cycle, is left for the build itself to report)."""
    building = set() if building is None else building
    real = os.path.realpath(directory)
    if real in building or len(building) > MAX_NESTED_BASES:
        return []
    try:
        path = find_kustomization(directory, "")
        if restrict:
            check_within(path, directory, "")
        kustomization = read_kustomization(path, "")
    except KgenError:
        return []
    building.add(real)
    files: list[Path] = []
    for entry in kustomization.resources:
        target = directory / entry
        if is_remote(entry):
            continue
        if target.is_dir():
            files.extend(resource_files(_base_directory(target), building, restrict=restrict))
        elif target.is_file() and (not restrict or _within(target, directory)):
            files.append(target)
    building.remove(real)
    return files


def _within(path: Path, root: Path) -> bool:
    try:
        check_within(path, root, "")
    except LoadError:
        return False
    return True


class BuildStack:
    """The kustomization directories being built (real paths, outermost first) and every
    directory that contains one of them, so that kustomize's cycle rule costs one lookup per
    base, however deep the chain."""

    def __init__(self) -> None:
        self.directories: list[str] = []
        self._position: dict[str, int] = {}
        self._container: dict[str, int] = {}
        """A directory holding one being built -> the position of the outermost such."""
        self._added: list[list[str]] = []

    def push(self, real: str) -> None:
        position = len(self.directories)
        self.directories.append(real)
        self._position[real] = position
        added = []
        parent = _parent(real)
        # An ancestor already recorded brings all of its own: stop there (linear in all).
        while parent not in self._container:
            self._container[parent] = position
            added.append(parent)
            if _parent(parent) == parent:
                break
            parent = _parent(parent)
        self._added.append(added)

    def pop(self) -> None:
        del self._position[self.directories.pop()]
        for parent in self._added.pop():
            del self._container[parent]

    def check(self, real: str, at: str) -> None:
        """kustomize's rule: a base may not be, or contain, a kustomization being built."""
        position = self._position.get(real)
        if position is not None:
            cycle = " -> ".join(display(Path(p)) for p in (*self.directories[position:], real))
            raise LoadError(at, f"kustomization cycle: {cycle}")
        position = self._container.get(real)
        if position is not None:
            raise LoadError(
                at,
                f"kustomization cycle: {display(Path(real))} contains "
                f"{display(Path(self.directories[position]))}, which is being built",
            )


def _parent(path: str) -> str:
    return os.path.dirname(path)  # noqa: PTH120 - real paths as strings: cheap to hash and cut


def _base_directory(target: Path, real: str | None = None) -> Path:
    """The path a base directory is built from: ``target`` lexically normalized when that is
    the same directory, so that paths stay short down a chain of ``../next`` bases (each use of
    a path costs the system a step per component), else its real path (a symlink followed by
    ``..``). ``real`` is ``target``'s real path when the caller has it."""
    normal = Path(os.path.normpath(target))
    if ".." not in target.parts:
        return normal  # without "..", normalizing changes nothing the system would see
    real = os.path.realpath(target) if real is None else real
    return normal if os.path.realpath(normal) == real else Path(real)


def accumulate(
    directory: Path,
    options: BuildOptions,
    stack: BuildStack,
    cache: resources.FileCache,
    budget: ReadBudget,
) -> Layer:
    """Load one kustomization and everything it includes; run its generators and
    transformers. No hash and no reference fixing: those happen once, at the top."""
    stack.push(os.path.realpath(directory))
    try:
        restrict = options.load_restrictor == "LoadRestrictionsRootOnly"
        path = find_kustomization(directory, display(directory))
        where = display(path)
        if restrict:
            check_within(path, directory, where)  # a symlink out, as kustomize refuses it
        kustomization = read_kustomization(path, where, budget, cache.budget)
        top = len(stack.directories) == 1
        if not top and kustomization.is_component:
            raise KustomizationError(where, "kind: Component cannot be listed in resources")
        config = fieldspecs.BUILTIN_CONFIG
        accumulated: list[Resource] = []
        findings: list[validate.Finding] = []
        index: dict[ResId, Resource] = {}
        for number, entry in enumerate(kustomization.resources):
            at = f"{where}: resources[{number}]"
            target = directory / entry
            if is_remote(entry):
                raise LoadError(at, "remote resources (URLs, git) are not supported by kgen")
            if target.is_dir():
                if Path(entry).is_absolute():
                    raise LoadError(
                        at, "a kustomization directory must be given as a relative path"
                    )
                if len(stack.directories) >= MAX_NESTED_BASES:
                    raise LoadError(
                        at, f"bases nested more than {MAX_NESTED_BASES} deep, kgen's limit"
                    )
                real = os.path.realpath(target)
                stack.check(real, at)
                child = accumulate(_base_directory(target, real), options, stack, cache, budget)
                config = fieldspecs.merge_transformer_configs(config, child.config, at)
                findings.extend(child.findings)
                found = child.resources
            elif target.exists():
                if restrict:
                    check_within(target, directory, at)
                found = resources.read_resources(target, at, cache, budget)
            else:
                raise LoadError(at, f"no such file or directory: {display(target)}")
            for resource in found:
                _append(accumulated, index, resource)
        for number, entry in enumerate(kustomization.configurations):
            at = f"{where}: configurations[{number}]"
            custom = loader.read_configuration(
                directory, entry, at, restrict=restrict, budget=budget, nodes=cache.budget
            )
            config = fieldspecs.merge_transformer_configs(config, custom, at)
        if options.validate:
            findings.extend(validate.check_metadata_pairs(kustomization, where))
        ids = generators.IdIndex(accumulated)
        for spec in kustomization.generators:
            pairs = sources.load_pairs(spec, directory, restrict=restrict, budget=budget)
            if options.validate:
                findings.extend(validate.check_pairs(spec, pairs))
            generators.add_generated(accumulated, ids, spec, generators.make_resource(spec, pairs))
        transformers.apply_layer(accumulated, kustomization.steps, config, where)
        sort_options = kustomization.sort_options if top else None
        return Layer(accumulated, config, sort_options, findings)
    finally:
        stack.pop()


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
