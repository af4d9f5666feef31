"""kgen.sops: the files the real sops tool wrote (../shared/corpora/sops, read in place) decrypt
to exactly their published plain values, the broken ones are refused, and the files the tests
write (tests/sopsfiles.py) pin each rule, key source and message."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sopsfiles  # tests/sopsfiles.py (pytest puts tests/ on the path)

from kgen import sops
from kgen.errors import DecryptError

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "sops"
_META = {"keys.txt", "key.asc", "plain.json", "plain.env", "plain.bin", "expected.txt"}
_META |= {"source.txt"}
GPG = shutil.which("gpg")

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpora/sops is absent")


def _cases() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


def _encrypted(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.name not in _META]
    return found


@pytest.fixture(scope="module")
def gnupg_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A keyring holding the corpus' published PGP test key (sops' functional-test key)."""
    if GPG is None:
        pytest.skip("gpg is not installed")
    home = tmp_path_factory.mktemp("gnupg")
    home.chmod(0o700)
    keys = sorted(CORPUS.glob("*/key.asc"))
    subprocess.run(
        [GPG, "--batch", "--quiet", "--import", str(keys[0])],
        env={"GNUPGHOME": str(home), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    yield home
    subprocess.run(
        ["gpgconf", "--kill", "all"], env={"GNUPGHOME": str(home)}, check=False, capture_output=True
    )


def _keys(case: Path, monkeypatch: pytest.MonkeyPatch, gnupg: Path | None) -> sops.Keys:
    environ = {"HOME": str(case / "no-home")}
    if (case / "keys.txt").exists():
        environ["SOPS_AGE_KEY_FILE"] = str(case / "keys.txt")
    if gnupg is not None:
        monkeypatch.setenv("GNUPGHOME", str(gnupg))
    return sops.Keys.from_environment(environ)


def _plain_tree(decrypted: sops.Decrypted) -> Any:
    documents = [_jsonable(document) for document in decrypted.documents]
    return documents[0] if len(documents) == 1 else documents


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _jsonable(item) for key, item in value.items() if not isinstance(key, sops.Comment)
        }
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


@needs_corpus
@pytest.mark.parametrize("name", [c for c in _cases() if not c.startswith(("fail-", "tampered-"))])
def test_the_corpus_decrypts_to_its_plain_values(
    name: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    case = CORPUS / name
    gnupg = request.getfixturevalue("gnupg_home") if (case / "key.asc").exists() else None
    encrypted = _encrypted(case)
    data = encrypted.read_bytes()
    fmt = sops.detect(encrypted.name, data)
    assert fmt is not None
    assert fmt.value in (case / "source.txt").read_text()
    decrypted = sops.decrypt(data, fmt, _keys(case, monkeypatch, gnupg))
    if (case / "plain.env").exists():
        assert decrypted.plain == (case / "plain.env").read_bytes()
    elif (case / "plain.bin").exists():
        assert decrypted.plain == (case / "plain.bin").read_bytes()
    else:
        assert _plain_tree(decrypted) == json.loads((case / "plain.json").read_text())


_REFUSED = {
    "fail-age-yaml-undecryptable-value": (
        "spec.secretTemplates.stringData.username: the value does not decrypt (its "
        "authentication tag does not match): the file was changed after sops wrote it"
    ),
    "fail-pgp-yaml-no-mac": "the file has no MAC: sops refuses it, and so does kgen",
    "tampered-age-yaml-k8s-secret": (
        "stringData.key: the value does not decrypt (its authentication tag does not match): "
        "the file was changed after sops wrote it"
    ),
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(_REFUSED))
def test_the_corpus_files_that_must_fail_are_refused(
    name: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    case = CORPUS / name
    assert "fail" in (case / "expected.txt").read_text().lower()
    gnupg = request.getfixturevalue("gnupg_home") if (case / "key.asc").exists() else None
    encrypted = _encrypted(case)
    data = encrypted.read_bytes()
    fmt = sops.detect(encrypted.name, data)
    assert fmt is sops.Format.YAML
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(data, fmt, _keys(case, monkeypatch, gnupg))
    assert caught.value.message == _REFUSED[name]


@needs_corpus
def test_plain_yaml_keeps_the_file_and_decrypts_its_comments(
    monkeypatch: pytest.MonkeyPatch, gnupg_home: Path
) -> None:
    case = CORPUS / "pgp-yaml-comments"
    decrypted = sops.decrypt(
        _encrypted(case).read_bytes(), sops.Format.YAML, _keys(case, monkeypatch, gnupg_home)
    )
    assert decrypted.plain == (
        b"# first comment in file\nlorem: ipsum\n# this-is-a-comment\ndolor: sit\n"
    )


# --------------------------------------------------------------------------- recognising


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("a.yaml", "a: ENC[x]\nsops:\n    version: 3.9.0\n", sops.Format.YAML),
        ("a.txt", "a: 1\nsops:\n  mac: x\n", sops.Format.YAML),
        ("a.json", '{"a": 1, "sops": {"version": "3.9.0"}}', sops.Format.JSON),
        ("a.txt", '{"data": "x", "sops": {"version": "3.9.0"}}', sops.Format.BINARY),
        ("token.encrypted", '{\n "data": "x",\n "sops": {}}', sops.Format.BINARY),
        ("a.env", "A=1\nsops_version=3.9.0\n", sops.Format.DOTENV),
        ("a.ini", "[a]\nb = 1\n[sops]\nversion = 3.9.0\n", sops.Format.INI),
        ("a.yaml", "a: 1\n", None),
        ("a.yaml", "spec:\n  sops: {}\n", None),
        ("a.yaml", "# kgen reads sops files\na: sops\n", None),
        ("a.env", "SOPS_VERSION=1\n", None),
        ("a.json", '{"a": "sops"}', None),
    ],
)
def test_detect(name: str, text: str, fmt: sops.Format | None) -> None:
    assert sops.detect(name, text.encode()) is fmt


# --------------------------------------------------------------------------- keys


def test_keys_come_from_every_place_sops_looks(tmp_path: Path) -> None:
    inline, from_file, default, flag = (sopsfiles.Identity() for _ in range(4))
    (tmp_path / "file.txt").write_text(from_file.key_file())
    (tmp_path / "config" / "sops" / "age").mkdir(parents=True)
    (tmp_path / "config" / "sops" / "age" / "keys.txt").write_text(default.key_file())
    (tmp_path / "flag.txt").write_text(flag.key_file())
    environ = {
        "SOPS_AGE_KEY": f"# a comment\n{inline.secret} {sopsfiles.Identity().secret}\n",
        "SOPS_AGE_KEY_FILE": str(tmp_path / "file.txt"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    keys = sops.Keys.from_environment(environ, tmp_path / "flag.txt")
    assert len(keys.age) == 5
    for identity in (inline, from_file, default, flag):
        data = sopsfiles.dotenv({"A": "a-value"}, identity.recipient)
        assert sops.decrypt(data, sops.Format.DOTENV, keys).plain == b"A=a-value\n"
    default_file = tmp_path / "config" / "sops" / "age" / "keys.txt"
    assert keys.looked == (
        "SOPS_AGE_KEY",
        f"SOPS_AGE_KEY_FILE ({tmp_path / 'file.txt'})",
        str(default_file),
        f"--age-key-file ({tmp_path / 'flag.txt'})",
    )


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"HOME": "/home/u"}, "linux", "/home/u/.config/sops/age/keys.txt"),
        ({"HOME": "/home/u", "XDG_CONFIG_HOME": "/x"}, "linux", "/x/sops/age/keys.txt"),
        (
            {"HOME": "/Users/u"},
            "darwin",
            "/Users/u/Library/Application Support/sops/age/keys.txt",
        ),
        ({"HOME": "/Users/u", "XDG_CONFIG_HOME": "/x"}, "darwin", "/x/sops/age/keys.txt"),
        ({"AppData": "C:/Users/u/AppData/Roaming"}, "win32", None),
        ({}, "linux", None),
    ],
)
def test_default_key_file(environ: dict[str, str], platform: str, expected: str | None) -> None:
    found = sops.default_key_file(environ, platform)
    if platform == "win32":
        assert found == Path("C:/Users/u/AppData/Roaming", "sops", "age", "keys.txt")
    else:
        assert found == (Path(expected) if expected else None)


def test_a_missing_or_malformed_key_file_is_an_error_without_its_content(tmp_path: Path) -> None:
    with pytest.raises(DecryptError) as missing:
        sops.Keys.from_environment({}, tmp_path / "nope.txt")
    assert str(missing.value) == f"--age-key-file: no such file: {tmp_path / 'nope.txt'}"
    (tmp_path / "bad.txt").write_text("AGE-SECRET-KEY-1NOTAKEY\n")
    with pytest.raises(DecryptError) as malformed:
        sops.Keys.from_environment({"SOPS_AGE_KEY_FILE": str(tmp_path / "bad.txt")})
    assert str(malformed.value) == "SOPS_AGE_KEY_FILE: an age identity is malformed"
    with pytest.raises(DecryptError) as other:
        sops.Keys.from_environment({"SOPS_AGE_KEY": "hunter2-not-a-key"})
    assert "hunter2" not in str(other.value)
    assert str(other.value) == (
        "SOPS_AGE_KEY: not an age identity file (expected lines AGE-SECRET-KEY-1...)"
    )


def test_plugin_and_post_quantum_identities_are_counted_not_used() -> None:
    keys = sops.Keys.from_environment(
        {"SOPS_AGE_KEY": "AGE-PLUGIN-YUBIKEY-1ABC\nAGE-SECRET-KEY-PQ-1XYZ\n", "HOME": "/nowhere"}
    )
    assert (keys.age, keys.skipped) == ((), 2)


def test_no_key_that_fits_names_the_recipients_only() -> None:
    owner, stranger = sopsfiles.Identity(), sopsfiles.Identity()
    data = sopsfiles.dotenv({"PASSWORD": "hunter2-long"}, owner.recipient)
    keys = sops.Keys.from_environment({"SOPS_AGE_KEY": stranger.secret, "HOME": "/nowhere"})
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(data, sops.Format.DOTENV, keys)
    assert caught.value.message == (
        f"no key fits: it is encrypted for age {owner.recipient}; kgen has 1 age identity "
        "(from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE (unset), "
        "/nowhere/.config/sops/age/keys.txt (none)), none of them a recipient"
    )
    for secret in (stranger.secret, owner.secret, "hunter2-long"):
        assert secret not in str(caught.value)


def test_no_identity_at_all_says_where_it_looked() -> None:
    owner = sopsfiles.Identity()
    data = sopsfiles.dotenv({"A": "b"}, owner.recipient)
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(data, sops.Format.DOTENV, sops.Keys.from_environment({"HOME": "/nowhere"}))
    assert caught.value.message == (
        f"no key fits: it is encrypted for age {owner.recipient}; kgen has no age identity "
        "(looked in SOPS_AGE_KEY (unset), SOPS_AGE_KEY_FILE (unset), "
        "/nowhere/.config/sops/age/keys.txt (none); set SOPS_AGE_KEY_FILE or pass "
        "--age-key-file)"
    )


def test_recipients_kgen_does_not_decrypt_are_named() -> None:
    text = (
        "a: ENC[AES256_GCM,data:AA==,iv:AAAAAAAAAAAAAAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]\n"
        "sops:\n"
        "    kms:\n"
        "        - arn: arn:aws:kms:eu-west-1:111122223333:key/abc\n"
        "          enc: AQICAHg=\n"
        "    hc_vault:\n"
        "        - vault_address: https://vault.example.com\n"
        "          enc: vault:v1:abc\n"
        "    lastmodified: '2026-01-02T03:04:05Z'\n"
        "    mac: ENC[AES256_GCM,data:AA==,iv:AAAAAAAAAAAAAAAA,"
        "tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]\n"
        "    version: 3.9.0\n"
    )
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(text.encode(), sops.Format.YAML, sops.Keys())
    assert caught.value.message == (
        "it is encrypted for AWS KMS, HashiCorp Vault only; kgen decrypts age and PGP recipients "
        "(decrypt it with sops, or add an age recipient: sops updatekeys)"
    )


def test_keys_are_looked_up_only_when_a_file_is_decrypted() -> None:
    owner = sopsfiles.Identity()
    calls: list[int] = []

    def keys() -> sops.Keys:
        calls.append(1)
        return sops.Keys.from_environment({"SOPS_AGE_KEY": owner.secret})

    data = sopsfiles.binary(b"token", owner.recipient)
    assert sops.decrypt(data, sops.Format.BINARY, keys).plain == b"token"
    assert calls == [1]


# --------------------------------------------------------------------------- rules and MAC


@pytest.fixture
def owner() -> sopsfiles.Identity:
    return sopsfiles.Identity()


def _keys_for(identity: sopsfiles.Identity) -> sops.Keys:
    return sops.Keys.from_environment({"SOPS_AGE_KEY": identity.secret, "HOME": "/nowhere"})


def test_values_of_every_type_decrypt_to_their_type(owner: sopsfiles.Identity) -> None:
    tree = {"s": "text", "i": 42, "f": 2.5, "b": True, "l": ["x", 1], "m": {"n": False}, "e": ""}
    data = sopsfiles.yaml_file(tree, owner.recipient)
    decrypted = sops.decrypt(data, sops.Format.YAML, _keys_for(owner))
    assert decrypted.documents == [tree]
    assert decrypted.plain == (
        b's: text\ni: 42\nf: 2.5\nb: true\nl:\n    - x\n    - 1\nm:\n    n: false\ne: ""\n'
    )
    assert decrypted.values == ("text", "x")


def test_a_leaf_the_rules_leave_plain_is_not_decrypted(owner: sopsfiles.Identity) -> None:
    looks_encrypted = "ENC[AES256_GCM,data:AA==,iv:AA==,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]"
    tree = {"note_unencrypted": looks_encrypted, "password": "hunter22"}
    data = sopsfiles.yaml_file(tree, owner.recipient)
    decrypted = sops.decrypt(data, sops.Format.YAML, _keys_for(owner))
    assert decrypted.documents == [tree]


@pytest.mark.parametrize(
    ("rules", "encrypted", "plain"),
    [
        ({"encrypted_suffix": "_secret"}, ["pw_secret", "db.pw_secret"], ["user", "db.host"]),
        ({"unencrypted_suffix": "_clear"}, ["pw", "db.host"], ["user_clear", "db_clear.host"]),
        ({"encrypted_regex": "^(pw|db)$"}, ["pw", "db.host"], ["user"]),
        ({"unencrypted_regex": "^(user|db)$"}, ["pw"], ["user", "db.host"]),
    ],
)
def test_rules_choose_the_encrypted_leaves(
    rules: dict[str, str], encrypted: list[str], plain: list[str], owner: sopsfiles.Identity
) -> None:
    import re

    tree: dict[str, Any] = {}
    for dotted in encrypted + plain:
        node = tree
        *parents, leaf = dotted.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = f"value-of-{dotted}"
    rule = sops._rules(rules)
    body, metadata = sopsfiles.encrypt_tree(
        tree, owner.recipient, encrypted=rule.encrypted, rules=rules
    )
    data = json.dumps({**body, "sops": metadata}).encode()
    decrypted = sops.decrypt(data, sops.Format.JSON, _keys_for(owner))
    assert decrypted.documents == [tree]
    text = json.dumps(body)
    for dotted in encrypted:
        assert f"value-of-{dotted}" not in text
    for dotted in plain:
        assert f"value-of-{dotted}" in text
    assert re.search(r"ENC\[", text)


def test_a_leaf_the_rules_encrypt_must_be_encrypted(owner: sopsfiles.Identity) -> None:
    body, metadata = sopsfiles.encrypt_tree({"a": "x"}, owner.recipient)
    body["a"] = "not-encrypted"
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(
            json.dumps({**body, "sops": metadata}).encode(), sops.Format.JSON, _keys_for(owner)
        )
    assert caught.value.message == "a: expected an ENC[AES256_GCM,...] value (it is not)"


def test_a_changed_plain_value_breaks_the_mac(owner: sopsfiles.Identity) -> None:
    data = sopsfiles.secret_yaml("db", {"password": "hunter22"}, owner.recipient)
    changed = data.replace(b'name: "db"', b'name: "db2"')
    assert changed != data
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(changed, sops.Format.YAML, _keys_for(owner))
    assert caught.value.message == (
        "the MAC does not match: the file was changed after sops wrote it"
    )


def test_mac_only_encrypted_leaves_plain_values_out_of_the_mac(owner: sopsfiles.Identity) -> None:
    tree = {"apiVersion": "v1", "stringData": {"password": "hunter22"}}
    data = sopsfiles.yaml_file(
        tree, owner.recipient, encrypted_regex="^stringData$", mac_only_encrypted=True
    )
    changed = data.replace(b'apiVersion: "v1"', b'apiVersion: "v2"')
    decrypted = sops.decrypt(changed, sops.Format.YAML, _keys_for(owner))
    assert decrypted.documents == [{"apiVersion": "v2", "stringData": {"password": "hunter22"}}]


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("4.0.0", 'unknown sops version "4.0.0" in the metadata (kgen reads files of sops 3.x)'),
        ("2.0.9", 'unknown sops version "2.0.9" in the metadata (kgen reads files of sops 3.x)'),
        ("", "the sops metadata has no version"),
    ],
)
def test_an_unknown_version_is_refused(
    version: str, message: str, owner: sopsfiles.Identity
) -> None:
    body, metadata = sopsfiles.encrypt_tree({"a": "x"}, owner.recipient, version=version)
    data = json.dumps({**body, "sops": metadata}).encode()
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(data, sops.Format.JSON, _keys_for(owner))
    assert caught.value.message == message


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_truncated_file_is_one_clean_error(cut: float, owner: sopsfiles.Identity) -> None:
    data = sopsfiles.secret_yaml("db", {"password": "hunter22-long"}, owner.recipient)
    truncated = data[: int(len(data) * cut)]
    fmt = sops.detect("s.yaml", truncated) or sops.Format.YAML
    with pytest.raises(DecryptError) as caught:
        sops.decrypt(truncated, fmt, _keys_for(owner))
    message = str(caught.value)
    assert "\n" not in message
    assert "hunter22" not in message
    assert "ENC[" not in message
    assert owner.secret not in message


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, b"1"), (25.4, b"25.4"), (1e21, b"1000000000000000000000"), (1.5e-7, b"0.00000015")],
)
def test_floats_are_hashed_as_go_formats_them(value: float, text: bytes) -> None:
    assert sops.to_bytes(value) == text


def test_bools_and_ints_are_hashed_as_go_formats_them() -> None:
    assert [sops.to_bytes(v) for v in (True, False, 7, "é")] == [
        b"True",
        b"False",
        b"7",
        "é".encode(),
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain-text", "plain-text"),
        ('{"a": "b"}', """'{"a": "b"}'"""),
        ("it's: here", "'it''s: here'"),
        ("true", '"true"'),
        ("0123", '"0123"'),
        ("two\nlines", '"two\\nlines"'),
        ("", '""'),
        (7, "7"),
        (2.5, "2.5"),
        (False, "false"),
    ],
)
def test_decrypted_yaml_values_are_written_as_sops_writes_them(value: object, text: str) -> None:
    """In goyaml's style, as ``sops -d`` writes them, but a multi-line string stays on its
    line (double-quoted), so the rest of the file keeps its bytes."""
    assert sops._yaml_scalar(value) == text
