"""The differential fuzzer (``fuzz/``): its generator, its writer, its comparator, and a short
seeded slice run against ``kubectl kustomize`` (skipped where kubectl is not installed)."""

from __future__ import annotations

import base64
import random
import shutil

import pytest

from fuzz import difftree
from fuzz.difftree import Run, check_trees, compare, leaks
from fuzz.trees import FIXED, KNOWN, TEXTS, Tree, make_tree
from fuzz.yamltext import Alias, Anchor, Block, Map, Seq, Str, Style, Tok, write_document
from kgen import yamlio

KUBECTL = shutil.which("kubectl")
SLICE_SEED = 20260
SLICE_COUNT = 40
TREE = Tree({"kustomization.yaml": b""}, ("s3cr3t-Passw0rd!",), ("single",))
OK = Run(0, b"a: 1\n", b"")
FAILED = Run(1, b"", b"kgen: error: x\n")
KUBECTL_FAILED = Run(1, b"", b'E1 run.go:72] "command failed" err="bad"\n')


def test_make_tree_is_deterministic() -> None:
    assert [make_tree(seed) for seed in range(20)] == [make_tree(seed) for seed in range(20)]
    assert make_tree(1) != make_tree(2)


def test_make_tree_pins_its_layout() -> None:
    tree = make_tree(3)
    assert sorted(tree.files) == [
        "base/Kustomization",
        "base/res1.yml",
        "base/res5.yaml",
        "comp/kustomization.yaml",
        "comp/sub/dir/f7",
        "comp/sub/patch1.json",
        "comp/vars.env8",
        "kustomization.yaml",
        "nameref.yaml",
        "res15.yml",
        "vars.env9",
    ]
    assert tree.tags == (
        "anchors",
        "annotation-scalar",
        "api-version",
        "common-annotations",
        "components",
        "configurations",
        "control-char",
        "env-comment",
        "envs",
        "generator-namespace",
        "json-as-json",
        "json-move",
        "json-replace",
        "labels",
        "name-prefix",
        "name-suffix",
        "options",
        "overlay",
        "patch-inline",
        "patch-namespace-other",
        "patches",
        "patches-json6902",
        "patches-strategic-merge",
        "replacement-reject",
        "replacement-source-options",
        "replacements",
        "smp-labels-replace",
        "smp-several-documents",
        "sort-options",
        "workload",
    )


def test_a_share_of_trees_composes_components_replacements_and_vars() -> None:
    tags = [make_tree(seed).tags for seed in range(300)]
    counts = [sum(name in tree for tree in tags) for name in ("components", "replacements", "vars")]
    assert counts == [100, 112, 72]
    drawn = {tag for tree in tags for tag in tree}
    assert {
        "replacement-reject",
        "replacement-options",
        "var-undefined",
    } <= drawn


def test_trees_draw_patches() -> None:
    """Patches of every field and form are drawn: strategic merge and JSON 6902, by path and
    inline, with targets of each kind, options, and the directives."""
    tags = {tag for seed in range(300) for tag in make_tree(seed).tags}
    assert {
        "patches",
        "patches-strategic-merge",
        "patches-json6902",
        "patch-json",
        "patch-inline",
        "patch-target",
        "patch-allow-name-change",
        "patch-allow-kind-change",
        "target-gvk",
        "target-name-regex",
        "target-label-selector",
        "target-annotation-selector",
        "target-namespace",
        "smp-item-delete",
        "smp-item-replace",
        "smp-list-replace",
        "smp-map-replace",
        "smp-object-delete",
        "smp-set-element-order",
        "smp-retain-keys",
        "smp-delete-from-primitive-list",
        "smp-null",
        "json-add",
        "json-remove",
        "json-replace",
        "json-move",
        "json-copy",
        "json-test",
        "json-as-json",
        "workload",
        "empty-value",
    } <= tags


def test_open_known_classes_are_drawn_only_when_asked() -> None:
    plain = {tag for seed in range(300) for tag in make_tree(seed).tags}
    assert plain & set(KNOWN) == FIXED
    every = frozenset(KNOWN)
    drawn = {tag for seed in range(300) for tag in make_tree(seed, every).tags}
    assert sorted(drawn & every) == sorted(KNOWN)


def test_documented_differences_are_never_drawn() -> None:
    for seed in range(300):
        tree = make_tree(seed, frozenset(KNOWN))
        for name, data in tree.files.items():
            text = data.decode(errors="replace").replace("# note\x85more", "")
            assert "\x85" not in text, (seed, name)
            assert "\u2028" not in text, (seed, name)
            assert "\u2029" not in text, (seed, name)
            assert max(map(len, data.split(b"\n"))) < 65536, (seed, name)


NODES = [
    pytest.param(Map(((Str("k"), Str(text)),)), {"k": text}, id=f"text-{index}")
    for index, text in enumerate(TEXTS)
    if not text.startswith("\t") and "\r" not in text
] + [
    pytest.param(Map(((Str("n"), Tok("0o17")),)), {"n": 15}, id="token-octal"),
    pytest.param(Map(((Str("b"), Tok("yes")),)), {"b": "yes"}, id="token-yes"),
    pytest.param(
        Map(((Str("l"), Seq((Str("a"), Map(((Str("x"), Str("1")),)), Seq((Str("b"),))))),)),
        {"l": ["a", {"x": "1"}, ["b"]]},
        id="nested",
    ),
    pytest.param(
        Map(
            (
                (Str("a"), Anchor("x", Map(((Str("p"), Str("q")),)))),
                (Str("b"), Alias("x")),
                (Str("c"), Map(((Tok("<<"), Alias("x")), (Str("r"), Str("s"))))),
            )
        ),
        {"a": {"p": "q"}, "b": {"p": "q"}, "c": {"p": "q", "r": "s"}},
        id="anchors-merge",
    ),
    pytest.param(
        Map(((Str("f"), Block(">-", ("one", "two", "", "three"))),)),
        {"f": "one two\nthree"},
        id="folded",
    ),
    pytest.param(Map(((Str("e"), Map(())), (Str("s"), Seq(())))), {"e": {}, "s": []}, id="empty"),
]


@pytest.mark.parametrize(("node", "expected"), NODES)
def test_write_document_reads_back(node: Map, expected: object) -> None:
    for seed in range(30):
        style = Style(flow=0.5, comment=0.3, quote=0.5, escape=0.5, indent_seq=0.5)
        text = write_document(random.Random(seed), node, style)
        assert yamlio.load_documents(text.encode(), "t.yaml") == [expected], (seed, text)


SECRET = "s3cr3t-Passw0rd!"
ENCODED = base64.b64encode(SECRET.encode())


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        pytest.param(b"kgen: error: x.yaml: line 3\n", [], id="clean"),
        pytest.param(b"oops " + SECRET.encode(), [SECRET], id="raw"),
        pytest.param(b"oops " + ENCODED, [SECRET], id="base64"),
        pytest.param(b"value s3cr3t", [], id="short-piece"),
    ],
)
def test_leaks(stderr: bytes, expected: list[str]) -> None:
    assert leaks([SECRET, "short"], stderr) == expected


def test_leaks_finds_one_line_of_a_multiline_secret() -> None:
    assert leaks(["first-line-secret\nsecond"], b"... first-line-secret ...") == [
        "first-line-secret\nsecond"
    ]


@pytest.mark.parametrize(
    ("plain", "checked", "kubectl", "expected"),
    [
        pytest.param(OK, OK, OK, [], id="same-output"),
        pytest.param(FAILED, FAILED, KUBECTL_FAILED, [], id="both-fail"),
        pytest.param(OK, FAILED, OK, [], id="validation-refuses"),
        pytest.param(
            Run(0, b"a: 2\n", b""),
            Run(0, b"a: 2\n", b""),
            OK,
            [("output", "--- kubectl\n+++ kgen\n@@ -1 +1 @@\n-a: 1\n+a: 2")],
            id="output",
        ),
        pytest.param(FAILED, FAILED, OK, [("kgen-refuses", "kgen: error: x")], id="refuses"),
        pytest.param(
            OK,
            OK,
            KUBECTL_FAILED,
            [("kgen-accepts", 'kubectl: E1 run.go:72] "command failed" err="bad"')],
            id="accepts",
        ),
        pytest.param(
            Run(3, b"", b"kgen: internal error: KeyError\n"),
            OK,
            OK,
            [("crash", "kgen exited 3: kgen: internal error: KeyError")],
            id="crash",
        ),
        pytest.param(
            OK,
            Run(1, b"", b"Traceback (most recent call last):\n"),
            OK,
            [("traceback-validate", "Traceback (most recent call last):")],
            id="traceback",
        ),
        pytest.param(
            Run(1, b"a: 1\n", b"kgen: error: x\n"),
            FAILED,
            KUBECTL_FAILED,
            [("dirty-failure", "kgen failed but printed a stream")],
            id="dirty-failure",
        ),
        pytest.param(
            OK,
            Run(1, b"", b"kgen: error: s3cr3t-Passw0rd! is bad\n"),
            OK,
            [("leak-validate", "stderr shows secret 's3cr3t-Passw0rd!'")],
            id="leak",
        ),
        pytest.param(
            OK,
            Run(0, b"a: 3\n", b""),
            OK,
            [("validate-output", "the stream differs with validation on")],
            id="validate-output",
        ),
        pytest.param(
            FAILED,
            OK,
            KUBECTL_FAILED,
            [("validate-accepts", "kgen builds with validation what it refuses without")],
            id="validate-accepts",
        ),
    ],
)
def test_compare(plain: Run, checked: Run, kubectl: Run, expected: list[tuple[str, str]]) -> None:
    assert compare(TREE, plain, checked, kubectl) == expected


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (kustomize v5.5.0) is not installed")
def test_seeded_slice_has_no_differences() -> None:
    checked = list(check_trees(range(SLICE_SEED, SLICE_SEED + SLICE_COUNT), jobs=2))
    found = [diff.describe() for result in checked for diff in result.differences]
    assert found == [], "\n".join(found)
    assert len(checked) == SLICE_COUNT
    # the known classes now drawn by default (control characters, non-string kinds) and
    # patches, replacements and vars that select nothing or fail make kustomize refuse more
    # trees: 8 of these 40 build; 32 draw patches, 4 of those build; 19 draw replacements or
    # vars, 1 of those builds (the others fail in both, as they must)
    assert sum(result.built for result in checked) == 8
    patched = [result for result in checked if "patches" in make_tree(result.seed).tags]
    assert (len(patched), sum(result.built for result in patched)) == (32, 4)
    composed = [r for r in checked if {"replacements", "vars"} & set(make_tree(r.seed).tags)]
    assert (len(composed), sum(result.built for result in composed)) == (19, 1)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (kustomize v5.5.0) is not installed")
def test_main_reports_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert difftree.main(["--seed", "5", "--count", "2"]) == 0
    assert capsys.readouterr().out == "seeds 5..: 2 trees (0 built by kubectl): 0 differences\n"
