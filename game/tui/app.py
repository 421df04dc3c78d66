"""The full-screen player: `MillionMilesApp(story, store).run()`.

The app is the controller: it owns the `Session` (game + saves) and moves
between screens; the screens only draw and forward keys.

It opens straight on the story, as ink and Z-machine players do: the game in
progress where the player left it, else a new game. The title screen (new
game, continue, load, endings) is always the bottom of the screen stack, one
Escape away, but when the app opens on the story it is only built when first
shown. It is the first screen when there is nothing to resume (the last game
reached an ending, or its autosave cannot be read) and with `play --title`.
Other screens are imported on first use.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen

from game.engine.model import Scene, Story
from game.engine.saves import DamagedSave, LoadError, PlayError, SaveInfo, SaveStore, Session, data_dir
from game.present import messages
from game.present.terminal import clean
from game.tui.screens.title import TitleScreen
from game.tui.stylesheets import FIRST as FIRST_STYLESHEET
from game.tui.stylesheets import read_for
from game.tui.textual_fixes import draw_withheld_frame, drop_stale_toast_holders

if TYPE_CHECKING:
    from game.engine.watch import Reload, StoryWatcher
    from game.tui.watching import LiveStory

MIN_WIDTH, MIN_HEIGHT = 60, 20
#: The exit status after a bug of ours, as for every command (EX_SOFTWARE).
EXIT_BUG = 70

Opening = Literal["story", "title"]


def _help_screen() -> Screen[None]:
    from game.tui.screens.help import HelpScreen  # imported when first shown: not on the way to the first scene

    return HelpScreen()


def _too_small_screen() -> Screen[None]:
    from game.tui.screens.too_small import TooSmallScreen

    return TooSmallScreen(MIN_WIDTH, MIN_HEIGHT)


class MillionMilesApp(App[None]):
    CSS_PATH = FIRST_STYLESHEET  # the first screens' styles; later screens bring theirs (game/tui/stylesheets.py)
    # Under 90 columns the side panel folds into one line; under 80 the footer drops the palette hint.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-medium"), (90, "-wide")]
    # Under 24 rows the scene gives its padding to the text (60×20 is the minimum).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    ENABLE_COMMAND_PALETTE = True
    #: The screens that hold nothing of a game, made once when first shown and kept. The others are
    #: made for what they show (a session, a save list, an ending) each time they open.
    SCREENS = {"help": _help_screen, "too-small": _too_small_screen}

    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("q", "quit_game", "Quit"),
    ]

    def __init__(
        self,
        story: Story,
        store: SaveStore | None = None,
        *,
        save_dir: Path | None = None,
        watch: StoryWatcher | None = None,
        opening: Opening = "story",
    ) -> None:
        super().__init__()
        self.opening = opening
        self._opening_problem = ""
        self.story = story
        self.store = store if store is not None else SaveStore(data_dir(save_dir), story)
        self.session: Session | None = None
        self._watch = watch  # `play --watch`: what follows the story folder (see game/tui/watching.py)
        self.live: LiveStory | None = None
        self.title = clean(story.title)
        self._too_small = False
        self._settings_ready = False
        self._reduced_motion = False  # the player's setting, read with the theme (on_mount)
        #: The bug that ended the app, if one did (`_handle_exception`); `play` reports it.
        self.crash: Exception | None = None

    # ------------------------------------------------------------------ start-up and settings

    def get_default_screen(self) -> Screen:
        if self.opening == "story":
            self.session = self._session_to_open()
        return self._sized(TitleScreen(build_later=self.session is not None))

    def push_screen(self, screen, *args, **kwargs):
        """Textual's, with the screen's stylesheet read (game/tui/stylesheets.py) and its width class
        (`HORIZONTAL_BREAKPOINTS`) given before it is styled.

        Works around Textual 8.2 styling a new screen twice: see `_sized` and
        docs/upstream-textual.md (2; the behaviour comes from Textualize/textual#5779).
        """
        if isinstance(screen, str):
            screen = self.get_screen(screen)
        read_for(self, screen)
        return super().push_screen(self._sized(screen), *args, **kwargs)

    def _sized(self, screen: Screen) -> Screen:
        """Give a new `screen` the breakpoint classes its first resize would, so that it is styled once.

        Textual (8.2; Textualize/textual#5779, `Screen._on_resize`) adds them when the screen first
        hears of its size, after it was composed and styled: every widget on it was styled again
        (about a tenth of the time to the first scene). The breakpoints are looked up as Textual
        does: the screen's own, else the app's. A screen already shown keeps what resizes gave it.
        """
        if screen.is_mounted:
            return screen
        width, height = self.size
        for breakpoints, dimension in (
            (
                self.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None else screen.HORIZONTAL_BREAKPOINTS,
                width,
            ),
            (self.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None else screen.VERTICAL_BREAKPOINTS, height),
        ):
            for breakpoint, name in sorted(breakpoints or (), reverse=True):
                if dimension >= breakpoint:
                    screen.add_class(name, update=False)  # not styled yet: nothing to update
                    break
        return screen

    def _session_to_open(self) -> Session | None:
        """The game in progress, or a new game when there has been none yet; None when
        there is nothing to resume: then the title screen opens and says why
        (`game.present.opening`, the line player's rule too)."""
        from game.present.opening import session_to_open

        session, problem = session_to_open(self.store)
        self._opening_problem = clean(problem)
        return session

    def on_mount(self) -> None:
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for name in ("SIGTERM", "SIGHUP"):  # by default either ends the process with the terminal raw
                number = getattr(signal, name, None)
                if number is not None:
                    with suppress(NotImplementedError, RuntimeError, ValueError):  # not on every platform
                        loop.add_signal_handler(number, self._leave_on_signal, int(number))
        settings = self.store.settings()
        theme = settings.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self._reduced_motion = settings.get("reduced_motion") is True
        self._settings_ready = True
        if self._opening_problem:
            self.notify(self._opening_problem, severity="error", timeout=8, markup=False)
        if self.session is not None:
            self.start(self.session)
        self._check_size(self.size.width, self.size.height)
        if self._watch is not None:
            from game.tui.watching import LiveStory

            self.live = LiveStory(self, self._watch)
            self.live.start()

    @work(thread=True, exclusive=True, group="story-reload", exit_on_error=False)
    def reload_story(self, watcher: StoryWatcher) -> Reload:
        """`--watch`: load the story again off the event loop (a big story never freezes the screen);
        only the files that changed are compiled. `LiveStory` awaits the result and applies it."""
        return watcher.reload()

    async def check_story(self) -> None:
        """`--watch`: look at the story files now (a timer also does it twice a second)."""
        if self.live is not None:
            await self.live.check()

    def action_dismiss_story_errors(self) -> None:
        if self.live is not None:
            self.live.dismiss()

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen in the command palette for next time."""
        if self._settings_ready:
            try:
                self.store.update_settings(theme=theme)
            except OSError as exc:
                self.notify(f"Could not remember the theme: {exc.strerror or exc}", severity="warning", markup=False)

    # ------------------------------------------------------------------ terminal size

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        """Below the minimum, cover everything with a clear message rather than a broken layout."""
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and not self._too_small:
            self._too_small = True
            self.push_screen("too-small")
        elif not small and self._too_small:
            self._too_small = False
            if self.screen is self.get_screen("too-small"):
                self.pop_screen()

    # ------------------------------------------------------------------ moving between screens

    @property
    def playing(self) -> bool:
        from game.tui.screens.scene import SceneScreen

        return self.session is not None and any(isinstance(s, SceneScreen) for s in self.screen_stack)

    def show_title(self) -> None:
        """Back to the title screen (the bottom of the stack); the game stays autosaved."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()
        if isinstance(self.screen, TitleScreen):
            self.screen.refresh_menu()

    def start(self, session: Session, *, moment: bool = False) -> None:
        """Play `session` on the scene screen, whatever was showing before; with `moment` (a new
        game, a chapter chosen), its chapter's title card first."""
        from game.tui.screens.scene import SceneScreen

        self.session = session
        while len(self.screen_stack) > 1 and not isinstance(self.screen, (TitleScreen, SceneScreen)):
            self.pop_screen()
        if isinstance(self.screen, SceneScreen):
            self.screen.set_session(session)
            if moment:
                self.screen.play_moment_once_drawn(None)
        else:
            # A new scene screen plays the moment itself once its scene is drawn into it.
            self.push_screen(SceneScreen(session, moment=moment))
        self.show_notes()
        if self._too_small and self.screen is not self.get_screen("too-small"):
            # Still below the minimum: the message stays on top. (In a real terminal the first
            # size arrives before the app mounts, so the message was up, and popped above, before
            # the game it covers was opened.)
            self.push_screen("too-small")

    def play_moment(self, before: Scene | None, scene: Scene) -> None:
        """The launch sequence on reaching the launch, else a title card when a chapter begins
        (`before` is None for the first scene of a game); nothing when motion is unwelcome
        (game/tui/screens/cards.py says when, and which scenes launch)."""
        from game.tui.screens.cards import ChapterCard, LaunchSequence, launches, motion_allowed

        new_chapter = bool(scene.chapter) and (before is None or before.chapter != scene.chapter)
        if not (new_chapter or launches(scene)) or not motion_allowed(self, self.reduced_motion):
            return
        if launches(scene):
            self.push_screen(LaunchSequence())
        elif new_chapter and scene.chapter:
            from game.present.chapters import chapter_number

            self.push_screen(ChapterCard(chapter_number(self.story, scene.chapter), clean(scene.chapter)))

    @property
    def reduced_motion(self) -> bool:
        return self._reduced_motion

    def action_reduce_motion(self) -> None:
        """Turn the chapter cards and the launch sequence off, or on again; remembered for next time."""
        self._reduced_motion = not self._reduced_motion
        try:
            self.store.update_settings(reduced_motion=self._reduced_motion)
        except OSError as exc:
            self.notify(f"Could not remember the setting: {exc.strerror or exc}", severity="warning", markup=False)
        self.notify(messages.REDUCED_MOTION_ON if self._reduced_motion else messages.REDUCED_MOTION_OFF, markup=False)

    def show_notes(self) -> None:
        if self.session is not None:
            for note in self.session.take_notes():
                self.notify(clean(note), severity="warning", timeout=8, markup=False)

    def fail(self, error: PlayError) -> None:
        """Show what went wrong and where; the session already put the game back and autosaved it."""
        from game.tui.screens.error import ErrorScreen

        self.push_screen(ErrorScreen(error))

    def guarded(self, move: Callable[[], None]) -> None:
        """Run a move; an unexpected failure becomes the error screen instead of a crash."""
        try:
            move()
        except PlayError as error:
            self.fail(error)

    # ------------------------------------------------------------------ actions (keys, menu, command palette)

    def action_new_game(self) -> None:
        """Start over; if a game is under way, ask first, since its autosave will be replaced."""
        if not self.store.game_in_progress():
            self.start(Session.new(self.store), moment=True)
            return
        from game.tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.start(Session.new(self.store), moment=True)

        self.push_screen(ConfirmScreen(messages.NEW_GAME_QUESTION, yes="New game"), answer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On the title screen, Continue is shown dimmed (and does nothing) while there is nothing to load,
        as its menu entry is greyed out."""
        if action == "continue" and isinstance(self.screen, TitleScreen) and not self.screen.can_continue:
            return None
        return True

    def action_continue(self) -> None:
        entry = self.store.autosave_entry()
        if entry is None:
            self.notify(messages.NO_GAME_YET, markup=False)
        elif isinstance(entry, DamagedSave):
            self.notify(clean(messages.autosave_unreadable(entry.reason)), severity="error", markup=False)
        else:
            self.load(entry)

    def load(self, entry: SaveInfo) -> bool:
        """Resume a save; on failure say why and stay where we are."""
        try:
            session = Session.load(self.store, entry)
        except LoadError as exc:
            # names and reasons come from the save file, which may come from anyone: clean them
            self.notify(clean(messages.cannot_load(entry.name, exc)), severity="error", timeout=8, markup=False)
            return False
        self.start(session)
        if not entry.is_autosave:
            self.notify(clean(messages.loaded(entry.name)), markup=False)
        return True

    def action_load(self) -> None:
        from game.tui.screens.saves import SaveDialog

        self.push_screen(SaveDialog(self.store, "load"))

    def action_save(self) -> None:
        if not self.playing:
            self.notify(messages.NOTHING_TO_SAVE, markup=False)
            return
        from game.tui.screens.saves import SaveDialog

        self.push_screen(SaveDialog(self.store, "save"))

    def save(self, name: str) -> bool:
        if self.session is None:
            return False
        try:
            self.session.save(name)
        except OSError as exc:
            self.notify(clean(messages.could_not_save(exc)), severity="error", markup=False)
            return False
        self.notify(clean(messages.saved(name)), markup=False)
        return True

    def action_endings(self) -> None:
        from game.tui.screens.gallery import GalleryScreen

        self.push_screen(GalleryScreen(self.store))

    def action_chapters(self) -> None:
        from game.tui.screens.chapters import ChapterScreen

        self.push_screen(ChapterScreen(self.store))

    def action_about(self) -> None:
        from game.tui.screens.about import AboutScreen

        self.push_screen(AboutScreen(self.story))

    def action_help(self) -> None:
        if self.screen is not self.get_screen("help"):
            self.push_screen("help")

    def action_title(self) -> None:
        self.show_title()

    def action_journal(self) -> None:
        if self.session is None or not self.playing:
            self.notify("The journal opens during a game.", markup=False)
            return
        from game.tui.screens.journal import JournalScreen

        self.push_screen(JournalScreen(self.session))

    def back_to(self, moves: int, title: str) -> None:
        """From the journal: back to where the game stood after `moves` choices (the player said yes)."""
        from game.tui.screens.scene import SceneScreen

        self.show_scene()
        scene = next((s for s in self.screen_stack if isinstance(s, SceneScreen)), None)
        if scene is None:
            return
        session = scene.session

        def move() -> None:
            scene.moved(session.back_to(moves))
            self.notify(clean(messages.went_back(title)), markup=False)

        self.guarded(move)

    def action_undo(self) -> None:
        from game.tui.screens.scene import SceneScreen

        for screen in self.screen_stack:
            if isinstance(screen, SceneScreen):
                self.show_scene()
                screen.action_undo()
                return
        self.notify("Undo works during a game.", markup=False)

    def show_scene(self) -> None:
        """Close whatever covers the scene screen (ending, dialogs)."""
        from game.tui.screens.scene import SceneScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, (SceneScreen, TitleScreen)):
            self.pop_screen()

    def action_quit_game(self) -> None:
        """Leave; the game was autosaved after the last move, save once more to be sure."""
        if self.session is not None:
            self.session.autosave()
        self.exit()

    def _refresh_notifications(self) -> None:
        """Textual's, then the empty toast holders it leaves behind are removed: a leak of Textual 8.2
        not yet reported upstream (game/tui/textual_fixes.py, docs/upstream-textual.md, 1)."""
        super()._refresh_notifications()
        self.call_later(drop_stale_toast_holders, self)

    def _end_batch(self) -> None:
        """Textual's, then the screen showing paints the frame it withheld during the batch: Textual
        8.2 renders it and throws it away (game/tui/textual_fixes.py, docs/upstream-textual.md, 5)."""
        super()._end_batch()
        if not self._batch_count:
            draw_withheld_frame(self)

    def _handle_exception(self, error: Exception) -> None:
        """Last line of defence for a bug outside a move: save the game, then leave the way every
        command does after a bug of ours (one line, exit status 70: `play` prints it once the
        terminal is given back), not with Textual's traceback of every local variable, which can
        take minutes to draw. (Failures inside a move never get here: they show the error screen.)

        Overrides Textual's private hook (8.2: `App._handle_exception`), the one place every
        unhandled exception of an app goes; there is no public one. Under a headless test
        driver, or with MILLION_MILES_DEBUG=1, Textual's own handling is kept, so a test sees
        the exception and a developer the traceback.
        """
        if self.session is not None:
            with suppress(Exception):  # already failing; the autosave of the last move stands
                self.session.autosave()
        if self.is_headless or os.environ.get("MILLION_MILES_DEBUG"):
            super()._handle_exception(error)
            return
        self.crash = error
        self.exit(return_code=EXIT_BUG)

    def _leave_on_signal(self, number: int) -> None:
        """SIGTERM or SIGHUP: save, then exit the normal way, so Textual gives the terminal back
        (leaves the alternate screen, stops mouse tracking, restores the tty's modes)."""
        if self.session is not None:
            with suppress(Exception):
                self.session.autosave()
        self.exit(return_code=128 + number)

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("New game", "Start the story from the beginning", self.action_new_game)
        yield SystemCommand("Continue", "Resume the autosaved game", self.action_continue)
        yield SystemCommand("Load game", "Resume a saved game", self.action_load)
        if self.playing:
            yield SystemCommand("Save game", "Save the game in a named slot", self.action_save)
            yield SystemCommand("Undo", "Go back one choice", self.action_undo)
            yield SystemCommand("Journal", "The story so far, with your choices", self.action_journal)
            yield SystemCommand(
                "Title screen", "Back to the title screen (the game stays autosaved)", self.action_title
            )
        yield SystemCommand("Chapters", "Play again from a chapter you have reached", self.action_chapters)
        yield SystemCommand("Endings", "The endings you have reached, and hints for the others", self.action_endings)
        yield SystemCommand("About", "What the story is based on, and the engine", self.action_about)
        yield SystemCommand("Help", "Every key of the game, and what the values mean", self.action_help)
        yield SystemCommand(
            "Reduced motion: " + ("on" if self.reduced_motion else "off"),
            "Chapter cards and the launch sequence: "
            + ("turn them on again" if self.reduced_motion else "turn them off"),
            self.action_reduce_motion,
        )
        for command in super().get_system_commands(screen):
            if command.title == "Quit":
                yield SystemCommand("Quit", "Leave the game (it is autosaved)", self.action_quit_game)
            else:
                yield command
