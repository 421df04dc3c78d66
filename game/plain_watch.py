"""`play --plain --watch`: the line-mode player, following edits to the story folder.

Line mode has no timer: it blocks on standard input. So it looks at the files
each time the player answers, which is when the author comes back from their
editor. A change that loads is replayed to the same point and the scene is
printed again; a choice number just typed was meant for the old text, so it is
set aside and the prompt comes back (an empty Enter is the way to say "show me
my edit"; a command such as `undo` or `quit` is taken as usual). A change that does not load prints its errors, in compiler format, and
play goes on with the last version that loaded, the answer taken as usual.

Once a version loads (at the start too), the slow half of `check` (authoring
warnings, the explorer's findings) runs in a child process
(`game.authoring.findings`). After a reload the scene is printed first; the
findings follow when they are ready, at most `FINDINGS_WAIT` seconds later,
or else before the next prompt after they are. They are printed when they
change, never twice the same. Like `game.plain`, it never imports Textual.
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from game.authoring.findings import FindingsJob
from game.engine.errors import Diagnostic
from game.engine.model import Story
from game.engine.saves import SaveStore
from game.engine.watch import FileChanges, StoryWatcher, adopt
from game.plain import PlainPlayer
from game.present.diagnostics import located
from game.present.terminal import clean
from game.present.words import plural

PROMPT = "> "
#: Seconds the line player waits, after printing a reloaded scene, for what `check` finds in it.
FINDINGS_WAIT = 2.0


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
        self.findings: FindingsJob | None = None
        self.reported: tuple[str, ...] = ()  # the findings last printed

    def run(self) -> int:
        self.findings = FindingsJob(self.root)
        try:
            return super().run()
        finally:
            if self.findings is not None:
                self.findings.cancel()

    def report_findings(self, wait: float = 0) -> None:
        """Print what `check` finds in the version being played, once it is known and if it changed."""
        job = self.findings
        if job is None:
            return
        found = job.result(wait)
        if not job.done:
            if wait:
                self.say("(check is still exploring every path of this version; what it finds comes later.)")
            return
        self.findings = None
        if found is None:  # the child failed: nothing to say that would help
            return
        lines = tuple(clean(located(d, self.root)) for d in sorted(found, key=Diagnostic.sort_key))
        if lines == self.reported:
            return
        self.reported = lines
        self.say()
        if not lines:
            self.say("check finds nothing more to fix in this version.")
            return
        self.say(f"check finds {plural(len(lines), 'problem')} in this version:")
        for line in lines:
            self.say(line)

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
            self.report_findings()
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
        if self.findings is not None:
            self.findings.cancel()  # its version is gone
            self.findings = None
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
        self.findings = FindingsJob(self.root)
        self.report_findings(FINDINGS_WAIT)
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
