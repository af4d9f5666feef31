"""The ``images`` transformer: kustomize's ImageTagTransformer, its matching and its checks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgen.errors import KustomizationError, ResourceError, quote
from kgen.fieldspecs import BUILTIN_CONFIG, FieldSpec, merge_transformer_configs
from kgen.model import Gvk, Resource
from kgen.transformers import images
from kgen.transformers.images import ImageEntry

DIGEST_A = "sha256:" + "a" * 64
DIGEST_B = "sha256:" + "b" * 64


def _entry(name: str, **values: str) -> ImageEntry:
    return ImageEntry(
        "images",
        0,
        name,
        values.get("new_name", ""),
        values.get("new_tag", ""),
        values.get("digest", ""),
        values.get("tag_suffix", ""),
    )


# --------------------------------------------------------------------------------------------
# parse


def test_parse_pins_entries_images_then_image_tags() -> None:
    fields = {
        "imageTags": [{"name": "old", "newTag": "1"}],
        "images": [{"Name": "nginx", "NEWTAG": "2", "digest": DIGEST_A}, None],
    }
    assert images.parse(fields, "k") == (
        ImageEntry("images", 0, "nginx", "", "2", DIGEST_A, ""),
        ImageEntry("images", 1, ""),
        ImageEntry("imageTags", 0, "old", "", "1"),
    )


def test_parse_empty_is_nothing() -> None:
    assert images.parse({"images": [], "imageTags": None}, "k") is None
    assert images.parse({}, "k") is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"images": {"name": "x"}}, "k: images: expected a list, got a mapping", id="map"
        ),
        pytest.param(
            {"imageTags": ["x"]}, "k: imageTags[0]: expected a mapping, got a string", id="str"
        ),
        pytest.param(
            {"images": [{"name": "x", "newTag": 2}]},
            "k: images[0].newTag: expected a string, got a number",
            id="number-tag",
        ),
        pytest.param(
            {"images": [{"name": "x", "tag": "1"}]},
            'k: images[0]: unknown field "tag"',
            id="unknown-field",
        ),
    ],
)
def test_parse_errors_name_the_entry(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        images.parse(fields, "k")
    assert str(info.value) == message


# --------------------------------------------------------------------------------------------
# split, update and matching


@pytest.mark.parametrize(
    ("image", "parts"),
    [
        pytest.param("nginx", ("nginx", "", ""), id="bare"),
        pytest.param("nginx:1.2", ("nginx", "1.2", ""), id="tag"),
        pytest.param(f"nginx@{DIGEST_A}", ("nginx", "", DIGEST_A), id="digest"),
        pytest.param(f"nginx:1@{DIGEST_A}", ("nginx", "1", DIGEST_A), id="tag-digest"),
        pytest.param("host:5000/app:tag", ("host:5000/app", "tag", ""), id="port-tag"),
        pytest.param("host:5000/app", ("host:5000/app", "", ""), id="port"),
        pytest.param("host:5000", ("host", "5000", ""), id="no-slash"),
        pytest.param("a@b:c", ("a", "", "b:c"), id="digest-first"),
    ],
)
def test_split_is_kustomizes(image: str, parts: tuple[str, str, str]) -> None:
    assert images.split(image) == parts


@pytest.mark.parametrize(
    ("image", "entry", "result"),
    [
        pytest.param("nginx:1", _entry("nginx", new_tag="2"), "nginx:2", id="tag"),
        pytest.param(
            f"nginx:1@{DIGEST_A}", _entry("nginx", new_tag="2"), "nginx:2", id="tag-drops-digest"
        ),
        pytest.param(
            "nginx:1", _entry("nginx", digest=DIGEST_B), f"nginx@{DIGEST_B}", id="digest-drops-tag"
        ),
        pytest.param(
            "nginx",
            _entry("nginx", new_tag="2", digest=DIGEST_B, tag_suffix="-x"),
            f"nginx:2@{DIGEST_B}",
            id="tag-and-digest",
        ),
        pytest.param("nginx:1", _entry("nginx", tag_suffix="-x"), "nginx:1-x", id="suffix"),
        pytest.param("nginx", _entry("nginx", tag_suffix="-x"), "nginx:-x", id="suffix-no-tag"),
        pytest.param(
            f"nginx:1@{DIGEST_A}",
            _entry("nginx", new_name="my/web"),
            f"my/web:1@{DIGEST_A}",
            id="name",
        ),
        pytest.param(
            "nginx:1", _entry("nginx", new_name="other:9"), "other:9:1", id="name-with-tag"
        ),
    ],
)
def test_update(image: str, entry: ImageEntry, result: str) -> None:
    assert images.update(image, entry) == result


@pytest.mark.parametrize(
    ("image", "lengths"),
    [
        pytest.param("nginx", (5,), id="bare"),
        pytest.param("nginx:1.2", (9, 5), id="tag"),
        pytest.param(f"nginx:1@{DIGEST_A}", (79, 7, 14, 5), id="tag-digest"),
        pytest.param("nginx@sha512:ab", (15, 12), id="other-algorithm-is-a-tag"),
        pytest.param("a:b/c", (5,), id="colon-before-slash"),
    ],
)
def test_name_lengths(image: str, lengths: tuple[int, ...]) -> None:
    assert images.name_lengths(image) == lengths


@pytest.mark.parametrize(
    ("image", "name", "result"),
    [
        pytest.param("nginx:1", "nginx", "nginx:T", id="literal"),
        pytest.param("nginxy:1", "nginx", "nginxy:1", id="longer-name-differs"),
        pytest.param(f"nginx:1.0@{DIGEST_A}", "nginx:1.0", "nginx:T", id="name-with-tag"),
        pytest.param("host:5000/app", "host:5000/app", "host:5000/app:T", id="port"),
        pytest.param(
            "dockerXio/app", "docker.io/app", "dockerXio/app:T", id="dot-is-any-character"
        ),
        pytest.param("web", "foo|web", "web:T", id="alternation"),
        pytest.param("app:{{x}}", "app", "app:T", id="braces-in-tag"),
        pytest.param("app:a/b", "app", "app:a/b", id="slash-in-tag-no-match"),
    ],
)
def test_rewrite_matches_names_as_kustomize_does(image: str, name: str, result: str) -> None:
    assert images.rewrite(image, 1, (_entry(name, new_tag="T"),), "k") == result


_PIECES = st.sampled_from(["a", "b", ".", ":", "@", "/", "sha256", "@sha256:", "{", "-", "1"])
_TEXT = st.lists(_PIECES, max_size=8).map("".join)


@given(image=_TEXT, name=_TEXT)
def test_dict_lookup_matches_as_kustomizes_regex(image: str, name: str) -> None:
    """The name lookup gives kustomize's answer: ``^NAME(:tag)?(@sha256:digest)?$`` as a Go
    regular expression (``.`` and ``{`` are its only special characters here)."""
    pattern = re.compile("^" + name + r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?\Z")
    entry = _entry(name, new_name="X")
    expected = images.update(image, entry) if pattern.search(image) else image
    assert images.rewrite(image, 1, (entry,), "k") == expected


def test_rewrite_applies_each_entry_per_visit_in_order() -> None:
    suffix = (_entry("nginx", tag_suffix="-x"),)
    assert images.rewrite("nginx:1", 2, suffix, "k") == "nginx:1-x-x"
    chain = (_entry("a", new_name="b"), _entry("b", new_tag="2"), _entry("a", new_tag="9"))
    assert images.rewrite("a:1", 2, chain, "k") == "b:2"
    assert images.rewrite("a:1", 1, chain[::-1], "k") == "b:9"


def test_rewrite_refuses_a_name_that_is_no_regular_expression() -> None:
    with pytest.raises(KustomizationError) as info:
        images.rewrite("nginx", 1, (_entry("ngin[x", new_tag="2"),), "k")
    assert str(info.value) == (
        'k: images[0] "ngin[x": name is not a valid regular expression (kustomize crashes on it)'
    )


# --------------------------------------------------------------------------------------------
# apply


def _resource(manifest: dict[str, Any]) -> Resource:
    group, _, version = manifest["apiVersion"].rpartition("/")
    return Resource(manifest, "r.yaml", Gvk(group, version, manifest["kind"]))


def _pod(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": "p"}, "spec": spec}


def test_apply_walks_containers_anywhere_and_the_field_specs() -> None:
    cron = _resource(
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "c"},
            "spec": {
                "jobTemplate": {
                    "spec": {"template": {"spec": {"initContainers": [{"image": "app:1"}]}}}
                }
            },
        }
    )
    deploy = _resource(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "d"},
            "spec": {"template": {"spec": {"containers": [{"image": "app"}, {"name": "none"}]}}},
        }
    )
    crd = _resource(
        {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "x"},
            "spec": {"containers": [{"image": "app"}]},
        }
    )
    entries = (_entry("app", tag_suffix="-s"),)
    images.apply([cron, deploy, crd], entries, BUILTIN_CONFIG, "k")
    job = cron.manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert job["initContainers"] == [{"image": "app:1-s"}]  # legacy pass only
    assert deploy.manifest["spec"]["template"]["spec"]["containers"] == [
        {"image": "app:-s-s"},  # both passes, as in kustomize
        {"name": "none"},  # never created
    ]
    assert crd.manifest["spec"]["containers"] == [{"image": "app"}]


def test_apply_follows_configured_field_specs() -> None:
    custom = BUILTIN_CONFIG._replace(
        images=(FieldSpec("", "", "MyKind", ("spec", "runtime", "image")),)
    )
    config = merge_transformer_configs(BUILTIN_CONFIG, custom)
    mine = _resource(
        {
            "apiVersion": "x.io/v1",
            "kind": "MyKind",
            "metadata": {"name": "m"},
            "spec": {"runtime": {"image": "app"}},
        }
    )
    images.apply([mine], (_entry("app", new_name="reg/app"),), config, "k")
    assert mine.manifest["spec"] == {"runtime": {"image": "reg/app"}}


def test_apply_matches_scalars_by_their_text_and_leaves_the_rest() -> None:
    pod = _resource(_pod("Pod", {"containers": [{"image": 5}, {"image": 1.5}, {"image": None}]}))
    images.apply(
        [pod], (_entry("5", new_tag="10"), _entry("1.5", new_tag="1")), BUILTIN_CONFIG, "k"
    )
    assert pod.manifest["spec"]["containers"] == [
        {"image": "5:10"},
        {"image": 1.5},
        {"image": None},
    ]


def test_apply_null_sequence_becomes_empty_as_in_kyaml() -> None:
    pod = _resource(_pod("Pod", {"containers": [None, {"image": "a"}], "initContainers": None}))
    images.apply([pod], (_entry("a", new_tag="1"),), BUILTIN_CONFIG, "k")
    assert pod.manifest["spec"] == {"containers": [None, {"image": "a:1"}], "initContainers": []}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param(
            {"containers": [{"image": {"a": "b"}}]},
            "r.yaml: images: spec.containers[0].image: an image must be a string, got a mapping",
            id="map-image",
        ),
        pytest.param(
            {"x": {"containers": ["nginx"]}},
            "r.yaml: images: spec.x.containers[0]: expected a container (a mapping), got a string",
            id="scalar-container",
        ),
        pytest.param(
            {"containers": "x"},
            "r.yaml: images: considering field 'spec/containers[]/image': expected sequence or "
            "mapping node",
            id="scalar-containers",
        ),
    ],
)
def test_apply_errors_name_the_object_and_field(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(ResourceError) as info:
        images.apply([_resource(_pod("Pod", spec))], (_entry("zzz"),), BUILTIN_CONFIG, "k")
    assert str(info.value) == message


# --------------------------------------------------------------------------------------------
# check


def test_check_accepts_valid_entries() -> None:
    entries = (
        _entry("nginx", new_tag="1.25.3-alpine", digest=DIGEST_A),
        _entry("host:5000/team/app", new_name="[::1]:5000/app", tag_suffix="-debug"),
        _entry("nginx:1.0", new_name="reg.io/nginx:1.0", digest="sha512:" + "f" * 128),
    )
    assert images.check(entries, "k") == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            _entry("nginx", new_tag="1.2 3"),
            'newTag "1.2 3" is not a valid image tag',
            id="tag-space",
        ),
        pytest.param(
            _entry("nginx", new_tag="-1"), 'newTag "-1" is not a valid image tag', id="tag-dash"
        ),
        pytest.param(
            _entry("nginx", new_tag="t" * 129),
            f'newTag "{"t" * 129}" is not a valid image tag',
            id="tag-long",
        ),
        pytest.param(
            _entry("nginx", digest="sha256:abc"),
            'digest "sha256:abc" is not a valid image digest (sha256: and 64 lowercase hex digits, '
            "or sha384/sha512)",
            id="digest-short",
        ),
        pytest.param(_entry("Nginx"), 'name "Nginx" is not a valid image name', id="name-upper"),
        pytest.param(
            _entry(""), "name is missing, so the entry matches no image", id="name-missing"
        ),
        pytest.param(
            _entry("a", new_name="a b"), 'newName "a b" is not a valid image name', id="new-name"
        ),
        pytest.param(
            _entry("a", new_name="b:1", new_tag="2"),
            'newName "b:1" has a tag, so the image would have two',
            id="new-name-tag-and-tag",
        ),
        pytest.param(
            _entry("a", new_name=f"b@{DIGEST_A}", digest=DIGEST_B),
            f'newName "b@{DIGEST_A}" has a digest, so the image would have two',
            id="new-name-digest-and-digest",
        ),
        pytest.param(
            _entry("a", new_name=f"b@{DIGEST_A}", tag_suffix="-x"),
            f'newName "b@{DIGEST_A}" has a digest, so the image would have a tag after its digest',
            id="new-name-digest-and-suffix",
        ),
        pytest.param(
            _entry("a", new_name="b@sha256:1"),
            'newName "b@sha256:1" has a digest that is not valid',
            id="new-name-bad-digest",
        ),
        pytest.param(
            _entry("a", tag_suffix="/x"), 'tagSuffix "/x" is not valid in an image tag', id="suffix"
        ),
        pytest.param(
            _entry("a" * 256),
            f'name "{"a" * 256}" is not a valid image name: longer than 255 characters',
            id="name-long",
        ),
    ],
)
def test_check_names_the_entry_and_field(entry: ImageEntry, message: str) -> None:
    assert images.check((entry._replace(number=1),), "k") == [
        ("image-ref", f"k: images[1] {quote(entry.name)}", message)
    ]
