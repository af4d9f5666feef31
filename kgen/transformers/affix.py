"""``namePrefix`` / ``nameSuffix``: kustomize's PrefixTransformer and SuffixTransformer
(``api/filters/prefix``, ``api/filters/suffix``).

Renames every object but CRDs, APIServices and Namespaces (matched by their original kind),
recording the affix for the reference pass, and affixes the other fields the fieldSpecs name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen.decode import string
from kgen.fieldspecs import FieldSpec, TransformerConfig, selects
from kgen.model import Gvk, Resource
from kgen.walker import walk

_NOT_RENAMED = (
    Gvk("", "", "CustomResourceDefinition"),
    Gvk("apiregistration.k8s.io", "", "APIService"),
    Gvk("", "", "Namespace"),
)
_METADATA_NAME = ("metadata", "name")


def parse_prefix(fields: Mapping[str, Any], where: str) -> str | None:
    return string(fields.get("namePrefix"), where, "namePrefix") or None


def parse_suffix(fields: Mapping[str, Any], where: str) -> str | None:
    return string(fields.get("nameSuffix"), where, "nameSuffix") or None


def apply_prefix(
    resources: list[Resource], prefix: str, config: TransformerConfig, _where: str
) -> None:
    add_name_affix(resources, config.name_prefix, prefix=prefix)


def apply_suffix(
    resources: list[Resource], suffix: str, config: TransformerConfig, _where: str
) -> None:
    add_name_affix(resources, config.name_suffix, suffix=suffix)


def add_name_affix(
    resources: list[Resource], specs: tuple[FieldSpec, ...], *, prefix: str = "", suffix: str = ""
) -> None:
    """``namePrefix``/``nameSuffix``: rename every object but CRDs, APIServices and
    Namespaces (matched by their original kind), recording the affix, and affix the other
    fields the specs name."""

    def affix(container: Any, key: Any) -> None:
        value = container[key]
        if not isinstance(value, dict | list):
            container[key] = f"{prefix}{'' if value is None else value}{suffix}"

    for resource in resources:
        gvk = resource.original_gvk
        if any(selects(skip, gvk) for skip in _NOT_RENAMED):
            continue
        for spec in specs:
            if not selects(spec, gvk):
                continue
            if spec.path == _METADATA_NAME:
                if not prefix and not suffix:
                    continue  # an empty affix (a plugin config's) keeps the name and its id
                if prefix:
                    resource.prefixes.append(prefix)
                if suffix:
                    resource.suffixes.append(suffix)
                resource.rename(f"{prefix}{resource.name}{suffix}")
            else:
                walk(
                    resource.manifest,
                    spec,
                    affix,
                    create_kind="scalar",
                    where=f"{resource.origin}: {'namePrefix' if prefix else 'nameSuffix'}",
                )
