"""Find, read (I/O) and parse (pure) kustomization files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from kgen import transformers, variables
from kgen.decode import boolean, lowered, string, string_map, strings
from kgen.errors import KustomizationError, LoadError, describe_type, label
from kgen.model import SortOptions
from kgen.records import NamedTuple

FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZATION_VERSION = "kustomize.config.k8s.io/v1beta1"
COMPONENT_VERSION = "kustomize.config.k8s.io/v1alpha1"

GeneratorKind = Literal["ConfigMap", "Secret"]
Behavior = Literal["create", "merge", "replace"]
_BEHAVIORS: dict[str, Behavior] = {"merge": "merge", "replace": "replace"}
"""The behaviors kustomize reads; any other value, typos included, is ``create``."""

SUPPORTED_FIELDS = (
    "apiVersion",
    "kind",
    "resources",
    "bases",
    "secretGenerator",
    "configMapGenerator",
    "generatorOptions",
    "sortOptions",
    "configurations",
    "crds",
    "metadata",
    "openapi",
    "vars",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
    "components",
    *transformers.FIELDS,
)
"""Fields kgen implements (``bases`` is kustomize's deprecated alias of ``resources``; the
kustomization's own ``metadata`` is checked and ignored, as kustomize ignores it)."""

UNSUPPORTED_FIELDS = (
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
)
"""Fields kustomize knows and kgen does not implement yet."""

DEPRECATED_FIELDS: dict[str, str] = {
    "bases": "resources",
    "commonLabels": "labels",
    "imageTags": "images",
    "patchesJson6902": "patches",
    "patchesStrategicMerge": "patches",
    "vars": "replacements",
}
"""The fields kustomize warns about (``CheckDeprecatedFields``), in its order, and what it says to
use instead."""
PluginField = Literal["generators", "transformers", "validators"]
PLUGIN_FIELDS: tuple[PluginField, ...] = ("generators", "transformers", "validators")

_REMOTE_MARKERS = ("://", "github.com/", "gitlab.com/", "bitbucket.org/", "git@", "git::")


def is_remote(entry: str) -> bool:
    """A ``resources:`` entry that names a URL or a git repository."""
    return any(marker in entry for marker in _REMOTE_MARKERS)


_GENERATOR_FIELDS = ("name", "namespace", "behavior", "literals", "files", "envs", "env", "options")
_OPTION_FIELDS = ("labels", "annotations", "disableNameSuffixHash", "immutable")
_SORT_ORDERS = ("legacy", "fifo")


_NOTHING: Mapping[Any, Any] = MappingProxyType({})
"""An empty mapping no one can change (the default of the mapping fields)."""


class GeneratorOptions(NamedTuple):
    labels: tuple[tuple[str, str], ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()
    disable_name_suffix_hash: bool = False
    immutable: bool = False

    def merged_into(self, local: GeneratorOptions | None) -> GeneratorOptions:
        """kustomize's ``MergeGlobalOptionsIntoLocal``: union of maps (local wins), OR of flags."""
        if local is None:
            return self
        return GeneratorOptions(
            labels=_union(self.labels, local.labels),
            annotations=_union(self.annotations, local.annotations),
            disable_name_suffix_hash=self.disable_name_suffix_hash
            or local.disable_name_suffix_hash,
            immutable=self.immutable or local.immutable,
        )


def _union(
    base: tuple[tuple[str, str], ...], override: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    merged = dict(base)
    merged.update(override)
    return tuple(merged.items())


class GeneratorSpec(NamedTuple):
    """One ``secretGenerator``/``configMapGenerator`` entry."""

    kind: GeneratorKind
    name: str
    namespace: str
    behavior: Behavior
    literals: tuple[str, ...]
    files: tuple[str, ...]
    envs: tuple[str, ...]
    secret_type: str
    options: GeneratorOptions
    where: str
    """``kustomization.yaml: secretGenerator[name]``, the prefix of every message about it."""


class Kustomization(NamedTuple):
    path: Path
    """The kustomization file."""
    resources: tuple[str, ...] = ()
    generators: tuple[GeneratorSpec, ...] = ()
    """ConfigMap generators in list order, then Secret generators in list order."""
    sort_options: SortOptions | None = None
    steps: tuple[transformers.Step, ...] = ()
    """The transformers it runs, with their settings, in kustomize's order."""
    configurations: tuple[str, ...] = ()
    crds: tuple[str, ...] = ()
    """``crds:`` files: OpenAPI definitions whose extensions add field specs (:mod:`kgen.crds`)."""
    components: tuple[str, ...] = ()
    """Directories of ``kind: Component`` kustomizations, applied in order after the
    generators (see :func:`kgen.pipeline.accumulate`)."""
    is_component: bool = False
    openapi: Mapping[str, str] = _NOTHING
    """``openapi:`` as kustomize reads it (a string map: ``path``, ``version``)."""
    deprecated: tuple[str, ...] = ()
    """The :data:`DEPRECATED_FIELDS` it sets (any value but null), in kustomize's order."""
    vars: tuple[variables.Var, ...] = ()
    """``vars:``, in order."""
    plugins: Mapping[PluginField, tuple[str, ...]] = _NOTHING
    """``transformers:``, ``generators:``, ``validators:``: plugin config files, directories
    or inline configs (see :mod:`kgen.plugins`)."""
    build_metadata: tuple[str, ...] = ()
    """``buildMetadata:`` (kustomize reads only the top kustomization's; any other value than
    its three options is ignored, yet turns origin tracking on)."""

    @property
    def root(self) -> Path:
        return self.path.parent


def find_kustomization(directory: Path, where: str) -> Path:
    """The kustomization file of ``directory``: exactly one of :data:`FILE_NAMES`."""
    if not directory.is_dir():
        raise LoadError(where, "not a directory holding a kustomization")
    names = {entry.name for entry in directory.iterdir()}
    found = [directory / name for name in FILE_NAMES if name in names]
    if not found:
        *others, last = (f"'{name}'" for name in FILE_NAMES)
        raise LoadError(
            where,
            f"no kustomization found: unable to find one of {', '.join(others)} or {last} in "
            "the directory",
        )
    if len(found) > 1:
        raise LoadError(
            where,
            "found multiple kustomization files: "
            + ", ".join(f.name for f in found)
            + " (keep one: kustomize refuses the directory too)",
        )
    return found[0]


def parse_document(documents: list[Any], path: Path, where: str) -> Kustomization:
    """The kustomization of a kustomization file's loaded documents (pure); ``where`` is its
    name in messages. Reading it is :mod:`kgen.loader`'s."""
    if not documents:
        raise KustomizationError(where, "kustomization is empty")
    if len(documents) > 1:
        raise KustomizationError(where, "expected one YAML document, found several")
    return parse_kustomization(documents[0], path, where)


def parse_kustomization(data: Any, path: Path, where: str) -> Kustomization:
    """Check and convert a loaded kustomization document (pure)."""
    fields = _fields(data, where)
    kind = string(fields.get("kind"), where, "kind")
    api_version = string(fields.get("apiVersion"), where, "apiVersion")
    if kind not in ("", "Kustomization", "Component"):
        raise KustomizationError(where, "kind: must be Kustomization")
    required = COMPONENT_VERSION if kind == "Component" else KUSTOMIZATION_VERSION
    if api_version not in ("", required):
        raise KustomizationError(where, f"apiVersion: must be {required}")
    _refuse_unsupported(fields, where)
    _metadata(fields.get("metadata"), where)
    # kustomize's test: the parsed struct equals an empty one (null and "" are unset; an empty
    # list or mapping is set).
    content = (
        name for name in SUPPORTED_FIELDS + UNSUPPORTED_FIELDS if name not in ("apiVersion", "kind")
    )
    if all(fields.get(name) in (None, "") for name in content):
        raise KustomizationError(where, "kustomization is empty")
    global_options = _options(fields.get("generatorOptions"), where, "generatorOptions")
    generators = [
        *_generators(fields.get("configMapGenerator"), "ConfigMap", global_options, where),
        *_generators(fields.get("secretGenerator"), "Secret", global_options, where),
    ]
    return Kustomization(
        path=path,
        resources=(
            *strings(fields.get("resources"), where, "resources"),
            *strings(fields.get("bases"), where, "bases"),
        ),
        generators=tuple(generators),
        sort_options=_sort_options(fields.get("sortOptions"), where),
        steps=transformers.parse_steps(fields, where),
        configurations=strings(fields.get("configurations"), where, "configurations"),
        crds=strings(fields.get("crds"), where, "crds"),
        components=strings(fields.get("components"), where, "components"),
        is_component=kind == "Component",
        openapi=_openapi(fields.get("openapi"), where),
        deprecated=tuple(name for name in DEPRECATED_FIELDS if fields.get(name) is not None),
        vars=variables.parse_vars(fields.get("vars"), where),
        plugins={
            name: entries
            for name in PLUGIN_FIELDS
            if (entries := strings(fields.get(name), where, name))
        },
        build_metadata=strings(fields.get("buildMetadata"), where, "buildMetadata"),
    )


def _openapi(data: Any, where: str) -> dict[str, str]:
    """``openapi:``, a map of strings (``path``: a schema file, ``version``: a built-in one)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KustomizationError(where, "openapi: expected a mapping")
    return {key: string(value, where, f"openapi.{key}") for key, value in data.items()}


HELM_FIELDS = ("helmGlobals", "helmCharts", "helmChartInflationGenerator")
"""Fields kgen refuses for good: it never runs helm."""


def _refuse_unsupported(fields: dict[str, Any], where: str) -> None:
    """One error naming every field of this kustomization that kgen cannot build. An empty value
    (null, ``""``, ``[]``, ``{}``) asks for nothing and is accepted, as kustomize builds it."""
    used = [name for name in UNSUPPORTED_FIELDS if fields.get(name) not in (None, "", [], {})]
    if not used:
        return
    helm = [name for name in used if name in HELM_FIELDS]
    later = [name for name in used if name not in HELM_FIELDS]
    reasons = []
    if later:
        reasons.append(f"{', '.join(later)}: not supported by kgen yet")
    if helm:
        reasons.append(
            f"{', '.join(helm)}: helm charts are not supported by kgen (it runs no helm: render "
            "the chart and list its output in resources)"
        )
    raise KustomizationError(where, "; ".join(reasons))


def _fields(data: Any, where: str) -> dict[str, Any]:
    """Top-level fields by canonical name; JSON field names match case-insensitively."""
    if not isinstance(data, dict):
        raise KustomizationError(where, f"expected a mapping of fields, got {describe_type(data)}")
    return lowered(data, SUPPORTED_FIELDS + UNSUPPORTED_FIELDS, where)


_METADATA_FIELDS = ("name", "namespace", "labels", "annotations")


def _metadata(data: Any, where: str) -> None:
    """Check the kustomization's own ``metadata`` as kustomize's ``ObjectMeta`` reads it."""
    if data is None:
        return
    if not isinstance(data, dict):
        raise KustomizationError(where, f"metadata: expected a mapping, got {describe_type(data)}")
    fields = lowered(data, _METADATA_FIELDS, f"{where}: metadata")
    string(fields.get("name"), where, "metadata.name")
    string(fields.get("namespace"), where, "metadata.namespace")
    string_map(fields.get("labels"), where, "metadata.labels")
    string_map(fields.get("annotations"), where, "metadata.annotations")


def _generators(
    entries: Any, kind: GeneratorKind, global_options: GeneratorOptions, where: str
) -> list[GeneratorSpec]:
    field = "configMapGenerator" if kind == "ConfigMap" else "secretGenerator"
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise KustomizationError(where, f"{field}: expected a list, got {describe_type(entries)}")
    specs = []
    for index, entry in enumerate(entries):
        specs.append(_generator(entry, kind, global_options, f"{where}: {field}", index))
    return specs


def _generator(
    entry: Any, kind: GeneratorKind, global_options: GeneratorOptions, prefix: str, index: int
) -> GeneratorSpec:
    return parse_generator(entry, kind, global_options, f"{prefix}[{index}]", prefix)


def parse_generator(
    entry: Any, kind: GeneratorKind, global_options: GeneratorOptions, at: str, prefix: str = ""
) -> GeneratorSpec:
    """One generator entry (``at`` names it); with a ``prefix`` (``kustomization.yaml:
    secretGenerator``), messages name it by its name under the prefix, else by ``at``."""
    if not isinstance(entry, dict):
        raise KustomizationError(at, f"expected a mapping, got {describe_type(entry)}")
    allowed = (*_GENERATOR_FIELDS, "type") if kind == "Secret" else _GENERATOR_FIELDS
    fields = lowered(entry, allowed, at)
    name = string(fields.get("name"), at, "name")
    if not name:
        raise KustomizationError(at, "name: a generator must have a name")
    where = f"{prefix}[{label(name)}]" if prefix else at
    behavior = string(fields.get("behavior"), where, "behavior")
    legacy_env = string(fields.get("env"), where, "env")
    return GeneratorSpec(
        kind=kind,
        name=name,
        namespace=string(fields.get("namespace"), where, "namespace"),
        # kustomize treats any other value, typos included, as create.
        behavior=_BEHAVIORS.get(behavior, "create"),
        literals=strings(fields.get("literals"), where, "literals"),
        files=strings(fields.get("files"), where, "files"),
        envs=strings(fields.get("envs"), where, "envs") + ((legacy_env,) if legacy_env else ()),
        secret_type=string(fields.get("type"), where, "type") or "Opaque",
        options=global_options.merged_into(_options(fields.get("options"), where, "options")),
        where=where,
    )


def _options(data: Any, where: str, field: str) -> GeneratorOptions:
    if data is None:
        return GeneratorOptions()
    if not isinstance(data, dict):
        raise KustomizationError(where, f"{field}: expected a mapping, got {describe_type(data)}")
    fields = lowered(data, _OPTION_FIELDS, f"{where}: {field}")
    return GeneratorOptions(
        labels=string_map(fields.get("labels"), where, f"{field}.labels"),
        annotations=string_map(fields.get("annotations"), where, f"{field}.annotations"),
        disable_name_suffix_hash=boolean(
            fields.get("disableNameSuffixHash"), where, f"{field}.disableNameSuffixHash"
        ),
        immutable=boolean(fields.get("immutable"), where, f"{field}.immutable"),
    )


def _sort_options(data: Any, where: str) -> SortOptions | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise KustomizationError(
            where, f"sortOptions: expected a mapping, got {describe_type(data)}"
        )
    fields = lowered(data, ("order", "legacySortOptions"), f"{where}: sortOptions")
    order = string(fields.get("order"), where, "sortOptions.order")
    legacy = fields.get("legacySortOptions")
    if order not in _SORT_ORDERS:
        raise KustomizationError(where, "sortOptions.order: must be legacy or fifo")
    if order == "fifo":
        if legacy is not None:
            raise KustomizationError(
                where, "sortOptions.legacySortOptions: only allowed with order: legacy"
            )
        return SortOptions("fifo")
    if legacy is None:
        return SortOptions("legacy")
    if not isinstance(legacy, dict):
        raise KustomizationError(
            where, f"sortOptions.legacySortOptions: expected a mapping, got {describe_type(legacy)}"
        )
    lists = lowered(legacy, ("orderFirst", "orderLast"), f"{where}: sortOptions.legacySortOptions")
    return SortOptions(
        "legacy",
        strings(lists.get("orderFirst"), where, "sortOptions.legacySortOptions.orderFirst"),
        strings(lists.get("orderLast"), where, "sortOptions.legacySortOptions.orderLast"),
    )
