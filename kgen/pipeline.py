"""``build()``: one call per pipeline step (see DESIGN.md)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kgen import (
    fieldspecs,
    generators,
    loader,
    namerefs,
    order,
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
from kgen.kustomization import DEPRECATED_FIELDS, Kustomization, is_remote
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
    if options.managed_by_label:
        managedby.add_managed_by_label(ordered)
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
    directory: Path, options: BuildOptions, stack: BuildStack, reader: loader.Reader
) -> Layer:
    """Load one kustomization and everything it includes; run its generators and
    transformers. No hash and no reference fixing: those happen once, at the top."""
    stack.push(os.path.realpath(directory))
    accumulated: list[Resource] = []
    try:
        kustomization = reader.kustomization(directory, display(directory))
        where = display(kustomization.path)
        top = len(stack.directories) == 1
        if top or not stack.schema_set:
            _set_schema(stack, kustomization.openapi, directory, reader, where)
        if not top and kustomization.is_component:
            raise KustomizationError(where, "kind: Component cannot be listed in resources")
        config = fieldspecs.TransformerConfig()  # kustomize's accumulator starts empty
        findings: list[Finding] = []
        if options.validate:
            findings.extend(_deprecations(kustomization, where))
        var_set: variables.VarSet = {}
        index: dict[ResId, Resource] = {}
        for number, entry in enumerate(kustomization.resources):
            at = f"{where}: resources[{number}]"
            target = directory / entry
            child_vars: variables.VarSet = {}
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
                child = accumulate(loader.base_directory(target, real), options, stack, reader)
                config = fieldspecs.merge_transformer_configs(config, child.config, at)
                findings.extend(child.findings)
                found, child_vars = child.resources, child.vars
            elif target.exists():
                found = reader.resources(directory, entry, at)
            else:
                raise LoadError(at, f"no such file or directory: {display(target)}")
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
        ids = generators.IdIndex(accumulated)
        for spec in kustomization.generators:
            pairs = sources.load_pairs(spec, lambda path, at: reader.source(directory, path, at))
            generated = generators.make_resource(spec, pairs)
            if options.validate:
                checked = ((pair.key, validate.check_pair(spec, pair)) for pair in pairs)
                generated.key_findings = {key: found for key, found in checked if found}
            generators.add_generated(accumulated, ids, spec, generated)
        steps = transformers.load_layer(
            kustomization.steps,
            lambda path, at: reader.patch(directory, path, at),
            where,
            stack.schema or schema.default_schema(),
        )
        if options.validate:
            findings.extend(transformers.check_layer(steps, where))
        transformers.apply_layer(accumulated, steps, config, where)
        variables.add_vars(accumulated, kustomization.vars, var_set)
        sort_options = kustomization.sort_options if top else None
        return Layer(accumulated, config, sort_options, findings, var_set)
    except KgenError as exc:
        exc.redact(_secret_texts(accumulated))
        raise
    finally:
        stack.pop()


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
