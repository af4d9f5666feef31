"""The one loader: the restrictor, each build's budget, each kustomization parsed once a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgen import kustomization, loader, yamlio
from kgen.errors import KgenError, KustomizationError, LoadError
from kgen.fieldspecs import FieldSpec
from kgen.loader import Loader


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_kustomization_yaml_11_bool_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"kustomization.yaml": "secretGenerator:\n- name: y\n  literals: [a=b]\n"})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KustomizationError) as info:
        Loader().reader().kustomization(Path(), ".")
    assert str(info.value) == (
        "kustomization.yaml: secretGenerator[0]: name: expected a string, got a boolean"
    )


def test_empty_kustomization_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, {"kustomization.yaml": ""})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KustomizationError) as info:
        Loader().reader().kustomization(Path(), ".")
    assert str(info.value) == "kustomization.yaml: kustomization is empty"


def test_each_kustomization_is_parsed_once_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The root search, the prefetch walk and every build share one parse of each file."""
    _write(
        tmp_path,
        {
            "a/kustomization.yaml": "resources: [../base]\n",
            "b/kustomization.yaml": "resources: [../base]\n",
            "base/kustomization.yaml": "resources: [cm.yaml]\n",
            "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    parsed: list[str] = []
    real = kustomization.parse_kustomization

    def counting(data: object, path: Path, where: str) -> kustomization.Kustomization:
        parsed.append(where)
        return real(data, path, where)

    monkeypatch.setattr(kustomization, "parse_kustomization", counting)
    files = Loader()
    files.prefetch([Path("a"), Path("b")])
    for root in ("a", "b"):
        reader = files.reader()
        reader.kustomization(Path(root), root)
        reader.kustomization(Path("base"), "base")
    assert sorted(parsed) == [
        "a/kustomization.yaml",
        "b/kustomization.yaml",
        "base/kustomization.yaml",
    ]


def test_every_use_of_a_parsed_file_is_charged_to_its_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"kustomization.yaml": "resources: [r.yaml]\nnamePrefix: p-\n"})
    monkeypatch.chdir(tmp_path)
    files = Loader()
    first, second = files.reader(), files.reader()
    first.kustomization(Path(), ".")
    second.kustomization(Path(), ".")
    assert (first.nodes.parsed, first.nodes.expanded) == (second.nodes.parsed, 0)
    assert first.nodes.parsed > 0
    assert first.bytes.spent == second.bytes.spent == len("resources: [r.yaml]\nnamePrefix: p-\n")


def test_charging_past_the_expansion_limit_fails_the_build() -> None:
    nodes = yamlio.Budget()
    nodes.charge(10, 1_000_000, "a.yaml")
    with pytest.raises(LoadError) as info:
        nodes.charge(0, 1, "b.yaml")
    assert str(info.value) == "b.yaml: alias expansion too large (over the files of this build)"


def test_configuration_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(
        tmp_path,
        {
            "conf.yaml": "nameReference:\n- kind: Secret\n  fieldSpecs:\n"
            "  - {kind: Certificate, path: spec/secretName}\n"
            "namespace:\n- {kind: Application, path: spec/destination/namespace}\n",
            "bad.yaml": "nameReferences: []\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    reader = Loader().reader()
    config = reader.configuration(Path(), "conf.yaml", "k.yaml: configurations[0]")
    assert config.namespace == (
        FieldSpec("", "", "Application", ("spec", "destination", "namespace")),
    )
    assert [ref.target.kind for ref in config.name_references] == ["Secret"]
    with pytest.raises(KustomizationError) as info:
        reader.configuration(Path(), "bad.yaml", "k.yaml: configurations[1]")
    assert (
        str(info.value)
        == 'bad.yaml: configuration: unknown field "nameReferences" (did you mean "nameReference"?)'
    )
    with pytest.raises(LoadError) as missing:
        reader.configuration(Path(), "none.yaml", "k.yaml: configurations[2]")
    assert str(missing.value) == "k.yaml: configurations[2]: no such file: none.yaml"


def test_every_kind_of_read_meets_the_restrictor_with_one_wording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"outside.yaml": "a: b\n", "app/kustomization.yaml": "resources: []\n"})
    monkeypatch.chdir(tmp_path)
    reader = Loader().reader()
    expected = (
        "k: outside.yaml is outside the kustomization root app "
        "(use --load-restrictor LoadRestrictionsNone to allow it)"
    )
    for read in (reader.resources, reader.source, reader.configuration):
        with pytest.raises(LoadError) as info:
            read(Path("app"), "../outside.yaml", "k")
        assert str(info.value) == expected
    lifted = Loader(restrict=False).reader()
    assert lifted.source(Path("app"), "../outside.yaml", "k") == b"a: b\n"


def test_base_directory_keeps_paths_short_unless_a_symlink_says_otherwise(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert loader.base_directory(tmp_path / "a" / "b" / "..") == tmp_path / "a"
    (tmp_path / "link").symlink_to(tmp_path / "a" / "b")
    assert loader.base_directory(tmp_path / "link" / "..") == tmp_path / "a"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "resources: []\nsecretGenrator:\n- name: a\n",
            'line 2: unknown field "secretGenrator" (did you mean "secretGenerator"?)',
        ),
        (
            "resources: []\n'literals': [a=b]\n",
            (
                'line 2: unknown field "literals" (it belongs inside a secretGenerator or '
                "configMapGenerator entry)"
            ),
        ),
        ("resources: []\nunrelated: 1\n", 'line 2: unknown field "unrelated"'),
        (
            "secretGenerator:\n- name: a\n  literal: [a=b]\n",
            'secretGenerator[0]: unknown field "literal" (did you mean "literals"?)',
        ),
    ],
)
def test_an_unknown_kustomization_field_gets_its_line_and_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / "kustomization.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KgenError) as error:
        Loader().parse_kustomization(Path("kustomization.yaml"), yamlio.Budget())
    assert str(error.value) == f"kustomization.yaml: {message}"


def test_prefetch_walks_components(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A component's resource files (and its bases') are prefetched like a base's; a
    components entry that is no directory is left for the build to report."""
    _write(
        tmp_path,
        {
            "app/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../c, missing, '']\n",
            "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
            "c/kustomization.yaml": "kind: Component\nresources: [x.yaml, ../base]\n",
            "c/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
            "base/kustomization.yaml": "resources: [b.yaml]\n",
            "base/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert Loader().resource_files(Path("app")) == [
        Path("app/cm.yaml"),
        Path("c/x.yaml"),
        Path("base/b.yaml"),
    ]
