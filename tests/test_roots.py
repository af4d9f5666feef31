from __future__ import annotations

from pathlib import Path

from kgen.loader import Loader
from kgen.roots import find_roots


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_find_roots_skips_included_bases_and_hidden_directories(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "base/kustomization.yaml": "resources: []\n",
            "overlays/prod/kustomization.yaml": "resources: [../../base]\n",
            "overlays/dev/Kustomization": "resources: [../../base]\n",
            "components/shared/kustomization.yml": "resources: []\n",
            "apps/a/kustomization.yaml": "resources: [sub]\n",
            "apps/a/sub/kustomization.yaml": "resources: []\n",
            ".git/kustomization.yaml": "resources: []\n",
            "remote/kustomization.yaml": "resources:\n- https://example.com/x.yaml\n",
        },
    )
    roots = find_roots(tmp_path, Loader())
    assert [root.relative_to(tmp_path).as_posix() for root in roots] == [
        "apps/a",
        "components/shared",
        "overlays/dev",
        "overlays/prod",
        "remote",
    ]


def test_find_roots_top_level_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"kustomization.yaml": "resources: [app]\n", "app/kustomization.yaml": "resources: []\n"},
    )
    assert find_roots(tmp_path, Loader()) == [tmp_path]


def test_find_roots_skips_other_projects_trees_and_excluded_globs(tmp_path: Path) -> None:
    names = [
        "apps/web",
        "apps/legacy-api",
        "apps/web/testdata/case",
        "node_modules/pkg/deploy",
        "tools/vendor/lib",
        "examples/demo",
    ]
    write(tmp_path, {f"{name}/kustomization.yaml": "resources: []\n" for name in names})
    every = find_roots(tmp_path, Loader())
    assert [root.relative_to(tmp_path).as_posix() for root in every] == [
        "apps/legacy-api",
        "apps/web",
        "apps/web/testdata/case",
        "examples/demo",
    ]
    kept = find_roots(tmp_path, Loader(), ("examples", "apps/legacy-*", "*/testdata/"))
    assert [root.relative_to(tmp_path).as_posix() for root in kept] == ["apps/web"]


def test_find_roots_skips_plugin_config_directories(tmp_path: Path) -> None:
    """A directory listed in transformers:/generators:/validators: is built into configs for
    the kustomization listing it, not a root of its own."""
    write(
        tmp_path,
        {
            "app/kustomization.yaml": (
                "resources: []\ntransformers: [../configs]\ngenerators:\n- ../gens\n"
                "validators:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n"
                f"  metadata:\n    name: {'v' * 300}\n"
            ),
            "configs/kustomization.yaml": "resources: []\n",
            "gens/kustomization.yaml": "resources: []\n",
        },
    )
    assert find_roots(tmp_path, Loader()) == [tmp_path / "app"]


def test_find_roots_skips_listed_components(tmp_path: Path) -> None:
    """A component another kustomization lists is no root; one nobody lists builds alone."""
    component = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
    write(
        tmp_path,
        {
            "app/kustomization.yaml": "components: [../components/used]\n",
            "components/used/kustomization.yaml": component + "namePrefix: u-\n",
            "components/unused/kustomization.yaml": component + "namePrefix: n-\n",
        },
    )
    roots = find_roots(tmp_path, Loader())
    assert [root.relative_to(tmp_path).as_posix() for root in roots] == [
        "app",
        "components/unused",
    ]
