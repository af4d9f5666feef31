"""Safety: no secret value on stderr, no crash on any input, deterministic bytes, hostile input.

- Every failing or warning fixture is built and its stderr searched for the fixture's secret
  values, raw and base64-encoded.
- Random kustomization trees (hypothesis) end in exit 0 with a reproducible stream, or exit 1
  with one ``kgen: error:`` report: never an internal error, never a traceback.
- The same tree builds to the same bytes under other hash seeds, locales and file orders.
- Hostile files (alias bombs, deep nesting, huge sources, binary garbage) fail fast, in bounded
  memory, with a message naming the file.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from typer.testing import CliRunner

from kgen.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECTATION_FILES = (
    "expected.yaml",
    "expected-xxhash.yaml",
    "expected-error",
    "expected-stderr",
    "case.toml",
)
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
REPORTING = sorted(
    case
    for case in FIXTURES.iterdir()
    if case.is_dir() and ((case / "expected-error").exists() or (case / "expected-stderr").exists())
)
MIN_SECRET = 4
_BOM = "\ufeff"


# ------------------------------------------------------------------------------------------
# Secret values of a fixture.


def _yaml_documents(path: Path) -> list[Any]:
    """Every document of a YAML file (an independent parser: ruamel's safe loader), or none."""
    try:
        return list(YAML(typ="safe", pure=True).load_all(path.read_bytes()))
    except (YAMLError, ValueError, OSError):
        return []


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _file_secrets(path: Path) -> Iterator[bytes]:
    if not path.is_file():
        return
    data = path.read_bytes()
    yield data
    yield data.rstrip(b"\r\n")


def _env_secrets(path: Path) -> Iterator[bytes]:
    """Env-file values; a line without '=' is also taken whole: it may be a value pasted
    without its key, or ``KEY value`` with the '=' forgotten (like a literal without '='); so is
    each part of a line split by a bare carriage return (a line break env files do not see)."""
    if not path.is_file():
        return
    text = path.read_bytes().decode("utf-8", errors="replace")
    for raw in text.split("\n"):
        line = raw.removesuffix("\r").removeprefix(_BOM).lstrip()
        if not line or line.startswith("#"):
            continue
        if "\r" in line:
            yield from (part.encode() for part in line.split("\r"))
        _, sep, value = line.partition("=")
        if sep:
            yield value.encode()
            yield _unquoted(value).encode()
        else:
            yield line.encode()


def _generator_secrets(entry: dict[str, Any], directory: Path) -> Iterator[bytes]:
    for literal in _strings(entry.get("literals")):
        key, sep, value = literal.partition("=")
        if sep:
            yield value.encode()
            yield _unquoted(value).encode()
        else:
            yield literal.encode()
    for source in _strings(entry.get("files")):
        key, sep, path = source.partition("=")
        yield from _file_secrets(directory / (path if sep else key))
    envs = _strings(entry.get("envs"))
    if isinstance(entry.get("env"), str):
        envs.append(entry["env"])
    for env in envs:
        yield from _env_secrets(directory / env)


def _resource_secrets(path: Path) -> Iterator[bytes]:
    for document in _yaml_documents(path):
        if not isinstance(document, dict) or document.get("kind") != "Secret":
            continue
        data = document.get("data")
        if isinstance(data, dict):
            for value in data.values():
                # The text as written (ciphertext of a SOPS file, a typo that is not base64) and
                # what it decodes to, leniently: a leak of either is a leak.
                text = str(value)
                yield text.encode()
                with contextlib.suppress(binascii.Error, ValueError):
                    yield base64.b64decode(text + "=" * (-len(text) % 4), validate=False)
        string_data = document.get("stringData")
        if isinstance(string_data, dict):
            yield from (str(value).encode() for value in string_data.values())


def secret_values(
    case: Path, fields: tuple[str, ...] = ("secretGenerator", "configMapGenerator")
) -> set[bytes]:
    """The values (of length >= 4) a fixture feeds to generators (of ``fields``) and Secret
    resources.

    Every kustomization file of the fixture is read (all layers, whatever its root)."""
    found: set[bytes] = set()
    for path in sorted(case.rglob("*")):
        if path.name not in KUSTOMIZATION_NAMES or not path.is_file():
            continue
        directory = path.parent
        for kustomization in _yaml_documents(path)[:1]:
            if not isinstance(kustomization, dict):
                continue
            for field in fields:
                entries = kustomization.get(field)
                for entry in entries if isinstance(entries, list) else []:
                    if isinstance(entry, dict):
                        found.update(_generator_secrets(entry, directory))
            for entry in _strings(kustomization.get("resources")):
                target = directory / entry
                if target.is_file():
                    found.update(_resource_secrets(target))
    # A value that is also a file or directory name (``MODE=base`` beside ``base/``) may appear
    # in a location; it is no evidence of a leak.
    names = {part.encode() for path in case.rglob("*") for part in path.relative_to(case).parts}
    return {value for value in found if len(value) >= MIN_SECRET and value not in names}


def _config(case: Path) -> dict[str, Any]:
    path = case / "case.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


def test_secret_values_are_collected() -> None:
    literal = secret_values(FIXTURES / "validate-secret-key-literal")
    assert b"R0b0t-9c2e1f7a" in literal
    assert b"robot" in literal
    env = secret_values(FIXTURES / "validate-env-quotes")
    assert {b'"qu0ted-Sm7p-pw"', b"qu0ted-Sm7p-pw"} <= env
    bare = secret_values(FIXTURES / "error-literal-without-equals")
    assert b"S!B*d$zDsb" in bare
    assert b"7qVx-Pasted-T0ken" in secret_values(FIXTURES / "validate-env-line")
    assert b"relay-Passw0rd-77" in secret_values(FIXTURES / "validate-env-line-bare-cr")
    resources = secret_values(FIXTURES / "validate-secret-type-service-account-token")
    assert b"st4tic-T0ken-deployer" in resources
    assert b"st4tic-T0ken-ci-runner" in resources
    undecodable = secret_values(FIXTURES / "validate-data-value")
    assert b"ZGItUGFzc3cwcmQtN3gycS1OZg" in undecodable
    assert b"db-Passw0rd-7x2q-Nf" in undecodable
    sops = secret_values(FIXTURES / "validate-sops-encrypted")
    assert any(value.startswith(b"ENC[AES256_GCM,data:q7Wm") for value in sops)
    docker = secret_values(FIXTURES / "validate-secret-type-docker-json")
    assert any(b"cm9ib3Q6ZG9ja2VyLVB3LTk=" in value for value in docker)


@pytest.mark.parametrize("case", REPORTING, ids=[case.name for case in REPORTING])
def test_no_secret_value_on_stderr(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(case)
    work = tmp_path / case.name
    shutil.copytree(case, work, symlinks=True, ignore=shutil.ignore_patterns(*EXPECTATION_FILES))
    monkeypatch.chdir(work)
    args = ["build", config.get("root", "."), "--hash", "kustomize", *config.get("args", [])]
    result = CliRunner().invoke(app, args)
    stderr = result.stderr.encode()
    assert stderr
    leaked = sorted(
        value.decode("utf-8", errors="replace")
        for value in secret_values(case)
        if value in stderr or base64.b64encode(value) in stderr
    )
    assert not leaked, f"secret values on stderr: {leaked!r}\n{result.stderr}"


BUILDING = sorted(
    case
    for case in FIXTURES.iterdir()
    if (case / "expected.yaml").exists() and secret_values(case, ("secretGenerator",))
)


def _stale_files(values: list[str]) -> dict[str, str]:
    """Rendered files a ``--check`` may meet, each holding every secret value of a fixture:
    in a List, after a ``...`` document end, in a SecretList, in the last-applied annotation,
    and a file that does not parse."""
    string_data = json.dumps({f"k{i}": value for i, value in enumerate(values)})
    data = json.dumps(
        {f"k{i}": base64.b64encode(value.encode()).decode() for i, value in enumerate(values)}
    )
    last = json.dumps(json.dumps({"data": json.loads(data)}))
    return {
        "empty": "",
        "list": f"apiVersion: v1\nkind: List\nitems:\n- kind: Secret\n  stringData: {string_data}\n"
        f"  data: {data}\n",
        "document-end": f"kind: ConfigMap\n...\nkind: Secret\nstringData: {string_data}\n",
        "secret-list": f"kind: SecretList\nitems:\n- data: {data}\n",
        "last-applied": "kind: Secret\nmetadata:\n  annotations:\n"
        f"    kubectl.kubernetes.io/last-applied-configuration: {last}\n",
        "unparsable": f"kind: Secret\nstringData: [{string_data}\n",
    }


@pytest.mark.parametrize("case", BUILDING, ids=[case.name for case in BUILDING])
def test_no_secret_value_in_a_check_diff(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(case)
    work = tmp_path / case.name
    shutil.copytree(case, work, symlinks=True, ignore=shutil.ignore_patterns(*EXPECTATION_FILES))
    monkeypatch.chdir(work)
    # A value the build shows outside Secret data (a ConfigMap value, a label) is no evidence.
    public = json.dumps(
        [
            {k: v for k, v in document.items() if k not in ("data", "stringData")}
            if document.get("kind") == "Secret"
            else document
            for document in _yaml_documents(case / "expected.yaml")
            if isinstance(document, dict)
        ],
        ensure_ascii=False,
        default=str,
    ).encode()
    values = {v for v in secret_values(case, ("secretGenerator",)) if v not in public}
    texts = sorted(value.decode("utf-8", errors="replace") for value in values)
    for name, text in _stale_files(texts).items():
        rendered = tmp_path / f"{name}.yaml"
        rendered.write_text(text)
        args = ["build", config.get("root", "."), "--hash", "kustomize", *config.get("args", [])]
        result = CliRunner().invoke(app, [*args, "--check", str(rendered)])
        assert (result.exit_code, result.stdout[:4]) == (1, "--- "), result.stderr
        output = (result.stdout + result.stderr).encode()
        leaked = sorted(
            value.decode("utf-8", errors="replace")
            for value in values
            if value in output or base64.b64encode(value) in output
        )
        assert not leaked, f"{name}: secret values in the diff: {leaked!r}\n{result.stdout}"


# ------------------------------------------------------------------------------------------
# Random trees: exit 0 with a reproducible stream, or exit 1 with an error report.

_GOOD_NAMES = st.from_regex(r"[a-z]([a-z0-9-]{0,7}[a-z0-9])?", fullmatch=True)
_NAMES = st.one_of(
    _GOOD_NAMES,
    st.sampled_from(["App_Config", "UPPER", "-dash", "a.b", "", "x" * 260, "db-creds"]),
    st.text(max_size=12),
)
_GOOD_KEYS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)
_KEYS = st.one_of(
    _GOOD_KEYS,
    st.sampled_from(["export X", "has space", "bad/key", "..", ".", "1ST", "my-key"]),
    st.text(max_size=8),
)
_GOOD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
        st.sampled_from(list("=\"'\n#:-&*!{[| ")),
    ),
    max_size=24,
)
_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["=", '"', "'", "\n", "\r", "\t", "\x00", "\x85", "\ufeff", "#"]),
    ),
    max_size=24,
)
_PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"\xc3("])
_BYTES = st.builds(lambda prefix, data: prefix + data, _PREFIXES, st.binary(max_size=48))
_SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), _TEXT, st.sampled_from(["true", "yes"])
)
_SECRET_TYPES = st.sampled_from(
    [
        "Opaque",
        "kubernetes.io/tls",
        "kubernetes.io/dockerconfigjson",
        "kubernetes.io/basic-auth",
        "kubernetes.io/ssh-auth",
        "kubernetes.io/service-account-token",
        "example.com/custom",
        "",
    ]
)
_HOSTILE_RESOURCES = st.one_of(
    st.sampled_from(
        [
            (
                "a: &a [x, x]\nb: &b [*a, *a]\nkind: ConfigMap\napiVersion: v1\n"
                "metadata: {name: anchors}\ndata: {k: *b}\n"
            ),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: m}\nother: *m\n",
            (
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merge\n"
                "base: &b {a: 1}\ndata:\n  <<: *b\n  b: two\n"
            ),
            "*undefined\n",
            "---\n---\n",
            "- a\n- b\n",
            "key: [unclosed\n",
        ]
    ),
    st.integers(1, 400).map(lambda depth: "x: " + "[" * depth + "]" * depth + "\n"),
    _TEXT,
    _BYTES.map(lambda data: data.decode("latin-1")),
)


class _Pools(NamedTuple):
    """The strategies of one tree: all valid-looking (sane) or anything goes."""

    names: st.SearchStrategy[str]
    keys: st.SearchStrategy[str]
    text: st.SearchStrategy[str]
    sane: bool


def _pools(sane: bool) -> _Pools:
    if sane:
        return _Pools(_GOOD_NAMES, _GOOD_KEYS, _GOOD_TEXT, sane)
    return _Pools(_NAMES, _KEYS, _TEXT, sane)


def _pair(pools: _Pools) -> st.SearchStrategy[str]:
    return st.builds(lambda key, value: f"{key}={value}", pools.keys, pools.text)


def _env_file(pools: _Pools) -> st.SearchStrategy[bytes]:
    value = pools.text.map(lambda text: text.replace("\n", " ").replace("\r", " "))
    line = st.one_of(
        st.builds(lambda key, text: f"{key}={text}", pools.keys, value),
        st.sampled_from(["# comment", "", "  INDENTED=1", "NO_EQUALS", "K='v'", "E="]),
        *([] if pools.sane else [st.sampled_from(["export X=1", "A B"]), _TEXT]),
    )
    prefixes = st.sampled_from([b"", b"\xef\xbb\xbf"]) if pools.sane else _PREFIXES
    text = st.builds(
        lambda prefix, lines, newline: prefix + newline.join(lines).encode("utf-8", "replace"),
        prefixes,
        st.lists(line, max_size=5),
        st.sampled_from(["\n", "\r\n"]),
    )
    return text if pools.sane else st.one_of(text, _BYTES)


def _options(pools: _Pools) -> st.SearchStrategy[dict[str, Any]]:
    flag = st.booleans() if pools.sane else st.one_of(st.booleans(), _SCALARS)
    return st.fixed_dictionaries(
        {},
        optional={
            "disableNameSuffixHash": flag,
            "immutable": flag,
            "labels": st.dictionaries(pools.keys, pools.names, max_size=2),
            "annotations": st.dictionaries(pools.keys, pools.text, max_size=2),
        },
    )


def _resource_text(pools: _Pools) -> st.SearchStrategy[str]:
    objects = st.builds(
        lambda name, kind, data: json.dumps(
            {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}, "data": data},
            ensure_ascii=False,
        ),
        pools.names,
        st.sampled_from(["ConfigMap", "Secret"]),
        st.dictionaries(pools.keys, pools.text, max_size=3),
    )
    pods = st.builds(
        lambda name, key, optional: (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
            "  - name: c\n    image: i\n    envFrom:\n    - secretRef:\n"
            f"        name: {json.dumps(name)}\n    env:\n    - name: X\n      valueFrom:\n"
            f"        configMapKeyRef:\n          name: {json.dumps(name)}\n"
            f"          key: {json.dumps(key)}\n          optional: {json.dumps(optional)}\n"
        ),
        pools.names,
        pools.keys,
        st.booleans(),
    )
    return st.one_of(objects, pods) if pools.sane else st.one_of(objects, pods, _HOSTILE_RESOURCES)


@st.composite
def _generator(
    draw: st.DrawFn, kind: str, files: dict[str, bytes], pools: _Pools
) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": draw(pools.names)}
    if draw(st.booleans()):
        literal = st.one_of(_pair(pools), pools.text) if not pools.sane else _pair(pools)
        entry["literals"] = draw(st.lists(literal, max_size=3))
    for _ in range(draw(st.integers(0, 2))):
        path = f"f{len(files)}.bin"
        files[path] = draw(_BYTES)
        key = draw(st.one_of(st.none(), pools.keys))
        entry.setdefault("files", []).append(path if key is None else f"{key}={path}")
    for _ in range(draw(st.integers(0, 2))):
        path = f"e{len(files)}.env"
        files[path] = draw(_env_file(pools))
        entry.setdefault("envs", []).append(path)
    if draw(st.booleans()):
        entry["options"] = draw(_options(pools))
    if not pools.sane and draw(st.integers(0, 3)) == 0:
        entry["behavior"] = draw(st.one_of(st.sampled_from(["create", "merge", "replace"]), _TEXT))
    if draw(st.integers(0, 3)) == 0:
        entry["namespace"] = draw(pools.names)
    if kind == "secretGenerator" and draw(st.booleans()):
        entry["type"] = draw(st.just("Opaque") if pools.sane else _SECRET_TYPES)
    return entry


@st.composite
def trees(draw: st.DrawFn) -> dict[str, bytes]:
    """A kustomization and the files it names: in half the trees every name, key and value
    looks valid (so that builds succeed), in the other half anything goes."""
    pools = _pools(draw(st.booleans()))
    files: dict[str, bytes] = {}
    kustomization: dict[str, Any] = {}
    for field in ("secretGenerator", "configMapGenerator"):
        count = draw(st.integers(1 if pools.sane and field == "secretGenerator" else 0, 2))
        entries = [draw(_generator(field, files, pools)) for _ in range(count)]
        if entries:
            kustomization[field] = entries
    if draw(st.booleans()):
        files["resource.yaml"] = draw(_resource_text(pools)).encode("utf-8", "surrogatepass")
        kustomization["resources"] = ["resource.yaml"]
    for field in ("namePrefix", "nameSuffix", "namespace"):
        if draw(st.integers(0, 4)) == 0:
            kustomization[field] = draw(pools.names)
    if draw(st.integers(0, 4)) == 0:
        kustomization["generatorOptions"] = draw(_options(pools))
    text = json.dumps(kustomization, ensure_ascii=not pools.sane and draw(st.booleans()))
    if not pools.sane and draw(st.integers(0, 4)) == 0:
        text = draw(st.one_of(_TEXT, _resource_text(pools)))
    files["kustomization.yaml"] = text.encode("utf-8", "surrogatepass")
    return files


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    tree=trees(),
    flags=st.lists(
        st.sampled_from(["--strict", "--no-validate", "--hash=kustomize"]), unique=True, max_size=2
    ),
)
def test_any_tree_builds_or_fails_cleanly(tree: dict[str, bytes], flags: list[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        _write(root, tree)
        first = _invoke(["build", str(root), *flags])
        second = _invoke(["build", str(root), *flags])
    code, stdout, stderr = first
    event(f"exit {code}")
    assert "Traceback" not in stderr
    assert code in (0, 1), stderr
    if code == 0:
        assert first == second
        assert all(line.startswith("kgen: warning: ") for line in stderr.splitlines()), stderr
    else:
        assert stdout == ""
        assert stderr.startswith("kgen: error: "), stderr
        assert second == first


# ------------------------------------------------------------------------------------------
# Determinism across hash seeds, locales and file creation order.

TREE: dict[str, bytes] = {
    "base/kustomization.yaml": b"""\
resources:
- deployment.yaml
configMapGenerator:
- name: app-config
  envs:
  - app.env
  literals:
  - mode=production
  - greeting=h\xc3\xa9llo w\xc3\xb6rld
secretGenerator:
- name: db-creds
  literals:
  - username=app
  - password=d3term-In1stic
  files:
  - ca.crt
  - tls.key=key.pem
""",
    "base/app.env": b'\xef\xbb\xbfLOG_LEVEL=info\r\nQUOTED="kept"\nZETA=last\nALPHA=first\n',
    "base/ca.crt": b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    "base/key.pem": bytes(range(256)),
    "base/deployment.yaml": b"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: registry.example.com/api:1
        envFrom:
        - configMapRef: {name: app-config}
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db-creds, key: password}
""",
    "overlay/kustomization.yaml": b"""\
namePrefix: prod-
namespace: prod
generatorOptions:
  labels: {tier: backend, env: prod}
resources:
- ../base
configMapGenerator:
- name: app-config
  behavior: merge
  literals:
  - mode=overlay
  - season=\xc3\xa9t\xc3\xa9
secretGenerator:
- name: extra
  options:
    annotations: {z: "1", a: "2", m: "3"}
  literals:
  - k2=v2
  - k1=v1
""",
}


def _run_kgen(cwd: Path, env: dict[str, str], *args: str) -> tuple[int, bytes, bytes]:
    result = subprocess.run(
        [sys.executable, "-m", "kgen", "build", "overlay", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("hash_args", [(), ("--hash", "kustomize")], ids=["xxhash", "kustomize"])
def test_output_is_identical_across_seeds_locales_and_file_order(
    tmp_path: Path, hash_args: tuple[str, ...]
) -> None:
    forward = tmp_path / "forward"
    backward = tmp_path / "backward"
    _write(forward, TREE)
    for name in reversed(list(TREE)):  # directories and files created in the other order
        _write(backward, {name: TREE[name]})
    results = {}
    for seed in ("0", "1", "12345"):
        for locale in ("C", "C.UTF-8"):
            env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": locale, "LANG": locale}
            results[(seed, locale)] = _run_kgen(forward, env, *hash_args)
    env = {**os.environ, "PYTHONHASHSEED": "random", "LC_ALL": "C.UTF-8"}
    results[("backward", "C.UTF-8")] = _run_kgen(backward, env, *hash_args)
    reference = results[("0", "C")]
    assert reference[0] == 0, reference[2].decode()
    assert b"prod-app-config-" in reference[1]
    assert b"[env-quotes]" in reference[2]
    for variant, result in results.items():
        assert result == reference, variant


# ------------------------------------------------------------------------------------------
# Hostile input: fast, bounded memory, a clear one-line error.

MEMORY_LIMIT = 1024**3
HANG_GUARD = 300
"""Seconds before a run counts as hung: a guard against a hang, not a speed limit (the work
is bounded by counts, pinned in test_yamlio and test_paths; speed is benchmarks/run.py's)."""
RESOURCES = b"resources:\n- r.yaml\n"


def _alias_bomb() -> bytes:
    lines = [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n",
        "x0: &x0 [" + ", ".join(['"lol"'] * 10) + "]\n",
    ]
    lines.extend(f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]\n" for i in range(1, 10))
    lines.append("data:\n  k: *x9\n")
    return "".join(lines).encode()


def _deep_flow() -> bytes:
    depth = 100_000
    return b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nx: " + (
        b"[" * depth + b"]" * depth + b"\n"
    )


def _garbage(size: int) -> bytes:
    state = 0x2545F491
    out = bytearray()
    for _ in range(size):  # xorshift32: deterministic noise
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        out.append(state & 0xFF)
    return bytes(out)


NUL_RESOURCE = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\x00b\ndata:\n  k: \x00\n"
SECRET_FILE = b"secretGenerator:\n- name: big\n  files:\n  - blob.bin\n"
HOSTILE: dict[str, tuple[dict[str, bytes], str, tuple[str, ...]]] = {
    # id: (files, outcome, words the one-line message must contain)
    "alias-bomb": (
        {"kustomization.yaml": RESOURCES, "r.yaml": _alias_bomb()},
        "error",
        ("r.yaml",),
    ),
    "deep-flow-sequence": (
        {"kustomization.yaml": RESOURCES, "r.yaml": _deep_flow()},
        "error",
        ("r.yaml", "nesting"),
    ),
    "nine-megabyte-secret-source": (
        {"kustomization.yaml": SECRET_FILE, "blob.bin": bytes(range(256)) * (9 * 4096)},
        "ok-or-size",
        ("secretGenerator[big]", "[object-size]"),
    ),
    "million-level-dockerconfigjson": (
        {
            "kustomization.yaml": b"secretGenerator:\n- name: registry\n"
            b"  type: kubernetes.io/dockerconfigjson\n  files:\n  - .dockerconfigjson=deep.json\n",
            "deep.json": b"[" * 500_000 + b"]" * 500_000,
        },
        "error",
        ("secretGenerator[registry]", "deeper than 10,000 levels", "[secret-type]"),
    ),
    "binary-kustomization": (
        {"kustomization.yaml": _garbage(4096)},
        "error",
        ("kustomization.yaml",),
    ),
    "nul-bytes-in-resource": (
        {
            "kustomization.yaml": RESOURCES,
            "r.yaml": NUL_RESOURCE,
        },
        "error",
        ("r.yaml",),
    ),
    "empty-kustomization": ({"kustomization.yaml": b""}, "error", ("kustomization.yaml",)),
    "kustomization-is-a-list": (
        {"kustomization.yaml": b"- resources:\n  - r.yaml\n"},
        "error",
        ("kustomization.yaml", "mapping"),
    ),
    "kustomization-is-a-scalar": (
        {"kustomization.yaml": b"just some text\n"},
        "error",
        ("kustomization.yaml", "mapping"),
    ),
    "non-utf8-env-file": (
        {
            "kustomization.yaml": b"secretGenerator:\n- name: s\n  envs:\n  - a.env\n",
            "a.env": b"USER=admin\nPASSWORD=caf\xe9-L4t1n-1\n",
        },
        "error",
        ("secretGenerator[s].envs[0]", "a.env line 2", "UTF-8"),
    ),
    "empty-resource-file": (
        {
            "kustomization.yaml": RESOURCES
            + b"configMapGenerator:\n- name: c\n  literals:\n  - k=v\n",
            "r.yaml": b"",
        },
        "ok",
        (),
    ),
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_fails_clearly_in_bounded_memory(tmp_path: Path, name: str) -> None:
    files, outcome, words = HOSTILE[name]
    _write(tmp_path, files)
    result = subprocess.run(
        [sys.executable, "-m", "kgen", "build", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=HANG_GUARD,
        check=False,
        preexec_fn=_limit_memory,
    )
    stderr = result.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in stderr
    if outcome == "ok" or (outcome == "ok-or-size" and result.returncode == 0):
        assert (result.returncode, stderr) == (0, "")
        assert result.stdout.startswith(b"apiVersion: v1\n")
        return
    assert result.returncode == 1, stderr
    assert result.stdout == b""
    assert stderr.startswith("kgen: error: "), stderr
    assert stderr.count("\n") == 1, stderr
    for word in words:
        assert word in stderr
    assert "caf" not in stderr
