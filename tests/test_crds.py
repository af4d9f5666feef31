"""``crds:`` files: OpenAPI definitions -> the field specs their extensions declare."""

from __future__ import annotations

from typing import Any

import pytest

from kgen.crds import parse_crds
from kgen.errors import KustomizationError
from kgen.fieldspecs import FieldSpec, NameReference, TransformerConfig
from kgen.model import Gvk

RESOURCE: dict[str, Any] = {"kind": {}, "apiVersion": {}, "metadata": {}}


def _definitions(spec: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "example.com/v1.Widget": {
            "Schema": {"properties": {**RESOURCE, "spec": {"$ref": "example.com/v1.WidgetSpec"}}}
        },
        "example.com/v1.WidgetSpec": {"Schema": {"properties": spec}},
        **more,
    }


def _spec(*path: str) -> FieldSpec:
    return FieldSpec("", "", "Widget", path, create=False)


def test_each_extension_gives_its_field_spec_under_the_resource_kind() -> None:
    config = parse_crds(
        _definitions(
            {
                "selector": {"x-kubernetes-label-selector": ""},
                "notes": {"x-kubernetes-annotation": ""},
                "alias": {"x-kubernetes-identity": ""},
                "secretRef": {
                    "x-kubernetes-object-ref-api-version": "v1",
                    "x-kubernetes-object-ref-kind": "Secret",
                },
                "config": {
                    "x-kubernetes-object-ref-api-version": "v1",
                    "x-kubernetes-object-ref-kind": "ConfigMap",
                    "x-kubernetes-object-ref-name-key": "cmName",
                },
            }
        ),
        "k.yaml: crds[0]: c.yaml",
    )
    assert config == TransformerConfig(
        name_references=(
            NameReference(Gvk("", "v1", "ConfigMap"), (_spec("spec", "config", "cmName"),)),
            NameReference(Gvk("", "v1", "Secret"), (_spec("spec", "secretRef", "name"),)),
        ),
        common_annotations=(_spec("spec", "notes"),),
        common_labels=(_spec("spec", "selector"),),
        name_prefix=(_spec("spec", "alias"),),
    )


def test_only_string_extension_values_count_and_a_reference_needs_kind_and_version() -> None:
    config = parse_crds(
        _definitions(
            {
                "a": {"x-kubernetes-annotation": True},
                "b": {"x-kubernetes-object-ref-kind": "Secret"},
                "c": {"X-Kubernetes-Annotation": ""},
            }
        ),
        "c.yaml",
    )
    assert config == TransformerConfig()


def test_types_without_kind_apiversion_and_metadata_are_not_resources() -> None:
    data = {
        "example.com/v1.Part": {
            "Schema": {"properties": {"kind": {}, "spec": {"x-kubernetes-annotation": ""}}}
        }
    }
    assert parse_crds(data, "c.yaml") == TransformerConfig()


def test_a_recursive_type_is_walked_once_per_path() -> None:
    tree = {
        "child": {"$ref": "example.com/v1.WidgetSpec"},
        "notes": {"x-kubernetes-annotation": ""},
    }
    config = parse_crds(_definitions(tree), "c.yaml")
    assert config.common_annotations == (_spec("spec", "notes"),)


def test_refs_outside_the_file_and_null_schemas_are_nothing() -> None:
    data = _definitions({"meta": {"$ref": "k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta"}})
    data["example.com/v1.Empty"] = {"Schema": None}
    data["example.com/v1.Null"] = None
    assert parse_crds(data, "c.yaml") == TransformerConfig()
    assert parse_crds(None, "c.yaml") == TransformerConfig()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["a"], "expected a map of type definitions, not a list"),
        ({"t": "x"}, "definition 't' is a string, not a map"),
        ({"t": {"Schema": []}}, "'t'.Schema is a list, not a map"),
        ({"t": {"Schema": {"properties": 1}}}, "'t'.Schema.properties is a number, not a map"),
        (
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition"},
            (
                "this is a Kubernetes object (CustomResourceDefinition), not a map of type "
                "definitions; a CustomResourceDefinition manifest belongs in resources"
            ),
        ),
    ],
)
def test_what_is_not_openapi_definitions_is_an_error_naming_the_file(
    data: Any, message: str
) -> None:
    with pytest.raises(KustomizationError) as error:
        parse_crds(data, "k.yaml: crds[0]: c.yaml")
    assert str(error.value) == (
        f"k.yaml: crds[0]: c.yaml: unable to parse open API definition: {message}"
    )
