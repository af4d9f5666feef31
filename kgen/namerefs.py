"""Name references: kustomize's nameReference table as data, and the rewrite of references.

kustomize fixes, once at the top level after the name hash, every field that names another object
whose name changed (``api/internal/accumulator/namereferencetransformer.go``,
``api/filters/nameref/nameref.go``). Which fields name which targets is the ``nameReference``
table (``api/internal/konfig/builtinpluginconsts/namereference.go``) plus ``configurations:``.

The table below is kustomize v5.5.0's, entries and fieldSpecs in source order (duplicates kept:
Ingress ``spec/tls/secretName`` is listed twice; IngressClass has the bogus group
``networking.k8s.io/v1``, so IngressClass references are never fixed, as in kustomize). kustomize
sorts the entries by target GVK when it loads the table (``TransformerConfig.sortFields``), and
that sorted order is the one it applies; ``BUILTIN_NAME_REFERENCES`` holds that effective order.

Fidelity notes (kustomize semantics reproduced on kgen's model):

* A referrer is matched by its *original* GVK as kustomize computes ``Resource.OrgId()``: the
  current group/version with the kind of the first previous id, or the current GVK when the object
  was never renamed.
* A target's previous ids are read as kustomize's ``PrevIds()``: previous names and kinds with the
  *current* group/version.
* Only string values are references; non-string scalars are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from kgen.errors import KustomizationError, ResourceError, describe_type
from kgen.model import Gvk, Manifest, ResId, Resource
from kgen.order import (
    DEFAULT_ORDER_FIRST,
    DEFAULT_ORDER_LAST,
    gvk_sort_string,
    gvk_string,
    kind_ranks,
)
from kgen.scopes import is_cluster_scoped

_BUILTIN_TABLE = r"""
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


def res_id_string(res_id: ResId) -> str:
    """kustomize's ``ResId.String()``: ``Kind.version.group/name.namespace``."""
    return f"{gvk_string(res_id.gvk)}/{res_id.name or '[noName]'}.{res_id.namespace or '[noNs]'}"


# --------------------------------------------------------------------------------------------
# The built-in table


def _parse_builtin_table(text: str) -> tuple[NameReference, ...]:
    """Parse the regular block format of :data:`_BUILTIN_TABLE` (kustomize's ``nameReference:``)."""
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


BUILTIN_NAME_REFERENCES: tuple[NameReference, ...] = sort_name_references(
    _parse_builtin_table(_BUILTIN_TABLE)
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


def _strict_fields(
    data: Mapping[Any, Any], fields: tuple[str, ...], where: str, context: str
) -> dict[str, Any]:
    """Go ``encoding/json`` with ``DisallowUnknownFields``: keys match exactly or ignoring case,
    are decoded in sorted order (so the last of two spellings wins); unknown keys are errors."""
    folded = {field.casefold(): field for field in fields}
    result: dict[str, Any] = {}
    for key in sorted(data, key=str):
        text = str(key)
        field = text if text in fields else folded.get(text.casefold())
        if field is None:
            raise KustomizationError(where, f"{context}: unknown field '{text}'")
        result[field] = data[key]
    return result


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


def _parse_field_spec(data: Any, where: str, context: str) -> FieldSpec:
    if data is None:  # JSON null decodes to the zero value
        return FieldSpec("", "", "", split_path(""))
    if not isinstance(data, Mapping):
        raise KustomizationError(where, f"{context}: must be a map, not {describe_type(data)}")
    values = _strict_fields(data, _FIELD_SPEC_FIELDS, where, context)
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
    values = _strict_fields(data, _NAME_REFERENCE_FIELDS, where, context)
    target = Gvk(*(_string_field(values, field, where, context) for field in _GVK_FIELDS))
    specs = _list_field(values, "fieldSpecs", where, context)
    return NameReference(
        target,
        tuple(
            _parse_field_spec(spec, where, f"{context}.fieldSpecs[{index}]")
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
    values = _strict_fields(data, _TRANSFORMER_CONFIG_FIELDS, where, "configuration")
    for field in _TRANSFORMER_CONFIG_FIELDS:
        if field == "nameReference":
            continue
        for index, spec in enumerate(_list_field(values, field, where, "configuration")):
            _parse_field_spec(spec, where, f"{field}[{index}]")
    entries = _list_field(values, "nameReference", where, "configuration")
    return sort_name_references(
        [
            _parse_name_reference(entry, where, f"nameReference[{index}]")
            for index, entry in enumerate(entries)
        ]
    )


class TransformerConfig(NamedTuple):
    """What ``configurations:`` files add: reference fields, and fields that the namespace,
    namePrefix and nameSuffix transformers set besides ``metadata``."""

    name_references: tuple[NameReference, ...] = ()
    namespace: tuple[FieldSpec, ...] = ()
    name_prefix: tuple[FieldSpec, ...] = ()
    name_suffix: tuple[FieldSpec, ...] = ()


BUILTIN_CONFIG = TransformerConfig(name_references=BUILTIN_NAME_REFERENCES)


def parse_transformer_config(data: Any, where: str) -> TransformerConfig:
    """One ``configurations:`` file: its ``nameReference`` entries and its ``namespace``,
    ``namePrefix`` and ``nameSuffix`` fieldSpecs (the other fields only configure kustomize
    transformers that kgen refuses, so they are checked and have no effect)."""
    if data is None or (isinstance(data, Mapping) and not data):
        return TransformerConfig()
    values = (
        _strict_fields(data, _TRANSFORMER_CONFIG_FIELDS, where, "configuration")
        if isinstance(data, Mapping)
        else {}
    )

    def specs(field: str) -> tuple[FieldSpec, ...]:
        return tuple(
            _parse_field_spec(spec, where, f"{field}[{index}]")
            for index, spec in enumerate(_list_field(values, field, where, "configuration"))
        )

    return TransformerConfig(
        name_references=parse_name_references(data, where),
        namespace=specs("namespace"),
        name_prefix=specs("namePrefix"),
        name_suffix=specs("nameSuffix"),
    )


def merge_transformer_configs(
    base: TransformerConfig, extra: TransformerConfig, where: str = ""
) -> TransformerConfig:
    """kustomize's ``TransformerConfig.Merge``: every list merged as ``FsSlice.MergeAll``."""
    no_target = Gvk("", "", "")
    return TransformerConfig(
        name_references=merge_name_references(base.name_references, extra.name_references, where),
        namespace=_merge_field_specs(base.namespace, extra.namespace, no_target, where),
        name_prefix=_merge_field_specs(base.name_prefix, extra.name_prefix, no_target, where),
        name_suffix=_merge_field_specs(base.name_suffix, extra.name_suffix, no_target, where),
    )


def _selects(selector: Gvk | FieldSpec, gvk: Gvk | FieldSpec) -> bool:
    """kustomize's ``Gvk.IsSelected``: empty selector parts match anything."""
    return (
        (not selector.group or selector.group == gvk.group)
        and (not selector.version or selector.version == gvk.version)
        and (not selector.kind or selector.kind == gvk.kind)
    )


def _merge_field_specs(
    existing: tuple[FieldSpec, ...],
    incoming: tuple[FieldSpec, ...],
    target: Gvk,
    where: str,
) -> tuple[FieldSpec, ...]:
    """``FsSlice.MergeAll``: an incoming spec already present (the existing one is selected by the
    incoming GVK and has the same path) is dropped, unless its ``create`` differs (an error)."""
    result = list(existing)
    for spec in incoming:
        match = next((old for old in result if _selects(spec, old) and old.path == spec.path), None)
        if match is None:
            result.append(spec)
        elif match.create != spec.create:
            raise KustomizationError(
                where,
                f"failed to merge nameReference fieldSpecs of {gvk_string(target)}: conflicting "
                f"'create' for path '{join_path(spec.path)}' of {spec.kind or 'any kind'}",
            )
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
    result = list(base)
    for other in extra:
        found = False
        merged: list[NameReference] = []
        for entry in result:
            if entry.target == other.target:
                entry = entry._replace(  # noqa: PLW2901
                    referrers=_merge_field_specs(
                        entry.referrers, other.referrers, entry.target, where
                    )
                )
                found = True
            merged.append(entry)
        if not found:
            merged.append(other)
        result = merged
    return sort_name_references(result)


# --------------------------------------------------------------------------------------------
# Rewriting


_ROLE_REF_NAME = "roleRef/name"
_SERVICE_ACCOUNT = "ServiceAccount"
_SPECIAL_PATH_ELEMENT = re.compile(r"[+-]?[0-9]+|-|\*|\[.*\]", re.DOTALL)
"""Path elements kyaml's ``Lookup`` treats as list indexes or selectors, never as map keys."""


class _Info(NamedTuple):
    """What the rewrite needs to know about one resource, computed once."""

    position: int
    resource: Resource
    id: ResId
    cluster_scoped: bool
    scope: str | None
    """The effective namespace (``""`` reads as ``default``), ``None`` when cluster-scoped."""
    org_gvk: Gvk
    """kustomize's ``OrgId().Gvk``: current group/version, kind of the first previous id."""
    org_namespace: str | None
    """kustomize's ``OrgId().EffectiveNamespace()``, ``None`` when cluster-scoped."""
    previous_names: tuple[str, ...]
    previous_kinds: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]


def _csv_list(values: list[str]) -> tuple[str, ...]:
    """kustomize keeps prefixes/suffixes in a comma-joined annotation, without empty entries."""
    return tuple(part for value in values if value for part in value.split(","))


def _effective_namespace(gvk: Gvk, namespace: str) -> str | None:
    if is_cluster_scoped(gvk):
        return None
    return namespace or "default"


def _make_info(position: int, resource: Resource) -> _Info:
    res_id = resource.id
    gvk = res_id.gvk
    previous = resource.previous_ids
    if previous:
        first = previous[0]
        org_gvk = Gvk(gvk.group, gvk.version, first.kind)
        org_namespace = _effective_namespace(first.gvk, first.namespace)
    else:
        org_gvk = gvk
        org_namespace = _effective_namespace(gvk, res_id.namespace)
    scope = _effective_namespace(gvk, res_id.namespace)
    return _Info(
        position,
        resource,
        res_id,
        scope is None,
        scope,
        org_gvk,
        org_namespace,
        tuple(dict.fromkeys(prev.name for prev in previous)),
        frozenset(prev.kind for prev in previous),
        _csv_list(resource.prefixes),
        _csv_list(resource.suffixes),
    )


def _same_ending(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """kustomize's ``SameEndingSubSlice``."""
    shortest, longest = (first, second) if len(first) <= len(second) else (second, first)
    if not shortest:
        return not longest
    return longest[len(longest) - len(shortest) :] == shortest


def _prefixes_suffixes_equal(candidate: _Info, referrer: _Info, allow_empty: bool) -> bool:
    """kustomize's ``Resource.PrefixesSuffixesEquals``."""
    if allow_empty:
        prefixes_ok = (
            not candidate.prefixes
            or not referrer.prefixes
            or _same_ending(candidate.prefixes, referrer.prefixes)
        )
        suffixes_ok = (
            not candidate.suffixes
            or not referrer.suffixes
            or _same_ending(candidate.suffixes, referrer.suffixes)
        )
        return prefixes_ok and suffixes_ok
    return _same_ending(candidate.prefixes, referrer.prefixes) and _same_ending(
        candidate.suffixes, referrer.suffixes
    )


def _previous_id_selected(info: _Info, selector: Gvk) -> bool:
    """Some previous id (current group/version, previous kind) is selected by ``selector``."""
    return (
        (not selector.group or selector.group == info.id.group)
        and (not selector.version or selector.version == info.id.version)
        and (not selector.kind or selector.kind in info.previous_kinds)
    )


class _Index:
    """All resources, indexed once by previous name (and namespace) for constant-time lookups."""

    def __init__(self, resources: list[Resource]) -> None:
        self.infos = [_make_info(position, resource) for position, resource in enumerate(resources)]
        self.by_name: dict[str, list[int]] = {}
        self.by_name_scope: dict[tuple[str, str | None], list[int]] = {}
        self.by_name_raw_namespace: dict[tuple[str, str], list[int]] = {}
        self.by_name_org_namespace: dict[tuple[str, str], list[int]] = {}
        self.org_namespaces: set[str] = set()
        self.org_namespaces_by_scope: dict[str | None, set[str]] = {}
        self.org_namespaces_by_raw_namespace: dict[str, set[str]] = {}
        for info in self.infos:
            if info.org_namespace is not None:
                self.org_namespaces.add(info.org_namespace)
                self.org_namespaces_by_scope.setdefault(info.scope, set()).add(info.org_namespace)
                self.org_namespaces_by_raw_namespace.setdefault(info.id.namespace, set()).add(
                    info.org_namespace
                )
            for name in info.previous_names:
                self.by_name.setdefault(name, []).append(info.position)
                self.by_name_scope.setdefault((name, info.scope), []).append(info.position)
                self.by_name_raw_namespace.setdefault((name, info.id.namespace), []).append(
                    info.position
                )
                if info.org_namespace is not None:
                    self.by_name_org_namespace.setdefault((name, info.org_namespace), []).append(
                        info.position
                    )


class _Referrer(NamedTuple):
    info: _Info
    role_binding_namespaces: frozenset[str]
    role_binding_namespace_list: tuple[str, ...]


def _role_binding_namespaces(info: _Info) -> tuple[str, ...]:
    """kustomize's ``getNamespacesForRoleBinding``: namespaces of ServiceAccount subjects."""
    if info.id.kind != "RoleBinding":
        return ()
    subjects = info.resource.manifest.get("subjects")
    if not isinstance(subjects, list):
        return ()
    result: dict[str, None] = {}
    for subject in subjects:
        if not isinstance(subject, dict) or "namespace" not in subject or "kind" not in subject:
            continue
        if subject["kind"] != _SERVICE_ACCOUNT:
            continue
        namespace = subject["namespace"]
        if not isinstance(namespace, str):
            raise ResourceError(
                info.resource.origin,
                f"{res_id_string(info.id)}: the namespace of a ServiceAccount subject must be "
                "a string",
            )
        result[namespace] = None
    return tuple(result)


def _merge_positions(lists: list[list[int]]) -> list[int]:
    present = [positions for positions in lists if positions]
    if not present:
        return []
    if len(present) == 1:
        return present[0]
    return sorted({position for positions in present for position in positions})


class _WalkError(Exception):
    """An ambiguous reference or a malformed referrer field; reported as a ResourceError."""


class _Leaf(NamedTuple):
    """A fieldSpec whose path ends at a trie node."""

    target: Gvk
    path: str
    """The fieldSpec path as written (for messages and the ``roleRef/name`` check)."""
    role_ref: bool
    """Candidates must also match the referrer's ``roleRef`` group and kind."""


class _Trie:
    """fieldSpec paths of one referrer GVK, merged so that shared prefixes are walked once."""

    __slots__ = ("children", "error", "first_path", "leaves")

    def __init__(self, first_path: str, error: str | None = None) -> None:
        self.leaves: list[_Leaf] = []
        self.children: dict[str, _Trie] = {}
        self.error = error
        """Set when this path element can't be a map key: kustomize fails on reaching a map."""
        self.first_path = first_path
        """The first fieldSpec path through this node, for messages."""

    def add(self, path: tuple[str, ...], leaf: _Leaf) -> None:
        node = self
        for element in path:
            name = element.removesuffix("[]")
            error = None
            if not name:
                error = "cannot set or create an empty field name"
            elif _SPECIAL_PATH_ELEMENT.fullmatch(name):
                error = f"fieldName: {name}: not a map key"
            key = element if error else name
            child = node.children.get(key)
            if child is None:
                child = node.children[key] = _Trie(leaf.path, error)
            node = child
        node.leaves.append(leaf)

    def has_inner_leaves(self) -> bool:
        """True if a path ends where another continues (then order matters: walk one by one)."""
        pending = list(self.children.values())
        while pending:  # iterative: a fieldSpec path may have thousands of fields
            node = pending.pop()
            if node.leaves and node.children:
                return True
            pending.extend(node.children.values())
        return False


class _Field(NamedTuple):
    """One (referrer, target, fieldSpec) being fixed."""

    referrer: _Referrer
    target: Gvk
    role_ref: Gvk | None
    """For a ``roleRef/name`` path: the roleRef's group/kind that candidates must also match."""


class _Rewriter:
    def __init__(self, index: _Index) -> None:
        self.index = index

    # ---- candidates -------------------------------------------------------------------------

    @staticmethod
    def _in_subset(referrer: _Referrer, info: _Info) -> bool:
        """``SubsetThatCouldBeReferencedByResource(referrer)`` membership."""
        if referrer.info.cluster_scoped or info.cluster_scoped:
            return True
        return (
            info.scope == referrer.info.scope
            or info.id.namespace in referrer.role_binding_namespaces
        )

    def _candidates(self, referrer: _Referrer, name: str) -> list[int]:
        """Resources in the referrer's subset with a previous id named ``name``, in input order."""
        index = self.index
        if referrer.info.cluster_scoped:
            return index.by_name.get(name, [])
        lists = [
            index.by_name_scope.get((name, None), []),
            index.by_name_scope.get((name, referrer.info.scope), []),
        ]
        lists.extend(
            index.by_name_raw_namespace.get((name, namespace), [])
            for namespace in referrer.role_binding_namespace_list
        )
        return _merge_positions(lists)

    def _candidates_in_namespace(self, referrer: _Referrer, name: str, namespace: str) -> list[int]:
        """``filterMapCandidatesByNamespace``: the subset grouped by original namespace if that
        group exists, else by current namespace; then those with a previous id named ``name``."""
        index = self.index
        info = referrer.info
        if info.cluster_scoped:
            original_exists = namespace in index.org_namespaces
        else:
            groups = [
                index.org_namespaces_by_scope.get(None, set()),
                index.org_namespaces_by_scope.get(info.scope, set()),
            ]
            groups.extend(
                index.org_namespaces_by_raw_namespace.get(raw, set())
                for raw in referrer.role_binding_namespace_list
            )
            original_exists = any(namespace in group for group in groups)
        if original_exists:
            positions = index.by_name_org_namespace.get((name, namespace), [])
        else:
            positions = index.by_name_scope.get((name, namespace), [])
        return [p for p in positions if self._in_subset(referrer, index.infos[p])]

    def _select(
        self, field: _Field, positions: list[int], *, compare_namespaces: bool
    ) -> _Info | None:
        """kustomize's ``selectReferral`` over candidates whose previous name already matches."""
        infos = self.index.infos
        me = field.referrer.info
        role_ref = field.role_ref
        candidates = [
            info
            for info in (infos[position] for position in positions)
            if _previous_id_selected(info, field.target)
            and (role_ref is None or _previous_id_selected(info, role_ref))
            and (
                me.cluster_scoped
                or info.cluster_scoped
                or info.id.kind == _SERVICE_ACCOUNT
                or info.scope == me.scope
            )
        ]
        if len(candidates) == 1:
            return candidates[0]
        candidates = [c for c in candidates if _prefixes_suffixes_equal(c, me, allow_empty=True)]
        if len(candidates) > 1:
            candidates = [
                c for c in candidates if _prefixes_suffixes_equal(c, me, allow_empty=False)
            ]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return None
        first = candidates[0].id
        if all(
            c.id.name == first.name
            and (not compare_namespaces or c.id.namespace == first.namespace)
            for c in candidates
        ):
            return candidates[0]
        ids = ", ".join(res_id_string(c.id) for c in candidates)
        raise _WalkError(f"found multiple possible referrals: {ids}")

    # ---- setting ----------------------------------------------------------------------------

    def _new_scalar(self, field: _Field, value: str) -> str | None:
        """``setScalar``: the new name for a scalar reference, or ``None`` to leave it."""
        positions = self._candidates(field.referrer, value)
        if not positions:
            return None
        referral = self._select(field, positions, compare_namespaces=False)
        if referral is None or referral.id.name == value:
            return None
        return referral.id.name

    def _set_mapping(self, field: _Field, node: dict[Any, Any]) -> None:
        """``setMapping``: a map with ``name`` and maybe ``namespace``."""
        if "name" not in node:
            raise _WalkError("path config error; no 'name' field in node")
        old_name = node["name"]
        if not isinstance(old_name, str):
            return
        if "namespace" in node:
            namespace = node["namespace"]
            if not isinstance(namespace, str):
                return
            positions = self._candidates_in_namespace(field.referrer, old_name, namespace)
        else:
            positions = self._candidates(field.referrer, old_name)
        if not positions:
            return
        referral = self._select(field, positions, compare_namespaces=True)
        if referral is None:
            return
        new_name, new_namespace = referral.id.name, referral.id.namespace
        if new_name == old_name and not new_namespace:
            return
        node["name"] = new_name
        if new_namespace:
            node["namespace"] = new_namespace

    def _set(self, field: _Field, container: dict[Any, Any] | list[Any], key: Any) -> None:
        """The node at the end of a path: a scalar, a map, or a sequence of either."""
        value = container[key]
        if isinstance(value, str):
            new = self._new_scalar(field, value)
            if new is not None:
                container[key] = new
        elif isinstance(value, dict):
            self._set_mapping(field, value)
        elif isinstance(value, list):
            for position, element in enumerate(value):
                if isinstance(element, str):
                    new = self._new_scalar(field, element)
                    if new is not None:
                        value[position] = new
                elif isinstance(element, dict):
                    self._set_mapping(field, element)
                elif isinstance(element, list):
                    raise _WalkError(
                        "a list element is expected to be either a string or a map of string"
                    )

    # ---- walking ----------------------------------------------------------------------------

    def _arrive(
        self,
        referrer: _Referrer,
        container: dict[Any, Any] | list[Any],
        key: Any,
        node: _Trie,
    ) -> None:
        """At ``container[key]``, the end of the paths of ``node.leaves``: set, then go on."""
        for leaf in node.leaves:
            role_ref = _role_ref_gvk(referrer.info.resource.manifest) if leaf.role_ref else None
            try:
                self._set(_Field(referrer, leaf.target, role_ref), container, key)
            except _WalkError as error:
                raise _fail(referrer, leaf.path, str(error)) from None
        if node.children:
            self._descend(referrer, container[key], node)

    def _descend(self, referrer: _Referrer, value: Any, node: _Trie) -> None:
        """kustomize's ``fieldspec.Filter`` (no creation): maps by key, sequences element-wise."""
        if value is None:
            return
        if isinstance(value, dict):
            for name, child in node.children.items():
                if child.error is not None:
                    raise _fail(referrer, child.first_path, child.error)
                if name in value:
                    self._arrive(referrer, value, name, child)
        elif isinstance(value, list):
            for element in value:
                self._descend(referrer, element, node)
        else:
            raise _fail(referrer, node.first_path, "expected sequence or mapping node")

    def rewrite(self, referrer: _Referrer, tries: list[_Trie]) -> None:
        """Apply the tries (each the merged paths of some fieldSpecs) to the referrer, in order."""
        for trie in tries:
            self._descend(referrer, referrer.info.resource.manifest, trie)


def _fail(referrer: _Referrer, path: str, message: str) -> ResourceError:
    return ResourceError(
        referrer.info.resource.origin,
        f"updating name reference in '{path}' field of '{res_id_string(referrer.info.id)}': "
        f"{message}",
    )


def _role_ref_gvk(manifest: Manifest) -> Gvk | None:
    """``getRoleRefGvk``: ``roleRef.apiGroup`` + ``roleRef.kind`` (``None`` = accept all)."""
    role_ref = manifest.get("roleRef")
    if not isinstance(role_ref, dict):
        return None
    group = role_ref.get("apiGroup")
    kind = role_ref.get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    return Gvk(group, "", kind)


class _Plan:
    """The table grouped by referrer kind, so each resource only walks the specs for its kind."""

    def __init__(self, table: Sequence[NameReference]) -> None:
        self.by_kind: dict[str, list[tuple[int, Gvk, FieldSpec]]] = {}
        ordinal = 0
        for entry in table:
            for spec in entry.referrers:
                self.by_kind.setdefault(spec.kind, []).append((ordinal, entry.target, spec))
                ordinal += 1
        self._cache: dict[Gvk, list[_Trie]] = {}

    def tries_for(self, gvk: Gvk) -> list[_Trie]:
        """The fieldSpecs that select ``gvk``, as tries to walk in order (usually one)."""
        cached = self._cache.get(gvk)
        if cached is None:
            rows = self.by_kind.get(gvk.kind, []) + (self.by_kind.get("", []) if gvk.kind else [])
            rows.sort(key=lambda row: row[0])
            specs = [(target, spec) for _, target, spec in rows if _selects(spec, gvk)]
            merged = _Trie("")
            for target, spec in specs:
                merged.add(spec.path, _leaf(target, spec))
            if merged.has_inner_leaves():
                cached = []
                for target, spec in specs:
                    single = _Trie("")
                    single.add(spec.path, _leaf(target, spec))
                    cached.append(single)
            else:
                cached = [merged] if specs else []
            self._cache[gvk] = cached
        return cached


def _leaf(target: Gvk, spec: FieldSpec) -> _Leaf:
    path = join_path(spec.path)
    return _Leaf(target, path, path.endswith(_ROLE_REF_NAME))


def rewrite_references(resources: list[Resource], table: Sequence[NameReference]) -> None:
    """Fix name references in ``resources`` in place, as kustomize's name-reference transformer.

    For each resource (the referrer) and each (target, fieldSpec) of ``table`` whose fieldSpec
    selects the referrer's original GVK, in table order: every string found at the field path
    (scalars, ``name``/``namespace`` maps, or sequences of either) that equals a *previous* name of
    a resource the referrer can see (cluster-scoped referrer: all; else cluster-scoped resources,
    its own effective namespace, and for a RoleBinding the namespaces of its ServiceAccount
    subjects), of the target GVK, is replaced with that resource's current name (a map also gets
    the referral's namespace when it has one). Several candidates are narrowed by the
    prefix/suffix history; if they still differ, a :class:`ResourceError` names the referrer, the
    field and the candidates. Linear in the number of resources and fields.
    """
    plan = _Plan(table)
    index = _Index(resources)
    rewriter = _Rewriter(index)
    for info in index.infos:
        tries = plan.tries_for(info.org_gvk)
        if not tries:
            continue
        namespaces = _role_binding_namespaces(info)
        rewriter.rewrite(_Referrer(info, frozenset(namespaces), namespaces), tries)
