"""``build()``: one call per pipeline step (see DESIGN.md)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kgen import (
    fieldspecs,
    generators,
    loader,
    namerefs,
    order,
    resources,
    schema,
    scopes,
    sources,
    transformers,
    validate,
    yamlio,
)
from kgen.errors import KustomizationError, LoadError, ResourceError
from kgen.findings import Finding
from kgen.hashing import HashMode, hash_suffix
from kgen.kustomization import GeneratorSpec, Kustomization, is_remote
from kgen.loader import MAX_NESTED_BASES
from kgen.model import Manifest, ResId, Resource, SortOptions
from kgen.options import LoadRestrictor, Reorder
from kgen.paths import display
from kgen.transformers import managedby


@dataclass(frozen=True)
class BuildOptions:
    hash_mode: HashMode = "xxhash"
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly"
    validate: bool = True
    reorder: Reorder = "legacy"
    """The order without ``sortOptions``: ``legacy`` (kustomize's kind order) or ``none``."""
    managed_by_label: bool = False
    """kustomize's ``--enable-managedby-label``: every object is labelled managed by it."""

    @property
    def restrict(self) -> bool:
        """Whether the load restrictor keeps files inside their kustomization's directory."""
        return self.load_restrictor == "LoadRestrictionsRootOnly"


@dataclass
class Build:
    """The objects of the output stream, and what validation found (nothing when off)."""

    manifests: list[Manifest]
    findings: list[Finding]
    hidden_keys: frozenset[str] = frozenset()
    """Data keys made of env-file lines that may hold a value: ``--check`` redacts them."""


@dataclass
class Layer:
    """What one kustomization contributes: its objects and the reference table it knows."""

    resources: list[Resource]
    config: fieldspecs.TransformerConfig
    sort_options: SortOptions | None
    findings: list[Finding]


def build(root: Path, options: BuildOptions, files: loader.Loader | None = None) -> Build:
    """Build the kustomization in ``root`` into the objects of the output stream.

    ``files`` is the run's loader (its restrictor must be ``options``'), shared by the roots of
    one run; without one, the build has a loader of its own, prefetched for ``root``."""
    if files is None:
        files = loader.Loader(restrict=options.restrict)
        files.prefetch([root])
    layer = accumulate(root, options, BuildStack(), files.reader())
    add_hash_suffixes(layer.resources, options.hash_mode)
    namerefs.rewrite_references(layer.resources, layer.config.name_references)
    kept = [res for res in layer.resources if not resources.is_local_config(res)]
    generators.check_writable(kept)
    if options.validate:
        layer.findings.extend(generators.surviving_findings(kept))
        layer.findings.extend(validate.check_stream(kept, layer.config.name_references))
    default_order = SortOptions() if options.reorder == "legacy" else SortOptions(order="fifo")
    ordered = order.order_resources(kept, layer.sort_options or default_order)
    if options.managed_by_label:
        managedby.add_managed_by_label(ordered)
    hidden = frozenset(key for res in ordered for key in res.hidden_keys)
    return Build([res.manifest for res in ordered], layer.findings, hidden)


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
        self.schema: schema.Schema | None = None
        """kustomize's OpenAPI schema for strategic merges (``None``: the built-in one), which
        it sets as the build goes (``openapi:``, see :func:`_set_schema`)."""
        self.schema_set = False
        self.builtin_parsed = False
        """A strategic merge used the built-in schema while none was set: kustomize parsed it,
        and a custom schema set later is added to it (the custom one wins)."""
        self.builtin_pending = False
        """An object of a type outside kyaml's precomputed scope table was read while no schema
        was set: kustomize parses its built-in schema after a custom one set later (the
        built-in one wins)."""

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

    @contextmanager
    def building(self, directory: Path) -> Iterator[None]:
        """``directory``'s kustomization is being built (pushed, then popped)."""
        self.push(os.path.realpath(directory))
        try:
            yield
        finally:
            self.pop()

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


@dataclass
class Accumulator:
    """kustomize's ``ResAccumulator``: the objects a kustomization has gathered so far (its
    resources and bases, its generators' objects, what its components added and changed) and
    the fieldSpecs that came with them. A component builds into its parent's accumulator.

    Two indexes follow the objects as they are added, so that a component that adds objects or
    runs generators costs what it adds, not what came before it: by current id, for kustomize's
    collision check, and by every id, for generators' merge/replace. Transformers may change any
    id: after them, both are rebuilt when next needed (a transformer costs as much anyway)."""

    resources: list[Resource] = field(default_factory=list)
    config: fieldspecs.TransformerConfig = field(default_factory=fieldspecs.TransformerConfig)
    findings: list[Finding] = field(default_factory=list)
    _by_id: dict[ResId, Resource] | None = None
    """The resources by current id (``""`` is ``default``); ``None``: to rebuild."""
    _ids: generators.IdIndex | None = None
    """The resources by current and previous ids; ``None``: to rebuild."""

    def append(self, resource: Resource) -> None:
        """kustomize's ``Append``: no two objects with one current id."""
        by_id = self._current_ids()
        key = _collision_key(resource.id)
        defined = by_id.get(key)
        if defined is not None:
            raise ResourceError(resource.origin, f"already defined by {defined.origin}")
        by_id[key] = resource
        if self._ids is not None:
            self._ids.add(len(self.resources), resource)
        self.resources.append(resource)

    def generate(self, spec: GeneratorSpec, generated: Resource) -> None:
        """Add a generator's object, or merge/replace it into the one it names."""
        if self._ids is None:
            self._ids = generators.IdIndex(self.resources)
        generators.add_generated(self.resources, self._ids, spec, generated)
        # created: a new current id; merged or replaced: the old one (the name is kept)
        self._current_ids()[_collision_key(generated.id)] = generated

    def transformed(self) -> None:
        """Transformers ran: ids may have changed."""
        self._by_id = None
        self._ids = None

    def _current_ids(self) -> dict[ResId, Resource]:
        if self._by_id is None:
            self._by_id = {}
            for known in self.resources:
                self._by_id.setdefault(_collision_key(known.id), known)
        return self._by_id


def _collision_key(rid: ResId) -> ResId:
    return rid._replace(namespace=rid.namespace or "default")


ListedAs = Literal["resources", "components"]
"""The field that lists a kustomization directory (the top one is built as a base is)."""


def accumulate(
    directory: Path, options: BuildOptions, stack: BuildStack, reader: loader.Reader
) -> Layer:
    """Load the top kustomization and everything it includes; run its generators, components
    and transformers. No hash and no reference fixing: those happen once, at the top."""
    with stack.building(directory):
        kustomization = _load(directory, stack, reader, "resources", "")
        accumulated = Accumulator()
        _accumulate_target(accumulated, kustomization, options, stack, reader)
    return Layer(
        accumulated.resources,
        accumulated.config,
        kustomization.sort_options,
        accumulated.findings,
    )


def _load(
    directory: Path, stack: BuildStack, reader: loader.Reader, listed_as: ListedAs, at: str
) -> Kustomization:
    """The kustomization of a directory being built (pushed on ``stack``), with the schema
    set as kustomize sets it on reaching it, and of the kind its parent's field lists."""
    shown = display(directory)
    kustomization = reader.kustomization(directory, f"{at}: {shown}" if at else shown)
    where = display(kustomization.path)
    if len(stack.directories) == 1 or not stack.schema_set:
        _set_schema(stack, kustomization.openapi, directory, reader, where)
    if listed_as == "components" and not kustomization.is_component:
        raise KustomizationError(
            at,
            f"{where} is a kind: Kustomization, not a Component: list it in resources, "
            "not components",
        )
    if listed_as == "resources" and at and kustomization.is_component:
        raise KustomizationError(
            at,
            f"{where} is a kind: Component: list it in components, not resources",
        )
    return kustomization


def _accumulate_target(
    accumulated: Accumulator,
    kustomization: Kustomization,
    options: BuildOptions,
    stack: BuildStack,
    reader: loader.Reader,
) -> None:
    """kustomize's ``accumulateTarget``: resources (bases built whole), configurations,
    generators, components (in order, each over everything accumulated), then this
    kustomization's transformers over all of it."""
    directory = kustomization.root
    where = display(kustomization.path)
    for number, entry in enumerate(kustomization.resources):
        at = f"{where}: resources[{number}]"
        target = directory / entry
        if is_remote(entry):
            raise LoadError(at, "remote resources (URLs, git) are not supported by kgen")
        if target.is_dir():
            base = _enter(target, entry, at, stack)
            child = Accumulator()
            with stack.building(base):  # one frame per level: the recursion is this function's
                _accumulate_target(
                    child, _load(base, stack, reader, "resources", at), options, stack, reader
                )
            accumulated.config = fieldspecs.merge_transformer_configs(
                accumulated.config, child.config, at
            )
            accumulated.findings.extend(child.findings)
            found = child.resources
        elif target.exists():
            found = reader.resources(directory, entry, at)
        else:
            raise LoadError(at, f"no such file or directory: {display(target)}")
        if not (stack.schema_set or stack.builtin_pending):
            stack.builtin_pending = any(
                not scopes.is_precomputed(resource.id.gvk) for resource in found
            )
        for resource in found:
            accumulated.append(resource)
    accumulated.config = fieldspecs.merge_transformer_configs(
        accumulated.config,
        _own_config(kustomization.configurations, directory, where, reader),
        where,
    )
    for spec in kustomization.generators:
        pairs = sources.load_pairs(spec, lambda path, at: reader.source(directory, path, at))
        generated = generators.make_resource(spec, pairs)
        if options.validate:
            checked = ((pair.key, validate.check_pair(spec, pair)) for pair in pairs)
            generated.key_findings = {key: found for key, found in checked if found}
        accumulated.generate(spec, generated)
    for number, entry in enumerate(kustomization.components):
        at = f"{where}: components[{number}]"
        component = _component_directory(directory, entry, at, stack)
        # kustomize's component: built into this accumulator, over everything gathered so far
        with stack.building(component):
            _accumulate_target(
                accumulated,
                _load(component, stack, reader, "components", at),
                options,
                stack,
                reader,
            )
    current = stack.schema or schema.default_schema()
    watched = None if stack.schema_set or stack.builtin_parsed else schema.WatchedSchema(current)
    steps = transformers.load_layer(
        kustomization.steps,
        lambda path, at: reader.patch(directory, path, at),
        where,
        watched or current,
    )
    if options.validate:
        accumulated.findings.extend(transformers.check_layer(steps, where))
    if steps:
        transformers.apply_layer(accumulated.resources, steps, accumulated.config, where)
        accumulated.transformed()
    if watched is not None and watched.consulted:
        stack.builtin_parsed = True


def _enter(target: Path, entry: str, at: str, stack: BuildStack) -> Path:
    """The directory to build for the kustomization directory ``target`` (the entry ``entry``
    at ``at``), checked against kgen's depth limit and kustomize's cycle rule."""
    if Path(entry).is_absolute():
        raise LoadError(at, "a kustomization directory must be given as a relative path")
    if len(stack.directories) >= MAX_NESTED_BASES:
        raise LoadError(at, f"bases nested more than {MAX_NESTED_BASES} deep, kgen's limit")
    real = os.path.realpath(target)
    stack.check(real, at)
    return loader.base_directory(target, real)


def _component_directory(directory: Path, entry: str, at: str, stack: BuildStack) -> Path:
    """The directory of the ``components:`` entry ``entry`` (always a directory, as kustomize
    reads it: never a file)."""
    if not entry:
        raise LoadError(at, "an empty entry names no directory")
    if is_remote(entry):
        raise LoadError(at, "remote components (URLs, git) are not supported by kgen")
    target = directory / entry
    if not target.is_dir():
        if target.exists():
            raise LoadError(
                at,
                f"{display(target)} is a file; a component is a directory holding a "
                "kind: Component kustomization",
            )
        raise LoadError(at, f"no such directory: {display(target)}")
    return _enter(target, entry, at, stack)


def _set_schema(
    stack: BuildStack, openapi: dict[str, str], directory: Path, reader: loader.Reader, where: str
) -> None:
    """kustomize's ``openapi.SetSchema``: the top kustomization sets the schema (its
    ``openapi:`` file, a built-in version, or none: the default, still unset); a base or
    component sets it only while nothing has, when kustomize reaches it."""
    at = f"{where}: openapi"
    path = openapi.get("path")
    schema.check_openapi_version(openapi.get("version"), at, has_path=path is not None)
    if path is not None:
        document = yamlio.load_value(reader.patch(directory, path, at), display(directory / path))
        custom = schema.parse_openapi(document, at)
        if stack.builtin_parsed:
            custom = schema.combine(schema.default_schema(), custom)
        elif stack.builtin_pending:
            custom = schema.combine(custom, schema.default_schema())
        stack.schema, stack.schema_set = custom, True
    else:
        stack.schema, stack.schema_set = None, bool(openapi.get("version"))


def _own_config(
    entries: tuple[str, ...], directory: Path, where: str, reader: loader.Reader
) -> fieldspecs.TransformerConfig:
    """kustomize's ``MakeTransformerConfig``: the defaults merged with the kustomization's
    ``configurations:`` files (folded from empty, in order)."""
    custom = fieldspecs.TransformerConfig()
    for number, entry in enumerate(entries):
        at = f"{where}: configurations[{number}]"
        custom = fieldspecs.merge_transformer_configs(
            custom, reader.configuration(directory, entry, at), at
        )
    return fieldspecs.merge_transformer_configs(fieldspecs.BUILTIN_CONFIG, custom, where)


def add_hash_suffixes(accumulated: list[Resource], mode: HashMode) -> None:
    """Append ``-<hash>`` to every generated object that keeps its hash (in place)."""
    for resource in accumulated:
        if resource.needs_hash:
            resource.rename(f"{resource.name}-{hash_suffix(resource.manifest, mode)}")
