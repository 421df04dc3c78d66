"""Playing a story: the game state and the moves a player can make on it.

The state is small and plain (scene, variables, visit counts, `once` choices
taken) so it can be copied for undo, hashed by the explorer and written to a
save as JSON. The path of choices is kept beside it: undo and the journal are
derived by replaying that path, which costs an integer per choice instead of a
snapshot per choice, so memory stays flat over thousands of moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from game.engine.expressions import Value
from game.engine.model import Branch, Choice, Ending, Scene, Story

CONTINUE = "Continue"


@dataclass(slots=True)
class GameState:
    """Everything that decides what happens next; nothing that can be derived."""

    scene: str
    variables: dict[str, Value]
    visits: dict[str, int] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def copy(self) -> "GameState":
        return GameState(self.scene, dict(self.variables), dict(self.visits), set(self.taken))

    def to_json(self) -> dict[str, object]:
        return {
            "scene": self.scene,
            "variables": dict(self.variables),
            "visits": dict(self.visits),
            "taken": sorted(self.taken),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "GameState":
        return cls(
            scene=str(data["scene"]),
            variables=dict(data["variables"]),  # type: ignore[arg-type]
            visits={str(k): int(v) for k, v in dict(data.get("visits", {})).items()},  # type: ignore[arg-type]
            taken={str(k) for k in data.get("taken", [])},  # type: ignore[union-attr]
        )


@dataclass(frozen=True, slots=True)
class Option:
    """A choice as the player sees it now: its number, its rendered text."""

    number: int  # 1-based, as shown on screen
    text: str
    choice: Choice | None  # None for the "Continue" of a `goto` scene


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One scene visited and the choice made in it (None while it is the current scene)."""

    scene: Scene
    paragraphs: tuple[str, ...]
    chosen: str | None


class GameOver(Exception):
    """Raised when a move is asked of a game that has reached an ending."""


def new_state(story: Story) -> GameState:
    state = GameState(story.start, story.defaults())
    state.visits[story.start] = 1
    return state


def follow(branches: tuple[Branch, ...], state: GameState) -> str:
    """The target of the first branch whose condition holds (the last has none)."""
    variables, visits = state.variables, state.visits
    for branch in branches:
        if branch.condition is None or branch.condition.evaluate(variables, visits):
            return branch.scene
    return branches[-1].scene  # unreachable for a loaded story: the last branch is unconditional


def render(scene: Scene, state: GameState) -> tuple[str, ...]:
    """The scene's paragraphs as the player sees them now."""
    variables, visits = state.variables, state.visits
    return tuple(
        p.template.render(variables)
        for p in scene.paragraphs
        if p.condition is None or p.condition.evaluate(variables, visits)
    )


def offered(scene: Scene, state: GameState) -> list[Choice]:
    """The choices of `scene` offered in `state`, in the author's order."""
    if scene.choices is None:
        return []
    variables, visits, taken = state.variables, state.visits, state.taken
    return [
        c
        for c in scene.choices
        if (c.condition is None or c.condition.evaluate(variables, visits)) and not (c.once and c.key in taken)
    ]


def apply_choice(story: Story, state: GameState, choice: Choice | None) -> None:
    """Move `state` along `choice` (None: the scene's Continue), in place."""
    scene = story.scenes[state.scene]
    if choice is None:
        target = follow(scene.goto, state)  # type: ignore[arg-type]
    else:
        variables = state.variables
        if choice.sets:
            visits = state.visits
            values = [(a.variable, a.value.evaluate(variables, visits)) for a in choice.sets]
            spec = story.variables
            for name, value in values:
                variables[name] = spec[name].clamp(value)
        if choice.once:
            state.taken.add(choice.key)
        target = follow(choice.goto, state)
    state.scene = target
    state.visits[target] = state.visits.get(target, 0) + 1


class Game:
    """One playthrough: the current state plus the path of choices that led to it."""

    def __init__(self, story: Story, state: GameState | None = None):
        """Start at `state` (default: the story's start). Undo reaches back to it."""
        self.story = story
        self.initial = (state or new_state(story)).copy()
        self.state = self.initial.copy()
        self.path: list[int] = []

    @classmethod
    def resume(cls, story: Story, initial: GameState, path: list[int]) -> "Game":
        """Rebuild a game from where it started and the choices made since."""
        game = cls(story, initial)
        for number in path:
            game.choose(number)
        return game

    # ------------------------------------------------------------------ reading

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self.state.scene]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return render(self.scene, self.state)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def options(self) -> list[Option]:
        scene = self.scene
        if scene.ending is not None:
            return []
        if scene.goto is not None:
            return [Option(1, CONTINUE, None)]
        variables = self.state.variables
        return [Option(i, c.text.render(variables), c) for i, c in enumerate(offered(scene, self.state), 1)]

    @property
    def ending(self) -> Ending | None:
        ending = self.scene.ending
        return None if ending is None else self.story.endings[ending]

    @property
    def is_over(self) -> bool:
        return self.scene.ending is not None

    @property
    def variables(self) -> dict[str, Value]:
        return self.state.variables

    # ------------------------------------------------------------------ moving

    def choose(self, number: int) -> None:
        """Take the option with this 1-based number; raise ValueError if there is none."""
        if self.is_over:
            raise GameOver(f"the game has ended ({self.scene.ending})")
        options = self.options
        if not 1 <= number <= len(options):
            raise ValueError(f"no choice {number}: {len(options)} offered")
        apply_choice(self.story, self.state, options[number - 1].choice)
        self.path.append(number)

    @property
    def can_undo(self) -> bool:
        return bool(self.path)

    def undo(self) -> None:
        """Go back one choice, restoring the state exactly, by replaying the path."""
        if not self.path:
            raise ValueError("nothing to undo")
        self.replay(self.path[:-1])

    def replay(self, path: list[int]) -> None:
        self.state = self.initial.copy()
        self.path = []
        for number in path:
            self.choose(number)

    def journal(self) -> Iterator[JournalEntry]:
        """The playthrough so far: every scene as it read then, and what was chosen."""
        state = self.initial.copy()
        for number in self.path:
            scene = self.story.scenes[state.scene]
            text = render(scene, state)
            if scene.goto is not None:
                option: Choice | None = None
                label = CONTINUE
            else:
                option = offered(scene, state)[number - 1]
                label = option.text.render(state.variables)
            yield JournalEntry(scene, text, label)
            apply_choice(self.story, state, option)
        yield JournalEntry(self.scene, self.paragraphs, None)
