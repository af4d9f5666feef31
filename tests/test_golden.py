"""Golden fixture folders: one test id per folder under ``fixtures/``.

A folder holds a kustomization tree and its expectations:

- ``expected.yaml``: the exact stdout of ``kgen build ROOT --hash kustomize``;
- ``expected-xxhash.yaml`` (optional): the exact stdout with the default hash;
- ``expected-error``: the exact stderr of a failing build (exit code 1, empty stdout);
- ``expected-stderr`` (optional): the exact stderr (warnings) of a successful build;
- ``case.toml`` (optional): ``root`` (the directory to build, default ``.``), ``args`` (extra
  flags for kgen), ``kubectl_args`` (flags for kubectl kustomize), ``kustomize`` (``same``:
  kubectl kustomize prints expected.yaml byte for byte, the default for successful builds;
  ``fails``: kubectl kustomize fails too, the default for errors; ``accepts``: kustomize
  builds what kgen refuses (validation); ``differs``: kgen keeps data kustomize loses) and
  ``reason`` (why, for the last two).
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kgen import yamlio
from kgen.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = sorted(path for path in FIXTURES.iterdir() if path.is_dir())
EXPECTATION_FILES = (
    "expected.yaml",
    "expected-xxhash.yaml",
    "expected-error",
    "expected-stderr",
    "case.toml",
)
KUBECTL = shutil.which("kubectl")


def _config(case: Path) -> dict[str, Any]:
    path = case / "case.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


def _copy(case: Path, tmp_path: Path) -> Path:
    """The case without its expectations, as the conformance runner copies it."""
    target = tmp_path / case.name
    shutil.copytree(case, target, symlinks=True, ignore=shutil.ignore_patterns(*EXPECTATION_FILES))
    return target


def _run(work: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(case)
    work = _copy(case, tmp_path)
    root = config.get("root", ".")
    extra = list(config.get("args", []))
    code, stdout, stderr = _run(work, ["build", root, "--hash", "kustomize", *extra], monkeypatch)
    if (case / "expected-error").exists():
        assert (code, stdout, stderr) == (1, "", (case / "expected-error").read_text())
        return
    warnings = case / "expected-stderr"
    expected_stderr = warnings.read_text() if warnings.exists() else ""
    assert (code, stderr) == (0, expected_stderr)
    assert stdout == (case / "expected.yaml").read_text()
    xxhash = case / "expected-xxhash.yaml"
    if xxhash.exists():
        code, stdout, stderr = _run(work, ["build", root, *extra], monkeypatch)
        assert (code, stdout, stderr) == (0, xxhash.read_text(), expected_stderr)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_against_kubectl_kustomize(case: Path, tmp_path: Path) -> None:
    config = _config(case)
    work = _copy(case, tmp_path)
    failing = (case / "expected-error").exists()
    relation = config.get("kustomize", "fails" if failing else "same")
    assert KUBECTL is not None
    result = subprocess.run(
        [
            KUBECTL,
            "kustomize",
            str(work / config.get("root", ".")),
            *config.get("kubectl_args", []),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if relation == "same":
        assert result.returncode == 0, result.stderr
        assert result.stdout == (case / "expected.yaml").read_text()
    elif relation == "fails":
        assert result.returncode != 0
    elif relation == "accepts":
        assert result.returncode == 0, result.stderr
        assert config.get("reason")
    else:
        assert relation == "differs"
        assert config.get("reason")
        assert result.returncode != 0 or result.stdout != (case / "expected.yaml").read_text()


SUCCESSES = [case for case in CASES if (case / "expected.yaml").exists()]


@pytest.mark.parametrize("case", SUCCESSES, ids=[case.name for case in SUCCESSES])
def test_golden_output_passes_kubernetes_schemas(case: Path) -> None:
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    documents = yamlio.load_documents(
        (case / "expected.yaml").read_bytes(), "expected.yaml", "resource"
    )
    checked = 0
    for document in documents:
        try:
            kubernetes_validate.validate(document, "1.32", strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            # Custom resources (e.g. cert-manager's Certificate) have no built-in schema.
            assert "." in document["apiVersion"].split("/")[0], document["kind"]
            continue
        checked += 1
    assert checked or documents
