"""What the game says to a player, in either face: one wording for each message.

Names, reasons and other text read from saves or stories are passed in as they
are; the face cleans the whole message where it shows it.
"""

from __future__ import annotations

NOTHING_TO_UNDO = "Nothing to undo: this is where the game started."
NO_GAME_YET = "There is no game to continue yet: start a new one."
NEW_GAME_QUESTION = (
    "Start a new game? The game in progress will no longer be the one Continue resumes (save it first to keep it)."
)
NOTHING_TO_SAVE = "Start or continue a game first: there is nothing to save yet."
THE_END = "THE END"
GAME_SAVED = "Your game is saved. Run the game again and choose Continue to pick up where you left off."
LOCKED_ENDING = "Not reached yet."


def no_such_choice(number: int | str, count: int) -> str:
    return f"There is no choice {number}: " + ("choose 1." if count == 1 else f"choose 1 to {count}.")


def saved(name: str) -> str:
    return f"Saved as '{' '.join(name.split())}'."


def loaded(name: str) -> str:
    return f"Loaded '{name}'."


def cannot_load(name: str, reason: object) -> str:
    return f"Cannot load '{name}': {reason}"


def could_not_save(error: OSError) -> str:
    return f"Could not save: {error.strerror or error}"


def autosave_unreadable(reason: str) -> str:
    return f"The autosave cannot be loaded: {reason}."


def replace_save(name: str) -> str:
    return f"Replace the save '{name}'?"


def unexpected_error(where: str) -> str:
    return f"The game hit an unexpected error in {where}:"
