"""``vars:``: parsing, kyaml's field lookup, refvar's expansion, the build with vars (typed
substitutions, errors, warnings), secrets kept out of every message, and differential checks
against ``kubectl kustomize``."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kgen import model, pipeline, yamlio
from kgen.cli import app
from kgen.errors import KgenError, KustomizationError, ResourceError
from kgen.model import Manifest, ResId
from kgen.variables import Unsubstitutable, Var, expand, field_value, parse_vars

KUBECTL = shutil.which("kubectl")


# ---- parsing ---------------------------------------------------------------------------------


def test_parse_defaults_and_the_objref_gvk() -> None:
    data = [
        {"name": "A", "objref": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d"}},
        {
            "name": "B",
            "objref": {"apiVersion": "v1", "group": "g", "kind": "K", "name": "n"},
            "fieldref": {"fieldPath": "spec.x"},
        },
        {"name": "C", "objref": {"apiVersion": "a/b/c", "group": "g", "version": "v2"}},
        {"NAME": "D", "ObjRef": {"Kind": "K", "namespace": "ns"}, "fieldRef": {"fieldpath": ""}},
        None,
    ]
    assert parse_vars(data, "k") == (
        Var("A", ResId("apps", "v1", "Deployment", "d", ""), "metadata.name", "k: vars[0]"),
        Var("B", ResId("g", "v1", "K", "n", ""), "spec.x", "k: vars[1]"),
        Var("C", ResId("g", "v2", "", "", ""), "metadata.name", "k: vars[2]"),
        Var("D", ResId("", "", "K", "", "ns"), "metadata.name", "k: vars[3]"),
        Var("", ResId("", "", "", "", ""), "metadata.name", "k: vars[4]"),
    )
    assert parse_vars(None, "k") == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"name": "A"}, "k: vars: expected a list, got a mapping", id="not-a-list"),
        pytest.param(["A"], "k: vars[0]: expected a mapping, got a string", id="entry"),
        pytest.param(
            [{"name": True}], "k: vars[0]: name: expected a string, got a boolean", id="name"
        ),
        pytest.param([{"value": 1}], 'k: vars[0]: unknown field "value"', id="unknown"),
        pytest.param(
            [{"name": "A", "objref": {"uid": "x"}}],
            'k: vars[0].objref: unknown field "uid"',
            id="objref-unknown",
        ),
        pytest.param(
            [{"name": "A", "objref": "svc"}],
            "k: vars[0]: objref: expected a mapping, got a string",
            id="objref-string",
        ),
        pytest.param(
            [{"name": "A", "objref": {"name": 3}}],
            "k: vars[0]: objref.name: expected a string, got a number",
            id="objref-name",
        ),
        pytest.param(
            [{"name": "A", "fieldref": {"fieldPath": ["a"]}}],
            "k: vars[0]: fieldref.fieldPath: expected a string, got a list",
            id="field-path",
        ),
    ],
)
def test_parse_errors_name_the_entry(data: Any, message: str) -> None:
    with pytest.raises(KustomizationError) as info:
        parse_vars(data, "k")
    assert str(info.value) == message


# ---- kyaml's GetFieldValue -------------------------------------------------------------------

_OBJECT: dict[str, Any] = {
    "metadata": {"name": "svc", "annotations": {"a.b": "dotted", "c": None}},
    "spec": {
        "ports": [{"name": "grpc", "port": 9000}, {"name": "http", "port": 8080}],
        "args": ["one", "two"],
        "flag": True,
        "ratio": 1.5,
        "big": 1 << 70,
        "unsigned": (1 << 63) + 1,
        "99999999999999999999": "a key",
    },
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("metadata.name", "svc"),
        (".metadata.name", "svc"),
        (" metadata . name ", "svc"),
        ("metadata.annotations.a\\.b", "dotted"),
        ("metadata.annotations.[a.b]", "dotted"),
        ("metadata.annotations.c", "null"),
        ("spec.ports[1].port", 8080),
        ("spec.ports.1.port", 8080),
        ("spec.ports.-.name", "http"),
        ("spec.ports.[name=http].port", 8080),
        ("spec.args.[=two]", "two"),
        ("spec.flag", True),
        ("spec.ratio", 1.5),
        ("spec.big", float(1 << 70)),
        ("spec.99999999999999999999", "a key"),
    ],
)
def test_field_value_reads_as_kyaml(path: str, value: Any) -> None:
    found = field_value(_OBJECT, path)
    assert (type(found), found) == (type(value), value)


@pytest.mark.parametrize(
    "path",
    [
        "metadata.missing",
        "spec.ports[2].port",
        "spec.ports.-1.port",
        "spec.ports.*.port",
        "spec.ports[name=http].port",  # kyaml reads "ports[name=http]" as a field name
        "spec.ports.[http].port",
        "spec.ports.[name=none].port",
        "metadata.name.first",
        "spec.unsigned",  # strconv.Atoi fails on a uint64
        "metadata.annotations.c.d",
    ],
)
def test_field_value_misses_where_kyaml_finds_nothing(path: str) -> None:
    assert field_value(_OBJECT, path) is None


def test_field_value_of_a_collection_is_not_a_value() -> None:
    assert field_value(_OBJECT, "spec.ports") == Unsubstitutable("a list")
    assert field_value(_OBJECT, "spec.ports[0]") == Unsubstitutable("a mapping")


# ---- refvar's DoReplacements -----------------------------------------------------------------

_VALUES: dict[str, Any] = {"S": "svc", "N": 80, "F": 0.00001, "T": True, "G": 1234567.5}


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("$(S)", "svc"),
        ("$(N)", 80),
        ("$(T)", True),
        ("$(F)", 0.00001),
        ("x$(N)", "x80"),
        ("$(S):$(N)", "svc:80"),
        ("x$(F)", "x1e-05"),
        ("x$(G)", "x1.2345675e+06"),
        ("x$(T)", "xtrue"),
        ("$$(S)", "$(S)"),
        ("$$$(S)", "$svc"),
        ("$(UNKNOWN)", "$(UNKNOWN)"),
        ("a$(UNKNOWN)b", "a$(UNKNOWN)b"),
        ("$(S", "$(S"),
        ("$", "$"),
        ("a$", "a$"),
        ("$x$", "$x$"),
        ("$()", "$()"),
        ("no vars", "no vars"),
        ("$é", base64.b64encode("$Ã".encode() + b"\xa9").decode()),
        (
            "$é" * 40,
            "".join(
                base64.b64encode(("$Ã".encode() + b"\xa9") * 40).decode()[i : i + 70] + "\n"
                for i in range(0, len(base64.b64encode(b"x" * 160)), 70)
            ),
        ),
    ],
)
def test_expand_as_refvar(text: str, expanded: Any) -> None:
    found = expand(text, _VALUES.get)
    assert (type(found), found) == (type(expanded), expanded)


_POD_WITH_A_NUMBER = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
    "  - {name: c, args: [1]}\n"
)

# ---- the build -------------------------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _build(root: Path, *, validate: bool = False) -> pipeline.Build:
    """Build ``root``, named relative to the working directory in messages."""
    options = pipeline.BuildOptions(hash_mode="kustomize", validate=validate)
    return pipeline.build(Path(os.path.relpath(root)), options)


_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
"""

_VARS = """vars:
- name: PORT
  objref: {apiVersion: v1, kind: Service, name: svc}
  fieldref: {fieldPath: "spec.ports[0].port"}
- name: NAME
  objref: {apiVersion: v1, kind: Service, name: svc}
"""


def test_substitutions_keep_types_but_top_annotations_are_text(tmp_path: Path) -> None:
    pod = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels: {port: $(PORT)}
  annotations: {port: $(PORT), mixed: "$(NAME):$(PORT)", number: 3}
spec:
  template:
    metadata:
      annotations: {port: $(PORT)}
    spec:
      containers:
      - name: c
        args: ["$(PORT)", "--name=$(NAME)"]
        command: {a: "$(PORT)", b: 3}
"""
    root = _tree(
        tmp_path,
        {
            "kustomization.yaml": "resources: [r.yaml, d.yaml]\n" + _VARS,
            "r.yaml": _SERVICE,
            "d.yaml": pod,
        },
    )
    deployment = _build(root).manifests[1]
    assert deployment["metadata"]["labels"] == {"port": 80}
    assert deployment["metadata"]["annotations"] == {"mixed": "svc:80", "number": "3", "port": "80"}
    template = deployment["spec"]["template"]
    assert template["metadata"]["annotations"] == {"port": 80}
    container = template["spec"]["containers"][0]
    assert container["args"] == [80, "--name=svc"]
    assert container["command"] == {"a": 80, "b": 3}


def test_a_list_with_a_number_fails_only_with_vars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pod = _POD_WITH_A_NUMBER
    root = _tree(tmp_path, {"kustomization.yaml": "resources: [p.yaml]\n", "p.yaml": pod})
    assert _build(root).manifests[0]["spec"]["containers"][0]["args"] == [1]
    (root / "kustomization.yaml").write_text("resources: [p.yaml, r.yaml]\n" + _VARS)
    (root / "r.yaml").write_text(_SERVICE)
    with pytest.raises(KgenError) as info:
        _build(root)
    assert str(info.value) == (
        "p.yaml: document 1 (Pod p): substituting vars in the 'spec/containers/args' field: "
        "element 0 of the list is a number: kustomize expects a list of strings there"
    )


def test_unused_vars_are_warnings_when_validating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = _tree(
        tmp_path, {"kustomization.yaml": "resources: [r.yaml]\n" + _VARS, "r.yaml": _SERVICE}
    )
    assert _build(root).findings == []
    found = [
        (f.rule, f.where, f.message)
        for f in _build(root, validate=True).findings
        if f.rule != "deprecated-field"
    ]
    assert found == [
        (
            "unused-var",
            "kustomization.yaml: vars[1]",
            'var "NAME" is never used: no $(NAME) in a varReference field',
        ),
        (
            "unused-var",
            "kustomization.yaml: vars[0]",
            'var "PORT" is never used: no $(PORT) in a varReference field',
        ),
    ]


def test_a_base_var_finds_its_object_after_the_overlay_renames_and_merges(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "base/kustomization.yaml": (
                "resources: [pod.yaml]\nconfigMapGenerator:\n- {name: cfg, literals: [a=1]}\n"
                "vars:\n- name: CFG\n  objref: {apiVersion: v1, kind: ConfigMap, name: cfg}\n"
            ),
            "base/pod.yaml": (
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                "  - {name: c, image: i, args: [$(CFG)]}\n"
            ),
            "overlay/kustomization.yaml": (
                "namePrefix: o-\nresources: [../base]\n"
                "configMapGenerator:\n- {name: cfg, behavior: merge, literals: [b=2]}\n"
            ),
        },
    )
    manifests = _build(root / "overlay").manifests
    name = manifests[0]["metadata"]["name"]
    assert name.startswith("o-cfg-")
    assert manifests[1]["spec"]["containers"][0]["args"] == [name]


def test_a_var_declared_twice_in_one_kustomization(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    kustomization = (
        "resources: [r.yaml]\nvars:\n- {name: A, objref: {apiVersion: v1, kind: Service, "
        "name: svc}}\n- {name: A, objref: {kind: X}}\n"
    )
    root = _tree(tmp_path, {"kustomization.yaml": kustomization, "r.yaml": _SERVICE})
    with pytest.raises(KgenError) as info:
        _build(root)
    assert str(info.value) == (
        'kustomization.yaml: vars[1]: var "A" is already declared by kustomization.yaml: vars[0]'
    )


def test_an_empty_vars_list_visits_nothing(tmp_path: Path) -> None:
    pod = _POD_WITH_A_NUMBER
    root = _tree(tmp_path, {"kustomization.yaml": "resources: [p.yaml]\nvars: []\n", "p.yaml": pod})
    assert _build(root).manifests[0]["spec"]["containers"][0]["args"] == [1]


# ---- secrets ---------------------------------------------------------------------------------

SECRET = "hunter2-s3cr3t"
SECRET_B64 = base64.b64encode(SECRET.encode()).decode()

_SECRET_KUSTOMIZATION = """resources: [pod.yaml]
secretGenerator:
- name: db
  literals: [password=hunter2-s3cr3t]
vars:
- name: PW
  objref: {apiVersion: v1, kind: Secret, name: db}
  fieldref: {fieldPath: FIELD}
"""


@pytest.mark.parametrize(
    ("field", "pod_args", "message"),
    [
        pytest.param(
            "data.missing",
            '["$(PW)"]',
            'kgen: error: kustomization.yaml: vars[0]: var "PW": field "data.missing" not '
            'found in Secret "db-8b5mgk2d6b"\n',
            id="field-not-found",
        ),
        pytest.param(
            "data.password",
            '["x$(PW)", 7]',
            "kgen: error: pod.yaml: document 1 (Pod p): substituting vars in the "
            "'spec/containers/args' field: element 1 of the list is a number: kustomize "
            "expects a list of strings there\n",
            id="list-not-strings",
        ),
        pytest.param(
            "data.password",
            '["\\u007f$(PW)"]',
            "kgen: error: pod.yaml: line 8, column 12: string contains a control character "
            "that kustomize cannot output (yaml: control characters are not allowed)\n",
            id="unwritable",
        ),
        pytest.param(
            "data",
            '["$(PW)"]',
            'kgen: warning: kustomization.yaml: vars[0]: var "PW" is never used: its field '
            '"data" is a mapping, which kustomize never substitutes [unused-var]\n',
            id="unused",
        ),
    ],
)
def test_no_secret_value_in_any_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, pod_args: str, message: str
) -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        f"  - name: c\n    image: i\n    args: {pod_args}\n"
    )
    _tree(
        tmp_path,
        {"kustomization.yaml": _SECRET_KUSTOMIZATION.replace("FIELD", field), "pod.yaml": pod},
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["build", ".", "--hash", "kustomize", "--allow", "deprecated-field"]
    )
    assert result.stderr == message
    for value in (SECRET, SECRET_B64):
        assert value not in result.stderr


def test_a_secret_value_is_substituted(tmp_path: Path) -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: c\n    image: i\n    env: [{name: PW, value: $(PW)}]\n"
    )
    root = _tree(
        tmp_path,
        {
            "kustomization.yaml": _SECRET_KUSTOMIZATION.replace("FIELD", "data.password"),
            "pod.yaml": pod,
        },
    )
    build = _build(root, validate=True)
    assert build.manifests[1]["spec"]["containers"][0]["env"] == [
        {"name": "PW", "value": SECRET_B64}
    ]
    assert [finding.rule for finding in build.findings] == ["deprecated-field"]


# ---- differential ----------------------------------------------------------------------------

_DIFFERENTIAL = {
    "kustomization.yaml": """resources: [r.yaml]
vars:
- name: PORT
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref: {fieldPath: "spec.ports[0].port"}
- name: FLOAT
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref: {fieldPath: spec.f}
- name: TINY
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref: {fieldPath: spec.tiny}
- name: BOOL
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref: {fieldPath: spec.b}
- name: NULL
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref: {fieldPath: spec.n}
- name: PORTS
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref: {fieldPath: spec.ports}
""",
    "r.yaml": """apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  f: 1234567.5
  tiny: 0.00001
  b: true
  n: null
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {a: "$(PORT)", b: "$(BOOL)"}
  annotations:
    a: "$(PORT)"
    b: "x$(PORT)"
    c: "$(FLOAT)"
    d: "x$(FLOAT)"
    e: "$(TINY)"
    f: "x$(TINY)"
    g: "$(BOOL)"
    h: "$(NULL)"
    i: "$(PORTS)"
    j: "$$(PORT) $$ $x $(unknown) $(PORT"
    k: "$é$(PORT)"
spec:
  containers:
  - name: c
    args: ["$(PORT)", "$(BOOL)", "$(TINY)", "$(FLOAT)", "$é", "x$(NULL)"]
    env:
    - {name: a, value: "$(PORT)"}
    - {name: b, value: {x: "$(PORT)", y: 1}}
    - {name: c, value: ["$(PORT)"]}
""",
}


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_same_as_kubectl_kustomize(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, _DIFFERENTIAL)
    assert KUBECTL is not None
    expected = subprocess.run(
        [KUBECTL, "kustomize", str(root)], capture_output=True, text=True, check=True
    ).stdout
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app, ["build", ".", "--hash", "kustomize", "--no-validate"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == expected
    assert (
        yamlio.load_documents(expected.encode(), "x", "resource")[1]["metadata"]["annotations"]["e"]
        == "0.00001"
    )


# ---- linear work -----------------------------------------------------------------------------


def _id_reads(root: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> int:
    """How often the build of ``count`` ConfigMaps, ``count`` vars naming one each and a Pod
    using them all reads an object's id."""
    maps = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: m{number}}}\n"
        for number in range(count)
    )
    entries = "".join(
        f"- {{name: V{number}, objref: {{apiVersion: v1, kind: ConfigMap, name: m{number}}}}}\n"
        for number in range(count)
    )
    args = ", ".join(f'"$(V{number})"' for number in range(count))
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        f"  - {{name: c, image: i, args: [{args}]}}\n"
    )
    _tree(
        root,
        {
            "kustomization.yaml": "namePrefix: x-\nresources: [r.yaml]\nvars:\n" + entries,
            "r.yaml": maps + "---\n" + pod,
        },
    )
    reads = 0
    real = model.manifest_id

    def counting(manifest: Manifest) -> ResId:
        nonlocal reads
        reads += 1
        return real(manifest)

    with monkeypatch.context() as patch:
        patch.setattr(model, "manifest_id", counting)
        manifests = _build(root).manifests
    assert manifests[-1]["spec"]["containers"][0]["args"][-1] == f"x-m{count - 1}"
    return reads


def test_vars_cost_linear_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Objrefs are found through an index, not by scanning every object for every var."""
    small = _id_reads(tmp_path / "small", monkeypatch, 100)
    large = _id_reads(tmp_path / "large", monkeypatch, 200)
    assert large < 2.2 * small


@pytest.mark.parametrize(
    ("written", "builds"),
    [
        pytest.param("0x50", False, id="hex"),
        pytest.param("0o120", False, id="octal"),
        pytest.param("+80", True, id="signed-decimal"),
        pytest.param("80", True, id="decimal"),
    ],
)
def test_an_integer_var_kustomize_cannot_read_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, builds: bool
) -> None:
    """kustomize reads a var's integer with ``strconv.Atoi`` on its text as written: one not
    in decimal digits fails the build (kustomize: "field specified in var ... not found")."""
    root = _tree(
        tmp_path,
        {
            "kustomization.yaml": _VARS + "resources: [svc.yaml, cm.yaml]\n",
            "svc.yaml": _SERVICE.replace("port: 80", f"port: {written}"),
            "cm.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "  - {name: c, image: i, env: [{name: PORT, value: $(PORT)}]}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    if builds:
        built = _build(root)
        (pod,) = [m for m in built.manifests if m["kind"] == "Pod"]
        assert pod["spec"]["containers"][0]["env"] == [{"name": "PORT", "value": 80}]
        return
    with pytest.raises(ResourceError) as caught:
        _build(root)
    assert str(caught.value) == (
        'kustomization.yaml: vars[0]: var "PORT": field "spec.ports[0].port" of Service "svc" '
        "is an integer not written in decimal digits (0x.., 0o.., 1_000), which kustomize fails "
        "to read (strconv.Atoi; it reports the field not found)"
    )
    if KUBECTL is not None:
        oracle = subprocess.run([KUBECTL, "kustomize", str(root)], capture_output=True, check=False)
        assert oracle.returncode != 0
        assert b"not found in corresponding resource" in oracle.stderr
