"""The scene screen: where the story is read and the choices are made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.model import Scene
from game.engine.saves import Change, PlayError, Session
from game.present import messages, words
from game.present.terminal import clean
from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText
from game.tui.textual_fixes import DrawnWhenTheBatchEnds, StyledOnceWhenShown
from game.tui.widgets.key_bar import KeyBar
from game.tui.widgets.state import CompactState, StatePanel

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp


#: Beside the Continue of a scene read in an earlier game.
SKIP_HINT = "f skips what you have read"


class ChoiceList(OptionList):
    """The choices of the scene: arrows and Enter, a click, or their number key."""


def heading(chapter: str | None, title: str | None) -> Content:
    """The scene's heading (`game.present.words.heading`) as literal content."""
    return Content.assemble(*((clean(text), style) for text, style in words.heading(chapter, title)))


def prose(paragraphs: tuple[str, ...]) -> Content:
    """Scene text as literal content: story text is never read as markup."""
    return Content("\n\n".join(clean(p) for p in paragraphs))


class SceneScreen(DrawnWhenTheBatchEnds, StyledOnceWhenShown, ScrollsText, Screen[None]):
    #: What has the focus when the screen is shown: the choices (Textual's default, the first
    #: focusable widget, is the text, which would take the focus and give it up at once, each
    #: time styling the text and all in it again). A scene that asks focuses its field itself.
    AUTO_FOCUS = "#choices"
    BINDINGS = [
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", f"Choose {n}", show=False) for n in range(2, 10)),
        Binding("u", "undo", "Undo"),
        Binding("backspace", "undo", "Undo", show=False),
        Binding("f", "skip", "Skip scenes you have read (see below)", show=False),
        Binding("j", "app.journal", "Journal"),
        Binding("s", "app.save", "Save"),
        Binding("l", "app.load", "Load", show=False),
        Binding(
            "escape",
            "app.title",
            "Menu",
            key_display="esc",
            tooltip="The title screen: new game, continue, chapters, load, endings, about",
        ),
        *SCROLL_BINDINGS,
        Binding("space", "scroll_text('page_down')", "Read on (the text scrolls)", show=False),
    ]
    SCROLLING = "#story"
    MORE_ON = "#choices, #asking"

    app: MillionMilesApp

    def __init__(self, session: Session, *, moment: bool = False) -> None:
        super().__init__()
        self.session = session
        #: Whether the scene opens with its moment (a chapter's card), once it is drawn.
        self.moment = moment

    def compose(self) -> ComposeResult:
        labelled = self.app.story.labelled
        with Horizontal(id="topbar"):
            yield Static("", id="where")
        yield CompactState(labelled, id="compact")
        with Horizontal(id="main"):
            with Vertical(id="reading"):
                with VerticalScroll(id="story"):
                    yield Static("", id="text")
                    yield Static("", id="explained")
                yield ChoiceList(id="choices", markup=False)
                yield Vertical(id="asking")  # its question and field are made when a scene first asks
            yield StatePanel(labelled, id="panel", build=self.has_class("-wide"))  # not drawn narrower
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.app.story.labelled:
            self.add_class("-no-state")
        self.follow_the_text()
        self.refresh_view()
        if self.moment:
            self.play_moment_once_drawn(None)

    def set_session(self, session: Session) -> None:
        self.session = session
        self.refresh_view()

    def play_moment_once_drawn(self, before: Scene | None) -> None:
        """The moment of the scene just drawn (a chapter's card, the launch), once that frame is on
        the screen: the scene answers the move at once, and the moment fades in over it. Nothing if,
        meanwhile, something else came on top (the "too small" message) or the game moved on."""
        scene = self.session.game.scene

        def play() -> None:
            if self.is_current and self.session.game.scene is scene:
                self.app.play_moment(before, scene)

        self.call_after_refresh(play)

    # ------------------------------------------------------------------ drawing

    def refresh_view(self, changes: list[Change] | None = None) -> None:
        """Draw the current scene; a scene that fails to draw shows the error screen."""
        game = self.session.game
        scene = game.scene
        try:
            paragraphs, options = game.paragraphs, game.options
        except Exception as exc:  # a story bug the loader could not see: never a traceback
            self.app.fail(PlayError(scene.id, scene.loc, exc))
            return
        self.query_one("#where", Static).update(heading(scene.chapter, game.title or scene.id))
        self.query_one("#text", Static).update(prose(paragraphs))
        self.query_one("#explained", Static).display = False
        choices = self.query_one(ChoiceList)
        choices.clear_options()
        skippable = self.session.can_skip()
        for option in options:
            prompt = Content.assemble((f"{option.number}. ", "bold"), clean(option.text))
            if skippable:  # a Continue read in an earlier game: say how to pass what was read
                prompt = Content.assemble(prompt, ("   " + SKIP_HINT, "dim"))
            choices.add_option(Option(prompt, id=f"choice-{option.number}"))
        if options:
            choices.highlighted = 0
        asks = game.asks and scene.input is not None
        choices.display = not asks
        self.query_one("#asking").display = asks
        values = game.state.variables
        self.query_one(StatePanel).show(values, changes or [])
        self.query_one(CompactState).show(values, changes or [])
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)
        self.more_to_read()
        if asks:
            self.ask()
        else:
            choices.focus()
        self.app.show_notes()
        if game.is_over:
            from game.tui.screens.ending import EndingScreen

            if not isinstance(self.app.screen, EndingScreen):
                self.app.push_screen(EndingScreen(self.session))

    def ask(self) -> None:
        """A scene that asks the player to type a text (its `input`): the field takes the place of
        the choices, its question on its rule; Enter gives the answer, nothing typed the default.

        The question and the field are made the first time a scene asks, not with the screen: few
        stories ask, and an `Input` made for nothing costs every start some milliseconds."""
        asked = self.session.game.scene.input
        assert asked is not None
        found = self.query("#answer").results(Input)
        answer = next(found, None)
        if answer is None:
            answer = Input(id="answer", select_on_focus=False)
            self.query_one("#asking").mount_all([Static("", id="question"), answer])
        answer.value = ""
        answer.max_length = asked.max
        answer.placeholder = clean(messages.answer_placeholder(asked.default))
        question = self.query_one("#question", Static)
        question.update(Content(clean(asked.prompt)))
        question.display = bool(asked.prompt)
        answer.focus(scroll_visible=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "answer":
            self.action_choose(1)

    # ------------------------------------------------------------------ moves

    def action_choose(self, number: int) -> None:
        if self.session.game.asks:  # Enter in the field, or a click: the answer typed (or the default)
            text = self.query_one("#answer", Input).value
            before = self.session.game.scene
            self.app.guarded(lambda: self.moved(self.session.answer(text), before))
            return
        options = self.session.game.options
        if not 1 <= number <= len(options):
            if options:
                self.notify(messages.no_such_choice(number, len(options)), markup=False)
            return
        before = self.session.game.scene
        self.app.guarded(lambda: self.moved(self.session.choose(number), before))

    def action_skip(self) -> None:
        """Skip text already read: the Continues of scenes read in an earlier game, up to a choice or a new scene."""

        def skip() -> None:
            before = self.session.game.scene
            passed, changes = self.session.skip_read()
            if not passed:
                self.notify(messages.NOTHING_TO_SKIP, markup=False)
                return
            self.moved(changes, before)
            self.notify(messages.skipped(passed), markup=False)

        self.app.guarded(skip)

    def moved(self, changes: list[Change], before: Scene | None = None) -> None:
        """Draw the scene a move led to; the first time a choice changes a value (in any game of
        the story), say what it means, under the text, where it is read in turn and covers nothing.
        A move forward from `before` into a new chapter, or to the launch, plays its moment."""
        self.refresh_view(changes)
        if before is not None:
            self.play_moment_once_drawn(before)
        explained = self.session.explain(changes)
        if explained:
            notes = self.query_one("#explained", Static)
            notes.update(
                Content.assemble(
                    *(
                        piece
                        for i, v in enumerate(explained)
                        for piece in (
                            "\n" if i else "",
                            ("◆ " + clean(v.label or v.name) + ":", "bold"),
                            " ",
                            clean(v.description),
                        )
                    )
                )
            )
            notes.display = True

    def action_undo(self) -> None:
        if not self.session.game.can_undo:
            self.notify(messages.NOTHING_TO_UNDO, markup=False)
            return
        self.app.guarded(lambda: self.refresh_view(self.session.undo()))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option_index + 1)

    def on_resize(self) -> None:
        self.more_to_read()
