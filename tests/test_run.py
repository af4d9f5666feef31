"""The typer-free fast path for plain ``kgen build`` agrees with the typer app."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgen import run
from kgen.cli import app
from kgen.options import BUILD_OPTIONS, BuildRequest, refused_flag
from kgen.run import parse_build

VALID = [
    ["build"],
    ["build", "a", "b"],
    ["build", "--hash", "kustomize", "a"],
    ["build", "a", "-o", "out.yaml", "--quiet"],
    ["build", "--all", "overlays", "--strict", "--allow", "env-quotes", "--allow", "secret-key"],
    ["build", "--check", "rendered.yaml", "--no-validate", "-q"],
    ["build", "--load-restrictor", "LoadRestrictionsNone", "--output", "o", "x"],
    ["build", "--hash", "xxhash", "--hash", "kustomize"],
    ["build", "--reorder", "none", "--enable-managedby-label", "a"],
    ["build", "--reorder", "legacy"],
]
FALLBACK = [
    ["build", "--help"],
    ["build", "-h"],
    ["build", "--hash=kustomize"],
    ["build", "--hash", "md5"],
    ["build", "--allow", "nope"],
    ["build", "--load-restrictor", "x"],
    ["build", "--reorder", "fifo"],
    ["build", "a", "--all", "b"],
    ["build", "-o", "x", "--check", "y"],
    ["build", "--hash"],
    ["build", "--frobnicate"],
    ["build", "--", "a"],
    ["edit", "add", "secret", "s"],
    ["--version"],
    [],
]


def _typer_request(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> BuildRequest | None:
    seen: list[BuildRequest] = []

    def capture(request: BuildRequest) -> int:
        seen.append(request)
        return 0

    monkeypatch.setattr(run, "run_build", capture)
    result = CliRunner().invoke(app, argv)
    return seen[0] if seen and result.exit_code == 0 else None


@pytest.mark.parametrize("argv", VALID, ids=[" ".join(a) for a in VALID])
def test_fast_path_parses_as_typer_does(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_build(argv)
    assert fast is not None
    assert fast == _typer_request(argv, monkeypatch)


@pytest.mark.parametrize("argv", FALLBACK, ids=[" ".join(a) or "(none)" for a in FALLBACK])
def test_everything_else_goes_to_typer(argv: list[str]) -> None:
    assert parse_build(argv) is None


def test_parsed_values() -> None:
    assert parse_build(["build", "--all", "o", "--allow", "env-quotes", "--no-validate"]) == (
        BuildRequest(all_under=Path("o"), allow=("env-quotes",), validate=False)
    )


def test_parsed_choices_are_typed_values() -> None:
    request = parse_build(["build", "--reorder", "none", "--hash", "kustomize"])
    assert request == BuildRequest(reorder="none", hash_mode="kustomize")


def test_every_option_is_in_both_parsers() -> None:
    """Both parsers come from one table: typer's help lists every option of it."""
    result = CliRunner().invoke(app, ["build", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in BUILD_OPTIONS:
        for name in option.names:
            assert name in result.output


def test_a_bad_choice_is_the_same_usage_error_on_both_paths() -> None:
    result = CliRunner().invoke(app, ["build", "--reorder", "fifo"])
    assert result.exit_code == 2
    assert "Invalid value for --reorder: must be legacy or none" in result.output


def test_plain_build_does_not_import_typer(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "configMapGenerator:\n- name: c\n  literals: [a=b]\n"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kgen", "build", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\n")
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert "kgen.pipeline" in imported
    assert "typer" not in imported


_MODULES_AFTER_BUILD = """
import sys
from kgen import run
assert run.run_build(run.parse_build(["build", "-q", sys.argv[1]])) == 0
print("\\n".join(sorted(sys.modules)))
"""


def _imported(tmp_path: Path, kustomization: str) -> list[str]:
    """The modules a build of ``kustomization`` has imported when it ends (``sys.modules``:
    ``-X importtime`` does not see what ``importlib.import_module`` imports)."""
    (tmp_path / "kustomization.yaml").write_text(kustomization)
    result = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER_BUILD, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


_START_UP_FREE = (
    "dataclasses",
    "inspect",
    "pickle",
    "decimal",
    "tempfile",
    "tomllib",
    "kgen.sops",
    "kgen.transformers.patches",
    "kgen.transformers.replacements",
    "kgen.transformers.images",
    "kgen.transformers.labels",
    "kgen.transformers.replicas",
    "kgen.transformers.namespace",
    "kgen.transformers.affix",
)
"""What a small build without transformers has no use for, so does not import (start-up)."""


def test_a_small_build_imports_only_what_it_uses(tmp_path: Path) -> None:
    imported = _imported(tmp_path, "secretGenerator:\n- name: s\n  literals: [a=b]\n")
    assert [module for module in _START_UP_FREE if module in imported] == []


_EVERY_TRANSFORMER = """\
resources: [deployment.yaml]
secretGenerator:
- name: s
  literals: [a=b]
namespace: apps
namePrefix: p-
commonLabels: {app: web}
images:
- name: nginx
  newTag: "1.27"
replicas:
- name: web
  count: 2
patches:
- patch: |-
    - op: add
      path: /spec/paused
      value: false
  target: {kind: Deployment}
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec: {minReadySeconds: 5}
replacements:
- source: {kind: Secret, name: s}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.annotations.secret]
    options: {create: true}
"""


def test_transformers_do_not_import_dataclasses_or_hashlib(tmp_path: Path) -> None:
    """A build using the transformers of most kustomizations (their modules imported) still
    leaves out what costs start-up and they have no use for; ``--hash kustomize`` too."""
    (tmp_path / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n"
        "    spec:\n      containers: [{name: c, image: nginx}]\n"
    )
    (tmp_path / "kustomization.yaml").write_text(_EVERY_TRANSFORMER)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _MODULES_AFTER_BUILD.replace('"-q"', '"-q", "--hash", "kustomize"'),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported = result.stdout.splitlines()
    used = ["patches", "replacements", "images", "labels", "replicas", "namespace", "affix"]
    assert [m for m in used if f"kgen.transformers.{m}" not in imported] == []
    assert [m for m in ("dataclasses", "inspect", "hashlib") if m in imported] == []


def test_a_transformer_is_imported_when_a_kustomization_uses_it(tmp_path: Path) -> None:
    imported = _imported(
        tmp_path, "configMapGenerator:\n- name: c\n  literals: [a=b]\nnamespace: apps\n"
    )
    assert "kgen.transformers.namespace" in imported
    assert "kgen.transformers.patches" not in imported


def test_closed_stdout_is_a_clean_error(tmp_path: Path) -> None:
    literals = "".join(f"  - key{i}={'v' * 200}\n" for i in range(1000))
    (tmp_path / "kustomization.yaml").write_text(
        f"configMapGenerator:\n- name: big\n  literals:\n{literals}"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "kgen", "build", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader goes away before kgen writes
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr == b"kgen: error: stdout was closed before the whole stream was written\n"


SMALL = "configMapGenerator:\n- name: c\n  literals: [a=b]\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [[], ["--check", "expected.yaml"]], ids=["build", "check-diff"])
def test_full_stdout_is_a_write_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "configMapGenerator:\n- name: c\n  literals: [a=b]\n"
    )
    (tmp_path / "expected.yaml").write_text("other\n")
    with Path("/dev/full").open("wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "kgen", "build", str(tmp_path), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            cwd=tmp_path,
        )
    # a check that cannot print its diff could not be made: 2, not "stale"
    assert (result.returncode, result.stderr) == (
        2 if args else 1,
        b"kgen: error: stdout: cannot write the output: No space left on device\n",
    )


def _close_stdout() -> None:
    os.close(1)


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "typer"])
def test_stdout_closed_from_the_start_is_a_write_error(tmp_path: Path, fast: bool) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "configMapGenerator:\n- name: c\n  literals: [a=b]\n"
    )
    # ``--load-restrictor=...`` is a form only typer parses.
    extra = [] if fast else ["--load-restrictor=LoadRestrictionsRootOnly"]
    result = subprocess.run(
        [sys.executable, "-m", "kgen", "build", str(tmp_path), *extra],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        close_fds=True,
        preexec_fn=_close_stdout,
    )
    assert (result.returncode, result.stderr) == (
        1,
        b"kgen: error: stdout: cannot write the output: stdout is closed\n",
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["-h"]])
def test_version_and_help_on_a_failing_stdout_are_one_line_errors(argv: list[str]) -> None:
    """The fast ``--version`` and ``--help`` report a closed or full stdout as a build does:
    one line, exit 1, no traceback."""
    closed = subprocess.run(
        [sys.executable, "-m", "kgen", *argv],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        close_fds=True,
        preexec_fn=_close_stdout,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert (closed.returncode, closed.stderr) == (
        1,
        b"kgen: error: stdout: cannot write the output: stdout is closed\n",
    )
    with Path("/dev/full").open("wb") as full:
        failed = subprocess.run(
            [sys.executable, "-m", "kgen", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            env={**os.environ, "COLUMNS": "80"},
        )
    assert (failed.returncode, failed.stderr) == (
        1,
        b"kgen: error: stdout: cannot write the output: No space left on device\n",
    )


@pytest.mark.parametrize("argv", [["--version"], ["version"]])
def test_version_is_printed_without_importing_typer(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kgen", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    from kgen import __version__

    assert (result.returncode, result.stdout) == (0, f"kgen {__version__}\n")
    assert "typer" not in result.stderr


def _typer_help(columns: int) -> str:
    """``kgen --help`` as typer prints it on a terminal ``columns`` wide."""
    code = (
        "import sys; from kgen.cli import app; sys.argv = ['kgen', '--help']; app(prog_name='kgen')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": str(columns)},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_pre_rendered_top_help_is_typers() -> None:
    """``kgen/data/help.txt`` is what typer prints 80 columns wide or wider (regenerate it
    with ``scripts/gen_help.py``)."""
    text = run.TOP_HELP.read_text(encoding="utf-8")
    assert text.startswith("Usage: kgen [OPTIONS] COMMAND [ARGS]...\n")
    assert _typer_help(80) == text
    assert _typer_help(200) == text


@pytest.mark.parametrize("argv", [["--help"], ["-h"]])
def test_top_help_is_printed_without_typer(argv: list[str]) -> None:
    """``kgen --help`` prints the pre-rendered text without importing typer (as fast as
    ``--version``), unless the terminal is narrower than 80 columns, where typer wraps it."""
    for columns, typer in ((80, False), (120, False), (60, True)):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "kgen", *argv],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": str(columns)},
        )
        assert result.returncode == 0
        imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
        assert ("typer" in imported) == typer
        assert result.stdout == (_typer_help(60) if typer else run.TOP_HELP.read_text())


@pytest.mark.parametrize("argv", [["build", "--help"], ["edit", "--help"]])
def test_help_does_not_import_the_build(argv: list[str]) -> None:
    """Help costs what typer costs, not the build's modules (as fast as a small build)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kgen", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: kgen ")
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "typer" in imported
    heavy = {"kgen.kustomization", "kgen.pipeline", "kgen.yamlio", "kgen.transformers", "rich"}
    assert not imported & heavy


def test_check_without_its_value_says_what_it_needs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kgen", "build", "--strict", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "kgen: error: --check: needs the rendered file or directory to compare with, then the "
        "roots to build: kgen build --check rendered.yaml overlays/prod, or --check rendered/ "
        "--all . (the kgen-check pre-commit hook takes them as its args: args: [rendered.yaml, "
        "overlays/prod])\n"
    )


HELM = (
    "kgen does not run programs named by a kustomization: it runs no helm (render the chart and "
    "list its output in resources)"
)
PLUGINS = (
    "kgen does not run programs named by a kustomization (exec, container or Go plugins, KRM "
    "functions); only kustomize's builtin plugin configs (apiVersion: builtin) are supported"
)


@pytest.mark.parametrize(
    ("argv", "flag", "reason"),
    [
        (["build", "--enable-helm", "."], "--enable-helm", HELM),
        (["build", ".", "--helm-command=/usr/bin/helm"], "--helm-command", HELM),
        (["build", "--enable-alpha-plugins"], "--enable-alpha-plugins", PLUGINS),
        (["build", "--enable-exec", "."], "--enable-exec", PLUGINS),
        (["build", "--mount", "x", "."], "--mount", PLUGINS),
        (["build", "-e", "A=B"], "-e", PLUGINS),
    ],
    ids=["enable-helm", "helm-command", "alpha-plugins", "exec", "mount", "env"],
)
def test_kustomize_flags_that_run_programs_are_usage_errors(
    argv: list[str],
    flag: str,
    reason: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Refused with why, exiting as an unknown flag does (2, a usage error)."""
    monkeypatch.setattr(sys, "argv", ["kgen", *argv])
    with pytest.raises(SystemExit) as info:
        run.main()
    assert info.value.code == run.EXIT_USAGE == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"kgen: error: {flag}: {reason}\n"


@pytest.mark.parametrize(
    "argv",
    [["edit", "--enable-helm"], ["build", "--", "--enable-helm"], ["build", "--enable-helmx"]],
    ids=["not-build", "after-dashes", "other-flag"],
)
def test_refused_flag_only_in_build_options(argv: list[str]) -> None:
    assert refused_flag(argv) is None


@pytest.mark.parametrize(
    "root",
    ["https://github.com/kubernetes-sigs/kustomize//examples/helloWorld", "github.com/a/b"],
    ids=["url", "github"],
)
def test_remote_roots_are_refused(
    root: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["build", root])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"kgen: error: {Path(root)}: remote kustomizations (URLs, git) are not supported by "
        "kgen: it fetches nothing from the network\n"
    )


def _roots(tmp_path: Path, count: int, broken: tuple[int, ...] = ()) -> list[str]:
    """``count`` small roots (``root-0`` ...), those in ``broken`` with an invalid literal."""
    names = []
    for index in range(count):
        root = tmp_path / f"root-{index}"
        root.mkdir()
        literal = "no-equals-sign" if index in broken else f"k=v{index}"
        (root / "kustomization.yaml").write_text(
            f"secretGenerator:\n- name: s{index}\n  literals: [{literal}]\n"
        )
        names.append(str(root))
    return names


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_roots_built_on_both_cores_make_the_one_core_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    roots = _roots(tmp_path, 7)
    request = parse_build(["build", "--hash", "kustomize", *roots])
    assert request is not None
    monkeypatch.setattr(run, "PARALLEL_ROOTS", 2)
    assert run.run_build(request) == 0
    parallel = capsys.readouterr()
    monkeypatch.setattr(run, "PARALLEL_ROOTS", 1000)
    assert run.run_build(request) == 0
    serial = capsys.readouterr()
    assert parallel == serial
    assert re.findall(r"name: (s\d+)-", serial.out) == [f"s{index}" for index in range(7)]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_errors_of_roots_built_on_both_cores_come_in_the_roots_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    roots = _roots(tmp_path, 6, broken=(1, 2, 5))
    request = parse_build(["build", *roots])
    assert request is not None
    monkeypatch.setattr(run, "PARALLEL_ROOTS", 2)
    assert run.run_build(request) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"kgen: error: {roots[index]}/kustomization.yaml: secretGenerator[s{index}]"
        ".literals[0]: expected key=value"
        for index in (1, 2, 5)
    ]
