"""Generate benchmark kustomization trees (sizes as parameters).

    python benchmarks/make_tree.py DIR --generators 500 --deployments 2000
    python benchmarks/make_tree.py DIR --overlays 100   # one base, many overlays
    python benchmarks/make_tree.py DIR --overlays 100 --components  # each with a component
    python benchmarks/make_tree.py DIR --patched 2      # a base and 2 layers that patch it
    python benchmarks/make_tree.py DIR --composed 2     # ... with components, replacements, vars
    python benchmarks/make_tree.py DIR --realistic 2    # ... with all of these in every layer

Each secretGenerator has two literals and one file of up to 2 KB; each Deployment refers to a
secret four ways (a volume with items, secretKeyRef, envFrom, imagePullSecrets). Every layer
also sets ``commonLabels``, ``labels`` (with pod templates), ``images`` and ``replicas`` (one
entry per ten Deployments). Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels:
    app: app-{i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
    spec:
      imagePullSecrets:
      - name: secret-{s}
      containers:
      - name: main
        image: registry.example.com/app:{i}
        env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              name: secret-{s}
              key: password
        envFrom:
        - secretRef:
            name: secret-{s}
        volumeMounts:
        - name: cert
          mountPath: /etc/cert
          readOnly: true
      volumes:
      - name: cert
        secret:
          secretName: secret-{s}
          items:
          - key: cert.pem
            path: cert.pem
"""


def make_flat(root: Path, generators: int, deployments: int, files_per_dir: int = 100) -> None:
    """One kustomization: ``generators`` secretGenerators, ``deployments`` Deployments spread
    over files of ``files_per_dir`` documents each."""
    rng = random.Random(generators * 100_003 + deployments)
    (root / "certs").mkdir(parents=True, exist_ok=True)
    (root / "deployments").mkdir(exist_ok=True)
    lines = ["secretGenerator:"]
    for s in range(generators):
        size = rng.randint(200, 2048)
        body = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789\n") for _ in range(size))
        (root / "certs" / f"cert-{s}.pem").write_text(body)
        lines += [
            f"- name: secret-{s}",
            "  literals:",
            f"  - password=pw-{rng.getrandbits(64):x}",
            f"  - username=user-{s}",
            "  files:",
            f"  - cert.pem=certs/cert-{s}.pem",
        ]
    lines += _transformers("base", deployments, "1.0")
    lines.append("resources:")
    for start in range(0, deployments, files_per_dir):
        name = f"deployments/deployments-{start // files_per_dir:04d}.yaml"
        docs = [
            DEPLOYMENT.format(i=i, s=i % max(generators, 1))
            for i in range(start, min(start + files_per_dir, deployments))
        ]
        (root / name).write_text("---\n".join(docs))
        lines.append(f"- {name}")
    (root / "kustomization.yaml").write_text("\n".join(lines) + "\n")


def make_sops(root: Path, generators: int, deployments: int) -> Path:
    """``make_flat``'s tree with every generator's file source SOPS-encrypted for a new age
    identity (sops' binary format, as ``sops encrypt cert.pem`` writes it); the identity file
    it returns is beside the tree. Its build is the plain tree's, byte for byte. (Encryption
    is random: the encrypted bytes differ from one tree to the next.)"""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import sopsfiles  # the tests' sops writer

    make_flat(root, generators, deployments)
    identity = sopsfiles.Identity()
    for cert in sorted((root / "certs").iterdir()):
        cert.write_bytes(sopsfiles.binary(cert.read_bytes(), identity.recipient))
    keys = root.parent / f"{root.name}.keys.txt"
    keys.write_text(identity.key_file())
    return keys


def _transformers(layer: str, deployments: int, tag: str, prefix: str = "") -> list[str]:
    """The labels, images and replicas fields of one layer: one replicas entry per ten
    Deployments (named as that layer sees them), so their cost is measured at scale too."""
    lines = [
        "commonLabels:",
        f"  layer: {layer}",
        "labels:",
        "- pairs:",
        f"    bench.example.com/layer: {layer}",
        "  includeTemplates: true",
        "images:",
        "- name: registry.example.com/app",
        "  newName: mirror.example.com/app",
        f'  newTag: "{tag}"',
    ]
    entries = [f"- name: {prefix}app-{i}\n  count: 3" for i in range(0, deployments, 10)]
    return lines + (["replicas:", *entries] if entries else [])


COMPONENT = """apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
- exporter.yaml
secretGenerator:
- name: secret-1
  behavior: merge
  literals:
  - metrics=on
commonAnnotations:
  bench.example.com/metrics: enabled
patches:
- target:
    kind: Deployment
  patch: |-
    - op: add
      path: /spec/revisionHistoryLimit
      value: 5
"""


def make_overlays(
    root: Path,
    overlays: int,
    generators: int = 20,
    deployments: int = 200,
    *,
    components: bool = False,
) -> None:
    """One base (``make_flat``) and ``overlays`` overlays on it, each with a namePrefix, a
    namespace and a generator merged into the base's; with ``components``, each also applies
    one shared component (an object, a generator merge, annotations, a patch of every
    Deployment)."""
    make_flat(root / "base", generators, deployments)
    if components:
        component = root / "components" / "metrics"
        component.mkdir(parents=True, exist_ok=True)
        (component / "kustomization.yaml").write_text(COMPONENT)
        (component / "exporter.yaml").write_text(
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: exporter\ndata:\n  port: "9100"\n'
        )
    listed = "components:\n- ../../components/metrics\n" if components else ""
    for o in range(overlays):
        overlay = root / "overlays" / f"env-{o:03d}"
        overlay.mkdir(parents=True, exist_ok=True)
        fields = _transformers(f"env-{o}", deployments, f"2.{o}", prefix=f"env-{o}-")
        (overlay / "kustomization.yaml").write_text(
            f"resources:\n- ../../base\n{listed}namespace: env-{o}\nnamePrefix: env-{o}-\n"
            "secretGenerator:\n- name: secret-0\n  behavior: merge\n  literals:\n"
            f"  - region=region-{o}\n" + "\n".join(fields) + "\n"
        )


SMP_PATCH = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: any
  annotations:
    bench.example.com/patched-by: {layer}
spec:
  template:
    spec:
      containers:
      - name: main
        env:
        - name: LAYER
          value: {layer}
        resources:
          limits:
            memory: {memory}Mi
"""

JSON_PATCH = """- op: add
  path: /spec/template/metadata/annotations
  value:
    bench.example.com/layer: {layer}
- op: replace
  path: /spec/revisionHistoryLimit
  value: {limit}
"""


def make_patched(root: Path, layers: int, generators: int = 500, deployments: int = 2000) -> None:
    """A base (``make_flat``) and ``layers`` overlays, each on the one before, whose patches
    change every Deployment: one strategic-merge patch (a file) and one JSON 6902 patch
    (inline), both with a ``target`` selecting the kind."""
    make_flat(root / "base", generators, deployments)
    below = "../base"
    for layer in range(layers):
        overlay = root / f"layer-{layer}"
        overlay.mkdir(parents=True, exist_ok=True)
        (overlay / "deployments.yaml").write_text(
            SMP_PATCH.format(layer=f"layer-{layer}", memory=256 * (layer + 1))
        )
        json_patch = JSON_PATCH.format(layer=f"layer-{layer}", limit=layer + 3)
        inline = "\n".join("      " + line for line in json_patch.splitlines())
        (overlay / "kustomization.yaml").write_text(
            f"resources:\n- {below}\nnamePrefix: l{layer}-\n"
            "patches:\n- path: deployments.yaml\n  target:\n    kind: Deployment\n"
            "- target:\n    group: apps\n    kind: Deployment\n  patch: |-\n" + inline + "\n"
        )
        below = f"../layer-{layer}"


LAYER_COMPONENT = """apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
configMapGenerator:
- name: {layer}-settings
  literals:
  - region={region}
  - tier={layer}
images:
- name: mirror.example.com/app
  newTag: "{tag}"
patches:
- target:
    kind: Deployment
  patch: |-
    - op: add
      path: /spec/template/spec/containers/0/env/-
      value:
        name: SETTINGS
        value: $({var})
"""

REPLACEMENTS = """replacements:
- source:
    kind: ConfigMap
    name: {layer}-settings
    fieldPath: data.region
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.metadata.annotations.bench\\.example\\.com/region
    options:
      create: true
- source:
    kind: ConfigMap
    name: {layer}-settings
    fieldPath: data.tier
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=main].env.[name=LAYER].value
    options:
      create: true
"""


def make_composed(root: Path, layers: int, generators: int = 500, deployments: int = 2000) -> None:
    """A base (``make_flat``) and ``layers`` overlays, each on the one before, each with a
    component of its own (a generated ConfigMap, an image, a JSON 6902 patch of every
    Deployment that adds an env var reading a var), two replacements from that ConfigMap into
    every Deployment (an annotation and a list-selected env value) and a var naming it."""
    make_flat(root / "base", generators, deployments)
    below = "../base"
    for layer in range(layers):
        overlay = root / f"layer-{layer}"
        component = overlay / "component"
        component.mkdir(parents=True, exist_ok=True)
        var = f"LAYER_{layer}_SETTINGS"
        (component / "kustomization.yaml").write_text(
            LAYER_COMPONENT.format(
                region=f"region-{layer}", layer=f"layer-{layer}", tag=f"3.{layer}", var=var
            )
        )
        (overlay / "kustomization.yaml").write_text(
            f"resources:\n- {below}\ncomponents:\n- component\nnamePrefix: c{layer}-\n"
            + REPLACEMENTS.format(layer=f"layer-{layer}")
            + f"vars:\n- name: {var}\n  objref:\n    apiVersion: v1\n    kind: ConfigMap\n"
            f"    name: layer-{layer}-settings\n"
        )
        below = f"../layer-{layer}"


def make_realistic(root: Path, layers: int, generators: int = 500, deployments: int = 2000) -> None:
    """A base (``make_flat``) and ``layers`` overlays, each on the one before, each with what
    real overlays combine: a name prefix, ``commonLabels``, ``labels``, ``images`` and
    ``replicas``, a strategic-merge patch (a file) and a JSON 6902 patch (inline) of every
    Deployment, a component of its own (a generated ConfigMap, an image, a JSON 6902 patch
    reading a var) and two replacements from that ConfigMap into every Deployment."""
    make_flat(root / "base", generators, deployments)
    below = "../base"
    for layer in range(layers):
        name = f"layer-{layer}"
        overlay = root / name
        component = overlay / "component"
        component.mkdir(parents=True, exist_ok=True)
        var = f"LAYER_{layer}_SETTINGS"
        (component / "kustomization.yaml").write_text(
            LAYER_COMPONENT.format(region=f"region-{layer}", layer=name, tag=f"4.{layer}", var=var)
        )
        (overlay / "deployments.yaml").write_text(
            SMP_PATCH.format(layer=name, memory=256 * (layer + 1))
        )
        json_patch = JSON_PATCH.format(layer=name, limit=layer + 3)
        inline = "\n".join("      " + line for line in json_patch.splitlines())
        prefix = "".join(f"r{level}-" for level in reversed(range(layer + 1)))
        lines = [
            f"resources:\n- {below}",
            "components:\n- component",
            f"namePrefix: r{layer}-",
            *_transformers(name, deployments, f"2.{layer}", prefix),
            "patches:\n- path: deployments.yaml\n  target:\n    kind: Deployment",
            "- target:\n    group: apps\n    kind: Deployment\n  patch: |-\n" + inline,
        ]
        (overlay / "kustomization.yaml").write_text(
            "\n".join(lines)
            + "\n"
            + REPLACEMENTS.format(layer=name)
            + f"vars:\n- name: {var}\n  objref:\n    apiVersion: v1\n    kind: ConfigMap\n"
            f"    name: {name}-settings\n"
        )
        below = f"../{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--generators", type=int, default=500)
    parser.add_argument("--deployments", type=int, default=2000)
    parser.add_argument("--overlays", type=int, default=0)
    parser.add_argument("--patched", type=int, default=0, help="layers of patches")
    parser.add_argument(
        "--components", action="store_true", help="each overlay applies a component"
    )
    parser.add_argument("--composed", type=int, default=0, help="layers of components etc.")
    parser.add_argument("--realistic", type=int, default=0, help="layers of everything")
    parser.add_argument("--sops", action="store_true", help="generator files SOPS-encrypted")
    args = parser.parse_args()
    if args.sops:
        make_sops(args.directory, args.generators, args.deployments)
    elif args.realistic:
        make_realistic(args.directory, args.realistic, args.generators, args.deployments)
    elif args.composed:
        make_composed(args.directory, args.composed, args.generators, args.deployments)
    elif args.patched:
        make_patched(args.directory, args.patched, args.generators, args.deployments)
    elif args.overlays:
        make_overlays(args.directory, args.overlays, components=args.components)
    else:
        make_flat(args.directory, args.generators, args.deployments)


if __name__ == "__main__":
    main()
