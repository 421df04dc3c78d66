"""Reading files from strangers: only regular files, their size checked before a byte is read.

Story folders and save folders come from anyone, and a name ending in `.yaml`
or `.json` says nothing about what is behind it. Every file the engine reads
(story files, playthroughs, saves, the endings record, settings) is opened
here: without blocking (a FIFO would otherwise wait for a writer for ever),
checked to be a regular file on the open descriptor (so a swap between a check
and the read cannot fool it), its size taken from `fstat` (a sparse 8 GB file
is refused at once, not read), and read no further than the limit.

`walk_files` lists a folder tree the same careful way: without following links
to folders, to a bounded depth, reporting a folder it cannot read instead of
skipping it silently.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

#: Folders below a story folder deeper than this are not read (no story needs it; a trap might).
MAX_FOLDER_DEPTH = 32


class NotAFile(OSError):
    """The name is not a regular file (a FIFO, a device, a socket, a folder)."""


class TooLarge(OSError):
    """The file is larger than the caller allows; `size` says how large it is."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size:,} bytes, more than {limit:,}")
        self.size = size
        self.limit = limit


def read_limited(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises `NotAFile` (a link too, when `follow_links` is false), `TooLarge` (from the
    size `fstat` reports, before reading, or when the file grew past the limit while it
    was read) or another `OSError`.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        if path.is_symlink():
            raise NotAFile("a link, not a file")
        flags |= getattr(os, "O_NOFOLLOW", 0)  # and if it became a link since: refused by the system
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(f"{_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(total, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def walk_files(
    root: Path,
    keep_folder: Callable[[str], bool],
    on_error: Callable[[Path, str], None],
    max_depth: int = MAX_FOLDER_DEPTH,
) -> Iterator[Path]:
    """Every name below `root` that is not a folder, sorted, folder by folder (depth first, as `os.walk`).

    Folders are entered only when `keep_folder(name)` says so, never through a link, and
    no deeper than `max_depth`; a folder that cannot be listed, or one too deep, is told
    to `on_error(folder, reason)` and not read.
    """
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            on_error(folder, f"cannot read folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                if keep_folder(entry.name):
                    subfolders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        for sub in reversed(subfolders):
            if depth + 1 > max_depth:
                on_error(sub, f"folder nested more than {max_depth} levels deep below the story folder: not read")
                continue
            stack.append((sub, depth + 1))
