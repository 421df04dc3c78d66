"""Fuzzing the loader: any input either loads or fails with located messages, never anything else.

The normal test run tries a few hundred cases. The long run that docs/reliability.md
records is the same tests with more examples:

    MILLION_MILES_FUZZ_EXAMPLES=100000 .venv/bin/pytest tests/hardening/test_fuzz.py -p no:randomly
"""

from __future__ import annotations

import copy
import os
import random
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from game.bundled import bundled_story_path
from game.engine.loader import load_story_with_diagnostics
from game.engine.runtime import Game

EXAMPLES = int(os.environ.get("MILLION_MILES_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 1000,  # the everyday run is reproducible; the long run explores
)

BUNDLED = bundled_story_path()
BASE_FILES = {
    p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (BUNDLED / "story.yaml", BUNDLED / "01_fields.yaml")
}
ODD_TEXT = [
    "",
    " ",
    "é",
    "\u202e",
    "\x00",
    "\x1b[31m",
    "[bold]x[/]",
    "{",
    "}",
    "{x.__class__}",
    "🚀",
    "\ud7ff",
    "a" * 5000,
    "\t",
    "\r\n",
    "NaN",
    "~",
    "null",
    "yes",
    "&a",
    "*a",
    "!!python/object:os.system",
]
ODD_SCALARS = [None, True, False, 0, -1, 10**30, -(10**30), 1.5, float("inf"), "", [], {}, [[[]]], {"k": {}}]


def load_folder(files: dict[str, str | bytes]) -> None:
    """Write `files` to a fresh story folder and load it; assert the contract."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        for name, content in files.items():
            path = root / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        story, diagnostics = load_story_with_diagnostics(root)  # must not raise
        if story is None:
            assert diagnostics, "a story that fails to load must say why"
            assert any(d.severity == "error" for d in diagnostics)
        for d in diagnostics:
            assert d.message and "\n" not in d.message.strip("\n") or "YAML" in d.message
            assert d.loc.path and d.loc.line >= 0 and d.loc.col >= 0
            assert str(d).count(": error: ") + str(d).count(": warning: ") >= 1
        if story is not None:  # a story that loads must also play without crashing
            game = Game(story)
            rng = random.Random(0)
            for _ in range(50):
                if game.is_over:
                    break
                game.paragraphs  # noqa: B018 - rendering is part of playing
                game.choose(rng.randrange(len(game.options)) + 1)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- random YAML

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(ODD_TEXT),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=10),
                st.sampled_from(["scenes", "text", "goto", "choices", "if", "set", "ending", "once", "a"]),
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=25,
)


@FUZZ
@given(trees, trees)
def test_random_yaml_documents(story_tree, scene_tree):
    load_folder(
        {
            "story.yaml": yaml.safe_dump(story_tree, allow_unicode=True),
            "scenes.yaml": yaml.safe_dump(scene_tree, allow_unicode=True),
        }
    )


@FUZZ
@given(st.binary(max_size=400), st.text(max_size=400))
@example(raw=b"", text="?\r0")  # found by the long run of 2026-12-03: a lone '\r' ended a line for libyaml only
def test_random_bytes_and_text(raw, text):
    load_folder({"story.yaml": "title: T\nstart: a\n", "a.yaml": raw, "b.yaml": text})


# --------------------------------------------------------------------------- mutated bundled story


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _get(node, path):
    for step in path:
        node = node[step]
    return node


def mutate(data, rng: random.Random):
    """One random edit of the kinds an author (or an attacker) makes."""
    paths = [p for p in _paths(data) if p]
    if not paths:
        return data
    path = rng.choice(paths)
    parent, last = _get(data, path[:-1]), path[-1]
    kind = rng.randrange(6)
    if kind == 0:  # delete a key or item
        del parent[last]
    elif kind == 1:  # change a value's type (a copy: a shared list put inside itself would be a cycle)
        parent[last] = copy.deepcopy(rng.choice(ODD_SCALARS))
    elif kind == 2:  # break a reference or an expression
        value = parent[last]
        if isinstance(value, str):
            parent[last] = value[: rng.randrange(len(value) + 1)] + rng.choice(["x", "(", "}", "{", " and", "'"])
        else:
            parent[last] = "no_such_scene"
    elif kind == 3:  # odd unicode
        parent[last] = rng.choice(ODD_TEXT) * rng.randrange(1, 3)
    elif kind == 4:  # huge numbers
        parent[last] = rng.choice([10**18, 10**19, -(10**40), 2**63])
    elif isinstance(parent, dict):  # rename a key
        parent[rng.choice(["txet", "goto", "if", "set", "", "ending", "choices", str(last) + "_"])] = parent.pop(last)
    return data


@FUZZ
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=4))
def test_mutated_bundled_story(seed, edits):
    rng = random.Random(seed)
    files = {name: yaml.safe_load(yaml.safe_dump(data)) for name, data in BASE_FILES.items()}
    for _ in range(edits):
        name = rng.choice(sorted(files))
        files[name] = mutate(files[name], rng)
    load_folder({name: yaml.safe_dump(data, allow_unicode=True) for name, data in files.items()})
