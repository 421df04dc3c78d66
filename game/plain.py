"""The line-mode player: `million-miles play --plain`.

For screen readers, pipes, SSH sessions and terminals Textual cannot drive.
It prints each scene and its numbered choices as plain lines (no colour, no
cursor movement) and reads one answer per line from standard input. Every
command of the full-screen app exists here as a typed word, and it shares the
same saves, autosave and endings record. It never imports Textual.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import TextIO

from game.engine.model import Story
from game.engine.runtime import Game
from game.engine.saves import DamagedSave, LoadError, PlayError, SaveInfo, SaveStore, Session
from game.tui.safe_text import clean

HELP = """\
Type the number of a choice to take it, or one of these commands:
  undo (u)          go back one choice
  save (s) [NAME]   save the game in a named slot
  load (l) [N]      load a saved game (the list shows the numbers)
  journal (j)       the story so far, with your choices
  status            the values in play
  look (r)          show the scene again
  endings (e)       the endings you have reached
  menu              back to the title menu
  help (h, ?)       this list
  quit (q)          leave (the game is autosaved; choose Continue next time)"""

COMMANDS = {
    "u": "undo",
    "undo": "undo",
    "back": "undo",
    "s": "save",
    "save": "save",
    "l": "load",
    "load": "load",
    "j": "journal",
    "journal": "journal",
    "status": "status",
    "vars": "status",
    "r": "look",
    "look": "look",
    "e": "endings",
    "endings": "endings",
    "menu": "menu",
    "title": "menu",
    "h": "help",
    "help": "help",
    "?": "help",
    "q": "quit",
    "quit": "quit",
    "exit": "quit",
}


class Quit(Exception):
    """The player asked to leave, or standard input ended."""


class PlainPlayer:
    def __init__(self, story: Story, store: SaveStore, stdin: TextIO, stdout: TextIO, width: int | None):
        self.story, self.store = story, store
        self.stdin, self.stdout = stdin, stdout
        self.width = width
        self.session: Session | None = None

    # ------------------------------------------------------------------ input and output

    def say(self, text: str = "") -> None:
        """Print `text` (already cleaned), one paragraph per line unless wrapping for a terminal."""
        if self.width and text:
            text = "\n".join(textwrap.fill(line, self.width) if line else "" for line in text.split("\n"))
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str = "> ") -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:  # end of input: leave cleanly, the game is autosaved
            self.stdout.write("\n")
            raise Quit
        return line.strip()

    # ------------------------------------------------------------------ the title menu

    def run(self) -> int:
        try:
            self.title_menu()
        except Quit:
            pass
        except KeyboardInterrupt:
            self.stdout.write("\n")
            self.leave()
            return 130
        self.leave()
        return 0

    def leave(self) -> None:
        if self.session is not None:
            self.session.autosave()
            self.say("Your game is saved. Run the game again and choose Continue to pick up where you left off.")
        self.say("Goodbye.")

    def title_menu(self) -> None:
        while True:
            self.say(clean(self.story.title))
            self.say("=" * min(len(self.story.title), 76))
            auto = self.store.autosave_entry()
            resume = (
                f"Continue ({clean(auto.summary)}, {auto.when})"
                if isinstance(auto, SaveInfo)
                else ("Continue (no saved game yet)")
            )
            for i, entry in enumerate(("New game", resume, "Load a saved game", "Endings", "Quit"), 1):
                self.say(f"{i}. {entry}")
            answer = self.ask().lower()
            if answer in ("1", "n", "new"):
                if self.store.game_in_progress() and self.ask(
                    "A game is in progress; Continue would no longer resume it. Start a new game? (y/n) "
                ).lower() not in ("y", "yes"):
                    continue
                self.session = Session.new(self.store)
                self.play()
            elif answer in ("2", "c", "continue"):
                if isinstance(auto, SaveInfo):
                    self.start(auto)
                elif isinstance(auto, DamagedSave):
                    self.say(f"The autosave cannot be loaded: {auto.reason}.")
                else:
                    self.say("There is no saved game yet: choose 1 for a new game.")
            elif answer in ("3", "l", "load"):
                picked = self.pick_save("")
                if picked is not None:
                    self.start(picked)
            elif answer in ("4", "e", "endings"):
                self.endings()
            elif answer in ("5", "q", "quit", "exit"):
                raise Quit
            elif answer in ("h", "help", "?"):
                self.say("Type the number of an entry (1 to 5).")
            else:
                self.say("Type a number from 1 to 5.")
            self.say()

    def start(self, entry: SaveInfo) -> None:
        try:
            self.session = Session.load(self.store, entry)
        except LoadError as exc:
            self.say(f"Cannot load: {clean(exc)}")
            return
        self.say(f"Loaded '{clean(entry.name)}'.")
        self.play()

    # ------------------------------------------------------------------ playing

    def play(self) -> None:
        """Scenes and commands until the player goes back to the menu (or quits)."""
        self.show_scene()
        while True:
            answer = self.ask()
            if not answer:
                continue
            word, _, rest = answer.partition(" ")
            if word.isdigit():
                self.choose(int(word))
                continue
            command = COMMANDS.get(word.lower())
            if command is None:
                self.say(f"'{clean(answer)}' is not a choice or a command. Type help for the list.")
            elif command == "menu":
                self.say()
                return
            elif command == "quit":
                raise Quit
            else:
                handler: Callable[[str], None] = getattr(self, command)
                handler(rest.strip())

    @property
    def game(self) -> Game:
        assert self.session is not None
        return self.session.game

    def show_scene(self) -> None:
        game = self.game
        scene = game.scene
        heading = " · ".join(clean(p) for p in (scene.chapter, scene.title) if p)
        self.say()
        if heading:
            self.say(f"== {heading} ==")
            self.say()
        for paragraph in game.paragraphs:
            self.say(clean(paragraph))
            self.say()
        if game.is_over:
            self.show_ending()
            return
        if self.story.labelled:
            self.say(self.status_line())
            self.say()
        for option in game.options:
            self.say(f"{option.number}. {clean(option.text)}")
        self.report_notes()

    def show_ending(self) -> None:
        ending = self.game.ending
        assert ending is not None, "shown only once the game is over"
        reached, _ = self.store.reached()
        self.say(f"THE END: {clean(ending.title)}")
        self.say(clean(ending.description))
        self.say(f"Endings reached: {len(reached)} of {len(self.story.endings)}.")
        self.report_notes()
        self.say("Type undo to go back, journal, endings, menu or quit.")

    def status_line(self) -> str:
        values = self.game.state.variables
        return " · ".join(f"{clean(v.label)}: {_show(values.get(v.name))}" for v in self.story.labelled)

    def report_notes(self) -> None:
        assert self.session is not None
        for note in self.session.take_notes():
            self.say(f"Note: {clean(note)}")

    def choose(self, number: int) -> None:
        assert self.session is not None
        if self.game.is_over:
            self.say("The story has ended. Type undo to go back, or menu.")
            return
        try:
            changes = self.session.choose(number)
        except ValueError:
            count = len(self.game.options)
            self.say(f"There is no choice {number}. " + ("Type 1." if count == 1 else f"Choose from 1 to {count}."))
            return
        except PlayError as exc:
            self.fail(exc)
            return
        if changes:
            self.say("(" + ", ".join(f"{clean(c.label)} {_show(c.old)} → {_show(c.new)}" for c in changes) + ")")
        self.show_scene()

    def fail(self, exc: PlayError) -> None:
        self.say(f"Something went wrong in {clean(exc.where)}: {clean(exc)}")
        self.say("Your game was autosaved just before; you are back where you were.")
        self.report_notes()

    # ------------------------------------------------------------------ commands (each takes the rest of the line)

    def undo(self, _: str) -> None:
        assert self.session is not None
        try:
            self.session.undo()
        except ValueError:
            self.say("Nothing to undo: this is where the game started.")
            return
        except PlayError as exc:
            self.fail(exc)
            return
        self.say("(undone)")
        self.show_scene()

    def save(self, name: str) -> None:
        assert self.session is not None
        if not name:
            suggestion = clean(self.game.scene.title or self.game.scene.id)
            name = self.ask(f"Name for this save (Enter for '{suggestion}'): ") or suggestion
        existing = self.store.find(name)
        if existing is not None and self.ask(f"Replace the save '{clean(existing.name)}'? (y/n) ").lower() not in (
            "y",
            "yes",
        ):
            self.say("Not saved.")
            return
        try:
            self.session.save(name)
        except OSError as exc:
            self.say(f"Could not save: {exc.strerror or exc}")
            return
        self.say(f"Saved as '{clean(' '.join(name.split()))}'.")

    def pick_save(self, which: str) -> SaveInfo | None:
        """List the saves and ask which one (unless `which` already says: a number or a name)."""
        entries = self.listing()
        if not entries:
            return None
        choice = which or self.ask("Load which? (number, or Enter to cancel) ")
        if not choice:
            return None
        picked = entries.get(choice) or next(
            (e for e in entries.values() if e.name.casefold() == choice.casefold()), None
        )
        if picked is None:
            self.say(f"There is no save '{clean(choice)}'.")
        return picked

    def load(self, which: str) -> None:
        entry = self.pick_save(which)
        if entry is None:
            return
        try:
            self.session = Session.load(self.store, entry)
        except LoadError as exc:
            self.say(f"Cannot load: {clean(exc)}")
            return
        self.say(f"Loaded '{clean(entry.name)}'.")
        self.show_scene()

    def listing(self) -> dict[str, SaveInfo]:
        """Print the saves (autosave first) and return the loadable ones by their number."""
        entries = [e for e in (self.store.autosave_entry(), *self.store.slots()) if e is not None]
        if not entries:
            self.say("There are no saved games yet.")
            return {}
        numbered: dict[str, SaveInfo] = {}
        self.say("Saved games:")
        for entry in entries:
            if isinstance(entry, DamagedSave):
                self.say(f"   damaged: {clean(entry.name)} ({clean(entry.reason)})")
            else:
                numbered[str(len(numbered) + 1)] = entry
                self.say(f"{len(numbered):>2}. {clean(entry.name)}: {clean(entry.summary)}, {entry.when}")
        if not numbered:
            self.say("None of them can be loaded.")
        return numbered

    def journal(self, _: str) -> None:
        self.say()
        self.say("Journal")
        self.say("-------")
        for entry in self.game.journal():
            heading = " · ".join(clean(p) for p in (entry.scene.chapter, entry.scene.title) if p)
            if heading:
                self.say(f"== {heading} ==")
            for paragraph in entry.paragraphs:
                self.say(clean(paragraph))
            self.say(f"-> {clean(entry.chosen)}" if entry.chosen else "(you are here)")
            self.say()

    def status(self, _: str) -> None:
        self.say(self.status_line() if self.story.labelled else "This story shows no values.")

    def look(self, _: str) -> None:
        self.show_scene()

    def endings(self, _: str = "") -> None:
        reached, problem = self.store.reached()
        self.say(f"Endings reached: {len(reached)} of {len(self.story.endings)}")
        for ending in self.story.endings.values():
            if ending.id in reached:
                self.say(f"  * {clean(ending.title)}: {clean(ending.description)}")
            else:
                self.say("  - (locked) not reached yet")
        if problem:
            self.say(f"Note: {clean(problem)}")

    def help(self, _: str) -> None:
        self.say(HELP)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return clean(value)


def run_plain(story: Story, store: SaveStore, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Play `story` line by line; return the exit status (0, or 130 after Ctrl+C)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(errors="replace")  # never crash on a terminal that cannot show 'é'
    width = None
    if stdout.isatty():
        width = max(20, min(76, shutil.get_terminal_size().columns - 1))
    return PlainPlayer(story, store, stdin, stdout, width).run()
