"""The ``kgen`` typer app: commands, flags, help and completion -> :mod:`kgen.run`.

The only typer importer; with :mod:`kgen.run`, the only place that prints or exits. Exit
codes: 0 success, 1 build error, 2 usage error, 3 unexpected internal error (one line, never a
traceback: tracebacks can carry secret values). Plain ``kgen build`` invocations are parsed by
:func:`kgen.run.parse_build` without importing this module; everything else comes here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from kgen import __version__
from kgen.errors import FindingsError, KgenError
from kgen.options import BUILD_OPTIONS, LOAD_RESTRICTORS, BuildRequest, Option
from kgen.run import EXIT_INTERNAL_ERROR, EXIT_USAGE

if TYPE_CHECKING:  # the build's modules are imported by the commands that use them
    from kgen.kustomization import GeneratorKind

app = typer.Typer(
    name="kgen",
    help="Kustomize-style manifest generator: Secrets and ConfigMaps with content-hash names.",
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="\b\nExamples:\n  kgen build overlays/prod | kubectl apply -f -\n"
    "  kgen edit add secret db-user-pass --from-file password.txt\n"
    "Secret values go in files: shell history and the process list show a command line.",
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


@app.command("version")
def version_command() -> None:
    """Print the version (as --version does)."""
    typer.echo(f"kgen {__version__}")


SHELLS = ("bash", "zsh", "fish")


def _shells() -> list[str]:
    return list(SHELLS)


@app.command()
def completion(
    shell: Annotated[
        str,
        typer.Argument(
            help="bash, zsh or fish.", metavar="SHELL", autocompletion=_shells, show_default=False
        ),
    ],
) -> None:
    """Print the completion script for SHELL; e.g. `source <(kgen completion bash)` in
    ~/.bashrc, `kgen completion zsh > "${fpath[1]}/_kgen"`, `kgen completion fish >
    ~/.config/fish/completions/kgen.fish`. It completes commands, flags and the values of
    --hash, --allow and --load-restrictor."""
    # typer's own script for the shell named (its --show-completion guesses the shell)
    from typer._completion_shared import get_completion_script

    if shell not in SHELLS:
        raise typer.BadParameter(f"must be one of {', '.join(SHELLS)}", param_hint="SHELL")
    typer.echo(get_completion_script(prog_name="kgen", complete_var="_KGEN_COMPLETE", shell=shell))


BUILD_EPILOG = """\b
Examples:
  kgen build overlays/prod --hash kustomize | kubectl apply -f -
  kgen build --all . -o rendered/
  kgen build overlays/prod --check rendered/prod.yaml
"""


def build(**values: Any) -> None:
    """Build kustomization roots into one YAML stream on stdout (or --output)."""
    from kgen.run import make_request, run_build

    roots = tuple(values.pop("roots") or ())
    parsed: dict[str, object] = {}
    for option in BUILD_OPTIONS:
        value = values[_parameter(option)]
        if option.kind == "negated":
            value = not value
        if value is not None:
            parsed[option.field] = value
    request = make_request(roots, parsed)
    if not isinstance(request, BuildRequest):
        option_name, message = request
        raise typer.BadParameter(message, param_hint=option_name)
    raise typer.Exit(run_build(request))


def _parameter(option: Option) -> str:
    """The command's parameter for an option: its field (``no_validate`` for a negated one)."""
    return f"no_{option.field}" if option.kind == "negated" else option.field


def _completions(option: Option) -> Callable[[], list[str]] | None:
    """What the shell completes for an option's value: its choices, or the rule ids."""
    if option.choices:
        return lambda: list(option.choices)
    if option.field == "allow":
        from kgen.findings import RULES

        return lambda: list(RULES)
    return None


def _build_signature() -> inspect.Signature:
    """``build``'s parameters for typer, one per row of :data:`kgen.options.BUILD_OPTIONS`."""
    defaults = BuildRequest._field_defaults
    kinds: dict[str, tuple[Any, object]] = {
        "flag": (bool, False),
        "negated": (bool, False),
        "path": (Path | None, None),
        "repeat": (list[str] | None, None),
    }
    parameters = [
        inspect.Parameter(
            "roots",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                list[Path] | None,
                typer.Argument(
                    help="Directories holding a kustomization.yaml (default: the current "
                    "directory).",
                    show_default=False,
                    metavar="DIR...",
                ),
            ],
            default=None,
        )
    ]
    for option in BUILD_OPTIONS:
        values = _completions(option)
        default = defaults[option.field]
        kind, default = kinds.get(
            option.kind, (str if default is not None else str | None, default)
        )
        parameters.append(
            inspect.Parameter(
                _parameter(option),
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[
                    kind,
                    typer.Option(
                        *option.names,
                        metavar=option.metavar,
                        help=option.help,
                        autocompletion=values,
                    ),
                ],
                default=default,
            )
        )
    return inspect.Signature(parameters)


build.__dict__["__signature__"] = _build_signature()  # typer reads the parameters from it
app.command(epilog=BUILD_EPILOG)(build)


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
        "kustomization, never printed; for a secret value prefer --from-file (a command line "
        "shows in shell history and the process list).",
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
_LoadRestrictor = Annotated[
    str,
    typer.Option(
        "--load-restrictor",
        metavar="MODE",
        help="As for build: LoadRestrictionsRootOnly (default) refuses an existing "
        "generator's env file outside this directory; LoadRestrictionsNone lifts that.",
    ),
]


# Extra arguments are taken (not refused by the parser, whose message would list them: a
# forgotten --from-literal leaves KEY=VALUE there) and refused by _add without showing them.
_EXTRA_ARGS = {"allow_extra_args": True}


@add_app.command(
    "secret",
    context_settings=_EXTRA_ARGS,
    epilog="\b\nExamples:\n"
    "  kgen edit add secret db-user-pass --from-file username.txt --from-file password.txt\n"
    "  kgen edit add secret ssh --from-file ssh-privatekey=id_rsa --type kubernetes.io/ssh-auth\n"
    "  kgen edit add secret api --from-file api-key=key.txt --force\n"
    "Secret values go in files: shell history and the process list show a command line.",
)
def add_secret(
    ctx: typer.Context,
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
    load_restrictor: _LoadRestrictor = "LoadRestrictionsRootOnly",
) -> None:
    """Add a secretGenerator NAME (or new keys to it) in ./kustomization.yaml."""
    _add(
        ctx,
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
        load_restrictor=load_restrictor,
    )


@add_app.command(
    "configmap",
    context_settings=_EXTRA_ARGS,
    epilog="\b\nExamples:\n"
    "  kgen edit add configmap app-config --from-env-file app.env\n"
    "  kgen edit add configmap web --from-file nginx.conf --from-literal mode=prod",
)
def add_configmap(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The generator's name.")],
    from_literal: _Literals = None,
    from_file: _Files = None,
    from_env_file: _EnvFiles = None,
    namespace: _Namespace = None,
    behavior: _Behavior = None,
    disable_name_suffix_hash: _NoHash = False,
    immutable: _Immutable = False,
    force: _Force = False,
    load_restrictor: _LoadRestrictor = "LoadRestrictionsRootOnly",
) -> None:
    """Add a configMapGenerator NAME (or new keys to it) in ./kustomization.yaml."""
    _add(
        ctx,
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
        load_restrictor=load_restrictor,
    )


def _add(
    ctx: typer.Context,
    kind: GeneratorKind,
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
    load_restrictor: str,
) -> None:
    from kgen.edit import BEHAVIORS, GeneratorEdit, add_generator
    from kgen.paths import display
    from kgen.run import internal_error

    if ctx.args:
        _fail(
            f"kgen: error: {len(ctx.args)} unexpected argument(s) after NAME, not shown (one "
            "may be a secret value); give literals as --from-literal KEY=VALUE",
            EXIT_USAGE,
        )
    if behavior is not None and behavior not in BEHAVIORS:
        raise typer.BadParameter(f"must be one of {', '.join(BEHAVIORS)}", param_hint="--behavior")
    if load_restrictor not in LOAD_RESTRICTORS:
        raise typer.BadParameter(
            f"must be {' or '.join(LOAD_RESTRICTORS)}", param_hint="--load-restrictor"
        )
    edit = GeneratorEdit(
        kind=kind,
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
        restrict=load_restrictor == "LoadRestrictionsRootOnly",
    )
    try:
        path = add_generator(Path(), edit)
    except FindingsError as exc:
        for line in exc.lines()[:-1]:
            typer.echo(f"kgen: error: {line}", err=True)
        _fail(f"kgen: error: {exc.lines()[-1]}", exc.exit_code)
    except KgenError as exc:
        _fail(f"kgen: error: {exc}", exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        _fail(internal_error(exc), EXIT_INTERNAL_ERROR)
    generator = "secretGenerator" if kind == "Secret" else "configMapGenerator"
    typer.echo(f"kgen: updated {display(path)}: {generator}[{name}]", err=True)


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def render_top_help() -> str:
    """``kgen --help`` as typer renders it 80 columns wide or wider (what
    ``kgen/data/help.txt`` holds): click wraps at the width less 2, at most 78."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--help"], prog_name="kgen", terminal_width=78)
    assert result.exit_code == 0, result.output
    return result.output
