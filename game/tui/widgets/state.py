"""The values in play: a side panel on wide terminals, one compact line on narrow ones.

The first labelled variable (the NASA application count in the bundled story)
is shown foremost. A value that a choice changed is highlighted briefly, with
its difference, so the player sees what their choice did.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Digits, Static

from game.engine.expressions import Value
from game.engine.model import Variable
from game.engine.saves import Change
from game.present.terminal import clean
from game.present.words import difference, shown

HIGHLIGHT_SECONDS = 1.6


def show_value(value: Value | None) -> str:
    return clean(shown(value))


def delta(change: Change | None) -> str:
    """'+1' / '−2' for a changed integer, '' otherwise."""
    return "" if change is None else difference(change.old, change.new)


class _Flashing(Widget):
    """Adds the `-changed` class for a moment after each change."""

    def flash(self, widget: Widget) -> None:
        widget.add_class("-changed")
        self.set_timer(HIGHLIGHT_SECONDS, lambda: widget.remove_class("-changed"))


class StatePanel(_Flashing):
    """The labelled variables, one row each, the first one large.

    Shown only on wide terminals: on a narrower one its rows are made the first time it shows
    (`build=False`), so a game that opens at 80 columns does not build, style and lay out seven
    widgets it does not draw (the compact line shows the values there)."""

    def __init__(self, variables: list[Variable], *, build: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.variables = variables
        self.built = build
        self.border_title = "Your story so far"
        self._values: dict[str, Value] = {}  # the last shown: a panel built later starts from them

    async def on_show(self) -> None:
        if not self.built:
            self.built = True
            await self.recompose()
            self.show(self._values)

    def compose(self) -> ComposeResult:
        if not self.built:
            return
        for i, var in enumerate(self.variables):
            if i == 0:
                yield Static(Content(clean(var.label or var.name)), classes="counter-label")
                if var.type == "int":
                    yield Digits("", id=f"var-{var.name}", classes="counter value")
                else:
                    yield Static("", id=f"var-{var.name}", classes="counter value")
                yield Static("", id="counter-delta")
            else:
                yield Static("", id=f"var-{var.name}", classes="row value")

    def show(self, values: dict[str, Value], changes: list[Change] = ()) -> None:  # type: ignore[assignment]
        self._values = values
        if not self.built:
            return
        changed = {c.name: c for c in changes}
        width = max((len(clean(v.label or v.name)) for v in self.variables[1:]), default=0) + 2
        for i, var in enumerate(self.variables):
            row = self.query_one(f"#var-{var.name}")
            change = changed.get(var.name)
            shown = show_value(values.get(var.name))
            note = delta(change)
            if i == 0:
                row.update(shown if isinstance(row, Digits) else Content.styled(shown, "bold"))  # type: ignore[attr-defined]
                self.query_one("#counter-delta", Static).update(f"{note} this choice" if note else "")
            else:
                label = clean(var.label or var.name).ljust(width)
                row.update(Content.assemble(label, (shown, "bold"), (f" {note}" if note else "", "bold")))  # type: ignore[attr-defined]
            if change is not None:
                self.flash(row)


class CompactState(_Flashing, Static):
    """The values on narrow terminals: 'NASA applications 3 · Study 1 · …' on one line, or on as
    many as it takes: a value is never left out (the one a choice just changed least of all),
    and never cut in two."""

    def __init__(self, variables: list[Variable], **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.variables = variables
        self.items: list[tuple[str, str]] = []
        self._fitted_to = 0  # the width the values were last fitted to

    def show(self, values: dict[str, Value], changes: list[Change] = ()) -> None:  # type: ignore[assignment]
        changed = {c.name: c for c in changes}
        self.items = []
        for var in self.variables:
            note = delta(changed.get(var.name))
            value = show_value(values.get(var.name)) + (f" ({note})" if note else "")
            self.items.append((clean(var.label or var.name), value))
        self._fit()
        if changed:
            self.flash(self)

    def on_resize(self) -> None:
        if self.content_size.width != self._fitted_to:
            self._fit()

    def _fit(self) -> None:
        # Before its first layout the line's width is the terminal's less the padding (it spans the
        # screen): fitting to a guess would draw the first frame one way and the next another.
        width = self.content_size.width or max(1, self.app.size.width - self.styles.padding.width)
        self._fitted_to = width
        self.update(fit_lines(self.items, width))


def fit_lines(items: list[tuple[str, str]], width: int) -> Content:
    """The values in `width` columns: on one line when they fit (roomy, else closer together),
    else wrapped between values onto as many lines as they need. The first (the count) is bold."""

    def length(separator: str, row: list[tuple[str, str]]) -> int:
        return sum(len(label) + 1 + len(value) for label, value in row) + len(separator) * (len(row) - 1)

    separator = "  ·  "
    rows: list[list[tuple[str, str]]] = [list(items)]
    if length(separator, items) > width:
        separator = " · "
        rows = [[]]
        for item in items:
            if rows[-1] and length(separator, [*rows[-1], item]) > width:
                rows.append([])
            rows[-1].append(item)
    parts: list[str | tuple[str, str]] = []
    first = True
    for r, row in enumerate(rows):
        parts += ["\n"] if r else []
        for i, (label, value) in enumerate(row):
            parts += [separator] if i else []
            parts += [(label, "bold") if first else label, " ", (value, "bold")]
            first = False
    return Content.assemble(*parts)
