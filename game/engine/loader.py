"""Load a story folder into a validated `Story`, or report every mistake in it.

The way into the engine for stories. A load reads every file of the folder
once and, for each, takes its compiled part from the first place that has it:

1. the parts of this loader's last load (`StoryLoader` keeps them: `play
   --watch` and the language server edit one file at a time);
2. the cache on disk (`game.engine.cache`), by a key made of the file's bytes;
3. the compiler (`game.engine.compiler`), which reports every mistake of the
   file with its place.

Then `game.engine.story` puts the parts together and runs the checks that need
the whole story. So a story that loaded before costs a read and a hash per
file, and an edit to one file of a big story compiles that file alone. The
compiler, and PyYAML with it, is imported only when a file must be compiled.
"""

from __future__ import annotations

import errno
import gc
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from game.engine import cache
from game.engine.errors import Diagnostic, Diagnostics, Loc, StoryError
from game.engine.expressions import Expression
from game.engine.files import TooLarge, read_limited, walk_files
from game.engine.format import MAX_FILE_BYTES
from game.engine.model import Story
from game.engine.parts import STORY_FILE, Header, Interface, ScenePart
from game.engine.story import Part, link

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

    `use_cache=False` compiles every file and leaves the cache alone.
    """
    return StoryLoader(path, use_cache=use_cache).load()


class StoryLoader:
    """Loads one story folder, again and again, compiling only the files that changed since.

    `load(overlays)` reads the story as it is on disk, except for the files named in
    `overlays` (relative path → text), which are taken as given: an editor's unsaved
    buffers. Parts compiled from an overlay are kept for the next load but never
    written to the cache on disk.
    """

    def __init__(self, root: str | os.PathLike[str], *, use_cache: bool = True) -> None:
        self.root = Path(root)
        self.use_cache = use_cache
        self._kept: dict[str, Header | ScenePart | cache.CachedPart] = {}
        #: What the last load did for each file, for tests and the bench: "kept", "cached" or "compiled".
        self.sources: dict[str, str] = {}

    def load(self, overlays: Mapping[str, str] | None = None) -> tuple[Story | None, list[Diagnostic]]:
        root = self.root
        problem = _folder_problem(root)
        if problem is not None:
            return None, [problem]
        overlays = overlays or {}
        outside = Diagnostics()
        scene_files = [_rel(file, root) for file in story_files(root, outside)]
        kept, self._kept, self.sources = self._kept, {}, {}
        wrote = False
        collecting = gc.isenabled()
        # Compiling allocates many small objects that live as long as the story; the cyclic
        # collector would rescan them over and over for nothing (the model itself is never
        # tracked: see game.engine.model).
        gc.disable()
        try:
            data, problem = _read(root, STORY_FILE, overlays)
            header, wrote_header = self._header(data, problem, kept, STORY_FILE in overlays)
            parts: list[Part] = []
            for rel in scene_files:
                data, problem = _read(root, rel, overlays)
                part, wrote_part = self._scenes(rel, data, problem, header.interface, kept, rel in overlays)
                parts.append(part)
                wrote = wrote or wrote_part
            wrote = wrote or wrote_header
            story, diagnostics = link(root, header, parts, [STORY_FILE, *scene_files], outside.items)
        finally:
            if collecting:
                gc.enable()
        if wrote:
            cache.prune()
        return story, diagnostics

    # ------------------------------------------------------------------ one file

    def _header(
        self, data: bytes | None, problem: Diagnostic | None, kept: Mapping[str, object], overlaid: bool
    ) -> tuple[Header, bool]:
        if data is None:
            from game.engine.compiler import compile_header

            return compile_header(None, problem), False
        key = cache.file_key(STORY_FILE, data)
        found = kept.get(key)
        if isinstance(found, Header):
            self._keep(key, found, STORY_FILE, "kept")
            return found, False
        stored = self._stored(key)
        if stored is not None:
            try:
                header = cache.decode_header(key, stored)
            except cache.UNREADABLE:
                pass
            else:
                self._keep(key, header, STORY_FILE, "cached")
                return header, False
        from game.engine.compiler import compile_header

        header = compile_header(data)
        self._keep(key, header, STORY_FILE, "compiled")
        clean = not header.diagnostics and not header.unreadable
        return header, clean and not overlaid and self._store(key, lambda: cache.encode_header(key, header))

    def _scenes(
        self,
        rel: str,
        data: bytes | None,
        problem: Diagnostic | None,
        interface: Interface,
        kept: Mapping[str, object],
        overlaid: bool,
    ) -> tuple[Part, bool]:
        if data is None:
            from game.engine.compiler import compile_scenes

            return compile_scenes(rel, None, interface, problem), False
        key = cache.file_key(rel, data, interface)
        found = kept.get(key)
        if isinstance(found, (ScenePart, cache.CachedPart)):
            self._keep(key, found, rel, "kept")
            return found, False

        def compile_again() -> ScenePart:
            from game.engine.compiler import compile_scenes

            part = compile_scenes(rel, data, interface)
            if part.clean and not overlaid:
                self._store(key, lambda: cache.encode_scenes(key, part))
            return part

        stored = self._stored(key)
        if stored is not None:
            try:
                cached = cache.decode_scenes(key, stored, compile_again)
            except cache.UNREADABLE:
                pass
            else:
                self._keep(key, cached, rel, "cached")
                return cached, False
        from game.engine.compiler import compile_scenes

        part = compile_scenes(rel, data, interface)
        self._keep(key, part, rel, "compiled")
        return part, part.clean and not overlaid and self._store(key, lambda: cache.encode_scenes(key, part))

    def _keep(self, key: str, part: Header | ScenePart | cache.CachedPart, rel: str, how: str) -> None:
        self._kept[key] = part
        self.sources[rel] = how

    def _stored(self, key: str) -> bytes | None:
        return cache.read(key) if self.use_cache else None

    def _store(self, key: str, entry: Callable[[], bytes]) -> bool:
        """Write a part's cache entry; a part that cannot be encoded is simply not cached."""
        if not self.use_cache:
            return False
        try:
            data = entry()
        except cache.UNENCODABLE:
            return False
        return cache.write(key, data)


def _folder_problem(root: Path) -> Diagnostic | None:
    """Why `root` is not a story folder at all, or None."""
    if not root.is_dir():
        what = (
            "story folder does not exist"
            if not root.exists()
            else "this is a file, not a folder: a story is a folder holding story.yaml and scene files"
        )
        return Diagnostic(Loc(str(root), 0, 0), what, "error", "no-story")
    story_path = root / STORY_FILE
    try:
        os.stat(story_path)
    except OSError as exc:
        if exc.errno != errno.ELOOP and (root / "story.yml").is_file():
            return Diagnostic(
                Loc("story.yml", 0, 0),
                f"the story's own file must be named {STORY_FILE} (scene files may end in .yml, it may not):"
                f" rename story.yml to {STORY_FILE}",
                "error",
                "no-story",
            )
        if exc.errno != errno.ELOOP:  # a link that loops is there, and reading it will say what is wrong
            return Diagnostic(
                Loc(STORY_FILE, 0, 0),
                f"file not found: every story folder needs a {STORY_FILE} (title, start, variables, endings)",
                "error",
                "no-story",
            )
    if not _inside(_resolved(story_path), root.resolve()):
        return Diagnostic(
            Loc(STORY_FILE, 0, 0), "story.yaml links outside the story folder and was not read", "error", "outside"
        )
    return None


def _read(root: Path, rel: str, overlays: Mapping[str, str]) -> tuple[bytes | None, Diagnostic | None]:
    """A story file's bytes (an overlay's text, if given), or why it cannot be read."""
    if rel in overlays:
        return overlays[rel].encode("utf-8", "surrogatepass"), None
    return read_file(root / rel, rel)


def read_file(path: Path, shown: str, what: str = "story files") -> tuple[bytes | None, Diagnostic | None]:
    """A YAML file's bytes, or the located reason it cannot be read: only a regular file, its size
    checked before a byte is read (`game.engine.files`)."""
    try:
        return read_limited(path, MAX_FILE_BYTES), None
    except TooLarge as exc:
        message = f"file is {exc.size:,} bytes; {what} may be at most {MAX_FILE_BYTES:,} bytes"
        return None, Diagnostic(Loc(shown, 0, 0), message, "error", "too-large")
    except OSError as exc:
        return None, Diagnostic(Loc(shown, 0, 0), f"cannot read file: {exc.strerror or exc}", "error", "unreadable")


def story_files(root: Path, diags: Diagnostics | None = None) -> list[Path]:
    """Every scene file of the story at `root`, sorted, confined to the folder.

    Hidden folders and `__pycache__` are skipped, links to folders are not followed, and a
    folder that cannot be read or lies too deep is reported (`game.engine.files.walk_files`).
    """
    real_root = root.resolve()
    found: list[Path] = []

    def refused(folder: Path, reason: str) -> None:
        if diags is not None:
            diags.error(Loc(_rel(folder, root), 0, 0), reason, "unreadable")

    def wanted(folder: str) -> bool:
        return not folder.startswith(".") and folder != "__pycache__"

    for file in walk_files(root, wanted, refused):
        name = file.name
        if not name.endswith((".yaml", ".yml")) or name.startswith(".") or name.endswith(PLAYTHROUGH_SUFFIX):
            continue
        if file.parent == root and name == STORY_FILE:
            continue
        if file.is_symlink() and not _inside(_resolved(file), real_root):
            if diags is not None:
                diags.error(
                    Loc(_rel(file, root), 0, 0), "this file links outside the story folder and was not read", "outside"
                )
            continue
        found.append(file)
    return found


def _resolved(path: Path) -> Path:
    """Where a link leads; a link that loops is taken as staying where it is (reading it says what is wrong)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


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
        yield from scene.expressions()
