"""kgen.decryption and SOPS in whole builds: encrypted sources and Secret manifests build to the
stream their plain files build to (both hash modes, and as kubectl kustomize builds the plain
tree), ``--no-decrypt`` refuses them, and no decrypted value reaches a message, a diff or a
file other than the intended output."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sopsfiles  # tests/sopsfiles.py (pytest puts tests/ on the path)

from kgen.decryption import Decryptor
from kgen.errors import DecryptError

KUBECTL = shutil.which("kubectl")
GPG = shutil.which("gpg")
PASSWORD = "hunter2-correct-horse"
TOKEN = b"tok-\x00\xffbinary-token"
ENV = {"DB_PASSWORD": PASSWORD, "DB_USER": "app-user", "MODE_unencrypted": "prod"}
MANIFEST = {"api-key": "k3y-of-the-api-9876"}


def _kgen(
    cwd: Path, *args: str, environ: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd / ".no-home"),
        **(environ or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "kgen", *args], cwd=cwd, env=env, capture_output=True, check=False
    )


_KUSTOMIZATION = """\
resources:
- secret.yaml
secretGenerator:
- name: db
  envs: [db.env]
  files: [token=token.bin]
configMapGenerator:
- name: settings
  files: [settings.yaml]
"""
_SETTINGS = {"log": {"level": "debug"}, "feature_key": "f3ature-s3cret-value"}


def _trees(tmp_path: Path) -> tuple[Path, Path, sopsfiles.Identity]:
    """The same kustomization twice: ``enc`` with SOPS files, ``plain`` with the plain files
    (as ``sops -d`` writes them)."""
    owner = sopsfiles.Identity()
    enc, plain = tmp_path / "enc", tmp_path / "plain"
    for root in (enc, plain):
        root.mkdir()
        (root / "kustomization.yaml").write_text(_KUSTOMIZATION)
    (enc / "db.env").write_bytes(sopsfiles.dotenv(ENV, owner.recipient))
    (plain / "db.env").write_text("".join(f"{k}={v}\n" for k, v in ENV.items()))
    (enc / "token.bin").write_bytes(sopsfiles.binary(TOKEN, owner.recipient))
    (plain / "token.bin").write_bytes(TOKEN)
    (enc / "secret.yaml").write_bytes(sopsfiles.secret_yaml("api", MANIFEST, owner.recipient))
    (plain / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n"
        + "".join(f"  {k}: {v}\n" for k, v in MANIFEST.items())
    )
    (enc / "settings.yaml").write_bytes(sopsfiles.yaml_file(_SETTINGS, owner.recipient))
    (plain / "settings.yaml").write_text(
        "log:\n    level: debug\nfeature_key: f3ature-s3cret-value\n"
    )
    (tmp_path / "keys.txt").write_text(owner.key_file())
    return enc, plain, owner


@pytest.mark.parametrize("hash_mode", ["kustomize", "xxhash"])
def test_encrypted_sources_build_the_stream_of_their_plain_files(
    tmp_path: Path, hash_mode: str
) -> None:
    enc, plain, _ = _trees(tmp_path)
    keys = {"SOPS_AGE_KEY_FILE": str(tmp_path / "keys.txt")}
    built = _kgen(enc, "build", ".", "--hash", hash_mode, environ=keys)
    expected = _kgen(plain, "build", ".", "--hash", hash_mode)
    assert (built.returncode, built.stderr) == (0, b"")
    assert built.stdout == expected.stdout
    assert base64.b64encode(TOKEN) in built.stdout
    assert b"sops" not in built.stdout
    assert b"ENC[" not in built.stdout


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_the_stream_is_what_kubectl_kustomize_builds_of_the_plain_files(tmp_path: Path) -> None:
    enc, plain, _ = _trees(tmp_path)
    assert KUBECTL is not None
    oracle = subprocess.run(
        [KUBECTL, "kustomize", str(plain)], capture_output=True, check=True
    ).stdout
    flag = ("--age-key-file", str(tmp_path / "keys.txt"))
    built = _kgen(enc, "build", ".", "--hash", "kustomize", *flag)
    assert (built.returncode, built.stdout, built.stderr) == (0, oracle, b"")


def test_keys_from_sops_age_key_and_the_default_file(tmp_path: Path) -> None:
    enc, plain, owner = _trees(tmp_path)
    expected = _kgen(plain, "build", ".").stdout
    assert _kgen(enc, "build", ".", environ={"SOPS_AGE_KEY": owner.secret}).stdout == expected
    config = tmp_path / "xdg" / "sops" / "age"
    config.mkdir(parents=True)
    (config / "keys.txt").write_text(owner.key_file())
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert _kgen(enc, "build", ".", environ=xdg).stdout == expected


@pytest.mark.skipif(GPG is None, reason="gpg is not installed")
def test_pgp_recipients_decrypt_through_gpg(tmp_path: Path) -> None:
    """The corpus' PGP binary file (two recipients, the key of the first published), read in
    place through a LoadRestrictionsNone build, with the key in a keyring of the test's own."""
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "sops"
    case = corpus / "pgp-binary-two-recipients"
    if not case.is_dir():
        pytest.skip("../shared/corpora/sops is absent")
    assert GPG is not None
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    gpg_env = {"GNUPGHOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    subprocess.run(
        [GPG, "--batch", "--quiet", "--import", str(case / "key.asc")],
        env=gpg_env,
        check=True,
        capture_output=True,
    )
    enc, plain = tmp_path / "enc", tmp_path / "plain"
    for root, source in ((enc, case / "example.txt"), (plain, case / "plain.bin")):
        root.mkdir()
        (root / "kustomization.yaml").write_text(
            f"secretGenerator:\n- name: s\n  files: [example.txt={source}]\n"
        )
    flags = ("--hash", "kustomize", "--load-restrictor", "LoadRestrictionsNone")
    try:
        built = _kgen(enc, "build", ".", *flags, environ={"GNUPGHOME": str(home)})
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=gpg_env, check=False, capture_output=True)
    expected = _kgen(plain, "build", ".", *flags)
    assert (built.returncode, built.stderr) == (0, b"")
    assert built.stdout == expected.stdout
    assert base64.b64encode((case / "plain.bin").read_bytes())[:64] in built.stdout


def test_no_key_is_one_error_and_nothing_on_stdout(tmp_path: Path) -> None:
    enc, _, owner = _trees(tmp_path)
    built = _kgen(enc, "build", ".")
    assert built.returncode == 1
    assert built.stdout == b""
    assert built.stderr.decode() == (
        "kgen: error: kustomization.yaml: resources[0]: secret.yaml: cannot decrypt this SOPS "
        f"yaml file: no key fits: it is encrypted for age {owner.recipient}; kgen has no age "
        f"identity (looked in SOPS_AGE_KEY (unset), SOPS_AGE_KEY_FILE (unset), "
        f"{enc / '.no-home' / '.config' / 'sops' / 'age' / 'keys.txt'} (none); set "
        "SOPS_AGE_KEY_FILE or pass --age-key-file)\n"
    )


def test_a_tampered_source_fails_without_output(tmp_path: Path) -> None:
    enc, _, _ = _trees(tmp_path)
    data = (enc / "db.env").read_bytes()
    at = data.index(b"DB_USER=ENC[AES256_GCM,data:") + len(b"DB_USER=ENC[AES256_GCM,data:")
    flipped = bytes([data[at] ^ 0x01]) if chr(data[at] ^ 0x01).isalnum() else b"A"
    (enc / "db.env").write_bytes(data[:at] + flipped + data[at + 1 :])
    built = _kgen(enc, "build", ".", "--age-key-file", str(tmp_path / "keys.txt"))
    assert (built.returncode, built.stdout) == (1, b"")
    assert built.stderr.decode() == (
        "kgen: error: kustomization.yaml: secretGenerator[db].envs[0]: db.env: cannot decrypt "
        "this SOPS dotenv file: DB_USER: the value does not decrypt (its authentication tag "
        "does not match): the file was changed after sops wrote it\n"
    )


def test_no_decrypt_refuses_every_encrypted_file(tmp_path: Path) -> None:
    enc, _, _ = _trees(tmp_path)
    built = _kgen(enc, "build", ".", "--no-decrypt", "--age-key-file", str(tmp_path / "keys.txt"))
    assert (built.returncode, built.stdout) == (1, b"")
    assert built.stderr.decode().splitlines() == [
        (
            "kgen: error: kustomization.yaml: configMapGenerator[settings].files[0]: settings.yaml "
            "is SOPS-encrypted and was not decrypted (--no-decrypt): the generated value would be "
            "its ciphertext [sops-encrypted]"
        ),
        (
            "kgen: error: kustomization.yaml: secretGenerator[db].envs[0]: db.env is "
            "SOPS-encrypted and was not decrypted (--no-decrypt): the generated value would be "
            "its ciphertext [sops-encrypted]"
        ),
        (
            "kgen: error: kustomization.yaml: secretGenerator[db].files[0]: token.bin is "
            "SOPS-encrypted and was not decrypted (--no-decrypt): the generated value would be its "
            "ciphertext [sops-encrypted]"
        ),
        (
            "kgen: error: secret.yaml: document 1 (Secret api): the file is SOPS-encrypted (this "
            "object has a sops block) and was not decrypted (--no-decrypt): its values are "
            "ciphertext [sops-encrypted]"
        ),
    ]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_no_decrypt_without_validation_is_kustomize(tmp_path: Path) -> None:
    enc, _, _ = _trees(tmp_path)
    assert KUBECTL is not None
    oracle = subprocess.run([KUBECTL, "kustomize", str(enc)], capture_output=True, check=True)
    built = _kgen(enc, "build", ".", "--hash", "kustomize", "--no-decrypt", "--no-validate")
    assert (built.returncode, built.stdout, built.stderr) == (0, oracle.stdout, b"")


def test_an_encrypted_manifest_of_another_kind_is_an_error(tmp_path: Path) -> None:
    owner = sopsfiles.Identity()
    (tmp_path / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (tmp_path / "cm.yaml").write_bytes(
        sopsfiles.secret_yaml("c", {"a": "b-value"}, owner.recipient, kind="ConfigMap")
    )
    _fails_with(
        tmp_path,
        owner,
        "kustomization.yaml: resources[0]: cm.yaml: document 1 is SOPS-encrypted and has kind "
        "ConfigMap: kgen decrypts encrypted Secret manifests only (as Flux does); generate "
        "other objects from encrypted files with a generator",
    )


def _fails_with(root: Path, owner: sopsfiles.Identity, message: str) -> None:
    """The build of ``root``, with ``owner``'s key, fails with one error: ``message``."""
    built = _kgen(root, "build", ".", environ={"SOPS_AGE_KEY": owner.secret})
    assert (built.returncode, built.stdout) == (1, b"")
    assert built.stderr.decode() == f"kgen: error: {message}\n"


def test_an_encrypted_patch_is_an_error(tmp_path: Path) -> None:
    enc, _, owner = _trees(tmp_path)
    (enc / "patch.yaml").write_bytes(sopsfiles.secret_yaml("api", MANIFEST, owner.recipient))
    (enc / "kustomization.yaml").write_text(_KUSTOMIZATION + "patches:\n- path: patch.yaml\n")
    _fails_with(
        enc,
        owner,
        "kustomization.yaml: patches[0]: patch.yaml is SOPS-encrypted: kgen decrypts generator "
        "sources and Secret manifests, not patches (their values would be applied as "
        "ciphertext)",
    )


def test_check_redacts_decrypted_values_wherever_they_are(tmp_path: Path) -> None:
    enc, _, owner = _trees(tmp_path)
    keys = {"SOPS_AGE_KEY": owner.secret}
    rendered = _kgen(enc, "build", ".", environ=keys).stdout
    stale = rendered.replace(b"level: ", b"level:  ").replace(b"debug", b"info")
    (tmp_path / "rendered.yaml").write_bytes(stale)
    checked = _kgen(enc, "build", "--check", str(tmp_path / "rendered.yaml"), ".", environ=keys)
    assert checked.returncode == 1
    assert b"REDACTED-" in checked.stdout
    every = (PASSWORD, "app-user", "f3ature-s3cret-value", MANIFEST["api-key"])
    for value in every:
        assert value.encode() not in checked.stdout + checked.stderr
        assert base64.b64encode(value.encode()) not in checked.stdout


def test_a_decrypted_value_carried_into_a_message_is_redacted(tmp_path: Path) -> None:
    owner = sopsfiles.Identity()
    (tmp_path / "names.env").write_bytes(
        sopsfiles.dotenv({"NAME": "Not_A-Valid.Name-s3cret"}, owner.recipient)
    )
    (tmp_path / "kustomization.yaml").write_text(
        "configMapGenerator:\n- name: names\n  envs: [names.env]\n"
        "  options: {disableNameSuffixHash: true}\n"
        "resources: [cm.yaml]\n"
        "replacements:\n- source: {kind: ConfigMap, name: names, fieldPath: data.NAME}\n"
        "  targets:\n  - select: {kind: ConfigMap, name: target}\n"
        "    fieldPaths: [metadata.name]\n"
    )
    (tmp_path / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: target\ndata:\n  a: b\n"
    )
    built = _kgen(tmp_path, "build", ".", environ={"SOPS_AGE_KEY": owner.secret})
    assert (built.returncode, built.stdout) == (1, b"")
    assert b"s3cret" not in built.stderr
    assert b"<a Secret's value>" in built.stderr


def test_output_directory_holds_only_the_intended_output(tmp_path: Path) -> None:
    enc, plain, owner = _trees(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    built = _kgen(
        enc, "build", ".", "-o", str(out / "all.yaml"), environ={"SOPS_AGE_KEY": owner.secret}
    )
    assert (built.returncode, built.stdout) == (0, b"")
    assert sorted(p.name for p in out.iterdir()) == ["all.yaml"]
    assert (out / "all.yaml").read_bytes() == _kgen(plain, "build", ".").stdout
    # the one file the build wrote holds the values; none other does (the sources stay
    # encrypted, and nothing was left beside the output)
    for path in (*enc.rglob("*"), *tmp_path.glob("*")):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_the_decryptor_records_values_and_their_base64(tmp_path: Path) -> None:
    owner = sopsfiles.Identity()
    (tmp_path / "a.env").write_bytes(sopsfiles.dotenv({"A": PASSWORD, "B": "ab"}, owner.recipient))
    decryptor = Decryptor(environ={"SOPS_AGE_KEY": owner.secret})
    plain = decryptor.source(tmp_path / "a.env", (tmp_path / "a.env").read_bytes(), "here")
    assert plain == f"A={PASSWORD}\nB=ab\n".encode()
    assert PASSWORD in decryptor.values
    assert base64.b64encode(PASSWORD.encode()).decode() in decryptor.values
    assert "ab" not in decryptor.values  # too short to redact from messages
    assert decryptor.source(tmp_path / "x.env", b"A=1\n", "here") == b"A=1\n"


def test_the_decryptor_looks_for_keys_once(tmp_path: Path) -> None:
    owner = sopsfiles.Identity()
    decryptor = Decryptor(environ={"SOPS_AGE_KEY": owner.secret})
    assert decryptor.keys() is decryptor.keys()
    wrong = Decryptor(environ={"HOME": str(tmp_path)})
    with pytest.raises(DecryptError) as caught:
        wrong.source(tmp_path / "a.env", sopsfiles.dotenv({"A": "b"}, owner.recipient), "at")
    assert str(caught.value).startswith(
        f"at: {tmp_path / 'a.env'}: cannot decrypt this SOPS dotenv file: no key fits"
    )


def test_edit_reads_an_encrypted_env_file_and_keeps_it_encrypted(tmp_path: Path) -> None:
    owner = sopsfiles.Identity()
    encrypted = sopsfiles.dotenv({"API_TOKEN": PASSWORD}, owner.recipient)
    (tmp_path / "app.env").write_bytes(encrypted)
    (tmp_path / "cert.pem").write_bytes(sopsfiles.binary(b"-----BEGIN CERT-----", owner.recipient))
    keys = {"SOPS_AGE_KEY": owner.secret}
    edited = _kgen(
        tmp_path,
        "edit",
        "add",
        "secret",
        "app",
        "--from-env-file",
        "app.env",
        "--from-file",
        "cert.pem",
        environ=keys,
    )
    assert (edited.returncode, edited.stdout) == (0, b"")
    assert edited.stderr == b"kgen: updated kustomization.yaml: secretGenerator[app]\n"
    assert (tmp_path / "app.env").read_bytes() == encrypted
    kustomization = (tmp_path / "kustomization.yaml").read_text()
    assert "app.env" in kustomization
    assert "cert.pem" in kustomization
    assert PASSWORD not in kustomization
    built = _kgen(tmp_path, "build", ".", environ=keys)
    assert built.returncode == 0
    assert base64.b64encode(PASSWORD.encode()) in built.stdout
    assert b"API_TOKEN" in built.stdout


def test_a_file_holding_decrypted_values_gets_a_secrets_mode(tmp_path: Path) -> None:
    """Rendered Secrets are written 0600; so is a ConfigMap made from an encrypted file."""
    owner = sopsfiles.Identity()
    enc, plain = tmp_path / "enc", tmp_path / "plain"
    for root in (enc, plain):
        root.mkdir()
        (root / "kustomization.yaml").write_text(
            "configMapGenerator:\n- name: c\n  envs: [c.env]\n"
        )
    (enc / "c.env").write_bytes(sopsfiles.dotenv({"TOKEN": PASSWORD}, owner.recipient))
    (plain / "c.env").write_text(f"TOKEN={PASSWORD}\n")
    keys = {"SOPS_AGE_KEY": owner.secret}
    for root, mode in ((enc, 0o600), (plain, 0o644)):
        built = _kgen(root, "build", ".", "-o", "out.yaml", environ=keys)
        assert built.returncode == 0
        assert (root / "out.yaml").stat().st_mode & 0o777 == mode & ~_umask()
    assert (enc / "out.yaml").read_bytes() == (plain / "out.yaml").read_bytes()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
