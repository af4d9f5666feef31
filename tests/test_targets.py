"""kustomize's Selector: anchored regexes, original or current names, label selectors."""

from __future__ import annotations

from typing import Any

import pytest

from kgen.errors import KustomizationError
from kgen.model import ResId, Resource
from kgen.resources import parse_resources
from kgen.targets import Index, parse_label_selector, parse_selector


def _resource(kind: str, name: str, **metadata: Any) -> Resource:
    manifest = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, **metadata}}
    return parse_resources([manifest], "r.yaml")[0]


WEB = _resource("Deployment", "p-web", labels={"app": "web", "tier": "front"})
WEB.previous_ids = [ResId("apps", "v1", "Deployment", "web", "")]
DB = _resource("StatefulSet", "db", namespace="data", annotations={"a": "1"})
LAYER = [WEB, DB]


@pytest.mark.parametrize(
    ("target", "names"),
    [
        pytest.param({}, ["p-web", "db"], id="empty-is-any"),
        pytest.param({"name": "web"}, ["p-web"], id="original-name"),
        pytest.param({"name": "p-web"}, ["p-web"], id="current-name"),
        pytest.param({"name": "we"}, [], id="anchored"),
        pytest.param({"name": "w.*|d."}, ["p-web", "db"], id="regex"),
        pytest.param({"kind": "Deploy"}, [], id="kind-anchored"),
        pytest.param({"group": "apps", "version": "v1"}, ["p-web", "db"], id="gv"),
        pytest.param({"namespace": "default"}, ["p-web"], id="effective-namespace"),
        pytest.param({"namespace": "data"}, ["db"], id="namespace"),
        pytest.param({"labelSelector": "app in (web,x),tier!=back"}, ["p-web"], id="labels"),
        pytest.param({"labelSelector": "!app"}, ["db"], id="not-exists"),
        pytest.param({"labelSelector": "tier notin (front)"}, ["db"], id="notin-absent"),
        pytest.param({"annotationSelector": "a=1"}, ["db"], id="annotations"),
    ],
)
def test_select(target: dict[str, Any], names: list[str]) -> None:
    selector = parse_selector(target, "k.yaml", "patches[0].target")
    assert [res.name for res in Index(LAYER).select(selector)] == names


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "a in b",
            "unable to parse requirement: found \"in\", expected: '('",
            id="in-without-parens",
        ),
        pytest.param(
            "a in ()",
            "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty",
            id="empty-set",
        ),
        pytest.param(
            "a=b,",
            "unable to parse requirement: found '', expected: identifier after ','",
            id="trailing-comma",
        ),
    ],
)
def test_label_selector_errors(text: str, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        parse_label_selector(text, "k.yaml", "patches[0].target.labelSelector")
    assert str(info.value) == f"k.yaml: patches[0].target.labelSelector: {message}"


def test_a_bad_regex_is_an_error() -> None:
    with pytest.raises(KustomizationError) as info:
        parse_selector({"name": "("}, "k.yaml", "patches[0].target")
    assert str(info.value).startswith("k.yaml: patches[0].target.name: not a regular expression")


def test_a_bad_selector_fails_only_when_an_object_reaches_it() -> None:
    """kustomize parses the label selector of each object the kind, name and namespace select
    (the annotation selector: of each the label selector selects): with none, a selector
    that doesn't parse is no error (found by the fuzzer)."""
    nothing = parse_selector(
        {"kind": "Secret", "labelSelector": "a in (b"}, "k.yaml", "patches[0].target"
    )
    assert Index(LAYER).select(nothing) == []
    some = parse_selector({"kind": "Deployment", "labelSelector": "a in (b"}, "k.yaml", "t")
    with pytest.raises(KustomizationError, match="unexpected end of selector"):
        Index(LAYER).select(some)
    unlabelled = parse_selector(
        {"labelSelector": "app=none", "annotationSelector": "a in (b"}, "k.yaml", "t"
    )
    assert Index(LAYER).select(unlabelled) == []
