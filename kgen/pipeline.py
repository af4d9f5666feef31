"""``build()``: one call per pipeline step (see DESIGN.md)."""

from __future__ import annotations

import copy
import functools
import os
import posixpath
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from kgen import (
    buildmetadata,
    fieldspecs,
    generators,
    loader,
    namerefs,
    order,
    plugins,
    resources,
    schema,
    scopes,
    sources,
    transformers,
    validate,
    variables,
    yamlio,
)
from kgen.errors import KgenError, KustomizationError, LoadError, ResourceError, redact
from kgen.findings import Finding
from kgen.hashing import HashMode, hash_suffix
from kgen.kustomization import (
    DEPRECATED_FIELDS,
    GeneratorSpec,
    Kustomization,
    PluginField,
    is_remote,
)
from kgen.loader import MAX_NESTED_BASES
from kgen.model import (
    Manifest,
    Origin,
    ResId,
    Resource,
    SortOptions,
    collision_key,
    describe_id,
    repeated_id,
)
from kgen.options import LoadRestrictor, Reorder
from kgen.paths import display
from kgen.records import NamedTuple
from kgen.transformers import managedby


class BuildOptions(NamedTuple):
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


class Build(NamedTuple):
    """The objects of the output stream, and what validation found (nothing when off)."""

    manifests: list[Manifest]
    findings: list[Finding]
    """What validation found (all of it, unless :attr:`stream_check` is still to run)."""
    hidden_keys: frozenset[str] = frozenset()
    """Data keys made of env-file lines that may hold a value: ``--check`` redacts them."""
    stream_check: Callable[[], list[Finding]] | None = None
    """The validation of the finished stream, when ``build(..., defer_stream_check=True)``
    left it to the caller (to run beside the emit: :func:`kgen.parallel.emit_checked`)."""


class Layer(NamedTuple):
    """What one kustomization contributes: its objects and the reference table it knows."""

    resources: list[Resource]
    config: fieldspecs.TransformerConfig
    sort_options: SortOptions | None
    findings: list[Finding]
    vars: variables.VarSet
    """The vars it knows: its bases', then its own."""
    build_metadata: tuple[str, ...] = ()
    """The top kustomization's ``buildMetadata`` (kustomize reads no other)."""


def build(
    root: Path,
    options: BuildOptions,
    files: loader.Loader | None = None,
    *,
    defer_stream_check: bool = False,
) -> Build:
    """Build the kustomization in ``root`` into the objects of the output stream.

    ``files`` is the run's loader (its restrictor must be ``options``'), shared by the roots of
    one run; without one, the build has a loader of its own, prefetched for ``root``.
    ``defer_stream_check``: the validation of the finished stream is left in
    :attr:`Build.stream_check` for the caller to run (the other findings are in)."""
    if files is None:
        files = loader.Loader(restrict=options.restrict)
        files.prefetch([root])
    layer = accumulate(root, options, BuildStack(), files.reader())
    try:
        return _finish(layer, options, defer_stream_check=defer_stream_check)
    except KgenError as exc:
        exc.redact(_secret_texts(layer.resources))
        raise


def _secret_texts(accumulated: list[Resource]) -> list[str]:
    return [text for resource in accumulated for text in resource.secret_texts]


def _redacted(finding: Finding, secrets: list[str]) -> Finding:
    if not secrets:
        return finding
    return finding._replace(
        where=redact(finding.where, secrets), message=redact(finding.message, secrets)
    )


def _finish(layer: Layer, options: BuildOptions, *, defer_stream_check: bool) -> Build:
    """The top of the build: hash suffixes, references, validation, order."""
    add_hash_suffixes(layer.resources, options.hash_mode)
    namerefs.rewrite_references(layer.resources, layer.config.name_references)
    unused = variables.resolve_vars(layer.resources, layer.vars, layer.config.var_reference)
    kept = [res for res in layer.resources if not resources.is_local_config(res)]
    _unique_final_ids(kept)
    generators.check_writable(kept)
    stream_check = None
    if options.validate:
        layer.findings.extend(unused)
        layer.findings.extend(generators.surviving_findings(kept))
        references = layer.config.name_references
        stream_check = functools.partial(validate.check_stream, kept, references)
    default_order = SortOptions() if options.reorder == "legacy" else SortOptions(order="fifo")
    ordered = order.order_resources(kept, layer.sort_options or default_order)
    if options.managed_by_label or buildmetadata.MANAGED_BY_LABEL in layer.build_metadata:
        managedby.add_managed_by_label(ordered)
    buildmetadata.annotate(ordered, layer.build_metadata)
    hidden = frozenset(key for res in ordered for key in res.hidden_keys)
    secrets = _secret_texts(layer.resources)
    findings = [_redacted(finding, secrets) for finding in layer.findings]
    deferred: Callable[[], list[Finding]] | None = None
    if stream_check is not None:
        check = stream_check

        def deferred() -> list[Finding]:
            return [_redacted(finding, secrets) for finding in check()]

        if not defer_stream_check:
            findings.extend(deferred())
            deferred = None
    return Build([res.manifest for res in ordered], findings, hidden, deferred)


def _unique_final_ids(kept: list[Resource]) -> None:
    """No two objects of the stream with one id (``""`` is ``default``): kustomize makes its
    final map anew from them (``IgnoreLocal``), which panics on a second object with an id
    that a patch or a replacement gave it. kgen refuses it, naming both."""
    repeated = repeated_id(kept)
    if repeated is not None:
        resource, first = repeated
        raise ResourceError(
            resource.origin,
            f"ends the build as {describe_id(resource.id)}, as {first.origin} does (a patch or "
            "a replacement gave them one id): kustomize panics on it (may not add resource "
            "with an already registered id)",
        )


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
        self.track = False
        """Whether origins are tracked: the top kustomization has ``buildMetadata``."""
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


class Accumulator:
    """kustomize's ``ResAccumulator``: the objects a kustomization has gathered so far (its
    resources and bases, its generators' objects, what its components added and changed) and
    the fieldSpecs that came with them. A component builds into its parent's accumulator.

    Two indexes follow the objects as they are added, so that a component that adds objects or
    runs generators costs what it adds, not what came before it: by current id, for kustomize's
    collision check, and by every id, for generators' merge/replace. Transformers may change any
    id: after them, both are rebuilt when next needed (a transformer costs as much anyway)."""

    __slots__ = ("_by_id", "_ids", "config", "findings", "resources", "vars")

    def __init__(self) -> None:
        self.resources: list[Resource] = []
        self.config = fieldspecs.TransformerConfig()
        self.findings: list[Finding] = []
        self.vars: variables.VarSet = {}
        """The vars it knows: its bases', its own and its components'."""
        self._by_id: dict[ResId, Resource] | None = None
        """The resources by current id (``""`` is ``default``); ``None``: to rebuild."""
        self._ids: generators.IdIndex | None = None
        """The resources by current and previous ids; ``None``: to rebuild."""

    def append(self, resource: Resource) -> None:
        """kustomize's ``Append``: no two objects with one current id."""
        by_id = self._current_ids()
        key = collision_key(resource.id)
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
        self._current_ids()[collision_key(generated.id)] = generated

    def transformed(self) -> None:
        """Transformers ran: ids may have changed."""
        self._by_id = None
        self._ids = None

    def _current_ids(self) -> dict[ResId, Resource]:
        if self._by_id is None:
            self._by_id = {}
            for known in self.resources:
                self._by_id.setdefault(collision_key(known.id), known)
        return self._by_id


def accumulate(
    directory: Path, options: BuildOptions, stack: BuildStack, reader: loader.Reader
) -> Layer:
    """Load the top kustomization and everything it includes; run its generators, components
    and transformers. No hash and no reference fixing: those happen once, at the top."""
    with stack.building(directory):
        kustomization = _load(directory, stack, reader, "resources", "")
        stack.track = bool(kustomization.build_metadata)
        accumulated = Accumulator()
        try:
            _accumulate_target(accumulated, kustomization, options, stack, reader, origin="")
        except KgenError as exc:
            exc.redact(_secret_texts(accumulated.resources))
            raise
    return Layer(
        accumulated.resources,
        accumulated.config,
        kustomization.sort_options,
        accumulated.findings,
        accumulated.vars,
        kustomization.build_metadata,
    )


ListedAs = Literal["resources", "components"]
"""The field that lists a kustomization directory (the top one is built as a base is)."""


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
    *,
    origin: str,
) -> None:
    """kustomize's ``accumulateTarget``: resources (bases built whole), configurations, crds,
    generators (its own, then its generator plugins'), components (in order, each over
    everything accumulated), then this kustomization's transformers, transformer plugins and
    validators over all of it, and its vars. ``origin`` is the directory as build metadata
    names it: its path from the top kustomization's."""
    directory = kustomization.root
    where = display(kustomization.path)
    context = _Context(directory, options, stack, reader, origin)
    if options.validate:
        accumulated.findings.extend(_deprecations(kustomization, where))
    for number, entry in enumerate(kustomization.resources):
        at = f"{where}: resources[{number}]"
        base = _base(entry, at, context)
        if base is None:
            found = _load_file(entry, at, context)
        else:
            child = _kept_base(base, at, context)
            if child is None:
                child = Accumulator()
                state = _KeptState.start(context)
                with stack.building(base.directory):  # one frame per level: this one recurses
                    try:
                        _accumulate_target(
                            child,
                            _load(base.directory, stack, reader, "resources", at),
                            options,
                            stack,
                            reader,
                            origin=base.origin,
                        )
                    except KgenError as exc:
                        exc.redact(_secret_texts(child.resources))
                        raise
                _keep_base(base, child, state, context)
            accumulated.config = fieldspecs.merge_transformer_configs(
                accumulated.config, child.config, at
            )
            accumulated.findings.extend(child.findings)
            variables.merge_var_set(accumulated.vars, child.vars, at)
            found = child.resources
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
    if kustomization.crds:
        accumulated.config = fieldspecs.merge_transformer_configs(
            accumulated.config, _crds_config(kustomization.crds, directory, where, reader), where
        )
    configured_in = _origin_path(origin, kustomization.path.name)
    specs: list[tuple[GeneratorSpec, Origin | None]] = [
        (spec, _builtin_origin(configured_in, f"{spec.kind}Generator"))
        for spec in kustomization.generators
    ]
    for plugin in _plugin_configs(kustomization, "generators", where, context):
        specs.append((plugins.generator_spec(plugin), plugin.origin()))
    undecrypted = reader.loader.decryptor.undecrypted
    for spec, generator_origin in specs:
        before = len(undecrypted)
        pairs = sources.load_pairs(spec, lambda path, at: reader.source(directory, path, at))
        if options.validate:
            accumulated.findings.extend(
                validate.undecrypted_source(source.where, source.file)
                for source in undecrypted[before:]
            )
        generated = generators.make_resource(spec, pairs)
        if stack.track:
            generated.build_origin = generator_origin
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
                origin=_origin_path(origin, entry),
            )
    _transform(accumulated, kustomization, context, configured_in)


class _StackState(NamedTuple):
    """What building a base may change of the build's stack (see :class:`BuildStack`)."""

    schema: schema.Schema | None
    schema_set: bool
    builtin_parsed: bool
    builtin_pending: bool

    @classmethod
    def of(cls, stack: BuildStack) -> _StackState:
        return cls(stack.schema, stack.schema_set, stack.builtin_parsed, stack.builtin_pending)

    def restore(self, stack: BuildStack) -> None:
        stack.schema, stack.schema_set = self.schema, self.schema_set
        stack.builtin_parsed, stack.builtin_pending = self.builtin_parsed, self.builtin_pending


class _KeptBase(NamedTuple):
    """A base built whole, kept for the run's other roots: its accumulation pickled (each use
    gets its own copy to transform), the stack state it left and what building it cost."""

    pickled: bytes
    after: _StackState
    bytes_read: int
    parsed: int
    expanded: int


class _KeptState(NamedTuple):
    """The stack and budgets as a base's build starts, to keep what the build did."""

    before: _StackState
    bytes_read: int
    parsed: int
    expanded: int

    @classmethod
    def start(cls, context: _Context) -> _KeptState:
        reader = context.reader
        return cls(
            _StackState.of(context.stack),
            reader.bytes.spent,
            reader.nodes.parsed,
            reader.nodes.expanded,
        )


def _base_key(
    base: _Base, context: _Context, before: _StackState
) -> tuple[str, BuildOptions, _StackState] | None:
    """What a base's build depends on besides its files: its directory, the options and the
    stack state it starts from (``before``); ``None`` when it is not kept (origins tracked, a
    schema of the kustomization's own in use, or no other build of the run includes it)."""
    if context.stack.track or before.schema is not None:
        return None
    if context.reader.loader.base_uses.get(base.real, 0) < 2:
        return None  # no other build of the run includes it
    return (base.real, context.options, before)


def _kept_base(base: _Base, at: str, context: _Context) -> Accumulator | None:
    """A copy of the accumulation of ``base`` when another root of the run
    built it, else ``None`` (the caller builds it, then :func:`_keep_base`).

    A base is built as a kustomization of its own, from its files alone, so the roots of one
    run that include it (100 overlays of one base) build it once: the later ones take a copy,
    charged to their budget what the first build read and parsed (built again when that
    would exceed it, so the error is the same), the stack left as the first build left it."""
    import pickle

    key = _base_key(base, context, _StackState.of(context.stack))
    kept = None if key is None else context.reader.loader.bases.get(key)
    reader = context.reader
    if (
        kept is None
        or not reader.bytes.fits(kept.bytes_read)
        or not reader.nodes.fits(kept.parsed, kept.expanded)
    ):
        return None
    where = f"{at}: {display(base.directory)}"
    reader.bytes.spend(kept.bytes_read, base.directory, where)
    reader.nodes.charge(kept.parsed, kept.expanded, where)
    kept.after.restore(context.stack)
    copied: Accumulator = pickle.loads(kept.pickled)  # noqa: S301 - our own bytes
    return copied


def _keep_base(base: _Base, child: Accumulator, state: _KeptState, context: _Context) -> None:
    """Keep the base just built for the run's other roots (see :func:`_kept_base`)."""
    import pickle

    key = _base_key(base, context, state.before)
    if key is None:
        return
    reader = context.reader
    reader.loader.bases[key] = _KeptBase(
        pickle.dumps(child, protocol=pickle.HIGHEST_PROTOCOL),
        _StackState.of(context.stack),
        reader.bytes.spent - state.bytes_read,
        reader.nodes.parsed - state.parsed,
        reader.nodes.expanded - state.expanded,
    )


def _transform(
    accumulated: Accumulator, kustomization: Kustomization, context: _Context, configured_in: str
) -> None:
    """One kustomization's transformers (the registry's, then its transformer plugins'), its
    validators, then its vars, over everything it accumulated."""
    directory, stack, options = context.directory, context.stack, context.options
    where = display(kustomization.path)
    current = stack.schema or schema.default_schema()
    watched = None if stack.schema_set or stack.builtin_parsed else schema.WatchedSchema(current)

    def read(path: str, at: str) -> bytes:
        return context.reader.patch(directory, path, at)

    steps = transformers.load_layer(kustomization.steps, read, where, watched or current)
    external = _prepared(
        _plugin_configs(kustomization, "transformers", where, context), read, watched or current
    )
    if options.validate:
        accumulated.findings.extend(transformers.check_layer(steps, where))
    record = _recorder(configured_in) if stack.track else None
    if steps:
        transformers.apply_layer(accumulated.resources, steps, accumulated.config, where, record)
        accumulated.transformed()
    runtime = plugins.Runtime(accumulated.config, options.hash_mode)
    for plugin, prepared in external:
        prepared.run(accumulated.resources, runtime)
        accumulated.transformed()
        plugin_origin = plugin.origin()
        if plugin_origin is not None:
            _add_transformation(accumulated.resources, plugin_origin, 1)
    validators = _prepared(
        _plugin_configs(kustomization, "validators", where, context), read, watched or current
    )
    for plugin, prepared in validators:
        _validate(accumulated.resources, plugin, prepared, runtime)
    if watched is not None and watched.consulted:
        stack.builtin_parsed = True
    variables.add_vars(accumulated.resources, kustomization.vars, accumulated.vars)


class _Context(NamedTuple):
    """What loading the entries of one kustomization needs."""

    directory: Path
    options: BuildOptions
    stack: BuildStack
    reader: loader.Reader
    origin: str


class _Base(NamedTuple):
    """A kustomization directory an entry names: the path it is built from, its origin path
    (as build metadata names it) and its real path."""

    directory: Path
    origin: str
    real: str


def _base(entry: str, at: str, context: _Context) -> _Base | None:
    """The kustomization directory an entry names, checked; ``None`` for a file (the caller
    recurses: the build recurses once per level, no more)."""
    target = context.directory / entry
    if is_remote(entry):
        raise LoadError(at, "remote resources (URLs, git) are not supported by kgen")
    if not target.is_dir():
        return None
    if Path(entry).is_absolute():
        raise LoadError(at, "a kustomization directory must be given as a relative path")
    if len(context.stack.directories) >= MAX_NESTED_BASES:
        raise LoadError(at, f"bases nested more than {MAX_NESTED_BASES} deep, kgen's limit")
    real = os.path.realpath(target)
    context.stack.check(real, at)
    return _Base(loader.base_directory(target, real), _origin_path(context.origin, entry), real)


def _load_file(entry: str, at: str, context: _Context) -> list[Resource]:
    """The objects of a resource (or plugin config) file, with their origin when tracked."""
    target = context.directory / entry
    if not target.exists():
        raise LoadError(at, f"no such file or directory: {display(target)}")
    found = context.reader.resources(context.directory, entry, at)
    if context.stack.track:
        file_origin = Origin(path=_origin_path(context.origin, entry))
        for resource in found:
            resource.build_origin = file_origin
    return found


def _load_entry(entry: str, at: str, context: _Context) -> list[Resource]:
    """The objects of a plugin config entry: a file's, or a kustomization directory's
    (kustomize's ``accumulateResources``)."""
    base = _base(entry, at, context)
    if base is None:
        return _load_file(entry, at, context)
    child = Accumulator()
    with context.stack.building(base.directory):
        kustomization = _load(base.directory, context.stack, context.reader, "resources", at)
        _accumulate_target(
            child,
            kustomization,
            context.options,
            context.stack,
            context.reader,
            origin=base.origin,
        )
    return child.resources


def _plugin_configs(
    kustomization: Kustomization, field: PluginField, where: str, context: _Context
) -> list[plugins.Config]:
    """The plugin config objects of ``generators:``/``transformers:``/``validators:``, as
    kustomize gathers them: the inline configs first, in order, then those of the file and
    directory entries, in order (two with one id are an error)."""
    entries = kustomization.plugins.get(field, ())
    if not entries:
        return []
    inline: list[tuple[Resource, str]] = []
    paths: list[tuple[str, str]] = []
    for number, entry in enumerate(entries):
        at = f"{where}: {field}[{number}]"
        documents = plugins.inline_configs(entry, at)
        if documents is None:
            paths.append((entry, at))
            continue
        configured_in = Origin(path=_origin_path(context.origin, kustomization.path.name))
        for resource in documents:
            if context.stack.track:
                resource.build_origin = configured_in
            inline.append((resource, at))
    found = inline + [
        (resource, at) for entry, at in paths for resource in _load_entry(entry, at, context)
    ]
    index: dict[ResId, Resource] = {}
    configs = []
    for resource, at in found:
        _append([], index, resource)
        configs.append(plugins.Config(resource, f"{at} ({plugins.describe(resource)})"))
    return configs


def _prepared(
    configs: list[plugins.Config], read: transformers.Reader, current: schema.Schema
) -> list[tuple[plugins.Config, plugins.Prepared]]:
    """Each transformer config parsed and its files read, before any transformer runs."""
    prepared = []
    for plugin in configs:
        ready = plugins.prepare_transformer(plugin)
        if ready.load is not None:
            ready = ready.load(read, current)
        prepared.append((plugin, ready))
    return prepared


def _validate(
    accumulated: list[Resource],
    plugin: plugins.Config,
    prepared: plugins.Prepared,
    runtime: plugins.Runtime,
) -> None:
    """kustomize's ``runValidators``: a validator runs over a copy, and must change nothing."""
    copied = copy.deepcopy(accumulated)
    prepared.run(copied, runtime)
    if [res.manifest for res in copied] != [res.manifest for res in accumulated]:
        raise KustomizationError(plugin.at, "validator shouldn't modify the resource map")


def _origin_path(*parts: str) -> str:
    """Go's ``filepath.Join``: the non-empty parts joined and cleaned (``""`` for none)."""
    joined = "/".join(part for part in parts if part)
    return posixpath.normpath(joined) if joined else ""


def _builtin_origin(configured_in: str, kind: str) -> Origin:
    return Origin(configured_in=configured_in, configured_by=("builtin", kind, "", ""))


def _recorder(configured_in: str) -> Callable[[list[Resource], str, int], None]:
    def record(resources: list[Resource], kind: str, times: int) -> None:
        _add_transformation(resources, _builtin_origin(configured_in, kind), times)

    return record


def _add_transformation(resources: list[Resource], origin: Origin, times: int) -> None:
    """kustomize's ``AddTransformerAnnotation``, ``times`` over: an object without an origin
    takes the transformer's as its origin; others record it as a transformation."""
    for resource in resources:
        for _ in range(times):
            if resource.build_origin is None:
                resource.build_origin = origin
            else:
                resource.transformations.append(origin)


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
    stack: BuildStack,
    openapi: Mapping[str, str],
    directory: Path,
    reader: loader.Reader,
    where: str,
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


def _deprecations(kustomization: Kustomization, where: str) -> list[Finding]:
    """kustomize's ``CheckDeprecatedFields`` warnings, as findings."""
    return [
        Finding(
            "deprecated-field",
            f"{where}: {name}",
            f"deprecated by kustomize: use '{DEPRECATED_FIELDS[name]}' instead",
        )
        for name in kustomization.deprecated
    ]


def _crds_config(
    entries: tuple[str, ...], directory: Path, where: str, reader: loader.Reader
) -> fieldspecs.TransformerConfig:
    """kustomize's ``LoadConfigFromCRDs``: the field specs of the ``crds:`` files, folded from
    empty in order (merged into the layer's config after its ``configurations:``)."""
    config = fieldspecs.TransformerConfig()
    for number, entry in enumerate(entries):
        at = f"{where}: crds[{number}]"
        config = fieldspecs.merge_transformer_configs(config, reader.crds(directory, entry, at), at)
    return config


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
