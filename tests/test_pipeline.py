from __future__ import annotations

from pathlib import Path

import pytest

from kgen.errors import KgenError, KustomizationError, LoadError
from kgen.pipeline import Build, BuildOptions, build

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root: Path, monkeypatch: pytest.MonkeyPatch, target: str = ".", **options: object) -> Build:
    monkeypatch.chdir(root)
    return build(Path(target), BuildOptions(hash_mode="kustomize", **options))  # type: ignore[arg-type]


def error(root: Path, monkeypatch: pytest.MonkeyPatch, target: str = ".") -> str:
    with pytest.raises(KgenError) as info:
        run(root, monkeypatch, target)
    return str(info.value)


def test_build_returns_manifests_in_order_and_no_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": (
                "resources: [cm.yaml]\nsecretGenerator:\n- name: s\n  literals: [a=b]\n"
            ),
            "cm.yaml": CM.format(name="z"),
        },
    )
    result = run(tmp_path, monkeypatch)
    assert [(m["kind"], m["metadata"]["name"]) for m in result.manifests] == [
        ("ConfigMap", "z"),
        ("Secret", "s-k695gkmbtk"),
    ]
    assert result.findings == []


def test_cycle_names_the_closing_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "a/kustomization.yaml": "resources: [../b]\n",
            "b/kustomization.yaml": "resources: [../c]\n",
            "c/kustomization.yaml": "resources: [../b]\n",
        },
    )
    assert error(tmp_path, monkeypatch, "a") == (
        "c/kustomization.yaml: resources[0]: kustomization cycle: b -> c -> b"
    )


def test_including_an_ancestor_is_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "x/kustomization.yaml": "resources: [app]\n",
            "x/app/kustomization.yaml": "resources: [..]\n",
        },
    )
    assert error(tmp_path, monkeypatch, "x/app") == (
        "x/app/kustomization.yaml: resources[0]: kustomization cycle: x contains x/app, "
        "which is being built"
    )


def test_absolute_base_directory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "base/kustomization.yaml": "resources: [cm.yaml]\n",
            "base/cm.yaml": CM.format(name="a"),
            "top/kustomization.yaml": f"resources: [{tmp_path / 'base'}]\n",
        },
    )
    assert error(tmp_path, monkeypatch, "top") == (
        "top/kustomization.yaml: resources[0]: a kustomization directory must be given as a "
        "relative path"
    )


def test_absolute_file_inside_the_root_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": f"resources: [{tmp_path / 'cm.yaml'}]\n",
            "cm.yaml": CM.format(name="a"),
        },
    )
    assert [m["metadata"]["name"] for m in run(tmp_path, monkeypatch).manifests] == ["a"]


def test_component_in_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [c]\n",
            "c/kustomization.yaml": "kind: Component\nconfigMapGenerator: [{name: a}]\n",
        },
    )
    with pytest.raises(KustomizationError) as info:
        run(tmp_path, monkeypatch)
    assert str(info.value) == "c/kustomization.yaml: kind: Component cannot be listed in resources"


@pytest.mark.parametrize(
    "entry",
    [
        "https://example.com/app.yaml",
        "github.com/org/repo//base?ref=v1",
        "git@github.com:org/repo.git//base",
        "git::https://example.com/repo.git",
    ],
)
def test_remote_resources_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    write(tmp_path, {"kustomization.yaml": f"resources:\n- {entry}\n"})
    with pytest.raises(LoadError) as info:
        run(tmp_path, monkeypatch)
    assert str(info.value) == (
        "kustomization.yaml: resources[0]: remote resources (URLs, git) are not supported by kgen"
    )


def test_missing_resource(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"kustomization.yaml": "resources: [nope.yaml]\n"})
    assert error(tmp_path, monkeypatch) == (
        "kustomization.yaml: resources[0]: no such file or directory: nope.yaml"
    )


def test_duplicate_id_across_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [a.yaml, b.yaml]\n",
            "a.yaml": CM.format(name="x"),
            "b.yaml": CM.format(name="x").replace("k: v", "k: w"),
        },
    )
    assert error(tmp_path, monkeypatch) == (
        "b.yaml: document 1 (ConfigMap x): already defined by a.yaml: document 1 (ConfigMap x)"
    )


def test_local_config_dropped_and_child_sort_options_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = CM.format(name="l").replace(
        "name: l", 'name: l\n  annotations:\n    config.kubernetes.io/local-config: "true"'
    )
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [child]\n",
            "child/kustomization.yaml": "resources: [r.yaml]\nsortOptions: {order: fifo}\n",
            "child/r.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\n"
            + CM.format(name="c")
            + "---\n"
            + local,
        },
    )
    kinds = [m["kind"] for m in run(tmp_path, monkeypatch).manifests]
    assert kinds == ["ConfigMap", "Deployment"]


def test_validation_off_reports_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path, {"kustomization.yaml": "secretGenerator:\n- name: s\n  literals: ['bad key=v']\n"}
    )
    assert [f.rule for f in run(tmp_path, monkeypatch).findings] == ["secret-key"]
    assert run(tmp_path, monkeypatch, validate=False).findings == []


def _fanout(name: str) -> str:
    """A resource whose aliases expand to about 680,000 nodes: within the limits alone."""
    lines = [CM.format(name=name) + "spec:", "  a: &a [" + ", ".join("n" * 10) + "]"]
    for prev, cur in zip("abcd", "bcde", strict=True):
        lines.append(f"  {cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines.append("  f: [*e, *e, *e, *e, *e]")
    return "\n".join(lines) + "\n"


def test_alias_expansion_budget_holds_for_the_whole_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (each file alone is within the limits: tests/test_yamlio.py)
    write(
        tmp_path / "two",
        {
            "kustomization.yaml": "resources: [a.yaml, base]\n",
            "a.yaml": _fanout("a"),
            "base/kustomization.yaml": "resources: [b.yaml]\n",
            "base/b.yaml": _fanout("b"),
        },
    )
    message = error(tmp_path / "two", monkeypatch)
    assert message == "base/b.yaml: line 13, column 11: alias expansion too large"
