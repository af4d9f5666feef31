"""The project's own static checks run as tests, so CI's one test command covers them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_mypy_strict() -> None:
    result = _run("mypy", "--strict", "kgen", "tests", "fuzz", ".ci/corpora.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_and_format() -> None:
    check = _run("ruff", "check", "kgen", "tests", "benchmarks", "fuzz", ".ci")
    assert check.returncode == 0, check.stdout + check.stderr
    formatted = _run("ruff", "format", "--check", "kgen", "tests", "benchmarks", "fuzz", ".ci")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
