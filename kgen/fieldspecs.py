"""kustomize's field-spec tables as data, and ``configurations:`` files that extend them.

Every field-spec transformer of kustomize (namespace, namePrefix/nameSuffix, commonLabels and
``labels``, commonAnnotations, images, replicas), the name-reference rewrite and the variable
references are driven by a table of field paths: kustomize's ``defaultconfig``
(``api/internal/konfig/builtinpluginconsts/``, v5.5.0). The tables are held here as text in the
form kustomize writes them and parsed once, at import; ``configurations:`` files extend each of
them with kustomize's merge rule (:func:`merge_transformer_configs`), inherited upward from bases.

The nameReference table is kustomize v5.5.0's, entries and fieldSpecs in source order
(duplicates kept: Ingress ``spec/tls/secretName`` is listed twice; IngressClass has the bogus group
``networking.k8s.io/v1``, so IngressClass references are never fixed, as in kustomize). kustomize
sorts the entries by target GVK when it loads the table (``TransformerConfig.sortFields``), and
that sorted order is the one it applies; ``BUILTIN_NAME_REFERENCES`` holds that effective order.
The fieldSpec lists keep their source order: kgen's output does not depend on the order in which
fields of one object are set (every mapping is written with its keys sorted).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from kgen.decode import lowered
from kgen.errors import KustomizationError, describe_type
from kgen.model import Gvk
from kgen.order import (
    DEFAULT_ORDER_FIRST,
    DEFAULT_ORDER_LAST,
    gvk_sort_string,
    gvk_string,
    kind_ranks,
)
from kgen.records import NamedTuple

_NAME_REFERENCE_TABLE = r"""
- kind: Deployment
  fieldSpecs:
  - kind: HorizontalPodAutoscaler
    path: spec/scaleTargetRef/name
- kind: ReplicationController
  fieldSpecs:
  - kind: HorizontalPodAutoscaler
    path: spec/scaleTargetRef/name
- kind: ReplicaSet
  fieldSpecs:
  - kind: HorizontalPodAutoscaler
    path: spec/scaleTargetRef/name
- kind: StatefulSet
  fieldSpecs:
  - kind: HorizontalPodAutoscaler
    path: spec/scaleTargetRef/name
- kind: ConfigMap
  version: v1
  fieldSpecs:
  - kind: Pod
    version: v1
    path: spec/volumes/configMap/name
  - kind: Pod
    version: v1
    path: spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: Pod
    version: v1
    path: spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: Pod
    version: v1
    path: spec/containers/envFrom/configMapRef/name
  - kind: Pod
    version: v1
    path: spec/initContainers/envFrom/configMapRef/name
  - kind: Pod
    version: v1
    path: spec/volumes/projected/sources/configMap/name
  - kind: PodTemplate
    path: template/spec/volumes/configMap/name
  - kind: PodTemplate
    path: template/spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: PodTemplate
    path: template/spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: PodTemplate
    path: template/spec/containers/envFrom/configMapRef/name
  - kind: PodTemplate
    path: template/spec/initContainers/envFrom/configMapRef/name
  - kind: PodTemplate
    path: template/spec/volumes/projected/sources/configMap/name
  - kind: Deployment
    path: spec/template/spec/volumes/configMap/name
  - kind: Deployment
    path: spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: Deployment
    path: spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: Deployment
    path: spec/template/spec/containers/envFrom/configMapRef/name
  - kind: Deployment
    path: spec/template/spec/initContainers/envFrom/configMapRef/name
  - kind: Deployment
    path: spec/template/spec/volumes/projected/sources/configMap/name
  - kind: ReplicaSet
    path: spec/template/spec/volumes/configMap/name
  - kind: ReplicaSet
    path: spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: ReplicaSet
    path: spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: ReplicaSet
    path: spec/template/spec/containers/envFrom/configMapRef/name
  - kind: ReplicaSet
    path: spec/template/spec/initContainers/envFrom/configMapRef/name
  - kind: ReplicaSet
    path: spec/template/spec/volumes/projected/sources/configMap/name
  - kind: DaemonSet
    path: spec/template/spec/volumes/configMap/name
  - kind: DaemonSet
    path: spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: DaemonSet
    path: spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: DaemonSet
    path: spec/template/spec/containers/envFrom/configMapRef/name
  - kind: DaemonSet
    path: spec/template/spec/initContainers/envFrom/configMapRef/name
  - kind: DaemonSet
    path: spec/template/spec/volumes/projected/sources/configMap/name
  - kind: StatefulSet
    path: spec/template/spec/volumes/configMap/name
  - kind: StatefulSet
    path: spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: StatefulSet
    path: spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: StatefulSet
    path: spec/template/spec/containers/envFrom/configMapRef/name
  - kind: StatefulSet
    path: spec/template/spec/initContainers/envFrom/configMapRef/name
  - kind: StatefulSet
    path: spec/template/spec/volumes/projected/sources/configMap/name
  - kind: Job
    path: spec/template/spec/volumes/configMap/name
  - kind: Job
    path: spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: Job
    path: spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: Job
    path: spec/template/spec/containers/envFrom/configMapRef/name
  - kind: Job
    path: spec/template/spec/initContainers/envFrom/configMapRef/name
  - kind: Job
    path: spec/template/spec/volumes/projected/sources/configMap/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/volumes/configMap/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name
  - kind: Node
    path: spec/configSource/configMap
  - kind: Role
    path: rules/resourceNames
  - kind: ClusterRole
    path: rules/resourceNames
  - kind: Ingress
    path: metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap
- kind: Secret
  version: v1
  fieldSpecs:
  - kind: Pod
    version: v1
    path: spec/volumes/secret/secretName
  - kind: Pod
    version: v1
    path: spec/containers/env/valueFrom/secretKeyRef/name
  - kind: Pod
    version: v1
    path: spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: Pod
    version: v1
    path: spec/containers/envFrom/secretRef/name
  - kind: Pod
    version: v1
    path: spec/initContainers/envFrom/secretRef/name
  - kind: Pod
    version: v1
    path: spec/imagePullSecrets/name
  - kind: Pod
    version: v1
    path: spec/volumes/projected/sources/secret/name
  - kind: PodTemplate
    path: template/spec/volumes/secret/secretName
  - kind: PodTemplate
    path: template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: PodTemplate
    path: template/spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: PodTemplate
    path: template/spec/containers/envFrom/secretRef/name
  - kind: PodTemplate
    path: template/spec/initContainers/envFrom/secretRef/name
  - kind: PodTemplate
    path: template/spec/imagePullSecrets/name
  - kind: PodTemplate
    path: template/spec/volumes/projected/sources/secret/name
  - kind: Deployment
    path: spec/template/spec/volumes/secret/secretName
  - kind: Deployment
    path: spec/template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: Deployment
    path: spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: Deployment
    path: spec/template/spec/containers/envFrom/secretRef/name
  - kind: Deployment
    path: spec/template/spec/initContainers/envFrom/secretRef/name
  - kind: Deployment
    path: spec/template/spec/imagePullSecrets/name
  - kind: Deployment
    path: spec/template/spec/volumes/projected/sources/secret/name
  - kind: ReplicaSet
    path: spec/template/spec/volumes/secret/secretName
  - kind: ReplicaSet
    path: spec/template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: ReplicaSet
    path: spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: ReplicaSet
    path: spec/template/spec/containers/envFrom/secretRef/name
  - kind: ReplicaSet
    path: spec/template/spec/initContainers/envFrom/secretRef/name
  - kind: ReplicaSet
    path: spec/template/spec/imagePullSecrets/name
  - kind: ReplicaSet
    path: spec/template/spec/volumes/projected/sources/secret/name
  - kind: DaemonSet
    path: spec/template/spec/volumes/secret/secretName
  - kind: DaemonSet
    path: spec/template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: DaemonSet
    path: spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: DaemonSet
    path: spec/template/spec/containers/envFrom/secretRef/name
  - kind: DaemonSet
    path: spec/template/spec/initContainers/envFrom/secretRef/name
  - kind: DaemonSet
    path: spec/template/spec/imagePullSecrets/name
  - kind: DaemonSet
    path: spec/template/spec/volumes/projected/sources/secret/name
  - kind: StatefulSet
    path: spec/template/spec/volumes/secret/secretName
  - kind: StatefulSet
    path: spec/template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: StatefulSet
    path: spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: StatefulSet
    path: spec/template/spec/containers/envFrom/secretRef/name
  - kind: StatefulSet
    path: spec/template/spec/initContainers/envFrom/secretRef/name
  - kind: StatefulSet
    path: spec/template/spec/imagePullSecrets/name
  - kind: StatefulSet
    path: spec/template/spec/volumes/projected/sources/secret/name
  - kind: Job
    path: spec/template/spec/volumes/secret/secretName
  - kind: Job
    path: spec/template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: Job
    path: spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: Job
    path: spec/template/spec/containers/envFrom/secretRef/name
  - kind: Job
    path: spec/template/spec/initContainers/envFrom/secretRef/name
  - kind: Job
    path: spec/template/spec/imagePullSecrets/name
  - kind: Job
    path: spec/template/spec/volumes/projected/sources/secret/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/volumes/secret/secretName
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/imagePullSecrets/name
  - kind: Ingress
    path: spec/tls/secretName
  - kind: Ingress
    path: metadata/annotations/ingress.kubernetes.io\/auth-secret
  - kind: Ingress
    path: metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret
  - kind: Ingress
    path: metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret
  - kind: Ingress
    path: spec/tls/secretName
  - kind: ServiceAccount
    path: imagePullSecrets/name
  - kind: StorageClass
    path: parameters/secretName
  - kind: StorageClass
    path: parameters/adminSecretName
  - kind: StorageClass
    path: parameters/userSecretName
  - kind: StorageClass
    path: parameters/secretRef
  - kind: Role
    path: rules/resourceNames
  - kind: ClusterRole
    path: rules/resourceNames
  - kind: Service
    group: serving.knative.dev
    version: v1
    path: spec/template/spec/containers/env/valueFrom/secretKeyRef/name
  - kind: PersistentVolume
    path: spec/azureFile/secretName
- kind: Service
  version: v1
  fieldSpecs:
  - kind: StatefulSet
    group: apps
    path: spec/serviceName
  - kind: Ingress
    path: spec/rules/http/paths/backend/serviceName
  - kind: Ingress
    path: spec/backend/serviceName
  - kind: Ingress
    path: spec/rules/http/paths/backend/service/name
  - kind: Ingress
    path: spec/defaultBackend/service/name
  - kind: APIService
    group: apiregistration.k8s.io
    path: spec/service/name
  - kind: ValidatingWebhookConfiguration
    group: admissionregistration.k8s.io
    path: webhooks/clientConfig/service
  - kind: MutatingWebhookConfiguration
    group: admissionregistration.k8s.io
    path: webhooks/clientConfig/service
- kind: Role
  group: rbac.authorization.k8s.io
  fieldSpecs:
  - kind: RoleBinding
    group: rbac.authorization.k8s.io
    path: roleRef/name
- kind: ClusterRole
  group: rbac.authorization.k8s.io
  fieldSpecs:
  - kind: RoleBinding
    group: rbac.authorization.k8s.io
    path: roleRef/name
  - kind: ClusterRoleBinding
    group: rbac.authorization.k8s.io
    path: roleRef/name
- kind: ServiceAccount
  version: v1
  fieldSpecs:
  - kind: RoleBinding
    group: rbac.authorization.k8s.io
    path: subjects
  - kind: ClusterRoleBinding
    group: rbac.authorization.k8s.io
    path: subjects
  - kind: Pod
    path: spec/serviceAccountName
  - kind: StatefulSet
    path: spec/template/spec/serviceAccountName
  - kind: Deployment
    path: spec/template/spec/serviceAccountName
  - kind: ReplicationController
    path: spec/template/spec/serviceAccountName
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/serviceAccountName
  - kind: Job
    path: spec/template/spec/serviceAccountName
  - kind: DaemonSet
    path: spec/template/spec/serviceAccountName
- kind: PersistentVolumeClaim
  version: v1
  fieldSpecs:
  - kind: Pod
    path: spec/volumes/persistentVolumeClaim/claimName
  - kind: StatefulSet
    path: spec/template/spec/volumes/persistentVolumeClaim/claimName
  - kind: Deployment
    path: spec/template/spec/volumes/persistentVolumeClaim/claimName
  - kind: ReplicationController
    path: spec/template/spec/volumes/persistentVolumeClaim/claimName
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName
  - kind: Job
    path: spec/template/spec/volumes/persistentVolumeClaim/claimName
  - kind: DaemonSet
    path: spec/template/spec/volumes/persistentVolumeClaim/claimName
- kind: PersistentVolume
  version: v1
  fieldSpecs:
  - kind: PersistentVolumeClaim
    path: spec/volumeName
  - kind: ClusterRole
    path: rules/resourceNames
- kind: StorageClass
  group: storage.k8s.io
  version: v1
  fieldSpecs:
  - kind: PersistentVolume
    path: spec/storageClassName
  - kind: PersistentVolumeClaim
    path: spec/storageClassName
  - kind: StatefulSet
    path: spec/volumeClaimTemplates/spec/storageClassName
- kind: PriorityClass
  group: scheduling.k8s.io
  version: v1
  fieldSpecs:
  - kind: Pod
    path: spec/priorityClassName
  - kind: StatefulSet
    path: spec/template/spec/priorityClassName
  - kind: Deployment
    path: spec/template/spec/priorityClassName
  - kind: ReplicationController
    path: spec/template/spec/priorityClassName
  - kind: CronJob
    path: spec/jobTemplate/spec/template/spec/priorityClassName
  - kind: Job
    path: spec/template/spec/priorityClassName
  - kind: DaemonSet
    path: spec/template/spec/priorityClassName
- kind: IngressClass
  group: networking.k8s.io/v1
  version: v1
  fieldSpecs:
  - kind: Ingress
    path: spec/ingressClassName
- kind: ValidatingAdmissionPolicy
  group: admissionregistration.k8s.io
  fieldSpecs:
  - kind: ValidatingAdmissionPolicyBinding
    group: admissionregistration.k8s.io
    path: spec/policyName
"""
"""kustomize v5.5.0's ``nameReference`` table (``namereference.go``), in its source order."""


_METADATA_LABELS = """
- path: metadata/labels
  create: true
- path: spec/template/metadata/labels
  create: true
  version: v1
  kind: ReplicationController
- path: spec/template/metadata/labels
  create: true
  kind: Deployment
- path: spec/template/metadata/labels
  create: true
  kind: ReplicaSet
- path: spec/template/metadata/labels
  create: true
  kind: DaemonSet
- path: spec/template/metadata/labels
  create: true
  group: apps
  kind: StatefulSet
- path: spec/volumeClaimTemplates[]/metadata/labels
  create: true
  group: apps
  kind: StatefulSet
- path: spec/template/metadata/labels
  create: true
  group: batch
  kind: Job
- path: spec/jobTemplate/metadata/labels
  create: true
  group: batch
  kind: CronJob
- path: spec/jobTemplate/spec/template/metadata/labels
  create: true
  group: batch
  kind: CronJob
"""
"""kustomize's ``metadataLabelsFieldSpecs``: the end of ``commonLabels``, all of ``templateLabels``."""

_COMMON_LABELS = """
- path: spec/selector
  create: true
  version: v1
  kind: Service
- path: spec/selector
  create: true
  version: v1
  kind: ReplicationController
- path: spec/selector/matchLabels
  create: true
  kind: Deployment
- path: spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
  group: apps
  kind: Deployment
- path: spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
  group: apps
  kind: Deployment
- path: spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
  group: apps
  kind: Deployment
- path: spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
  group: apps
  kind: Deployment
- path: spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels
  group: apps
  kind: Deployment
- path: spec/selector/matchLabels
  create: true
  kind: ReplicaSet
- path: spec/selector/matchLabels
  create: true
  kind: DaemonSet
- path: spec/selector/matchLabels
  create: true
  group: apps
  kind: StatefulSet
- path: spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
  group: apps
  kind: StatefulSet
- path: spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
  group: apps
  kind: StatefulSet
- path: spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
  group: apps
  kind: StatefulSet
- path: spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
  group: apps
  kind: StatefulSet
- path: spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels
  group: apps
  kind: StatefulSet
- path: spec/selector/matchLabels
  group: batch
  kind: Job
- path: spec/jobTemplate/spec/selector/matchLabels
  group: batch
  kind: CronJob
- path: spec/selector/matchLabels
  group: policy
  kind: PodDisruptionBudget
- path: spec/podSelector/matchLabels
  group: networking.k8s.io
  kind: NetworkPolicy
- path: spec/ingress/from/podSelector/matchLabels
  group: networking.k8s.io
  kind: NetworkPolicy
- path: spec/egress/to/podSelector/matchLabels
  group: networking.k8s.io
  kind: NetworkPolicy
"""
"""kustomize's ``commonLabelFieldSpecs`` before the metadata-label part (``create`` omitted: false)."""

_COMMON_ANNOTATIONS = """
- path: metadata/annotations
  create: true
- path: spec/template/metadata/annotations
  create: true
  version: v1
  kind: ReplicationController
- path: spec/template/metadata/annotations
  create: true
  kind: Deployment
- path: spec/template/metadata/annotations
  create: true
  kind: ReplicaSet
- path: spec/template/metadata/annotations
  create: true
  kind: DaemonSet
- path: spec/template/metadata/annotations
  create: true
  kind: StatefulSet
- path: spec/template/metadata/annotations
  create: true
  group: batch
  kind: Job
- path: spec/jobTemplate/metadata/annotations
  create: true
  group: batch
  kind: CronJob
- path: spec/jobTemplate/spec/template/metadata/annotations
  create: true
  group: batch
  kind: CronJob
"""

_NAME = """
- path: metadata/name
"""
"""kustomize's ``namePrefixFieldSpecs`` and ``nameSuffixFieldSpecs``."""

_NAMESPACE = """
- path: metadata/name
  kind: Namespace
  create: true
- path: spec/service/namespace
  group: apiregistration.k8s.io
  kind: APIService
  create: true
- path: spec/conversion/webhook/clientConfig/service/namespace
  group: apiextensions.k8s.io
  kind: CustomResourceDefinition
"""

_IMAGES = """
- path: spec/containers[]/image
  create: true
- path: spec/initContainers[]/image
  create: true
- path: spec/template/spec/containers[]/image
  create: true
- path: spec/template/spec/initContainers[]/image
  create: true
"""

_REPLICAS = """
- path: spec/replicas
  create: true
  kind: Deployment
- path: spec/replicas
  create: true
  kind: ReplicationController
- path: spec/replicas
  create: true
  kind: ReplicaSet
- path: spec/replicas
  create: true
  kind: StatefulSet
"""

_VAR_REFERENCE = """
- path: spec/jobTemplate/spec/template/spec/containers/args
  kind: CronJob
- path: spec/jobTemplate/spec/template/spec/containers/command
  kind: CronJob
- path: spec/jobTemplate/spec/template/spec/containers/env/value
  kind: CronJob
- path: spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath
  kind: CronJob
- path: spec/jobTemplate/spec/template/spec/initContainers/args
  kind: CronJob
- path: spec/jobTemplate/spec/template/spec/initContainers/command
  kind: CronJob
- path: spec/jobTemplate/spec/template/spec/initContainers/env/value
  kind: CronJob
- path: spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath
  kind: CronJob
- path: spec/jobTemplate/spec/template/volumes/nfs/server
  kind: CronJob
- path: spec/template/spec/containers/args
  kind: DaemonSet
- path: spec/template/spec/containers/command
  kind: DaemonSet
- path: spec/template/spec/containers/env/value
  kind: DaemonSet
- path: spec/template/spec/containers/volumeMounts/mountPath
  kind: DaemonSet
- path: spec/template/spec/initContainers/args
  kind: DaemonSet
- path: spec/template/spec/initContainers/command
  kind: DaemonSet
- path: spec/template/spec/initContainers/env/value
  kind: DaemonSet
- path: spec/template/spec/initContainers/volumeMounts/mountPath
  kind: DaemonSet
- path: spec/template/spec/volumes/nfs/server
  kind: DaemonSet
- path: spec/template/spec/containers/args
  kind: Deployment
- path: spec/template/spec/containers/command
  kind: Deployment
- path: spec/template/spec/containers/env/value
  kind: Deployment
- path: spec/template/spec/containers/volumeMounts/mountPath
  kind: Deployment
- path: spec/template/spec/initContainers/args
  kind: Deployment
- path: spec/template/spec/initContainers/command
  kind: Deployment
- path: spec/template/spec/initContainers/env/value
  kind: Deployment
- path: spec/template/spec/initContainers/volumeMounts/mountPath
  kind: Deployment
- path: spec/template/spec/volumes/nfs/server
  kind: Deployment
- path: spec/template/metadata/annotations
  kind: Deployment
- path: spec/rules/host
  kind: Ingress
- path: spec/tls/hosts
  kind: Ingress
- path: spec/tls/secretName
  kind: Ingress
- path: spec/template/spec/containers/args
  kind: Job
- path: spec/template/spec/containers/command
  kind: Job
- path: spec/template/spec/containers/env/value
  kind: Job
- path: spec/template/spec/containers/volumeMounts/mountPath
  kind: Job
- path: spec/template/spec/initContainers/args
  kind: Job
- path: spec/template/spec/initContainers/command
  kind: Job
- path: spec/template/spec/initContainers/env/value
  kind: Job
- path: spec/template/spec/initContainers/volumeMounts/mountPath
  kind: Job
- path: spec/template/spec/volumes/nfs/server
  kind: Job
- path: spec/containers/args
  kind: Pod
- path: spec/containers/command
  kind: Pod
- path: spec/containers/env/value
  kind: Pod
- path: spec/containers/volumeMounts/mountPath
  kind: Pod
- path: spec/initContainers/args
  kind: Pod
- path: spec/initContainers/command
  kind: Pod
- path: spec/initContainers/env/value
  kind: Pod
- path: spec/initContainers/volumeMounts/mountPath
  kind: Pod
- path: spec/volumes/nfs/server
  kind: Pod
- path: spec/template/spec/containers/args
  kind: ReplicaSet
- path: spec/template/spec/containers/command
  kind: ReplicaSet
- path: spec/template/spec/containers/env/value
  kind: ReplicaSet
- path: spec/template/spec/containers/volumeMounts/mountPath
  kind: ReplicaSet
- path: spec/template/spec/initContainers/args
  kind: ReplicaSet
- path: spec/template/spec/initContainers/command
  kind: ReplicaSet
- path: spec/template/spec/initContainers/env/value
  kind: ReplicaSet
- path: spec/template/spec/initContainers/volumeMounts/mountPath
  kind: ReplicaSet
- path: spec/template/spec/volumes/nfs/server
  kind: ReplicaSet
- path: spec/ports/port
  kind: Service
- path: spec/ports/targetPort
  kind: Service
- path: spec/template/spec/containers/args
  kind: StatefulSet
- path: spec/template/spec/containers/command
  kind: StatefulSet
- path: spec/template/spec/containers/env/value
  kind: StatefulSet
- path: spec/template/spec/containers/volumeMounts/mountPath
  kind: StatefulSet
- path: spec/template/spec/initContainers/args
  kind: StatefulSet
- path: spec/template/spec/initContainers/command
  kind: StatefulSet
- path: spec/template/spec/initContainers/env/value
  kind: StatefulSet
- path: spec/template/spec/initContainers/volumeMounts/mountPath
  kind: StatefulSet
- path: spec/volumeClaimTemplates/spec/nfs/server
  kind: StatefulSet
- path: spec/nfs/server
  kind: PersistentVolume
- path: metadata/labels
- path: metadata/annotations
"""


class FieldSpec(NamedTuple):
    """A field of a referrer kind (empty group/version/kind = any) that may name a target."""

    group: str
    version: str
    kind: str
    path: tuple[str, ...]
    """The field path split on ``/`` (``\\/`` is a literal ``/``); sequences are implicit."""
    create: bool = False
    """kustomize's ``create`` flag: unused for name references, but part of the merge rule."""


class NameReference(NamedTuple):
    """A target GVK (empty parts = any) and the referrer fields that may name such objects."""

    target: Gvk
    referrers: tuple[FieldSpec, ...]


# --------------------------------------------------------------------------------------------
# Paths


def split_path(path: str) -> tuple[str, ...]:
    """kustomize's ``PathSplitter``: split on ``/``; ``\\/`` is a literal ``/``.

    One leading ``/`` is dropped.
    """
    parts = path.split("/")
    if len(parts) > 1 and parts[0] == "":
        parts = parts[1:]
    result = [parts[0]]
    for part in parts[1:]:
        if result[-1].endswith("\\"):
            result[-1] = result[-1][:-1] + "/" + part
        else:
            result.append(part)
    return tuple(result)


def join_path(path: tuple[str, ...]) -> str:
    """The inverse of :func:`split_path` (for messages and kustomize's path-suffix checks)."""
    return "/".join(part.replace("/", "\\/") for part in path)


# --------------------------------------------------------------------------------------------
# The built-in table


def _parse_builtin_table(text: str) -> tuple[NameReference, ...]:
    """Parse the regular block format of :data:`_NAME_REFERENCE_TABLE` (kustomize's ``nameReference:``)."""
    entries: list[tuple[dict[str, str], list[dict[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("- "):
            key, _, value = line[2:].partition(": ")
            entries.append(({key: value}, []))
        elif line == "  fieldSpecs:":
            continue
        elif line.startswith("  - "):
            key, _, value = line[4:].partition(": ")
            entries[-1][1].append({key: value})
        elif line.startswith("    "):
            key, _, value = line[4:].partition(": ")
            entries[-1][1][-1][key] = value
        elif line.startswith("  "):
            key, _, value = line[2:].partition(": ")
            entries[-1][0][key] = value
        else:  # pragma: no cover - the table is a constant
            raise ValueError(f"bad nameReference table line: {line!r}")
    return tuple(
        NameReference(
            Gvk(target.get("group", ""), target.get("version", ""), target.get("kind", "")),
            tuple(
                FieldSpec(
                    spec.get("group", ""),
                    spec.get("version", ""),
                    spec.get("kind", ""),
                    split_path(spec.get("path", "")),
                )
                for spec in specs
            ),
        )
        for target, specs in entries
    )


def sort_name_references(table: Sequence[NameReference]) -> tuple[NameReference, ...]:
    """kustomize's ``sort.Sort(nbrSlice)``: by target ``Gvk.IsLessThan`` (kind rank, GVK string).

    kustomize sorts the table each time it is loaded or merged; the result is the order in which
    entries are applied. (Equal targets don't occur after merging; ties keep their order.)
    """
    ranks = kind_ranks(DEFAULT_ORDER_FIRST, DEFAULT_ORDER_LAST)
    return tuple(
        sorted(
            table,
            key=lambda entry: (ranks.get(entry.target.kind, 0), gvk_sort_string(entry.target)),
        )
    )


def sort_field_specs(specs: Sequence[FieldSpec]) -> tuple[FieldSpec, ...]:
    """kustomize's ``sort.Sort(FsSlice)`` (``sortFields``, after every load and merge): by
    ``Gvk.IsLessThan`` (kind rank, then GVK string), so kind-specific specs come before the ones
    for any kind. The order matters beyond application: merging a sorted list into another
    drops a spec an earlier one "effectively equals" (see :func:`merge_transformer_configs`)."""
    ranks = _KIND_RANKS
    return tuple(
        sorted(
            specs,
            key=lambda spec: (
                ranks.get(spec.kind, 0),
                gvk_sort_string(Gvk(spec.group, spec.version, spec.kind)),
            ),
        )
    )


_KIND_RANKS = kind_ranks(DEFAULT_ORDER_FIRST, DEFAULT_ORDER_LAST)

BUILTIN_NAME_REFERENCES: tuple[NameReference, ...] = sort_name_references(
    _parse_builtin_table(_NAME_REFERENCE_TABLE)
)
"""kustomize v5.5.0's default nameReference table, in the (sorted) order kustomize applies it."""


# --------------------------------------------------------------------------------------------
# configurations: files


_TRANSFORMER_CONFIG_FIELDS: tuple[str, ...] = (
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "templateLabels",
    "commonAnnotations",
    "nameReference",
    "varReference",
    "images",
    "replicas",
)
"""The fields of kustomize's ``TransformerConfig``; all but ``nameReference`` list fieldSpecs."""

_GVK_FIELDS: tuple[str, ...] = ("group", "version", "kind")
_FIELD_SPEC_FIELDS: tuple[str, ...] = ("group", "version", "kind", "path", "create")
_NAME_REFERENCE_FIELDS: tuple[str, ...] = ("group", "version", "kind", "fieldSpecs")


def _string_field(values: Mapping[str, Any], field: str, where: str, context: str) -> str:
    value = values.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise KustomizationError(
            where, f"{context}: field '{field}' must be a string, not {describe_type(value)}"
        )
    return value


def _list_field(values: Mapping[str, Any], field: str, where: str, context: str) -> list[Any]:
    value = values.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        raise KustomizationError(
            where, f"{context}: field '{field}' must be a list, not {describe_type(value)}"
        )
    return value


def parse_field_spec(data: Any, where: str, context: str) -> FieldSpec:
    if data is None:  # JSON null decodes to the zero value
        return FieldSpec("", "", "", split_path(""))
    if not isinstance(data, Mapping):
        raise KustomizationError(where, f"{context}: must be a map, not {describe_type(data)}")
    values = lowered(data, _FIELD_SPEC_FIELDS, f"{where}: {context}")
    create = values.get("create")
    if create is not None and not isinstance(create, bool):
        raise KustomizationError(
            where, f"{context}: field 'create' must be a bool, not {describe_type(create)}"
        )
    return FieldSpec(
        _string_field(values, "group", where, context),
        _string_field(values, "version", where, context),
        _string_field(values, "kind", where, context),
        split_path(_string_field(values, "path", where, context)),
        bool(create),
    )


def _parse_name_reference(data: Any, where: str, context: str) -> NameReference:
    if data is None:
        return NameReference(Gvk("", "", ""), ())
    if not isinstance(data, Mapping):
        raise KustomizationError(where, f"{context}: must be a map, not {describe_type(data)}")
    values = lowered(data, _NAME_REFERENCE_FIELDS, f"{where}: {context}")
    target = Gvk(*(_string_field(values, field, where, context) for field in _GVK_FIELDS))
    specs = _list_field(values, "fieldSpecs", where, context)
    return NameReference(
        target,
        tuple(
            parse_field_spec(spec, where, f"{context}.fieldSpecs[{index}]")
            for index, spec in enumerate(specs)
        ),
    )


def parse_name_references(data: Any, where: str) -> tuple[NameReference, ...]:
    """The ``nameReference`` entries of one ``configurations:`` file, already loaded as plain data.

    Strict like kustomize's ``yaml.UnmarshalStrict`` into ``TransformerConfig``: unknown keys and
    wrong types are a :class:`KustomizationError` naming ``where`` and the entry. The other
    ``TransformerConfig`` fields (``namePrefix``, ``nameSuffix``, ``namespace``, ``commonLabels``,
    ``labels``, ``templateLabels``, ``commonAnnotations``, ``varReference``, ``images``,
    ``replicas``) are validated as fieldSpec lists and otherwise ignored. Entries come back sorted
    by target as kustomize sorts a loaded config; fieldSpecs keep their file order.
    """
    if data is None:
        return ()
    if not isinstance(data, Mapping):
        raise KustomizationError(
            where, f"a transformer configuration must be a map, not {describe_type(data)}"
        )
    values = lowered(data, _TRANSFORMER_CONFIG_FIELDS, f"{where}: configuration")
    for field in _TRANSFORMER_CONFIG_FIELDS:
        if field == "nameReference":
            continue
        for index, spec in enumerate(_list_field(values, field, where, "configuration")):
            parse_field_spec(spec, where, f"{field}[{index}]")
    entries = _list_field(values, "nameReference", where, "configuration")
    return sort_name_references(
        [
            _parse_name_reference(entry, where, f"nameReference[{index}]")
            for index, entry in enumerate(entries)
        ]
    )


class TransformerConfig(NamedTuple):
    """kustomize's ``TransformerConfig``: the fieldSpecs of every field-spec transformer and the
    name-reference table (:data:`BUILTIN_CONFIG` holds kustomize's defaults; a layer's config is
    the merge of its bases' configs, the defaults and its ``configurations:`` files)."""

    name_references: tuple[NameReference, ...] = ()
    namespace: tuple[FieldSpec, ...] = ()
    name_prefix: tuple[FieldSpec, ...] = ()
    name_suffix: tuple[FieldSpec, ...] = ()
    common_labels: tuple[FieldSpec, ...] = ()
    labels: tuple[FieldSpec, ...] = ()
    template_labels: tuple[FieldSpec, ...] = ()
    common_annotations: tuple[FieldSpec, ...] = ()
    var_reference: tuple[FieldSpec, ...] = ()
    images: tuple[FieldSpec, ...] = ()
    replicas: tuple[FieldSpec, ...] = ()


SECTIONS: dict[str, str] = {
    "namespace": "namespace",
    "namePrefix": "name_prefix",
    "nameSuffix": "name_suffix",
    "commonLabels": "common_labels",
    "labels": "labels",
    "templateLabels": "template_labels",
    "commonAnnotations": "common_annotations",
    "varReference": "var_reference",
    "images": "images",
    "replicas": "replicas",
}
"""The fieldSpec-list fields of a ``configurations:`` file -> the :class:`TransformerConfig` field."""


def _parse_field_spec_table(text: str) -> tuple[FieldSpec, ...]:
    """Parse one of the regular fieldSpec lists above (``- path:`` entries, two-space fields)."""
    entries: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        key, _, value = line[2:].partition(": ")
        if line.startswith("- "):
            entries.append({key: value})
        elif line.startswith("  "):
            entries[-1][key] = value
        else:  # pragma: no cover - the tables are constants
            raise ValueError(f"bad fieldSpec table line: {line!r}")
    return tuple(
        FieldSpec(
            entry.get("group", ""),
            entry.get("version", ""),
            entry.get("kind", ""),
            split_path(entry["path"]),
            entry.get("create") == "true",
        )
        for entry in entries
    )


_METADATA_LABEL_SPECS = _parse_field_spec_table(_METADATA_LABELS)
_NAME_SPECS = _parse_field_spec_table(_NAME)
BUILTIN_CONFIG = TransformerConfig(
    name_references=BUILTIN_NAME_REFERENCES,
    namespace=sort_field_specs(_parse_field_spec_table(_NAMESPACE)),
    name_prefix=sort_field_specs(_NAME_SPECS),
    name_suffix=sort_field_specs(_NAME_SPECS),
    common_labels=sort_field_specs(_parse_field_spec_table(_COMMON_LABELS) + _METADATA_LABEL_SPECS),
    template_labels=sort_field_specs(_METADATA_LABEL_SPECS),
    common_annotations=sort_field_specs(_parse_field_spec_table(_COMMON_ANNOTATIONS)),
    var_reference=sort_field_specs(_parse_field_spec_table(_VAR_REFERENCE)),
    images=sort_field_specs(_parse_field_spec_table(_IMAGES)),
    replicas=sort_field_specs(_parse_field_spec_table(_REPLICAS)),
)
"""kustomize v5.5.0's ``defaultconfig``, every table, sorted as kustomize sorts a loaded config
(:func:`sort_field_specs`)."""


def parse_transformer_config(data: Any, where: str) -> TransformerConfig:
    """One ``configurations:`` file, already loaded as plain data (strict like kustomize's
    ``yaml.UnmarshalStrict`` into ``TransformerConfig``)."""
    if data is None or (isinstance(data, Mapping) and not data):
        return TransformerConfig()
    values = (
        lowered(data, _TRANSFORMER_CONFIG_FIELDS, f"{where}: configuration")
        if isinstance(data, Mapping)
        else {}
    )

    def specs(field: str) -> tuple[FieldSpec, ...]:
        return sort_field_specs(
            [
                parse_field_spec(spec, where, f"{field}[{index}]")
                for index, spec in enumerate(_list_field(values, field, where, "configuration"))
            ]
        )

    return TransformerConfig(
        name_references=parse_name_references(data, where),
        **{attribute: specs(field) for field, attribute in SECTIONS.items()},
    )


def merge_transformer_configs(
    base: TransformerConfig, extra: TransformerConfig, where: str = ""
) -> TransformerConfig:
    """kustomize's ``TransformerConfig.Merge``: every list merged as ``FsSlice.MergeAll``, then
    sorted. Not commutative, nor idempotent from empty: merging a sorted list into ``()`` drops
    a spec that an earlier one effectively equals (``[{kind: Ingress, path: metadata/name},
    {path: metadata/name}]`` becomes its first entry alone). To reproduce kustomize, a layer's
    config is ``()`` merged with each base's config (``resources:`` order), then with its own:
    ``merge(BUILTIN_CONFIG, its configurations: files folded from ())``.

    Merges repeat across the layers of a tree (most merge the same configs), so each distinct
    merge is computed once."""
    try:
        return _merge_configs(base, extra)
    except KustomizationError as error:
        raise KustomizationError(where, error.message) from None


class FieldSpecConflictError(Exception):
    """Two specs differing only in ``create``: kustomize's "conflicting fieldspecs". Callers
    say what was being merged."""

    def __init__(self, existing: FieldSpec, spec: FieldSpec) -> None:
        super().__init__(existing, spec)
        self.existing = existing
        self.spec = spec

    def message(self, merging: str) -> str:
        spec = self.spec
        return (
            f"failed to merge {merging}: conflicting 'create' for path '{join_path(spec.path)}' "
            f"of {spec.kind or 'any kind'}"
        )


@functools.lru_cache(maxsize=256)
def _merge_configs(base: TransformerConfig, extra: TransformerConfig) -> TransformerConfig:
    sections = {}
    for field, attribute in SECTIONS.items():
        try:
            merged = merge_field_specs(getattr(base, attribute), getattr(extra, attribute))
        except FieldSpecConflictError as conflict:
            raise KustomizationError("", conflict.message(f"{field} fieldSpecs")) from None
        sections[attribute] = sort_field_specs(merged)
    return TransformerConfig(
        name_references=_merge_name_references(base.name_references, extra.name_references),
        **sections,
    )


def selects(selector: Gvk | FieldSpec, gvk: Gvk | FieldSpec) -> bool:
    """kustomize's ``Gvk.IsSelected``: empty selector parts match anything."""
    return (
        (not selector.group or selector.group == gvk.group)
        and (not selector.version or selector.version == gvk.version)
        and (not selector.kind or selector.kind == gvk.kind)
    )


def merge_field_specs(
    existing: tuple[FieldSpec, ...], incoming: tuple[FieldSpec, ...]
) -> tuple[FieldSpec, ...]:
    """``FsSlice.MergeAll``: an incoming spec already present (the existing one is selected by the
    incoming GVK and has the same path) is dropped, unless its ``create`` differs
    (:class:`FieldSpecConflictError`)."""
    result = list(existing)
    for spec in incoming:
        match = next((old for old in result if selects(spec, old) and old.path == spec.path), None)
        if match is None:
            result.append(spec)
        elif match.create != spec.create:
            raise FieldSpecConflictError(match, spec)
    return tuple(result)


def merge_name_references(
    base: Sequence[NameReference], extra: Sequence[NameReference], where: str = ""
) -> tuple[NameReference, ...]:
    """kustomize's ``TransformerConfig.Merge`` for ``nameReference``.

    Each ``extra`` entry is merged into every ``base`` entry with the exact same target GVK
    (fieldSpecs merged as ``FsSlice.MergeAll``), or appended; then the table is sorted by target.
    To reproduce kustomize: a kustomization's own table is ``merge(BUILTIN, custom)`` where
    ``custom`` folds its ``configurations:`` files from ``()``; a layer's effective table is
    ``()`` merged with each base's table (``resources:`` order) and then its own table.
    """
    try:
        return _merge_name_references(base, extra)
    except KustomizationError as error:
        raise KustomizationError(where, error.message) from None


def _merge_name_references(
    base: Sequence[NameReference], extra: Sequence[NameReference]
) -> tuple[NameReference, ...]:
    result = list(base)
    for other in extra:
        found = False
        merged: list[NameReference] = []
        for entry in result:
            if entry.target == other.target:
                try:
                    referrers = merge_field_specs(entry.referrers, other.referrers)
                except FieldSpecConflictError as conflict:
                    merging = f"nameReference fieldSpecs of {gvk_string(entry.target)}"
                    raise KustomizationError("", conflict.message(merging)) from None
                entry = entry._replace(referrers=referrers)  # noqa: PLW2901
                found = True
            merged.append(entry)
        if not found:
            merged.append(other)
        result = merged
    return sort_name_references(result)
