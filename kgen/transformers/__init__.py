"""The transformer registry: kustomize's built-in transformers of one kustomization, in its order.

kustomize runs them in the order of ``configureBuiltinTransformers``
(``api/internal/target/kusttarget_configplugin.go``): patchesStrategicMerge, patches, namespace,
namePrefix, nameSuffix, labels (``labels`` entries, then ``commonLabels``), commonAnnotations,
patchesJson6902, replicas, images, replacements. Each transformer is one module with a ``parse``
(its kustomization fields -> its settings, pure; ``None`` when there is nothing to do), a
``check`` (what the API server would reject of the settings, as findings; run unless validation
is off) and an ``apply`` (one pure pass over the layer's resources); adding one is a module and
a row of :data:`REGISTRY`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from kgen.fieldspecs import TransformerConfig
from kgen.findings import Finding
from kgen.model import Resource
from kgen.schema import Schema
from kgen.transformers import affix, images, labels, namespace, patches, replacements, replicas

# Functions, not the module: in this package ``annotations`` is the ``__future__`` feature.
from kgen.transformers.annotations import apply as apply_annotations
from kgen.transformers.annotations import check as check_annotations
from kgen.transformers.annotations import parse as parse_annotations

Reader = Callable[[str, str], bytes]
"""(a path relative to the kustomization, where) -> the file's bytes, through the loader."""


class Transformer(NamedTuple):
    name: str
    fields: tuple[str, ...]
    """The kustomization fields it reads."""
    parse: Callable[[Mapping[str, Any], str], Any]
    """(the kustomization's fields by canonical name, where) -> settings, or ``None``."""
    apply: Callable[[list[Resource], Any, TransformerConfig, str], None]
    """(the layer's resources, the settings, the layer's fieldSpecs, where), in place."""
    check: Callable[[Any, str], list[Finding]] = lambda settings, where: []
    """(the settings, where) -> what the API server would reject of them."""
    load: Callable[[Any, Reader, str, Schema], Any] = lambda settings, read, where, schema: settings
    """(the settings, a reader of the kustomization's files, where) -> the settings with the
    files they name read (``patches``); run before any transformer, as kustomize configures
    them all first."""
    kind: str = ""
    """kustomize's builtin plugin it is (``PrefixTransformer``), as build metadata names it."""
    instances: Callable[[Any], int] = lambda settings: 1
    """How many plugins of ``kind`` kustomize runs for the settings (one per entry of a list
    field): each records a transformation in build metadata."""


def _entries(settings: Any) -> int:
    return len(settings.entries)


def _count(settings: Any) -> int:
    return len(settings)


REGISTRY: tuple[Transformer, ...] = (
    Transformer(
        "patchesStrategicMerge",
        ("patchesStrategicMerge",),
        patches.parse_strategic_merge,
        patches.apply,
        load=patches.load,
        kind="PatchStrategicMergeTransformer",
    ),
    Transformer(
        "patches",
        ("patches",),
        patches.parse_patches,
        patches.apply,
        load=patches.load,
        kind="PatchTransformer",
        instances=_entries,
    ),
    Transformer(
        "namespace", ("namespace",), namespace.parse, namespace.apply, kind="NamespaceTransformer"
    ),
    Transformer(
        "namePrefix",
        ("namePrefix",),
        affix.parse_prefix,
        affix.apply_prefix,
        kind="PrefixTransformer",
    ),
    Transformer(
        "nameSuffix",
        ("nameSuffix",),
        affix.parse_suffix,
        affix.apply_suffix,
        kind="SuffixTransformer",
    ),
    Transformer(
        "labels",
        ("labels", "commonLabels"),
        labels.parse,
        labels.apply,
        labels.check,
        kind="LabelTransformer",
        instances=_entries,
    ),
    Transformer(
        "annotations",
        ("commonAnnotations",),
        parse_annotations,
        apply_annotations,
        check_annotations,
        kind="AnnotationsTransformer",
    ),
    Transformer(
        "patchesJson6902",
        ("patchesJson6902",),
        patches.parse_json6902,
        patches.apply,
        load=patches.load,
        kind="PatchJson6902Transformer",
        instances=_entries,
    ),
    Transformer(
        "replicas",
        ("replicas",),
        replicas.parse,
        replicas.apply,
        replicas.check,
        kind="ReplicaCountTransformer",
        instances=_count,
    ),
    Transformer(
        "images",
        images.FIELDS,
        images.parse,
        images.apply,
        images.check,
        kind="ImageTagTransformer",
        instances=_count,
    ),
    Transformer(
        "replacements",
        replacements.FIELDS,
        replacements.parse,
        replacements.apply,
        load=replacements.load,
        kind="ReplacementTransformer",
    ),
)
"""Every transformer kgen implements, in kustomize's order."""

FIELDS: tuple[str, ...] = tuple(field for row in REGISTRY for field in row.fields)
"""Every kustomization field the registry reads."""

Step = tuple[Transformer, Any]
"""A transformer and the settings one kustomization gives it."""


def parse_steps(fields: Mapping[str, Any], where: str) -> tuple[Step, ...]:
    """The transformers a kustomization runs, with their settings, in order (pure)."""
    steps = []
    for row in REGISTRY:
        settings = row.parse(fields, where)
        if settings is not None:
            steps.append((row, settings))
    return tuple(steps)


def load_layer(
    steps: tuple[Step, ...], read: Reader, where: str, schema: Schema
) -> tuple[Step, ...]:
    """The steps with the files their settings name read, before any runs."""
    return tuple((row, row.load(settings, read, where, schema)) for row, settings in steps)


def check_layer(steps: tuple[Step, ...], where: str) -> list[Finding]:
    """What the API server would reject of one kustomization's transformer settings."""
    return [finding for row, settings in steps for finding in row.check(settings, where)]


def apply_layer(
    resources: list[Resource],
    steps: tuple[Step, ...],
    config: TransformerConfig,
    where: str,
    record: Callable[[list[Resource], str, int], None] | None = None,
) -> None:
    """Run one kustomization's transformers over its resources (in place); ``record`` (the
    resources, a plugin kind, how many ran) notes each row's transformations in build
    metadata, when it is tracked."""
    for row, settings in steps:
        row.apply(resources, settings, config, where)
        if record is not None:
            record(resources, row.kind, row.instances(settings))
