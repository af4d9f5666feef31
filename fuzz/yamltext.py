"""YAML text in randomly drawn styles: a tiny node model and a writer.

A tree generator describes a document as nodes (:class:`Map`, :class:`Seq`, strings and verbatim
tokens, anchors and aliases); :func:`write_document` writes it choosing, at random but valid,
between block and flow collections, plain, single-quoted, double-quoted (with escapes) and
literal block scalars, sequence indentation and comments. The text always reads back as the
nodes describe it, so every difference between two builders of the same text is theirs.
"""

from __future__ import annotations

import random
import re
from typing import NamedTuple


class Str(NamedTuple):
    """A string, written in a style drawn among those that read back as the same string."""

    value: str


class Tok(NamedTuple):
    """A scalar written verbatim, e.g. ``0o17``, ``yes``, ``~`` or ``2001-12-14``."""

    text: str
    flow_safe: bool = True


class Block(NamedTuple):
    """A block scalar written verbatim: its header (``|+``, ``>2-``) and its unindented lines."""

    header: str
    lines: tuple[str, ...]


class Map(NamedTuple):
    """A mapping; keys are scalars (``Str`` or ``Tok``)."""

    items: tuple[tuple[Node, Node], ...]


class Seq(NamedTuple):
    """A sequence."""

    items: tuple[Node, ...]


class Anchor(NamedTuple):
    """``&name`` on a node."""

    name: str
    node: Node


class Alias(NamedTuple):
    """``*name``."""

    name: str


Node = Str | Tok | Block | Map | Seq | Anchor | Alias


class Style(NamedTuple):
    """How often the writer picks each optional form."""

    flow: float = 0.15
    comment: float = 0.08
    quote: float = 0.3
    escape: float = 0.3
    indent_seq: float = 0.3


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
_RESOLVING = re.compile(
    r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL"
)
_ESCAPES = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
_COMMENTS = ("a comment", "TODO: check", "é ü 日本 😀", "key: value # not data", "---", "")


def printable(char: str) -> bool:
    """Whether YAML allows ``char`` raw in a quoted scalar (``c-printable`` minus the BOM)."""
    code = ord(char)
    if code in {0x09, 0x0A, 0x0D, 0x85}:
        return True
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or code >= 0x10000
    )


def _block_allowed(value: str) -> bool:
    if "\n" not in value or not value.rstrip("\n"):
        return False
    return all(
        char in "\t\n" or (printable(char) and char not in "\r\x85\u2028\u2029") for char in value
    )


def quote_double(rng: random.Random, value: str, style: Style) -> str:
    """``value`` as a double-quoted scalar, escaping what must be and some of what may be."""
    out = []
    for char in value:
        if char in _ESCAPES and (char in '"\\\n\r' or not printable(char) or rng.random() < 0.5):
            out.append(_ESCAPES[char])
        elif not printable(char):
            out.append(f"\\x{ord(char):02X}" if ord(char) < 0x100 else f"\\u{ord(char):04X}")
        elif ord(char) > 0x7E and rng.random() < style.escape:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _single_allowed(value: str) -> bool:
    return all(printable(char) and char not in "\n\r\x85\u2028\u2029" for char in value)


def scalar_text(rng: random.Random, value: str, style: Style) -> str:
    """``value`` as a one-line scalar (plain, single- or double-quoted)."""
    if (
        _PLAIN.fullmatch(value)
        and not _RESOLVING.fullmatch(value)
        and len(value) < 200
        and rng.random() >= style.quote
    ):
        return value
    if _single_allowed(value) and rng.random() < 0.5:
        return "'" + value.replace("'", "''") + "'"
    return quote_double(rng, value, style)


def literal_block(rng: random.Random, value: str) -> Block:
    """``value`` as a literal block scalar with the chomping indicator it needs."""
    body = value.rstrip("\n")
    trailing = len(value) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    lines = tuple(body.split("\n")) + ("",) * max(0, trailing - 1)
    needs_indicator = body[0] in " \n" or not lines[0].strip()
    indicator = "2" if needs_indicator or rng.random() < 0.2 else ""
    header = "|" + (indicator + chomp if rng.random() < 0.5 else chomp + indicator)
    return Block(header, lines)


def _has_block(node: Node) -> bool:
    match node:
        case Block():
            return True
        case Map(items):
            return any(_has_block(key) or _has_block(value) for key, value in items)
        case Seq(items):
            return any(_has_block(item) for item in items)
        case Anchor(_, inner):
            return _has_block(inner)
        case _:
            return False


def _flow_safe(node: Node) -> bool:
    match node:
        case Tok(_, safe):
            return safe
        case Map(items):
            return all(_flow_safe(key) and _flow_safe(value) for key, value in items)
        case Seq(items):
            return all(_flow_safe(item) for item in items)
        case Anchor(_, inner):
            return _flow_safe(inner)
        case _:
            return not _has_block(node)


class _Writer:
    def __init__(self, rng: random.Random, style: Style) -> None:
        self.rng = rng
        self.style = style

    def comment(self) -> str:
        if self.rng.random() >= self.style.comment:
            return ""
        return "  # " + self.rng.choice(_COMMENTS)

    def line_comment(self, pad: str) -> str:
        if self.rng.random() >= self.style.comment:
            return ""
        return f"{pad}# {self.rng.choice(_COMMENTS)}\n"

    def inline(self, node: Node) -> str:
        match node:
            case Str(value):
                return scalar_text(self.rng, value, self.style)
            case Tok(text):
                return text
            case Map(items):
                inner = ", ".join(f"{self.inline(k)}: {self.inline(v)}" for k, v in items)
                return "{" + inner + "}"
            case Seq(items):
                return "[" + ", ".join(self.inline(item) for item in items) + "]"
            case Anchor(name, inner):
                return f"&{name} {self.inline(inner)}"
            case Alias(name):
                return f"*{name}"
            case Block():
                message = "a block scalar cannot be written in flow style"
                raise ValueError(message)

    def as_flow(self, node: Node) -> bool:
        if isinstance(node, Map | Seq) and not node.items:
            return True
        return _flow_safe(node) and self.rng.random() < self.style.flow

    def block_scalar(self, block: Block, indent: int) -> str:
        match = re.search(r"\d", block.header)
        pad = " " * (indent + (int(match.group()) if match else 2))
        body = "".join(f"{pad}{line}\n" if line else "\n" for line in block.lines)
        return f"{block.header}{self.comment()}\n{body}"

    def value_after(self, node: Node, indent: int) -> str:
        """What follows ``key:`` or ``-`` at ``indent``: text starting with a space or newline."""
        if isinstance(node, Anchor):
            rest = self.value_after(node.node, indent)
            return f" &{node.name}{rest}"
        if isinstance(node, Str) and _block_allowed(node.value) and self.rng.random() < 0.6:
            node = literal_block(self.rng, node.value)
        if isinstance(node, Block):
            return " " + self.block_scalar(node, indent)
        if isinstance(node, Map | Seq) and not self.as_flow(node):
            return f"{self.comment()}\n{self.block(node, indent + 2)}"
        return f" {self.inline(node)}{self.comment()}\n"

    def block(self, node: Map | Seq, indent: int) -> str:
        pad = " " * indent
        out = []
        if isinstance(node, Map):
            for index, (key, value) in enumerate(node.items):
                if index:
                    out.append(self.line_comment(pad))
                inner = indent
                if (
                    isinstance(value, Seq)
                    and value.items
                    and self.rng.random() >= (self.style.indent_seq)
                ):
                    inner = indent - 2
                out.append(f"{pad}{self.inline(key)}:{self.value_after(value, inner)}")
            return "".join(out)
        for item in node.items:
            if isinstance(item, Map | Seq) and item.items and not self.as_flow(item):
                text = self.block(item, indent + 2)
                out.append(pad + "- " + text[indent + 2 :])
            else:
                out.append(f"{pad}-{self.value_after(item, indent)}")
        return "".join(out)


def write_document(rng: random.Random, node: Map | Seq, style: Style) -> str:
    """One document's text (block style at the top, so comments may come first)."""
    writer = _Writer(rng, style)
    if not node.items:
        return writer.inline(node) + "\n"
    return writer.line_comment("") + writer.block(node, 0)
