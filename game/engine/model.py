"""The validated story model: what the compiler produces, the cache stores and the runtime plays.

Every class here is an immutable `msgspec.Struct`: plain, typed data that type
checkers understand, that the cache encodes and decodes as it is (one stored
form, validated while it is decoded), and that the cyclic garbage collector
never has to scan (`gc=False`: a story is a tree, never a cycle). Everything is
already checked, so the runtime never re-validates during play. Each object
carries its `Loc` so later tools (checker, explorer, error screen) can point an
author at the exact line.

The fields a story file fills are named after its keys (or after `Key.field` in
`game.engine.format`): the compiler builds these classes from the key table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from msgspec import Struct, field

from game.engine.errors import Loc
from game.engine.expressions import Expression, Value, ValueType
from game.engine.text import Template


class Variable(Struct, frozen=True, array_like=True, gc=False):
    name: str
    type: ValueType
    default: Value
    loc: Loc
    label: str | None = None
    min: int | None = None
    max: int | None = None
    #: What the value means, for players (help, and a note the first time a choice changes it).
    description: str = ""

    def clamp(self, value: Value) -> Value:
        if not isinstance(value, int):  # only integer variables have bounds
            return value
        if self.min is not None and value < self.min:
            return self.min
        if self.max is not None and value > self.max:
            return self.max
        return value


class Ending(Struct, frozen=True, array_like=True, gc=False):
    id: str
    title: str
    loc: Loc
    description: str = ""
    #: What kind of choices lead here, for a player who has not reached it (shown on request).
    hint: str = ""


class Paragraph(Struct, frozen=True, array_like=True, gc=False):
    """One paragraph of scene text, shown only while `condition` holds (if any)."""

    template: Template
    loc: Loc
    condition: Expression | None = None


class Branch(Struct, frozen=True, array_like=True, gc=False):
    """One candidate target of a `goto`: the first branch whose condition holds wins."""

    scene: str
    loc: Loc
    condition: Expression | None = None


class Assignment(Struct, frozen=True, array_like=True, gc=False):
    variable: str
    value: Expression
    loc: Loc


class Effect(Struct, frozen=True, array_like=True, gc=False):
    """Assignments made together, when `condition` holds (if any), and only the first time if `once`.

    A scene's effects apply each time the player enters it; a choice's, each time it is taken.
    """

    sets: tuple[Assignment, ...]
    loc: Loc
    #: A stable identifier, used to remember `once` effects in saves ("scene!0", "scene#1!0").
    key: str
    condition: Expression | None = None
    once: bool = False


class Input(Struct, frozen=True, array_like=True, gc=False):
    """A scene asks the player for a short text and keeps it in a string variable."""

    variable: str
    loc: Loc
    prompt: str = ""
    max: int = 20
    default: str = ""


class Choice(Struct, frozen=True, array_like=True, gc=False):
    scene: str
    index: int  # 0-based position in the scene's list: a stable id for `once`
    text: Template
    goto: tuple[Branch, ...]
    loc: Loc
    condition: Expression | None = None
    sets: tuple[Assignment, ...] = ()
    once: bool = False
    effects: tuple[Effect, ...] = ()
    #: A subroutine scene this choice calls (then `goto` is empty), and the scene the player enters when
    #: it returns (without `then`, the player is back in this choice's scene, as it was: not entered again).
    call: str | None = None
    then: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A stable identifier, used to remember `once` choices in saves."""
        return f"{self.scene}#{self.index}"

    @property
    def returns_to(self) -> str:
        """Where the player is when the scene this choice calls returns."""
        return self.then or self.scene


class Scene(Struct, frozen=True, array_like=True, gc=False):
    id: str
    paragraphs: tuple[Paragraph, ...]
    loc: Loc
    #: The title as a template (format 2 fills it in; format 1 shows it as written).
    heading: Template | None = None
    chapter: str | None = None
    choices: tuple[Choice, ...] | None = None
    goto: tuple[Branch, ...] | None = None
    ending: str | None = None
    #: Applied each time the player enters the scene: `sets` first, then each effect in order.
    sets: tuple[Assignment, ...] = ()
    effects: tuple[Effect, ...] = ()
    #: A subroutine scene to call, and the scene to go to when it returns.
    call: str | None = None
    then: str | None = None
    #: The scene ends a subroutine: Continue goes back to where it was called from.
    returns: bool = False
    input: Input | None = None
    tags: tuple[str, ...] = ()

    @property
    def title(self) -> str | None:
        """The title as written."""
        return None if self.heading is None else self.heading.source

    @property
    def kind(self) -> str:
        """How the player leaves: "ending", "goto", "choices", "call" or "return"."""
        if self.ending is not None:
            return "ending"
        if self.goto is not None:
            return "goto"
        if self.call is not None:
            return "call"
        return "return" if self.returns else "choices"

    @property
    def continues(self) -> bool:
        """Whether the player leaves by a single Continue (a goto, a call or a return)."""
        return self.goto is not None or self.call is not None or self.returns

    def expressions(self) -> Iterator[tuple[Expression, Loc]]:
        """Every expression of the scene with its place: conditions, values, and those in its texts."""
        for template, loc in self.templates():
            for expression in template.expressions:
                yield expression, loc
        for paragraph in self.paragraphs:
            if paragraph.condition is not None:
                yield paragraph.condition, paragraph.loc
        yield from _effect_expressions(self.entry_effects)
        for branch in self.goto or ():
            if branch.condition is not None:
                yield branch.condition, branch.loc
        for choice in self.choices or ():
            if choice.condition is not None:
                yield choice.condition, choice.loc
            for assignment in choice.sets:
                yield assignment.value, assignment.loc
            yield from _effect_expressions(choice.effects)
            for branch in choice.goto:
                if branch.condition is not None:
                    yield branch.condition, branch.loc

    def templates(self) -> Iterator[tuple[Template, Loc]]:
        """Every text of the scene that may read the state: its title, paragraphs and choice texts."""
        if self.heading is not None:
            yield self.heading, self.loc
        for paragraph in self.paragraphs:
            yield paragraph.template, paragraph.loc
        for choice in self.choices or ():
            yield choice.text, choice.loc

    def assigned(self) -> Iterator[tuple[str, Loc]]:
        """Every variable the scene's moves may change, with where: `set`, effects, choices, `input`."""
        for effect in self.entry_effects:
            for assignment in effect.sets:
                yield assignment.variable, assignment.loc
        for choice in self.choices or ():
            for assignment in choice.sets:
                yield assignment.variable, assignment.loc
            for effect in choice.effects:
                for assignment in effect.sets:
                    yield assignment.variable, assignment.loc
        if self.input is not None:
            yield self.input.variable, self.input.loc

    @property
    def entry_effects(self) -> tuple[Effect, ...]:
        """What entering the scene applies, in order: its `set`, then its `effects`."""
        if not self.sets:
            return self.effects
        return (Effect(self.sets, self.loc, f"{self.id}!set"), *self.effects)


def _effect_expressions(effects: tuple[Effect, ...]) -> Iterator[tuple[Expression, Loc]]:
    for effect in effects:
        if effect.condition is not None:
            yield effect.condition, effect.loc
        for assignment in effect.sets:
            yield assignment.value, assignment.loc


class Story(Struct, frozen=True, weakref=True):
    """A whole story, put together from its files (`game.engine.story`); never stored as one piece."""

    title: str
    start: str
    root: Path
    variables: Mapping[str, Variable]
    endings: Mapping[str, Ending]
    scenes: Mapping[str, Scene]
    files: tuple[str, ...] = ()
    #: Where `start` was written, for located messages about the story as a whole.
    start_loc: Loc = field(default_factory=lambda: Loc("story.yaml"))
    #: The version of the story format it is written in (`format:` in story.yaml).
    format: int = 1

    @property
    def identity(self) -> str:
        """What saves record to recognise the story they belong to."""
        return self.title

    def defaults(self) -> dict[str, Value]:
        return {name: var.default for name, var in self.variables.items()}

    def scene_loc(self, scene_id: str) -> Loc:
        """Where a scene's id is written. A loaded story's scenes (`game.engine.story.Scenes`) know it
        without building the scene: a report that lists thousands of scenes by place need not build them."""
        locate = getattr(self.scenes, "loc", None)
        return locate(scene_id) if locate is not None else self.scenes[scene_id].loc

    @property
    def labelled(self) -> list[Variable]:
        return [v for v in self.variables.values() if v.label]
