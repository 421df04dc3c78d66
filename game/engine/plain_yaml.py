"""A quick reader for the plain YAML that story files are written in, positions included.

libyaml parses in C, but hands Python a node object for every value, each with
two `Mark` objects, and asks Python to resolve every scalar's tag: for a big
story that alone takes about as long as bink's whole load. Story files use a
small, regular part of YAML: block mappings and lists, one-line flow mappings,
plain and quoted one-line scalars, literal and folded blocks, comments. This
module reads exactly that part, a line at a time with C-level string methods,
and returns plain Python values with the line and column of every key, item
and value, which is all the model records.

It never reports a mistake. Whatever it is not sure of (anchors, tags,
multi-line plain or quoted scalars, escapes, tabs, flow lists, directives,
several documents, any syntax error) raises `NotPlain`, and the file goes the
careful way: libyaml, then `game.engine.compiler`, which reports every mistake
with its place. So this reader can make a load faster but never different;
`tests/engine/test_plain_yaml.py` holds it to libyaml's answer, value for value
and position for position.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: Nesting deeper than this is left to the careful path (which refuses past 32 levels).
_MAX_DEPTH = 30
#: libyaml refuses simple keys longer than 1024 characters; leave anything near that to it.
_MAX_KEY = 1000


class NotPlain(Exception):
    """The text uses YAML this reader leaves to libyaml (or is not valid YAML at all)."""


class Tagged(NamedTuple):
    """A plain scalar that YAML reads as something other than text: null, bool, int, float or timestamp.

    `text` is the scalar as written: prose fields take it as it stands (`title: Yes` is the word "Yes").
    """

    tag: str
    text: str


class Map(dict):  # type: ignore[type-arg]
    """A mapping (block or flow), key -> value, in the author's order.

    `line`/`col` (1-based) is where it starts: its first key, or its `{`, as libyaml
    marks it. `at[key]` is `(key_line, key_col, value_line, value_col)`.
    """

    __slots__ = ("line", "col", "at")


class Seq(list):  # type: ignore[type-arg]
    """A block list. `line`/`col` is its first `-`; `at[i]` is where item i starts."""

    __slots__ = ("line", "col", "at")


Value = str | Tagged | Map | Seq

#: Characters that may not start a plain scalar (YAML's indicators); '-' is checked apart.
_INDICATORS = frozenset("?:,[]{}#&*!|>'\"%@`")
#: Anything that is not plainly printable text, a tab, a carriage return, or a character
#: YAML 1.1 treats as a line break (NEL, U+2028, U+2029) or a byte-order mark.
_ODD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: Printable ASCII and the line feed: what an ASCII story file may hold (a tab may not, a CR is gone by then).
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}

_SHORT_TAGS = {
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:timestamp": "timestamp",
}
#: Plain scalar text -> its value (str, or Tagged), as PyYAML's resolver would tag it.
_RESOLVED: dict[str, str | Tagged] = {}
_KEY_OK: dict[str, bool] = {}


def _resolve(text: str) -> str | Tagged:
    """Tag a plain scalar exactly as the safe loader does (PyYAML's own table of patterns)."""
    patterns = (_PATTERNS or _patterns()).get(text[:1])
    if not patterns:  # most text starts with a letter no pattern starts with: it is text
        return text
    known = _RESOLVED.get(text)
    if known is not None:
        return known
    value: str | Tagged = text
    if patterns:
        for tag, pattern in patterns:
            if pattern.match(text):
                short = _SHORT_TAGS.get(tag)
                if short is None:  # '<<' (merge) and '=' (value): the careful path refuses them
                    raise NotPlain(text)
                value = Tagged(short, text)
                break
    if len(_RESOLVED) > _MEMO_LIMIT:
        _RESOLVED.clear()
    _RESOLVED[text] = value
    return value


_PATTERNS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


def _patterns() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """PyYAML's implicit resolvers by first character, imported on first use (a cache miss)."""
    if not _PATTERNS:
        from yaml.resolver import Resolver

        table = Resolver.yaml_implicit_resolvers
        if None in table:  # pragma: no cover - not in PyYAML's safe table
            raise NotPlain("resolvers for any first character")
        _PATTERNS.update(table)
    return _PATTERNS


def _key_ok(key: str) -> bool:
    """Keys YAML reads as text, integers or booleans are names; a null, float or date key is not,
    and a key near libyaml's length limit is left to it."""
    known = _KEY_OK.get(key)
    if known is None:
        if len(_KEY_OK) > _MEMO_LIMIT:
            _KEY_OK.clear()
        value = _resolve(key) if len(key) <= _MAX_KEY else None
        known = _KEY_OK[key] = value is not None and (value.__class__ is str or value.tag in ("int", "bool"))  # type: ignore[union-attr]
    return known


def int_value(scalar: Tagged) -> int:
    """The integer a plain decimal scalar stands for; other spellings (hex, octal, '_', '1:30') are not plain."""
    if _DECIMAL.match(scalar.text) is None:
        raise NotPlain(scalar.text)
    return int(scalar.text)


def bool_value(scalar: Tagged) -> bool:
    return _BOOLS[scalar.text.lower()]


def read(text: str) -> Map:
    """The document in `text` as a `Map`, or `NotPlain` when it needs libyaml (or is not valid YAML)."""
    return LineReader(text).document()


def _plain_text(text: str) -> str:
    """`text` with CRLF line ends made LF, or `NotPlain` for characters and markers left to libyaml."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            raise NotPlain("a lone carriage return")
    if text.isascii():  # most story files: a byte-level pass finds what is not printable, if anything
        if text.encode().translate(None, _PRINTABLE_ASCII):
            raise NotPlain("a tab or a control character")
    # isprintable() is stricter than YAML (it refuses a no-break space, say) but much faster than
    # the exact pattern, which then decides only for text that it refused.
    elif not text.replace("\n", "").isprintable() and _ODD.search(text) is not None:
        raise NotPlain("a tab, a control character or a YAML line break")
    # A document marker or directive ('---', '...', '%' at the start of a line) needs no search: no
    # line that starts so is classified, and a block scalar's lines are indented.
    return text


# What a line is, worked out once per distinct line (`_classify`):
# (indent, item, key, start, kind, payload). `indent` is the column of its first character, -1
# for a blank or comment line; `item` the column of what follows '- ' on a list item, else -1;
# `key` the key of a `key: value` line (on an item, the key after the '- '), else None; `start`
# the column where the value begins (just after the ':' when it is below); `kind` and `payload`:
BELOW = 0  # nothing after the ':': the value is on the lines below (or null); payload None
SCALAR = 1  # payload: the scalar (str or Tagged)
FLOW = 2  # payload: the flow mapping's entries, see `_flow_entries`
BLOCK = 3  # payload: (style '|' or '>', strip the final line break)
#: The kinds whose value is on the key's line.
ON_ITS_LINE = frozenset((SCALAR, FLOW))
Line = tuple[int, int, "str | None", int, int, object]
#: What `content` answers past the last line (and what a blank or comment line is).
BLANK: Line = (-1, -1, None, 0, BELOW, None)


class LineReader:
    """One pass over the lines; each method gets the index of its first line and returns the next one.

    Written for speed, since this is most of a cold load: each distinct line is classified once
    (`_classify`, remembered across files and loads), so the loops here only place values.
    `document` reads the whole text; a reader that knows what the document should hold (the quick
    compiler's, for scene files) walks the lines itself with `content` and takes the values it has
    no quicker way for from `value`.
    """

    def __init__(self, text: str):
        self.lines = _plain_text(text).split("\n")
        self.count = len(self.lines)
        #: What each line is, where already known (one C-level pass over the memo); the
        #: rest are classified when the walk reaches them (block scalar text never is).
        self.infos: list[Line | None] = list(map(_LINES.get, self.lines))

    def document(self) -> Map:
        i, info = self.content(0)
        if info[0] != 0 or info[1] >= 0:
            raise NotPlain("empty, or not a mapping at the left margin")
        root, i = self._mapping(i, 0, 0, None)
        if i != self.count:
            raise NotPlain("text after the document")
        return root

    def content(self, i: int) -> tuple[int, Line]:
        """The next line at or after `i` that is neither blank nor a comment, and what it is."""
        lines, count, infos = self.lines, self.count, self.infos
        while i < count:
            info = infos[i]
            if info is None:
                info = infos[i] = _LINES.get(lines[i]) or _classify(lines[i])
            if info[0] >= 0:
                return i, info
            i += 1
        return i, BLANK

    def value(self, i: int, info: Line, indent: int, depth: int) -> tuple[Value, int, int, int]:
        """The value of the `key:` line `i` (`info`) of a mapping at `indent`, nested `depth` deep.

        Returns the value, where it starts (line, col) and the next line, as `_mapping` places it.
        """
        start, kind, payload = info[3], info[4], info[5]
        if kind == SCALAR:
            return payload, i + 1, start + 1, i + 1  # type: ignore[return-value]
        if kind == FLOW:
            return flow_mapping(payload, i + 1, start), i + 1, start + 1, i + 1  # type: ignore[arg-type]
        if kind == BELOW:
            value, vline, vcol, after = self._below(i, indent, depth + 1)
            return value, vline, vcol or start + 1, after  # libyaml marks an empty value just after the ':'
        value, after = self._block_scalar(i, start, indent, payload)  # type: ignore[arg-type]
        return value, i + 1, start + 1, after

    def _below(self, i: int, indent: int, depth: int) -> tuple[Value, int, int, int]:
        """The value of the key at `indent` on line `i` that has nothing after its ':'.

        Returns the value, where it starts (line, col; 0 for an empty value), and the next line.
        """
        if depth > _MAX_DEPTH:
            raise NotPlain("deep")
        j, info = self.content(i + 1)
        here = info[0]
        if here > indent or here == indent and info[1] >= 0:
            value: Map | Seq
            if info[1] >= 0:
                value, after = self._sequence(j, here, depth)
            else:
                value, after = self._mapping(j, here, depth, None)
            return value, value.line, value.col, after
        return _NULL, i + 1, 0, i + 1

    def _mapping(self, i: int, indent: int, depth: int, first: Line | None) -> tuple[Map, int]:
        """The block mapping at `indent` from line `i`; `first` is its first line on a list item."""
        count, infos = self.count, self.infos
        out = Map()
        at: dict[str, tuple[int, int, int, int]] = {}
        out.at = at
        out.line = i + 1
        out.col = column = indent + 1
        while True:
            if first is None:
                info = infos[i] if i < count else None
                if info is None or info[0] < 0:  # not yet classified, blank, or the end: `content` finds out
                    i, info = self.content(i)
                if info[0] != indent or info[1] >= 0:  # the end is indented -1: it closes every mapping
                    if info[0] < indent:
                        break
                    raise NotPlain("a line indented more than its mapping, or a list item in it")
            else:
                info, first = first, None
            _indent, _item, key, start, kind, payload = info
            if key is None or key in out:
                raise NotPlain("not a 'key: value' line, or a duplicate key")
            after = i + 1
            if kind == SCALAR:  # the commonest line: `key: value`
                out[key] = payload
                at[key] = (after, column, after, start + 1)
                i = after
                continue
            value, vline, vcol, after = self.value(i, info, indent, depth)
            out[key] = value
            at[key] = (i + 1, column, vline, vcol)
            i = after
        return out, i

    def _sequence(self, i: int, indent: int, depth: int) -> tuple[Seq, int]:
        """The block list whose '-' marks stand at `indent`, from line `i`."""
        count, infos = self.count, self.infos
        out = Seq()
        at: list[tuple[int, int]] = []
        out.at = at
        out.line, out.col = i + 1, indent + 1
        while True:
            info = infos[i] if i < count else None
            if info is None or info[0] < 0:  # as in `_mapping`
                i, info = self.content(i)
            if info[0] != indent:
                if info[0] < indent:
                    break
                raise NotPlain("a line indented more than its list")
            column = info[1]
            if column < 0:
                break  # the next key, after a list written at its key's indent
            if info[2] is not None:  # `- key: value`: a mapping at the item's column
                if depth > _MAX_DEPTH:
                    raise NotPlain("deep")
                item, i = self._mapping(i, column, depth + 1, info)
                at.append((item.line, item.col))
            else:
                kind, payload = info[4], info[5]
                at.append((i + 1, column + 1))
                if kind == SCALAR:
                    item = payload
                    i += 1
                elif kind == FLOW:
                    item = flow_mapping(payload, i + 1, column)  # type: ignore[arg-type]
                    i += 1
                else:
                    item, i = self._block_scalar(i, column, indent, payload)  # type: ignore[arg-type]
            out.append(item)
        return out, i

    def _block_scalar(self, i: int, start: int, parent: int, header: tuple[str, bool]) -> tuple[str, int]:
        """A literal (`|`) or folded (`>`) block, after a key or '-' at column `parent`."""
        style, strip = header
        lines, count = self.lines, self.count
        first = i + 1
        if first >= count:
            raise NotPlain("an empty block scalar")
        text = lines[first]
        indent = len(text) - len(text.lstrip(" "))
        if indent >= len(text) or indent <= parent:
            raise NotPlain("a block scalar that starts with a blank line, or is empty")
        body: list[str] = []
        j = first
        last = first  # the last line with content
        while j < count:
            text = lines[j]
            here = len(text) - len(text.lstrip(" "))
            if here >= len(text):  # blank (or spaces only)
                if here > indent:
                    raise NotPlain("a blank line with more spaces than the block's indentation")
                body.append("")
            elif here >= indent:
                body.append(text[indent:])
                last = j
            else:
                break
            j += 1
        del body[last - first + 1 :]
        value = "\n".join(body) if style == "|" else _fold(body)
        if not strip:
            value += "\n"
        return value, last + 1


#: A null value with nothing written (`key:` and nothing below).
_NULL = Tagged("null", "")
#: Every distinct line met -> what it is (see `Line`); shared by every load, bounded.
_LINES: dict[str, Line] = {}
#: A flow mapping's text -> its entries (see `_flow_entries`); shared by every load, bounded.
_FLOWS: dict[str, tuple[tuple[str, int, str | Tagged, int], ...]] = {}
_MEMO_LIMIT = 200_000


#: A line, taken apart in C: indentation, an item's '- ', a `key:` (plain name, then a space or the end), the rest.
_PARTS = re.compile(r"( *)(?:(-)(?: +|$))?(?:([A-Za-z0-9_][A-Za-z0-9_-]*):(?: +|$))?(.*)")


#: The commonest lines, whole: `key:`, `key: word` or `key: "text"` (no quote or backslash inside), maybe after '- '.
_SIMPLE = re.compile(r'( *)(- )?([A-Za-z_][A-Za-z0-9_]*):(?: ([A-Za-z_][A-Za-z0-9_]*)| "([^"\\]*)")?\Z')


def _classify(line: str) -> Line:
    """What `line` is, out of its context (raises `NotPlain` for a line this reader leaves alone)."""
    simple = _SIMPLE.match(line)
    if simple is not None:  # the general way below gives the same answer, more slowly
        indent_text, dash, key, word, quoted = simple.groups()
        if not (_KEY_OK.get(key) or _key_ok(key)):
            raise NotPlain("an unusual key")
        indent = len(indent_text)
        item = indent + 2 if dash else -1
        colon = (item if dash else indent) + len(key)
        if word is not None:
            if _PATTERNS and word[0] not in _PATTERNS:  # most words: no pattern starts with their letter
                info: Line = (indent, item, key, colon + 2, SCALAR, word)
            else:
                info = (indent, item, key, colon + 2, SCALAR, _resolve(word))
        elif quoted is not None:
            info = (indent, item, key, colon + 2, SCALAR, quoted)
        else:
            info = (indent, item, key, colon + 1, BELOW, None)
        if len(_LINES) > _MEMO_LIMIT:
            _LINES.clear()
        _LINES[line] = info
        return info
    parts = _PARTS.match(line)
    indent_text, dash, key, rest = parts.groups()  # type: ignore[union-attr]
    if not dash and not key and (not rest or rest[0] == "#"):
        info = BLANK
    else:
        indent = len(indent_text)
        item = -1
        if dash:
            item = parts.start(3) if key else parts.start(4)  # type: ignore[union-attr]
            if not key and (not rest or rest[0] == "#"):
                raise NotPlain("an item on the lines below its '-'")
            if not key and rest[0] == "-" and (len(rest) == 1 or rest[1] == " "):
                raise NotPlain("a list inside a list on one line")
        if key is not None:
            if not _key_ok(key):
                raise NotPlain("an unusual key")
            if not rest or rest[0] == "#":
                info = (indent, item, key, parts.end(3) + 1, BELOW, None)  # type: ignore[union-attr]
            else:
                kind, payload = _value(rest)
                info = (indent, item, key, parts.start(4), kind, payload)  # type: ignore[union-attr]
        elif dash:
            kind, payload = _value(rest)
            info = (indent, item, None, item, kind, payload)
        else:
            raise NotPlain("not a 'key: value' line")
    if len(_LINES) > _MEMO_LIMIT:
        _LINES.clear()
    _LINES[line] = info
    return info


def _value(rest: str) -> tuple[int, object]:
    """What the value written as `rest` (the rest of a line) is: kind and payload, as in `Line`."""
    first = rest[0]
    if first == "|" or first == ">":
        strip = rest.startswith("-", 1)
        if not _tail_ok(rest, 2 if strip else 1):  # '+', an indentation digit, or anything else
            raise NotPlain("a block scalar header this reader leaves to libyaml")
        return BLOCK, (first, strip)
    if first != "{":
        return SCALAR, _scalar(rest)
    entries = _FLOWS.get(rest)  # the same `set: {...}` is often written at several indentations
    if entries is None:
        if len(_FLOWS) > _MEMO_LIMIT:
            _FLOWS.clear()
        entries = _FLOWS[rest] = _flow_entries(rest)
    return FLOW, entries


def _scalar(rest: str) -> str | Tagged:
    """The scalar written as `rest`, quoted or plain."""
    first = rest[0]
    if first == "'" or first == '"':
        value, end = _quoted(rest, 0)
        if not _tail_ok(rest, end):
            raise NotPlain("text after a quoted scalar")
        return value
    if first in _INDICATORS or first == "-" and (len(rest) == 1 or rest[1] == " "):
        raise NotPlain("an indicator")
    end = rest.find(" #")
    text = (rest if end < 0 else rest[:end]).rstrip(" ")
    if ": " in text or text.endswith(":"):
        raise NotPlain("': ' inside a plain scalar")
    return _resolve(text)


def flow_mapping(entries: tuple[tuple[str, int, str | Tagged, int], ...], line_no: int, start: int) -> Map:
    """A `{key: value, ...}` mapping closed on its line, starting at column `start` of line `line_no`."""
    out = Map()
    at: dict[str, tuple[int, int, int, int]] = {}
    out.at = at
    out.line, out.col = line_no, start + 1
    for key, key_at, value, value_at in entries:
        out[key] = value
        at[key] = (line_no, start + key_at + 1, line_no, start + value_at + 1)
    return out


def _flow_entries(line: str) -> tuple[tuple[str, int, str | Tagged, int], ...]:
    """The entries of the flow mapping that `line` starts with: scalars only, closed on the line."""
    found: list[tuple[str, int, str | Tagged, int]] = []
    keys: set[str] = set()
    pos = _skip(line, 1)
    if line.startswith("}", pos):
        if not _tail_ok(line, pos + 1):
            raise NotPlain("text after a flow mapping")
        return ()
    while True:
        match = _FLOW_KEY.match(line, pos)
        if match is None:
            raise NotPlain("an unusual flow mapping key")
        key = match.group(1)
        if key in keys or not _key_ok(key):
            raise NotPlain("a duplicate or unusual key")
        keys.add(key)
        key_at = pos
        pos = match.end()
        if pos >= len(line):
            raise NotPlain("a flow mapping over several lines")
        first = line[pos]
        if first == "'" or first == '"':
            value: str | Tagged
            value, end = _quoted(line, pos)
        else:
            if first in _INDICATORS or first == "-" and line.startswith(("- ", "-,", "-}"), pos):
                raise NotPlain("an indicator")
            end = pos
            stop = len(line)
            while end < stop and line[end] not in ",}":
                end += 1
            text = line[pos:end].rstrip(" ")
            if not text or any(c in text for c in ":#[]{"):
                raise NotPlain("an unusual flow scalar")
            value = _resolve(text)
        found.append((key, key_at, value, pos))
        pos = _skip(line, end)
        if line.startswith(",", pos):
            pos = _skip(line, pos + 1)
            if line.startswith("}", pos):
                raise NotPlain("a trailing comma")
            continue
        if line.startswith("}", pos):
            if not _tail_ok(line, pos + 1):
                raise NotPlain("text after a flow mapping")
            return tuple(found)
        raise NotPlain("a flow mapping over several lines, or a syntax error")


#: A flow-mapping key: a plain name, ':' and at least one space.
_FLOW_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_-]*): +")


def _skip(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] == " ":
        pos += 1
    return pos


def _tail_ok(line: str, pos: int) -> bool:
    """Nothing but spaces, or spaces and a comment, from `pos` to the end of the line."""
    rest = line[pos:]
    if not rest:
        return True
    stripped = rest.lstrip(" ")
    return not stripped or (stripped[0] == "#" and len(stripped) < len(rest))


def _quoted(line: str, start: int) -> tuple[str, int]:
    """A one-line quoted scalar starting at `start`: its value and the index after its closing quote."""
    quote = line[start]
    if quote == '"':
        end = line.find('"', start + 1)
        if end < 0 or "\\" in line[start + 1 : end]:
            raise NotPlain("a double-quoted scalar with escapes or over several lines")
        return line[start + 1 : end], end + 1
    pos = start + 1
    while True:
        end = line.find("'", pos)
        if end < 0:
            raise NotPlain("a single-quoted scalar over several lines")
        if line.startswith("'", end + 1):
            pos = end + 2
            continue
        return line[start + 1 : end].replace("''", "'"), end + 1


def _fold(body: list[str]) -> str:
    """Folded-block text: lines of a paragraph joined by spaces, each blank line kept as a line break."""
    if any(text.startswith(" ") for text in body):
        raise NotPlain("a more-indented line in a folded block")
    out: list[str] = []
    blanks = 0
    for text in body:
        if not text:
            blanks += 1
            continue
        if out:
            out.append("\n" * blanks if blanks else " ")
        out.append(text)
        blanks = 0
    return "".join(out)
