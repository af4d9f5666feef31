from __future__ import annotations

import os
from pathlib import Path

import pytest

from kgen import model, paths
from kgen.errors import KgenError, KustomizationError, LoadError
from kgen.loader import MAX_NESTED_BASES, Loader
from kgen.pipeline import Build, BuildOptions, build

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root: Path, monkeypatch: pytest.MonkeyPatch, target: str = ".", **options: object) -> Build:
    monkeypatch.chdir(root)
    return build(Path(target), BuildOptions(hash_mode="kustomize", **options))  # type: ignore[arg-type]


def error(root: Path, monkeypatch: pytest.MonkeyPatch, target: str = ".") -> str:
    with pytest.raises(KgenError) as info:
        run(root, monkeypatch, target)
    return str(info.value)


def test_build_returns_manifests_in_order_and_no_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": (
                "resources: [cm.yaml]\nsecretGenerator:\n- name: s\n  literals: [a=b]\n"
            ),
            "cm.yaml": CM.format(name="z"),
        },
    )
    result = run(tmp_path, monkeypatch)
    assert [(m["kind"], m["metadata"]["name"]) for m in result.manifests] == [
        ("ConfigMap", "z"),
        ("Secret", "s-k695gkmbtk"),
    ]
    assert result.findings == []


def test_cycle_names_the_closing_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "a/kustomization.yaml": "resources: [../b]\n",
            "b/kustomization.yaml": "resources: [../c]\n",
            "c/kustomization.yaml": "resources: [../b]\n",
        },
    )
    assert error(tmp_path, monkeypatch, "a") == (
        "c/kustomization.yaml: resources[0]: kustomization cycle: b -> c -> b"
    )


def test_including_an_ancestor_is_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "x/kustomization.yaml": "resources: [app]\n",
            "x/app/kustomization.yaml": "resources: [..]\n",
        },
    )
    assert error(tmp_path, monkeypatch, "x/app") == (
        "x/app/kustomization.yaml: resources[0]: kustomization cycle: x contains x/app, "
        "which is being built"
    )


def test_absolute_base_directory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "base/kustomization.yaml": "resources: [cm.yaml]\n",
            "base/cm.yaml": CM.format(name="a"),
            "top/kustomization.yaml": f"resources: [{tmp_path / 'base'}]\n",
        },
    )
    assert error(tmp_path, monkeypatch, "top") == (
        "top/kustomization.yaml: resources[0]: a kustomization directory must be given as a "
        "relative path"
    )


def test_absolute_file_inside_the_root_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": f"resources: [{tmp_path / 'cm.yaml'}]\n",
            "cm.yaml": CM.format(name="a"),
        },
    )
    assert [m["metadata"]["name"] for m in run(tmp_path, monkeypatch).manifests] == ["a"]


def test_component_in_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [c]\n",
            "c/kustomization.yaml": "kind: Component\nconfigMapGenerator: [{name: a}]\n",
        },
    )
    with pytest.raises(KustomizationError) as info:
        run(tmp_path, monkeypatch)
    assert str(info.value) == (
        "kustomization.yaml: resources[0]: c/kustomization.yaml is a kind: Component: list it "
        "in components, not resources"
    )


@pytest.mark.parametrize(
    "entry",
    [
        "https://example.com/app.yaml",
        "github.com/org/repo//base?ref=v1",
        "git@github.com:org/repo.git//base",
        "git::https://example.com/repo.git",
    ],
)
def test_remote_resources_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    write(tmp_path, {"kustomization.yaml": f"resources:\n- {entry}\n"})
    with pytest.raises(LoadError) as info:
        run(tmp_path, monkeypatch)
    assert str(info.value) == (
        "kustomization.yaml: resources[0]: remote resources (URLs, git) are not supported by kgen"
    )


def test_missing_resource(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"kustomization.yaml": "resources: [nope.yaml]\n"})
    assert error(tmp_path, monkeypatch) == (
        "kustomization.yaml: resources[0]: no such file or directory: nope.yaml"
    )


def test_duplicate_id_across_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [a.yaml, b.yaml]\n",
            "a.yaml": CM.format(name="x"),
            "b.yaml": CM.format(name="x").replace("k: v", "k: w"),
        },
    )
    assert error(tmp_path, monkeypatch) == (
        "b.yaml: document 1 (ConfigMap x): already defined by a.yaml: document 1 (ConfigMap x)"
    )


def test_local_config_dropped_and_child_sort_options_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = CM.format(name="l").replace(
        "name: l", 'name: l\n  annotations:\n    config.kubernetes.io/local-config: "true"'
    )
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [child]\n",
            "child/kustomization.yaml": "resources: [r.yaml]\nsortOptions: {order: fifo}\n",
            "child/r.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\n"
            + CM.format(name="c")
            + "---\n"
            + local,
        },
    )
    kinds = [m["kind"] for m in run(tmp_path, monkeypatch).manifests]
    assert kinds == ["ConfigMap", "Deployment"]


def test_validation_off_reports_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path, {"kustomization.yaml": "secretGenerator:\n- name: s\n  literals: ['bad key=v']\n"}
    )
    assert [f.rule for f in run(tmp_path, monkeypatch).findings] == ["secret-key"]
    assert run(tmp_path, monkeypatch, validate=False).findings == []


def test_configuration_paths_of_thousands_of_fields_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kustomize builds them; kgen walks field paths without recursion."""
    long_path = "/".join(["data", *["a"] * 2999])
    write(
        tmp_path,
        {
            "kustomization.yaml": (
                "resources: [cm.yaml]\nconfigurations: [conf.yaml]\nnamePrefix: p-\n"
                "configMapGenerator:\n- name: g\n  literals: [k=v]\n"
            ),
            "conf.yaml": (
                f"namePrefix:\n- path: {long_path}\n  kind: ConfigMap\n"
                f"nameReference:\n- kind: ConfigMap\n  fieldSpecs:\n"
                f"  - path: {long_path}\n    kind: ConfigMap\n"
            ),
            "cm.yaml": CM.format(name="z"),
        },
    )
    result = run(tmp_path, monkeypatch)
    assert result.manifests == [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "p-g-bdg947hgcc"},
            "data": {"k": "v"},
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "p-z"}, "data": {"k": "v"}},
    ]


@pytest.mark.parametrize(
    ("kustomization", "message"),
    [
        pytest.param(
            "resources: [fifo]\n",
            "kustomization.yaml: resources[0]: cannot read fifo: a FIFO, not a regular file",
            id="resource",
        ),
        pytest.param(
            "configMapGenerator:\n- name: c\n  files: [fifo]\n",
            "kustomization.yaml: configMapGenerator[c].files[0]: cannot read fifo: a FIFO, "
            "not a regular file",
            id="generator-file",
        ),
        pytest.param(
            "secretGenerator:\n- name: s\n  envs: [fifo]\n",
            "kustomization.yaml: secretGenerator[s].envs[0]: cannot read fifo: a FIFO, "
            "not a regular file",
            id="env-file",
        ),
        pytest.param(
            "resources: [cm.yaml]\nconfigurations: [fifo]\n",
            "kustomization.yaml: configurations[0]: cannot read fifo: a FIFO, not a regular file",
            id="configuration",
        ),
        pytest.param(
            "resources: [base]\n",
            "base/kustomization.yaml: cannot read base/kustomization.yaml: a FIFO, "
            "not a regular file",
            id="base-kustomization",
        ),
    ],
)
@pytest.mark.parametrize("validate", [True, False], ids=["validate", "no-validate"])
def test_fifos_are_refused_not_opened(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kustomization: str,
    message: str,
    validate: bool,
) -> None:
    """Opening a FIFO blocks until something writes to it (kustomize hangs there)."""
    write(tmp_path, {"kustomization.yaml": kustomization, "cm.yaml": CM.format(name="c")})
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "base").mkdir()
    os.mkfifo(tmp_path / "base" / "kustomization.yaml")
    with pytest.raises(LoadError) as info:
        run(tmp_path, monkeypatch, validate=validate)
    assert str(info.value) == message


@pytest.mark.parametrize("validate", [True, False], ids=["validate", "no-validate"])
def test_huge_files_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validate: bool
) -> None:
    write(tmp_path, {"kustomization.yaml": "configMapGenerator:\n- name: c\n  files: [big]\n"})
    with (tmp_path / "big").open("wb") as stream:
        stream.truncate(2 * 1024**3)  # sparse
    with pytest.raises(LoadError) as info:
        run(tmp_path, monkeypatch, validate=validate)
    assert str(info.value) == (
        "kustomization.yaml: configMapGenerator[c].files[0]: cannot read big: 2,147,483,648 "
        "bytes, more than kgen's limit of 67,108,864 bytes (64 MiB) per file"
    )


def test_one_build_reads_at_most_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every use of a file counts: a base included twice is read (and copied) twice."""
    cm = CM.format(name="c")
    kustomization_size = len("resources: [cm.yaml]\n")
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [a, b]\n",
            "a/kustomization.yaml": "namePrefix: a-\nresources: [../base]\n",
            "b/kustomization.yaml": "namePrefix: b-\nresources: [../base]\n",
            "base/kustomization.yaml": "resources: [cm.yaml]\n",
            "base/cm.yaml": cm,
        },
    )
    first_use = len("resources: [a, b]\n") + len("namePrefix: a-\nresources: [../base]\n")
    first_use += kustomization_size + len(cm)
    second_use = first_use - len("resources: [a, b]\n")
    assert first_use + second_use == 260
    monkeypatch.setattr(paths, "MAX_BUILD_BYTES", 260)
    assert len(run(tmp_path, monkeypatch).manifests) == 2
    monkeypatch.setattr(paths, "MAX_BUILD_BYTES", 259)
    assert error(tmp_path, monkeypatch) == (
        "base/kustomization.yaml: resources[0]: reading base/cm.yaml would take this "
        "build past kgen's limit of 259 bytes of input"
    )


def _chain_lstat_calls(root: Path, monkeypatch: pytest.MonkeyPatch, length: int) -> int:
    """The lstat calls (each resolved path costs one per component) of building a chain of
    ``length`` sibling bases, each including ``../b<next>``."""
    _chain(root, length)
    calls = 0
    real_lstat = os.lstat

    def counting(*args: object, **kwargs: object) -> os.stat_result:
        nonlocal calls
        calls += 1
        return real_lstat(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "lstat", counting)
        assert len(run(root, monkeypatch, "b0").manifests) == 1
    return calls


def test_a_chain_of_bases_costs_linear_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths stay short down the chain (``b0/../b1/../b2/...`` is normalized) and the cycle
    check is a lookup: twice the bases, about twice the work (it was four times)."""
    (tmp_path / "short").mkdir()
    (tmp_path / "long").mkdir()
    short = _chain_lstat_calls(tmp_path / "short", monkeypatch, 40)
    long = _chain_lstat_calls(tmp_path / "long", monkeypatch, 80)
    assert long < 2.2 * short


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            {
                "a/kustomization.yaml": "resources: [b, c]\n",
                "a/b/kustomization.yaml": "resources: [cm.yaml]\n",
                "a/b/cm.yaml": CM.format(name="b"),
                "a/c/kustomization.yaml": "resources: [../b/d]\n",
                "a/b/d/kustomization.yaml": "resources: [..]\n",
            },
            "a/b/d/kustomization.yaml: resources[0]: kustomization cycle: a/b contains a/b/d, "
            "which is being built",
            id="after-a-sibling-is-done",
        ),
        pytest.param(
            {
                "a/kustomization.yaml": "resources: [x/y]\n",
                "a/x/y/kustomization.yaml": "resources: [../../..]\n",
            },
            "a/x/y/kustomization.yaml: resources[0]: kustomization cycle: . contains a, "
            "which is being built",
            id="grandparent",
        ),
    ],
)
def test_cycle_check_follows_the_bases_being_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], message: str
) -> None:
    write(tmp_path, files)
    assert error(tmp_path, monkeypatch, "a") == message


def _chain(root: Path, length: int) -> None:
    for number in range(length):
        entry = f"../b{number + 1}" if number + 1 < length else "cm.yaml"
        write(root, {f"b{number}/kustomization.yaml": f"resources: [{entry}]\n"})
    write(root, {f"b{length - 1}/cm.yaml": CM.format(name="c")})


def test_bases_nest_up_to_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build recurses once per level: the limit keeps it clear of Python's."""
    assert MAX_NESTED_BASES == 500
    _chain(tmp_path, MAX_NESTED_BASES + 1)  # b0 includes 500 nested bases
    assert run(tmp_path, monkeypatch, "b1").manifests == [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}}
    ]
    assert error(tmp_path, monkeypatch, "b0") == (
        "b499/kustomization.yaml: resources[0]: bases nested more than 500 deep, kgen's limit"
    )


@pytest.mark.parametrize("target", ["app", "app/base"], ids=["root", "base"])
def test_kustomization_symlinked_outside_its_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """kustomize's restrictor refuses it (it finds no kustomization); so does kgen, naming it."""
    write(
        tmp_path,
        {
            "shared/kustomization.yaml": "configMapGenerator:\n- name: c\n  literals: [a=b]\n",
            "app/base/.keep": "",
        },
    )
    (tmp_path / target / "kustomization.yaml").symlink_to(
        tmp_path / "shared" / "kustomization.yaml"
    )
    if target == "app/base":
        write(tmp_path, {"app/kustomization.yaml": "resources: [base]\n"})
    assert error(tmp_path, monkeypatch, "app") == (
        f"{target}/kustomization.yaml: {target}/kustomization.yaml is outside the kustomization "
        f"root {target} (use --load-restrictor LoadRestrictionsNone to allow it)"
    )
    lifted = run(tmp_path, monkeypatch, "app", load_restrictor="LoadRestrictionsNone")
    assert [m["metadata"]["name"] for m in lifted.manifests] == ["c-4h2mbtbbt6"]


def test_prefetch_reads_only_what_the_restrictor_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "app/kustomization.yaml": "resources: [cm.yaml, link.yaml, base]\n",
            "app/cm.yaml": CM.format(name="a"),
            "outside.yaml": CM.format(name="o"),
            "shared/kustomization.yaml": "resources: [cm.yaml]\n",
            "app/base/cm.yaml": CM.format(name="b"),
        },
    )
    (tmp_path / "app" / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (tmp_path / "app" / "base" / "kustomization.yaml").symlink_to(
        tmp_path / "shared" / "kustomization.yaml"
    )
    monkeypatch.chdir(tmp_path)
    assert Loader().resource_files(Path("app")) == [Path("app/cm.yaml")]
    assert Loader(restrict=False).resource_files(Path("app")) == [
        Path("app/cm.yaml"),
        Path("app/link.yaml"),
        Path("app/base/cm.yaml"),
    ]


def _fanout(name: str) -> str:
    """A resource whose aliases expand to about 680,000 nodes: within the limits alone."""
    lines = [CM.format(name=name) + "spec:", "  a: &a [" + ", ".join("n" * 10) + "]"]
    for prev, cur in zip("abcd", "bcde", strict=True):
        lines.append(f"  {cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines.append("  f: [*e, *e, *e, *e, *e]")
    return "\n".join(lines) + "\n"


def test_alias_expansion_budget_holds_for_the_whole_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (each file alone is within the limits: tests/test_yamlio.py)
    write(
        tmp_path / "two",
        {
            "kustomization.yaml": "resources: [a.yaml, base]\n",
            "a.yaml": _fanout("a"),
            "base/kustomization.yaml": "resources: [b.yaml]\n",
            "base/b.yaml": _fanout("b"),
        },
    )
    message = error(tmp_path / "two", monkeypatch)
    assert message == "base/b.yaml: line 13, column 11: alias expansion too large"


def test_a_pair_finding_counts_only_if_its_key_reaches_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invalid key a later ``behavior: replace`` drops is no finding; one a merge keeps is
    (with where it came from); one a merge overrides is judged by its new pair."""
    base = "configMapGenerator:\n- name: s\n  literals:\n  - bad key=1\n  - mode=dev\n"
    overlay = "resources: [base]\nconfigMapGenerator:\n- name: s\n  behavior: {b}\n  literals:\n{l}"
    for behavior, literals, expected in (
        ("replace", "  - mode=prod\n", []),
        (
            "merge",
            "  - mode=prod\n",
            ["base/kustomization.yaml: configMapGenerator[s].literals[0]"],
        ),
        ("merge", "  - bad key=2\n", ["kustomization.yaml: configMapGenerator[s].literals[0]"]),
    ):
        write(
            tmp_path,
            {
                "base/kustomization.yaml": base,
                "kustomization.yaml": overlay.format(b=behavior, l=literals),
            },
        )
        assert [f.where for f in run(tmp_path, monkeypatch).findings] == expected


def test_a_tab_led_block_fails_only_if_it_reaches_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kustomize reads a block scalar led by a tab and fails to write it: a generator's
    ``behavior: replace`` drops it (kustomize builds); a merge keeps it (both fail)."""
    resource = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  a: |2\n    \tx\n    y\n"
    )
    overlay = (
        "resources: [base]\nconfigMapGenerator:\n- name: s\n  behavior: {b}\n  literals: [k=v]\n"
    )
    for behavior, fails in (("replace", False), ("merge", True)):
        write(
            tmp_path,
            {
                "base/kustomization.yaml": "resources: [cm.yaml]\n",
                "base/cm.yaml": resource,
                "kustomization.yaml": overlay.format(b=behavior),
            },
        )
        if fails:
            assert error(tmp_path, monkeypatch).startswith(
                "base/cm.yaml: line 6, column 6: a literal or folded block value that starts "
                "with a tab cannot be output by kustomize"
            )
        else:
            assert run(tmp_path, monkeypatch).manifests[0]["data"] == {"k": "v"}


def test_a_control_character_fails_only_if_it_reaches_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A label value kustomize cannot write (a C1 control character) builds once a ``labels``
    entry replaces it, as in kustomize (found by the fuzzer); kept, it fails as kustomize does."""
    resource = (
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {tier: "c1\\x9B"}\n'
    )
    for pairs, fails in (("{tier: prod}", False), ("{other: x}", True)):
        write(
            tmp_path,
            {
                "r.yaml": resource,
                "kustomization.yaml": f"resources: [r.yaml]\nlabels:\n- pairs: {pairs}\n",
            },
        )
        if fails:
            assert error(tmp_path, monkeypatch) == (
                "r.yaml: line 5, column 18: string contains a control character that kustomize "
                "cannot output (yaml: control characters are not allowed)"
            )
        else:
            labels = run(tmp_path, monkeypatch).manifests[0]["metadata"]["labels"]
            assert labels == {"tier": "prod"}


def test_a_control_character_in_a_list_kustomize_re_encodes_fails_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The items of a List in a file of several documents go through goyaml at load: a
    control character fails there even if a labels entry would replace it later."""
    listed = (
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
        '  metadata:\n    name: c\n    labels: {tier: "c1\\x9B"}\n---\n'
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n"
    )
    write(
        tmp_path,
        {
            "r.yaml": listed,
            "kustomization.yaml": "resources: [r.yaml]\nlabels:\n- pairs: {tier: a}\n",
        },
    )
    assert error(tmp_path, monkeypatch) == (
        "r.yaml: line 8, column 20: string contains a control character that kustomize "
        "cannot output (yaml: control characters are not allowed)"
    )


def test_empty_flow_values_are_null_in_the_items_of_a_re_encoded_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``{a: , b}`` and ``!!set {a, b}`` read as ``""``, except in the items of a List that
    kustomize re-encodes at load (a List in a file of several documents): there they are null
    (found by the fuzzer)."""
    item = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
        "data: {s: !!set {a, b}, f: {a: , b}, k: v}\n"
    )
    listed = "apiVersion: v1\nkind: List\nitems:\n- " + (item % "listed").replace("\n", "\n  ")
    write(
        tmp_path,
        {
            "r.yaml": listed.rstrip() + "\n---\n" + item % "plain",
            "kustomization.yaml": "resources: [r.yaml]\n",
        },
    )
    found = {
        m["metadata"]["name"]: m["data"]
        for m in run(tmp_path, monkeypatch, validate=False).manifests
    }
    assert found["listed"] == {"s": {"a": None, "b": None}, "f": {"a": None, "b": None}, "k": "v"}
    assert found["plain"] == {"s": {"a": "", "b": ""}, "f": {"a": "", "b": ""}, "k": "v"}


def test_flow_timestamps_with_a_colon_are_kept_except_in_the_items_of_a_re_encoded_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """goyaml.v3 writes a plain scalar with ':' in a flow collection quoted, so a timestamp
    there (value or key) stays the text it was written as; the items of a List that kustomize
    re-encodes at load convert it as a block value is (found by the fuzzer)."""
    item = (
        "apiVersion: v1\nkind: ConfigMap\n"
        "metadata: {name: %s, annotations: {at: 2001-12-14 21:59:43.10}}\n"
        "z: [2001-12-14 21:59:43.10, 1:20, 2001-12-14t21:59:43.10-05:00]\n"
        "b: 2001-12-14 21:59:43.10\n"
    )
    listed = "apiVersion: v1\nkind: List\nitems:\n- " + (item % "listed").replace("\n", "\n  ")
    write(
        tmp_path,
        {
            "r.yaml": listed.rstrip()
            + "\n---\n"
            + item % "plain"
            + "k: {2001-12-14 21:59:43.10: v}\n",
            "kustomization.yaml": "resources: [r.yaml]\n",
        },
    )
    found = {m["metadata"]["name"]: m for m in run(tmp_path, monkeypatch, validate=False).manifests}
    assert found["listed"]["metadata"]["annotations"] == {"at": "2001-12-14T21:59:43.1Z"}
    assert found["listed"]["z"] == [
        "2001-12-14T21:59:43.1Z",
        "1:20",
        "2001-12-14T21:59:43.1-05:00",
    ]
    assert found["plain"]["metadata"]["annotations"] == {"at": "2001-12-14 21:59:43.10"}
    assert found["plain"]["z"] == [
        "2001-12-14 21:59:43.10",
        "1:20",
        "2001-12-14t21:59:43.10-05:00",
    ]
    assert found["plain"]["k"] == {"2001-12-14 21:59:43.10": "v"}
    assert found["listed"]["b"] == found["plain"]["b"] == "2001-12-14T21:59:43.1Z"


def test_a_flow_timestamp_key_fails_in_the_items_of_a_re_encoded_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = (
        "apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
        "  metadata: {name: a}\n  data: {2001-12-14 21:59:43.10: y}\n"
    )
    write(tmp_path, {"r.yaml": listed, "kustomization.yaml": "resources: [r.yaml]\n"})
    assert error(tmp_path, monkeypatch) == (
        "r.yaml: line 7, column 10: mapping key is a timestamp, which kustomize fails to "
        "re-encode in the items of this list (json: unsupported type); quote it"
    )


def test_folded_blocks_are_not_refolded_in_the_items_of_a_re_encoded_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """goyaml.v3 writes a folded block with more-indented lines with an extra line break that
    reads back as one; the items of a List kustomize re-encodes keep the value as read (found
    by the fuzzer)."""
    item = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
        "data:\n  a: >2\n    folded\n      more indented\n    back\n"
    )
    listed = "apiVersion: v1\nkind: List\nitems:\n- " + (item % "listed").replace("\n", "\n  ")
    write(
        tmp_path,
        {
            "r.yaml": listed.rstrip() + "\n---\n" + item % "plain",
            "kustomization.yaml": "resources: [r.yaml]\n",
        },
    )
    found = {
        m["metadata"]["name"]: m["data"]["a"]
        for m in run(tmp_path, monkeypatch, validate=False).manifests
    }
    assert found == {
        "listed": "folded\n  more indented\nback\n",
        "plain": "folded\n\n  more indented\nback\n",
    }


THING_SCHEMA = (
    '{"definitions": {"com.example.v1.Thing": {"type": "object",\n'
    '  "x-kubernetes-group-version-kind": [{"group": "example.com", "kind": "Thing",'
    ' "version": "v1"}],\n'
    '  "properties": {"spec": {"type": "object", "properties": {"items": {"type": "array",\n'
    '    "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge",\n'
    '    "items": {"type": "object"}}}}}}}}\n'
)
THING = (
    "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nspec:\n  items:\n"
    '  - name: a\n    v: "1"\n  - name: b\n    v: "2"\n'
)
THING_PATCH = (
    "resources: [../base]\npatches:\n- patch: |\n    apiVersion: example.com/v1\n"
    "    kind: Thing\n    metadata: {name: t}\n    spec:\n      items:\n      - name: b\n"
    '        v: "3"\n'
)


@pytest.mark.parametrize(
    ("top_openapi", "items"),
    [
        # the base's schema file is the build's: the custom list merges by name
        ("", [{"name": "b", "v": "3"}, {"name": "a", "v": "1"}]),
        # the top kustomization sets the schema first: a built-in one, which knows no Thing
        ("openapi:\n  version: v1.21.2\n", [{"name": "b", "v": "3"}]),
    ],
    ids=["from-base", "top-takes-precedence"],
)
def test_openapi_schema_is_set_by_the_first_kustomization_that_gives_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, top_openapi: str, items: list[object]
) -> None:
    """As kustomize's ``openapi.SetSchema``: the top kustomization resets it, a base sets it
    only while it is unset (outputs measured with kubectl kustomize)."""
    write(
        tmp_path,
        {
            "base/schema.json": THING_SCHEMA,
            "base/thing.yaml": THING,
            "base/kustomization.yaml": "resources: [thing.yaml]\nopenapi:\n  path: schema.json\n",
            "top/kustomization.yaml": THING_PATCH + top_openapi,
        },
    )
    (thing,) = run(tmp_path, monkeypatch, "top").manifests
    assert thing["spec"]["items"] == items


@pytest.mark.parametrize(
    ("openapi", "message"),
    [
        (
            "  path: schema.json\n  version: v1.21.2\n",
            "builtin version and custom schema provided, cannot use both",
        ),
        ("  version: v9\n", "the specified OpenAPI version is not built in"),
        ("  path: missing.json\n", "no such file: missing.json"),
    ],
    ids=["path-and-version", "unknown-version", "missing-file"],
)
def test_openapi_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openapi: str, message: str
) -> None:
    write(
        tmp_path,
        {
            "schema.json": THING_SCHEMA,
            "thing.yaml": THING,
            "kustomization.yaml": "resources: [thing.yaml]\nopenapi:\n" + openapi,
        },
    )
    assert error(tmp_path, monkeypatch) == f"kustomization.yaml: openapi: {message}"


# Components: kustomize's accumulateComponents, after the generators, before the transformers.

COMPONENT = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"


def _names(build: Build) -> list[str]:
    return [m["metadata"]["name"] for m in build.manifests]


def test_components_run_after_generators_and_before_the_transformers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each component builds over everything accumulated (its own objects included), in list
    order; the kustomization's own prefix comes last; a component's generator merges by the
    name before earlier prefixes. (Hashes pinned by kubectl kustomize.)"""
    write(
        tmp_path,
        {
            "kustomization.yaml": (
                "resources: [cm.yaml]\ncomponents: [one, two]\nnamePrefix: top-\n"
                "configMapGenerator:\n- name: g\n  literals: [a=1]\n"
            ),
            "cm.yaml": CM.format(name="a"),
            "one/kustomization.yaml": COMPONENT + "resources: [b.yaml]\nnamePrefix: one-\n",
            "one/b.yaml": CM.format(name="b"),
            "two/kustomization.yaml": COMPONENT
            + "namePrefix: two-\nconfigMapGenerator:\n- name: g\n  behavior: merge\n"
            "  literals: [b=2]\n",
        },
    )
    result = run(tmp_path, monkeypatch)
    assert _names(result) == ["top-two-one-a", "top-two-one-b", "top-two-one-g-7gdc49gk6d"]
    assert result.manifests[2]["data"] == {"a": "1", "b": "2"}


def test_nested_components_and_a_component_built_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": COMPONENT + "resources: [cm.yaml]\ncomponents: [inner]\n"
            "nameSuffix: -outer\n",
            "cm.yaml": CM.format(name="a"),
            "inner/kustomization.yaml": COMPONENT + "resources: [../base]\nnamePrefix: in-\n",
            "base/kustomization.yaml": "resources: [b.yaml]\nnamePrefix: base-\n",
            "base/b.yaml": CM.format(name="b"),
        },
    )
    assert _names(run(tmp_path, monkeypatch)) == ["in-a-outer", "in-base-b-outer"]


def test_a_component_shared_by_two_overlays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "kustomization.yaml": "resources: [blue, green]\n",
        "blue/kustomization.yaml": "components: [../c]\nnamePrefix: b-\n",
        "green/kustomization.yaml": "components: [../c]\nnamePrefix: g-\n",
        "c/kustomization.yaml": COMPONENT + "resources: [cm.yaml]\n",
        "c/cm.yaml": CM.format(name="a"),
    }
    write(tmp_path, files)
    assert _names(run(tmp_path, monkeypatch)) == ["b-a", "g-a"]
    write(tmp_path, {"green/kustomization.yaml": "components: [../c]\n"})
    write(tmp_path, {"blue/kustomization.yaml": "components: [../c]\n"})
    assert error(tmp_path, monkeypatch) == (
        "c/cm.yaml: document 1 (ConfigMap a): already defined by c/cm.yaml: document 1 "
        "(ConfigMap a)"
    )


def test_a_components_configurations_reach_the_parents_transformers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [w.yaml]\ncomponents: [c]\n"
            "images:\n- name: img\n  newTag: v2\n",
            "w.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
            "spec:\n  image: img:v1\n",
            "c/kustomization.yaml": COMPONENT + "configurations: [images.yaml]\n",
            "c/images.yaml": "images:\n- kind: Widget\n  path: spec/image\n",
        },
    )
    assert run(tmp_path, monkeypatch).manifests[0]["spec"] == {"image": "img:v2"}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            {"base/kustomization.yaml": "resources: [cm.yaml]\n", "base/cm.yaml": CM},
            "kustomization.yaml: components[0]: base/kustomization.yaml is a kind: "
            "Kustomization, not a Component: list it in resources, not components",
            id="kustomization",
        ),
        pytest.param(
            {},
            "kustomization.yaml: components[0]: no such directory: base",
            id="missing",
        ),
        pytest.param(
            {"base": CM.format(name="a")},
            "kustomization.yaml: components[0]: base is a file; a component is a directory "
            "holding a kind: Component kustomization",
            id="file",
        ),
        pytest.param(
            {"base/.keep": ""},
            "kustomization.yaml: components[0]: base: no kustomization found: unable to find "
            "one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in the "
            "directory",
            id="no-kustomization",
        ),
        pytest.param(
            {"base/kustomization.yaml": COMPONENT + "components: [..]\n"},
            "base/kustomization.yaml: components[0]: kustomization cycle: . -> base -> .",
            id="cycle",
        ),
        pytest.param(
            {"base/kustomization.yaml": COMPONENT + "apiVersion: v1beta1\n"},
            "base/kustomization.yaml: apiVersion: must be kustomize.config.k8s.io/v1alpha1",
            id="api-version",
        ),
        pytest.param(
            {
                "base/kustomization.yaml": COMPONENT + "patches: [{path: ../p.yaml}]\n",
                "p.yaml": CM.format(name="a"),
            },
            "base/kustomization.yaml: patches[0]: p.yaml is outside the kustomization root "
            "base (use --load-restrictor LoadRestrictionsNone to allow it)",
            id="file-outside-the-component",
        ),
    ],
)
def test_component_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], message: str
) -> None:
    write(tmp_path, {"kustomization.yaml": "components: [base]\n", **files})
    assert error(tmp_path, monkeypatch) == message


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param("''", "an empty entry names no directory", id="empty"),
        pytest.param(
            "https://example.com/c",
            "remote components (URLs, git) are not supported by kgen",
            id="remote",
        ),
        pytest.param(
            "ABSOLUTE", "a kustomization directory must be given as a relative path", id="abs"
        ),
    ],
)
def test_component_entries_kgen_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, message: str
) -> None:
    write(tmp_path, {"c/kustomization.yaml": COMPONENT + "namePrefix: p-\n"})
    entry = entry.replace("ABSOLUTE", str(tmp_path / "c"))
    write(tmp_path, {"kustomization.yaml": f"components: [{entry}]\n"})
    assert error(tmp_path, monkeypatch) == f"kustomization.yaml: components[0]: {message}"


def test_collisions_are_checked_against_current_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An object a component adds collides with what an earlier component renamed it to
    (kustomize's Append compares current ids), not with the old name."""
    write(
        tmp_path,
        {
            "kustomization.yaml": "resources: [cm.yaml]\ncomponents: [one, two]\n",
            "cm.yaml": CM.format(name="a"),
            "one/kustomization.yaml": COMPONENT + "namePrefix: p-\n",
            "two/kustomization.yaml": COMPONENT + "resources: [cm.yaml]\n",
            "two/cm.yaml": CM.format(name="a"),
        },
    )
    assert _names(run(tmp_path, monkeypatch)) == ["a", "p-a"]
    write(tmp_path, {"two/cm.yaml": CM.format(name="p-a")})
    assert error(tmp_path, monkeypatch) == (
        "two/cm.yaml: document 1 (ConfigMap p-a): already defined by cm.yaml: document 1 "
        "(ConfigMap a)"
    )


def test_a_collision_with_a_generated_secret_shows_no_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  pw: V3JpdHRlbg==\n"
    write(
        tmp_path,
        {
            "kustomization.yaml": "components: [c]\nsecretGenerator:\n- name: s\n"
            "  literals: [pw=Gener4ted]\n  options: {disableNameSuffixHash: true}\n",
            "c/kustomization.yaml": COMPONENT + "resources: [s.yaml]\n",
            "c/s.yaml": secret,
        },
    )
    message = error(tmp_path, monkeypatch)
    assert message == (
        "c/s.yaml: document 1 (Secret s): already defined by kustomization.yaml: secretGenerator[s]"
    )
    for value in ("Gener4ted", "V3JpdHRlbg", "Written"):
        assert value not in message


def _component_calls(root: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> int:
    """Builds one kustomization with ``count`` components, each adding an object and merging
    into a generated one; returns how many object ids were taken."""
    components = ", ".join(f"c{number}" for number in range(count))
    write(
        root,
        {
            "kustomization.yaml": f"components: [{components}]\n"
            "configMapGenerator:\n- name: g\n  literals: [a=1]\n",
        },
    )
    for number in range(count):
        write(
            root,
            {
                f"c{number}/kustomization.yaml": COMPONENT + "resources: [cm.yaml]\n"
                f"configMapGenerator:\n- name: g\n  behavior: merge\n  literals: [k{number}=v]\n",
                f"c{number}/cm.yaml": CM.format(name=f"o{number}"),
            },
        )
    calls = 0
    real = model.manifest_id

    def counting(manifest: dict[str, object]) -> object:
        nonlocal calls
        calls += 1
        return real(manifest)

    with monkeypatch.context() as patch:
        patch.setattr(model, "manifest_id", counting)
        monkeypatch.chdir(root)
        assert len(build(Path(), BuildOptions(validate=False)).manifests) == count + 1
    return calls


def test_components_that_add_objects_cost_what_they_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collision and generator indexes follow the objects as they are added: twice the
    components, about twice the ids taken (rebuilding them per component would be four times)."""
    (tmp_path / "short").mkdir()
    (tmp_path / "long").mkdir()
    short = _component_calls(tmp_path / "short", monkeypatch, 40)
    long = _component_calls(tmp_path / "long", monkeypatch, 80)
    assert long < 2.2 * short


_SHARED_BASE = {
    "base/kustomization.yaml": (
        "resources: [cm.yaml]\nnamePrefix: base-\ncommonLabels: {tier: base}\n"
        "secretGenerator:\n- name: s\n  literals: [k=v]\n"
    ),
    "base/cm.yaml": CM.format(name="c"),
    "a/kustomization.yaml": (
        "resources: [../base]\nnamePrefix: a-\n"
        "secretGenerator:\n- name: base-s\n  behavior: merge\n  literals: [a=1]\n"
    ),
    "b/kustomization.yaml": "resources: [../base]\nnamespace: b\ncommonLabels: {tier: b}\n",
}


def test_roots_of_one_run_share_a_base_built_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second root takes a copy of the base the first built: the same objects as a build
    of its own, which its transformers change without changing the kept copy."""
    from kgen import resources

    write(tmp_path, _SHARED_BASE)
    monkeypatch.chdir(tmp_path)
    alone = {root: build(Path(root), BuildOptions()).manifests for root in ("a", "b", "a")}
    reads: list[Path] = []
    real = resources.read_resources

    def counted(path: Path, *args: object, **keywords: object) -> list[model.Resource]:
        reads.append(path)
        return real(path, *args, **keywords)  # type: ignore[arg-type]

    monkeypatch.setattr(resources, "read_resources", counted)
    loader = Loader()
    loader.prefetch([Path("a"), Path("b"), Path("a")])
    together = [build(Path(root), BuildOptions(), loader).manifests for root in ("a", "b", "a")]
    assert together == [alone["a"], alone["b"], alone["a"]]
    assert len(reads) == 1  # base/cm.yaml, read by the first build only
    assert len(loader.bases) == 1


def test_a_base_is_kept_only_when_another_build_includes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, _SHARED_BASE)
    monkeypatch.chdir(tmp_path)
    one = Loader()
    one.prefetch([Path("a")])
    build(Path("a"), BuildOptions(), one)
    assert one.bases == {}
    tracked = Loader()
    (tmp_path / "a" / "kustomization.yaml").write_text(
        _SHARED_BASE["a/kustomization.yaml"] + "buildMetadata: [originAnnotations]\n"
    )
    tracked.prefetch([Path("a"), Path("b")])
    build(Path("a"), BuildOptions(), tracked)
    assert tracked.bases == {}  # origins tracked: each build names them from its own root
