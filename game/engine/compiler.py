"""Compile one story file into its part of the model, checking every rule of the format once.

This is the story format's only compiler. It reads a file's positioned tree
(`game.engine.yaml_source`) through the key tables of `game.engine.format`
and builds the model (`game.engine.model`), reporting every mistake with its
file, line and column, so an author fixes a whole file in one round. Nothing
is re-validated at run time: the runtime trusts what comes out of here.

A file is compiled on its own, so that editing one file of a big story
compiles that file again and nothing else:

* `compile_header` reads story.yaml: title, start, variables, endings. What a
  scene file needs to know of it (variable names and types, ending ids) is its
  `Interface`.
* `compile_scenes` reads a scene file against that interface. Whether the
  scenes it names exist is a question about the whole story: each reference is
  recorded with its place, and `game.engine.story` answers it once every file
  is compiled.

Kept apart from the loader and the runtime (as ink keeps its compiler apart
from its runtime): a story read back from the cache imports neither PyYAML nor
this module, so the player's first screen waits for neither.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from game.engine import format as fmt
from game.engine.errors import Diagnostic, Diagnostics, Loc, closest, did_you_mean
from game.engine.expressions import (
    FUNCTIONS,
    INT_LIMIT,
    KEYWORDS,
    KEYWORDS_2,
    SET_LIMIT,
    STRING_LIMIT,
    Expression,
    ExpressionError,
    Literal,
    Name,
    Value,
    ValueType,
    Visits,
    chance_in,
    check_types,
    parse,
    type_name,
    type_of,
    visits_in,
)
from game.engine.model import Assignment, Branch, Choice, Effect, Ending, Input, Paragraph, Scene, Variable
from game.engine.parts import STORY_FILE, Entry, Header, Interface, Pending, Reference, ScenePart
from game.engine.text import (
    Piece,
    Show,
    Template,
    TemplateError,
    parse_template,
    split_paragraphs,
    template_failed,
)
from game.engine.yaml_source import (
    Mapping,
    Node,
    Reader,
    Scalar,
    Sequence,
    is_null,
    is_prose,
    kind_of,
    normal_breaks,
    read_document,
    scene_ids_in,
)

_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
#: Words of the expression language, which cannot name a variable (format 2 adds `in` and its functions).
RESERVED = frozenset(KEYWORDS) | {"visits"}
RESERVED_2 = RESERVED | frozenset(KEYWORDS_2) | frozenset(FUNCTIONS)


class Invalid(enum.Enum):
    """The value of a key that could not be read (its mistake is already reported)."""

    VALUE = "INVALID"


INVALID = Invalid.VALUE
T = TypeVar("T")


# --------------------------------------------------------------------------- reading a file


def _tree(path: str, data: bytes, diags: Diagnostics) -> tuple[Reader, Node] | None:
    return read_document(path, data, diags, "file is empty: expected a mapping")


def compile_header(data: bytes | None, problem: Diagnostic | None = None) -> Header:
    """story.yaml from its bytes (or the reason it could not be read)."""
    diags = Diagnostics()
    if problem is not None:
        diags.items.append(problem)
    tree = None if data is None else _tree(STORY_FILE, data, diags)
    if tree is None:
        return _unread_header(diags, parsed=False)
    reader, node = tree
    keys = reader.keyed(node, fmt.STORY_KEYS, STORY_FILE)
    if keys is None:
        return _unread_header(diags, parsed=True)
    errors_before = len(diags.items)
    compiler = _Compiler(reader, Interface({}, format=_format_version(reader, keys.get("format"))))
    if len(diags.items) != errors_before:  # a version it cannot read: its names are not a second mistake
        compiler.reserved = RESERVED
    compiler.check_versions(node, keys, fmt.STORY_KEYS)
    for key_node, _ in node.pairs if isinstance(node, Mapping) else ():
        # `variabels:` is one mistake, reported with its "did you mean": the names it hides are not more
        if isinstance(key_node, Scalar) and key_node.text not in fmt.STORY_KEYS:
            meant = closest(key_node.text, fmt.STORY_KEYS)
            compiler.variables_unknown |= meant == "variables" and meant not in keys
            compiler.endings_unknown |= meant == "endings" and meant not in keys
    values = compiler.fields({k: v for k, v in keys.items() if k != "format"}, fmt.STORY_KEYS)
    start_node = keys.get("start")
    variables: dict[str, Variable] = values.get("variables", {})
    compiler.variable_types = {name: var.type for name, var in variables.items()}
    for text, what in compiler.placeholders:
        compiler._unfilled(text, what)
    endings: dict[str, Ending] = values.get("endings", {})
    interface = Interface(
        {name: var.type for name, var in variables.items()},
        tuple(compiler.broken_variables),
        compiler.variables_unknown,
        tuple(endings),
        tuple(compiler.broken_endings),
        compiler.endings_unknown,
        _boolean_words(keys.get("variables"), variables),
        compiler.version,
        values.get("snippets", {}),
        tuple(compiler.broken_snippets),
    )
    return Header(
        title=_valid(values.get("title")),
        start=_valid(values.get("start")),
        start_loc=None if start_node is None else start_node.loc,
        start_at=None if start_node is None else reader.source.loc_in_scalar(start_node, 0),
        variables=variables,
        endings=endings,
        interface=interface,
        diagnostics=tuple(diags.items),
        format=compiler.version,
    )


def _format_version(reader: Reader, node: Node | None) -> int:
    """The version `format:` declares (1 when absent); a version this engine cannot read is reported."""
    if node is None:
        return 1
    if isinstance(node, Scalar) and node.tag == "int" and isinstance(node.value, int):
        if 1 <= node.value <= fmt.FORMAT_VERSION:
            return node.value
        if node.value > fmt.FORMAT_VERSION:
            reader.error(
                node,
                f"this story is written in format {node.value}, and this engine reads formats 1 to"
                f" {fmt.FORMAT_VERSION}: update million-miles to play it",
                "version",
            )
            return fmt.FORMAT_VERSION
    reader.error(
        node, f"'format' must be a version number from 1 to {fmt.FORMAT_VERSION}, found {kind_of(node)}", "version"
    )
    return fmt.FORMAT_VERSION


def _boolean_words(node: Node | None, variables: dict[str, Variable]) -> tuple[tuple[str, str], ...]:
    """The variables whose default YAML read as a boolean from a word (`no`, `off`), with the word."""
    out = []
    for key_node, value in node.pairs if isinstance(node, Mapping) else ():
        if isinstance(value, Mapping):
            value = next((v for k, v in value.pairs if isinstance(k, Scalar) and k.text == "default"), value)
        if isinstance(key_node, Scalar) and key_node.text in variables and _boolean_word(value):
            assert isinstance(value, Scalar)
            out.append((key_node.text, value.text))
    return tuple(out)


def _boolean_word(node: Node) -> bool:
    """`yes`, `no`, `on`, `off`: words that YAML (1.1, as the engine reads it) takes for true and false."""
    return isinstance(node, Scalar) and node.tag == "bool" and not node.style and node.text.lower() not in BOOLEANS


#: How the expression language writes its booleans.
BOOLEANS = ("true", "false")


def _unread_header(diags: Diagnostics, parsed: bool) -> Header:
    unknown = Interface({}, variables_unknown=True, endings_unknown=True)
    return Header(None, None, None, None, {}, {}, unknown, parsed, True, tuple(diags.items))


def _valid(value: T | Invalid) -> T | None:
    return None if value is INVALID else value


def compile_scenes(path: str, data: bytes | None, interface: Interface, problem: Diagnostic | None = None) -> ScenePart:
    """A scene file from its bytes (or the reason it could not be read), against story.yaml's interface."""
    diags = Diagnostics()
    if problem is not None:
        diags.items.append(problem)
    tree = None if data is None else _tree(path, data, diags)
    if tree is None:  # the scenes it seems to define count as broken: references to them are not reported
        ids = scene_ids_in(normal_breaks(data.decode("utf-8-sig", "replace"))) if data is not None else None
        entries = [Entry(scene_id, Loc(path, line, col), None, True) for scene_id, line, col in ids or ()]
        return ScenePart(path, entries, ids is None, tuple(diags.items))
    reader, node = tree
    keys = reader.keyed(node, fmt.SCENE_FILE_KEYS, "a scene file")
    if keys is None:  # its scenes are unknown: references to them are not checked
        return ScenePart(path, [], True, tuple(diags.items))
    compiler = _Compiler(reader, interface)
    chapter = compiler.fields(keys, {"chapter": fmt.SCENE_FILE_KEYS["chapter"]}).get("chapter")
    scenes = keys.get("scenes")
    if scenes is None:
        return ScenePart(path, [], True, tuple(diags.items))
    if not isinstance(scenes, Mapping):
        reader.error(scenes, f"'scenes' must be a mapping of scene id → scene, found {kind_of(scenes)}", "type")
        return ScenePart(path, [], True, tuple(diags.items))
    entries = [
        compiler.scene_entry(scene_id, key_node, value, _valid(chapter))
        for scene_id, key_node, value in compiler.named_items(scenes, "scene id")
    ]
    for before, entry in zip(entries, entries[1:], strict=False):
        if entry.broken and entry.id in fmt.SCENE_KEYS:  # a key of `before`, dedented: one mistake, said there
            before.diagnostics = tuple(d for d in before.diagnostics if not _lost_key(d, entry.id))
    return ScenePart(path, entries, False, tuple(diags.items))


def _lost_key(diagnostic: Diagnostic, key: str) -> bool:
    """Whether `diagnostic` says a scene lacks `key`."""
    if key in fmt.SCENE_EXITS:
        return diagnostic.code == "no-exit"
    return diagnostic.message.endswith(f"missing required key '{key}'")


# --------------------------------------------------------------------------- the compiler


class _Compiler:
    """The rules of the format, over the tree of one file."""

    def __init__(self, reader: Reader, interface: Interface) -> None:
        self.reader = reader
        self.source = reader.source
        self.interface = interface
        self.variable_types = interface.variables
        self.broken_variables: list[str] = []
        self.broken_endings: list[str] = []
        self.variables_unknown = interface.variables_unknown
        self.endings_unknown = interface.endings_unknown
        self.endings = interface.endings
        #: The scene being compiled: its id, its references and messages that wait for the whole story.
        self.scene_id = ""
        self.references: list[Reference] = []
        self.pending: list[Pending] = []
        # A file repeats the same few expressions and texts many times: each is checked once.
        self._expressions: dict[tuple[str, str], tuple[Expression, tuple[Visits, ...]]] = {}
        self._templates: dict[str, Template] = {}
        self._prose: dict[str, tuple[Template, ...]] = {}
        #: Expressions in braces already checked, by their text (a paragraph of a checked prose reuses them).
        self._checked: dict[str, Expression] = {}
        #: Texts with a '{' where no variable is filled in (story.yaml's are checked once its variables are known).
        self.placeholders: list[tuple[Scalar, str]] = []
        #: The story format's version: what the story may use.
        self.version = interface.format
        self.reserved = RESERVED_2 if self.version >= 2 else RESERVED
        self.broken_snippets: list[str] = []
        #: The choice being compiled (its index), for the keys of its effects.
        self.choice_index: int | None = None

    @property
    def diags(self) -> Diagnostics:
        return self.reader.diags

    def error(self, node: Node, message: str, code: str) -> None:
        self.reader.error(node, message, code)

    # ------------------------------------------------------------------ the key tables

    def keyed(self, node: Node, spec: dict[str, fmt.Key], what: str, item: bool = False) -> dict[str, Node] | None:
        """`Reader.keyed` with the keys of the story's format; a key of a newer format is reported
        (`check_versions`), and still read, so that it is the one mistake."""
        if isinstance(node, Mapping):
            node = self._mend_commas(node)
        visible = {k: v for k, v in spec.items() if v.since <= self.version}
        if len(visible) == len(spec) or not isinstance(node, Mapping):
            return self.reader.keyed(node, spec, what, item)
        newer = [(k, v) for k, v in node.pairs if isinstance(k, Scalar) and k.text in spec and k.text not in visible]
        if not newer:
            return self.reader.keyed(node, visible, what, item)
        kept = [
            (k, v) for k, v in node.pairs if not (isinstance(k, Scalar) and k.text in spec and k.text not in visible)
        ]
        keys = self.reader.keyed(
            Mapping(node.path, node.line, node.col, kept, node.start, node.end), visible, what, item
        )
        if keys is not None:
            keys.update((k.text, v) for k, v in newer if isinstance(k, Scalar))
            self.check_versions(node, keys, spec)
        return keys

    def check_versions(self, node: Node, keys: dict[str, Node], spec: dict[str, fmt.Key]) -> None:
        """A key the story's format does not have yet is one message, at the key, saying what to declare.

        The key is still read (and checked): the story does not play until `format:` says so, but
        its other mistakes are all reported in the same round.
        """
        if self.version >= fmt.FORMAT_VERSION or not isinstance(node, Mapping):
            return
        for key_node, _ in node.pairs:
            if isinstance(key_node, Scalar) and key_node.text in keys:
                since = spec[key_node.text].since
                if since > self.version:
                    self.error(
                        key_node,
                        f"'{key_node.text}' is new in format {since}: add 'format: {since}' at the top of story.yaml"
                        " to use it",
                        "version",
                    )

    def fields(self, keys: dict[str, Node], spec: dict[str, fmt.Key]) -> dict[str, Any]:
        """Each key present, read as its kind says, under the name of the model field it fills
        (INVALID for a value that could not be read)."""
        out: dict[str, Any] = {}
        for name, key in spec.items():
            node = keys.get(name)
            if node is not None:
                out[key.target(name)] = _READERS[key.kind](self, node, key.named(name))
        return out

    def named_items(self, node: Mapping, what: str) -> list[tuple[str, Scalar, Node]]:
        """The items of a mapping of names (variables, endings, scenes); a key that is not a name is reported."""
        out = []
        for name, key_node, value in self.reader.items(node):
            if not name or name[0].isdigit() or not _IDENT_CHARS.issuperset(name):
                self.error(
                    key_node,
                    f"{what} '{name}' must be a name of letters, digits and '_', not starting with a digit",
                    "name",
                )
                continue
            out.append((name, key_node, value))
        return out

    # ------------------------------------------------------------------ values of one key

    def text(self, node: Node, what: str, filled: bool = False) -> str | Invalid:
        """Prose fields accept any scalar (so `title: Yes` stays the word 'Yes'); `filled`: a template's text."""
        if isinstance(node, Scalar) and node.tag != "null":
            self.reader.comment_cut(node)
            if "{" in node.text and not filled:
                self.placeholders.append((node, what))
                self._unfilled(node, what)
            return node.text
        self.error(node, f"{what} must be text, found {kind_of(node)}{self._braces_hint(node)}", "type")
        return INVALID

    def _braces_hint(self, node: Node) -> str:
        """`text: {lamp}`: YAML read a text that starts with '{' as a mapping; quoting it keeps it text."""
        if not isinstance(node, Mapping) or self.source.text[node.start : node.start + 1] != "{":
            return ""
        written = self.source.text[node.start : node.end]
        if "\n" in written:
            return ""
        return f" (YAML reads a text that starts with '{{' as a mapping: put the whole text in quotes, '{written}')"

    def _unfilled(self, node: Scalar, what: str) -> None:
        """Warn of a `{variable}` where none is filled in: it would be shown as written, braces and all."""
        try:
            names = [name for name in parse_template(node.text).names if name in self.variable_types]
        except TemplateError:
            return
        if names:
            at = node.text.index("{" + names[0])
            self.diags.warning(
                self.source.loc_in_scalar(node, at, "{" + names[0]),
                f"'{{{names[0]}}}' in {what} is shown as written, braces and all:"
                " variables are filled in only in scene text and choice text"
                + (" and scene titles" if self.version >= 2 else ""),
                "unfilled-placeholder",
            )

    def identifier(self, node: Node, what: str, kind: str = "a scene id") -> str | Invalid:
        value = node.text if is_prose(node) else ""
        if value and not value[0].isdigit() and _IDENT_CHARS.issuperset(value):
            return value
        self.error(node, f"{what} must be {kind} (letters, digits and '_'), found {kind_of(node)}", "type")
        return INVALID

    def boolean(self, node: Node, what: str) -> bool | Invalid:
        if isinstance(node, Scalar) and node.tag == "bool":
            return bool(node.value)
        self.error(node, f"{what} must be true or false, found {kind_of(node)}", "type")
        return INVALID

    def integer(self, node: Node, what: str) -> int | Invalid:
        if isinstance(node, Scalar) and node.tag == "int":
            return self._in_range(node, what)
        self.error(node, f"{what} must be an integer, found {kind_of(node)}", "type")
        return INVALID

    def _in_range(self, node: Scalar, what: str) -> int | Invalid:
        """An integer the game can count with (and store): at most `INT_LIMIT` either way."""
        value = node.value
        if isinstance(value, int) and abs(value) <= INT_LIMIT:
            return value
        self.error(node, f"{what} is too large: integers go up to {INT_LIMIT:,}", "number-range")
        return INVALID

    def value(self, node: Node, what: str) -> Value | Invalid:
        if isinstance(node, Scalar) and node.tag in ("bool", "int", "str"):
            if node.tag == "int":
                return self._in_range(node, what)
            value = node.value
            assert isinstance(value, (bool, str))  # the tags say so
            return value
        if isinstance(node, Sequence):
            if self.version < 2:
                self.error(
                    node,
                    f"{what} is a list, which makes a set, and sets are new in format 2;"
                    " add 'format: 2' at the top of story.yaml to use them",
                    "version",
                )
                return INVALID
            return self.string_set(node, what)
        sets = ", a string, a boolean or a list of strings (a set)" if self.version >= 2 else ", a string or a boolean"
        self.error(node, f"{what} must be an integer{sets}, found {kind_of(node)}", "type")
        return INVALID

    def string_set(self, node: Sequence, what: str) -> frozenset[str] | Invalid:
        """A YAML list of strings, as a set (`[]`, `[lamp, key]`)."""
        items: set[str] = set()
        for item in node.items:
            if not is_prose(item):
                self.error(item, f"{what}: a set holds strings, found {kind_of(item)}", "type")
                return INVALID
            assert isinstance(item, Scalar)
            items.add(item.text[:STRING_LIMIT])
        if len(items) > SET_LIMIT:
            self.error(node, f"{what}: a set holds at most {SET_LIMIT:,} strings", "number-range")
            return INVALID
        return frozenset(items)

    def format_version(self, node: Node, what: str) -> int:
        return self.version  # read before every other key (`_format_version`)

    def tags(self, node: Node, what: str) -> tuple[str, ...] | Invalid:
        """Free-form words: a list of them, or one."""
        items = node.items if isinstance(node, Sequence) else [node]
        out: list[str] = []
        for item in items:
            if not is_prose(item) or not item.text.strip() or not item.text.isprintable() or len(item.text) > 64:
                self.error(
                    item, f"{what}: each tag is a short word or phrase on one line, found {kind_of(item)}", "type"
                )
                return INVALID
            out.append(item.text.strip())
        return tuple(dict.fromkeys(out))

    def string_variable(self, node: Node, what: str) -> str | Invalid:
        """The name of a declared string variable (where an `input` keeps its answer)."""
        name = self.identifier(node, what, "a variable name")
        if name is INVALID:
            return INVALID
        var_type = self.variable_types.get(name)
        if var_type is None:
            if not self._variable_reported(name):
                hint = did_you_mean(name, self.variable_types) or f"; declare it in story.yaml: {name}: ''"
                self.error(node, f"unknown variable '{name}'{hint}", "unknown-variable")
            return INVALID
        if var_type != "str":
            self.error(node, f"{what} must name a string variable; '{name}' is {_article(var_type)}", "type")
            return INVALID
        return name

    def input(self, node: Node, what: str) -> Input | Invalid:
        keys = self.keyed(node, fmt.INPUT_KEYS, "'input'")
        if keys is None:
            return INVALID
        values = self.fields(keys, fmt.INPUT_KEYS)
        ok = INVALID not in values.values() and "variable" in values
        longest = values.get("max", 20)
        if longest is not INVALID and not 1 <= longest <= fmt.MAX_INPUT:
            self.error(
                keys["max"], f"'max' must be from 1 to {fmt.MAX_INPUT} characters, found {longest}", "number-range"
            )
            ok = False
        default = values.get("default", "")
        if ok and len(default) > longest:
            self.error(
                keys["default"],
                f"'default' is longer than 'max' ({len(default)} > {longest} characters)",
                "number-range",
            )
            ok = False
        return Input(loc=node.loc, **values) if ok else INVALID

    def effects(self, node: Node, what: str) -> tuple[Effect, ...] | Invalid:
        if not isinstance(node, Sequence):
            self.error(
                node, f"'effects' must be a list of effects, each {{set, if, once}}, found {kind_of(node)}", "type"
            )
            return INVALID
        owner = self.scene_id if self.choice_index is None else f"{self.scene_id}#{self.choice_index}"
        out: list[Effect] = []
        ok = True
        for index, item in enumerate(node.items):
            keys = self.keyed(item, fmt.EFFECT_KEYS, f"effect {index + 1}", item=True)
            if keys is None or "set" not in keys:
                ok = False
                continue
            values = self.fields(keys, fmt.EFFECT_KEYS)
            if INVALID in values.values():
                ok = False
                continue
            out.append(Effect(loc=item.loc, key=f"{owner}!{index}", **values))
        return tuple(out) if ok else INVALID

    def snippets(self, node: Node, what: str) -> dict[str, tuple[Piece, ...]]:
        """story.yaml's named texts, compiled in order: a snippet may use the snippets above it."""
        out: dict[str, tuple[Piece, ...]] = {}
        if is_null(node):
            return out
        if not isinstance(node, Mapping):
            self.error(node, f"'snippets' must be a mapping of name → text, found {kind_of(node)}", "type")
            return out
        for name, _, value in self.named_items(node, "snippet name"):
            template = self.template(value, f"snippet '{name}'", snippets=out)
            if template is INVALID:
                self.broken_snippets.append(name)
                continue
            out[name] = template.pieces or tuple(
                part if isinstance(part, str) else _show(part[0], self.variable_types) for part in template.parts
            )
        return out

    def heading(self, node: Node, what: str) -> Template | Invalid:
        """A scene's title: a template from format 2; before, text shown as written."""
        if self.version >= 2:
            return self.template(node, what)
        text = self.text(node, what)
        return INVALID if text is INVALID else Template(text, (text,) if text else (), (), (), text)

    def scene_ref(self, node: Node, what: str) -> str | Invalid:
        """A scene id, recorded as a reference of the scene being compiled."""
        target = self.identifier(node, what)
        if target is not INVALID:
            self.references.append(Reference(target, self.source.loc_in_scalar(node, 0)))
        return target

    def ending_ref(self, node: Node, what: str) -> str | Invalid:
        ending = self.identifier(node, what, "an ending id")
        if ending is INVALID or ending in self.endings:
            return ending
        if self.endings_unknown or ending in self.interface.broken_endings:  # already reported in story.yaml
            return INVALID
        defined = self.endings
        known = f"; story.yaml defines: {', '.join(defined)}" if defined else "; story.yaml defines no endings"
        hint = did_you_mean(ending, defined)
        self.diags.error(
            self.source.loc_in_scalar(node, 0), f"unknown ending '{ending}'{hint or known}", "unknown-ending"
        )
        return INVALID

    def condition(self, node: Node, what: str) -> Expression | Invalid:
        return self.expression(node, "bool", what)

    def chance_condition(self, node: Node, what: str) -> Expression | Invalid:
        """A condition tested once, as a move is made (a branch's, an effect's): it may draw chance."""
        return self.expression(node, "bool", what, chance=True)

    # ------------------------------------------------------------------ story.yaml

    def variables(self, node: Node, what: str) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        if is_null(node):
            return out
        if not isinstance(node, Mapping):
            self.error(
                node, f"'variables' must be a mapping of name → default or settings, found {kind_of(node)}", "type"
            )
            self.variables_unknown = True
            return out
        for name, key_node, value in self.named_items(node, "variable name"):
            if name in self.reserved:
                self.error(
                    key_node,
                    f"'{name}' is a word of the expression language and cannot name a variable",
                    "reserved-name",
                )
                self.broken_variables.append(name)  # its uses are not more mistakes
                continue
            errors_before = len(self.diags.items)
            var = self.variable(name, key_node, value)
            if var is not None and len(self.diags.items) == errors_before:
                out[name] = var
            else:
                self.broken_variables.append(name)
        self.variable_types = {name: var.type for name, var in out.items()}  # what snippets may read
        return out

    def variable(self, name: str, key_node: Scalar, node: Node) -> Variable | None:
        if isinstance(node, (Scalar, Sequence)):
            default = self.value(node, f"the default of '{name}'")
            return None if default is INVALID else Variable(name, type_of(default), default, key_node.loc)
        keys = self.keyed(node, fmt.VARIABLE_KEYS, f"variable '{name}'")
        if keys is None or "default" not in keys:
            return None
        default = self.value(keys["default"], f"the default of '{name}'")
        if default is INVALID:
            return None
        values = self.fields({k: v for k, v in keys.items() if k not in ("default", "min", "max")}, fmt.VARIABLE_KEYS)
        bounds: dict[str, int] = {}
        number = default if isinstance(default, int) and not isinstance(default, bool) else None
        for bound in ("min", "max"):
            if bound not in keys:
                continue
            if number is None:
                self.error(
                    keys[bound],
                    f"'{bound}' applies only to integer variables; '{name}' is a {type_name(type_of(default))}",
                    "bounds",
                )
                continue
            found = self.integer(keys[bound], f"'{bound}'")
            if found is not INVALID:
                bounds[bound] = found
        low, high = bounds.get("min"), bounds.get("max")
        if low is not None and high is not None and low > high:
            self.error(keys["max"], f"'max' ({high}) is below 'min' ({low})", "bounds")
        elif low is not None and number is not None and number < low:
            self.error(keys["default"], f"default {default} is below 'min' ({low})", "bounds")
        elif high is not None and number is not None and number > high:
            self.error(keys["default"], f"default {default} is above 'max' ({high})", "bounds")
        return Variable(
            name,
            type_of(default),
            default,
            key_node.loc,
            min=low,
            max=high,
            **{k: v for k, v in values.items() if v is not INVALID},
        )

    def endings_table(self, node: Node, what: str) -> dict[str, Ending]:
        out: dict[str, Ending] = {}
        if is_null(node):
            return out
        if not isinstance(node, Mapping):
            self.error(
                node, f"'endings' must be a mapping of id → {{title, description}}, found {kind_of(node)}", "type"
            )
            self.endings_unknown = True
            return out
        for ending_id, key_node, value in self.named_items(node, "ending id"):
            keys = self.keyed(value, fmt.ENDING_KEYS, f"ending '{ending_id}'")
            values = self.fields(keys or {}, fmt.ENDING_KEYS)
            if keys is not None and "title" in values and INVALID not in values.values():
                out[ending_id] = Ending(ending_id, loc=key_node.loc, **values)
            else:
                self.broken_endings.append(ending_id)
        return out

    # ------------------------------------------------------------------ scenes

    def scene_entry(self, scene_id: str, key_node: Scalar, node: Node, chapter: str | None) -> Entry:
        """One scene, with its own messages and references kept apart: the story may yet find
        its id defined twice, and then only the first definition counts."""
        outer, self.reader.diags = self.reader.diags, Diagnostics()
        self.references, self.pending = [], []
        try:
            broken = not isinstance(node, Mapping)
            if isinstance(node, Mapping):
                scene = self.scene(scene_id, key_node, node, chapter)
            else:
                if scene_id in fmt.SCENE_KEYS:
                    self.error(
                        key_node,
                        f"'{scene_id}' is indented like a scene id, so it reads as a scene of its own:"
                        " if it belongs to the scene above, indent it like that scene's other keys",
                        "type",
                    )
                else:
                    self.error(node, f"scene '{scene_id}' must be a mapping, found {kind_of(node)}", "type")
                scene = None
            return Entry(
                scene_id,
                key_node.loc,
                scene,
                broken,
                tuple(self.references),
                tuple(self.diags.items),
                tuple(self.pending),
            )
        finally:
            self.reader.diags = outer

    def scene(self, scene_id: str, key_node: Scalar, node: Mapping, chapter: str | None) -> Scene | None:
        what = f"scene '{scene_id}'"
        keys = self.keyed(node, fmt.SCENE_KEYS, what)
        if keys is None:
            return None
        order = [k.text if isinstance(k, Scalar) else None for k, _ in node.pairs]
        present = sorted((k for k in fmt.SCENE_EXITS if k in keys), key=order.index)
        exits = fmt.SCENE_EXITS if self.version >= 2 else fmt.SCENE_EXITS[:3]
        listed = ", ".join(f"'{e}'" for e in exits[:-1]) + f" or '{exits[-1]}'"
        # `choises:` is one mistake: its unknown key's "did you mean" says where the player goes next
        misspelled = any(k not in fmt.SCENE_KEYS and closest(k, exits) for k in order if k)
        if not present and not misspelled:
            self.error(key_node, f"{what} needs one of {listed} (where does the player go next?)", "no-exit")
        elif len(present) > 1:
            second = present[1]
            self.error(
                node.pairs[order.index(second)][0],
                f"{what} has both '{present[0]}' and '{second}': keep exactly one of {listed.replace(' or ', ', ')}",
                "two-exits",
            )
        ok = self._exit_partners(node, keys, present[0] if len(present) == 1 else None, what, scene=True)
        self.scene_id = scene_id
        values = self.fields(keys, fmt.SCENE_KEYS)
        if INVALID in values.values() or len(present) != 1 or "paragraphs" not in values or not ok:
            return None  # every mistake is reported: a story with one is never played
        values.setdefault("chapter", chapter)
        return Scene(scene_id, loc=key_node.loc, **values)

    def _exit_partners(self, node: Mapping, keys: dict[str, Node], exit: str | None, what: str, scene: bool) -> bool:
        """The keys that go with one way out: 'then' with 'call', 'input' with 'goto', 'return: true'."""
        ok = True
        key_nodes = {k.text: k for k, _ in node.pairs if isinstance(k, Scalar)}
        if "then" in keys and exit != "call" and exit is not None:
            self.error(
                key_nodes["then"],
                f"'then' goes with 'call' (where the player goes when the called scene returns), and {what} has"
                f" '{exit}'",
                "then-without-call",
            )
            ok = False
        if scene and exit == "call" and "then" not in keys:
            self.error(
                key_nodes["call"],
                f"{what} calls '{_text(keys['call'])}' but has no 'then': add 'then: <scene id>', where the player"
                " goes when the called scene returns",
                "call-without-then",
            )
            ok = False
        if scene and exit == "return" and not (isinstance(keys["return"], Scalar) and keys["return"].value is True):
            self.error(keys["return"], "write 'return: true' (or leave 'return' out)", "type")
            ok = False
        if scene and "input" in keys and exit not in ("goto", None):
            self.error(
                key_nodes["input"],
                f"{what} asks for 'input', so it continues with 'goto' once the player has answered; it has '{exit}'",
                "input-exit",
            )
            ok = False
        return ok

    def paragraphs(self, node: Node, what: str) -> tuple[Paragraph, ...] | Invalid:
        if is_prose(node):
            return self.prose(node, None)
        if not isinstance(node, Sequence):
            self.error(
                node,
                f"'text' must be prose or a list of paragraphs, found {kind_of(node)}{self._braces_hint(node)}",
                "type",
            )
            return INVALID
        out: list[Paragraph] = []
        ok = True
        for item in node.items:
            if is_prose(item):
                got = self.prose(item, None)
            else:
                keys = self.keyed(item, fmt.PARAGRAPH_KEYS, "a paragraph", item=True)
                if keys is None or "text" not in keys:
                    ok = False
                    continue
                condition = self.fields({k: v for k, v in keys.items() if k != "text"}, fmt.PARAGRAPH_KEYS)
                got = self.prose(keys["text"], _valid(condition.get("condition")), item.loc)
            if got is INVALID:
                ok = False
            else:
                out.extend(got)
        return tuple(out) if ok else INVALID

    def prose(
        self, node: Node, condition: Expression | None, loc: Loc | None = None
    ) -> tuple[Paragraph, ...] | Invalid:
        """The paragraphs of one prose scalar; a conditional one is located at its entry (where its `if` is)."""
        if not is_prose(node):
            self.error(node, f"paragraph text must be prose, found {kind_of(node)}", "type")
            return INVALID
        assert isinstance(node, Scalar)
        self.reader.comment_cut(node)
        templates = self._prose.get(node.text)
        if templates is None:
            whole = self.template(node, "")
            if whole is INVALID:
                return INVALID
            split = split_paragraphs(node.text)
            templates = (whole,) if split == [node.text] else tuple(self._paragraph(p) for p in split)
            self._prose[node.text] = templates
        loc = loc or node.loc
        return tuple(Paragraph(t, loc, condition) for t in templates)

    def template(
        self, node: Node, what: str, snippets: dict[str, tuple[Piece, ...]] | None = None
    ) -> Template | Invalid:
        """A text with braces, checked; `what` names it ("" for prose), `snippets` those it may use."""
        if what and self.text(node, what, filled=True) is INVALID:
            return INVALID
        assert isinstance(node, Scalar)
        known = self._templates.get(node.text)
        if known is not None:
            for expression in known.expressions:  # its references belong to this scene too
                for call in visits_in(expression.node):
                    self.references.append(Reference(call.scene, node.loc, visits=True))
            return known
        try:
            if self.version >= 2:
                template = parse_template(
                    node.text,
                    2,
                    lambda text, offset, want: self._template_expression(node, text, offset, want, what),
                    self.interface.snippets if snippets is None else snippets,
                )
            else:
                template = parse_template(node.text)
        except TemplateError as exc:
            if template_failed(exc) and not self._snippet_reported(exc):
                self.diags.error(self.source.loc_in_scalar(node, exc.offset, exc.snippet), exc.message, "interpolation")
            return INVALID
        ok = True
        for name, offset in zip(template.names, template.offsets, strict=True):
            if name not in self.variable_types and self.version < 2:  # format 2 checked it as an expression
                ok = False
                if self._variable_reported(name):
                    continue
                loc = self.source.loc_in_scalar(node, offset, "{" + name)
                self.diags.error(
                    loc,
                    f"unknown variable '{name}' in text{did_you_mean(name, self.variable_types)}",
                    "unknown-variable",
                )
        if not ok:
            return INVALID
        self._templates[node.text] = template
        return template

    def _snippet_reported(self, exc: TemplateError) -> bool:
        """An unknown snippet whose definition was refused (and reported) in story.yaml."""
        return exc.message.startswith("unknown snippet '") and any(
            exc.message.startswith(f"unknown snippet '{name}'") for name in self.interface.broken_snippets
        )

    def _paragraph(self, text: str) -> Template:
        """One paragraph of a prose text whose whole was checked already (its expressions are known)."""
        if self.version < 2:
            return parse_template(text)
        return parse_template(text, 2, lambda source, offset, want: self._checked[source], self.interface.snippets)

    def _template_expression(
        self, node: Scalar, text: str, offset: int, want: ValueType | None, what: str
    ) -> Expression | None:
        """An expression written in braces inside a text, at `offset` of `node`'s value."""
        where = what or "the text"
        parsed = self._parse_expression(node, text, offset, f"{where}, in braces" if want is None else where, want)
        if parsed is None:
            return None
        expression, visits = parsed
        for call in visits:
            loc = self.source.loc_in_scalar(node, offset + call.scene_offset, call.scene)
            self.references.append(Reference(call.scene, loc, visits=True))
        if want is not None and expression.type is not None and expression.type != want:
            self.diags.error(
                self.source.loc_in_scalar(node, offset, text),
                f"in {where}: the condition '{text}' must be {_article(want)} but gives {_article(expression.type)}",
                "type",
            )
            return None
        if not self._chance_allowed(node, expression, offset, where, allowed=False):
            return None
        self._checked[text] = expression
        return expression

    def _chance_allowed(self, node: Scalar, expression: Expression, offset: int, what: str, allowed: bool) -> bool:
        """Chance is drawn when a move is made: in 'set' values and the 'if' of a branch or an effect."""
        draws = chance_in(expression.node)
        if allowed or not draws:
            return True
        call = draws[0]
        self.diags.error(
            self.source.loc_in_scalar(node, offset + call.offset, call.function),
            f"{call.function}() cannot be drawn in {what}: chance is drawn when a move is made, so it belongs in"
            " 'set' values and in the 'if' of a goto branch or an effect; draw into a variable there, and test"
            " or show the variable here",
            "chance-here",
        )
        return False

    def choices(self, node: Node, what: str) -> tuple[Choice, ...] | Invalid:
        if not isinstance(node, Sequence):
            self.error(node, f"'choices' must be a list of choices, found {kind_of(node)}", "type")
            return INVALID
        if not node.items:
            others = "'goto', 'ending', 'call' or 'return'" if self.version >= 2 else "'goto' or 'ending'"
            self.error(node, f"'choices' is empty: offer at least one choice, or use {others}", "no-exit")
            return INVALID
        out = [self.choice(item, index) for index, item in enumerate(node.items)]
        choices = tuple(choice for choice in out if choice is not None)
        return choices if len(choices) == len(out) else INVALID

    def choice(self, node: Node, index: int) -> Choice | None:
        what = f"choice {index + 1}"
        keys = self.keyed(node, fmt.CHOICE_KEYS, what, item=True)
        if keys is None:
            return None
        assert isinstance(node, Mapping)  # `keyed` said so
        present = [k for k in fmt.CHOICE_EXITS if k in keys]
        misspelt = any(
            isinstance(k, Scalar)
            and k.text not in fmt.CHOICE_KEYS
            and closest(k.text, fmt.CHOICE_KEYS) in fmt.CHOICE_EXITS
            for k, _ in node.pairs
        )
        if not present and not misspelt and node.start not in self.reader.merged:
            also = " (or 'call' a subroutine scene)" if self.version >= 2 else ""
            self.error(node, f"{what} is missing required key 'goto'{also}", "missing-key")
        elif len(present) > 1:
            self.error(
                next(k for k, _ in node.pairs if isinstance(k, Scalar) and k.text == "call"),
                f"{what} has both 'goto' and 'call': keep one (a call comes back here, or to 'then')",
                "two-exits",
            )
        ok = self._exit_partners(node, keys, present[0] if len(present) == 1 else None, what, scene=False)
        self.choice_index = index
        try:
            values = self.fields(keys, fmt.CHOICE_KEYS)
        finally:
            self.choice_index = None
        if INVALID in values.values() or "text" not in values or len(present) != 1 or not ok:
            return None
        values.setdefault("goto", ())
        return Choice(self.scene_id, index, loc=node.loc, **values)

    def sets(self, node: Node, what: str) -> tuple[Assignment, ...] | Invalid:
        if not isinstance(node, Mapping):
            self.error(node, f"'set' must be a mapping of variable → expression, found {kind_of(node)}", "type")
            return INVALID
        out: list[Assignment] = []
        ok = True
        node = self._mend_commas(node)
        for name, key_node, value in self.reader.items(node):
            var_type = self.variable_types.get(name)
            if var_type is None:
                if not self._variable_reported(name):
                    hint = did_you_mean(name, self.variable_types) or _declare_hint(name, value)
                    self.error(key_node, f"unknown variable '{name}'{hint}", "unknown-variable")
                ok = False
                continue
            expr = self.expression(value, var_type, f"the value for '{name}'", name, chance=True)
            if expr is INVALID:
                ok = False
                continue
            out.append(Assignment(name, expr, key_node.loc))
        return tuple(out) if ok else INVALID

    def _mend_commas(self, node: Mapping) -> Mapping:
        """In `{n: random(1, 6)}` YAML cuts the value at the comma, and reads `6)` as a key. That is
        said once, at the value; the rest of the mapping is read as the author meant it, the value
        whole, so that nothing else is reported about it (the story still does not play)."""
        if self.source.text[node.start : node.start + 1] != "{" or len(node.pairs) < 2:
            return node
        pairs: list[tuple[Node, Node]] = []
        cut = False
        for key, value in node.pairs:
            if pairs and isinstance(key, Scalar) and key.text.count(")") > key.text.count("("):
                before_key, before = pairs[-1]
                if isinstance(before, Scalar) and not before.style and before.text.count("(") > before.text.count(")"):
                    whole = f"{before.text}, {key.text}"
                    self.error(
                        before,
                        f"YAML cut '{whole}' at its comma, because this mapping is written between {{braces}},"
                        f" where a comma separates entries: quote the value ('{whole}') or write the mapping"
                        " one key per line",
                        "flow-comma",
                    )
                    pairs[-1] = (before_key, msgspec.structs.replace(before, text=whole, value=whole))
                    cut = True
                    continue
            pairs.append((key, value))
        if not cut:
            return node
        return msgspec.structs.replace(node, pairs=pairs)

    def goto(self, node: Node, what: str) -> tuple[Branch, ...] | Invalid:
        if isinstance(node, Scalar):
            target = self.scene_ref(node, what)
            return INVALID if target is INVALID else (Branch(target, node.loc),)
        if not isinstance(node, Sequence) or not node.items:
            self.error(node, f"'goto' must be a scene id or a list of branches, found {kind_of(node)}", "type")
            return INVALID
        out: list[Branch] = []
        ok = True
        last = len(node.items) - 1
        for i, item in enumerate(node.items):
            keys = self.keyed(item, fmt.BRANCH_KEYS, "a branch", item=True)
            if keys is None or "scene" not in keys:
                ok = False
                continue
            if "if" in keys and i == last and item.start not in self.reader.merged:
                self.error(
                    item,
                    "the last branch of a 'goto' must have no 'if', so there is always somewhere to go",
                    "open-goto",
                )
                ok = False
            elif "if" not in keys and i != last:
                self.error(item, "this branch has no 'if', so the branches after it can never be taken", "dead-branch")
                ok = False
            values = self.fields(keys, fmt.BRANCH_KEYS)
            if INVALID in values.values():
                ok = False
                continue
            out.append(Branch(loc=item.loc, **values))
        return tuple(out) if ok else INVALID

    # ------------------------------------------------------------------ expressions

    def expression(
        self, node: Node, want: ValueType, what: str, assigned: str = "", chance: bool = False
    ) -> Expression | Invalid:
        """Parse and type-check one expression, reporting located errors (`assigned`: the variable it sets;
        `chance`: whether it may draw, as a 'set' value or a branch's or an effect's 'if' may)."""
        if isinstance(node, Sequence) and want == "set" and self.version >= 2:
            items = self.string_set(node, what)
            return INVALID if items is INVALID else Expression(_set_source(items), Literal(items, 0), "set")
        if not isinstance(node, Scalar) or node.tag not in ("str", "int", "bool"):
            self.error(node, f"{what} must be an expression, found {kind_of(node)}", "type")
            return INVALID
        known = self._expressions.get((node.tag, node.text))
        if known is None:
            value = node.value
            if isinstance(value, (bool, int)):  # a YAML boolean or integer: `set: {flag: true}`, `set: {n: 3}`
                known = (Expression(node.text, Literal(value, 0), type_of(value)), ())
            else:
                known = self._parse_expression(node, node.text, 0, what, want)
            if known is None:
                return INVALID
            self._expressions[(node.tag, node.text)] = known
        expr, visits = known
        for call in visits:
            loc = self.source.loc_in_scalar(node, call.scene_offset, call.scene)
            self.references.append(Reference(call.scene, loc, visits=True))
        if expr.type is not None and expr.type != want:
            message = Diagnostic(
                node.loc,
                f"{what} must be {_article(want)} but this expression gives {_article(expr.type)}"
                + self._boolean_hint(node, [*expr.reads, assigned]),
                "error",
                "type",
            )
            if visits:  # stands only if every scene it counts exists (else that is the one mistake)
                self.pending.append(Pending(message, tuple(call.scene for call in visits)))
            else:
                self.diags.items.append(message)
            return INVALID
        if not self._chance_allowed(node, expr, 0, what, chance):
            return INVALID
        return expr

    def _parse_expression(
        self, node: Scalar, source: str, base: int, what: str, want: ValueType | None
    ) -> tuple[Expression, tuple[Visits, ...]] | None:
        """Parse and type `source`, written at offset `base` of `node`'s value; report its mistakes there."""
        errors_before = len(self.diags.items)
        refused = False

        def unknown_variable(name_node: Name) -> None:
            nonlocal refused
            if self._variable_reported(name_node.name):
                refused = True
                return
            hint = did_you_mean(name_node.name, self.variable_types)
            if not hint and name_node.name.lower() in BOOLEANS:
                hint = f" (write '{name_node.name.lower()}': the expression language writes booleans in lower case)"
            elif not hint and want == "str":
                hint = f" (to write text, quote it inside the value: \"'{name_node.name}'\")"
            elif not hint and ("==" in source or "!=" in source) and not ("'" in source or '"' in source):
                hint = f" (to compare with text, quote it: '{name_node.name}')"
            self.diags.error(
                self.source.loc_in_scalar(node, base + name_node.offset, name_node.name),
                f"unknown variable '{name_node.name}'{hint}",
                "unknown-variable",
            )

        try:
            tree = parse(source, self.version)
            result_type = check_types(tree, self.variable_types, unknown_variable)
        except ExpressionError as exc:
            hint = self._boolean_hint(node, _IDENTIFIER.findall(source)) if "boolean" in exc.message else ""
            self.diags.error(
                self.source.loc_in_scalar(node, base + exc.offset), f"in {what}: {exc.message}{hint}", "expression"
            )
            return None
        if len(self.diags.items) != errors_before or refused:
            return None
        return Expression(source, tree, result_type, bool(chance_in(tree))), tuple(visits_in(tree))

    def _boolean_hint(self, node: Node, names: list[str]) -> str:
        """Why a boolean turned up where it was not meant: YAML read a word (`yes`, `no`) as one."""
        if _boolean_word(node):
            assert isinstance(node, Scalar)
            return f"; YAML reads {node.text} as {str(node.value).lower()}: for the text, write \"'{node.text}'\""
        words = dict(self.interface.boolean_words)
        name = next((n for n in names if n in words), None)
        if name is None:
            return ""
        word = words[name]
        value = "true" if word.lower() in _TRUE_WORDS else "false"
        return (
            f"; '{name}' is a boolean because YAML reads its default, {word}, as {value}:"
            f" if it is text, put it in quotes in story.yaml: '{word}'"
        )

    def _variable_reported(self, name: str) -> bool:
        """True when `name` is unknown only because its declaration was refused (and reported) already."""
        return self.variables_unknown or name in self.interface.broken_variables


#: The words YAML 1.1 reads as true (the others it reads as booleans mean false).
_TRUE_WORDS = ("true", "yes", "on", "y")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _declare_hint(name: str, value: Node) -> str:
    """Where an undeclared variable that a choice sets would be declared, with a default of its value's type."""
    default = {"int": "0", "bool": "false"}.get(value.tag, "") if isinstance(value, Scalar) else ""
    if isinstance(value, Scalar) and value.tag == "str" and value.text.strip()[:1] in ("'", '"'):
        default = "''"
    example = f" ({name}: {default})" if default else ""
    return f"; declare it in story.yaml, under 'variables:', with its starting value{example}"


def _show(name: str, variable_types: dict[str, ValueType]) -> Show:
    """A `{name}` of a snippet, as a piece to write into other texts."""
    return Show(Expression(name, Name(name, 0), variable_types.get(name)))


def _set_source(items: frozenset[str]) -> str:
    return "[" + ", ".join(repr(item) for item in sorted(items)) + "]"


def _text(node: Node) -> str:
    return node.text if isinstance(node, Scalar) else ""


def _article(t: str) -> str:
    name = type_name(t)
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


#: How each kind of key (`game.engine.format.Key.kind`) is read.
_READERS: dict[str, Callable[[_Compiler, Node, str], Any]] = {
    "text": _Compiler.text,
    "bool": _Compiler.boolean,
    "int": _Compiler.integer,
    "value": _Compiler.value,
    "condition": _Compiler.condition,
    "chance-condition": _Compiler.chance_condition,
    "heading": _Compiler.heading,
    "format": _Compiler.format_version,
    "effects": _Compiler.effects,
    "input": _Compiler.input,
    "variable": _Compiler.string_variable,
    "tags": _Compiler.tags,
    "snippets": _Compiler.snippets,
    "scene": _Compiler.scene_ref,
    "ending": _Compiler.ending_ref,
    "template": _Compiler.template,
    "prose": lambda compiler, node, what: compiler.prose(node, None),
    "paragraphs": _Compiler.paragraphs,
    "choices": _Compiler.choices,
    "goto": _Compiler.goto,
    "set": _Compiler.sets,
    "variables": _Compiler.variables,
    "endings": _Compiler.endings_table,
}
