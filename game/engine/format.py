"""The story format, declared once: the compiler reads with it, the JSON Schema and the docs are made from it.

Each object of a story file (story.yaml, a variable, an ending, a scene file, a
scene, a choice, a paragraph, a goto branch) has a table of the keys it may
hold. A key's row says what kind of value it takes, whether it is required,
which field of the model it fills (`game.engine.model`; by default the field
of the same name), how messages name it, and its documentation for editors.
The compiler (`game.engine.compiler`) reads every key through this table, so
adding an optional key to a scene is one row here, one field on `Scene`, and
the code that uses it.
"""

from __future__ import annotations

from msgspec import Struct

#: The newest version of the story format this engine reads (what authors write as `format:`).
#: A story that says nothing is version 1, and every version-1 story reads as it always did.
FORMAT_VERSION = 2

#: Story files above this size are refused before parsing.
MAX_FILE_BYTES = 2 * 1024 * 1024


class Key(Struct, frozen=True):
    """One key an object may hold.

    `kind` says what its value must be, and so how the compiler reads it:

    - text: any scalar but null, kept as written (prose, titles)
    - bool, int: a YAML boolean / integer
    - value: an integer, a string or a boolean (a variable's default)
    - condition: an expression that gives a boolean
    - chance-condition: a condition tested as a move is made, which may draw chance
    - scene, ending: the id of a scene / an ending of the story
    - paragraphs: prose, or a list of paragraphs (each prose or {text, if})
    - goto: a scene id, or a list of branches {scene, if}
    - choices: a list of choices
    - set: a mapping of variable → expression of the variable's type
    - variables, endings, scenes: the mappings of story.yaml and scene files
    - heading: a title (a template from format 2, shown as written before)
    - format: the story format's version
    - effects: a list of effects {if, once, set}
    - input: what a scene asks the player to type {variable, prompt, max, default}
    - variable: the name of a string variable
    - tags: a list of free-form words
    - snippets: story.yaml's named texts, name → text
    """

    kind: str
    required: bool = False
    doc: str = ""
    #: The model field this key fills, when it is not the key's own name.
    field: str | None = None
    #: How messages name the key ("'title'", "choice 'text'"); by default the key in quotes.
    what: str | None = None
    #: The version of the format that introduced the key: a story of an older format is told to declare it.
    since: int = 1

    def target(self, name: str) -> str:
        return self.field or name

    def named(self, name: str) -> str:
        return self.what or f"'{name}'"


STORY_KEYS: dict[str, Key] = {
    "format": Key(
        "format",
        False,
        f"The version of the story format the story is written in (1 when absent; this engine reads up to "
        f"{FORMAT_VERSION}). Version 2 adds effects, chance, subroutines, sets, tags, input and richer text.",
    ),
    "title": Key("text", True, "The story's title, shown on the title screen and recorded in saves."),
    "start": Key("scene", True, "The id of the scene a new game starts in."),
    "variables": Key(
        "variables", False, "Game state: name → {default, label, description, min, max} or name → default."
    ),
    "endings": Key("endings", False, "Endings: id → {title, description, hint}."),
    "snippets": Key("snippets", False, "Named texts, name → text, written into any text with {>name}.", since=2),
}

VARIABLE_KEYS: dict[str, Key] = {
    "default": Key(
        "value",
        True,
        "Starting value; its type (integer, string, boolean; from format 2 a list of strings, for a set) "
        "is the variable's type.",
    ),
    "label": Key("text", False, "Shown to the player in the side panel under this label."),
    "min": Key("int", False, "Lowest value (integers only): lower values are clamped."),
    "max": Key("int", False, "Highest value (integers only): higher values are clamped."),
    "description": Key(
        "text",
        False,
        "What the value means, for players: shown in help and once, the first time a choice changes it.",
    ),
}

ENDING_KEYS: dict[str, Key] = {
    "title": Key("text", True, "The ending's name, shown on the ending screen and in the gallery."),
    "description": Key("text", False, "One or two sentences shown with the title."),
    "hint": Key(
        "text",
        False,
        "For players who have not reached it yet: what kind of choices lead here, without giving it away "
        "(the endings gallery shows it only when asked).",
    ),
}

SCENE_FILE_KEYS: dict[str, Key] = {
    "chapter": Key("text", False, "The chapter of every scene in this file (a scene may override it)."),
    "scenes": Key("scenes", True, "Scene id → scene."),
}

SCENE_KEYS: dict[str, Key] = {
    "title": Key("heading", False, "Shown above the text (from format 2, with {...} filled in).", field="heading"),
    "chapter": Key("text", False, "Overrides the file's chapter for this scene."),
    "text": Key(
        "paragraphs",
        True,
        "Prose with {variable} interpolation, or a list of (conditional) paragraphs.",
        field="paragraphs",
    ),
    "choices": Key("choices", False, "The choices offered (exactly one of choices, goto, ending)."),
    "goto": Key("goto", False, "A single 'Continue' step to this scene (exactly one of choices, goto, ending)."),
    "ending": Key("ending", False, "This scene ends the game with this ending (exactly one of choices, goto, ending)."),
    "call": Key(
        "scene",
        False,
        "A single 'Continue' into this subroutine scene; when it returns, the player goes to 'then'.",
        since=2,
    ),
    "then": Key("scene", False, "Where the player goes when the scene called by 'call' returns.", since=2),
    "return": Key(
        "bool",
        False,
        "true: this scene ends a subroutine, and its 'Continue' goes back to where it was called from.",
        field="returns",
        since=2,
    ),
    "set": Key(
        "set",
        False,
        "variable → expression, applied each time the player enters the scene.",
        field="sets",
        since=2,
    ),
    "effects": Key(
        "effects",
        False,
        "Effects applied on entering the scene, in order: each {set, if, once}.",
        since=2,
    ),
    "input": Key(
        "input",
        False,
        "Ask the player to type a short text before Continue: {variable, prompt, max, default}.",
        since=2,
    ),
    "tags": Key("tags", False, "Free-form words the players, the explorer and playthroughs can see.", since=2),
}

CHOICE_KEYS: dict[str, Key] = {
    "text": Key("template", True, "What the player sees, with {variable} interpolation.", what="choice 'text'"),
    "goto": Key("goto", False, "The scene this choice leads to, or a list of conditional branches (or 'call')."),
    "if": Key("condition", False, "Offer this choice only while the expression holds.", field="condition"),
    "set": Key("set", False, "variable → expression, all evaluated against the state before the choice.", field="sets"),
    "once": Key("bool", False, "Offer this choice only until it has been taken once."),
    "effects": Key(
        "effects", False, "Effects applied when the choice is taken, after 'set': each {set, if, once}.", since=2
    ),
    "call": Key(
        "scene",
        False,
        "Instead of 'goto': call this subroutine scene; when it returns, the player comes back here (or to 'then').",
        since=2,
    ),
    "then": Key("scene", False, "Where the player goes when the scene called by 'call' returns.", since=2),
    "tags": Key("tags", False, "Free-form words the players, the explorer and playthroughs can see.", since=2),
}

EFFECT_KEYS: dict[str, Key] = {
    "set": Key("set", True, "variable → expression, all evaluated together.", field="sets"),
    "if": Key("chance-condition", False, "Apply the effect only while the expression holds.", field="condition"),
    "once": Key("bool", False, "Apply the effect only the first time it would apply."),
}

INPUT_KEYS: dict[str, Key] = {
    "variable": Key("variable", True, "The string variable the answer is kept in."),
    "prompt": Key("text", False, "The question, shown beside the field the player types in."),
    "max": Key("int", False, "The longest answer, in characters (1 to 200; 20 when absent)."),
    "default": Key("text", False, "The answer when the player types nothing."),
}

#: The longest answer an `input` may allow.
MAX_INPUT = 200

PARAGRAPH_KEYS: dict[str, Key] = {
    "text": Key("prose", True, "The paragraph's prose."),
    "if": Key("condition", False, "Show this paragraph only while the expression holds.", field="condition"),
}

BRANCH_KEYS: dict[str, Key] = {
    "scene": Key("scene", True, "The scene to go to."),
    "if": Key(
        "chance-condition",
        False,
        "Take this branch only while the expression holds (not on the last branch).",
        field="condition",
    ),
}

#: A scene says where the player goes next with exactly one of these.
SCENE_EXITS = ("choices", "goto", "ending", "call", "return")
#: A choice says where the player goes with exactly one of these.
CHOICE_EXITS = ("goto", "call")
