"""The game installs as a wheel into a fresh venv and finds its bundled story from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("million_miles_away-*.whl")
    return built


def test_wheel_installs_in_a_fresh_venv_and_plays_from_tmp(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Reuse this environment's dependencies (textual, pyyaml...) instead of downloading them again:
    # what is under test is our wheel and its package data, not PyPI.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)

    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {**os.environ, "MILLION_MILES_HOME": str(tmp_path / "home")}
    script = env_dir / "bin" / "million-miles"
    checked = subprocess.run([str(script), "check"], cwd=workdir, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "A Million Miles Away" in checked.stdout

    play = (
        "from game.bundled import bundled_story_path\n"
        "from game.engine.loader import load_story\n"
        "from game.engine.runtime import Game\n"
        "path = bundled_story_path()\n"
        "assert 'site-packages' in str(path), path\n"
        "game = Game(load_story(path))\n"
        "first = game.scene.id\n"
        "game.choose(1)\n"
        "print(first, '->', game.scene.id)\n"
    )
    played = subprocess.run([str(python), "-c", play], cwd=workdir, env=env, capture_output=True, text=True)
    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith("fields_dawn -> ")
