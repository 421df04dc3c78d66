"""Playing a story: the game state and the moves a player can make on it.

The state is small and plain (scene, variables, visit counts, `once` choices
taken) so it can be copied for undo, hashed by the explorer and written to a
save as JSON. The path of choices is kept beside it: undo and the journal are
derived by replaying that path, which costs an integer per choice instead of a
snapshot per choice, so memory stays flat over thousands of moves.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from typing import Any

from msgspec import Struct, field

from game.engine.expressions import Evaluator, Value, type_of
from game.engine.model import Branch, Choice, Ending, Scene, Story
from game.engine.text import Template

CONTINUE = "Continue"


class GameState(Struct):
    """Everything that decides what happens next; nothing that can be derived."""

    scene: str
    variables: dict[str, Value]
    visits: dict[str, int] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def copy(self) -> GameState:
        return GameState(self.scene, dict(self.variables), dict(self.visits), set(self.taken))

    def to_json(self) -> dict[str, object]:
        return {
            "scene": self.scene,
            "variables": dict(self.variables),
            "visits": dict(self.visits),
            "taken": sorted(self.taken),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GameState:
        """The state of a save, as `game.engine.saves` checked it (JSON: plain dicts and lists)."""
        return cls(
            scene=str(data["scene"]),
            variables=dict(data["variables"]),
            visits={str(k): int(v) for k, v in dict(data.get("visits", {})).items()},
            taken={str(k) for k in data.get("taken", [])},
        )


class Option(Struct, frozen=True):
    """A choice as the player sees it now: its number, its rendered text."""

    number: int  # 1-based, as shown on screen
    text: str
    choice: Choice | None  # None for the "Continue" of a `goto` scene


class JournalEntry(Struct, frozen=True):
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


def apply_choice(story: Story, state: GameState, choice: Choice | None) -> None:
    """Move `state` along `choice` (None: the scene's Continue), in place."""
    if choice is None:
        goto = story.scenes[state.scene].goto
        assert goto is not None, "only a scene with a goto continues without a choice"
        target = follow(goto, state)
    else:
        sets = choice.sets
        if sets:
            variables, visits = state.variables, state.visits
            spec = story.variables
            if len(sets) == 1:
                assignment = sets[0]
                name = assignment.variable
                variables[name] = spec[name].clamp(assignment.value.evaluate(variables, visits))
            else:
                values = [(a.variable, a.value.evaluate(variables, visits)) for a in sets]
                for name, value in values:
                    variables[name] = spec[name].clamp(value)
        if choice.once:
            state.taken.add(choice.key)
        goto = choice.goto
        target = goto[0].scene if goto[0].condition is None else follow(goto, state)
    visits = state.visits
    state.scene = target
    visits[target] = visits.get(target, 0) + 1


# --------------------------------------------------------------------------- per-scene plans
#
# What play asks of a scene at every step (its text, which choices are offered,
# its options) is worked out from the scene once, on first visit, into a
# `ScenePlan`: constant text is rendered once, choices without a condition are
# not tested, and the options of a scene whose choice texts are constant are
# built once per pattern of conditions that hold. It is the only way the game,
# the journal, the explorer and live reload read a scene.


class ScenePlan:
    """How one scene reads and what it offers, worked out once (see above)."""

    __slots__ = ("scene", "text", "paragraphs", "choices", "tests", "texts", "_options")

    def __init__(self, scene: Scene):
        self.scene = scene
        paragraphs = scene.paragraphs
        constant = all(p.condition is None and not p.template.names for p in paragraphs)
        #: The rendered text when it never changes, else None.
        self.text: tuple[str, ...] | None = tuple(p.template.render({}) for p in paragraphs) if constant else None
        self.paragraphs: tuple[tuple[Evaluator | None, Template], ...] = tuple(
            (None if p.condition is None else p.condition.evaluate, p.template) for p in paragraphs
        )
        self.choices: tuple[Choice, ...] = scene.choices or ()
        #: One entry per choice: None when it is always offered, else (condition or None, once key or None).
        self.tests: tuple[tuple[Evaluator | None, str | None] | None, ...] = tuple(
            None
            if c.condition is None and not c.once
            else (None if c.condition is None else c.condition.evaluate, c.key if c.once else None)
            for c in self.choices
        )
        #: Each choice's text when no choice text interpolates a variable, else None.
        self.texts: tuple[str, ...] | None = (
            tuple(c.text.render({}) for c in self.choices) if all(not c.text.names for c in self.choices) else None
        )
        #: Option lists by which choices are offered (only when `texts` is set).
        self._options: dict[tuple[int, ...], list[Option]] = {}

    def render(self, state: GameState) -> tuple[str, ...]:
        if self.text is not None:
            return self.text
        variables, visits = state.variables, state.visits
        return tuple(
            template.render(variables) for test, template in self.paragraphs if test is None or test(variables, visits)
        )

    def offered(self, state: GameState) -> list[Choice]:
        """The choices offered in `state`, in the author's order."""
        choices = self.choices
        return [choices[i] for i in self.offered_indices(state)]

    def offered_indices(self, state: GameState) -> list[int]:
        """Indices of the choices offered in `state`."""
        tests = self.tests
        variables, visits, taken = state.variables, state.visits, state.taken
        out = []
        for i, test in enumerate(tests):
            if test is not None:
                condition, once = test
                if condition is not None and not condition(variables, visits):
                    continue
                if once is not None and once in taken:
                    continue
            out.append(i)
        return out

    def options(self, state: GameState) -> list[Option]:
        """What the player is offered now: the choices, numbered, or a scene's Continue (none at an ending)."""
        scene = self.scene
        if scene.ending is not None:
            return []
        if scene.goto is not None:
            return [Option(1, CONTINUE, None)]
        offered = self.offered_indices(state)
        choices = self.choices
        texts = self.texts
        if texts is None:
            variables = state.variables
            return [Option(n, choices[i].text.render(variables), choices[i]) for n, i in enumerate(offered, 1)]
        key = tuple(offered)
        options = self._options.get(key)
        if options is None:
            options = self._options[key] = [Option(n, texts[i], choices[i]) for n, i in enumerate(offered, 1)]
        return list(options)


_plans: dict[int, dict[str, ScenePlan]] = {}


def _plans_of(story: Story) -> dict[str, ScenePlan]:
    """The plans of `story`'s scenes, kept as long as the story lives."""
    plans = _plans.get(id(story))
    if plans is None:
        plans = _plans[id(story)] = {}
        weakref.finalize(story, _plans.pop, id(story), None)
    return plans


def plan(story: Story, scene_id: str) -> ScenePlan:
    """The plan of a scene of `story` (made on first use; a story's scenes never change)."""
    plans = _plans_of(story)
    found = plans.get(scene_id)
    if found is None:
        found = plans[scene_id] = ScenePlan(story.scenes[scene_id])
    return found


class Game:
    """One playthrough: the current state plus the path of choices that led to it."""

    def __init__(self, story: Story, state: GameState | None = None):
        """Start at `state` (default: the story's start). Undo reaches back to it."""
        self.story = story
        self.initial = (state or new_state(story)).copy()
        self.state = self.initial.copy()
        self.path: list[int] = []
        self._plans = _plans_of(story)

    def _plan(self) -> ScenePlan:
        scene_id = self.state.scene
        found = self._plans.get(scene_id)
        if found is None:
            found = plan(self.story, scene_id)
        return found

    @classmethod
    def resume(cls, story: Story, initial: GameState, path: list[int]) -> Game:
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
        return self._plan().render(self.state)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def options(self) -> list[Option]:
        return self._plan().options(self.state)

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
        scene_plan = self._plan()
        scene = scene_plan.scene
        if scene.ending is not None:
            raise GameOver(f"the game has ended ({scene.ending})")
        if scene.goto is not None:
            if number != 1:
                raise ValueError(f"no choice {number}: 1 offered")
            choice = None
        else:
            offered = scene_plan.offered_indices(self.state)
            if not 1 <= number <= len(offered):
                raise ValueError(f"no choice {number}: {len(offered)} offered")
            choice = scene_plan.choices[offered[number - 1]]
        apply_choice(self.story, self.state, choice)
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
            scene_plan = plan(self.story, state.scene)
            text = scene_plan.render(state)
            if scene_plan.scene.goto is not None:
                option: Choice | None = None
                label = CONTINUE
            else:
                option = scene_plan.offered(state)[number - 1]
                label = option.text.render(state.variables)
            yield JournalEntry(scene_plan.scene, text, label)
            apply_choice(self.story, state, option)
        yield JournalEntry(self.scene, self.paragraphs, None)


def fit_state(story: Story, state: GameState) -> GameState:
    """`state` made valid for `story`: variables that still exist (with the same type) keep
    their value, clamped to the new bounds; new variables take their default; visit counts
    and `once` marks of scenes and choices that are gone are dropped. The scene is kept as is."""
    variables = story.defaults()
    for name, value in state.variables.items():
        spec = story.variables.get(name)
        if spec is not None and type_of(value) == spec.type:
            variables[name] = spec.clamp(value)
    keys = {c.key for s in story.scenes.values() for c in (s.choices or ())}
    return GameState(
        scene=state.scene,
        variables=variables,
        visits={k: v for k, v in state.visits.items() if k in story.scenes},
        taken={k for k in state.taken if k in keys},
    )
