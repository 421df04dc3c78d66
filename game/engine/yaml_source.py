"""YAML text → a positioned tree: mappings, lists and scalars that know their file, line and column.

Every YAML file of a story (story.yaml, scene files, playthrough tests) is read
here and nowhere else. libyaml composes the document with the safe loader
(never constructing arbitrary Python objects); the composed nodes are turned
into this module's own small tree in one walk, which also refuses what PyYAML
lets slip: explicit tags (`!!python/object`), merge keys (`<<`), anchors and
aliases (the root of "billion laughs" bombs), and nesting no story needs. The
compiler and the playthrough reader work on the tree only, never on PyYAML.

`Reader` adds the two checks every mapping of every format needs, unknown or
missing keys (with "did you mean") and duplicate keys (which YAML would
silently collapse to the last one), so every file format answers a typo alike.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any, TypeAlias, TypeGuard

import yaml
from msgspec import Struct
from yaml import nodes as yaml_nodes
from yaml.error import Mark

from game.engine.errors import Diagnostics, Loc, closest, did_you_mean
from game.engine.format import Key

#: The safe loader, the C one where PyYAML was built with libyaml (several times faster).
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Nesting deeper than this is refused (no story needs it; bombs do).
MAX_NESTING = 32

#: An anchor (`&a`) or alias (`*a`) can only begin where a YAML token can:
#: only files where this matches get the event-by-event alias check.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:])[&*][^\s\[\]{},]", re.M)

_PREFIX = "tag:yaml.org,2002:"
#: The tags of plain data, by their short names. Anything else is refused, not interpreted.
_TAGS = {f"{_PREFIX}{name}": name for name in ("str", "int", "bool", "null", "float", "timestamp", "map", "seq")}
_MERGE_TAG = f"{_PREFIX}merge"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class Scalar(Struct, gc=False):
    """A scalar as written, with its value: `text` is the characters, `value` what YAML reads them as."""

    path: str
    line: int
    col: int
    text: str
    #: "str", "int", "bool", "null", "float" or "timestamp".
    tag: str
    value: object
    #: None for a plain scalar, else the quote or block indicator: ' " | >
    style: str | None
    start: int  # character offsets of the scalar in the file's text
    end: int

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, self.col)


class Mapping(Struct, gc=False):
    """A mapping, its (key, value) pairs in the order written, duplicates included."""

    path: str
    line: int
    col: int
    pairs: list[tuple[Node, Node]]
    start: int
    end: int

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, self.col)


class Sequence(Struct, gc=False):
    path: str
    line: int
    col: int
    items: list[Node]
    start: int
    end: int

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, self.col)


Node: TypeAlias = Scalar | Mapping | Sequence


#: What libyaml counts as the end of a line (after `read_document` made every "\r\n" and "\r" a "\n"):
#: lines split at these are the lines its marks count.
_BREAKS = re.compile("[\n\x85\u2028\u2029]")


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character. A line ends at "\\n", "\\r\\n" or a lone "\\r", as
    YAML and the language server protocol both say (a story file's text has only "\\n" once read:
    `normal_breaks`; an editor's buffer may have any)."""
    if "\r" in text:
        return [0, *(end.end() for end in _LINE_END.finditer(text))]
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


_LINE_END = re.compile("\r\n?|\n")


def normal_breaks(text: str) -> str:
    """A file's text with Windows' and old Macs' line ends ("\\r\\n", "\\r") made "\\n": YAML reads all three
    as one line end, and every place we give counts lines the same way."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class SourceFile:
    """One YAML file's text, with index→(line, col) mapping for messages."""

    __slots__ = ("path", "text", "_line_starts")

    def __init__(self, path: str, text: str) -> None:
        self.path = path  # relative to the story folder, with forward slashes
        self.text = text
        self._line_starts = line_starts(text)

    def loc_at(self, index: int) -> Loc:
        line = bisect.bisect_right(self._line_starts, index) - 1
        return Loc(self.path, line + 1, index - self._line_starts[line] + 1)

    def loc_in_scalar(self, node: Node, offset: int, snippet: str = "") -> Loc:
        """Locate a character of a scalar's *value* in the file's text.

        Plain and quoted one-line scalars appear verbatim in the file; block
        scalars are matched line by line. When the value cannot be mapped
        (escapes, folding), we search for the snippet and fall back to the
        scalar's start.
        """
        raw = self.text[node.start : node.end]
        value = node.text if isinstance(node, Scalar) else ""
        at = raw.find(value) if value else -1
        if at >= 0 and value:
            return self.loc_at(node.start + at + offset)
        if isinstance(node, Scalar) and node.style in ("|", ">"):
            # Map the value's line/column onto the block's content lines.
            before = value[:offset]
            line_in_value = before.count("\n")
            col_in_line = offset - (before.rfind("\n") + 1)
            content_lines = raw.split("\n")[1:]
            nonblank = [ln for ln in content_lines if ln.strip()]
            indent = len(nonblank[0]) - len(nonblank[0].lstrip(" ")) if nonblank else 0
            if node.style == "|" and line_in_value < len(content_lines):
                return Loc(self.path, node.line + 1 + line_in_value, indent + col_in_line + 1)
        if snippet:
            at = raw.find(snippet)
            if at >= 0:
                return self.loc_at(node.start + at)
        return node.loc


class YamlFileError(Exception):
    """The file is not readable YAML; carries a located message and its diagnostic code."""

    def __init__(self, loc: Loc, message: str, code: str):
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.code = code


def read_document(path: str, data: bytes, diags: Diagnostics, empty: str) -> tuple[Reader, Node] | None:
    """A file's bytes as a positioned tree, with a `Reader` for it; None when the file is not UTF-8,
    not YAML, empty (reported as `empty` says) or holds what story files may not (all reported)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(Loc(path, line, 1), "file is not valid UTF-8 text", "encoding")
        return None
    source = SourceFile(path, normal_breaks(text))
    errors = len(diags.items)
    try:
        node = read_tree(source, diags)
    except YamlFileError as exc:
        diags.error(exc.loc, exc.message, exc.code)
        return None
    if node is None:
        if len(diags.items) == errors:
            diags.error(Loc(path), empty, "shape")
        return None
    return Reader(source, diags), node


def read_tree(source: SourceFile, diags: Diagnostics) -> Node | None:
    """The file's document as a positioned tree; None when it is empty or refused.

    A syntax error raises `YamlFileError`; what the tree may not hold (tags, merge
    keys, nesting) is reported in `diags`, and the file is then refused whole.
    """
    document = _compose(source)
    if document is None:
        return None
    tree = _Converter(source.path, diags).node(document, 0)
    return None if tree is None else tree


def _compose(source: SourceFile) -> yaml_nodes.Node | None:
    """Parse `source` into PyYAML's node graph, raising `YamlFileError` with a position."""
    if ("*" in source.text or "&" in source.text) and _MAYBE_ANCHOR.search(source.text):
        _refuse_aliases(source)
    try:
        nodes = list(yaml.compose_all(source.text, Loader=SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        found = _diagnose(source, exc)
        if found is not None:  # the line the author got wrong, which libyaml often passes by
            line, col, message = found
            raise YamlFileError(Loc(source.path, line + 1, col + 1), f"YAML syntax error: {message}", "yaml") from None
        context = f" ({exc.context})" if exc.context else ""
        loc = Loc(source.path, mark.line + 1, mark.column + 1) if mark else Loc(source.path)
        hint = _syntax_hint(source, problem, mark.index if mark else -1)
        raise YamlFileError(loc, f"YAML syntax error: {problem}{context}{hint}", "yaml") from None
    except yaml.reader.ReaderError as exc:  # a control character; PyYAML gives an index, not a line
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise YamlFileError(
            source.loc_at(max(0, exc.position)),
            f"YAML syntax error: the control character U+{char:04X} is not allowed in YAML text; delete it",
            "yaml",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(Loc(source.path), f"YAML syntax error: {exc}", "yaml") from None
    except RecursionError:
        raise YamlFileError(
            Loc(source.path), f"document nested too deeply (at most {MAX_NESTING} levels)", "too-deep"
        ) from None
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise YamlFileError(
            Loc(source.path, mark.line + 1, mark.column + 1),
            "a story file holds one YAML document, found another after '---'",
            "two-documents",
        )
    return nodes[0] if nodes else None


def _syntax_hint(source: SourceFile, problem: str, index: int) -> str:
    """What a writer most likely did, for PyYAML's most puzzling messages ('' when we cannot tell)."""
    if 0 <= index < len(source.text) and source.text[index] == "\t":
        return "; this is a tab: YAML indents with spaces only"
    if problem.startswith("mapping values are not allowed"):
        return "; a ': ' inside text starts a new key: put the whole text in quotes, or below a '|' line"
    if problem.startswith(("did not find expected ',' or '}'", "did not find expected ',' or ']'")):
        return "; inside {...} or [...], a text holding ',', ': ', '{' or '[' must be in quotes"
    if problem.startswith("did not find expected key"):
        return (
            "; check the indentation of this line, and quote text that starts with a quote mark,"
            " '{' or '[' (or write it below a '|' line)"
        )
    return ""


# --------------------------------------------------------------------------- the line the author got wrong

#: A line holding a key: indentation, maybe a list's '- ', a name, then ':' before a space or the line's end.
_KEY_LINE = re.compile(r"( *)(?:- +)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|$)")
#: A line that opens a literal or folded block: `text: |`, `- >-`, `|`.
_BLOCK_HEADER = re.compile(r"( *)(?:- +)?(?:[A-Za-z_][A-Za-z0-9_]*[ \t]*:[ \t]+)?[|>][-+1-9]{0,2}[ \t]*(?:#.*)?$")
#: The value after `key: ` (or `- key: `) on a line.
_VALUE = re.compile(r" *(?:- +)?[A-Za-z_][A-Za-z0-9_]*[ \t]*:[ \t]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

#: Where the author went wrong: a 0-based line and column, and what to say.
_Found: TypeAlias = tuple[int, int, str]


def _format_keys() -> frozenset[str]:
    """Every key of every table of the story format (game.engine.format)."""
    from game.engine import format as fmt

    tables = [
        v for v in vars(fmt).values() if isinstance(v, dict) and v and all(isinstance(k, Key) for k in v.values())
    ]
    return frozenset(name for table in tables for name in table)


def _diagnose(source: SourceFile, exc: yaml.MarkedYAMLError) -> _Found | None:
    """The line the author most likely got wrong, and advice for it; None to keep libyaml's own message.

    libyaml stops where the text stops making sense, which is often a line or more after
    the mistake (a missing ':' makes the next line part of a text; a quote never closed
    runs on to the next quote). Each check below recognises one mistake from the lines
    around that place and points at the line to change.
    """
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = _BREAKS.split(source.text)  # lines as libyaml counts them, so its marks index them
    if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        return None  # a tab: the usual message says so, at the tab
    checks = (
        _unclosed_quote,
        _text_in_braces,
        _unclosed_bracket,
        _dedented_block_line,
        _missing_colon,
        _misplaced_line,
        _dash_without_space,
    )
    for check in checks:
        found = check(source, lines, exc, mark)
        if found is not None:
            return found
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _tokens_before(source: SourceFile, index: int) -> list[Any]:
    """The tokens libyaml's scanner reads before character `index` (and before any scanning error)."""
    tokens = []
    try:
        for token in yaml.scan(source.text, Loader=SafeLoader):
            if token.start_mark.index >= index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def _unclosed_quote(source: SourceFile, lines: list[str], exc: yaml.MarkedYAMLError, mark: Mark) -> _Found | None:
    """A quote mark that opens a text and is never closed, or closed only by the next quote, lines below."""
    context = exc.context_mark
    if exc.context == "while scanning a quoted scalar" and context is not None:
        quote = lines[context.line][context.column : context.column + 1]
        return (
            context.line,
            context.column,
            f"the quote mark {quote} that opens this text is never closed: end the text with {quote}"
            " (or write it below a '|' line, where quote marks are plain text)",
        )
    for token in reversed(_tokens_before(source, mark.index + 1)):
        if not isinstance(token, yaml.ScalarToken) or token.style not in ("'", '"'):
            continue
        first, last = token.start_mark.line, token.end_mark.line
        opened = _indent(lines[first])
        inside = range(first + 1, min(last, len(lines) - 1) + 1)
        if any(_KEY_LINE.match(lines[n]) and _indent(lines[n]) <= opened for n in inside):
            quote = token.style
            return (
                first,
                token.start_mark.column,
                f"the quote mark {quote} that opens this text is not closed on this line: YAML reads on, through"
                f" the keys below, to the next {quote} on line {last + 1}; end the text with {quote}"
                " (or write it below a '|' line, where quote marks are plain text)",
            )
        break  # only the last quoted text before the error can have swallowed it
    return None


#: Keys whose value is text: a value there that starts with '{' is text in braces (format 2), not a mapping.
_TEXT_KEYS = frozenset({"text", "title", "prompt", "default", "description", "hint", "label", "chapter"})


def _text_in_braces(source: SourceFile, lines: list[str], exc: yaml.MarkedYAMLError, mark: Mark) -> _Found | None:
    """`text: {if lamp: Lit. | else: Dark.}`: a text that opens with braces, which YAML takes for a
    {key: value} mapping and then fails to read. The fix is quoting the whole text."""
    context = exc.context_mark
    if context is None or exc.context != "while parsing a flow mapping":
        return None
    line = lines[context.line]
    found = _VALUE.match(line)
    if found is None or found.end() != context.column:
        return None
    key = line[: found.end()].strip().lstrip("- ").rstrip(": \t")
    if key not in _TEXT_KEYS:
        return None
    return _value_start(lines, context.line, context.column + 1)


def _unclosed_bracket(source: SourceFile, lines: list[str], exc: yaml.MarkedYAMLError, mark: Mark) -> _Found | None:
    """A `{` or `[` never closed: libyaml reads on into the next lines and stops there."""
    context = exc.context_mark
    if context is None or exc.context not in ("while parsing a flow mapping", "while parsing a flow sequence"):
        return None
    opener = lines[context.line][context.column : context.column + 1]
    closer = {"{": "}", "[": "]"}.get(opener)
    if closer is None or context.line == mark.line or closer in source.text[context.index : mark.index]:
        return None
    return (
        context.line,
        context.column,
        f"this '{opener}' is never closed: end the {opener}...{closer} on this line with '{closer}'"
        " (if this is text, put it in quotes)",
    )


def _dedented_block_line(source: SourceFile, lines: list[str], exc: yaml.MarkedYAMLError, mark: Mark) -> _Found | None:
    """A line of a `|` or `>` block indented less than the block's first line, which ends the block."""
    last = mark.line
    header = next((n for n in range(min(last, len(lines) - 1), -1, -1) if _BLOCK_HEADER.match(lines[n])), None)
    if header is None or header == last:
        return None
    body = [n for n in range(header + 1, len(lines)) if lines[n].strip()]
    if not body or _indent(lines[body[0]]) <= _indent(lines[header]):
        return None  # an empty block
    indent = _indent(lines[body[0]])
    culprit = next((n for n in body if _indent(lines[n]) < indent), None)
    if culprit is None or culprit > last:
        return None
    line = lines[culprit]
    stripped = line.strip()
    if _KEY_LINE.match(line) or stripped.startswith(("#", "-", "---", "...")):
        return None  # the block ended as it should, and the next key or item began
    return (
        culprit,
        _indent(line),
        f"this line of the text begun on line {header + 1} is indented less than the text's first line"
        f" ({indent} spaces), which ends the text there: indent it {indent} spaces like the lines above",
    )


def _missing_colon(source: SourceFile, lines: list[str], exc: yaml.MarkedYAMLError, mark: Mark) -> _Found | None:
    """`goto morning` or `goto:morning`, which YAML reads as text running on into the next lines."""
    context = exc.context_mark
    if exc.problem == "could not find expected ':'" and context is not None:
        return _no_colon_at(lines, context.line, context.column)
    if not (exc.problem or "").startswith("mapping values are not allowed"):
        return None
    tokens = [t for t in _tokens_before(source, mark.index) if isinstance(t, yaml.ScalarToken)]
    if not tokens or not tokens[-1].plain or tokens[-1].start_mark.line == mark.line:
        return None  # ': ' inside a text on one line: the usual message says so
    token = tokens[-1]
    key = lines[mark.line][: mark.column].strip()
    if key.startswith("- "):
        key = key[2:].strip()
    if not _NAME.match(key) or key not in _format_keys() | _keys_of(lines):
        return None  # a ': ' in the text's next line
    first = token.start_mark.line
    if token.start_mark.column == _indent(lines[first]):  # the text is a whole line: one without its ':'
        return _no_colon_at(lines, first, token.start_mark.column)
    above = _KEY_LINE.match(lines[first])
    if above is None or _indent(lines[mark.line]) <= _indent(lines[first]):
        return None
    return (
        mark.line,
        _indent(lines[mark.line]),
        f"'{key}' is indented more than '{above.group(2)}' on line {first + 1}, so YAML reads it as more of"
        f" that line's text: indent it {_indent(lines[first])} spaces, like '{above.group(2)}'",
    )


def _keys_of(lines: list[str]) -> set[str]:
    """The names written as keys in a file (so a playthrough's keys count too)."""
    return {m.group(2) for line in lines if (m := _KEY_LINE.match(line))}


def _no_colon_at(lines: list[str], line: int, col: int) -> _Found | None:
    if line >= len(lines):
        return None
    text = lines[line][col:].rstrip()
    glued = re.match(r"([A-Za-z_][A-Za-z0-9_]*):(\S.*)", text)
    if glued:
        return (
            line,
            col,
            f"a space is missing after ':': write '{glued.group(1)}: {glued.group(2)}'"
            f" (YAML reads '{glued.group(1)}:{glued.group(2)[:20]}' as one piece of text)",
        )
    words = re.match(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]+([^:]+)$", text)
    if words:
        return (
            line,
            col,
            f"a ':' is missing after '{words.group(1)}': write '{words.group(1)}: {words.group(2)}'"
            " (without it YAML reads this line as text, and the lines after it too)",
        )
    return (
        line,
        col,
        "this line is not 'key: value', nor a list item ('- '): is a ':' missing after its key?"
        " (text that runs over several lines goes below a '|' line)",
    )


def _misplaced_line(source: SourceFile, lines: list[str], exc: yaml.MarkedYAMLError, mark: Mark) -> _Found | None:
    """A key or list item indented to match nothing above it, or text that starts like YAML syntax."""
    if exc.problem != "did not find expected key" or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    if mark.column > _indent(line):  # mid-line: the value of this line's key
        return _value_start(lines, mark.line, mark.column)
    if line.lstrip().startswith("- "):
        return _item_in_mapping(lines, mark.line)
    return _misaligned(lines, mark.line, "key")


def _value_start(lines: list[str], line: int, col: int) -> _Found | None:
    """`title: "Hello," she said` or `title: {name} arrives`: a text that starts like YAML syntax."""
    found = _VALUE.match(lines[line])
    if found is None or found.end() >= col:
        return None
    start = found.end()
    value = lines[line][start:].rstrip()
    quote = value[0]
    if quote in "\"'":
        mark = "a quote mark"
        read = "only what is between the quote marks as the text"
    elif quote in "{[":
        mark = f"'{quote}'"
        read = "a {key: value} mapping" if quote == "{" else "a [list]"
    else:
        return None
    if "'" not in value:
        fix = f"put the whole text in single quotes: '{value}'"
    elif '"' not in value and "\\" not in value:
        fix = f'put the whole text in double quotes: "{value}"'
    else:
        fix = "write the text below a '|' line"
    return (line, start, f"this text starts with {mark}, so YAML reads {read}, and not what follows: {fix}")


def _item_in_mapping(lines: list[str], line: int) -> _Found | None:
    """A list item where a key was expected: most often the list's first item lacks its '- '."""
    indent = _indent(lines[line])
    above = [n for n in range(line - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    owner = next((n for n in above if _indent(lines[n]) < indent), None)
    if owner is None:
        return None
    key = _KEY_LINE.match(lines[owner])
    first = next((n for n in range(owner + 1, line) if lines[n].strip()), None)
    if key is None or first is None or lines[first].lstrip().startswith("-"):
        return _misaligned(lines, line, "list item")
    return (
        first,
        _indent(lines[first]),
        f"the list under '{key.group(2)}' goes on at line {line + 1} with '- ', but its first item has none:"
        " start this line with '- ' (each item of a list starts with '- ')",
    )


def _misaligned(lines: list[str], line: int, what: str) -> _Found:
    """A line indented to line up with no key above it: say which indentations would fit."""
    indent = _indent(lines[line])
    text = _block_text_lines(lines)
    keys = [(n, m) for n in range(line - 1, -1, -1) if n not in text and (m := _KEY_LINE.match(lines[n])) is not None]
    deeper = next(((n, m) for n, m in keys if len(m.group(1)) > indent), None)
    shallower = next(((n, m) for n, m in keys if len(m.group(1)) < indent), None)
    fits = [
        f"{len(pair[1].group(1))} spaces like '{pair[1].group(2)}' on line {pair[0] + 1}"
        for pair in (deeper, shallower)
        if pair is not None
    ]
    advice = f": indent it {' or '.join(fits)}" if fits else ""
    return (
        line,
        indent,
        f"this {what} is indented {indent} spaces, which lines up with no key above it{advice}",
    )


def _block_text_lines(lines: list[str]) -> set[int]:
    """The lines inside `|` and `>` blocks: text, whatever they look like."""
    inside: set[int] = set()
    n = 0
    while n < len(lines):
        if _BLOCK_HEADER.match(lines[n]):
            parent = _indent(lines[n])
            m = n + 1
            while m < len(lines) and (not lines[m].strip() or _indent(lines[m]) > parent):
                inside.add(m)
                m += 1
            n = m
        else:
            n += 1
    return inside


def _dash_without_space(source: SourceFile, lines: list[str], exc: yaml.MarkedYAMLError, mark: Mark) -> _Found | None:
    """`-text: Go`: a list item needs a space after its '-'."""
    if exc.problem != "did not find expected '-' indicator" or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    stripped = line.lstrip()
    if stripped.startswith("-") and stripped[1:2] not in ("", " "):
        return (
            mark.line,
            _indent(line),
            f"a space is missing after '-': write '- {stripped[1:]}' (each item of a list starts with '- ')",
        )
    context = exc.context_mark
    start = f" (from line {context.line + 1})" if context is not None else ""
    return (
        mark.line,
        _indent(line),
        f"this line lines up with the '- ' of the list above{start} but does not start with '- ':"
        " start it with '- ' if it begins a new item, or indent it further to go on with the item above",
    )


def _refuse_aliases(source: SourceFile) -> None:
    """Anchors and aliases are refused where they are written: they are how YAML bombs work."""
    try:
        for event in yaml.parse(source.text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise YamlFileError(
                    Loc(source.path, mark.line + 1, mark.column + 1) if mark else Loc(source.path),
                    "anchors and aliases ('&name', '*name') are not supported in story files",
                    "alias",
                )
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their position


def scene_ids_in(text: str) -> list[tuple[str, int, int]] | None:
    """The scene ids a scene file that cannot be read seems to define, with their lines and columns:
    the names written as keys one level below its `scenes:` line. None when that cannot be told.

    A syntax error in one file must not hide the mistakes of the others: with these, a
    reference elsewhere to a scene of this file is known to be fine, and one to a scene
    that is nowhere is still reported.
    """
    lines = text.split("\n")
    meaningful = [n for n, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not meaningful:
        return []  # a file of comments defines no scenes
    top = next((n for n in meaningful if re.match(r"scenes[ \t]*:[ \t]*(?:#.*)?$", lines[n])), None)
    if top is None:
        return None
    body = [n for n in meaningful if n > top]
    end = next((i for i, n in enumerate(body) if not lines[n].startswith(" ")), len(body))
    body = body[:end]
    if not body:
        return []
    indent = _indent(lines[body[0]])
    found = []
    for n in body:
        match = _KEY_LINE.match(lines[n])
        if match is not None and len(match.group(1)) == indent and not lines[n].lstrip().startswith("-"):
            found.append((match.group(2), n + 1, indent + 1))
    return found


class _Converter:
    """PyYAML nodes → the positioned tree, refusing tags, merge keys and deep nesting on the way."""

    def __init__(self, path: str, diags: Diagnostics) -> None:
        self.path = path
        self.diags = diags
        self.ok = True

    def error(self, node: yaml_nodes.Node, message: str, code: str) -> None:
        mark = node.start_mark
        self.diags.error(Loc(self.path, mark.line + 1, mark.column + 1), message, code)
        self.ok = False

    def node(self, node: yaml_nodes.Node, depth: int) -> Node | None:
        """The tree of `node`, or None (with every problem found reported) when any part is refused."""
        tree = self._convert(node, depth)
        return tree if self.ok else None

    def _convert(self, node: yaml_nodes.Node, depth: int) -> Node:
        start, end = node.start_mark, node.end_mark
        line, col = start.line + 1, start.column + 1
        tag = _TAGS.get(node.tag)
        if tag is None or depth > MAX_NESTING:  # refused, and not looked into any further
            if node.tag == _MERGE_TAG:  # `<<: {...}` is tagged by the resolver, not by the author
                self.error(node, "merge keys ('<<') are not supported in story files: write the keys out", "merge-key")
            elif tag is None:
                self.error(node, f"the YAML tag '{node.tag}' is not allowed in story files", "tag")
            else:
                self.error(node, f"nested more than {MAX_NESTING} levels deep", "too-deep")
            return Scalar(self.path, line, col, "", "null", None, None, start.index, end.index)
        if node.__class__ is yaml_nodes.ScalarNode:
            text: str = node.value
            value: object = text if tag == "str" else _scalar_value(node, tag)
            return Scalar(self.path, line, col, text, tag, value, node.style, start.index, end.index)
        convert = self._convert
        inner = depth + 1
        if node.__class__ is yaml_nodes.MappingNode:
            pairs = [(convert(k, inner), convert(v, inner)) for k, v in node.value]
            return Mapping(self.path, line, col, pairs, start.index, end.index)
        items = [convert(item, inner) for item in node.value]
        return Sequence(self.path, line, col, items, start.index, end.index)


def _scalar_value(node: yaml_nodes.ScalarNode, tag: str) -> object:
    if tag == "null":
        return None
    try:
        return _CONSTRUCTOR.construct_object(node)
    except (ValueError, OverflowError):  # a timestamp or number PyYAML cannot build: keep the text
        return node.value


# --------------------------------------------------------------------------- reading mappings


#: A comment right after a plain text, and not one that reads as a comment (`#3`, not `# note`).
_COMMENT_CUT = re.compile(r"[ \t]+#(\S+)")

#: The tags a key may have: YAML reads `1:` and `yes:` as a number and a boolean, but they are names to us.
_KEY_TAGS = frozenset({"str", "int", "bool"})


class Reader:
    """Reads the tree of one file for a compiler, reporting shape problems with their place."""

    __slots__ = ("source", "diags", "merged")

    def __init__(self, source: SourceFile, diags: Diagnostics):
        self.source = source
        self.diags = diags
        #: Where items of a list run into one another, a '- ' missing (reported): their list is not complete.
        self.merged: set[int] = set()

    def error(self, node: Node, message: str, code: str = "error") -> None:
        self.diags.error(node.loc, message, code)

    def keyed(self, node: Node, spec: dict[str, Key], what: str, item: bool = False) -> dict[str, Node] | None:
        """Check a mapping against its key table (unknown, duplicate, missing keys); return key → value node.

        Shared by every located file format (scenes, story.yaml, playthroughs), so
        they all answer a typo the same way: with the place and a "did you mean".
        A misspelled required key is one mistake: its "did you mean" says what is
        missing. `item`: the mapping is an item of a list (see `items`).
        """
        if not isinstance(node, Mapping):
            self.error(node, f"{what} must be a mapping, found {kind_of(node)}", "type")
            return None
        out: dict[str, Node] = {}
        for key_node, value in node.pairs:  # the usual case: known, distinct, plain keys
            if not isinstance(key_node, Scalar) or key_node.tag != "str":
                break
            key = key_node.text
            if key not in spec or key in out:
                break
            out[key] = value
        else:
            for key, key_spec in spec.items():
                if key_spec.required and key not in out:
                    break
            else:
                return out
        out = {}
        meant: set[str] = set()  # required keys an unknown key was taken for: already said
        before: Node | None = None
        for key, key_node, value in self.items(node, item):
            if key not in spec:
                allowed = ", ".join(spec)
                hint = did_you_mean(key, spec) or f"; expected one of: {allowed}"
                if isinstance(before, Scalar) and before.style in ("|", ">") and not closest(key, spec):
                    hint += "; if this line belongs to the text above, indent it like that text"
                self.error(key_node, f"unknown key '{key}' in {what}{hint}", "unknown-key")
                meant.add(closest(key, spec) or "")
            else:
                out[key] = value
            before = value
        for key in [k for k, s in spec.items() if s.required and k not in out and k not in meant]:
            self.error(node, f"{what} is missing required key '{key}'", "missing-key")
        return out

    def comment_cut(self, node: Node) -> None:
        """Warn when ' #' ended a plain text where the author did not mean it to: `Room #4` reads as `Room`."""
        if not isinstance(node, Scalar) or node.style:  # quoted and block texts keep their '#'
            return
        text = self.source.text
        end = text.find("\n", node.end)
        cut = _COMMENT_CUT.match(text, node.end, end if end >= 0 else len(text))
        if cut is not None:
            self.diags.warning(
                self.source.loc_at(cut.start(1) - 1),
                f"' #' starts a YAML comment, so this text ends before '#{cut.group(1)}':"
                " to keep it, put the whole text in quotes (or write it below a '|' line)",
                "comment-cut",
            )

    def items(self, node: Mapping, item: bool = False) -> Iterator[tuple[str, Scalar, Node]]:
        """Yield `(key, key_node, value_node)`, reporting duplicate and non-name keys.

        In an item of a list (`item`), the item's first key written again is where the
        next item begins without its '- ': that is said once, and the keys from there
        on, which belong to that next item, are left out.
        """
        seen: dict[str, Scalar] = {}
        for key_node, value_node in node.pairs:
            if not isinstance(key_node, Scalar) or key_node.tag not in _KEY_TAGS:
                self.error(key_node, f"keys must be plain names, found {kind_of(key_node)}", "bad-key")
                continue
            key = key_node.text
            if key in seen:
                first = seen[key]
                if item and first is next(iter(seen.values())) and first.col == key_node.col:
                    self.error(
                        key_node,
                        f"'{key}' again (first at line {first.line}): a '- ' is missing at the start of this line,"
                        " so YAML reads two items of the list as one; write '- ' before"
                        f" '{key}' (each item of a list starts with '- ')",
                        "duplicate-key",
                    )
                    self.merged.add(node.start)
                    return
                self.error(
                    key_node,
                    f"duplicate key '{key}' (first defined at line {first.line});"
                    " YAML would silently keep only the last one",
                    "duplicate-key",
                )
                continue
            seen[key] = key_node
            yield key, key_node, value_node


def kind_of(node: Node) -> str:
    """What an author would call this node's type, for 'expected X, found Y'."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    if node.tag == "null":
        return "nothing (null)"
    if node.tag == "bool":
        return f"the boolean {node.text}"
    if node.tag == "int":
        return f"the integer {node.text}"
    if node.tag == "float":
        return f"the number {node.text}"
    return f"the text '{_short(node.text)}'"


def _short(text: str, limit: int = 30) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_null(node: Node) -> TypeGuard[Scalar]:
    return isinstance(node, Scalar) and node.tag == "null"


def is_string(node: Node) -> TypeGuard[Scalar]:
    return isinstance(node, Scalar) and node.tag == "str"


def is_int(node: Node) -> TypeGuard[Scalar]:
    return isinstance(node, Scalar) and node.tag == "int"


def is_bool(node: Node) -> TypeGuard[Scalar]:
    return isinstance(node, Scalar) and node.tag == "bool"


def is_prose(node: Node) -> TypeGuard[Scalar]:
    """Any scalar but null: prose fields keep what was written (`title: Yes` stays the word 'Yes')."""
    return isinstance(node, Scalar) and node.tag != "null"
