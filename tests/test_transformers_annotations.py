"""The ``commonAnnotations`` transformer: parsing, setting on objects and pod templates, checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kgen.errors import KustomizationError
from kgen.fieldspecs import BUILTIN_CONFIG
from kgen.findings import Finding
from kgen.kustomization import parse_kustomization
from kgen.model import Resource, manifest_id
from kgen.transformers import check_layer
from kgen.transformers.annotations import Annotations, apply, parse


def _cronjob() -> dict[str, Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "report", "annotations": {"retries": "5"}},
        "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}},
    }


def _applied(pairs: dict[str, Any], manifest: dict[str, Any]) -> Resource:
    settings = parse({"commonAnnotations": pairs}, "k")
    assert settings is not None
    resource = Resource(manifest, "r.yaml", manifest_id(manifest).gvk)
    apply([resource], settings, BUILTIN_CONFIG, "k")
    return resource


def test_parse_pins_pairs() -> None:
    assert parse({"commonAnnotations": {"a": "x", "b": None}}, "k") == Annotations(
        (("a", "x"), ("b", ""))
    )


@pytest.mark.parametrize("value", [None, {}])
def test_parse_nothing_to_do(value: Any) -> None:
    assert parse({"commonAnnotations": value}, "k") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(["a"], "k: commonAnnotations: expected a mapping of strings", id="list"),
        pytest.param(
            {"a": 3}, "k: commonAnnotations.a: expected a string, got a number (quote it)", id="num"
        ),
        pytest.param({1: "x"}, 'k: commonAnnotations: key "1" must be a string', id="key"),
    ],
)
def test_parse_errors(value: Any, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        parse({"commonAnnotations": value}, "k")
    assert str(info.value) == message


def test_cronjob_job_and_pod_templates_get_them() -> None:
    resource = _applied({"owner": "data", "retries": "3"}, _cronjob())
    both = {"owner": "data", "retries": "3"}
    assert resource.manifest == {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "report", "annotations": both},
        "spec": {
            "jobTemplate": {
                "metadata": {"annotations": both},
                "spec": {
                    "template": {"metadata": {"annotations": both}, "spec": {"containers": []}}
                },
            }
        },
    }


def test_selectors_are_not_annotated() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {}}
    resource = _applied({"a": "b"}, service)
    assert resource.manifest["spec"] == {}
    assert resource.manifest["metadata"]["annotations"] == {"a": "b"}


def test_a_value_forgets_the_old_source_text() -> None:
    manifest = _cronjob()
    manifest["metadata"]["annotations"] = {"retries": "5", "checked": "true"}
    resource = Resource(manifest, "r.yaml", manifest_id(manifest).gvk)
    resource.data_text = {"metadata.annotations": {"retries": "5", "checked": "True"}}
    settings = parse({"commonAnnotations": {"retries": "3"}}, "k")
    assert settings is not None
    apply([resource], settings, BUILTIN_CONFIG, "k")
    assert resource.data_text == {"metadata.annotations": {"checked": "True"}}


def test_annotation_keys_are_checked_ignoring_case() -> None:
    data = {
        "resources": ["r.yaml"],
        "commonAnnotations": {"Example.com/Owner": "x", "a/b/c": "free text: any value"},
    }
    kustomization = parse_kustomization(data, Path("kustomization.yaml"), "k.yaml")
    assert check_layer(kustomization.steps, "k.yaml") == [
        Finding(
            "annotation-key",
            "k.yaml",
            'commonAnnotations: key "a/b/c" is not a valid annotation key: it has more than '
            "one '/'",
        )
    ]
