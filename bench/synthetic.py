"""The peers' synthetic story, turned into our story format.

`gen_story.py` (shared with the ink runtimes) prints one scene a line as JSON;
we write the same story as a story folder: `story.yaml` plus scene files of
`SCENES_PER_FILE` scenes each, the way an author would split a big story. The
text is the ink version's, word for word, so both sides render the same line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

SCENES_PER_FILE = 250

STORY_YAML = """\
title: Synthetic {n}
start: k0
variables:
  applications: {{default: 0, label: Applications}}
  resolve: {{default: 5, label: Resolve}}
endings:
  end: {{title: The End, description: One of the last three scenes.}}
"""

TEXT = "Scene {i}. You have sent {{applications}} applications and your resolve is {{resolve}}."


def generator_path(repo: Path) -> Path:
    """Where the peers keep `gen_story.py`: `../shared/peers` beside the repository."""
    return repo.resolve().parent / "shared" / "peers" / "gen_story.py"


def generate(gen_story: Path, n: int, ink: bool = False) -> str:
    """Run the peers' generator (the single source of the story's shape)."""
    args = [sys.executable, str(gen_story), str(n)] + (["--ink"] if ink else [])
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def parse_lines(text: str) -> Iterator[dict]:
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


def _quote(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid double-quoted YAML scalar


def scene_yaml(scene: dict) -> list[str]:
    """One scene as YAML lines (indented under `scenes:`)."""
    sid: str = scene["id"]
    lines = [f"  {sid}:", f"    text: {_quote(TEXT.format(i=sid[1:]))}"]
    if scene["ending"]:
        lines.append("    ending: end")
        return lines
    lines.append("    choices:")
    for choice in scene["choices"]:
        lines.append(f"      - text: {_quote(choice['text'])}")
        if choice["if"]:
            lines.append(f"        if: {choice['if']}")
        var, op, k = choice["set"]
        lines.append(f"        set: {{{var}: {var} {op} {k}}}")
        lines.append(f"        goto: {choice['goto']}")
    return lines


def write_story(scenes: Iterable[dict], folder: Path, per_file: int = SCENES_PER_FILE) -> Path:
    """Write the scenes as a story folder at `folder` (replacing its YAML files); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    chunk: list[str] = []
    count = files = 0

    def flush() -> None:
        nonlocal chunk, files
        if chunk:
            (folder / f"part_{files:04d}.yaml").write_text("scenes:\n" + "\n".join(chunk) + "\n", encoding="utf-8")
            files += 1
            chunk = []

    for scene in scenes:
        chunk.extend(scene_yaml(scene))
        count += 1
        if count % per_file == 0:
            flush()
    flush()
    (folder / "story.yaml").write_text(STORY_YAML.format(n=count), encoding="utf-8")
    return folder


LOOP_STORY_YAML = """\
title: Loop {n}
start: r0
variables:
  applications: {{default: 0, label: Applications}}
  resolve: {{default: 5, label: Resolve, min: 0, max: 9}}
"""


def write_loop_story(folder: Path, n: int = 50) -> Path:
    """A ring of `n` scenes with the synthetic story's three choices and no ending,
    so one game can go on for as many choices as a long-play measurement needs."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["scenes:"]
    for i in range(n):
        lines += [
            f"  r{i}:",
            f"    text: {_quote(f'Lap scene {i}. You have sent {{applications}} applications; resolve {{resolve}}.')}",
            "    choices:",
            "      - text: Apply again",
            "        set: {applications: applications + 1}",
            f"        goto: r{(i + 1) % n}",
            "      - text: Push on",
            "        if: resolve > 2",
            "        set: {resolve: resolve - 1}",
            f"        goto: r{(i + 2) % n}",
            "      - text: Rest",
            "        set: {resolve: resolve + 1}",
            f"        goto: r{(i + 3) % n}",
        ]
    (folder / "ring.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "story.yaml").write_text(LOOP_STORY_YAML.format(n=n), encoding="utf-8")
    return folder


STORY_YAML_2 = """\
format: 2
title: Synthetic {n}, format 2
start: k0
variables:
  applications: {{default: 0, label: Applications}}
  resolve: {{default: 5, label: Resolve}}
  luck: 0
  kit: {{default: [], label: Kit}}
endings:
  end: {{title: The End, description: One of the last three scenes.}}
"""

TEXT_2 = (
    "Scene {i}. You have sent {{applications}} applications and your resolve is {{resolve}}."
    "{{if luck > 4: Luck is with you.}} {{if 'water' in kit: You carry {{count(kit)}} things.}}"
)

REST_SCENE = """\
  rest:
    set:
      resolve: resolve + 1
      kit: "kit + 'water'"
    text: "You rest{once: for the first time | }. Your kit: {kit}."
    return: true
"""


def scene_yaml_2(scene: dict) -> list[str]:
    """One scene of the format-2 synthetic story: the same shape as format 1's, with a draw on
    every "Apply again", a shared subroutine for "Rest", a set of strings, and text in braces."""
    sid: str = scene["id"]
    lines = [f"  {sid}:", f"    text: {_quote(TEXT_2.format(i=sid[1:]))}"]
    if scene["ending"]:
        lines.append("    ending: end")
        return lines
    lines.append("    choices:")
    apply, push, rest = scene["choices"]
    lines += [
        f"      - text: {_quote(apply['text'])}",
        "        set:",
        "          applications: applications + 1",
        "          luck: random(1, 6)",
        f"        goto: {apply['goto']}",
        f"      - text: {_quote(push['text'])}",
        f"        if: {push['if']}",
        "        set: {resolve: resolve - 1}",
        f"        goto: {push['goto']}",
        f"      - text: {_quote(rest['text'])}",
        "        call: rest",
        f"        then: {rest['goto']}",
    ]
    return lines


def write_story_2(scenes: Iterable[dict], folder: Path, per_file: int = SCENES_PER_FILE) -> Path:
    """The synthetic story in format 2 (see `scene_yaml_2`), as a story folder at `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    chunks: list[list[str]] = [[]]
    for scene in scenes:
        if len(chunks[-1]) and len(chunks[-1]) % per_file == 0:
            chunks.append([])
        chunks[-1].append("\n".join(scene_yaml_2(scene)))
    count = sum(len(c) for c in chunks)
    for index, chunk in enumerate(chunks):
        extra = REST_SCENE if index == 0 else ""
        (folder / f"part_{index:04d}.yaml").write_text("scenes:\n" + extra + "\n".join(chunk) + "\n", encoding="utf-8")
    (folder / "story.yaml").write_text(STORY_YAML_2.format(n=count), encoding="utf-8")
    return folder
