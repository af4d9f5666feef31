"""Secret / ConfigMap objects from generator entries; ``behavior`` merge / replace (pure)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from kgen import yamlio
from kgen.emit import literal_block_in_kyaml
from kgen.errors import GeneratorError, ResourceError, quote
from kgen.findings import Finding
from kgen.kustomization import GeneratorSpec
from kgen.model import Gvk, Manifest, ResId, Resource
from kgen.resources import kyaml_text, value_ids
from kgen.sources import Pair

_BASE64_LINE = 70
# Characters kustomize's generator cannot marshal ("yaml: control characters are not allowed").
_CONTROL_PROBLEM = (
    "the {} contains a control character (DEL, U+0080..U+009F but U+0085, U+FFFE or U+FFFF), "
    "which kustomize cannot generate either (yaml: control characters are not allowed)"
)


def encode_base64(value: bytes) -> str:
    """kustomize's layout: one line below 70 characters, else 70-character lines, each ending
    in a newline (the last one included)."""
    encoded = base64.b64encode(value).decode("ascii")
    if len(encoded) < _BASE64_LINE:
        return encoded
    return "".join(
        encoded[start : start + _BASE64_LINE] + "\n"
        for start in range(0, len(encoded), _BASE64_LINE)
    )


Unwritable = dict[tuple[str, str], GeneratorError]
"""(field, key) → why kustomize cannot write that entry of a generated object."""


def make_manifest(
    spec: GeneratorSpec,
    pairs: Sequence[Pair],
    unwritable: Unwritable | None = None,
    unwritable_values: list[tuple[str | float, Exception]] | None = None,
) -> Manifest:
    """The object a generator entry makes: keys sorted later by the emitter.

    Entries kustomize makes but fails to write (a key YAML reads as a non-string, a tab-led
    multi-line value, a control character from a file) are refused here, or, given
    ``unwritable`` and ``unwritable_values``, recorded there (a key, a value): kustomize
    builds if a later ``behavior: replace`` drops the key, or a merge or a patch sets another
    value (see :func:`check_writable`)."""

    def refuse(field: str, key: str, error: GeneratorError) -> None:
        if unwritable is None:
            raise error
        unwritable.setdefault((field, key), error)

    field = "data" if spec.kind == "Secret" else ""
    for pair in pairs:
        if not yamlio.plain_scalar_is_string(pair.key):
            error = GeneratorError(
                f"{spec.where}.{pair.entry}",
                f"{pair.describe_key()} reads as a number, boolean, null or date in YAML, and "
                "kustomize cannot build an object with such a key (json: unsupported type); "
                "rename it",
            )
            refuse(field or _text_field(pair.value), pair.key, error)
    _check_config(spec, pairs)
    for option, entries in (
        ("labels", spec.options.labels),
        ("annotations", spec.options.annotations),
    ):
        for key, _ in entries:
            if not yamlio.plain_scalar_is_string(key):
                raise GeneratorError(
                    f"{spec.where}: options.{option}",
                    f"key {quote(key)} reads as a number, boolean, null or date in YAML, and "
                    "kustomize cannot build an object with such a key (json: unsupported type); "
                    "rename it (YAML 1.1 reads an unquoted y, n, yes, on, off as a boolean)",
                )
    metadata: dict[str, Any] = {"name": spec.name}
    if spec.namespace:
        metadata["namespace"] = spec.namespace
    if spec.options.labels:
        metadata["labels"] = dict(spec.options.labels)
    if spec.options.annotations:
        metadata["annotations"] = dict(spec.options.annotations)
    manifest: Manifest = {"apiVersion": "v1", "kind": spec.kind, "metadata": metadata}
    if spec.kind == "Secret":
        manifest["type"] = spec.secret_type
        manifest["data"] = {pair.key: encode_base64(pair.value) for pair in pairs}
    else:
        data: dict[str, str] = {}
        binary: dict[str, str] = {}
        for pair in pairs:
            try:
                text = pair.value.decode("utf-8")
            except UnicodeDecodeError:
                binary[pair.key] = encode_base64(pair.value)
                continue
            try:
                check_generatable(text, f"{spec.where}.{pair.entry}: {pair.describe_key()}")
            except GeneratorError as error:
                if unwritable_values is None:
                    raise
                unwritable_values.append((text, error))  # refused if this very value stays
            data[pair.key] = text
        if data:
            manifest["data"] = data
        if binary:
            manifest["binaryData"] = binary
    if spec.options.immutable:
        manifest["immutable"] = True
    return manifest


def _check_config(spec: GeneratorSpec, pairs: Sequence[Pair]) -> None:
    """kustomize hands a generator its entry as YAML and reads it back: literals, labels and
    annotations with a character YAML refuses fail there, for Secrets too."""
    for pair in pairs:
        if pair.entry.startswith("literals") and (
            yamlio.JSON_UNPRINTABLE.search(pair.key)
            or yamlio.JSON_UNPRINTABLE.search(pair.value.decode("utf-8", "replace"))
        ):
            raise GeneratorError(f"{spec.where}.{pair.entry}", _CONTROL_PROBLEM.format("literal"))
    for field, entries in (
        ("labels", spec.options.labels),
        ("annotations", spec.options.annotations),
    ):
        for key, value in entries:
            if yamlio.JSON_UNPRINTABLE.search(key) or yamlio.JSON_UNPRINTABLE.search(value):
                raise GeneratorError(
                    f"{spec.where}.options.{field}",
                    f"{quote(key)}: " + _CONTROL_PROBLEM.format("entry"),
                )


def check_generatable(text: str, where: str) -> None:
    """Refuse ConfigMap text that kustomize's generator fails on, as kustomize does."""
    if text.startswith("\t") and literal_block_in_kyaml(text):
        raise GeneratorError(
            where,
            "a value that starts with a tab and has several lines cannot be generated "
            "(kustomize fails on it: found a tab character where an indentation space is "
            "expected); put it in a resource file or a Secret",
        )
    if yamlio.JSON_UNPRINTABLE.search(text):
        raise GeneratorError(
            where,
            "the value contains a control character (DEL, U+0080..U+009F but U+0085, U+FFFE "
            "or U+FFFF), which kustomize cannot generate either",
        )


def _text_field(value: bytes) -> str:
    """Where a ConfigMap generator puts a value: ``data`` for UTF-8 text, else ``binaryData``."""
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return "binaryData"
    return "data"


def make_resource(spec: GeneratorSpec, pairs: Sequence[Pair]) -> Resource:
    unwritable: Unwritable = {}
    values: list[tuple[str | float, Exception]] = []
    return Resource(
        manifest=make_manifest(spec, pairs, unwritable, values),
        unwritable_values=values,
        origin=spec.where,
        original_gvk=Gvk("", "v1", spec.kind),
        needs_hash=not spec.options.disable_name_suffix_hash,
        generated=True,
        hidden_keys={pair.key: pair.hidden_name() for pair in pairs if pair.hidden},
        unwritable=dict(unwritable),
    )


def surviving_findings(resources: Sequence[Resource]) -> list[Finding]:
    """What validation found of the generator pairs whose keys reach the output."""
    return [
        finding
        for resource in resources
        for key, found in resource.key_findings.items()
        if any(key in (resource.manifest.get(field) or {}) for field in ("data", "binaryData"))
        for finding in found
    ]


def check_writable(resources: Sequence[Resource]) -> None:
    """Refuse the output objects that still hold an entry or a value kustomize fails to write."""
    for resource in resources:
        for (field, key), error in resource.unwritable.items():
            values = resource.manifest.get(field)
            if isinstance(values, dict) and key in values:
                raise error
        if resource.unwritable_values:
            present = value_ids(resource.manifest)
            for value, error in resource.unwritable_values:
                if id(value) in present:
                    raise error


class IdIndex:
    """Positions in a layer's resource list by every id each resource has had (current and
    previous; ``""`` and ``default`` are the same namespace), so generators find the object
    they merge into without scanning the list."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._positions: dict[ResId, list[int]] = {}
        for position, resource in enumerate(resources):
            self.add(position, resource)

    def add(self, position: int, resource: Resource) -> None:
        for rid in dict.fromkeys((resource.id, *resource.previous_ids)):
            self._positions.setdefault(_key(rid), []).append(position)

    def find(self, target: ResId) -> list[int]:
        return sorted(set(self._positions.get(_key(target), ())))


def _key(rid: ResId) -> ResId:
    return rid._replace(namespace=rid.namespace or "default")


def add_generated(
    resources: list[Resource], index: IdIndex, spec: GeneratorSpec, generated: Resource
) -> None:
    """Append ``generated`` or merge/replace it into the one object it matches (in place;
    ``index`` is kept up to date).

    Matching follows kustomize: an existing object whose current or any previous id has the
    generator's kind, name and namespace (``""`` and ``default`` are the same namespace).
    """
    target = ResId("", "v1", spec.kind, spec.name, spec.namespace)
    positions = index.find(target)
    matches = [resources[position] for position in positions]
    if len(matches) > 1:
        raise ResourceError(
            spec.where, f"{len(matches)} objects could take this generator's {spec.behavior}"
        )
    if spec.behavior == "create":
        if matches:
            raise ResourceError(
                spec.where,
                f"{spec.kind} {_show(target)} already exists "
                f"(from {matches[0].origin}); use behavior: merge or replace",
            )
        index.add(len(resources), generated)
        resources.append(generated)
        return
    if not matches:
        raise ResourceError(
            spec.where,
            f"behavior: {spec.behavior} needs an existing {spec.kind} {_show(target)}, "
            "and there is none",
        )
    resources[positions[0]] = _combine(
        matches[0], generated, spec.where, merge=spec.behavior == "merge"
    )


def _combine(old: Resource, new: Resource, where: str, *, merge: bool) -> Resource:
    """kustomize's merge/replace: the new object, with the old one's name, namespace, labels
    and annotations beneath its own and (merge) the old data beneath the new."""
    manifest = new.manifest
    new_keys = {key for field in ("data", "binaryData") for key in manifest.get(field) or {}}
    old_meta = old.manifest.get("metadata") or {}
    meta = manifest["metadata"]
    meta["name"] = old_meta.get("name", meta["name"])
    if old_meta.get("namespace"):
        meta["namespace"] = old_meta["namespace"]
    else:
        meta.pop("namespace", None)
    for field in ("labels", "annotations"):
        # kyaml's SetLabels/SetAnnotations: the old values as their text (``12`` → ``"12"``)
        texts = old.data_text.get(f"metadata.{field}", {})
        combined = {
            key: kyaml_text(value, texts.get(key), null="null")
            for key, value in _old_map(old, field, where).items()
        }
        combined.update(meta.get(field, {}))
        if combined:
            meta[field] = combined
    if merge:
        for field in ("data", "binaryData"):
            old_map = old.manifest.get(field)
            merged: dict[str, str] = {}
            if isinstance(old_map, dict):
                texts = old.data_text.get(field, {})
                merged = {key: kyaml_text(value, texts.get(key)) for key, value in old_map.items()}
            merged.update(manifest.get(field, {}))
            if merged:
                manifest[field] = merged
            else:  # kyaml's SetDataMap leaves an empty merged map out (a Secret's data: {} too)
                manifest.pop(field, None)
    # merge keeps the old data the new does not override (and what kustomize can't write of it)
    unwritable = (
        {entry: error for entry, error in old.unwritable.items() if entry[1] not in new_keys}
        if merge
        else {}
    )
    unwritable.update(new.unwritable)
    key_findings = (
        {key: found for key, found in old.key_findings.items() if key not in new_keys}
        if merge
        else {}
    )
    key_findings.update(new.key_findings)
    return Resource(
        manifest=manifest,
        unwritable=unwritable,
        unwritable_values=[*(old.unwritable_values if merge else ()), *new.unwritable_values],
        key_findings=key_findings,
        origin=new.origin,
        original_gvk=old.original_gvk,
        previous_ids=old.previous_ids,
        var_names=list(old.var_names),
        prefixes=old.prefixes,
        suffixes=old.suffixes,
        needs_hash=old.needs_hash and new.needs_hash,
        generated=True,
        hidden_keys={**old.hidden_keys, **new.hidden_keys} if merge else new.hidden_keys,
        secret_texts=old.secret_texts,
        # kustomize merges the old annotations beneath the new (the old transformations stay);
        # merge keeps the old origin, replace takes the new one
        build_origin=(old.build_origin or new.build_origin) if merge else new.build_origin,
        transformations=old.transformations,
    )


def _old_map(old: Resource, field: str, where: str) -> dict[str, Any]:
    """The old object's ``metadata.labels``/``annotations`` as kustomize carries them over: a
    mapping as is; null or a scalar dropped (kustomize builds without it)."""
    value = (old.manifest.get("metadata") or {}).get(field)
    if isinstance(value, list):
        # kustomize reads a list as key, value, key, ... and panics on an odd one.
        raise ResourceError(
            where,
            f"metadata.{field} of {old.origin} is a list, not a mapping: it cannot be merged",
        )
    return value if isinstance(value, dict) else {}


def _show(rid: ResId) -> str:
    return quote(rid.name) + (f" in namespace {quote(rid.namespace)}" if rid.namespace else "")
