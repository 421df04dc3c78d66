"""The engine stays free of Textual, so every face over it stays thin and optional."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "game" / "engine"


def test_importing_the_engine_never_imports_textual():
    modules = sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import game.engine.{m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'rich')))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"the engine imported: {result.stdout.strip()}"


def test_no_engine_module_mentions_textual():
    for path in ENGINE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, path.name


def test_yaml_is_only_ever_read_with_the_safe_loader():
    game = ENGINE.parent
    for path in game.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for unsafe in ("yaml.load(", "yaml.unsafe_load", "yaml.full_load", "FullLoader", "UnsafeLoader", "yaml.Loader"):
            assert unsafe not in text, f"{path.relative_to(game)} uses {unsafe}"
