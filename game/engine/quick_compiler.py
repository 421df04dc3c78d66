"""Compile a plainly written story with no mistakes, quickly; leave every other story to the compiler.

`game.engine.compiler` checks a story node by node so that it can report every
mistake with its place; that care costs most of a cold load. Most loads have
no mistake to report. This module checks the same rules on the plain values
of `game.engine.plain_yaml`, in two passes like the compiler (scene ids, then
scenes), and goes straight to the stored form of a validated story
(`game.engine.cache`): the cache entry is then one `marshal` call away, and
scenes become model objects when first looked up, exactly as for a story read
back from the cache.

It never reports anything. The first thing it is not sure of (a mistake, or
YAML the quick reader leaves to libyaml) raises `Unsure`, and the loader runs
the careful compiler from the start, which finds and reports it. So the rules
here may only ever be as strict as the compiler's or stricter, never looser:
`tests/engine/test_quick_compiler.py` loads every story in the tests both ways
and compares the results, and mutates stories to check that whatever the
compiler refuses never gets through here.
"""

from __future__ import annotations

from collections.abc import Callable
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
from game.engine.plain_yaml import Map, NotPlain, Seq, Tagged, bool_value, int_value, read
from game.engine.text import Template, TemplateError, parse_template, split_paragraphs

_IDENT_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_STORY_KEYS = frozenset(fmt.STORY_KEYS)
_VARIABLE_KEYS = frozenset(fmt.VARIABLE_KEYS)
_ENDING_KEYS = frozenset(fmt.ENDING_KEYS)
_SCENE_FILE_KEYS = frozenset(fmt.SCENE_FILE_KEYS)
_SCENE_KEYS = frozenset(fmt.SCENE_KEYS)
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
        return cache.encode(story.title, story.start, start_loc, story.files, cache.plain_variables(story.variables),
                            cache.plain_endings(story.endings), self._scenes)


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
        self.builder = cache.Builder()
        #: (tag, text) -> (expression, its stored form): each distinct expression is compiled once.
        self.expressions: dict[tuple[str, str], tuple[Expression, PlainExpr]] = {}
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

        files = [(rel, read(data.decode("utf-8-sig"))) for rel, data in scene_sources]
        found: list[tuple[str, Map, PlainLoc, str | None]] = []
        scene_ids = self.scene_ids
        for rel, document in files:  # pass 1: every scene id, for references and visits()
            if not _SCENE_FILE_KEYS.issuperset(document) or "scenes" not in document:
                raise Unsure("scene file keys")
            chapter = _text(document["chapter"]) if "chapter" in document else None
            scenes = document["scenes"]
            if scenes.__class__ is not Map:
                raise Unsure("scenes")
            at = scenes.at
            for sid, scene in scenes.items():
                if sid in scene_ids or scene.__class__ is not Map:
                    raise Unsure("a duplicate scene, or a scene that is not a mapping")
                scene_ids.add(_name(sid))
                line, col = at[sid][:2]
                found.append((sid, scene, (rel, line, col), chapter))
        if start not in scene_ids:
            raise Unsure("no scenes, or no start scene")
        plains = {sid: self._scene(sid, scene, loc, chapter) for sid, scene, loc, chapter in found}

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

    # ------------------------------------------------------------------ scenes

    def _scene(self, sid: str, scene: Map, loc: PlainLoc, file_chapter: str | None) -> tuple:
        if not _SCENE_KEYS.issuperset(scene) or "text" not in scene:
            raise Unsure("scene keys")
        at, rel = scene.at, loc[0]
        choices = goto = ending = None
        if "choices" in scene:
            if "goto" in scene or "ending" in scene:
                raise Unsure("two exits")
            choices = self._choices(scene["choices"], rel, sid)
        elif "goto" in scene:
            if "ending" in scene:
                raise Unsure("two exits")
            goto = self._goto(scene["goto"], at["goto"], rel)
        elif "ending" in scene:
            ending = _name(_text(scene["ending"]))
            if ending not in self.endings:
                raise Unsure("unknown ending")
        else:
            raise Unsure("no exit")
        title = _text(scene["title"]) if "title" in scene else None
        chapter = _text(scene["chapter"]) if "chapter" in scene else file_chapter
        text = scene["text"]
        if text.__class__ is str:  # prose: one paragraph or more, none of them conditional
            line, col = at["text"][2:]
            paragraphs = self._paragraphs(text, None, (rel, line, col))
        else:
            paragraphs = self._scene_text(text, at["text"], rel)
        return (sid, title, chapter, paragraphs, choices, goto, ending, loc)

    def _scene_text(self, text: object, at: tuple[int, int, int, int], rel: str) -> tuple:
        if text.__class__ is not Seq:
            return self._paragraphs(text, None, (rel, at[2], at[3]))
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
            whole = self._template(prose)
            split = split_paragraphs(prose)
            if split == [prose]:
                sources = (whole.source,)
            else:
                templates = self.builder.templates
                for piece in split:
                    if piece not in templates:
                        templates[piece] = parse_template(piece)
                sources = tuple(split)
            self.prose[prose] = sources
        if len(sources) == 1:
            return ((sources[0], condition, loc),)
        return tuple((source, condition, loc) for source in sources)

    def _template(self, source: str) -> Template:
        templates = self.builder.templates
        template = templates.get(source)
        if template is None:
            template = parse_template(source)
            if not self.variable_types.keys() >= set(template.names):
                raise Unsure("an unknown variable in text")
            templates[source] = template
        return template

    def _choices(self, choices: object, rel: str, sid: str) -> tuple:
        if choices.__class__ is not Seq or not choices:
            raise Unsure("choices")
        out = []
        templates = self.builder.templates
        scene_ids = self.scene_ids
        for index, choice in enumerate(choices):  # type: ignore[arg-type]
            if (
                choice.__class__ is not Map
                or not _CHOICE_KEYS.issuperset(choice)
                or "text" not in choice
                or "goto" not in choice
            ):
                raise Unsure("choice keys")
            text = choice["text"]
            if text.__class__ is not str or text not in templates:
                text = self._template(_text(text)).source
            goto = choice["goto"]
            if goto.__class__ is str and goto in scene_ids:  # the usual `goto: scene`
                line, col = choice.at["goto"][2:]
                goto = ((goto, None, (rel, line, col)),)
            else:
                goto = self._goto(goto, choice.at["goto"], rel)
            condition = self._expression(choice["if"], bool) if "if" in choice else None
            sets = self._sets(choice["set"], rel) if "set" in choice else ()
            once = False
            if "once" in choice:
                flag = choice["once"]
                if flag.__class__ is not Tagged or flag.tag != "bool":
                    raise Unsure("once")
                once = bool_value(flag)
            out.append((index, text, goto, condition, sets, once, (rel, choice.line, choice.col)))
        return tuple(out)

    def _sets(self, sets: object, rel: str) -> tuple:
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

    def _goto(self, goto: object, at: tuple[int, int, int, int], rel: str) -> tuple:
        if goto.__class__ is not Seq:
            return ((self._scene_ref(goto), None, (rel, at[2], at[3])),)
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
        target = _name(_text(value))
        if target not in self.scene_ids:
            raise Unsure("unknown scene")
        return target

    def _expression(self, value: object, want: type) -> PlainExpr:
        if value.__class__ is str:
            key = ("str", value)
        elif value.__class__ is Tagged and value.tag in ("bool", "int"):  # type: ignore[attr-defined]
            key = value  # type: ignore[assignment]
        else:
            raise Unsure("not an expression")
        known = self.expressions.get(key) or self._compile(key)  # type: ignore[arg-type]
        if known[0].type is not want:
            raise Unsure("an expression of the wrong type")
        return known[1]

    def _compile(self, key: tuple[str, str]) -> tuple[Expression, PlainExpr]:
        tag, text = key
        if tag == "str":
            tree = parse(text)
            scene_known: Callable[[str], bool] = self.scene_ids.__contains__
            result_type = check_types(tree, self.variable_types, scene_known)  # unknown names raise
        else:
            value = bool_value(key) if tag == "bool" else int_value(key)  # type: ignore[arg-type]
            tree = Literal(value, 0)
            result_type = type(value)
        expression = Expression(text, tree, result_type, compile_node(tree))
        plain: PlainExpr = (text, cache.plain_tree(tree), result_type.__name__ if result_type else None)
        self.builder.expressions[plain] = expression
        self.expressions[key] = known = (expression, plain)
        return known
