"""``build()``: one call per pipeline step (see DESIGN.md)."""

from __future__ import annotations

import copy
import functools
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
from kgen.model import Manifest, Origin, ResId, Resource, SortOptions
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
    """What validation found (all of it, unless :attr:`stream_check` is still to run)."""
    hidden_keys: frozenset[str] = frozenset()
    """Data keys made of env-file lines that may hold a value: ``--check`` redacts them."""
    stream_check: Callable[[], list[Finding]] | None = None
    """The validation of the finished stream, when ``build(..., defer_stream_check=True)``
    left it to the caller (to run beside the emit: :func:`kgen.parallel.emit_checked`)."""


@dataclass
class Layer:
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


def accumulate(
    directory: Path,
    options: BuildOptions,
    stack: BuildStack,
    reader: loader.Reader,
    origin: str = "",
) -> Layer:
    """Load one kustomization and everything it includes; run its generators and
    transformers. No hash and no reference fixing: those happen once, at the top. ``origin``
    is the directory as build metadata names it: its path from the top kustomization's."""
    stack.push(os.path.realpath(directory))
    accumulated: list[Resource] = []
    try:
        kustomization = reader.kustomization(directory, display(directory))
        where = display(kustomization.path)
        top = len(stack.directories) == 1
        if top:
            stack.track = bool(kustomization.build_metadata)
        if top or not stack.schema_set:
            _set_schema(stack, kustomization.openapi, directory, reader, where)
        if not top and kustomization.is_component:
            raise KustomizationError(where, "kind: Component cannot be listed in resources")
        context = _Context(directory, options, stack, reader, origin)
        config = fieldspecs.TransformerConfig()  # kustomize's accumulator starts empty
        findings: list[Finding] = []
        if options.validate:
            findings.extend(_deprecations(kustomization, where))
        var_set: variables.VarSet = {}
        index: dict[ResId, Resource] = {}
        for number, entry in enumerate(kustomization.resources):
            at = f"{where}: resources[{number}]"
            child_vars: variables.VarSet = {}
            base = _base(entry, at, context)
            if base is None:
                found = _load_file(entry, at, context)
            else:
                child = accumulate(base[0], options, stack, reader, base[1])
                config = fieldspecs.merge_transformer_configs(config, child.config, at)
                findings.extend(child.findings)
                found, child_vars = child.resources, child.vars
            for resource in found:
                _append(accumulated, index, resource)
            variables.merge_var_set(var_set, child_vars, at)
        config = fieldspecs.merge_transformer_configs(
            config, _own_config(kustomization.configurations, directory, where, reader), where
        )
        if kustomization.crds:
            config = fieldspecs.merge_transformer_configs(
                config, _crds_config(kustomization.crds, directory, where, reader), where
            )
        configured_in = _origin_path(origin, kustomization.path.name)
        ids = generators.IdIndex(accumulated)
        specs: list[tuple[GeneratorSpec, Origin | None]] = [
            (spec, _builtin_origin(configured_in, f"{spec.kind}Generator"))
            for spec in kustomization.generators
        ]
        for plugin in _plugin_configs(kustomization, "generators", where, context):
            specs.append((plugins.generator_spec(plugin), plugin.origin()))
        for spec, generator_origin in specs:
            pairs = sources.load_pairs(spec, lambda path, at: reader.source(directory, path, at))
            generated = generators.make_resource(spec, pairs)
            if stack.track:
                generated.build_origin = generator_origin
            if options.validate:
                checked = ((pair.key, validate.check_pair(spec, pair)) for pair in pairs)
                generated.key_findings = {key: found for key, found in checked if found}
            generators.add_generated(accumulated, ids, spec, generated)
        current_schema = stack.schema or schema.default_schema()

        def read(path: str, at: str) -> bytes:
            return reader.patch(directory, path, at)

        steps = transformers.load_layer(kustomization.steps, read, where, current_schema)
        external = _prepared(
            _plugin_configs(kustomization, "transformers", where, context), read, current_schema
        )
        if options.validate:
            findings.extend(transformers.check_layer(steps, where))
        record = _recorder(configured_in) if stack.track else None
        transformers.apply_layer(accumulated, steps, config, where, record)
        runtime = plugins.Runtime(config, options.hash_mode)
        for plugin, prepared in external:
            prepared.run(accumulated, runtime)
            plugin_origin = plugin.origin()
            if plugin_origin is not None:
                _add_transformation(accumulated, plugin_origin, 1)
        validators = _prepared(
            _plugin_configs(kustomization, "validators", where, context), read, current_schema
        )
        for plugin, prepared in validators:
            _validate(accumulated, plugin, prepared, runtime)
        variables.add_vars(accumulated, kustomization.vars, var_set)
        sort_options = kustomization.sort_options if top else None
        build_metadata = kustomization.build_metadata if top else ()
        return Layer(accumulated, config, sort_options, findings, var_set, build_metadata)
    except KgenError as exc:
        exc.redact(_secret_texts(accumulated))
        raise
    finally:
        stack.pop()


@dataclass(frozen=True)
class _Context:
    """What loading the entries of one kustomization needs."""

    directory: Path
    options: BuildOptions
    stack: BuildStack
    reader: loader.Reader
    origin: str


def _base(entry: str, at: str, context: _Context) -> tuple[Path, str] | None:
    """The kustomization directory an entry names, checked, with its origin path; ``None``
    for a file (the caller recurses: the build recurses once per level, no more)."""
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
    return loader.base_directory(target, real), _origin_path(context.origin, entry)


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
    return accumulate(base[0], context.options, context.stack, context.reader, base[1]).resources


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
        stack.schema, stack.schema_set = schema.parse_openapi(document, at), True
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
