"""A Million Miles Away: a terminal text adventure and the story engine under it."""

__version__ = "0.1.0"
