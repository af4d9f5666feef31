"""The ``labels`` / ``commonLabels`` transformer: parsing, fieldSpec merges, setting, checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kgen import pipeline
from kgen.errors import KustomizationError, ResourceError
from kgen.fieldspecs import BUILTIN_CONFIG, FieldSpec, TransformerConfig
from kgen.findings import Finding
from kgen.kustomization import parse_kustomization
from kgen.model import Gvk, Resource, manifest_id
from kgen.transformers import check_layer, labels
from kgen.transformers.labels import LabelEntry, Labels, label_value_problem, qualified_name_problem


def _resource(manifest: dict[str, Any]) -> Resource:
    return Resource(manifest, "r.yaml", manifest_id(manifest).gvk)


def _deployment() -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": []}}},
    }


def _service(selector: Any = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"selector": selector},
    }


def _apply(fields: dict[str, Any], *manifests: dict[str, Any]) -> list[Resource]:
    settings = labels.parse(fields, "k")
    assert settings is not None
    resources = [_resource(manifest) for manifest in manifests]
    labels.apply(resources, settings, BUILTIN_CONFIG, "k")
    return resources


# ---------------------------------------------------------------------------------------------
# parse


def test_parse_pins_entries_then_common_labels() -> None:
    fields = {
        "labels": [
            {
                "pairs": {"app": "web"},
                "includeTemplates": True,
                "fields": [{"kind": "Widget", "path": "spec/labels", "create": True}],
            },
            None,
        ],
        "commonLabels": {"team": None},
    }
    assert labels.parse(fields, "k") == Labels(
        (
            LabelEntry(
                "labels[0]",
                (("app", "web"),),
                include_templates=True,
                fields=(FieldSpec("", "", "Widget", ("spec", "labels"), create=True),),
            ),
            LabelEntry("labels[1]", ()),
            LabelEntry("commonLabels", (("team", ""),), common=True),
        )
    )


def test_parse_field_names_match_ignoring_case() -> None:
    settings = labels.parse({"labels": [{"Pairs": {"a": "b"}, "includeselectors": True}]}, "k")
    assert settings is not None
    assert settings.entries[0] == LabelEntry("labels[0]", (("a", "b"),), include_selectors=True)


@pytest.mark.parametrize("fields", [{}, {"labels": []}, {"labels": None, "commonLabels": {}}])
def test_parse_nothing_to_do(fields: dict[str, Any]) -> None:
    assert labels.parse(fields, "k") is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"labels": {"a": "b"}}, "k: labels: expected a list, got a mapping", id="map"),
        pytest.param({"labels": ["a"]}, "k: labels[0]: expected a mapping, got a string", id="str"),
        pytest.param(
            {"labels": [{"pairs": {"a": "b"}, "bogus": 1}]},
            'k: labels[0]: unknown field "bogus"',
            id="unknown-field",
        ),
        pytest.param(
            {"labels": [{"pairs": {"a": 1}}]},
            "k: labels[0].pairs.a: expected a string, got a number (quote it)",
            id="number-value",
        ),
        pytest.param(
            {"labels": [{"pairs": ["a"]}]},
            "k: labels[0].pairs: expected a mapping of strings",
            id="pairs-list",
        ),
        pytest.param(
            {"labels": [{"includeSelectors": "yes"}]},
            "k: labels[0].includeSelectors: expected true or false, got a string",
            id="flag",
        ),
        pytest.param(
            {"labels": [{"fields": {"path": "a"}}]},
            "k: labels[0].fields: expected a list, got a mapping",
            id="fields-map",
        ),
        pytest.param(
            {"labels": [{"fields": [{"path": "a", "create": "yes"}]}]},
            "k: labels[0].fields[0]: field 'create' must be a bool, not a string",
            id="fields-create",
        ),
        pytest.param(
            {"labels": [{"fields": [{"path": "a", "name": "x"}]}]},
            'k: labels[0].fields[0]: unknown field "name"',
            id="fields-unknown",
        ),
        pytest.param(
            {"commonLabels": {"a": True}},
            "k: commonLabels.a: expected a string, got a boolean (quote it)",
            id="common-bool",
        ),
    ],
)
def test_parse_errors_name_the_entry(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        labels.parse(fields, "k")
    assert str(info.value) == message


# ---------------------------------------------------------------------------------------------
# fieldSpecs


METADATA = FieldSpec("", "", "", ("metadata", "labels"), create=True)


def test_specs_default_to_metadata_labels() -> None:
    assert labels.entry_specs(LabelEntry("labels[0]", ()), BUILTIN_CONFIG, "k") == (METADATA,)


def test_specs_with_templates_and_selectors() -> None:
    with_templates = LabelEntry("labels[0]", (), include_templates=True)
    assert labels.entry_specs(with_templates, BUILTIN_CONFIG, "k") == BUILTIN_CONFIG.template_labels
    # includeSelectors wins over includeTemplates
    both = LabelEntry("labels[0]", (), include_selectors=True, include_templates=True)
    assert labels.entry_specs(both, BUILTIN_CONFIG, "k") == BUILTIN_CONFIG.common_labels


def test_specs_own_fields_first_then_config_labels() -> None:
    own = FieldSpec("", "", "Widget", ("spec", "labels"), create=True)
    config_labels = FieldSpec("", "", "Gadget", ("spec", "tags"))
    config = BUILTIN_CONFIG._replace(labels=(config_labels,))
    entry = LabelEntry("labels[0]", (), fields=(own, METADATA._replace(create=True)))
    assert labels.entry_specs(entry, config, "k") == (own, METADATA, config_labels)


def test_specs_of_common_labels_are_the_table() -> None:
    config = TransformerConfig(common_labels=(METADATA,), labels=(METADATA._replace(create=False),))
    entry = LabelEntry("commonLabels", (), common=True)
    assert labels.entry_specs(entry, config, "k") == (METADATA,)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            LabelEntry("labels[0]", (), fields=(METADATA._replace(create=False),)),
            "k: labels[0]: failed to merge labels: conflicting fieldspecs (path "
            "'metadata/labels' is given with create: false and create: true)",
            id="metadata",
        ),
        pytest.param(
            LabelEntry(
                "labels[1]",
                (),
                include_selectors=True,
                fields=(FieldSpec("", "v1", "Service", ("spec", "selector")),),
            ),
            "k: labels[1]: failed to merge labels: conflicting fieldspecs (path "
            "'spec/selector' is given with create: false and create: true)",
            id="selectors",
        ),
        pytest.param(
            LabelEntry(
                "labels[2]",
                (),
                include_templates=True,
                fields=(
                    FieldSpec("", "", "Deployment", ("spec", "template", "metadata", "labels")),
                ),
            ),
            "k: labels[2]: failed to merge template fieldSpec: conflicting fieldspecs (path "
            "'spec/template/metadata/labels' is given with create: false and create: true)",
            id="templates",
        ),
    ],
)
def test_specs_conflicting_create_is_an_error(entry: LabelEntry, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        labels.entry_specs(entry, BUILTIN_CONFIG, "k")
    assert str(info.value) == message


def test_a_conflict_fails_even_without_pairs() -> None:
    with pytest.raises(KustomizationError, match="conflicting fieldspecs"):
        _apply({"labels": [{"fields": [{"path": "metadata/labels"}]}]}, _deployment())


# ---------------------------------------------------------------------------------------------
# apply


def test_common_labels_reach_selectors_and_templates() -> None:
    deployment, service = _apply({"commonLabels": {"app": "web"}}, _deployment(), _service())
    app = {"app": "web"}
    assert deployment.manifest == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": app},
        "spec": {
            "selector": {"matchLabels": app},
            "template": {"metadata": {"labels": app}, "spec": {"containers": []}},
        },
    }
    assert service.manifest["metadata"]["labels"] == app
    assert service.manifest["spec"] == {"selector": app}


def test_plain_labels_touch_metadata_only() -> None:
    (deployment,) = _apply({"labels": [{"pairs": {"app": "web"}}]}, _deployment())
    assert deployment.manifest["metadata"]["labels"] == {"app": "web"}
    assert deployment.manifest["spec"] == {"template": {"spec": {"containers": []}}}


def test_include_templates_skips_selectors() -> None:
    (deployment,) = _apply(
        {"labels": [{"pairs": {"app": "web"}, "includeTemplates": True}]}, _deployment()
    )
    assert "selector" not in deployment.manifest["spec"]
    assert deployment.manifest["spec"]["template"]["metadata"] == {"labels": {"app": "web"}}


def test_policy_selectors_are_set_where_they_exist() -> None:
    pdb = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "p"},
        "spec": {"selector": {"matchLabels": {"app": "old"}}},
    }
    policy = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "n"},
        "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {}}}]}]},
    }
    budget, network = _apply({"commonLabels": {"app": "web"}}, pdb, policy)
    assert budget.manifest["spec"] == {"selector": {"matchLabels": {"app": "web"}}}
    assert network.manifest["spec"] == {
        "podSelector": {},  # not created: the table has no create for it
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}],
    }


def test_a_value_replaces_the_old_one_and_its_source_text() -> None:
    manifest = _service({"version": 1.1})
    manifest["metadata"]["labels"] = {"version": 1.1, "other": 2}
    resource = _resource(manifest)
    resource.data_text = {"metadata.labels": {"version": "1.10", "other": "2"}}
    settings = labels.parse({"commonLabels": {"version": "1.10"}}, "k")
    assert settings is not None
    labels.apply([resource], settings, BUILTIN_CONFIG, "k")
    assert resource.manifest["metadata"]["labels"] == {"version": "1.10", "other": 2}
    assert resource.manifest["spec"]["selector"] == {"version": "1.10"}
    assert resource.data_text == {"metadata.labels": {"other": "2"}}


def test_keys_created_together_stay_one_value() -> None:
    """kustomize creates one YAML node per key and object: setting it later in metadata/labels
    sets it in the selector and the template too, but not where the key already was."""
    service = _service({"app": "old"})
    first = {"labels": [{"pairs": {"app": "web", "tier": "a"}, "includeSelectors": True}]}
    (deployment, svc) = _apply(first, _deployment(), service)
    second = labels.parse({"labels": [{"pairs": {"app": "shop", "tier": "b"}}]}, "k")
    assert second is not None
    labels.apply([deployment, svc], second, BUILTIN_CONFIG, "k")
    spec = deployment.manifest["spec"]
    assert spec["selector"]["matchLabels"] == {"app": "shop", "tier": "b"}
    assert spec["template"]["metadata"]["labels"] == {"app": "shop", "tier": "b"}
    # the Service selector had app already: it kept its own node, only tier was created with it
    assert svc.manifest["spec"]["selector"] == {"app": "web", "tier": "b"}


def test_a_null_map_is_created_or_stays_null() -> None:
    (service,) = _apply({"commonLabels": {"app": "web"}}, _service(None))
    assert service.manifest["spec"]["selector"] == {"app": "web"}
    widget = {"apiVersion": "x/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": None}
    fields = {"labels": [{"pairs": {"a": "b"}, "fields": [{"path": "spec"}]}]}
    (resource,) = _apply(fields, widget)
    assert resource.manifest["spec"] is None


def _null_template() -> dict[str, Any]:
    manifest = _deployment()
    manifest["spec"]["template"]["metadata"] = {"labels": None}
    return manifest


TEMPLATE_FIELD = {"path": "spec/template/metadata/labels", "kind": "Deployment"}


def _apply_more(resource: Resource, fields: dict[str, Any]) -> None:
    settings = labels.parse(fields, "k")
    assert settings is not None
    labels.apply([resource], settings, BUILTIN_CONFIG, "k")


def test_entries_set_in_a_null_show_once_a_map_is_created_there() -> None:
    """kustomize adds an entry to a null it found (and did not create) as to a map: invisible,
    as the field stays null, until a later transformer creates the map, which then holds it, as
    one value with the entries created with it."""
    both = [TEMPLATE_FIELD, {"path": "metadata/labels", "create": True}]
    (resource,) = _apply({"labels": [{"pairs": {"app": "one"}, "fields": both}]}, _null_template())
    template = resource.manifest["spec"]["template"]
    assert template["metadata"] == {"labels": None}
    _apply_more(resource, {"labels": [{"pairs": {"app": "two"}}]})
    assert template["metadata"] == {"labels": None}
    _apply_more(resource, {"labels": [{"pairs": {"z": "3"}, "includeTemplates": True}]})
    assert template["metadata"] == {"labels": {"app": "two", "z": "3"}}
    assert resource.manifest["metadata"]["labels"] == {"app": "two", "z": "3"}


def test_a_key_set_twice_in_a_null_fails_when_the_map_is_created() -> None:
    twice = {"labels": [{"pairs": {"app": v}, "fields": [TEMPLATE_FIELD]} for v in ("a", "b")]}
    (resource,) = _apply(twice, _null_template())
    with pytest.raises(ResourceError) as info:
        _apply_more(resource, {"commonLabels": {"z": "3"}})
    assert str(info.value) == (
        "r.yaml: commonLabels: considering field 'spec/template/metadata/labels': mapping key "
        '"app" already defined (kustomize set it twice while the field was null)'
    )


def test_a_scalar_where_a_map_belongs_is_an_error() -> None:
    manifest = _deployment()
    manifest["metadata"]["labels"] = "app"
    with pytest.raises(ResourceError) as info:
        _apply({"commonLabels": {"app": "web"}}, manifest)
    assert str(info.value) == (
        "r.yaml: commonLabels: considering field 'metadata/labels': wrong node kind: expected a "
        "mapping, got a string"
    )


def test_kinds_are_matched_on_the_current_object() -> None:
    manifest = _deployment()
    resource = Resource(manifest, "r.yaml", Gvk("", "v1", "ConfigMap"))
    settings = labels.parse({"commonLabels": {"a": "b"}}, "k")
    assert settings is not None
    labels.apply([resource], settings, BUILTIN_CONFIG, "k")
    assert manifest["spec"]["selector"] == {"matchLabels": {"a": "b"}}


# ---------------------------------------------------------------------------------------------
# checks


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        pytest.param("app", "", id="plain"),
        pytest.param("app.kubernetes.io/name", "", id="prefixed"),
        pytest.param("A_b.c-D", "", id="name-charset"),
        pytest.param("a" * 63, "", id="name-63"),
        pytest.param(("a" * 63 + ".") * 3 + "a" * 61 + "/x", "", id="prefix-253"),
        pytest.param(
            "a" * 64,
            "the name must be at most 63 characters: alphanumerics, '-', '_' and '.', starting "
            "and ending with an alphanumeric",
            id="name-64",
        ),
        pytest.param(
            "bad key",
            "the name must be at most 63 characters: alphanumerics, '-', '_' and '.', starting "
            "and ending with an alphanumeric",
            id="space",
        ),
        pytest.param("", "the name must not be empty", id="empty"),
        pytest.param("example.com/", "the name must not be empty", id="empty-name"),
        pytest.param("/app", "the prefix before '/' must not be empty", id="empty-prefix"),
        pytest.param("a/b/c", "it has more than one '/'", id="two-slashes"),
        pytest.param(
            "Example.com/app",
            "the prefix before '/' must be a DNS subdomain (lowercase alphanumerics, '-' and '.', "
            "at most 253 characters)",
            id="prefix-upper",
        ),
        pytest.param(
            ("a" * 63 + ".") * 4 + "/x",
            "the prefix before '/' must be a DNS subdomain (lowercase alphanumerics, '-' and '.', "
            "at most 253 characters)",
            id="prefix-256",
        ),
    ],
)
def test_qualified_name_problem(key: str, problem: str) -> None:
    assert qualified_name_problem(key) == problem


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("", True),
        ("web", True),
        ("1.10", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("-web", False),
        ("web.", False),
        ("a b", False),
        ("a/b", False),
    ],
)
def test_label_value_problem(value: str, *, valid: bool) -> None:
    expected = (
        ""
        if valid
        else "it must be empty or at most 63 characters: alphanumerics, '-', '_' and '.', "
        "starting and ending with an alphanumeric"
    )
    assert label_value_problem(value) == expected


def test_checks_name_the_kustomization_field_and_entry() -> None:
    data = {
        "resources": ["r.yaml"],
        "labels": [{"pairs": {"ok": "fine"}}, {"pairs": {"bad key": "x", "v": "-"}}],
        "commonLabels": {"a/b/c": "z"},
    }
    kustomization = parse_kustomization(data, Path("kustomization.yaml"), "k.yaml")
    assert check_layer(kustomization.steps, "k.yaml") == [
        Finding(
            "label-key",
            "k.yaml",
            'labels[1].pairs: key "bad key" is not a valid label key: the name must be at most '
            "63 characters: alphanumerics, '-', '_' and '.', starting and ending with an "
            "alphanumeric",
        ),
        Finding(
            "label-value",
            "k.yaml",
            'labels[1].pairs: the value of "v" is not a valid label value: it must be empty or '
            "at most 63 characters: alphanumerics, '-', '_' and '.', starting and ending with an "
            "alphanumeric",
        ),
        Finding(
            "label-key",
            "k.yaml",
            "commonLabels: key \"a/b/c\" is not a valid label key: it has more than one '/'",
        ),
    ]


def _tree(tmp_path: Path, kustomization: str) -> Path:
    (tmp_path / "kustomization.yaml").write_text(kustomization)
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    return tmp_path


def test_build_reports_the_checks_unless_told_not_to(tmp_path: Path) -> None:
    root = _tree(tmp_path, 'resources: [cm.yaml]\ncommonLabels: {"bad key": x}\n')
    built = pipeline.build(root, pipeline.BuildOptions())
    where = f"{root}/kustomization.yaml"
    assert [(f.rule, f.where) for f in built.findings] == [
        ("deprecated-field", f"{where}: commonLabels"),
        ("label-key", where),
    ]
    unchecked = pipeline.build(root, pipeline.BuildOptions(validate=False))
    assert unchecked.findings == []
    assert unchecked.manifests[0]["metadata"]["labels"] == {"bad key": "x"}
