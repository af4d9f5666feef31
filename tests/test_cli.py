from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgen import __version__
from kgen.cli import app

SECRET = "S!B*d$zDsb"
KUSTOMIZATION = f"""secretGenerator:
- name: db-user-pass
  literals:
  - username=admin
  - password={SECRET}
"""
STREAM = """apiVersion: v1
data:
  password: UyFCKmQkekRzYg==
  username: YWRtaW4=
kind: Secret
metadata:
  name: db-user-pass-{suffix}
type: Opaque
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "kustomization.yaml").write_text(KUSTOMIZATION)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_default_dir_default_hash(project: Path) -> None:
    assert invoke("build") == (0, STREAM.format(suffix="b579425c8h"), "")


def test_build_kustomize_hash(project: Path) -> None:
    assert invoke("build", ".", "--hash", "kustomize") == (
        0,
        STREAM.format(suffix="ctkh68c7kt"),
        "",
    )


def test_output_file_is_written_atomically(project: Path) -> None:
    assert invoke("build", "-o", "out.yaml") == (0, "", "")
    assert (project / "out.yaml").read_text() == STREAM.format(suffix="b579425c8h")
    assert sorted(p.name for p in project.iterdir()) == ["kustomization.yaml", "out.yaml"]


def test_failed_build_keeps_previous_output_and_leaves_no_temporary(project: Path) -> None:
    (project / "out.yaml").write_text("previous\n")
    (project / "kustomization.yaml").write_text(KUSTOMIZATION + "  - broken\n")
    code, stdout, stderr = invoke("build", "-o", "out.yaml")
    assert (code, stdout) == (1, "")
    assert stderr == (
        "kgen: error: kustomization.yaml: secretGenerator[db-user-pass].literals[2]: "
        "expected key=value\n"
    )
    assert (project / "out.yaml").read_text() == "previous\n"
    assert sorted(p.name for p in project.iterdir()) == ["kustomization.yaml", "out.yaml"]


def test_build_error_prints_nothing_on_stdout_and_no_value(project: Path) -> None:
    (project / "kustomization.yaml").write_text(KUSTOMIZATION.replace(f"password={SECRET}", SECRET))
    code, stdout, stderr = invoke("build")
    assert (code, stdout) == (1, "")
    assert stderr == (
        "kgen: error: kustomization.yaml: secretGenerator[db-user-pass].literals[1]: "
        "expected key=value\n"
    )
    assert SECRET not in stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(["build", "--hash", "md5"], "Invalid value for --hash", id="bad-hash"),
        pytest.param(
            ["build", "--load-restrictor", "x"],
            "Invalid value for --load-restrictor",
            id="bad-restrictor",
        ),
        pytest.param(["build", "--nope"], "No such option: --nope", id="unknown-option"),
        pytest.param(["frobnicate"], "No such command 'frobnicate'", id="unknown-command"),
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str], fragment: str) -> None:
    code, stdout, stderr = invoke(*args)
    assert (code, stdout) == (2, "")
    assert fragment in stderr


def test_internal_error_is_one_line_without_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgen import pipeline

    def explode(*_: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(pipeline, "build", explode)
    code, stdout, stderr = invoke("build")
    assert (code, stdout) == (3, "")
    assert stderr == (
        "kgen: internal error (RuntimeError); details are withheld because they may contain "
        "secret values. Please report this with the input's shape.\n"
    )


def test_version() -> None:
    assert invoke("--version") == (0, f"kgen {__version__}\n", "")


def test_build_is_a_subcommand_and_help_shows_an_example() -> None:
    code, stdout, _ = invoke("build", "--help")
    assert code == 0
    assert "Example: kgen build overlays/prod --hash kustomize | kubectl apply -f -" in stdout
    code, stdout, _ = invoke("--help")
    assert code == 0
    assert "build" in stdout


def test_python_dash_m(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kgen", "build", "--hash", "kustomize"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        STREAM.format(suffix="ctkh68c7kt"),
        "",
    )
