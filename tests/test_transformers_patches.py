"""The patches transformers: parsing, detection and the bytes kustomize writes (measured with
``kubectl kustomize``; strategic-merge cases set only map fields, the list merge belongs to
kgen.smp's tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgen import pipeline
from kgen.cli import app
from kgen.errors import KgenError, KustomizationError
from kgen.transformers import patches

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {f: 0.50}\ndata: {a: x}\n"


def _build(tmp_path: Path, kustomization: str, **files: str) -> str:
    (tmp_path / "kustomization.yaml").write_text(kustomization)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(app, ["build", str(tmp_path), "--no-validate"])
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def test_values_a_patch_brings_keep_kustomize_text(tmp_path: Path) -> None:
    patch = (
        "- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n"
        "    metadata: {name: c, labels: {port: 9102}, annotations: {n: 9102, b: true}}\n"
        "    data: {n: 9102, t: true}\n"
    )
    out = _build(tmp_path, f"resources: [cm.yaml]\npatches:\n{patch}", **{"cm.yaml": CM})
    assert out == (
        'apiVersion: v1\ndata:\n  a: x\n  "n": 9102\n  t: true\nkind: ConfigMap\nmetadata:\n'
        '  annotations:\n    b: "true"\n    "n": "9102"\n  labels:\n    f: 0.5\n    port: 9102\n'
        "  name: c\n"
    )


def test_a_json_patch_goes_through_float64(tmp_path: Path) -> None:
    patch = (
        '- target: {kind: ConfigMap}\n  patch: \'[{"op":"add","path":"/data/b","value":"y"}]\'\n'
    )
    out = _build(tmp_path, f"resources: [cm.yaml]\npatches:\n{patch}", **{"cm.yaml": CM})
    assert out == (
        'apiVersion: v1\ndata:\n  a: x\n  b: "y"\nkind: ConfigMap\nmetadata:\n  labels:\n'
        "    f: 0.5\n  name: c\n"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"patches": [{"target": {"kind": "X"}}]},
            "k: patches[0]: must specify one of patch and path",
            id="neither",
        ),
        pytest.param(
            {"patches": [{"path": "a", "patch": "b"}]},
            "k: patches[0]: patch and path can't be set at the same time",
            id="both",
        ),
        pytest.param(
            {"patches": [{"path": "a", "frob": 1}]},
            'k: patches[0]: unknown field "frob"',
            id="unknown-field",
        ),
        pytest.param(
            {"patches": [{"path": "a", "options": {"allowNameChange": "yes"}}]},
            "k: patches[0].options.allowNameChange: expected true or false, got a string",
            id="option-not-bool",
        ),
        pytest.param(
            {"patchesJson6902": [{"path": "a", "target": {"kind": "X"}}]},
            "k: patchesJson6902[0]: must specify the target name",
            id="json-no-name",
        ),
        pytest.param(
            {"patchesStrategicMerge": [1]},
            "k: patchesStrategicMerge[0]: expected a string, got a number",
            id="legacy-not-string",
        ),
    ],
)
def test_parse_errors(fields: dict[str, object], message: str) -> None:
    parse = {
        "patches": patches.parse_patches,
        "patchesJson6902": patches.parse_json6902,
        "patchesStrategicMerge": patches.parse_strategic_merge,
    }[next(iter(fields))]
    with pytest.raises(KustomizationError) as info:
        parse(fields, "k")
    assert message.startswith(str(info.value)) or str(info.value).startswith(message)


def test_several_documents_with_a_target_are_refused(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap}\n  path: p.yaml\n"
    )
    (tmp_path / "cm.yaml").write_text(CM)
    (tmp_path / "p.yaml").write_text(
        "kind: A\nmetadata: {name: a}\n---\nkind: B\nmetadata: {name: b}\n"
    )
    with pytest.raises(KgenError) as info:
        pipeline.build(tmp_path, pipeline.BuildOptions(validate=False))
    assert str(info.value).endswith(
        "patches[0] (p.yaml): Multiple Strategic-Merge Patches in one `patches` entry is not "
        "allowed to set `patches.target` field"
    )


def test_a_tab_led_block_after_a_json_patch_is_refused_without_its_value(tmp_path: Path) -> None:
    """After a JSON patch kustomize writes a multi-line string as a literal block, and one led
    by a tab fails it; kgen refuses it only if it reaches the output, naming the field, never
    the value (a Secret's, here)."""
    secret = "\ts3cr3t-Passw0rd!\nsecond line"
    (tmp_path / "s.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        f"stringData: {{pw: {secret!r}}}\n".replace("'", '"').replace("\\\\", "\\")
    )
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [s.yaml]\npatches:\n- target: {kind: Secret}\n"
        '  patch: \'[{"op": "add", "path": "/type", "value": "Opaque"}]\'\n'
    )
    with pytest.raises(KgenError) as info:
        pipeline.build(tmp_path, pipeline.BuildOptions(validate=False))
    message = str(info.value)
    assert message == (
        f"{tmp_path / 'kustomization.yaml'}: patches[0]: {tmp_path / 's.yaml'}: document 1 "
        "(Secret s): "
        "stringData.pw: kustomize writes this value, after the JSON patch, as a literal block "
        "that starts with a tab, and fails to read it back (found a tab character where an "
        "indentation space is expected)"
    )
    assert "s3cr3t" not in message
    # a later patch that removes the value lets the build through, as kustomize builds
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [s.yaml]\npatches:\n- target: {kind: Secret}\n"
        '  patch: \'[{"op": "remove", "path": "/stringData"}]\'\n'
    )
    pipeline.build(tmp_path, pipeline.BuildOptions(validate=False))


def test_a_quoted_value_kustomize_cannot_write_is_still_refused_after_a_merge(
    tmp_path: Path,
) -> None:
    """The merge wraps a string written quoted (to give a number replacing it its style) and
    unwraps it to the very string it read: kgen knows the values kustomize cannot write by
    identity (found by the fuzzer)."""
    (tmp_path / "cm.yaml").write_text(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: "del\\x7F"\n'
    )
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [cm.yaml]\npatches:\n- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n"
        "    metadata: {name: c}\n    data: {b: x}\n"
    )
    with pytest.raises(KgenError) as info:
        pipeline.build(tmp_path, pipeline.BuildOptions(validate=False))
    assert str(info.value).endswith(
        "cm.yaml: line 5, column 6: string contains a control character that kustomize "
        "cannot output (yaml: control characters are not allowed)"
    )
