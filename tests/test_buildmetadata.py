from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgen import buildmetadata, yamlio
from kgen.model import Gvk, Origin, Resource

FILE = Origin(path="../base/service.yaml")
GENERATOR = Origin(
    configured_in="kustomization.yaml", configured_by=("builtin", "ConfigMapGenerator", "", "")
)
PLUGIN = Origin(
    configured_in="labels.yaml", configured_by=("builtin", "LabelTransformer", "l", "prod")
)


@pytest.mark.parametrize(
    ("origin", "text"),
    [
        (FILE, "path: ../base/service.yaml\n"),
        (
            GENERATOR,
            (
                "configuredIn: kustomization.yaml\nconfiguredBy:\n  apiVersion: builtin\n"
                "  kind: ConfigMapGenerator\n"
            ),
        ),
        (
            PLUGIN,
            (
                "configuredIn: labels.yaml\nconfiguredBy:\n  apiVersion: builtin\n"
                "  kind: LabelTransformer\n  name: l\n  namespace: prod\n"
            ),
        ),
        (Origin(path="true"), 'path: "true"\n'),
        (Origin(path="12"), 'path: "12"\n'),
        (Origin(path="a: b"), "path: 'a: b'\n"),
        (Origin(path="dir with space/x.yaml"), "path: dir with space/x.yaml\n"),
        # file names measured with kubectl kustomize
        (Origin(path="x'y.yaml"), "path: x'y.yaml\n"),
        (Origin(path="a:b.yaml"), "path: a:b.yaml\n"),
        (Origin(path="-d.yaml"), "path: -d.yaml\n"),
        (Origin(path="é.yaml"), "path: é.yaml\n"),
        (Origin(path="@x.yaml"), "path: '@x.yaml'\n"),
        (Origin(path="#h.yaml"), "path: '#h.yaml'\n"),
        (Origin(path="1e3"), 'path: "1e3"\n'),
    ],
    ids=[
        "file",
        "generator",
        "plugin",
        "bool-like",
        "number-like",
        "colon-space",
        "space",
        "quote",
        "colon",
        "dash",
        "unicode",
        "at",
        "hash",
        "float-like",
    ],
)
def test_origin_text_is_kyaml_marshal(origin: Origin, text: str) -> None:
    assert buildmetadata.origin_text(origin) == text


def test_transformations_text_is_a_compact_sequence() -> None:
    assert buildmetadata.transformations_text([GENERATOR, PLUGIN]) == (
        "- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n"
        "    kind: ConfigMapGenerator\n"
        "- configuredIn: labels.yaml\n  configuredBy:\n    apiVersion: builtin\n"
        "    kind: LabelTransformer\n    name: l\n    namespace: prod\n"
    )


def _resource(manifest: dict[str, Any]) -> Resource:
    return Resource(
        manifest=manifest,
        origin="service.yaml",
        original_gvk=Gvk("", "v1", "Service"),
        build_origin=FILE,
        transformations=[GENERATOR],
    )


@pytest.mark.parametrize(
    ("options", "annotations"),
    [
        ((), None),
        (("managedByLabel",), None),
        (("originAnnotations",), {"config.kubernetes.io/origin": "path: ../base/service.yaml\n"}),
        (
            ("transformerAnnotations", "bogus"),
            {
                "alpha.config.kubernetes.io/transformations": (
                    "- configuredIn: kustomization.yaml\n  configuredBy:\n"
                    "    apiVersion: builtin\n    kind: ConfigMapGenerator\n"
                )
            },
        ),
    ],
    ids=["none", "label-only", "origin", "transformations"],
)
def test_annotate_writes_what_is_asked(
    options: tuple[str, ...], annotations: dict[str, str] | None
) -> None:
    resource = _resource({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}})
    buildmetadata.annotate([resource], options)
    assert resource.manifest["metadata"].get("annotations") == annotations


def test_annotate_keeps_the_object_annotations_and_replaces_a_null_map() -> None:
    kept = _resource({"kind": "Service", "metadata": {"name": "a", "annotations": {"x": "y"}}})
    null = _resource({"kind": "Service", "metadata": {"name": "b", "annotations": None}})
    buildmetadata.annotate([kept, null], ("originAnnotations",))
    origin = {"config.kubernetes.io/origin": "path: ../base/service.yaml\n"}
    assert kept.manifest["metadata"]["annotations"] == {"x": "y", **origin}
    assert null.manifest["metadata"]["annotations"] == origin


@pytest.mark.parametrize(
    ("options", "left"),
    [
        ((), None),
        (("originAnnotations",), {"config.kubernetes.io/origin": "path: ../base/service.yaml\n"}),
    ],
    ids=["none", "origin"],
)
def test_annotate_drops_the_build_annotations_an_input_had(
    options: tuple[str, ...], left: dict[str, str] | None
) -> None:
    """kustomize strips them whatever buildMetadata says, unless it writes its own."""
    given = {
        "config.kubernetes.io/origin": "path: elsewhere\n",
        "alpha.config.kubernetes.io/transformations": "[]\n",
    }
    resource = _resource({"kind": "Service", "metadata": {"name": "a", "annotations": given}})
    resource.transformations = []
    buildmetadata.annotate([resource], options)
    assert resource.manifest["metadata"].get("annotations") == left


@settings(deadline=None, derandomize=True, database=None)
@given(
    st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\n\r\x85\u2028\u2029"),
        min_size=1,
    )
)
def test_origin_text_reads_back_as_written(path: str) -> None:
    """Whatever a path holds, the annotation's text is YAML that reads back to it."""
    text = buildmetadata.origin_text(Origin(path=path))
    assert yamlio.load_value(text.encode(), "annotation") == {"path": path}


@pytest.mark.parametrize(
    ("path", "line"),
    [
        # as kubectl kustomize wrote these file names in its origin annotation (goyaml.v3)
        ("0O0", 'path: "0O0"'),
        ("0b1", 'path: "0b1"'),
        ("0x_1", 'path: "0x_1"'),
        ("1:20", 'path: "1:20"'),
        ("1_0", 'path: "1_0"'),
        ("1e3", 'path: "1e3"'),
        (".5", 'path: ".5"'),
        ("+1", 'path: "+1"'),
        ("NULL", 'path: "NULL"'),
        ("Yes", 'path: "Yes"'),
        ("2001-12-14", 'path: "2001-12-14"'),
        ("nUll", "path: nUll"),
        ("yEs", "path: yEs"),
        ("1.5e3.2", "path: 1.5e3.2"),
        ("true~", "path: true~"),
        ("-x", "path: -x"),
        ("x y", "path: x y"),
        ("a'b", "path: a'b"),
    ],
)
def test_origin_path_is_quoted_as_kustomize_quotes_it(path: str, line: str) -> None:
    assert buildmetadata.origin_lines(Origin(path=path)) == [line]
