"""The ``kgen`` command: flags -> pipeline -> stream; errors -> exit codes.

The only module that imports typer, prints or exits. Exit codes: 0 success, 1 build error,
2 usage error, 3 unexpected internal error (one line, never a traceback: tracebacks can carry
secret values).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kgen import __version__
from kgen.errors import KgenError

if TYPE_CHECKING:
    from kgen import pipeline
    from kgen.validate import Finding

EXIT_BUILD_ERROR = 1
EXIT_INTERNAL_ERROR = 3

app = typer.Typer(
    name="kgen",
    help="Kustomize-style manifest generator: Secrets and ConfigMaps with content-hash names.",
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="\b\nExamples:\n  kgen build overlays/prod | kubectl apply -f -\n"
    "  kgen edit add secret db-user-pass --from-literal password=$(pass show db)",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgen {__version__}")
        raise typer.Exit


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """kgen builds kustomizations into one YAML stream, like `kubectl kustomize`."""


BUILD_EPILOG = """\b
Examples:
  kgen build overlays/prod --hash kustomize | kubectl apply -f -
  kgen build --all . -o rendered/
  kgen build overlays/prod --check rendered/prod.yaml
"""


@app.command(epilog=BUILD_EPILOG)
def build(
    roots: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Directories holding a kustomization.yaml (default: the current directory).",
            show_default=False,
            metavar="DIR...",
        ),
    ] = None,
    all_under: Annotated[
        Path | None,
        typer.Option(
            "--all",
            metavar="DIR",
            help="Build every kustomization root under DIR that no other kustomization "
            "includes, sorted by path.",
        ),
    ] = None,
    hash_mode: Annotated[
        str,
        typer.Option(
            "--hash",
            metavar="xxhash|kustomize",
            help="Name-suffix hash: xxhash (XXH3-64) or kustomize (sha256, names identical "
            "to kubectl kustomize).",
        ),
    ] = "xxhash",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Write the stream to this file, atomically; with several roots, a directory "
            "that gets one PATH/<root>.yaml per root.",
        ),
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            metavar="FILE",
            help="Exit 0 when FILE holds exactly what the build prints; else exit 1 and print "
            "a unified diff with Secret values redacted.",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Print no stream: only errors and warnings.")
    ] = False,
    load_restrictor: Annotated[
        str,
        typer.Option(
            "--load-restrictor",
            metavar="MODE",
            help="LoadRestrictionsRootOnly (default): files must lie under their "
            "kustomization's directory; LoadRestrictionsNone lifts that.",
        ),
    ] = "LoadRestrictionsRootOnly",
    no_validate: Annotated[
        bool,
        typer.Option(
            "--no-validate",
            help="Skip kgen's checks: kustomize's behaviour, byte for byte.",
        ),
    ] = False,
    allow: Annotated[
        list[str] | None,
        typer.Option("--allow", metavar="RULE", help="Silence one check (repeatable)."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Build kustomization roots into one YAML stream on stdout (or --output)."""
    from kgen import pipeline, validate
    from kgen.hashing import HASH_MODES

    allowed = allow or []
    unknown = [rule for rule in allowed if rule not in validate.RULES]
    if unknown:
        raise typer.BadParameter(
            f"unknown rule {unknown[0]!r}; rules: {', '.join(validate.RULES)}",
            param_hint="--allow",
        )
    if hash_mode not in HASH_MODES:
        raise typer.BadParameter(f"must be one of {', '.join(HASH_MODES)}", param_hint="--hash")
    if load_restrictor not in ("LoadRestrictionsRootOnly", "LoadRestrictionsNone"):
        raise typer.BadParameter(
            "must be LoadRestrictionsRootOnly or LoadRestrictionsNone",
            param_hint="--load-restrictor",
        )
    if all_under is not None and roots:
        raise typer.BadParameter("give either roots or --all DIR, not both", param_hint="--all")
    if output is not None and check is not None:
        raise typer.BadParameter("--output and --check exclude each other", param_hint="--check")
    options = pipeline.BuildOptions(
        hash_mode=hash_mode,
        load_restrictor=load_restrictor,  # type: ignore[arg-type]
        validate=not no_validate,
    )
    try:
        targets = _targets(roots, all_under)
        streams = _build_all(targets, options, allowed, strict=strict)
        if check is not None:
            _check("".join(_joined(streams)), check)
        elif output is not None:
            _write_output(
                output, streams, several=len(targets) > 1 or all_under is not None, base=all_under
            )
        elif not quiet:
            sys.stdout.write("".join(_joined(streams)))
            sys.stdout.flush()
    except typer.Exit:
        raise
    except KgenError as exc:
        _fail(f"kgen: error: {exc}", exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        _fail(_internal_error(exc), EXIT_INTERNAL_ERROR)


def _targets(roots: list[Path] | None, all_under: Path | None) -> list[Path]:
    from kgen.roots import find_roots

    if all_under is None:
        return roots or [Path()]
    if not all_under.is_dir():
        raise KgenError(str(all_under), "--all: not a directory")
    found = find_roots(all_under)
    if not found:
        raise KgenError(str(all_under), "--all: no kustomization found below this directory")
    return found


def _build_all(
    targets: list[Path], options: pipeline.BuildOptions, allowed: list[str], *, strict: bool
) -> list[tuple[Path, str]]:
    """Build every root; report each root's errors and warnings; exit 1 once all are built
    if any root failed (so nothing reaches stdout)."""
    from kgen import parallel, pipeline, validate

    streams: list[tuple[Path, str]] = []
    failed = 0
    cache = pipeline.prefetch(targets)
    for target in targets:
        try:
            result = pipeline.build(target, options, cache)
        except KgenError as exc:
            typer.echo(f"kgen: error: {exc}", err=True)
            failed += 1
            continue
        errors, warnings = validate.classify(result.findings, allowed, strict=strict)
        _report(errors, "error")
        _report(warnings, "warning")
        if errors:
            failed += 1
            continue
        streams.append((target, parallel.emit_stream(result.manifests)))
    if failed:
        raise typer.Exit(EXIT_BUILD_ERROR)
    return streams


def _joined(streams: list[tuple[Path, str]]) -> list[str]:
    """The roots' streams as one stream: a document separator between non-empty ones."""
    texts = [text for _, text in streams if text]
    return [text if index == 0 else "---\n" + text for index, text in enumerate(texts)]


def _check(stream: str, path: Path) -> None:
    import secrets

    from kgen.diff import redacted_diff
    from kgen.paths import display

    shown = display(path)
    try:
        expected = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise KgenError(shown, f"--check: cannot read: {exc.strerror}") from None
    if expected == stream:
        return
    sys.stdout.write(
        redacted_diff(expected, stream, expected_name=shown, key=secrets.token_bytes(32))
    )
    sys.stdout.flush()
    raise typer.Exit(EXIT_BUILD_ERROR)


def _write_output(
    output: Path, streams: list[tuple[Path, str]], *, several: bool, base: Path | None
) -> None:
    if not several:
        write_atomically(output, streams[0][1])
        return
    files = {output / _output_name(root, base): text for root, text in streams}
    write_all_atomically(files)


def _output_name(root: Path, base: Path | None) -> str:
    """``<root's relative path>.yaml`` (relative to --all DIR); the root ``.`` is ``root.yaml``."""
    import os

    relative = os.path.relpath(root, base) if base is not None else os.path.normpath(root)
    if relative == ".":
        return "root.yaml"
    if relative.startswith(".."):
        relative = os.path.normpath(root.resolve()).lstrip("/")
    return relative + ".yaml"


_EDIT_EXAMPLE = "\b\nExample:\n  kgen edit add secret db-user-pass --from-file password.txt"
edit_app = typer.Typer(
    help="Change the kustomization in the current directory, in place.",
    epilog=_EDIT_EXAMPLE,
    no_args_is_help=True,
    rich_markup_mode=None,
)
add_app = typer.Typer(
    help="Add a secretGenerator or configMapGenerator (or sources to an existing one).",
    epilog=_EDIT_EXAMPLE,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(edit_app, name="edit")
edit_app.add_typer(add_app, name="add")

_Literals = Annotated[
    list[str] | None,
    typer.Option(
        "--from-literal",
        metavar="KEY=VALUE",
        help="A literal key and value (repeatable). The value is written only to the "
        "kustomization, never printed.",
    ),
]
_Files = Annotated[
    list[str] | None,
    typer.Option(
        "--from-file",
        metavar="[KEY=]PATH",
        help="A file inside this directory; the key defaults to its base name (repeatable).",
    ),
]
_EnvFiles = Annotated[
    list[str] | None,
    typer.Option("--from-env-file", metavar="PATH", help="An env file of KEY=VALUE lines."),
]
_Namespace = Annotated[str | None, typer.Option("--namespace", help="The generator's namespace.")]
_Behavior = Annotated[
    str | None,
    typer.Option("--behavior", metavar="create|merge|replace", help="How it meets a base's."),
]
_NoHash = Annotated[
    bool, typer.Option("--disable-name-suffix-hash", help="No content-hash name suffix.")
]
_Immutable = Annotated[bool, typer.Option("--immutable", help="Mark the object immutable.")]
_Force = Annotated[
    bool, typer.Option("--force", help="Replace the source of a key that already exists.")
]


@add_app.command(
    "secret",
    epilog="\b\nExamples:\n"
    "  kgen edit add secret db-user-pass --from-file username.txt --from-file password.txt\n"
    "  kgen edit add secret ssh --from-file ssh-privatekey=id_rsa --type kubernetes.io/ssh-auth\n"
    "  kgen edit add secret api --from-literal api-key=$(cat key) --force",
)
def add_secret(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The generator's name.")],
    from_literal: _Literals = None,
    from_file: _Files = None,
    from_env_file: _EnvFiles = None,
    secret_type: Annotated[
        str | None, typer.Option("--type", help="The Secret type (default Opaque).")
    ] = None,
    namespace: _Namespace = None,
    behavior: _Behavior = None,
    disable_name_suffix_hash: _NoHash = False,
    immutable: _Immutable = False,
    force: _Force = False,
) -> None:
    """Add a secretGenerator NAME (or new keys to it) in ./kustomization.yaml."""
    _add(
        "Secret",
        name,
        from_literal,
        from_file,
        from_env_file,
        secret_type,
        namespace,
        behavior,
        disable_name_suffix_hash=disable_name_suffix_hash,
        immutable=immutable,
        force=force,
    )


@add_app.command(
    "configmap",
    epilog="\b\nExamples:\n"
    "  kgen edit add configmap app-config --from-env-file app.env\n"
    "  kgen edit add configmap web --from-file nginx.conf --from-literal mode=prod",
)
def add_configmap(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The generator's name.")],
    from_literal: _Literals = None,
    from_file: _Files = None,
    from_env_file: _EnvFiles = None,
    namespace: _Namespace = None,
    behavior: _Behavior = None,
    disable_name_suffix_hash: _NoHash = False,
    immutable: _Immutable = False,
    force: _Force = False,
) -> None:
    """Add a configMapGenerator NAME (or new keys to it) in ./kustomization.yaml."""
    _add(
        "ConfigMap",
        name,
        from_literal,
        from_file,
        from_env_file,
        None,
        namespace,
        behavior,
        disable_name_suffix_hash=disable_name_suffix_hash,
        immutable=immutable,
        force=force,
    )


def _add(
    kind: str,
    name: str,
    literals: list[str] | None,
    files: list[str] | None,
    env_files: list[str] | None,
    secret_type: str | None,
    namespace: str | None,
    behavior: str | None,
    *,
    disable_name_suffix_hash: bool,
    immutable: bool,
    force: bool,
) -> None:
    from kgen.edit import BEHAVIORS, GeneratorEdit, add_generator
    from kgen.paths import display

    if behavior is not None and behavior not in BEHAVIORS:
        raise typer.BadParameter(f"must be one of {', '.join(BEHAVIORS)}", param_hint="--behavior")
    edit = GeneratorEdit(
        kind=kind,  # type: ignore[arg-type]
        name=name,
        literals=tuple(literals or ()),
        files=tuple(files or ()),
        env_files=tuple(env_files or ()),
        secret_type=secret_type,
        namespace=namespace,
        behavior=behavior,
        disable_name_suffix_hash=disable_name_suffix_hash,
        immutable=immutable,
        force=force,
    )
    try:
        path = add_generator(Path(), edit)
    except KgenError as exc:
        _fail(f"kgen: error: {exc}", exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        _fail(_internal_error(exc), EXIT_INTERNAL_ERROR)
    generator = "secretGenerator" if kind == "Secret" else "configMapGenerator"
    typer.echo(f"kgen: updated {display(path)}: {generator}[{name}]", err=True)


def _report(findings: list[Finding], level: str) -> None:
    for finding in findings:
        typer.echo(f"kgen: {level}: {finding.where}: {finding.message} [{finding.rule}]", err=True)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    write_all_atomically({path: text})


def write_all_atomically(files: dict[Path, str]) -> None:
    """Write every file to a temporary beside it, then rename them all into place; on any
    failure no temporary remains and no target is touched."""
    import tempfile

    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            temporaries.append((Path(name), path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        for temporary, path in temporaries:
            temporary.replace(path)
    except OSError as exc:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise KgenError(str(exc.filename or ""), f"cannot write: {exc.strerror}") from None
    except BaseException:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _internal_error(exc: BaseException) -> str:
    return (
        f"kgen: internal error ({type(exc).__name__}); details are withheld because they "
        "may contain secret values. Please report this with the input's shape."
    )


def main() -> None:
    """Console-script entry point: also outside a command, never a traceback."""
    try:
        app(prog_name="kgen")
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        typer.echo(_internal_error(exc), err=True)
        sys.exit(EXIT_INTERNAL_ERROR)
