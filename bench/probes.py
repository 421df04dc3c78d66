"""Measurements that run in a fresh process of their own, one per call.

    python -m bench.probes load STORY            time one load_story (cache as set by the environment)
    python -m bench.probes reload STORY          load, edit one scene file, time the load again (cache warm)
    python -m bench.probes play STORY PLAYS      random playthroughs, the text rendered at every step
    python -m bench.probes explore [STORY]       exhaustive exploration: time, then peak memory
    python -m bench.probes whole STORY           whole-story work after a cached load, per scene
    python -m bench.probes check [STORY]         what `check` does, split: load, lint, exploration

Each prints one line of `key=value` pairs for the bench to read. Imports are
done before the clock starts: like bink's `load_ms`, a load figure is the
load alone.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path


def _lcg() -> Callable[[int], int]:
    """The peers' generator: seed=1, seed = (seed*1103515245+12345) & 0x7FFFFFFF, pick seed % n."""
    seed = 1

    def pick(n: int) -> int:
        nonlocal seed
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        return seed % n

    return pick


def load(story: str) -> str:
    import game.engine.compiler  # noqa: F401 - imported on a cache miss only; imports are not timed, as in bink
    from game.engine.loader import load_story

    t0 = time.perf_counter()
    loaded = load_story(story)
    t1 = time.perf_counter()
    return f"load_ms={1000 * (t1 - t0):.2f} scenes={len(loaded.scenes)}"


def reload(story: str) -> str:
    """An author's edit to one file of a big story, then the load that follows: timed for a new
    process (the other files from the cache on disk) and for a loader that keeps its parts
    (`play --watch`, the language server). The file is put back as it was afterwards."""
    import game.engine.compiler  # noqa: F401 - the same
    from game.engine.loader import StoryLoader, story_files

    root = Path(story)
    kept = StoryLoader(root)
    kept.load()  # fills the cache, and the loader's parts
    files = story_files(root)
    edited = files[len(files) // 2]
    original = edited.read_bytes()
    try:
        nonce = str(time.time_ns()).encode()  # an edit no earlier run made: never in the cache
        edited.write_bytes(original + b"\n# an edit " + nonce + b"\n")
        t0 = time.perf_counter()
        fresh = StoryLoader(root)
        fresh.load()
        t1 = time.perf_counter()
        edited.write_bytes(original + b"\n# another edit " + nonce + b"\n")
        t2 = time.perf_counter()
        kept.load()
        t3 = time.perf_counter()
    finally:
        edited.write_bytes(original)
    compiled = sorted(rel for rel, how in fresh.sources.items() if how == "compiled")
    return (
        f"reload_ms={1000 * (t1 - t0):.2f} kept_reload_ms={1000 * (t3 - t2):.2f} "
        f"files={len(files) + 1} compiled={len(compiled)}"
    )


def play(story: str, plays: int) -> str:
    """Random playthroughs through `Game`, as the faces drive it: at every step the
    scene's paragraphs and every option's text are rendered, then one is chosen.
    A new `Game` per playthrough, as a new game in the TUI."""
    from game.engine.loader import load_story
    from game.engine.runtime import Game, new_state

    loaded = load_story(story)
    for _scene in loaded.scenes.values():
        pass  # a story read from the cache builds its scenes on first use: build them all before the clock starts
    pick = _lcg()
    start = new_state(loaded)
    steps = chars = 0
    t0 = time.perf_counter()
    for _ in range(plays):
        game = Game(loaded, start)
        while True:
            for paragraph in game.paragraphs:
                chars += len(paragraph)
            options = game.options
            if not options:
                break
            for option in options:
                chars += len(option.text)
            game.choose(pick(len(options)) + 1)
            steps += 1
    t1 = time.perf_counter()
    return f"playthroughs={plays} choices={steps} chars={chars} play_ms={1000 * (t1 - t0):.1f} choices_per_s={steps / (t1 - t0):.0f}"


def explore(story: str | None) -> str:
    import resource
    import tracemalloc

    from game.bundled import bundled_story_path
    from game.engine.explore import explore_exhaustive
    from game.engine.loader import load_story

    loaded = load_story(story or bundled_story_path())
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    result = explore_exhaustive(loaded)
    t1 = time.perf_counter()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    explore_exhaustive(loaded)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (
        f"explore_ms={1000 * (t1 - t0):.0f} states={result.states} moves={result.moves} complete={result.complete} "
        f"peak_traced_mb={peak / 2**20:.1f} maxrss_mb={rss1 / 1024:.1f} rss_growth_mb={(rss1 - rss0) / 1024:.1f}"
    )


def whole(story: str) -> str:
    """What walks the whole story, each timed after a cached load and given per scene: building
    every scene, the authoring warnings (lint), the graph and `check`'s exploration (the whole of
    `check` is the probe `check`, in a process of its own). The story's size must not change what
    each costs a scene (issue #20). The exploration is given per scene, not per state: most of its
    work on a big story is per scene (reading every condition to know which variables steer play,
    a finding for every scene never reached), so a story with few reachable states still pays it."""
    from game.authoring.graph import to_mermaid
    from game.authoring.lint import lint
    from game.engine.explore import CHECK_MAX_STATES, explore_exhaustive
    from game.engine.loader import load_story

    t0 = time.perf_counter()
    loaded = load_story(story)
    t1 = time.perf_counter()
    for _scene in loaded.scenes.values():
        pass
    t2 = time.perf_counter()
    lint(loaded)
    t3 = time.perf_counter()
    to_mermaid(loaded)
    t4 = time.perf_counter()
    result = explore_exhaustive(loaded, CHECK_MAX_STATES)
    t5 = time.perf_counter()
    n = len(loaded.scenes)

    def per(a: float, b: float) -> float:
        return 1e6 * (b - a) / n

    return (
        f"scenes={n} load_us={per(t0, t1):.2f} build_us={per(t1, t2):.2f} lint_us={per(t2, t3):.2f} "
        f"graph_us={per(t3, t4):.2f} explore_us={per(t4, t5):.2f} states={result.states} complete={result.complete}"
    )


def check(story: str | None) -> str:
    """`million-miles check` after the process has started, in its parts: the load (with its
    diagnostics), the authoring warnings, and the exploration with its findings."""
    from game.authoring.findings import explore
    from game.authoring.lint import lint
    from game.bundled import bundled_story_path
    from game.engine.loader import load_story_with_diagnostics

    t0 = time.perf_counter()
    loaded, _ = load_story_with_diagnostics(story or bundled_story_path())
    t1 = time.perf_counter()
    assert loaded is not None
    lint(loaded)
    t2 = time.perf_counter()
    explore(loaded).diagnostics()
    t3 = time.perf_counter()
    return (
        f"scenes={len(loaded.scenes)} load_ms={1000 * (t1 - t0):.1f} lint_ms={1000 * (t2 - t1):.1f} "
        f"explore_ms={1000 * (t3 - t2):.1f}"
    )


def main(argv: list[str]) -> int:
    what = argv[0]
    if what == "load":
        print(load(argv[1]))
    elif what == "reload":
        print(reload(argv[1]))
    elif what == "play":
        print(play(argv[1], int(argv[2])))
    elif what == "explore":
        print(explore(argv[1] if len(argv) > 1 else None))
    elif what == "whole":
        print(whole(argv[1]))
    elif what == "check":
        print(check(argv[1] if len(argv) > 1 else None))
    else:
        print(f"unknown probe {what!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main(sys.argv[1:]))
