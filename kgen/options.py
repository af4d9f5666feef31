"""``kgen build``'s options, each declared once: name, kind, help, choices, default.

Both parsers are made from :data:`BUILD_OPTIONS`: the typer-free fast path
(:func:`kgen.run.parse_build`) and the typer command (:mod:`kgen.cli`), so they cannot drift;
a test compares them. Defaults are :class:`BuildRequest`'s. No typer import here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

from kgen.hashing import HASH_MODES, HashMode
from kgen.records import NamedTuple

LoadRestrictor = Literal["LoadRestrictionsRootOnly", "LoadRestrictionsNone"]
LOAD_RESTRICTORS: tuple[LoadRestrictor, ...] = ("LoadRestrictionsRootOnly", "LoadRestrictionsNone")
Reorder = Literal["legacy", "none"]
REORDERS: tuple[Reorder, ...] = ("legacy", "none")

OptionKind = Literal["flag", "negated", "value", "path", "repeat"]
"""``flag``: sets True; ``negated``: sets False (``--no-validate`` -> validate); ``value``: one
string (the last one given wins); ``path``: one path; ``repeat``: a string per use."""


class BuildRequest(NamedTuple):
    """``kgen build`` as parsed from the command line."""

    roots: tuple[Path, ...] = ()
    all_under: Path | None = None
    exclude: tuple[str, ...] = ()
    hash_mode: HashMode | None = None
    """``--hash``; ``None``: ``KGEN_HASH``, else the repository's ``.kgen.toml``, else xxhash
    (:mod:`kgen.settings`)."""
    output: Path | None = None
    output_directory: bool = False
    """``-o`` was written with a trailing ``/``: a directory, even one that does not exist."""
    prune: bool = False
    fail_on_change: bool = False
    redact_secrets: bool = False
    check: Path | None = None
    check_directory: bool = False
    """``--check`` was written with a trailing ``/``: a directory of rendered files."""
    quiet: bool = False
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly"
    reorder: Reorder = "legacy"
    enable_managedby_label: bool = False
    validate: bool = True
    allow: tuple[str, ...] = ()
    strict: bool = False
    age_key_file: Path | None = None
    """``--age-key-file``: age identities to decrypt SOPS files with, besides sops' own
    places (:meth:`kgen.sops.Keys.from_environment`)."""
    decrypt: bool = True


class Option(NamedTuple):
    field: str
    """The :class:`BuildRequest` field it sets."""
    names: tuple[str, ...]
    kind: OptionKind
    help: str
    metavar: str | None = None
    choices: tuple[str, ...] = ()


BUILD_OPTIONS: tuple[Option, ...] = (
    Option(
        "all_under",
        ("--all",),
        "path",
        "Build every kustomization root under DIR that no other kustomization includes, "
        "sorted by path.",
        "DIR",
    ),
    Option(
        "exclude",
        ("--exclude",),
        "repeat",
        "With --all: skip the directories whose path below DIR matches GLOB (repeatable; "
        "node_modules, vendor and hidden directories are always skipped).",
        "GLOB",
    ),
    Option(
        "hash_mode",
        ("--hash",),
        "value",
        "Name-suffix hash: xxhash (XXH3-64) or kustomize (sha256, names identical to kubectl "
        "kustomize). Default: $KGEN_HASH, else hash in the nearest .kgen.toml up to the "
        "repository's top, else xxhash.",
        "xxhash|kustomize",
        HASH_MODES,
    ),
    Option(
        "output",
        ("-o", "--output"),
        "value",
        "Write the stream to this file, atomically (mode 0644, 0600 when it holds a Secret). "
        "An existing directory or a PATH ending in / gets one file per object, named as "
        "kubectl kustomize -o names them; with several roots, PATH is a directory of "
        "PATH/<root>.yaml files.",
        "PATH",
    ),
    Option(
        "redact_secrets",
        ("--redact-secrets",),
        "flag",
        "Write every Secret value as REDACTED (stdout, -o and --check alike): for rendered "
        "files committed for review; the hashed name still shows that a Secret changed.",
    ),
    Option(
        "fail_on_change",
        ("--fail-on-change",),
        "flag",
        "With -o: exit 1 when any file was written anew or removed (the pre-commit fixer "
        "convention: the files are fixed, the commit is stopped for a look).",
    ),
    Option(
        "prune",
        ("--prune",),
        "flag",
        "With several roots and -o DIR: remove the .yaml files in DIR that no root rendered "
        "(without it they are reported).",
    ),
    Option(
        "check",
        ("--check",),
        "value",
        "Exit 0 when PATH holds exactly what the build prints (a file, or a directory laid out "
        "as -o writes it); exit 1 when stale, printing a unified diff with Secret values "
        "redacted and the command that regenerates it; exit 2 when the build fails.",
        "PATH",
    ),
    Option("quiet", ("-q", "--quiet"), "flag", "Print no stream: only errors and warnings."),
    Option(
        "load_restrictor",
        ("--load-restrictor",),
        "value",
        "LoadRestrictionsRootOnly (default): files must lie under their kustomization's "
        "directory; LoadRestrictionsNone lifts that.",
        "MODE",
        LOAD_RESTRICTORS,
    ),
    Option(
        "reorder",
        ("--reorder",),
        "value",
        "Output order when the kustomization has no sortOptions, as kustomize's flag: legacy "
        "(default: kustomize's kind order) or none (input order).",
        "legacy|none",
        REORDERS,
    ),
    Option(
        "enable_managedby_label",
        ("--enable-managedby-label",),
        "flag",
        "Label every object app.kubernetes.io/managed-by: kustomize-(devel), as kubectl "
        "kustomize's (deprecated) flag does.",
    ),
    Option(
        "validate",
        ("--no-validate",),
        "negated",
        "Skip kgen's checks: kustomize's behaviour, byte for byte.",
    ),
    Option("allow", ("--allow",), "repeat", "Silence one check (repeatable).", "RULE"),
    Option("strict", ("--strict",), "flag", "Treat warnings as errors."),
    Option(
        "age_key_file",
        ("--age-key-file",),
        "path",
        "Decrypt SOPS files with the age identities in FILE too (besides SOPS_AGE_KEY, "
        "SOPS_AGE_KEY_FILE and sops' keys.txt).",
        "FILE",
    ),
    Option(
        "decrypt",
        ("--no-decrypt",),
        "negated",
        "Decrypt no SOPS file: an encrypted source or Secret fails the build (sops-encrypted), "
        "for jobs that must never hold keys.",
    ),
)

OPTIONS_BY_NAME: dict[str, Option] = {name: row for row in BUILD_OPTIONS for name in row.names}
OPTIONS_BY_FIELD: dict[str, Option] = {row.field: row for row in BUILD_OPTIONS}

_Choice = TypeVar("_Choice", bound=str)


def choose(value: str, choices: tuple[_Choice, ...]) -> _Choice | None:
    """``value`` as one of ``choices`` (typed as they are), or ``None``."""
    return next((choice for choice in choices if choice == value), None)


def choice_problem(option: Option, value: str) -> str | None:
    """What is wrong with ``value`` for an option with choices, or ``None``."""
    if not option.choices or value in option.choices:
        return None
    if len(option.choices) == 2:
        return f"must be {' or '.join(option.choices)}"
    return f"must be one of {', '.join(option.choices)}"


_HELM = (
    "kgen does not run programs named by a kustomization: it runs no helm (render the chart and "
    "list its output in resources)"
)
_PLUGINS = (
    "kgen does not run programs named by a kustomization (exec, container or Go plugins, KRM "
    "functions); only kustomize's builtin plugin configs (apiVersion: builtin) are supported"
)
REFUSED_FLAGS: dict[str, str] = {
    "--enable-helm": _HELM,
    "--helm-command": _HELM,
    "--helm-api-versions": _HELM,
    "--helm-kube-version": _HELM,
    "--helm-debug": _HELM,
    "--enable-alpha-plugins": _PLUGINS,
    "--enable-exec": _PLUGINS,
    "--as-current-user": _PLUGINS,
    "--env": _PLUGINS,
    "-e": _PLUGINS,
    "--mount": _PLUGINS,
    "--network": _PLUGINS,
    "--network-name": _PLUGINS,
}
"""``kubectl kustomize`` flags kgen refuses for good, each with why (a usage error)."""


CHECK_NEEDS = (
    "needs the rendered file or directory to compare with, then the roots to build: "
    "kgen build --check rendered.yaml overlays/prod, or --check rendered/ --all . (the "
    "kgen-check pre-commit hook takes them as its args: args: [rendered.yaml, overlays/prod])"
)
"""Why ``--check`` without its value is an error (the ``kgen-check`` hook without args)."""


def refused_flag(argv: list[str]) -> tuple[str, str] | None:
    """The first flag of a ``build`` command line that kgen refuses for good, with why, or a
    ``--check`` that ends the line (what it needs)."""
    if not argv or argv[0] != "build":
        return None
    if argv[-1] == "--check" and "--" not in argv:
        return "--check", CHECK_NEEDS
    for word in argv[1:]:
        if word == "--":
            return None
        name = word.partition("=")[0]
        if name in REFUSED_FLAGS:
            return name, REFUSED_FLAGS[name]
    return None
