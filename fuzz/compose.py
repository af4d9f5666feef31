"""What ``fuzz.trees`` draws to compose a layer: ``components``, ``replacements`` and ``vars``.

Each function draws one field's value for the layer being written, from what the tree holds
so far (the generated objects' names, the Deployments), and writes the files it needs through
the draw; ``fuzz.trees._layer`` decides when to call them. Inputs kustomize refuses are drawn
on purpose too (a source that matches nothing, a var naming no object, a target field that is
missing without ``create``): the fuzzer then checks that kgen refuses them as well.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Protocol

from fuzz.yamltext import Map, Node, Seq, Str, Tok


class Draw(Protocol):
    """What these functions use of ``fuzz.trees._Draw``."""

    rng: random.Random
    files: dict[str, bytes]
    workloads: list[str]

    def chance(self, probability: float, tag: str = "") -> bool: ...

    def fresh(self, stem: str) -> str: ...


Named = tuple[str, str]
"""(kind, name) of an object a layer can select."""

WriteLayer = Callable[[str], list[Named]]
"""Writes a Component kustomization in the folder given (relative to the tree) and returns
what it generates."""

_DEPLOYMENT_FIELDS = (
    "spec.template.spec.containers.[name=main].image",
    "spec.template.spec.containers.0.env.0.value",
    "spec.template.spec.containers.[name=main].env.[name=PASSWORD].valueFrom.secretKeyRef.name",
    "metadata.annotations.note",
    "spec.template.metadata.labels.app",
    "spec.replicas",
    "spec.template.spec.containers.*.image",
    "metadata.annotations.[example.com/x]",
)
_SOURCE_FIELDS = ("metadata.name", "data.a", "data.key", "metadata.labels.app", "kind")


def components(draw: Draw, folder: str, write_layer: WriteLayer, shared: list[str]) -> list[str]:
    """0 to 2 ``components:`` entries of the layer in ``folder``: a new component beside it,
    or one already written for another layer (``shared``, paths from the tree's top)."""
    entries: list[str] = []
    for _ in range(draw.rng.choice((1, 1, 2))):
        if shared and draw.chance(0.4, "component-shared"):
            path = draw.rng.choice(shared)
        else:
            path = draw.fresh("components/comp") + "/"
            write_layer(path)
            shared.append(path)
        entries.append(_relative(folder, path))
    if draw.chance(0.05, "component-missing"):
        entries.append(_relative(folder, "components/missing/"))
    return entries


def _relative(folder: str, path: str) -> str:
    """``path`` (from the tree's top) as the kustomization in ``folder`` names it."""
    depth = folder.count("/")
    return "../" * depth + path.rstrip("/")


def replacements(draw: Draw, objects: list[Named]) -> Node:
    """One to three replacements from the layer's objects into its Deployments (or others)."""
    entries = []
    for _ in range(draw.rng.randint(1, 3)):
        kind, name = draw.rng.choice(objects) if objects else ("ConfigMap", "app-config")
        source: list[tuple[Node, Node]] = [(Str("kind"), Str(kind))]
        if draw.chance(0.9):
            source.append((Str("name"), Str(name if draw.chance(0.9) else "nothing")))
        if draw.chance(0.8):
            source.append((Str("fieldPath"), Str(draw.rng.choice(_SOURCE_FIELDS))))
        if draw.chance(0.2, "replacement-source-options"):
            source.append((Str("options"), _options(draw, create=False)))
        targets = [_target(draw, objects) for _ in range(draw.rng.randint(1, 2))]
        entries.append(
            Map(((Str("source"), Map(tuple(source))), (Str("targets"), Seq(tuple(targets)))))
        )
    return Seq(tuple(entries))


def _target(draw: Draw, objects: list[Named]) -> Map:
    select: list[tuple[Node, Node]] = [
        (Str("kind"), Str(draw.rng.choice(("Deployment",) * 3 + ("ConfigMap",))))
    ]
    if draw.workloads and draw.chance(0.3):
        select.append((Str("name"), Str(draw.rng.choice(draw.workloads))))
    fields = tuple(
        Str(draw.rng.choice((*_DEPLOYMENT_FIELDS, "data.a"))) for _ in range(draw.rng.randint(1, 2))
    )
    items: list[tuple[Node, Node]] = [
        (Str("select"), Map(tuple(select))),
        (Str("fieldPaths"), Seq(fields)),
    ]
    if objects and draw.chance(0.15, "replacement-reject"):
        kind, name = draw.rng.choice(objects)
        items.append(
            (Str("reject"), Seq((Map(((Str("kind"), Str(kind)), (Str("name"), Str(name)))),)))
        )
    if draw.chance(0.4, "replacement-options"):
        items.append((Str("options"), _options(draw, create=True)))
    return Map(tuple(items))


def _options(draw: Draw, *, create: bool) -> Map:
    items: list[tuple[Node, Node]] = []
    if draw.chance(0.5):
        items.append((Str("delimiter"), Str(draw.rng.choice(("/", "-", ":", ".")))))
        items.append((Str("index"), Tok(draw.rng.choice(("0", "1", "-1", "5")))))
    if create and draw.chance(0.6):
        items.append((Str("create"), Tok(draw.rng.choice(("true", "false")))))
    return Map(tuple(items))


def variables(draw: Draw, folder: str, objects: list[Named]) -> tuple[Node, str]:
    """A ``vars:`` value naming the layer's objects, and a resource file (in ``folder``) whose
    ConfigMap and Deployment use them in varReference fields; returns (vars, the file's path)."""
    names: list[str] = []
    entries = []
    for _ in range(draw.rng.randint(1, 3)):
        var = draw.rng.choice(("VAR_A", "VAR_B", "DB_NAME")) + draw.fresh("_")
        names.append(var)
        kind, name = draw.rng.choice(objects) if objects else ("ConfigMap", "app-config")
        version = {"Deployment": "apps/v1"}.get(kind, "v1")
        objref: list[tuple[Node, Node]] = [(Str("kind"), Str(kind)), (Str("name"), Str(name))]
        if draw.chance(0.8):
            objref.insert(0, (Str("apiVersion"), Str(version)))
        items: list[tuple[Node, Node]] = [
            (Str("name"), Str(var)),
            (Str("objref"), Map(tuple(objref))),
        ]
        if draw.chance(0.6):
            field = draw.rng.choice(
                (
                    "metadata.name",
                    "data.a",
                    "spec.replicas",
                    "metadata.labels.app",
                    "spec.template.spec.containers[0].image",
                )
            )
            items.append((Str("fieldref"), Map(((Str("fieldPath"), Str(field)),))))
        entries.append(Map(tuple(items)))
    if draw.chance(0.05, "var-duplicate"):
        entries.append(entries[0])
    used = [draw.rng.choice(names) for _ in range(draw.rng.randint(0, 3))]
    if draw.chance(0.1, "var-undefined"):
        used.append("NOT_DEFINED")
    path = draw.fresh("uses-vars") + ".yaml"
    lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        f"  name: {draw.fresh('vars-cm')}",
        "data:",
    ]
    lines += [f'  v{number}: "$({var})"' for number, var in enumerate(used)]
    lines += [f'  escaped: "$$({names[0]})"', '  text: "prefix-$(' + names[0] + ')-suffix"']
    draw.files[folder + path] = ("\n".join(lines) + "\n").encode()
    return Seq(tuple(entries)), path
