"""The quick compiler gives the careful compiler's story, or steps aside for it.

Every test in the suite already holds it to that (the autouse fixture in
tests/conftest.py loads each story it accepts the careful way too). These tests
add the stories authors start from, which must take the quick way, and stories
broken on purpose a line at a time, which must never get through it.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.bundled import bundled_story_path
from game.engine import quick_compiler
from game.engine.loader import _read_sources, load_story_with_diagnostics

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("MILLION_MILES_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def quick(root: Path) -> quick_compiler.QuickStory | None:
    sources = _read_sources(root)
    assert sources is not None
    return quick_compiler.compile_quickly(root, sources)


@pytest.mark.parametrize("root", [bundled_story_path(), REPO / "game/authoring/template"], ids=["bundled", "template"])
def test_the_stories_authors_start_from_take_the_quick_way(root, careful, same_story):
    compiled = quick(root)
    assert compiled is not None
    story, diagnostics = careful(root)
    assert story is not None and not diagnostics
    same_story(story, compiled.story)


def test_every_test_story_loads_the_same_either_way(careful, same_story):
    roots = sorted({p.parent for p in REPO.glob("tests/**/story.yaml")})
    assert len(roots) >= 5
    for root in roots:
        compiled = quick(root)
        story, diagnostics = careful(root)
        if compiled is not None:
            assert story is not None and not diagnostics, root
            same_story(story, compiled.story)


def test_its_cache_entry_reads_back_as_the_same_story(tmp_path, careful, same_story):
    from game.engine import cache

    compiled = quick(bundled_story_path())
    assert compiled is not None
    again = cache.loads(compiled.encode(), bundled_story_path())
    same_story(careful(bundled_story_path())[0], again)


@pytest.mark.parametrize(
    "edit",
    [
        ("story.yaml", "start: fields_dawn", "start: fields_dusk"),  # unknown start scene
        ("story.yaml", "min: 0, max: 12", "min: 13, max: 12"),  # bounds
        ("01_fields.yaml", "goto: fields_", "goto: nowhere_"),  # unknown scene
        ("01_fields.yaml", "set: {study: study + 1}", "set: {study: study + true}"),  # a type error
        ("01_fields.yaml", "set: {study: study + 1}", "set: {sutdy: study + 1}"),  # an unknown variable
        ("01_fields.yaml", "{", "{{x.__class__}"),  # a bad placeholder
        ("02_lab.yaml", "text:", "txet:"),  # an unknown key
        ("02_lab.yaml", "    goto: lab_hired", "    goto: lab_hired\n    ending: launch"),  # two exits
    ],
)
def test_a_mistake_is_left_to_the_careful_compiler(tmp_path, edit, careful):
    root = tmp_path / "story"
    shutil.copytree(bundled_story_path(), root)
    name, old, new = edit
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert careful(root)[0] is None, "the edit should break the story"
    assert quick(root) is None


LINE_EDITS = ["delete", "duplicate", "swap", "indent", "dedent", "word", "operator"]
WORDS = ["fields_dawn", "study", "family", "launch", "applications", "true", "visits(fields_dawn)", "1", "x", ""]


@FUZZ
@given(st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_stories_broken_a_line_at_a_time(tmp_path_factory, seed, edits):
    """Whatever the careful compiler says of a mangled story, loading it the quick way agrees
    (the autouse fixture compares every story the quick way accepts)."""
    rng = random.Random(seed)
    root = tmp_path_factory.mktemp("story")
    shutil.copytree(bundled_story_path(), root, dirs_exist_ok=True)
    for _ in range(edits):
        path = rng.choice(sorted(root.glob("*.yaml")))
        lines = path.read_text(encoding="utf-8").split("\n")
        i = rng.randrange(len(lines))
        kind = rng.choice(LINE_EDITS)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = "  " + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        elif kind == "word":
            words = lines[i].split(" ")
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            lines[i] = " ".join(words)
        else:
            for old, new in ((" + ", " - "), (" >= ", " == "), (" and ", " or "), ("+ 1", "+ true"), ("{", "{{")):
                if old in lines[i]:
                    lines[i] = lines[i].replace(old, new, 1)
                    break
        path.write_text("\n".join(lines), encoding="utf-8")
    load_story_with_diagnostics(root, use_cache=False)


HEADER = "title: T\nstart: a\nvariables:\n  n: {default: 0}\nendings:\n  end: {title: The End}\n"
LAYOUTS = {
    "chapter below the scenes": "scenes:\n  a:\n    text: A\n    goto: b\n  b:\n    chapter: Own\n    text: B\n"
    "    ending: end\nchapter: Two\n",
    "an empty chapter of its own": "chapter: File\nscenes:\n  a:\n    chapter: ''\n    title: First\n    text: A\n"
    "    ending: end\n",
    "choices as flow mappings": "scenes:\n  a:\n    text: A\n    choices:\n      - {text: Go, goto: b}\n"
    "      - text: Stay\n        goto: a\n      - {text: 'Maybe {n}', if: n > 1, goto: b, once: true}\n"
    "  b:\n    text: B\n    ending: end\n",
    "a list at its key's indent": "scenes:\n  a:\n    choices:\n    - text: Go\n      goto: b\n    text: A\n"
    "  b:\n    text: B\n    goto:\n    - {if: visits(a) > 1, scene: a}\n    - scene: b2\n"
    "  b2:\n    text: |\n      One.\n\n      Two {n}.\n    ending: end\n",
    "a goto to a scene further on, in visits() too": "scenes:\n  a:\n    text: A\n    choices:\n      - text: Go\n"
    "        if: visits(z) == 0\n        goto: z\n  z:\n    text: Z\n"
    "    ending: end\n",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_scene_files_laid_out_every_way_take_the_quick_way(tmp_path, layout, careful, same_story):
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(HEADER, encoding="utf-8")
    (root / "scenes.yaml").write_text(LAYOUTS[layout], encoding="utf-8")
    story, diagnostics = careful(root)
    assert story is not None and not diagnostics, diagnostics
    compiled = quick(root)
    assert compiled is not None
    same_story(story, compiled.story)


@pytest.mark.parametrize(
    "scenes",
    [
        "scenes:\n  a: {text: A, ending: end}\n",  # a scene as a flow mapping
        "scenes:\n  a:\n    text: A\n    goto: nowhere\n",  # a goto to no scene
        "scenes:\n  a:\n    text: A\n    choices:\n      - {text: Go, goto: a, set: {m: 1}}\n",  # an unknown variable
        "scenes:\n  a:\n    text: A\n    ending: end\n    ending: end\n",  # a key twice
        "chapter: One\nchapter: Two\nscenes:\n  a:\n    text: A\n    ending: end\n",
    ],
)
def test_what_the_quick_way_leaves_to_the_careful_compiler(tmp_path, scenes):
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(HEADER, encoding="utf-8")
    (root / "scenes.yaml").write_text(scenes, encoding="utf-8")
    assert quick(root) is None


def test_the_walk_knows_every_key_the_format_has():
    """The scene-file walk names the keys it reads; any other key sends the story the careful way.
    When the format gains a key, teach `_scene_file`, `_scene` or `_choices` to read it, or every
    story using it loads several times slower (right, but slow)."""
    from game.engine import format as fmt

    assert set(fmt.SCENE_FILE_KEYS) == {"chapter", "scenes"}
    assert set(fmt.SCENE_KEYS) == {"title", "chapter", "text", "choices", "goto", "ending"}
    assert set(fmt.CHOICE_KEYS) == {"text", "goto", "if", "set", "once"}
