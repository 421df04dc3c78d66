"""The editor schemas accept every valid file and reject what the loader rejects."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.authoring.schema import SCHEMAS, YAML_1_1_BOOLEANS, playthrough_schema, scenes_schema, story_schema
from game.authoring.template import TEMPLATE
from game.bundled import bundled_story_path
from game.engine.expressions import INT_LIMIT
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
    assert choice["required"] == ["text"]
    assert [option["required"] for option in choice["oneOf"]] == [["goto"], ["call"]]


class Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2, core schema): `yes`, `no`, `on` and `off`
    are text there, while the engine, like PyYAML, reads them as booleans (YAML 1.1)."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))

READINGS = {"as the engine reads it (YAML 1.1)": yaml.SafeLoader, "as an editor reads it (YAML 1.2)": Yaml12Loader}

#: Scene files the engine accepts, which the schema must accept however they are read.
ACCEPTED_SCENE_FILES = {
    "once: yes": "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Go, goto: a, once: yes}\n      - {text: End, goto: b}\n  b:\n    text: Bye.\n    ending: done\n",
    "once: Off": "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Go, goto: a, once: Off}\n      - {text: End, goto: b}\n  b:\n    text: Bye.\n    ending: done\n",
    "set: {flag: on}": "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Go, goto: a, set: {flag: on}}\n      - {text: End, goto: b}\n  b:\n    text: Bye.\n    ending: done\n",
}
#: story.yaml files the engine accepts.
ACCEPTED_STORY_FILES = {
    "default: no": "title: T\nstart: a\nvariables:\n  flag: no\n  lamp: {default: Yes, label: Lamp}\nendings:\n  done: {title: D}\n",
    "the largest bounds": f"title: T\nstart: a\nvariables:\n  n: {{default: 0, min: -{INT_LIMIT}, max: {INT_LIMIT}}}\nendings:\n  done: {{title: D}}\n",
}
#: story.yaml files the engine refuses.
REFUSED_STORY_FILES = {
    "a bound beyond 64 bits": f"title: T\nstart: a\nvariables:\n  n: {{default: 0, max: {INT_LIMIT + 1}}}\nendings:\n  done: {{title: D}}\n",
    "a default beyond 64 bits": f"title: T\nstart: a\nvariables:\n  n: {INT_LIMIT + 1}\nendings:\n  done: {{title: D}}\n",
    "a misspelled section": "title: T\nstart: a\nvariabels: {}\nendings:\n  done: {title: D}\n",
}
SCENE = "scenes:\n  a:\n    text: Hi.\n    ending: done\n"


@pytest.mark.parametrize("reading", sorted(READINGS))
@pytest.mark.parametrize("case", sorted(ACCEPTED_SCENE_FILES))
def test_the_schema_accepts_what_the_engine_accepts_in_scene_files(case, reading, make_story):
    text = ACCEPTED_SCENE_FILES[case]
    root = make_story(
        {"s.yaml": text}, story="title: T\nstart: a\nvariables: {flag: false}\nendings: {done: {title: D}}\n"
    )
    story, diagnostics = load_story_with_diagnostics(root)
    assert story is not None, diagnostics
    errors = list(validator(scenes_schema()).iter_errors(yaml.load(text, Loader=READINGS[reading])))
    assert not errors, f"the schema refuses {case!r}, which the engine accepts: {errors[0].message}"


@pytest.mark.parametrize("reading", sorted(READINGS))
@pytest.mark.parametrize("case", sorted(ACCEPTED_STORY_FILES))
def test_the_schema_accepts_what_the_engine_accepts_in_story_yaml(case, reading, make_story):
    text = ACCEPTED_STORY_FILES[case]
    story, diagnostics = load_story_with_diagnostics(make_story({"s.yaml": SCENE}, story=text))
    assert story is not None, diagnostics
    errors = list(validator(story_schema()).iter_errors(yaml.load(text, Loader=READINGS[reading])))
    assert not errors, f"the schema refuses {case!r}, which the engine accepts: {errors[0].message}"


@pytest.mark.parametrize("reading", sorted(READINGS))
@pytest.mark.parametrize("case", sorted(REFUSED_STORY_FILES))
def test_the_schema_refuses_what_the_engine_refuses_in_story_yaml(case, reading, make_story):
    text = REFUSED_STORY_FILES[case]
    story, _ = load_story_with_diagnostics(make_story({"s.yaml": SCENE}, story=text))
    assert story is None, f"the engine accepted {case!r}"
    errors = list(validator(story_schema()).iter_errors(yaml.load(text, Loader=READINGS[reading])))
    assert errors, f"the schema accepts {case!r}, which the engine refuses"


def test_the_schema_names_every_word_yaml_reads_as_a_boolean():
    for word in YAML_1_1_BOOLEANS:
        assert isinstance(yaml.safe_load(f"a: {word}")["a"], bool), word
        assert isinstance(yaml.load(f"a: {word}", Loader=Yaml12Loader)["a"], str), word
