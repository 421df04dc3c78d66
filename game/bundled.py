"""Where the bundled story lives, however the game was installed.

A wheel carries the story inside the package (`game/scenes`); a checkout or an
editable install finds it beside the package (`scenes/` at the repository top).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_story_path() -> Path:
    for candidate in (_PACKAGE / "scenes", _PACKAGE.parent / "scenes"):
        if (candidate / "story.yaml").is_file():
            return candidate
    raise FileNotFoundError("the bundled story is missing from this installation (no scenes/story.yaml)")
