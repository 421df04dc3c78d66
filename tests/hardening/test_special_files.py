"""Files are checked before they are read: special files, huge sparse files, link loops, deep and unreadable folders.

Each case runs the real command in a process of its own with a time limit: a hang fails
the test instead of hanging the suite. None may end in a traceback or "internal error".
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.engine.files import walk_files
from game.engine.loader import load_story_with_diagnostics

SCENES = "scenes:\n  a:\n    text: Hello.\n    ending: done\n"


def check(root: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "game", "check", str(root)], capture_output=True, text=True, timeout=timeout
    )
    assert time.monotonic() - started < timeout
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


@pytest.fixture
def root(make_story) -> Path:
    return make_story({"scenes.yaml": SCENES})


def test_a_fifo_named_like_a_story_file_is_refused_without_waiting(root):
    os.mkfifo(root / "chapter2.yaml")
    done = check(root)
    assert done.returncode == 1
    assert "chapter2.yaml: error: cannot read file: a FIFO (named pipe), not a regular file" in done.stdout


def test_a_fifo_as_story_yaml_is_refused_without_waiting(root):
    (root / "story.yaml").unlink()
    os.mkfifo(root / "story.yaml")
    done = check(root)
    assert done.returncode == 1 and "story.yaml: error: cannot read file: a FIFO" in done.stdout


def test_a_huge_sparse_file_is_refused_by_its_size_before_a_byte_is_read(root):
    with open(root / "huge.yaml", "wb") as handle:
        handle.truncate(8 * 1024**3)  # 8 GB of nothing, on disk in no time
    started = time.monotonic()
    done = check(root)
    assert time.monotonic() - started < 10
    assert "huge.yaml: error: file is 8,589,934,592 bytes; story files may be at most 2,097,152 bytes" in done.stdout


def test_a_link_loop_among_story_files_is_a_located_error(root):
    (root / "a.yaml").symlink_to("b.yaml")
    (root / "b.yaml").symlink_to("a.yaml")
    done = check(root)
    assert done.returncode == 1
    assert "a.yaml: error: cannot read file: Too many levels of symbolic links" in done.stdout
    assert "b.yaml: error: cannot read file: Too many levels of symbolic links" in done.stdout


def test_story_yaml_as_a_link_loop_is_a_located_error(root):
    (root / "story.yaml").unlink()
    (root / "story.yaml").symlink_to("story.yaml")
    done = check(root)
    assert done.returncode == 1 and "story.yaml: error: cannot read file: Too many levels" in done.stdout


def test_a_folder_tree_deeper_than_the_walker_allows_is_a_located_error(root):
    deep = root.joinpath(*["d"] * 300)  # deeper than Python's recursion would go through os.walk in 3.11
    deep.mkdir(parents=True)
    (deep / "x.yaml").write_text(SCENES, encoding="utf-8")
    done = check(root)
    assert done.returncode == 1
    assert "folder nested more than 32 levels deep below the story folder: not read" in done.stdout


def test_a_folder_that_cannot_be_read_is_named_not_skipped(root, monkeypatch):
    """As root, permissions do not stop a listing, so the failure is made by hand."""
    (root / "chapter2").mkdir()
    real_scandir = os.scandir

    def refusing(path):
        if Path(path).name == "chapter2":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    story, diagnostics = load_story_with_diagnostics(root, use_cache=False)
    assert story is None
    assert [str(d) for d in diagnostics] == ["chapter2: error: cannot read folder: Permission denied"]


def test_the_walk_lists_files_in_the_order_os_walk_would(tmp_path):
    for name in ("b/y.yaml", "a/z/w.yaml", "a/x.yaml", "c.yaml", ".hidden/h.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    walked = [p.relative_to(tmp_path).as_posix() for p in walk_files(tmp_path, lambda n: n[0] != ".", print)]
    expected = []
    for dirpath, dirnames, filenames in os.walk(tmp_path):
        dirnames[:] = sorted(d for d in dirnames if d[0] != ".")
        expected += [(Path(dirpath) / f).relative_to(tmp_path).as_posix() for f in sorted(filenames)]
    assert walked == expected
