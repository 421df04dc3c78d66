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

from game.engine.errors import Diagnostics, Loc, did_you_mean
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


class SourceFile:
    """One YAML file's text, with index→(line, col) mapping for messages."""

    __slots__ = ("path", "text", "_line_starts")

    def __init__(self, path: str, text: str) -> None:
        self.path = path  # relative to the story folder, with forward slashes
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

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
    source = SourceFile(path, text)
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
    if problem.startswith("did not find expected key"):
        return (
            "; check the indentation of this line, and quote text that starts with a quote mark,"
            " '{' or '[' (or write it below a '|' line)"
        )
    return ""


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


#: The tags a key may have: YAML reads `1:` and `yes:` as a number and a boolean, but they are names to us.
_KEY_TAGS = frozenset({"str", "int", "bool"})


class Reader:
    """Reads the tree of one file for a compiler, reporting shape problems with their place."""

    __slots__ = ("source", "diags")

    def __init__(self, source: SourceFile, diags: Diagnostics):
        self.source = source
        self.diags = diags

    def error(self, node: Node, message: str, code: str = "error") -> None:
        self.diags.error(node.loc, message, code)

    def keyed(self, node: Node, spec: dict[str, Key], what: str) -> dict[str, Node] | None:
        """Check a mapping against its key table (unknown, duplicate, missing keys); return key → value node.

        Shared by every located file format (scenes, story.yaml, playthroughs), so
        they all answer a typo the same way: with the place and a "did you mean".
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
        for key, key_node, value in self.items(node):
            if key not in spec:
                allowed = ", ".join(spec)
                hint = did_you_mean(key, spec)
                self.error(
                    key_node, f"unknown key '{key}' in {what}{hint or f'; expected one of: {allowed}'}", "unknown-key"
                )
                continue
            out[key] = value
        for key in [k for k, s in spec.items() if s.required and k not in out]:
            self.error(node, f"{what} is missing required key '{key}'", "missing-key")
        return out

    def items(self, node: Mapping) -> Iterator[tuple[str, Scalar, Node]]:
        """Yield `(key, key_node, value_node)`, reporting duplicate and non-name keys."""
        seen: dict[str, Scalar] = {}
        for key_node, value_node in node.pairs:
            if not isinstance(key_node, Scalar) or key_node.tag not in _KEY_TAGS:
                self.error(key_node, f"keys must be plain names, found {kind_of(key_node)}", "bad-key")
                continue
            key = key_node.text
            if key in seen:
                first = seen[key]
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
