"""Time kgen against kubectl kustomize on generated trees and print a table.

    python benchmarks/run.py       # S, help, version, L, XL (kgen only), roots, patched, composed
    python benchmarks/run.py --sizes S,L --repeat 5

For each size the two tools run alternately (kgen, kubectl, kgen, ...) ``--repeat`` times;
the table shows median wall times, the ratio kubectl/kgen and the peak resident memory of
each run (the largest seen). Outputs are compared byte for byte (kgen runs with
``--hash kustomize``). Trees are generated under ``--work`` by ``make_tree.py``.

Targets (each a ratio of two timings of this run; the script exits 1 when one is missed, or
when an output differs): at L kgen is at least ``L_FASTER_THAN_KUSTOMIZE`` times faster than
kubectl kustomize, and so on the patched and composed L trees, XL takes less than
``XL_OVER_L`` times kgen's L time, and ``kgen --help`` and ``kgen --version`` (sizes ``help``
and ``version``, kgen only) take at most ``START_OVER_S`` times a build of S.

Sizes: S = 1 generator, 1 Deployment; L = 500 generators, 2,000 Deployments; XL = 2,000
generators, 10,000 Deployments (kgen only: kustomize takes about half an hour); roots = one
base (20 generators, 200 Deployments) and 100 overlays, built by ``kgen build --all`` in one
process against 100 runs of ``kubectl kustomize``; patched = L's tree as a base and two layers
on it, each with one strategic-merge and one JSON 6902 patch of every Deployment; composed =
L's tree as a base and two layers on it, each with a component (a generator, an image, a JSON
6902 patch of every Deployment), two replacements into every Deployment and a var;
sops-plain = 100 generators, 400 Deployments; sops = the same tree with its 100 generator files
SOPS-encrypted (age), which kgen decrypts, compared with kustomize's build of the plain tree:
at most ``SOPS_OVER_PLAIN`` times kgen's sops-plain time.
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(HERE))

from make_tree import (  # noqa: E402
    make_composed,
    make_flat,
    make_overlays,
    make_patched,
    make_sops,
)

SIZES = {"S": (1, 1), "L": (500, 2000), "XL": (2000, 10000), "sops-plain": (100, 400)}
SOPS_OVER_PLAIN = 2.0
"""Target: a build whose 100 generator sources are SOPS-encrypted (size ``sops``) takes at
most this many times the same build with the plain files (size ``sops-plain``)."""
L_FASTER_THAN_KUSTOMIZE = 30.0
"""Target: at L, kgen at least this many times faster than kubectl kustomize (same run)."""
PATCH_LAYERS = 2
"""The patched and composed trees: layers over L's tree."""
XL_OVER_L = 7.0
"""Target: XL (5x L's objects) takes less than this many times kgen's own L time (linear)."""
START_OVER_S = 1.0
"""Target: ``kgen --help`` and ``--version`` take at most this many times kgen's S build."""
START_COMMANDS = {"help": "--help", "version": "--version"}


class Run(NamedTuple):
    seconds: float
    peak_mib: float
    stdout: bytes


def run(command: list[str]) -> Run:
    """Run ``command``: wall time, the child's own peak RSS (MiB, from wait4) and stdout."""
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
        return Run(seconds, usage.ru_maxrss / 1024, out.read())


def run_many(commands: list[list[str]]) -> Run:
    """Several commands one after the other as one measurement (the 100-roots case); the
    peak is the largest single run's."""
    runs = [run(command) for command in commands]
    return Run(
        sum(r.seconds for r in runs),
        max(r.peak_mib for r in runs),
        b"---\n".join(r.stdout for r in runs if r.stdout),
    )


class Row(NamedTuple):
    size: str
    kgen: float
    kubectl: float | None
    kgen_mib: float
    kubectl_mib: float | None
    same: bool | None


def measure(name: str, kgen: list[str], kubectl: list[list[str]] | None, repeat: int) -> Row:
    kgen_runs: list[Run] = []
    kubectl_runs: list[Run] = []
    for _ in range(repeat):
        kgen_runs.append(run(kgen))
        if kubectl is not None:
            kubectl_runs.append(run_many(kubectl) if len(kubectl) > 1 else run(kubectl[0]))
    same = None
    if kubectl_runs:
        same = kgen_runs[0].stdout == kubectl_runs[0].stdout
    return Row(
        name,
        statistics.median(r.seconds for r in kgen_runs),
        statistics.median(r.seconds for r in kubectl_runs) if kubectl_runs else None,
        max(r.peak_mib for r in kgen_runs),
        max(r.peak_mib for r in kubectl_runs) if kubectl_runs else None,
        same,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="S,help,version,L,XL,roots,patched,composed,sops-plain,sops"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgen-bench"))
    parser.add_argument("--kgen", default=shutil.which("kgen") or "kgen")
    parser.add_argument("--kubectl", default=shutil.which("kubectl"))
    args = parser.parse_args()
    compile_package(args.kgen)
    rows = []
    for size in args.sizes.split(","):
        if size in START_COMMANDS:
            rows.append(measure(size, [args.kgen, START_COMMANDS[size]], None, args.repeat))
            print(_format(rows[-1]), flush=True)
            continue
        tree = args.work / size
        if not tree.exists():
            if size == "roots":
                make_overlays(tree, 100)
            elif size == "patched":
                make_patched(tree, PATCH_LAYERS, *SIZES["L"])
            elif size == "composed":
                make_composed(tree, PATCH_LAYERS, *SIZES["L"])
            elif size == "sops":
                make_sops(tree, *SIZES["sops-plain"])
            else:
                make_flat(tree, *SIZES[size])
        kgen = [args.kgen, "build", "--hash", "kustomize"]
        if size == "roots":
            roots = sorted((tree / "overlays").iterdir())
            command = [*kgen, *map(str, roots)]
            kubectl = [[args.kubectl, "kustomize", str(root)] for root in roots]
        else:
            layered = size in ("patched", "composed")
            top = tree / f"layer-{PATCH_LAYERS - 1}" if layered else tree
            command = [*kgen, str(top)]
            kubectl = [[args.kubectl, "kustomize", str(top)]]
        if size == "sops":
            # kgen decrypts; kustomize builds the plain tree, which must give the same bytes
            command[-1:-1] = ["--age-key-file", str(args.work / "sops.keys.txt")]
            plain = args.work / "sops-plain"
            if not plain.exists():
                make_flat(plain, *SIZES["sops-plain"])
            kubectl = [[args.kubectl, "kustomize", str(plain)]]
        if size == "XL" or not args.kubectl:
            kubectl = None
        rows.append(measure(size, command, kubectl, args.repeat))
        print(_format(rows[-1]), flush=True)
    missed = missed_targets({row.size: row for row in rows})
    for line in missed:
        print(f"TARGET MISSED: {line}")
    if missed or any(row.same is False for row in rows):
        sys.exit(1)


def missed_targets(rows: dict[str, Row]) -> list[str]:
    """The speed targets this run's rows miss (each compares two timings of this run)."""
    missed = []
    for name in ("L", "patched", "composed"):
        row = rows.get(name)
        if row is not None and row.kubectl is not None:
            ratio = row.kubectl / row.kgen
            if ratio < L_FASTER_THAN_KUSTOMIZE:
                missed.append(
                    f"{name}: {ratio:.1f}x faster than kustomize, "
                    f"target {L_FASTER_THAN_KUSTOMIZE:.0f}x"
                )
    large = rows.get("L")
    huge = rows.get("XL")
    if large is not None and huge is not None and huge.kgen / large.kgen >= XL_OVER_L:
        missed.append(f"XL: {huge.kgen / large.kgen:.1f}x its L time, target < {XL_OVER_L:.0f}x")
    plain, encrypted = rows.get("sops-plain"), rows.get("sops")
    if plain and encrypted and encrypted.kgen > plain.kgen * SOPS_OVER_PLAIN:
        missed.append(
            f"sops: {encrypted.kgen / plain.kgen:.2f}x the plain build, "
            f"target <= {SOPS_OVER_PLAIN:.1f}x"
        )
    small = rows.get("S")
    for name in START_COMMANDS:
        row = rows.get(name)
        if small is not None and row is not None and row.kgen > small.kgen * START_OVER_S:
            missed.append(
                f"{name}: {row.kgen / small.kgen:.2f}x a build of S, target <= {START_OVER_S:.1f}x"
            )
    return missed


def compile_package(kgen: str) -> None:
    """Byte-compile the kgen package the command imports, as ``pip install .`` does: an editable
    (development) install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module
    on every run, which users of an installed kgen never pay (about 60 ms a run)."""
    script = shutil.which(kgen) or kgen
    with open(script, "rb") as handle:  # noqa: PTH123 - a script's first line
        first = handle.readline().decode(errors="replace")
    python = first[2:].strip() if first.startswith("#!") else sys.executable
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
    memory = f"{row.kgen_mib:7.0f} MiB" + (
        f" vs {row.kubectl_mib:5.0f} MiB" if row.kubectl_mib is not None else ""
    )
    same = {True: "identical", False: "DIFFERENT", None: ""}[row.same]
    return f"{row.size:6} kgen {row.kgen:8.3f} s  kubectl {kubectl}  {ratio}  {memory}  {same}"


if __name__ == "__main__":
    main()
