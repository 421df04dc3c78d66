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

from game.engine import format as fmt
from game.engine.errors import Diagnostic, Diagnostics, Loc, closest, did_you_mean
from game.engine.expressions import (
    INT_LIMIT,
    KEYWORDS,
    Expression,
    ExpressionError,
    Literal,
    Name,
    Value,
    ValueType,
    Visits,
    check_types,
    parse,
    type_name,
    type_of,
    visits_in,
)
from game.engine.model import Assignment, Branch, Choice, Ending, Paragraph, Scene, Variable
from game.engine.parts import STORY_FILE, Entry, Header, Interface, Pending, Reference, ScenePart
from game.engine.text import Template, TemplateError, parse_template, split_paragraphs
from game.engine.yaml_source import (
    Mapping,
    Node,
    Reader,
    Scalar,
    Sequence,
    is_null,
    is_prose,
    kind_of,
    read_document,
    scene_ids_in,
)

_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
#: Words of the expression language, which cannot name a variable.
RESERVED = frozenset(KEYWORDS) | {"visits"}


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
    compiler = _Compiler(reader, Interface({}))
    keys = reader.keyed(node, fmt.STORY_KEYS, STORY_FILE)
    if keys is None:
        return _unread_header(diags, parsed=True)
    for key_node, _ in node.pairs if isinstance(node, Mapping) else ():
        # `variabels:` is one mistake, reported with its "did you mean": the names it hides are not more
        if isinstance(key_node, Scalar) and key_node.text not in fmt.STORY_KEYS:
            meant = closest(key_node.text, fmt.STORY_KEYS)
            compiler.variables_unknown |= meant == "variables" and meant not in keys
            compiler.endings_unknown |= meant == "endings" and meant not in keys
    values = compiler.fields(keys, fmt.STORY_KEYS)
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
    )


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
        ids = scene_ids_in(data.decode("utf-8-sig", "replace")) if data is not None else None
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
        #: Texts with a '{' where no variable is filled in (story.yaml's are checked once its variables are known).
        self.placeholders: list[tuple[Scalar, str]] = []

    @property
    def diags(self) -> Diagnostics:
        return self.reader.diags

    def error(self, node: Node, message: str, code: str) -> None:
        self.reader.error(node, message, code)

    # ------------------------------------------------------------------ the key tables

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
        self.error(node, f"{what} must be text, found {kind_of(node)}", "type")
        return INVALID

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
                " variables are filled in only in scene text and choice text",
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
        self.error(node, f"{what} must be an integer, a string or a boolean, found {kind_of(node)}", "type")
        return INVALID

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
            if name in RESERVED:
                self.error(
                    key_node,
                    f"'{name}' is a word of the expression language and cannot name a variable",
                    "reserved-name",
                )
                continue
            errors_before = len(self.diags.items)
            var = self.variable(name, key_node, value)
            if var is not None and len(self.diags.items) == errors_before:
                out[name] = var
            else:
                self.broken_variables.append(name)
        return out

    def variable(self, name: str, key_node: Scalar, node: Node) -> Variable | None:
        if isinstance(node, Scalar):
            default = self.value(node, f"the default of '{name}'")
            return None if default is INVALID else Variable(name, type_of(default), default, key_node.loc)
        keys = self.reader.keyed(node, fmt.VARIABLE_KEYS, f"variable '{name}'")
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
            **{k: _valid(v) for k, v in values.items()},
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
            keys = self.reader.keyed(value, fmt.ENDING_KEYS, f"ending '{ending_id}'")
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
        keys = self.reader.keyed(node, fmt.SCENE_KEYS, what)
        if keys is None:
            return None
        order = [k.text if isinstance(k, Scalar) else None for k, _ in node.pairs]
        present = sorted((k for k in fmt.SCENE_EXITS if k in keys), key=order.index)
        # `choises:` is one mistake: its unknown key's "did you mean" says where the player goes next
        misspelled = any(k not in fmt.SCENE_KEYS and closest(k, fmt.SCENE_EXITS) for k in order if k)
        if not present and not misspelled:
            self.error(
                key_node,
                f"{what} needs one of 'choices', 'goto' or 'ending' (where does the player go next?)",
                "no-exit",
            )
        elif len(present) > 1:
            second = present[1]
            self.error(
                node.pairs[order.index(second)][0],
                f"{what} has both '{present[0]}' and '{second}': keep exactly one of 'choices', 'goto', 'ending'",
                "two-exits",
            )
        self.scene_id = scene_id
        values = self.fields(keys, fmt.SCENE_KEYS)
        if INVALID in values.values() or len(present) != 1 or "paragraphs" not in values:
            return None  # every mistake is reported: a story with one is never played
        values.setdefault("chapter", chapter)
        return Scene(scene_id, loc=key_node.loc, **values)

    def paragraphs(self, node: Node, what: str) -> tuple[Paragraph, ...] | Invalid:
        if is_prose(node):
            return self.prose(node, None)
        if not isinstance(node, Sequence):
            self.error(node, f"'text' must be prose or a list of paragraphs, found {kind_of(node)}", "type")
            return INVALID
        out: list[Paragraph] = []
        ok = True
        for item in node.items:
            if is_prose(item):
                got = self.prose(item, None)
            else:
                keys = self.reader.keyed(item, fmt.PARAGRAPH_KEYS, "a paragraph", item=True)
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
            templates = (whole,) if split == [node.text] else tuple(parse_template(p) for p in split)
            self._prose[node.text] = templates
        loc = loc or node.loc
        return tuple(Paragraph(t, loc, condition) for t in templates)

    def template(self, node: Node, what: str) -> Template | Invalid:
        if what and self.text(node, what, filled=True) is INVALID:
            return INVALID
        assert isinstance(node, Scalar)
        known = self._templates.get(node.text)
        if known is not None:
            return known
        try:
            template = parse_template(node.text)
        except TemplateError as exc:
            self.diags.error(self.source.loc_in_scalar(node, exc.offset, exc.snippet), exc.message, "interpolation")
            return INVALID
        ok = True
        for name, offset in zip(template.names, template.offsets, strict=True):
            if name not in self.variable_types:
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

    def choices(self, node: Node, what: str) -> tuple[Choice, ...] | Invalid:
        if not isinstance(node, Sequence):
            self.error(node, f"'choices' must be a list of choices, found {kind_of(node)}", "type")
            return INVALID
        if not node.items:
            self.error(node, "'choices' is empty: offer at least one choice, or use 'goto' or 'ending'", "no-exit")
            return INVALID
        out = [self.choice(item, index) for index, item in enumerate(node.items)]
        choices = tuple(choice for choice in out if choice is not None)
        return choices if len(choices) == len(out) else INVALID

    def choice(self, node: Node, index: int) -> Choice | None:
        keys = self.reader.keyed(node, fmt.CHOICE_KEYS, f"choice {index + 1}", item=True)
        if keys is None:
            return None
        values = self.fields(keys, fmt.CHOICE_KEYS)
        if INVALID in values.values() or "text" not in values or "goto" not in values:
            return None
        return Choice(self.scene_id, index, loc=node.loc, **values)

    def sets(self, node: Node, what: str) -> tuple[Assignment, ...] | Invalid:
        if not isinstance(node, Mapping):
            self.error(node, f"'set' must be a mapping of variable → expression, found {kind_of(node)}", "type")
            return INVALID
        out: list[Assignment] = []
        ok = True
        for name, key_node, value in self.reader.items(node):
            var_type = self.variable_types.get(name)
            if var_type is None:
                if not self._variable_reported(name):
                    hint = did_you_mean(name, self.variable_types) or _declare_hint(name, value)
                    self.error(key_node, f"unknown variable '{name}'{hint}", "unknown-variable")
                ok = False
                continue
            expr = self.expression(value, var_type, f"the value for '{name}'", name)
            if expr is INVALID:
                ok = False
                continue
            out.append(Assignment(name, expr, key_node.loc))
        return tuple(out) if ok else INVALID

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
            keys = self.reader.keyed(item, fmt.BRANCH_KEYS, "a branch", item=True)
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

    def expression(self, node: Node, want: ValueType, what: str, assigned: str = "") -> Expression | Invalid:
        """Parse and type-check one expression, reporting located errors (`assigned`: the variable it sets)."""
        if not isinstance(node, Scalar) or node.tag not in ("str", "int", "bool"):
            self.error(node, f"{what} must be an expression, found {kind_of(node)}", "type")
            return INVALID
        known = self._expressions.get((node.tag, node.text))
        if known is None:
            known = self._new_expression(node, want, what)
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
        return expr

    def _new_expression(self, node: Scalar, want: ValueType, what: str) -> tuple[Expression, tuple[Visits, ...]] | None:
        value = node.value
        if isinstance(value, (bool, int)):  # a YAML boolean or integer: `set: {flag: true}`, `set: {n: 3}`
            return Expression(node.text, Literal(value, 0), type_of(value)), ()
        source = node.text
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
                self.source.loc_in_scalar(node, name_node.offset, name_node.name),
                f"unknown variable '{name_node.name}'{hint}",
                "unknown-variable",
            )

        try:
            tree = parse(source)
            result_type = check_types(tree, self.variable_types, unknown_variable)
        except ExpressionError as exc:
            hint = self._boolean_hint(node, _IDENTIFIER.findall(source)) if "boolean" in exc.message else ""
            self.diags.error(
                self.source.loc_in_scalar(node, exc.offset), f"in {what}: {exc.message}{hint}", "expression"
            )
            return None
        if len(self.diags.items) != errors_before or refused:
            return None
        return Expression(source, tree, result_type), tuple(visits_in(tree))

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
