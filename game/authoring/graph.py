"""The story map: scenes as nodes, choices as edges, chapters as clusters, in Mermaid or Graphviz DOT.

Conditional moves (a choice with `if`, a conditional goto branch) are drawn
dashed so an author sees at a glance which roads depend on state; endings are
drawn as terminal shapes. Given coverage from `explore --json`, whatever was
never reached is drawn in red so it stands out.

Format 2's subroutines are drawn as what they are: a `call` is an arrow
labelled "call" into the scene called (thick; dashed when the choice has an
`if`, as every conditional road), the way back is an
arrow labelled "then" from the calling scene to where the call returns (dotted:
the player walks it only once the subroutine returns), and a scene that
returns is drawn as a subroutine box marked ↩. A scene that asks the player
to type shows "✎ variable" under its title, and in DOT a scene's tags are its
tooltip. Every text from the story is escaped for the format it goes into.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from game.engine.model import Scene, Story


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str
    conditional: bool
    #: "move" (a choice or a goto), "call" (into a subroutine) or "then" (where a call returns to).
    kind: str = "move"
    #: The `scene#index` key of the choice the edge is drawn for, if any.
    choice: str | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """What an exploration never reached: scene ids and `scene#index` choice keys."""

    scenes: frozenset[str] = frozenset()
    choices: frozenset[str] = frozenset()
    endings: frozenset[str] = frozenset()


def edges(story: Story) -> list[Edge]:
    """Every arrow of the map, scene by scene: gotos, choices, calls and where calls return to."""
    out: list[Edge] = []
    for scene in story.scenes.values():
        if scene.goto is not None:
            for branch in scene.goto:
                label = f"if {branch.condition.source}" if branch.condition else "Continue"
                out.append(Edge(scene.id, branch.scene, label, branch.condition is not None))
        if scene.call is not None:
            out.append(Edge(scene.id, scene.call, "call", False, "call"))
            if scene.then is not None:
                out.append(Edge(scene.id, scene.then, "then", False, "then"))
        for choice in scene.choices or ():
            conditional = choice.condition is not None
            if choice.call is not None:
                text = choice.text.source
                out.append(Edge(scene.id, choice.call, f"call: {text}", conditional, "call", choice.key))
                if choice.then is not None:
                    out.append(Edge(scene.id, choice.then, f"then: {text}", conditional, "then", choice.key))
            for branch in choice.goto:
                text = choice.text.source
                if branch.condition is not None:
                    text += f" [if {branch.condition.source}]"
                out.append(
                    Edge(scene.id, branch.scene, text, conditional or branch.condition is not None, "move", choice.key)
                )
    return out


def _asks(scene: Scene) -> str:
    """What a scene asks the player to type, as a line under its title ("" when it asks nothing)."""
    return "" if scene.input is None else f"✎ {scene.input.variable}"


def load_coverage(path: Path) -> Coverage:
    """Read the never-reached sets from `explore --json` output (random or exhaustive)."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def pick(*keys: str) -> frozenset[str]:
        for key in keys:
            value = data.get(key)
            if isinstance(value, list):
                return frozenset(
                    item if isinstance(item, str) else str(item.get("id") or item.get("key") or item.get("scene"))
                    for item in value
                )
        return frozenset()

    return Coverage(
        scenes=pick("unreachable_scenes", "unreached_scenes", "scenes_never_reached"),
        choices=pick("never_offered_choices", "choices_never_offered", "choices_never_taken", "unreached_choices"),
        endings=pick("endings_never_reached", "unreached_endings"),
    )


def _chapters(story: Story) -> dict[str, list[Scene]]:
    chapters: dict[str, list[Scene]] = {}
    for scene in story.scenes.values():
        chapters.setdefault(scene.chapter or "", []).append(scene)
    return chapters


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node_id(scene_id: str) -> str:
    return re.sub(r"\W", "_", scene_id)


# --------------------------------------------------------------------------- Mermaid


#: Mermaid reads a label as HTML: every character that could open a tag, an entity or end the
#: label is written as Mermaid's own entity code, so `<img onerror=...>` is shown as text.
_MERMAID_ENTITIES = {"&": "#amp;", "<": "#lt;", ">": "#gt;", '"': "#quot;", "#": "#35;", "\n": " "}


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ENTITIES.get(c, c) for c in text)


def to_mermaid(story: Story, coverage: Coverage | None = None, labels: bool = False) -> str:
    lines = ["flowchart TD"]
    for index, (chapter, scenes) in enumerate(_chapters(story).items()):
        indent = "  "
        if chapter:
            lines.append(f'  subgraph ch{index}["{_mermaid_text(chapter)}"]')
            indent = "    "
        for scene in scenes:
            title = _mermaid_text(_short(scene.title or scene.id))
            if scene.input is not None:
                title += f"<br/>{_mermaid_text(_asks(scene))}"
            node = _node_id(scene.id)
            if scene.ending is not None:
                ending = story.endings[scene.ending]
                lines.append(f'{indent}{node}(["{title}<br/>⟪{_mermaid_text(ending.title)}⟫"])')
            elif scene.id == story.start:
                lines.append(f'{indent}{node}[/"{title}"/]')
            elif scene.returns:
                lines.append(f'{indent}{node}[["{title} ↩"]]')
            else:
                lines.append(f'{indent}{node}["{title}"]')
        if chapter:
            lines.append("  end")
    for edge in edges(story):
        if edge.kind == "move":
            arrow = "-.->" if edge.conditional else "-->"
            label = f'|"{_mermaid_text(_short(edge.label, 30))}"|' if labels else ""
        else:  # a call, or where it returns: always said, dotted (thick for the call itself)
            arrow = "==>" if edge.kind == "call" and not edge.conditional else "-.->"
            said = _short(edge.label, 30) if labels else edge.kind
            label = f'|"{_mermaid_text(said)}"|'
        lines.append(f"  {_node_id(edge.source)} {arrow}{label} {_node_id(edge.target)}")
    ending_nodes = [_node_id(s.id) for s in story.scenes.values() if s.ending is not None]
    lines.append("  classDef ending fill:#fde68a,stroke:#b45309,color:#000")
    if ending_nodes:
        lines.append(f"  class {','.join(ending_nodes)} ending")
    if coverage is not None:
        unreached = [_node_id(s) for s in sorted(coverage.scenes) if s in story.scenes]
        unreached += [
            _node_id(s.id)
            for s in story.scenes.values()
            if s.ending in coverage.endings and s.id not in coverage.scenes
        ]
        lines.append("  classDef unreached fill:#fecaca,stroke:#dc2626,stroke-width:3px,color:#000")
        if unreached:
            lines.append(f"  class {','.join(dict.fromkeys(unreached))} unreached")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- DOT


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(story: Story, coverage: Coverage | None = None, labels: bool = True) -> str:
    unreached_scenes = coverage.scenes if coverage else frozenset()
    unreached_endings = coverage.endings if coverage else frozenset()
    unreached_choices = coverage.choices if coverage else frozenset()
    lines = [
        f'digraph "{_dot_text(story.title)}" {{',
        "  rankdir=TB;",
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for index, (chapter, scenes) in enumerate(_chapters(story).items()):
        indent = "  "
        if chapter:
            lines.append(f"  subgraph cluster_{index} {{")
            lines.append(f'    label="{_dot_text(chapter)}";')
            indent = "    "
        for scene in scenes:
            title = _dot_text(_short(scene.title or scene.id))
            if scene.input is not None:
                title += f"\\n{_dot_text(_asks(scene))}"
            attrs = [f'label="{title}"']
            if scene.ending is not None:
                attrs += ["shape=doubleoctagon", 'style="filled"', 'fillcolor="#fde68a"']
                attrs[0] = f'label="{title}\\n⟪{_dot_text(story.endings[scene.ending].title)}⟫"'
            elif scene.returns:
                attrs[0] = f'label="{title} ↩"'
                attrs.append("peripheries=2")
            if scene.tags:
                attrs.append(f'tooltip="tags: {_dot_text(", ".join(scene.tags))}"')
            if scene.id == story.start:
                attrs.append("penwidth=2")
            if scene.id in unreached_scenes or scene.ending in unreached_endings:
                attrs += ['color="#dc2626"', 'fontcolor="#dc2626"', "penwidth=3"]
            lines.append(f'{indent}"{scene.id}" [{", ".join(attrs)}];')
        if chapter:
            lines.append("  }")
    for scene in story.scenes.values():
        for index, choice in enumerate(scene.choices or ()):
            conditional = choice.condition is not None
            unreached = f"{scene.id}#{index}" in unreached_choices
            text = _dot_text(_short(choice.text.source, 30))
            if choice.call is not None:
                lines.append(_dot_call(scene.id, choice.call, "call", text if labels else "", conditional, unreached))
                if choice.then is not None:
                    lines.append(
                        _dot_call(scene.id, choice.then, "then", text if labels else "", conditional, unreached)
                    )
            for branch in choice.goto:
                attrs = []
                if labels:
                    attrs.append(f'label="{text}"')
                if conditional or branch.condition is not None:
                    attrs.append("style=dashed")
                if unreached:
                    attrs += ['color="#dc2626"', 'fontcolor="#dc2626"']
                lines.append(f'  "{scene.id}" -> "{branch.scene}" [{", ".join(attrs)}];')
        for branch in scene.goto or ():
            attrs = ["style=dashed"] if branch.condition is not None else []
            if labels and branch.condition is not None:
                attrs.append(f'label="if {_dot_text(_short(branch.condition.source, 30))}"')
            lines.append(f'  "{scene.id}" -> "{branch.scene}" [{", ".join(attrs)}];')
        if scene.call is not None:
            lines.append(_dot_call(scene.id, scene.call, "call", "", False, False))
            if scene.then is not None:
                lines.append(_dot_call(scene.id, scene.then, "then", "", False, False))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_call(source: str, target: str, kind: str, text: str, conditional: bool, unreached: bool) -> str:
    """A call's arrow into the subroutine (bold, dotted) or the way back to where it returns (dotted)."""
    label = f"{kind}: {text}" if text else kind
    attrs = [f'label="{label}"', "style=dotted" if not conditional else "style=dashed"]
    if kind == "call":
        attrs += ["penwidth=2", "arrowhead=empty"]
    if unreached:
        attrs += ['color="#dc2626"', 'fontcolor="#dc2626"']
    return f'  "{source}" -> "{target}" [{", ".join(attrs)}];'
