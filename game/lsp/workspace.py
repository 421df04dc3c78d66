"""The stories the server knows: each story folder's loader, last check and index of names.

A `Project` is one story folder (the folder holding story.yaml). It keeps one
`StoryLoader` for the whole session, so a check after an edit compiles the
edited buffer alone (the engine's incremental loading), and the texts the
check saw, so a diagnostic's range is read from the very text it is about.
Its `Index` of names is brought up to date file by file, lazily: only a file
whose text changed is read again, and only when a feature asks for names or
the author pauses, never on the way from a keystroke to its diagnostics.

Nothing here decides whether a story is valid: `check` returns the engine's
diagnostics, and `Background` adds what `million-miles check` adds (authoring
warnings, the explorer's findings).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.errors import Diagnostic
from game.engine.loader import PLAYTHROUGH_SUFFIX, StoryLoader, story_files
from game.engine.model import Story
from game.engine.parts import STORY_FILE
from game.lsp.index import FileIndex, Info, NameKind, Occurrence, index_file


def story_root(path: Path) -> Path | None:
    """The story folder a file belongs to: the nearest folder above it holding story.yaml."""
    for folder in path.parents:
        if (folder / STORY_FILE).is_file():
            return folder
    return None


def is_story_file(rel: str) -> bool:
    """A file the loader reads (story.yaml or a scene file), by its path relative to the story folder."""
    name = rel.rsplit("/", 1)[-1]
    return rel.endswith((".yaml", ".yml")) and not rel.endswith(PLAYTHROUGH_SUFFIX) and not name.startswith(".")


@dataclass
class Check:
    """What one check of a story found: the story (None if it does not load) and the loader's messages."""

    version: int
    story: Story | None
    diagnostics: list[Diagnostic]
    #: Every file the story is made of, story.yaml first (relative paths).
    files: list[str]
    #: The texts this check read, for the files it had to look at (relative path → text).
    texts: dict[str, str] = field(default_factory=dict)


class Project:
    """One story folder, checked and indexed again and again as its files change."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.loader = StoryLoader(root)
        self.version = 0
        self.last: Check | None = None
        #: Relative path → (text, its index).
        self._indexes: dict[str, tuple[str, FileIndex]] = {}
        self._disk: dict[str, tuple[int, int, str]] = {}
        #: A check, and the index, are each brought up to date by one thread at a time; the two
        #: never wait for each other (the index reads files itself), so a keystroke's check never
        #: queues behind the reading of a big file for the index.
        self.check_lock = threading.Lock()
        self.index_lock = threading.Lock()

    @property
    def story(self) -> Story | None:
        return self.last.story if self.last is not None else None

    # ------------------------------------------------------------------ texts

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def text(self, rel: str, overlays: Mapping[str, str]) -> str | None:
        """A file's text: the editor's buffer if it is open, else the file on disk (None: unreadable)."""
        if rel in overlays:
            return overlays[rel]
        path = self.root / rel
        try:
            stat = path.stat()
        except OSError:
            return None
        known = self._disk.get(rel)
        if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        try:
            text = path.read_bytes().decode("utf-8-sig", "replace")
        except OSError:
            return None
        self._disk[rel] = (stat.st_mtime_ns, stat.st_size, text)
        return text

    # ------------------------------------------------------------------ checking

    def check(self, overlays: Mapping[str, str]) -> Check:
        """Load the story with the open buffers in place of their files: the engine's diagnostics."""
        with self.check_lock:
            story, diagnostics = self.loader.load(overlays)
            self.version += 1
            files = [STORY_FILE, *(self.rel(f) for f in story_files(self.root))]
            texts: dict[str, str] = {}
            for rel in {d.loc.path for d in diagnostics if d.loc.line > 0} | set(overlays):
                text = self.text(rel, overlays)
                if text is not None:
                    texts[rel] = text
            self.last = Check(self.version, story, diagnostics, files, texts)
            return self.last

    # ------------------------------------------------------------------ the index

    def playthrough_files(self) -> list[str]:
        """The playthrough files inside the story folder (relative paths)."""
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and d not in ("__pycache__", "node_modules")
            )
            found += [self.rel(Path(dirpath) / f) for f in sorted(filenames) if f.endswith(PLAYTHROUGH_SUFFIX)]
        return found

    def index(self, overlays: Mapping[str, str]) -> Index:
        """The index of every file of the story and of its playthroughs, each read again only if it changed."""
        with self.index_lock:
            # The story's files as they are now (a request may come before the first check).
            files = [STORY_FILE, *(self.rel(f) for f in story_files(self.root))]
            wanted = [*files, *self.playthrough_files()]
            fresh: dict[str, tuple[str, FileIndex]] = {}
            for rel in wanted:
                text = self.text(rel, overlays)
                if text is None:
                    continue
                known = self._indexes.get(rel)
                fresh[rel] = known if known is not None and known[0] == text else (text, index_file(rel, text))
            self._indexes = fresh
            return Index(self.root, {rel: found for rel, (_, found) in fresh.items()}, self._belongs)

    def _belongs(self, found: FileIndex) -> bool:
        """Whether a playthrough plays this story (its `story:` names this folder)."""
        if found.kind != "playthrough":
            return True
        if found.story is None:  # the bundled story
            from game.bundled import bundled_story_path

            return bundled_story_path().resolve() == self.root.resolve()
        return (self.root / found.path).parent.joinpath(found.story).resolve() == self.root.resolve()


class Index:
    """Every name of one story, across its files: what navigation and rename read."""

    def __init__(self, root: Path, files: dict[str, FileIndex], belongs: Callable[[FileIndex], bool]) -> None:
        self.root = root
        #: Only the files that are part of the story or play it: a playthrough of another story is left out.
        self.files = {rel: found for rel, found in files.items() if belongs(found)}

    @property
    def format(self) -> int:
        """The story format's version story.yaml declares (1 when it declares none)."""
        found = self.files.get(STORY_FILE)
        return found.format if found is not None and found.format is not None else 1

    def occurrences(self, kind: NameKind | None = None, name: str | None = None) -> Iterator[Occurrence]:
        for found in self.files.values():
            for occurrence in found.occurrences:
                if (kind is None or occurrence.kind == kind) and (name is None or occurrence.name == name):
                    yield occurrence

    def definitions(self, kind: NameKind, name: str | None = None) -> list[Occurrence]:
        """Where each name of `kind` is defined (scene ids, variables, endings), in file order."""
        return [o for o in self.occurrences(kind, name) if o.definition]

    def names(self, kind: NameKind) -> dict[str, Occurrence]:
        """Each defined name of `kind` with its (first) definition."""
        out: dict[str, Occurrence] = {}
        for occurrence in self.definitions(kind):
            out.setdefault(occurrence.name, occurrence)
        return out

    def info(self, kind: NameKind, name: str) -> Info | None:
        for found in self.files.values():
            known = found.info.get((kind, name))
            if known is not None:
                return known
        return None


def group_by_path(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    out: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        out.setdefault(diagnostic.loc.path, []).append(diagnostic)
    return out
