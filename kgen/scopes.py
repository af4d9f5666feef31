"""Which kinds are cluster-scoped, by kustomize's rule.

kustomize (kyaml ``openapi.IsCertainlyClusterScoped``) looks the exact ``apiVersion`` + ``kind`` up
in a table precomputed from its built-in OpenAPI schema (Kubernetes 1.21.2,
``kyaml/openapi/openapi.go`` ``precomputedIsNamespaceScoped``). A type in that table marked not
namespace-scoped is cluster-scoped; every other type, including unknown kinds and CRD instances, is
treated as namespaced. The table below lists the cluster-scoped entries of kustomize v5.5.0.
"""

from __future__ import annotations

from kgen.model import Gvk

_CLUSTER_SCOPED_TYPES: tuple[tuple[str, str], ...] = (
    # (apiVersion, kind), in the order of kyaml's table
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("apiregistration.k8s.io/v1beta1", "APIService"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1beta1", "IngressClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("node.k8s.io/v1beta1", "RuntimeClass"),
    ("policy/v1beta1", "PodSecurityPolicy"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1beta1", "CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSINode"),
    ("storage.k8s.io/v1beta1", "StorageClass"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"),
    ("v1", "ComponentStatus"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "NodeProxyOptions"),
    ("v1", "PersistentVolume"),
)

CLUSTER_SCOPED_TYPES: frozenset[tuple[str, str]] = frozenset(_CLUSTER_SCOPED_TYPES)
"""``(apiVersion, kind)`` pairs kustomize treats as cluster-scoped."""


def api_version(gvk: Gvk) -> str:
    """kustomize's ``Gvk.ApiVersion()``: ``group/version``, or just ``version`` without a group."""
    return f"{gvk.group}/{gvk.version}" if gvk.group else gvk.version


def is_cluster_scoped(gvk: Gvk) -> bool:
    """True if kustomize considers objects of this exact group/version/kind cluster-scoped."""
    return (api_version(gvk), gvk.kind) in CLUSTER_SCOPED_TYPES
