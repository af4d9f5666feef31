"""The repository's pre-commit hooks, run by the real pre-commit in a scratch git repository
(``pre-commit try-repo`` installs kgen from this repository into its own environment)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
SECRET = "S!B*d$zDsb"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs git and this repository's git checkout",
)


def _git(work: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=work, check=True, capture_output=True)


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


def _try_repo(work: Path, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(work.parent / "pre-commit-home")}
    env.pop("PRE_COMMIT_ALLOW_NO_CONFIG", None)
    command = [*PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files", "--verbose", *args]
    return subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def test_kgen_build_hook_passes_then_fails_on_a_broken_kustomization(repo: Path) -> None:
    passed = _try_repo(repo, "kgen-build")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "kgen build" in passed.stdout
    assert "Passed" in passed.stdout
    assert SECRET not in passed.stdout
    broken = repo / "app/kustomization.yaml"
    broken.write_text(broken.read_text().replace(f"password={SECRET}", SECRET))
    _git(repo, "add", "-A")
    try:
        failed = _try_repo(repo, "kgen-build")
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


def test_kgen_check_hook_fails_with_a_redacted_diff(repo: Path) -> None:
    (repo / "rendered.yaml").write_text(
        "apiVersion: v1\ndata:\n  password: b2xk\nkind: Secret\nmetadata:\n  name: old\n"
    )
    result = _check(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "kgen check" in result.stdout
    assert "Failed" in result.stdout
    assert "--- rendered.yaml\n+++ rendered.yaml (built)\n" in result.stdout
    assert "-  password: REDACTED-" in result.stdout
    assert "+  password: REDACTED-" in result.stdout
    for value in (SECRET, "b2xk", "UyFCKmQkekRzYg=="):
        assert value not in result.stdout + result.stderr


def _check(work: Path) -> subprocess.CompletedProcess[str]:
    """kgen-check with args, through a config naming this repository at its HEAD (try-repo
    cannot pass args)."""
    return _run(work, "kgen-check", "[rendered.yaml, app]")


def _run(work: Path, hook: str, args: str | None) -> subprocess.CompletedProcess[str]:
    """One hook of this repository at its HEAD, with ``args`` (YAML) or its own."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    given = f"    args: {args}\n" if args is not None else ""
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n  - id: {hook}\n{given}"
    )
    _git(work, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(work.parent / "pre-commit-home")}
    return subprocess.run(
        [*PRE_COMMIT, "run", "--all-files", "--verbose"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_kgen_check_without_its_args_says_what_it_needs(repo: Path) -> None:
    result = _run(repo, "kgen-check", None)
    assert result.returncode != 0
    assert "Option '--check' requires an argument" in result.stdout


def test_kgen_render_writes_the_files_and_fails_when_it_changed_any(repo: Path) -> None:
    try:
        first = _run(repo, "kgen-render", "[app, -o, rendered.yaml, --redact-secrets]")
        assert first.returncode == 1, first.stdout + first.stderr
        assert "kgen: rewrote rendered.yaml" in first.stdout
        rendered = (repo / "rendered.yaml").read_text()
        assert "password: REDACTED\n" in rendered
        assert SECRET not in rendered
        _git(repo, "add", "-A")
        again = _run(repo, "kgen-render", "[app, -o, rendered.yaml, --redact-secrets]")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Passed" in again.stdout
    finally:
        (repo / "rendered.yaml").unlink(missing_ok=True)
        (repo / ".pre-commit-config.yaml").unlink(missing_ok=True)
        _git(repo, "add", "-A")
