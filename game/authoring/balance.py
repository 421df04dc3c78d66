"""How a story's stats behave in play: time spent at their bounds, and which endings they decide.

For a story with bounded, labelled integer variables ("stats"), this measures two things:

- **Balance in random play.** Many games are played choosing uniformly at random among the
  offered options (the same runtime the game plays). For each stat: the share of all steps
  spent at its maximum and at its minimum (a stat pinned at its cap no longer means anything),
  and its average. Also how the runs end, and the same shares along any scripted playthroughs
  given (the canonical path, say).
- **Which endings depend on a stat.** For each stat and each of its values, the story is
  explored exhaustively with that stat *pinned* (its bounds narrowed to that one value, so
  every `set` is clamped back to it). An ending reachable with the stat pinned at some values
  but not at others depends on that stat: no choice can reach it unless the stat is right.

`python -m game.authoring.balance [STORY] [--runs N] [--seed S] [--playthrough FILE ...]`
prints the report as Markdown; for the bundled story, `docs/balance.md` is that output and a
test keeps it current. Nothing here imports Textual.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from msgspec import structs

from game.engine.explore import explore_exhaustive
from game.engine.expressions import Binary, Literal, Name
from game.engine.loader import load_story
from game.engine.model import Story, Variable
from game.engine.runtime import Game, apply_choice, new_state, plan
from game.testing.playthrough import Choose, read_playthrough
from game.testing.runner import matching_options

#: Random playthroughs measured by default.
DEFAULT_RUNS = 3000
#: The seed they are played with, so the report is the same on every machine.
DEFAULT_SEED = 17
#: A random game longer than this is abandoned (a story that loops forever).
MAX_STEPS = 5000


def lowered(story: Story) -> set[str]:
    """Variables some choice lowers: a `set` of the form `name - k` with `k` a positive literal."""
    out = set()
    for scene in story.scenes.values():
        for choice in scene.choices or ():
            for a in choice.sets:
                node = a.value.node
                if (
                    isinstance(node, Binary)
                    and node.op == "-"
                    and isinstance(node.left, Name)
                    and node.left.name == a.variable
                    and isinstance(node.right, Literal)
                    and type(node.right.value) is int
                    and node.right.value > 0
                ):
                    out.add(a.variable)
    return out


def stats_of(story: Story, names: Sequence[str] = ()) -> list[Variable]:
    """The stats, in the order the player sees them: `names` if given, else every labelled integer
    variable with both bounds that some choice lowers (a counter that only climbs is progress, not a stat)."""
    down = lowered(story)
    return [
        v
        for v in story.labelled
        if v.type == "int"
        and v.min is not None
        and v.max is not None
        and (v.name in names if names else v.name in down)
    ]


@dataclass
class StatShare:
    """One stat over a set of steps."""

    name: str
    label: str
    low: int
    high: int
    steps: int = 0
    at_max: int = 0
    at_min: int = 0
    total: int = 0  # sum of the values, for the mean

    def count(self, value: int) -> None:
        self.steps += 1
        self.total += value
        if value >= self.high:
            self.at_max += 1
        if value <= self.low:
            self.at_min += 1

    @property
    def share_at_max(self) -> float:
        return self.at_max / self.steps if self.steps else 0.0

    @property
    def share_at_min(self) -> float:
        return self.at_min / self.steps if self.steps else 0.0

    @property
    def mean(self) -> float:
        return self.total / self.steps if self.steps else 0.0


def _number(value: object) -> int:
    """A stat's value (an integer variable's value is always an int)."""
    assert isinstance(value, int)
    return value


def _shares(stats: list[Variable]) -> dict[str, StatShare]:
    return {v.name: StatShare(v.name, v.label or v.name, int(v.min or 0), int(v.max or 0)) for v in stats}


@dataclass
class RandomBalance:
    runs: int
    seed: int
    steps: int
    shares: dict[str, StatShare]
    endings: dict[str, int]  # every ending of the story, in story order
    unfinished: int  # runs that hit MAX_STEPS or a dead end


def random_balance(
    story: Story, stats: list[Variable], runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED
) -> RandomBalance:
    """Play `runs` random games and count, at every step, where each stat stands."""
    rng = random.Random(seed)
    shares = _shares(stats)
    names = [v.name for v in stats]
    endings: Counter[str] = Counter()
    unfinished = 0
    total = 0
    for _ in range(runs):
        state = new_state(story)
        for steps in range(MAX_STEPS + 1):
            variables = state.variables
            for name in names:
                shares[name].count(_number(variables[name]))
            total += 1
            scene = story.scenes[state.scene]
            if scene.ending is not None:
                endings[scene.ending] += 1
                break
            if steps == MAX_STEPS:
                unfinished += 1
                break
            if scene.goto is not None:
                apply_choice(story, state, None)
                continue
            options = plan(story, scene.id).offered(state)
            if not options:
                unfinished += 1
                break
            apply_choice(story, state, options[rng.randrange(len(options))])
    return RandomBalance(runs, seed, total, shares, {e: endings[e] for e in story.endings}, unfinished)


def path_balance(
    story: Story, stats: list[Variable], playthrough: Path
) -> tuple[str, str | None, dict[str, StatShare], int]:
    """Follow a playthrough file's choices and count where each stat stands at every step.

    Returns the playthrough's name, the ending reached (None if it stops before one), the
    shares, and the step at which some stat first reached its maximum (-1: never).
    """
    parsed, problems = read_playthrough(playthrough)
    if parsed is None or any(p.severity == "error" for p in problems):
        raise ValueError(f"{playthrough}: cannot be read: {problems[0] if problems else 'empty'}")
    shares = _shares(stats)
    state = new_state(story)
    first_cap = -1

    def note(step: int) -> None:
        nonlocal first_cap
        for v in stats:
            value = _number(state.variables[v.name])
            shares[v.name].count(value)
            if first_cap < 0 and value >= int(v.max or 0):
                first_cap = step

    game = Game(story, state)
    note(0)
    step = 0
    for item in parsed.steps:
        if not isinstance(item, Choose):
            continue
        options = game.options
        if isinstance(item.target, int):
            number = item.target
        else:
            found = matching_options(options, item.target)
            if len(found) != 1:
                raise ValueError(f"{playthrough}: no single option matches {item.target!r}")
            number = found[0].number
        game.choose(number)
        state = game.state
        step += 1
        note(step)
    ending = game.ending.id if game.ending is not None else None
    return parsed.name, ending, shares, first_cap


def pinned(story: Story, name: str, value: int) -> Story:
    """`story` with the stat `name` held at `value`: both bounds narrowed to it."""
    variables = dict(story.variables)
    variables[name] = structs.replace(variables[name], default=value, min=value, max=value)
    return structs.replace(story, variables=variables)


@dataclass
class Dependence:
    """For one stat: the endings reachable with the stat pinned at each of its values."""

    name: str
    label: str
    reachable: dict[int, list[str]] = field(default_factory=dict)

    def depends(self, ending: str) -> bool:
        seen = [ending in found for found in self.reachable.values()]
        return any(seen) and not all(seen)

    def values_for(self, ending: str) -> list[int]:
        return [value for value, found in self.reachable.items() if ending in found]


def dependence(story: Story, stats: list[Variable]) -> list[Dependence]:
    """Pin each stat at each of its values in turn and explore every path (see the module docstring)."""
    out = []
    for v in stats:
        dep = Dependence(v.name, v.label or v.name)
        for value in range(int(v.min or 0), int(v.max or 0) + 1):
            result = explore_exhaustive(pinned(story, v.name, value))
            if not result.complete:
                raise RuntimeError(f"exploring with {v.name} = {value} did not complete")
            dep.reachable[value] = list(result.endings)
        out.append(dep)
    return out


def _percent(x: float) -> str:
    return f"{100 * x:.1f}%"


def _values(values: Sequence[int]) -> str:
    """1, 2, 3, 5 → "1–3, 5"."""
    runs: list[list[int]] = []
    for v in values:
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


@dataclass
class Report:
    story: Story
    random: RandomBalance
    paths: list[tuple[str, str | None, dict[str, StatShare], int]]
    dependences: list[Dependence]
    shortest: dict[str, int] = field(default_factory=dict)  # ending → fewest moves to reach it (all paths)

    @property
    def unreached(self) -> list[str]:
        return [e for e, n in self.random.endings.items() if n == 0]

    def endings_depending_on_stats(self) -> list[str]:
        return [e for e in self.story.endings if any(d.depends(e) for d in self.dependences)]

    def markdown(self, command: str) -> str:
        story, rnd = self.story, self.random
        lines = [
            f"# Stat balance: {story.title}",
            "",
            f"Generated by `{command}`; `tests/story/test_balance.py` regenerates it and fails",
            "if this file is stale or the targets below are missed. The method is in",
            "`game/authoring/balance.py`.",
            "",
            "## Random play",
            "",
            f"{rnd.runs:,} games choosing at random among the offered options (seed {rnd.seed}),",
            f"{rnd.steps:,} steps in all, Continue included. Share of those steps each stat spends",
            "at its maximum and at its minimum (low is good: a stat stuck at a bound means nothing):",
            "",
            "| Stat | Range | At its maximum | At its minimum | Mean |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for s in rnd.shares.values():
            lines.append(
                f"| {s.label} | {s.low}–{s.high} | {_percent(s.share_at_max)} | {_percent(s.share_at_min)} "
                f"| {s.mean:.2f} |"
            )
        lines += ["", "How the random games end:", "", "| Ending | Games | Share |", "| --- | ---: | ---: |"]
        for ending_id, n in rnd.endings.items():
            title = story.endings[ending_id].title
            lines.append(f"| {title} (`{ending_id}`) | {n:,} | {_percent(n / rnd.runs)} |")
        if rnd.unfinished:
            lines.append(f"| *(unfinished)* | {rnd.unfinished:,} | {_percent(rnd.unfinished / rnd.runs)} |")
        if self.paths:
            lines += [
                "",
                "## Scripted playthroughs",
                "",
                "The same shares along each playthrough file, and the first step at which any stat",
                "reaches its maximum:",
                "",
                "| Playthrough | Ending | Steps | "
                + " | ".join(f"{s.label} at max" for s in rnd.shares.values())
                + " | First at a maximum |",
                "| --- | --- | ---: | " + " | ".join("---:" for _ in rnd.shares) + " | ---: |",
            ]
            for name, ending, shares, first in self.paths:
                steps = next(iter(shares.values())).steps if shares else 0
                row = " | ".join(_percent(s.share_at_max) for s in shares.values())
                lines.append(
                    f"| {name} | {ending or '—'} | {steps} | {row} | {'never' if first < 0 else f'step {first}'} |"
                )
        lines += [
            "",
            "## Every ending is reachable",
            "",
            "Explored exhaustively, with nothing pinned: the fewest moves (Continue included) that",
            "reach each ending.",
            "",
            "| Ending | Fewest moves |",
            "| --- | ---: |",
        ]
        for ending_id, end in story.endings.items():
            moves = self.shortest.get(ending_id)
            lines.append(f"| {end.title} (`{ending_id}`) | {'unreachable' if moves is None else moves} |")
        lines += [
            "",
            "## Endings that depend on the stats",
            "",
            "Each stat pinned at each of its values in turn (both bounds narrowed to that value),",
            "and the story explored exhaustively: the values at which each ending can still be",
            "reached. An ending reachable at some values and not at others depends on that stat.",
            "",
            "| Ending | " + " | ".join(d.label for d in self.dependences) + " |",
            "| --- | " + " | ".join("---" for _ in self.dependences) + " |",
        ]
        for ending_id, end in story.endings.items():
            cells: list[str] = []
            for d in self.dependences:
                found = d.values_for(ending_id)
                if not found:
                    cells.append("never")
                elif d.depends(ending_id):
                    cells.append(f"**{_values(found)}**")
                else:
                    cells.append("any")
            lines.append(f"| {end.title} (`{ending_id}`) | " + " | ".join(cells) + " |")
        depending = self.endings_depending_on_stats()
        lines += [
            "",
            f"Endings that depend on at least one stat: {len(depending)} of {len(story.endings)}"
            + (f" ({', '.join(f'`{e}`' for e in depending)})." if depending else "."),
            "",
        ]
        return "\n".join(lines)


def report(
    story: Story,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    playthroughs: Sequence[Path] = (),
    names: Sequence[str] = (),
) -> Report:
    """The whole report: `names` chooses the stats (default: see `stats_of`)."""
    stats = stats_of(story, names)
    paths = [path_balance(story, stats, p) for p in playthroughs]
    explored = explore_exhaustive(story)
    shortest = {ending: len(route) for ending, route in explored.endings.items()}
    return Report(story, random_balance(story, stats, runs, seed), paths, dependence(story, stats), shortest)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m game.authoring.balance", description="Print a Markdown report of a story's stat balance."
    )
    parser.add_argument("story", nargs="?", help="story folder (default: the bundled story)")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help=f"random games (default {DEFAULT_RUNS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"their seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--playthrough", action="append", default=[], type=Path, help="a playthrough file to measure too"
    )
    parser.add_argument("--stat", action="append", default=[], help="measure this variable as a stat (repeatable)")
    args = parser.parse_args(argv)
    from game.bundled import bundled_story_path

    folder = Path(args.story) if args.story else bundled_story_path()
    story = load_story(folder)
    playthroughs = list(args.playthrough)
    if not args.story and not playthroughs:
        playthroughs = sorted((folder / "playthroughs").glob("*.playthrough.yaml"))
    result = report(story, args.runs, args.seed, playthroughs, args.stat)
    sys.stdout.write(result.markdown(BUNDLED_COMMAND if not args.story else "python -m game.authoring.balance …"))
    return 0


#: The command that regenerates docs/balance.md.
BUNDLED_COMMAND = "python -m game.authoring.balance > docs/balance.md"

if __name__ == "__main__":
    raise SystemExit(main())

__all__ = ["Report", "dependence", "main", "path_balance", "pinned", "random_balance", "report"]
