from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kgen import plugins
from kgen.emit import emit_stream
from kgen.errors import KgenError
from kgen.model import Gvk, Origin, Resource
from kgen.pipeline import Build, BuildOptions, build

KUBECTL = shutil.which("kubectl")
SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
W = "kustomization.yaml"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root: Path, monkeypatch: pytest.MonkeyPatch, target: str = ".") -> Build:
    monkeypatch.chdir(root)
    return build(Path(target), BuildOptions(hash_mode="kustomize", validate=False))


def error(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    with pytest.raises(KgenError) as info:
        run(root, monkeypatch)
    return str(info.value)


def inline(field: str, *configs: str) -> str:
    """A kustomization with the service and ``configs`` inline in ``field``."""
    entries = "".join("- |-\n" + "".join(f"  {line}\n" for line in c.splitlines()) for c in configs)
    return f"resources: [service.yaml]\n{field}:\n{entries}"


def config(kind: str, body: str = "", name: str = "c", api_version: str = "builtin") -> str:
    return f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: {name}\n{body}"


LABELS = "labels:\n  team: web\nfieldSpecs:\n- path: metadata/labels\n  create: true\n"


def test_inline_configs_run_before_file_configs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kustomize gathers the inline configs first, whatever the list order."""
    kustomization = "resources: [service.yaml]\ntransformers:\n- suffix.yaml\n- |-\n" + "".join(
        f"  {line}\n"
        for line in config(
            "PrefixTransformer", "prefix: p-\nfieldSpecs:\n- path: metadata/name\n"
        ).splitlines()
    )
    write(
        tmp_path,
        {
            W: kustomization,
            "service.yaml": SERVICE,
            "suffix.yaml": config(
                "SuffixTransformer", "suffix: -s\nfieldSpecs:\n- path: metadata/name\n"
            ),
        },
    )
    assert run(tmp_path, monkeypatch).manifests[0]["metadata"]["name"] == "p-web-s"


def test_a_directory_entry_is_built_into_configs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            W: "resources: [service.yaml]\ntransformers: [configs]\n",
            "service.yaml": SERVICE,
            "configs/kustomization.yaml": "resources: [labels.yaml]\n",
            "configs/labels.yaml": config("LabelTransformer", LABELS),
        },
    )
    assert run(tmp_path, monkeypatch).manifests[0]["metadata"]["labels"] == {"team": "web"}


def test_config_field_specs_replace_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LabelTransformer without fieldSpecs sets nothing (no default table)."""
    write(
        tmp_path,
        {
            W: inline("transformers", config("LabelTransformer", "labels:\n  a: b\n")),
            "service.yaml": SERVICE,
        },
    )
    assert run(tmp_path, monkeypatch).manifests == [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}
    ]


def test_empty_prefix_keeps_the_name_and_sets_other_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "prefix: ''\nfieldSpecs:\n- path: metadata/name\n- path: spec/port\n"
    write(
        tmp_path,
        {
            W: inline("transformers", config("PrefixTransformer", body)),
            "service.yaml": SERVICE + "spec:\n  port: 80\n",
        },
    )
    manifest = run(tmp_path, monkeypatch).manifests[0]
    assert manifest["metadata"]["name"] == "web"
    assert manifest["spec"]["port"] == "80"


def test_generator_config_defaults_its_name_to_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "literals:\n- a=b\noptions:\n  disableNameSuffixHash: true\n"
    write(
        tmp_path,
        {
            W: inline("generators", config("ConfigMapGenerator", body, name="settings")),
            "service.yaml": SERVICE,
        },
    )
    manifests = run(tmp_path, monkeypatch).manifests
    assert manifests[0] == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings"},
        "data": {"a": "b"},
    }


def test_hash_transformer_hashes_now_and_the_top_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            W: "configMapGenerator:\n- name: m\n  literals: [a=b]\ntransformers:\n- |-\n"
            "  apiVersion: builtin\n  kind: HashTransformer\n  metadata:\n    name: h\n",
        },
    )
    assert run(tmp_path, monkeypatch).manifests[0]["metadata"]["name"] == "m-4h2mbtbbt6-4h2mbtbbt6"


AT = f"{W}: transformers[0]"
REFUSED = (
    "kgen does not run programs named by a kustomization (exec, container or Go plugins); "
    "only kustomize's builtin plugin configs (apiVersion: builtin) are supported"
)


@pytest.mark.parametrize(
    ("field", "document", "message"),
    [
        (
            "transformers",
            config("ChartInflator", name="x", api_version="someteam.example.com/v1"),
            f"{AT} (ChartInflator x): {REFUSED}",
        ),
        (
            "transformers",
            config("Fn", name="x", api_version="v1")
            + "  annotations:\n    config.kubernetes.io/function: 'container: {image: x}'\n",
            f"{AT} (Fn x): {REFUSED}",
        ),
        (
            "transformers",
            config("SortOrderTransformer", name="x"),
            f"{AT} (SortOrderTransformer x): unable to load builtin SortOrderTransformer",
        ),
        (
            "transformers",
            config("SecretGenerator", name="x"),
            f"{AT} (SecretGenerator x): plugin SecretGenerator is not a transformer",
        ),
        (
            "generators",
            config("LabelTransformer", name="x"),
            f"{W}: generators[0] (LabelTransformer x): plugin LabelTransformer is not a generator",
        ),
        (
            "generators",
            config("HelmChartInflationGenerator", name="x"),
            (
                f"{W}: generators[0] (HelmChartInflationGenerator x): HelmChartInflationGenerator: "
                "helm charts are not supported by kgen (it runs no helm: render the chart and list "
                "its output in resources)"
            ),
        ),
        (
            "transformers",
            config("PrefixSuffixTransformer", "prefix: p-\n", name="x"),
            f"{AT} (PrefixSuffixTransformer x): fieldSpecs is not expected to be nil",
        ),
        (
            "transformers",
            config("PatchStrategicMergeTransformer", name="x"),
            f"{AT} (PatchStrategicMergeTransformer x): empty file path and empty patch content",
        ),
        (
            "transformers",
            config("NamespaceTransformer", "setRoleBindingSubjects: some\n", name="x"),
            (
                f"{AT} (NamespaceTransformer x): setRoleBindingSubjects: must be one of "
                "defaultOnly, none or allServiceAccounts"
            ),
        ),
        (
            "validators",
            config("LabelTransformer", LABELS, name="v"),
            f"{W}: validators[0] (LabelTransformer v): validator shouldn't modify the resource map",
        ),
    ],
    ids=[
        "exec",
        "function",
        "unknown-builtin",
        "generator-as-transformer",
        "transformer-as-generator",
        "helm",
        "fieldspecs-nil",
        "empty-patch",
        "subject-mode",
        "validator-modifies",
    ],
)
def test_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, document: str, message: str
) -> None:
    write(tmp_path, {W: inline(field, document), "service.yaml": SERVICE})
    assert error(tmp_path, monkeypatch) == message


def test_validator_that_changes_nothing_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            W: inline("validators", config("LabelTransformer", LABELS)),
            "service.yaml": SERVICE.replace(
                "  name: web\n", "  name: web\n  labels:\n    team: web\n"
            ),
        },
    )
    assert run(tmp_path, monkeypatch).manifests[0]["metadata"]["labels"] == {"team": "web"}


def test_missing_and_remote_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {W: "transformers: [missing.yaml]\nresources: [service.yaml]\n", "service.yaml": SERVICE},
    )
    assert error(tmp_path, monkeypatch) == f"{AT}: no such file or directory: missing.yaml"
    write(tmp_path, {W: "transformers: [https://example.com/t.yaml]\nresources: [service.yaml]\n"})
    assert error(tmp_path, monkeypatch) == (
        f"{AT}: remote resources (URLs, git) are not supported by kgen"
    )


def test_two_configs_with_one_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    labels = config("LabelTransformer", LABELS)
    write(tmp_path, {W: inline("transformers", labels, labels), "service.yaml": SERVICE})
    assert error(tmp_path, monkeypatch).startswith(f"{W}: transformers[1]: document 1 (")


def test_secret_values_stay_out_of_generator_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "literals:\n- token=hunter2-value\n- token=second-hunter2\n"
    write(
        tmp_path,
        {
            W: inline("generators", config("SecretGenerator", body, name="s")),
            "service.yaml": SERVICE,
        },
    )
    message = error(tmp_path, monkeypatch)
    assert message == (
        f'{W}: generators[0] (SecretGenerator s).literals[1]: key "token" is repeated '
        "(first set by literals[0])"
    )
    assert "hunter2" not in message


def test_config_origin_names_the_config() -> None:
    resource = Resource(
        manifest={
            "apiVersion": "builtin",
            "kind": "LabelTransformer",
            "metadata": {"name": "l", "namespace": "n"},
        },
        origin="labels.yaml",
        original_gvk=Gvk("", "builtin", "LabelTransformer"),
        build_origin=Origin(path="../base/labels.yaml"),
    )
    found = plugins.Config(resource, "at")
    assert found.origin() == Origin(
        configured_in="../base/labels.yaml",
        configured_by=("builtin", "LabelTransformer", "l", "n"),
    )
    assert found.kind == "LabelTransformer"


def test_inline_configs_tell_a_path_from_objects() -> None:
    assert plugins.inline_configs("labels.yaml", "at") is None
    found = plugins.inline_configs(config("LabelTransformer"), "at")
    assert found is not None
    assert [res.manifest["kind"] for res in found] == ["LabelTransformer"]


CASES = [
    pytest.param(
        {
            W: inline(
                "transformers",
                config(
                    "NamespaceTransformer",
                    "fieldSpecs:\n- path: metadata/namespace\n  create: true\n",
                    name="ns",
                ).replace("  name: ns\n", "  name: ns\n  namespace: prod\n"),
                config(
                    "PatchJson6902Transformer",
                    "target:\n  kind: Service\n  name: web\n"
                    'jsonOp: \'[{"op": "add", "path": "/spec", "value": {}}]\'\n',
                ),
                config(
                    "AnnotationsTransformer",
                    "annotations:\n  a: b\n"
                    "fieldSpecs:\n- path: metadata/annotations\n  create: true\n",
                ),
            ),
            "service.yaml": SERVICE,
        },
        id="namespace-json-annotations",
    ),
    pytest.param(
        {
            W: inline(
                "transformers",
                config(
                    "NamespaceTransformer",
                    "unsetOnly: true\nsetRoleBindingSubjects: allServiceAccounts\n"
                    "fieldSpecs:\n- path: metadata/namespace\n  create: true\n",
                    name="ns",
                ).replace("  name: ns\n", "  name: ns\n  namespace: prod\n"),
            ),
            "service.yaml": SERVICE
            + "  namespace: kept\n---\napiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: RoleBinding\nmetadata:\n  name: rb\nsubjects:\n"
            "- kind: ServiceAccount\n  name: app\n- kind: User\n  name: default\n",
        },
        id="namespace-unset-only-service-accounts",
    ),
]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("files", CASES)
def test_matches_kubectl_kustomize(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]
) -> None:
    write(tmp_path, files)
    assert KUBECTL is not None
    expected = subprocess.run(
        [KUBECTL, "kustomize", str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout
    built: Any = run(tmp_path, monkeypatch).manifests
    assert emit_stream(built) == expected


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "apiVersion: builtin\nkind: SecretGenerator\nliterals:\n- password=hunter2\n",
            f"{W}: generators[0]: document 1: SecretGenerator: missing metadata.name",
        ),
        (
            "apiVersion: builtin\nkind: SecretGenerator\nliterals: [password=hunter2\n",
            (
                f"{W}: generators[0]: invalid YAML at line 4, column 1: did not find expected "
                "',' or ']' (while parsing a flow sequence that starts at line 3, column 11)"
            ),
        ),
    ],
    ids=["not-an-object", "not-yaml"],
)
def test_a_broken_inline_config_is_not_shown_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, message: str
) -> None:
    """kustomize names it as a missing file, its whole text with it; kgen says why it is not
    a config, and never shows a value."""
    write(tmp_path, {W: inline("generators", entry), "service.yaml": SERVICE})
    found = error(tmp_path, monkeypatch)
    assert found == message
    assert "hunter2" not in found
