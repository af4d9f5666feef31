"""The repository's pre-commit hooks, run by the real pre-commit in a scratch git repository.

Offline and fast: the hooks come from a snapshot of this working tree (what ``pre-commit
try-repo`` would install, committed once for the whole module, so pre-commit builds one hook
environment), and pip installs kgen there from a local directory of wheels (``wheelhouse``:
kgen's dependencies as this test environment has them, setuptools from virtualenv) with the
package index turned off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import wheelhouse  # tests/wheelhouse.py (pytest puts tests/ on the path)

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
SECRET = "S!B*d$zDsb"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs git and this repository's git checkout",
)


def _git(work: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=work, check=True, capture_output=True, text=True
    ).stdout


class Hooks:
    """The hooks repository (a snapshot of this working tree at one commit) and the
    environment pre-commit runs with."""

    def __init__(self, repo: Path, rev: str, env: dict[str, str]) -> None:
        self.repo = repo
        self.rev = rev
        self.env = env


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    base = tmp_path_factory.mktemp("hooks")
    snapshot = base / "kgen"
    listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(snapshot.parent, "init", "-q", str(snapshot))
    _git(snapshot, "add", "-A")
    identity = ["-c", "user.name=kgen tests", "-c", "user.email=tests@kgen.invalid"]
    _git(snapshot, *identity, "commit", "-q", "--no-verify", "-m", "snapshot")
    rev = _git(snapshot, "rev-parse", "HEAD").strip()
    wheels = base / "wheels"
    wheelhouse.build(wheels)
    env = {**os.environ, **wheelhouse.pip_environment(wheels)}
    env["PRE_COMMIT_HOME"] = str(base / "pre-commit-home")
    env.pop("PRE_COMMIT_ALLOW_NO_CONFIG", None)
    return Hooks(snapshot, rev, env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("precommit")
    files = {
        "app/kustomization.yaml": (
            f"secretGenerator:\n- name: db\n  literals:\n  - password={SECRET}\n"
            "resources: [pod.yaml]\n"
        ),
        "app/pod.yaml": (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
            "  - name: c\n    image: redis\n    envFrom:\n    - secretRef:\n        name: db\n"
        ),
    }
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    return work


def _run(
    hooks: Hooks, work: Path, hook: str, args: str | None = None
) -> subprocess.CompletedProcess[str]:
    """One hook, with ``args`` (YAML) or its own, through a config naming the snapshot."""
    given = f"    args: {args}\n" if args is not None else ""
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks.repo}\n  rev: {hooks.rev}\n  hooks:\n  - id: {hook}\n{given}"
    )
    _git(work, "add", "-A")
    return subprocess.run(
        [*PRE_COMMIT, "run", "--all-files", "--verbose"],
        cwd=work,
        env=hooks.env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_kgen_build_hook_passes_then_fails_on_a_broken_kustomization(
    hooks: Hooks, repo: Path
) -> None:
    passed = _run(hooks, repo, "kgen-build")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "kgen build" in passed.stdout
    assert "Passed" in passed.stdout
    assert SECRET not in passed.stdout
    broken = repo / "app/kustomization.yaml"
    broken.write_text(broken.read_text().replace(f"password={SECRET}", SECRET))
    _git(repo, "add", "-A")
    try:
        failed = _run(hooks, repo, "kgen-build")
    finally:
        broken.write_text(broken.read_text().replace(SECRET, f"password={SECRET}"))
        _git(repo, "add", "-A")
    assert failed.returncode == 1
    assert "Failed" in failed.stdout
    assert (
        "kgen: error: app/kustomization.yaml: secretGenerator[db].literals[0]: expected "
        "key=value" in failed.stdout
    )
    assert SECRET not in failed.stdout + failed.stderr


def test_kgen_check_hook_fails_with_a_redacted_diff(hooks: Hooks, repo: Path) -> None:
    (repo / "rendered.yaml").write_text(
        "apiVersion: v1\ndata:\n  password: b2xk\nkind: Secret\nmetadata:\n  name: old\n"
    )
    result = _run(hooks, repo, "kgen-check", "[rendered.yaml, app]")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "kgen check" in result.stdout
    assert "Failed" in result.stdout
    assert "--- rendered.yaml\n+++ rendered.yaml (built)\n" in result.stdout
    assert "-  password: REDACTED-" in result.stdout
    assert "+  password: REDACTED-" in result.stdout
    for value in (SECRET, "b2xk", "UyFCKmQkekRzYg=="):
        assert value not in result.stdout + result.stderr


def test_kgen_check_without_its_args_says_what_it_needs(hooks: Hooks, repo: Path) -> None:
    result = _run(hooks, repo, "kgen-check")
    assert result.returncode != 0
    assert (
        "kgen: error: --check: needs the rendered file or directory to compare with, then the "
        "roots to build: kgen build --check rendered.yaml overlays/prod, or --check rendered/ "
        "--all . (the kgen-check pre-commit hook takes them as its args: args: [rendered.yaml, "
        "overlays/prod])"
    ) in result.stdout


def test_kgen_render_writes_the_files_and_fails_when_it_changed_any(
    hooks: Hooks, repo: Path
) -> None:
    try:
        first = _run(hooks, repo, "kgen-render", "[app, -o, rendered.yaml, --redact-secrets]")
        assert first.returncode == 1, first.stdout + first.stderr
        assert "kgen: rewrote rendered.yaml" in first.stdout
        rendered = (repo / "rendered.yaml").read_text()
        assert "password: REDACTED\n" in rendered
        assert SECRET not in rendered
        _git(repo, "add", "-A")
        again = _run(hooks, repo, "kgen-render", "[app, -o, rendered.yaml, --redact-secrets]")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Passed" in again.stdout
    finally:
        (repo / "rendered.yaml").unlink(missing_ok=True)
        (repo / ".pre-commit-config.yaml").unlink(missing_ok=True)
        _git(repo, "add", "-A")


def test_the_wheelhouse_holds_kgens_runtime_dependencies_only() -> None:
    names = {wheelhouse._normalized(d.metadata["Name"]) for d in wheelhouse.runtime_closure()}
    assert {"ruamel-yaml", "ruamel-yaml-clib", "typer", "xxhash"} <= names
    assert not names & {"kgen-manifests", "pytest", "mypy", "pre-commit", "hypothesis"}
