"""The one field-path walker: ``walk`` for transformers, ``find_fields`` for checks."""

from __future__ import annotations

from typing import Any

from kgen.fieldspecs import FieldSpec, split_path
from kgen.walker import FieldTrie, find_fields, walk


def test_find_fields_walks_shared_prefixes_once_and_reports_locations() -> None:
    manifest: dict[str, Any] = {
        "spec": {
            "containers": [
                {"env": [{"valueFrom": {"secretKeyRef": {"name": "a"}}}]},
                {"envFrom": [{"secretRef": {"name": "b"}}], "env": "not a list"},
            ],
            "names": ["x", "y"],
        }
    }
    trie: FieldTrie[str] = FieldTrie()
    trie.add(split_path("spec/containers/env/valueFrom/secretKeyRef/name"), "key-ref")
    trie.add(split_path("spec/containers/envFrom/secretRef/name"), "env-from")
    trie.add(split_path("spec/names"), "list-leaf")
    found = [(payload, location) for payload, _, _, location in find_fields(manifest, trie)]
    assert found == [
        ("key-ref", ("spec", "containers", 0, "env", 0, "valueFrom", "secretKeyRef", "name")),
        ("env-from", ("spec", "containers", 1, "envFrom", 0, "secretRef", "name")),
        ("list-leaf", ("spec", "names")),  # a list at the end of a path is the field itself
    ]


def test_find_fields_changes_nothing() -> None:
    manifest: dict[str, Any] = {"spec": {"volumeClaimTemplates": None}}
    trie: FieldTrie[int] = FieldTrie()
    trie.add(split_path("spec/volumeClaimTemplates[]/metadata/labels"), 1)
    assert list(find_fields(manifest, trie)) == []
    assert manifest == {"spec": {"volumeClaimTemplates": None}}


def test_walk_visits_a_leaf_list_once_and_creates_what_a_spec_says() -> None:
    manifest: dict[str, Any] = {"rules": [{"resourceNames": ["a", "b"]}, {"resourceNames": ["c"]}]}
    seen: list[Any] = []
    walk(
        manifest,
        FieldSpec("", "", "", ("rules", "resourceNames")),
        lambda container, key: seen.append(container[key]),
        create_kind=None,
        where="r.yaml",
    )
    assert seen == [["a", "b"], ["c"]]
    created: dict[str, Any] = {}
    walk(
        created,
        FieldSpec("", "", "", ("metadata", "labels"), create=True),
        lambda container, key: container[key].update(a="b"),
        create_kind="map",
        where="r.yaml",
    )
    assert created == {"metadata": {"labels": {"a": "b"}}}
