"""`million-miles new`: a small working story an author can grow, with its tests and editor schemas.

The template is real files under `template/` (so it is readable and tested
like any story); creating a story copies them, fills in the title, and writes
the JSON Schemas the files' `yaml-language-server` lines point at.
"""

from __future__ import annotations

import json
from pathlib import Path

from game.authoring.schema import SCHEMAS

TEMPLATE = Path(__file__).resolve().parent / "template"


class NewStoryError(Exception):
    """The target folder cannot take a new story (it exists and is not empty)."""


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def create_story(target: Path, title: str | None = None) -> list[Path]:
    """Create a new story folder at `target`; return every file written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewStoryError(f"{target} already exists and is not empty: choose a new folder")
    title = title or target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "My Story"
    written: list[Path] = []
    for source in sorted(TEMPLATE.rglob("*.yaml")):
        dest = target / source.relative_to(TEMPLATE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8").replace("$TITLE", title.replace('"', "'"))
        dest.write_text(text, encoding="utf-8")
        written.append(dest)
    written += write_schemas(target / "schema")
    return written
