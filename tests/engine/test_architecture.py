"""The engine stays free of Textual, so every face over it stays thin and optional."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GAME = Path(__file__).resolve().parents[2] / "game"
ENGINE = GAME / "engine"
#: What the faces stand on: none of it may import Textual, so the line player, the tools and the
#: tests never load it.
TEXTUAL_FREE = ("engine", "present")


def test_importing_the_engine_or_the_presentation_layer_never_imports_textual():
    modules = sorted(f"{package}.{p.stem}" for package in TEXTUAL_FREE for p in (GAME / package).glob("*.py"))
    code = (
        "import sys\n"
        + "".join(f"import game.{m}\n" for m in modules)
        + "import game.plain, game.plain_watch\n"
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'rich')))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"the engine imported: {result.stdout.strip()}"


def test_no_engine_or_presentation_module_mentions_textual():
    for path in [p for package in TEXTUAL_FREE for p in (GAME / package).glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, path.name


def test_the_engine_imports_nothing_above_it():
    for path in ENGINE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for above in ("game.present", "game.tui", "game.commands", "game.plain", "game.testing", "game.authoring"):
            assert f"from {above}" not in text and f"import {above}" not in text, f"{path.name} imports {above}"


def test_yaml_is_only_ever_read_with_the_safe_loader():
    game = GAME
    for path in game.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for unsafe in ("yaml.load(", "yaml.unsafe_load", "yaml.full_load", "FullLoader", "UnsafeLoader", "yaml.Loader"):
            assert unsafe not in text, f"{path.relative_to(game)} uses {unsafe}"
