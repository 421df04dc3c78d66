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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from game.engine.errors import Diagnostic
from game.engine.expressions import (
    Binary,
    Evaluator,
    Literal,
    Node,
    Unary,
    Value,
    Visits,
    literal,
    names_read,
    scenes_visited,
)
from game.engine.model import Branch, Choice, Scene, Story
from game.engine.runtime import Game, GameState, apply_choice, new_state, plan

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

    def __len__(self) -> int:
        return len(self.moves)

    def describe(self) -> str:
        if not self.texts:
            return "(the start)"
        return " → ".join(f'"{t}"' for t in self.texts)

    def as_json(self) -> dict[str, object]:
        return {
            "length": len(self.moves),
            "choices": list(self.texts),
            "numbers": list(self.moves),
            "scenes": list(self.scenes),
        }


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
                    {"reached": True, "shortest": self.endings[e].as_json()}
                    if e in self.endings
                    else {"reached": False}
                )
                for e in story.endings
            },
            "unreached_endings": self.unreached_endings if self.complete else None,
            "unreachable_scenes": self.unreachable_scenes if self.complete else None,
            "never_offered_choices": [_choice_json(c) for c in self.never_offered] if self.complete else None,
            "dead_ends": [
                {"scene": d.scene, "shortest": d.route.as_json(), "values": list(d.values), "taken": list(d.taken)}
                for d in self.dead_ends
            ],
            "loops": [{"scenes": list(lp.scenes), "shortest": lp.route.as_json()} for lp in self.loops]
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
    unmade_choices: list[Choice]
    dead_ends: dict[str, int]  # scene → runs that stopped there
    stuck: int  # runs stopped by the step limit
    max_steps: int

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
    return {
        "key": choice.key,
        "scene": choice.scene,
        "number": choice.index + 1,
        "text": choice.text.source,
        "path": loc.path,
        "line": loc.line,
        "col": loc.col,
    }


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
    assigned: dict[str, list[Node]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices or ():
            for a in choice.sets:
                assigned.setdefault(a.variable, []).append(a.value.node)
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
    once = tuple(c.key for s in story.scenes.values() for c in s.choices or () if c.once)
    return Projection(
        tuple(v for v in story.variables if v in control), tuple(order), tuple(caps.get(s) for s in order), once
    )


def full_projection(story: Story) -> Projection:
    """The whole state: every variable, every visit count. For tests and comparison only."""
    once = tuple(c.key for s in story.scenes.values() for c in s.choices or () if c.once)
    return Projection(tuple(story.variables), tuple(story.scenes), (None,) * len(story.scenes), once)


def _visit_caps(roots: Iterable[Node]) -> dict[str, int | None]:
    """For each `visits(x)`: one above the largest constant it is compared with, or None if used otherwise."""
    caps: dict[str, int | None] = {}

    def note(scene: str, cap: int | None) -> None:
        if cap is None or (scene in caps and caps[scene] is None):
            caps[scene] = None
        else:
            caps[scene] = max(caps.get(scene) or 0, cap)

    def walk(node: Node) -> None:
        if isinstance(node, Binary):
            if node.op in _COMPARISONS:
                pair = (node.left, node.right)
                for a, b in (pair, pair[::-1]):
                    if isinstance(a, Visits) and isinstance(b, Literal) and type(b.value) is int:
                        note(a.scene, max(b.value, 0) + 1)
                        return
            walk(node.left)
            walk(node.right)
        elif isinstance(node, Unary):
            walk(node.operand)
        elif isinstance(node, Visits):
            note(node.scene, None)

    for root in roots:
        walk(root)
    return caps


# --------------------------------------------------------------------------- exhaustive search


@dataclass(slots=True)
class _Move:
    """One choice (or a scene's Continue), pre-digested for the search."""

    condition: Evaluator | None
    bit: int  # its `once` bit, or 0
    sets: tuple[
        tuple[int, Evaluator, Callable[[Value], Value]], ...
    ]  # (position, evaluate, clamp) of control variables
    target: str | None  # the fixed target, or None to follow `branches`
    branches: tuple[Branch, ...]
    key: str  # the choice's key, "" for a Continue


class _Search:
    """The breadth-first search itself; its arrays are what the analyses read afterwards.

    A state is `(scene, vals_id, counts_id, once_mask)`: the tuples of control
    values and visit counts are interned to small integers, so keys hash fast,
    states sharing values share memory, and the dicts expressions evaluate
    against are built once per distinct tuple rather than once per state.
    """

    def __init__(self, story: Story, proj: Projection, max_states: int, start: GameState):
        self.story, self.proj, self.max_states, self.start = story, proj, max_states, start
        self.position = {n: i for i, n in enumerate(proj.variables)}
        self.bits = {k: 1 << i for i, k in enumerate(proj.once)}
        self.plan: dict[str, tuple[str | None, list[_Move]]] = {}
        for sid, scene in story.scenes.items():
            if scene.ending is not None:
                self.plan[sid] = (scene.ending, [])
            elif scene.goto is not None:
                self.plan[sid] = (None, [self._digest(None, scene.goto)])
            else:
                self.plan[sid] = (None, [self._digest(c, c.goto) for c in scene.choices or ()])
        self.vals: list[tuple[Value, ...]] = []
        self.val_dicts: list[dict[str, Value]] = []
        self.val_ids: dict[tuple[Value, ...], int] = {}
        self.counts: list[tuple[int, ...]] = []
        self.count_dicts: list[dict[str, int]] = []
        self.count_ids: dict[tuple[int, ...], int] = {}
        self.keys: list[tuple[str, int, int, int]] = []
        self.parent = array("q")
        self.via = array("l")
        self.edge_start = array("q", [0])
        self.edges = array("q")
        self.is_ending = bytearray()
        self.first_scene: dict[str, int] = {}
        self.ending_first: dict[str, int] = {}
        self.dead_first: dict[str, int] = {}
        self.offered: set[str] = set()
        #: Keys of choices whose `if` was false in some reachable state (the rest never hide anything).
        self.refused: set[str] = set()
        self.complete = True

    def _digest(self, choice: Choice | None, branches: tuple[Branch, ...]) -> _Move:
        if choice is None:
            return _Move(None, 0, (), _fixed(branches), branches, "")
        sets = tuple(
            (self.position[a.variable], a.value.evaluate, self.story.variables[a.variable].clamp)
            for a in choice.sets
            if a.variable in self.position
        )
        return _Move(
            choice.condition.evaluate if choice.condition is not None else None,
            self.bits.get(choice.key, 0) if choice.once else 0,
            sets,
            _fixed(branches),
            branches,
            choice.key,
        )

    def _intern(
        self,
        values: tuple[T, ...],
        ids: dict[tuple[T, ...], int],
        table: list[tuple[T, ...]],
        dicts: list[dict[str, T]],
        names: tuple[str, ...],
    ) -> int:
        found = ids.get(values)
        if found is None:
            found = ids[values] = len(table)
            table.append(values)
            dicts.append(dict(zip(names, values, strict=True)))
        return found

    def run(self) -> None:
        proj, start = self.proj, self.start
        names, tracked, caps = proj.variables, proj.visits, proj.caps
        vals, val_dicts, val_ids = self.vals, self.val_dicts, self.val_ids
        counts, count_dicts, count_ids = self.counts, self.count_dicts, self.count_ids
        intern = self._intern
        tracked_at = {s: i for i, s in enumerate(tracked)}
        bumped: dict[tuple[int, int], int] = {}
        start_key = (
            start.scene,
            intern(tuple(start.variables[n] for n in names), val_ids, vals, val_dicts, names),
            intern(
                tuple(_cap(start.visits.get(s, 0), c) for s, c in zip(tracked, caps, strict=True)),
                count_ids,
                counts,
                count_dicts,
                tracked,
            ),
            sum(self.bits[k] for k in start.taken if k in self.bits),
        )
        keys, plan, max_states = self.keys, self.plan, self.max_states
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
        refused = self.refused

        i = 0
        while i < len(keys):
            sid, vid, cid, mask = keys[i]
            if sid not in first_scene:
                first_scene[sid] = i
            ending, moves = plan[sid]
            if ending is not None:
                is_ending.append(1)
                if ending not in ending_first:
                    ending_first[ending] = i
                edge_start.append(len(edges))
                i += 1
                continue
            is_ending.append(0)
            variables, visits = val_dicts[vid], count_dicts[cid]
            number = 0
            for move in moves:
                if move.condition is not None and not move.condition(variables, visits):
                    refused.add(move.key)
                    continue
                if mask & move.bit:
                    continue
                number += 1
                if move.key:
                    offered.add(move.key)
                new_vid = vid
                if move.sets:
                    listed = list(vals[vid])
                    for pos, value in [(pos, clamp(ev(variables, visits))) for pos, ev, clamp in move.sets]:
                        listed[pos] = value
                    new_vid = intern(tuple(listed), val_ids, vals, val_dicts, names)
                target = move.target
                if target is None:
                    after = val_dicts[new_vid]
                    target = move.branches[-1].scene
                    for branch in move.branches:
                        if branch.condition is None or branch.condition.evaluate(after, visits):
                            target = branch.scene
                            break
                new_cid = cid
                at = tracked_at.get(target)
                if at is not None:
                    new_cid = bumped.get((cid, at), -1)
                    if new_cid < 0:
                        raised = list(counts[cid])
                        raised[at] = _cap(raised[at] + 1, caps[at])
                        new_cid = bumped[cid, at] = intern(tuple(raised), count_ids, counts, count_dicts, tracked)
                new_key = (target, new_vid, new_cid, mask | move.bit)
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
                edges.append(j)
            if number == 0 and sid not in dead_first:
                dead_first[sid] = i
            edge_start.append(len(edges))
            i += 1

    def describe(self, state: int, scene: Scene) -> tuple[str, ...]:
        """The values the scene's choice conditions read in `state`, as `name=value` (for a dead end)."""
        names: set[str] = set()
        scenes: set[str] = set()
        for choice in scene.choices or ():
            if choice.condition is not None:
                names |= choice.condition.reads
                scenes |= choice.condition.visits
        _, vid, cid, _ = self.keys[state]
        out = [f"{n}={literal(v)}" for n, v in self.val_dicts[vid].items() if n in names]
        for s, cap in zip(self.proj.visits, self.proj.caps, strict=True):
            if s in scenes:
                count = self.count_dicts[cid][s]
                out.append(f"visits({s}){'>=' if count == cap else '='}{count}")
        return tuple(out)

    def taken_in(self, state: int, scene: Scene) -> tuple[str, ...]:
        """The texts of the scene's `once` choices already taken in `state` (for a dead end)."""
        mask = self.keys[state][3]
        return tuple(c.text.source for c in scene.choices or () if c.once and mask & self.bits[c.key])


def _fixed(branches: tuple[Branch, ...]) -> str | None:
    return branches[0].scene if len(branches) == 1 and branches[0].condition is None else None


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
    replayer = _Replayer(story, start, search.parent, search.via)
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
    )


def _cap(count: int, cap: int | None) -> int:
    return count if cap is None or count < cap else cap


class _Replayer:
    """Turns a search state back into the route a player would take, via the real runtime."""

    def __init__(self, story: Story, start: GameState, parent: array[int], via: array[int]):
        self.story, self.start, self.parent, self.via = story, start, parent, via

    def route(self, state: int) -> Route:
        numbers: list[int] = []
        while state > 0:
            numbers.append(self.via[state])
            state = self.parent[state]
        numbers.reverse()
        game = Game(self.story, self.start)
        texts: list[str] = []
        scenes: list[str] = []
        for n in numbers:
            scenes.append(game.state.scene)
            texts.append(game.options[n - 1].text)
            game.choose(n)
        return Route(tuple(numbers), tuple(texts), tuple(scenes))


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
                story.scenes[sid].loc,
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
    start = initial if initial is not None else new_state(story)
    endings: Counter[str] = Counter()
    dead: Counter[str] = Counter()
    seen_scenes: set[str] = set()
    made: set[str] = set()
    stuck = 0
    total = 0
    began = time.perf_counter()
    for _ in range(runs):
        state = start.copy()
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
            if scene.goto is not None:
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
        unmade_choices=[c for s in story.scenes.values() for c in s.choices or () if c.key not in made],
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
