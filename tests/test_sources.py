from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kgen.errors import GeneratorError, LoadError
from kgen.kustomization import GeneratorOptions, GeneratorSpec
from kgen.loader import Loader
from kgen.sources import Pair, load_pairs, parse_env_file, parse_file_source, parse_literal

WHERE = "kustomization.yaml: secretGenerator[s]"


@pytest.mark.parametrize(
    ("source", "key", "value"),
    [
        pytest.param("a=b", "a", b"b", id="plain"),
        pytest.param("eq=a=b=c", "eq", b"a=b=c", id="split-on-first-equals"),
        pytest.param(" sp = v ", " sp ", b" v ", id="no-trimming"),
        pytest.param("k=", "k", b"", id="empty-value"),
        pytest.param('q="quoted"', "q", b"quoted", id="double-quotes-removed"),
        pytest.param("q='single'", "q", b"single", id="single-quotes-removed"),
        pytest.param("q=\"mismatch'", "q", b"\"mismatch'", id="mismatched-kept"),
        pytest.param('q=a"b"', "q", b'a"b"', id="inner-quotes-kept"),
        pytest.param('q="', "q", b'"', id="lone-quote-kept"),
        pytest.param('q=""', "q", b"", id="empty-quotes"),
        pytest.param("q='\"x\"'", "q", b'"x"', id="one-layer-only"),
        pytest.param("password=S!B*d$zDsb", "password", b"S!B*d$zDsb", id="special-characters"),
        pytest.param("esc=line1\\nline2", "esc", b"line1\\nline2", id="no-escape-processing"),
        pytest.param("u=h\u00e9", "u", "h\u00e9".encode(), id="utf8"),
    ],
)
def test_parse_literal(source: str, key: str, value: bytes) -> None:
    assert parse_literal(source, "literals[0]", WHERE) == Pair(key, value, "literals[0]")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            "justapassword",
            "kustomization.yaml: secretGenerator[s].literals[3]: expected key=value",
            id="no-equals",
        ),
        pytest.param(
            "=hunter2",
            "kustomization.yaml: secretGenerator[s].literals[3]: "
            "expected key=value (the key is empty)",
            id="empty-key",
        ),
    ],
)
def test_parse_literal_errors_never_repeat_the_source(source: str, message: str) -> None:
    with pytest.raises(GeneratorError) as info:
        parse_literal(source, "literals[3]", WHERE)
    assert str(info.value) == message
    assert source.strip("=") not in str(info.value)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("username.txt", ("username.txt", "username.txt"), id="path"),
        pytest.param("sub/h.txt", ("h.txt", "sub/h.txt"), id="basename"),
        pytest.param("ssh-privatekey=id_rsa", ("ssh-privatekey", "id_rsa"), id="key-path"),
        pytest.param("a/b=f.txt", ("a/b", "f.txt"), id="key-kept-verbatim"),
        pytest.param(".secret-file=f.txt", (".secret-file", "f.txt"), id="dotfile-key"),
    ],
)
def test_parse_file_source(source: str, expected: tuple[str, str]) -> None:
    assert parse_file_source(source, WHERE) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param("=p", "expected [key=]path: the key is empty", id="no-key"),
        pytest.param("k=", "expected [key=]path: the path is empty", id="no-path"),
        pytest.param("a=b=c", "expected [key=]path: the key or the path contains '='", id="two-eq"),
    ],
)
def test_parse_file_source_errors(source: str, message: str) -> None:
    with pytest.raises(GeneratorError) as info:
        parse_file_source(source, f"{WHERE}.files[1]")
    assert str(info.value) == f'{WHERE}.files[1] "{source}": {message}'


def _env(text: bytes) -> list[tuple[str, bytes, str]]:
    return [(pair.key, pair.value, pair.entry) for pair in parse_env_file(text, "envs[0]", WHERE)]


def test_env_line_without_equals_is_marked_and_never_described() -> None:
    pairs = parse_env_file(b"FLAG\nA=1\n", "envs[0]: a.env", WHERE)
    assert [pair.whole_line for pair in pairs] == [True, False]
    assert pairs[0].describe_key() == "the key made of the whole line (it has no '=')"
    assert pairs[1].describe_key() == 'key "A"'
    assert pairs[0].hidden_name() == "the key from envs[0]: a.env line 1 (a line without '=')"


def test_env_line_with_a_bare_carriage_return() -> None:
    pairs = parse_env_file(b"T0ken\rKEY=1\nA=x\ry\r\n", "envs[0]: a.env", WHERE)
    assert [(pair.key, pair.value, pair.bare_cr, pair.hidden) for pair in pairs] == [
        ("T0ken\rKEY", b"1", True, True),
        ("A", b"x\ry", True, False),
    ]
    assert pairs[0].describe_key() == (
        "the key of this line (not shown: it holds a bare carriage return)"
    )
    assert pairs[0].hidden_name() == ("the key from envs[0]: a.env line 1 (a bare carriage return)")


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        pytest.param(b"A=1\nB=2\n", [("A", b"1", 1), ("B", b"2", 2)], id="basic"),
        pytest.param(b"A=1", [("A", b"1", 1)], id="no-final-newline"),
        pytest.param(b"# c\n\nA=1\n", [("A", b"1", 3)], id="comments-and-blank"),
        pytest.param(b"H=x # y\n", [("H", b"x # y", 1)], id="no-inline-comments"),
        pytest.param(b"K2 = v2 \n", [("K2 ", b" v2 ", 1)], id="spaces-kept"),
        pytest.param(b'Q="quoted"\n', [("Q", b'"quoted"', 1)], id="quotes-kept"),
        pytest.param(b"FLAG\n", [("FLAG", b"", 1)], id="no-equals-empty-value"),
        pytest.param(b"=noKey\nA=1\n", [("A", b"1", 2)], id="empty-key-dropped"),
        pytest.param(b"   I=x\n", [("I", b"x", 1)], id="leading-space-trimmed"),
        pytest.param(b"\tI=x\n", [("I", b"x", 1)], id="leading-tab-trimmed"),
        pytest.param(b"\x1cI=x\n", [("\x1cI", b"x", 1)], id="go-isspace-not-python"),
        pytest.param(b"A=1\r\nB=2\r\n", [("A", b"1", 1), ("B", b"2", 2)], id="crlf"),
        pytest.param(b"\xef\xbb\xbfA=1\n", [("A", b"1", 1)], id="bom-first-line"),
        pytest.param(
            b"A=1\n\xef\xbb\xbfB=2\n", [("A", b"1", 1), ("\ufeffB", b"2", 2)], id="bom-later-kept"
        ),
        pytest.param(b"export E=e\n", [("export E", b"e", 1)], id="export-kept"),
        pytest.param(
            b"L=" + b"x" * 70000 + b"\nM=2\n",
            [("L", b"x" * 70000, 1), ("M", b"2", 2)],
            id="long-line-kept-whole",
        ),
    ],
)
def test_parse_env_file(text: bytes, pairs: list[tuple[str, bytes, int]]) -> None:
    assert _env(text) == [(key, value, f"envs[0] line {line}") for key, value, line in pairs]


def test_parse_env_file_invalid_utf8_names_the_line_only() -> None:
    with pytest.raises(GeneratorError) as info:
        parse_env_file(b"A=1\nB=\xff\xfesecret\n", "envs[0]", WHERE)
    assert str(info.value) == f"{WHERE}.envs[0] line 2: not valid UTF-8 text"


def _spec(**fields: object) -> GeneratorSpec:
    values: dict[str, object] = {
        "kind": "Secret",
        "name": "s",
        "namespace": "",
        "behavior": "create",
        "literals": (),
        "files": (),
        "envs": (),
        "secret_type": "Opaque",
        "options": GeneratorOptions(),
        "where": WHERE,
    }
    values.update(fields)
    return GeneratorSpec(**values)  # type: ignore[arg-type]


def test_load_pairs_order_envs_literals_files(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_bytes(b"E=1\n")
    (tmp_path / "f.txt").write_bytes(b"file\n")
    spec = _spec(envs=("a.env",), literals=("L=2",), files=("f.txt",))
    assert load_pairs(spec, _reader(tmp_path, restrict=True)) == [
        Pair("E", b"1", "envs[0]: a.env line 1"),
        Pair("L", b"2", "literals[0]"),
        Pair("f.txt", b"file\n", "files[0]"),
    ]


def test_load_pairs_duplicate_key(tmp_path: Path) -> None:
    (tmp_path / "api-token").write_bytes(b"file-token")
    spec = _spec(literals=("api-token=literal-token",), files=("api-token",))
    with pytest.raises(GeneratorError) as info:
        load_pairs(spec, _reader(tmp_path, restrict=True))
    assert str(info.value) == (
        f'{WHERE}.files[0]: key "api-token" is repeated (first set by literals[0])'
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            ("missing.txt",), "files[0]: file not found: {root}/missing.txt", id="missing"
        ),
        pytest.param(("sub",), "files[0]: {root}/sub is a directory, expected a file", id="dir"),
        pytest.param(
            ("../outside.txt",),
            "files[0]: {outside} is outside the kustomization root {root} "
            "(use --load-restrictor LoadRestrictionsNone to allow it)",
            id="outside-root",
        ),
        pytest.param(
            ("link.txt",),
            "files[0]: {root}/link.txt is outside the kustomization root {root} "
            "(use --load-restrictor LoadRestrictionsNone to allow it)",
            id="symlink-outside-root",
        ),
    ],
)
def test_load_pairs_file_errors(tmp_path: Path, files: tuple[str, ...], message: str) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "outside.txt").write_bytes(b"x")
    (root / "link.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(LoadError) as info:
        load_pairs(_spec(files=files), _reader(root, restrict=True))
    outside = tmp_path / "outside.txt"
    assert str(info.value) == f"{WHERE}." + message.format(root=root, outside=outside)


def _reader(root: Path, *, restrict: bool) -> Callable[[str, str], bytes]:
    """A build's reads of ``root``'s generator sources, as the pipeline gives them."""
    reader = Loader(restrict=restrict).reader()
    return lambda path, where: reader.source(root, path, where)


def test_load_pairs_unrestricted_reads_outside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.txt").write_bytes(b"x")
    pairs = load_pairs(_spec(files=("../outside.txt",)), _reader(root, restrict=False))
    assert pairs == [Pair("outside.txt", b"x", "files[0]")]
