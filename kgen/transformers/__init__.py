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
from importlib import import_module
from typing import TYPE_CHECKING, Any

from kgen.records import NamedTuple

if TYPE_CHECKING:
    from kgen.fieldspecs import TransformerConfig
    from kgen.findings import Finding
    from kgen.model import Resource
    from kgen.schema import Schema

Reader = Callable[[str, str], bytes]
"""(a path relative to the kustomization, where) -> the file's bytes, through the loader."""


def _no_findings(settings: Any, where: str) -> list[Finding]:
    del settings, where
    return []


class Transformer(NamedTuple):
    name: str
    fields: tuple[str, ...]
    """The kustomization fields it reads."""
    parse: Callable[[Mapping[str, Any], str], Any]
    """(the kustomization's fields by canonical name, where) -> settings, or ``None``."""
    apply: Callable[[list[Resource], Any, TransformerConfig, str], None]
    """(the layer's resources, the settings, the layer's fieldSpecs, where), in place."""
    check: Callable[[Any, str], list[Finding]] = _no_findings
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


def lazy(module: str, name: str) -> Callable[..., Any]:
    """``kgen.transformers.<module>.<name>``, imported at its first call: a build imports
    the transformers its kustomizations use, not all of them (start-up)."""

    def call(*args: Any, **keywords: Any) -> Any:
        return getattr(import_module(f"kgen.transformers.{module}"), name)(*args, **keywords)

    call.__qualname__ = call.__name__ = f"{module}.{name}"
    return call


class lazy_module:  # noqa: N801 - stands for a module
    """A transformer module, imported at the first use of one of its names."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(import_module(f"kgen.transformers.{self._name}"), attribute)


def _entries(settings: Any) -> int:
    return len(settings.entries)


def _count(settings: Any) -> int:
    return len(settings)


REGISTRY: tuple[Transformer, ...] = (
    Transformer(
        "patchesStrategicMerge",
        ("patchesStrategicMerge",),
        lazy("patches", "parse_strategic_merge"),
        lazy("patches", "apply"),
        load=lazy("patches", "load"),
        kind="PatchStrategicMergeTransformer",
    ),
    Transformer(
        "patches",
        ("patches",),
        lazy("patches", "parse_patches"),
        lazy("patches", "apply"),
        load=lazy("patches", "load"),
        kind="PatchTransformer",
        instances=_entries,
    ),
    Transformer(
        "namespace",
        ("namespace",),
        lazy("namespace", "parse"),
        lazy("namespace", "apply"),
        kind="NamespaceTransformer",
    ),
    Transformer(
        "namePrefix",
        ("namePrefix",),
        lazy("affix", "parse_prefix"),
        lazy("affix", "apply_prefix"),
        kind="PrefixTransformer",
    ),
    Transformer(
        "nameSuffix",
        ("nameSuffix",),
        lazy("affix", "parse_suffix"),
        lazy("affix", "apply_suffix"),
        kind="SuffixTransformer",
    ),
    Transformer(
        "labels",
        ("labels", "commonLabels"),
        lazy("labels", "parse"),
        lazy("labels", "apply"),
        lazy("labels", "check"),
        kind="LabelTransformer",
        instances=_entries,
    ),
    Transformer(
        "annotations",
        ("commonAnnotations",),
        lazy("annotations", "parse"),
        lazy("annotations", "apply"),
        lazy("annotations", "check"),
        kind="AnnotationsTransformer",
    ),
    Transformer(
        "patchesJson6902",
        ("patchesJson6902",),
        lazy("patches", "parse_json6902"),
        lazy("patches", "apply"),
        load=lazy("patches", "load"),
        kind="PatchJson6902Transformer",
        instances=_entries,
    ),
    Transformer(
        "replicas",
        ("replicas",),
        lazy("replicas", "parse"),
        lazy("replicas", "apply"),
        lazy("replicas", "check"),
        kind="ReplicaCountTransformer",
        instances=_count,
    ),
    Transformer(
        "images",
        ("images", "imageTags"),
        lazy("images", "parse"),
        lazy("images", "apply"),
        lazy("images", "check"),
        kind="ImageTagTransformer",
        instances=_count,
    ),
    Transformer(
        "replacements",
        ("replacements",),
        lazy("replacements", "parse"),
        lazy("replacements", "apply"),
        load=lazy("replacements", "load"),
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
        if not any(field in fields for field in row.fields):
            continue  # nothing to parse (each parse gives None then): its module stays unloaded
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
