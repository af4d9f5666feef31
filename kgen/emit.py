"""Byte-exact YAML emission, as ``kubectl kustomize`` (Kustomize v5.5.0) prints it.

Kustomize's output path is object -> JSON -> ``sigs.k8s.io/yaml.JSONToYAML``, which decodes the JSON
with goyaml.v2 and marshals the result with goyaml.v2 (the kubernetes-sigs fork). This module is an
independent Python re-implementation of goyaml.v2's ``Marshal`` for the value shapes that pipeline
produces (``map[interface{}]interface{}``, ``[]interface{}``, string, int, float64, bool, nil):

* mapping keys ordered by goyaml.v2's ``keyList.Less`` (``sorter.go``), see :func:`key_sort`;
* block style, indent 2, sequences not indented under their parent key, ``{}``/``[]`` for empty
  collections;
* scalar style selection of ``encode.go`` (``stringv``: literal for strings with a newline, double
  quotes for strings that would resolve to a non-string under goyaml.v2's YAML 1.1 resolver) and
  ``emitterc.go`` (``yaml_emitter_analyze_scalar`` / ``select_scalar_style``: plain, single, double,
  literal; line folding at width 80; escapes; ``? key`` complex keys; the ``is_bom`` quirk);
* numbers rendered as they come out of the JSON round trip (integral floats become integers,
  others use Go's ``strconv.FormatFloat(f, 'g', -1, 64)``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cmp_to_key
from typing import Any, Final

from kgen import patterns

__all__ = ["emit_document", "emit_stream", "go_format_g", "key_sort", "scalar_style"]

_BEST_WIDTH: Final = 80
_BEST_INDENT: Final = 2
_MAX_SIMPLE_KEY_BYTES: Final = 128
_CACHE_LIMIT: Final = 1 << 16
_CACHE_MAX_LEN: Final = 256  # don't keep big values (e.g. whole files) alive in the caches

_INT64_MIN: Final = -(1 << 63)
_INT64_MAX: Final = (1 << 63) - 1
_UINT64_MAX: Final = (1 << 64) - 1

# Scalar styles.
_PLAIN: Final = 0
_SINGLE: Final = 1
_DOUBLE: Final = 2
_LITERAL: Final = 3

# --------------------------------------------------------------------------------------------
# Character classes (yamlprivateh.go)
# --------------------------------------------------------------------------------------------

# is_break: CR, LF, NEL, LS, PS.
_BREAK_CHARS: Final = "\r\n\x85\u2028\u2029"
_BREAK_RE: Final = patterns.lazy(r"[\r\n\x85\u2028\u2029]")
_UNICODE_BREAK_RE: Final = patterns.lazy("[\x85\u2028\u2029]")
_BREAK_SPLIT_RE: Final = patterns.lazy(r"([\r\n\x85\u2028\u2029])")
# is_printable: LF, 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD except U+FEFF; nothing astral.
# (Both classes are written as the complement of goyaml's set: a positive class with big
# ranges compiles ten times faster than the negated one, which matters at start-up.)
_NONPRINTABLE_RE: Final = patterns.lazy(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe-\U0010ffff]"
)
# Characters a double-quoted scalar writes unescaped (printable, not a break, not '"' or '\').
_DQ_ESCAPE_RE: Final = patterns.lazy(
    r"[\x00-\x1f\x22\x5c\x7f-\x9f\u2028-\u2029\ud800-\udfff\ufeff\ufffe-\U0010ffff]"
)
_SPACE_BREAK_RE: Final = patterns.lazy(r" [\r\n\x85\u2028\u2029]")
_BREAK_SPACE_RE: Final = patterns.lazy(r"[\r\n\x85\u2028\u2029] ")
_COLON_WS_RE: Final = patterns.lazy(r":(?:[ \t]|\Z)")
_HASH_AFTER_WS_RE: Final = patterns.lazy(r"[ \t\r\n\x85\u2028\u2029\x00]#")

_FIRST_CHAR_INDICATORS: Final = frozenset("#,[]{}&*!|>'\"%@`")

# Plain-safe without further analysis: starts with a letter, '_' or '/', then printable ASCII
# without ':' or '#', not ending in a space. Only the YAML 1.1 bool/null words can resolve.
_FAST_PLAIN_RE: Final = patterns.lazy(r"[A-Za-z_/](?:[ !\"$-9;-~]*[!\"$-9;-~])?")

_SHORT_ESCAPES: Final[dict[int, str]] = {
    0x00: "\\0",
    0x07: "\\a",
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0B: "\\v",
    0x0C: "\\f",
    0x0D: "\\r",
    0x1B: "\\e",
    0x22: '\\"',
    0x5C: "\\\\",
    0x85: "\\N",
    0xA0: "\\_",
    0x2028: "\\L",
    0x2029: "\\P",
}


def _escape_char(ch: str) -> str:
    """The escape sequence ``yaml_emitter_write_double_quoted_scalar`` writes for ``ch``."""
    cp = ord(ch)
    short = _SHORT_ESCAPES.get(cp)
    if short is not None:
        return short
    if 0xD800 <= cp <= 0xDFFF:
        msg = f"lone surrogate U+{cp:04X} cannot be encoded as UTF-8"
        raise ValueError(msg)
    if cp <= 0xFF:
        return f"\\x{cp:02X}"
    if cp <= 0xFFFF:
        return f"\\u{cp:04X}"
    return f"\\U{cp:08X}"


def _escape_match(m: re.Match[str]) -> str:
    return _escape_char(m.group())


# --------------------------------------------------------------------------------------------
# Resolver (resolve.go, encode.go isBase60Float) — does a plain scalar stay a string?
# --------------------------------------------------------------------------------------------

_RESOLVE_WORDS: Final = frozenset(
    [
        *("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"),
        *("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"),
        *("", "~", "null", "Null", "NULL"),
        *(".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF"),
        *("+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"),
        "<<",
    ]
)
_HINT_MAP: Final = frozenset("yYnNtTfFoO~")
_HINT_NUMERIC: Final = frozenset("+-0123456789")

_GO_INT_RE: Final = patterns.lazy(
    r"([+-]?)(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)"
)
_GO_BASE2_RE: Final = patterns.lazy(r"([+-]?)([01]+)")
_YAML_STYLE_FLOAT_RE: Final = patterns.lazy(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
)
_DOT_FLOAT_RE: Final = patterns.lazy(r"\.[0-9_]*(?:[eE][-+]?[0-9][0-9_]*)?")
_BAD_UNDERSCORE_RE: Final = patterns.lazy(r"(?<![0-9])_|_(?![0-9])")
_BASE60_RE: Final = patterns.lazy(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")

_TS_DATE_RE: Final = patterns.lazy(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TS_T_RE: Final = patterns.lazy(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})"
    r"(?:[.,][0-9]+)?(?:Z|[+-]([0-9]{2}):([0-9]{2}))"
)
_TS_SPACE_RE: Final = patterns.lazy(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2}) +([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?"
)
_TS_PREFIX_RE: Final = patterns.lazy(r"[0-9]{4}-")
_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    days = _DAYS_IN_MONTH[month - 1]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        days = 29
    return 1 <= day <= days


def _is_timestamp(s: str) -> bool:
    """goyaml.v2 ``parseTimestamp``: Go ``time.Parse`` with the four allowed layouts."""
    if not _TS_PREFIX_RE.match(s):
        return False
    m = _TS_T_RE.fullmatch(s)
    if m is not None:
        g = m.groups()
        if g[6] is not None and (int(g[6]) > 24 or int(g[7]) > 60):
            return False
    else:
        m = _TS_SPACE_RE.fullmatch(s) or _TS_DATE_RE.fullmatch(s)
        if m is None:
            return False
        g = m.groups()
    if not _valid_date(int(g[0]), int(g[1]), int(g[2])):
        return False
    return len(g) == 3 or (int(g[3]) < 24 and int(g[4]) < 60 and int(g[5]) < 60)


def _float_in_range(text: str) -> bool:
    """Go ``strconv.ParseFloat`` fails with ErrRange exactly when the value rounds to infinity."""
    return not math.isinf(float(text))


# The most digits (leading zeros aside) a uint64 has in each base.
_MAX_UINT64_DIGITS = {2: 64, 8: 22, 10: 20, 16: 16}


def _go_parse_int_base0(plain: str) -> bool:
    """``strconv.ParseInt(plain, 0, 64)`` or ``strconv.ParseUint(plain, 0, 64)`` succeeds."""
    m = _GO_INT_RE.fullmatch(plain)
    if m is None:
        return False
    sign, body = m.groups()
    if len(body) > 2 and body[1] in "bBoOxX":
        base, digits = {"b": 2, "o": 8, "x": 16}[body[1].lower()], body[2:]
    elif body.startswith("0"):
        base, digits = 8, body
    else:
        base, digits = 10, body
    if len(digits.lstrip("0")) > _MAX_UINT64_DIGITS[base]:
        return False  # out of range (and int() refuses strings of more than 4,300 digits)
    value = int(digits, base)
    if sign == "-":
        value = -value
    return _INT64_MIN <= value <= _INT64_MAX or (not sign and value <= _UINT64_MAX)


def _go_parse_base2(text: str) -> bool:
    """``strconv.ParseInt(text, 2, 64)`` or ``strconv.ParseUint(text, 2, 64)`` succeeds."""
    m = _GO_BASE2_RE.fullmatch(text)
    if m is None:
        return False
    sign, digits = m.groups()
    if len(digits.lstrip("0")) > _MAX_UINT64_DIGITS[2]:
        return False
    value = int(digits, 2)
    if sign == "-":
        value = -value
    return _INT64_MIN <= value <= _INT64_MAX or (not sign and value <= _UINT64_MAX)


def _plain_is_str(s: str) -> bool:
    """True if ``s`` written plain resolves to ``!!str`` (goyaml.v2 ``resolve("", s)``) and is
    not a YAML 1.1 base-60 float."""
    if not s:
        return False
    c = s[0]
    if c in _HINT_MAP:
        return s not in _RESOLVE_WORDS
    if c == ".":
        if s in _RESOLVE_WORDS:
            return False
        if _DOT_FLOAT_RE.fullmatch(s) is None:
            return True
        mantissa = re.split("[eE]", s, maxsplit=1)[0]
        if not any("0" <= ch <= "9" for ch in mantissa) or _BAD_UNDERSCORE_RE.search(s):
            return True
        return not _float_in_range(s.replace("_", ""))
    if c not in _HINT_NUMERIC:
        return True
    if s in _RESOLVE_WORDS:
        return False
    if _is_timestamp(s):
        return False
    plain = s.replace("_", "")
    if _go_parse_int_base0(plain):
        return False
    if _YAML_STYLE_FLOAT_RE.fullmatch(plain) and _float_in_range(plain):
        return False
    if plain.startswith("0b"):
        if _go_parse_base2(plain[2:]):
            return False
    elif plain.startswith("-0b") and _go_parse_base2("-" + plain[3:]):
        return False
    # isBase60Float (checked by stringv after resolve).
    return ":" not in s or _BASE60_RE.fullmatch(s) is None


# --------------------------------------------------------------------------------------------
# Style selection (encode.go stringv + emitterc.go analyze_scalar / select_scalar_style)
# --------------------------------------------------------------------------------------------

_STYLE_CACHE: dict[str, int] = {}


def _compute_style(s: str) -> int:
    """The scalar style goyaml.v2 uses for string ``s`` in block context.

    Context-independent for the documents we emit (flow level is always 0; multi-line keys are
    never simple keys, so the simple-key overrides never change the result).
    """
    if not s:
        return _DOUBLE
    if _FAST_PLAIN_RE.fullmatch(s):
        return _DOUBLE if s in _RESOLVE_WORDS else _PLAIN
    if _UNICODE_BREAK_RE.search(s):
        # Deliberately not goyaml.v2: it writes U+0085/U+2028/U+2029 raw (single quotes or a
        # block), and every YAML 1.1 reader (kubectl's included) folds them, so kustomize's
        # output silently changes the value. Double quotes escape them as \N, \L, \P.
        return _DOUBLE
    special = _NONPRINTABLE_RE.search(s) is not None
    if "\n" in s:
        # Literal requested; block_allowed = !(trailing_space || space_break || special).
        if special or s[-1] == " " or _SPACE_BREAK_RE.search(s):
            return _DOUBLE
        return _LITERAL
    if not _plain_is_str(s):
        return _DOUBLE
    line_breaks = _BREAK_RE.search(s) is not None
    first = s[0]
    block_indicators = (
        s.startswith(("---", "..."))
        or first in _FIRST_CHAR_INDICATORS
        or (first in "?:-" and (len(s) == 1 or s[1] in " \t"))
        or _COLON_WS_RE.search(s) is not None
        or _HASH_AFTER_WS_RE.search(s) is not None
    )
    if not (
        special
        or line_breaks
        or block_indicators
        or first == " "
        or s[-1] == " "
        or first in _BREAK_CHARS
        or s[-1] in _BREAK_CHARS
    ):
        return _PLAIN
    if special or _SPACE_BREAK_RE.search(s) or _BREAK_SPACE_RE.search(s):
        return _DOUBLE
    return _SINGLE


_V3_SPECIAL_RE: Final = patterns.lazy(
    r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe-\U0010ffff]"
)


def block_allowed_in_v3(s: str) -> bool:
    """Whether goyaml.v3 keeps a literal or folded style asked for ``s`` (``block_allowed``):
    no character it finds non-printable (it takes TAB and U+0085 as printable, unlike
    goyaml.v2), no trailing space, no space before a line break."""
    return _V3_SPECIAL_RE.search(s) is None and s[-1:] != " " and _SPACE_BREAK_RE.search(s) is None


def literal_block_in_kyaml(s: str) -> bool:
    """Whether kustomize's generator (kyaml asks goyaml.v3 for a literal block for multi-line
    values) really writes ``s`` as one."""
    return "\n" in s and block_allowed_in_v3(s)


def scalar_style(s: str) -> str:
    """The style goyaml writes the string ``s`` in: ``plain``, ``single`` (quotes),
    ``double`` (quotes) or ``literal`` (a block)."""
    return {_PLAIN: "plain", _SINGLE: "single", _DOUBLE: "double"}.get(_style(s), "literal")


def _style(s: str) -> int:
    style = _STYLE_CACHE.get(s)
    if style is None:
        style = _compute_style(s)
        if len(s) <= _CACHE_MAX_LEN:
            if len(_STYLE_CACHE) >= _CACHE_LIMIT:
                _STYLE_CACHE.clear()
            _STYLE_CACHE[s] = style
    return style


# --------------------------------------------------------------------------------------------
# Scalar writers (emitterc.go yaml_emitter_write_*_scalar)
# --------------------------------------------------------------------------------------------


# Fold candidates: a space not preceded by a space (goyaml's ``!spaces``).
_FOLD_CANDIDATE_RE: Final = patterns.lazy(r"(?<! ) ")


def _fold(body: str, col0: int, indent: int, *, double_quoted: bool) -> str:
    """Line folding of a flow scalar's written body (``write_plain_scalar``,
    ``write_single_quoted_scalar`` without line breaks, ``write_double_quoted_scalar``).

    ``body`` is the text between the quotes exactly as written (escapes applied, ``'`` doubled);
    ``col0`` is the column of its first character. A space not preceded by a space, neither the
    first nor the last character (and, unless double-quoted, not followed by a space) is replaced
    by a line break plus indentation once the column passes the best width. Double-quoted
    scalars escape a following space as ``\\ ``.
    """
    last = len(body) - 1
    parts: list[str] = []
    cut = 0
    offset = col0  # column of body[j] is offset + j
    folded = False
    for m in _FOLD_CANDIDATE_RE.finditer(body):
        j = m.start()
        if j in (0, last) or offset + j <= _BEST_WIDTH:
            continue
        next_space = body[j + 1] == " "
        if next_space and not double_quoted:
            continue
        col = offset + j
        parts.append(body[cut:j])
        # write_indent: a break unless (double-quoted only, where ``indention`` stays set after
        # a first fold) the column has not passed the indent yet.
        if not (folded and double_quoted) or col > indent:
            parts.append("\n")
            col = 0
        if col < indent:
            parts.append(" " * (indent - col))
            col = indent
        folded = True
        if next_space:
            parts.append("\\")
            col += 1
        cut = j + 1
        offset = col - cut
    if not parts:
        return body
    parts.append(body[cut:])
    return "".join(parts)


class _Cursor:
    """The bits of emitter state ``write_single_quoted_scalar`` needs around line breaks."""

    __slots__ = ("col", "indent", "indention", "parts", "whitespace")

    def __init__(self, col: int, indent: int) -> None:
        self.parts: list[str] = []
        self.col = col
        self.indent = indent
        self.indention = False
        self.whitespace = False

    def write_indent(self) -> None:
        if (
            not self.indention
            or self.col > self.indent
            or (self.col == self.indent and not self.whitespace)
        ):
            self.parts.append("\n")
            self.col = 0
        if self.col < self.indent:
            self.parts.append(" " * (self.indent - self.col))
            self.col = self.indent
        self.whitespace = True
        self.indention = True


def _single_quoted_breaks(s: str, start: int, indent: int) -> str:
    """Single-quoted scalar containing line breaks (only U+2028/U+2029 can get here), a direct
    port of ``write_single_quoted_scalar``. ``start`` is the column of the opening quote."""
    cur = _Cursor(start + 1, indent)
    parts = cur.parts
    parts.append("'")
    spaces = False
    breaks = False
    last = len(s) - 1
    for i, ch in enumerate(s):
        if ch == " ":
            if not spaces and cur.col > _BEST_WIDTH and 0 < i < last and s[i + 1] != " ":
                cur.write_indent()
            else:
                parts.append(" ")
                cur.col += 1
            spaces = True
        elif ch in _BREAK_CHARS:
            if not breaks and ch == "\n":
                parts.append("\n")
            parts.append(ch)
            cur.col = 0
            cur.indention = True
            breaks = True
        else:
            if breaks:
                cur.write_indent()
            if ch == "'":
                parts.append("'")
                cur.col += 1
            parts.append(ch)
            cur.col += 1
            cur.indention = False
            spaces = False
            breaks = False
    parts.append("'")
    return "".join(parts)


def _double_quoted_body(s: str) -> str:
    if s.startswith("\ufeff"):
        # goyaml.v2 is_bom() looks at byte 0 of the whole value, so every character is escaped.
        return "".join([_escape_char(ch) for ch in s])
    return _DQ_ESCAPE_RE.sub(_escape_match, s)


def _literal(s: str, indent: int) -> str:
    """Literal block scalar including the ``|`` header; ends with the value's last character
    (a line break if the value ends with one)."""
    head = ["|"]
    if s[0] == " " or s[0] in _BREAK_CHARS:
        head.append(str(_BEST_INDENT))
    if s[-1] not in _BREAK_CHARS:
        head.append("-")
    elif len(s) == 1 or s[-2] in _BREAK_CHARS:
        head.append("+")
    head.append("\n")
    pad = " " * indent
    if "\u2028" not in s and "\u2029" not in s:
        body = "\n".join([pad + line if line else "" for line in s.split("\n")])
    else:
        # LS/PS are written raw and reset the column; the next text is indented again.
        pieces = _BREAK_SPLIT_RE.split(s)
        body = "".join([p if p in _BREAK_CHARS else pad + p for p in pieces if p])
    return "".join(head) + body


def _str_value(s: str, col: int, indent: int) -> str:
    """A string in value position (or a complex ``?`` key): the cursor is at column ``col``
    right after an indicator; ``indent`` is the scalar's indentation. Returns the text including
    the separating space and the terminating line break."""
    style = _style(s)
    start = col + 1
    if style == _PLAIN:
        if start + len(s) <= _BEST_WIDTH or " " not in s:
            return f" {s}\n"
        return f" {_fold(s, start, indent, double_quoted=False)}\n"
    if style == _DOUBLE:
        body = _double_quoted_body(s)
        if start + len(body) > _BEST_WIDTH and " " in body:
            body = _fold(body, start + 1, indent, double_quoted=True)
        return f' "{body}"\n'
    if style == _SINGLE:
        if _BREAK_RE.search(s) is not None:
            return f" {_single_quoted_breaks(s, start, indent)}\n"
        body = s.replace("'", "''")
        if start + len(body) > _BEST_WIDTH and " " in body:
            body = _fold(body, start + 1, indent, double_quoted=False)
        return f" '{body}'\n"
    text = _literal(s, indent)
    if s[-1] in _BREAK_CHARS:
        return f" {text}"
    return f" {text}\n"


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------

_KEY_CACHE: dict[str, tuple[str, bool]] = {}


def _compute_key(k: str) -> tuple[str, bool]:
    """(rendered simple key, True) or ("", False) when the key needs the ``? key`` form."""
    if _BREAK_RE.search(k) is not None or len(k.encode("utf-8")) > _MAX_SIMPLE_KEY_BYTES:
        return "", False
    style = _style(k)
    if style == _PLAIN:
        return k, True
    if style == _SINGLE:
        return "'" + k.replace("'", "''") + "'", True
    return f'"{_double_quoted_body(k)}"', True


def _key_info(k: str) -> tuple[str, bool]:
    info = _KEY_CACHE.get(k)
    if info is None:
        if not isinstance(k, str):
            msg = f"mapping keys must be strings, got {type(k).__name__}: {k!r}"
            raise TypeError(msg)
        info = _compute_key(k)
        if len(_KEY_CACHE) >= _CACHE_LIMIT:
            _KEY_CACHE.clear()
        _KEY_CACHE[k] = info
    return info


def _wrap_int64(v: int) -> int:
    return ((v - _INT64_MIN) & _UINT64_MAX) + _INT64_MIN


def _key_less(a: str, b: str) -> bool:
    """goyaml.v2 ``keyList.Less`` for two strings."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    if i == n:
        return len(a) < len(b)
    ca = a[i]
    cb = b[i]
    al = ca.isalpha()
    bl = cb.isalpha()
    if al and bl:
        return ca < cb
    if al or bl:
        return bl
    an = 0
    bn = 0
    if ca == "0" or cb == "0":
        j = i - 1
        while j >= 0 and a[j].isdecimal():
            if a[j] != "0":
                an = 1
                bn = 1
                break
            j -= 1
    ai = i
    while ai < len(a) and a[ai].isdecimal():
        an = an * 10 + ord(a[ai]) - 48
        ai += 1
    bi = i
    while bi < len(b) and b[bi].isdecimal():
        bn = bn * 10 + ord(b[bi]) - 48
        bi += 1
    an = _wrap_int64(an)
    bn = _wrap_int64(bn)
    if an != bn:
        return an < bn
    if ai != bi:
        return ai < bi
    return ca < cb


def _key_cmp(a: str, b: str) -> int:
    if a == b:
        return 0
    return -1 if _key_less(a, b) else 1


_cmp_key: Final = cmp_to_key(_key_cmp)
_SORT_CACHE: dict[tuple[str, ...], list[str]] = {}


def _sorted_keys(keys: tuple[str, ...]) -> list[str]:
    ordered = sorted(keys)  # deterministic starting point, independent of input order
    if all(k.isalpha() for k in ordered):
        return ordered  # letters only: goyaml order == code point order
    return sorted(ordered, key=_cmp_key)


def key_sort(keys: Iterable[str]) -> list[str]:
    """Keys in goyaml.v2 ``keyList.Less`` order.

    ``Less`` is not transitive for some key sets (e.g. ``k11``, ``k1é``, ``k9``), where Go's own
    output varies between runs. For those a stable order is still produced (Python's sort driven
    by ``Less``, over the code-point-sorted keys, so independent of the input order); whenever
    the key set has no cycle the result equals Go's.
    """
    return list(_ordered(tuple(keys)))


def _ordered(keys: tuple[str, ...]) -> list[str]:
    """:func:`key_sort`, the cached list itself (not to be changed)."""
    cached = _SORT_CACHE.get(keys)
    if cached is None:
        for k in keys:
            if not isinstance(k, str):
                msg = f"mapping keys must be strings, got {type(k).__name__}: {k!r}"
                raise TypeError(msg)
        cached = _sorted_keys(keys)
        if len(_SORT_CACHE) >= _CACHE_LIMIT:
            _SORT_CACHE.clear()
        _SORT_CACHE[keys] = cached
    return cached


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


def go_format_g(f: float) -> str:
    """Go ``strconv.FormatFloat(f, 'g', -1, 64)`` for a finite float."""
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    sign = "-" if f < 0 else ""
    from decimal import Decimal  # floats are rare in manifests: keep start-up lean

    _, digit_tuple, exponent = Decimal(repr(abs(f))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    # Decimal point position relative to the start of ``digits`` (before stripping zeros).
    dp = len(digit_tuple) + exponent
    nd = len(digits)
    exp = dp - 1
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if nd > 1 else "")
        esign = "-" if exp < 0 else "+"
        return f"{sign}{mant}e{esign}{abs(exp):02d}"
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= nd:
        return f"{sign}{digits}{'0' * (dp - nd)}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def _format_float(f: float) -> str:
    """A float64 after Go ``encoding/json`` -> goyaml.v2 decode -> goyaml.v2 encode."""
    if math.isnan(f) or math.isinf(f):
        msg = f"json: unsupported value: {f!r}"
        raise ValueError(msg)
    if f.is_integer() and abs(f) < 1e21:
        # encoding/json prints the shortest round-trip digits zero-padded ('f' format, e.g.
        # 2**63 -> 9223372036854776000); goyaml.v2 decodes that as int64/uint64 if it fits.
        from decimal import Decimal

        n = int(Decimal(repr(f)))
        if _INT64_MIN <= n <= _UINT64_MAX:
            return str(n)
    return go_format_g(f)


def _format_int(n: int) -> str:
    if _INT64_MIN <= n <= _UINT64_MAX:
        return str(n)
    # kyaml decodes integers beyond int64/uint64 as float64.
    try:
        as_float = float(n)
    except OverflowError:
        msg = "json: unsupported value: +Inf" if n > 0 else "json: unsupported value: -Inf"
        raise ValueError(msg) from None
    return _format_float(as_float)


def _scalar_text(value: Any) -> str:
    """Rendered non-string scalar (always plain)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return _format_int(value)
    if isinstance(value, float):
        return _format_float(value)
    msg = f"cannot emit value of type {type(value).__name__}: {value!r}"
    raise TypeError(msg)


# --------------------------------------------------------------------------------------------
# Block structure (emitterc.go state machine, specialised)
# --------------------------------------------------------------------------------------------

_PADS: Final = [" " * i for i in range(256)]


def _pad(n: int) -> str:
    return _PADS[n] if n < 256 else " " * n


def _emit_node(value: Any, parent: int, col: int, out: list[str], *, simple: bool) -> None:
    """Emit ``value`` whose cursor sits at column ``col``, right after ``:`` (simple key: the
    ``key:`` form) or after ``-``/complex ``:``. ``parent`` is the indent of the enclosing
    mapping or sequence. Leaves the cursor at column 0 of the next line."""
    if isinstance(value, str):
        out.append(_str_value(value, col, parent + 2))
    elif isinstance(value, Mapping):
        if not value:
            out.append(" {}\n")
        elif simple:
            out.append("\n")
            _emit_mapping(value, parent + 2, out, inline=False)
        else:
            out.append(" ")
            _emit_mapping(value, parent + 2, out, inline=True)
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append(" []\n")
        elif simple:
            # Block sequence in a mapping value: "indentless" (same indent as the key).
            out.append("\n")
            _emit_sequence(value, parent, out, inline=False)
        else:
            out.append(" ")
            _emit_sequence(value, parent + 2, out, inline=True)
    else:
        out.append(f" {_scalar_text(value)}\n")


def _emit_mapping(mapping: Mapping[str, Any], indent: int, out: list[str], *, inline: bool) -> None:
    pad = _pad(indent)
    child = indent + 2
    append = out.append
    for n, key in enumerate(_ordered(tuple(mapping))):
        if n or not inline:
            append(pad)
        rendered, simple = _KEY_CACHE.get(key) or _key_info(key)
        value = mapping[key]
        if not simple:
            append("?")
            append(_str_value(key, indent + 1, child))
            append(pad)
            append(":")
            _emit_node(value, indent, indent + 1, out, simple=False)
            continue
        # the common values written here directly; each as _emit_node writes it
        kind = type(value)
        if kind is str:
            col = indent + len(rendered) + 1
            if _STYLE_CACHE.get(value) == _PLAIN and (
                col + 1 + len(value) <= _BEST_WIDTH or " " not in value
            ):
                append(f"{rendered}: {value}\n")
            else:
                append(f"{rendered}:{_str_value(value, col, child)}")
        elif kind is dict and value:
            append(f"{rendered}:\n")
            _emit_mapping(value, child, out, inline=False)
        elif kind is list and value:
            append(f"{rendered}:\n")
            _emit_sequence(value, indent, out, inline=False)
        else:
            append(rendered)
            append(":")
            _emit_node(value, indent, indent + len(rendered) + 1, out, simple=True)


def _emit_sequence(seq: Sequence[Any], indent: int, out: list[str], *, inline: bool) -> None:
    pad = _pad(indent)
    append = out.append
    for n, item in enumerate(seq):
        if n or not inline:
            append(pad)
        if type(item) is dict and item:  # (as _emit_node writes it)
            append("- ")
            _emit_mapping(item, indent + 2, out, inline=True)
        else:
            append("-")
            _emit_node(item, indent, indent + 1, out, simple=False)


def emit_document(document: Mapping[str, Any]) -> str:
    """One document as goyaml.v2 ``Marshal`` prints it (ends with a line break)."""
    if not isinstance(document, Mapping):
        msg = f"a document must be a mapping, got {type(document).__name__}"
        raise TypeError(msg)
    if not document:
        return "{}\n"
    out: list[str] = []
    _emit_mapping(document, 0, out, inline=False)
    return "".join(out)


def emit_stream(documents: Sequence[Mapping[str, Any]]) -> str:
    """The YAML stream kustomize prints: documents joined by '---\\n', each ending in '\\n';
    '' for no documents."""
    return "---\n".join([emit_document(doc) for doc in documents])
