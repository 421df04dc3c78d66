"""The story format, declared once: the loader validates with it, the JSON Schema is generated from it.

Keeping the keys, their kinds and their documentation in one table means the
loader, the editor schema and the docs cannot drift apart.
"""

from __future__ import annotations

from game.engine.records import record

FORMAT_VERSION = 1

#: Story files above this size are refused before parsing.
MAX_FILE_BYTES = 2 * 1024 * 1024


@record
class Key:
    """One key an object may hold.

    `kind` is one of: text (any scalar, read as prose), id (a scene/ending/variable
    name), int, bool, expr (an expression), value (int, string or boolean),
    goto (scene id or list of branches), scene_text (text or list of paragraphs),
    variables, endings, scenes, choices, set (mapping of variable → expression).
    """

    kind: str
    required: bool = False
    doc: str = ""


STORY_KEYS: dict[str, Key] = {
    "title": Key("text", True, "The story's title, shown on the title screen and recorded in saves."),
    "start": Key("id", True, "The id of the scene a new game starts in."),
    "variables": Key("variables", False, "Game state: name → {default, label, min, max} or name → default."),
    "endings": Key("endings", False, "Endings: id → {title, description}."),
}

VARIABLE_KEYS: dict[str, Key] = {
    "default": Key("value", True, "Starting value; its type (integer, string, boolean) is the variable's type."),
    "label": Key("text", False, "Shown to the player in the side panel under this label."),
    "min": Key("int", False, "Lowest value (integers only): lower values are clamped."),
    "max": Key("int", False, "Highest value (integers only): higher values are clamped."),
}

ENDING_KEYS: dict[str, Key] = {
    "title": Key("text", True, "The ending's name, shown on the ending screen and in the gallery."),
    "description": Key("text", False, "One or two sentences shown with the title."),
}

SCENE_FILE_KEYS: dict[str, Key] = {
    "chapter": Key("text", False, "The chapter of every scene in this file (a scene may override it)."),
    "scenes": Key("scenes", True, "Scene id → scene."),
}

SCENE_KEYS: dict[str, Key] = {
    "title": Key("text", False, "Shown above the text."),
    "chapter": Key("text", False, "Overrides the file's chapter for this scene."),
    "text": Key("scene_text", True, "Prose with {variable} interpolation, or a list of (conditional) paragraphs."),
    "choices": Key("choices", False, "The choices offered (exactly one of choices, goto, ending)."),
    "goto": Key("goto", False, "A single 'Continue' step to this scene (exactly one of choices, goto, ending)."),
    "ending": Key("id", False, "This scene ends the game with this ending (exactly one of choices, goto, ending)."),
}

CHOICE_KEYS: dict[str, Key] = {
    "text": Key("text", True, "What the player sees, with {variable} interpolation."),
    "goto": Key("goto", True, "The scene this choice leads to, or a list of conditional branches."),
    "if": Key("expr", False, "Offer this choice only while the expression holds."),
    "set": Key("set", False, "variable → expression, all evaluated against the state before the choice."),
    "once": Key("bool", False, "Offer this choice only until it has been taken once."),
}

PARAGRAPH_KEYS: dict[str, Key] = {
    "text": Key("text", True, "The paragraph's prose."),
    "if": Key("expr", False, "Show this paragraph only while the expression holds."),
}

BRANCH_KEYS: dict[str, Key] = {
    "scene": Key("id", True, "The scene to go to."),
    "if": Key("expr", False, "Take this branch only while the expression holds (not on the last branch)."),
}

SCENE_EXITS = ("choices", "goto", "ending")
