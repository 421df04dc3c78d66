"""Prove things about a story without playing it: exhaustive and random exploration.

The exhaustive explorer is a breadth-first search over game states with
de-duplication. Its speed comes from *what* it calls a state: not the whole
`GameState`, but its projection onto what can change the future —

- the *control* variables: those read by a choice's `if` or a `goto` branch,
  closed under `set` (a control variable assigned from an expression reading
  `y` makes `y` control too). A variable only interpolated into prose, or only
  read by a paragraph's `if`, never changes which choices exist, so two states
  that differ only there have the same future and are one state here;
- visit counts of the scenes named in a control `visits()`, saturated just
  above the largest constant they are compared with when that is all they are
  used for (counts only grow, so every larger count behaves the same);
- the `once` choices already taken.

Two states with the same projection offer the same choices, take the same
branches and lead to projections that are again equal, so every finding
(endings, unreachable scenes, dead ends, loops) is the same as over the full
state — a test proves it on a crafted story — while the number of states is
a small fraction. Paths are replayed through the real runtime to report the
choice texts a player would see.

The random explorer plays the real runtime (scene plans and `apply_choice`) over
the full state, in the spirit of ChoiceScript's randomtest.

Nothing here imports Textual: the CLI, the checker and the tests share it.
"""

from __future__ import annotations

import random
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from game.engine.errors import Diagnostic
from game.engine.expressions import (
    DRAW,
    Binary,
    Literal,
    Node,
    Value,
    Visits,
    children,
    literal,
    names_read,
    scenes_visited,
)
from game.engine.model import Assignment, Choice, Scene, Story
from game.engine.runtime import (
    MAX_CALL_DEPTH,
    Game,
    GameState,
    Mover,
    apply_choice,
    mix,
    mover_of,
    new_state,
    plan,
)

T = TypeVar("T")

#: The default bound on distinct states for `explore --exhaustive`.
DEFAULT_MAX_STATES = 1_000_000
#: The bound `million-miles check` uses: enough for any hand-written story, quick to hit on a runaway one.
CHECK_MAX_STATES = 200_000
#: A random playthrough longer than this is stopped (the story may loop forever).
DEFAULT_MAX_STEPS = 10_000

_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Route:
    """A path from the start, as option numbers and as the texts a player sees."""

    moves: tuple[int, ...]
    texts: tuple[str, ...]
    scenes: tuple[str, ...]  # the scene each move was made in
    #: What each move drew, in order (empty when the route draws nothing).
    draws: tuple[tuple[int, ...], ...] = ()
    #: The scene the route arrives in.
    end: str = ""

    def __len__(self) -> int:
        return len(self.moves)

    def describe(self) -> str:
        """The route as the choices a player reads, with what each move drew where it drew any:
        `"Continue" → "Cross" (drew 7)`."""
        if not self.texts:
            return "(the start)"
        steps = []
        for at, text in enumerate(self.texts):
            drew = self.draws[at] if at < len(self.draws) else ()
            steps.append(f'"{text}"' + (f" (drew {', '.join(str(d) for d in drew)})" if drew else ""))
        return " → ".join(steps)

    def as_json(self, story: Story | None = None) -> dict[str, object]:
        out: dict[str, object] = {
            "length": len(self.moves),
            "choices": list(self.texts),
            "numbers": list(self.moves),
            "scenes": list(self.scenes),
        }
        if self.draws:
            out["draws"] = [list(d) for d in self.draws]
        if story is not None:  # the tags of each scene along the way, the one it arrives in last
            out["tags"] = [list(story.scenes[s].tags) for s in (*self.scenes, self.end) if s]
        return out


@dataclass(frozen=True, slots=True)
class DeadEnd:
    """A reachable state with no choice offered that is not an ending."""

    scene: str
    route: Route
    #: What the choices' conditions read, as it stood: "coins=0", "visits(hub)>=4".
    values: tuple[str, ...]
    taken: tuple[str, ...]  # the texts of the scene's `once` choices already taken


@dataclass(frozen=True, slots=True)
class Loop:
    """States that can reach one another but never an ending."""

    scenes: tuple[str, ...]  # in the order the search first entered them
    route: Route  # the shortest way into the loop


@dataclass
class ExhaustiveResult:
    story: Story
    complete: bool
    max_states: int
    states: int
    moves: int
    endings: dict[str, Route]  # reached endings, in story order, with their shortest route
    unreached_endings: list[str]
    unreachable_scenes: list[str]
    never_offered: list[Choice]
    dead_ends: list[DeadEnd]
    loops: list[Loop]
    control: tuple[str, ...] = ()  # the variables the search tracked
    tracked_visits: tuple[str, ...] = ()
    always_offered: list[Choice] = field(default_factory=list)  # an `if` true in every state that reaches it
    #: `return` scenes reached with no call to return to, and scenes whose call nests past `MAX_CALL_DEPTH`.
    no_caller: list[tuple[str, Route]] = field(default_factory=list)
    too_deep: list[tuple[str, Route]] = field(default_factory=list)
    #: A scene whose move draws more outcomes than the search tries (it is then incomplete).
    chance_bound: str | None = None

    def diagnostics(self) -> list[Diagnostic]:
        return exhaustive_diagnostics(self)

    def as_json(self) -> dict[str, object]:
        story = self.story
        return {
            "story": story.title,
            "complete": self.complete,
            "max_states": self.max_states,
            "states": self.states,
            "moves": self.moves,
            "endings": {
                e: (
                    {"reached": True, "shortest": self.endings[e].as_json(story)}
                    if e in self.endings
                    else {"reached": False}
                )
                for e in story.endings
            },
            "tags": _tag_index(story),
            "unreached_endings": self.unreached_endings if self.complete else None,
            "unreachable_scenes": self.unreachable_scenes if self.complete else None,
            "never_offered_choices": [_choice_json(c) for c in self.never_offered] if self.complete else None,
            "dead_ends": [
                {
                    "scene": d.scene,
                    "shortest": d.route.as_json(story),
                    "values": list(d.values),
                    "taken": list(d.taken),
                }
                for d in self.dead_ends
            ],
            "returns_without_call": [{"scene": s, "shortest": r.as_json(story)} for s, r in self.no_caller],
            "calls_too_deep": [{"scene": s, "shortest": r.as_json(story)} for s, r in self.too_deep],
            "loops": [{"scenes": list(lp.scenes), "shortest": lp.route.as_json(story)} for lp in self.loops]
            if self.complete
            else None,
            "always_true_conditions": [_choice_json(c) for c in self.always_offered] if self.complete else None,
            "diagnostics": [d.as_json() for d in self.diagnostics()],
        }


@dataclass
class RandomResult:
    story: Story
    runs: int
    seed: int
    choices: int  # moves made, "Continue" included
    seconds: float
    ending_counts: dict[str, int]  # every ending of the story, in story order
    unreached_scenes: list[str]
    made: frozenset[str]  # the key of every choice made at least once
    dead_ends: dict[str, int]  # scene → runs that stopped there
    stuck: int  # runs stopped by the step limit
    max_steps: int

    @property
    def unmade_choices(self) -> list[Choice]:
        """Every choice of the story never made, in story order (those of unreached scenes too)."""
        return [c for s in self.story.scenes.values() for c in s.choices or () if c.key not in self.made]

    @property
    def unmade_in_reached(self) -> list[Choice]:
        """The choices never made in the scenes reached: what an author can act on. (A scene never reached
        is listed as such; its choices need not be built to say so, which on a big story is most of the
        cost of the report.)"""
        unreached = set(self.unreached_scenes)
        scenes = self.story.scenes
        return [
            c for sid in scenes if sid not in unreached for c in scenes[sid].choices or () if c.key not in self.made
        ]

    @property
    def choices_per_second(self) -> float:
        return self.choices / self.seconds if self.seconds > 0 else float(self.choices)

    @property
    def unreached_endings(self) -> list[str]:
        return [e for e, n in self.ending_counts.items() if n == 0]

    def as_json(self) -> dict[str, object]:
        return {
            "story": self.story.title,
            "runs": self.runs,
            "seed": self.seed,
            "choices": self.choices,
            "seconds": round(self.seconds, 4),
            "choices_per_second": round(self.choices_per_second),
            "endings": dict(self.ending_counts),
            "unreached_endings": self.unreached_endings,
            "unreached_scenes": self.unreached_scenes,
            "choices_never_taken": [_choice_json(c) for c in self.unmade_choices],
            "dead_ends": dict(self.dead_ends),
            "stuck": self.stuck,
            "max_steps": self.max_steps,
        }


def _choice_json(choice: Choice) -> dict[str, object]:
    loc = choice.loc
    out: dict[str, object] = {
        "key": choice.key,
        "scene": choice.scene,
        "number": choice.index + 1,
        "text": choice.text.source,
        "path": loc.path,
        "line": loc.line,
        "col": loc.col,
    }
    if choice.tags:
        out["tags"] = list(choice.tags)
    return out


def _tag_index(story: Story) -> dict[str, dict[str, list[str]]]:
    """Each tag with the scenes and the choices that carry it, in story order."""
    index: dict[str, dict[str, list[str]]] = {}
    for scene in story.scenes.values():
        for tag in scene.tags:
            index.setdefault(tag, {"scenes": [], "choices": []})["scenes"].append(scene.id)
        for choice in scene.choices or ():
            for tag in choice.tags:
                index.setdefault(tag, {"scenes": [], "choices": []})["choices"].append(choice.key)
    return index


# --------------------------------------------------------------------------- the projection


@dataclass(frozen=True)
class Projection:
    """Which parts of a state the search keeps (see the module docstring)."""

    variables: tuple[str, ...]
    visits: tuple[str, ...]
    caps: tuple[int | None, ...]  # saturation per tracked visit count (None: exact)
    once: tuple[str, ...]  # keys of `once` choices, one bit each


def control_projection(story: Story) -> Projection:
    """The smallest projection that keeps every future choice and branch exact."""
    roots: list[Node] = []
    for scene in story.scenes.values():
        roots.extend(b.condition.node for b in scene.goto or () if b.condition is not None)
        for choice in scene.choices or ():
            if choice.condition is not None:
                roots.append(choice.condition.node)
            roots.extend(b.condition.node for b in choice.goto if b.condition is not None)
    control: set[str] = set()
    for node in roots:
        control |= names_read(node)
    # What each variable is computed from, and under which conditions: an effect's `if` decides
    # whether its assignments happen, so it counts as much as their values.
    assigned: dict[str, list[Node]] = {}
    for scene in story.scenes.values():
        groups = [(None, scene.sets), *((e.condition, e.sets) for e in scene.effects)]
        for choice in scene.choices or ():
            groups.append((None, choice.sets))
            groups.extend((e.condition, e.sets) for e in choice.effects)
        for condition, sets in groups:
            for a in sets:
                found = assigned.setdefault(a.variable, [])
                found.append(a.value.node)
                if condition is not None:
                    found.append(condition.node)
    pending = list(control)
    while pending:  # close under `set`: what a control variable is computed from is control too
        for node in assigned.get(pending.pop(), ()):
            for name in names_read(node) - control:
                control.add(name)
                pending.append(name)
    roots.extend(n for name in control for n in assigned.get(name, ()))  # their `visits()` count too
    visited: set[str] = set()
    for node in roots:
        visited |= scenes_visited(node)
    order = [s for s in story.scenes if s in visited]
    caps = _visit_caps(roots)
    return Projection(
        tuple(v for v in story.variables if v in control),
        tuple(order),
        tuple(caps.get(s) for s in order),
        _once_keys(story, control),
    )


def _once_keys(story: Story, control: set[str] | None) -> tuple[str, ...]:
    """The keys of `once` choices, and of `once` effects that set a variable the search keeps."""
    out: list[str] = []
    for scene in story.scenes.values():
        out.extend(e.key for e in scene.effects if e.once and _sets_any(e.sets, control))
        for choice in scene.choices or ():
            if choice.once:
                out.append(choice.key)
            out.extend(e.key for e in choice.effects if e.once and _sets_any(e.sets, control))
    return tuple(out)


def _sets_any(sets: tuple[Assignment, ...], control: set[str] | None) -> bool:
    return control is None or any(a.variable in control for a in sets)


def full_projection(story: Story) -> Projection:
    """The whole state: every variable, every visit count. For tests and comparison only."""
    return Projection(tuple(story.variables), tuple(story.scenes), (None,) * len(story.scenes), _once_keys(story, None))


def _visit_caps(roots: Iterable[Node]) -> dict[str, int | None]:
    """For each `visits(x)`: one above the largest constant it is compared with, or None if used otherwise."""
    caps: dict[str, int | None] = {}

    def note(scene: str, cap: int | None) -> None:
        if cap is None or (scene in caps and caps[scene] is None):
            caps[scene] = None
        else:
            caps[scene] = max(caps.get(scene) or 0, cap)

    def walk(node: Node) -> None:
        if isinstance(node, Binary) and node.op in _COMPARISONS:
            pair = (node.left, node.right)
            for a, b in (pair, pair[::-1]):
                if isinstance(a, Visits) and isinstance(b, Literal) and type(b.value) is int:
                    note(a.scene, max(b.value, 0) + 1)
                    return
        if isinstance(node, Visits):
            note(node.scene, None)
        for child in children(node):
            walk(child)

    for root in roots:
        walk(root)
    return caps


# --------------------------------------------------------------------------- exhaustive search


#: The most outcomes the search tries for the draws of one move (`random(1, 1000000)` would be a million).
MAX_OUTCOMES = 10_000


class _Outcomes:
    """Every outcome of the draws of one move, in turn (an odometer over the draws as they come).

    Installed as the drawer (`game.engine.expressions.DRAW`) while the search makes a move:
    the first run takes each draw's lowest value; each next run raises the last draw that
    can still rise and takes the lowest value for the draws after it, until none can.
    """

    __slots__ = ("mover", "prefix", "drawn")

    def __init__(self, mover: Mover) -> None:
        self.mover = mover
        self.prefix: list[int] = []
        self.drawn: list[tuple[int, int, str]] = []  # (value, highest, site) of each draw of this run

    def draw(self, dice: int, sides: int, base: int) -> int:
        at = len(self.drawn)
        value = self.prefix[at] if at < len(self.prefix) else base
        self.drawn.append((value, base + dice * (sides - 1), self.mover.site))
        return value

    def next(self) -> bool:
        """Set up the next run; False when every outcome has been tried."""
        drawn = self.drawn
        for at in range(len(drawn) - 1, -1, -1):
            value, highest, _ = drawn[at]
            if value < highest:
                self.prefix = [v for v, _, _ in drawn[:at]] + [value + 1]
                self.drawn = []
                return True
        return False

    @property
    def values(self) -> tuple[tuple[str, int], ...]:
        """Each draw of the run, with where it was made (the search draws only what it keeps)."""
        return tuple((site, v) for v, _, site in self.drawn)


class _Matcher:
    """Replays a move of the search in full: the draws the search made give the same values at the
    same places, and the draws it skipped (of variables it does not keep) come from the seed."""

    __slots__ = ("mover", "state", "pending", "values")

    def __init__(self, mover: Mover, state: GameState, drawn: tuple[tuple[str, int], ...]) -> None:
        self.mover, self.state = mover, state
        self.pending = list(drawn)
        self.values: list[int] = []

    def draw(self, dice: int, sides: int, base: int) -> int:
        site = self.mover.site
        at = next((k for k, (where, _) in enumerate(self.pending) if where == site), None)
        state = self.state
        if at is not None:
            value = self.pending.pop(at)[1]
            state.draws += dice
        else:
            value = base
            for _ in range(dice):
                state.draws += 1
                value += mix(state.seed, state.draws) % sides
        self.values.append(value)
        return value


class _Search:
    """The breadth-first search itself; its arrays are what the analyses read afterwards.

    A state is `(scene, vals_id, counts_id, taken_id, stack_id)`: the tuples of control
    values and visit counts, the set of `once` keys taken and the calls in progress are
    interned to small integers, so keys hash fast, states sharing values share memory,
    and the dicts expressions evaluate against are built once per distinct tuple rather
    than once per state. Every move is made by the runtime's `Mover`, told to keep only
    the control variables.
    """

    def __init__(self, story: Story, proj: Projection, max_states: int, start: GameState):
        self.story, self.proj, self.max_states, self.start = story, proj, max_states, start
        self.mover = Mover(story, keep=frozenset(proj.variables))
        self.once = frozenset(proj.once)
        self.vals: list[tuple[Value, ...]] = []
        self.val_dicts: list[dict[str, Value]] = []
        self.val_ids: dict[tuple[Value, ...], int] = {}
        self.counts: list[tuple[int, ...]] = []
        self.count_dicts: list[dict[str, int]] = []
        self.count_ids: dict[tuple[int, ...], int] = {}
        self.takens: list[frozenset[str]] = []
        self.taken_ids: dict[frozenset[str], int] = {}
        self.stacks: list[tuple[str, ...]] = []
        self.stack_ids: dict[tuple[str, ...], int] = {}
        self.keys: list[tuple[str, int, int, int, int]] = []
        self.parent = array("q")
        self.via = array("l")
        #: The draws of the move into each state, when it drew any (its route replays them).
        self.drawn: dict[int, tuple[tuple[str, int], ...]] = {}
        self.edge_start = array("q", [0])
        self.edges = array("q")
        self.is_ending = bytearray()
        self.first_scene: dict[str, int] = {}
        self.ending_first: dict[str, int] = {}
        self.dead_first: dict[str, int] = {}
        #: `return` scenes reached with no call to return to, and calls nested past the limit.
        self.no_caller: dict[str, int] = {}
        self.too_deep: dict[str, int] = {}
        self.offered: set[str] = set()
        #: Keys of choices whose `if` was false in some reachable state (the rest never hide anything).
        self.refused: set[str] = set()
        self.complete = True
        self._tracked_at = {s: i for i, s in enumerate(proj.visits)}
        self._bumped: dict[tuple[int, str], int] = {}
        #: The scene of a move with more outcomes than `MAX_OUTCOMES`, if any (the search is then partial).
        self.chance_bound: str | None = None

    def _key(self, state: GameState) -> tuple[str, int, int, int, int]:
        """The key of a state made from nothing (the start)."""
        proj = self.proj
        counts = tuple(_cap(state.visits.get(s, 0), c) for s, c in zip(proj.visits, proj.caps, strict=True))
        cid = self.count_ids.get(counts)
        if cid is None:
            cid = self.count_ids[counts] = len(self.counts)
            self.counts.append(counts)
            self.count_dicts.append(dict(zip(proj.visits, counts, strict=True)))
        return (state.scene, self._vid(state.variables), cid, self._tid(state.taken), self._kid(state.stack))

    def _vid(self, variables: dict[str, Value]) -> int:
        names = self.proj.variables
        values = tuple(variables[n] for n in names)
        vid = self.val_ids.get(values)
        if vid is None:
            vid = self.val_ids[values] = len(self.vals)
            self.vals.append(values)
            self.val_dicts.append(dict(zip(names, values, strict=True)))
        return vid

    def _tid(self, taken: set[str] | frozenset[str]) -> int:
        kept = frozenset(taken & self.once) if taken else frozenset()
        tid = self.taken_ids.get(kept)
        if tid is None:
            tid = self.taken_ids[kept] = len(self.takens)
            self.takens.append(kept)
        return tid

    def _kid(self, stack: list[str]) -> int:
        key = tuple(stack)
        kid = self.stack_ids.get(key)
        if kid is None:
            kid = self.stack_ids[key] = len(self.stacks)
            self.stacks.append(key)
        return kid

    def _entered(self, cid: int, scene: str) -> int:
        """The counts after entering `scene`: a move enters exactly one scene, so only its count rises."""
        found = self._bumped.get((cid, scene))
        if found is None:
            at = self._tracked_at.get(scene)
            if at is None:
                found = cid
            else:
                raised = list(self.counts[cid])
                raised[at] = _cap(raised[at] + 1, self.proj.caps[at])
                counts = tuple(raised)
                found = self.count_ids.get(counts)
                if found is None:
                    found = self.count_ids[counts] = len(self.counts)
                    self.counts.append(counts)
                    self.count_dicts.append(dict(zip(self.proj.visits, counts, strict=True)))
            self._bumped[cid, scene] = found
        return found

    def run(self) -> None:
        story, mover = self.story, self.mover
        keys, max_states = self.keys, self.max_states
        start_key = self._key(self.start)
        index = {start_key: 0}
        keys.append(start_key)
        parent, via, edge_start, edges, is_ending = self.parent, self.via, self.edge_start, self.edges, self.is_ending
        parent.append(-1)
        via.append(0)
        first_scene, ending_first, dead_first, offered = (
            self.first_scene,
            self.ending_first,
            self.dead_first,
            self.offered,
        )
        refused, drawn_into = self.refused, self.drawn
        val_dicts, count_dicts, takens, stacks = self.val_dicts, self.count_dicts, self.takens, self.stacks
        outcomes = _Outcomes(mover)
        token = DRAW.set(outcomes.draw)
        try:
            i = 0
            while i < len(keys):
                sid, vid, cid, tid, kid = keys[i]
                if sid not in first_scene:
                    first_scene[sid] = i
                scene_plan = plan(story, sid)
                scene = scene_plan.scene
                if scene.ending is not None:
                    is_ending.append(1)
                    if scene.ending not in ending_first:
                        ending_first[scene.ending] = i
                    edge_start.append(len(edges))
                    i += 1
                    continue
                is_ending.append(0)
                variables, visits, taken, stack = val_dicts[vid], count_dicts[cid], takens[tid], stacks[kid]
                if scene_plan.continues:
                    moves: tuple[Choice | None, ...] = (None,) if not scene.returns or stack else ()
                    if scene.returns and not stack and sid not in self.no_caller:
                        self.no_caller[sid] = i
                else:
                    moves = scene_plan.choices
                number = 0
                for choice in moves:
                    if choice is not None:
                        if choice.condition is not None and not choice.condition.evaluate(variables, visits):
                            refused.add(choice.key)
                            continue
                        if choice.once and choice.key in taken:
                            continue
                        offered.add(choice.key)
                    number += 1
                    still = mover.still(scene, choice)
                    tried = 0
                    outcomes.prefix = []
                    while True:
                        outcomes.drawn = []
                        if (
                            still is not None
                            and (
                                target := still[0].scene
                                if still[0].condition is None
                                else mover.follow(still, variables, visits)
                            )
                            and mover.quiet(target)
                        ):
                            # A move that only changes where the player is: its key, without making it.
                            new_key = (target, vid, self._entered(cid, target), tid, kid)
                        else:
                            state = GameState(sid, dict(variables), dict(visits), set(taken), list(stack))
                            mover.take(state, choice)
                            after = state.stack
                            if len(after) == MAX_CALL_DEPTH and len(stack) == MAX_CALL_DEPTH:
                                self.too_deep.setdefault(sid, i)
                            arrived = state.scene  # entered (its count rose), or resumed after a call
                            new_key = (
                                arrived,
                                vid if state.variables == variables else self._vid(state.variables),
                                cid
                                if state.visits.get(arrived, 0) == visits.get(arrived, 0)
                                else self._entered(cid, arrived),
                                tid if state.taken == taken else self._tid(state.taken),
                                kid
                                if len(after) == len(stack) and (not after or tuple(after) == stack)
                                else self._kid(after),
                            )
                        j = index.get(new_key)
                        if j is None:
                            if len(keys) >= max_states:
                                self.complete = False
                                return
                            j = len(keys)
                            index[new_key] = j
                            keys.append(new_key)
                            parent.append(i)
                            via.append(number)
                            if outcomes.drawn:
                                drawn_into[j] = outcomes.values
                        edges.append(j)
                        tried += 1
                        if not outcomes.drawn or not outcomes.next():
                            break
                        if tried >= MAX_OUTCOMES:
                            self.chance_bound = self.chance_bound or sid
                            self.complete = False
                            break
                if number == 0 and sid not in dead_first and not (scene.returns and not stack):
                    dead_first[sid] = i
                edge_start.append(len(edges))
                i += 1
        finally:
            DRAW.reset(token)

    def describe(self, state: int, scene: Scene) -> tuple[str, ...]:
        """The values the scene's choice conditions read in `state`, as `name=value` (for a dead end)."""
        names: set[str] = set()
        scenes: set[str] = set()
        for choice in scene.choices or ():
            if choice.condition is not None:
                names |= choice.condition.reads
                scenes |= choice.condition.visits
        _, vid, cid, _, _ = self.keys[state]
        out = [f"{n}={literal(v)}" for n, v in self.val_dicts[vid].items() if n in names]
        for s, cap in zip(self.proj.visits, self.proj.caps, strict=True):
            if s in scenes:
                count = self.count_dicts[cid][s]
                out.append(f"visits({s}){'>=' if count == cap else '='}{count}")
        return tuple(out)

    def taken_in(self, state: int, scene: Scene) -> tuple[str, ...]:
        """The texts of the scene's `once` choices already taken in `state` (for a dead end)."""
        taken = self.takens[self.keys[state][3]]
        return tuple(c.text.source for c in scene.choices or () if c.once and c.key in taken)


def explore_exhaustive(
    story: Story,
    max_states: int = DEFAULT_MAX_STATES,
    initial: GameState | None = None,
    projection: Projection | None = None,
) -> ExhaustiveResult:
    """Breadth-first search of every state reachable from `initial` (default: the start).

    Stops, with `complete=False` and what it found so far, once `max_states`
    distinct states exist. `projection` exists for tests that compare the
    default (control) projection with the full state.
    """
    proj = projection or control_projection(story)
    start = initial if initial is not None else new_state(story)
    search = _Search(story, proj, max_states, start)
    search.run()
    complete = search.complete
    replayer = _Replayer(story, start, search.parent, search.via, search.drawn)
    dead_ends = [
        DeadEnd(sid, replayer.route(j), search.describe(j, story.scenes[sid]), search.taken_in(j, story.scenes[sid]))
        for sid, j in sorted(search.dead_first.items(), key=lambda item: item[1])
    ]
    loops: dict[frozenset[str], Loop] = {}
    if complete:
        found = []
        n, edge_start, edges = len(search.keys), search.edge_start, search.edges
        good = _reaching_ending(n, edge_start, edges, search.is_ending)
        for members in _trapped_cycles(n, edge_start, edges, good):
            members.sort()
            scenes = tuple(dict.fromkeys(search.keys[s][0] for s in members))
            found.append(Loop(scenes, replayer.route(members[0])))
        for loop in sorted(found, key=lambda lp: (len(lp.route), lp.route.moves)):
            loops.setdefault(frozenset(loop.scenes), loop)
    reached = search.first_scene
    return ExhaustiveResult(
        story=story,
        complete=complete,
        max_states=max_states,
        states=len(search.keys),
        moves=len(search.edges),
        endings={e: replayer.route(search.ending_first[e]) for e in story.endings if e in search.ending_first},
        unreached_endings=[e for e in story.endings if e not in search.ending_first],
        unreachable_scenes=[s for s in story.scenes if s not in reached] if complete else [],
        never_offered=[
            c for s in story.scenes.values() if s.id in reached for c in s.choices or () if c.key not in search.offered
        ]
        if complete
        else [],
        dead_ends=dead_ends,
        loops=list(loops.values()),
        control=proj.variables,
        tracked_visits=proj.visits,
        always_offered=[
            c
            for s in story.scenes.values()
            if s.id in reached
            for c in s.choices or ()
            if c.condition is not None and c.key in search.offered and c.key not in search.refused
        ]
        if complete
        else [],
        no_caller=[(sid, replayer.route(j)) for sid, j in search.no_caller.items()],
        too_deep=[(sid, replayer.route(j)) for sid, j in search.too_deep.items()],
        chance_bound=search.chance_bound,
    )


def _cap(count: int, cap: int | None) -> int:
    return count if cap is None or count < cap else cap


class _Replayer:
    """Turns a search state back into the route a player would take, via the real runtime."""

    def __init__(
        self,
        story: Story,
        start: GameState,
        parent: array[int],
        via: array[int],
        drawn: dict[int, tuple[tuple[str, int], ...]],
    ):
        self.story, self.start, self.parent, self.via, self.drawn = story, start, parent, via, drawn
        self.mover = mover_of(story)

    def route(self, state: int) -> Route:
        steps: list[tuple[int, tuple[tuple[str, int], ...]]] = []
        while state > 0:
            steps.append((self.via[state], self.drawn.get(state, ())))
            state = self.parent[state]
        steps.reverse()
        game = Game(self.story, self.start)
        texts: list[str] = []
        scenes: list[str] = []
        draws: list[tuple[int, ...]] = []
        for n, drawn in steps:
            scenes.append(game.state.scene)
            texts.append(game.options[n - 1].text)
            values = self._draws(game, n, drawn) if drawn else ()
            draws.append(values)
            game.choose(n, list(values) or None)
        return Route(
            tuple(n for n, _ in steps),
            tuple(texts),
            tuple(scenes),
            tuple(draws) if any(draws) else (),
            game.state.scene,
        )

    def _draws(self, game: Game, number: int, drawn: tuple[tuple[str, int], ...]) -> tuple[int, ...]:
        """Every draw option `number` makes in `game`'s state so that it gives what the search drew."""
        scene_plan = plan(self.story, game.state.scene)
        choice = None if scene_plan.continues else scene_plan.offered(game.state)[number - 1]
        probe = game.state.copy()
        matcher = _Matcher(self.mover, probe, drawn)
        token = DRAW.set(matcher.draw)
        try:
            self.mover.take(probe, choice)
        finally:
            DRAW.reset(token)
        return tuple(matcher.values)


def _reaching_ending(
    n: int, edge_start: array[int], edges: array[int], is_ending: bytearray, passes: int = 4
) -> bytearray:
    """Mark states from which an ending can be reached, by sweeping backwards over the BFS order.

    Most edges of a story point to states discovered later, so a sweep from the
    last state to the first settles nearly everything in one pass; a few more
    settle the loops. What is still unsettled after `passes` is left for
    `_trapped_cycles`, which is exact but slower.
    """
    good = bytearray(is_ending)
    for _ in range(passes):
        changed = False
        for v in range(n - 1, -1, -1):
            if good[v]:
                continue
            for q in range(edge_start[v], edge_start[v + 1]):
                if good[edges[q]]:
                    good[v] = 1
                    changed = True
                    break
        if not changed:
            break
    return good


def _trapped_cycles(n: int, edge_start: array[int], edges: array[int], good: bytearray) -> list[list[int]]:
    """Strongly connected sets of states from which no ending can be reached (iterative Tarjan).

    `good` marks states already known to reach an ending; they are not
    searched, and it is completed in place. Tarjan closes components in
    reverse topological order, so when a component closes, everything it can
    reach is settled: one pass finds the components and whether they escape.
    """
    index = array("q", [-1]) * n
    low = array("q", [0]) * n
    on_stack = bytearray(n)
    stack: list[int] = []
    trapped: list[list[int]] = []
    counter = 0
    for root in range(n):
        if good[root] or index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        call = [root]
        cursor = [edge_start[root]]
        while call:
            v = call[-1]
            p = cursor[-1]
            if p < edge_start[v + 1]:
                cursor[-1] = p + 1
                w = edges[p]
                if good[w]:
                    continue
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    call.append(w)
                    cursor.append(edge_start[w])
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            call.pop()
            cursor.pop()
            if call and low[v] < low[call[-1]]:
                low[call[-1]] = low[v]
            if low[v] != index[v]:
                continue
            members = []
            while True:
                w = stack.pop()
                on_stack[w] = 0
                members.append(w)
                if w == v:
                    break
            targets = [edges[q] for w in members for q in range(edge_start[w], edge_start[w + 1])]
            if any(good[x] for x in targets):
                for w in members:
                    good[w] = 1
            elif len(members) > 1 or v in targets:
                trapped.append(members)
    return trapped


# --------------------------------------------------------------------------- findings as diagnostics


def findings(story: Story, max_states: int = CHECK_MAX_STATES) -> list[Diagnostic]:
    """What `million-miles check` reports: the bounded exhaustive search's findings, located."""
    return explore_exhaustive(story, max_states).diagnostics()


def exhaustive_diagnostics(result: ExhaustiveResult) -> list[Diagnostic]:
    """The search's findings in compiler format, located at the scene, choice or ending concerned.

    Unreachable scenes, never-offered choices and endings never reached are
    warnings (the story still plays); dead ends and inescapable loops are
    errors (a player gets stuck). When the search hit its bound, only what it
    actually found is reported, with a warning saying the rest was not checked.
    """
    story = result.story
    out: list[Diagnostic] = []
    for dead in result.dead_ends:
        when = ", ".join(dead.values)
        taken = "; already taken: " + ", ".join(f'"{t}"' for t in dead.taken) if dead.taken else ""
        cause = f" (with {when}{taken})" if when or taken else ""
        out.append(
            Diagnostic(
                story.scenes[dead.scene].loc,
                f"dead end: scene '{dead.scene}' offers no choice here and is not an ending{cause}; "
                f"reached by {_route_words(dead.route)}",
                "error",
                "dead-end",
            )
        )
    for loop in result.loops:
        scenes = ", ".join(loop.scenes)
        out.append(
            Diagnostic(
                story.scenes[loop.scenes[0]].loc,
                f"inescapable loop: once here no ending can be reached (the loop goes through {scenes}); "
                f"entered by {_route_words(loop.route)}",
                "error",
                "inescapable-loop",
            )
        )
    for sid, route in result.no_caller:
        out.append(
            Diagnostic(
                story.scenes[sid].loc,
                f"scene '{sid}' returns, but no call brought the player here, so there is nowhere to return to;"
                f" reached by {_route_words(route)}: reach it with 'call', or give it a 'goto'",
                "error",
                "return-without-call",
            )
        )
    for sid, route in result.too_deep:
        out.append(
            Diagnostic(
                story.scenes[sid].loc,
                f"calls nest more than {MAX_CALL_DEPTH} deep at scene '{sid}': a scene reached by 'call' must end"
                " the subroutine at a scene with 'return: true'; one left by 'goto' (back to where it was called"
                f" from, say), or a subroutine that calls itself, piles calls up; reached by {_route_words(route)}",
                "error",
                "call-depth",
            )
        )
    if result.chance_bound is not None:
        out.append(
            Diagnostic(
                story.scenes[result.chance_bound].loc,
                f"a move from scene '{result.chance_bound}' draws more than {MAX_OUTCOMES:,} different outcomes,"
                " more than the exhaustive search tries: unreachable scenes, endings never reached and loops were"
                " not checked; draw from a smaller range (random(1, 6) rather than random(1, 1000000))",
                "warning",
                "explore-chance",
            )
        )
        return out
    if not result.complete:
        out.append(
            Diagnostic(
                story.start_loc,
                f"exhaustive analysis stopped at its bound of {result.max_states:,} states: unreachable scenes, "
                "never-offered choices, endings never reached and inescapable loops were not checked "
                "(raise --max-states to search further)",
                "warning",
                "explore-bound",
            )
        )
        return out
    for sid in result.unreachable_scenes:
        out.append(
            Diagnostic(
                story.scene_loc(sid),
                f"scene '{sid}' is never reached: no path from the start leads here",
                "warning",
                "unreachable-scene",
            )
        )
    for choice in result.never_offered:
        why = (
            f"its condition '{choice.condition.source}' is false whenever scene '{choice.scene}' is reached"
            if choice.condition is not None
            else f"it is already taken whenever scene '{choice.scene}' is reached"
        )
        out.append(
            Diagnostic(choice.loc, f'choice "{choice.text.source}" is never offered: {why}', "warning", "never-offered")
        )
    for ending in result.unreached_endings:
        out.append(
            Diagnostic(
                story.endings[ending].loc,
                f"ending '{ending}' is never reached: no path leads to it",
                "warning",
                "unreached-ending",
            )
        )
    for choice in result.always_offered:
        assert choice.condition is not None, "only a choice with an `if` can always be offered"
        out.append(
            Diagnostic(
                choice.loc,
                f"choice \"{choice.text.source}\" has 'if: {choice.condition.source}', which is true in every state "
                f"that reaches scene '{choice.scene}': it never hides the choice, so remove it or fix the condition",
                "warning",
                "always-true",
            )
        )
    return sorted(out, key=Diagnostic.sort_key)


def _route_words(route: Route) -> str:
    if not route.texts:
        return "starting the story"
    return f"{len(route)} choice{'s' if len(route) != 1 else ''}: {route.describe()}"


# --------------------------------------------------------------------------- random playthroughs


def explore_random(
    story: Story,
    runs: int,
    seed: int = 1,
    max_steps: int = DEFAULT_MAX_STEPS,
    initial: GameState | None = None,
) -> RandomResult:
    """Play `runs` games choosing uniformly at random among the offered options."""
    rng = random.Random(seed)
    randrange = rng.randrange
    scenes: Mapping[str, Scene] = story.scenes
    endings: Counter[str] = Counter()
    dead: Counter[str] = Counter()
    seen_scenes: set[str] = set()
    made: set[str] = set()
    stuck = 0
    total = 0
    began = time.perf_counter()
    for _ in range(runs):
        game_seed = rng.getrandbits(62)  # each run its own draws, all from `seed`
        if initial is None:
            state = new_state(story, game_seed)
        else:
            state = initial.copy()
            state.seed, state.draws = game_seed, 0
        steps = 0
        while True:
            scene = scenes[state.scene]
            seen_scenes.add(scene.id)
            if scene.ending is not None:
                endings[scene.ending] += 1
                break
            if steps >= max_steps:
                stuck += 1
                break
            if scene.continues:
                if scene.returns and not state.stack:
                    dead[scene.id] += 1
                    break
                apply_choice(story, state, None)
            else:
                options = plan(story, scene.id).offered(state)
                if not options:
                    dead[scene.id] += 1
                    break
                choice = options[randrange(len(options))] if len(options) > 1 else options[0]
                made.add(choice.key)
                apply_choice(story, state, choice)
            steps += 1
        total += steps
    seconds = time.perf_counter() - began
    return RandomResult(
        story=story,
        runs=runs,
        seed=seed,
        choices=total,
        seconds=seconds,
        ending_counts={e: endings[e] for e in story.endings},
        unreached_scenes=[s for s in story.scenes if s not in seen_scenes],
        made=frozenset(made),
        dead_ends={s: dead[s] for s in story.scenes if dead[s]},
        stuck=stuck,
        max_steps=max_steps,
    )


__all__ = [
    "CHECK_MAX_STATES",
    "DEFAULT_MAX_STATES",
    "DEFAULT_MAX_STEPS",
    "DeadEnd",
    "ExhaustiveResult",
    "Loop",
    "Projection",
    "RandomResult",
    "Route",
    "control_projection",
    "explore_exhaustive",
    "explore_random",
    "exhaustive_diagnostics",
    "findings",
    "full_projection",
]
