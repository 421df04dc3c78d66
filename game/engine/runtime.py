"""Playing a story: the game state and the moves a player can make on it.

The state is small and plain (scene, variables, visit counts, `once` choices and
effects taken, the calls in progress, the seed and how many numbers were drawn from
it) so it can be copied for undo, hashed by the explorer and written to a save as
JSON. The path of moves is kept beside it: undo and the journal are derived by
replaying that path, which costs an integer per choice instead of a snapshot per
choice, so memory stays flat over thousands of moves.

`Mover` is the one place the rules of a move live (a choice's `set` and effects,
where it leads through a goto, a call or a return, and what entering a scene
applies). Play, the journal, live reload and both explorers make their moves
through it; the exhaustive explorer asks it to skip the variables that cannot
change the future (`Mover(story, keep=...)`).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeAlias, TypeVar

from msgspec import Struct, field

from game.engine.expressions import INT_LIMIT, PLAY, Evaluator, Value, type_of
from game.engine.model import Assignment, Branch, Choice, Effect, Ending, Scene, Story, Variable
from game.engine.text import Renderer

CONTINUE = "Continue"
T = TypeVar("T")
#: Calls nest at most this deep: a deeper call forgets the oldest return point (the checker reports it).
MAX_CALL_DEPTH = 32
#: Marks a return point that resumes the scene a choice's call was made from, rather than entering a
#: scene: a call without `then` comes back to where the player was, as ink's tunnels do (no visit
#: counted again, no `set` or effects applied again).
RESUME = "^"
#: A path item: the number of the option taken, or the text typed at a scene's `input`.
Move = int | str


class GameState(Struct):
    """Everything that decides what happens next; nothing that can be derived."""

    scene: str
    variables: dict[str, Value]
    visits: dict[str, int] = field(default_factory=dict)
    #: Keys of `once` choices and `once` effects already taken.
    taken: set[str] = field(default_factory=set)
    #: Where each call in progress returns to, the innermost last.
    stack: list[str] = field(default_factory=list)
    #: Chance: the game's seed and how many numbers have been drawn from it.
    seed: int = 0
    draws: int = 0

    def copy(self) -> GameState:
        return GameState(
            self.scene,
            dict(self.variables),
            dict(self.visits),
            set(self.taken),
            list(self.stack),
            self.seed,
            self.draws,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "scene": self.scene,
            "variables": {k: sorted(v) if isinstance(v, frozenset) else v for k, v in self.variables.items()},
            "visits": dict(self.visits),
            "taken": sorted(self.taken),
            "stack": list(self.stack),
            "seed": self.seed,
            "draws": self.draws,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GameState:
        """The state of a save, as `game.engine.saves` checked it (JSON: plain dicts and lists)."""
        return cls(
            scene=str(data["scene"]),
            variables={
                str(k): frozenset(str(item) for item in v) if isinstance(v, list) else v
                for k, v in dict(data["variables"]).items()
            },
            visits={str(k): int(v) for k, v in dict(data.get("visits", {})).items()},
            taken={str(k) for k in data.get("taken", [])},
            stack=[str(s) for s in data.get("stack", [])],
            seed=int(data.get("seed", 0)),
            draws=int(data.get("draws", 0)),
        )


class Option(Struct, frozen=True):
    """A choice as the player sees it now: its number, its rendered text."""

    number: int  # 1-based, as shown on screen
    text: str
    choice: Choice | None  # None for the "Continue" of a `goto`, `call` or `return` scene


class JournalEntry(Struct, frozen=True):
    """One scene visited and the move made in it (None while it is the current scene)."""

    scene: Scene
    paragraphs: tuple[str, ...]
    chosen: str | None
    #: The scene's title as it read then (None: it has none).
    title: str | None = None


class GameOver(Exception):
    """Raised when a move is asked of a game that has reached an ending."""


def new_state(story: Story, seed: int = 0) -> GameState:
    """The state a new game starts in: the start scene entered (its effects applied)."""
    state = GameState(story.start, story.defaults(), seed=seed)
    with_draws(state, None, lambda: mover_of(story).enter(state, story.start))
    return state


# --------------------------------------------------------------------------- chance


_MASK = (1 << 64) - 1


def mix(seed: int, n: int) -> int:
    """The `n`th number of the stream of `seed` (splitmix64): the same on every machine, every run."""
    z = (seed * 0x9E3779B97F4A7C15 + n * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


class ForcedDraw(ValueError):
    """A draw fixed by a playthrough that the expression cannot give (`roll(2, 6)` cannot give 13)."""


class _SeededDraws:
    """Play's drawer: numbers from the seed of the game making a move, or those a playthrough fixed."""

    __slots__ = ("state", "forced")

    def __init__(self) -> None:
        self.state: GameState | None = None
        self.forced: list[int] | None = None

    def draw(self, dice: int, sides: int, base: int) -> int:
        state, forced = self.state, self.forced
        if state is None:
            return base
        if forced:
            value = forced.pop(0)
            highest = base + dice * (sides - 1)
            if not base <= value <= highest:
                raise ForcedDraw(f"this draw gives {base} to {highest}, so it cannot give {value}")
            state.draws += dice
            return value
        total = base
        seed = state.seed
        for _ in range(dice):
            state.draws += 1
            total += mix(seed, state.draws) % sides
        return min(total, INT_LIMIT)


_SEEDED = _SeededDraws()
PLAY.draw = _SEEDED.draw


def with_draws(state: GameState, forced: list[int] | None, move: Callable[[], T]) -> T:
    """`move()`, with chance drawn from `state`'s seed (or taken from `forced`, in order)."""
    seeded = _SEEDED
    previous = seeded.state, seeded.forced
    seeded.state, seeded.forced = state, forced
    try:
        return move()
    finally:
        seeded.state, seeded.forced = previous


# --------------------------------------------------------------------------- moves


#: One assignment as a mover makes it: the variable, its compiled expression, the variable's
#: bounds (None: it has none), and the assignment itself when it draws chance (its place is
#: then the explorer's).
_Step: TypeAlias = tuple[str, Evaluator, Callable[[Value], Value] | None, Assignment | None]


def _bounds(variable: Variable) -> Callable[[Value], Value] | None:
    """What keeps a value within `variable`'s bounds, or None when it has no bounds to keep."""
    return variable.clamp if variable.min is not None or variable.max is not None else None


class Mover:
    """The rules of a move (see the module docstring); `keep`: the variables that matter, or None for all."""

    __slots__ = ("story", "keep", "_where", "_kept", "_spec", "_scenes", "_assignments", "_entries")

    def __init__(self, story: Story, keep: frozenset[str] | None = None) -> None:
        self.story = story
        self.keep = keep
        #: Where the expression being evaluated is written, when it draws chance (see `site`): kept
        #: in pieces, since only the explorer reads it and play must not pay for the text.
        self._where: tuple[object, str, str] = ("", "", "")
        self._spec = story.variables
        #: Effects as this mover applies them (without what `keep` leaves out), by the id of the tuple.
        self._kept: dict[int, tuple[tuple[Effect, ...], tuple[Effect, ...]]] = {}
        #: Scenes as they were first read (a story read from the cache decodes a scene when asked).
        self._scenes: dict[str, Scene] = {}
        #: What entering a scene applies (`Scene.entry_effects`, which makes a new tuple each time it is read).
        self._entries: dict[str, tuple[Effect, ...]] = {}
        #: Assignments made together, as this mover makes them (see `_steps`), by the id of the tuple.
        self._assignments: dict[int, tuple[tuple[Assignment, ...], tuple[_Step, ...]]] = {}

    def scene(self, scene_id: str) -> Scene:
        found = self._scenes.get(scene_id)
        if found is None:
            found = self._scenes[scene_id] = self.story.scenes[scene_id]
        return found

    def effects(self, effects: tuple[Effect, ...]) -> tuple[Effect, ...]:
        """`effects` without the assignments `keep` leaves out (and without effects left empty)."""
        keep = self.keep
        if keep is None or not effects:
            return effects
        found = self._kept.get(id(effects))
        if found is None or found[0] is not effects:  # the tuple itself is kept: its id stays its own
            found = self._kept[id(effects)] = (
                effects,
                tuple(
                    Effect(kept, e.loc, e.key, e.condition, e.once)
                    for e in effects
                    if (kept := tuple(a for a in e.sets if a.variable in keep))
                ),
            )
        return found[1]

    def _steps(self, sets: tuple[Assignment, ...]) -> tuple[_Step, ...]:
        """`sets` as this mover makes them, worked out once per tuple: without what `keep` leaves
        out, each with its compiled expression and its variable's bounds at hand."""
        found = self._assignments.get(id(sets))
        if found is None or found[0] is not sets:
            keep, spec = self.keep, self._spec
            steps = tuple(
                (a.variable, a.value.evaluate, _bounds(spec[a.variable]), a if a.value.chance else None)
                for a in sets
                if keep is None or a.variable in keep
            )
            found = self._assignments[id(sets)] = (sets, steps)
        return found[1]

    def assign(self, state: GameState, sets: tuple[Assignment, ...]) -> None:
        """Assignments made together: every value is computed before any is stored."""
        variables, visits = state.variables, state.visits
        steps = self._steps(sets)
        if len(steps) == 1:
            ((name, evaluate, clamp, drawn),) = steps
            if drawn is not None:
                self._where = (drawn.loc, "=", name)
            value = evaluate(variables, visits)
            variables[name] = value if clamp is None else clamp(value)
            return
        values = []
        for name, evaluate, clamp, drawn in steps:
            if drawn is not None:
                self._where = (drawn.loc, "=", name)
            values.append((name, clamp, evaluate(variables, visits)))
        for name, clamp, value in values:
            variables[name] = value if clamp is None else clamp(value)

    def apply(self, state: GameState, effects: tuple[Effect, ...]) -> None:
        """Effects in order, each tested against the state the ones before it left."""
        for effect in self.effects(effects):
            if effect.once and effect.key in state.taken:
                continue
            condition = effect.condition
            if condition is not None:
                if condition.chance:
                    self._where = (effect.key, "?", "")
                if not condition.evaluate(state.variables, state.visits):
                    continue
            self.assign(state, effect.sets)
            if effect.once:
                state.taken.add(effect.key)

    def take(self, state: GameState, choice: Choice | None, answer: str | None = None) -> None:
        """Move `state` along `choice` (None: the scene's Continue; `answer`: what was typed), in place."""
        if choice is None:
            scene = self.scene(state.scene)
            if scene.input is not None:
                name = scene.input.variable
                if self.keep is None or name in self.keep:
                    state.variables[name] = scene.input.default if answer is None else answer
            if scene.goto is not None:
                target = self.follow(scene.goto, state.variables, state.visits)
            elif scene.call is not None:
                assert scene.then is not None, "the compiler gives every scene's call a 'then'"
                target = self.call(state, scene.call, scene.then)
            else:
                assert scene.returns and state.stack, "only a return with a caller continues"
                back = state.stack.pop()
                if back.startswith(RESUME):  # back where the call was made: not entered again
                    state.scene = back[1:]
                    return
                target = back
        else:
            if choice.sets:
                self.assign(state, choice.sets)
            if choice.effects:
                self.apply(state, choice.effects)
            if choice.once:
                state.taken.add(choice.key)
            if choice.call is not None:
                back = choice.then if choice.then is not None else RESUME + choice.scene
                target = self.call(state, choice.call, back)
            else:
                goto = choice.goto
                target = (
                    goto[0].scene if goto[0].condition is None else self.follow(goto, state.variables, state.visits)
                )
        self.enter(state, target)

    def still(self, scene: Scene, choice: Choice | None) -> tuple[Branch, ...] | None:
        """The branches of a move that changes nothing this mover keeps but where the player is (no
        assignment, no effect, not `once`, no answer to keep, a goto rather than a call or a return),
        else None. Such a move is `follow` then entering the target (see `quiet`)."""
        keep = self.keep
        if choice is None:
            if scene.goto is None or scene.input is not None and (keep is None or scene.input.variable in keep):
                return None
            return scene.goto
        if choice.once or choice.call is not None or self.effects(choice.effects):
            return None
        if choice.sets and (keep is None or any(a.variable in keep for a in choice.sets)):
            return None
        return choice.goto

    def quiet(self, scene_id: str) -> bool:
        """Whether entering the scene applies nothing this mover keeps (its visit is still counted)."""
        scene = self.scene(scene_id)
        return not (scene.sets or scene.effects) or not self.effects(self.entry_effects(scene))

    def entry_effects(self, scene: Scene) -> tuple[Effect, ...]:
        """`scene.entry_effects`, made once: the property makes a new tuple each time it is read,
        and `effects` and `_steps` know a tuple by its id."""
        found = self._entries.get(scene.id)
        if found is None:
            found = self._entries[scene.id] = scene.entry_effects
        return found

    @property
    def site(self) -> str:
        """Where the expression being evaluated is written, when it draws chance: the explorer matches
        its draws to a player's by it (`game.engine.explore`)."""
        loc, mark, name = self._where
        return f"{loc}{mark}{name}"

    def follow(self, branches: tuple[Branch, ...], variables: Mapping[str, Value], visits: Mapping[str, int]) -> str:
        """The target of the first branch whose condition holds (the last has none)."""
        for branch in branches:
            condition = branch.condition
            if condition is None:
                return branch.scene
            if condition.chance:
                self._where = (branch.loc, "?", "")
            if condition.evaluate(variables, visits):
                return branch.scene
        return branches[-1].scene  # unreachable for a loaded story: the last branch is unconditional

    @staticmethod
    def call(state: GameState, scene: str, then: str) -> str:
        """Go into `scene`, to come back to `then` when it returns (`RESUME` + id: back where the call was made)."""
        stack = state.stack
        if len(stack) >= MAX_CALL_DEPTH:
            del stack[0]
        stack.append(then)
        return scene

    def enter(self, state: GameState, target: str) -> None:
        """The player enters `target`: its visit is counted, then its `set` and effects apply."""
        visits = state.visits
        state.scene = target
        visits[target] = visits.get(target, 0) + 1
        scene = self._scenes.get(target) or self.scene(target)
        if scene.sets or scene.effects:
            self.apply(state, self.entry_effects(scene))


_movers: dict[int, Mover] = {}


def mover_of(story: Story) -> Mover:
    """The mover of `story` for play (every variable), made once per story."""
    found = _movers.get(id(story))
    if found is None or found.story is not story:
        found = _movers[id(story)] = Mover(story)
        weakref.finalize(story, _movers.pop, id(story), None)
    return found


def apply_choice(
    story: Story, state: GameState, choice: Choice | None, answer: str | None = None, forced: list[int] | None = None
) -> None:
    """Move `state` along `choice` (None: the scene's Continue), in place, drawing chance from its seed."""
    take_with(mover_of(story), state, choice, answer, forced)


def take_with(
    mover: Mover, state: GameState, choice: Choice | None, answer: str | None = None, forced: list[int] | None = None
) -> None:
    """`apply_choice` with the story's mover already at hand: chance is drawn from `state`'s seed (or
    `forced`) while the mover takes the move."""
    seeded = _SEEDED
    previous = seeded.state, seeded.forced
    seeded.state, seeded.forced = state, forced
    try:
        mover.take(state, choice, answer)
    finally:
        seeded.state, seeded.forced = previous


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

    __slots__ = (
        "scene",
        "id",
        "text",
        "paragraphs",
        "only",
        "choices",
        "tests",
        "texts",
        "labels",
        "continues",
        "_options",
    )

    def __init__(self, scene: Scene):
        self.scene = scene
        paragraphs = scene.paragraphs
        constant = all(p.condition is None and p.template.constant for p in paragraphs)
        #: The rendered text when it never changes, else None.
        self.text: tuple[str, ...] | None = (
            tuple(t for p in paragraphs if (t := p.template.render({}))) if constant else None
        )
        self.paragraphs: tuple[tuple[Evaluator | None, Renderer], ...] = tuple(
            (None if p.condition is None else p.condition.evaluate, p.template.renderer()) for p in paragraphs
        )
        #: The renderer of the scene's one paragraph when it has no condition: the commonest scene.
        self.only: Renderer | None = (
            self.paragraphs[0][1] if len(self.paragraphs) == 1 and self.paragraphs[0][0] is None else None
        )
        self.id = scene.id
        self.choices: tuple[Choice, ...] = scene.choices or ()
        #: One entry per choice: None when it is always offered, else (condition or None, once key or None).
        self.tests: tuple[tuple[Evaluator | None, str | None] | None, ...] = tuple(
            None
            if c.condition is None and not c.once
            else (None if c.condition is None else c.condition.evaluate, c.key if c.once else None)
            for c in self.choices
        )
        #: Each choice's text when no choice text changes with the state, else None.
        self.texts: tuple[str, ...] | None = (
            tuple(c.text.render({}) for c in self.choices) if all(c.text.constant for c in self.choices) else None
        )
        #: Each choice's text as a function of the state (when `texts` is None).
        self.labels: tuple[Renderer, ...] = tuple(c.text.renderer() for c in self.choices) if self.texts is None else ()
        #: The scene is left by a single Continue (a goto, a call, a return).
        self.continues = scene.continues
        #: Option lists by which choices are offered (only when `texts` is set).
        self._options: dict[tuple[int, ...], list[Option]] = {}

    def render(self, state: GameState) -> tuple[str, ...]:
        if self.text is not None:
            return self.text
        variables, visits = state.variables, state.visits
        seen, seed = visits.get(self.id, 0), state.seed
        only = self.only
        if only is not None:
            text = only(variables, visits, seen, seed)
            return (text,) if text else ()
        out = []
        for test, render in self.paragraphs:
            if test is None or test(variables, visits):
                text = render(variables, visits, seen, seed)
                if text:  # a paragraph of alternatives may have nothing to say this time
                    out.append(text)
        return tuple(out)

    def title(self, state: GameState) -> str | None:
        """The title as it reads in `state` (format 2 fills it in)."""
        heading = self.scene.heading
        if heading is None:
            return None
        if heading.constant:
            return heading.render({})
        return heading.render(state.variables, state.visits, state.visits.get(self.scene.id, 0), state.seed)

    def choice_text(self, choice: Choice, state: GameState) -> str:
        if self.texts is not None:
            return self.texts[choice.index]
        visits = state.visits
        return self.labels[choice.index](state.variables, visits, visits.get(self.scene.id, 0), state.seed)

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
        """What the player is offered now: the choices, numbered, or a scene's Continue (none at an ending,
        nor at a `return` with no call to return to)."""
        scene = self.scene
        if scene.ending is not None:
            return []
        if self.continues:
            return [] if scene.returns and not state.stack else [Option(1, CONTINUE, None)]
        offered = self.offered_indices(state)
        choices = self.choices
        texts = self.texts
        if texts is None:
            labels, variables, visits, seed = self.labels, state.variables, state.visits, state.seed
            seen = visits.get(scene.id, 0)
            return [Option(n, labels[i](variables, visits, seen, seed), choices[i]) for n, i in enumerate(offered, 1)]
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


def fresh_seed() -> int:
    """A seed for a new game: each game its own draws.

    From `os.urandom`, not `secrets`: `secrets` imports `hashlib`, which loads OpenSSL (some
    4 ms on the way to the first scene; see game/engine/hashing.py)."""
    return int.from_bytes(os.urandom(8), "big") >> 2  # 62 bits


class Game:
    """One playthrough: the current state plus the path of moves that led to it."""

    def __init__(self, story: Story, state: GameState | None = None):
        """Start at `state` (default: the story's start, seed 0). Undo reaches back to it."""
        self.story = story
        self.initial = (state or new_state(story)).copy()
        self.state = self.initial.copy()
        self.path: list[Move] = []
        #: Draws a playthrough fixed, by the index in `path` of the move that drew them (replayed with it).
        self.forced: dict[int, list[int]] = {}
        self._plans = _plans_of(story)
        self._mover = mover_of(story)

    @classmethod
    def new(cls, story: Story, seed: int | None = None) -> Game:
        """A new game with its own seed (a random one unless given)."""
        return cls(story, new_state(story, fresh_seed() if seed is None else seed))

    def _plan(self) -> ScenePlan:
        return self._plans.get(self.state.scene) or plan(self.story, self.state.scene)

    @classmethod
    def resume(cls, story: Story, initial: GameState, path: list[Move]) -> Game:
        """Rebuild a game from where it started and the moves made since."""
        game = cls(story, initial)
        for move in path:
            game.move(move)
        return game

    # ------------------------------------------------------------------ reading

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self.state.scene]

    @property
    def title(self) -> str | None:
        """The current scene's title as it reads now."""
        return self._plan().title(self.state)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        state = self.state  # `_plan()` written out: read at every step, as `options` is
        return (self._plans.get(state.scene) or plan(self.story, state.scene)).render(state)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def options(self) -> list[Option]:
        state = self.state
        return (self._plans.get(state.scene) or plan(self.story, state.scene)).options(state)

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

    def move(self, move: Move, forced: list[int] | None = None) -> None:
        """Make a move of a path: an option's number, or a text typed at a scene's `input`."""
        if isinstance(move, str):
            self.answer(move, forced)
        elif forced:
            self.choose(move, forced)
        else:
            self.choose(move)

    def choose(self, number: int, forced: list[int] | None = None) -> None:
        """Take the option with this 1-based number; raise ValueError if there is none.

        `forced`: the outcomes the move's draws give, in order (a playthrough fixing chance).
        """
        scene_plan = self._plan()
        scene = scene_plan.scene
        if scene.ending is not None:
            raise GameOver(f"the game has ended ({scene.ending})")
        if scene_plan.continues:
            if number != 1 or (scene.returns and not self.state.stack):
                count = 0 if scene.returns and not self.state.stack else 1
                raise ValueError(f"no choice {number}: {count} offered")
            choice = None
        else:
            offered = scene_plan.offered_indices(self.state)
            if not 1 <= number <= len(offered):
                raise ValueError(f"no choice {number}: {len(offered)} offered")
            choice = scene_plan.choices[offered[number - 1]]
        self._make(number, choice, None, forced)

    def answer(self, text: str, forced: list[int] | None = None) -> None:
        """Answer the current scene's `input` with `text` (cleaned and cut to its length) and continue."""
        scene = self.scene
        if scene.input is None:
            raise ValueError("this scene asks for no text")
        answer = clean_answer(text, scene.input.max) or scene.input.default
        self._make(answer, None, answer, forced)

    def _make(self, move: Move, choice: Choice | None, answer: str | None, forced: list[int] | None) -> None:
        if not forced:
            take_with(self._mover, self.state, choice, answer)  # the mover kept: a move is the hot path
            self.path.append(move)
            return
        before = self.state.copy()
        left = list(forced)
        try:
            apply_choice(self.story, self.state, choice, answer, left)
            if left:
                made = len(forced) - len(left)
                raise ForcedDraw(
                    f"this move draws {made} number{'s' if made != 1 else ''}, not the {len(forced)} given"
                )
        except ForcedDraw:
            self.state = before
            raise
        self.forced[len(self.path)] = list(forced)
        self.path.append(move)

    @property
    def asks(self) -> bool:
        """Whether the current scene asks the player to type a text."""
        return self.scene.input is not None and not self.is_over

    @property
    def can_undo(self) -> bool:
        return bool(self.path)

    def undo(self) -> None:
        """Go back one move, restoring the state exactly, by replaying the path."""
        if not self.path:
            raise ValueError("nothing to undo")
        self.replay(self.path[:-1])

    def replay(self, path: list[Move]) -> None:
        forced = self.forced
        self.state = self.initial.copy()
        self.path = []
        self.forced = {}
        for index, move in enumerate(path):
            self.move(move, forced.get(index))

    def journal(self) -> Iterator[JournalEntry]:
        """The playthrough so far: every scene as it read then, and what was chosen."""
        state = self.initial.copy()
        for index, move in enumerate(self.path):
            scene_plan = plan(self.story, state.scene)
            text = scene_plan.render(state)
            title = scene_plan.title(state)
            answer = None
            if isinstance(move, str):
                option: Choice | None = None
                label = f"“{move}”"
                answer = move
            elif scene_plan.continues:
                option = None
                label = CONTINUE
            else:
                option = scene_plan.offered(state)[move - 1]
                label = scene_plan.choice_text(option, state)
            yield JournalEntry(scene_plan.scene, text, label, title)
            forced = self.forced.get(index)
            apply_choice(self.story, state, option, answer, list(forced) if forced else None)
        yield JournalEntry(self.scene, self.paragraphs, None, self.title)


def clean_answer(text: str, limit: int) -> str:
    """What a player typed, as a story keeps it: one line of printable characters, trimmed, at most `limit`."""
    kept = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(kept.split())[:limit]


def fit_state(story: Story, state: GameState) -> GameState:
    """`state` made valid for `story`: variables that still exist (with the same type) keep
    their value, clamped to the new bounds; new variables take their default; visit counts
    and `once` marks of scenes, choices and effects that are gone are dropped, and so are
    return points of scenes that are gone. The scene, the seed and the draws are kept as they are."""
    variables = story.defaults()
    for name, value in state.variables.items():
        spec = story.variables.get(name)
        if spec is not None and type_of(value) == spec.type:
            variables[name] = spec.clamp(value)
    keys: set[str] = set()
    for scene in story.scenes.values():
        keys.update(e.key for e in scene.effects)
        for choice in scene.choices or ():
            keys.add(choice.key)
            keys.update(e.key for e in choice.effects)
    return GameState(
        scene=state.scene,
        variables=variables,
        visits={k: v for k, v in state.visits.items() if k in story.scenes},
        taken={k for k in state.taken if k in keys},
        stack=[s for s in state.stack if s.removeprefix(RESUME) in story.scenes],
        seed=state.seed,
        draws=state.draws,
    )
