"""What every face shows, worked out once: the presentation layer between the engine and the faces.

The full-screen player (`game.tui`), the line player (`game.plain`), the
commands and the tools all show the same things: story text made safe for a
terminal, values, headings, the title menu, the messages a player reads, and
diagnostics in compiler format. They take them from here, so a word or a rule
changes in one place. Nothing here imports Textual: a face turns these plain
strings and (text, style) pieces into its own widgets or lines.

* `terminal`: text safe for a terminal, for players (controls removed) and for
  authors (controls shown as escapes).
* `words`: values, counts, differences and headings, as a player reads them.
* `menus`: the title menu and the ending's choices.
* `messages`: what the game says to a player, in either face.
* `diagnostics`: an author's messages, located as the author named the story.
"""
