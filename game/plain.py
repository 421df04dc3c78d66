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
from game.engine.saves import Change, DamagedSave, LoadError, PlayError, SaveInfo, SaveStore, Session
from game.present import messages
from game.present.about import about
from game.present.chapters import chapter_list
from game.present.menus import TITLE_MENU
from game.present.opening import session_to_open
from game.present.terminal import clean
from game.present.words import endings_found, heading_line, save_summary, save_time, shown

HELP = """\
Type the number of a choice to take it, or one of these commands:
  undo (u)          go back one choice
  skip (f)          skip scenes you have already read, up to the next choice or new scene
  save (s) [NAME]   save the game in a named slot
  load (l) [N]      load a saved game (the list shows the numbers)
  journal (j)       the story so far, with your choices, a page at a time
  rewind N          go back to entry N of the journal (the choices since are undone)
  status            the values in play (shown by themselves only when one changes)
  look (r)          show the scene again
  endings (e)       the endings you have reached; hints: hints for the others
  chapters          play again from the start of a chapter you have reached
  about             what the story is based on, and the engine
  menu              the title menu
  help (h, ?)       this list
  quit (q)          leave (the game is saved: it opens where you left off)
Where a scene asks you to type something, the line you type is the answer;
start a command with / there (/undo, /save)."""

COMMANDS = {
    "u": "undo",
    "undo": "undo",
    "back": "undo",
    "f": "skip",
    "skip": "skip",
    "s": "save",
    "save": "save",
    "l": "load",
    "load": "load",
    "j": "journal",
    "journal": "journal",
    "rewind": "rewind",
    "status": "status",
    "vars": "status",
    "r": "look",
    "look": "look",
    "e": "endings",
    "endings": "endings",
    "hints": "hints",
    "chapters": "chapters",
    "about": "about",
    "menu": "menu",
    "title": "menu",
    "h": "help",
    "help": "help",
    "?": "help",
    "q": "quit",
    "quit": "quit",
    "exit": "quit",
}

#: The prompt where a scene asks the player to type a text (its `input`).
ANSWER_PROMPT = "answer> "

#: Journal entries printed before asking whether to go on.
JOURNAL_PAGE = 20


#: The longest answer line read as one; a longer line is set aside.
MAX_LINE = 4096
#: How much of an over-long line is read on, looking for its end, before the input is taken as endless.
MAX_DISCARD = 1 << 20


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
        """One line of the player's answer. Input is read a bounded line at a time: a line longer
        than `MAX_LINE` is set aside (read on to its end, no further than `MAX_DISCARD`), and input
        that never ends a line (a stream of zeros) ends the game, saved, instead of filling memory."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline(MAX_LINE + 1)
        if not line:  # end of input: leave cleanly, the game is autosaved
            self.stdout.write("\n")
            raise Quit
        if len(line) > MAX_LINE and not line.endswith("\n"):
            discarded = len(line)
            while discarded <= MAX_DISCARD:
                rest = self.stdin.readline(MAX_LINE)
                discarded += len(rest)
                if not rest or rest.endswith("\n"):
                    break
            else:
                self.say()
                self.say(f"The input has no end of line after {MAX_DISCARD:,} characters: stopping here.")
                raise Quit
            self.say(f"That line is longer than {MAX_LINE:,} characters: it was set aside.")
            return ""
        return line.strip()

    # ------------------------------------------------------------------ the title menu

    def run(self) -> int:
        try:
            self.open()
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
            if self.session.autosave():
                self.say(messages.GAME_SAVED)
            else:
                self.report_notes()  # why it could not be saved
        self.say("Goodbye.")

    def open(self) -> None:
        """Straight into the story, as the full-screen player opens: the game in progress, or a new
        game; the title menu when there is nothing to resume (`game.present.opening`)."""
        session, problem = session_to_open(self.store)
        if problem:
            self.say(clean(problem))
            self.say()
        if session is None:
            return
        self.session = session
        self.say(clean(self.story.title))
        self.say(messages.PLAIN_OPENING)
        self.play()

    def title_menu(self) -> None:
        count = len(TITLE_MENU)
        while True:
            self.say(clean(self.story.title))
            self.say("=" * min(len(self.story.title), 76))
            auto = self.store.autosave_entry()
            for number, entry in enumerate(TITLE_MENU, 1):
                label = entry.label
                if entry.action == "continue":
                    where = (
                        f"{save_summary(auto)}, {save_time(auto)}"
                        if isinstance(auto, SaveInfo)
                        else "no saved game yet"
                    )
                    label = f"{label} ({clean(where)})"
                self.say(f"{number}. {label}")
            answer = self.ask().lower()
            picked = next(
                (e for n, e in enumerate(TITLE_MENU, 1) if answer in (str(n), e.key, e.label.lower(), e.action)), None
            )
            if picked is None and answer == "exit":
                raise Quit
            action = picked.action if picked is not None else ""
            if action == "new_game":
                if self.store.game_in_progress() and not self.confirm(messages.NEW_GAME_QUESTION):
                    continue
                self.session = Session.new(self.store)
                self.play()
            elif action == "continue":
                if isinstance(auto, SaveInfo):
                    self.start(auto)
                elif isinstance(auto, DamagedSave):
                    self.say(clean(messages.autosave_unreadable(auto.reason)))
                else:
                    self.say(messages.NO_GAME_YET)
            elif action == "load":
                chosen = self.pick_save("")
                if chosen is not None:
                    self.start(chosen)
            elif action == "chapters":
                if self.pick_chapter(""):
                    self.play()
            elif action == "endings":
                self.endings()
            elif action == "about":
                self.about()
            elif action == "quit_game":
                raise Quit
            elif answer in ("h", "help", "?"):
                self.say(f"Type the number of an entry (1 to {count}).")
            else:
                self.say(f"Type a number from 1 to {count}.")
            self.say()

    def confirm(self, question: str) -> bool:
        return self.ask(f"{question} (y/n) ").lower() in ("y", "yes")

    def start(self, entry: SaveInfo) -> None:
        """From the title menu: resume `entry` and play on."""
        if self.resume(entry):
            self.play()

    def resume(self, entry: SaveInfo) -> bool:
        try:
            self.session = Session.load(self.store, entry)
        except LoadError as exc:
            self.say(clean(messages.cannot_load(entry.name, exc)))
            return False
        self.say(clean(messages.loaded(entry.name)))
        return True

    # ------------------------------------------------------------------ playing

    def play(self) -> None:
        """Scenes and commands until the player goes back to the menu (or quits)."""
        self.show_scene(status=True)
        while True:
            if self.game.asks:  # a scene that asks for a text: what is typed is the answer
                answer = self.ask(ANSWER_PROMPT)
                if not answer.startswith("/"):
                    self.type_answer(answer)
                    continue
                answer = answer[1:].strip()  # '/undo': a command, at the question
            else:
                answer = self.ask().removeprefix("/")  # '/undo' works everywhere, as at a question
            if not answer:
                continue
            word, _, rest = answer.partition(" ")
            if word.isascii() and word.isdigit():  # not '²': only ASCII digits are a choice's number
                if len(word) > 9:  # no story offers a billion choices, and int() of 5,000 digits fails
                    self.say(messages.no_such_choice(f"{word[:9]}…", len(self.game.options)))
                else:
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

    def show_scene(self, status: bool = False) -> None:
        """The scene: heading, text, then the choices; the values before them only with `status`
        (when play starts and on `look`: otherwise a move prints what it changed, nothing more)."""
        game = self.game
        scene = game.scene
        heading = clean(heading_line(scene.chapter, game.title))
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
        if status and self.story.labelled:
            self.say(self.status_line())
            self.say()
        asked = scene.input if game.asks else None
        if asked is not None:
            self.say(clean(messages.plain_question(asked.prompt, asked.default)))
        else:
            for option in game.options:
                self.say(f"{option.number}. {clean(option.text)}")
        self.report_notes()

    def show_ending(self) -> None:
        ending = self.game.ending
        assert ending is not None, "shown only once the game is over"
        reached, _ = self.store.reached()
        self.say(f"{messages.THE_END}: {clean(ending.title)}")
        self.say(clean(ending.description))
        self.say(f"{endings_found(len(reached), len(self.story.endings))}.")
        self.report_notes()
        self.say("Type undo to go back, journal, endings, menu or quit.")

    def status_line(self) -> str:
        values = self.game.state.variables
        return " · ".join(f"{clean(v.label)}: {clean(shown(values.get(v.name)))}" for v in self.story.labelled)

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
            self.say(messages.no_such_choice(number, len(self.game.options)))
            return
        except PlayError as exc:
            self.fail(exc)
            return
        self.moved(changes)

    def moved(self, changes: list[Change]) -> None:
        """After a move: what it changed (the values are printed only when one changed), what a
        value means the first time one changes, then the new scene."""
        assert self.session is not None
        if changes:
            self.say(changed(changes))
            for variable in self.session.explain(changes):
                self.say(clean(messages.explained(variable.label or variable.name, variable.description)))
        self.show_scene()

    def type_answer(self, text: str) -> None:
        assert self.session is not None
        try:
            changes = self.session.answer(text)
        except PlayError as exc:
            self.fail(exc)
            return
        self.moved(changes)

    def fail(self, exc: PlayError) -> None:
        self.say(clean(f"{messages.unexpected_error(exc.where)} {exc}"))
        self.say("Your game was autosaved just before; you are back where you were.")
        self.report_notes()

    # ------------------------------------------------------------------ commands (each takes the rest of the line)

    def undo(self, _: str) -> None:
        assert self.session is not None
        try:
            self.session.undo()
        except ValueError:
            self.say(messages.NOTHING_TO_UNDO)
            return
        except PlayError as exc:
            self.fail(exc)
            return
        self.say("(undone)")
        self.show_scene()

    def save(self, name: str) -> None:
        assert self.session is not None
        if not name:
            suggestion = clean(self.game.title or self.game.scene.id)
            name = self.ask(f"Name for this save (Enter for '{suggestion}'): ") or suggestion
        existing = self.store.find(name)
        if existing is not None and not self.confirm(clean(messages.replace_save(existing.name))):
            self.say("Not saved.")
            return
        try:
            self.session.save(name)
        except OSError as exc:
            self.say(clean(messages.could_not_save(exc)))
            return
        self.say(clean(messages.saved(name)))

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
        if entry is not None and self.resume(entry):
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
                self.say(f"{len(numbered):>2}. {clean(entry.name)}: {clean(save_summary(entry))}, {save_time(entry)}")
        if not numbered:
            self.say("None of them can be loaded.")
        return numbered

    def journal(self, _: str) -> None:
        """The playthrough so far, numbered for `rewind`, `JOURNAL_PAGE` entries at a time."""
        entries = list(self.game.journal())
        self.say()
        self.say("Journal")
        self.say("-------")
        for number, entry in enumerate(entries, 1):
            heading = clean(heading_line(entry.scene.chapter, entry.title or entry.scene.id))
            self.say(f"{number}. == {heading} ==")
            for paragraph in entry.paragraphs:
                self.say(clean(paragraph))
            self.say(f"-> {clean(entry.chosen)}" if entry.chosen else "(you are here)")
            self.say()
            left = len(entries) - number
            if number % JOURNAL_PAGE == 0 and left:
                more = min(left, JOURNAL_PAGE)
                answer = self.ask(f"{messages.journal_more(number, len(entries), more)} ")
                if answer.lower() in ("q", "quit", "n", "no", "stop"):
                    break
        if len(entries) > 1:
            self.say(messages.REWIND_HOW)

    def rewind(self, which: str) -> None:
        assert self.session is not None
        entries = list(self.game.journal())
        if not (which.isascii() and which.isdigit() and 1 <= int(which) < len(entries)):
            if len(entries) > 1:
                self.say(f"Type rewind and the number of an earlier entry of the journal (1 to {len(entries) - 1}).")
            else:
                self.say(messages.NOTHING_TO_UNDO)
            return
        number = int(which)
        title = entries[number - 1].title or entries[number - 1].scene.id
        if not self.confirm(clean(messages.back_to_question(title, len(entries) - number))):
            self.say("Nothing was undone.")
            return
        try:
            changes = self.session.back_to(number - 1)
        except PlayError as exc:
            self.fail(exc)
            return
        self.say(clean(messages.went_back(title)))
        if changes:
            self.say(changed(changes))
        self.show_scene()

    def skip(self, _: str) -> None:
        assert self.session is not None
        try:
            passed, changes = self.session.skip_read()
        except PlayError as exc:
            self.fail(exc)
            return
        if not passed:
            self.say(messages.NOTHING_TO_SKIP)
            return
        self.say(messages.skipped(passed))
        self.moved(changes)

    def status(self, _: str) -> None:
        self.say(self.status_line() if self.story.labelled else "This story shows no values.")

    def look(self, _: str) -> None:
        self.show_scene(status=True)

    def endings(self, _: str = "", hints: bool = False) -> None:
        reached, problem = self.store.reached()
        self.say(endings_found(len(reached), len(self.story.endings)))
        locked = 0
        for ending in self.story.endings.values():
            if ending.id in reached:
                self.say(f"  * {clean(ending.title)}: {clean(ending.description)}")
            else:
                locked += 1
                hint = clean(ending.hint) or messages.NO_HINT
                self.say(f"  - (locked) {f'Hint: {hint}' if hints else messages.LOCKED_ENDING}")
        if problem:
            self.say(f"Note: {clean(problem)}")
        if locked and not hints:
            self.say(messages.HINTS_HOW_PLAIN)

    def hints(self, _: str = "") -> None:
        self.endings(hints=True)

    def chapters(self, which: str) -> None:
        if self.pick_chapter(which):
            self.show_scene(status=True)

    def pick_chapter(self, which: str) -> bool:
        """List the story's chapters, those reached numbered, and start a game from the one picked
        (asking first if that replaces a game in progress); whether one was started."""
        progress, problem = self.store.progress()
        entries = chapter_list(self.story, progress)
        reached = [e for e in entries if e.reached]
        if problem:
            self.say(f"Note: {clean(problem)}")
        if not reached:
            self.say(messages.NO_CHAPTERS_YET)
            return False
        self.say("Chapters:")
        number = 0
        for entry in entries:
            if entry.reached:
                number += 1
                self.say(f"{number:>2}. {clean(entry.name)}")
            else:
                self.say(f"   - (locked) {messages.LOCKED_CHAPTER}")
        choice = which or self.ask("Play from which chapter? (number, or Enter to cancel) ")
        if not choice:
            return False
        picked = next(
            (e for n, e in enumerate(reached, 1) if choice in (str(n),) or e.name.casefold() == choice.casefold()),
            None,
        )
        if picked is None:
            self.say(f"There is no chapter '{clean(choice)}' to play from.")
            return False
        if self.store.game_in_progress() and not self.confirm(messages.CHAPTER_QUESTION):
            return False
        try:
            self.session = Session.from_chapter(self.store, picked.name)
        except LoadError as exc:
            self.say(clean(messages.cannot_start_chapter(picked.name, exc)))
            return False
        self.say(clean(messages.chapter_started(picked.name)))
        return True

    def about(self, _: str = "") -> None:
        title, sections = about(self.story)
        self.say(f"About {clean(title)}")
        for section in sections:
            self.say()
            self.say(f"{section.heading}:")
            for paragraph in section.paragraphs:
                self.say(clean(paragraph))

    def help(self, _: str) -> None:
        self.say(HELP)
        described = [v for v in self.story.labelled if v.description]
        if described:
            self.say()
            self.say("The values:")
            for variable in described:
                self.say(f"  {clean(messages.explained(variable.label or variable.name, variable.description))}")


def changed(changes: list[Change]) -> str:
    """What a choice changed, on one line: '(NASA applications 2 → 3, Resolve 4 → 3)'."""
    return "(" + ", ".join(clean(f"{c.label} {shown(c.old)} → {shown(c.new)}") for c in changes) + ")"


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
