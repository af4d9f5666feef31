"""kgen.edit: ``kgen edit add secret|configmap`` edits a kustomization in place.

Whole files are compared byte for byte: comments, key order, quoting and indentation of the
user's file survive; only the generator list changes.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from kgen import yamlio
from kgen.edit import GeneratorEdit, add_generator
from kgen.errors import GeneratorError, KgenError, LoadError
from kgen.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent

ORIGINAL = """\
# Production overlay: the app and its credentials.
namespace: prod   # every object
resources:
- deployment.yaml  # the app
secretGenerator:
- name: db-user-pass
  type: Opaque
  literals:
  - username='admin'
  - "password=s3cr#t"   # rotated in May
  files:
  - ssh-privatekey=keys/id_ed25519
# Plain settings below.
configMapGenerator:
- name: app-config
  literals:
  - mode=production

# end of file
"""

SECRET_PASSWORD = "T0p-S3cret!value"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kustomization directory (the working directory, so messages say kustomization.yaml)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kustomization.yaml").write_text(ORIGINAL)
    (tmp_path / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n"
    )
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "id_ed25519").write_text("private key\n")
    (tmp_path / "tls.crt").write_text("certificate\n")
    (tmp_path / "db.env").write_text("# database\nDB_HOST=db\nDB_PORT=5432\n")
    return tmp_path


def edited(work: Path, edit: GeneratorEdit) -> str:
    assert add_generator(work, edit) == work / "kustomization.yaml"
    return (work / "kustomization.yaml").read_text()


def failure(work: Path, edit: GeneratorEdit, kind: type[KgenError] = GeneratorError) -> str:
    before = (work / "kustomization.yaml").read_bytes()
    with pytest.raises(kind) as info:
        add_generator(work, edit)
    assert (work / "kustomization.yaml").read_bytes() == before
    assert sorted(p.name for p in work.iterdir() if p.name.endswith(".tmp")) == []
    return str(info.value)


def secret(**kwargs: Any) -> GeneratorEdit:
    return GeneratorEdit("Secret", **kwargs)


# ---------------------------------------------------------------------------------------------
# Edits, whole files


def test_new_generator_in_existing_file(work: Path) -> None:
    text = edited(
        work,
        secret(
            name="api-token",
            literals=("token=abc", "note=a: b", "enabled=yes"),
            files=("tls.crt",),
        ),
    )
    assert text == ORIGINAL.replace(
        "# Plain settings below.\n",
        "- name: api-token\n"
        "  literals:\n"
        "  - token=abc\n"
        "  - 'note=a: b'\n"
        "  - enabled=yes\n"
        "  files:\n"
        "  - tls.crt\n"
        "# Plain settings below.\n",
    )


def test_new_key_in_existing_generator(work: Path) -> None:
    text = edited(
        work,
        secret(name="db-user-pass", literals=("host=db.prod",), files=("cert=tls.crt",)),
    )
    assert text == ORIGINAL.replace(
        '  - "password=s3cr#t"   # rotated in May\n  files:\n  - ssh-privatekey=keys/id_ed25519\n',
        '  - "password=s3cr#t"   # rotated in May\n'
        "  - host=db.prod\n"
        "  files:\n"
        "  - ssh-privatekey=keys/id_ed25519\n"
        "  - cert=tls.crt\n",
    )


def test_last_generator_keeps_the_file_footer_last(work: Path) -> None:
    text = edited(work, GeneratorEdit("ConfigMap", "app-config", literals=("level=debug",)))
    assert text == ORIGINAL.replace(
        "  - mode=production\n", "  - mode=production\n  - level=debug\n"
    )


def test_force_replaces_literal_in_place(work: Path) -> None:
    text = edited(
        work, secret(name="db-user-pass", literals=(f"password={SECRET_PASSWORD}",), force=True)
    )
    assert text == ORIGINAL.replace(
        '  - "password=s3cr#t"   # rotated in May\n',
        # the comment keeps its column where the value leaves room (here it does not)
        f'  - "password={SECRET_PASSWORD}" # rotated in May\n',
    )


def test_force_replaces_file_source(work: Path) -> None:
    (work / "keys" / "new_key").write_text("new key\n")
    text = edited(
        work,
        secret(name="db-user-pass", files=("ssh-privatekey=keys/new_key",), force=True),
    )
    assert text == ORIGINAL.replace("ssh-privatekey=keys/id_ed25519", "ssh-privatekey=keys/new_key")


def test_force_replaces_file_key_with_literal(work: Path) -> None:
    text = edited(work, secret(name="db-user-pass", literals=("ssh-privatekey=k",), force=True))
    assert text == ORIGINAL.replace(
        '  - "password=s3cr#t"   # rotated in May\n  files:\n  - ssh-privatekey=keys/id_ed25519\n',
        '  - "password=s3cr#t"   # rotated in May\n  - ssh-privatekey=k\n',
    )


def test_env_file(work: Path) -> None:
    text = edited(work, secret(name="db-user-pass", env_files=("db.env",)))
    assert text == ORIGINAL.replace(
        "  - ssh-privatekey=keys/id_ed25519\n",
        "  - ssh-privatekey=keys/id_ed25519\n  envs:\n  - db.env\n",
    )


def test_options_behavior_type_namespace(work: Path) -> None:
    text = edited(
        work,
        secret(
            name="tls",
            namespace="web",
            behavior="create",
            secret_type="kubernetes.io/tls",
            files=("tls.crt", "tls.key=keys/id_ed25519"),
            disable_name_suffix_hash=True,
            immutable=True,
        ),
    )
    assert text == ORIGINAL.replace(
        "# Plain settings below.\n",
        "- name: tls\n"
        "  namespace: web\n"
        "  behavior: create\n"
        "  type: kubernetes.io/tls\n"
        "  files:\n"
        "  - tls.crt\n"
        "  - tls.key=keys/id_ed25519\n"
        "  options:\n"
        "    disableNameSuffixHash: true\n"
        "    immutable: true\n"
        "# Plain settings below.\n",
    )


def test_options_on_existing_generator(work: Path) -> None:
    text = edited(work, secret(name="db-user-pass", immutable=True, secret_type="Opaque"))
    assert text == ORIGINAL.replace(
        "  - ssh-privatekey=keys/id_ed25519\n",
        "  - ssh-privatekey=keys/id_ed25519\n  options:\n    immutable: true\n",
    )


def test_configmap_list_created_at_the_end(work: Path) -> None:
    (work / "kustomization.yaml").write_text("resources:\n- deployment.yaml\n# - debug.yaml\n")
    text = edited(work, GeneratorEdit("ConfigMap", "settings", literals=("on=yes", "port=0777")))
    assert text == (
        "resources:\n"
        "- deployment.yaml\n"
        "# - debug.yaml\n"
        "configMapGenerator:\n"
        "- name: settings\n"
        "  literals:\n"
        "  - on=yes\n"
        "  - port=0777\n"
    )


def test_footer_after_blank_line_stays_last(work: Path) -> None:
    (work / "kustomization.yaml").write_text("resources:\n- deployment.yaml\n\n# footer\n")
    text = edited(work, secret(name="s", literals=("a=b",)))
    assert text == (
        "resources:\n- deployment.yaml\nsecretGenerator:\n- name: s\n  literals:\n  - a=b\n"
        "\n# footer\n"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("yes", '"yes"'),
        ("0777", '"0777"'),
        ("null", '"null"'),
        ("plain-name", "plain-name"),
    ],
)
def test_names_that_yaml_11_reads_as_other_types_are_quoted(
    work: Path, value: str, written: str
) -> None:
    text = edited(work, GeneratorEdit("ConfigMap", value, literals=("a=b",)))
    assert f"- name: {written}\n  literals:\n  - a=b\n\n# end of file\n" in text


def test_indented_sequences_are_kept(work: Path) -> None:
    (work / "kustomization.yaml").write_text(
        "resources:\n  - deployment.yaml\nsecretGenerator:\n  - name: s\n    literals:\n"
        "      - a=b\n"
    )
    text = edited(work, secret(name="s", literals=("c=d",), files=("tls.crt",)))
    assert text == (
        "resources:\n  - deployment.yaml\nsecretGenerator:\n  - name: s\n    literals:\n"
        "      - a=b\n      - c=d\n    files:\n      - tls.crt\n"
    )


def test_crlf_and_mode_kept(work: Path) -> None:
    path = work / "kustomization.yaml"
    path.write_bytes(b"resources:\r\n- deployment.yaml # app\r\n")
    path.chmod(0o600)
    add_generator(work, secret(name="s", literals=("a=b",)))
    assert path.read_bytes() == (
        b"resources:\r\n- deployment.yaml # app\r\nsecretGenerator:\r\n- name: s\r\n"
        b"  literals:\r\n  - a=b\r\n"
    )
    assert path.stat().st_mode & 0o777 == 0o600


def test_new_kustomization(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tls.crt").write_text("certificate\n")
    path = add_generator(tmp_path, secret(name="web-tls", files=("tls.crt",)))
    assert path == tmp_path / "kustomization.yaml"
    assert path.read_text() == (
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        "secretGenerator:\n"
        "- name: web-tls\n"
        "  files:\n"
        "  - tls.crt\n"
    )


def test_other_kustomization_file_names(work: Path) -> None:
    (work / "kustomization.yaml").rename(work / "Kustomization")
    path = add_generator(work, secret(name="s", literals=("a=b",)))
    assert path == work / "Kustomization"
    assert not (work / "kustomization.yaml").exists()


def test_absolute_path_inside_is_stored_relative(work: Path) -> None:
    text = edited(work, secret(name="s", files=(str(work / "keys" / "id_ed25519"),)))
    assert "  files:\n  - keys/id_ed25519\n" in text


# ---------------------------------------------------------------------------------------------
# Errors: nothing written, messages name the file and the entry and never a value


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            secret(name="db-user-pass", literals=("password=x",)),
            'kustomization.yaml: secretGenerator[db-user-pass]: key "password" already exists '
            "(use --force to replace it)",
            id="duplicate-literal",
        ),
        pytest.param(
            secret(name="db-user-pass", files=("keys/id_ed25519",), literals=("id_ed25519=x",)),
            'kustomization.yaml: secretGenerator[db-user-pass]: --from-file[0]: key "id_ed25519" '
            "is given twice (first by --from-literal[0])",
            id="duplicate-new-keys",
        ),
        pytest.param(
            secret(name="db-user-pass", files=("ssh-privatekey=tls.crt",)),
            'kustomization.yaml: secretGenerator[db-user-pass]: key "ssh-privatekey" already '
            "exists (use --force to replace it)",
            id="duplicate-file-key",
        ),
        pytest.param(
            secret(name="db-user-pass", secret_type="kubernetes.io/tls", literals=("a=b",)),
            'kustomization.yaml: secretGenerator[db-user-pass]: --type "kubernetes.io/tls" does '
            'not match: the generator has type "Opaque"',
            id="type-mismatch",
        ),
        pytest.param(
            secret(name="db-user-pass", namespace="dev", literals=("a=b",)),
            'kustomization.yaml: secretGenerator[db-user-pass]: --namespace "dev" does not '
            "match: the generator has no namespace",
            id="namespace-mismatch",
        ),
        pytest.param(
            secret(name="db-user-pass", behavior="merge", literals=("a=b",)),
            'kustomization.yaml: secretGenerator[db-user-pass]: --behavior "merge" does not '
            'match: the generator has behavior "create"',
            id="behavior-mismatch",
        ),
        pytest.param(
            secret(name="s", behavior="upsert"),
            "kustomization.yaml: secretGenerator[s]: --behavior: must be create, merge or "
            'replace, not "upsert"',
            id="behavior-unknown",
        ),
        pytest.param(
            GeneratorEdit("ConfigMap", "c", secret_type="Opaque"),
            "kustomization.yaml: configMapGenerator[c]: --type is only for a Secret",
            id="configmap-type",
        ),
        pytest.param(
            secret(name="s", literals=("a=b", "c=d", SECRET_PASSWORD)),
            "kustomization.yaml: secretGenerator[s]: --from-literal[2]: expected KEY=VALUE",
            id="literal-without-equals",
        ),
        pytest.param(
            secret(name="s", literals=(f"={SECRET_PASSWORD}",)),
            "kustomization.yaml: secretGenerator[s]: --from-literal[0]: expected KEY=VALUE "
            "(the key is empty)",
            id="literal-empty-key",
        ),
        pytest.param(
            secret(name="s", literals=(f"pass word={SECRET_PASSWORD}",)),
            'kustomization.yaml: secretGenerator[s]: --from-literal[0]: key "pass word" is not '
            "a valid key: keys cannot contain whitespace",
            id="invalid-key",
        ),
        pytest.param(
            secret(name="s", files=("a/b:c=tls.crt",)),
            'kustomization.yaml: secretGenerator[s]: --from-file[0]: key "a/b:c" is not a '
            "valid key: only alphanumerics, '-', '_' and '.' are allowed",
            id="invalid-file-key",
        ),
        pytest.param(
            secret(name="s", files=("=tls.crt",)),
            'kustomization.yaml: secretGenerator[s]: --from-file[0] "=tls.crt": expected '
            "[key=]path: the key is empty",
            id="file-empty-key",
        ),
    ],
)
def test_errors(work: Path, edit: GeneratorEdit, message: str) -> None:
    text = failure(work, edit)
    assert text == message
    assert SECRET_PASSWORD not in text


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(("missing.crt",), "file not found: work/missing.crt", id="missing"),
        pytest.param(("keys",), "work/keys is not a file", id="directory"),
        pytest.param(
            ("../outside.txt",),
            "outside.txt is outside the kustomization directory work",
            id="outside",
        ),
        pytest.param(
            ("link.txt",),
            "work/link.txt is outside the kustomization directory work",
            id="symlink-outside",
        ),
    ],
)
def test_file_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    work = tmp_path / "work"
    (work / "keys").mkdir(parents=True)
    (work / "kustomization.yaml").write_text(ORIGINAL)
    (tmp_path / "outside.txt").write_text("x")
    (work / "link.txt").symlink_to(tmp_path / "outside.txt")
    text = failure(work, secret(name="s", files=files), LoadError)
    assert text == f"work/kustomization.yaml: secretGenerator[s]: --from-file[0]: {message}"


def test_existing_env_file_outside_the_root_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "host.env").write_text(f"PASSWORD={SECRET_PASSWORD}\n")
    (work / "link.env").symlink_to(tmp_path / "host.env")
    for env in ("../host.env", "link.env"):
        (work / "kustomization.yaml").write_text(f"secretGenerator:\n- name: s\n  envs: [{env}]\n")
        text = failure(work, secret(name="s", literals=("PASSWORD=new",)), LoadError)
        shown = "host.env" if env.startswith("..") else "work/link.env"
        assert text == (
            f"work/kustomization.yaml: secretGenerator[s].envs[0]: {shown} is outside the "
            "kustomization root work (use --load-restrictor LoadRestrictionsNone to allow it)"
        )
        text = failure(work, secret(name="s", literals=("PASSWORD=new",), restrict=False))
        assert text == (
            'work/kustomization.yaml: secretGenerator[s]: key "PASSWORD" already exists (use '
            "--force to replace it)"
        )


def test_env_key_cannot_be_replaced(work: Path) -> None:
    add_generator(work, secret(name="db-user-pass", env_files=("db.env",)))
    text = failure(work, secret(name="db-user-pass", literals=("DB_PORT=1",), force=True))
    assert text == (
        'kustomization.yaml: secretGenerator[db-user-pass]: key "DB_PORT" cannot be replaced: '
        "it comes from env file db.env"
    )


def test_env_file_key_already_exists(work: Path) -> None:
    (work / "more.env").write_text("password=x\n")
    text = failure(work, secret(name="db-user-pass", env_files=("more.env",)))
    assert text == (
        'kustomization.yaml: secretGenerator[db-user-pass]: key "password" already exists '
        "(use --force to replace it)"
    )


def test_env_file_invalid_key_never_shows_the_line(work: Path) -> None:
    (work / "bad.env").write_text(f"GOOD=1\n{SECRET_PASSWORD} x\n")
    text = failure(work, secret(name="s", env_files=("bad.env",)))
    assert text == (
        "kustomization.yaml: secretGenerator[s]: --from-env-file[0]: bad.env line 2: the line "
        "has no '=', so the whole line would be the key, which is not a valid key (is an '=' "
        "missing?)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            f"secretGenerator:\n- name: s\n  literals: ['password={SECRET_PASSWORD}']\n"
            "  literals: ['password=other-Value']\n",
            "invalid YAML at line 4, column 3: found a duplicate key (while constructing a "
            "mapping that starts at line 2, column 3)",
            id="duplicate-key",
        ),
        pytest.param(
            f"secretGenerator: *{SECRET_PASSWORD[:4]}\n",
            "invalid YAML at line 1, column 18: found undefined alias",
            id="undefined-alias",
        ),
        pytest.param(
            "secretGenerator: !T0p!x y\n",
            "invalid YAML at line 1, column 18: found undefined tag handle",
            id="undefined-tag-handle",
        ),
    ],
)
def test_yaml_errors_never_echo_the_file(work: Path, text: str, message: str) -> None:
    (work / "kustomization.yaml").write_text(text)
    got = failure(work, secret(name="s", literals=("a=b",)), LoadError)
    assert got == f"kustomization.yaml: {message}"


def test_broken_kustomization_is_not_edited(work: Path) -> None:
    (work / "kustomization.yaml").write_text("secretGenerator: [\n")
    text = failure(work, secret(name="s", literals=("a=b",)), LoadError)
    assert text.startswith("kustomization.yaml: invalid YAML at line 2")


# ---------------------------------------------------------------------------------------------
# End to end: the edited directory builds


def test_build_after_edit(work: Path) -> None:
    (work / "kustomization.yaml").write_text(
        ORIGINAL.replace("  files:\n  - ssh-privatekey=keys/id_ed25519\n", "")
    )
    add_generator(
        work,
        secret(
            name="db-user-pass",
            literals=(f"password={SECRET_PASSWORD}", "host=db"),
            files=("tls.crt",),
            force=True,
        ),
    )
    add_generator(work, GeneratorEdit("ConfigMap", "extra", env_files=("db.env",)))
    manifests = build(work, BuildOptions(hash_mode="kustomize")).manifests
    secrets = [m for m in manifests if m["kind"] == "Secret"]
    assert len(secrets) == 1
    assert secrets[0]["metadata"]["name"].startswith("db-user-pass-")
    assert secrets[0]["metadata"]["namespace"] == "prod"
    data = {key: base64.b64decode(value).decode() for key, value in secrets[0]["data"].items()}
    assert data == {
        "username": "admin",
        "password": SECRET_PASSWORD,
        "host": "db",
        "tls.crt": "certificate\n",
    }
    configmaps = {
        m["metadata"]["name"].rsplit("-", 1)[0]: m for m in manifests if m["kind"] == "ConfigMap"
    }
    assert configmaps["extra"]["data"] == {"DB_HOST": "db", "DB_PORT": "5432"}
    assert configmaps["app-config"]["data"] == {"mode": "production"}


# ---------------------------------------------------------------------------------------------
# yamlio round trip: an unedited file is written back byte for byte

KUSTOMIZATIONS = sorted(
    path
    for base in (ROOT / "fixtures", ROOT / "examples")
    for path in base.rglob("*")
    if path.name in ("kustomization.yaml", "kustomization.yml", "Kustomization")
)


def test_fixtures_exist() -> None:
    assert len(KUSTOMIZATIONS) > 50


@pytest.mark.parametrize(
    "path", KUSTOMIZATIONS, ids=[str(p.relative_to(ROOT)) for p in KUSTOMIZATIONS]
)
def test_round_trip_is_byte_identical(path: Path) -> None:
    data = path.read_bytes()
    assert yamlio.dump_round_trip(yamlio.load_round_trip(data, path.name)) == data


@pytest.mark.parametrize(
    "text",
    [
        ORIGINAL,
        "---\n# c\nresources:\n- a.yaml\n",
        "\ufeffresources:\r\n  - a.yaml # x\r\n",
        "resources:\n    - a\nsecretGenerator:\n    - name: x\n      literals:\n          - a=b\n",
        "a: &x {b: 1}\nc: *x\nd: 0o17\nf: 'single'\ng: \"dbl\"\nh: |\n  block\n  text\n",
        "resources: [a, b]  # flow\n",
        'configMapGenerator:\n- name: banner\n  literals:\n  - "text=first\\u0085second"\n',
    ],
    ids=["original", "explicit-start", "bom-crlf", "wide-indent", "styles", "flow", "nel"],
)
def test_round_trip_styles(text: str) -> None:
    data = text.encode()
    assert yamlio.dump_round_trip(yamlio.load_round_trip(data, "k.yaml")) == data


def test_result_that_reads_back_differently_is_not_written(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard behind string_scalar: unquoted, ``name: on`` would read back as a boolean."""
    monkeypatch.setattr(yamlio, "string_scalar", lambda text: text)
    text = failure(work, GeneratorEdit("ConfigMap", "on", literals=("a=b",)), KgenError)
    assert text.startswith("kustomization.yaml: configMapGenerator[1]: name: expected a string")


# ---------------------------------------------------------------------------------------------
# What the build would refuse, refused before anything is written


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            secret(name="Bad_Name", literals=("a=b",)),
            (
                'kustomization.yaml: secretGenerator[Bad_Name]: Secret name "Bad_Name-mcb88f5228" '
                "is not a valid DNS subdomain (lowercase alphanumerics, '-' and '.', starting and "
                "ending with an alphanumeric, at most 253 characters) [object-name]"
            ),
        ),
        (
            secret(name="tls", secret_type="kubernetes.io/tls", files=("tls.crt",)),
            (
                "kustomization.yaml: secretGenerator[tls]: type kubernetes.io/tls needs the keys "
                "tls.crt and tls.key; missing: tls.key [secret-type]"
            ),
        ),
    ],
    ids=["object-name", "secret-type"],
)
def test_an_edit_the_build_would_refuse_is_refused_under_the_same_rule(
    work: Path, edit: GeneratorEdit, message: str
) -> None:
    from kgen.errors import FindingsError

    assert failure(work, edit, FindingsError) == message


def test_a_new_generator_without_a_source_is_refused(work: Path) -> None:
    assert failure(work, secret(name="empty")) == (
        "kustomization.yaml: secretGenerator[empty]: a new generator needs a source: "
        "--from-literal, --from-file or --from-env-file"
    )


def test_round_trip_keeps_braces_of_a_one_entry_mapping_in_a_flow_list() -> None:
    data = b"patches: [{path: p.yaml}]\nlabels: [{pairs: {a: b}}, {pairs: {c: d}, x: y}]\n"
    assert yamlio.dump_round_trip(yamlio.load_round_trip(data, "kustomization.yaml")) == data
