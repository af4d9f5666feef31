"""Generated kustomization trees, deterministic per seed: ``make_tree(seed) -> Tree``.

A tree is one root kustomization, alone or over a base, or a diamond (two middle layers over
one base), some with a component (listed by the root, or shared by both middle layers of a
diamond), using what kgen supports: config map and secret generators (literals, files, env
files, options, ``generatorOptions``, ``behavior`` merge/replace in overlays), resources
(ConfigMaps, Secrets, Deployments, Services, custom resources, Lists, several documents per
file), ``namespace``, ``namePrefix``, ``nameSuffix``, ``commonLabels``, ``labels``,
``commonAnnotations``, ``images``, ``replicas``, ``configurations`` and ``sortOptions``,
and patches (``patches``, ``patchesStrategicMerge``, ``patchesJson6902``: strategic merge and
JSON 6902, in files and inline, with and without targets of every selector kind, with
``allowNameChange``/``allowKindChange``, over the layer's objects and those of its bases,
generated ones by their names before the hash; ``$patch`` directives, ``$setElementOrder``,
``$retainKeys``, ``$deleteFromPrimitiveList``, nulls; every JSON operation, ``~0``/``~1``,
``-``; some failing on purpose: both builders must then fail), over more workloads
(StatefulSets, CronJobs, Pods) with values written empty or quoted; ``replacements`` (sources
and targets among the layer's objects, list selectors, wildcards, ``reject``, ``create``,
``delimiter``/``index``) and ``vars`` (objrefs to the layer's objects, ``$(NAME)`` in a
ConfigMap's data, ``$$`` escapes, an undefined name) by :mod:`fuzz.compose`.
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
import json
import random
import re
from typing import Any, NamedTuple

from fuzz import compose
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
    # a line comment on the key of a collection a strategic-merge patch empties ('volumes:  # c'
    # over one item the patch deletes, 'nodeAffinity:  # c' over values written empty, which
    # any patch of the object drops): kustomize fails writing it ("could not find expected
    # ':'"); kgen doesn't see comments
    "comment-emptied-map",
    # a strategic-merge patch with a line comment on the key of a collection it adds inside a
    # collection the target wrote in flow style ('labels:  # c' into 'template: {spec: ...}'):
    # kustomize writes the comment into the flow collection and fails reading its own output
    # ("yaml: invalid map key", seed 501308); kgen builds
    "comment-into-flow",
    # a JSON patch reading the whole of /metadata/annotations (copy, move, test from it): there
    # kustomize has its internal build annotations (previousNames...), which kgen doesn't keep
    "json-build-annotations",
    # a value JSON can't hold (.inf, .nan, +.inf: tag "not-json") that a patch replaces:
    # kustomize fails only if the value reaches a JSON conversion, so builds (kgen now too:
    # the value is refused only if it reaches the output or a JSON patch)
    "patched-failing-token",
    # a generated ConfigMap or Secret whose kind a patch changes (allowKindChange): kustomize
    # then hashes its name suffix from Go's JSON of the yaml.Node struct itself (line and column
    # numbers, styles, comments), which kgen cannot reproduce; kgen hashes its data
    "renamed-generated-kind",
)

OPEN: tuple[str, ...] = ("list-then-empty-document",)
# list-then-empty-document (seed 1000704): a file whose only object is a ``kind: List``
# followed by a ``---`` and nothing else; kustomize then re-encodes the List's items through
# JSON (a timestamp in a flow sequence of a ConfigMap's data comes out normalized,
# 2001-12-14T21:59:43.1-05:00), while kgen, which drops the empty document first, keeps the
# items' nodes as for a file's only List (2001-12-14t21:59:43.10-05:00).
# Classes found by this fuzzer and fixed since (each has a golden fixture pinned against
# kubectl): a strategic-merge patch setting a label commonLabels/labels created in several
# fields (kustomize's one YAML node: patches-smp-shared-label-node, seeds 200927, 400557); a
# number replacing a string of an item of a List kustomize re-encodes through JSON
# (patches-smp-reencoded-list-item, seed 200716); a JSON patch over an annotation written as a
# plain non-string, 0x1F or 2001-12-14 (patches-json-annotations-as-written, seeds 201033,
# 400270); a number replacing a generated value kyaml quoted, 1.50 into #x
# (patches-smp-generated-quoted-values, seed 400655).
"""Difference classes found and still open, described above; not tags (nothing gates them)."""

FIXED = frozenset(KNOWN) - {
    "comment-emptied-map",
    "comment-into-flow",
    "json-build-annotations",
    "renamed-generated-kind",
}
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
NOT_JSON = "not-json"
"""The tag of a tree with a value JSON can't hold (.inf, .nan)."""
NOT_JSON_TOKENS = frozenset({"+.inf"})
"""The tokens of :data:`TOKENS` kustomize cannot convert to JSON."""
PATCHED = 0.6
"""How often a layer with objects has patches."""
WORKLOADS = 0.3
"""How often a resource file also has a StatefulSet, CronJob or Pod."""
DELETES = 0.5
"""How often a tree's strategic-merge patches delete (its resource files then have no
comments: see ``_Draw.deletes``)."""
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
        self.side: _Side | None = None
        """What replacements and vars are drawn with (set by :func:`make_tree`)."""
        self.prng = random.Random(0)
        """Patches and the workloads they patch: a random source of their own."""
        self.patch_counter = 0
        self.deletes = True
        """Whether strategic-merge patches delete (nulls, ``$patch: delete|replace`` in lists
        and maps): when they do, resource files are written without comments, unless the known
        class ``comment-emptied-map`` is drawn (kustomize fails writing a collection a patch
        empties with a comment on its key)."""
        self.layer_objects: dict[str, list[_Obj]] = {}
        """The objects each layer (by folder) outputs, by their names before any prefix."""

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

    def allows_patch(self, known_class: str, probability: float) -> bool:
        """:meth:`allows`, drawn from the patches' random source."""
        hit = (known_class in FIXED or known_class in self.known) and (
            self.prng.random() < probability
        )
        if hit:
            self.tags.add(known_class)
        return hit

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
                self.tags.add(NOT_JSON)
                return Tok(self.rng.choice((".inf", "-.Inf", ".nan")))
            token = self.rng.choice(TOKENS)
            if token in NOT_JSON_TOKENS:
                self.tags.add(NOT_JSON)
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
    style = draw.style
    if resource and draw.deletes and not draw.allows_patch("comment-emptied-map", 1.0):
        style = style._replace(comment=0.0)
    texts = [write_document(draw.rng, document, style) for document in documents]
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
                _without_line_separators(
                    bytes(draw.rng.randrange(256) for _ in range(draw.rng.randint(1, 300)))
                ),
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


def _without_line_separators(data: bytes) -> bytes:
    """Random bytes without the UTF-8 of U+0085, U+2028, U+2029 (a documented difference,
    never drawn: a file of random bytes may hold one)."""
    for separator in (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9"):
        data = data.replace(separator, separator[:-1] + b"\x00")
    return data


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


def _folder(folder: str, base: str) -> str:
    """The folder of ``base``, a base of the layer in ``folder``."""
    parts = [part for part in (folder + base).split("/") if part]
    while ".." in parts:
        at = parts.index("..")
        del parts[at - 1 : at + 1]
    return "/".join(parts) + "/" if parts else ""


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
    objects = [obj for base in bases for obj in draw.layer_objects.get(_folder(folder, base), [])]
    objects += [_Obj(gen.kind, "v1", gen.name, gen.namespace, generated=True) for gen in generated]
    resources: list[Node] = [Str(_base_path(draw, base)) for base in bases]
    for _ in range(draw.rng.choice((0, 1, 1, 2))):
        path = draw.fresh("res") + draw.rng.choice((".yaml", ".yml"))
        documents = [_resource_doc(draw, generated + below) for _ in range(draw.rng.randint(1, 3))]
        if draw.prng.random() < WORKLOADS:
            draw.tags.add("workload")
            documents.append(_workload(draw, generated + below))
        for document in documents:
            objects += _objects_of(document)
        _write_yaml(draw, folder + path, documents, resource=True)
        resources.append(Str(path))
    named = [(obj.kind, obj.name) for obj in objects]
    side = draw.side
    variables: Node | None = None
    if side is not None and named and side.chance(VARS_SHARE, "vars"):
        variables, uses = compose.variables(side, folder, named)
        resources.append(Str(uses))
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
    fields += _patch_fields(draw, folder, objects)
    if side is not None and named and side.chance(REPLACEMENTS_SHARE, "replacements"):
        fields.append((Str("replacements"), compose.replacements(side, named)))
    if variables is not None:
        fields.append((Str("vars"), variables))
    draw.layer_objects[folder] = objects
    if draw.flaw("unknown-field"):
        fields.append((Str("nameSufix"), Str("-typo")))
    _maybe_duplicate(draw, fields)
    draw.rng.shuffle(fields)
    name = draw.rng.choice(("kustomization.yaml",) * 8 + ("kustomization.yml", "Kustomization"))
    _write_yaml(draw, folder + name, [Map(tuple(fields))], resource=False)
    return generated


REPLACEMENTS_SHARE = 0.2
VARS_SHARE = 0.12
"""How often a layer with objects gets ``replacements`` and ``vars`` (drawn by
:mod:`fuzz.compose` from a random source of their own, :class:`_Side`)."""


class _Side:
    """What :mod:`fuzz.compose` draws with: the tree's files and workloads, a random source of
    its own (so that the rest of a tree is what it was before it drew) and its own fresh
    names."""

    def __init__(self, draw: _Draw, rng: random.Random) -> None:
        self.rng = rng
        self.files = draw.files
        self.workloads = draw.workloads
        self._tags = draw.tags
        self._count = 0

    def chance(self, probability: float, tag: str = "") -> bool:
        hit = self.rng.random() < probability
        if hit and tag:
            self._tags.add(tag)
        return hit

    def fresh(self, stem: str) -> str:
        self._count += 1
        return f"{stem}c{self._count}"


COMPONENT_SHARE = 0.3
"""The share of trees with a component. Drawn from a random source of its own, so that the
trees without one are what they were before components were drawn."""
# --------------------------------------------------------------------------------------------
# Patches: ``patches``, ``patchesStrategicMerge`` and ``patchesJson6902`` entries over the
# layer's objects (its own, its generators', those of its bases by their names before any
# prefix). Drawn from ``draw.prng``, a random source of their own, so that the rest of a tree
# is what it was before patches were drawn.


class _Obj(NamedTuple):
    """An object a layer outputs, as patches address it."""

    kind: str
    api_version: str
    name: str
    namespace: str
    labels: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    """Data keys (ConfigMaps and Secrets read from files)."""
    generated: bool = False


def _str_of(node: Node | None) -> str | None:
    return node.value if isinstance(node, Str) else None


def _get(node: Node | None, key: str) -> Node | None:
    if isinstance(node, Anchor):
        node = node.node
    if not isinstance(node, Map):
        return None
    found = None
    for item_key, value in node.items:
        if _str_of(item_key) == key:
            found = value
    return found


def _keys_of(node: Node | None) -> tuple[str, ...]:
    if isinstance(node, Anchor):
        node = node.node
    if not isinstance(node, Map):
        return ()
    return tuple(key for key in (_str_of(item) for item, _ in node.items) if key is not None)


def _objects_of(document: Map) -> list[_Obj]:
    """The objects of a resource document (a List's items), as far as patches need them."""
    kind, api_version = _str_of(_get(document, "kind")), _str_of(_get(document, "apiVersion"))
    if kind == "List":
        items = _get(document, "items")
        found: list[_Obj] = []
        for item in items.items if isinstance(items, Seq) else ():
            if isinstance(item, Map):
                found += _objects_of(item)
        return found
    metadata = _get(document, "metadata")
    name = _str_of(_get(metadata, "name"))
    if kind is None or api_version is None or name is None:
        return []
    data = _keys_of(_get(document, "data")) + _keys_of(_get(document, "stringData"))
    return [
        _Obj(
            kind,
            api_version,
            name,
            _str_of(_get(metadata, "namespace")) or "",
            _keys_of(_get(metadata, "labels")),
            data,
        )
    ]


Plain = Any
"""A patch value: str, int, bool, None, dict, list, or a :data:`Node` written as it is."""

_NODE_TYPES = (Str, Tok, Block, Map, Seq, Anchor, Alias)


def _node(value: Plain) -> Node:
    """A plain value as nodes (strings drawn in any style, numbers and booleans as tokens)."""
    if isinstance(value, _NODE_TYPES):
        return value
    if value is None:
        return Tok("null")
    if isinstance(value, bool):
        return Tok("true" if value else "false")
    if isinstance(value, int | float):
        return Tok(str(value))
    if isinstance(value, str):
        return Str(value)
    if isinstance(value, dict):
        return Map(tuple((Str(key), _node(item)) for key, item in value.items()))
    return Seq(tuple(_node(item) for item in value))


def _map(value: dict[str, Plain]) -> Map:
    return Map(tuple((Str(key), _node(item)) for key, item in value.items()))


def _json(value: Plain) -> Any:
    """A plain value for ``json.dumps`` (a node: its text as a string, a token as YAML reads it
    is not needed here: JSON patches only carry plain values)."""
    if isinstance(value, Str):
        return value.value
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


PATCH_VALUES: tuple[Plain, ...] = (
    "patched",
    "",
    "a b",
    "é 😀",
    Tok("5"),
    Tok("1.50"),
    Tok("true"),
    Tok("0x1F"),
    Tok("~"),
    Tok('"007"'),
    Tok("'yes'"),
    "line1\nline2\n",
    Tok("", flow_safe=False),
)
"""Values a strategic-merge patch sets in a string map or a string field."""

_POD_PATHS = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def _nest(path: tuple[str, ...], value: dict[str, Plain]) -> dict[str, Plain]:
    for key in reversed(path):
        value = {key: value}
    return value


def _merge_into(into: dict[str, Plain], more: dict[str, Plain]) -> None:
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge_into(into[key], value)
        else:
            into[key] = value


_NULL_TOKENS = frozenset({"~", "", "null"})


def _is_null(value: Plain) -> bool:
    return value is None or (isinstance(value, Tok) and value.text in _NULL_TOKENS)


def _deletes(value: Plain) -> bool:
    return isinstance(value, dict) and value.get("$patch") in {"delete", "replace"}


def _without_deletions(value: Plain, *, top: bool = False) -> Plain:
    """A patch that empties no collection: without nulls, nor list items or maps that delete
    or replace (an object's own ``$patch: delete`` stays)."""
    if isinstance(value, dict):
        kept: dict[str, Plain] = {}
        for key, item in value.items():
            if _is_null(item) or (key == "$patch" and not top and item in {"delete", "replace"}):
                continue
            stripped = _without_deletions(item)
            if stripped != []:
                kept[key] = stripped
        return kept
    if isinstance(value, list):
        return [_without_deletions(item) for item in value if not _deletes(item)]
    return value


class _Patcher:
    """Draws the patches of one layer (``draw.prng``)."""

    def __init__(self, draw: _Draw, folder: str, objects: list[_Obj]) -> None:
        self.draw = draw
        self.rng = draw.prng
        self.folder = folder
        self.objects = objects

    def tag(self, name: str) -> None:
        self.draw.tags.add(name)

    def chance(self, probability: float, tag: str = "") -> bool:
        hit = self.rng.random() < probability
        if hit and tag:
            self.tag(tag)
        return hit

    def fresh(self, stem: str) -> str:
        self.draw.patch_counter += 1
        return f"{stem}{self.draw.patch_counter}"

    def secret_value(self) -> str:
        value = self.rng.choice(SECRET_TEXTS)
        self.draw.secrets.append(value)
        return value

    # --- strategic merge ---------------------------------------------------------------

    def head(self, obj: _Obj) -> dict[str, Plain]:
        metadata: dict[str, Plain] = {"name": obj.name}
        if obj.namespace and self.rng.random() < 0.8:
            metadata["namespace"] = obj.namespace
        elif self.chance(0.05, "patch-namespace-other"):
            metadata["namespace"] = self.rng.choice(("ns-a", "ns-b", "default"))
        api_version = obj.api_version
        if self.chance(0.05, "patch-other-version"):
            api_version = self.rng.choice(("v2", "apps/v1beta1", "example.com/v2"))
        return {"apiVersion": api_version, "kind": obj.kind, "metadata": metadata}

    def metadata_body(self) -> dict[str, Plain]:
        metadata: dict[str, Plain] = {}
        if self.chance(0.5):
            metadata["labels"] = {
                self.rng.choice(("app", "tier", "patched", "example.com/team")): self.rng.choice(
                    ("web", "v2", None, "")
                )
            }
        if self.chance(0.4):
            metadata["annotations"] = {
                self.rng.choice(("note", "patched", "example.com/x")): self.rng.choice(
                    ("yes", "1", Tok("1"), None, "a b")
                )
            }
        if self.chance(0.1, "smp-labels-replace"):
            metadata["labels"] = {"$patch": "replace", "only": "this"}
        return metadata

    def container(self) -> dict[str, Plain]:
        roll = self.rng.random()
        name = self.rng.choice(("main", "main", "side", "init"))
        item: dict[str, Plain] = {"name": name}
        if roll < 0.15:
            self.tag("smp-item-delete")
            item["$patch"] = "delete"
            return item
        if roll < 0.2:
            self.tag("smp-item-replace")
            item["$patch"] = "replace"
            item["image"] = "busybox"
            return item
        if self.chance(0.6):
            item["image"] = self.rng.choice(("busybox:1.36", "nginx:1.27", "nginx", Tok("5")))
        if self.chance(0.4, "smp-env"):
            env: list[Plain] = []
            for _ in range(self.rng.randint(1, 2)):
                entry: dict[str, Plain] = {"name": self.rng.choice(("PASSWORD", "NEW", "X"))}
                kind = self.rng.random()
                if kind < 0.3:
                    entry["$patch"] = "delete"
                elif kind < 0.8:
                    entry["value"] = self.rng.choice(("1", Tok("1"), "x", Tok("true")))
                else:
                    entry["valueFrom"] = None
                env.append(entry)
            item["env"] = env
        if self.chance(0.3, "smp-ports"):
            port: dict[str, Plain] = {
                "containerPort": self.rng.choice((Tok("8080"), Tok("80"), Tok("9090"), "80"))
            }
            if self.chance(0.5):
                port["protocol"] = self.rng.choice(("TCP", "UDP"))
            if self.chance(0.2):
                port["$patch"] = "delete"
            item["ports"] = [port]
        if self.chance(0.2, "smp-args"):
            item["args"] = self.rng.sample(["a", "b", "c", "--flag"], self.rng.randint(1, 3))
        if self.chance(0.1, "smp-delete-from-primitive-list"):
            item["$deleteFromPrimitiveList/args"] = ["a"]
        if self.chance(0.1, "smp-retain-keys"):
            item["$retainKeys"] = ["name", "image"]
        if self.chance(0.1, "smp-null"):
            item[self.rng.choice(("envFrom", "env", "ports", "image"))] = None
        return item

    def pod_body(self) -> dict[str, Plain]:
        spec: dict[str, Plain] = {}
        if self.chance(0.7):
            containers: list[Plain] = [self.container() for _ in range(self.rng.randint(1, 2))]
            if self.chance(0.1, "smp-list-replace"):
                containers.append({"$patch": "replace"})
            if self.chance(0.05, "smp-list-delete"):
                containers = [{"$patch": "delete"}]
            spec["containers"] = containers
            if self.chance(0.15, "smp-set-element-order"):
                spec["$setElementOrder/containers"] = [{"name": "side"}, {"name": "main"}]
        if self.chance(0.3, "smp-volumes"):
            volume: dict[str, Plain] = {"name": self.rng.choice(("cfg", "extra"))}
            roll = self.rng.random()
            if roll < 0.3:
                volume["$patch"] = "delete"
            elif roll < 0.6:
                volume["emptyDir"] = {}
            else:
                generated = [obj.name for obj in self.objects if obj.kind == "ConfigMap"]
                volume["configMap"] = {"name": self.rng.choice(generated or ["cfg"])}
            spec["volumes"] = [volume]
        if self.chance(0.1, "smp-null"):
            spec[self.rng.choice(("imagePullSecrets", "volumes", "containers"))] = None
        if self.chance(0.1, "smp-retain-keys"):
            spec["$retainKeys"] = ["containers"]
        if self.chance(0.1):
            spec["affinity"] = {"nodeAffinity": None}
        if self.chance(0.05, "smp-map-replace"):
            spec["$patch"] = "replace"
            spec.setdefault("containers", [{"name": "only", "image": "busybox"}])
        return spec

    def body(self, obj: _Obj) -> dict[str, Plain]:
        body: dict[str, Plain] = {}
        metadata = self.metadata_body()
        if metadata:
            body["metadata"] = metadata
        kind = obj.kind
        if kind in {"ConfigMap", "Secret"}:
            field = "data"
            if kind == "Secret" and self.chance(0.3):
                field = "stringData"
            data: dict[str, Plain] = {}
            keys = list(obj.keys) or ["a", "key"]
            for _ in range(self.rng.randint(1, 2)):
                key = self.rng.choice([*keys, "new", "a~b", "x.y.z"])
                if self.chance(0.2, "smp-null"):
                    data[key] = None
                elif kind == "Secret":
                    value = self.secret_value()
                    data[key] = (
                        value
                        if field == "stringData"
                        else base64.b64encode(value.encode()).decode()
                    )
                else:
                    data[key] = self.rng.choice(PATCH_VALUES)
            if self.chance(0.1, "smp-map-replace"):
                data["$patch"] = "replace"
            body[field] = data
            if self.chance(0.05, "smp-null"):
                body[field] = None
        elif kind in _POD_PATHS:
            spec = self.pod_body()
            body.update(_nest(_POD_PATHS[kind], spec) if spec else {})
            if kind in {"Deployment", "StatefulSet"} and self.chance(0.4):
                _merge_into(body, {"spec": {"replicas": self.rng.choice((Tok("3"), 0, "2"))}})
            if kind == "CronJob" and self.chance(0.4):
                _merge_into(body, {"spec": {"schedule": "*/5 * * * *", "suspend": True}})
            if self.chance(0.2):
                labels = {"tier": self.rng.choice(("web", None))}
                template: tuple[str, ...] = ("spec", "template", "metadata")
                if kind == "CronJob":
                    template = ("spec", "jobTemplate", *template)
                if kind != "Pod":
                    _merge_into(body, _nest(template, {"labels": labels}))
        elif kind == "Service":
            port: dict[str, Plain] = {"port": self.rng.choice((Tok("80"), Tok("443"), 8080))}
            if self.chance(0.4):
                port["protocol"] = self.rng.choice(("TCP", "UDP"))
            roll = self.rng.random()
            if roll < 0.2:
                port["$patch"] = "delete"
            elif roll < 0.7:
                port["targetPort"] = self.rng.choice((Tok("9090"), "http", "9090"))
            spec = {"ports": [port]}
            if self.chance(0.3):
                spec["type"] = self.rng.choice(("NodePort", "ClusterIP"))
            if self.chance(0.2):
                spec["selector"] = self.rng.choice(
                    ({"app": "other"}, {"$patch": "replace", "x": "y"}, None)
                )
            body["spec"] = spec
        else:
            spec = {"size": self.rng.choice(PATCH_VALUES)}
            if self.chance(0.4):
                spec["list"] = self.rng.choice((["a", "b"], [{"name": "x"}], []))
            if self.chance(0.2, "smp-null"):
                spec["secretName"] = None
            body["spec"] = spec
        if self.chance(0.04, "smp-object-delete"):
            body = {"$patch": "delete"}
        elif self.chance(0.02, "smp-unknown-directive"):
            body["$patch"] = self.rng.choice(("bogus", "Delete"))
        return body

    def strategic(self, obj: _Obj, *, rename: bool = False) -> dict[str, Plain]:
        patch = self.head(obj)
        body = self.body(obj)
        if not self.draw.deletes:
            body = _without_deletions(body, top=True)
        _merge_into(patch, body)
        if rename:
            metadata = patch.setdefault("metadata", {})
            metadata["name"] = self.rng.choice(("renamed", obj.name + "-x"))
        return patch

    # --- JSON 6902 ---------------------------------------------------------------------

    def operations(self, obj: _Obj) -> list[dict[str, Plain]]:
        pod = _POD_PATHS.get(obj.kind)
        key = self.rng.choice(list(obj.keys) or ["a"])
        escaped = key.replace("~", "~0").replace("/", "~1")
        candidates: list[dict[str, Plain]] = [
            {"op": "add", "path": "/metadata/labels/patched", "value": "yes"},
            {"op": "add", "path": "/metadata/annotations", "value": {"a": "b"}},
            {"op": "add", "path": "/metadata/annotations/example.com~1note", "value": "x"},
            {"op": "replace", "path": "/metadata/labels/app", "value": "v2"},
            {"op": "remove", "path": "/metadata/labels/app"},
            {"op": "test", "path": "/kind", "value": obj.kind},
            {"op": "test", "path": "/metadata/name", "value": "wrong"},
            {"op": "copy", "from": "/metadata/name", "path": "/metadata/labels/copied"},
            {"op": "move", "from": "/metadata/labels", "path": "/metadata/annotations"},
            {"op": "replace", "path": "/metadata/name", "value": obj.name + "-j"},
            {"op": "add", "path": "/spec", "value": {"x": [1, 2]}},
            {"op": "remove", "path": "/missing"},
        ]
        if obj.kind in {"ConfigMap", "Secret"}:
            value: Plain = (
                base64.b64encode(self.secret_value().encode()).decode()
                if obj.kind == "Secret"
                else self.rng.choice(("v", "", "1", 5, True, None, "a b"))
            )
            candidates += [
                {"op": "add", "path": f"/data/{escaped}", "value": value},
                {"op": "replace", "path": f"/data/{escaped}", "value": value},
                {"op": "remove", "path": f"/data/{escaped}"},
                {"op": "add", "path": "/data/a~0b", "value": value},
                {"op": "move", "from": f"/data/{escaped}", "path": "/data/moved"},
                {"op": "copy", "from": f"/data/{escaped}", "path": "/data/copied"},
                {"op": "test", "path": f"/data/{escaped}", "value": value},
                {"op": "add", "path": "/data", "value": {"only": "one"}},
            ]
        elif pod is not None:
            base = "/" + "/".join(pod)
            candidates += [
                {"op": "replace", "path": f"{base}/containers/0/image", "value": "busybox"},
                {"op": "add", "path": f"{base}/containers/-", "value": {"name": "side"}},
                {"op": "add", "path": f"{base}/containers/0/args", "value": ["a", "b"]},
                {"op": "add", "path": f"{base}/containers/0/env/0", "value": {"name": "N"}},
                {"op": "remove", "path": f"{base}/volumes/0"},
                {"op": "remove", "path": f"{base}/containers/5"},
                {"op": "copy", "from": f"{base}/containers/0", "path": f"{base}/containers/-"},
                {"op": "move", "from": f"{base}/volumes", "path": "/spec/moved"},
                {"op": "test", "path": f"{base}/containers/0/name", "value": "main"},
            ]
            if obj.kind in {"Deployment", "StatefulSet"}:
                candidates += [
                    {"op": "replace", "path": "/spec/replicas", "value": 4},
                    {"op": "test", "path": "/spec/replicas", "value": 1},
                ]
        elif obj.kind == "Service":
            candidates += [
                {"op": "replace", "path": "/spec/ports/0/port", "value": 8443},
                {"op": "add", "path": "/spec/type", "value": "NodePort"},
                {"op": "add", "path": "/spec/ports/-", "value": {"port": 9000}},
            ]
        else:
            candidates += [
                {"op": "replace", "path": "/spec/size", "value": self.rng.choice((1, "1", 1.5))},
                {"op": "add", "path": "/spec/list", "value": []},
                {"op": "add", "path": "/spec/list/-", "value": "x"},
            ]
        if self.draw.allows_patch("json-build-annotations", 0.1):
            candidates.append(
                self.rng.choice(
                    (
                        {"op": "copy", "from": "/metadata/annotations", "path": "/spec/seen"},
                        {"op": "move", "from": "/metadata/annotations", "path": "/spec/seen"},
                        {"op": "test", "path": "/metadata/annotations", "value": {}},
                    )
                )
            )
        chosen = self.rng.sample(candidates, self.rng.randint(1, 3))
        if self.chance(0.03, "json-invalid-op"):
            chosen.append({"op": self.rng.choice(("bogus", "Add")), "path": "/x"})
        for operation in chosen:
            self.tag("json-" + str(operation["op"]))
        return chosen

    def operations_text(self, operations: list[dict[str, Plain]]) -> str:
        if self.chance(0.3, "json-as-json"):
            return json.dumps([_json(operation) for operation in operations])
        return write_document(self.rng, Seq(tuple(_node(op) for op in operations)), Style())

    # --- entries -----------------------------------------------------------------------

    def selector(self, obj: _Obj) -> dict[str, Plain]:
        """A ``target`` selecting ``obj`` (and maybe others)."""
        target: dict[str, Plain] = {}
        roll = self.rng.random()
        group, _, version = obj.api_version.rpartition("/")
        if roll < 0.3:
            target = {"kind": obj.kind, "name": obj.name}
        elif roll < 0.4:
            target = {"kind": obj.kind}
        elif roll < 0.5:
            self.tag("target-name-regex")
            target = {"name": self.rng.choice((f"{obj.name[:2]}.*", f"^{obj.name}$", ".*"))}
        elif roll < 0.6:
            self.tag("target-gvk")
            target = {"group": group, "version": version, "kind": obj.kind}
            if self.chance(0.3):
                target["name"] = obj.name
        elif roll < 0.7:
            self.tag("target-label-selector")
            label = self.rng.choice(list(obj.labels) or ["app"])
            target = {
                "labelSelector": self.rng.choice(
                    (label, f"{label}=web", f"!{label}", f"{label} in (web, prod)", "app,tier")
                )
            }
        elif roll < 0.75:
            self.tag("target-annotation-selector")
            target = {"annotationSelector": self.rng.choice(("note", "note=x", "!note"))}
        elif roll < 0.85:
            self.tag("target-namespace")
            target = {"namespace": obj.namespace or self.rng.choice(("default", "ns-a"))}
            if self.chance(0.5):
                target["kind"] = obj.kind
        else:
            target = {"kind": obj.kind, "name": self.rng.choice((obj.name, "nothing"))}
        if self.chance(0.05, "target-invalid"):
            target["labelSelector"] = "a in (b"
        return target

    def patch_file(self, text: str) -> str:
        path = self.fresh(self.rng.choice(("patch", "sub/patch", "p.")))
        path += self.rng.choice((".yaml", ".yml", ".json"))
        self.draw.files[self.folder + path] = text.encode()
        return path

    def smp_text(self, documents: list[dict[str, Plain]]) -> str:
        style = self.draw.style
        if not self.draw.allows_patch("comment-into-flow", 1.0):
            style = style._replace(comment=0.0)
        return "---\n".join(
            write_document(self.rng, _map(document), style) for document in documents
        )

    def inline(self, text: str) -> Node:
        lines = tuple(text.rstrip("\n").split("\n"))
        if not lines[0].strip() or lines[0][:1] in " \t":
            return Str(text)
        return Block("|", lines)

    def entry(self) -> tuple[str, Node]:
        """One entry of ``patches`` (or of a legacy field): (the field, the entry)."""
        obj = self.rng.choice(self.objects)
        roll = self.rng.random()
        if roll < 0.2:
            self.tag("patches-strategic-merge")
            documents = [self.strategic(obj)]
            if self.chance(0.2, "smp-several-documents"):
                documents.append(self.strategic(self.rng.choice(self.objects)))
            text = self.smp_text(documents)
            if self.chance(0.4, "patch-inline"):
                return "patchesStrategicMerge", self.inline(text)
            return "patchesStrategicMerge", Str(self.patch_file(text))
        if roll < 0.35:
            self.tag("patches-json6902")
            group, _, version = obj.api_version.rpartition("/")
            target: dict[str, Plain] = {"version": version, "kind": obj.kind, "name": obj.name}
            if group:
                target["group"] = group
            if obj.namespace and self.chance(0.7):
                target["namespace"] = obj.namespace
            entry: dict[str, Plain] = {"target": target}
            text = self.operations_text(self.operations(obj))
            if self.chance(0.3, "patch-inline"):
                entry["patch"] = self.inline(text)
            else:
                entry["path"] = self.patch_file(text)
            return "patchesJson6902", _node(entry)
        entry = {}
        json_patch = self.chance(0.35, "patch-json")
        rename = False
        options: dict[str, Plain] = {}
        if not json_patch and self.chance(0.1, "patch-allow-name-change"):
            options["allowNameChange"] = True
            rename = self.rng.random() < 0.8
        if self.chance(0.07, "patch-allow-kind-change"):
            options["allowKindChange"] = self.rng.choice((True, False))
        if json_patch:
            text = self.operations_text(self.operations(obj))
            if self.rng.random() < 0.95:
                entry["target"] = self.selector(obj)
        else:
            patch = self.strategic(obj, rename=rename)
            generated = any(other.generated for other in self.objects)
            if (
                options.get("allowKindChange")
                and self.chance(0.5)
                and (not generated or self.draw.allows_patch("renamed-generated-kind", 1.0))
            ):
                patch["kind"] = "Renamed"
            documents = [patch]
            if self.chance(0.1, "smp-several-documents"):
                documents.append(self.strategic(self.rng.choice(self.objects)))
            text = self.smp_text(documents)
            if self.chance(0.4, "patch-target"):
                entry["target"] = self.selector(obj)
        if options:
            entry["options"] = options
        if self.chance(0.4, "patch-inline"):
            entry["patch"] = self.inline(text)
        else:
            entry["path"] = self.patch_file(text)
        return "patches", _node(entry)

    def fields(self) -> list[tuple[Node, Node]]:
        entries: dict[str, list[Node]] = {}
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            name, entry = self.entry()
            entries.setdefault(name, []).append(entry)
        return [(Str(name), Seq(tuple(items))) for name, items in entries.items()]


def _patch_fields(draw: _Draw, folder: str, objects: list[_Obj]) -> list[tuple[Node, Node]]:
    """The layer's patch fields (none, mostly, in a layer with no objects)."""
    if not objects or draw.prng.random() >= PATCHED:
        return []
    if NOT_JSON in draw.tags and not draw.allows_patch("patched-failing-token", 1.0):
        return []
    draw.tags.add("patches")
    return _Patcher(draw, folder, objects).fields()


def _container(draw: _Draw, generated: list[_Gen]) -> Map:
    maps = [gen.name for gen in generated if gen.kind == "ConfigMap"] or ["app-config"]
    rng = draw.prng
    items: list[tuple[Node, Node]] = [
        (Str("name"), Str("main")),
        (Str("image"), Str(rng.choice(IMAGES))),
    ]
    if rng.random() < 0.5:
        items.append((Str("args"), Seq(tuple(Str(arg) for arg in ("a", "b")))))
    if rng.random() < 0.5:
        items.append(
            (
                Str("env"),
                Seq((Map(((Str("name"), Str("X")), (Str("value"), Tok("1")))),)),
            )
        )
    if rng.random() < 0.5:
        port = Map(((Str("containerPort"), Tok("80")), (Str("protocol"), Str("TCP"))))
        items.append((Str("ports"), Seq((port,))))
    if rng.random() < 0.3:
        items.append(
            (
                Str("envFrom"),
                Seq((Map(((Str("configMapRef"), Map(((Str("name"), Str(rng.choice(maps))),))),)),)),
            )
        )
    if rng.random() < 0.2:
        draw.tags.add("empty-value")
        items.append((Str(rng.choice(("command", "workingDir"))), Tok("", flow_safe=False)))
    if rng.random() < 0.2:
        draw.tags.add("quoted-value")
        items.append((Str("imagePullPolicy"), Tok('"Always"')))
    return Map(tuple(items))


def _pod_spec(draw: _Draw, generated: list[_Gen]) -> Map:
    rng = draw.prng
    containers = [_container(draw, generated)]
    if rng.random() < 0.3:
        containers.append(Map(((Str("name"), Str("side")), (Str("image"), Str("busybox")))))
    items: list[tuple[Node, Node]] = [(Str("containers"), Seq(tuple(containers)))]
    if rng.random() < 0.5:
        maps = [gen.name for gen in generated if gen.kind == "ConfigMap"] or ["app-config"]
        volume = Map(
            (
                (Str("name"), Str("cfg")),
                (Str("configMap"), Map(((Str("name"), Str(rng.choice(maps))),))),
            )
        )
        items.append((Str("volumes"), Seq((volume,))))
    if rng.random() < 0.2:
        draw.tags.add("empty-value")
        node: list[tuple[Node, Node]] = [
            (Str("requiredDuringSchedulingIgnoredDuringExecution"), Tok("", flow_safe=False))
        ]
        if not draw.allows_patch("comment-emptied-map", 0.5):
            preference = Map(((Str("matchExpressions"), Seq((Map(((Str("key"), Str("a")),)),))),))
            term = Map(((Str("weight"), Tok("1")), (Str("preference"), preference)))
            node.append((Str("preferredDuringSchedulingIgnoredDuringExecution"), Seq((term,))))
        affinity = Map(((Str("nodeAffinity"), Map(tuple(node))),))
        items.append((Str("affinity"), affinity))
    return Map(tuple(items))


def _workload(draw: _Draw, generated: list[_Gen]) -> Map:
    """A StatefulSet, CronJob or Pod (``draw.prng``)."""
    rng = draw.prng
    kind = rng.choice(("StatefulSet", "CronJob", "Pod"))
    name = f"{kind.lower()}{rng.randint(1, 99)}"
    labels = Map(((Str("app"), Str(name)),))
    metadata = Map(((Str("name"), Str(name)), (Str("labels"), labels)))
    pod = _pod_spec(draw, generated)
    template = Map(((Str("metadata"), Map(((Str("labels"), labels),))), (Str("spec"), pod)))
    spec: Map
    if kind == "StatefulSet":
        api_version = "apps/v1"
        spec = Map(
            (
                (Str("replicas"), Tok("1")),
                (Str("serviceName"), Str(name)),
                (Str("selector"), Map(((Str("matchLabels"), labels),))),
                (Str("template"), template),
            )
        )
    elif kind == "CronJob":
        api_version = "batch/v1"
        job = Map(((Str("template"), template),))
        spec = Map(
            (
                (Str("schedule"), Str("0 * * * *")),
                (Str("jobTemplate"), Map(((Str("spec"), job),))),
            )
        )
    else:
        api_version = "v1"
        spec = pod
    return Map(
        (
            (Str("apiVersion"), Str(api_version)),
            (Str("kind"), Str(kind)),
            (Str("metadata"), metadata),
            (Str("spec"), spec),
        )
    )


def make_tree(seed: int, known: frozenset[str] = frozenset()) -> Tree:
    """The tree for ``seed`` (the same bytes on every run); ``known`` enables known classes."""
    draw = _Draw(random.Random(seed), known)
    with_component = random.Random(f"component-{seed}").random() < COMPONENT_SHARE
    draw.prng = random.Random(f"patches {seed}")
    draw.side = _Side(draw, random.Random(f"compose {seed}"))
    draw.deletes = draw.prng.random() < DELETES
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
