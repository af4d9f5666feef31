"""Generated kustomization trees, deterministic per seed: ``make_tree(seed) -> Tree``.

A tree is one root kustomization, alone or over a base, or a diamond (two middle layers over
one base), some with a component (listed by the root, or shared by both middle layers of a
diamond), using what kgen supports: config map and secret generators (literals, files, env
files, options, ``generatorOptions``, ``behavior`` merge/replace in overlays), resources
(ConfigMaps, Secrets, Deployments, Services, custom resources, Lists, several documents per
file), ``namespace``, ``namePrefix``, ``nameSuffix``, ``commonLabels``, ``labels``,
``commonAnnotations``, ``images``, ``replicas``, ``configurations`` and ``sortOptions``.
Values are drawn from tricky tables (YAML 1.1 look-alikes, quoting, unicode, block scalars,
env-file syntax, binary files) and written in random YAML styles (``fuzz.yamltext``), some
files with CRLF line endings, a BOM, duplicate keys, anchors and merge keys; a few inputs are
invalid on purpose.

Inputs that trigger a difference class already known and still open are drawn only when that
class is named in ``known`` (see :data:`KNOWN`), so they never hide new ones; the known classes
kgen now agrees on (:data:`FIXED`) are drawn in every tree. kgen's documented
differences from kustomize (env lines of 64 KiB and more, U+0085/U+2028/U+2029 in values) are
never drawn.
"""

from __future__ import annotations

import base64
import random
import re
from typing import NamedTuple

from fuzz.yamltext import Alias, Anchor, Block, Map, Node, Seq, Str, Style, Tok, write_document

KNOWN = (
    "annotation-scalar",  # unquoted number/bool/date label and annotation values in resources
    "set-tag",  # !!set
    "flow-colon",  # plain scalars with ':' inside flow collections
    "folded-more-indented",  # folded '>' scalars with more-indented lines
    "nonstring-gvk",  # apiVersion or kind that YAML reads as a non-string
    "control-char",  # control characters in literals, labels and annotations
    "env-no-equals",  # env-file lines without '='
    "flow-empty",  # an empty value in a flow collection, '{a: }' (found by this fuzzer)
)

FIXED = frozenset(KNOWN)
"""The known classes kgen now agrees on: drawn in every tree, at their usual probability."""

NAMES = ("app-config", "db", "creds", "settings", "web", "cfg.v1", "tls-pair")
KEYS = (
    "a",
    "key",
    "app.conf",
    ".env",
    "a-b",
    "A_B",
    "x.y.z",
    "file2.txt",
    "file10.txt",
    "k9",
    "k11",
    "Zeta",
    "_under",
    "yes",
    "on",
    "n",
    "a b",
    "ée",
    "k" * 130,
    "a10",
    "a09",
    "a9b",
    "a00",
    "a~",
    "_x",
    "Z",
    "a.b",
    "a_b",
)
LABEL_VALUES = (
    "web",
    "v1.2",
    "1",
    "true",
    "",
    "a b",
    "é",
    "x" * 70,
    "a long annotation value with many words that the emitter folds past column eighty ok",
    "line1\nline2",
    "ends with newline\n",
    '{"json": ["in", "an", "annotation"]}',
    "key: value",
    "# hash",
    "😀",
)
BOOLS = ("true", "false", "true", "false", "yes", "on", "True", "no", "y", "1", '"true"')
TOKEN_KEYS = ("1", "true", "~", "yes", "on", "y", "1.5", "null", "2001-12-14", "!!str 1")
BAD_KEYS = ("1", "007", "true", "null", "~", "2001-12-14", "1.5", "0x1F")
TOKENS = (
    "0",
    "1",
    "-1",
    "007",
    "0777",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1.0",
    "1.5",
    ".5",
    "1.",
    "1e3",
    "1E3",
    "-0.0",
    "+1",
    "1e21",
    "1234567.5",
    "0.00001",
    "123456789012345678901234567890",
    "9223372036854775808",
    "true",
    "True",
    "TRUE",
    "false",
    "yes",
    "Yes",
    "no",
    "NO",
    "on",
    "Off",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "2001-12-14",
    "2002-1-1",
    "=",
    "<<x",
    "a b",
    "x#y",
    "-x",
    "?x",
    "hello world",
    "ünïcödé",
    "日本語",
    "😀",
    "e\u0301",
    "שלום",
    "0.1.2",
    "1e",
    "0x",
    "+",
    "-",
    ".",
    "08",
    "0b2",
    "0o8",
    "1__0",
    "''",
    '""',
    "'it''s'",
    '"tab\\there"',
    '"\\x41\\u00e9\\U0001F600"',
    "!!str 1",
    "!!int '7'",
    "!!binary aGVsbG8=",
    "!custom x",
    "!!float 1",
    "1_0",
    "0x_1F",
    "+0x1F",
    "-0o17",
    "0O17",
    "0X1F",
    "1e+3",
    "1E-3",
    "-.5",
    "+.inf",
    "0.",
    "-0",
    "00",
    "0e0",
    "1e400",
    "1e-400",
    "12345678901234567",
    "-9223372036854775808",
    "18446744073709551616",
    "0b1_0",
    "2001-12-14T21:59:43.123456789Z",
    "2001-12-14 21:59:43",
    "1.0e+10",
    "6.02e23",
    "0.1",
    "100.0",
    "1e6",
    "123456.7",
    "!!null ''",
    "!!timestamp 2001-12-14",
    "!!str",
    "",
)
COLON_TOKENS = (
    "1:20",
    "2001-12-14 21:59:43.10",
    "2001-12-14t21:59:43.10-05:00",
    "a:b",
    "http://x.example/p",
)
TEXTS = (
    "",
    " ",
    "plain",
    " lead",
    "trail ",
    "a: b",
    "a #b",
    "#x",
    "- x",
    "[x]",
    "{x}",
    "&a",
    "*a",
    "!x",
    "|x",
    ">x",
    "%x",
    "@x",
    "`x",
    "a'b",
    'a"b',
    '"quoted"',
    "'single'",
    "\"mismatch'",
    "a=b=c",
    "back\\slash",
    "tab\there",
    "1",
    "007",
    "0x1F",
    "true",
    "yes",
    "~",
    "null",
    "2001-12-14",
    "1e3",
    ".inf",
    "é ü ß",
    "e\u0301 combining",
    "שלום עולם",
    "مرحبا",
    "😀 astral \U0001d518\U0001d52b\U0001d526",
    "👩\u200d💻",
    "a\u00a0b",
    "zero\u200bwidth",
    "\ue000",
    "\ufffd",
    "mid\ufeffbom",
    "x" * 90,
    "word " * 25,
    "a long value with spaces that goes past the eightieth column of the output line ok",
    "line1\nline2",
    "line1\nline2\n",
    "line1\n\n\n",
    "\nleading newline",
    " space-led\nsecond",
    "trailing \nspace",
    "\ttab-led\nmulti",
    "text\ttab\nmulti",
    "crlf\r\nlines\r\n",
    "only\rcr",
    "ends with cr\r",
    "#!/bin/sh\necho hi\n",
    "key: value\nlist:\n- a\n",
)
CONTROL_TEXTS = ("nul\x00x", "bell\x07", "esc\x1b[0m", "us\x1f", "del\x7f", "c1\x9b")
SECRET_TEXTS = (
    "s3cr3t-Passw0rd!",
    "hunter2-hunter2",
    "p@ss w0rd with spaces",
    "tok_8f1c2e9a7b",
    "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----\n",
    "ünï-sécret-😀",
)


FLAWED = 0.2
FLAWS = (
    "bad-key",
    "nel-comment",
    "invalid-yaml",
    "duplicate-key",
    "env-duplicate",
    "env-invalid-utf8",
    "behavior-orphan",
    "literal-invalid",
    "file-missing",
    "resource-missing",
    "unknown-field",
    "failing-token",
)


class Tree(NamedTuple):
    """A generated tree: its files, the secret values in it, and the features it uses."""

    files: dict[str, bytes]
    secrets: tuple[str, ...]
    tags: tuple[str, ...]


class _Draw:
    """The state of one tree's generation: the random source and what was drawn so far."""

    def __init__(self, rng: random.Random, known: frozenset[str]) -> None:
        self.rng = rng
        self.known = known
        self.tags: set[str] = set()
        self.secrets: list[str] = []
        self.files: dict[str, bytes] = {}
        self.style = Style(
            flow=rng.choice((0.0, 0.15, 0.5)),
            comment=rng.choice((0.0, 0.1, 0.3)),
            quote=rng.choice((0.1, 0.4)),
            escape=rng.choice((0.0, 0.3)),
            indent_seq=rng.random(),
        )
        self.counter = 0
        self.entries: dict[str, list[Map]] = {"ConfigMap": [], "Secret": []}
        self.anchors: dict[str, str] = {}
        self.workloads: list[str] = []
        """Deployment names drawn so far (for ``replicas`` entries)."""
        self.pending = rng.choice(FLAWS) if rng.random() < FLAWED else ""

    def chance(self, probability: float, tag: str = "") -> bool:
        hit = self.rng.random() < probability
        if hit and tag:
            self.tags.add(tag)
        return hit

    def flaw(self, kind: str) -> bool:
        """Whether to put the tree's one deliberate flaw here (at the first place it fits)."""
        if self.pending != kind:
            return False
        self.pending = ""
        self.tags.add(kind)
        return True

    def allows(self, known_class: str, probability: float) -> bool:
        return (known_class in FIXED or known_class in self.known) and self.chance(
            probability, known_class
        )

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    def text(self, secret: bool = False) -> str:
        pool: tuple[str, ...] = TEXTS + SECRET_TEXTS if secret else TEXTS
        if self.allows("control-char", 0.1):
            pool = CONTROL_TEXTS
        value = self.rng.choice(pool)
        if self.chance(0.05, "long-text"):
            value = " ".join(self.rng.choice(TEXTS[:40]) for _ in range(30))
        if secret:
            self.secrets.append(value)
        return value

    def key(self, taken: list[str] | None = None) -> str:
        """A data key; one not in ``taken`` (then added to it) unless that is the flaw."""
        if self.flaw("bad-key"):
            return self.rng.choice(BAD_KEYS)
        used = [] if taken is None or self.flaw("duplicate-key") else taken
        pool = [key for key in (KEYS[:12] if self.rng.random() < 0.8 else KEYS) if key not in used]
        key = self.rng.choice(pool) if pool else self.fresh("key")
        if taken is not None:
            taken.append(key)
        return key

    def scalar(self) -> Node:
        """A resource value: a string in any style, a verbatim token or a block scalar."""
        roll = self.rng.random()
        if roll < 0.35:
            if self.flaw("failing-token"):
                return Tok(self.rng.choice((".inf", "-.Inf", ".nan")))
            token = self.rng.choice(TOKENS)
            return Tok(token, flow_safe=bool(token) and ":" not in token)
        if roll < 0.4:
            self.tags.add("folded")
            lines: tuple[str, ...] = ("folded words", "continue here", "", "new paragraph")
            if self.allows("folded-more-indented", 0.3):
                lines = ("folded", "  more indented", "back")
            return Block(self.rng.choice((">", ">-", ">+", ">2")), lines)
        if self.allows("flow-empty", 0.1):
            return Tok("{a: , b}")
        if self.allows("set-tag", 0.1):
            return Tok("!!set {a, b}")
        if self.allows("flow-colon", 0.1):
            return Tok(f"[{self.rng.choice(COLON_TOKENS)}, x]")
        if roll < 0.45:
            return Tok(self.rng.choice(COLON_TOKENS), flow_safe=False)
        return Str(self.text())

    def label_value(self) -> Node:
        if self.allows("annotation-scalar", 0.2):
            return Tok(self.rng.choice(("1", "true", "2001-12-14", "1.5", "yes", "0x1F")))
        if self.allows("control-char", 0.05):
            return Str(self.rng.choice(CONTROL_TEXTS))
        return Str(self.rng.choice(LABEL_VALUES))

    def metadata_map(self) -> Map:
        items: list[tuple[Node, Node]] = []
        for field in ("labels", "annotations"):
            if self.chance(0.03, "metadata-empty"):
                token = self.rng.choice(("{}", "~", "null", ""))
                items.append((Str(field), Tok(token, flow_safe=bool(token))))
            elif self.chance(0.3):
                entries = tuple(
                    (
                        Str(self.rng.choice(("app", "tier", "example.com/x", "note"))),
                        self.label_value(),
                    )
                    for _ in range(self.rng.randint(1, 2))
                )
                items.append((Str(field), Map(_unique(entries))))
        return Map(tuple(items))


def _unique(items: tuple[tuple[Node, Node], ...]) -> tuple[tuple[Node, Node], ...]:
    seen: list[Node] = []
    out = []
    for key, value in items:
        if key not in seen:
            seen.append(key)
            out.append((key, value))
    return tuple(out)


def _write_yaml(draw: _Draw, path: str, documents: list[Map], resource: bool) -> None:
    texts = [write_document(draw.rng, document, draw.style) for document in documents]
    separator = draw.rng.choice(("---\n", "---\n", "--- # next\n", "...\n---\n"))
    text = separator.join(texts)
    if resource and draw.chance(0.1, "leading-separator"):
        text = "---\n" + text
    if resource and draw.chance(0.05, "empty-document"):
        text += "---\n"
    if draw.flaw("nel-comment"):
        text = "# note\x85more\n" + text
    if draw.flaw("invalid-yaml"):
        text += draw.rng.choice(("bad: 'unclosed\n", "\tindent: tab\n", "x: [1, 2\n"))
    if draw.chance(0.1, "crlf"):
        text = text.replace("\n", "\r\n")
    data = text.encode()
    if draw.chance(0.05, "bom"):
        data = b"\xef\xbb\xbf" + data
    draw.files[path] = data


def _maybe_duplicate(draw: _Draw, items: list[tuple[Node, Node]]) -> None:
    if items and draw.flaw("duplicate-key"):
        items.append(draw.rng.choice(items))


def _file_content(draw: _Draw, secret: bool) -> bytes:
    roll = draw.rng.random()
    if roll < 0.1:
        draw.tags.add("binary-file")
        return draw.rng.choice(
            (
                bytes(draw.rng.randrange(256) for _ in range(draw.rng.randint(1, 300))),
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                b"\xff\xfe\x00a",
                b"caf\xe9",
            )
        )
    if roll < 0.15:
        draw.tags.add("bom-file")
        return b"\xef\xbb\xbf" + draw.text(secret).encode()
    if roll < 0.2:
        return b""
    if roll < 0.25:
        draw.tags.add("big-file")
        return ("line of text number %d\n" * 200).encode() % tuple(range(200))
    value = draw.text(secret)
    if draw.chance(0.1, "crlf-file"):
        value = value.replace("\n", "\r\n")
    return value.encode()


def _env_file(draw: _Draw, secret: bool) -> bytes:
    lines: list[str] = []
    for _ in range(draw.rng.randint(0, 6)):
        key = draw.rng.choice(("K", "KEY_1", "db_user", "Path", "k.dot", "X"))
        key = draw.fresh(key)
        value = draw.rng.choice(
            (
                "value",
                "",
                '"quoted"',
                "'single'",
                "a=b=c",
                "x # not a comment",
                " spaced ",
                "é 😀",
                "tab\there",
                "v" * 3000,
                "vt\x0bff\x0cfs\x1c",
            )
        )
        if secret:
            value = draw.rng.choice((value, *SECRET_TEXTS[:4]))
            draw.secrets.append(value)
        form = draw.rng.random()
        if form < 0.1:
            line = f"export {key}={value}"
        elif form < 0.2:
            line = f"{key} = {value}"
        elif form < 0.25:
            line = f"  \t{key}={value}"
        elif form < 0.28:
            line = f"\u00a0{key}={value}"
        elif form < 0.3:
            line = f"\x1f{key}={value}"
        else:
            line = f"{key}={value}"
        lines.append(line)
        if draw.chance(0.15, "env-comment"):
            lines.append(
                draw.rng.choice(("# comment", "  # indented", "#K=v", "", "   ", "=noKey"))
            )
    if draw.allows("env-no-equals", 0.3):
        lines.append("NOEQUALS")
    if lines and draw.flaw("env-duplicate"):
        lines.append(lines[0])
    newline = "\r\n" if draw.chance(0.15, "env-crlf") else "\n"
    text = newline.join(lines) + (newline if draw.rng.random() < 0.8 else "")
    if draw.chance(0.08, "env-bom"):
        text = "\ufeff" + text
    data = text.encode()
    if draw.flaw("env-invalid-utf8"):
        data += b"BAD=\xff\xfe\n"
    return data


class _Gen(NamedTuple):
    kind: str
    name: str
    namespace: str


def _generator(draw: _Draw, folder: str, kind: str, below: list[_Gen], taken: list[str]) -> _Gen:
    """One generator entry of ``kind``; it is appended to ``draw.entries[kind]``."""
    secret = kind == "Secret"
    items: list[tuple[Node, Node]] = []
    matches = [gen for gen in below if gen.kind == kind and gen.name not in taken]
    namespace = ""
    if matches and draw.chance(0.5, "behavior"):
        match = draw.rng.choice(matches)
        name = match.name
        namespace = match.namespace if draw.rng.random() < 0.9 else ""
        behavior = draw.rng.choice(("merge", "replace", "merge", "create"))
        items.append((Str("behavior"), Str(behavior)))
    else:
        free = [
            name for name in NAMES if name not in taken and all(gen.name != name for gen in below)
        ]
        name = draw.rng.choice(free or list(NAMES))
        if draw.chance(0.15, "generator-namespace"):
            namespace = draw.rng.choice(("ns-a", "ns-b", "default"))
        if draw.flaw("behavior-orphan"):
            items.append((Str("behavior"), Str(draw.rng.choice(("merge", "replace")))))
    items.insert(0, (Str("name"), Str(name)))
    if namespace:
        items.append((Str("namespace"), Str(namespace)))
    keys: list[str] = []
    if draw.chance(0.6):
        literals = []
        for _ in range(draw.rng.randint(1, 3)):
            value = draw.text(secret)
            literal = f"{draw.key(keys)}={value}"
            plain = re.fullmatch(r"[A-Za-z_][\w.=-]*", literal)
            literals.append(Tok(literal) if plain and draw.chance(0.5) else Str(literal))
        if draw.chance(0.02, "literal-token"):
            token = draw.rng.choice(("1", "yes", "~", "k=v # comment"))
            literals.append(Tok(token, flow_safe=False))
        if draw.flaw("literal-invalid"):
            literals.append(Str(draw.rng.choice(("=novalue", "noequals"))))
        items.append((Str("literals"), Seq(tuple(literals))))
    if draw.chance(0.4):
        sources = []
        for _ in range(draw.rng.randint(1, 2)):
            stem = draw.rng.choice(("f", "sub/dir/f", ".hidden", "data.bin", "données-", "my file"))
            path = draw.fresh(stem)
            if draw.flaw("file-missing"):
                sources.append(Str(path))
                continue
            draw.files[folder + path] = _file_content(draw, secret)
            sources.append(Str(path if draw.rng.random() < 0.5 else f"{draw.key(keys)}={path}"))
        items.append((Str("files"), Seq(tuple(sources))))
    if draw.chance(0.35, "envs"):
        path = draw.fresh("vars.env")
        draw.files[folder + path] = _env_file(draw, secret)
        if draw.chance(0.1, "env-legacy"):
            items.append((Str("env"), Str(path)))
        else:
            items.append((Str("envs"), Seq((Str(path),))))
    if secret and draw.chance(0.2, "secret-type"):
        items.append(
            (Str("type"), Str(draw.rng.choice(("Opaque", "kubernetes.io/tls", "x/y", ""))))
        )
    if draw.chance(0.25, "options"):
        items.append((Str("options"), _options(draw, kind)))
    _maybe_duplicate(draw, items)
    draw.entries[kind].append(Map(tuple(items)))
    return _Gen(kind, name, namespace)


def _options(draw: _Draw, kind: str = "") -> Node:
    """Generator options; in a generator list, sometimes an anchor or an alias to one."""
    if kind and kind in draw.anchors and draw.chance(0.5, "anchor-options"):
        return Alias(draw.anchors[kind])
    items: list[tuple[Node, Node]] = []
    if draw.chance(0.4):
        items.append((Str("labels"), Map(((Str("app"), draw.label_value()),))))
    if draw.chance(0.4):
        items.append((Str("annotations"), Map(((Str("note"), draw.label_value()),))))
    if draw.chance(0.4):
        items.append((Str("disableNameSuffixHash"), Tok(draw.rng.choice(BOOLS))))
    if draw.chance(0.2):
        items.append((Str("immutable"), Tok(draw.rng.choice(BOOLS))))
    if kind and kind not in draw.anchors and draw.chance(0.3):
        draw.anchors[kind] = draw.fresh("opts")
        return Anchor(draw.anchors[kind], Map(tuple(items)))
    return Map(tuple(items))


def _gvk(draw: _Draw, api_version: str, kind: str) -> list[tuple[Node, Node]]:
    if draw.allows("nonstring-gvk", 0.1):
        return [(Str("apiVersion"), Tok("1")), (Str("kind"), Str(kind))]
    return [(Str("apiVersion"), Str(api_version)), (Str("kind"), Str(kind))]


def _metadata(draw: _Draw, name: str) -> Map:
    extra = draw.metadata_map()
    items: list[tuple[Node, Node]] = [(Str("name"), Str(name)), *extra.items]
    if draw.chance(0.15, "resource-namespace"):
        items.append((Str("namespace"), Str(draw.rng.choice(("ns-a", "ns-b")))))
    return Map(tuple(items))


def _config_map(draw: _Draw) -> Map:
    data: list[tuple[Node, Node]] = [
        (Str(draw.key()), draw.scalar()) for _ in range(draw.rng.randint(0, 4))
    ]
    if draw.chance(0.03, "resource-token-key"):
        data.append((Tok(draw.rng.choice(TOKEN_KEYS)), Str("v")))
    items = [*_gvk(draw, "v1", "ConfigMap"), (Str("metadata"), _metadata(draw, draw.fresh("cm")))]
    if data or draw.rng.random() < 0.5:
        items.append((Str("data"), Map(_unique(tuple(data)))))
    _maybe_duplicate(draw, items)
    return Map(tuple(items))


def _secret(draw: _Draw) -> Map:
    items = [*_gvk(draw, "v1", "Secret"), (Str("metadata"), _metadata(draw, draw.fresh("sec")))]
    value = draw.rng.choice(SECRET_TEXTS)
    draw.secrets.append(value)
    if draw.rng.random() < 0.7:
        encoded = base64.b64encode(value.encode()).decode()
        items.append((Str("data"), Map(((Str(draw.key()), Str(encoded)),))))
    else:
        items.append((Str("stringData"), Map(((Str(draw.key()), Str(value)),))))
    if draw.chance(0.3):
        items.append((Str("type"), Str(draw.rng.choice(("Opaque", "example.com/custom")))))
    return Map(tuple(items))


def _deployment(draw: _Draw, generated: list[_Gen]) -> Map:
    name = draw.fresh("app")
    draw.workloads.append(name)
    secrets = [gen.name for gen in generated if gen.kind == "Secret"] or ["creds"]
    maps = [gen.name for gen in generated if gen.kind == "ConfigMap"] or ["app-config"]
    labels = Map(((Str("app"), Str(name)),))
    anchored = draw.chance(0.4, "anchors")
    template_labels: Node = labels
    if anchored:
        template_labels = (
            Alias("l")
            if draw.rng.random() < 0.5
            else Map(
                (
                    (Tok("<<"), draw.rng.choice((Alias("l"), Seq((Alias("l"),))))),
                    (Str("tier"), Str("web")),
                )
            )
        )
        if not isinstance(template_labels, Alias):
            draw.tags.add("merge-key")
    container = Map(
        (
            (Str("name"), Str("main")),
            (Str("image"), Str(draw.rng.choice(IMAGES))),
            (
                Str("env"),
                Seq(
                    (
                        Map(
                            (
                                (Str("name"), Str("PASSWORD")),
                                (
                                    Str("valueFrom"),
                                    Map(
                                        (
                                            (
                                                Str("secretKeyRef"),
                                                Map(
                                                    (
                                                        (
                                                            Str("name"),
                                                            Str(draw.rng.choice(secrets)),
                                                        ),
                                                        (
                                                            Str("key"),
                                                            Str(draw.rng.choice(KEYS[:6])),
                                                        ),
                                                    )
                                                ),
                                            ),
                                        )
                                    ),
                                ),
                            )
                        ),
                    )
                ),
            ),
            (
                Str("envFrom"),
                Seq(
                    (
                        Map(
                            (
                                (
                                    Str("configMapRef"),
                                    Map(((Str("name"), Str(draw.rng.choice(maps))),)),
                                ),
                            )
                        ),
                    )
                ),
            ),
            (
                Str("ports"),
                Seq(
                    (
                        Map(
                            (
                                (
                                    Str("containerPort"),
                                    Tok(draw.rng.choice(("8080", "0x50", "0o17", "80"))),
                                ),
                            )
                        ),
                    )
                ),
            ),
        )
    )
    pod = Map(
        (
            (Str("containers"), Seq((container,))),
            (Str("imagePullSecrets"), Seq((Map(((Str("name"), Str(draw.rng.choice(secrets))),)),))),
            (
                Str("volumes"),
                Seq(
                    (
                        Map(
                            (
                                (Str("name"), Str("cfg")),
                                (
                                    Str("configMap"),
                                    Map(((Str("name"), Str(draw.rng.choice(maps))),)),
                                ),
                            )
                        ),
                    )
                ),
            ),
        )
    )
    spec = Map(
        (
            (Str("replicas"), Tok(draw.rng.choice(("1", "0o3", "3", "0x2", "2.0")))),
            (
                Str("selector"),
                Map(((Str("matchLabels"), Anchor("l", labels) if anchored else labels),)),
            ),
            (
                Str("template"),
                Map(
                    (
                        (Str("metadata"), Map(((Str("labels"), template_labels),))),
                        (Str("spec"), pod),
                    )
                ),
            ),
        )
    )
    return Map(
        (
            *_gvk(draw, "apps/v1", "Deployment"),
            (Str("metadata"), _metadata(draw, name)),
            (Str("spec"), spec),
        )
    )


def _service(draw: _Draw) -> Map:
    port = Map(
        (
            (Str("port"), Tok(draw.rng.choice(("80", "0x50", "443", "8_080")))),
            (Str("targetPort"), draw.rng.choice((Str("http"), Tok("8080"), Str("8080")))),
        )
    )
    spec = Map(((Str("selector"), Map(((Str("app"), Str("web")),))), (Str("ports"), Seq((port,)))))
    return Map(
        (
            *_gvk(draw, "v1", "Service"),
            (Str("metadata"), _metadata(draw, draw.fresh("svc"))),
            (Str("spec"), spec),
        )
    )


def _widget(draw: _Draw, generated: list[_Gen]) -> Map:
    secrets = [gen.name for gen in generated if gen.kind == "Secret"] or ["creds"]
    spec = Map(((Str("secretName"), Str(draw.rng.choice(secrets))), (Str("size"), draw.scalar())))
    return Map(
        (
            (Str("apiVersion"), Str("example.com/v1")),
            (Str("kind"), Str("Widget")),
            (Str("metadata"), _metadata(draw, draw.fresh("w"))),
            (Str("spec"), spec),
        )
    )


def _resource_doc(draw: _Draw, generated: list[_Gen]) -> Map:
    roll = draw.rng.random()
    if roll < 0.35:
        return _config_map(draw)
    if roll < 0.5:
        return _secret(draw)
    if roll < 0.7:
        return _deployment(draw, generated)
    if roll < 0.8:
        return _service(draw)
    if roll < 0.88:
        return _widget(draw, generated)
    draw.tags.add("list")
    items = tuple(_config_map(draw) for _ in range(draw.rng.randint(0, 2)))
    return Map(
        ((Str("apiVersion"), Str("v1")), (Str("kind"), Str("List")), (Str("items"), Seq(items)))
    )


_CONFIGURATION = Map(
    (
        (
            Str("nameReference"),
            Seq(
                (
                    Map(
                        (
                            (Str("kind"), Str("Secret")),
                            (
                                Str("fieldSpecs"),
                                Seq(
                                    (
                                        Map(
                                            (
                                                (Str("kind"), Str("Widget")),
                                                (Str("path"), Str("spec/secretName")),
                                            )
                                        ),
                                    )
                                ),
                            ),
                        )
                    ),
                )
            ),
        ),
    )
)


IMAGES = (
    "registry.example.com/app:1.0",
    "nginx",
    "nginx:1.25",
    "localhost:5000/tool:2",
    "nginx@sha256:" + "a" * 64,
)
"""Container images of drawn Deployments: tag, digest and registry-port forms."""


def _label_map(draw: _Draw) -> Map:
    """A ``commonLabels``/``labels`` pairs/``commonAnnotations`` mapping: valid keys and values
    (kgen refuses invalid ones, kustomize does not), some already used by the resources."""
    keys = ("app", "tier", "example.com/team", "env")
    values = ("web", "prod", "v1.2", "", "a_b-c.d")
    chosen = draw.rng.sample(keys, draw.rng.randint(1, 2))
    return Map(tuple((Str(key), Str(draw.rng.choice(values))) for key in chosen))


def _image_entry(draw: _Draw) -> Map:
    """An ``images`` entry for one of :data:`IMAGES` (by name), changing some of its parts."""
    name = draw.rng.choice(("registry.example.com/app", "nginx", "localhost:5000/tool", "other"))
    items: list[tuple[Node, Node]] = [(Str("name"), Str(name))]
    if draw.chance(0.5):
        items.append((Str("newTag"), Str(draw.rng.choice(("2.0", "v1.2.3", "latest")))))
    if draw.chance(0.3):
        items.append((Str("newName"), Str(draw.rng.choice(("mirror.example.com/app", "busybox")))))
    if draw.chance(0.2):
        items.append((Str("digest"), Str("sha256:" + "b" * 64)))
    return Map(tuple(items))


def _base_path(draw: _Draw, base: str) -> str:
    if draw.chance(0.1, "base-path-form"):
        return draw.rng.choice((f"./{base}", f"{base}/", f"{base}/."))
    return base


def _layer(
    draw: _Draw,
    folder: str,
    bases: list[str],
    below: list[_Gen],
    prefix: str = "",
    *,
    components: tuple[str, ...] = (),
    component: bool = False,
) -> list[_Gen]:
    """Write one kustomization (``component``: a ``kind: Component``) under ``folder``, listing
    ``components``; return the objects it generates."""
    fields: list[tuple[Node, Node]] = []
    generated: list[_Gen] = []
    draw.entries = {"ConfigMap": [], "Secret": []}
    draw.anchors = {}
    for kind, counts in (("ConfigMap", (0, 1, 1, 2, 3)), ("Secret", (0, 1, 1, 2))):
        taken: list[str] = []
        for _ in range(draw.rng.choice(counts)):
            gen = _generator(draw, folder, kind, below, taken)
            taken.append(gen.name)
            generated.append(gen)
    configmaps, secrets = draw.entries["ConfigMap"], draw.entries["Secret"]
    resources: list[Node] = [Str(_base_path(draw, base)) for base in bases]
    for _ in range(draw.rng.choice((0, 1, 1, 2))):
        path = draw.fresh("res") + draw.rng.choice((".yaml", ".yml"))
        documents = [_resource_doc(draw, generated + below) for _ in range(draw.rng.randint(1, 3))]
        _write_yaml(draw, folder + path, documents, resource=True)
        resources.append(Str(path))
    if draw.flaw("resource-missing"):
        resources.append(Str("missing.yaml"))
    draw.rng.shuffle(resources)
    if component:
        fields.append((Str("kind"), Str("Component")))
        if draw.chance(0.5, "api-version"):
            fields.append((Str("apiVersion"), Str("kustomize.config.k8s.io/v1alpha1")))
    elif draw.chance(0.2, "api-version"):
        fields += [
            (Str("apiVersion"), Str("kustomize.config.k8s.io/v1beta1")),
            (Str("kind"), Str("Kustomization")),
        ]
    if components:
        fields.append((Str("components"), Seq(tuple(Str(entry) for entry in components))))
    if resources:
        key = "bases" if bases and draw.chance(0.05, "bases-field") else "resources"
        fields.append((Str(key), Seq(tuple(resources))))
    if configmaps:
        fields.append((Str("configMapGenerator"), Seq(tuple(configmaps))))
    if secrets:
        fields.append((Str("secretGenerator"), Seq(tuple(secrets))))
    if draw.chance(0.25, "generator-options"):
        fields.append((Str("generatorOptions"), _options(draw)))
    if prefix or draw.chance(0.25, "name-prefix"):
        fields.append((Str("namePrefix"), Str(prefix or draw.rng.choice(("p-", "pre.", "x")))))
    if draw.chance(0.2, "name-suffix"):
        fields.append((Str("nameSuffix"), Str(draw.rng.choice(("-s", ".v2", "-1")))))
    if draw.chance(0.2, "namespace"):
        fields.append((Str("namespace"), Str(draw.rng.choice(("ns-a", "ns-b", "default")))))
    if draw.chance(0.2, "common-labels"):
        fields.append((Str("commonLabels"), _label_map(draw)))
    if draw.chance(0.2, "labels"):
        entry: list[tuple[Node, Node]] = [(Str("pairs"), _label_map(draw))]
        for option in ("includeSelectors", "includeTemplates"):
            if draw.chance(0.4):
                entry.append((Str(option), Tok(draw.rng.choice(("true", "false")))))
        fields.append((Str("labels"), Seq((Map(tuple(entry)),))))
    if draw.chance(0.2, "common-annotations"):
        fields.append((Str("commonAnnotations"), _label_map(draw)))
    if draw.chance(0.2, "images"):
        fields.append(
            (Str("images"), Seq(tuple(_image_entry(draw) for _ in range(draw.rng.randint(1, 2)))))
        )
    if draw.workloads and draw.chance(0.15, "replicas"):
        replica = Map(
            (
                (Str("name"), Str(draw.rng.choice(draw.workloads))),
                (Str("count"), Tok(draw.rng.choice(("0", "1", "3")))),
            )
        )
        fields.append((Str("replicas"), Seq((replica,))))
    if draw.chance(0.1, "configurations"):
        _write_yaml(draw, folder + "nameref.yaml", [_CONFIGURATION], resource=False)
        fields.append((Str("configurations"), Seq((Str("nameref.yaml"),))))
    if draw.chance(0.2, "sort-options"):
        if draw.rng.random() < 0.5:
            order: Map = Map(((Str("order"), Str("fifo")),))
        else:
            legacy = Map(
                (
                    (Str("orderFirst"), Seq((Str("Secret"), Str("Service")))),
                    (Str("orderLast"), Seq((Str("ConfigMap"),))),
                )
            )
            order = Map(((Str("order"), Str("legacy")), (Str("legacySortOptions"), legacy)))
        fields.append((Str("sortOptions"), order))
    if draw.flaw("unknown-field"):
        fields.append((Str("nameSufix"), Str("-typo")))
    _maybe_duplicate(draw, fields)
    draw.rng.shuffle(fields)
    name = draw.rng.choice(("kustomization.yaml",) * 8 + ("kustomization.yml", "Kustomization"))
    _write_yaml(draw, folder + name, [Map(tuple(fields))], resource=False)
    return generated


COMPONENT_SHARE = 0.3
"""The share of trees with a component. Drawn from a random source of its own, so that the
trees without one are what they were before components were drawn."""


def make_tree(seed: int, known: frozenset[str] = frozenset()) -> Tree:
    """The tree for ``seed`` (the same bytes on every run); ``known`` enables known classes."""
    draw = _Draw(random.Random(seed), known)
    with_component = random.Random(f"component-{seed}").random() < COMPONENT_SHARE
    shape = draw.rng.choice(("single", "single", "single", "overlay", "overlay", "diamond"))
    draw.tags.add(shape)
    if with_component:
        draw.tags.add("components")
    if shape == "single":
        listed = _component(draw, "comp", []) if with_component else ()
        _layer(draw, "", [], [], components=listed)
    elif shape == "overlay":
        below = _layer(draw, "base/", [], [])
        listed = _component(draw, "comp", below) if with_component else ()
        _layer(draw, "", ["base"], below, components=listed)
    else:
        below = _layer(draw, "base/", [], [])
        shared = _component(draw, "../comp", below) if with_component else ()
        left = _layer(draw, "left/", ["../base"], below, prefix="l-", components=shared)
        right = _layer(draw, "right/", ["../base"], below, prefix="r-", components=shared)
        _layer(draw, "", ["left", "right"], left + right)
    return Tree(dict(sorted(draw.files.items())), tuple(draw.secrets), tuple(sorted(draw.tags)))


def _component(draw: _Draw, entry: str, below: list[_Gen]) -> tuple[str, ...]:
    """Write a component in ``comp/`` (its generators may merge into ``below``); return the
    ``components:`` entries that list it."""
    _layer(draw, "comp/", [], below, component=True)
    return (entry,)
