"""The console entry point and the build command's work, without typer.

``kgen build`` is the command users run in pipes, hooks and CI loops, and typer costs about a
third of a small build's time to import. So :func:`main` recognises a plain ``build``
invocation itself (:func:`parse_build`) and runs it without importing typer; anything else
(help, completion, other commands, any flag it does not know, any value it would refuse) goes
to the typer app in :mod:`kgen.cli`, which reports usage errors. Both paths end in
:func:`run_build`, so they behave the same; a test compares the two parsers.

This module and :mod:`kgen.cli` are the CLI edge: the only places that print or exit.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kgen.errors import KgenError
from kgen.hashing import HASH_MODES
from kgen.options import (
    LOAD_RESTRICTORS,
    OPTIONS_BY_FIELD,
    OPTIONS_BY_NAME,
    REORDERS,
    BuildRequest,
    choice_problem,
    choose,
    refused_flag,
)
from kgen.records import NamedTuple

if TYPE_CHECKING:
    from kgen import loader, output, pipeline
    from kgen.findings import Finding

EXIT_OK = 0
EXIT_BUILD_ERROR = 1
EXIT_STALE = 1
"""``--check``: the rendered files are not what the build prints."""
EXIT_CHECK_BROKEN = 2
"""``--check``: the check could not be made (a build or usage error), unlike stale output."""
EXIT_INTERNAL_ERROR = 3
EXIT_CHANGED = 1
"""``-o`` with ``--fail-on-change``: some file was written anew or removed."""
EXIT_USAGE = 2
"""What typer exits with on a usage error; kgen's own usage errors exit the same."""


def usage_problem(request: BuildRequest) -> tuple[str, str] | None:
    """``(option, message)`` when the request is not a valid invocation, else ``None``."""
    from kgen.findings import RULES

    unknown = [rule for rule in request.allow if rule not in RULES]
    if unknown:
        return "--allow", f"unknown rule {unknown[0]!r}; rules: {', '.join(RULES)}"
    if request.all_under is not None and request.roots:
        return "--all", "give either roots or --all DIR, not both"
    if request.exclude and request.all_under is None:
        return "--exclude", "--exclude works with --all DIR"
    if request.output is not None and request.check is not None:
        return "--check", "--output and --check exclude each other"
    return None


def make_request(
    roots: tuple[Path, ...], values: dict[str, object]
) -> BuildRequest | tuple[str, str]:
    """The request from each option's field -> its value as parsed (a string for ``value``
    options, unchecked): the request, or ``(option, message)`` for a usage error. Both parsers
    end here."""
    for field, value in values.items():
        option = OPTIONS_BY_FIELD[field]
        problem = choice_problem(option, value) if isinstance(value, str) else None
        if problem is not None:
            return option.names[-1], problem
    default = BuildRequest()

    def path(field: str) -> Path | None:
        value = values.get(field)
        return value if isinstance(value, Path) else None

    def flag(field: str, default: bool) -> bool:
        value = values.get(field, default)
        return value if isinstance(value, bool) else default

    def text(field: str) -> str:
        value = values.get(field)
        return value if isinstance(value, str) else ""

    def strings(field: str) -> tuple[str, ...]:
        value = values.get(field, ())
        return tuple(str(item) for item in value) if isinstance(value, (list, tuple)) else ()

    request = BuildRequest(
        roots=roots,
        all_under=path("all_under"),
        exclude=strings("exclude"),
        hash_mode=choose(text("hash_mode"), HASH_MODES),
        output=Path(text("output")) if text("output") else None,
        output_directory=_trailing_slash(values.get("output")),
        prune=flag("prune", default.prune),
        fail_on_change=flag("fail_on_change", default.fail_on_change),
        redact_secrets=flag("redact_secrets", default.redact_secrets),
        check=Path(text("check")) if text("check") else None,
        check_directory=_trailing_slash(values.get("check")),
        quiet=flag("quiet", default.quiet),
        load_restrictor=choose(text("load_restrictor"), LOAD_RESTRICTORS)
        or default.load_restrictor,
        reorder=choose(text("reorder"), REORDERS) or default.reorder,
        enable_managedby_label=flag("enable_managedby_label", default.enable_managedby_label),
        validate=flag("validate", default.validate),
        allow=strings("allow"),
        strict=flag("strict", default.strict),
        age_key_file=path("age_key_file"),
        decrypt=flag("decrypt", default.decrypt),
    )
    return usage_problem(request) or request


def _trailing_slash(value: object) -> bool:
    """An option value written as a directory (``rendered/``)."""
    return isinstance(value, str) and value.endswith(("/", os.sep))


def parse_build(argv: list[str]) -> BuildRequest | None:
    """A valid plain ``build`` invocation, or ``None`` for typer to handle (and explain)."""
    if not argv or argv[0] != "build" or "_KGEN_COMPLETE" in os.environ:
        return None
    values: dict[str, object] = {}
    roots: list[Path] = []
    words = iter(argv[1:])
    for word in words:
        option = OPTIONS_BY_NAME.get(word)
        if option is None:
            if word.startswith("-"):
                return None  # --help, --opt=value, --, unknown: typer's job
            roots.append(Path(word))
        elif option.kind in ("flag", "negated"):
            values[option.field] = option.kind == "flag"
        else:
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
            if option.kind == "repeat":
                repeated = values.setdefault(option.field, [])
                assert isinstance(repeated, list)
                repeated.append(value)
            else:
                values[option.field] = Path(value) if option.kind == "path" else value
    request = make_request(tuple(roots), values)
    return request if isinstance(request, BuildRequest) else None


def run_build(request: BuildRequest) -> int:
    """Build, report findings, then print, write or check the stream; the exit code."""
    from kgen import loader, pipeline
    from kgen.decryption import Decryptor
    from kgen.settings import Settings

    options = pipeline.BuildOptions(
        load_restrictor=request.load_restrictor,
        validate=request.validate,
        reorder=request.reorder,
        managed_by_label=request.enable_managedby_label,
    )
    decryptor = Decryptor(enabled=request.decrypt, age_key_file=request.age_key_file)
    try:
        settings = Settings()
        files = loader.Loader(restrict=options.restrict, decryptor=decryptor)
        targets = _targets(request, files)
        built = _build_all(
            targets,
            lambda root: options._replace(hash_mode=settings.hash_for(root, request.hash_mode)),
            request,
            files,
        )
        if built is None:
            return EXIT_CHECK_BROKEN if request.check is not None else EXIT_BUILD_ERROR
        rendered, hidden = built
        if request.check is not None:
            return _check(
                request, rendered, hidden, several=len(targets) > 1, values=decryptor.values
            )
        if request.output is not None:
            changed = _write_output(
                request, rendered, several=len(targets) > 1, private=decryptor.values
            )
            if changed and request.fail_on_change:
                return EXIT_CHANGED
        elif not request.quiet:
            write_parts(_parts(rendered))
    except KgenError as exc:
        exc.redact(decryptor.values)
        _error(f"kgen: error: {exc}")
        if request.check is not None:
            return EXIT_CHECK_BROKEN
        return exc.exit_code
    except BrokenPipeError:
        return _reader_gone("stream")
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        _error(internal_error(exc))
        return EXIT_INTERNAL_ERROR
    return EXIT_OK


def internal_error(exc: BaseException) -> str:
    """The one line an unexpected error gets: its type, never its text (it may hold values)."""
    return (
        f"kgen: internal error ({type(exc).__name__}); details are withheld because they "
        "may contain secret values. Please report this with the input's shape."
    )


def _error(line: str) -> None:
    if sys.stderr is None:  # closed (2>&-): the exit code is all that can be said
        return
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _targets(request: BuildRequest, files: loader.Loader) -> list[Path]:
    from kgen.roots import find_roots

    if request.all_under is None:
        from kgen.kustomization import is_remote

        for root in request.roots:
            text = str(root)
            if not root.exists() and (is_remote(text) or text.startswith(("http:/", "https:/"))):
                raise KgenError(
                    text,
                    "remote kustomizations (URLs, git) are not supported by kgen: it fetches "
                    "nothing from the network",
                )
        return list(request.roots) or [Path()]
    if not request.all_under.is_dir():
        raise KgenError(str(request.all_under), "--all: not a directory")
    found = find_roots(request.all_under, files, request.exclude)
    if not found:
        raise KgenError(str(request.all_under), "--all: no kustomization found below it")
    return found


class _Root(NamedTuple):
    """One root's build, as :func:`_build_all` reports it: its stderr lines (errors and
    warnings, in order), its stream (``None`` when it failed), the data keys messages must not
    show, and the values it decrypted (what the run's messages and diffs must not show: a
    child's are added to the run's)."""

    lines: list[str]
    rendered: output.Rendered | None
    hidden: frozenset[str]
    decrypted: list[str]


PARALLEL_ROOTS = 4
"""From this many roots on, every other root is built in a forked child (both cores)."""


def _build_all(
    targets: list[Path],
    options: Callable[[Path], pipeline.BuildOptions],
    request: BuildRequest,
    files: loader.Loader,
) -> tuple[list[output.Rendered], frozenset[str]] | None:
    """Every root's stream and the data keys messages must not show, each root's errors and
    warnings reported in the roots' order; ``None`` once all are built if any root failed (so
    nothing reaches stdout). With several roots, every other one is built in a forked child
    while this process builds the rest, and only their streams are kept."""
    from kgen import parallel

    files.prefetch(targets)
    several = len(targets) > 1

    def build(roots: list[Path]) -> list[_Root]:
        return [_build_root(root, options, request, files, several=several) for root in roots]

    if len(targets) >= PARALLEL_ROOTS and parallel.CAN_FORK:
        there, here = parallel.split_work(build, targets[1::2], targets[::2])
        theirs = build(targets[1::2]) if there is None else there
        built: list[_Root | None] = [None] * len(targets)
        built[::2], built[1::2] = here, theirs
        outcomes = [outcome for outcome in built if outcome is not None]
    else:
        outcomes = build(targets)
    streams: list[output.Rendered] = []
    hidden: set[str] = set()
    failed = 0
    known = set(files.decryptor.values)
    for outcome in outcomes:
        for line in outcome.lines:
            _error(line)
        if outcome.rendered is None:
            failed += 1
        else:
            streams.append(outcome.rendered)
            hidden.update(outcome.hidden)
        fresh = [value for value in outcome.decrypted if value not in known]
        files.decryptor.values.extend(fresh)
        known.update(fresh)
    return None if failed else (streams, frozenset(hidden))


def _build_root(
    target: Path,
    options: Callable[[Path], pipeline.BuildOptions],
    request: BuildRequest,
    files: loader.Loader,
    *,
    several: bool,
) -> _Root:
    """Build one root, its messages collected (not printed: a child's come back to be printed
    in order)."""
    from kgen import output, parallel, pipeline, validate

    secrets = files.decryptor.values
    known = len(secrets)  # what this root decrypts joins them
    try:
        result = pipeline.build(target, options(target), files, defer_stream_check=True)
    except KgenError as exc:
        exc.redact(secrets)
        return _Root([f"kgen: error: {exc}"], None, frozenset(), secrets[known:])
    manifests = result.manifests
    if request.redact_secrets:
        manifests = output.redact_secrets(manifests)
    if result.stream_check is None:
        stream = parallel.emit_stream(manifests)
    else:
        stream, found = parallel.emit_checked(manifests, result.stream_check)
        result.findings.extend(found)
    errors, warnings = validate.classify(result.findings, request.allow, strict=request.strict)
    lines = _reported(errors, "error", secrets) + _reported(warnings, "warning", secrets)
    if errors:
        return _Root(lines, None, frozenset(), secrets[known:])
    rendered = output.Rendered(target, stream, manifests)
    return _Root(
        lines,
        rendered.stream_only() if several else rendered,
        frozenset(result.hidden_keys),
        secrets[known:],
    )


def _reported(findings: list[Finding], level: str, secrets: list[str]) -> list[str]:
    from kgen.errors import redact

    lines = [f"kgen: {level}: {f.where}: {f.message} [{f.rule}]" for f in findings]
    return [redact(line, secrets) for line in lines] if secrets else lines


def _parts(rendered: list[output.Rendered]) -> Iterator[str]:
    """The roots' streams as the parts of one stream, a document separator between non-empty
    ones, one at a time (unpacked as they are written, never joined: a joined copy would
    multiply the peak memory of a run of many roots)."""
    first = True
    for item in rendered:
        text = item.text
        if text:
            yield text if first else "---\n" + text
            first = False


def _write_output(
    request: BuildRequest,
    rendered: list[output.Rendered],
    *,
    several: bool,
    private: list[str],
) -> bool:
    """Write the files; whether any changed (each changed one is reported)."""
    from kgen import output
    from kgen.paths import display

    assert request.output is not None
    written = output.write(
        request.output,
        rendered,
        several=several or request.all_under is not None,
        base=request.all_under,
        raw=str(request.output) + ("/" if request.output_directory else ""),
        prune=request.prune,
        private=private,
    )
    for path in written.stale:
        if request.prune:
            _error(f"kgen: removed {display(path)}: no root renders it any more")
        else:
            _error(
                f"kgen: warning: {display(path)}: no root renders it any more (--prune removes it)"
            )
    if request.fail_on_change:
        for path in written.changed:
            if path.exists():
                _error(f"kgen: rewrote {display(path)}")
    return bool(written.changed)


def _check(
    request: BuildRequest,
    rendered: list[output.Rendered],
    hidden: frozenset[str],
    *,
    several: bool,
    values: list[str],
) -> int:
    """Compare the rendered files with the build (a unified diff with Secret values redacted
    for each stale one, on stdout); ``EXIT_STALE`` ending with the command that regenerates
    them, or ``EXIT_OK``."""
    import secrets

    from kgen import output
    from kgen.diff import redacted_diff
    from kgen.paths import display

    assert request.check is not None
    several = several or request.all_under is not None
    planned, directory = output.plan(
        request.check,
        rendered,
        several=several,
        base=request.all_under,
        raw=str(request.check) + ("/" if request.check_directory else ""),
    )
    if directory and not request.check.is_dir():
        raise KgenError(display(request.check), "--check: not a directory of rendered files")
    key = secrets.token_bytes(32)
    stale: list[str] = []
    for path, (text, _) in planned.items():
        shown = display(path)
        try:
            expected = path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            stale.append(f"{shown} is missing")
            continue
        except OSError as exc:
            raise KgenError(shown, f"--check: cannot read: {exc.strerror}") from None
        if expected != text:
            stale.append(f"{shown} is stale")
            write_stdout(
                redacted_diff(
                    expected, text, expected_name=shown, key=key, hidden=hidden, values=values
                )
            )
    if directory:
        extra = output.stale_files(request.check, set(planned))
        stale += [f"{display(path)} is rendered by no root" for path in extra]
    if not stale:
        return EXIT_OK
    for line in stale:
        _error(f"kgen: {line}")
    _error(f"kgen: regenerate with: {_regenerate_command(request, several=several)}")
    return EXIT_STALE


def _regenerate_command(request: BuildRequest, *, several: bool) -> str:
    """The ``kgen build`` that writes what ``--check`` compared with (its output flags)."""
    import shlex

    assert request.check is not None
    words = ["kgen", "build"]
    if request.all_under is not None:
        words += ["--all", str(request.all_under)]
        for pattern in request.exclude:
            words += ["--exclude", pattern]
    else:
        words += [str(root) for root in request.roots]
    default = BuildRequest()
    if request.hash_mode is not None:
        words += ["--hash", request.hash_mode]
    if request.load_restrictor != default.load_restrictor:
        words += ["--load-restrictor", request.load_restrictor]
    if request.reorder != default.reorder:
        words += ["--reorder", request.reorder]
    if request.enable_managedby_label:
        words.append("--enable-managedby-label")
    if not request.validate:
        words.append("--no-validate")
    if request.redact_secrets:
        words.append("--redact-secrets")
    if request.age_key_file is not None:
        words += ["--age-key-file", str(request.age_key_file)]
    if not request.decrypt:
        words.append("--no-decrypt")
    target = str(request.check) + ("/" if request.check_directory else "")
    words += ["-o", target]
    if several:
        words.append("--prune")
    return " ".join(shlex.quote(word) for word in words)


def write_stdout(*texts: str) -> None:
    """Print ``texts``, one after the other; a closed or failing stdout (``>&-``,
    ``> /dev/full``) is a :class:`KgenError`. A broken pipe is left to the caller (the reader
    went away)."""
    write_parts(texts)


def write_parts(texts: Iterable[str]) -> None:
    """:func:`write_stdout` of parts made one at a time (each freed once written)."""
    stream = sys.stdout
    if stream is None:
        raise KgenError("stdout", "cannot write the output: stdout is closed")
    try:
        for text in texts:
            stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _silence_stdout()
        raise KgenError("stdout", f"cannot write the output: {exc.strerror}") from None


def _silence_stdout() -> None:
    """Point stdout at the null device, so what is still buffered cannot fail again at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # not a file descriptor (a test's capture)
        return


TOP_HELP = Path(__file__).parent / "data" / "help.txt"
"""``kgen --help`` as typer renders it 80 columns wide or wider (``scripts/gen_help.py``)."""


def _top_help_fits() -> bool:
    """Whether typer would render the top-level help as :data:`TOP_HELP` has it: a terminal
    (or ``COLUMNS``) of 80 columns or more, or none (80 then)."""
    import shutil

    return shutil.get_terminal_size().columns >= 80 and TOP_HELP.is_file()


def _print(text: str) -> int:
    """Print ``text``, as a build prints its stream: the exit code, a write error reported in
    one line (a closed or full stdout, a reader gone)."""
    try:
        write_stdout(text)
    except KgenError as exc:
        _error(f"kgen: error: {exc}")
        return exc.exit_code
    except BrokenPipeError:
        return _reader_gone("text")
    return EXIT_OK


def _reader_gone(what: str) -> int:
    """The reader went away (``kgen build | head``): nothing more can reach it."""
    _silence_stdout()
    _error(f"kgen: error: stdout was closed before the whole {what} was written")
    return EXIT_BUILD_ERROR


def main() -> None:
    """Console-script entry point: the fast path for plain builds, typer for the rest;
    never a traceback."""
    if sys.argv[1:] in (["--version"], ["version"]):  # as fast as a build: no typer
        from kgen import __version__

        os._exit(_print(f"kgen {__version__}\n"))
    if sys.argv[1:] in (["--help"], ["-h"]) and _top_help_fits():
        os._exit(_print(TOP_HELP.read_text(encoding="utf-8")))  # typer's text, pre-rendered
    try:
        refused = refused_flag(sys.argv[1:])
        if refused is not None:
            _error(f"kgen: error: {refused[0]}: {refused[1]}")
            sys.exit(EXIT_USAGE)
        request = parse_build(sys.argv[1:])
        if request is not None:
            # A short-lived process that builds acyclic data: the cycle collector only costs
            # (it would walk every object of a large build several times).
            gc.disable()
            code = run_build(request)
            # Everything is written and flushed: skip tearing down a large build's objects.
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
            os._exit(code)
        from kgen.cli import app

        app(prog_name="kgen")
    except Exception as exc:  # noqa: BLE001 - the edge: one line, no traceback, no values
        _error(internal_error(exc))
        sys.exit(EXIT_INTERNAL_ERROR)
