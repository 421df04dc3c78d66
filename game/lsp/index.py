"""Where each scene, variable and ending is defined and named, with exact ranges: the editor's map.

Navigation (definition, references, hover, rename, symbols) needs to know the
place of every name, including the names inside expressions (`visits(x)`,
`courage >= 2`) and between braces. The compiled model keeps one `Loc` per
object, not per name, so this module reads each file again with the engine's
own readers: `yaml_source` for the positioned tree, `expressions.parse` and
`text.parse_template` for the names inside values, and the key tables of
`format` to know what each key holds.

It is a reader, not a second compiler: it decides nothing about validity. A
file that does not parse gives no occurrences (the engine's diagnostics say
why), and a name written wrong is recorded as written, so "find references" on
it shows every place the typo is. The walk follows the key tables' *kinds*
(`scene`, `condition`, `choices`…), so a key added to a table with a kind the
walk knows is indexed without a change here; a new kind is one entry in
`_VALUE_READERS`.

Texts are read with format 2's brace language whatever the story's format (it
reads every text of format 1 the same): the names of `{expression}`, of
`{if condition: …}` and of `visits(scene)` inside braces are found, and so are
the snippets of `{>name}`, defined under story.yaml's `snippets:`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final, Literal

from game.engine import format as fmt
from game.engine.errors import Diagnostics
from game.engine.expressions import FUNCTIONS, KEYWORDS_2, ExpressionError, Name, Visits, children, parse, tokenize
from game.engine.expressions import Expression as CheckedExpression
from game.engine.expressions import Node as ExprNode
from game.engine.expressions import ValueType as ExprType
from game.engine.text import Piece, TemplateError, parse_template, template_failed
from game.engine.yaml_source import Mapping, Node, Scalar, Sequence, SourceFile, read_document

#: What a name can name: a scene, a variable, an ending, or a snippet of story.yaml (format 2).
NameKind = Literal["scene", "variable", "ending", "snippet"]
NAME_KINDS: Final[tuple[NameKind, ...]] = ("scene", "variable", "ending", "snippet")

#: What kind of file a document is: it decides the key table at its top.
FileKind = Literal["story", "scenes", "playthrough"]

PLAYTHROUGH_SUFFIX: Final = ".playthrough.yaml"
_TEMPLATE_NAME = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")
_SNIPPET = re.compile(r"\{\s*>\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")
#: Words of an expression that are not names of the story: the language's own, and its functions.
_LANGUAGE = frozenset(KEYWORDS_2) | frozenset(FUNCTIONS) | {"visits"}


def file_kind(rel: str) -> FileKind:
    """The kind of a file from its path relative to the story folder."""
    if rel.endswith(PLAYTHROUGH_SUFFIX):
        return "playthrough"
    return "story" if rel == "story.yaml" else "scenes"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a name is written: its definition, or a reference to it.

    `line` is 0-based and `start`/`end` are character columns on that line (names never
    span lines). `role` says how it is used: "define", "goto", "start", "ending",
    "visits", "read" (in an expression or a text), "set", "input", "snippet" (`{>name}`),
    "expect", "state".
    """

    kind: NameKind
    name: str
    path: str
    line: int
    start: int
    end: int
    role: str

    @property
    def definition(self) -> bool:
        return self.role == "define"


@dataclass(slots=True)
class Info:
    """What hover shows about a definition, as written in the file."""

    title: str | None = None
    chapter: str | None = None
    text: str | None = None
    description: str | None = None
    default: str | None = None
    label: str | None = None
    min: str | None = None
    max: str | None = None


@dataclass(slots=True)
class Symbol:
    """An outline entry: a chapter, a scene, an ending, a variable or a snippet, with its offsets in the file."""

    name: str
    kind: str  # "chapter", "scene", "ending", "variable", "snippet", "group"
    detail: str
    start: int
    end: int
    select_start: int
    select_end: int
    children: list[Symbol] = field(default_factory=list)


@dataclass(slots=True)
class FileIndex:
    """Everything one file defines and names."""

    path: str
    kind: FileKind
    occurrences: list[Occurrence] = field(default_factory=list)
    #: (kind, name) of each definition → what it says about itself.
    info: dict[tuple[str, str], Info] = field(default_factory=dict)
    symbols: list[Symbol] = field(default_factory=list)
    #: A playthrough's `story:` value, as written (None: the bundled story).
    story: str | None = None
    #: story.yaml's `format:`, when it is a version number (None: not written, or not story.yaml).
    format: int | None = None
    parsed: bool = True

    def at(self, line: int, column: int) -> Occurrence | None:
        """The occurrence under a cursor at character `column` of 0-based `line` (its end included)."""
        for occurrence in self.occurrences:
            if occurrence.line == line and occurrence.start <= column <= occurrence.end:
                return occurrence
        return None

    def definitions(self) -> Iterator[Occurrence]:
        return (o for o in self.occurrences if o.definition)


def index_file(path: str, text: str) -> FileIndex:
    """Index one file's text (an editor's buffer or the file on disk)."""
    kind = file_kind(path)
    found = FileIndex(path, kind)
    document = read_document(path, text.encode("utf-8", "surrogatepass"), Diagnostics(), "")
    if document is None:
        found.parsed = False
        return found
    reader, root = document
    walker = _Walker(reader.source, found)
    if not isinstance(root, Mapping):
        return found
    if kind == "story":
        walker.story(root)
    elif kind == "scenes":
        walker.scene_file(root)
    else:
        walker.playthrough(root)
    return found


# --------------------------------------------------------------------------- names inside values


@functools.lru_cache(maxsize=4096)  # a story repeats the same few expressions many times
def expression_names(source: str) -> tuple[tuple[NameKind, str, int], ...]:
    """The variables and `visits()` scenes of an expression: (kind, name, offset), as written.

    Parsed by the engine's parser (format 2's grammar: sets, `in`, `count()`, chance); an
    expression that does not parse (the author is typing it) falls back to its tokens, so its
    names can still be found and completed."""
    try:
        return tuple(_tree_names(parse(source, fmt.FORMAT_VERSION)))
    except ExpressionError:
        pass
    try:
        tokens = tokenize(source)
    except ExpressionError:
        return ()
    out: list[tuple[NameKind, str, int]] = []
    for i, token in enumerate(tokens):
        if token.kind != "name" or token.text in _LANGUAGE:
            continue
        after_visits = i >= 2 and tokens[i - 1].text == "(" and tokens[i - 2].text == "visits"
        out.append(("scene" if after_visits else "variable", token.text, token.offset))
    return tuple(out)


def _tree_names(node: ExprNode) -> Iterator[tuple[NameKind, str, int]]:
    if isinstance(node, Name):
        yield "variable", node.name, node.offset
    elif isinstance(node, Visits):
        yield "scene", node.scene, node.scene_offset
    else:
        for child in children(node):
            yield from _tree_names(child)


class _AnySnippet(dict[str, tuple[Piece, ...]]):
    """Every snippet name is known while names are read (whether it is defined is the engine's to say)."""

    def get(self, key: str, default: object = None) -> tuple[Piece, ...]:
        return ()

    def __bool__(self) -> bool:
        return True


@functools.lru_cache(maxsize=4096)
def text_names(source: str) -> tuple[tuple[NameKind, str, int], ...]:
    """The names of a text with their offsets: the variables and `visits()` scenes of every
    expression between braces (format 2's `{if …}` included), and the snippets of `{>name}`.
    A malformed text gives what can still be read of it."""
    if "{" not in source:
        return ()
    found: list[tuple[NameKind, str, int]] = []

    def record(text: str, offset: int, want: ExprType | None) -> CheckedExpression | None:
        found.extend((kind, name, offset + at) for kind, name, at in expression_names(text))
        return None

    try:
        parse_template(source, fmt.FORMAT_VERSION, record, _AnySnippet())
    except TemplateError as exc:
        if template_failed(exc):  # braces the author has not finished: what can still be read
            found = [("variable", m.group(1), m.start(1)) for m in _TEMPLATE_NAME.finditer(source)]
    found += [("snippet", m.group(1), m.start(1)) for m in _SNIPPET.finditer(source)]
    return tuple(sorted(found, key=lambda item: item[2]))


def template_names(source: str) -> list[tuple[str, int]]:
    """The variables written in a text with their offsets (see `text_names`)."""
    return [(name, offset) for kind, name, offset in text_names(source) if kind == "variable"]


# --------------------------------------------------------------------------- the walk


class _Walker:
    """Reads one file's tree through the key tables, recording every name with its range."""

    def __init__(self, source: SourceFile, out: FileIndex) -> None:
        self.source = source
        self.out = out
        self.scene_id = ""

    # ------------------------------------------------------------------ recording

    def record(self, kind: NameKind, name: str, node: Node, role: str, offset: int = 0) -> None:
        """A name written in `node`'s value at character `offset` of that value."""
        if not name:
            return
        loc = self.source.loc_in_scalar(node, offset, name)
        line, column = loc.line - 1, loc.col - 1
        self.out.occurrences.append(Occurrence(kind, name, self.out.path, line, column, column + len(name), role))

    def define(self, kind: NameKind, key_node: Scalar, value: Node, info: Info, detail: str) -> Symbol:
        self.record(kind, key_node.text, key_node, "define")
        self.out.info[(kind, key_node.text)] = info
        return Symbol(
            key_node.text, kind, detail, key_node.start, max(value.end, key_node.end), key_node.start, key_node.end
        )

    # ------------------------------------------------------------------ files

    def story(self, root: Mapping) -> None:
        keys = _keys(root)
        version = keys.get("format")
        if isinstance(version, Scalar) and version.tag == "int" and isinstance(version.value, int):
            self.out.format = version.value
        start = keys.get("start")
        if isinstance(start, Scalar):
            self.record("scene", start.text, start, "start")
        variables = keys.get("variables")
        if isinstance(variables, Mapping):
            group = [self.variable(key, value) for key, value in _named(variables)]
            if group:
                self.out.symbols.append(_group("variables", variables, group))
        endings = keys.get("endings")
        if isinstance(endings, Mapping):
            group = [self.ending(key, value) for key, value in _named(endings)]
            if group:
                self.out.symbols.append(_group("endings", endings, group))
        snippets = keys.get("snippets")
        if isinstance(snippets, Mapping):
            group = [self.snippet(key, value) for key, value in _named(snippets)]
            if group:
                self.out.symbols.append(_group("snippets", snippets, group))

    def snippet(self, key_node: Scalar, value: Node) -> Symbol:
        info = Info(text=_text(value))
        symbol = self.define("snippet", key_node, value, info, _short(info.text or ""))
        self.template(value)  # a snippet may show variables and use the snippets above it
        return symbol

    def variable(self, key_node: Scalar, value: Node) -> Symbol:
        info = Info()
        if isinstance(value, Scalar):
            info.default = value.text
        elif isinstance(value, Mapping):
            keys = _keys(value)
            info.default, info.label = _text(keys.get("default")), _text(keys.get("label"))
            info.min, info.max = _text(keys.get("min")), _text(keys.get("max"))
        return self.define("variable", key_node, value, info, info.label or f"default {info.default}")

    def ending(self, key_node: Scalar, value: Node) -> Symbol:
        keys = _keys(value) if isinstance(value, Mapping) else {}
        info = Info(title=_text(keys.get("title")), description=_text(keys.get("description")))
        return self.define("ending", key_node, value, info, info.title or "")

    def scene_file(self, root: Mapping) -> None:
        keys = _keys(root)
        chapter = _text(keys.get("chapter"))
        scenes = keys.get("scenes")
        if not isinstance(scenes, Mapping):
            return
        chapters: dict[str | None, list[Symbol]] = {}
        for key_node, value in _named(scenes):
            symbol, scene_chapter = self.scene(key_node, value, chapter)
            chapters.setdefault(scene_chapter, []).append(symbol)
        for name, members in chapters.items():
            if name is None:
                self.out.symbols.extend(members)
            else:
                first, last = members[0], members[-1]
                self.out.symbols.append(
                    Symbol(
                        name, "chapter", "chapter", first.start, last.end, first.select_start, first.select_end, members
                    )
                )

    def scene(self, key_node: Scalar, value: Node, chapter: str | None) -> tuple[Symbol, str | None]:
        self.scene_id = key_node.text
        keys = _keys(value) if isinstance(value, Mapping) else {}
        text = keys.get("text")
        opening = text.text if isinstance(text, Scalar) else None
        if isinstance(text, Sequence) and text.items:
            first = text.items[0]
            opening = first.text if isinstance(first, Scalar) else _text(_keys(first).get("text"))
        chapter = _text(keys.get("chapter")) or chapter
        info = Info(title=_text(keys.get("title")), chapter=chapter, text=opening)
        symbol = self.define("scene", key_node, value, info, info.title or "")
        if isinstance(value, Mapping):
            self.table(value, fmt.SCENE_KEYS)
        return symbol, chapter

    def playthrough(self, root: Mapping) -> None:
        keys = _keys(root)
        self.out.story = _text(keys.get("story"))
        start = keys.get("start")
        if isinstance(start, Scalar):
            self.record("scene", start.text, start, "start")
        self.state(keys.get("state"))
        steps = keys.get("steps")
        for step in steps.items if isinstance(steps, Sequence) else ():
            expect = _keys(step).get("expect") if isinstance(step, Mapping) else None
            if not isinstance(expect, Mapping):
                continue
            checks = _keys(expect)
            scene, ending = checks.get("scene"), checks.get("ending")
            if isinstance(scene, Scalar):
                self.record("scene", scene.text, scene, "expect")
            if isinstance(ending, Scalar):
                self.record("ending", ending.text, ending, "expect")
            self.state(checks.get("state"))

    def state(self, node: Node | None) -> None:
        if isinstance(node, Mapping):
            for key_node, _ in _named(node):
                self.record("variable", key_node.text, key_node, "state")

    # ------------------------------------------------------------------ values, by the kind of their key

    def table(self, node: Mapping, table: dict[str, fmt.Key]) -> None:
        for key_node, value in node.pairs:
            key = table.get(key_node.text) if isinstance(key_node, Scalar) else None
            if key is not None:
                read = _VALUE_READERS.get(key.kind)
                if read is not None:
                    read(self, value)

    def scene_ref(self, node: Node) -> None:
        if isinstance(node, Scalar):
            self.record("scene", node.text, node, "goto")

    def ending_ref(self, node: Node) -> None:
        if isinstance(node, Scalar):
            self.record("ending", node.text, node, "ending")

    def expression(self, node: Node) -> None:
        if isinstance(node, Scalar) and node.tag == "str":
            for kind, name, offset in expression_names(node.text):
                self.record(kind, name, node, "visits" if kind == "scene" else "read", offset)

    def template(self, node: Node) -> None:
        if isinstance(node, Scalar) and "{" in node.text:
            for kind, name, offset in text_names(node.text):
                role = {"scene": "visits", "snippet": "snippet"}.get(kind, "read")
                self.record(kind, name, node, role, offset)

    def variable_ref(self, node: Node) -> None:
        if isinstance(node, Scalar):
            self.record("variable", node.text, node, "input")

    def effects(self, node: Node) -> None:
        if isinstance(node, Sequence):
            for item in node.items:
                if isinstance(item, Mapping):
                    self.table(item, fmt.EFFECT_KEYS)

    def input(self, node: Node) -> None:
        if isinstance(node, Mapping):
            self.table(node, fmt.INPUT_KEYS)

    def paragraphs(self, node: Node) -> None:
        if isinstance(node, Scalar):
            self.template(node)
        elif isinstance(node, Sequence):
            for item in node.items:
                if isinstance(item, Mapping):
                    self.table(item, fmt.PARAGRAPH_KEYS)
                else:
                    self.template(item)

    def goto(self, node: Node) -> None:
        if isinstance(node, Scalar):
            self.scene_ref(node)
        elif isinstance(node, Sequence):
            for item in node.items:
                if isinstance(item, Mapping):
                    self.table(item, fmt.BRANCH_KEYS)

    def choices(self, node: Node) -> None:
        if isinstance(node, Sequence):
            for item in node.items:
                if isinstance(item, Mapping):
                    self.table(item, fmt.CHOICE_KEYS)

    def sets(self, node: Node) -> None:
        if isinstance(node, Mapping):
            for key_node, value in node.pairs:
                if isinstance(key_node, Scalar):
                    self.record("variable", key_node.text, key_node, "set")
                self.expression(value)


#: How the value of each kind of key (`format.Key.kind`) is read for names; kinds that hold no
#: names (text, bool, int, value) are absent.
_VALUE_READERS: dict[str, Callable[[_Walker, Node], None]] = {
    "scene": _Walker.scene_ref,
    "ending": _Walker.ending_ref,
    "condition": _Walker.expression,
    "chance-condition": _Walker.expression,
    "template": _Walker.template,
    "prose": _Walker.template,
    "heading": _Walker.template,
    "paragraphs": _Walker.paragraphs,
    "goto": _Walker.goto,
    "choices": _Walker.choices,
    "set": _Walker.sets,
    "effects": _Walker.effects,
    "input": _Walker.input,
    "variable": _Walker.variable_ref,
}


def _keys(node: Node) -> dict[str, Node]:
    """A mapping's values by key (the first of duplicates: the engine reports the rest)."""
    out: dict[str, Node] = {}
    if isinstance(node, Mapping):
        for key_node, value in node.pairs:
            if isinstance(key_node, Scalar):
                out.setdefault(key_node.text, value)
    return out


def _named(node: Mapping) -> Iterator[tuple[Scalar, Node]]:
    for key_node, value in node.pairs:
        if isinstance(key_node, Scalar) and key_node.text:
            yield key_node, value


def _text(node: Node | None) -> str | None:
    return node.text if isinstance(node, Scalar) and node.tag != "null" else None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _group(name: str, node: Mapping, members: list[Symbol]) -> Symbol:
    return Symbol(name, "group", "", node.start, node.end, node.start, node.start, members)
