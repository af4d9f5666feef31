"""Build generated trees with kgen and with ``kubectl kustomize`` and compare the results.

    python -m fuzz.difftree --seed 1000 --count 200 --seconds 600 [-j 2] [--known CLASS]...
                            [--keep DIR] [--kgen CMD]

Tree ``i`` of a run is ``make_tree(seed + i)``, so one difference is reproduced with
``--seed S --count 1 --keep DIR`` (the tree is written to ``DIR/S``). Each tree is built three
times: ``kgen build DIR --hash kustomize --no-validate``, the same with validation on, and
``kubectl kustomize DIR``. They agree when both builders succeed with the same stdout, or both
fail with kgen exiting 1 with an empty stdout. In every run kgen must never crash (exit 3, or a
traceback), never print a secret value of the tree (raw or base64) on stderr, and validation
may only refuse a build or add warnings, never change the stream.

kgen's documented differences from kustomize (README, "Where kgen differs from kustomize") are
not classified here: the generator never draws them (see ``fuzz.trees``). The difference
classes already known and still open are drawn only with ``--known CLASS`` (those kgen now
agrees on, ``fuzz.trees.FIXED``, are drawn in every tree).
"""

from __future__ import annotations

import argparse
import base64
import difflib
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from fuzz.trees import KNOWN, Tree, make_tree

TIMEOUT = 120
MIN_SECRET = 8


class Run(NamedTuple):
    """One build: exit code, stdout, stderr."""

    code: int
    stdout: bytes
    stderr: bytes


class Difference(NamedTuple):
    """One disagreement, by class, for the tree of ``seed``."""

    seed: int
    kind: str
    detail: str
    tags: tuple[str, ...]

    def describe(self) -> str:
        return f"seed {self.seed}: {self.kind}: {self.detail} [tags: {' '.join(self.tags)}]"


def write_tree(tree: Tree, root: Path) -> None:
    """Write the tree's files under ``root``."""
    for name, data in tree.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _first_line(data: bytes) -> str:
    lines = data.decode(errors="replace").strip().splitlines()
    return lines[0][:300] if lines else "(nothing on stderr)"


def _diff(kubectl: bytes, kgen: bytes) -> str:
    lines = difflib.unified_diff(
        kubectl.decode(errors="replace").splitlines(),
        kgen.decode(errors="replace").splitlines(),
        "kubectl",
        "kgen",
        n=1,
        lineterm="",
    )
    return "\n".join(list(lines)[:24])


def leaks(secrets: Iterable[str], stderr: bytes) -> list[str]:
    """The secret values (or lines of them, raw or base64) that ``stderr`` shows."""
    text = stderr.decode(errors="replace")
    found = []
    for secret in secrets:
        pieces = [secret, *secret.splitlines()]
        pieces += [base64.b64encode(piece.encode()).decode() for piece in list(pieces)]
        if any(len(piece.strip()) >= MIN_SECRET and piece in text for piece in pieces):
            found.append(secret)
    return found


def _kgen_failures(run: Run, mode: str) -> list[tuple[str, str]]:
    if run.code not in {0, 1}:
        return [(f"crash{mode}", f"kgen exited {run.code}: {_first_line(run.stderr)}")]
    if b"Traceback" in run.stderr:
        return [(f"traceback{mode}", _first_line(run.stderr))]
    if run.code == 1 and run.stdout:
        return [(f"dirty-failure{mode}", "kgen failed but printed a stream")]
    return []


def compare(tree: Tree, plain: Run, checked: Run, kubectl: Run) -> list[tuple[str, str]]:
    """The (class, detail) pairs on which kgen's runs disagree with kubectl's or break a rule."""
    found = _kgen_failures(plain, "") + _kgen_failures(checked, "-validate")
    for run, mode in ((plain, ""), (checked, "-validate")):
        leaked = leaks(tree.secrets, run.stderr)
        if leaked:
            found.append((f"leak{mode}", f"stderr shows secret {leaked[0]!r}"))
    if found:
        return found
    if plain.code == 0 and kubectl.code == 0 and plain.stdout != kubectl.stdout:
        found.append(("output", _diff(kubectl.stdout, plain.stdout)))
    elif plain.code == 1 and kubectl.code == 0:
        found.append(("kgen-refuses", _first_line(plain.stderr)))
    elif plain.code == 0 and kubectl.code != 0:
        found.append(("kgen-accepts", "kubectl: " + _first_line(kubectl.stderr)))
    if checked.code == 0 and plain.code != 0:
        found.append(("validate-accepts", "kgen builds with validation what it refuses without"))
    elif checked.code == 0 and checked.stdout != plain.stdout:
        found.append(("validate-output", "the stream differs with validation on"))
    return found


def _run(command: Sequence[str], cwd: Path) -> Run:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return Run(-1, b"", f"timed out after {TIMEOUT} s".encode())
    return Run(done.returncode, done.stdout, done.stderr)


class Tools(NamedTuple):
    """The two commands to compare (argument lists, the tree's directory appended)."""

    kgen: tuple[str, ...] = (sys.executable, "-m", "kgen")
    kubectl: tuple[str, ...] = ("kubectl", "kustomize")


DEFAULT_TOOLS = Tools()


class Checked(NamedTuple):
    """One tree's result: whether kubectl built it, and the differences found."""

    seed: int
    built: bool
    differences: list[Difference]


def check_tree(seed: int, known: frozenset[str], tools: Tools, keep: Path | None = None) -> Checked:
    """Build the tree of ``seed`` with both tools and compare."""
    tree = make_tree(seed, known)
    with tempfile.TemporaryDirectory(prefix=f"kgen-fuzz-{seed}-") as scratch:
        root = Path(scratch)
        write_tree(tree, root)
        build = [*tools.kgen, "build", str(root), "--hash", "kustomize"]
        # cwd: the tree, so that ``python -m kgen`` imports the installed kgen, not a ./kgen
        plain = _run([*build, "--no-validate"], root)
        checked = _run(build, root)
        kubectl = _run([*tools.kubectl, str(root)], root)
    found = [
        Difference(seed, kind, detail, tree.tags)
        for kind, detail in compare(tree, plain, checked, kubectl)
    ]
    if found and keep is not None:
        write_tree(tree, keep / str(seed))
    return Checked(seed, kubectl.code == 0, found)


def check_trees(
    seeds: Sequence[int],
    known: frozenset[str] = frozenset(),
    tools: Tools = DEFAULT_TOOLS,
    *,
    jobs: int = 1,
    seconds: float | None = None,
    keep: Path | None = None,
) -> Iterator[Checked]:
    """Check trees in seed order, yielding each result, until done or ``seconds`` have passed."""
    deadline = None if seconds is None else time.monotonic() + seconds
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for start in range(0, len(seeds), jobs):
            if deadline is not None and time.monotonic() > deadline:
                break
            batch = seeds[start : start + jobs]
            yield from pool.map(lambda seed: check_tree(seed, known, tools, keep), batch)


def summary(checked: Sequence[Checked]) -> str:
    """One line: how many trees, how many kubectl built, the differences by class."""
    classes = Counter(diff.kind for result in checked for diff in result.differences)
    total = sum(classes.values())
    line = (
        f"{len(checked)} trees ({sum(result.built for result in checked)} built by kubectl):"
        f" {total} differences"
    )
    return line + "".join(f", {kind} {count}" for kind, count in sorted(classes.items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fuzz.difftree", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seed", type=int, default=0, help="the first tree's seed")
    parser.add_argument("--count", type=int, default=100, help="how many trees")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument(
        "--known", action="append", choices=KNOWN, default=[], help="draw a known class"
    )
    parser.add_argument("--keep", type=Path, default=None, help="write trees that differ here")
    parser.add_argument(
        "--kgen", default=None, help="the kgen command (default: this python -m kgen)"
    )
    args = parser.parse_args(argv)
    tools = Tools() if args.kgen is None else Tools(kgen=tuple(shlex.split(args.kgen)))
    seeds = range(args.seed, args.seed + args.count)
    checked = []
    for result in check_trees(
        seeds, frozenset(args.known), tools, jobs=args.jobs, seconds=args.seconds, keep=args.keep
    ):
        checked.append(result)
        for difference in result.differences:
            print(difference.describe(), flush=True)
    print(f"seeds {args.seed}..: {summary(checked)}")
    return 1 if any(result.differences for result in checked) else 0


if __name__ == "__main__":
    sys.exit(main())
