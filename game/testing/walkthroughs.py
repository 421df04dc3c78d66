"""Write the explorer's shortest route to each ending as a playthrough file that passes.

A walkthrough is a regression test an author gets for free: once written, a
change that breaks the way to an ending fails `million-miles test`. Steps name
choices by their visible text (what an author reads and edits), falling back
to the number only where the text would not pick that choice out. A move that
draws chance fixes what it drew (`draws:`), so the file takes the explorer's
way whatever the seed; a scene that asks for a text is answered as the
explorer answered it, with the input's default (`type:`).
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from game.engine.explore import ExhaustiveResult, Route
from game.engine.model import Story
from game.engine.runtime import Game, Move
from game.testing.playthrough import SUFFIX
from game.testing.runner import matching_options

HEADER = "# Written by `million-miles explore --write-walkthroughs`: the shortest way to this ending.\n"


def walkthrough_steps(story: Story, route: Route, ending: str) -> list[dict[str, object]]:
    """The route as playthrough steps: `choose` by text (or number where text is ambiguous), or `type`
    where the scene asks for a text, each with the `draws` its move made; then `expect`."""
    game = Game(story)
    steps: list[dict[str, object]] = []
    for at, move in enumerate(route.moves):
        draws = list(route.draws[at]) if at < len(route.draws) else []
        step: dict[str, object]
        if isinstance(move, str) or game.asks:
            scene_input = game.scene.input
            answer = move if isinstance(move, str) else scene_input.default if scene_input is not None else ""
            step = {"type": answer}
            made: Move = answer
        else:
            options = game.options
            option = options[move - 1]
            unique = matching_options(options, option.text) == [option]
            step = {"choose": option.text if unique else move}
            made = move
        if draws:
            step["draws"] = draws
        steps.append(step)
        game.move(made, draws or None)
    steps.append({"expect": {"ending": ending}})
    return steps


def walkthrough_text(story: Story, route: Route, ending: str, story_ref: str | None) -> str:
    """The YAML of one walkthrough file; `story_ref` is the story folder relative to the file (None: bundled)."""
    lines = [HEADER.rstrip("\n"), f"name: {_scalar(f'The shortest way to {story.endings[ending].title} ({ending})')}"]
    if story_ref is not None:
        lines.append(f"story: {_scalar(story_ref)}")
    lines.append("steps:")
    for step in walkthrough_steps(story, route, ending):
        if "expect" in step:
            lines.append(f"  - expect: {{ending: {_scalar(ending)}}}")
            continue
        action = "choose" if "choose" in step else "type"
        lines.append(f"  - {action}: {_scalar(step[action])}")
        if "draws" in step:
            lines.append(f"    draws: {_scalar(step['draws'])}")
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str:
    """One YAML scalar, plain where YAML reads it back unchanged, quoted where it would not."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def write_walkthroughs(result: ExhaustiveResult, folder: Path, story_folder: Path | None) -> list[Path]:
    """Write `ENDING.playthrough.yaml` into `folder` for every ending reached; return the files written.

    `story_folder` is the story explored, or None for the bundled story (then
    the files name no story and run against the bundled one wherever they are).
    """
    folder.mkdir(parents=True, exist_ok=True)
    reference = None
    if story_folder is not None:
        reference = Path(os.path.relpath(story_folder.resolve(), folder.resolve())).as_posix()
    written = []
    for ending, route in result.endings.items():
        path = folder / f"{ending}{SUFFIX}"
        path.write_text(walkthrough_text(result.story, route, ending, reference), encoding="utf-8")
        written.append(path)
    return written
