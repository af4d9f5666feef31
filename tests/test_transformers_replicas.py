"""The ``replicas`` transformer: counts set by current or previous name."""

from __future__ import annotations

from kgen.transformers import replicas


def test_parse_pins_entries() -> None:
    fields = {"replicas": [{"name": "db", "count": 3}]}
    assert replicas.parse(fields, "k") == (("db", 3),)


def test_parse_empty_is_nothing() -> None:
    assert replicas.parse({"replicas": []}, "k") is None
    assert replicas.parse({}, "k") is None
