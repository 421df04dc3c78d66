"""The editor schemas accept every valid file and reject what the loader rejects."""

from __future__ import annotations

import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.authoring.schema import SCHEMAS, playthrough_schema, scenes_schema, story_schema
from game.authoring.template import TEMPLATE
from game.bundled import bundled_story_path
from game.engine.loader import PLAYTHROUGH_SUFFIX, load_story_with_diagnostics


def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def story_folders() -> list[Path]:
    return [bundled_story_path(), TEMPLATE]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_is_valid_draft_2020_12(name):
    schema = SCHEMAS[name]()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator(schema)


@pytest.mark.parametrize("root", story_folders(), ids=lambda p: p.name)
def test_real_story_files_validate(root):
    for path in sorted(root.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name.endswith(PLAYTHROUGH_SUFFIX):
            schema = playthrough_schema()
        elif path == root / "story.yaml":
            schema = story_schema()
        else:
            schema = scenes_schema()
        errors = sorted(validator(schema).iter_errors(data), key=str)
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"


BROKEN_SCENE_FILES = {
    "unknown key": "scenes:\n  a:\n    txet: Hi.\n    ending: done\n",
    "no exit": "scenes:\n  a:\n    text: Hi.\n",
    "two exits": "scenes:\n  a:\n    text: Hi.\n    ending: done\n    goto: a\n",
    "choices not a list": "scenes:\n  a:\n    text: Hi.\n    choices: go\n",
    "empty choices": "scenes:\n  a:\n    text: Hi.\n    choices: []\n",
    "choice without goto": "scenes:\n  a:\n    text: Hi.\n    choices:\n      - text: Go\n",
    "once not boolean": "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Go, goto: a, once: maybe}\n",
    "bad scene id": "scenes:\n  a b:\n    text: Hi.\n    ending: done\n",
    "missing text": "scenes:\n  a:\n    ending: done\n",
    "branch without scene": "scenes:\n  a:\n    text: Hi.\n    goto:\n      - {if: 'true'}\n",
}


@pytest.mark.parametrize("case", sorted(BROKEN_SCENE_FILES))
def test_schema_and_loader_agree_on_broken_scene_files(case, make_story):
    text = BROKEN_SCENE_FILES[case]
    root = make_story({"s.yaml": text})
    story, diagnostics = load_story_with_diagnostics(root)
    assert story is None, f"the loader accepted {case!r}"
    errors = list(validator(scenes_schema()).iter_errors(yaml.safe_load(textwrap.dedent(text))))
    assert errors, f"the schema accepted {case!r}, which the loader rejects: {diagnostics[0]}"


def test_schema_descriptions_come_from_the_format_table():
    from game.engine.format import CHOICE_KEYS

    choice = scenes_schema()["$defs"]["choice"]
    assert choice["properties"]["once"]["description"] == CHOICE_KEYS["once"].doc
    assert set(choice["properties"]) == set(CHOICE_KEYS)
    assert choice["required"] == ["text", "goto"]
