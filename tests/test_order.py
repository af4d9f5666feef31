"""kgen.order: kustomize's legacy and FIFO resource order."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kgen.errors import KustomizationError
from kgen.model import Gvk, ResId, Resource, SortOptions, split_api_version
from kgen.order import (
    DEFAULT_ORDER_FIRST,
    DEFAULT_ORDER_LAST,
    gvk_sort_string,
    id_sort_string,
    kind_ranks,
    order_resources,
)
from kgen.scopes import is_cluster_scoped


def make(api_version: str, kind: str, name: str, namespace: str | None = None) -> Resource:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    group, version = split_api_version(api_version)
    return Resource(
        {"apiVersion": api_version, "kind": kind, "metadata": metadata},
        "test",
        Gvk(group, version, kind),
    )


def triples(resources: list[Resource]) -> list[tuple[str, str, str]]:
    return [(r.id.kind, r.id.namespace, r.id.name) for r in resources]


LEGACY = SortOptions()


def test_default_lists() -> None:
    assert DEFAULT_ORDER_FIRST[0] == "Namespace"
    assert DEFAULT_ORDER_FIRST[-1] == "PodDisruptionBudget"
    assert len(DEFAULT_ORDER_FIRST) == 22
    assert DEFAULT_ORDER_LAST == ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


def test_kind_ranks() -> None:
    assert kind_ranks(("A", "B"), ("Y", "Z")) == {"A": -2, "B": -1, "Y": 1, "Z": 2}
    # a kind listed twice keeps its last position; orderLast wins over orderFirst
    assert kind_ranks(("A", "B", "A"), ("B",)) == {"A": -1, "B": 1}


@pytest.mark.parametrize(
    ("gvk", "expected"),
    [
        pytest.param(Gvk("", "v1", "Pod"), "~G_v1_Pod", id="core"),
        pytest.param(Gvk("apps", "v1", "Deployment"), "apps_v1_Deployment", id="group"),
        pytest.param(Gvk("", "", ""), "~G_~V_~K", id="empty"),
    ],
)
def test_gvk_sort_string(gvk: Gvk, expected: str) -> None:
    assert gvk_sort_string(gvk) == expected


@pytest.mark.parametrize(
    ("res_id", "expected"),
    [
        pytest.param(ResId("", "v1", "Pod", "p", ""), "Pod.v1.[noGrp]|~X|p", id="no-namespace"),
        pytest.param(
            ResId("apps", "v1", "Deployment", "d", "ns"), "Deployment.v1.apps|ns|d", id="namespaced"
        ),
        pytest.param(ResId("", "", "", "", ""), "[noKind].[noVer].[noGrp]|~X|~N", id="empty"),
    ],
)
def test_id_sort_string(res_id: ResId, expected: str) -> None:
    assert id_sort_string(res_id) == expected


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        pytest.param(
            [
                make("apps/v1", "Deployment", "d"),
                make("v1", "Service", "s"),
                make("v1", "Namespace", "ns"),
                make("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "v"),
                make("example.com/v1", "Widget", "w"),
                make("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "m"),
                make("v1", "ConfigMap", "c"),
            ],
            [
                ("Namespace", "", "ns"),
                ("ConfigMap", "", "c"),
                ("Service", "", "s"),
                ("Deployment", "", "d"),
                ("Widget", "", "w"),
                ("MutatingWebhookConfiguration", "", "m"),
                ("ValidatingWebhookConfiguration", "", "v"),
            ],
            id="kind-ranks",
        ),
        pytest.param(
            [
                make("v1", "ConfigMap", "b"),
                make("v1", "ConfigMap", "a", "zz"),
                make("v1", "ConfigMap", "a"),
                make("v1", "ConfigMap", "b", "aa"),
                make("v1", "ConfigMap", "c", "default"),
            ],
            [
                ("ConfigMap", "aa", "b"),
                ("ConfigMap", "default", "c"),
                ("ConfigMap", "zz", "a"),
                ("ConfigMap", "", "a"),
                ("ConfigMap", "", "b"),
            ],
            id="no-namespace-after-namespaced",
        ),
        pytest.param(
            [
                make("zeta.io/v1", "Thing", "t"),
                make("v1", "Thing", "t"),
                make("alpha.io/v1", "Thing", "t"),
                make("alpha.io/v2", "Thing", "t"),
                make("alpha.io/v1", "Other", "o"),
            ],
            [
                ("Other", "", "o"),
                ("Thing", "", "t"),
                ("Thing", "", "t"),
                ("Thing", "", "t"),
                ("Thing", "", "t"),
            ],
            id="same-rank-by-gvk-string",
        ),
        pytest.param(
            [
                make("example.com/v1", "Namespace", "x"),
                make("v1", "Namespace", "b"),
                make("aaa.io/v1", "Namespace", "y"),
                make("v1", "Namespace", "a"),
            ],
            [
                ("Namespace", "", "a"),
                ("Namespace", "", "b"),
                ("Namespace", "", "y"),
                ("Namespace", "", "x"),
            ],
            id="core-namespace-first",
        ),
        pytest.param(
            [
                make("v1", "Namespace", "v1ns"),
                make("v2", "Namespace", "v2ns"),
            ],
            [("Namespace", "", "v2ns"), ("Namespace", "", "v1ns")],
            id="core-namespaces-reversed",
        ),
        pytest.param(
            [make("v1", "Secret", "s", "ns"), make("v1", "Secret", "s")],
            [("Secret", "ns", "s"), ("Secret", "", "s")],
            id="secrets",
        ),
    ],
)
def test_legacy_order(inputs: list[Resource], expected: list[tuple[str, str, str]]) -> None:
    assert triples(order_resources(inputs, LEGACY)) == expected


def test_same_rank_group_order() -> None:
    inputs = [
        make("zeta.io/v1", "Thing", "z"),
        make("v1", "Thing", "core"),
        make("alpha.io/v2", "Thing", "a2"),
        make("alpha.io/v1", "Thing", "a1"),
    ]
    assert [r.name for r in order_resources(inputs, LEGACY)] == ["a1", "a2", "z", "core"]


def test_order_is_new_list_and_input_untouched() -> None:
    inputs = [make("v1", "Service", "s"), make("v1", "Namespace", "n")]
    result = order_resources(inputs, LEGACY)
    assert result is not inputs
    assert [r.name for r in inputs] == ["s", "n"]
    assert [r.name for r in result] == ["n", "s"]


def test_custom_lists() -> None:
    inputs = [
        make("v1", "Namespace", "n"),
        make("apps/v1", "Deployment", "d"),
        make("v1", "Service", "s"),
        make("v1", "ConfigMap", "c"),
    ]
    options = SortOptions("legacy", ("Service",), ("Namespace",))
    assert [r.name for r in order_resources(inputs, options)] == ["s", "d", "c", "n"]


def test_custom_first_only_means_empty_last() -> None:
    inputs = [
        make("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "v"),
        make("v1", "Namespace", "n"),
        make("apps/v1", "Deployment", "d"),
    ]
    options = SortOptions("legacy", ("Deployment",), None)
    assert [r.name for r in order_resources(inputs, options)] == ["d", "v", "n"]


def test_fifo() -> None:
    inputs = [make("v1", "Service", "s"), make("v1", "Namespace", "n"), make("v1", "Pod", "p")]
    assert [r.name for r in order_resources(inputs, SortOptions("fifo"))] == ["s", "n", "p"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            SortOptions("random"),
            "the field 'sortOptions.order' must be one of [fifo, legacy]",
            id="bad-order",
        ),
        pytest.param(
            SortOptions("fifo", ("Namespace",), None),
            "the field 'sortOptions.legacySortOptions' is set but the selected sort order is "
            "'fifo', not 'legacy'",
            id="fifo-with-lists",
        ),
    ],
)
def test_invalid_options(options: SortOptions, message: str) -> None:
    with pytest.raises(KustomizationError) as caught:
        order_resources([], options)
    assert str(caught.value) == message


# --------------------------------------------------------------------------------------------
# Differential test against `kubectl kustomize`

KUBECTL = shutil.which("kubectl")

KINDS: list[tuple[str, str]] = [
    ("v1", "Namespace"),
    ("example.com/v1", "Namespace"),
    ("v1", "ResourceQuota"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("v1", "ServiceAccount"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "Endpoints"),
    ("v1", "Service"),
    ("serving.knative.dev/v1", "Service"),
    ("v1", "LimitRange"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("v1", "PersistentVolume"),
    ("v1", "PersistentVolumeClaim"),
    ("apps/v1", "Deployment"),
    ("extensions/v1beta1", "Deployment"),
    ("apps/v1", "StatefulSet"),
    ("batch/v1", "CronJob"),
    ("policy/v1", "PodDisruptionBudget"),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("v1", "Pod"),
    ("batch/v1", "Job"),
    ("networking.k8s.io/v1", "Ingress"),
    ("example.com/v1", "Widget"),
    ("example.com/v1alpha1", "Widget"),
    ("zzz.io/v1", "Aardvark"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
]
NAMESPACE_PAIRS: list[tuple[str | None, ...]] = [
    (None, "ns-a"),
    ("ns-b", "default"),
    ("ns-a", "ns-b"),
    (None, "ns-b"),
]


def corpus(seed: int) -> list[Resource]:
    """Many kinds, names and namespaces (no two with the same kustomize id), shuffled."""
    rng = random.Random(seed)
    resources = []
    for api_version, kind in KINDS:
        group, version = split_api_version(api_version)
        cluster_scoped = is_cluster_scoped(Gvk(group, version, kind))
        for name in ("alpha", "beta"):
            namespaces = (None,) if cluster_scoped else rng.choice(NAMESPACE_PAIRS)
            for namespace in namespaces:
                resources.append(make(api_version, kind, f"{name}-{kind.lower()}", namespace))
    rng.shuffle(resources)
    return resources


def to_yaml(resource: Resource) -> str:
    metadata = resource.manifest["metadata"]
    lines = [
        f"apiVersion: {resource.manifest['apiVersion']}",
        f"kind: {resource.manifest['kind']}",
        "metadata:",
        f"  name: {metadata['name']}",
    ]
    if "namespace" in metadata:
        lines.append(f"  namespace: {metadata['namespace']}")
    return "\n".join(lines) + "\n"


def parse_kubectl(output: str) -> list[tuple[str, str, str]]:
    result = []
    for document in output.split("\n---\n"):
        kind = name = namespace = ""
        in_metadata = False
        for line in document.splitlines():
            if not line.startswith(" "):
                in_metadata = line == "metadata:"
                if line.startswith("kind: "):
                    kind = line[len("kind: ") :]
            elif in_metadata and line.startswith("  name: "):
                name = line[len("  name: ") :]
            elif in_metadata and line.startswith("  namespace: "):
                namespace = line[len("  namespace: ") :]
        result.append((kind, namespace, name))
    return result


def kubectl_order(tmp_path: Path, resources: list[Resource], extra: str = "") -> list[Any]:
    assert KUBECTL is not None
    (tmp_path / "resources.yaml").write_text("---\n".join(to_yaml(r) for r in resources))
    (tmp_path / "kustomization.yaml").write_text("resources:\n- resources.yaml\n" + extra)
    completed = subprocess.run(
        [KUBECTL, "kustomize", str(tmp_path)], capture_output=True, text=True, check=True
    )
    return parse_kubectl(completed.stdout)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl not on PATH")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_legacy_matches_kubectl(tmp_path: Path, seed: int) -> None:
    resources = corpus(seed)
    expected = kubectl_order(tmp_path, resources)
    assert len(expected) == len(resources)
    assert triples(order_resources(resources, LEGACY)) == expected


@pytest.mark.skipif(KUBECTL is None, reason="kubectl not on PATH")
def test_custom_lists_match_kubectl(tmp_path: Path) -> None:
    resources = corpus(7)
    extra = (
        "sortOptions:\n  order: legacy\n  legacySortOptions:\n"
        "    orderFirst: [Widget, Service, Namespace]\n"
        "    orderLast: [ConfigMap, Aardvark]\n"
    )
    expected = kubectl_order(tmp_path, resources, extra)
    options = SortOptions("legacy", ("Widget", "Service", "Namespace"), ("ConfigMap", "Aardvark"))
    assert triples(order_resources(resources, options)) == expected


@pytest.mark.skipif(KUBECTL is None, reason="kubectl not on PATH")
def test_fifo_matches_kubectl(tmp_path: Path) -> None:
    resources = corpus(11)
    expected = kubectl_order(tmp_path, resources, "sortOptions:\n  order: fifo\n")
    assert triples(order_resources(resources, SortOptions("fifo"))) == expected
