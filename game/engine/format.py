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

#: The version of the story format itself (what authors write).
FORMAT_VERSION = 1

#: Story files above this size are refused before parsing.
MAX_FILE_BYTES = 2 * 1024 * 1024


class Key(Struct, frozen=True):
    """One key an object may hold.

    `kind` says what its value must be, and so how the compiler reads it:

    - text: any scalar but null, kept as written (prose, titles)
    - bool, int: a YAML boolean / integer
    - value: an integer, a string or a boolean (a variable's default)
    - condition: an expression that gives a boolean
    - scene, ending: the id of a scene / an ending of the story
    - paragraphs: prose, or a list of paragraphs (each prose or {text, if})
    - goto: a scene id, or a list of branches {scene, if}
    - choices: a list of choices
    - set: a mapping of variable → expression of the variable's type
    - variables, endings, scenes: the mappings of story.yaml and scene files
    """

    kind: str
    required: bool = False
    doc: str = ""
    #: The model field this key fills, when it is not the key's own name.
    field: str | None = None
    #: How messages name the key ("'title'", "choice 'text'"); by default the key in quotes.
    what: str | None = None

    def target(self, name: str) -> str:
        return self.field or name

    def named(self, name: str) -> str:
        return self.what or f"'{name}'"


STORY_KEYS: dict[str, Key] = {
    "title": Key("text", True, "The story's title, shown on the title screen and recorded in saves."),
    "start": Key("scene", True, "The id of the scene a new game starts in."),
    "variables": Key("variables", False, "Game state: name → {default, label, description, min, max} or name → default."),
    "endings": Key("endings", False, "Endings: id → {title, description, hint}."),
}

VARIABLE_KEYS: dict[str, Key] = {
    "default": Key("value", True, "Starting value; its type (integer, string, boolean) is the variable's type."),
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
    "title": Key("text", False, "Shown above the text."),
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
}

CHOICE_KEYS: dict[str, Key] = {
    "text": Key("template", True, "What the player sees, with {variable} interpolation.", what="choice 'text'"),
    "goto": Key("goto", True, "The scene this choice leads to, or a list of conditional branches."),
    "if": Key("condition", False, "Offer this choice only while the expression holds.", field="condition"),
    "set": Key("set", False, "variable → expression, all evaluated against the state before the choice.", field="sets"),
    "once": Key("bool", False, "Offer this choice only until it has been taken once."),
}

PARAGRAPH_KEYS: dict[str, Key] = {
    "text": Key("prose", True, "The paragraph's prose."),
    "if": Key("condition", False, "Show this paragraph only while the expression holds.", field="condition"),
}

BRANCH_KEYS: dict[str, Key] = {
    "scene": Key("scene", True, "The scene to go to."),
    "if": Key(
        "condition",
        False,
        "Take this branch only while the expression holds (not on the last branch).",
        field="condition",
    ),
}

#: A scene says where the player goes next with exactly one of these.
SCENE_EXITS = ("choices", "goto", "ending")
