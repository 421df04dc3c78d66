"""Playing a story: the game state and the moves a player can make on it.

The state is small and plain (scene, variables, visit counts, `once` choices
taken) so it can be copied for undo, hashed by the explorer and written to a
save as JSON. The path of choices is kept beside it: undo and the journal are
derived by replaying that path, which costs an integer per choice instead of a
snapshot per choice, so memory stays flat over thousands of moves.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator

from game.engine.expressions import Evaluator, Value
from game.engine.model import Branch, Choice, Ending, Scene, Story
from game.engine.records import field, record
from game.engine.text import Template

CONTINUE = "Continue"


@record(frozen=False)
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


@record
class Option:
    """A choice as the player sees it now: its number, its rendered text."""

    number: int  # 1-based, as shown on screen
    text: str
    choice: Choice | None  # None for the "Continue" of a `goto` scene


@record
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
    if choice is None:
        target = follow(story.scenes[state.scene].goto, state)  # type: ignore[arg-type]
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
# What `Game` asks of a scene at every step (its text, its options, which
# choices are offered) is worked out from the scene once, on first visit, into
# a `_Plan`: constant text is rendered once, choices without a condition are
# not tested, and the options of a scene whose choice texts are constant are
# built once per pattern of conditions that hold. The results are exactly what
# `render` and `offered` give.


class _Plan:
    """What `Game` needs of one scene at every step, worked out once."""

    __slots__ = ("scene", "text", "paragraphs", "choices", "tests", "texts", "options")

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
        self.options: dict[tuple[int, ...], list[Option]] = {}

    def render(self, state: GameState) -> tuple[str, ...]:
        if self.text is not None:
            return self.text
        variables, visits = state.variables, state.visits
        return tuple(
            template.render(variables) for test, template in self.paragraphs if test is None or test(variables, visits)
        )

    def offered(self, state: GameState) -> list[int]:
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

    def option_list(self, state: GameState) -> list[Option]:
        offered = self.offered(state)
        choices = self.choices
        texts = self.texts
        if texts is None:
            variables = state.variables
            return [Option(n, choices[i].text.render(variables), choices[i]) for n, i in enumerate(offered, 1)]
        key = tuple(offered)
        options = self.options.get(key)
        if options is None:
            options = self.options[key] = [Option(n, texts[i], choices[i]) for n, i in enumerate(offered, 1)]
        return list(options)


_plans: dict[int, dict[str, _Plan]] = {}


def _plans_of(story: Story) -> dict[str, _Plan]:
    """The plans of `story`'s scenes, kept as long as the story lives."""
    plans = _plans.get(id(story))
    if plans is None:
        plans = _plans[id(story)] = {}
        weakref.finalize(story, _plans.pop, id(story), None)
    return plans


class Game:
    """One playthrough: the current state plus the path of choices that led to it."""

    def __init__(self, story: Story, state: GameState | None = None):
        """Start at `state` (default: the story's start). Undo reaches back to it."""
        self.story = story
        self.initial = (state or new_state(story)).copy()
        self.state = self.initial.copy()
        self.path: list[int] = []
        self._plans = _plans_of(story)

    def _plan(self) -> _Plan:
        scene_id = self.state.scene
        plan = self._plans.get(scene_id)
        if plan is None:  # a story's scenes never change, so a plan is made once per scene
            plan = self._plans[scene_id] = _Plan(self.story.scenes[scene_id])
        return plan

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
        return self._plan().render(self.state)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def options(self) -> list[Option]:
        plan = self._plan()
        scene = plan.scene
        if scene.ending is not None:
            return []
        if scene.goto is not None:
            return [Option(1, CONTINUE, None)]
        return plan.option_list(self.state)

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
        plan = self._plan()
        scene = plan.scene
        if scene.ending is not None:
            raise GameOver(f"the game has ended ({scene.ending})")
        if scene.goto is not None:
            if number != 1:
                raise ValueError(f"no choice {number}: 1 offered")
            choice = None
        else:
            offered = plan.offered(self.state)
            if not 1 <= number <= len(offered):
                raise ValueError(f"no choice {number}: {len(offered)} offered")
            choice = plan.choices[offered[number - 1]]
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


def fit_state(story: Story, state: GameState) -> GameState:
    """`state` made valid for `story`: variables that still exist (with the same type) keep
    their value, clamped to the new bounds; new variables take their default; visit counts
    and `once` marks of scenes and choices that are gone are dropped. The scene is kept as is."""
    variables = story.defaults()
    for name, value in state.variables.items():
        spec = story.variables.get(name)
        if spec is not None and type(value) is spec.type:
            variables[name] = spec.clamp(value)
    keys = {c.key for s in story.scenes.values() for c in (s.choices or ())}
    return GameState(
        scene=state.scene,
        variables=variables,
        visits={k: v for k, v in state.visits.items() if k in story.scenes},
        taken={k for k in state.taken if k in keys},
    )
