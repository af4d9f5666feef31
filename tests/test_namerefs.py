"""kgen.namerefs: the nameReference table, configurations: parsing/merging, and the rewrite.

Expected rewrites marked "kubectl" were checked against `kubectl kustomize` (Kustomize v5.5.0).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kgen import namerefs
from kgen.errors import KustomizationError, ResourceError
from kgen.fieldspecs import (
    BUILTIN_CONFIG,
    BUILTIN_NAME_REFERENCES,
    FieldSpec,
    NameReference,
    TransformerConfig,
    join_path,
    merge_name_references,
    merge_transformer_configs,
    parse_name_references,
    split_path,
)
from kgen.model import Gvk, Resource, split_api_version
from kgen.namerefs import rewrite_references

CM = Gvk("", "v1", "ConfigMap")
SECRET = Gvk("", "v1", "Secret")


def make(
    api_version: str,
    kind: str,
    name: str,
    namespace: str | None = None,
    *,
    renamed: str | None = None,
    prefixes: tuple[str, ...] = (),
    suffixes: tuple[str, ...] = (),
    **body: Any,
) -> Resource:
    """A resource named ``name``; with ``renamed``, renamed to that (recording the previous id)."""
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    group, version = split_api_version(api_version)
    resource = Resource(
        {"apiVersion": api_version, "kind": kind, "metadata": metadata, **body},
        f"{kind}/{name}",
        Gvk(group, version, kind),
        prefixes=list(prefixes),
        suffixes=list(suffixes),
    )
    if renamed is not None:
        resource.rename(renamed)
    return resource


def pod_spec(**fields: Any) -> dict[str, Any]:
    return {"containers": [{"name": "app", "image": "nginx"}], **fields}


# --------------------------------------------------------------------------------------------
# Table


def test_builtin_table_shape() -> None:
    targets = [entry.target for entry in BUILTIN_NAME_REFERENCES]
    # kustomize's effective order: sorted by target (kind rank, then group_version_kind)
    assert targets == [
        Gvk("storage.k8s.io", "v1", "StorageClass"),
        Gvk("", "v1", "ServiceAccount"),
        Gvk("rbac.authorization.k8s.io", "", "Role"),
        Gvk("rbac.authorization.k8s.io", "", "ClusterRole"),
        CM,
        SECRET,
        Gvk("", "v1", "Service"),
        Gvk("scheduling.k8s.io", "v1", "PriorityClass"),
        Gvk("", "v1", "PersistentVolume"),
        Gvk("", "v1", "PersistentVolumeClaim"),
        Gvk("", "", "Deployment"),
        Gvk("", "", "StatefulSet"),
        Gvk("admissionregistration.k8s.io", "", "ValidatingAdmissionPolicy"),
        Gvk("networking.k8s.io/v1", "v1", "IngressClass"),
        Gvk("", "", "ReplicaSet"),
        Gvk("", "", "ReplicationController"),
    ]
    counts = {entry.target.kind: len(entry.referrers) for entry in BUILTIN_NAME_REFERENCES}
    assert counts["ConfigMap"] == 52
    assert counts["Secret"] == 70
    assert sum(counts.values()) == 167


def test_builtin_table_details() -> None:
    secret = next(e for e in BUILTIN_NAME_REFERENCES if e.target == SECRET)
    tls = FieldSpec("", "", "Ingress", ("spec", "tls", "secretName"))
    assert secret.referrers.count(tls) == 2
    assert secret.referrers[0] == FieldSpec(
        "", "v1", "Pod", ("spec", "volumes", "secret", "secretName")
    )
    assert (
        FieldSpec(
            "",
            "",
            "Ingress",
            ("metadata", "annotations", "nginx.ingress.kubernetes.io/auth-tls-secret"),
        )
        in secret.referrers
    )
    assert (
        FieldSpec(
            "serving.knative.dev",
            "v1",
            "Service",
            ("spec", "template", "spec", "containers", "env", "valueFrom", "secretKeyRef", "name"),
        )
        in secret.referrers
    )
    assert secret.referrers[-1] == FieldSpec(
        "", "", "PersistentVolume", ("spec", "azureFile", "secretName")
    )
    sa = next(e for e in BUILTIN_NAME_REFERENCES if e.target.kind == "ServiceAccount")
    assert sa.referrers[0] == FieldSpec(
        "rbac.authorization.k8s.io", "", "RoleBinding", ("subjects",)
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("spec/tls/secretName", ("spec", "tls", "secretName"), id="plain"),
        pytest.param("/spec/x", ("spec", "x"), id="leading-slash"),
        pytest.param("a/b\\/c/d", ("a", "b/c", "d"), id="escaped"),
        pytest.param("a/b\\/c\\/d", ("a", "b/c/d"), id="escaped-twice"),
        pytest.param("", ("",), id="empty"),
        pytest.param("/", ("",), id="slash"),
        pytest.param("a//b", ("a", "", "b"), id="empty-element"),
    ],
)
def test_split_path(path: str, expected: tuple[str, ...]) -> None:
    assert split_path(path) == expected


def test_join_path_round_trip() -> None:
    path = "metadata/annotations/ingress.kubernetes.io\\/auth-secret"
    assert join_path(split_path(path)) == path


# --------------------------------------------------------------------------------------------
# configurations:


def test_parse_name_references() -> None:
    data = {
        "nameReference": [
            {
                "kind": "Secret",
                "fieldSpecs": [
                    {"kind": "MyApp", "group": "example.com", "path": "spec/secretNames"}
                ],
            },
            {
                "kind": "ConfigMap",
                "version": "v1",
                "fieldSpecs": [
                    {"kind": "MyApp", "path": "spec/configRef/name"},
                    {"kind": "MyApp", "path": "spec/items/cm", "create": False},
                ],
            },
        ],
        "namePrefix": [{"path": "metadata/name"}],
        "commonLabels": None,
    }
    assert parse_name_references(data, "nameref.yaml") == (
        NameReference(
            CM,
            (
                FieldSpec("", "", "MyApp", ("spec", "configRef", "name")),
                FieldSpec("", "", "MyApp", ("spec", "items", "cm")),
            ),
        ),
        NameReference(
            Gvk("", "", "Secret"), (FieldSpec("example.com", "", "MyApp", ("spec", "secretNames")),)
        ),
    )


def test_parse_accepts_any_case_and_nulls() -> None:
    data = {"NameReference": [{"Kind": "Secret", "FieldSpecs": [None, {"PATH": "a/b"}]}, None]}
    assert parse_name_references(data, "c.yaml") == (
        NameReference(
            Gvk("", "", "Secret"), (FieldSpec("", "", "", ("",)), FieldSpec("", "", "", ("a", "b")))
        ),
        NameReference(Gvk("", "", ""), ()),
    )
    assert parse_name_references(None, "c.yaml") == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"nameReferences": []},
            'c.yaml: configuration: unknown field "nameReferences" (did you mean "nameReference"?)',
            id="top",
        ),
        pytest.param(
            {"nameReference": [{"kind": "Secret", "fieldspec": []}]},
            'c.yaml: nameReference[0]: unknown field "fieldspec" (did you mean "fieldSpecs"?)',
            id="entry",
        ),
        pytest.param(
            {"nameReference": [{"kind": "Secret", "fieldSpecs": [{"path": "a", "kinds": "X"}]}]},
            'c.yaml: nameReference[0].fieldSpecs[0]: unknown field "kinds" (did you mean "kind"?)',
            id="fieldspec",
        ),
        pytest.param(
            {"images": [{"path": "a", "name": "x"}]},
            'c.yaml: images[0]: unknown field "name"',
            id="other-field",
        ),
        pytest.param(
            {"nameReference": [{"kind": 5}]},
            "c.yaml: nameReference[0]: field 'kind' must be a string, not a number",
            id="kind-type",
        ),
        pytest.param(
            {"nameReference": [{"kind": "S", "fieldSpecs": [{"path": "a", "create": "yes"}]}]},
            "c.yaml: nameReference[0].fieldSpecs[0]: field 'create' must be a bool, not a string",
            id="create-type",
        ),
        pytest.param(
            {"nameReference": {"kind": "S"}},
            "c.yaml: configuration: field 'nameReference' must be a list, not a mapping",
            id="not-a-list",
        ),
        pytest.param(
            ["x"], "c.yaml: a transformer configuration must be a map, not a list", id="top-list"
        ),
        pytest.param(
            {"nameReference": ["x"]},
            "c.yaml: nameReference[0]: must be a map, not a string",
            id="x",
        ),
    ],
)
def test_parse_errors(data: Any, message: str) -> None:
    with pytest.raises(KustomizationError) as caught:
        parse_name_references(data, "c.yaml")
    assert str(caught.value) == message


def test_merge_into_builtin() -> None:
    extra = parse_name_references(
        {
            "nameReference": [
                {
                    "kind": "ConfigMap",
                    "version": "v1",
                    "fieldSpecs": [
                        {"kind": "MyApp", "path": "spec/configRef/name"},
                        # already there (selected by the incoming GVK, same path): dropped
                        {"kind": "Pod", "path": "spec/volumes/configMap/name"},
                    ],
                },
                {"kind": "ConfigMap", "fieldSpecs": [{"kind": "Other", "path": "x"}]},
            ]
        },
        "c.yaml",
    )
    merged = merge_name_references(BUILTIN_NAME_REFERENCES, extra)
    kinds = [entry.target for entry in merged]
    # the version-less ConfigMap entry is separate; sorted after the v1 one
    assert kinds.index(Gvk("", "", "ConfigMap")) == kinds.index(CM) + 1
    cm = merged[kinds.index(CM)]
    assert len(cm.referrers) == 53
    assert cm.referrers[-1] == FieldSpec("", "", "MyApp", ("spec", "configRef", "name"))
    assert merge_name_references(merged, merged) == merged


def test_merge_conflicting_create() -> None:
    base = (NameReference(SECRET, (FieldSpec("", "", "X", ("a",)),)),)
    extra = (NameReference(SECRET, (FieldSpec("", "", "X", ("a",), create=True),)),)
    with pytest.raises(KustomizationError) as caught:
        merge_name_references(base, extra, "c.yaml")
    assert str(caught.value) == (
        "c.yaml: failed to merge nameReference fieldSpecs of Secret.v1.[noGrp]: "
        "conflicting 'create' for path 'a' of X"
    )


# --------------------------------------------------------------------------------------------
# Rewriting


def test_deployment_refers_to_secret_and_configmap_every_way() -> None:
    secret = make("v1", "Secret", "sec", renamed="sec-25k92892fb")
    cm = make("v1", "ConfigMap", "cm", renamed="cm-dd5ftkt6gc")
    deployment = make(
        "apps/v1",
        "Deployment",
        "web",
        spec={
            "template": {
                "spec": {
                    "imagePullSecrets": [{"name": "sec"}, {"name": "other"}],
                    "initContainers": [
                        {"name": "init", "envFrom": [{"secretRef": {"name": "sec"}}]}
                    ],
                    "containers": [
                        {
                            "name": "app",
                            "env": [
                                {
                                    "name": "A",
                                    "valueFrom": {"secretKeyRef": {"name": "sec", "key": "k"}},
                                },
                                {
                                    "name": "B",
                                    "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k"}},
                                },
                                {"name": "C", "value": "sec"},
                            ],
                            "envFrom": [
                                {"configMapRef": {"name": "cm"}},
                                {"secretRef": {"name": "sec"}},
                            ],
                        }
                    ],
                    "volumes": [
                        {"name": "s", "secret": {"secretName": "sec"}},
                        {"name": "c", "configMap": {"name": "cm"}},
                        {
                            "name": "p",
                            "projected": {
                                "sources": [
                                    {"secret": {"name": "sec"}},
                                    {"configMap": {"name": "cm"}},
                                    {"configMap": {"name": "unknown"}},
                                ]
                            },
                        },
                        {"name": "e", "emptyDir": {}},
                    ],
                }
            }
        },
    )
    expected = copy.deepcopy(deployment.manifest)
    spec = expected["spec"]["template"]["spec"]
    spec["imagePullSecrets"][0]["name"] = "sec-25k92892fb"
    spec["initContainers"][0]["envFrom"][0]["secretRef"]["name"] = "sec-25k92892fb"
    env = spec["containers"][0]["env"]
    env[0]["valueFrom"]["secretKeyRef"]["name"] = "sec-25k92892fb"
    env[1]["valueFrom"]["configMapKeyRef"]["name"] = "cm-dd5ftkt6gc"
    spec["containers"][0]["envFrom"] = [
        {"configMapRef": {"name": "cm-dd5ftkt6gc"}},
        {"secretRef": {"name": "sec-25k92892fb"}},
    ]
    spec["volumes"][0]["secret"]["secretName"] = "sec-25k92892fb"
    spec["volumes"][1]["configMap"]["name"] = "cm-dd5ftkt6gc"
    sources = spec["volumes"][2]["projected"]["sources"]
    sources[0]["secret"]["name"] = "sec-25k92892fb"
    sources[1]["configMap"]["name"] = "cm-dd5ftkt6gc"
    secret_before = copy.deepcopy(secret.manifest)
    rewrite_references([secret, deployment, cm], BUILTIN_NAME_REFERENCES)
    assert deployment.manifest == expected
    assert secret.manifest == secret_before


@pytest.mark.parametrize(
    ("referrer", "field", "expected"),
    [
        pytest.param(
            make(
                "batch/v1",
                "CronJob",
                "cj",
                spec={
                    "jobTemplate": {
                        "spec": {
                            "template": {
                                "spec": pod_spec(
                                    volumes=[{"name": "v", "secret": {"secretName": "sec"}}]
                                )
                            }
                        }
                    }
                },
            ),
            (
                "spec",
                "jobTemplate",
                "spec",
                "template",
                "spec",
                "volumes",
                0,
                "secret",
                "secretName",
            ),
            "sec-h",
            id="cronjob",
        ),
        pytest.param(
            make("v1", "Pod", "p", spec=pod_spec(imagePullSecrets=[{"name": "sec"}])),
            ("spec", "imagePullSecrets", 0, "name"),
            "sec-h",
            id="pod",
        ),
        pytest.param(
            make(
                "v1", "Pod", "p", spec=pod_spec(imagePullSecrets=[{"name": "sec"}]), apiVersion="v2"
            ),
            ("spec", "imagePullSecrets", 0, "name"),
            "sec",
            id="pod-v2-not-selected",
        ),
        pytest.param(
            make(
                "networking.k8s.io/v1",
                "Ingress",
                "i",
                spec={"tls": [{"hosts": ["a"], "secretName": "sec"}, {"secretName": "x"}]},
            ),
            ("spec", "tls", 0, "secretName"),
            "sec-h",
            id="ingress-tls",
        ),
        pytest.param(
            make(
                "networking.k8s.io/v1",
                "Ingress",
                "i",
                metadata={
                    "name": "i",
                    "annotations": {"nginx.ingress.kubernetes.io/auth-secret": "sec"},
                },
            ),
            ("metadata", "annotations", "nginx.ingress.kubernetes.io/auth-secret"),
            "sec-h",
            id="ingress-annotation",
        ),
        pytest.param(
            make(
                "v1",
                "ServiceAccount",
                "sa",
                imagePullSecrets=[{"name": "sec"}],
                secrets=[{"name": "sec"}],
            ),
            ("imagePullSecrets", 0, "name"),
            "sec-h",
            id="serviceaccount-imagepullsecrets",
        ),
        pytest.param(
            make("v1", "ServiceAccount", "sa", secrets=[{"name": "sec"}]),
            ("secrets", 0, "name"),
            "sec",
            id="serviceaccount-secrets-not-covered",
        ),
        pytest.param(
            make(
                "rbac.authorization.k8s.io/v1",
                "Role",
                "r",
                rules=[{"resources": ["secrets"], "resourceNames": ["x", "sec", "cm"]}],
            ),
            ("rules", 0, "resourceNames"),
            ["x", "sec-h", "cm-h"],
            id="role-resourcenames",
        ),
        pytest.param(
            make("storage.k8s.io/v1", "StorageClass", "sc", parameters={"secretRef": "sec"}),
            ("parameters", "secretRef"),
            "sec-h",
            id="storageclass",
        ),
        pytest.param(
            make(
                "serving.knative.dev/v1",
                "Service",
                "k",
                spec={
                    "template": {
                        "spec": {
                            "containers": [
                                {"env": [{"valueFrom": {"secretKeyRef": {"name": "sec"}}}]}
                            ]
                        }
                    }
                },
            ),
            (
                "spec",
                "template",
                "spec",
                "containers",
                0,
                "env",
                0,
                "valueFrom",
                "secretKeyRef",
                "name",
            ),
            "sec-h",
            id="knative",
        ),
        pytest.param(
            make("example.com/v1", "Pod", "p", spec=pod_spec(imagePullSecrets=[{"name": "sec"}])),
            ("spec", "imagePullSecrets", 0, "name"),
            "sec-h",
            id="any-group-pod",
        ),
    ],
)
def test_referrers(referrer: Resource, field: tuple[Any, ...], expected: Any) -> None:
    secret = make("v1", "Secret", "sec", renamed="sec-h")
    cm = make("v1", "ConfigMap", "cm", renamed="cm-h")
    rewrite_references([secret, cm, referrer], BUILTIN_NAME_REFERENCES)
    node: Any = referrer.manifest
    for key in field:
        node = node[key]
    assert node == expected


def test_never_renamed_objects_are_not_candidates() -> None:
    secret = make("v1", "Secret", "sec")
    pod = make("v1", "Pod", "p", spec=pod_spec(imagePullSecrets=[{"name": "sec"}]))
    rewrite_references([secret, pod], BUILTIN_NAME_REFERENCES)
    assert pod.manifest["spec"]["imagePullSecrets"] == [{"name": "sec"}]


def test_only_previous_names_match() -> None:
    secret = make("v1", "Secret", "sec", renamed="sec-h")
    pod = make("v1", "Pod", "p", spec=pod_spec(imagePullSecrets=[{"name": "sec-h"}]))
    rewrite_references([secret, pod], BUILTIN_NAME_REFERENCES)
    assert pod.manifest["spec"]["imagePullSecrets"] == [{"name": "sec-h"}]


def test_namespace_isolation() -> None:
    """facts §4.3 (kubectl): each Pod sees only its own namespace's generated ConfigMap."""
    cms = [
        make("v1", "ConfigMap", "cm", "ns-a", renamed="cm-f2246d97fg"),
        make("v1", "ConfigMap", "cm", "ns-b", renamed="cm-g79bm58m9h"),
        make("v1", "ConfigMap", "cm", renamed="cm-5k2d9h8bf5"),
    ]
    pods = {
        namespace: make(
            "v1",
            "Pod",
            "p",
            namespace,
            spec=pod_spec(volumes=[{"name": "v", "configMap": {"name": "cm"}}]),
        )
        for namespace in ("ns-a", "ns-b", None, "default", "ns-c")
    }
    rewrite_references([*cms, *pods.values()], BUILTIN_NAME_REFERENCES)
    names = {ns: p.manifest["spec"]["volumes"][0]["configMap"]["name"] for ns, p in pods.items()}
    assert names == {
        "ns-a": "cm-f2246d97fg",
        "ns-b": "cm-g79bm58m9h",
        None: "cm-5k2d9h8bf5",
        "default": "cm-5k2d9h8bf5",
        "ns-c": "cm",
    }


def clusterrole(*names: str) -> Resource:
    return make(
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
        "reader",
        rules=[{"resources": ["configmaps"], "resourceNames": list(names)}],
    )


def test_cluster_scoped_referrer_ambiguous() -> None:
    """facts §4.3 (kubectl): a ClusterRole sees all three `cm`s -> error."""
    cms = [
        make("v1", "ConfigMap", "cm", "ns-a", renamed="cm-f2246d97fg"),
        make("v1", "ConfigMap", "cm", "ns-b", renamed="cm-g79bm58m9h"),
        make("v1", "ConfigMap", "cm", renamed="cm-5k2d9h8bf5"),
    ]
    role = clusterrole("cm")
    with pytest.raises(ResourceError) as caught:
        rewrite_references([*cms, role], BUILTIN_NAME_REFERENCES)
    assert str(caught.value) == (
        "ClusterRole/reader: updating name reference in 'rules/resourceNames' field of "
        "'ClusterRole.v1.rbac.authorization.k8s.io/reader.[noNs]': found multiple possible "
        "referrals: ConfigMap.v1.[noGrp]/cm-f2246d97fg.ns-a, "
        "ConfigMap.v1.[noGrp]/cm-g79bm58m9h.ns-b, ConfigMap.v1.[noGrp]/cm-5k2d9h8bf5.[noNs]"
    )


def test_cluster_scoped_referrer_same_names() -> None:
    """facts §4.3 (kubectl): equal data -> same hashed name -> rewritten silently."""
    cms = [
        make("v1", "ConfigMap", "cm", "ns-a", renamed="cm-8mkb5552bf"),
        make("v1", "ConfigMap", "cm", "ns-b", renamed="cm-8mkb5552bf"),
    ]
    role = clusterrole("cm", "other")
    rewrite_references([*cms, role], BUILTIN_NAME_REFERENCES)
    assert role.manifest["rules"][0]["resourceNames"] == ["cm-8mkb5552bf", "other"]


def test_prefix_disambiguation_diamond() -> None:
    """facts §4.3 (kubectl): two bases `a-`/`b-` each generating `cm` and referring to it."""
    cm_a = make("v1", "ConfigMap", "cm", renamed="a-cm", prefixes=("a-",))
    cm_a.rename("a-cm-hash1")
    cm_b = make("v1", "ConfigMap", "cm", renamed="b-cm", prefixes=("b-",))
    cm_b.rename("b-cm-hash2")
    dep_a = make(
        "apps/v1",
        "Deployment",
        "web",
        renamed="a-web",
        prefixes=("a-",),
        spec={"template": {"spec": pod_spec(volumes=[{"name": "v", "configMap": {"name": "cm"}}])}},
    )
    dep_b = make(
        "apps/v1",
        "Deployment",
        "web",
        renamed="b-web",
        prefixes=("b-",),
        spec={"template": {"spec": pod_spec(volumes=[{"name": "v", "configMap": {"name": "cm"}}])}},
    )
    rewrite_references([cm_a, cm_b, dep_a, dep_b], BUILTIN_NAME_REFERENCES)
    assert (
        dep_a.manifest["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"]
        == "a-cm-hash1"
    )
    assert (
        dep_b.manifest["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"]
        == "b-cm-hash2"
    )


def test_prefix_disambiguation_strict_pass() -> None:
    # the lenient pass lets the candidate without prefixes through; the strict one doesn't
    one = make("v1", "Secret", "s", renamed="s-h")
    two = make("v1", "Secret", "s", renamed="x-s", prefixes=("x-",))
    pod = make(
        "v1",
        "Pod",
        "p",
        renamed="x-p",
        prefixes=("x-",),
        spec=pod_spec(imagePullSecrets=[{"name": "s"}]),
    )
    rewrite_references([one, two, pod], BUILTIN_NAME_REFERENCES)
    assert pod.manifest["spec"]["imagePullSecrets"] == [{"name": "x-s"}]


def test_same_ending_prefixes_stay_ambiguous() -> None:
    # [o-] and [x-, o-] end the same way as the referrer's [x-, o-]: both pass both passes
    one = make("v1", "Secret", "s", renamed="o-s", prefixes=("o-",))
    two = make("v1", "Secret", "s", renamed="x-o-s", prefixes=("x-", "o-"))
    pod = make(
        "v1",
        "Pod",
        "p",
        renamed="x-o-p",
        prefixes=("x-", "o-"),
        spec=pod_spec(imagePullSecrets=[{"name": "s"}]),
    )
    with pytest.raises(
        ResourceError,
        match="found multiple possible referrals: "
        r"Secret.v1.\[noGrp\]/o-s.\[noNs\], Secret.v1.\[noGrp\]/x-o-s.\[noNs\]$",
    ):
        rewrite_references([one, two, pod], BUILTIN_NAME_REFERENCES)


def test_rolebinding_subjects_kubectl() -> None:
    """kubectl: a ServiceAccount subject in another namespace, and one without namespace."""
    sa = make("v1", "ServiceAccount", "sa", "y", renamed="p-sa", prefixes=("p-",))
    cr = make("rbac.authorization.k8s.io/v1", "ClusterRole", "cr", renamed="p-cr", prefixes=("p-",))
    rb = make(
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        "rb",
        "x",
        renamed="p-rb",
        prefixes=("p-",),
        roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cr"},
        subjects=[
            {"kind": "ServiceAccount", "name": "sa", "namespace": "y"},
            {"kind": "ServiceAccount", "name": "sa"},
            {"kind": "User", "name": "sa"},
        ],
    )
    rewrite_references([sa, cr, rb], BUILTIN_NAME_REFERENCES)
    assert rb.manifest["roleRef"]["name"] == "p-cr"
    assert rb.manifest["subjects"] == [
        {"kind": "ServiceAccount", "name": "p-sa", "namespace": "y"},
        {"kind": "ServiceAccount", "name": "p-sa", "namespace": "y"},
        {"kind": "User", "name": "p-sa", "namespace": "y"},
    ]


def test_roleref_kind_filters_candidates() -> None:
    role = make("rbac.authorization.k8s.io/v1", "Role", "r", "ns", renamed="p-r")
    cluster_role = make("rbac.authorization.k8s.io/v1", "ClusterRole", "r", renamed="q-r")
    rb = make(
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        "rb",
        "ns",
        roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "r"},
    )
    rewrite_references([role, cluster_role, rb], BUILTIN_NAME_REFERENCES)
    assert rb.manifest["roleRef"]["name"] == "q-r"


def test_objects_alike_but_for_their_roleref_kind_find_each_their_own() -> None:
    """Two RoleBindings alike (one namespace, no prefix) naming ``r``, one a Role, one a
    ClusterRole: each finds its own kind's (answers are shared only between fields that
    depend on nothing else)."""
    role = make("rbac.authorization.k8s.io/v1", "Role", "r", "ns", renamed="p-r")
    cluster_role = make("rbac.authorization.k8s.io/v1", "ClusterRole", "r", renamed="q-r")
    bindings = [
        make(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            f"rb-{kind}",
            "ns",
            roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": "r"},
        )
        for kind in ("ClusterRole", "Role", "ClusterRole", "Role")
    ]
    rewrite_references([role, cluster_role, *bindings], BUILTIN_NAME_REFERENCES)
    assert [rb.manifest["roleRef"]["name"] for rb in bindings] == ["q-r", "p-r", "q-r", "p-r"]


def test_hpa_uses_sorted_table_order_kubectl() -> None:
    """kubectl: the StatefulSet entry sorts before the ReplicaSet one, so it wins."""
    sts = make("apps/v1", "StatefulSet", "app", renamed="b-app", prefixes=("b-",))
    rs = make("apps/v1", "ReplicaSet", "app", renamed="c-app", prefixes=("c-",))
    hpa = make(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        "h",
        spec={"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "app"}},
    )
    rewrite_references([sts, rs, hpa], BUILTIN_NAME_REFERENCES)
    assert hpa.manifest["spec"]["scaleTargetRef"]["name"] == "b-app"


def test_ingressclass_never_rewritten_kubectl() -> None:
    ic = make("networking.k8s.io/v1", "IngressClass", "nginx", renamed="p-nginx")
    ingress = make("networking.k8s.io/v1", "Ingress", "i", spec={"ingressClassName": "nginx"})
    rewrite_references([ic, ingress], BUILTIN_NAME_REFERENCES)
    assert ingress.manifest["spec"]["ingressClassName"] == "nginx"


@pytest.mark.parametrize(
    ("config_source", "expected"),
    [
        pytest.param({"name": "cm"}, {"name": "cm-h", "namespace": "kube-system"}, id="no-ns"),
        pytest.param(
            {"name": "cm", "namespace": "kube-system"},
            {"name": "cm-h", "namespace": "kube-system"},
            id="ns",
        ),
        pytest.param(
            {"name": "cm", "namespace": "other"},
            {"name": "cm", "namespace": "other"},
            id="other-ns",
        ),
        pytest.param(
            {"name": "cm", "namespace": ""}, {"name": "cm", "namespace": ""}, id="empty-ns"
        ),
    ],
)
def test_node_config_source_map(config_source: dict[str, str], expected: dict[str, str]) -> None:
    cm = make("v1", "ConfigMap", "cm", "kube-system", renamed="cm-h")
    node = make("v1", "Node", "n", spec={"configSource": {"configMap": config_source}})
    rewrite_references([cm, node], BUILTIN_NAME_REFERENCES)
    assert node.manifest["spec"]["configSource"]["configMap"] == expected


def test_map_reference_keeps_namespace_when_referral_has_none() -> None:
    cm = make("v1", "ConfigMap", "cm", renamed="cm-h")
    node = make("v1", "Node", "n", spec={"configSource": {"configMap": {"name": "cm"}}})
    rewrite_references([cm, node], BUILTIN_NAME_REFERENCES)
    assert node.manifest["spec"]["configSource"]["configMap"] == {"name": "cm-h"}


def test_custom_configuration_kubectl() -> None:
    """facts §4.4 (kubectl): custom nameReference fields for a CRD."""
    table = merge_name_references(
        BUILTIN_NAME_REFERENCES,
        parse_name_references(
            {
                "nameReference": [
                    {
                        "kind": "ConfigMap",
                        "version": "v1",
                        "fieldSpecs": [
                            {"kind": "MyApp", "path": "spec/configRef/name"},
                            {"kind": "MyApp", "path": "spec/items/cm"},
                        ],
                    },
                    {
                        "kind": "Secret",
                        "fieldSpecs": [
                            {"kind": "MyApp", "group": "example.com", "path": "spec/secretNames"}
                        ],
                    },
                ]
            },
            "nameref.yaml",
        ),
    )
    cm = make("v1", "ConfigMap", "cm", renamed="cm-b2mtd45c88")
    sec = make("v1", "Secret", "sec", renamed="sec-hb77m47tg8")
    app = make(
        "example.com/v1",
        "MyApp",
        "app",
        spec={"configRef": {"name": "cm"}, "items": [{"cm": "cm"}], "secretNames": ["sec", "nope"]},
    )
    rewrite_references([cm, sec, app], table)
    assert app.manifest["spec"] == {
        "configRef": {"name": "cm-b2mtd45c88"},
        "items": [{"cm": "cm-b2mtd45c88"}],
        "secretNames": ["sec-hb77m47tg8", "nope"],
    }


def test_referrer_matched_by_original_kind() -> None:
    secret = make("v1", "Secret", "sec", renamed="sec-h")
    # a Pod that a patch turned into a Widget (kind change recorded as a previous id)
    widget = make("v1", "Pod", "p", spec=pod_spec(imagePullSecrets=[{"name": "sec"}]))
    widget.rename("p")
    widget.manifest["kind"] = "Widget"
    rewrite_references([secret, widget], BUILTIN_NAME_REFERENCES)
    assert widget.manifest["spec"]["imagePullSecrets"] == [{"name": "sec-h"}]


@pytest.mark.parametrize(
    ("referrer", "message"),
    [
        pytest.param(
            make("v1", "Pod", "p", spec={"volumes": "oops"}),
            "Pod/p: updating name reference in 'spec/volumes/configMap/name' field of "
            "'Pod.v1.[noGrp]/p.[noNs]': expected sequence or mapping node",
            id="scalar-on-path",
        ),
        pytest.param(
            make("v1", "Pod", "p", spec={"imagePullSecrets": ["sec"]}),
            "Pod/p: updating name reference in 'spec/imagePullSecrets/name' field of "
            "'Pod.v1.[noGrp]/p.[noNs]': expected sequence or mapping node",
            id="scalar-list-element",
        ),
        pytest.param(
            make("v1", "Node", "n", "ns", spec={"configSource": {"configMap": {"nm": "cm"}}}),
            "Node/n: updating name reference in 'spec/configSource/configMap' field of "
            "'Node.v1.[noGrp]/n.ns': path config error; no 'name' field in node",
            id="map-without-name",
        ),
        pytest.param(
            make("rbac.authorization.k8s.io/v1", "Role", "r", rules=[{"resourceNames": [["sec"]]}]),
            "Role/r: updating name reference in 'rules/resourceNames' field of "
            "'Role.v1.rbac.authorization.k8s.io/r.[noNs]': a list element is expected to be either "
            "a string or a map of string",
            id="nested-list",
        ),
        pytest.param(
            make(
                "rbac.authorization.k8s.io/v1",
                "RoleBinding",
                "rb",
                subjects=[{"kind": "ServiceAccount", "name": "sa", "namespace": None}],
            ),
            "RoleBinding/rb: RoleBinding.v1.rbac.authorization.k8s.io/rb.[noNs]: the namespace of "
            "a ServiceAccount subject must be a string",
            id="rolebinding-null-namespace",
        ),
    ],
)
def test_rewrite_errors(referrer: Resource, message: str) -> None:
    secret = make("v1", "Secret", "sec", renamed="sec-h")
    with pytest.raises(ResourceError) as caught:
        rewrite_references([secret, referrer], BUILTIN_NAME_REFERENCES)
    assert str(caught.value) == message


def test_custom_path_errors() -> None:
    table = (NameReference(SECRET, (FieldSpec("", "", "X", ("spec", "0", "name")),)),)
    thing = make("example.com/v1", "X", "x", spec={"a": 1})
    with pytest.raises(ResourceError) as caught:
        rewrite_references([thing], table)
    assert str(caught.value) == (
        "X/x: updating name reference in 'spec/0/name' field of 'X.v1.example.com/x.[noNs]': "
        "fieldName: 0: not a map key"
    )


def test_missing_and_null_fields_are_ignored() -> None:
    secret = make("v1", "Secret", "sec", renamed="sec-h")
    pod = make("v1", "Pod", "p", spec={"volumes": None, "imagePullSecrets": [None, {"name": None}]})
    before = copy.deepcopy(pod.manifest)
    rewrite_references([secret, pod], BUILTIN_NAME_REFERENCES)
    assert pod.manifest == before


def test_empty_table_and_no_resources() -> None:
    rewrite_references([], BUILTIN_NAME_REFERENCES)
    pod = make("v1", "Pod", "p", spec=pod_spec(imagePullSecrets=[{"name": "sec"}]))
    rewrite_references([make("v1", "Secret", "sec", renamed="x"), pod], ())
    assert pod.manifest["spec"]["imagePullSecrets"] == [{"name": "sec"}]


def _examined_candidates(configmaps: int, deployments: int) -> int:
    """How many candidate objects the rewrite examines for ``deployments`` Deployments that
    each refer to three of ``configmaps`` ConfigMaps."""
    resources = [make("v1", "ConfigMap", f"cm{i}", renamed=f"cm{i}-h") for i in range(configmaps)]
    for i in range(deployments):
        container = {
            "name": "c",
            "envFrom": [{"configMapRef": {"name": f"cm{i % configmaps}"}}],
            "env": [
                {
                    "name": "A",
                    "valueFrom": {"configMapKeyRef": {"name": f"cm{(i + 1) % configmaps}"}},
                }
            ],
        }
        volume = {"name": "v", "configMap": {"name": f"cm{(i + 2) % configmaps}"}}
        resources.append(
            make(
                "apps/v1",
                "Deployment",
                f"d{i}",
                spec={"template": {"spec": {"containers": [container], "volumes": [volume]}}},
            )
        )
    examined = 0
    real_selected = namerefs._previous_id_selected

    def counting(info: Any, selector: Gvk) -> bool:
        nonlocal examined
        examined += 1
        return real_selected(info, selector)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(namerefs, "_previous_id_selected", counting)
        rewrite_references(resources, BUILTIN_NAME_REFERENCES)
    last = resources[-1].manifest["spec"]["template"]["spec"]
    assert last["volumes"][0]["configMap"]["name"] == f"cm{(deployments + 1) % configmaps}-h"
    assert last["containers"][0]["envFrom"][0]["configMapRef"]["name"] == (
        f"cm{(deployments - 1) % configmaps}-h"
    )
    return examined


@pytest.mark.parametrize(("configmaps", "deployments"), [(20, 100), (200, 1000), (400, 2000)])
def test_rewrite_examines_one_candidate_per_name(configmaps: int, deployments: int) -> None:
    """Indexes, not scans: the work per reference does not grow with the number of objects,
    and objects alike (one namespace, no prefix or suffix) that name one object find it once
    (a count, not a timer; the speed is benchmarks/run.py's job)."""
    assert _examined_candidates(configmaps, deployments) == configmaps


# --------------------------------------------------------------------------------------------
# Differential check against `kubectl kustomize`

KUBECTL = shutil.which("kubectl")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl not on PATH")
def test_rolebinding_and_hpa_match_kubectl(tmp_path: Path) -> None:
    (tmp_path / "b1").mkdir()
    (tmp_path / "b1" / "kustomization.yaml").write_text("namePrefix: b-\nresources: [r.yaml]\n")
    (tmp_path / "b1" / "r.yaml").write_text(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: app}\n"
    )
    (tmp_path / "b2").mkdir()
    (tmp_path / "b2" / "kustomization.yaml").write_text("namePrefix: c-\nresources: [r.yaml]\n")
    (tmp_path / "b2" / "r.yaml").write_text(
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: app}\n"
    )
    (tmp_path / "kustomization.yaml").write_text("resources: [b1, b2, hpa.yaml]\n")
    (tmp_path / "hpa.yaml").write_text(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
        "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: app}\n"
    )
    assert KUBECTL is not None
    output = subprocess.run(
        [KUBECTL, "kustomize", str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout
    assert "    name: b-app\n" in output


def test_merging_a_sorted_config_into_empty_drops_what_an_earlier_spec_equals() -> None:
    """kustomize's accumulator starts empty and merges each config into it: a kind-specific
    spec sorted before the any-kind one with the same path swallows it."""
    narrow = FieldSpec("", "", "Ingress", ("metadata", "name"))
    anything = FieldSpec("", "", "", ("metadata", "name"))
    own = merge_transformer_configs(BUILTIN_CONFIG, TransformerConfig(name_prefix=(narrow,)))
    assert own.name_prefix == (narrow, anything)
    layer = merge_transformer_configs(TransformerConfig(), own)
    assert layer.name_prefix == (narrow,)
    assert merge_transformer_configs(TransformerConfig(), BUILTIN_CONFIG) == BUILTIN_CONFIG


def test_a_section_conflict_names_the_section() -> None:
    with pytest.raises(KustomizationError) as caught:
        merge_transformer_configs(
            BUILTIN_CONFIG,
            TransformerConfig(
                name_prefix=(FieldSpec("", "", "", ("metadata", "name"), create=True),)
            ),
            "k.yaml",
        )
    assert str(caught.value) == (
        "k.yaml: failed to merge namePrefix fieldSpecs: conflicting 'create' for path "
        "'metadata/name' of any kind"
    )
