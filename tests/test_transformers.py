from __future__ import annotations

from typing import Any

import pytest

from kgen.errors import ResourceError
from kgen.fieldspecs import BUILTIN_CONFIG, FieldSpec
from kgen.model import Gvk, ResId, Resource
from kgen.transformers.affix import add_name_affix
from kgen.transformers.namespace import set_namespace

NAME_FIELD_SPECS = BUILTIN_CONFIG.name_prefix
NAMESPACE_FIELD_SPECS = BUILTIN_CONFIG.namespace


def resource(kind: str, name: str, api_version: str = "v1", **fields: Any) -> Resource:
    group, _, version = api_version.rpartition("/")
    manifest = {"apiVersion": api_version, "kind": kind, "metadata": {"name": name}, **fields}
    return Resource(manifest, f"{kind.lower()}.yaml", Gvk(group, version, kind))


def test_set_namespace() -> None:
    pod = resource("Pod", "p")
    namespace = resource("Namespace", "old")
    role = resource("ClusterRole", "r", "rbac.authorization.k8s.io/v1")
    binding = resource(
        "RoleBinding",
        "b",
        "rbac.authorization.k8s.io/v1",
        subjects=[{"kind": "ServiceAccount", "name": "default"}, {"kind": "User", "name": "u"}],
    )
    api = resource("APIService", "v1.x", "apiregistration.k8s.io/v1", spec={})
    set_namespace([pod, namespace, role, binding, api], "prod", NAMESPACE_FIELD_SPECS, "k.yaml")
    assert pod.manifest["metadata"] == {"name": "p", "namespace": "prod"}
    assert namespace.manifest["metadata"] == {"name": "prod"}
    assert role.manifest["metadata"] == {"name": "r"}
    assert binding.manifest["subjects"] == [
        {"kind": "ServiceAccount", "name": "default", "namespace": "prod"},
        {"kind": "User", "name": "u"},
    ]
    assert api.manifest["spec"] == {"service": {"namespace": "prod"}}
    assert pod.previous_ids == [ResId("", "v1", "Pod", "p", "")]


def test_set_namespace_conflict() -> None:
    a = resource("ConfigMap", "cm", metadata={"name": "cm", "namespace": "a"})
    c = resource("ConfigMap", "cm", metadata={"name": "cm", "namespace": "c"})
    with pytest.raises(ResourceError) as info:
        set_namespace([a, c], "b", NAMESPACE_FIELD_SPECS, "k.yaml")
    assert str(info.value) == (
        'k.yaml: namespace: ConfigMap "cm" would exist twice in namespace "b" '
        '(from configmap.yaml in namespace "a" and configmap.yaml in namespace "c")'
    )


def test_name_affixes_skip_crds_namespaces_apiservices_and_apply_custom_specs() -> None:
    app = resource(
        "MyApp",
        "app",
        "example.com/v1",
        spec={"instance": "app", "items": [{"name": "a"}, {"other": 1}]},
    )
    crd = resource("CustomResourceDefinition", "x.example.com", "apiextensions.k8s.io/v1")
    ns = resource("Namespace", "n")
    custom = (
        FieldSpec("", "", "MyApp", ("spec", "instance")),
        FieldSpec("", "", "MyApp", ("spec", "items", "name")),
        FieldSpec("", "", "MyApp", ("spec", "made"), create=True),
    )
    add_name_affix([app, crd, ns], (*NAME_FIELD_SPECS, *custom), prefix="p-")
    assert app.manifest["metadata"]["name"] == "p-app"
    assert app.manifest["spec"] == {
        "instance": "p-app",
        "items": [{"name": "p-a"}, {"other": 1}],
        "made": "p-",
    }
    assert app.prefixes == ["p-"]
    assert crd.name == "x.example.com"
    assert ns.name == "n"


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    ("fields", "create", "spec"),
    [
        (3000, False, {}),  # nothing to walk: the path is not followed past the data
        (256, True, _nested(255, "p-")),  # the deepest object kgen reads: 256 levels
    ],
    ids=["long-path-no-create", "create-up-to-the-nesting-limit"],
)
def test_field_spec_paths_of_any_length(fields: int, create: bool, spec: Any) -> None:
    app = resource("MyApp", "app", "example.com/v1", spec={})
    path = ("spec", *["a"] * (fields - 1))
    add_name_affix([app], (FieldSpec("", "", "MyApp", path, create=create),), prefix="p-")
    assert app.manifest["spec"] == spec


@pytest.mark.parametrize(
    ("affix", "field"), [({"prefix": "p-"}, "namePrefix"), ({"suffix": "-s"}, "nameSuffix")]
)
def test_field_spec_creating_deeper_than_the_nesting_limit(
    affix: dict[str, str], field: str
) -> None:
    app = resource("MyApp", "app", "example.com/v1", spec=[{"x": 1}])
    path = ("spec", *["a"] * 255)  # through the list: 258 levels
    with pytest.raises(ResourceError) as info:
        add_name_affix([app], (FieldSpec("", "", "MyApp", path, create=True),), **affix)
    assert str(info.value) == (
        f"myapp.yaml: {field}: a fieldSpec path of 256 fields would create an object nested "
        "deeper than 256 levels, kgen's limit"
    )


def test_namespace_field_spec_creating_deeper_than_the_nesting_limit() -> None:
    cm = resource("ConfigMap", "cm")
    spec = FieldSpec("", "", "ConfigMap", ("data", *["a"] * 999), create=True)
    with pytest.raises(ResourceError) as info:
        set_namespace([cm], "ns", (spec,), "k.yaml")
    assert str(info.value) == (
        "configmap.yaml: namespace: a fieldSpec path of 1000 fields would create an object "
        "nested deeper than 256 levels, kgen's limit"
    )
