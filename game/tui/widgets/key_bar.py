"""The bar of keys at the bottom of every screen, drawn as one line of text.

Why not Textual's `Footer`: it builds a widget for every key and builds them all
again each time the screen's bindings change. Bindings change dozens of times
while a screen mounts (every focus change, every child that mounts), so opening
the scene screen built about 140 key widgets and restyled each one; that was most
of the time between pressing `n` and seeing the first scene. It also kept every
key it ever drew alive (Textualize/textual#6666). `KeyBar` only repaints: it reads
the screen's active bindings when it renders, which Textual does at most once a
frame however often the bindings change.

It keeps what players use from the Footer: one entry per action (the first key
bound to it), disabled actions dimmed, a click on an entry presses its key, the
entry's tooltip on hover, and the command palette key on the right while there
is room for it.
"""

from __future__ import annotations

from msgspec import Struct
from msgspec.structs import replace
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

_ENABLED = Style()
_DISABLED = Style(dim=True)


class KeyEntry(Struct, frozen=True):
    """One key as the bar shows it, and the cells it covers."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    start: int = 0
    end: int = 0


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--palette"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--palette {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, show_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_palette = show_palette
        self._entries: tuple[KeyEntry, ...] = ()
        #: The last line drawn and what it was drawn from: the screen asks for it again and again while
        #: it mounts, with nothing changed (the styles are part of the key: a theme change redraws).
        self._drawn: tuple[object, Text] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def entries(self) -> list[KeyEntry]:
        """The keys to show, in binding order: one per action, like Textual's Footer."""
        shown: dict[str, KeyEntry] = {}
        palette_key = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or key == palette_key or binding.action in shown:
                continue
            shown[binding.action] = KeyEntry(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                active.enabled,
                active.tooltip or binding.tooltip or "",
            )
        return list(shown.values())

    def _palette_entry(self) -> KeyEntry | None:
        if not (self.show_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is None:
            return None
        binding = active.binding
        return KeyEntry(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            active.enabled,
            binding.tooltip or binding.description,
        )

    def render(self) -> Text:
        """The keys, spaced out; closer together when that is what it takes to show them all;
        and when even that is too wide, as many whole entries as fit, never half of one."""
        width = self.size.width
        entries = self.entries()
        palette = self._palette_entry()
        styles = tuple(self.get_component_rich_style(f"key-bar--{part}") for part in ("key", "description", "palette"))
        key = (width, tuple(entries), palette, styles)
        if self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1].copy()
        line, placed = self._line(entries, styles, roomy=True)
        if line.cell_len > width:
            line, placed = self._line(entries, styles, roomy=False)
        while line.cell_len > width and entries:
            entries = entries[:-1]
            line, placed = self._line(entries, styles, roomy=False)
        if palette is not None:
            label = f" {palette.display} {palette.description} "
            room = width - line.cell_len - cell_len(label) - 1
            if room >= 0:
                line.append(" " * room)
                line.append("▏", styles[2])
                placed.append(self._append(line, palette, styles, roomy=True))
        self._entries = tuple(placed)
        self._drawn = (key, line.copy())
        return line

    def _line(self, entries: list[KeyEntry], styles: tuple[Style, ...], *, roomy: bool) -> tuple[Text, list[KeyEntry]]:
        line = Text(no_wrap=True, overflow="crop", end="")
        return line, [self._append(line, entry, styles, roomy=roomy) for entry in entries]

    def _append(self, line: Text, entry: KeyEntry, styles: tuple[Style, ...], *, roomy: bool) -> KeyEntry:
        """Draw `entry` at the end of `line` in `styles` (key, description); return it with the cells it covers."""
        dim = _ENABLED if entry.enabled else _DISABLED
        start = line.cell_len
        line.append(f" {entry.display} " if roomy else f" {entry.display}", styles[0] + dim)
        if entry.description:
            line.append(f"{entry.description} " if roomy else f" {entry.description}", styles[1] + dim)
        return replace(entry, start=start, end=line.cell_len)

    @property
    def drawn(self) -> tuple[KeyEntry, ...]:
        """The keys as last drawn (those that fitted), left to right, each with the columns it covers."""
        return self._entries

    def entry_at(self, x: int) -> KeyEntry | None:
        """The entry drawn at column `x` of the bar, if any."""
        return next((entry for entry in self._entries if entry.start <= x < entry.end), None)

    def on_click(self, event: events.Click) -> None:
        entry = self.entry_at(event.x)
        if entry is None:
            return
        event.stop()
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self.entry_at(event.x)
        self.tooltip = entry.tooltip if entry is not None and entry.tooltip else None

    def on_leave(self) -> None:
        self.tooltip = None
