"""Story prose: paragraphs and `{variable}` interpolation, split once at load.

Only a plain variable name may stand between braces. That is a safety rule, not
a style rule: `str.format` would let `{x.__class__}` walk into Python objects,
so we never hand author text to it; we split the template ourselves and render
it by joining literal pieces with variable values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import cast

from msgspec import Struct

from game.engine.expressions import Value

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class TemplateError(Exception):
    """A malformed template, at `offset` (0-based) within the text."""

    def __init__(self, message: str, offset: int, snippet: str):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.snippet = snippet


class Template(Struct, frozen=True, array_like=True, gc=False):
    """Prose split into literal pieces (str) and variable names (tuple of one name)."""

    source: str
    parts: tuple[str | tuple[str], ...]
    names: tuple[str, ...]
    #: Offsets of each name in `source`, for located errors.
    offsets: tuple[int, ...]
    #: The parts as a format string of our own making: literal braces doubled,
    #: each name an anonymous `{}`. Author text never becomes a field name, so
    #: `str.format` here only ever places the values it is handed, in order.
    pattern: str

    def render(self, variables: Mapping[str, Value]) -> str:
        names = self.names
        if not names:
            return cast(str, self.parts[0]) if self.parts else ""  # with no names, every part is text
        values = [variables[name] for name in names]
        return self.pattern.format(*[format_value(v) if v.__class__ is bool else v for v in values])


def format_value(value: Value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


#: At each position, in this order: an escaped brace, a placeholder, a lone brace.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^}]*)\}|[{}]")


def parse_template(source: str) -> Template:
    """Split `source` into pieces, raising `TemplateError` on a bad placeholder."""
    if "{" not in source and "}" not in source:  # most prose: one literal piece
        return Template(source, (source,) if source else (), (), (), source)
    parts: list[str | tuple[str]] = []
    names: list[str] = []
    offsets: list[int] = []
    literal: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(source):
        start = m.start()
        if start > pos:
            literal.append(source[pos:start])
        token = m.group()
        pos = m.end()
        if token == "{{":
            literal.append("{")
        elif token == "}}":
            literal.append("}")
        elif token == "{":
            raise TemplateError("'{' is never closed: write '{{' for a literal brace", start, "{")
        elif token == "}":
            raise TemplateError("unmatched '}': write '}}' for a literal brace", start, "}")
        else:
            inner = m.group(1)
            name = inner.strip()
            if not _NAME.match(name):
                raise TemplateError(
                    f"only a plain variable name may stand between braces, not '{{{inner}}}'"
                    " (write '{{' and '}}' for literal braces)",
                    start,
                    token,
                )
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append((name,))
            names.append(name)
            offsets.append(start + 1 + inner.index(name))
    if pos < len(source):
        literal.append(source[pos:])
    if literal:
        parts.append("".join(literal))
    pattern = "".join(p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{}" for p in parts)
    return Template(source, tuple(parts), tuple(names), tuple(offsets), pattern)


_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are joined."""
    if text.isprintable():  # one line (no break of any kind): one paragraph, or none
        text = text.strip()
        return [text] if text else []
    paragraphs = []
    for block in _BLANK_LINES.split(text.strip()):
        joined = " ".join(line.strip() for line in block.splitlines())
        if joined:
            paragraphs.append(joined)
    return paragraphs
