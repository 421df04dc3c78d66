"""`play --plain --watch`: the line-mode player, following edits to the story folder.

Line mode has no timer: it blocks on standard input. So it looks at the files
each time the player answers, which is when the author comes back from their
editor. A change that loads is replayed to the same point and the scene is
printed again; a choice number just typed was meant for the old text, so it is
set aside and the prompt comes back (an empty Enter is the way to say "show me
my edit"; a command such as `undo` or `quit` is taken as usual). A change that does not load prints its errors, in compiler format, and
play goes on with the last version that loaded, the answer taken as usual.
Like `game.plain`, it never imports Textual.
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from game.engine.model import Story
from game.engine.saves import SaveStore
from game.engine.watch import FileChanges, StoryWatcher, adopt
from game.plain import PlainPlayer
from game.present.diagnostics import located
from game.present.terminal import clean
from game.present.words import plural

PROMPT = "> "


class WatchingPlainPlayer(PlainPlayer):
    """A `PlainPlayer` that reloads the story when the player answers one of its main prompts."""

    def __init__(
        self, story: Story, store: SaveStore, stdin: TextIO, stdout: TextIO, width: int | None, watcher: StoryWatcher
    ):
        super().__init__(story, store, stdin, stdout, width)
        self.watcher = watcher
        self.root = watcher.root  # as the player named it: error lines name the files under it
        self.in_play = False
        self.reloaded = False  # whether the last look at the files loaded a new version

    def play(self) -> None:
        self.in_play = True
        try:
            super().play()
        finally:
            self.in_play = False

    def ask(self, prompt: str = PROMPT) -> str:
        if prompt != PROMPT:  # a question in the middle of a command ("Name for this save:")
            return super().ask(prompt)
        while True:
            answer = super().ask(prompt)
            changes = self.check_story()
            word = answer.partition(" ")[0]
            chose = word.isascii() and word.isdigit()  # a number names a choice as the old version showed it
            if not (changes and self.reloaded and self.in_play and chose):
                return answer
            self.say(f"(Your choice '{clean(answer)}' was for the old version: it was not taken. Choose again.)")

    def check_story(self) -> FileChanges | None:
        """Reload if the files changed since the last look; say what happened."""
        self.reloaded = False
        changes = self.watcher.poll()
        if not changes:
            return None
        result = self.watcher.reload()
        if result.story is None:
            errors = result.errors
            self.say()
            self.say(
                f"The story on disk has {plural(len(errors), 'error')}; you are playing the last version that loaded:"
            )
            for diagnostic in errors:
                self.say(clean(located(diagnostic, self.root)))
            self.say("Save a fix and press Enter to reload it.")
            return changes
        old_story = self.story
        adopted = adopt(result.story, old_story, self.store, self.session, changes)
        self.story, self.store = result.story, adopted.store
        self.reloaded = True
        self.say()
        self.say(clean(adopted.message))
        if self.in_play and self.session is not None:
            self.show_scene(status=True)  # the values too: the edit may have changed them
        return changes


def run_plain_watching(
    story: Story, store: SaveStore, watcher: StoryWatcher, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Play `story` line by line, following the edits `watcher` sees; return the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(errors="replace")
    width = None
    if stdout.isatty():
        width = max(20, min(76, shutil.get_terminal_size().columns - 1))
    return WatchingPlainPlayer(story, store, stdin, stdout, width, watcher).run()
