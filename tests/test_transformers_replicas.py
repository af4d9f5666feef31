"""The ``replicas`` transformer: counts set by current or previous name."""

from __future__ import annotations

import pytest

from kgen.errors import KustomizationError
from kgen.fieldspecs import BUILTIN_CONFIG
from kgen.findings import Finding
from kgen.model import Gvk, ResId, Resource
from kgen.transformers import replicas


def test_parse_pins_entries() -> None:
    fields = {"replicas": [{"name": "db", "count": 3}]}
    assert replicas.parse(fields, "k") == (replicas.Replica("db", 3, "replicas[0]"),)


def test_parse_reads_as_go_does() -> None:
    """Field names ignore case, null is 0, ``2.0`` is 2 (kustomize's int64 from JSON)."""
    fields = {
        "replicas": [{"Name": "a", "COUNT": 2.0}, {"name": "b", "count": None}, {"name": "c"}]
    }
    assert replicas.parse(fields, "k") == (
        replicas.Replica("a", 2, "replicas[0]"),
        replicas.Replica("b", 0, "replicas[1]"),
        replicas.Replica("c", 0, "replicas[2]"),
    )


def test_parse_empty_is_nothing() -> None:
    assert replicas.parse({"replicas": []}, "k") is None
    assert replicas.parse({}, "k") is None


def test_parse_errors_name_the_entry() -> None:
    with pytest.raises(KustomizationError) as info:
        replicas.parse({"replicas": [{"name": "db", "count": 1}, {"name": "w", "count": "2"}]}, "k")
    assert str(info.value) == "k: replicas[1]: count must be an integer"
    with pytest.raises(KustomizationError) as info:
        replicas.parse({"replicas": ["db"]}, "k")
    assert str(info.value) == "k: replicas[0]: expected a mapping"
    with pytest.raises(KustomizationError) as info:
        replicas.parse({"replicas": [{"name": "db", "count": 2.5}]}, "k")
    assert str(info.value) == "k: replicas[0]: count must be an integer"
    with pytest.raises(KustomizationError) as info:
        replicas.parse({"replicas": [{"name": "db", "count": 1, "extra": 1}]}, "k")
    assert str(info.value) == 'k: replicas[0]: unknown field "extra"'


def test_check_finds_a_negative_count_naming_the_entry() -> None:
    entries = replicas.parse(
        {"replicas": [{"name": "a", "count": 0}, {"name": "b", "count": -1}]}, "k"
    )
    assert entries is not None
    assert replicas.check(entries, "k") == [
        Finding(
            "replica-count",
            'k: replicas[1] "b"',
            "count -1 is negative; the API server requires replicas >= 0",
        )
    ]


def test_apply_matches_current_and_previous_names_once_each() -> None:
    old = Resource(
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "p-db"}},
        "s.yaml",
        Gvk("apps", "v1", "StatefulSet"),
        previous_ids=[ResId("apps", "v1", "StatefulSet", "db", "")],
    )
    other = Resource(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}},
        "d.yaml",
        Gvk("apps", "v1", "Deployment"),
    )
    entries = (replicas.Replica("db", 2, "replicas[0]"), replicas.Replica("p-db", 5, "replicas[1]"))
    replicas.apply([old, other], entries, BUILTIN_CONFIG, "k")
    assert old.manifest["spec"] == {"replicas": 5}
    assert "spec" not in other.manifest


def test_apply_fails_on_an_entry_matching_no_object_of_a_replicas_kind() -> None:
    """kustomize's error, with its wording and its (sorted) order of kinds: a name of a
    ConfigMap only is no match."""
    config_map = Resource(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}},
        "c.yaml",
        Gvk("", "v1", "ConfigMap"),
    )
    with pytest.raises(KustomizationError) as info:
        replicas.apply(
            [config_map], (replicas.Replica("cm", 2, "replicas[0]"),), BUILTIN_CONFIG, "k"
        )
    assert str(info.value) == (
        'k: replicas[0]: resource with name "cm" does not match a config with the following GVK '
        "[Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] "
        "ReplicationController.[noVer].[noGrp]]"
    )
    assert "spec" not in config_map.manifest
