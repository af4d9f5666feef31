"""The hash a build uses: --hash, else KGEN_HASH, else the repository's .kgen.toml, else xxhash."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgen.errors import KgenError
from kgen.settings import Settings, UsageError, read_settings


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "apps" / "web").mkdir(parents=True)
    return tmp_path


def test_without_settings_the_hash_is_xxhash(repo: Path) -> None:
    assert Settings({}).hash_for(repo / "apps" / "web", None) == "xxhash"


def test_the_nearest_settings_file_up_to_the_repository_top_sets_it(repo: Path) -> None:
    (repo / ".kgen.toml").write_text('hash = "kustomize"\n')
    settings = Settings({})
    assert settings.hash_for(repo / "apps" / "web", None) == "kustomize"
    assert settings.settings_file(repo / "apps") == repo / ".kgen.toml"
    (repo / "apps" / ".kgen.toml").write_text("# no hash here\n")
    assert Settings({}).hash_for(repo / "apps" / "web", None) == "xxhash"


def test_a_settings_file_above_the_repository_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".kgen.toml").write_text('hash = "kustomize"\n')
    inner = tmp_path / "checkout"
    (inner / ".git").mkdir(parents=True)
    assert Settings({}).settings_file(inner) is None
    assert Settings({}).hash_for(inner, None) == "xxhash"


def test_the_command_line_wins_then_the_environment(repo: Path) -> None:
    (repo / ".kgen.toml").write_text('hash = "kustomize"\n')
    assert Settings({"KGEN_HASH": "xxhash"}).hash_for(repo, None) == "xxhash"
    assert Settings({"KGEN_HASH": "kustomize"}).hash_for(repo, "xxhash") == "xxhash"
    assert Settings({"KGEN_HASH": ""}).hash_for(repo, None) == "kustomize"


def test_an_unknown_environment_value_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as error:
        Settings({"KGEN_HASH": "sha1"})
    assert (str(error.value), error.value.exit_code) == (
        "KGEN_HASH: must be xxhash or kustomize",
        2,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('hash = "md5"\n', "hash: must be xxhash or kustomize"),
        ("hash = 1\n", "hash: must be xxhash or kustomize"),
        ('hsh = "kustomize"\n', 'unknown setting "hsh"; kgen reads: hash'),
        ("hash = \n", "not a TOML file: Invalid value (at line 1, column 8)"),
    ],
)
def test_a_bad_settings_file_is_an_error_naming_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".kgen.toml").write_text(text)
    with pytest.raises(KgenError) as error:
        read_settings(repo / ".kgen.toml")
    assert str(error.value) == f".kgen.toml: {message}"


def test_each_directory_is_looked_at_once_per_run(repo: Path) -> None:
    settings = Settings({})
    (repo / ".kgen.toml").write_text('hash = "kustomize"\n')
    assert settings.hash_for(repo / "apps" / "web", None) == "kustomize"
    (repo / ".kgen.toml").unlink()
    assert settings.hash_for(repo / "apps", None) == "kustomize"  # remembered for this run
