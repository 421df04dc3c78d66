"""`million-miles explore [PATH]`: random and exhaustive exploration of a story.

Everything printed is deterministic for a given story and options (the one
exception is the measured speed of random playthroughs), so two runs can be
diffed; `--json` prints the same facts for machines, and is what
`million-miles graph --coverage` reads.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from game.commands.common import EXIT_FAILED, EXIT_OK, add_story_argument, load_or_report
from game.engine.explore import DEFAULT_MAX_STATES
from game.present.diagnostics import located, place
from game.present.words import plural

if TYPE_CHECKING:
    from game.engine.errors import Diagnostic
    from game.engine.explore import ExhaustiveResult, RandomResult
    from game.engine.model import Story


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "explore",
        help="explore every path of a story (or random ones) and report what is never reached",
        description="Explore a story without playing it. --exhaustive (the default) searches every reachable "
        "state: every ending with the shortest path to it, scenes no path reaches, choices never offered, "
        "dead ends and loops no ending can be reached from. --random N plays N random playthroughs "
        "and counts what they reach. Exit status: 0, or 1 if a dead end or inescapable loop was found "
        "or the story has errors.",
    )
    add_story_argument(p)
    p.add_argument("--exhaustive", action="store_true", help="search every reachable state (the default)")
    p.add_argument("--random", type=_positive, metavar="N", help="play N random playthroughs")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="seed for --random (default: 1)")
    p.add_argument(
        "--max-states",
        type=_positive,
        default=DEFAULT_MAX_STATES,
        metavar="N",
        help=f"stop the exhaustive search after N distinct states (default: {DEFAULT_MAX_STATES:,})",
    )
    p.add_argument(
        "--write-walkthroughs",
        type=Path,
        metavar="DIR",
        help="write the shortest path to each ending into DIR as a playthrough file (implies --exhaustive)",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.engine.explore import explore_exhaustive, explore_random

    story = load_or_report(args.path, "explore")
    if story is None:
        return EXIT_FAILED
    exhaustive = args.exhaustive or args.write_walkthroughs is not None or args.random is None
    failed = False
    report: dict[str, object] = {}
    out: list[str] = []
    if args.random is not None:
        result = explore_random(story, args.random, args.seed)
        failed |= bool(result.dead_ends)
        if args.json:
            report["random"] = {"mode": "random", **result.as_json()}
        else:
            out += _random_text(result, args.path)
    if exhaustive:
        found = explore_exhaustive(story, args.max_states)
        findings = found.diagnostics()
        failed |= any(d.severity == "error" for d in findings)
        report["exhaustive"] = {"mode": "exhaustive", **found.as_json()}
        if args.random is not None:
            out.append("")
        out += _exhaustive_text(found, findings, args.path)
        if args.write_walkthroughs is not None:
            from game.testing.walkthroughs import write_walkthroughs

            written = write_walkthroughs(found, args.write_walkthroughs, args.path)
            report["exhaustive"]["walkthroughs"] = [p.as_posix() for p in written]  # type: ignore[index]
            out.append("")
            out += [f"wrote {p.as_posix()}" for p in written] or ["no ending is reached: no walkthrough written"]
    if args.json:
        data = next(iter(report.values())) if len(report) == 1 else {"mode": "both", **report}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print("\n".join(out))
    return EXIT_FAILED if failed else EXIT_OK


def _exhaustive_text(result: ExhaustiveResult, findings: list[Diagnostic], user_path: Path | None) -> list[str]:
    story = result.story
    if result.complete:
        state = "complete"
    elif result.chance_bound is not None:
        state = f"STOPPED: a move from scene '{result.chance_bound}' draws more outcomes than it tries (partial)"
    else:
        state = f"STOPPED at the bound of {result.max_states:,} states (partial)"
    tracked = ", ".join(result.control) or "none"
    lines = [
        f"{story.title}: exhaustive exploration",
        f"  {result.states:,} states, {result.moves:,} moves: {state}",
        f"  variables that decide the way: {tracked}",
        "",
        f"Endings reached: {len(result.endings)} of {len(story.endings)}",
    ]
    for ending, route in result.endings.items():
        lines.append(f"  {ending} ({story.endings[ending].title}): shortest path {plural(len(route), 'choice')}")
        lines += textwrap.wrap(
            route.describe(), 100, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
        )
    for ending in result.unreached_endings:
        lines.append(
            f"  {ending} ({story.endings[ending].title}): {'never reached' if result.complete else 'not reached'}"
        )
    calls = _calls_in(story) or result.no_caller or result.too_deep
    if result.complete:
        lines += [
            "",
            f"Scenes never reached: {len(result.unreachable_scenes)}",
            f"Choices never offered: {len(result.never_offered)}",
            f"Dead ends: {len(result.dead_ends)}",
            f"Inescapable loops: {len(result.loops)}",
        ]
        if calls:
            lines += [
                f"Returns with no call to return to: {len(result.no_caller)}",
                f"Calls nested too deep: {len(result.too_deep)}",
            ]
    else:
        why = (
            "a move draws from too wide a range (draw from a smaller one)"
            if result.chance_bound is not None
            else "the search stopped early (raise --max-states)"
        )
        lines += ["", f"Dead ends found so far: {len(result.dead_ends)}"]
        if calls:
            lines += [
                f"Returns with no call to return to, so far: {len(result.no_caller)}",
                f"Calls nested too deep, so far: {len(result.too_deep)}",
            ]
        lines.append(f"Unreached scenes, choices and endings and inescapable loops are not known: {why}.")
    if findings:
        lines.append("")
        lines += [located(d, user_path) for d in findings]
    errors = sum(d.severity == "error" for d in findings)
    lines += ["", f"{plural(errors, 'error')}, {plural(len(findings) - errors, 'warning')}"]
    return lines


def _calls_in(story: Story) -> bool:
    """Whether the story calls subroutines (or has scenes that return from one)."""
    return any(
        scene.call is not None or scene.returns or any(c.call is not None for c in scene.choices or ())
        for scene in story.scenes.values()
    )


def _random_text(result: RandomResult, user_path: Path | None) -> list[str]:
    story = result.story
    lines = [
        f"{story.title}: {result.runs:,} random playthroughs (seed {result.seed})",
        f"  {result.choices:,} choices in {result.seconds:.2f}s: {result.choices_per_second:,.0f} choices/second",
        "",
        "Endings:",
    ]
    width = max((len(e) for e in story.endings), default=0)
    for ending, count in result.ending_counts.items():
        share = 100 * count / result.runs
        lines.append(f"  {ending:<{width}}  {count:>{len(str(result.runs))}}  ({share:.1f}%)")
    if result.dead_ends:
        lines.append(f"Stopped at a dead end: {sum(result.dead_ends.values()):,}")
        width = max(len(s) for s in result.dead_ends)
        lines += [f"  {s:<{width}}  {n}" for s, n in result.dead_ends.items()]
    if result.stuck:
        lines.append(f"Stopped after {result.max_steps:,} choices without an ending: {result.stuck:,}")
    lines += ["", f"Scenes never reached: {len(result.unreached_scenes)}"]
    lines += [f"  {place(story.scene_loc(s), user_path)}: {s}" for s in result.unreached_scenes]
    unmade = result.unmade_in_reached
    lines.append(f"Choices never made in the scenes reached: {len(unmade)}")
    lines += [f'  {place(c.loc, user_path)}: "{c.text.source}" in {c.scene}' for c in unmade]
    never = result.unreached_endings
    lines.append(f"Endings never reached: {len(never)}")
    lines += [f"  {place(story.endings[e].loc, user_path)}: {e}" for e in never]
    return lines
