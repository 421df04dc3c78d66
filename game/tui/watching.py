"""`play --watch` in the full-screen player: reload the story when its files change.

`LiveStory` is created by the app only when `--watch` is given, so playing
without it costs nothing: no timer, no scan, no import of this module.

Twice a second it compares the story files' stat signature (no file is read);
when something changed it loads the story again in a thread worker
(`MillionMilesApp.reload_story`), so a big story never freezes the screen, and
only the files that changed are compiled again. Then either

* the story loads: the game in progress is replayed on it to the same point
  (`game.engine.watch.carry_over`), the scene is drawn again with the new
  text, the autosave is rewritten, and a notification says what happened; or
* it does not: the `StoryErrors` panel lists the errors, located, and the game
  goes on with the last version that loaded. The panel goes away by itself
  once a later save of the files fixes them.

Once a version loads (at the start too), the slow half of `check` (authoring
warnings, the explorer's findings) runs in a child process
(`game.authoring.findings`): the reload is applied first and play never waits
for it; what it finds fills the same panel, in the warning colour, a moment
later. A newer edit kills the child at work, so findings of an old version are
never shown.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.screen import ModalScreen, Screen
from textual.worker import WorkerFailed, get_current_worker

from game.authoring.findings import FindingsJob
from game.engine.errors import Diagnostic
from game.engine.model import Story
from game.engine.watch import POLL_SECONDS, FileChanges, Reload, StoryWatcher, adopt
from game.present.diagnostics import located
from game.present.terminal import clean
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.too_small import TooSmallScreen
from game.tui.widgets.story_errors import DISMISS_KEY, StoryErrors

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp


def _state_shape(story: Story) -> list[tuple[str, str | None, str]]:
    """What the state panels are built from: when it changes, they must be built again."""
    return [(v.name, v.label, v.type) for v in story.labelled]


class LiveStory:
    """Keeps the app's story, store and game in step with the story folder on disk."""

    def __init__(self, app: MillionMilesApp, watcher: StoryWatcher) -> None:
        self.app = app
        self.watcher = watcher
        self.root = watcher.root  # as the player named it: error lines name the files under it
        self.errors: tuple[str, ...] = ()
        #: What `check` adds about the version being played (warnings, the explorer's findings), located.
        self.findings: tuple[str, ...] = ()
        self.dismissed = False
        self._busy = False

    def start(self) -> None:
        self.app.set_interval(POLL_SECONDS, self.check, name="story-watch")
        self.app.screen_change_signal.subscribe(self.app, self._screen_changed)
        self.app.bind(DISMISS_KEY, "dismiss_story_errors", show=False)
        self._look_for_findings()

    # ------------------------------------------------------------------ the poll

    async def check(self) -> FileChanges | None:
        """Look at the files once; reload if they changed. Returns what changed, if anything."""
        if self._busy:  # a reload is under way; its signature is already taken, the next poll sees the rest
            return None
        changes = self.watcher.poll()
        if not changes:
            return None
        self._busy = True
        try:
            result: Reload = await self.app.reload_story(self.watcher).wait()
            if result.story is None:
                self._show_errors(result.errors)
            else:
                await self._apply(result.story, changes)
        except Exception as exc:  # a bug of ours must not end the author's session: say it, keep playing
            error = exc.error if isinstance(exc, WorkerFailed) else exc
            self.app.notify(
                f"Could not reload the story: {type(error).__name__}: {error}",
                severity="error",
                timeout=10,
                markup=False,
            )
        finally:
            self._busy = False
        return changes

    # ------------------------------------------------------------------ a broken story

    def _show_errors(self, errors: list[Diagnostic]) -> None:
        lines = tuple(clean(located(d, self.root)) for d in errors)
        if lines != self.errors:
            self.dismissed = False  # new errors: show them even if the old ones were dismissed
        self.errors = lines
        self.app.workers.cancel_group(self.app, "story-findings")  # the version it checks is gone
        self._sync_panels()

    # ------------------------------------------------------------------ what check finds, after a reload

    def _look_for_findings(self) -> None:
        """Start the slow findings of the version on disk, stopping those of an older one."""
        self.app.run_worker(self._find, name="story-findings", group="story-findings", exclusive=True, thread=True)

    def _find(self) -> None:
        """In a thread worker: the child process at work, watched until it answers or the worker is
        cancelled (a newer version, or the app closing), when the child is killed."""
        worker = get_current_worker()
        job = FindingsJob(self.root)
        try:
            while not job.done and not worker.is_cancelled:
                job.result(0.1)
        finally:
            job.cancel()  # nothing to stop if it answered
        found = job.result()
        if found is None or worker.is_cancelled:
            return
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._show_findings, found)

    def _show_findings(self, found: list[Diagnostic]) -> None:
        if self.errors:  # the files broke meanwhile: their errors come first
            return
        lines = tuple(clean(located(d, self.root)) for d in sorted(found, key=Diagnostic.sort_key))
        if lines != self.findings:
            self.dismissed = False  # something new to read
        self.findings = lines
        self._sync_panels()

    def dismiss(self) -> None:
        self.dismissed = True
        self._sync_panels()

    def _screen_changed(self, screen: Screen) -> None:
        if self.errors or self.findings:
            self._sync_panels()

    def _sync_panels(self) -> None:
        """Every full screen on the stack gets a panel (a dialog shows the one beneath it)."""
        warnings = not self.errors
        shown = () if self.dismissed else (self.errors or self.findings)
        for screen in self.app.screen_stack:
            if isinstance(screen, (ModalScreen, TooSmallScreen)):
                continue
            panels = screen.query_children(StoryErrors)
            if panels:
                panels.first().show(shown, warnings)
            elif shown:
                panel = StoryErrors()
                panel.show(shown, warnings)
                screen.mount(panel)
            else:
                continue

    # ------------------------------------------------------------------ a story that loads

    async def _apply(self, story: Story, changes: FileChanges) -> None:
        app = self.app
        old_story, session = app.story, app.session
        adopted = adopt(story, old_story, app.store, session, changes)
        app.story, app.store, app.title = story, adopted.store, clean(story.title)
        self.errors, self.dismissed = (), False
        self._sync_panels()  # the last findings stay until the new version's arrive
        self._look_for_findings()

        scene = next((s for s in app.screen_stack if isinstance(s, SceneScreen)), None)
        if scene is not None and session is not None:
            if not isinstance(app.screen, TooSmallScreen):  # it must stay on top; it goes by itself
                while app.screen is not scene:  # endings, journal, dialogs: they show the old version
                    await app.pop_screen()
            if _state_shape(story) != _state_shape(old_story):
                await scene.recompose()  # which takes the panel with it: the scene gets a new one
                scene.set_class(not story.labelled, "-no-state")
                self._sync_panels()
            scene.set_session(session)
        title = app.screen_stack[0]
        if isinstance(title, TitleScreen):
            if story.title != old_story.title:
                await title.recompose()
            showing = app.screen is title
            if showing:
                title.refresh_menu()
        if adopted.diverged is None:
            app.notify(clean(adopted.message), timeout=3, markup=False)
        else:
            app.notify(clean(adopted.message), severity="warning", timeout=10, markup=False)
