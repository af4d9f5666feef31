"""Time kgen against kubectl kustomize on generated trees and a real repository; print a table.

    python benchmarks/run.py                       # every size, 3 alternating runs each
    python benchmarks/run.py --sizes S,L --repeat 5
    python benchmarks/run.py --readme README.md    # ... and rewrite the README's table

For each size the two tools run alternately (kgen, kubectl, kgen, ...) ``--repeat`` times;
the table shows median wall and CPU times (user + system, children included), the ratio
kubectl/kgen of each and the peak resident memory of each run (the largest seen). Outputs are
compared byte for byte (kgen runs with ``--hash kustomize``). Trees are generated under
``--work`` by ``make_tree.py``; the real repository is copied there from
``../shared/corpora/realworld``.

Targets, each comparing two timings of this run (the script exits 1 when one is missed, or when
an output differs): S within ``S_OVER_KUSTOMIZE`` of kustomize, ``kgen --help`` and
``--version`` no slower than a build of S; L, and the patched, composed and realistic trees,
at least ``L_FASTER_THAN_KUSTOMIZE`` times faster; XL under ``XL_SECONDS`` and at most
``XL_OVER_L`` times kgen's own L time; the 100 overlays at least ``ROOTS_FASTER`` times faster
than 100 kustomize runs; the encrypted tree at most ``SOPS_OVER_PLAIN`` times the plain one;
kgen's peak memory no higher than kustomize's wherever both run. Ratios are of wall times,
the CPU ratio is shown beside.

Sizes: S = 1 generator, 1 Deployment; L = 500 generators, 2,000 Deployments; XL = 2,000
generators, 10,000 Deployments (kgen only: kustomize takes about half an hour); roots = one
base (20 generators, 200 Deployments) and 100 overlays, built by one ``kgen build`` against
100 runs of ``kubectl kustomize``; patched = L's tree as a base and two layers on it, each with
one strategic-merge and one JSON 6902 patch of every Deployment; composed = L's tree and two
layers, each with a component (a generator, an image, a JSON 6902 patch of every Deployment),
two replacements into every Deployment and a var; realistic = L's tree and two layers, each
with all of these and ``commonLabels``, ``labels``, ``images``, ``replicas`` and a name
prefix; realworld = ``kgen build --all`` over the copy of kubeflow's manifests (the corpus'
largest repository) in one process, against ``kubectl kustomize`` run per root it finds;
sops-plain = 100 generators, 400 Deployments; sops = the same tree with its 100 generator
files SOPS-encrypted (age), which kgen decrypts, compared with kustomize's build of the plain
tree.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent


SIZES = {"S": (1, 1), "L": (500, 2000), "XL": (2000, 10000), "sops-plain": (100, 400)}
DEFAULT_SIZES = "S,help,version,L,XL,roots,patched,composed,realistic,realworld,sops-plain,sops"
S_OVER_KUSTOMIZE = 1.2
"""Target: S (start-up) takes at most this many times kubectl kustomize's time."""
L_FASTER_THAN_KUSTOMIZE = 60.0
"""Target: at L (and the patched, composed, realistic trees), kgen at least this many times
faster than kubectl kustomize."""
LAYERED = ("patched", "composed", "realistic")
PATCH_LAYERS = 2
"""The layered trees: layers over L's tree."""
XL_SECONDS = 5.0
XL_OVER_L = 5.5
"""Target: XL (5x L's objects) under ``XL_SECONDS`` and at most this many times kgen's own L
time (linear)."""
ROOTS_FASTER = 30.0
"""Target: 100 overlays in one kgen run at least this many times faster than 100 runs."""
START_OVER_S = 1.0
"""Target: ``kgen --help`` and ``--version`` take at most this many times kgen's S build."""
SOPS_OVER_PLAIN = 2.0
"""Target: a build whose 100 generator sources are SOPS-encrypted (size ``sops``) takes at
most this many times the same build with the plain files (size ``sops-plain``)."""
START_COMMANDS = {"help": "--help", "version": "--version"}
START_REPEAT = 15
"""Runs of the start-up rows (S, help, version) at least: each is a few tens of milliseconds,
where three runs on a shared machine give a median that moves by a quarter."""
REALWORLD = HERE.parents[1] / "shared" / "corpora" / "realworld" / "repos" / "kubeflow-manifests"
README_START = "<!-- benchmark-table -->"
README_END = "<!-- /benchmark-table -->"


class Run(NamedTuple):
    seconds: float
    cpu: float
    peak_mib: float
    digest: str
    """SHA-256 of stdout: outputs are compared, never kept (this process must stay small)."""


def run(command: list[str]) -> Run:
    """Run ``command``: wall time, CPU, the child's own peak RSS (MiB, from wait4) and the
    digest of its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            message = err.read().decode(errors="replace")[:500]
            sys.exit(f"{' '.join(command)} failed: {message}")
        digest = hashlib.sha256()
        for block in iter(lambda: out.read(1 << 20), b""):
            digest.update(block)
        return Run(
            seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, digest.hexdigest()
        )


def run_many(commands: list[list[str]]) -> Run:
    """Several commands one after the other as one measurement (the 100-roots case): their
    streams joined as one kgen run prints them; the peak is the largest single run's."""
    written = False
    digest = hashlib.sha256()
    runs = []
    for command in commands:
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"{' '.join(command)} failed")
            out.seek(0)
            block = out.read(1 << 20)
            if block and written:
                digest.update(b"---\n")  # the separator between non-empty streams
            written = written or bool(block)
            while block:
                digest.update(block)
                block = out.read(1 << 20)
        runs.append((seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))
    return Run(
        sum(r[0] for r in runs),
        sum(r[1] for r in runs),
        max(r[2] for r in runs),
        digest.hexdigest(),
    )


class Row(NamedTuple):
    size: str
    kgen: float
    kubectl: float | None
    kgen_mib: float
    kubectl_mib: float | None
    same: bool | None
    kgen_cpu: float = 0.0
    kubectl_cpu: float | None = None


def measure(name: str, kgen: list[str], kubectl: list[list[str]] | None, repeat: int) -> Row:
    kgen_runs: list[Run] = []
    kubectl_runs: list[Run] = []
    for _ in range(repeat):
        kgen_runs.append(run(kgen))
        if kubectl is not None:
            kubectl_runs.append(run_many(kubectl) if len(kubectl) > 1 else run(kubectl[0]))
    same = None
    if kubectl_runs:
        same = kgen_runs[0].digest == kubectl_runs[0].digest
    return Row(
        name,
        statistics.median(r.seconds for r in kgen_runs),
        statistics.median(r.seconds for r in kubectl_runs) if kubectl_runs else None,
        max(r.peak_mib for r in kgen_runs),
        max(r.peak_mib for r in kubectl_runs) if kubectl_runs else None,
        same,
        statistics.median(r.cpu for r in kgen_runs),
        statistics.median(r.cpu for r in kubectl_runs) if kubectl_runs else None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgen-bench"))
    parser.add_argument("--kgen", default=shutil.which("kgen") or "kgen")
    parser.add_argument("--kubectl", default=shutil.which("kubectl"))
    parser.add_argument("--readme", type=Path, help="rewrite this README's benchmark table")
    args = parser.parse_args()
    compile_package(args.kgen)
    rows = []
    for size in args.sizes.split(","):
        repeat = max(args.repeat, START_REPEAT) if size in {"S", *START_COMMANDS} else args.repeat
        if size in START_COMMANDS:
            rows.append(measure(size, [args.kgen, START_COMMANDS[size]], None, repeat))
        else:
            command, kubectl = commands(size, args.work, args.kgen, args.kubectl)
            rows.append(measure(size, command, kubectl, repeat))
        print(_format(rows[-1]), flush=True)
    missed = missed_targets({row.size: row for row in rows})
    for line in missed:
        print(f"TARGET MISSED: {line}")
    if args.readme is not None:
        write_readme(args.readme, rows, args.repeat)
    if missed or any(row.same is False for row in rows):
        sys.exit(1)


def commands(
    size: str, work: Path, kgen_path: str, kubectl_path: str | None
) -> tuple[list[str], list[list[str]] | None]:
    """kgen's command for ``size`` and kubectl's (one or more runs; ``None``: kgen only),
    the tree made first when it is not there yet."""
    tree = work / size
    if size == "realworld":
        if not tree.exists():
            shutil.copytree(REALWORLD, tree)
        roots = _roots(kgen_path, tree)
        every = [[str(kubectl_path), "kustomize", root] for root in roots]
        return [kgen_path, "build", "--hash", "kustomize", "--all", str(tree)], (
            every if kubectl_path else None
        )
    if not tree.exists():
        _make_tree(size, tree)
    kgen = [kgen_path, "build", "--hash", "kustomize"]
    if size == "roots":
        overlays = sorted(str(root) for root in (tree / "overlays").iterdir())
        kubectl = [[str(kubectl_path), "kustomize", root] for root in overlays]
        return [*kgen, *overlays], kubectl if kubectl_path else None
    top = tree / f"layer-{PATCH_LAYERS - 1}" if size in LAYERED else tree
    command = [*kgen, str(top)]
    kubectl = [[str(kubectl_path), "kustomize", str(top)]]
    if size == "sops":
        # kgen decrypts; kustomize builds the plain tree, which must give the same bytes
        command[-1:-1] = ["--age-key-file", str(work / "sops.keys.txt")]
        plain = work / "sops-plain"
        if not plain.exists():
            _make_tree("sops-plain", plain)
        kubectl = [[str(kubectl_path), "kustomize", str(plain)]]
    return command, None if size == "XL" or not kubectl_path else kubectl


_TREE_FLAGS = {
    "roots": ["--overlays", "100"],
    "patched": ["--patched", str(PATCH_LAYERS)],
    "composed": ["--composed", str(PATCH_LAYERS)],
    "realistic": ["--realistic", str(PATCH_LAYERS)],
    "sops": ["--sops", "--generators", "100", "--deployments", "400"],
}


def _make_tree(size: str, tree: Path) -> None:
    """Generate the tree of ``size`` in a process of its own: this one stays small, as every
    command it starts inherits its peak memory through the fork (Linux counts a process's
    high-water mark from before its exec)."""
    generators, deployments = SIZES.get(size, SIZES["L"])
    flags = _TREE_FLAGS.get(
        size, ["--generators", str(generators), "--deployments", str(deployments)]
    )
    if size in LAYERED:
        flags = [*flags, "--generators", str(generators), "--deployments", str(deployments)]
    subprocess.run([sys.executable, str(HERE / "make_tree.py"), str(tree), *flags], check=True)


def _roots(kgen_path: str, tree: Path) -> list[str]:
    """The roots ``kgen build --all tree`` builds, found by the kgen under test (in a process
    of its own, as :func:`_make_tree`)."""
    code = (
        "import sys; from pathlib import Path; from kgen.loader import Loader; "
        "from kgen.roots import find_roots; "
        "print(chr(10).join(map(str, find_roots(Path(sys.argv[1]), Loader(), ()))))"
    )
    found = subprocess.run(
        [_python(kgen_path), "-c", code, str(tree)], capture_output=True, text=True, check=True
    )
    return found.stdout.split()


def _python(kgen: str) -> str:
    """The interpreter of the ``kgen`` command (its script's first line)."""
    script = shutil.which(kgen) or kgen
    with open(script, "rb") as handle:  # noqa: PTH123 - a script's first line
        first = handle.readline().decode(errors="replace")
    return first[2:].strip() if first.startswith("#!") else sys.executable


def missed_targets(rows: dict[str, Row]) -> list[str]:
    """The targets this run's rows miss (each compares two timings of this run)."""
    missed = []

    def faster(name: str, target: float) -> None:
        row = rows.get(name)
        if row is not None and row.kubectl is not None and row.kubectl / row.kgen < target:
            missed.append(
                f"{name}: {row.kubectl / row.kgen:.1f}x faster than kustomize, target {target:.0f}x"
            )

    for name in ("L", *LAYERED):
        faster(name, L_FASTER_THAN_KUSTOMIZE)
    faster("roots", ROOTS_FASTER)
    small = rows.get("S")
    if small and small.kubectl is not None and small.kgen > small.kubectl * S_OVER_KUSTOMIZE:
        missed.append(
            f"S: {small.kgen / small.kubectl:.2f}x kustomize's time, "
            f"target <= {S_OVER_KUSTOMIZE:.1f}x"
        )
    large, huge = rows.get("L"), rows.get("XL")
    if huge is not None and huge.kgen >= XL_SECONDS:
        missed.append(f"XL: {huge.kgen:.2f} s, target < {XL_SECONDS:.0f} s")
    if large is not None and huge is not None and huge.kgen / large.kgen > XL_OVER_L:
        missed.append(f"XL: {huge.kgen / large.kgen:.1f}x its L time, target <= {XL_OVER_L}x")
    for name in START_COMMANDS:
        row = rows.get(name)
        if small is not None and row is not None and row.kgen > small.kgen * START_OVER_S:
            missed.append(
                f"{name}: {row.kgen / small.kgen:.2f}x a build of S, target <= {START_OVER_S:.1f}x"
            )
    plain, encrypted = rows.get("sops-plain"), rows.get("sops")
    if plain and encrypted and encrypted.kgen > plain.kgen * SOPS_OVER_PLAIN:
        missed.append(
            f"sops: {encrypted.kgen / plain.kgen:.2f}x the plain build, "
            f"target <= {SOPS_OVER_PLAIN:.1f}x"
        )
    for row in rows.values():
        if row.kubectl_mib is not None and row.kgen_mib > row.kubectl_mib:
            missed.append(
                f"{row.size}: peak memory {row.kgen_mib:.0f} MiB, kustomize's "
                f"{row.kubectl_mib:.0f} MiB"
            )
    return missed


_DESCRIPTIONS = {
    "S": "S: 1 secretGenerator, 1 Deployment (start-up)",
    "help": "`kgen --help`",
    "version": "`kgen --version`",
    "L": "L: 500 secretGenerators, 2,000 Deployments",
    "XL": "XL: 2,000 secretGenerators, 10,000 Deployments",
    "roots": "100 overlays of one base: one `kgen build` vs 100 `kubectl kustomize`",
    "patched": (
        "patched: L and two layers, each a strategic-merge and a JSON 6902 patch of every "
        "Deployment"
    ),
    "composed": (
        "composed: L and two layers, each a component, two replacements into every "
        "Deployment and a var"
    ),
    "realistic": (
        "realistic: L and two layers, each with labels, images, replicas, both patch kinds, a "
        "component and replacements"
    ),
    "realworld": (
        "realworld: `kgen build --all` over kubeflow's manifests (one process) vs "
        "`kubectl kustomize` per root"
    ),
    "sops-plain": "sops-plain: 100 secretGenerators, 400 Deployments",
    "sops": (
        "sops: the same with its 100 generator files SOPS-encrypted (vs kustomize on the "
        "plain files)"
    ),
}


def table(rows: list[Row], repeat: int) -> str:
    """The README's table of this run."""
    lines = [
        (
            f"Measured by `benchmarks/run.py` on {time.strftime('%Y-%m-%d')} (median of "
            f"{repeat} alternating runs, {max(repeat, START_REPEAT)} for the start-up rows S, "
            "help and version; CPU is user + system of the process and its children):"
        ),
        "",
        (
            "| tree | kgen wall / CPU | kubectl kustomize wall / CPU | kgen is (wall, CPU) "
            "| peak memory kgen / kustomize |"
        ),
        "|---|---|---|---|---|",
    ]
    for row in rows:
        kgen = f"{row.kgen:.3f} s / {row.kgen_cpu:.3f} s"
        if row.kubectl is None:
            kubectl, ratio = "--", "--"
            memory = f"{row.kgen_mib:.0f} MiB"
        else:
            kubectl = f"{row.kubectl:.3f} s / {row.kubectl_cpu or 0:.3f} s"
            wall = row.kubectl / row.kgen
            cpu = (row.kubectl_cpu or 0) / row.kgen_cpu if row.kgen_cpu else 0
            ratio = (
                f"{wall:.1f}x / {cpu:.1f}x faster"
                if wall >= 1
                else f"{1 / wall:.2f}x / {1 / cpu if cpu else 0:.2f}x slower"
            )
            memory = f"{row.kgen_mib:.0f} / {row.kubectl_mib:.0f} MiB"
        lines.append(
            f"| {_DESCRIPTIONS.get(row.size, row.size)} | {kgen} | {kubectl} | {ratio} | {memory} |"
        )
    return "\n".join(lines) + "\n"


def write_readme(readme: Path, rows: list[Row], repeat: int) -> None:
    """Replace the table between the README's benchmark markers with this run's."""
    text = readme.read_text()
    start, end = text.index(README_START), text.index(README_END)
    readme.write_text(text[: start + len(README_START)] + "\n" + table(rows, repeat) + text[end:])


def compile_package(kgen: str) -> None:
    """Byte-compile the kgen package the command imports, as ``pip install .`` does: an editable
    (development) install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module
    on every run, which users of an installed kgen never pay (about 60 ms a run)."""
    python = _python(kgen)
    where = subprocess.run(
        [python, "-c", "import kgen, os; print(os.path.dirname(kgen.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", where], check=True)


def _format(row: Row) -> str:
    kubectl = f"{row.kubectl:8.3f} s" if row.kubectl is not None else "       --"
    ratio = f"{row.kubectl / row.kgen:7.1f}x" if row.kubectl is not None else "      --"
    cpu = (
        f" (CPU {row.kgen_cpu:.3f} vs {row.kubectl_cpu:.3f} s)"
        if row.kubectl_cpu is not None
        else f" (CPU {row.kgen_cpu:.3f} s)"
    )
    memory = f"{row.kgen_mib:7.0f} MiB" + (
        f" vs {row.kubectl_mib:5.0f} MiB" if row.kubectl_mib is not None else ""
    )
    same = {True: "identical", False: "DIFFERENT", None: ""}[row.same]
    return (
        f"{row.size:10} kgen {row.kgen:8.3f} s  kubectl {kubectl}  {ratio}{cpu}  {memory}  {same}"
    )


if __name__ == "__main__":
    main()
