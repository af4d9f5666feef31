"""Resource files: read (I/O) and turn documents into resources (pure)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kgen import yamlio
from kgen.errors import LoadError, ResourceError
from kgen.model import Gvk, Manifest, Resource, split_api_version
from kgen.paths import display

LOCAL_CONFIG = "config.kubernetes.io/local-config"


def read_resources(path: Path, where: str) -> list[Resource]:
    """Every object of a resource file, ``...List`` kinds inlined."""
    shown = display(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(where, f"cannot read {shown}: {exc.strerror}") from None
    return parse_resources(yamlio.load_documents(data, shown, "resource"), shown)


def parse_resources(documents: list[Any], where: str) -> list[Resource]:
    """Check each document and inline lists as kustomize does: a kind ending in ``List`` with
    ``items`` (it needs no name) is replaced by its items, which join the end of the file's
    queue. An empty ``metadata.annotations`` is dropped, as kustomize drops it."""
    queue = list(enumerate(documents, start=1))
    resources = []
    while queue:
        number, document = queue.pop(0)
        at = f"{where}: document {number}"
        kind = _kind(document, at)
        if kind.endswith("List") and "items" in document:
            items = document["items"]
            if items is None:
                continue
            if not isinstance(items, list):
                raise ResourceError(at, f"{kind}.items: expected a list")
            queue.extend((number, item) for item in items)
            continue
        manifest = _checked(document, kind, at)
        metadata = manifest["metadata"]
        if metadata.get("annotations") == {}:
            del metadata["annotations"]
        group, version = split_api_version(_api_version(manifest))
        resources.append(
            Resource(manifest=manifest, origin=at, original_gvk=Gvk(group, version, kind))
        )
    return resources


def is_local_config(resource: Resource) -> bool:
    """Objects annotated ``config.kubernetes.io/local-config: "true"`` are not emitted."""
    metadata = resource.manifest.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    return isinstance(annotations, dict) and annotations.get(LOCAL_CONFIG) == "true"


def _kind(document: Any, at: str) -> str:
    if not isinstance(document, dict):
        raise ResourceError(at, "expected a Kubernetes object (a mapping)")
    kind = document.get("kind")
    if not isinstance(kind, str) or not kind:
        raise ResourceError(at, "missing kind")
    return kind


def _checked(document: dict[str, Any], kind: str, at: str) -> Manifest:
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if not isinstance(name, str) or not name:
        raise ResourceError(at, f"{kind}: missing metadata.name")
    at = f"{at} ({kind} {name})"
    if not isinstance(_api_version(document), str):
        raise ResourceError(at, "apiVersion: expected a string")
    path = _null_item(document, "")
    if path is not None:
        raise ResourceError(at, f"{path}: empty item in a list")
    return document


def _api_version(manifest: Manifest) -> Any:
    return manifest.get("apiVersion", "")


def _null_item(value: Any, path: str) -> str | None:
    """The path of the first ``null`` list item, as kustomize refuses them."""
    stack = [(value, path)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, dict):
            stack.extend((item, f"{at}.{key}" if at else str(key)) for key, item in current.items())
        elif isinstance(current, list):
            for index, item in enumerate(current):
                if item is None:
                    return f"{at}[{index}]"
                stack.append((item, f"{at}[{index}]"))
    return None
