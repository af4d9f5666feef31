"""YAML → plain data, exactly as kustomize ends up with it.

This is the only kgen module that imports ruamel.yaml. Parsing is done by libyaml through
ruamel's C extension (``CParser``); this module consumes its *event* stream and builds plain
Python values (``dict``/``list``/``str``/``int``/``float``/``bool``/``None``) itself, with an
explicit stack (no recursion, so hostile nesting can't crash the interpreter; ruamel's C
composer ``get_node()`` segfaults on ~30,000 nested flow collections, which is why it isn't used).
Two exceptions: a document libyaml 0.1.7 refuses only for a ``:`` inside a plain scalar of a
flow collection (``[a:b]``, which goyaml reads) is parsed by ruamel's pure-Python parser; and
when ruamel's C module doesn't have the shape the fast event path expects (checked at import),
its public event objects are used (slower, same result).

Two modes:

``resource``
    What kustomize does to a resource file (kyaml ``kio.FromBytes`` + ``RNode.MarshalJSON`` +
    ``sigs.k8s.io/yaml.JSONToYAML``): the file is split on ``\\n---…\\n`` lines like kyaml does,
    only the first document of each piece is read, aliases and ``<<`` merge keys are expanded the
    way kyaml's ``DeAnchor`` does, scalars are resolved like goyaml.v3 (YAML 1.2-ish core schema,
    plus legacy ``0777`` octals and timestamps), then the ``encoding/json`` → goyaml.v2 round trip
    is applied (integral floats become ints, timestamps become RFC 3339 strings, ``.inf``/``.nan``
    and non-string mapping keys are errors). Unlike kustomize, U+0085 is kept, never folded
    into a space or a line break.
    :func:`load_resource_documents` also gives, per document, the text as written of the
    ``data``/``binaryData`` values that load as something else (``0.50``, ``True``): kustomize
    still holds the YAML nodes when a generator with ``behavior: merge`` stringifies them.

``kustomization``
    What ``sigs.k8s.io/yaml.Unmarshal`` does to a kustomization file (goyaml.v2, YAML 1.1
    resolution: ``yes``/``no``/``on``/``off``/``y``/``n`` are bools, timestamps stay strings,
    non-string keys are converted to strings, duplicate keys: last one wins, merge keys applied in
    document order), then the JSON round trip. Only the first document is read.

Every error is a :class:`kgen.errors.LoadError` whose message quotes no file content (keys of a
duplicate mapping entry excepted, as goyaml does): files may hold secrets.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
import sys
import threading
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from copy import copy
from functools import lru_cache
from io import StringIO
from typing import Any, Final, Literal, NoReturn

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.scanner import Scanner

from kgen import patterns
from kgen.emit import block_allowed_in_v3
from kgen.errors import LoadError
from kgen.records import NamedTuple

__all__ = [
    "CONTROL_CHARACTER",
    "JSON_UNPRINTABLE",
    "MAX_DEPTH",
    "MAX_EXPANSION_RATIO",
    "MAX_NODES",
    "Budget",
    "Mode",
    "RoundTripDocument",
    "SourceTexts",
    "attach_trailing_comment",
    "detach_trailing_comment",
    "dump_round_trip",
    "load_documents",
    "load_resource_documents",
    "load_round_trip",
    "new_mapping",
    "new_round_trip_document",
    "new_sequence",
    "resolve_plain",
    "string_scalar",
]

Mode = Literal["resource", "kustomization"]

SourceTexts = dict[tuple[str | int, ...], dict[str, str]]
"""For one resource document: the path of each ``data``/``binaryData`` mapping (``("data",)``,
or ``("items", 2, "binaryData")`` in a ``List``) → {key: the value's text as written}, for the
scalar values whose text differs from their loaded value (numbers, bools, timestamps,
``!!binary``...; never nulls). What kyaml's ``GetDataMap`` reads when kustomize merges."""

#: Deepest allowed nesting of collections (kustomize allows 10,000; Python code walking the
#: result recursively would hit the interpreter's recursion limit long before that).
MAX_DEPTH: Final = 256
#: Most nodes (scalars + collections, alias expansions included) the files of one build (one
#: :class:`Budget`) may produce.
MAX_NODES: Final = 10_000_000
#: Alias expansion beyond 1,000,000 nodes (over one build) must not exceed this multiple of the
#: nodes parsed.
MAX_EXPANSION_RATIO: Final = 100
_EXPANSION_FREE: Final = 1_000_000

_PARSER_CLASS: Final[Any] = CParser

_YAML_TAG: Final = "tag:yaml.org,2002:"
_STR: Final = _YAML_TAG + "str"
_INT: Final = _YAML_TAG + "int"
_FLOAT: Final = _YAML_TAG + "float"
_BOOL: Final = _YAML_TAG + "bool"
_NULL: Final = _YAML_TAG + "null"
_TIMESTAMP: Final = _YAML_TAG + "timestamp"
_BINARY: Final = _YAML_TAG + "binary"
_MERGE: Final = _YAML_TAG + "merge"
_RESOLVABLE: Final = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})
_PASS_THROUGH: Final = frozenset({_STR, _INT, _BOOL, _NULL})

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_UINT64_MAX: Final = 2**64 - 1


class _Timestamp:
    """A resolved timestamp: ``text`` is what Go's ``time.Time`` JSON encoding prints.

    ``text`` is None when Go can't encode it as JSON (a zone offset of 24 hours or more).
    """

    __slots__ = ("text",)

    def __init__(self, text: str | None) -> None:
        self.text = text


class _NodeError(Exception):
    """Internal: a problem with a node; turned into a LoadError with the node's position.

    ``mark`` (a libyaml mark) overrides the position of the event being handled.
    """

    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.mark = mark


def _fail(message: str) -> NoReturn:
    raise _NodeError(message)


# --------------------------------------------------------------------------------------------
# Input checks


# YAML's printable set (what libyaml / goyaml accept in a stream); everything else is an error.
_NOT_PRINTABLE: Final = patterns.lazy(  # the complement, written positively: compiles faster
    "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe-\uffff]"
)
# Characters goyaml.v2 refuses when it re-reads the JSON (Go's JSON encoder leaves them raw).
_JSON_RAW_SPECIAL: Final = patterns.lazy("[\x7f-\x9f\ufffe\uffff]")
JSON_UNPRINTABLE: Final = patterns.lazy("[\x7f-\x84\x86-\x9f\ufffe\uffff]")
"""Characters goyaml.v2 refuses when it re-reads kustomize's JSON, U+0085 aside: kustomize
can read them from a file but not write them out (also used by the generators)."""
_SEPARATOR: Final = patterns.lazy(r"\n---.*\n")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _decode(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError(where, f"file is not valid UTF-8 (line {line})") from None
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, col = _line_col(text, bad.start())
        raise LoadError(
            where,
            f"file contains a control character that YAML does not allow "
            f"(line {line}, column {col})",
        )
    return text


def _split_documents(text: str, where: str) -> list[tuple[str, int]]:
    """kyaml ``splitDocuments``: pieces of the file and the 0-based line each one starts on."""
    pieces: list[tuple[str, int]] = []
    prev = 0
    prev_line = 0
    for match in _SEPARATOR.finditer(text):
        separator = match.group()
        rest = separator[4:].strip()
        if rest and rest[0] != "#":
            line, _ = _line_col(text, match.start() + 1)
            raise LoadError(
                where,
                f"invalid document separator at line {line} (only a comment may follow ---)",
            )
        pieces.append((text[prev : match.start()] + "\n", prev_line))
        prev_line += text.count("\n", prev, match.end())
        prev = match.end()
    pieces.append((text[prev:], prev_line))
    return pieces


# --------------------------------------------------------------------------------------------
# Scalar resolution (ports of goyaml.v3 / goyaml.v2 resolve.go and Go's strconv / time.Parse)

_BOOL_NULL_V3: Final[dict[str, Any]] = {
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
    "~": None, "null": None, "Null": None, "NULL": None,
}  # fmt: skip
_BOOL_NULL_V2: Final[dict[str, Any]] = {
    **_BOOL_NULL_V3,
    "y": True, "Y": True, "yes": True, "Yes": True, "YES": True,
    "on": True, "On": True, "ON": True,
    "n": False, "N": False, "no": False, "No": False, "NO": False,
    "off": False, "Off": False, "OFF": False,
}  # fmt: skip
_SPECIAL_FLOATS: Final[dict[str, float]] = {
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
}  # fmt: skip
# First characters that may start a non-string plain scalar (goyaml's resolveTable).
_HINT_CHARS: Final = frozenset("+-0123456789yYnNtTfFoO~.")
_KEY_HINT_CHARS: Final = _HINT_CHARS | {"<"}  # "<<" may be a merge key
# A plain untagged scalar is a string if it starts with none of these and is no word of the
# bool/null table (the letters and "~" of _HINT_CHARS resolve to nothing else).
_NUMBER_CHARS: Final = frozenset("+-0123456789.")
_KEY_NUMBER_CHARS: Final = _NUMBER_CHARS | {"<"}

_YAML_FLOAT: Final = patterns.lazy(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# strconv.ParseFloat for text starting with ".": digits with "_" only between digits.
_DOT_FLOAT: Final = patterns.lazy(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?\Z")
_DIGITS: Final[dict[int, re.Pattern[str]]] = {
    2: patterns.lazy(r"[01]+\Z"),
    8: patterns.lazy(r"[0-7]+\Z"),
    10: patterns.lazy(r"[0-9]+\Z"),
    16: patterns.lazy(r"[0-9a-fA-F]+\Z"),
}


# The most digits (leading zeros aside) a uint64 has in each base.
_MAX_UINT64_DIGITS: Final = {2: 64, 8: 22, 10: 20, 16: 16}


def _go_parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, falling back to ``ParseUint``; None if both fail."""
    body = text
    negative = False
    signed = body[:1] in ("+", "-")
    if signed:
        negative = body[0] == "-"
        body = body[1:]
    base = 10
    if len(body) >= 2 and body[0] == "0":
        prefix = body[1]
        if prefix in "xX":
            base, body = 16, body[2:]
        elif prefix in "oO":
            base, body = 8, body[2:]
        elif prefix in "bB":
            base, body = 2, body[2:]
        else:
            base, body = 8, body[1:]
    if not body or _DIGITS[base].match(body) is None:
        return None
    if len(body.lstrip("0")) > _MAX_UINT64_DIGITS[base]:
        return None  # out of range (and int() refuses strings of more than 4,300 digits)
    value = int(body, base)
    if negative:
        value = -value
    if _INT64_MIN <= value <= _INT64_MAX:
        return value
    if not signed and value <= _UINT64_MAX:
        return value
    return None


def _go_parse_float(text: str) -> float | None:
    """``strconv.ParseFloat`` for text already matched by a float pattern; None on overflow."""
    value = float(text.replace("_", ""))
    if math.isinf(value):
        return None
    return value


_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _take_num(text: str, pos: int) -> tuple[int, int] | None:
    """Go time's ``getnum(value, false)``: one or two digits."""
    if pos >= len(text) or not "0" <= text[pos] <= "9":
        return None
    if pos + 1 < len(text) and "0" <= text[pos + 1] <= "9":
        return int(text[pos : pos + 2]), pos + 2
    return int(text[pos]), pos + 1


def _parse_timestamp(text: str) -> _Timestamp | None:
    """goyaml's ``parseTimestamp`` (Go ``time.Parse`` with its four layouts)."""
    if len(text) < 6 or text[4] != "-" or not text[:4].isdigit() or not text[:4].isascii():
        return None
    year = int(text[:4])
    parsed = _take_num(text, 5)
    if parsed is None:
        return None
    month, pos = parsed
    if pos >= len(text) or text[pos] != "-":
        return None
    parsed = _take_num(text, pos + 1)
    if parsed is None:
        return None
    day, pos = parsed
    if not 1 <= month <= 12:
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]
    hour = minute = second = 0
    nanos = 0
    offset = 0
    if pos < len(text):
        sep = text[pos]
        with_zone = sep in "Tt"
        if with_zone:
            pos += 1
        elif sep == " ":
            while pos < len(text) and text[pos] == " ":
                pos += 1
        else:
            return None
        fields: list[int] = []
        for index in range(3):
            if index:
                if pos >= len(text) or text[pos] != ":":
                    return None
                pos += 1
            parsed = _take_num(text, pos)
            if parsed is None:
                return None
            number, pos = parsed
            fields.append(number)
        hour, minute, second = fields
        if hour > 23 or minute > 59 or second > 59:
            return None
        if pos + 1 < len(text) and text[pos] in ".," and "0" <= text[pos + 1] <= "9":
            end = pos + 1
            while end < len(text) and "0" <= text[end] <= "9":
                end += 1
            nanos = int(text[pos + 1 : end][:9].ljust(9, "0"))
            pos = end
        if with_zone:
            if text[pos : pos + 1] == "Z":
                pos += 1
            else:
                zone = text[pos : pos + 6]
                if (
                    len(zone) < 6
                    or zone[0] not in "+-"
                    or zone[3] != ":"
                    or not (zone[1:3] + zone[4:6]).isdigit()
                    or not zone.isascii()
                ):
                    return None
                zone_hours, zone_minutes = int(zone[1:3]), int(zone[4:6])
                if zone_hours > 24 or zone_minutes > 60:
                    return None
                offset = (zone_hours * 60 + zone_minutes) * (1 if zone[0] == "+" else -1)
                pos += 6
        if pos != len(text):
            return None
    if not 1 <= day <= days:
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
    if nanos:
        out += "." + f"{nanos:09d}".rstrip("0")
    if offset == 0:
        out += "Z"
    else:
        sign = "+" if offset > 0 else "-"
        offset = abs(offset)
        if offset // 60 >= 24:
            return _Timestamp(None)
        out += f"{sign}{offset // 60:02d}:{offset % 60:02d}"
    return _Timestamp(out)


def _resolve(value: str, tag: str, *, v2: bool) -> tuple[str, Any]:
    """goyaml ``resolve(tag, in)`` for tag ``""`` or a resolvable tag: ``(resolved tag, value)``."""
    first = value[:1]
    if not value:
        return _NULL, None
    if first not in _HINT_CHARS or tag == _STR:
        return _STR, value
    table = _BOOL_NULL_V2 if v2 else _BOOL_NULL_V3
    if value in table:
        found = table[value]
        return (_NULL if found is None else _BOOL), found
    if value in _SPECIAL_FLOATS:
        return _FLOAT, _SPECIAL_FLOATS[value]
    if value == "<<":
        return _MERGE, value
    if first == ".":
        if _DOT_FLOAT.match(value):
            number = _go_parse_float(value)
            if number is not None:
                return _FLOAT, number
        return _STR, value
    if first in "yYnNtTfFoO~":
        return _STR, value
    if tag in ("", _TIMESTAMP):
        stamp = _parse_timestamp(value)
        if stamp is not None:
            return _TIMESTAMP, stamp
    plain = value.replace("_", "")
    integer = _go_parse_int(plain)
    if integer is not None:
        return _INT, integer
    if _YAML_FLOAT.match(plain):
        number = _go_parse_float(plain)
        if number is not None:
            return _FLOAT, number
    return _STR, value


_SHORT: Final = {
    _STR: "!!str", _INT: "!!int", _FLOAT: "!!float", _BOOL: "!!bool", _NULL: "!!null",
    _TIMESTAMP: "!!timestamp", _MERGE: "!!merge",
}  # fmt: skip


def _resolve_tagged(value: str, tag: str, *, v2: bool) -> tuple[str, Any]:
    """An explicitly tagged scalar: goyaml's resolve() plus its tag check."""
    if tag == _BINARY:
        cleaned = value.replace("\n", "").replace("\r", "")
        try:
            raw = base64.b64decode(cleaned, validate=True)
        except (binascii.Error, ValueError):
            raise _NodeError("!!binary value contains invalid base64 data") from None
        return _STR, _go_string(raw)
    if tag not in _RESOLVABLE:
        return _STR, value  # custom or non-scalar tags: the text, as a string
    if tag == _STR:
        return _STR, value
    rtag, out = _resolve(value, tag, v2=v2)
    if rtag == tag:
        return rtag, out
    if tag == _FLOAT and rtag == _INT:
        return _FLOAT, float(out)
    raise _NodeError(f"cannot decode {_SHORT.get(rtag, rtag)} as a {_SHORT[tag]}")


# --------------------------------------------------------------------------------------------
# Folded block scalars after kyaml's round trip
#
# kustomize writes each resource back as YAML with goyaml.v3 and reads it again, keeping the
# folded (``>``) style of a scalar. goyaml.v3's folded writer decides whether a line break needs
# an extra empty line (so that it isn't folded into a space) by looking at the first line of the
# *whole value* instead of the next line: if the value starts with a space or a tab it never
# adds one (``one\ntwo`` reads back as ``one two``), otherwise it always does, even before a
# more-indented or tab-led line, whose line break is kept anyway (``one\n  more`` reads back as
# ``one\n\n  more``). Values goyaml.v3 won't write as a block scalar (a space before a line
# break or at the end, characters it escapes) are written double-quoted and keep their value.

# goyaml.v3 ``is_printable``, less what is handled apart (the tab, the line feed).
# The complement of [\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd], written positively:
# the negated class takes 9 ms to compile at every start (pinned equal by a test).
_GO_UNPRINTABLE: Final = patterns.lazy(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe-\U0010ffff]"
)
_GO_BLOCK_REFUSED: Final = patterns.lazy(" \n| \\Z")


def _go_refold(value: str) -> str:
    """A folded scalar's value after goyaml.v3 wrote it (folded) and libyaml-style reading."""
    if "\n" not in value or _GO_BLOCK_REFUSED.search(value):
        return value  # no line break: unchanged; or not written as a block scalar
    if _GO_UNPRINTABLE.search(value):
        return value
    # The text goyaml.v3 writes (without indentation), then libyaml's folding of it.
    extra = value.lstrip("\n")[:1] not in (" ", "\t")
    lines = value.split("\n")
    written: list[str] = []
    for index, line in enumerate(lines):
        written.append(line)
        last = index == len(lines) - 1
        if not last and line and line[0] not in " \t" and extra:
            written.append("")  # the extra line break
    return _fold(written, keep=value.endswith("\n\n") or value == "\n", strip=value[-1:] != "\n")


def _fold(lines: list[str], *, keep: bool, strip: bool) -> str:
    """libyaml's reading of a folded block scalar's lines (indentation removed)."""
    out: list[str] = []
    leading_break = ""
    trailing = ""
    leading_blank = False
    for index, line in enumerate(lines):
        if not line:
            if index < len(lines) - 1:
                trailing += "\n"
            continue
        blank = line[0] in " \t"
        if leading_break and not leading_blank and not blank:
            if not trailing:
                out.append(" ")
        else:
            out.append(leading_break)
        out.append(trailing)
        out.append(line)
        leading_break, trailing, leading_blank = "\n", "", blank
        if index == len(lines) - 1:
            leading_break = ""
    if not strip:
        out.append(leading_break)
    if keep:
        out.append(trailing)
    return "".join(out)


def _go_string(raw: bytes) -> str:
    """Go ``string(bytes)`` as ``encoding/json`` prints it: each invalid byte → U+FFFD."""
    text = raw.decode("utf-8", "surrogateescape")
    if text.isascii():
        return text
    return re.sub("[\udc80-\udcff]", "\ufffd", text)


def json_float(number: float) -> int | float:
    """A float after Go ``json.Marshal`` → goyaml.v2 re-read."""
    if math.isnan(number) or math.isinf(number):
        raise _NodeError(
            "value is not representable in JSON (.inf/.nan; kustomize fails with "
            "json: unsupported value)"
        )
    if not number.is_integer() or abs(number) >= 1e21:
        return number
    if abs(number) <= 2.0**53:
        return int(number)
    # Go prints the shortest round-trip digits padded with zeros ('f' format).
    from decimal import Decimal

    printed = int(Decimal(repr(number)))
    if _INT64_MIN <= printed <= _UINT64_MAX:
        return printed
    return number


def _go_quote(text: str) -> str:
    """Roughly Go's ``%#v`` of a string (``strconv.Quote``)."""
    out = ['"']
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif c.isprintable():
            out.append(c)
        elif ord(c) < 0x80:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) < 0x10000:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    out.append('"')
    return "".join(out)


def _float32_g(number: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 32)`` (how sigs.k8s.io/yaml turns float keys into text)."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "+Inf" if number > 0 else "-Inf"
    single = struct.unpack("<f", struct.pack("<f", number))[0]
    if single == 0:
        return "-0" if math.copysign(1.0, single) < 0 else "0"
    digits = ""
    exponent = 0
    for precision in range(1, 10):
        candidate = f"{single:.{precision}e}" if precision > 1 else f"{single:.0e}"
        if struct.unpack("<f", struct.pack("<f", float(candidate)))[0] == single:
            mantissa, exp_text = candidate.split("e")
            digits = mantissa.replace(".", "").replace("-", "")
            exponent = int(exp_text)
            break
    digits = digits.rstrip("0") or "0"
    sign = "-" if single < 0 else ""
    # Go: %e when exp < -4 || exp >= eprec, and eprec is 6 for the shortest representation.
    eprec = 6
    if exponent < -4 or exponent >= eprec:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    if len(digits) <= exponent + 1:
        return sign + digits + "0" * (exponent + 1 - len(digits))
    return f"{sign}{digits[: exponent + 1]}.{digits[exponent + 1 :]}"


# --------------------------------------------------------------------------------------------
# Events as tuples
#
# Most of the time of a load goes into ruamel's event objects, not into libyaml: the C parser
# makes each event by calling the event class it finds in its module's globals, and those
# classes' ``__init__`` chains (three Python calls a scalar) cost ~4 times what libyaml's
# parsing does. While kgen parses, those globals are replaced by the functions below, which make
# plain tuples ``(kind, start mark, ...)``. Only this module parses with ruamel's C parser (the
# round-trip mode uses ruamel's pure-Python one), and the originals are put back when the last
# concurrent load ends. The arguments the C parser passes are pinned by a test
# (test_tuple_events_match_ruamel_events), so a ruamel.yaml.clib that changes them fails it.

_EMPTY_PLAIN: Final = ("", "", None)  # the (text, style, tag) of an empty plain scalar
_EV_SCALAR: Final = 0  # (kind, start mark, value, style, tag, anchor)
_EV_COLLECTION_START: Final = 1  # (kind, start mark, anchor, is a mapping, is in flow style)
_EV_COLLECTION_END: Final = 2  # (kind, start mark)
_EV_ALIAS: Final = 3  # (kind, start mark, anchor)
_EV_START: Final = 4  # a stream or document start: (kind, start mark)
_EV_END: Final = 5  # a document or stream end: (kind, start mark)

# The C parser calls these with positional arguments.


def _scalar_event(  # noqa: PLR0917
    anchor: str | None,
    tag: str | None,
    implicit: Any,
    value: str,
    start_mark: Any,
    end_mark: Any,
    style: str | None,
) -> tuple[int, Any, str, str | None, str | None, str | None]:
    return (_EV_SCALAR, start_mark, value, style, tag, anchor)


def _mapping_start_event(  # noqa: PLR0917
    anchor: str | None,
    tag: str | None,
    implicit: Any,
    start_mark: Any,
    end_mark: Any,
    flow_style: Any,
) -> tuple[int, Any, str | None, bool, bool]:
    return (_EV_COLLECTION_START, start_mark, anchor, True, bool(flow_style))


def _sequence_start_event(  # noqa: PLR0917
    anchor: str | None,
    tag: str | None,
    implicit: Any,
    start_mark: Any,
    end_mark: Any,
    flow_style: Any,
) -> tuple[int, Any, str | None, bool, bool]:
    return (_EV_COLLECTION_START, start_mark, anchor, False, bool(flow_style))


def _collection_end_event(start_mark: Any, end_mark: Any) -> tuple[int, Any]:
    return (_EV_COLLECTION_END, start_mark)


def _alias_event(anchor: str, start_mark: Any, end_mark: Any) -> tuple[int, Any, str]:
    return (_EV_ALIAS, start_mark, anchor)


def _start_event(start_mark: Any, *rest: Any) -> tuple[int, Any]:
    return (_EV_START, start_mark)


def _end_event(start_mark: Any, *rest: Any) -> tuple[int, Any]:
    return (_EV_END, start_mark)


_TUPLE_EVENTS: Final[dict[str, Any]] = {
    "ScalarEvent": _scalar_event,
    "MappingStartEvent": _mapping_start_event,
    "SequenceStartEvent": _sequence_start_event,
    "MappingEndEvent": _collection_end_event,
    "SequenceEndEvent": _collection_end_event,
    "AliasEvent": _alias_event,
    "StreamStartEvent": _start_event,
    "DocumentStartEvent": _start_event,
    "DocumentEndEvent": _end_event,
    "StreamEndEvent": _end_event,
}
_PARSER_MODULE: Final[Any] = sys.modules[_PARSER_CLASS.__module__]
_events_lock: Final = threading.Lock()
_events_users = 0  # loads in progress (under _events_lock)
_saved_events: dict[str, Any] = {}  # ruamel's event classes while they are replaced


_EVENT_NAMES: Final = tuple(_TUPLE_EVENTS)


def _object_event(event: Any) -> tuple[Any, ...]:
    """The tuple (see _EV_*) for one of ruamel's event objects (the public path)."""
    name = type(event).__name__
    mark = event.start_mark
    if name == "ScalarEvent":
        return (_EV_SCALAR, mark, event.value, event.style or "", event.tag, event.anchor)
    if name in ("MappingStartEvent", "SequenceStartEvent"):
        is_map = name == "MappingStartEvent"
        return (_EV_COLLECTION_START, mark, event.anchor, is_map, bool(event.flow_style))
    if name in ("MappingEndEvent", "SequenceEndEvent"):
        return (_EV_COLLECTION_END, mark)
    if name == "AliasEvent":
        return (_EV_ALIAS, mark, event.anchor)
    if name in ("StreamStartEvent", "DocumentStartEvent"):
        return (_EV_START, mark)
    return (_EV_END, mark)


class _ObjectEvents:
    """A parser whose ``get_event()`` turns the event objects of ``events`` into tuples."""

    __slots__ = ("_events",)

    def __init__(self, events: Iterator[Any]) -> None:
        self._events = events

    def get_event(self) -> tuple[Any, ...]:
        return _object_event(next(self._events))


def _parser_events(parser: Any) -> Iterator[Any]:
    while parser.check_event():
        yield parser.get_event()


def _c_events(text: str) -> _ObjectEvents:
    """The C parser's events through ruamel's event classes: slower, no patching."""
    return _ObjectEvents(_parser_events(_PARSER_CLASS(text)))


_LINE_END: Final = "\0\r\n\x85\u2028\u2029"


class _Scanner(Scanner):
    """ruamel's pure-Python scanner, reading like libyaml and goyaml where YAML 1.2 lets it
    differ: a ``:`` that starts a token in a flow collection is a value indicator (``["x":y]``,
    ``[:a]``), and tabs between tokens are skipped in flow collections and where no simple key
    may start (after ``key:``), not only in flow collections."""

    def check_value(self) -> bool:
        return bool(self.flow_level) or bool(super().check_value())

    def scan_to_next_token(self) -> None:
        peek = self.reader.peek
        forward = self.reader.forward
        if self.reader.index == 0 and peek() == "\ufeff":
            forward()
        while True:
            while peek() == " " or (
                peek() == "\t" and (self.flow_level > 0 or not self.allow_simple_key)
            ):
                forward()
            if peek() == "#":
                while peek() not in _LINE_END:
                    forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True


def _pure_events(text: str) -> _ObjectEvents:
    """ruamel's pure-Python parser (YAML 1.2 plain scalars: ``[a:b]``, ``{k: http://h:1}``)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = _Scanner
    return _ObjectEvents(yaml.parse(text))


# A probe document with every kind of event, for the check below.
_PROBE: Final = (
    "%YAML 1.1\n--- !!map\na: &x 'b'\n? \"c\"\n: [*x, {d: 1}, !!seq [], &m !!map {}]\n"
    "e: |\n  lit\nf: >-\n  folded\n<<: *m\n&k g: !!str 1\n...\n---\nplain\n"
)


def _tuple_events_work() -> bool:
    """Whether ruamel's C module still has the shape :func:`_tuple_events` relies on: module
    globals named like ruamel's event classes, called with the arguments the factories take.
    Checked once at import; when it fails, loads take the public path (same bytes, slower)."""
    module = sys.modules.get(_PARSER_CLASS.__module__)
    if module is None or getattr(module, "__file__", "x.py").endswith(".py"):
        return False
    if not all(callable(getattr(module, name, None)) for name in _EVENT_NAMES):
        return False
    try:
        expected = [_object_event(e) for e in _parser_events(_PARSER_CLASS(_PROBE))]
        with _tuple_events():
            parser = _PARSER_CLASS(_PROBE)
            got = [parser.get_event() for _ in expected]
    except Exception:  # noqa: BLE001 - any failure means: don't use the fast path
        return False
    position = [(e[0], e[1].line, e[1].column, *e[2:]) for e in expected]
    return [(e[0], e[1].line, e[1].column, *e[2:]) for e in got] == position


@contextmanager
def _tuple_events() -> Iterator[None]:
    """While inside: the C parser's ``get_event()`` returns tuples (see _EV_*)."""
    global _events_users  # noqa: PLW0603 - process-wide, like the module being patched
    with _events_lock:
        if _events_users == 0:
            for name, factory in _TUPLE_EVENTS.items():
                _saved_events[name] = getattr(_PARSER_MODULE, name)
                setattr(_PARSER_MODULE, name, factory)
        _events_users += 1
    try:
        yield
    finally:
        with _events_lock:
            _events_users -= 1
            if _events_users == 0:
                for name, original in _saved_events.items():
                    setattr(_PARSER_MODULE, name, original)
                _saved_events.clear()


#: Whether loads patch ruamel's C module (see _tuple_events_work); tests force the public path.
_FAST_EVENTS: Final = _tuple_events_work()


# --------------------------------------------------------------------------------------------
# Building values from the event stream

# The pending ``key`` of the collection being built, when it is not a key (a string):
_NO_KEY: Final = object()  # a mapping expecting a key
_IN_SEQUENCE: Final = object()  # a sequence (never expects a key)
_MERGE_KEY: Final = object()  # a mapping expecting the value of a ``<<`` merge key
_DROP_KEY: Final = object()  # a mapping expecting a value to drop (a ``<<`` that isn't a merge)


class Budget:
    """What the YAML files of one build may cost, counted over all of them: nodes parsed and
    nodes that alias expansion adds (see :data:`MAX_NODES`, :data:`MAX_EXPANSION_RATIO`).
    Pass one to every load of a build, so that many files can't each spend a file's limit."""

    __slots__ = ("expanded", "parsed")

    def __init__(self) -> None:
        self.parsed = 0
        self.expanded = 0

    def fits(self, parsed: int, expanded: int) -> bool:
        """Whether this many more nodes stay within the limits (parsing them would not fail)."""
        total, more = self.parsed + parsed, self.expanded + expanded
        if total + more > MAX_NODES:
            return False
        return not (more > _EXPANSION_FREE and more > MAX_EXPANSION_RATIO * total)

    def charge(self, parsed: int, expanded: int, where: str) -> None:
        """Count a file parsed before (with what its parse cost) against this budget."""
        self.parsed += parsed
        self.expanded += expanded
        if not expanded:
            return  # as the parser, which checks when an alias expands
        if self.parsed + self.expanded > MAX_NODES or (
            self.expanded > _EXPANSION_FREE and self.expanded > MAX_EXPANSION_RATIO * self.parsed
        ):
            raise LoadError(where, "alias expansion too large (over the files of this build)")


# Frame roles in resource mode, for SourceTexts: an object (the document, or an item of its
# ``items``), an ``items`` sequence, a ``data``/``binaryData`` mapping of an object, another
# collection that tracks texts (an anchored mapping, the value of a ``<<`` key). Collections
# opened inside a frame of role _ROLE_OTHER need no bookkeeping (unless anchored).
_ROLE_OTHER: Final = 0
_ROLE_OBJECT: Final = 1
_ROLE_ITEMS: Final = 2
_ROLE_DATA: Final = 3
_ROLE_TEXTS: Final = 4
_ROLE_METADATA: Final = 5
_ROLE_LABELS: Final = 6
_ROLE_ANNOTATIONS: Final = 7
_DATA_FIELDS: Final = ("data", "binaryData")
_META_FIELDS: Final = {"labels": _ROLE_LABELS, "annotations": _ROLE_ANNOTATIONS}
# Roles of the mappings whose texts are kept (SourceTexts): those kustomize reads as strings.
_STRING_MAPS: Final = frozenset({_ROLE_DATA, _ROLE_LABELS, _ROLE_ANNOTATIONS})
# kyaml's GetLabels/GetAnnotations read every value's text, nulls and collections included.
_META_MAPS: Final = frozenset({_ROLE_LABELS, _ROLE_ANNOTATIONS})
_WATCHED_KEYS: Final = frozenset({*_DATA_FIELDS, "items", "metadata"})
_TEXTS_PASSED_KEYS: Final = frozenset({_MERGE_KEY, _IN_SEQUENCE})


class _Anchor:
    __slots__ = ("height", "info", "size", "texts", "value")

    def __init__(
        self,
        value: Any,
        info: tuple[str, str, str | None] | None,
        texts: dict[str, str] | None = None,
    ) -> None:
        self.value = value
        # (raw text, style, tag) when the anchored node is a scalar (it may be used as a key)
        self.info = info
        # resource mode, an anchored mapping: its values' source texts (merged by ``<<``)
        self.texts = texts
        self.size = -1  # measured on first use by an alias
        self.height = 0


class _Merge:
    """The ``<<`` entry of a mapping being built."""

    __slots__ = ("from_alias", "items_from_alias", "mark", "value")

    def __init__(self, mark: Any) -> None:
        self.mark = mark  # of the ``<<`` key
        self.value: Any = None
        self.from_alias = False
        self.items_from_alias: list[bool] | None = None


class _Frame:
    """What the loop of :meth:`_Builder._document` keeps for a collection being built, besides
    the collection itself, its pending key and its keys' marks (those are in local variables):
    only made for the collections that need it (anchored, merging, resource-mode bookkeeping)."""

    path: tuple[str | int, ...]

    __slots__ = ("alias_items", "anchor", "is_map", "merge", "path", "role", "texts", "value")

    def __init__(self, is_map: bool, anchor: str | None, value: Any) -> None:
        self.is_map = is_map
        self.value = value  # the dict or list being built
        self.anchor = anchor
        self.merge: _Merge | None = None
        # per-item "came from an alias" flags; only tracked for the value of a ``<<`` key
        self.alias_items: list[bool] | None = None
        # resource mode: where the frame sits (see _ROLE_*), and the source text of its scalar
        # values that load as something else (see SourceTexts); ``path`` is only set (by
        # _Builder.start_frame) for the roles object, items and data
        self.role = _ROLE_OTHER
        self.texts: dict[str, str] | None = None


def _measure(value: Any) -> tuple[int, int]:
    """(number of nodes, nesting height) of a built value, without recursion."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return 1, 0
    size = 0
    height = 0
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        node, level = todo.pop()
        size += 1
        height = max(height, level)
        items = node.values() if type(node) is dict else node
        for item in items:
            item_kind = type(item)
            if item_kind is dict or item_kind is list:
                todo.append((item, level + 1))
            else:
                size += 1
    return size, height


def _deep_copy(value: Any) -> Any:
    """Copy nested dicts/lists without recursion (scalars are immutable and shared)."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return value
    root: Any = {} if kind is dict else []
    todo: list[tuple[Any, Any]] = [(value, root)]
    while todo:
        source, target = todo.pop()
        if type(source) is dict:
            for key, item in source.items():
                item_kind = type(item)
                if item_kind is dict or item_kind is list:
                    fresh: Any = {} if item_kind is dict else []
                    todo.append((item, fresh))
                    target[key] = fresh
                else:
                    target[key] = item
        else:
            for item in source:
                item_kind = type(item)
                if item_kind is dict or item_kind is list:
                    fresh = {} if item_kind is dict else []
                    todo.append((item, fresh))
                    target.append(fresh)
                else:
                    target.append(item)
    return root


NOT_JSON: Final = (
    "value is not representable in JSON (.inf/.nan; kustomize fails with json: unsupported value)"
)
"""The error of a ``.inf`` or ``.nan`` that reaches the output or a JSON patch."""
CONTROL_CHARACTER: Final = (
    "string contains a control character that kustomize cannot output "
    "(yaml: control characters are not allowed)"
)
"""The error of a value with DEL, a C1 control or U+FFFE/U+FFFF, which goyaml refuses to write:
at output, or at load for the items of a List kustomize re-encodes."""

_TIMESTAMP_KEY: Final = (
    "mapping key is a timestamp, which kustomize fails to re-encode in the items of this "
    "list (json: unsupported type); quote it"
)

_TAB_LED_BLOCK: Final = (
    "a literal or folded block value that starts with a tab cannot be output by kustomize "
    "(it keeps the block style and fails to read it back: found a tab character where an "
    "indentation space is expected); write it double-quoted"
)


def _unwritable_block(value: str, tag: str | None) -> bool:
    """Whether a block scalar ``value`` (read from a resource) is one kustomize writes back as a
    block starting with a tab, which it cannot read back: goyaml.v3 keeps the style, and writes
    no indentation indicator for a tab. Refused only if it reaches the output."""
    return (tag is None or tag == "!") and value.startswith("\t") and block_allowed_in_v3(value)


def plain_scalar_is_string(text: str) -> bool:
    """Whether ``text`` written as a plain YAML scalar reads back as a string under goyaml.v3
    (``yes`` and ``on`` do; ``1``, ``.5``, ``0x1F``, ``true``, ``null``, ``2001-12-14`` and
    the merge key ``<<`` do not). kustomize writes generated data keys plain, and fails on
    keys that don't."""
    return bool(text) and text != "<<" and _resolve(text, "", v2=False)[0] == _STR


def yaml11_non_string(text: str) -> bool:
    """kyaml's ``IsYaml1_1NonString``: whether the one-line ``text``, read as a whole YAML 1.1
    document (goyaml.v2), is something other than a string (``yes``, ``#x``, ``a: b``,
    ``- x``, ``---``); one it cannot read (``*x``, ``@x``) counts as a string. kyaml quotes
    such a string when it sets it as a field (a generated ConfigMap's or Secret's data), so a
    value a patch puts there later takes the quotes."""
    if not text or "\n" in text:
        return False
    return _yaml11_non_string(text)


@lru_cache(maxsize=4096)
def _yaml11_non_string(text: str) -> bool:
    if _resolve(text, "", v2=True)[0] == _FLOAT:
        return True  # .inf and .nan too, which kgen's reading refuses (not JSON)
    try:
        value = load_value(text.encode(), "")
    except LoadError:
        return False
    return type(value) is not str


def resolve_plain(text: str) -> tuple[str, Any]:
    """An untagged plain scalar ``text`` as goyaml.v3 resolves it and kgen loads it: its short
    tag (``str``, ``int``, ``float``, ``bool``, ``null``, ``timestamp``) and its value (a float
    after the JSON round trip, a timestamp as the text Go's JSON prints). Raises
    :class:`ValueError` (its message without the text) for what kustomize cannot write out."""
    rtag, value = _resolve(text, "", v2=False)
    if rtag == _FLOAT:
        try:
            return "float", json_float(value)
        except _NodeError as exc:
            raise ValueError(str(exc)) from None
    if rtag == _TIMESTAMP:
        if value.text is None:
            raise ValueError("timestamp time zone hour outside of range [0,23]")
        return "timestamp", value.text
    if rtag == _MERGE:
        return "str", text
    return _SHORT[rtag].removeprefix("!!"), value


def _is_v3_merge(raw: str, style: str, tag: str | None) -> bool:
    return raw == "<<" and ((style == "" and (tag is None or tag == "!")) or tag == _MERGE)


def _v3_key_is_string(raw: str, style: str, tag: str | None) -> bool:
    """goyaml.v3 ``isStringMap``: the key's tag (explicit or resolved) is ``!!str``."""
    if tag == _STR:
        return True
    if tag is not None and tag != "!":
        return False
    if style != "":
        return True
    return _resolve(raw, "", v2=False)[0] == _STR


Note = tuple[dict[str, Any], str, str]
"""(mapping, key, how its value was written), for the values kyaml's strategic merge sees
otherwise than as plain data: :data:`WRITTEN_EMPTY` (``key:``, or ``{key: }`` read as ``""``:
a null kyaml drops), :data:`WRITTEN_STYLED` (a string quoted or in a block: a number replacing
it keeps the style, so stays a string) or, for a number or boolean, its text as written when
it is not the value's usual text (``0x50``, ``8_080``, ``1.50``, ``True``: kyaml compares
list keys by it, and a styled string replaced by it takes that text)."""
WRITTEN_EMPTY: Final = ""
WRITTEN_STYLED: Final = "'"


def _retold(value: Any, raw: str) -> bool:
    """Whether a number's or boolean's text as written is not its usual text."""
    if type(value) is bool:
        return raw != ("true" if value else "false")
    return type(value) is not int or raw != str(value)


class _Builder:
    """Turns the events of one document into plain data."""

    def __init__(self, where: str, *, v2: bool, line_offset: int, counter: Budget) -> None:
        self.where = where
        self.v2 = v2
        self.line_offset = line_offset
        self.counter = counter
        # resource mode: the document's SourceTexts, and those of mappings that may be merged
        # into a ``data`` mapping by ``<<`` (by id; the mapping is kept alive alongside)
        self.texts: SourceTexts = {}
        self.merge_texts: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}
        self.unwritable: list[tuple[str | float, LoadError]] = []
        """Resource mode: values kustomize reads but cannot write, each with the error the
        build raises if the value reaches the output."""
        self.recoded: list[tuple[Any, Any, Any]] = []
        """Resource mode: (container, key, value) of each value that kustomize's re-encoding
        changes (see :meth:`note_recoded`)."""
        self.notes: list[Note] = []
        """Resource mode: how some values of mappings were written (see :data:`Note`)."""

    def note_recoded(self, container: Any, key: Any, value: Any) -> None:
        """Resource mode: a value that is another once kustomize re-encodes the object (a
        List's items): an empty value of a flow collection (``{a: , b}``, ``!!set {a}``), read
        as ``""``, is null there; a timestamp with ':' in a flow collection
        (``[2001-12-14 21:59:43.10]``), kept as written, is converted there; a folded block
        that goyaml.v3 refolds is not refolded there; a timestamp key of a flow mapping fails
        there (``value`` is the error, whatever ``key``)."""
        if isinstance(value, Exception):
            self.recoded.append((container, None, value))
        elif key is _IN_SEQUENCE:
            self.recoded.append((container, len(container), value))
        elif type(key) is str:
            self.recoded.append((container, key, value))

    def position(self, mark: Any, message: str) -> LoadError:
        """The error for an unwritable value at ``mark``."""
        line = (mark.line if mark is not None else 0) + 1 + self.line_offset
        column = (mark.column if mark is not None else 0) + 1
        return LoadError(self.where, f"line {line}, column {column}: {message}")

    # -- scalars ---------------------------------------------------------------------------

    def scalar(self, raw: str, style: str, tag: str | None, mark: Any = None) -> Any:
        """A scalar used as a value (``mark``: where, for what is refused only at output)."""
        v2 = self.v2
        if tag is None or tag == "!":
            if style != "" or (tag == "!" and v2):
                if style == '"' and not v2 and _JSON_RAW_SPECIAL.search(raw):
                    return self.json_string(raw, mark)
                return raw
            if raw[:1] not in _HINT_CHARS and raw:
                return raw
            rtag, value = _resolve(raw, "", v2=v2)
        else:
            rtag, value = _resolve_tagged(raw, tag, v2=v2)
            if tag == _BINARY and not v2 and _JSON_RAW_SPECIAL.search(value):
                return self.json_string(value, mark)
        if rtag in _PASS_THROUGH:
            return value
        if rtag == _FLOAT:
            if mark is not None and not v2 and (math.isinf(value) or math.isnan(value)):
                return self.not_json(value, mark)
            return json_float(value)
        if rtag == _TIMESTAMP:
            if v2:
                return raw
            text = value.text
            if text is None:
                raise _NodeError(
                    "timestamp time zone hour outside of range [0,23] "
                    "(not representable in JSON, kustomize fails)"
                )
            return text
        return raw  # !!merge used as a value: the text

    def not_json(self, number: float, mark: Any) -> float:
        """A value of a resource that JSON cannot hold (``.inf``, ``.nan``): kustomize keeps its
        node, and fails only if it reaches a JSON conversion (the output, a JSON patch), so a
        patch may replace it. Recorded as unwritable; the value is a float object of its own,
        known by identity."""
        value = number * 1.0
        self.unwritable.append((value, self.position(mark, NOT_JSON)))
        return value

    def json_string(self, text: str, mark: Any = None) -> str:
        """A string that goyaml.v2 will read back from Go's JSON (raw DEL/C1/U+FFFE are fatal).
        A value with one (``mark``: where it is) is recorded as unwritable, refused only if it
        reaches the output (a transformer may replace it); a key is refused here."""
        if JSON_UNPRINTABLE.search(text):
            if mark is None:
                raise _NodeError(CONTROL_CHARACTER)
            self.unwritable.append((text, self.position(mark, CONTROL_CHARACTER)))
        return text

    def key_v3(
        self,
        container: dict[str, Any],
        marks: dict[str, Any],
        frame: _Frame | None,
        info: tuple[str, str, str | None],
        mark: Any,
    ) -> tuple[Any, _Frame | None]:
        """A mapping key (its raw text, style, tag) in resource mode: (the pending key, the
        collection's frame)."""
        raw, style, tag = info
        if raw == "<<":
            if _is_v3_merge(raw, style, tag):
                if frame is None:
                    frame = _Frame(is_map=True, anchor=None, value=container)
                elif frame.merge is not None:
                    raise _NodeError("duplicate merge key")
                frame.merge = _Merge(mark)
                marks.setdefault("<<", mark)
                return _MERGE_KEY, frame
            if "<<" not in marks:
                # kyaml's DeAnchor clears the first field named "<<" of every mapping.
                marks["<<"] = mark
                # (a frame: values go to a mapping without one as to a string key)
                return _DROP_KEY, frame or _Frame(is_map=True, anchor=None, value=container)
        if not _v3_key_is_string(raw, style, tag):
            raise _NodeError(
                "mapping key is not a string (kustomize fails: json: unsupported type); quote it"
            )
        if style == '"' and _JSON_RAW_SPECIAL.search(raw):
            if "\x85" in raw and not JSON_UNPRINTABLE.search(raw):
                raise _NodeError("mapping key contains U+0085 (kustomize fails)")
            self.json_string(raw)
        return self.set_key(container, marks, raw, mark), frame

    def set_key(self, container: dict[str, Any], marks: dict[str, Any], key: str, mark: Any) -> str:
        if key in container:
            first = marks[key].line + 1 + self.line_offset
            raise _NodeError(f"mapping key {_go_quote(key)} already defined at line {first}")
        marks[key] = mark
        return key

    def key_v2(
        self,
        container: dict[str, Any],
        frame: _Frame | None,
        info: tuple[str, str, str | None],
        mark: Any,
    ) -> tuple[Any, _Frame | None]:
        """A mapping key (its raw text, style, tag) in kustomization mode: (the pending key, the
        collection's frame)."""
        raw, style, tag = info
        if raw == "<<" and ((style == "" and (tag is None or tag == "!")) or tag == _MERGE):
            if frame is None:
                frame = _Frame(is_map=True, anchor=None, value=container)
            frame.merge = _Merge(mark)
            return _MERGE_KEY, frame
        value: Any
        if tag == "!" or (tag is None and style != ""):
            value = raw
        elif tag is None:
            rtag, value = _resolve(raw, "", v2=True)
            if rtag in (_TIMESTAMP, _MERGE):
                value = raw
        else:
            rtag, value = _resolve_tagged(raw, tag, v2=True)
            if rtag == _TIMESTAMP:
                value = raw
        return self.json_key(value), frame

    @staticmethod
    def json_key(value: Any) -> str:
        """sigs.k8s.io/yaml ``convertToJSONableObject`` on a goyaml.v2 map key."""
        kind = type(value)
        if kind is str:
            return str(value)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            if value > _INT64_MAX:
                raise _NodeError("unsupported map key (an integer above the int64 range)")
            return str(value)
        if kind is float:
            text = _float32_g(value)
            return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
        raise _NodeError("unsupported map key (null)")

    # -- mappings ----------------------------------------------------------------------------

    def merge_sources(self, merge: _Merge) -> list[dict[str, Any]]:
        """kyaml ``findMergeValues`` / goyaml.v2 ``merge``: the maps a ``<<`` value names."""
        value = merge.value
        want_map = "map merge requires map or sequence of maps as the value"
        if type(value) is dict:
            return [value]
        if type(value) is list and not merge.from_alias:
            flags = merge.items_from_alias or [False] * len(value)
            sources: list[dict[str, Any]] = []
            for item, from_alias in zip(value, flags, strict=True):
                if type(item) is dict:
                    sources.append(item)
                elif self.v2:
                    raise _NodeError(want_map, merge.mark)
                elif type(item) is list and not from_alias:
                    raise _NodeError("invalid map merge: received a nested sequence", merge.mark)
                elif from_alias:
                    raise _NodeError(
                        "invalid map merge: received alias for a non-map value", merge.mark
                    )
                else:
                    raise _NodeError(want_map, merge.mark)
            return sources
        if merge.from_alias and not self.v2:
            raise _NodeError("invalid map merge: received alias for a non-map value", merge.mark)
        raise _NodeError(want_map, merge.mark)

    def finish_map_v3(self, frame: _Frame) -> dict[str, Any]:
        """kyaml ``mergeAll``: own keys win, then earlier merge sources over later ones."""
        result: dict[str, Any] = frame.value
        merge = frame.merge
        if merge is not None:
            sources = self.merge_sources(merge)
            own = set(result)
            texts = frame.texts
            for source in reversed(sources):
                source_texts: dict[str, str] = {}
                if texts is not None:
                    known = self.merge_texts.get(id(source))
                    if known is not None and known[0] is source:
                        source_texts = known[1]
                for key, item in source.items():
                    if key not in own:
                        result[key] = item
                        if texts is not None:
                            text = source_texts.get(key)
                            if text is None:
                                texts.pop(key, None)
                            else:
                                texts[key] = text
        return result

    def note_text(self, frame: _Frame, key: Any, value: Any, raw: str) -> None:
        """Record a scalar value's source text in ``frame.texts`` if it loaded as other text."""
        texts = frame.texts
        if (
            texts is not None
            and type(key) is str  # a mapping's value, not that of a ``<<``
            and (value is not None or frame.role in _META_MAPS)
            and (type(value) is not str or value != raw)
        ):
            texts[key] = raw

    def meta_scalar(
        self, frame: _Frame, key: Any, raw: str, style: str, tag: str | None, *, mark: Any
    ) -> Any:
        """A scalar value of ``metadata.labels``/``annotations``: its value, its text noted.

        kustomize rewrites annotations from their texts before it converts anything to JSON,
        so an annotation that has no JSON value (``.inf``, a timestamp out of Go's range...)
        loads as its text instead of failing."""
        try:
            value = self.scalar(raw, style, tag, mark)
        except _NodeError:
            # a control character fails kustomize's output whatever the map (found by the fuzzer)
            if frame.role != _ROLE_ANNOTATIONS or JSON_UNPRINTABLE.search(raw):
                raise
            value = raw
        if type(value) is float and not math.isfinite(value):
            self.unwritable.pop()  # not kept as the value: a label fails, an annotation is text
            if frame.role != _ROLE_ANNOTATIONS:
                raise _NodeError(NOT_JSON)
            value = raw
        self.note_text(frame, key, value, raw)
        return value

    def start_frame(self, new: _Frame, parent: _Frame | None, key: Any) -> None:
        """Resource mode: set up SourceTexts bookkeeping for a collection being opened (called
        for anchored ones and those opened in a frame whose role may pass something on) in
        ``parent`` (whose pending key is ``key``)."""
        role = _ROLE_OTHER if parent is None else parent.role
        if role == _ROLE_OBJECT and type(key) is str:
            assert parent is not None
            if new.is_map and key in _DATA_FIELDS:
                new.role = _ROLE_DATA
                new.path = (*parent.path, key)
                new.texts = {}
            elif new.is_map and key == "metadata":
                new.role = _ROLE_METADATA
                new.path = (*parent.path, key)
            elif not new.is_map and key == "items":
                new.role = _ROLE_ITEMS
                new.path = (*parent.path, key)
        elif role == _ROLE_METADATA and new.is_map and type(key) is str and key in _META_FIELDS:
            assert parent is not None
            new.role = _META_FIELDS[key]
            new.path = (*parent.path, key)
            new.texts = {}
        elif role == _ROLE_ITEMS and new.is_map:
            assert parent is not None
            new.role = _ROLE_OBJECT
            new.path = (*parent.path, len(parent.value))
        if new.texts is None and (
            (parent is not None and parent.texts is not None and key in _TEXTS_PASSED_KEYS)
            # the value of a ``<<`` key (or an item of it) in a mapping that tracks texts
            or (new.anchor is not None and new.is_map)
        ):
            new.texts = {}
            if new.role == _ROLE_OTHER:
                new.role = _ROLE_TEXTS

    def end_frame(self, done: _Frame, value: Any) -> None:
        """Resource mode: keep the texts of a finished mapping that tracked them."""
        texts = done.texts
        if texts is None or not done.is_map:
            return
        if done.role in _STRING_MAPS:
            if texts:
                self.texts[done.path] = texts
        elif texts:
            self.merge_texts[id(value)] = (value, texts)

    def apply_merge_v2(self, frame: _Frame, merge: _Merge) -> None:
        """goyaml.v2 merges in place, in document order: later entries override."""
        result: dict[str, Any] = frame.value
        for source in reversed(self.merge_sources(merge)):
            result.update(source)

    # -- the event loop ----------------------------------------------------------------------

    def document(self, parser: Any) -> tuple[bool, Any]:
        """Read events up to the end of the first document: (found a document, its value)."""
        try:
            return self._document(parser)
        except _NodeError as exc:
            mark = exc.mark
            line = (mark.line if mark is not None else 0) + 1 + self.line_offset
            column = (mark.column if mark is not None else 0) + 1
            raise LoadError(self.where, f"line {line}, column {column}: {exc}") from None

    def alias(self, name: str, anchors: dict[str, _Anchor], depth: int) -> _Anchor:
        anchor = anchors.get(name)
        if anchor is None:
            raise _NodeError("unknown anchor referenced")
        if anchor.size < 0:
            anchor.size, anchor.height = _measure(anchor.value)
        counter = self.counter
        counter.expanded += anchor.size
        if counter.parsed + counter.expanded > MAX_NODES or (
            counter.expanded > _EXPANSION_FREE
            and counter.expanded > MAX_EXPANSION_RATIO * counter.parsed
        ):
            raise _NodeError("alias expansion too large")
        if depth + anchor.height > MAX_DEPTH:
            raise _NodeError(f"nesting too deep (more than {MAX_DEPTH} levels)")
        return anchor

    def _document(self, parser: Any) -> tuple[bool, Any]:
        """The event loop; ``parser.get_event()`` returns tuples (see _tuple_events).

        The collection being built is in local variables: ``container`` (the dict or list),
        ``key`` (the pending key: a string, or _NO_KEY, _IN_SEQUENCE, _MERGE_KEY, _DROP_KEY),
        ``marks`` (resource mode, a mapping: where each key is, for duplicate key errors) and
        ``frame`` (a :class:`_Frame` when it needs one, else None); ``stack`` holds those of its
        ancestors, the outermost being a list that receives the document's value.
        """
        v2 = self.v2
        counter = self.counter
        anchors: dict[str, _Anchor] = {}
        open_anchors: set[str] = set()
        root: list[Any] = []
        stack: list[tuple[Any, Any, Any, _Frame | None, bool]] = []
        # resource mode: whether ``container`` is a flow collection, where goyaml.v3 reads an
        # empty value (``{a}``, ``{a: }``, ``[&x ]``) as "" instead of null
        flow = False
        container: Any = root
        key: Any = _IN_SEQUENCE
        marks: Any = None
        frame: _Frame | None = None
        parsed = 0
        get_event = parser.get_event
        number_chars = _NUMBER_CHARS
        key_number_chars = _KEY_NUMBER_CHARS
        words = _BOOL_NULL_V2 if v2 else _BOOL_NULL_V3
        no_key = _NO_KEY
        in_sequence = _IN_SEQUENCE
        merge_key = _MERGE_KEY
        drop_key = _DROP_KEY
        watched_keys = _WATCHED_KEYS
        meta_maps = _META_MAPS
        event: Any = None
        try:
            while True:
                event = get_event()
                kind = event[0]
                if kind == _EV_SCALAR:
                    parsed += 1
                    _, mark, raw, style, tag, anchor_name = event
                    empty_in_flow = flow and not raw and tag is None and not style
                    if key is no_key:  # a mapping key
                        if (
                            style == ""
                            and tag is None
                            and raw
                            and raw[0] not in key_number_chars
                            and raw not in words
                        ):
                            if v2:
                                key = raw
                            elif raw in container:
                                self.set_key(container, marks, raw, mark)  # raises: a duplicate
                            else:
                                marks[raw] = mark
                                key = raw
                        else:
                            style = style or ""
                            if empty_in_flow:
                                style = "'"
                            elif flow and not style and tag is None and ":" in raw:
                                # (as a value, below): a timestamp key is a string key here,
                                # and not one where kustomize re-encodes the object
                                style = "'"
                                if self.scalar(raw, "", None, mark) != raw:
                                    self.note_recoded(
                                        container, no_key, self.position(mark, _TIMESTAMP_KEY)
                                    )
                            info = (raw, style, tag)
                            if v2:
                                key, frame = self.key_v2(container, frame, info, mark)
                            else:
                                key, frame = self.key_v3(container, marks, frame, info, mark)
                        if anchor_name is not None:
                            style = style or ""
                            anchors[anchor_name] = _Anchor(
                                self.scalar(raw, style, tag, mark), (raw, style, tag)
                            )
                        continue
                    if (
                        style == ""
                        and tag is None
                        and raw
                        and raw[0] not in number_chars
                        and raw not in words
                    ):
                        value: Any = raw  # a plain string: the common case
                        if anchor_name is None:
                            if frame is None:
                                if key is in_sequence:
                                    container.append(raw)
                                else:
                                    container[key] = raw
                                    key = no_key
                                continue
                        else:
                            anchors[anchor_name] = _Anchor(raw, (raw, "", None))
                    else:
                        style = style or ""
                        flow_colon = flow and not style and tag is None and ":" in raw
                        if flow_colon:
                            # goyaml.v3 writes a plain scalar with ':' in a flow collection
                            # quoted, so a timestamp there reaches goyaml.v2 as the string
                            # it was written as
                            style = "'"
                        unfolded = None
                        if style == ">" and not v2:
                            refolded = _go_refold(raw)
                            if refolded != raw:
                                unfolded, raw = raw, refolded
                        if style in ("|", ">") and not v2 and _unwritable_block(raw, tag):
                            self.unwritable.append((raw, self.position(mark, _TAB_LED_BLOCK)))
                        if frame is not None and frame.role in meta_maps:
                            value = self.meta_scalar(frame, key, raw, style, tag, mark=mark)
                        else:
                            value = self.scalar(raw, style, tag, mark)
                            if (
                                frame is not None
                                and frame.texts is not None
                                and type(key) is str
                                and value is not None
                                and (type(value) is not str or value != raw)
                            ):
                                frame.texts[key] = raw  # see note_text
                        if anchor_name is not None:
                            anchors[anchor_name] = _Anchor(value, (raw, style, tag))
                        if empty_in_flow:
                            value = ""  # (its alias, outside a flow collection, is null)
                            if not v2:
                                self.note_recoded(container, key, None)
                                if type(key) is str:
                                    self.notes.append((container, key, WRITTEN_EMPTY))
                        elif flow_colon:
                            recoded = self.scalar(raw, "", None, mark)
                            if recoded != raw:  # a timestamp
                                self.note_recoded(container, key, recoded)
                        elif unfolded is not None:
                            # re-encoding goes through JSON, not goyaml.v3's folded block
                            self.note_recoded(
                                container, key, self.scalar(unfolded, style, tag, mark)
                            )
                        if not v2 and type(key) is str:
                            if value is None:
                                if not raw:
                                    self.notes.append((container, key, WRITTEN_EMPTY))
                            elif type(value) is str:
                                if style:
                                    self.notes.append((container, key, WRITTEN_STYLED))
                            elif _retold(value, raw):
                                self.notes.append((container, key, raw))
                    from_alias = False
                elif kind == _EV_COLLECTION_START:
                    parsed += 1
                    _, _, anchor_name, is_map, is_flow = event
                    if key is no_key:
                        _fail("invalid map key: a mapping key must be a scalar")
                    if len(stack) >= MAX_DEPTH:
                        _fail(f"nesting too deep (more than {MAX_DEPTH} levels)")
                    new_container: Any = {} if is_map else []
                    new: _Frame | None = None
                    if anchor_name is not None:
                        open_anchors.add(anchor_name)
                        new = _Frame(is_map, anchor_name, new_container)
                    if key is merge_key and not is_map:
                        if new is None:
                            new = _Frame(is_map, anchor_name, new_container)
                        new.alias_items = []
                    if not v2:
                        if not stack:  # the document's value
                            if is_map:
                                if new is None:
                                    new = _Frame(is_map, anchor_name, new_container)
                                new.role = _ROLE_OBJECT
                                new.path = ()
                        elif (
                            frame is not None
                            and frame.role
                            and (
                                frame.role != _ROLE_OBJECT
                                or key in watched_keys
                                or frame.texts is not None
                            )
                        ) or anchor_name is not None:
                            if new is None:
                                new = _Frame(is_map, anchor_name, new_container)
                            self.start_frame(new, frame, key)
                    stack.append((container, key, marks, frame, flow))
                    flow = is_flow and not v2
                    container = new_container
                    frame = new
                    if is_map:
                        key = no_key
                        marks = None if v2 else {}
                    else:
                        key = in_sequence
                        marks = None
                    continue
                elif kind == _EV_COLLECTION_END:
                    value = container
                    done = frame
                    container, key, marks, frame, flow = stack.pop()
                    if frame is not None and frame.role in meta_maps and type(key) is str:
                        assert frame.texts is not None
                        frame.texts[key] = ""  # kyaml reads a collection's text as ""
                    if done is not None:
                        if done.merge is not None and not v2:
                            value = self.finish_map_v3(done)
                        if done.texts is not None:
                            self.end_frame(done, value)
                        if done.anchor is not None:
                            open_anchors.discard(done.anchor)
                            anchors[done.anchor] = _Anchor(value, None, done.texts)
                        if key is merge_key:
                            assert frame is not None
                            assert frame.merge is not None
                            frame.merge.items_from_alias = done.alias_items
                    from_alias = False
                elif kind == _EV_ALIAS:
                    name = event[2]
                    if name in open_anchors:
                        _fail("anchor value contains itself (an alias inside its own anchor)")
                    counter.parsed += parsed
                    parsed = 0
                    anchor = self.alias(name, anchors, len(stack))
                    from_alias = True
                    if key is no_key:
                        if anchor.info is None:
                            _fail("invalid map key: a mapping key must be a scalar")
                        if v2:
                            key, frame = self.key_v2(container, frame, anchor.info, event[1])
                        else:
                            key, frame = self.key_v3(container, marks, frame, anchor.info, event[1])
                        continue
                    value = _deep_copy(anchor.value)
                    if flow and anchor.info == _EMPTY_PLAIN:
                        value = ""  # a copy of an empty value lands in a flow collection
                        if not v2:
                            self.note_recoded(container, key, None)
                    if frame is not None and frame.texts is not None:
                        if anchor.info is not None:
                            self.note_text(frame, key, value, anchor.info[0])
                        elif frame.role in meta_maps and type(key) is str:
                            frame.texts[key] = ""
                        elif anchor.texts:
                            self.merge_texts[id(value)] = (value, anchor.texts)
                elif kind == _EV_END:
                    counter.parsed += parsed
                    if root:
                        return True, root[0]
                    return False, None
                elif kind == _EV_START:
                    continue
                else:  # pragma: no cover - libyaml emits no other events
                    _fail("unexpected YAML event")

                if key is in_sequence:
                    container.append(value)
                    if frame is not None and frame.alias_items is not None:
                        frame.alias_items.append(from_alias)
                    continue
                if key is merge_key:
                    assert frame is not None
                    merge = frame.merge
                    assert merge is not None
                    merge.value = value
                    merge.from_alias = from_alias
                    if v2:
                        self.apply_merge_v2(frame, merge)
                        frame.merge = None
                elif key is not drop_key:
                    container[key] = value
                key = no_key
        except _NodeError as exc:
            if exc.mark is None and event is not None:
                exc.mark = event[1]
            raise


# --------------------------------------------------------------------------------------------
# Entry point


_PROBLEMS: Final = tuple(
    (patterns.lazy(pattern, re.DOTALL), replacement)
    for pattern, replacement in (
        (r"found duplicate key.*", "found a duplicate key"),
        (r"found undefined alias.*", "found undefined alias"),
        (r"found undefined tag handle.*", "found undefined tag handle"),
        (r"duplicate tag handle.*", "duplicate tag handle"),
        (
            r"found character .* that cannot start any token",
            "found character that cannot start any token",
        ),
        (r"found unknown escape character.*", "found unknown escape character"),
        (r"could not determine a constructor for the tag.*", "found an unknown tag"),
        (r"unacceptable character (#x[0-9a-f]{1,8}):.*", r"unacceptable character \1"),
        (r"(expected [^\n]*?),? but (?:found|got) .*", r"\1"),
    )
)
"""ruamel.yaml's messages that hold text of the file (a key and its values, an alias, a tag,
a character) and kgen's words for them, without that text."""
_SAFE_PROBLEM: Final = patterns.lazy(
    r"[a-z][-a-zA-Z0-9 ,#]*(?:(?:'[^\w']{1,2}'|<[a-z ]+>)[-a-zA-Z0-9 ,#]*)*"
)
"""What a parser message may say as it is: words, and quoted punctuation or token names."""


def parser_message(text: object) -> str:
    """A parser's problem or context as kgen shows it: mapped to kgen's own words when it holds
    text of the file, kept when it is only words, else ``""`` (never a third party's text
    unchecked: it may hold a secret)."""
    if not isinstance(text, str):
        return ""
    for pattern, replacement in _PROBLEMS:
        match = pattern.fullmatch(text)
        if match:
            text = match.expand(replacement)
            break
    return text if len(text) <= 120 and _SAFE_PROBLEM.fullmatch(text) else ""


def _parse_error(where: str, exc: YAMLError, line_offset: int) -> LoadError:
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        problem = parser_message(exc.problem) or "malformed YAML"
        message = (
            f"invalid YAML at line {mark.line + 1 + line_offset}, column {mark.column + 1}: "
            f"{problem}"
        )
        context = parser_message(exc.context)
        start = exc.context_mark
        if context and start is not None and start.line != mark.line:
            message += (
                f" ({context} that starts at line {start.line + 1 + line_offset}, "
                f"column {start.column + 1})"
            )
        return LoadError(where, message)
    return LoadError(where, "invalid YAML")


# libyaml 0.1.7 refuses a ':' inside a plain scalar in a flow collection (``[a:b]``,
# ``{url: http://h:1}``), which goyaml (and YAML 1.2) read as part of the scalar. A piece the C
# parser refuses for that reason is parsed again by ruamel's pure-Python parser, which reads
# such scalars like goyaml (and everything else like libyaml); files without it never pay.
_FLOW_COLON: Final = "found unexpected ':'"


_Built = tuple[
    bool,
    Any,
    SourceTexts,
    list[tuple[str | float, LoadError]],
    list[tuple[Any, Any, Any]],
    list[Note],
]
"""What one document's build gives: found, value, texts, unwritable, recoded, notes."""


def _load_one(
    text: str, where: str, *, v2: bool, line_offset: int, counter: Budget, fast: bool
) -> _Built:
    start = (counter.parsed, counter.expanded)
    parser: Any = _PARSER_CLASS(text) if fast else _c_events(text)
    try:
        return _build(parser, where, v2=v2, line_offset=line_offset, counter=counter)
    except YAMLError as exc:
        if not isinstance(exc, MarkedYAMLError) or exc.problem != _FLOW_COLON:
            raise _parse_error(where, exc, line_offset) from None
    counter.parsed, counter.expanded = start
    try:
        return _build(_pure_events(text), where, v2=v2, line_offset=line_offset, counter=counter)
    except YAMLError as exc:
        raise _parse_error(where, exc, line_offset) from None


def _build(parser: Any, where: str, *, v2: bool, line_offset: int, counter: Budget) -> _Built:
    builder = _Builder(where, v2=v2, line_offset=line_offset, counter=counter)
    try:
        found, value = builder.document(parser)
    except RecursionError:  # pragma: no cover - construction is iterative
        raise LoadError(where, f"nesting too deep (more than {MAX_DEPTH} levels)") from None
    return found, value, builder.texts, builder.unwritable, builder.recoded, builder.notes


def _events(fast: bool) -> AbstractContextManager[None]:
    return _tuple_events() if fast else nullcontext()


def load_documents(
    data: bytes, where: str, mode: Mode = "resource", budget: Budget | None = None
) -> list[Any]:
    """Every non-empty document of a YAML stream as plain data (dict/list/str/int/float/bool/None).

    ``mode="resource"``: like kustomize reads a resource file; every document is a mapping.
    ``mode="kustomization"``: like ``sigs.k8s.io/yaml.Unmarshal`` reads a kustomization; only the
    first document is read; the list has at most one element (none for an empty/null file).
    ``budget``: the build's (see :class:`Budget`); without one, the file has a budget of its own.
    Raises :class:`LoadError` (message without file content) on any problem.
    """
    if mode == "resource":
        return [document for document, _ in load_resource_documents(data, where, budget)]
    if mode != "kustomization":
        raise ValueError(f"unknown mode {mode!r}")
    text = _decode(data, where)
    counter = budget if budget is not None else Budget()
    fast = _FAST_EVENTS
    with _events(fast):
        found, value, *_ = _load_one(
            text, where, v2=True, line_offset=0, counter=counter, fast=fast
        )
    if not found or value is None:
        return []
    if type(value) is not dict:
        raise LoadError(where, "the kustomization is not a mapping")
    return [value]


def load_value(data: bytes, where: str, budget: Budget | None = None) -> Any:
    """The first document of a YAML stream as ``sigs.k8s.io/yaml.YAMLToJSON`` reads it
    (goyaml.v2, YAML 1.1), whatever its type; ``None`` for an empty stream. For the YAML form of
    a JSON 6902 patch."""
    text = _decode(data, where)
    counter = budget if budget is not None else Budget()
    fast = _FAST_EVENTS
    with _events(fast):
        found, value, *_ = _load_one(
            text, where, v2=True, line_offset=0, counter=counter, fast=fast
        )
    return value if found else None


def load_resource_documents(
    data: bytes,
    where: str,
    budget: Budget | None = None,
    unwritable: list[tuple[int, str | float, LoadError]] | None = None,
    recoded: list[tuple[int, Any, Any, Any]] | None = None,
    *,
    notes: list[tuple[int, Note]] | None = None,
) -> list[tuple[dict[str, Any], SourceTexts]]:
    """``load_documents(data, where, "resource")``, each document with its :data:`SourceTexts`
    (the text as written of the non-string scalars of its ``data``/``binaryData`` mappings,
    which kustomize uses when a generator merges into the object).

    A value kustomize reads but cannot write back (a block scalar led by a tab) is an error
    here, unless the caller collects them in ``unwritable`` as (document index, the value,
    the error) to refuse only those that reach the output, as kustomize fails only then.
    ``recoded`` collects (document index, container, key, value) of the values of flow
    collections that kustomize's re-encoding of a List's items changes (see
    ``_Builder.note_recoded``); ``notes`` collects (document index, :data:`Note`) of how
    some values were written, which kyaml's strategic merge sees."""
    text = _decode(data, where)
    counter = budget if budget is not None else Budget()
    documents: list[tuple[dict[str, Any], SourceTexts]] = []
    pieces = _split_documents(text.replace("\r\n", "\n"), where)
    fast = _FAST_EVENTS
    with _events(fast):
        for piece, line_offset in pieces:
            found, value, texts, blocks, changed, written = _load_one(
                piece, where, v2=False, line_offset=line_offset, counter=counter, fast=fast
            )
            if not found or value is None:
                continue
            if type(value) is not dict:
                raise LoadError(
                    where, f"the document starting at line {line_offset + 1} is not a mapping"
                )
            if blocks and unwritable is None:
                raise blocks[0][1]
            if unwritable is not None:
                unwritable.extend((len(documents), block, error) for block, error in blocks)
            if recoded is not None:
                recoded.extend((len(documents), *change) for change in changed)
            if notes is not None:
                notes.extend((len(documents), note) for note in written)
            documents.append((value, texts))
    return documents


# --------------------------------------------------------------------------------------------
# Round trip: a human's file edited in place (``kgen edit``), never the build path.
#
# ruamel.yaml's round-trip mode keeps comments, key order, quoting, anchors and number formats;
# what it cannot see (indentation widths, BOM, CRLF, a comment-only file) is measured here and
# restored on dump. Byte-identical output for an unedited file is tested on every fixture.

_ROUND_TRIP_WIDTH: Final = 1 << 30  # never fold a long line


class _RoundTripEmitter(RoundTripEmitter):
    """Writes NEL and the Unicode line/paragraph separators as ``\\uXXXX`` (JSON's and Go's
    form, the one people write) instead of YAML's one-letter ``\\N``/``\\L``/``\\P``."""

    ESCAPE_REPLACEMENTS = {  # noqa: RUF012 - read-only, as in ruamel's Emitter
        **RoundTripEmitter.ESCAPE_REPLACEMENTS,
        "\x85": "u0085",
        "\u2028": "u2028",
        "\u2029": "u2029",
    }


class RoundTripStyle(NamedTuple):
    """What a round-trip dump restores: block indentation (ruamel's ``indent()`` arguments),
    line breaks, a byte-order mark and a ``---`` before the document."""

    mapping: int = 2
    sequence: int = 2
    offset: int = 0
    line_break: str = "\n"
    bom: bool = False
    explicit_start: bool = False
    version: tuple[int, int] | None = None
    """From a ``%YAML 1.x`` directive, written back."""


class RoundTripDocument:
    """A YAML mapping loaded in round-trip mode. Edit ``data`` like a dict (new collections from
    :func:`new_mapping`/:func:`new_sequence`, new strings through :func:`string_scalar`), then
    :func:`dump_round_trip` it."""

    __slots__ = ("data", "prefix", "style")

    def __init__(self, data: Any, style: RoundTripStyle | None = None, prefix: str = "") -> None:
        self.data = data
        self.style = RoundTripStyle() if style is None else style
        self.prefix = prefix
        """A comment-only file's text: ruamel keeps no comments without a node, so it is kept
        here."""


def _round_trip_yaml(style: RoundTripStyle) -> YAML:
    yaml = YAML(typ="rt")
    yaml.Emitter = _RoundTripEmitter
    yaml.preserve_quotes = True
    # ``[{path: p.yaml}]`` stays so (ruamel writes ``[path: p.yaml]`` otherwise); ruamel does
    # not record which form was read, and the braced one is what kustomizations use
    yaml.brace_single_entry_mapping_in_flow_sequence = True
    yaml.width = _ROUND_TRIP_WIDTH
    yaml.explicit_start = style.explicit_start or None
    if style.version is not None:
        yaml.version = style.version
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    return yaml


def _is_block(node: Any) -> bool:
    return (
        isinstance(node, CommentedMap | CommentedSeq) and len(node) > 0 and not node.fa.flow_style()
    )


def _measure_indentation(root: Any) -> tuple[int, int, int]:
    """``(mapping, sequence, offset)`` as most of the file's block collections are indented."""
    mappings: Counter[int] = Counter()
    offsets: Counter[int] = Counter()
    dashes: Counter[int] = Counter()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            positions = node.lc.data or {}
            for key, value in node.items():
                if not _is_block(value) or key not in positions:
                    continue
                indent = value.lc.col - positions[key][1]
                (mappings if isinstance(value, CommentedMap) else offsets)[indent] += 1
                stack.append(value)
        elif isinstance(node, CommentedSeq):
            positions = node.lc.data or {}
            for index, item in enumerate(node):
                if index in positions:
                    dashes[positions[index][1] - node.lc.col] += 1
                if _is_block(item):
                    stack.append(item)
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    offset = offsets.most_common(1)[0][0] if offsets else 0
    dash = dashes.most_common(1)[0][0] if dashes else 2
    if mapping < 1 or offset < 0 or dash < 2:
        return 2, 2, 0
    return mapping, offset + dash, offset


def _has_explicit_start(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "%")):
            return stripped == "---" or stripped.startswith(("--- ", "---\t"))
    return False


_VERSION_DIRECTIVE: Final = patterns.lazy(r"^%YAML[ \t]+1\.([0-9])[ \t]*(?:#.*)?$", re.MULTILINE)


def _version(text: str) -> tuple[int, int] | None:
    head = text[: text.find("\n---")] if "\n---" in text else ""
    found = _VERSION_DIRECTIVE.search(head)
    return (1, int(found.group(1))) if found else None


def load_round_trip(data: bytes, where: str) -> RoundTripDocument:
    """A YAML file holding one mapping (or nothing but comments), for editing in place.

    Raises :class:`LoadError` (message without file content) when it is not valid YAML, holds
    more than one document or is not a mapping.
    """
    text = _decode(data, where)
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    line_break = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    try:
        with warnings.catch_warnings():
            # ruamel.yaml warns (reused anchors, YAML 1.1 floats) with lines of the file.
            warnings.simplefilter("ignore")
            loaded = _round_trip_yaml(RoundTripStyle()).load(text)
    except YAMLError as exc:
        raise _parse_error(where, exc, 0) from None
    except RecursionError:
        raise LoadError(where, "nesting too deep") from None
    if loaded is None:
        prefix = text if text.strip() else ""
        if prefix and not prefix.endswith("\n"):
            prefix += "\n"
        style = RoundTripStyle(line_break=line_break, bom=bom)
        return RoundTripDocument(CommentedMap(), style, prefix)
    if not isinstance(loaded, CommentedMap):
        raise LoadError(where, "the file is not a mapping")
    mapping, sequence, offset = _measure_indentation(loaded)
    style = RoundTripStyle(
        mapping,
        sequence,
        offset,
        line_break,
        bom,
        explicit_start=_has_explicit_start(text),
        version=_version(text),
    )
    return RoundTripDocument(loaded, style)


def new_round_trip_document() -> RoundTripDocument:
    """An empty mapping with the usual style (two spaces, sequences not indented)."""
    return RoundTripDocument(CommentedMap())


def dump_round_trip(document: RoundTripDocument) -> bytes:
    """The document as a file, in the style it was loaded with."""
    out = StringIO()
    _round_trip_yaml(document.style).dump(document.data, out)
    text = document.prefix + out.getvalue()
    if document.style.line_break != "\n":
        text = text.replace("\n", document.style.line_break)
    if document.style.bom:
        text = "\ufeff" + text
    return text.encode("utf-8")


def new_mapping() -> dict[str, Any]:
    """An empty block mapping to insert into a round-trip document."""
    mapping: dict[str, Any] = CommentedMap()
    return mapping


def new_sequence() -> list[Any]:
    """An empty block sequence to insert into a round-trip document."""
    sequence: list[Any] = CommentedSeq()
    return sequence


def string_scalar(text: str) -> str:
    """``text`` to insert as a string: double-quoted when kgen and kustomize (YAML 1.1, as
    ``sigs.k8s.io/yaml`` reads a kustomization) would read it plain as something else (``yes``,
    ``0777``, ``~``); ruamel quotes what YAML's syntax itself requires."""
    if _resolve(text, "", v2=True)[0] != _STR or _resolve(text, "", v2=False)[0] != _STR:
        quoted: str = DoubleQuotedScalarString(text)
        return quoted
    return text


def _last_entry(node: Any) -> tuple[Any, Any, int] | None:
    """The deepest last entry of a block collection: (collection, key or index, the slot of its
    comment in ruamel's ``ca.items``), or None."""
    found = None
    while _is_block(node):
        if isinstance(node, CommentedMap):
            key = next(reversed(node))
            found = (node, key, 2)
        else:
            key = len(node) - 1
            found = (node, key, 0)
        node = node[key]
    return found


def detach_trailing_comment(node: Any, *, only_after_blank_line: bool = False) -> Any:
    """Take the comment lines (and blank lines) that follow the last entry of ``node``; its
    end-of-line comment stays. Returns an opaque value for :func:`attach_trailing_comment`.

    Call it before appending to ``node`` and attach the result after, so that what followed the
    collection (a comment introducing the next field, a blank line) still follows it.
    ``only_after_blank_line``: leave comment lines that directly follow the entry (often a
    commented-out entry of the same list) and take them only when a blank line separates them.
    """
    entry = _last_entry(node)
    if entry is None:
        return None
    collection, key, slot = entry
    comments = collection.ca.items.get(key)
    token = comments[slot] if comments and len(comments) > slot else None
    if token is None or not isinstance(token.value, str):
        return None
    value: str = token.value
    if value.startswith("#"):
        end_of_line, _, rest = value.partition("\n")
        if not rest or (only_after_blank_line and not rest.startswith("\n")):
            return None
        token.value = end_of_line + "\n"
        moved = copy(token)
        moved.value = "\n" + rest
        return moved
    if not value.startswith("\n") or value == "\n":
        return None
    if only_after_blank_line and not value.startswith("\n\n"):
        return None
    comments[slot] = None
    return token


def attach_trailing_comment(node: Any, comment: Any) -> None:
    """Put back what :func:`detach_trailing_comment` took, after the (new) last entry."""
    entry = _last_entry(node)
    if comment is None or entry is None:
        return
    collection, key, slot = entry
    comments = collection.ca.items.setdefault(key, [None, None, None, None])
    existing = comments[slot]
    if existing is None:
        comments[slot] = comment
    elif isinstance(existing.value, str) and existing.value.endswith("\n"):
        existing.value += comment.value[1:]
