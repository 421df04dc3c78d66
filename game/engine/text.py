"""Story prose: paragraphs and the brace language of templates, parsed once at load.

Format 1 lets only a plain variable name stand between braces (`{keeper}`).
Format 2 lets an author write, inside one paragraph:

* `{expression}`: any expression, shown as text (`{visits(lab) + 1}`);
* `{if cond: text | elif cond: text | else: text}`: text chosen by a condition;
* `{seq: A | B | C}`, `{cycle: A | B}`, `{once: A | B}`, `{shuffle: A | B}`: text
  chosen by how many times the scene has been entered (stopping at the last, going
  round, then nothing, in a shuffled order seeded by the game);
* `{>snippet}`: a named text of story.yaml's `snippets`.

Alternatives nest, and `||` is a literal `|` inside them. At the top level `{{` and
`}}` stay literal braces, as in format 1.

That is a safety rule as much as a language: `str.format` would let
`{x.__class__}` walk into Python objects, so author text never reaches it. We
split the template ourselves; every expression goes through the story's own
evaluator (`game.engine.expressions`), type-checked by the compiler.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias, cast

from msgspec import Struct

from game.engine.errors import did_you_mean
from game.engine.expressions import Expression, Literal, Name, Value, ValueType

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: The kinds of alternatives chosen by visits, and the conditional one.
SEQUENCES = ("seq", "cycle", "once", "shuffle")
_SEQUENCE = re.compile(r"\s*(seq|cycle|once|shuffle)\s*:")
_IF = re.compile(r"\s*if\s")
_ELIF = re.compile(r"\s*elif\s")
_ELSE = re.compile(r"\s*else\s*:")
#: Nesting of alternatives deeper than this is refused at load.
MAX_TEMPLATE_DEPTH = 16
_NO_VISITS: Mapping[str, int] = {}


class TemplateError(Exception):
    """A malformed template, at `offset` (0-based) within the text."""

    def __init__(self, message: str, offset: int, snippet: str):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.snippet = snippet


class Show(Struct, frozen=True, array_like=True, gc=False, tag="S"):
    """`{expression}`: the value of an expression, as text."""

    expression: Expression


class Arm(Struct, frozen=True, array_like=True, gc=False):
    """One alternative: its condition (for `if`/`elif`) and its text."""

    pieces: tuple[Piece, ...]
    condition: Expression | None = None


class Alternatives(Struct, frozen=True, array_like=True, gc=False, tag="A"):
    """`{if ...}` or `{seq|cycle|once|shuffle: ...}`; `salt` keeps each shuffle's order its own."""

    kind: str
    arms: tuple[Arm, ...]
    salt: int = 0


Piece: TypeAlias = str | Show | Alternatives
#: How the compiler turns expression text at an offset into a checked Expression (None: reported).
ExpressionCompiler: TypeAlias = Callable[[str, int, "ValueType | None"], "Expression | None"]


class Template(Struct, frozen=True, array_like=True, gc=False):
    """Prose split into literal pieces (str) and variable names (tuple of one name).

    A template of format 2 that uses more than `{name}` keeps its parsed `pieces`
    and renders through them; every other template renders through `pattern`.
    """

    source: str
    parts: tuple[str | tuple[str], ...]
    names: tuple[str, ...]
    #: Offsets of each name in `source`, for located errors.
    offsets: tuple[int, ...]
    #: The parts as a format string of our own making: literal braces doubled,
    #: each name an anonymous `{}`. Author text never becomes a field name, so
    #: `str.format` here only ever places the values it is handed, in order.
    pattern: str
    pieces: tuple[Piece, ...] = ()

    def renderer(self) -> Renderer:
        """`render` as one function, made once and called at every step."""
        if self.pieces:
            return compile_pieces(self.pieces, strip=True)
        names = self.names
        if not names:
            text = cast(str, self.parts[0]) if self.parts else ""
            return lambda variables, visits, seen, seed: text
        pattern = self.pattern
        if len(names) == 1:
            (only,) = names

            def one(variables: Mapping[str, Value], visits: Mapping[str, int], seen: int, seed: int) -> str:
                value = variables[only]
                return pattern.format(value if value.__class__ in (int, str) else format_value(value))

            return one
        return lambda variables, visits, seen, seed: pattern.format(
            *[v if v.__class__ in (int, str) else format_value(v) for v in [variables[n] for n in names]]
        )

    @property
    def constant(self) -> bool:
        """Whether it reads the same in every state."""
        return not self.names and not self.pieces

    @property
    def expressions(self) -> list[Expression]:
        """Every expression the template evaluates (conditions included), in the order written."""
        out: list[Expression] = []
        stack: list[Piece] = list(reversed(self.pieces))
        while stack:
            piece = stack.pop()
            if isinstance(piece, Show):
                out.append(piece.expression)
            elif isinstance(piece, Alternatives):
                for arm in reversed(piece.arms):
                    stack.extend(reversed(arm.pieces))
                    if arm.condition is not None:
                        stack.append(Show(arm.condition))
        return out

    @property
    def reads(self) -> set[str]:
        """Every variable the template reads."""
        out = set(self.names)
        for expression in self.expressions:
            out |= expression.reads
        return out

    def render(
        self, variables: Mapping[str, Value], visits: Mapping[str, int] = _NO_VISITS, seen: int = 1, seed: int = 0
    ) -> str:
        """The text in a state: `seen` is how many times the scene has been entered, `seed` the game's.
        (A scene's plan calls `renderer()` once and keeps it.)"""
        if self.pieces:
            return compile_pieces(self.pieces, strip=True)(variables, visits, seen, seed)
        names = self.names
        if not names:
            return cast(str, self.parts[0]) if self.parts else ""  # with no names, every part is text
        values = [variables[name] for name in names]
        return self.pattern.format(*[v if v.__class__ in (int, str) else format_value(v) for v in values])


def format_value(value: Value) -> str:
    """A value as a player reads it: `true`, `3`, text as it is, a set as its items in order."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    return str(value)


#: What a template renders with: variables, visits, the scene's visits so far, the game's seed.
Renderer: TypeAlias = Callable[[Mapping[str, Value], Mapping[str, int], int, int], str]
#: Text that closes the gap an empty alternative leaves before it (`You wait {once: long}.`).
_GAP_CLOSERS = (" ", ",", ".", ";", ":", "!", "?", ")")


def compile_pieces(pieces: tuple[Piece, ...], strip: bool = False) -> Renderer:
    """Turn pieces into one function of the state, as expressions are compiled into closures: a
    scene's plan compiles its texts once and calls them at every step. `strip`: without the
    spaces at either end (a whole template; an alternative keeps its own)."""
    if all(piece.__class__ is str for piece in pieces):  # words only: the same every time
        words = "".join(cast(tuple[str, ...], pieces))
        if strip:
            words = words.strip()
        return lambda variables, visits, seen, seed: words
    # (kind, step): 0 words, 1 a variable's name (read in place: the commonest value shown),
    # 2 any other expression's closure, 3 alternatives.
    steps: list[tuple[int, Any]] = []
    for piece in pieces:
        if isinstance(piece, str):
            steps.append((0, piece))
        elif isinstance(piece, Show):
            node = piece.expression.node
            steps.append((1, node.name) if isinstance(node, Name) else (2, piece.expression.evaluate))
        else:
            steps.append((3, _compile_alternatives(piece)))

    def render(variables: Mapping[str, Value], visits: Mapping[str, int], seen: int, seed: int) -> str:
        out: list[str] = []
        gap = False
        for kind, step in steps:
            if kind == 0:
                if gap and out and out[-1].endswith(" ") and step.startswith(_GAP_CLOSERS):
                    out[-1] = out[-1].rstrip(" ")
                out.append(step)
                gap = False
            elif kind != 3:
                value: Any = variables[step] if kind == 1 else step(variables, visits)
                cls = value.__class__  # a number is the commonest value shown: no call for it
                out.append(value if cls is str else str(value) if cls is int else format_value(value))
                gap = False
            else:
                text = step(variables, visits, seen, seed)
                gap = not text
                if text:
                    out.append(text)
        return "".join(out).strip() if strip else "".join(out)

    return render


def _compile_alternatives(alternatives: Alternatives) -> Renderer:
    arms = [compile_pieces(arm.pieces) for arm in alternatives.arms]
    kind = alternatives.kind
    count = len(arms)
    if kind == "if":
        tests = [None if arm.condition is None else arm.condition.evaluate for arm in alternatives.arms]
        only_test = tests[0]
        if count == 1 and only_test is not None:  # `{if x: ...}` alone, the commonest: one test, one arm
            only_arm = arms[0]
            return lambda variables, visits, seen, seed: (
                only_arm(variables, visits, seen, seed) if only_test(variables, visits) else ""
            )
        pairs = list(zip(tests, arms, strict=True))

        def conditional(variables: Mapping[str, Value], visits: Mapping[str, int], seen: int, seed: int) -> str:
            for test, arm in pairs:
                if test is None or test(variables, visits):
                    return arm(variables, visits, seen, seed)
            return ""

        return conditional
    salt = alternatives.salt

    def sequence(variables: Mapping[str, Value], visits: Mapping[str, int], seen: int, seed: int) -> str:
        k = seen - 1 if seen > 0 else 0
        if kind == "seq":
            index = k if k < count else count - 1
        elif kind == "cycle":
            index = k % count
        elif kind == "once":
            if k >= count:
                return ""
            index = k
        else:  # shuffle: each arm once per round, each round in its own order, seeded by the game
            order = list(range(count))
            random.Random(seed * 1_000_003 + salt * 7_919 + k // count).shuffle(order)
            index = order[k % count]
        return arms[index](variables, visits, seen, seed)

    return sequence


# --------------------------------------------------------------------------- parsing


def parse_template(
    source: str,
    version: int = 1,
    compile_expression: ExpressionCompiler | None = None,
    snippets: Mapping[str, tuple[Piece, ...]] | None = None,
) -> Template:
    """Parse `source`, raising `TemplateError` on a malformed brace.

    Format 1 (or no `compile_expression`): only `{name}` between braces. Format 2:
    the whole brace language; each expression is handed to `compile_expression`
    with its offset, which reports its mistakes and returns None for them.
    """
    if "{" not in source and "}" not in source:  # most prose: one literal piece
        return Template(source, (source,) if source else (), (), (), source)
    parser = _Parser(source, version if compile_expression is not None else 1, compile_expression, snippets or {})
    pieces = parser.top()
    if parser.failed:
        raise _Reported()
    names: list[str] = []
    offsets: list[int] = []
    parts: list[str | tuple[str]] = []
    for piece, offset in zip(pieces, parser.offsets, strict=True):
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, Show) and _NAME.match(piece.expression.source.strip()):
            name = piece.expression.source.strip()
            parts.append((name,))
            names.append(name)
            offsets.append(offset)
        else:
            names = []
            break
    else:
        pattern = "".join(p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{}" for p in parts)
        return Template(source, tuple(parts), tuple(names), tuple(offsets), pattern)
    return Template(source, (), (), (), "", tuple(pieces))


class _Reported(TemplateError):
    """Every mistake of the template was reported through the expression compiler already."""

    def __init__(self) -> None:
        super().__init__("", 0, "")


def template_failed(exc: TemplateError) -> bool:
    """Whether `exc` is a mistake still to report (not one reported already)."""
    return not isinstance(exc, _Reported)


class _Parser:
    """One template's braces, read left to right; alternatives by recursive descent."""

    def __init__(
        self,
        source: str,
        version: int,
        compile_expression: ExpressionCompiler | None,
        snippets: Mapping[str, tuple[Piece, ...]],
    ) -> None:
        self.s = source
        self.version = version
        self.compile_expression = compile_expression
        self.snippets = snippets
        self.failed = False
        #: Where each top-level piece starts (a `{name}`: where the name starts).
        self.offsets: list[int] = []

    # ------------------------------------------------------------------ the top level

    def top(self) -> list[Piece]:
        s, n = self.s, len(self.s)
        pieces: list[Piece] = []
        literal: list[str] = []
        i = 0
        while i < n:
            c = s[i]
            if c == "{" and s.startswith("{{", i):
                literal.append("{")
                i += 2
            elif c == "}" and s.startswith("}}", i):
                literal.append("}")
                i += 2
            elif c == "}":
                raise TemplateError("unmatched '}': write '}}' for a literal brace", i, "}")
            elif c == "{":
                if literal:
                    pieces.append("".join(literal))
                    self.offsets.append(-1)
                    literal = []
                piece, offset, i = self.group(i, 1)
                if piece is not None:
                    pieces.append(piece)
                    self.offsets.append(offset)
            else:
                j = i + 1
                while j < n and s[j] not in "{}":
                    j += 1
                literal.append(s[i:j])
                i = j
        if literal:
            pieces.append("".join(literal))
            self.offsets.append(-1)
        return pieces

    # ------------------------------------------------------------------ one group in braces

    def group(self, start: int, depth: int) -> tuple[Piece | None, int, int]:
        """The group opening at `start`: (its piece, where its content starts, the index after it)."""
        s = self.s
        close = self.closing(start)
        inner = s[start + 1 : close]
        if self.version < 2:
            name = inner.strip()
            if not _NAME.match(name):
                hint = (
                    "; expressions, conditions and sequences in braces need 'format: 2' in story.yaml" if name else ""
                )
                raise TemplateError(
                    f"only a plain variable name may stand between braces, not '{{{inner}}}'"
                    f" (write '{{{{' and '}}}}' for literal braces){hint}",
                    start,
                    s[start : close + 1],
                )
            offset = start + 1 + inner.index(name)
            return Show(Expression(name, Name(name, offset), None)), offset, close + 1
        if depth > MAX_TEMPLATE_DEPTH:
            raise TemplateError(f"alternatives nested more than {MAX_TEMPLATE_DEPTH} deep", start, "{")
        if inner.lstrip().startswith(">"):
            return self.snippet(start, inner), start + 1, close + 1
        sequence = _SEQUENCE.match(inner)
        if sequence is not None:
            arms = self.arms(start + 1 + sequence.end(), close, depth)
            kind = sequence.group(1)
            salt = zlib.crc32(f"{start}:{s}".encode()) if kind == "shuffle" else 0
            return Alternatives(kind, tuple(Arm(p) for p, _ in arms), salt), start + 1, close + 1
        if _IF.match(inner):
            return self.conditional(start, close, depth), start + 1, close + 1
        lead = re.match(r"\s*(else|elif)\b", inner)
        if lead is not None:
            word = lead.group(1)
            raise TemplateError(
                f"'{word}' comes after an 'if': write '{{if condition: text | {word} …}}'",
                start + 1 + lead.start(1),
                word,
            )
        bare = re.match(r"\s*(seq|cycle|once|shuffle)\b", inner)
        if bare is not None and "|" in inner:
            word = bare.group(1)
            raise TemplateError(
                f"'{word}' needs a ':' before its text: write it as '{{{word}: A | B}}'",
                start + 1 + bare.start(1),
                word,
            )
        stripped = inner.strip()
        if not stripped:
            raise TemplateError("empty braces: write '{{' and '}}' for literal braces", start, "{")
        offset = start + 1 + inner.index(stripped)
        expression = self.expression(stripped, offset, None)
        return (None if expression is None else Show(expression)), offset, close + 1

    def closing(self, start: int) -> int:
        """The index of the `}` that closes the group opening at `start` (nested groups respected;
        a brace inside an expression's quoted string is not supported: prose apostrophes are not quotes)."""
        s, n = self.s, len(self.s)
        depth = 0
        i = start
        while i < n:
            c = s[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    if _BLANK_LINES.search(s, start, i):
                        raise TemplateError(
                            "braces cannot span paragraphs: close the '{' before the blank line"
                            " (for a conditional paragraph, give it an 'if')",
                            start,
                            "{",
                        )
                    return i
            i += 1
        raise TemplateError("'{' is never closed: write '{{' for a literal brace", start, "{")

    def arms(self, begin: int, end: int, depth: int) -> list[tuple[tuple[Piece, ...], int]]:
        """The arms between `begin` and `end`, split at each `|` of this level: (pieces, where each starts)."""
        s = self.s
        out: list[tuple[tuple[Piece, ...], int]] = []
        pieces: list[Piece] = []
        literal: list[str] = []
        arm_start = begin
        i = begin
        while i <= end:
            c = s[i] if i < end else "|"
            if c == "|" and i < end and s.startswith("||", i):
                literal.append("|")
                i += 2
            elif c == "|":
                if literal:
                    pieces.append("".join(literal))
                out.append((_trim(pieces), arm_start))
                pieces, literal = [], []
                arm_start = i + 1
                i += 1
            elif c == "{":
                if literal:
                    pieces.append("".join(literal))
                    literal = []
                piece, _, i = self.group(i, depth + 1)
                if piece is not None:
                    pieces.append(piece)
            else:
                j = i + 1
                while j < end and s[j] not in "{|":
                    j += 1
                literal.append(s[i:j])
                i = j
        return out

    def conditional(self, start: int, close: int, depth: int) -> Alternatives:
        """`{if c: A | elif c: B | else: C}`; a last arm without a keyword is the `else`."""
        arms: list[Arm] = []
        raw = self.arms(start + 1, close, depth)
        s = self.s
        last = len(raw) - 1
        for index, (pieces, at) in enumerate(raw):
            head = pieces[0] if pieces and isinstance(pieces[0], str) else ""
            keyword = _IF if index == 0 else _ELIF
            found = keyword.match(head) if head else None
            if found is None and index > 0:
                otherwise = _ELSE.match(head) if head else None
                if otherwise is not None or index == last:
                    rest = head[otherwise.end() :] if otherwise is not None else head
                    if otherwise is None and head.lstrip().startswith(("elif", "else")):
                        raise TemplateError(
                            "write 'elif condition: text' or 'else: text' (each with its colon)",
                            at + len(head) - len(head.lstrip()),
                            head.strip()[:4],
                        )
                    arms.append(Arm(_trim([rest, *pieces[1:]])))
                    if index != last:
                        raise TemplateError("'else' must be the last alternative", raw[index + 1][1], "|")
                    continue
                raise TemplateError(
                    "each alternative after the first starts with 'elif condition:' or 'else:'", at, s[at : at + 1]
                )
            if found is None:
                raise TemplateError("expected 'if condition: text'", start + 1, "if")
            colon = _condition_end(head, found.end())
            if colon < 0:
                raise TemplateError(
                    f"'{found.group().strip()}' needs a ':' after its condition, before the text", at, head.strip()[:4]
                )
            condition_text = head[found.end() : colon]
            stripped = condition_text.strip()
            offset = at + found.end() + condition_text.index(stripped) if stripped else at + found.end()
            if not stripped:
                raise TemplateError(f"'{found.group().strip()}' needs a condition before its ':'", offset, ":")
            condition = self.expression(stripped, offset, "bool")
            arms.append(Arm(_trim([head[colon + 1 :], *pieces[1:]]), condition if condition is not None else _FALSE))
        return Alternatives("if", tuple(arms))

    def snippet(self, start: int, inner: str) -> Alternatives:
        name = inner.strip()[1:].strip()
        found = self.snippets.get(name)
        if found is None:
            known = f"; story.yaml's 'snippets' name: {', '.join(self.snippets)}" if self.snippets else ""
            hint = did_you_mean(name, self.snippets) or known or "; define it in story.yaml under 'snippets:'"
            at = start + 1 + inner.index(name) if name else start
            raise TemplateError(f"unknown snippet '{name}'{hint}", at, name or "{")
        return Alternatives("if", (Arm(found),))

    def expression(self, text: str, offset: int, want: ValueType | None) -> Expression | None:
        assert self.compile_expression is not None, "format 2 always compiles its expressions"
        expression = self.compile_expression(text, offset, want)
        if expression is None:
            self.failed = True
        return expression


#: Stands for a condition that failed to compile (its mistake is reported; the story never plays).
_FALSE = Expression("false", Literal(False, 0), "bool")


def _condition_end(head: str, begin: int) -> int:
    """The index of the ':' that ends a condition (not one inside a quoted string), or -1."""
    quote = ""
    for i in range(begin, len(head)):
        c = head[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == ":":
            return i
    return -1


def _trim(pieces: list[Piece]) -> tuple[Piece, ...]:
    """An arm's pieces without the spaces around it (`{if x: a lamp | else: darkness}`)."""
    out = [p for p in pieces if p != ""]
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return tuple(p for p in out if p != "")


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
