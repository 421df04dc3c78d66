"""Load a story folder into a validated `Story`, or report every mistake in it.

The entry point of the engine for stories, with three ways in, fastest first:

1. An unchanged story that loaded cleanly before comes back from the cache
   (`game.engine.cache`), unchecked: it was checked when it was stored.
2. A story written in plain YAML with no mistake is checked by
   `game.engine.quick_compiler`, which stops at the first doubt.
3. Anything else goes through `game.engine.compiler`, which reads the YAML
   with libyaml and reports every mistake with its place.

The compilers (and PyYAML with them) are imported only on a cache miss, so
starting the game on a story it has seen costs neither.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from pathlib import Path

from game.engine import cache
from game.engine.errors import Diagnostic, Diagnostics, Loc, StoryError
from game.engine.expressions import Expression
from game.engine.format import MAX_FILE_BYTES
from game.engine.model import Story

STORY_FILE = "story.yaml"
PLAYTHROUGH_SUFFIX = ".playthrough.yaml"


def load_story(path: str | os.PathLike[str]) -> Story:
    """Load and validate the story folder at `path`; raise `StoryError` listing every mistake."""
    story, diagnostics = load_story_with_diagnostics(path)
    if story is None:
        raise StoryError(diagnostics)
    return story


def load_story_with_diagnostics(
    path: str | os.PathLike[str], *, use_cache: bool = True
) -> tuple[Story | None, list[Diagnostic]]:
    """Like `load_story`, but return `(story or None, all diagnostics sorted)`.

    A story that loaded cleanly before, unchanged since, comes from the cache
    (`game.engine.cache`) without being validated again; `use_cache=False`
    always reads and checks every file (and leaves the cache alone).
    """
    root = Path(path)
    sources = _read_sources(root)
    key = cache.story_key(sources) if sources is not None and use_cache and cache.cache_dir() is not None else None
    if key is not None:
        cached = cache.read(key, root)
        if cached is not None:
            return cached, []
    # Loading allocates many small acyclic objects (nodes, locations, model
    # objects); the cyclic collector would rescan them over and over for
    # nothing, which made loading a 10,000-scene story superlinear.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if sources is not None:
            from game.engine.quick_compiler import compile_quickly

            quick = compile_quickly(root, sources)
            if quick is not None:
                if key is not None:
                    cache.write(key, quick.encode)
                return quick.story, []
        from game.engine.compiler import StoryCompiler

        loader = StoryCompiler(root)
        story = loader.run()
        diagnostics = loader.diags.sorted()
        if loader.diags.has_errors:
            return None, diagnostics
        if key is not None and story is not None and not diagnostics:
            cache.write(key, lambda: cache.dumps(story))
        del loader  # its YAML trees go now, while the collector is still paused
    finally:
        if collecting:
            gc.enable()
    return story, diagnostics


def _read_sources(root: Path) -> list[tuple[str, bytes]] | None:
    """Every file of the story at `root` (story.yaml first) as (relative path, bytes).

    None when anything about the folder needs the careful loader's word (no
    story.yaml, a link outside the folder, a file too large or unreadable): it
    reads the files again itself and says what is wrong.
    """
    story_path = root / STORY_FILE
    try:
        if not story_path.is_file() or not _inside(story_path.resolve(), root.resolve()):
            return None
        refused = Diagnostics()
        files = [story_path, *story_files(root, refused)]
        if refused.items:
            return None
        contents = []
        for file in files:
            data = file.read_bytes()
            if len(data) > MAX_FILE_BYTES:
                return None
            contents.append((_rel(file, root), data))
    except OSError:
        return None
    return contents


def story_files(root: Path, diags: Diagnostics | None = None) -> list[Path]:
    """Every scene file of the story at `root`, sorted, confined to the folder."""
    real_root = root.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            if name.endswith(PLAYTHROUGH_SUFFIX):
                continue
            file = Path(dirpath) / name
            if file.parent == root and name == STORY_FILE:
                continue
            if file.is_symlink() and not _inside(file.resolve(), real_root):
                if diags is not None:
                    diags.error(
                        Loc(_rel(file, root), 0, 0),
                        "this file links outside the story folder and was not read",
                        "outside",
                    )
                continue
            found.append(file)
    return found


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _rel(file: Path, root: Path) -> str:
    return file.relative_to(root).as_posix()


def iter_expressions(story: Story) -> Iterable[tuple[Expression, Loc]]:
    """Every expression of a loaded story with its place (for the checker)."""
    for scene in story.scenes.values():
        for paragraph in scene.paragraphs:
            if paragraph.condition is not None:
                yield paragraph.condition, paragraph.loc
        for branch in scene.goto or ():
            if branch.condition is not None:
                yield branch.condition, branch.loc
        for choice in scene.choices or ():
            if choice.condition is not None:
                yield choice.condition, choice.loc
            for assignment in choice.sets:
                yield assignment.value, assignment.loc
            for branch in choice.goto:
                if branch.condition is not None:
                    yield branch.condition, branch.loc
