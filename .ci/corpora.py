#!/usr/bin/env python3
"""Run the shared corpora with an installed kgen; fail on any case that passed before.

usage: corpora.py --kgen PATH [--only NAME]... [--update]

Each corpus (conformance, krusty, realworld in ../shared) is run with its own runner. The names
of the cases that must pass are kept, one a line and sorted, in .ci/expected-passes/NAME.txt.
A case on that list that no longer passes fails the run (exit 1) and is named; a case that
passes but is not on the list is reported as a new pass, to be added with --update (which
rewrites the lists from this run, keeping nothing that failed). Standard library only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
LISTS = HERE / "expected-passes"
PASS_LINE = re.compile(r"^PASS (\S+)")

#: corpus name -> (runner, kgen's command for it, the runner's extra arguments)
CORPORA: dict[str, tuple[Path, str, tuple[str, ...]]] = {
    "conformance": (SHARED / "conformance" / "run", "{kgen} build {{dir}} --hash kustomize", ()),
    "krusty": (
        SHARED / "corpora" / "krusty" / "run",
        "{kgen} build {{dir}} --hash kustomize --no-validate",
        (),
    ),
    "realworld": (
        SHARED / "corpora" / "realworld" / "run",
        "{kgen} build {{dir}} --hash kustomize",
        ("-j", "2"),
    ),
}


def run_corpus(name: str, kgen: str) -> tuple[set[str], str]:
    """The cases of corpus ``name`` that pass, and the runner's summary line."""
    runner, command, extra = CORPORA[name]
    result = subprocess.run(
        [sys.executable, str(runner), "--kgen", command.format(kgen=kgen), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    if not lines or " passed, " not in lines[-1]:
        sys.exit(f"corpora: {name}: the runner printed no summary:\n{result.stderr}")
    passed = {m.group(1) for line in lines if (m := PASS_LINE.match(line))}
    return passed, lines[-1]


def expected_passes(name: str) -> set[str]:
    path = LISTS / f"{name}.txt"
    if not path.exists():
        return set()
    return {line for line in path.read_text().splitlines() if line and not line.startswith("#")}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 3)[2])
    parser.add_argument("--kgen", required=True, help="path of the kgen command to test")
    parser.add_argument("--only", action="append", choices=sorted(CORPORA), default=[])
    parser.add_argument("--update", action="store_true", help="rewrite the lists from this run")
    args = parser.parse_args(argv)
    failed = False
    for name in args.only or list(CORPORA):
        start = time.monotonic()
        passed, summary = run_corpus(name, args.kgen)
        expected = expected_passes(name)
        lost = sorted(expected - passed)
        new = sorted(passed - expected)
        print(
            f"{name}: {summary} ({time.monotonic() - start:.0f} s); "
            f"expected passes {len(expected)}, lost {len(lost)}, new {len(new)}"
        )
        for case in lost:
            print(f"  LOST {case}")
        for case in new:
            print(f"  NEW  {case}")
        if args.update:
            LISTS.mkdir(exist_ok=True)
            (LISTS / f"{name}.txt").write_text("".join(f"{case}\n" for case in sorted(passed)))
        elif lost:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
