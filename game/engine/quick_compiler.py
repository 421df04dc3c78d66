"""Compile a plainly written story with no mistakes, quickly; leave every other story to the compiler.

`game.engine.compiler` checks a story node by node so that it can report every
mistake with its place; that care costs most of a cold load. Most loads have
no mistake to report. This module checks the same rules and goes straight to
the stored form of a validated story (`game.engine.cache`): the cache entry is
then one `marshal` call away, and scenes become model objects when first
looked up, exactly as for a story read back from the cache.

story.yaml is read by `game.engine.plain_yaml` into plain values. Scene files,
most of a story, are walked line by line (`plain_yaml.LineReader`) by code that
knows which keys a scene and a choice may hold, so no mapping is built for a
file, a scene or a choice; the few values with no quicker way (blocks of text,
lists of paragraphs or branches, block `set:`, choices written as flow
mappings) come from the plain reader. One pass: scenes named before they are
read are checked once all are known.

It never reports anything. The first thing it is not sure of (a mistake, YAML
the quick reader leaves to libyaml, or a rare layout it does not walk, such as
a scene written as a flow mapping) raises `Unsure`, and the loader runs the
careful compiler from the start, which finds and reports any mistake. So the
rules here may only ever be as strict as the compiler's or stricter, never
looser: `tests/engine/test_quick_compiler.py` loads every story in the tests
both ways and compares the results, and mutates stories to check that whatever
the compiler refuses never gets through here.
"""

from __future__ import annotations

from pathlib import Path

from game.engine import cache
from game.engine import format as fmt
from game.engine.errors import Loc
from game.engine.expressions import (
    INT_LIMIT,
    KEYWORDS,
    Expression,
    ExpressionError,
    Literal,
    check_types,
    compile_node,
    parse,
)
from game.engine.model import Ending, Story, Variable
from game.engine.plain_yaml import (
    BELOW,
    FLOW,
    ON_ITS_LINE,
    SCALAR,
    LineReader,
    Map,
    NotPlain,
    Seq,
    Tagged,
    bool_value,
    flow_mapping,
    int_value,
    read,
)
from game.engine.text import TemplateError, split_paragraphs, template_names

_IDENT_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_STORY_KEYS = frozenset(fmt.STORY_KEYS)
_VARIABLE_KEYS = frozenset(fmt.VARIABLE_KEYS)
_ENDING_KEYS = frozenset(fmt.ENDING_KEYS)
_CHOICE_KEYS = frozenset(fmt.CHOICE_KEYS)
_PARAGRAPH_KEYS = frozenset(fmt.PARAGRAPH_KEYS)
_BRANCH_KEYS = frozenset(fmt.BRANCH_KEYS)
_RESERVED = frozenset(KEYWORDS) | {"visits"}

PlainLoc = tuple[str, int, int]
PlainExpr = tuple[str, tuple, "str | None"]


class Unsure(Exception):
    """Something for the careful compiler to look at: it may be a mistake, which only it reports well."""


class QuickStory:
    """A story compiled the quick way: the model to play, and its stored form for the cache."""

    def __init__(self, story: Story, scenes: dict[str, tuple]):
        self.story = story
        self._scenes = scenes  # the stored form of every scene, already made: nothing to flatten again

    def encode(self) -> bytes:
        """The cache entry for this story (`game.engine.cache` reads it back)."""
        story = self.story
        start_loc = (story.start_loc.path, story.start_loc.line, story.start_loc.col)
        return cache.encode(
            story.title,
            story.start,
            start_loc,
            story.files,
            cache.plain_variables(story.variables),
            cache.plain_endings(story.endings),
            self._scenes,
        )


def compile_quickly(root: Path, sources: list[tuple[str, bytes]]) -> QuickStory | None:
    """Compile the story whose files are `sources` (story.yaml first), or None to ask the compiler."""
    try:
        return _QuickCompiler(root).run(sources)
    except (Unsure, NotPlain, ExpressionError, TemplateError, UnicodeDecodeError, RecursionError):
        return None


def _text(value: object) -> str:
    """A prose field: any scalar but null, as written."""
    if value.__class__ is str:
        return value  # type: ignore[return-value]
    if value.__class__ is Tagged and value.tag != "null":  # type: ignore[attr-defined]
        return value.text  # type: ignore[attr-defined, no-any-return]
    raise Unsure("not prose")


def _name(text: str) -> str:
    """Letters, digits and '_', not starting with a digit: an id or a name."""
    if text and text[0] in _IDENT_FIRST and _IDENT_CHARS.issuperset(text):
        return text
    raise Unsure("not a name")


def _plain_value(value: object) -> int | str | bool:
    """A variable's default: an integer in range, a string or a boolean."""
    if value.__class__ is str:
        return value  # type: ignore[return-value]
    if value.__class__ is Tagged:
        if value.tag == "bool":  # type: ignore[attr-defined]
            return bool_value(value)  # type: ignore[arg-type]
        if value.tag == "int":  # type: ignore[attr-defined]
            number = int_value(value)  # type: ignore[arg-type]
            if abs(number) <= INT_LIMIT:
                return number
    raise Unsure("not an integer, a string or a boolean")


class _QuickCompiler:
    def __init__(self, root: Path):
        self.root = root
        self.variable_types: dict[str, type] = {}
        self.endings: dict[str, Ending] = {}
        self.scene_ids: set[str] = set()
        #: Every scene named by a goto or visits(), checked against `scene_ids` at the end.
        self.wanted: set[str] = set()
        #: Scene id -> the scene's stored form, in the order the story lists them.
        self.plains: dict[str, tuple] = {}
        self.builder = cache.Builder()
        #: Text (or a Tagged integer or boolean) -> (expression, its stored form): each compiled once.
        self.expressions: dict[str | Tagged, tuple[Expression, PlainExpr]] = {}
        #: id(a flow mapping's entries) -> (the entries, kept so that the id stays theirs; each checked).
        self.flow_sets: dict[int, tuple[tuple, tuple]] = {}
        #: Every text whose placeholders have been checked.
        self.texts: set[str] = set()
        #: Prose -> the stored form of its paragraphs' templates, minus condition and place.
        self.prose: dict[str, tuple[str, ...]] = {}

    def run(self, sources: list[tuple[str, bytes]]) -> QuickStory:
        (story_rel, story_bytes), *scene_sources = sources
        header = read(story_bytes.decode("utf-8-sig"))
        if not _STORY_KEYS.issuperset(header) or "title" not in header or "start" not in header:
            raise Unsure("story.yaml keys")
        title = _text(header["title"])
        start = _name(_text(header["start"]))
        start_at = header.at["start"]
        variables = self._variables(header.get("variables"), story_rel)
        self._endings(header.get("endings"), story_rel)

        # One pass over the scene files: a scene may name scenes further on, so the names
        # met are kept in `wanted` and checked once every scene is known.
        for rel, data in scene_sources:
            self._scene_file(LineReader(data.decode("utf-8-sig")), rel)
        if start not in self.scene_ids or not self.wanted <= self.scene_ids:
            raise Unsure("no start scene, or a scene named that is not there")

        plains = self.plains
        start_loc = (story_rel, start_at[2], start_at[3])
        rels = (story_rel, *(rel for rel, _ in scene_sources))
        story = Story(
            title=title,
            start=start,
            root=self.root,
            variables=variables,
            endings=self.endings,
            scenes=cache.LazyScenes(tuple(plains), plains, (), self.builder),
            files=rels,
            start_loc=Loc(*start_loc),
        )
        return QuickStory(story, plains)

    # ------------------------------------------------------------------ story.yaml

    def _variables(self, node: object, rel: str) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        if node is None or node.__class__ is Tagged and node.tag == "null":  # type: ignore[attr-defined]
            return out
        if node.__class__ is not Map:
            raise Unsure("variables")
        at = node.at  # type: ignore[attr-defined]
        for name, spec in node.items():  # type: ignore[attr-defined]
            if _name(name) in _RESERVED:
                raise Unsure("a reserved name")
            loc = Loc(rel, *at[name][:2])
            if spec.__class__ is not Map:
                default = _plain_value(spec)
                out[name] = Variable(name, type(default), default, None, None, None, loc)
                continue
            if not _VARIABLE_KEYS.issuperset(spec) or "default" not in spec:
                raise Unsure("variable keys")
            default = _plain_value(spec["default"])
            label = _text(spec["label"]) if "label" in spec else None
            low = self._bound(spec, "min", default)
            high = self._bound(spec, "max", default)
            if (low is not None and (default < low or high is not None and low > high)) or (  # type: ignore[operator]
                high is not None and default > high  # type: ignore[operator]
            ):
                raise Unsure("bounds")
            out[name] = Variable(name, type(default), default, label, low, high, loc)
        self.variable_types = {name: var.type for name, var in out.items()}
        return out

    @staticmethod
    def _bound(spec: Map, which: str, default: object) -> int | None:
        if which not in spec:
            return None
        value = spec[which]
        if type(default) is not int or value.__class__ is not Tagged or value.tag != "int":
            raise Unsure("a bound on a variable that is not an integer, or not an integer bound")
        return int_value(value)

    def _endings(self, node: object, rel: str) -> None:
        if node is None or node.__class__ is Tagged and node.tag == "null":  # type: ignore[attr-defined]
            return
        if node.__class__ is not Map:
            raise Unsure("endings")
        at = node.at  # type: ignore[attr-defined]
        for ending_id, spec in node.items():  # type: ignore[attr-defined]
            _name(ending_id)
            if spec.__class__ is not Map or not _ENDING_KEYS.issuperset(spec) or "title" not in spec:
                raise Unsure("ending keys")
            description = _text(spec["description"]) if "description" in spec else ""
            self.endings[ending_id] = Ending(ending_id, _text(spec["title"]), description, Loc(rel, *at[ending_id][:2]))

    # ------------------------------------------------------------------ scene files
    #
    # Scene files are most of a story, so they are read straight into the stored form: the walk
    # below knows which keys each level may hold and goes over the lines itself, with no mapping
    # built on the way for scene files, scenes or choices. The values it has no quicker way for
    # (a block of text, a list of paragraphs or branches, a block `set:`) come from the plain
    # reader and go through the same checks as story.yaml's. Every line, column and duplicate
    # key rule is the plain reader's (`LineReader._mapping` and `_sequence`); depths are the ones
    # it would reach: 0 the file, 2 a scene, 4 a choice.

    def _scene_file(self, reader: LineReader, rel: str) -> None:
        i, info = reader.content(0)
        if info[0] != 0 or info[1] >= 0:
            raise NotPlain("empty, or not a mapping at the left margin")
        chapter: str | None = None
        first_scene: int | None = None  # where this file's scenes start in `plains`
        while i < reader.count:
            if info[0] != 0 or info[1] >= 0:
                raise NotPlain("a line indented more than its mapping, or a list item in it")
            key = info[2]
            if key == "scenes" and first_scene is None and info[4] == BELOW:
                first_scene = len(self.plains)
                i = self._scenes(reader, i, rel, chapter)
            elif key == "chapter" and chapter is None:
                value, _, _, i = reader.value(i, info, 0, 0)
                chapter = _text(value)
                if first_scene is not None:  # written below the scenes: it is theirs all the same
                    self._give_chapter(first_scene, chapter)
            else:
                raise Unsure("scene file keys")
            i, info = reader.content(i)
        if first_scene is None:
            raise Unsure("no scenes")

    def _give_chapter(self, first_scene: int, chapter: str) -> None:
        """The file's chapter, read after its scenes, for those of them with no chapter of their own."""
        plains = self.plains
        for sid in list(plains)[first_scene:]:
            plain = plains[sid]
            if plain[2] is None:  # a scene's own chapter is text, never None
                plains[sid] = (*plain[:2], chapter, *plain[3:])

    def _scenes(self, reader: LineReader, i: int, rel: str, chapter: str | None) -> int:
        """The `scenes:` mapping below line `i`: each scene stored; returns the next line."""
        i, info = reader.content(i + 1)
        indent = info[0]
        if indent <= 0 or info[1] >= 0:
            raise Unsure("scenes: not a mapping of scenes")
        scene_ids, plains = self.scene_ids, self.plains
        column = indent + 1
        while True:
            sid = info[2]
            if sid is None or sid in scene_ids or info[4] != BELOW:
                raise Unsure("a duplicate scene, or a scene that is not a mapping")
            scene_ids.add(_name(sid))
            plains[sid], i = self._scene(reader, i, indent, sid, (rel, i + 1, column), chapter)
            i, info = reader.content(i)
            if info[0] != indent or info[1] >= 0:
                if info[0] < indent:
                    return i
                raise NotPlain("a line indented more than its mapping, or a list item in it")

    def _scene(
        self, reader: LineReader, i: int, parent: int, sid: str, loc: PlainLoc, file_chapter: str | None
    ) -> tuple[tuple, int]:
        """The scene whose id is on line `i` (at column `parent`), stored; and the next line."""
        i, info = reader.content(i + 1)
        indent = info[0]
        if indent <= parent or info[1] >= 0:
            raise Unsure("a scene that is not a mapping")
        rel = loc[0]
        infos, count = reader.infos, reader.count
        title = chapter = paragraphs = choices = goto = ending = None
        while True:
            key, kind, payload = info[2], info[4], info[5]
            if key == "text" and paragraphs is None:
                if kind == SCALAR and payload.__class__ is str:  # prose on one line
                    paragraphs = self._paragraphs(payload, None, (rel, i + 1, info[3] + 1))
                    i += 1
                else:
                    value, line, col, i = reader.value(i, info, indent, 2)
                    paragraphs = self._scene_text(value, line, col, rel)
            elif key == "choices" and choices is None and kind == BELOW:
                choices, i = self._choices(reader, i, indent, rel)
            elif key == "goto" and goto is None:
                if kind == SCALAR and payload.__class__ is str:
                    goto = ((self._scene_ref(payload), None, (rel, i + 1, info[3] + 1)),)
                    i += 1
                else:
                    value, line, col, i = reader.value(i, info, indent, 2)
                    goto = self._goto(value, line, col, rel)
            elif key == "ending" and ending is None:
                value, _, _, i = reader.value(i, info, indent, 2)
                ending = _name(_text(value))
                if ending not in self.endings:
                    raise Unsure("unknown ending")
            elif key == "title" and title is None:
                value, _, _, i = reader.value(i, info, indent, 2)
                title = _text(value)
            elif key == "chapter" and chapter is None:
                value, _, _, i = reader.value(i, info, indent, 2)
                chapter = _text(value)
            else:
                raise Unsure("scene keys")
            info = infos[i] if i < count else None
            if info is None or info[0] < 0:  # most often the next line is the next key, already known
                i, info = reader.content(i)
            if info[0] != indent or info[1] >= 0:
                if info[0] < indent:
                    break
                raise NotPlain("a line indented more than its mapping, or a list item in it")
        if paragraphs is None or (choices is not None) + (goto is not None) + (ending is not None) != 1:
            raise Unsure("no text, or not exactly one exit")
        return (sid, title, file_chapter if chapter is None else chapter, paragraphs, choices, goto, ending, loc), i

    def _choices(self, reader: LineReader, i: int, parent: int, rel: str) -> tuple[tuple, int]:
        """The list of choices below line `i` (a key at column `parent`), stored; and the next line."""
        i, info = reader.content(i + 1)
        indent = info[0]
        if info[1] < 0 or indent < parent:
            raise Unsure("choices: not a list")
        out = []
        texts, wanted = self.texts, self.wanted
        infos, count = reader.infos, reader.count
        while True:
            column = info[1]
            if info[2] is None:  # `- {text: ..., goto: ...}`, or not a mapping at all
                if info[4] != FLOW:
                    raise Unsure("a choice that is not a mapping")
                out.append(self._flow_choice(len(out), flow_mapping(info[5], i + 1, column), rel))  # type: ignore[arg-type]
                i, info = reader.content(i + 1)
                if info[0] != indent:
                    if info[0] < indent:
                        break
                    raise NotPlain("a line indented more than its list")
                if info[1] < 0:
                    break
                continue
            loc = (rel, i + 1, column + 1)
            text = goto = condition = sets = once = None
            while True:  # the choice's keys: the first on the item's line, the rest at its column
                key, kind, value = info[2], info[4], info[5]
                if kind in ON_ITS_LINE:  # a scalar, or a flow mapping's entries
                    line, after = i + 1, i + 1
                    col = info[3] + 1
                else:
                    value, line, col, after = reader.value(i, info, column, 4)
                if key == "text" and text is None:
                    if value.__class__ is not str or value not in texts:
                        value = self._template(_text(value))
                    text = value
                elif key == "goto" and goto is None:
                    if kind == SCALAR and value.__class__ is str:  # the usual `goto: scene`
                        if value not in wanted:
                            self._scene_ref(value)
                        goto = ((value, None, (rel, line, col)),)
                    else:
                        goto = self._goto(value, line, col, rel)
                elif key == "set" and sets is None:
                    # `set: {name: value, ...}` on its line, or a block mapping below
                    sets = self._flow_sets(value, rel, line, col - 1) if kind == FLOW else self._sets(value, rel)  # type: ignore[arg-type]
                elif key == "if" and condition is None:
                    condition = self._expression(value, bool)
                elif key == "once" and once is None:
                    if value.__class__ is not Tagged or value.tag != "bool":  # type: ignore[attr-defined]
                        raise Unsure("once")
                    once = bool_value(value)  # type: ignore[arg-type]
                else:
                    raise Unsure("choice keys")
                i = after
                info = infos[i] if i < count else None
                if info is None or info[0] < 0:  # as in `_scene`
                    i, info = reader.content(i)
                if info[0] != column or info[1] >= 0:
                    if info[0] < column:
                        break
                    raise NotPlain("a line indented more than its mapping, or a list item in it")
            if text is None or goto is None:
                raise Unsure("a choice without text or goto")
            out.append((len(out), text, goto, condition, sets or (), bool(once), loc))
            if info[0] != indent:
                if info[0] < indent:
                    break
                raise NotPlain("a line indented more than its list")
            if info[1] < 0:
                break  # the next key, after a list written at its key's indent
        return tuple(out), i

    def _flow_choice(self, index: int, choice: Map, rel: str) -> tuple:
        """A choice written as a flow mapping on its item's line: the keys and checks of `_choices`."""
        if not _CHOICE_KEYS.issuperset(choice) or "text" not in choice or "goto" not in choice:
            raise Unsure("choice keys")
        at = choice.at
        text = choice["text"]
        if text.__class__ is not str or text not in self.texts:
            text = self._template(_text(text))
        goto = self._goto(choice["goto"], at["goto"][2], at["goto"][3], rel)
        condition = self._expression(choice["if"], bool) if "if" in choice else None
        sets = self._sets(choice["set"], rel) if "set" in choice else ()
        once = False
        if "once" in choice:
            flag = choice["once"]
            if flag.__class__ is not Tagged or flag.tag != "bool":
                raise Unsure("once")
            once = bool_value(flag)
        return (index, text, goto, condition, sets, once, (rel, choice.line, choice.col))

    def _scene_text(self, text: object, line: int, col: int, rel: str) -> tuple:
        """A scene's `text:` other than one line of prose: a block of prose or a list of paragraphs."""
        if text.__class__ is not Seq:
            return self._paragraphs(text, None, (rel, line, col))
        out: list[tuple] = []
        for item, (line, col) in zip(text, text.at, strict=True):  # type: ignore[attr-defined]
            if item.__class__ is Map:
                if not _PARAGRAPH_KEYS.issuperset(item) or "text" not in item:
                    raise Unsure("paragraph keys")
                condition = self._expression(item["if"], bool) if "if" in item else None
                out.extend(self._paragraphs(item["text"], condition, (rel, item.line, item.col)))
            else:
                out.extend(self._paragraphs(item, None, (rel, line, col)))
        return tuple(out)

    def _paragraphs(self, text: object, condition: PlainExpr | None, loc: PlainLoc) -> tuple:
        prose = _text(text)
        sources = self.prose.get(prose)
        if sources is None:
            self._template(prose)
            split = split_paragraphs(prose)
            if split == [prose]:
                sources = (prose,)
            else:
                for piece in split:
                    template_names(piece)  # a placeholder cut in two by a blank line fails here, as in the compiler
                sources = tuple(split)
            self.prose[prose] = sources
        if len(sources) == 1:
            return ((sources[0], condition, loc),)
        return tuple((source, condition, loc) for source in sources)

    def _template(self, source: str) -> str:
        """`source`, once its placeholders are checked: well formed, each naming a variable.

        Only checked: the templates themselves are made when a scene is first shown (`cache.Builder`).
        """
        texts = self.texts
        if source not in texts:
            if not self.variable_types.keys() >= set(template_names(source)):
                raise Unsure("an unknown variable in text")
            texts.add(source)
        return source

    def _flow_sets(self, entries: tuple[tuple[str, int, object, int], ...], rel: str, line: int, start: int) -> tuple:
        """A choice's `set: {name: value, ...}` on line `line`, the '{' at column `start` (0-based).

        The same `set:` is written again and again; its entries (one tuple per distinct text, from the
        plain reader) are checked once, and only their places are made each time.
        """
        known = self.flow_sets.get(id(entries))
        if known is None or known[0] is not entries:
            types = self.variable_types
            checked = []
            for name, key_at, value, _ in entries:
                want = types.get(name)
                if want is None:
                    raise Unsure("an unknown variable")
                checked.append((name, self._expression(value, want), key_at + 1))
            known = self.flow_sets[id(entries)] = (entries, tuple(checked))
        return tuple([(name, expression, (rel, line, start + at)) for name, expression, at in known[1]])

    def _sets(self, sets: object, rel: str) -> tuple:
        """A choice's `set:` written as a block mapping."""
        if sets.__class__ is not Map:
            raise Unsure("set")
        at = sets.at  # type: ignore[attr-defined]
        types = self.variable_types
        out = []
        for name, value in sets.items():  # type: ignore[attr-defined]
            want = types.get(name)
            if want is None:
                raise Unsure("an unknown variable")
            line, col = at[name][:2]
            out.append((name, self._expression(value, want), (rel, line, col)))
        return tuple(out)

    def _goto(self, goto: object, line: int, col: int, rel: str) -> tuple:
        """A `goto:` other than one scene id on its line: a list of branches (or an id in quotes, say)."""
        if goto.__class__ is not Seq:
            return ((self._scene_ref(goto), None, (rel, line, col)),)
        if not goto:
            raise Unsure("empty goto")
        last = len(goto) - 1  # type: ignore[arg-type]
        out = []
        for i, branch in enumerate(goto):  # type: ignore[arg-type]
            if branch.__class__ is not Map or not _BRANCH_KEYS.issuperset(branch) or "scene" not in branch:
                raise Unsure("branch keys")
            if ("if" in branch) != (i != last):
                raise Unsure("a branch that can never be taken, or a goto that can go nowhere")
            condition = self._expression(branch["if"], bool) if i != last else None
            out.append((self._scene_ref(branch["scene"]), condition, (rel, branch.line, branch.col)))
        return tuple(out)

    def _scene_ref(self, value: object) -> str:
        """A scene id named by a goto; whether the scene is there is checked once all are read."""
        wanted = self.wanted
        if value.__class__ is not str or value not in wanted:
            value = _name(_text(value))
            wanted.add(value)
        return value  # type: ignore[return-value]

    def _expression(self, value: object, want: type) -> PlainExpr:
        """An `if:` or a `set:` value: compiled once per distinct text, of the type `want`."""
        known = self.expressions.get(value) if value.__class__ is str else None  # type: ignore[call-overload]
        if known is None:
            if value.__class__ is not str and (value.__class__ is not Tagged or value.tag not in ("bool", "int")):  # type: ignore[attr-defined]
                raise Unsure("not an expression")
            known = self.expressions.get(value) or self._compile(value)  # type: ignore[call-overload, arg-type]
        if known[0].type is not want:
            raise Unsure("an expression of the wrong type")
        return known[1]

    def _visits(self, scene_id: str) -> bool:
        """visits() may name any scene of the story, read yet or not: checked with the gotos' at the end."""
        self.wanted.add(scene_id)
        return True

    def _compile(self, key: str | Tagged) -> tuple[Expression, PlainExpr]:
        """An expression written as text (`key`), or a YAML integer or boolean standing for itself."""
        if key.__class__ is str:
            text = key
            tree = parse(text)
            result_type = check_types(tree, self.variable_types, self._visits)  # unknown names raise
        else:
            text = key.text  # type: ignore[union-attr]
            value = bool_value(key) if key.tag == "bool" else int_value(key)  # type: ignore[arg-type, union-attr]
            tree = Literal(value, 0)
            result_type = type(value)
        expression = Expression(text, tree, result_type, compile_node(tree))
        plain: PlainExpr = (text, cache.plain_tree(tree), result_type.__name__ if result_type else None)
        self.builder.expressions[plain] = expression
        self.expressions[key] = known = (expression, plain)
        return known
