"""kgen.scopes: kustomize's (kyaml's) cluster-scoped table."""

from __future__ import annotations

import pytest

from kgen.model import Gvk
from kgen.scopes import (
    CLUSTER_SCOPED_TYPES,
    PRECOMPUTED_TYPES,
    api_version,
    is_cluster_scoped,
    is_precomputed,
)


@pytest.mark.parametrize(
    ("gvk", "expected"),
    [
        pytest.param(Gvk("", "v1", "Namespace"), True, id="namespace"),
        pytest.param(Gvk("", "v1", "Node"), True, id="node"),
        pytest.param(Gvk("", "v1", "PersistentVolume"), True, id="pv"),
        pytest.param(Gvk("", "v1", "ComponentStatus"), True, id="componentstatus"),
        pytest.param(Gvk("rbac.authorization.k8s.io", "v1", "ClusterRole"), True, id="clusterrole"),
        pytest.param(
            Gvk("rbac.authorization.k8s.io", "v1beta1", "ClusterRoleBinding"), True, id="crb-beta"
        ),
        pytest.param(Gvk("storage.k8s.io", "v1", "StorageClass"), True, id="storageclass"),
        pytest.param(Gvk("storage.k8s.io", "v1", "CSIDriver"), True, id="csidriver"),
        pytest.param(Gvk("apiextensions.k8s.io", "v1", "CustomResourceDefinition"), True, id="crd"),
        pytest.param(
            Gvk("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"),
            True,
            id="vwc",
        ),
        pytest.param(Gvk("scheduling.k8s.io", "v1", "PriorityClass"), True, id="priorityclass"),
        pytest.param(Gvk("networking.k8s.io", "v1", "IngressClass"), True, id="ingressclass"),
        pytest.param(Gvk("apiregistration.k8s.io", "v1", "APIService"), True, id="apiservice"),
        pytest.param(Gvk("policy", "v1beta1", "PodSecurityPolicy"), True, id="psp"),
        # namespaced, unknown, or a version kyaml's table doesn't list
        pytest.param(Gvk("", "v1", "ConfigMap"), False, id="configmap"),
        pytest.param(Gvk("", "v1", "Secret"), False, id="secret"),
        pytest.param(Gvk("apps", "v1", "Deployment"), False, id="deployment"),
        pytest.param(Gvk("rbac.authorization.k8s.io", "v1", "Role"), False, id="role"),
        pytest.param(Gvk("", "v2", "Namespace"), False, id="namespace-v2"),
        pytest.param(Gvk("", "", "Namespace"), False, id="namespace-no-version"),
        pytest.param(Gvk("example.com", "v1", "Namespace"), False, id="namespace-other-group"),
        pytest.param(Gvk("", "v1", "ClusterRole"), False, id="clusterrole-core"),
        pytest.param(
            Gvk("rbac.authorization.k8s.io", "v1alpha1", "ClusterRole"), False, id="cr-a1"
        ),
        pytest.param(
            Gvk("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"),
            False,
            id="vap-not-in-kyaml-table",
        ),
        pytest.param(Gvk("policy", "v1", "PodSecurityPolicy"), False, id="psp-v1"),
        pytest.param(Gvk("example.com", "v1", "MyCluster"), False, id="custom"),
    ],
)
def test_is_cluster_scoped(gvk: Gvk, expected: bool) -> None:
    assert is_cluster_scoped(gvk) is expected


def test_table_size() -> None:
    assert len(CLUSTER_SCOPED_TYPES) == 36


@pytest.mark.parametrize(
    ("gvk", "expected"),
    [
        pytest.param(Gvk("", "v1", "Pod"), "v1", id="core"),
        pytest.param(Gvk("apps", "v1", "Deployment"), "apps/v1", id="group"),
        pytest.param(Gvk("", "", "X"), "", id="empty"),
    ],
)
def test_api_version(gvk: Gvk, expected: str) -> None:
    assert api_version(gvk) == expected


@pytest.mark.parametrize(
    ("gvk", "expected"),
    [
        pytest.param(Gvk("", "v1", "ConfigMap"), True, id="configmap"),
        pytest.param(Gvk("apps", "v1", "Deployment"), True, id="deployment"),
        pytest.param(Gvk("", "v1", "Namespace"), True, id="cluster-scoped"),
        pytest.param(Gvk("", "v1", "ServiceProxyOptions"), True, id="proxy-options"),
        pytest.param(Gvk("", "v1", "Deployment"), False, id="deployment-core"),
        pytest.param(Gvk("apps", "v1beta1", "Deployment"), False, id="deployment-beta"),
        pytest.param(Gvk("", "v1", "ConfigMapList"), False, id="list"),
        pytest.param(Gvk("example.com", "v1", "Widget"), False, id="custom"),
    ],
)
def test_is_precomputed(gvk: Gvk, expected: bool) -> None:
    assert is_precomputed(gvk) is expected


def test_precomputed_table() -> None:
    """kyaml's table: 82 types, the cluster-scoped ones among them."""
    assert len(PRECOMPUTED_TYPES) == 82
    assert CLUSTER_SCOPED_TYPES < PRECOMPUTED_TYPES
