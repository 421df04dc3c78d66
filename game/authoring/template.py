"""`million-miles new`: a small working story an author can grow, with its tests and editor schemas.

The template is real files under `template/` (so it is readable and tested
like any story); creating a story copies them, fills in the title, and writes
the JSON Schemas the files' `yaml-language-server` lines point at.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

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


def yaml_scalar(text: str) -> str:
    """`text` as one YAML scalar that reads back as exactly `text`, written by PyYAML's emitter:
    a title may hold a colon, a '#', quotes, any script or a control character."""
    plain = yaml.safe_dump(text, allow_unicode=True, width=float("inf")).removesuffix("...\n").rstrip("\n")
    if "\n" not in plain:  # plain or single-quoted on one line: as an author would write it
        return plain
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")


def create_story(target: Path, title: str | None = None) -> list[Path]:
    """Create a new story folder at `target`; return every file written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewStoryError(f"{target} already exists and is not empty: choose a new folder")
    title = title or target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "My Story"
    written: list[Path] = []
    for source in sorted(TEMPLATE.rglob("*.yaml")):
        dest = target / source.relative_to(TEMPLATE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8").replace("$TITLE", yaml_scalar(title))
        dest.write_text(text, encoding="utf-8")
        written.append(dest)
    written += write_schemas(target / "schema")
    return written
