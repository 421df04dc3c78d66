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

from collections.abc import Mapping
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
        if isinstance(value, str):  # only integer variables have bounds
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


class Choice(Struct, frozen=True, array_like=True, gc=False):
    scene: str
    index: int  # 0-based position in the scene's list: a stable id for `once`
    text: Template
    goto: tuple[Branch, ...]
    loc: Loc
    condition: Expression | None = None
    sets: tuple[Assignment, ...] = ()
    once: bool = False

    @property
    def key(self) -> str:
        """A stable identifier, used to remember `once` choices in saves."""
        return f"{self.scene}#{self.index}"


class Scene(Struct, frozen=True, array_like=True, gc=False):
    id: str
    paragraphs: tuple[Paragraph, ...]
    loc: Loc
    title: str | None = None
    chapter: str | None = None
    choices: tuple[Choice, ...] | None = None
    goto: tuple[Branch, ...] | None = None
    ending: str | None = None

    @property
    def kind(self) -> str:
        if self.ending is not None:
            return "ending"
        return "goto" if self.goto is not None else "choices"


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

    @property
    def identity(self) -> str:
        """What saves record to recognise the story they belong to."""
        return self.title

    def defaults(self) -> dict[str, Value]:
        return {name: var.default for name, var in self.variables.items()}

    @property
    def labelled(self) -> list[Variable]:
        return [v for v in self.variables.values() if v.label]
