"""The ``kgen`` command: flags -> pipeline -> stream; errors -> exit codes.

The only module that imports typer, prints or exits. Exit codes: 0 success, 1 build error,
2 usage error, 3 unexpected internal error (one line, never a traceback: tracebacks can carry
secret values).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kgen import __version__
from kgen.errors import KgenError

if TYPE_CHECKING:
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


@app.command(
    epilog="Example: kgen build overlays/prod --hash kustomize | kubectl apply -f -",
)
def build(
    directory: Annotated[
        Path, typer.Argument(help="Directory holding kustomization.yaml.", show_default=True)
    ] = Path(),
    hash_mode: Annotated[
        str,
        typer.Option(
            "--hash",
            help="Name-suffix hash: xxhash (XXH3-64) or kustomize (sha256, names identical "
            "to kubectl kustomize).",
        ),
    ] = "xxhash",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the stream to this file (atomically)."),
    ] = None,
    load_restrictor: Annotated[
        str,
        typer.Option(
            "--load-restrictor",
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
    """Build DIRECTORY into one YAML stream on stdout (or --output)."""
    from kgen import emit, pipeline, validate
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
    options = pipeline.BuildOptions(
        hash_mode=hash_mode,
        load_restrictor=load_restrictor,  # type: ignore[arg-type]
        validate=not no_validate,
    )
    try:
        result = pipeline.build(directory, options)
        errors, warnings = validate.classify(result.findings, allowed, strict=strict)
        stream = "" if errors else emit.emit_stream(result.manifests)
        if output is not None and not errors:
            write_atomically(output, stream)
    except KgenError as exc:
        _fail(f"kgen: error: {exc}", exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        _fail(_internal_error(exc), EXIT_INTERNAL_ERROR)
    _report(errors, "error")
    _report(warnings, "warning")
    if errors:
        raise typer.Exit(EXIT_BUILD_ERROR)
    if output is None:
        sys.stdout.write(stream)
        sys.stdout.flush()


def _report(findings: list[Finding], level: str) -> None:
    for finding in findings:
        typer.echo(f"kgen: {level}: {finding.where}: {finding.message} [{finding.rule}]", err=True)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    directory = path.parent if str(path.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise KgenError(str(path), f"cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise KgenError(str(path), f"cannot write: {exc.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
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
