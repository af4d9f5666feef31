#!/usr/bin/env python3
"""Run the shared corpora with an installed kgen; fail on any case that passed before.

usage: corpora.py --kgen PATH [--only NAME]... [--update]

Each corpus (conformance, krusty, realworld in ../shared) is run with its own runner. The names
of the cases that must pass are kept, one a line and sorted, in .ci/expected-passes/NAME.txt.
A case on that list that no longer passes fails the run (exit 1) and is named; a case that
passes but is not on the list is reported as a new pass, to be added with --update (which
rewrites the lists from this run, keeping nothing that failed).

Some inputs kustomize builds are ones the API server would reject; kgen refuses them by design.
.ci/expected-passes/NAME.validation.txt lists such cases, a case and its rule id a line: each
must fail with that rule (``[rule]`` in its stderr) and pass, byte for byte, with --no-validate.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("KGEN_SHARED", HERE.parent.parent / "shared"))
"""The shared corpora: ``../shared`` beside the clone, or ``$KGEN_SHARED`` (a git worktree
elsewhere)."""
LISTS = HERE / "expected-passes"
PASS_LINE = re.compile(r"^PASS (\S+)")
FAIL_LINE = re.compile(r"^FAIL (\S+)")

#: corpus name -> (runner, kgen's command for it, the runner's extra arguments)
CORPORA: dict[str, tuple[Path, str, tuple[str, ...]]] = {
    "conformance": (SHARED / "conformance" / "run", "{kgen} build {{dir}} --hash kustomize", ()),
    "krusty": (
        SHARED / "corpora" / "krusty" / "run",
        "{kgen} build {{dir}} --hash kustomize --no-validate",
        (),
    ),
    # --no-decrypt: the corpus has SOPS files whose keys are not published (Flux's podinfo);
    # kustomize reads them as they are, and kgen, told not to decrypt, refuses them by rule
    # (sops-encrypted) and builds them byte for byte with --no-validate
    "realworld": (
        SHARED / "corpora" / "realworld" / "run",
        "{kgen} build {{dir}} --hash kustomize --no-decrypt",
        ("-j", "2"),
    ),
}


class Outcome:
    """What one run of a corpus runner printed: passing cases, each failure's report."""

    def __init__(self, lines: list[str]) -> None:
        self.summary = lines[-1]
        self.passed: set[str] = set()
        self.failures: dict[str, str] = {}
        failing = ""
        for line in lines:
            if match := PASS_LINE.match(line):
                self.passed.add(match.group(1))
                failing = ""
            elif match := FAIL_LINE.match(line):
                failing = match.group(1)
                self.failures[failing] = line
            elif failing and line.startswith(" "):
                self.failures[failing] += "\n" + line


def run_corpus(name: str, kgen: str, extra_flags: str = "", only: tuple[str, ...] = ()) -> Outcome:
    """Run corpus ``name`` (or only the cases named ``only``)."""
    runner, command, extra = CORPORA[name]
    selected = [arg for case in only for arg in ("-k", case)]
    result = subprocess.run(
        [
            sys.executable,
            str(runner),
            "--kgen",
            command.format(kgen=kgen) + extra_flags,
            *extra,
            *selected,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    if not lines or " passed, " not in lines[-1]:
        sys.exit(f"corpora: {name}: the runner printed no summary:\n{result.stderr}")
    return Outcome(lines)


def refused_by_design(name: str) -> dict[str, str]:
    """The cases of ``name`` kgen's validation refuses on purpose, each with its rule id."""
    path = LISTS / f"{name}.validation.txt"
    if not path.exists():
        return {}
    rows = (line.split() for line in path.read_text().splitlines())
    return {row[0]: row[1] for row in rows if row and not row[0].startswith("#")}


def check_refused(name: str, kgen: str, outcome: Outcome) -> list[str]:
    """Problems with the cases refused by design: each fails with its rule, and passes with
    --no-validate."""
    refused = refused_by_design(name)
    if not refused:
        return []
    problems = []
    for case, rule in sorted(refused.items()):
        report = outcome.failures.get(case, "")
        if f"[{rule}]" not in report:
            problems.append(f"{case}: expected a [{rule}] error, got: {report or 'no failure'}")
    unvalidated = run_corpus(name, kgen, " --no-validate", tuple(sorted(refused)))
    problems.extend(
        f"{case}: does not pass with --no-validate"
        for case in sorted(refused)
        if case not in unvalidated.passed
    )
    return problems


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
        outcome = run_corpus(name, args.kgen)
        passed, summary = outcome.passed, outcome.summary
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
        problems = check_refused(name, args.kgen, outcome)
        for problem in problems:
            print(f"  REFUSED-BY-DESIGN {problem}")
        failed = failed or bool(problems)
        if args.update:
            LISTS.mkdir(exist_ok=True)
            (LISTS / f"{name}.txt").write_text("".join(f"{case}\n" for case in sorted(passed)))
        elif lost:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
