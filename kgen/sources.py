"""Generator sources: literals, ``[key=]path`` files and env files -> (key, bytes) pairs.

Parsing is pure; :func:`load_pairs` reads the files through the reader it is given (the
build's :class:`kgen.loader.Reader`).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from kgen.errors import GeneratorError, quote
from kgen.kustomization import GeneratorSpec
from kgen.records import NamedTuple

# unicode.IsSpace: what Go's strings.TrimLeftFunc trims from env lines. Not str.isspace, which
# also takes the separators U+001C..U+001F.
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BOM = "\ufeff"


class Pair(NamedTuple):
    key: str
    value: bytes
    entry: str
    """The source entry it came from, for messages: ``literals[1]``, ``envs[0]: a.env line 3``."""
    whole_line: bool = False
    """An env-file line without ``=``: the whole line became the key, and since the line may be
    a value pasted without its key, messages never show it."""
    bare_cr: bool = False
    """An env-file line holding a carriage return without a line feed (a line break that was
    not read as one): when it is in the key, the key holds another line, so it is never shown."""

    @property
    def hidden(self) -> bool:
        """Whether messages must not show the key (it may hold a value)."""
        return self.whole_line or "\r" in self.key

    def describe_key(self) -> str:
        """The key as messages name it."""
        if self.whole_line:
            return "the key made of the whole line (it has no '=')"
        if self.hidden:
            return "the key of this line (not shown: it holds a bare carriage return)"
        return f"key {quote(self.key)}"

    def hidden_name(self) -> str:
        """How messages about the built object name a hidden key: by its file and line."""
        reason = "a line without '='" if self.whole_line else "a bare carriage return"
        return f"the key from {self.entry} ({reason})"


def parse_literal(source: str, entry: str, where: str) -> Pair:
    """``key=value``, split on the first ``=``; one layer of matching quotes removed.

    The message never repeats the source: without ``=`` it may be the secret itself.
    """
    key, sep, value = source.partition("=")
    if not sep or not key:
        raise GeneratorError(
            f"{where}.{entry}",
            "expected key=value" if not sep else "expected key=value (the key is empty)",
        )
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return Pair(key, value.encode(), entry)


def parse_file_source(source: str, where: str) -> tuple[str, str]:
    """``path`` -> (basename, path); ``key=path`` -> (key, path).

    A malformed source is quoted after ``where`` (the entry): it is a key and a path, which
    messages show, never file content."""
    key, sep, path = source.partition("=")
    if not sep:
        return os.path.basename(source), source  # noqa: PTH119 - a '/'-separated source
    at = f"{where} {quote(source)}"
    if not key:
        raise GeneratorError(at, "expected [key=]path: the key is empty")
    if not path:
        raise GeneratorError(at, "expected [key=]path: the path is empty")
    if "=" in path:
        raise GeneratorError(at, "expected [key=]path: the key or the path contains '='")
    return key, path


def parse_env_file(data: bytes, entry: str, where: str) -> list[Pair]:
    """Lines of ``KEY=value`` as kustomize reads them (kustomize-facts §2.4).

    CRLF and a BOM on the first line are accepted; leading whitespace is trimmed; empty lines
    and ``#`` lines are skipped; the value is kept verbatim (quotes included); a line without
    ``=`` gives an empty value (the whole line is the key); an empty key drops the line; a bare
    carriage return does not end a line. Unlike kustomize, long lines are read whole, never cut.
    """
    pairs = []
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        line_bytes = raw[:-1] if raw.endswith(b"\r") else raw
        try:
            line = line_bytes.decode("utf-8")
        except UnicodeDecodeError:
            raise GeneratorError(f"{where}.{entry} line {number}", "not valid UTF-8 text") from None
        if number == 1 and line.startswith(_BOM):
            line = line[1:]
        line = line.lstrip(_GO_SPACE)
        if not line or line.startswith("#"):
            continue
        key, separator, value = line.partition("=")
        if key:
            pairs.append(
                Pair(
                    key,
                    value.encode(),
                    f"{entry} line {number}",
                    whole_line=not separator,
                    bare_cr="\r" in line,
                )
            )
    return pairs


def load_pairs(spec: GeneratorSpec, read: Callable[[str, str], bytes]) -> list[Pair]:
    """All pairs of a generator in kustomize's order: envs, literals, files. No duplicates.
    ``read(path, where)`` gives the bytes of a source file (relative to the kustomization)."""
    pairs: list[Pair] = []
    for index, path in enumerate(spec.envs):
        entry = f"envs[{index}]"
        data = read(path, f"{spec.where}.{entry}")
        pairs.extend(parse_env_file(data, f"{entry}: {path}", spec.where))
    for index, literal in enumerate(spec.literals):
        pairs.append(parse_literal(literal, f"literals[{index}]", spec.where))
    for index, source in enumerate(spec.files):
        entry = f"files[{index}]"
        key, path = parse_file_source(source, f"{spec.where}.{entry}")
        data = read(path, f"{spec.where}.{entry}")
        pairs.append(Pair(key, data, entry))
    seen: dict[str, str] = {}
    for pair in pairs:
        if pair.key in seen:
            raise GeneratorError(
                f"{spec.where}.{pair.entry}",
                f"{pair.describe_key()} is repeated (first set by {seen[pair.key]})",
            )
        seen[pair.key] = pair.entry
    return pairs
