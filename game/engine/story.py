"""Put a story together from its compiled files, with the checks that need the whole story.

Each file is compiled alone (`game.engine.compiler`); what only the whole
story can answer is answered here, once, over the parts: a scene id defined
twice, the scenes that gotos, branches and `visits()` name, the start scene,
and a story with no scene at all. A part read back from the cache takes the
same checks as a part just compiled, so an edit to one file is checked
against every other file without compiling them again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from game.engine.errors import Diagnostic, Diagnostics, Loc, did_you_mean
from game.engine.model import Scene, Story
from game.engine.parts import STORY_FILE, Entry, Header, Pending, Reference


class Part(Protocol):
    """A compiled scene file, fresh from the compiler or read back from the cache."""

    @property
    def path(self) -> str: ...

    @property
    def unreadable(self) -> bool: ...

    @property
    def diagnostics(self) -> Sequence[Diagnostic]:
        """Messages about the file itself rather than one of its scenes."""
        ...

    @property
    def clean(self) -> bool:
        """No message at all, in the file or in any of its scenes."""
        ...

    @property
    def ids(self) -> Sequence[str]:
        """Every scene id the file defines, in order."""
        ...

    @property
    def locs(self) -> Sequence[Loc]:
        """Where each id is written."""
        ...

    @property
    def broken(self) -> frozenset[int]:
        """The positions of ids whose value is not a scene (not a mapping)."""
        ...

    @property
    def targets(self) -> frozenset[str]:
        """Every scene id its scenes name: when all exist, nothing more needs looking at."""
        ...

    @property
    def entries(self) -> Sequence[Entry]:
        """Every scene id written, with its scene, messages and references."""
        ...

    def scene(self, index: int) -> Scene:
        """The scene of the id at `index`."""
        ...


def link(
    root: Path, header: Header, parts: Sequence[Part], files: Sequence[str], outside: Sequence[Diagnostic] = ()
) -> tuple[Story | None, list[Diagnostic]]:
    """The story of `header` and `parts` (in file order), or None; and every message, sorted.

    `files` are the story's files as read (story.yaml first); `outside` the files
    that were refused before they were read (a link out of the folder).
    """
    diags = Diagnostics()
    diags.extend(header.diagnostics)
    diags.extend(outside)
    # Scenes may hide in a file that could not be read (story.yaml defines none).
    unreadable = bool(outside or any(p.unreadable for p in parts))
    # Which definition of each id counts: the first that is a scene. An id whose first
    # definition is broken (not a mapping) may still be defined as a scene later.
    scenes: dict[str, tuple[int, int]] = {}
    broken: set[str] = set()
    skipped: set[tuple[int, int]] = set()
    for p, part in enumerate(parts):
        diags.extend(part.diagnostics)
        bad = part.broken
        for e, scene_id in enumerate(part.ids):
            if scene_id in scenes:
                q, f = scenes[scene_id]
                here, there = part.locs[e], parts[q].locs[f]
                diags.error(here, f"duplicate scene id '{scene_id}' (also defined at {there})", "duplicate-scene")
                diags.error(there, f"duplicate scene id '{scene_id}' (also defined at {here})", "duplicate-scene")
                skipped.add((p, e))
            elif e in bad:
                broken.add(scene_id)
            else:
                scenes[scene_id] = (p, e)
    for p, part in enumerate(parts):
        if part.clean and part.targets <= scenes.keys() and not any(q == p for q, _ in skipped):
            continue  # the usual case: nothing in it to report
        for e, entry in enumerate(part.entries):
            if (p, e) in skipped:
                continue  # a second definition: only the first counts, its body is not looked at
            diags.extend(entry.diagnostics)
            _check_references(entry.references, scenes, broken, unreadable, diags, header.endings)
            _pending(entry.pending, scenes, diags)
    start = header.start
    if start is not None and header.start_at is not None and start not in scenes and start not in broken and scenes:
        hint = did_you_mean(start, scenes)
        diags.error(header.start_at, f"start scene '{start}' does not exist{hint}", "unknown-scene")
    if not scenes and not broken and header.parsed and not unreadable and not any(p.diagnostics for p in parts):
        diags.error(
            Loc(STORY_FILE), "the story has no scenes: add a scene file (any *.yaml beside story.yaml)", "no-scenes"
        )
    diagnostics = diags.sorted()
    if diags.has_errors or header.title is None or start is None:
        return None, diagnostics
    story = Story(
        title=header.title,
        start=start,
        root=root,
        variables=header.variables,
        endings=header.endings,
        scenes=Scenes(parts),
        files=tuple(files),
        start_loc=header.start_loc or Loc(STORY_FILE),
        format=header.format,
    )
    return story, diagnostics


def _check_references(
    references: Sequence[Reference],
    scenes: Mapping[str, object],
    broken: set[str],
    unreadable: bool,
    diags: Diagnostics,
    endings: Mapping[str, object],
) -> None:
    for ref in references:
        if ref.target in scenes:
            continue
        if unreadable or ref.target in broken:  # already reported where it is defined (or cannot be known)
            continue
        hint = did_you_mean(ref.target, scenes)
        if not hint and ref.target in endings:
            hint = f"; '{ref.target}' is an ending: to end the story there, go to a scene with 'ending: {ref.target}'"
        where = " in visits()" if ref.visits else ""
        diags.error(ref.loc, f"unknown scene '{ref.target}'{where}{hint}", "unknown-scene")


def _pending(pending: Sequence[Pending], scenes: Mapping[str, object], diags: Diagnostics) -> None:
    for waiting in pending:
        if all(scene in scenes for scene in waiting.scenes):
            diags.items.append(waiting.diagnostic)


class Scenes(Mapping[str, Scene]):
    """The scenes of a story, in the author's order, from its parts: each part gives its scenes
    as they are asked for (a part read from the cache decodes them then)."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self._where: dict[str, tuple[Part, int]] = {}
        for part in parts:  # a story that loads has each id once
            for index, scene_id in enumerate(part.ids):
                self._where[scene_id] = (part, index)

    def __getitem__(self, scene_id: str) -> Scene:
        part, index = self._where[scene_id]  # KeyError for a scene that is not there, as a dict
        return part.scene(index)

    def loc(self, scene_id: str) -> Loc:
        """Where the scene's id is written, without building the scene (a report listing thousands of
        scenes by place need not decode them)."""
        part, index = self._where[scene_id]
        return part.locs[index]

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __repr__(self) -> str:
        return f"Scenes({len(self)} scenes)"
