"""The README's two set-up commands stay real: CI runs the test command, and the example
the run command builds is the Secrets page's db-user-pass Secret with a Pod using it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgen.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _block(marker: str) -> str:
    match = re.search(
        rf"<!-- {marker} -->\n```\n(?P<command>[^\n]+)\n```\n<!-- /{marker} -->", README
    )
    assert match is not None, marker
    return match["command"]


def test_readme_has_exactly_two_setup_commands() -> None:
    run = _block("run-command")
    test = _block("test-command")
    assert run.startswith("python3 -m venv .venv && ")
    assert run.endswith("kgen build examples/db-user-pass")
    assert test.startswith("python3 -m venv .venv && ")
    assert "'.[test]'" in test
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in ci
    assert 'eval "$test_command"' in ci


def test_example_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["build", "examples/db-user-pass", "--hash", "kustomize"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert "name: db-user-pass-gd995d5t92\n" in result.stdout
    assert "secretName: db-user-pass-gd995d5t92\n" in result.stdout
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        expected = subprocess.run(
            [kubectl, "kustomize", "examples/db-user-pass"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert result.stdout == expected
