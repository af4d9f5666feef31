"""Which kinds are cluster-scoped, by kustomize's rule.

kustomize (kyaml ``openapi.IsCertainlyClusterScoped``) looks the exact ``apiVersion`` + ``kind`` up
in a table precomputed from its built-in OpenAPI schema (Kubernetes 1.21.2,
``kyaml/openapi/openapi.go`` ``precomputedIsNamespaceScoped``). A type in that table marked not
namespace-scoped is cluster-scoped; every other type, including unknown kinds and CRD instances, is
treated as namespaced. The tables below list the entries of kustomize v5.5.0's table: the
cluster-scoped ones, then the namespaced ones.

The table also decides when kustomize parses its built-in schema (see
:data:`PRECOMPUTED_TYPES`).
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

_NAMESPACED_TYPES: tuple[tuple[str, str], ...] = (
    # (apiVersion, kind), in the order of kyaml's table
    ("apps/v1", "ControllerRevision"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "StatefulSet"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "Scale"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"),
    ("batch/v1", "CronJob"),
    ("batch/v1", "Job"),
    ("batch/v1beta1", "CronJob"),
    ("coordination.k8s.io/v1", "Lease"),
    ("coordination.k8s.io/v1beta1", "Lease"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"),
    ("events.k8s.io/v1", "Event"),
    ("events.k8s.io/v1beta1", "Event"),
    ("extensions/v1beta1", "Ingress"),
    ("networking.k8s.io/v1", "Ingress"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("networking.k8s.io/v1beta1", "Ingress"),
    ("policy/v1", "PodDisruptionBudget"),
    ("policy/v1beta1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "Role"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"),
    ("v1", "ConfigMap"),
    ("v1", "Endpoints"),
    ("v1", "Event"),
    ("v1", "LimitRange"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "Pod"),
    ("v1", "PodAttachOptions"),
    ("v1", "PodExecOptions"),
    ("v1", "PodPortForwardOptions"),
    ("v1", "PodProxyOptions"),
    ("v1", "PodTemplate"),
    ("v1", "ReplicationController"),
    ("v1", "ResourceQuota"),
    ("v1", "Secret"),
    ("v1", "Service"),
    ("v1", "ServiceAccount"),
    ("v1", "ServiceProxyOptions"),
)

PRECOMPUTED_TYPES: frozenset[tuple[str, str]] = frozenset(_CLUSTER_SCOPED_TYPES + _NAMESPACED_TYPES)
"""Every ``(apiVersion, kind)`` of kyaml's precomputed table. Taking the id of an object of any
other type while no schema is set flags kustomize's built-in schema to be parsed when a schema
is first needed, beside a custom one set later (kyaml's
``isInitSchemaNeededForNamespaceScopeCheck``)."""

CLUSTER_SCOPED_TYPES: frozenset[tuple[str, str]] = frozenset(_CLUSTER_SCOPED_TYPES)
"""``(apiVersion, kind)`` pairs kustomize treats as cluster-scoped."""


def api_version(gvk: Gvk) -> str:
    """kustomize's ``Gvk.ApiVersion()``: ``group/version``, or just ``version`` without a group."""
    return f"{gvk.group}/{gvk.version}" if gvk.group else gvk.version


def is_cluster_scoped(gvk: Gvk) -> bool:
    """True if kustomize considers objects of this exact group/version/kind cluster-scoped."""
    return (api_version(gvk), gvk.kind) in CLUSTER_SCOPED_TYPES


def is_precomputed(gvk: Gvk) -> bool:
    """True if kyaml's precomputed scope table has this exact group/version/kind."""
    return (api_version(gvk), gvk.kind) in PRECOMPUTED_TYPES
