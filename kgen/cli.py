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
from typing import Annotated

import typer

from kgen import __version__
from kgen.errors import KgenError

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
) -> None:
    """Build DIRECTORY into one YAML stream on stdout (or --output)."""
    from kgen import emit, pipeline
    from kgen.hashing import HASH_MODES

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
    )
    try:
        stream = emit.emit_stream(pipeline.build(directory, options))
        if output is None:
            sys.stdout.write(stream)
            sys.stdout.flush()
        else:
            write_atomically(output, stream)
    except KgenError as exc:
        _fail(f"kgen: error: {exc}", exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        _fail(
            f"kgen: internal error ({type(exc).__name__}); details are withheld because they "
            "may contain secret values. Please report this with the input's shape.",
            EXIT_INTERNAL_ERROR,
        )


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


def _fail(message: str, code: int) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="kgen")
