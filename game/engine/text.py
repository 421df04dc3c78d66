"""Story prose: paragraphs and `{variable}` interpolation, split once at load.

Only a plain variable name may stand between braces. That is a safety rule, not
a style rule: `str.format` would let `{x.__class__}` walk into Python objects,
so we never hand author text to it; we split the template ourselves and render
it by joining literal pieces with variable values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from game.engine.expressions import Value

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class TemplateError(Exception):
    """A malformed template, at `offset` (0-based) within the text."""

    def __init__(self, message: str, offset: int, snippet: str):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.snippet = snippet


@dataclass(frozen=True, slots=True)
class Template:
    """Prose split into literal pieces (str) and variable names (tuple of one name)."""

    source: str
    parts: tuple[str | tuple[str], ...]
    names: tuple[str, ...]
    #: Offsets of each name in `source`, for located errors.
    offsets: tuple[int, ...]

    def render(self, variables: Mapping[str, Value]) -> str:
        if not self.names:
            return self.parts[0] if self.parts else ""  # type: ignore[return-value]
        out = []
        for part in self.parts:
            if type(part) is str:
                out.append(part)
            else:
                out.append(format_value(variables[part[0]]))
        return "".join(out)


def format_value(value: Value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def parse_template(source: str) -> Template:
    """Split `source` into pieces, raising `TemplateError` on a bad placeholder."""
    parts: list[str | tuple[str]] = []
    names: list[str] = []
    offsets: list[int] = []
    literal: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "{":
            if source.startswith("{{", i):
                literal.append("{")
                i += 2
                continue
            end = source.find("}", i + 1)
            if end < 0:
                raise TemplateError("'{' is never closed: write '{{' for a literal brace", i, "{")
            inner = source[i + 1 : end]
            name = inner.strip()
            if not _NAME.match(name):
                raise TemplateError(
                    f"only a plain variable name may stand between braces, not '{{{inner}}}'"
                    " (write '{{' and '}}' for literal braces)",
                    i,
                    source[i : end + 1],
                )
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append((name,))
            names.append(name)
            offsets.append(i + 1 + inner.index(name))
            i = end + 1
        elif c == "}":
            if source.startswith("}}", i):
                literal.append("}")
                i += 2
                continue
            raise TemplateError("unmatched '}': write '}}' for a literal brace", i, "}")
        else:
            literal.append(c)
            i += 1
    if literal:
        parts.append("".join(literal))
    return Template(source, tuple(parts), tuple(names), tuple(offsets))


_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are joined."""
    paragraphs = []
    for block in _BLANK_LINES.split(text.strip()):
        joined = " ".join(line.strip() for line in block.splitlines())
        if joined:
            paragraphs.append(joined)
    return paragraphs
