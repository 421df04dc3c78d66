"""JSON Schemas (draft 2020-12) for story files, generated from the loader's own key tables.

Editors running the YAML language server use these for completion, hover
docs and validation. Because they are built from `game.engine.format`, the
same tables the loader validates with, the schema and the loader cannot
disagree about which keys exist, which are required, or what they mean.
"""

from __future__ import annotations

from typing import Any

from game.engine import format as fmt
from game.engine.expressions import INT_LIMIT

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$"

Schema = dict[str, Any]

#: Words the engine reads as booleans (it reads YAML 1.1, as PyYAML does) and an editor's YAML 1.2
#: reads as text: the schema accepts them where the engine does, so the two agree.
YAML_1_1_BOOLEANS = [w for word in ("yes", "no", "on", "off") for w in (word, word.capitalize(), word.upper())]

_SCALAR: Schema = {"type": ["string", "number", "boolean"]}
_ID: Schema = {"type": "string", "pattern": NAME_PATTERN}
_EXPR: Schema = {"type": ["string", "integer", "boolean"], "description": "An expression (see docs/authoring.md)."}
#: An integer the engine can count with: at most INT_LIMIT either way.
_INT: Schema = {"type": "integer", "minimum": -INT_LIMIT, "maximum": INT_LIMIT}
_BOOL: Schema = {"anyOf": [{"type": "boolean"}, {"enum": YAML_1_1_BOOLEANS}]}
#: A set of strings, as a YAML list (format 2).
_STRINGS: Schema = {"type": "array", "items": {"type": ["string", "number", "boolean"]}}
_TAG: Schema = {"type": ["string", "number", "boolean"]}


def _object(keys: dict[str, fmt.Key], title: str) -> Schema:
    return {
        "type": "object",
        "title": title,
        "properties": {name: {**_kind(key.kind), "description": key.doc} for name, key in keys.items()},
        "required": [name for name, key in keys.items() if key.required],
        "additionalProperties": False,
    }


def _kind(kind: str) -> Schema:
    refs = {
        "goto": "#/$defs/goto",
        "paragraphs": "#/$defs/scene_text",
        "choices": "#/$defs/choices",
        "variables": "#/$defs/variables",
        "endings": "#/$defs/endings",
        "scenes": "#/$defs/scenes",
        "set": "#/$defs/set",
        "effects": "#/$defs/effects",
        "input": "#/$defs/input",
        "snippets": "#/$defs/snippets",
    }
    if kind in refs:
        return {"$ref": refs[kind]}
    by_kind: dict[str, Schema] = {
        "text": _SCALAR,
        "template": _SCALAR,
        "prose": _SCALAR,
        "id": _ID,
        "scene": _ID,
        "ending": _ID,
        "int": _INT,
        "bool": _BOOL,
        "condition": _EXPR,
        "chance-condition": _EXPR,
        "heading": _SCALAR,
        "variable": _ID,
        "format": {"type": "integer", "minimum": 1, "maximum": fmt.FORMAT_VERSION},
        "tags": {"oneOf": [_TAG, {"type": "array", "items": _TAG}]},
        "value": {"anyOf": [_INT, {"type": ["string", "boolean"]}, _STRINGS]},
    }
    return by_kind[kind]


def _defs() -> Schema:
    scene = _object(fmt.SCENE_KEYS, "Scene")
    scene["oneOf"] = [
        {"required": [exit_key], "description": f"A scene with '{exit_key}'"} for exit_key in fmt.SCENE_EXITS
    ]
    choice = _object(fmt.CHOICE_KEYS, "Choice")
    choice["oneOf"] = [
        {"required": [exit_key], "description": f"A choice with '{exit_key}'"} for exit_key in fmt.CHOICE_EXITS
    ]
    return {
        "variable": _object(fmt.VARIABLE_KEYS, "Variable"),
        "variables": {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": {"oneOf": [_kind("value"), {"$ref": "#/$defs/variable"}]},
        },
        "ending": _object(fmt.ENDING_KEYS, "Ending"),
        "endings": {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": {"$ref": "#/$defs/ending"},
        },
        "branch": _object(fmt.BRANCH_KEYS, "Branch"),
        "goto": {
            "oneOf": [
                _ID,
                {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/branch"}},
            ]
        },
        "paragraph": _object(fmt.PARAGRAPH_KEYS, "Conditional paragraph"),
        "scene_text": {
            "oneOf": [
                _SCALAR,
                {"type": "array", "items": {"oneOf": [_SCALAR, {"$ref": "#/$defs/paragraph"}]}},
            ]
        },
        "set": {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": {"anyOf": [_EXPR, _STRINGS]},
        },
        "effect": _object(fmt.EFFECT_KEYS, "Effect"),
        "effects": {"type": "array", "items": {"$ref": "#/$defs/effect"}},
        "input": _object(fmt.INPUT_KEYS, "Input"),
        "snippets": {"type": "object", "propertyNames": {"pattern": NAME_PATTERN}, "additionalProperties": _SCALAR},
        "choice": choice,
        "choices": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/choice"}},
        "scene": scene,
        "scenes": {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": {"$ref": "#/$defs/scene"},
        },
    }


def story_schema() -> Schema:
    """The schema of a story folder's `story.yaml`."""
    return {
        "$schema": DIALECT,
        "$id": "https://million-miles-away.invalid/schema/story.schema.json",
        **_object(fmt.STORY_KEYS, "A Million Miles Away story (story.yaml)"),
        "$defs": _defs(),
    }


def scenes_schema() -> Schema:
    """The schema of a scene file (any other *.yaml in a story folder)."""
    return {
        "$schema": DIALECT,
        "$id": "https://million-miles-away.invalid/schema/scenes.schema.json",
        **_object(fmt.SCENE_FILE_KEYS, "A Million Miles Away scene file"),
        "$defs": _defs(),
    }


def playthrough_schema() -> Schema:
    """The schema of a `*.playthrough.yaml` file, from the playthrough loader's key tables."""
    from game.testing import playthrough as pt

    texts: Schema = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    draw: Schema = {"type": "integer", "minimum": -INT_LIMIT, "maximum": INT_LIMIT}
    kinds: dict[str, Schema] = {
        "state": {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": {
                "anyOf": [{"type": ["integer", "string", "boolean"]}, {"type": "array", "items": {"type": "string"}}]
            },
        },
        "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
        "choice": {"oneOf": [{"type": "string"}, {"type": "integer", "minimum": 1}]},
        "answer": {"type": ["string", "integer", "boolean"]},
        "draws": {"oneOf": [draw, {"type": "array", "minItems": 1, "items": draw}]},
        "seed": {"type": "integer", "minimum": 0, "maximum": INT_LIMIT},
        "expect": {"$ref": "#/$defs/expect"},
        "texts": texts,
        "tags": texts,
        "choice-tags": {"type": "object", "additionalProperties": texts},
    }

    def obj(keys: dict[str, fmt.Key], title: str) -> Schema:
        return {
            "type": "object",
            "title": title,
            "properties": {
                name: {**(kinds[key.kind] if key.kind in kinds else _kind(key.kind)), "description": key.doc}
                for name, key in keys.items()
            },
            "required": [name for name, key in keys.items() if key.required],
            "additionalProperties": False,
        }

    step = obj(pt.STEP_KEYS, "Step")
    # One move or check per step; `draws` only beside a move.
    step["oneOf"] = [
        {"required": ["choose"], "not": {"anyOf": [{"required": ["type"]}, {"required": ["expect"]}]}},
        {"required": ["type"], "not": {"anyOf": [{"required": ["choose"]}, {"required": ["expect"]}]}},
        {
            "required": ["expect"],
            "not": {"anyOf": [{"required": ["choose"]}, {"required": ["type"]}, {"required": ["draws"]}]},
        },
    ]
    expect = obj(pt.EXPECT_KEYS, "Expectations")
    expect["minProperties"] = 1
    if "text" in pt.EXPECT_KEYS:
        expect["properties"]["text"] = {**kinds["texts"], "description": pt.EXPECT_KEYS["text"].doc}
    return {
        "$schema": DIALECT,
        "$id": "https://million-miles-away.invalid/schema/playthrough.schema.json",
        **obj(pt.PLAYTHROUGH_KEYS, "A Million Miles Away playthrough (*.playthrough.yaml)"),
        "$defs": {"step": step, "expect": expect},
    }


SCHEMAS = {
    "story": story_schema,
    "scenes": scenes_schema,
    "playthrough": playthrough_schema,
}
