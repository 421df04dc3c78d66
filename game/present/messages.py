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
GAME_SAVED = "Your game is saved. Run the game again to pick up where you left off."
LOCKED_ENDING = "Not reached yet."
NO_HINT = "No hint for this one: keep exploring."
NOTHING_TO_SKIP = "Nothing to skip here: skipping passes scenes you have already read that only continue."
NO_CHAPTERS_YET = "No chapter reached yet: chapters open here as you reach them."
LOCKED_CHAPTER = "Not reached yet."
CHAPTER_QUESTION = (
    "Play from the start of this chapter? The game in progress will no longer be the one Continue "
    "resumes (save it first to keep it)."
)
PLAIN_OPENING = "Type the number of a choice, or help for the commands; menu leads to the title menu."
REWIND_HOW = "To go back to an entry, type rewind and its number."
HINTS_HOW_PLAIN = "Type hints for a hint about each ending not reached yet."
REDUCED_MOTION_ON = "Reduced motion is on: no chapter cards and no launch sequence."
REDUCED_MOTION_OFF = "Reduced motion is off: chapter cards and the launch sequence play (any key skips them)."


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


def skipped(count: int) -> str:
    return f"Skipped {count} scene{'' if count == 1 else 's'} you had already read."


def explained(label: str, description: str) -> str:
    """The one-time note the first time a choice changes a value (help lists them all)."""
    return f"{label}: {description}"


def back_to_question(title: str, undone: int) -> str:
    choices = "the choice" if undone == 1 else f"the {undone} choices"
    return f"Go back to '{title}'? {choices[0].upper()}{choices[1:]} made since will be undone."


def went_back(title: str) -> str:
    return f"Back to '{title}'."


def chapter_started(name: str) -> str:
    return f"Playing from the start of '{name}'."


def cannot_start_chapter(name: str, reason: object) -> str:
    return f"Cannot play from '{name}': {reason}"


def journal_more(shown: int, total: int, more: int) -> str:
    return f"-- {shown} of {total} entries: Enter for {more} more, q to stop --"


def answer_placeholder(default: str) -> str:
    """In the field where a scene asks the player to type a text."""
    return f"Type your answer, then Enter (nothing typed: {default})" if default else "Type your answer, then Enter"


def plain_question(prompt: str, default: str) -> str:
    """In the line player, where a scene asks the player to type a text."""
    question = f"{prompt} " if prompt else ""
    otherwise = f"Enter alone: {default}; " if default else ""
    return f"{question}(Type your answer. {otherwise}a command starts with /, as /undo.)"
