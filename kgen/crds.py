"""``crds:``: OpenAPI definitions of custom types, read for the field specs they declare.

kustomize's ``LoadConfigFromCRDs`` (``api/internal/accumulator/loadconfigfromcrds.go``): a
``crds:`` file is a map of type names to ``{Schema, Dependencies}`` (the form ``openapi-gen``
writes). Every type whose properties hold ``kind``, ``apiVersion`` and ``metadata`` is a
resource of the kind after the name's last ``.``; walking its properties (and the definitions
their ``$ref`` names, in the same file), kustomize adds a fieldSpec for each extension it finds:

- ``x-kubernetes-annotation``: the property is a commonAnnotations field;
- ``x-kubernetes-label-selector``: a commonLabels field;
- ``x-kubernetes-identity``: a namePrefix field;
- ``x-kubernetes-object-ref-kind`` with ``x-kubernetes-object-ref-api-version``: the property
  refers to an object of that kind and version by its ``x-kubernetes-object-ref-name-key``
  (default ``name``): a nameReference entry.

An extension counts only when its value is a string (kube-openapi's ``Extensions.GetString``).
The result is a :class:`~kgen.fieldspecs.TransformerConfig` merged into the kustomization's
config after its ``configurations:`` files, as kustomize merges it. Pure: the file is read by
:mod:`kgen.loader`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen.errors import KustomizationError, describe_type
from kgen.fieldspecs import (
    FieldSpec,
    NameReference,
    TransformerConfig,
    merge_transformer_configs,
    sort_field_specs,
    sort_name_references,
)
from kgen.model import Gvk

_ANNOTATION = "x-kubernetes-annotation"
_LABEL_SELECTOR = "x-kubernetes-label-selector"
_IDENTITY = "x-kubernetes-identity"
_REF_VERSION = "x-kubernetes-object-ref-api-version"
_REF_KIND = "x-kubernetes-object-ref-kind"
_REF_NAME_KEY = "x-kubernetes-object-ref-name-key"

_RESOURCE_PROPERTIES = ("kind", "apiVersion", "metadata")


class _Found:
    """The fieldSpecs one resource type of kind ``kind`` declares, gathered by :meth:`walk`."""

    def __init__(self, definitions: dict[str, dict[str, Any]], kind: str) -> None:
        self.definitions = definitions
        self.kind = kind
        self.annotations: list[FieldSpec] = []
        self.labels: list[FieldSpec] = []
        self.prefix: list[FieldSpec] = []
        self.references: dict[Gvk, list[FieldSpec]] = {}

    def spec(self, path: tuple[str, ...]) -> FieldSpec:
        return FieldSpec("", "", self.kind, path, create=False)

    def walk(self, type_name: str, path: tuple[str, ...], seen: frozenset[str]) -> None:
        """kustomize's ``loadCrdIntoConfig``: the fieldSpecs of ``type_name``'s properties, at
        ``path`` below the resource, following ``$ref`` into the definitions of this file. A
        type already on the way down (a recursive type) is not entered again."""
        properties = self.definitions.get(type_name)
        if properties is None or type_name in seen:
            return
        seen = seen | {type_name}
        for name in sorted(properties):
            prop = properties[name]
            here = (*path, name)
            if isinstance(prop.get(_ANNOTATION), str):
                self.annotations.append(self.spec(here))
            if isinstance(prop.get(_LABEL_SELECTOR), str):
                self.labels.append(self.spec(here))
            if isinstance(prop.get(_IDENTITY), str):
                self.prefix.append(self.spec(here))
            version, ref_kind = prop.get(_REF_VERSION), prop.get(_REF_KIND)
            if isinstance(version, str) and isinstance(ref_kind, str):
                key = prop.get(_REF_NAME_KEY)
                referrer = self.spec((*here, key if isinstance(key, str) else "name"))
                self.references.setdefault(Gvk("", version, ref_kind), []).append(referrer)
            ref = prop.get("$ref")
            if isinstance(ref, str) and ref:
                self.walk(ref, here, seen)

    def config(self) -> TransformerConfig:
        return TransformerConfig(
            name_references=sort_name_references(
                [NameReference(target, tuple(specs)) for target, specs in self.references.items()]
            ),
            common_annotations=sort_field_specs(self.annotations),
            common_labels=sort_field_specs(self.labels),
            name_prefix=sort_field_specs(self.prefix),
        )


def parse_crds(data: Any, where: str) -> TransformerConfig:
    """The field specs of one ``crds:`` file, already loaded as plain data; ``where`` names the
    file. A file that is not a map of type definitions is a :class:`KustomizationError`."""
    if data is None:
        return TransformerConfig()
    definitions = _definitions(data, where)
    config = TransformerConfig()
    for name in sorted(definitions):
        properties = definitions[name]
        if not all(key in properties for key in _RESOURCE_PROPERTIES):
            continue
        found = _Found(definitions, name.rsplit(".", 1)[-1])
        found.walk(name, (), frozenset())
        config = merge_transformer_configs(config, found.config(), where)
    return config


def _definitions(data: Any, where: str) -> dict[str, dict[str, Any]]:
    """Type name -> its schema's properties (an absent or null ``properties`` is none)."""
    if not isinstance(data, Mapping):
        raise _unparsable(where, f"expected a map of type definitions, not {describe_type(data)}")
    kind = data.get("kind")
    if isinstance(data.get("apiVersion"), str) and isinstance(kind, str):
        raise _unparsable(
            where,
            f"this is a Kubernetes object ({kind}), not a map of type definitions; a "
            "CustomResourceDefinition manifest belongs in resources",
        )
    definitions: dict[str, dict[str, Any]] = {}
    for name, definition in data.items():
        if definition is None:
            definitions[str(name)] = {}
            continue
        if not isinstance(definition, Mapping):
            raise _unparsable(
                where, f"definition '{name}' is {describe_type(definition)}, not a map"
            )
        schema = _field(definition, "Schema")
        if schema is None:
            definitions[str(name)] = {}
            continue
        if not isinstance(schema, Mapping):
            raise _unparsable(where, f"'{name}'.Schema is {describe_type(schema)}, not a map")
        properties = schema.get("properties")
        if properties is None:
            definitions[str(name)] = {}
            continue
        if not isinstance(properties, Mapping):
            raise _unparsable(
                where, f"'{name}'.Schema.properties is {describe_type(properties)}, not a map"
            )
        for property_name, prop in properties.items():
            if prop is not None and not isinstance(prop, Mapping):
                raise _unparsable(
                    where,
                    f"'{name}'.Schema.properties.{property_name} is {describe_type(prop)}, "
                    "not a map",
                )
        definitions[str(name)] = {str(key): value or {} for key, value in properties.items()}
    return definitions


def _field(definition: Mapping[str, Any], name: str) -> Any:
    """A struct field as Go's ``encoding/json`` finds it: the exact key, else any case."""
    if name in definition:
        return definition[name]
    lowered = name.lower()
    return next((value for key, value in definition.items() if key.lower() == lowered), None)


def _unparsable(where: str, why: str) -> KustomizationError:
    return KustomizationError(where, f"unable to parse open API definition: {why}")
