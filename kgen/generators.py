"""Secret / ConfigMap objects from generator entries; ``behavior`` merge / replace (pure)."""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kgen import yamlio
from kgen.emit import literal_block_in_kyaml
from kgen.errors import GeneratorError, ResourceError, quote
from kgen.kustomization import GeneratorSpec
from kgen.model import Gvk, Manifest, ResId, Resource
from kgen.sources import Pair

_BASE64_LINE = 70
# Characters kustomize's generator cannot marshal ("yaml: control characters are not allowed").
_CONTROL = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


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


def make_manifest(spec: GeneratorSpec, pairs: Sequence[Pair]) -> Manifest:
    """The object a generator entry makes: keys sorted later by the emitter."""
    for pair in pairs:
        if not yamlio.plain_scalar_is_string(pair.key):
            raise GeneratorError(
                f"{spec.where}.{pair.entry}",
                f"{pair.describe_key()} reads as a number, boolean, null or date in YAML, and "
                "kustomize cannot build an object with such a key (json: unsupported type); "
                "rename it",
            )
    for field, entries in (
        ("labels", spec.options.labels),
        ("annotations", spec.options.annotations),
    ):
        for key, _ in entries:
            if not yamlio.plain_scalar_is_string(key):
                raise GeneratorError(
                    f"{spec.where}: options.{field}",
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
            check_generatable(text, f"{spec.where}.{pair.entry}: {pair.describe_key()}")
            data[pair.key] = text
        if data:
            manifest["data"] = data
        if binary:
            manifest["binaryData"] = binary
    if spec.options.immutable:
        manifest["immutable"] = True
    return manifest


def check_generatable(text: str, where: str) -> None:
    """Refuse ConfigMap text that kustomize's generator fails on, as kustomize does."""
    if text.startswith("\t") and literal_block_in_kyaml(text):
        raise GeneratorError(
            where,
            "a value that starts with a tab and has several lines cannot be generated "
            "(kustomize fails on it: found a tab character where an indentation space is "
            "expected); put it in a resource file or a Secret",
        )
    if _CONTROL.search(text):
        raise GeneratorError(
            where,
            "the value contains a control character (DEL, U+0080..U+009F but U+0085, U+FFFE "
            "or U+FFFF), which kustomize cannot generate either",
        )


def make_resource(spec: GeneratorSpec, pairs: Sequence[Pair]) -> Resource:
    return Resource(
        manifest=make_manifest(spec, pairs),
        origin=spec.where,
        original_gvk=Gvk("", "v1", spec.kind),
        needs_hash=not spec.options.disable_name_suffix_hash,
        generated=True,
    )


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
    resources[positions[0]] = _combine(matches[0], generated, merge=spec.behavior == "merge")


def _combine(old: Resource, new: Resource, *, merge: bool) -> Resource:
    """kustomize's merge/replace: the new object, with the old one's name, namespace, labels
    and annotations beneath its own and (merge) the old data beneath the new."""
    manifest = new.manifest
    old_meta = old.manifest.get("metadata") or {}
    meta = manifest["metadata"]
    meta["name"] = old_meta.get("name", meta["name"])
    if old_meta.get("namespace"):
        meta["namespace"] = old_meta["namespace"]
    else:
        meta.pop("namespace", None)
    for field in ("labels", "annotations"):
        combined = {**(old_meta.get(field) or {}), **meta.get(field, {})}
        if combined:
            meta[field] = combined
    if merge:
        for field in ("data", "binaryData"):
            old_map = old.manifest.get(field)
            merged: dict[str, str] = {}
            if isinstance(old_map, dict):
                texts = old.data_text.get(field, {})
                merged = {key: _as_string(value, texts.get(key)) for key, value in old_map.items()}
            merged.update(manifest.get(field, {}))
            if merged:
                manifest[field] = merged
            else:  # kyaml's SetDataMap leaves an empty merged map out (a Secret's data: {} too)
                manifest.pop(field, None)
    return Resource(
        manifest=manifest,
        origin=new.origin,
        original_gvk=old.original_gvk,
        previous_ids=old.previous_ids,
        prefixes=old.prefixes,
        suffixes=old.suffixes,
        needs_hash=old.needs_hash and new.needs_hash,
        generated=True,
    )


def _as_string(value: Any, text: str | None) -> str:
    """An old ``data``/``binaryData`` value as kustomize merges it (kyaml ``GetDataMap``): a
    scalar's text as written (``text``, when it loaded as something else: ``0.50``, ``True``,
    ``0o022``, ``2024-05-01``), ``""`` for null or a mapping or a list."""
    if value is None or isinstance(value, dict | list):
        return ""
    if text is not None:
        return text
    if isinstance(value, str):
        return value
    # No text recorded (an item of a ``...List`` other than a file's own ``kind: List``, which
    # kustomize turns into JSON and back): the value as Go's encoding/json writes it.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _json_float(value)
    return str(value)


def _json_float(number: float) -> str:
    """Go ``encoding/json``'s text for a finite float64: shortest digits, ``%f`` style unless
    below 1e-6 or from 1e21 on (then ``1e-7``, ``1.5e+21``)."""
    if number == 0:
        return "-0" if math.copysign(1.0, number) < 0 else "0"
    sign = "-" if number < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(number))).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len(digit_tuple) - len(digits)  # value = int(digits) * 10**exponent
    point = len(digits) + exponent  # where the decimal point goes in ``digits``
    if 1e-6 <= abs(number) < 1e21:
        if exponent >= 0:
            return sign + digits + "0" * exponent
        if point > 0:
            return f"{sign}{digits[:point]}.{digits[point:]}"
        return f"{sign}0.{'0' * -point}{digits}"
    power = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    # Go writes at least two exponent digits, then encoding/json trims "e-07" to "e-7".
    exp_text = f"{abs(power):02d}" if power >= 0 else str(-power)
    return f"{sign}{mantissa}e{'+' if power >= 0 else '-'}{exp_text}"


def _show(rid: ResId) -> str:
    return quote(rid.name) + (f" in namespace {quote(rid.namespace)}" if rid.namespace else "")
