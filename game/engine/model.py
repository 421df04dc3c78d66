"""The validated story model: what the loader produces and the runtime plays.

Every object here is immutable and already checked, so the runtime never has
to re-validate anything during play. Each carries its `Loc` so later tools
(checker, explorer, error screen) can point an author at the exact line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from game.engine.errors import Loc
from game.engine.expressions import Expression, Value
from game.engine.records import field, record
from game.engine.text import Template


@record
class Variable:
    name: str
    type: type
    default: Value
    label: str | None
    min: int | None
    max: int | None
    loc: Loc

    def clamp(self, value: Value) -> Value:
        if self.min is not None and value < self.min:  # type: ignore[operator]
            return self.min
        if self.max is not None and value > self.max:  # type: ignore[operator]
            return self.max
        return value


@record
class Ending:
    id: str
    title: str
    description: str
    loc: Loc


@record
class Paragraph:
    """One paragraph of scene text, shown only while `condition` holds (if any)."""

    template: Template
    condition: Expression | None
    loc: Loc


@record
class Branch:
    """One candidate target of a `goto`: the first branch whose condition holds wins."""

    scene: str
    condition: Expression | None
    loc: Loc


@record
class Assignment:
    variable: str
    value: Expression
    loc: Loc


@record
class Choice:
    scene: str
    index: int  # 0-based position in the scene's list: a stable id for `once`
    text: Template
    goto: tuple[Branch, ...]
    condition: Expression | None
    sets: tuple[Assignment, ...]
    once: bool
    loc: Loc

    @property
    def key(self) -> str:
        """A stable identifier, used to remember `once` choices in saves."""
        return f"{self.scene}#{self.index}"


@record
class Scene:
    id: str
    title: str | None
    chapter: str | None
    paragraphs: tuple[Paragraph, ...]
    choices: tuple[Choice, ...] | None
    goto: tuple[Branch, ...] | None
    ending: str | None
    loc: Loc

    @property
    def kind(self) -> str:
        if self.ending is not None:
            return "ending"
        return "goto" if self.goto is not None else "choices"


@record(weakref=True)  # the runtime drops its per-story plans when the story goes (weakref.finalize)
class Story:
    title: str
    start: str
    root: Path
    variables: Mapping[str, Variable]
    endings: Mapping[str, Ending]
    scenes: Mapping[str, Scene]
    files: tuple[str, ...] = ()
    #: Where `title`/`start` were written, for located messages about them.
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
