"""``labels`` and ``commonLabels``: kustomize's LabelTransformer (``api/filters/labels``), as
``configureBuiltinTransformers`` sets it up (``api/internal/target/kusttarget_configplugin.go``).

One transformer per ``labels`` entry, in list order, then one for ``commonLabels``. An entry's
fieldSpecs are its own ``fields``, merged with the ``labels`` fieldSpecs of the layer's config,
then with the ``commonLabels`` fieldSpecs when ``includeSelectors`` (selectors, workload
``matchLabels``, pod templates, ``metadata/labels``), else with the ``templateLabels`` fieldSpecs
when ``includeTemplates``, and with ``metadata/labels`` (created). ``commonLabels`` uses the
``commonLabels`` fieldSpecs as they are. Each label, in sorted key order, is set as a string on
every field found (or created) there, replacing the value it had.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen import patterns
from kgen.decode import boolean, lowered, string_map
from kgen.errors import KustomizationError, ResourceError, describe_type, quote
from kgen.fieldspecs import (
    FieldSpec,
    FieldSpecConflictError,
    TransformerConfig,
    join_path,
    merge_field_specs,
    parse_field_spec,
    selects,
)
from kgen.findings import Finding
from kgen.model import Gvk, Resource
from kgen.records import NamedTuple
from kgen.walker import Visit, walk

Pairs = tuple[tuple[str, str], ...]
_ENTRY_FIELDS = ("pairs", "includeSelectors", "includeTemplates", "fields")
_METADATA_LABELS = FieldSpec("", "", "", ("metadata", "labels"), create=True)


class LabelEntry(NamedTuple):
    """One ``labels`` entry, or ``commonLabels`` (``common``)."""

    field: str
    """How messages name it: ``labels[0]`` or ``commonLabels``."""
    pairs: Pairs
    include_selectors: bool = False
    include_templates: bool = False
    fields: tuple[FieldSpec, ...] = ()
    common: bool = False


class Labels(NamedTuple):
    """A kustomization's label transformers, in the order kustomize runs them."""

    entries: tuple[LabelEntry, ...]


def parse(fields: Mapping[str, Any], where: str) -> Labels | None:
    value = fields.get("labels")
    common = string_map(fields.get("commonLabels"), where, "commonLabels")
    if value is None:
        value = []
    if not isinstance(value, list):
        raise KustomizationError(where, f"labels: expected a list, got {describe_type(value)}")
    if not value and not common:
        return None
    entries = [_entry(entry, where, f"labels[{index}]") for index, entry in enumerate(value)]
    entries.append(LabelEntry("commonLabels", common, common=True))
    return Labels(tuple(entries))


def _entry(data: Any, where: str, at: str) -> LabelEntry:
    if data is None:  # JSON null decodes to the zero value: an entry that sets nothing
        return LabelEntry(at, ())
    if not isinstance(data, dict):
        raise KustomizationError(where, f"{at}: expected a mapping, got {describe_type(data)}")
    values = lowered(data, _ENTRY_FIELDS, f"{where}: {at}")
    specs = values.get("fields")
    if specs is None:
        specs = []
    if not isinstance(specs, list):
        raise KustomizationError(where, f"{at}.fields: expected a list, got {describe_type(specs)}")
    return LabelEntry(
        at,
        string_map(values.get("pairs"), where, f"{at}.pairs"),
        include_selectors=boolean(values.get("includeSelectors"), where, f"{at}.includeSelectors"),
        include_templates=boolean(values.get("includeTemplates"), where, f"{at}.includeTemplates"),
        fields=tuple(
            parse_field_spec(spec, where, f"{at}.fields[{index}]")
            for index, spec in enumerate(specs)
        ),
    )


def check(settings: Labels, where: str) -> list[Finding]:
    """Label keys and values the API server would reject, each named by its entry."""
    findings = []
    for entry in settings.entries:
        field = entry.field if entry.common else f"{entry.field}.pairs"
        for key, value in entry.pairs:
            problem = qualified_name_problem(key)
            if problem:
                message = f"key {quote(key)} is not a valid label key: {problem}"
                findings.append(Finding("label-key", where, f"{field}: {message}"))
            problem = label_value_problem(value)
            if problem:
                message = f"the value of {quote(key)} is not a valid label value: {problem}"
                findings.append(Finding("label-value", where, f"{field}: {message}"))
    return findings


_MAX_PREFIX = 253
_MAX_NAME = 63
_DNS_SUBDOMAIN = patterns.lazy(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_NAME = patterns.lazy(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
_NAME_RULE = (
    f"at most {_MAX_NAME} characters: alphanumerics, '-', '_' and '.', starting and ending "
    "with an alphanumeric"
)


def qualified_name_problem(key: str) -> str:
    """Why ``key`` is not a label or annotation key (Kubernetes' ``IsQualifiedName``), or ``""``."""
    prefix, slash, name = key.rpartition("/")
    if slash and "/" in prefix:
        return "it has more than one '/'"
    if slash and not prefix:
        return "the prefix before '/' must not be empty"
    if len(prefix) > _MAX_PREFIX or (prefix and not _DNS_SUBDOMAIN.fullmatch(prefix)):
        return (
            "the prefix before '/' must be a DNS subdomain (lowercase alphanumerics, '-' and '.', "
            f"at most {_MAX_PREFIX} characters)"
        )
    if not name:
        return "the name must not be empty"
    if len(name) > _MAX_NAME or not _NAME.fullmatch(name):
        return f"the name must be {_NAME_RULE}"
    return ""


def label_value_problem(value: str) -> str:
    """Why ``value`` is not a label value (Kubernetes' ``IsValidLabelValue``), or ``""``."""
    if value and (len(value) > _MAX_NAME or not _NAME.fullmatch(value)):
        return f"it must be empty or {_NAME_RULE}"
    return ""


def entry_specs(entry: LabelEntry, config: TransformerConfig, where: str) -> tuple[FieldSpec, ...]:
    """The fieldSpecs an entry's labels are set on, merged as kustomize merges them."""
    if entry.common:
        return config.common_labels
    specs = _merge(entry.fields, config.labels, where, f"{entry.field}: failed to merge labels")
    if entry.include_selectors:
        return _merge(specs, config.common_labels, where, f"{entry.field}: failed to merge labels")
    if entry.include_templates:
        specs = _merge(
            specs,
            config.template_labels,
            where,
            f"{entry.field}: failed to merge template fieldSpec",
        )
    return _merge(specs, (_METADATA_LABELS,), where, f"{entry.field}: failed to merge labels")


def _merge(
    existing: tuple[FieldSpec, ...], incoming: tuple[FieldSpec, ...], where: str, context: str
) -> tuple[FieldSpec, ...]:
    """kustomize's ``FsSlice.MergeAll``, its conflict named as the label transformer names it."""
    try:
        return merge_field_specs(existing, incoming)
    except FieldSpecConflictError as conflict:
        raise KustomizationError(
            where,
            f"{context}: conflicting fieldspecs (path '{join_path(conflict.spec.path)}' is given "
            f"with create: {str(conflict.existing.create).lower()} and create: "
            f"{str(conflict.spec.create).lower()})",
        ) from None


def apply(
    resources: list[Resource], settings: Labels, config: TransformerConfig, where: str
) -> None:
    planned = [(entry, entry_specs(entry, config, where)) for entry in settings.entries]
    for entry, specs in planned:
        if entry.pairs:
            set_entries(resources, dict(entry.pairs), specs, "labels", entry.field)


def set_entries(
    resources: list[Resource],
    pairs: dict[str, str],
    specs: tuple[FieldSpec, ...],
    name: str,
    field: str,
) -> None:
    """Set every pair (in sorted key order) in each mapping the specs find or create: kustomize's
    labels and annotations filters. ``name`` is ``labels`` or ``annotations`` (the
    ``metadata`` map whose source texts a new value replaces); ``field`` names the
    kustomization field in messages.

    As in kustomize, the entries one key creates in the fields of one object are one value
    (:attr:`Resource.shared_entries`), and setting an entry that exists sets every entry it
    is one value with."""
    keys = sorted(pairs)
    by_gvk: dict[Gvk, list[FieldSpec]] = {}  # the specs selecting each GVK, found once
    for resource in resources:
        gvk = resource.id.gvk
        selected = by_gvk.get(gvk)
        if selected is None:
            selected = by_gvk[gvk] = [spec for spec in specs if selects(spec, gvk)]
        if not selected:
            continue
        target = _Target(resource, name, f"{resource.origin}: {field}", _shared_index(resource))
        for key in keys:
            created: Shared = []
            for spec in selected:
                walk(
                    resource.manifest,
                    spec,
                    _setter(target, _Entry(key, pairs[key], created), spec),
                    create_kind="map",
                    where=target.where,
                )
            if len(created) > 1:
                resource.shared_entries.append(created)


Shared = list[tuple[dict[str, Any], str]]


class _Target(NamedTuple):
    resource: Resource
    name: str
    where: str
    shared: dict[tuple[int, str], Shared]
    """(id of a map, key) -> the entries that are one value with it (the maps are alive: the
    resource holds them)."""


def _shared_index(resource: Resource) -> dict[tuple[int, str], Shared]:
    """:attr:`Resource.shared_entries` by entry, built once per object and transformer (one
    key is set once per transformer, and the entries it creates only share with each other)."""
    return {
        (id(mapping), key): shared for shared in resource.shared_entries for mapping, key in shared
    }


class _Entry(NamedTuple):
    key: str
    value: str
    created: Shared
    """The maps this key is created in, for this object: one value in kustomize."""


def _setter(target: _Target, entry: _Entry, spec: FieldSpec) -> Visit:
    resource = target.resource

    def visit(container: Any, key: Any) -> None:
        found = container[key]
        slot = (id(container), key)
        if found is None:  # found, not created: kustomize adds the entry to the null node
            _, entries, twice = resource.null_entries.setdefault(slot, (container, {}, []))
            if entry.key in entries:
                twice.append(entry.key)
            entries[entry.key] = entry.value
            entry.created.append((entries, entry.key))
            return
        if slot in resource.null_entries and isinstance(found, dict):
            found = _reveal(target, spec, container, key)
        if not isinstance(found, dict):
            raise ResourceError(
                target.where,
                f"considering field '{join_path(spec.path)}': wrong node kind: expected a "
                f"mapping, got {describe_type(found)}",
            )
        if entry.key not in found:
            found[entry.key] = entry.value
            entry.created.append((found, entry.key))
            return
        for mapping, _ in target.shared.get((id(found), entry.key), [(found, entry.key)]):
            mapping[entry.key] = entry.value
            _forget_text(resource, target.name, mapping, entry.key)

    return visit


def _reveal(target: _Target, spec: FieldSpec, container: Any, key: Any) -> dict[str, Any]:
    """The map created where kustomize had set entries in a null: it holds them."""
    _, entries, twice = target.resource.null_entries.pop((id(container), key))
    created = container[key]
    clash = twice or [name for name in created if name in entries]
    if clash:
        raise ResourceError(
            target.where,
            f"considering field '{join_path(spec.path)}': mapping key {quote(clash[0])} already "
            "defined (kustomize set it twice while the field was null)",
        )
    entries.update(created)
    container[key] = entries
    return entries


def _forget_text(resource: Resource, name: str, mapping: dict[str, Any], key: str) -> None:
    """A value set in ``metadata.<name>`` no longer has the source text it was read with."""
    metadata = resource.manifest.get("metadata")
    if not isinstance(metadata, dict) or metadata.get(name) is not mapping:
        return
    text_key = f"metadata.{name}"
    texts = resource.data_text.get(text_key)
    if texts and key in texts:
        resource.data_text[text_key] = {k: v for k, v in texts.items() if k != key}
