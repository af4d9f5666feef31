"""The data kgen passes between pipeline steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kgen.errors import quote
from kgen.findings import Finding
from kgen.records import NamedTuple

Manifest = dict[str, Any]
"""One Kubernetes object as plain data: dict / list / str / int / float / bool / None."""


class Gvk(NamedTuple):
    group: str
    version: str
    kind: str


class ResId(NamedTuple):
    """An object's identity: group, version, kind, name, namespace (``""`` = none)."""

    group: str
    version: str
    kind: str
    name: str
    namespace: str

    @property
    def gvk(self) -> Gvk:
        return Gvk(self.group, self.version, self.kind)


def split_api_version(api_version: str) -> tuple[str, str]:
    """``apps/v1`` -> (``apps``, ``v1``); ``v1`` -> (``""``, ``v1``)."""
    group, _, version = api_version.rpartition("/")
    return group, version


def id_text(value: Any) -> str:
    """An id field (``apiVersion``, ``kind``, ``metadata.name``/``namespace``) as kyaml reads
    it into a Go string: a string as is, a number or a boolean as text (``kind: 2`` is kind
    ``"2"``), ``""`` for null, a mapping or a list."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return ""


def collision_key(rid: ResId) -> ResId:
    """The id as kustomize's resource map compares ids: ``""`` is ``default``."""
    if rid.namespace:
        return rid
    return ResId(rid.group, rid.version, rid.kind, rid.name, "default")


def describe_id(rid: ResId) -> str:
    """An id as messages name it: ``ConfigMap "web" (v1) in namespace "apps"``."""
    api_version = f"{rid.group}/{rid.version}" if rid.group else rid.version
    namespace = f" in namespace {quote(rid.namespace)}" if rid.namespace else ""
    return f"{rid.kind} {quote(rid.name)} ({api_version}){namespace}"


def repeated_id(resources: Iterable[Resource]) -> tuple[Resource, Resource] | None:
    """The first object whose id (by :func:`collision_key`) an earlier one has, and that
    one: what kustomize's resource map refuses to add."""
    seen: dict[ResId, Resource] = {}
    for resource in resources:
        first = seen.setdefault(collision_key(resource.id), resource)
        if first is not resource:
            return resource, first
    return None


_API_VERSIONS: dict[str, tuple[str, str]] = {}
"""``split_api_version`` of the apiVersions seen (a build has a handful, asked for often)."""


def manifest_id(manifest: Manifest) -> ResId:
    """The current id of a manifest (missing fields read as ``""``)."""
    api_version = manifest.get("apiVersion")
    kind = manifest.get("kind")
    metadata = manifest.get("metadata")
    meta = metadata if isinstance(metadata, dict) else {}
    name = meta.get("name")
    namespace = meta.get("namespace", "")
    if type(api_version) is str and type(kind) is str and type(name) is str:
        split = _API_VERSIONS.get(api_version)
        if split is None:
            split = _API_VERSIONS[api_version] = split_api_version(api_version)
        if type(namespace) is not str:
            namespace = id_text(namespace)
        return ResId(split[0], split[1], kind, name, namespace)
    group, version = split_api_version(id_text(api_version))
    return ResId(group, version, id_text(kind), id_text(name), id_text(namespace))


class Origin(NamedTuple):
    """Where kustomize's build metadata says an object, or a transformation of it, came from
    (its ``resource.Origin``): a resource file's ``path``, or the kustomization (or plugin
    config file) a generator or transformer is ``configured_in`` and the config it is
    ``configured_by`` (apiVersion, kind, name, namespace)."""

    path: str = ""
    configured_in: str = ""
    configured_by: tuple[str, str, str, str] = ("", "", "", "")


class Resource:
    """A manifest with the bookkeeping kustomize keeps in annotations.

    ``previous_ids`` holds the ids this object had before each rename (oldest first), so that
    references written against an older name can be found; ``prefixes``/``suffixes`` are the
    name prefixes and suffixes applied to it, innermost layer first.
    """

    __slots__ = (
        "build_origin",
        "data_text",
        "generated",
        "hidden_keys",
        "key_findings",
        "manifest",
        "needs_hash",
        "notes",
        "null_entries",
        "origin",
        "original_gvk",
        "patched_by",
        "prefixes",
        "previous_ids",
        "secret_texts",
        "shared_entries",
        "suffixes",
        "transformations",
        "unwritable",
        "unwritable_values",
        "var_names",
    )

    manifest: Manifest
    origin: str
    """Where the object came from, for messages: a file path or a generator entry."""
    original_gvk: Gvk
    previous_ids: list[ResId]
    prefixes: list[str]
    suffixes: list[str]
    var_names: list[str]
    """The ``vars:`` entries that name this object (kustomize's ``refVarNames``): found by
    their ``objref`` where they are declared, carried through later renames and generator
    merges, read at the top once names are final."""
    needs_hash: bool
    """A generated object whose name gets the content-hash suffix at the top level."""
    generated: bool
    """Made (or merged into) by a secretGenerator/configMapGenerator: kgen knows its keys."""
    data_text: dict[str, dict[str, str]]
    """Read from a file: ``data``/``binaryData``/``metadata.labels``/``metadata.annotations`` →
    {key: the value's text as written}, for the values that loaded as something else (``0.50``,
    ``True``, ``2024-05-01``...; for the metadata maps also nulls, and ``""`` for collections).
    A generator merging into the object turns the old values into strings with it, as
    kustomize does."""

    unwritable: dict[tuple[str, str], Exception]
    """Generated: (field, key) → the error for an entry kustomize makes but fails to write out;
    raised only if the entry reaches the output (a later ``behavior: replace`` may drop it)."""

    unwritable_values: list[tuple[str | float, Exception]]
    """Read from a file: string values of its document kustomize cannot write back (a block
    scalar led by a tab, a control character), each with its error, raised only if that very
    value (by identity) is still in the object at output; a transformer setting it, a
    generator ``behavior: replace`` or a local-config drop loses it, as kustomize then
    builds."""

    notes: list[tuple[dict[str, Any], str, str]]
    """Read from a file: how some of its values were written, as kyaml's strategic merge sees
    them (``kgen.yamlio.Note``: a value written empty, a string quoted, a number's text).
    (Entries of mappings no longer in the object are stale, and harmless.)"""

    key_findings: dict[str, list[Finding]]
    """Generated: data key → what validation found of the pair that made it, reported only if
    the key reaches the output (a later ``behavior: replace`` may drop it)."""

    secret_texts: list[str]
    """Values a transformer (``replacements``) carried out of a Secret into this object: no
    error or warning shows them (see :func:`kgen.errors.redact`)."""

    hidden_keys: dict[str, str]
    """Generated keys that messages never show (an env-file line without ``=`` may be a pasted
    value), each with how messages name it instead: its file and line."""

    shared_entries: list[list[tuple[dict[str, Any], str]]]
    """Entries of this object's label/annotation maps that are one value in kustomize: a label
    or annotation transformer that creates a key in several fields of an object creates one
    YAML node for them all, and a later one that sets any of them sets them all."""

    null_entries: dict[tuple[int, Any], tuple[Any, dict[str, Any], list[str]]]
    """Label/annotation entries kustomize set in a null it found and did not create (id of the
    field's container, its key) -> (the container, the entries, keys set twice): invisible, as
    the field stays null, until a later transformer creates the map there, which then holds
    them (and fails on a key set twice)."""

    build_origin: Origin | None
    """Where the object came from, for ``buildMetadata: [originAnnotations]`` (tracked only
    when the top kustomization has ``buildMetadata``)."""
    transformations: list[Origin]
    """The transformers that ran over the object after it got its origin, in order, for
    ``buildMetadata: [transformerAnnotations]``."""

    patched_by: list[str]
    """The patch entries that changed it (``kustomization.yaml: patches[0] (p.yaml)``), in order:
    a finding about the object names them, as a value it reports may come from one."""

    def __init__(
        self,
        manifest: Manifest,
        origin: str,
        original_gvk: Gvk,
        *,
        previous_ids: list[ResId] | None = None,
        prefixes: list[str] | None = None,
        suffixes: list[str] | None = None,
        var_names: list[str] | None = None,
        needs_hash: bool = False,
        generated: bool = False,
        data_text: dict[str, dict[str, str]] | None = None,
        unwritable: dict[tuple[str, str], Exception] | None = None,
        unwritable_values: list[tuple[str | float, Exception]] | None = None,
        notes: list[tuple[dict[str, Any], str, str]] | None = None,
        key_findings: dict[str, list[Finding]] | None = None,
        secret_texts: list[str] | None = None,
        hidden_keys: dict[str, str] | None = None,
        shared_entries: list[list[tuple[dict[str, Any], str]]] | None = None,
        null_entries: dict[tuple[int, Any], tuple[Any, dict[str, Any], list[str]]] | None = None,
        build_origin: Origin | None = None,
        transformations: list[Origin] | None = None,
        patched_by: list[str] | None = None,
    ) -> None:
        self.manifest = manifest
        self.origin = origin
        self.original_gvk = original_gvk
        self.previous_ids = [] if previous_ids is None else previous_ids
        self.prefixes = [] if prefixes is None else prefixes
        self.suffixes = [] if suffixes is None else suffixes
        self.var_names = [] if var_names is None else var_names
        self.needs_hash = needs_hash
        self.generated = generated
        self.data_text = {} if data_text is None else data_text
        self.unwritable = {} if unwritable is None else unwritable
        self.unwritable_values = [] if unwritable_values is None else unwritable_values
        self.notes = [] if notes is None else notes
        self.key_findings = {} if key_findings is None else key_findings
        self.secret_texts = [] if secret_texts is None else secret_texts
        self.hidden_keys = {} if hidden_keys is None else hidden_keys
        self.shared_entries = [] if shared_entries is None else shared_entries
        self.null_entries = {} if null_entries is None else null_entries
        self.build_origin = build_origin
        self.transformations = [] if transformations is None else transformations
        self.patched_by = [] if patched_by is None else patched_by

    def _fields(self) -> tuple[Any, ...]:
        return (
            self.manifest,
            self.origin,
            self.original_gvk,
            self.previous_ids,
            self.prefixes,
            self.suffixes,
            self.var_names,
            self.needs_hash,
            self.generated,
            self.data_text,
            self.unwritable,
            self.unwritable_values,
            self.notes,
            self.key_findings,
            self.secret_texts,
            self.hidden_keys,
            self.shared_entries,
            self.null_entries,
            self.build_origin,
            self.transformations,
            self.patched_by,
        )

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in Resource.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A copy (pickled) keeps every field; :attr:`null_entries` is known by the ids of
        the containers it names, which a copy has new ones of."""
        for name, value in state.items():
            setattr(self, name, value)
        self.null_entries = {
            (id(entry[0]), key[1]): entry for key, entry in self.null_entries.items()
        }

    def __eq__(self, other: object) -> bool:
        if type(other) is not Resource:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return f"Resource(origin={self.origin!r}, manifest={self.manifest!r})"

    @property
    def described(self) -> str:
        """The object for findings: its origin, and the patches that changed it."""
        if not self.patched_by:
            return self.origin
        return f"{self.origin}, patched by {', '.join(self.patched_by)}"

    @property
    def id(self) -> ResId:
        return manifest_id(self.manifest)

    @property
    def name(self) -> str:
        return self.id.name

    def rename(self, new_name: str) -> None:
        """Record the current id as previous, then set ``metadata.name``."""
        self.previous_ids.append(self.id)
        self.manifest.setdefault("metadata", {})["name"] = new_name


class SortOptions(NamedTuple):
    """``sortOptions`` of the top-level kustomization.

    ``order`` is ``legacy`` (kustomize's kind order, the CLI default) or ``fifo`` (input order).
    ``order_first``/``order_last`` replace the legacy kind lists when given.
    """

    order: str = "legacy"
    order_first: tuple[str, ...] | None = None
    order_last: tuple[str, ...] | None = None
