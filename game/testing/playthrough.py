"""Playthrough files: reading `NAME.playthrough.yaml` with located errors.

A playthrough is read with the same machinery as a scene file (composed
nodes, duplicate keys refused, unknown keys answered with "did you mean"), in
two passes: first its own shape, which needs no story; then, once the story it
names is loaded, its references (start scene, variables and their types,
scene and ending ids), so a typo in a test is reported at its line like a
typo in a scene.

The key names below are the contract documented in docs/testing.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.errors import Diagnostic, Diagnostics, Loc, did_you_mean
from game.engine.expressions import Value, literal, type_name, type_of
from game.engine.format import Key
from game.engine.loader import PLAYTHROUGH_SUFFIX, read_file
from game.engine.model import Story
from game.engine.yaml_source import (
    Mapping,
    Node,
    Reader,
    Scalar,
    Sequence,
    is_int,
    is_null,
    kind_of,
    read_document,
)

SUFFIX = PLAYTHROUGH_SUFFIX

PLAYTHROUGH_KEYS: dict[str, Key] = {
    "name": Key("text", False, "What the test is called in reports (default: the file name)."),
    "story": Key("text", False, "The story folder, relative to this file (default: the bundled story)."),
    "start": Key("id", False, "Start at this scene instead of the story's start."),
    "state": Key("state", False, "Variables preset before the first step: name → value."),
    "seed": Key(
        "seed",
        False,
        "The game's seed: what random() and roll() draw from when a step does not fix its draws (default: 0,"
        " the same draws on every run).",
    ),
    "steps": Key("steps", True, "The steps, in order: each one `choose`, `type` or `expect`."),
}
STEP_KEYS: dict[str, Key] = {
    "choose": Key("choice", False, "A choice's visible text (case-insensitive, unique substring) or its number."),
    "type": Key(
        "answer",
        False,
        "The text the player types where the scene asks for one (its `input`), then Continue; '' types"
        " nothing (the default answer).",
    ),
    "draws": Key(
        "draws",
        False,
        "With `choose` or `type`: what this move's random() and roll() give, in the order it draws them"
        " (a number, or a list of numbers).",
    ),
    "expect": Key(
        "expect",
        False,
        "What must hold now: any subset of scene, title, text, offers, not_offers, state, ending, tags, choice_tags.",
    ),
}
#: The keys a step makes its move or its check with: exactly one per step.
STEP_ACTIONS = ("choose", "type", "expect")
EXPECT_KEYS: dict[str, Key] = {
    "scene": Key("id", False, "The id of the current scene."),
    "title": Key("text", False, "Text the scene's title shows now, as the player reads it (a substring)."),
    "text": Key("texts", False, "Text the scene shows now (a substring, or a list of substrings)."),
    "offers": Key("texts", False, "Choices that must be offered now."),
    "not_offers": Key("texts", False, "Choices that must not be offered now."),
    "state": Key("state", False, "Variables and the values they must have now."),
    "ending": Key("id", False, "The ending the story has reached."),
    "tags": Key("tags", False, "Tags the current scene carries (a tag, or a list of tags)."),
    "choice_tags": Key(
        "choice-tags", False, "Choice offered now (matched like `choose`) → the tags it carries (a tag or a list)."
    ),
}


@dataclass(frozen=True, slots=True)
class Choose:
    """Take the option with this number (1-based) or whose text matches; `draws`: what the move draws."""

    target: int | str
    loc: Loc
    draws: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Type:
    """Type `text` where the scene asks for one, then Continue; `draws`: what the move draws."""

    text: str
    loc: Loc
    draws: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Expect:
    """Assertions on the current moment; `None`/empty means "not checked"."""

    loc: Loc
    scene: str | None = None
    title: str | None = None
    text: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    not_offers: tuple[str, ...] = ()
    state: dict[str, Value] = field(default_factory=dict)
    ending: str | None = None
    tags: tuple[str, ...] = ()
    #: Choice text (matched like `choose`) → tags that choice carries.
    choice_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)


Step = Choose | Type | Expect


@dataclass
class Playthrough:
    """A parsed playthrough file, not yet checked against its story."""

    path: Path
    display: str  # the path as reports show it
    name: str
    story: Path | None  # resolved story folder; None: the bundled story
    start: str | None
    state: dict[str, Value]
    steps: list[Step]
    loc: Loc  # the file itself
    #: The game's seed (chance not fixed by a step's `draws` comes from it).
    seed: int = 0
    #: Where each reference was written, for `check_against`: (kind, id, loc), kind "scene" or "ending".
    refs: list[tuple[str, str, Loc]] = field(default_factory=list)
    #: Every variable value written, for `check_against`: (name, value, loc, preset?).
    values: list[tuple[str, Value, Loc, bool]] = field(default_factory=list)


def display_path(path: Path) -> str:
    """`path` relative to the working folder when it is inside it, as a user would type it."""
    try:
        relative = Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if relative.startswith("..") else relative


def read_playthrough(
    path: Path, display: str | None = None, allowed_story: Path | None = None
) -> tuple[Playthrough | None, list[Diagnostic]]:
    """Parse a playthrough file's shape; return it and every problem found, located.

    The playthrough comes back even when some of it is wrong (what could be
    read, read), so its references can still be checked against the story and
    an author sees every mistake in one run; it is None only when the file
    cannot be read as a mapping at all. Run it only if no diagnostic is an error.
    """
    shown = display or display_path(path)
    data, problem = read_file(path, shown, "playthrough files")
    return parse_playthrough(path, data, shown, problem, allowed_story)


def parse_playthrough(
    path: Path,
    data: bytes | None,
    shown: str,
    problem: Diagnostic | None = None,
    allowed_story: Path | None = None,
) -> tuple[Playthrough | None, list[Diagnostic]]:
    """`read_playthrough` on bytes already read (an editor's unsaved buffer), or on the reason they could not be."""
    diags = Diagnostics()
    if problem is not None:
        diags.items.append(problem)
    document = (
        None if data is None else read_document(shown, data, diags, "file is empty: expected a mapping with 'steps'")
    )
    if document is None:
        return None, diags.sorted()
    reader, node = document
    allowed = None if allowed_story is None else allowed_story.resolve()
    return _Reader(reader, path, allowed).playthrough(node), diags.sorted()


class _Reader:
    """Pass one: the file's own shape."""

    def __init__(self, reader: Reader, path: Path, allowed: Path | None = None):
        self.r = reader
        self.path = path
        self.allowed = allowed
        self.refs: list[tuple[str, str, Loc]] = []
        self.values: list[tuple[str, Value, Loc, bool]] = []

    def _may_test(self, story: Path) -> bool:
        """A playthrough tests its own story: a folder that holds it, or the one named on the command
        line. A file from a stranger cannot point the runner at any other folder of the machine."""
        here = self.path.resolve().parent
        return story == self.allowed or story == here or story in here.parents

    def playthrough(self, node: Node) -> Playthrough | None:
        keys = self.r.keyed(node, PLAYTHROUGH_KEYS, "a playthrough")
        if keys is None:
            return None
        name = self._text(keys["name"], "'name'") if "name" in keys else None
        story = None
        if "story" in keys:
            folder = self._text(keys["story"], "'story'")
            story = (self.path.parent / folder).resolve() if folder else None
            if story is not None and not self._may_test(story):
                self.r.error(
                    keys["story"],
                    f"'story' must be the folder that holds this playthrough or one of its parents, not {folder};"
                    " to test a story elsewhere, name it on the command line: million-miles test --story FOLDER",
                    "outside",
                )
                story = None
        start = self._id(keys["start"], "'start'", "scene") if "start" in keys else None
        state = self._state(keys["state"], "'state'", preset=True) if "state" in keys else {}
        seed = self._seed(keys["seed"]) if "seed" in keys else 0
        steps = self._steps(keys["steps"]) if "steps" in keys else []
        return Playthrough(
            path=self.path,
            display=self.r.source.path,
            name=name or default_name(self.path),
            story=story,
            start=start,
            state=state,
            steps=steps,
            loc=Loc(self.r.source.path, 0, 0),
            seed=seed,
            refs=self.refs,
            values=self.values,
        )

    def _text(self, node: Node, what: str) -> str | None:
        if isinstance(node, Scalar) and not is_null(node) and node.text != "":
            return node.text
        self.r.error(node, f"{what} must be text, found {kind_of(node)}", "type")
        return None

    def _id(self, node: Node, what: str, kind: str) -> str | None:
        value = self._text(node, what)
        if value is not None:
            self.refs.append((kind, value, node.loc))
        return value

    def _state(self, node: Node, what: str, preset: bool) -> dict[str, Value]:
        values: dict[str, Value] = {}
        if not isinstance(node, Mapping):
            self.r.error(node, f"{what} must be a mapping of variable → value, found {kind_of(node)}", "type")
            return values
        for name, key_node, value in self.r.items(node):
            if isinstance(value, Sequence):
                wrong = next((i for i in value.items if not (isinstance(i, Scalar) and i.tag == "str")), None)
                if wrong is not None:
                    self.r.error(
                        wrong, f"the value of '{name}' is a set, which holds strings: found {kind_of(wrong)}", "type"
                    )
                    continue
                values[name] = frozenset(item.text for item in value.items if isinstance(item, Scalar))
            elif (
                isinstance(value, Scalar)
                and value.tag in ("int", "bool", "str")
                and isinstance(value.value, (bool, int, str))
            ):
                values[name] = value.value
            else:
                self.r.error(
                    value,
                    f"the value of '{name}' must be an integer, a string, a boolean or a list of strings (a set),"
                    f" found {kind_of(value)}",
                    "type",
                )
                continue
            self.values.append((name, values[name], key_node.loc, preset))
        return values

    def _texts(self, node: Node, what: str) -> tuple[str, ...]:
        items = node.items if isinstance(node, Sequence) else [node]
        out = []
        for item in items:
            text = self._text(item, what)
            if text is not None:
                out.append(text)
        return tuple(out)

    def _seed(self, node: Node) -> int:
        if isinstance(node, Scalar) and is_int(node) and type(node.value) is int and 0 <= node.value < 2**63:
            return node.value
        self.r.error(node, f"'seed' must be a whole number from 0, found {kind_of(node)}", "type")
        return 0

    def _steps(self, node: Node) -> list[Step]:
        if not isinstance(node, Sequence):
            self.r.error(node, f"'steps' must be a list of steps, found {kind_of(node)}", "type")
            return []
        if not node.items:
            self.r.error(node, "'steps' is empty: add at least one 'choose', 'type' or 'expect'", "shape")
        steps: list[Step] = []
        for number, item in enumerate(node.items, 1):
            step = self._step(item, f"step {number}")
            if step is not None:
                steps.append(step)
        return steps

    def _step(self, item: Node, what: str) -> Step | None:
        keys = self.r.keyed(item, STEP_KEYS, what, item=True)
        if keys is None:
            return None
        actions = [k for k in STEP_ACTIONS if k in keys]
        if len(actions) > 1:
            both = ("both " if len(actions) == 2 else "") + " and ".join(f"'{k}'" for k in actions)
            count = "two" if len(actions) == 2 else "three"
            self.r.error(item, f"{what} has {both}: write them as {count} steps", "shape")
            return None
        if not actions:
            if "draws" in keys:
                self.r.error(
                    keys["draws"],
                    f"'draws' of {what} goes with the move that draws them: write it beside that step's"
                    " 'choose' or 'type'",
                    "shape",
                )
            elif isinstance(item, Mapping) and not item.pairs:  # `- {}`; unknown keys were reported by `keyed`
                self.r.error(item, f"{what} is empty: give it 'choose', 'type' or 'expect'", "shape")
            return None
        loc = item.loc
        if actions == ["expect"]:
            if "draws" in keys:
                self.r.error(
                    keys["draws"],
                    f"'draws' of {what} goes with a move, and 'expect' makes none: write it beside the"
                    " 'choose' or 'type' that draws them",
                    "shape",
                )
            return self._expect(keys["expect"], loc, what)
        draws = self._draws(keys["draws"]) if "draws" in keys else ()
        if draws is None:
            return None
        if "choose" in keys:
            target = self._choose(keys["choose"])
            return None if target is None else Choose(target, loc, draws)
        text = self._answer(keys["type"])
        return None if text is None else Type(text, loc, draws)

    def _choose(self, node: Node) -> int | str | None:
        if is_int(node) and isinstance(node, Scalar) and type(node.value) is int:
            number = node.value
            if number < 1:
                self.r.error(node, f"'choose' numbers start at 1, found {number}", "type")
                return None
            return number
        if isinstance(node, Scalar) and not is_null(node) and node.text.strip():
            return node.text.strip()
        self.r.error(node, f"'choose' must be a choice's text or its number, found {kind_of(node)}", "type")
        return None

    def _answer(self, node: Node) -> str | None:
        if isinstance(node, Scalar) and not is_null(node):
            return node.text
        self.r.error(node, f"'type' must be the text the player types ('' for none), found {kind_of(node)}", "type")
        return None

    def _draws(self, node: Node) -> tuple[int, ...] | None:
        items = node.items if isinstance(node, Sequence) else [node]
        out: list[int] = []
        for item in items:
            if not (isinstance(item, Scalar) and is_int(item) and type(item.value) is int):
                self.r.error(
                    item, f"'draws' must be a number or a list of numbers, one per draw, found {kind_of(item)}", "type"
                )
                return None
            out.append(item.value)
        if not out:
            self.r.error(node, "'draws' is empty: give the number each draw of the move gives, in order", "shape")
            return None
        return tuple(out)

    def _expect(self, node: Node, loc: Loc, what: str) -> Expect | None:
        keys = self.r.keyed(node, EXPECT_KEYS, f"'expect' of {what}")
        if keys is None:
            return None
        if not keys:
            self.r.error(node, f"'expect' of {what} checks nothing: give any of {', '.join(EXPECT_KEYS)}", "shape")
            return None
        state = self._state(keys["state"], "'state'", preset=False) if "state" in keys else {}
        choice_tags = self._choice_tags(keys["choice_tags"]) if "choice_tags" in keys else {}
        return Expect(
            loc=loc,
            scene=self._id(keys["scene"], "'scene'", "scene") if "scene" in keys else None,
            title=self._text(keys["title"], "'title'") if "title" in keys else None,
            text=self._texts(keys["text"], "'text'") if "text" in keys else (),
            offers=self._texts(keys["offers"], "'offers'") if "offers" in keys else (),
            not_offers=self._texts(keys["not_offers"], "'not_offers'") if "not_offers" in keys else (),
            state=state,
            ending=self._id(keys["ending"], "'ending'", "ending") if "ending" in keys else None,
            tags=self._texts(keys["tags"], "each tag") if "tags" in keys else (),
            choice_tags=choice_tags,
        )

    def _choice_tags(self, node: Node) -> dict[str, tuple[str, ...]]:
        if not isinstance(node, Mapping):
            self.r.error(node, f"'choice_tags' must be a mapping of choice text → tags, found {kind_of(node)}", "type")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for key_node, value in node.pairs:
            text = self._text(key_node, "a choice's text")
            tags = self._texts(value, "each tag")
            if text is not None and tags:
                out[text] = tags
        return out


def default_name(path: Path) -> str:
    """The name a playthrough without `name:` is reported under: its file name without the suffix."""
    return path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem


def check_against(playthrough: Playthrough, story: Story) -> list[Diagnostic]:
    """Pass two: every scene, ending and variable the playthrough names exists, with the right type."""
    diags = Diagnostics()
    for kind, name, loc in playthrough.refs:
        if kind == "scene" and name not in story.scenes:
            diags.error(loc, f"unknown scene '{name}'{did_you_mean(name, story.scenes)}", "unknown-scene")
        elif kind == "ending" and name not in story.endings:
            known = ", ".join(story.endings) or "none"
            hint = did_you_mean(name, story.endings) or f"; the story's endings are: {known}"
            diags.error(loc, f"unknown ending '{name}'{hint}", "unknown-ending")
    for name, value, loc, preset in playthrough.values:
        problem = value_problem(story, name, value, preset)
        if problem:
            diags.error(loc, problem, "unknown-variable" if name not in story.variables else "type")
    return diags.sorted()


def value_problem(story: Story, name: str, value: object, preset: bool) -> str | None:
    """Why `value` cannot be (preset: given to / otherwise: held by) variable `name`, or None."""
    var = story.variables.get(name)
    if var is None:
        return f"unknown variable '{name}'{did_you_mean(name, story.variables)}"
    if type_of(value) != var.type:  # type: ignore[arg-type]
        return (
            f"'{name}' is {_article(type_name(var.type))} variable, "
            f"so it cannot {'be set to' if preset else 'equal'} {_describe(value)}"
        )
    if var.min is not None and value < var.min:  # type: ignore[operator]
        return f"'{name}' cannot be {value}: its minimum is {var.min}"
    if var.max is not None and value > var.max:  # type: ignore[operator]
        return f"'{name}' cannot be {value}: its maximum is {var.max}"
    return None


def _article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, frozenset):
        return f"the set {literal(value)}"
    if isinstance(value, int):
        return f"the integer {value}"
    return f"the text '{value}'"
