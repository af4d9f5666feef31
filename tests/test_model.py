"""kgen.model: what the pipeline's objects keep when they are copied."""

from __future__ import annotations

import pickle

from kgen.model import Gvk, Resource, manifest_id


def test_a_copied_resource_knows_its_null_entries_by_its_own_containers() -> None:
    """A kept base is copied (pickled) for each root: the entries a label transformer set
    in a null map are known by the id of that map's container, which the copy has anew."""
    manifest = {"kind": "ConfigMap", "metadata": {"name": "c", "labels": None}}
    resource = Resource(manifest, "c.yaml", Gvk("", "v1", "ConfigMap"))
    resource.null_entries[(id(manifest["metadata"]), "labels")] = (
        manifest["metadata"],
        {"tier": "base"},
        [],
    )
    copy = pickle.loads(pickle.dumps(resource))
    metadata = copy.manifest["metadata"]
    assert metadata is not manifest["metadata"]
    assert copy.null_entries == {(id(metadata), "labels"): (metadata, {"tier": "base"}, [])}
    assert copy.null_entries[(id(metadata), "labels")][0] is metadata


def test_manifest_id_reads_ids_as_kyaml_does() -> None:
    assert manifest_id({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"}})[
        :4
    ] == ("apps", "v1", "Deployment", "a")
    assert manifest_id({"apiVersion": "v1", "kind": 2, "metadata": {"name": "x"}}).kind == "2"
    odd = manifest_id({"kind": "K", "metadata": {"name": "n", "namespace": True}})
    assert (odd.group, odd.version, odd.namespace) == ("", "", "true")
    assert manifest_id({"kind": "K", "metadata": []}).name == ""
