from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

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


def test_the_environment_or_the_repository_chooses_the_hash_the_command_line_wins(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".git").mkdir()
    (project / ".kgen.toml").write_text('hash = "kustomize"\n')
    assert invoke("build") == (0, STREAM.format(suffix="ctkh68c7kt"), "")
    monkeypatch.setenv("KGEN_HASH", "xxhash")
    assert invoke("build") == (0, STREAM.format(suffix="b579425c8h"), "")
    assert invoke("build", "--hash", "kustomize") == (0, STREAM.format(suffix="ctkh68c7kt"), "")
    monkeypatch.setenv("KGEN_HASH", "sha256")
    assert invoke("build") == (2, "", "kgen: error: KGEN_HASH: must be xxhash or kustomize\n")


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

    def explode(*_: object, **__: object) -> None:
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
    assert "  kgen build overlays/prod --hash kustomize | kubectl apply -f -\n" in stdout
    assert "  kgen build overlays/prod --check rendered/prod.yaml\n" in stdout
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


def _tree(root: Path) -> None:
    files = {
        "base/kustomization.yaml": "resources: [cm.yaml]\n",
        "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
        "overlays/a/kustomization.yaml": "resources: [../../base]\nnamePrefix: a-\n",
        "overlays/b/kustomization.yaml": (
            f"resources: [../../base]\nnamePrefix: b-\nsecretGenerator:\n- name: s\n"
            f"  literals: ['password={SECRET}']\n"
        ),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


CM_A = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-cm\n"
CM_B = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b-cm\n"
SECRET_B = (
    "apiVersion: v1\ndata:\n  password: UyFCKmQkekRzYg==\nkind: Secret\nmetadata:\n"
    "  name: b-s-{suffix}\ntype: Opaque\n"
)


def test_several_roots_one_stream_in_the_order_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = invoke("build", "overlays/b", "overlays/a")
    assert (code, stderr) == (0, "")
    assert stdout == CM_B + "---\n" + SECRET_B.format(suffix="98gcbdh4dg") + "---\n" + CM_A


def test_all_finds_roots_sorted_and_writes_one_file_per_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = invoke("build", "--all", ".")
    assert (code, stderr) == (0, "")
    assert stdout.startswith(CM_A + "---\n" + CM_B)
    assert invoke("build", "--all", ".", "-o", "rendered") == (0, "", "")
    assert (tmp_path / "rendered/overlays/a.yaml").read_text() == CM_A
    assert (tmp_path / "rendered/overlays/b.yaml").read_text().startswith(CM_B + "---\n")
    assert sorted(p.name for p in (tmp_path / "rendered/overlays").iterdir()) == [
        "a.yaml",
        "b.yaml",
    ]


def test_several_roots_write_their_files_under_the_output_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A root given by its absolute path names the file it would relative to the working
    directory; one outside it, by its real path under ``-o``: never a file beside the root."""
    _tree(tmp_path / "work")
    outside = tmp_path / "elsewhere"
    _tree(outside)
    monkeypatch.chdir(tmp_path / "work")
    inputs = set(tmp_path.rglob("*.yaml"))
    roots = [str(tmp_path / "work/overlays/a"), "overlays/b", str(outside / "overlays/a")]
    assert invoke("build", *roots, "-o", "rendered") == (0, "", "")
    written = sorted(str(p.relative_to(tmp_path)) for p in set(tmp_path.rglob("*.yaml")) - inputs)
    real = str(outside.resolve()).lstrip("/")
    assert written == sorted(
        [
            "work/rendered/overlays/a.yaml",
            "work/rendered/overlays/b.yaml",
            f"work/rendered/{real}/overlays/a.yaml",
        ]
    )
    assert (tmp_path / "work/rendered/overlays/a.yaml").read_text() == CM_A


def test_any_failing_root_prints_nothing_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    (tmp_path / "overlays/c").mkdir()
    (tmp_path / "overlays/c/kustomization.yaml").write_text(
        f"secretGenerator:\n- name: s\n  literals: ['{SECRET}']\n"
    )
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = invoke("build", "--all", ".", "-o", "rendered")
    assert (code, stdout) == (1, "")
    assert stderr == (
        "kgen: error: overlays/c/kustomization.yaml: secretGenerator[s].literals[0]: "
        "expected key=value\n"
    )
    assert not (tmp_path / "rendered").exists() or not any((tmp_path / "rendered").rglob("*.yaml"))
    code, stdout, _ = invoke("build", "overlays/a", "overlays/c")
    assert (code, stdout) == (1, "")


def test_usage_errors_for_combined_flags(project: Path) -> None:
    assert invoke("build", ".", "--all", ".")[0] == 2
    assert invoke("build", "-o", "x", "--check", "y")[0] == 2


def test_quiet_prints_only_findings(project: Path) -> None:
    assert invoke("build", "--quiet") == (0, "", "")


def test_check(project: Path) -> None:
    stream = STREAM.format(suffix="b579425c8h")
    (project / "rendered.yaml").write_text(stream)
    assert invoke("build", "--check", "rendered.yaml") == (0, "", "")
    stale = stream.replace("UyFCKmQkekRzYg==", "b2xkLXBhc3N3b3Jk").replace("b579425c8h", "old")
    (project / "rendered.yaml").write_text(stale)
    code, stdout, stderr = invoke("build", "--check", "rendered.yaml")
    assert (code, stderr) == (
        1,
        "kgen: rendered.yaml is stale\nkgen: regenerate with: kgen build -o rendered.yaml\n",
    )
    assert stdout.startswith("--- rendered.yaml\n+++ rendered.yaml (built)\n")
    assert "-  name: db-user-pass-old\n+  name: db-user-pass-b579425c8h\n" in stdout
    assert "-  password: REDACTED-" in stdout
    assert "+  password: REDACTED-" in stdout
    assert " username: REDACTED-" in stdout
    for value in (SECRET, "UyFCKmQkekRzYg==", "old-password", "b2xkLXBhc3N3b3Jk", "YWRtaW4="):
        assert value not in stdout
    assert invoke("build", "--check", "missing.yaml") == (
        1,
        "",
        "kgen: missing.yaml is missing\nkgen: regenerate with: kgen build -o missing.yaml\n",
    )
    (project / "kustomization.yaml").write_text("resources: [gone.yaml]\n")
    code, stdout, stderr = invoke("build", "--check", "rendered.yaml")
    assert (code, stdout) == (2, "")  # broken, not stale: a CI tells the two apart
    assert (
        stderr
        == "kgen: error: kustomization.yaml: resources[0]: no such file or directory: gone.yaml\n"
    )


def test_check_a_directory_of_rendered_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("apps/web", "apps/db"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "kustomization.yaml").write_text(KUSTOMIZATION)
    assert invoke("build", "--all", "apps", "-o", "rendered/")[0] == 0
    assert sorted(p.name for p in (tmp_path / "rendered").iterdir()) == ["db.yaml", "web.yaml"]
    assert invoke("build", "--all", "apps", "--check", "rendered/") == (0, "", "")
    (tmp_path / "rendered" / "web.yaml").unlink()
    (tmp_path / "rendered" / "old.yaml").write_text("x: 1\n")
    code, stdout, stderr = invoke(
        "build", "--all", "apps", "--check", "rendered/", "--hash", "kustomize"
    )
    assert (code, stderr) == (
        1,
        (
            "kgen: rendered/db.yaml is stale\nkgen: rendered/web.yaml is missing\n"
            "kgen: rendered/old.yaml is rendered by no root\n"
            "kgen: regenerate with: kgen build --all apps --hash kustomize -o rendered/ --prune\n"
        ),
    )
    assert stdout.startswith("--- rendered/db.yaml\n+++ rendered/db.yaml (built)\n")
    assert "-  name: db-user-pass-b579425c8h\n+  name: db-user-pass-ctkh68c7kt\n" in stdout
    assert SECRET not in stdout


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["build"],
        ["edit"],
        ["edit", "add"],
        ["edit", "add", "secret"],
        ["edit", "add", "configmap"],
    ],
    ids=["kgen", "build", "edit", "edit-add", "secret", "configmap"],
)
def test_every_command_help_shows_an_example(command: list[str]) -> None:
    code, stdout, _ = invoke(*command, "--help")
    assert code == 0
    assert "Example" in stdout
    examples = stdout.split("Example", 1)[1]
    assert "  kgen " in examples
    # no secret value on a command line: a Secret's examples give files
    for line in examples.splitlines():
        if "add secret" in line:
            assert "--from-literal" not in line


def test_shell_completion_script() -> None:
    code, stdout, _ = invoke("--show-completion", "bash")
    assert code == 0
    assert "_KGEN_COMPLETE" in stdout


def test_edit_add_secret_never_echoes_the_literal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kustomization.yaml").write_text("# mine\nresources: []\n")
    code, stdout, stderr = invoke(
        "edit", "add", "secret", "db", "--from-literal", f"password={SECRET}"
    )
    assert (code, stdout) == (0, "")
    assert stderr == "kgen: updated kustomization.yaml: secretGenerator[db]\n"
    assert (tmp_path / "kustomization.yaml").read_text() == (
        f"# mine\nresources: []\nsecretGenerator:\n- name: db\n  literals:\n  - password={SECRET}\n"
    )
    code, stdout, stderr = invoke("edit", "add", "secret", "db", "--from-literal", SECRET)
    assert (code, stdout) == (1, "")
    assert SECRET not in stderr
    assert stderr.startswith("kgen: error: kustomization.yaml: secretGenerator[db]: ")
    code, _, stderr = invoke("edit", "add", "secret", "db", "--from-literal", "password=x")
    assert code == 1
    assert stderr == (
        'kgen: error: kustomization.yaml: secretGenerator[db]: key "password" already exists '
        "(use --force to replace it)\n"
    )
    assert invoke("edit", "add", "secret", "db", "--from-literal", "password=x", "--force")[0] == 0
    assert invoke("edit", "add", "configmap", "c", "--behavior", "sideways")[0] == 2


def test_edit_add_load_restrictor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (tmp_path / "host.env").write_text(f"PASSWORD={SECRET}\n")
    (work / "kustomization.yaml").write_text(
        "configMapGenerator:\n- name: c\n  envs: [../host.env]\n"
    )
    args = ("edit", "add", "configmap", "c", "--from-literal", "mode=x")
    assert invoke(*args) == (
        1,
        "",
        (
            "kgen: error: kustomization.yaml: configMapGenerator[c].envs[0]: "
            f"{tmp_path}/host.env is outside the kustomization root . (use --load-restrictor "
            "LoadRestrictionsNone to allow it)\n"
        ),
    )
    assert invoke(*args, "--load-restrictor", "LoadRestrictionsNone") == (
        0,
        "",
        "kgen: updated kustomization.yaml: configMapGenerator[c]\n",
    )
    code, stdout, stderr = invoke(*args, "--load-restrictor", "none")
    assert (code, stdout) == (2, "")
    assert "must be LoadRestrictionsRootOnly or LoadRestrictionsNone" in stderr


@pytest.mark.parametrize("kind", ["secret", "configmap"])
def test_edit_add_extra_arguments_are_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kustomization.yaml").write_text("resources: []\n")
    assert invoke("edit", "add", kind, "db", f"password={SECRET}", "--immutable", "x") == (
        2,
        "",
        (
            "kgen: error: 2 unexpected argument(s) after NAME, not shown (one may be a secret "
            "value); give literals as --from-literal KEY=VALUE\n"
        ),
    )
    assert (tmp_path / "kustomization.yaml").read_text() == "resources: []\n"


class _FullDisk(io.StringIO):
    def close(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_output_on_a_full_disk_is_a_write_error_and_leaves_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "out.yaml").write_text("previous\n")
    real_fdopen = os.fdopen

    def full_disk(handle: int, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        if "w" not in mode:
            return real_fdopen(handle, mode, *args, **kwargs)
        real_fdopen(handle).close()
        return _FullDisk()

    monkeypatch.setattr(os, "fdopen", full_disk)
    assert invoke("build", "-o", "out.yaml") == (
        1,
        "",
        "kgen: error: out.yaml: cannot write: No space left on device\n",
    )
    assert (project / "out.yaml").read_text() == "previous\n"
    assert sorted(p.name for p in project.iterdir()) == ["kustomization.yaml", "out.yaml"]


def test_output_onto_a_fifo_is_refused(project: Path) -> None:
    os.mkfifo(project / "out.yaml")
    assert invoke("build", "-o", "out.yaml") == (
        1,
        "",
        "kgen: error: out.yaml: cannot write: not a regular file\n",
    )
    assert (project / "out.yaml").is_fifo()
    assert sorted(p.name for p in project.iterdir()) == ["kustomization.yaml", "out.yaml"]


def test_output_below_a_file_is_refused(project: Path) -> None:
    (project / "plain").write_text("x\n")
    assert invoke("build", "-o", "plain/sub/out.yaml") == (
        1,
        "",
        "kgen: error: plain/sub/out.yaml: cannot write: a path above it is not a directory\n",
    )
    assert sorted(p.name for p in project.iterdir()) == ["kustomization.yaml", "plain"]


KUBECTL = shutil.which("kubectl")
_KINDS = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
    "spec:\n  template:\n    metadata:\n      labels:\n        app: web\n"
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    tier: front\n"
    "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n"
)


def _kustomize_with(tmp_path: Path, extra: str, *flags: str) -> str:
    """What kubectl kustomize prints for the same tree with ``extra`` in its kustomization."""
    assert KUBECTL is not None
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [r.yaml]\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\n" + extra
    )
    result = subprocess.run(
        [KUBECTL, "kustomize", str(tmp_path), *flags], capture_output=True, text=True, check=True
    )
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [r.yaml]\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\n"
    )
    return result.stdout


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_reorder_none_is_kustomize_input_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--reorder none`` prints what kustomize prints with it: input order."""
    (tmp_path / "r.yaml").write_text(_KINDS)
    expected = _kustomize_with(tmp_path, "sortOptions:\n  order: fifo\n")
    assert expected == _kustomize_with(tmp_path, "", "--reorder", "none")
    monkeypatch.chdir(tmp_path)
    assert invoke("build", "--hash", "kustomize", "--reorder", "none") == (0, expected, "")
    legacy = _kustomize_with(tmp_path, "")
    assert legacy != expected
    assert invoke("build", "--hash", "kustomize", "--reorder", "legacy") == (0, legacy, "")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_sort_options_win_over_reorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.yaml").write_text(_KINDS)
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [r.yaml]\nsortOptions:\n  order: legacy\n"
    )
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = invoke("build", "--reorder", "none")
    assert code == 0
    assert stdout.startswith("apiVersion: v1\nkind: Namespace\n")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_enable_managedby_label_is_kustomizes_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The label kubectl kustomize's flag adds, on every object's metadata only."""
    assert KUBECTL is not None
    (tmp_path / "r.yaml").write_text(_KINDS)
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [r.yaml]\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\n"
    )
    expected = subprocess.run(
        [KUBECTL, "kustomize", str(tmp_path), "--enable-managedby-label"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert expected.count("app.kubernetes.io/managed-by: kustomize-(devel)") == 4
    monkeypatch.chdir(tmp_path)
    assert invoke("build", "--hash", "kustomize", "--enable-managedby-label") == (0, expected, "")


def test_version_command() -> None:
    assert invoke("version") == (0, f"kgen {__version__}\n", "")


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F _kgen_completion kgen"),
        ("zsh", "#compdef kgen"),
        ("fish", "complete --command kgen"),
    ],
)
def test_completion_prints_the_named_shells_script(shell: str, marker: str) -> None:
    code, stdout, stderr = invoke("completion", shell)
    assert (code, stderr) == (0, "")
    assert marker in stdout


def test_completion_of_an_unknown_shell_is_a_usage_error() -> None:
    code, _, stderr = invoke("completion", "ksh")
    assert code == 2
    assert "must be one of bash, zsh, fish" in stderr


@pytest.mark.parametrize(
    ("flag", "offered"),
    [
        ("--hash", ["xxhash", "kustomize"]),
        ("--load-restrictor", ["LoadRestrictionsRootOnly", "LoadRestrictionsNone"]),
        ("--allow", ["secret-key", "configmap-key"]),
    ],
)
def test_completion_offers_the_values_of_a_flag(flag: str, offered: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kgen"],
        env={
            **os.environ,
            "_KGEN_COMPLETE": "complete_bash",
            "COMP_WORDS": f"kgen build {flag} ",
            "COMP_CWORD": "3",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split()[: len(offered)] == offered
