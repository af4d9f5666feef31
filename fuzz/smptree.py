"""Compare kgen's strategic merge (``kgen.smp.merge``) with ``kubectl kustomize`` on generated
targets and patches.

    python -m fuzz.smptree --seed 1 --count 2000 [--batch 40] [--keep DIR] [--show N]

Case ``i`` is ``make_case(seed + i)``: a target object of a built-in kind (workloads, Pod,
Service, ConfigMap, Secret, Ingress, RBAC) or a custom resource, and a patch of it (fields
added, replaced, nulled; list items added, merged, ``$patch: delete``/``replace``; map and list
``$patch`` directives; ``$setElementOrder``/``$retainKeys``/``$deleteFromPrimitiveList``).
A batch of cases is one tree: ``base.yaml`` holds the targets (each named by its case),
``kustomization.yaml`` lists one patch file per case; kubectl's output is split by object name
and each object compared byte for byte with ``emit_document(merge(target, patch))``. A batch
kubectl refuses is retried case by case: a case agrees then when kgen raises ``PatchError``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from kgen.emit import emit_document
from kgen.errors import KgenError
from kgen.schema import default_schema
from kgen.smp import merge
from kgen.yamlio import load_documents

TIMEOUT = 120


class Case(NamedTuple):
    seed: int
    target: dict[str, Any]
    patch: dict[str, Any]


class Outcome(NamedTuple):
    seed: int
    agree: bool
    detail: str


WORKLOADS = (
    ("apps/v1", "Deployment", ("spec", "template", "spec")),
    ("apps/v1", "StatefulSet", ("spec", "template", "spec")),
    ("apps/v1", "DaemonSet", ("spec", "template", "spec")),
    ("batch/v1", "Job", ("spec", "template", "spec")),
    ("batch/v1", "CronJob", ("spec", "jobTemplate", "spec", "template", "spec")),
    ("v1", "Pod", ("spec",)),
)
NAMES = ("a", "b", "c", "d")
DIRECTIVES = ("delete", "replace", "merge")


def _pick(rng: random.Random, options: Sequence[Any]) -> Any:
    return options[rng.randrange(len(options))]


def _port(rng: random.Random) -> dict[str, Any]:
    port: dict[str, Any] = {"containerPort": _pick(rng, (80, 443, 8080, "80"))}
    if rng.random() < 0.5:
        port["protocol"] = _pick(rng, ("TCP", "UDP"))
    if rng.random() < 0.3:
        port["name"] = _pick(rng, ("http", "https"))
    return port


def _env(rng: random.Random) -> dict[str, Any]:
    env: dict[str, Any] = {"name": _pick(rng, ("A", "B", "C"))}
    choice = rng.random()
    if choice < 0.6:
        env["value"] = _pick(rng, ("1", "x", "true"))
    elif choice < 0.8:
        env["valueFrom"] = {"fieldRef": {"fieldPath": "metadata.name"}}
    return env


def _mount(rng: random.Random) -> dict[str, Any]:
    return {
        "name": _pick(rng, ("v1", "v2", "v3")),
        "mountPath": _pick(rng, ("/a", "/b", "/c")),
    }


def _volume(rng: random.Random) -> dict[str, Any]:
    volume: dict[str, Any] = {"name": _pick(rng, ("v1", "v2", "v3"))}
    source = rng.random()
    if source < 0.4:
        volume["configMap"] = {"name": _pick(rng, ("cm1", "cm2"))}
    elif source < 0.7:
        volume["secret"] = {"secretName": _pick(rng, ("s1", "s2"))}
    elif source < 0.9:
        volume["emptyDir"] = {}
    return volume


def _toleration(rng: random.Random) -> dict[str, Any]:
    toleration: dict[str, Any] = {"key": _pick(rng, ("k1", "k2")), "operator": "Exists"}
    if rng.random() < 0.5:
        toleration["effect"] = _pick(rng, ("NoSchedule", "NoExecute"))
    return toleration


def _items(rng: random.Random, make: Any, most: int) -> list[Any]:
    return [make(rng) for _ in range(rng.randrange(most + 1))]


def _container(rng: random.Random, name: str) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name}
    if rng.random() < 0.8:
        container["image"] = _pick(rng, ("nginx", "busybox:1", "redis"))
    if rng.random() < 0.4:
        container["args"] = _items(rng, lambda r: _pick(r, ("-v", "--x", "1")), 3)
    if rng.random() < 0.5:
        container["env"] = _items(rng, _env, 3)
    if rng.random() < 0.5:
        container["ports"] = _items(rng, _port, 3)
    if rng.random() < 0.4:
        container["volumeMounts"] = _items(rng, _mount, 2)
    if rng.random() < 0.3:
        container["resources"] = {"limits": {"cpu": _pick(rng, ("1", "100m"))}}
    return container


def _pod_spec(rng: random.Random) -> dict[str, Any]:
    names = rng.sample(NAMES, rng.randrange(1, 4))
    spec: dict[str, Any] = {"containers": [_container(rng, name) for name in names]}
    if rng.random() < 0.3:
        spec["initContainers"] = [_container(rng, "init")]
    if rng.random() < 0.5:
        spec["volumes"] = _items(rng, _volume, 3)
    if rng.random() < 0.4:
        spec["tolerations"] = _items(rng, _toleration, 2)
    if rng.random() < 0.3:
        spec["imagePullSecrets"] = [{"name": _pick(rng, ("r1", "r2"))}]
    if rng.random() < 0.3:
        spec["nodeSelector"] = {"disk": _pick(rng, ("ssd", "hdd"))}
    return spec


def _directive_noise(rng: random.Random, value: Any, depth: int = 0) -> Any:
    """Sprinkle the patch: nulls, ``$patch`` directives, list items deleted, fields dropped."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            roll = rng.random()
            if key == "name" or roll > 0.12:
                out[key] = _directive_noise(rng, item, depth + 1)
            elif roll < 0.05:
                out[key] = None
        if depth > 0 and rng.random() < 0.06:
            out["$patch"] = _pick(rng, DIRECTIVES)
        return out
    if isinstance(value, list):
        items = [_directive_noise(rng, item, depth + 1) for item in value]
        if items and isinstance(items[0], dict) and rng.random() < 0.15:
            victim = dict(_pick(rng, items))
            victim = {k: v for k, v in victim.items() if not isinstance(v, dict | list)}
            victim["$patch"] = "delete"
            items.append(victim)
        if rng.random() < 0.05:
            items.insert(rng.randrange(len(items) + 1), {"$patch": _pick(rng, DIRECTIVES)})
        return items
    return value


def _workload(rng: random.Random, seed: int) -> Case:
    api_version, kind, path = _pick(rng, WORKLOADS)
    name = f"o{seed}"

    def nest(leaf: dict[str, Any]) -> dict[str, Any]:
        for step in reversed(path):
            leaf = {step: leaf}
        return leaf

    target: dict[str, Any] = {"apiVersion": api_version, "kind": kind, "metadata": {"name": name}}
    if rng.random() < 0.4:
        target["metadata"]["labels"] = {"app": "x"}
    if rng.random() < 0.3:
        target["metadata"]["finalizers"] = _items(rng, lambda r: _pick(r, ("f1", "f2")), 2)
    target.update(nest(_pod_spec(rng)))
    if kind == "Deployment" and rng.random() < 0.4:
        target["spec"]["strategy"] = {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": 1},
        }
    patch_spec = _directive_noise(rng, _pod_spec(rng))
    if rng.random() < 0.1:
        patch_spec["$setElementOrder/containers"] = [
            {"name": item.get("name")}
            for item in patch_spec.get("containers") or []
            if isinstance(item, dict)
        ]
    if rng.random() < 0.05:
        patch_spec["$retainKeys"] = ["containers"]
    if rng.random() < 0.05:
        patch_spec["$deleteFromPrimitiveList/args"] = ["-v"]
    patch: dict[str, Any] = {"apiVersion": api_version, "kind": kind, "metadata": {"name": name}}
    if rng.random() < 0.2:
        patch["metadata"]["finalizers"] = _items(rng, lambda r: _pick(r, ("f2", "f3")), 2)
    if rng.random() < 0.2:
        patch["metadata"]["labels"] = {"app": None if rng.random() < 0.3 else "y", "t": "1"}
    patch.update(nest(patch_spec))
    if kind == "Deployment" and rng.random() < 0.3:
        patch["spec"]["strategy"] = _pick(
            rng,
            (
                {"type": "Recreate", "rollingUpdate": None},
                {"type": "Recreate"},
                {"$retainKeys": ["type"], "type": "Recreate"},
                {"rollingUpdate": {"maxUnavailable": 2}},
            ),
        )
    if rng.random() < 0.02:
        patch["$patch"] = "delete"
    return Case(seed, target, patch)


def _other(rng: random.Random, seed: int) -> Case:
    name = f"o{seed}"
    meta: dict[str, Any] = {"name": name}
    target: dict[str, Any]
    patch: dict[str, Any]
    choice = rng.randrange(6)
    if choice == 0:
        ports = [
            {"port": p, "protocol": _pick(rng, ("TCP", "UDP")), "name": f"p{p}"}
            for p in rng.sample((80, 443, 53), 2)
        ]
        target = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta,
            "spec": {"ports": ports, "selector": {"app": "x"}},
        }
        patch_ports = _directive_noise(
            rng, [{"port": _pick(rng, (80, 53, 8080)), "targetPort": 9} for _ in range(2)]
        )
        patch = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta,
            "spec": {"ports": patch_ports, "selector": {"app": None, "b": "2"}},
        }
    elif choice in {1, 2}:
        kind = "ConfigMap" if choice == 1 else "Secret"
        field = "data"
        values = ("eA==", "eQ==") if kind == "Secret" else ("x", "y")
        target = {
            "apiVersion": "v1",
            "kind": kind,
            "metadata": meta,
            field: {"k1": values[0], "k2": values[1]},
        }
        data: dict[str, Any] = {"k2": None if rng.random() < 0.4 else values[0], "k3": values[1]}
        if rng.random() < 0.2:
            data["$patch"] = "replace"
        patch = {"apiVersion": "v1", "kind": kind, "metadata": meta, field: data}
    elif choice == 3:
        rule = {"host": "a.example", "http": {"paths": [{"path": "/", "pathType": "Prefix"}]}}
        target = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": meta,
            "spec": {"rules": [rule, {"host": "b.example"}]},
        }
        patch = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": meta,
            "spec": {"rules": [{"host": "c.example"}]},
        }
    elif choice == 4:
        target = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": meta,
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
        }
        patch = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": meta,
            "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["list"]}],
        }
    else:
        items = [{"name": n, "size": rng.randrange(3)} for n in rng.sample(NAMES, 2)]
        target = {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": meta,
            "spec": {"items": items, "mode": "a"},
        }
        patch_items = _directive_noise(rng, [{"name": _pick(rng, NAMES), "size": 9}])
        patch = {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": meta,
            "spec": {"items": patch_items, "extra": {"x": 1}},
        }
    return Case(seed, target, patch)


def make_case(seed: int) -> Case:
    """The case of ``seed`` (deterministic)."""
    rng = random.Random(seed)
    return _workload(rng, seed) if rng.random() < 0.75 else _other(rng, seed)


def expected_by_kgen(case: Case) -> str | None:
    """kgen's object text, None when deleted; raises KgenError where kgen refuses."""
    target = load_documents(json.dumps(case.target).encode(), "base.yaml")[0]
    patch = load_documents(json.dumps(case.patch).encode(), "patch.yaml")[0]
    merged = merge(target, patch, default_schema())
    if merged is None:
        return None
    name = target["metadata"]["name"]
    merged.setdefault("metadata", {})["name"] = name
    merged["kind"] = target["kind"]
    return emit_document(merged)


def write_batch(cases: Sequence[Case], root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    base = "".join("---\n" + json.dumps(case.target) + "\n" for case in cases)
    (root / "base.yaml").write_text(base, encoding="utf-8")
    lines = ["resources:", "- base.yaml", "patches:"]
    for case in cases:
        (root / f"patch{case.seed}.yaml").write_text(json.dumps(case.patch) + "\n")
        lines.append(f"- path: patch{case.seed}.yaml")
    (root / "kustomization.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _kubectl(root: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        ["kubectl", "kustomize", str(root)],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def _split(stream: str) -> dict[str, str]:
    objects: dict[str, str] = {}
    for chunk in stream.split("\n---\n"):
        text = chunk.removeprefix("---\n")
        if not text.strip():
            continue
        text = text if text.endswith("\n") else text + "\n"
        loaded = load_documents(text.encode(), "kubectl")
        objects[str(loaded[0]["metadata"]["name"])] = text
    return objects


def _compare(case: Case, actual: str | None, error: str = "") -> Outcome:
    try:
        expected = expected_by_kgen(case)
    except KgenError as exc:
        if error:
            return Outcome(case.seed, agree=True, detail="")
        return Outcome(case.seed, agree=False, detail=f"kgen refused ({exc}), kubectl built it")
    if error:
        return Outcome(case.seed, agree=False, detail=f"kubectl refused: {error.strip()[:300]}")
    if expected == actual:
        return Outcome(case.seed, agree=True, detail="")
    return Outcome(case.seed, agree=False, detail=f"kubectl:\n{actual}\nkgen:\n{expected}")


def check_batch(cases: Sequence[Case], work: Path) -> list[Outcome]:
    """Compare a batch of cases (one kubectl run, case by case when it fails)."""
    root = work / f"batch{cases[0].seed}"
    write_batch(cases, root)
    code, stdout, stderr = _kubectl(root)
    if code == 0:
        objects = _split(stdout)
        return [_compare(case, objects.get(f"o{case.seed}")) for case in cases]
    if len(cases) == 1:
        return [_compare(cases[0], None, stderr or "failed")]
    outcomes: list[Outcome] = []
    for case in cases:
        outcomes.extend(check_batch([case], work))
    return outcomes


def check_cases(seed: int, count: int, batch: int = 40, keep: Path | None = None) -> list[Outcome]:
    cases = [make_case(seed + i) for i in range(count)]
    with tempfile.TemporaryDirectory(prefix="smptree") as scratch:
        work = keep if keep is not None else Path(scratch)
        outcomes: list[Outcome] = []
        for start in range(0, len(cases), batch):
            outcomes.extend(check_batch(cases[start : start + batch], work))
        return outcomes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kgen.smp against kubectl kustomize")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--show", type=int, default=3)
    args = parser.parse_args(argv)
    outcomes = check_cases(args.seed, args.count, args.batch, args.keep)
    differ = [outcome for outcome in outcomes if not outcome.agree]
    for outcome in differ[: args.show]:
        print(f"--- seed {outcome.seed}\n{outcome.detail}")
    print(f"{len(outcomes)} cases compared, {len(differ)} differ")
    print("differing seeds:", " ".join(str(outcome.seed) for outcome in differ[:50]))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
