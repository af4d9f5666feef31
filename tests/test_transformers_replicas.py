"""The ``replicas`` transformer: counts set by current or previous name."""

from __future__ import annotations

import pytest

from kgen.errors import KustomizationError
from kgen.fieldspecs import BUILTIN_CONFIG
from kgen.model import Gvk, ResId, Resource
from kgen.transformers import replicas


def test_parse_pins_entries() -> None:
    fields = {"replicas": [{"name": "db", "count": 3}]}
    assert replicas.parse(fields, "k") == (("db", 3),)


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
    replicas.apply([old, other], (("db", 2), ("p-db", 5)), BUILTIN_CONFIG, "k")
    assert old.manifest["spec"] == {"replicas": 5}
    assert "spec" not in other.manifest
