"""How long a story is: words per scene, per chapter and per way to each ending, and reading times.

What `million-miles check --stats` prints, as ink, Twine and Ren'Py tell their
authors. The definitions, also in docs/authoring.md:

- A scene's words are those of every paragraph a player could see in it,
  conditional paragraphs included (the most a visit can show); titles and
  choices are not counted. A `{variable}` (any `{expression}`) counts as one
  word, and text chosen inside a paragraph (`{if …}`, `{seq: …}`) counts as
  its longest alternative; a `{>snippet}`, as the snippet's words.
- The shortest way to an ending is the exhaustive exploration's: the fewest
  choices from the start (`game.engine.explore`), played through with the
  draws the exploration made, each scene counted once for every time it is
  shown.
- The longest way to an ending is the longest *simple path* of the scene graph
  from the start to a scene with that ending: no scene twice, every choice and
  branch counted as a way on whatever its condition, longest in words. Loops
  are gone round at most once: a simple path visits each scene once. A `call`
  leads into the subroutine it calls, and a `return` scene back to where the
  calls that can end there return (their `then`, or the calling scene).
- Reading time is words at `WORDS_PER_MINUTE`.

The longest simple path is found exactly: the graph splits into its strongly
connected parts (the loops), which a path enters and leaves once each, in an
order the parts themselves fix. The best path across each part, from where it is
entered to where it is left, is searched for exhaustively within a budget
(`SEARCH_BUDGET` steps in all); a story whose loops are too tangled for it gets
the longest path found when the budget ran out, and says so ("at least").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from game.engine.explore import ExhaustiveResult, Route
from game.engine.model import Scene, Story
from game.engine.runtime import Game
from game.engine.text import Alternatives, Piece, Show

#: An adult's silent reading of fiction on a screen, in words a minute.
WORDS_PER_MINUTE = 230
#: Steps of the search for the longest way through the loops of a story, in all.
SEARCH_BUDGET = 200_000


@dataclass(frozen=True)
class Path:
    """A way from the start to an ending: the scenes shown, in order, and their words."""

    scenes: tuple[str, ...]
    words: int

    @property
    def minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE

    def as_json(self) -> dict[str, object]:
        return {"scenes": list(self.scenes), "words": self.words, "minutes": round(self.minutes, 1)}


@dataclass(frozen=True)
class EndingStats:
    ending: str
    title: str
    #: The fewest choices, as the exploration found them (None: it never reached the ending).
    shortest: Path | None
    #: The most words without showing a scene twice (None: no scene with this ending can be reached).
    longest: Path | None


@dataclass
class Stats:
    words: int
    #: Scene id → words, in the story's order.
    scenes: dict[str, int]
    #: Chapter → (scenes, words), in order of first appearance ("" for scenes without a chapter).
    chapters: dict[str, tuple[int, int]]
    endings: list[EndingStats]
    #: False when the search for the longest ways ran out of budget: they are the longest found.
    longest_exact: bool = True
    #: False when the exploration hit its bound: a shortest way may be missing.
    explored: bool = True
    notes: list[str] = field(default_factory=list)

    def longest_scenes(self, count: int = 10) -> list[tuple[str, int]]:
        return sorted(self.scenes.items(), key=lambda item: -item[1])[:count]

    def as_json(self) -> dict[str, object]:
        return {
            "words": self.words,
            "minutes": round(self.words / WORDS_PER_MINUTE, 1),
            "words_per_minute": WORDS_PER_MINUTE,
            "scenes": self.scenes,
            "chapters": [
                {"chapter": name or None, "scenes": scenes, "words": words}
                for name, (scenes, words) in self.chapters.items()
            ],
            "endings": [
                {
                    "ending": e.ending,
                    "title": e.title,
                    "shortest": None if e.shortest is None else e.shortest.as_json(),
                    "longest": None if e.longest is None else e.longest.as_json(),
                }
                for e in self.endings
            ],
            "longest_exact": self.longest_exact,
            "explored": self.explored,
        }


def count_words(text: str) -> int:
    return len(text.split())


def scene_words(scene: Scene) -> int:
    """The words of every paragraph a player could see in the scene, conditional ones included
    (text chosen inside a paragraph counts as its longest alternative)."""
    return sum(
        count_words(_longest(p.template.pieces) if p.template.pieces else p.template.source) for p in scene.paragraphs
    )


def _longest(pieces: tuple[Piece, ...]) -> str:
    """A stand-in for the most a text of format 2 can show: each `{expression}` one word, each
    choice of text its longest alternative."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, Show):
            out.append("x")
        elif isinstance(piece, Alternatives):
            out.append(max((_longest(arm.pieces) for arm in piece.arms), key=count_words, default=""))
    return "".join(out)


def story_stats(story: Story, explored: ExhaustiveResult) -> Stats:
    words = {scene_id: scene_words(scene) for scene_id, scene in story.scenes.items()}
    chapters: dict[str, tuple[int, int]] = {}
    for scene_id, scene in story.scenes.items():
        count, total = chapters.get(scene.chapter or "", (0, 0))
        chapters[scene.chapter or ""] = (count + 1, total + words[scene_id])
    longest, exact = longest_paths(story, words)
    endings = []
    for ending_id, ending in story.endings.items():
        route = explored.endings.get(ending_id)
        shortest = None
        if route is not None:
            shown = _replay(story, route)
            shortest = Path(shown, sum(words[s] for s in shown))
        endings.append(EndingStats(ending_id, ending.title, shortest, longest.get(ending_id)))
    return Stats(sum(words.values()), words, chapters, endings, exact, explored.complete)


def _replay(story: Story, route: Route) -> tuple[str, ...]:
    """The scenes a player is shown taking `route` from the start (with its draws), the start and the last
    included."""
    game = Game(story)
    shown = [game.state.scene]
    for at, move in enumerate(route.moves):
        draws = route.draws[at] if at < len(route.draws) else ()
        game.move(move, list(draws) or None)
        shown.append(game.state.scene)
    return tuple(shown)


# --------------------------------------------------------------------------- the longest ways


def successors(scene: Scene, returns: Mapping[str, list[str]] | None = None) -> list[str]:
    """Every scene a choice, a `goto`, a `call` or a `return` of `scene` may lead to, whatever the
    conditions, once each. A call leads into the scene it calls; a return scene leads where
    `returns` (`return_points`) says the calls that end there come back to."""
    targets = [branch.scene for branch in scene.goto or ()]
    if scene.call is not None:
        targets.append(scene.call)
    for choice in scene.choices or ():
        targets += [branch.scene for branch in choice.goto]
        if choice.call is not None:
            targets.append(choice.call)
    if scene.returns and returns is not None:
        targets += returns.get(scene.id, [])
    return list(dict.fromkeys(targets))


def return_points(story: Story) -> dict[str, list[str]]:
    """Each `return` scene → the scenes a player may come back to from it: for every call (of a scene or
    a choice) whose subroutine can end there, the scene that call returns to."""
    ends: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for scene in story.scenes.values():
        sites = [] if scene.call is None else [(scene.call, scene.then or scene.id)]
        sites += [(c.call, c.returns_to) for c in scene.choices or () if c.call is not None]
        for callee, back in sites:
            if callee not in ends:
                ends[callee] = _returns_reached(story, callee)
            for end in ends[callee]:
                out.setdefault(end, [])
                if back not in out[end]:
                    out[end].append(back)
    return out


def _returns_reached(story: Story, entry: str) -> list[str]:
    """The `return` scenes a subroutine entered at `entry` can end at: its gotos and choices followed, a
    call inside it passed over to where that call returns, a return scene the end of the way."""
    seen = {entry}
    pending = [entry]
    found: list[str] = []
    while pending:
        scene = story.scenes.get(pending.pop())
        if scene is None:
            continue
        if scene.returns:
            found.append(scene.id)
            continue
        targets = [b.scene for b in scene.goto or ()]
        if scene.call is not None:
            targets.append(scene.then or scene.id)
        for choice in scene.choices or ():
            targets += [b.scene for b in choice.goto]
            if choice.call is not None:
                targets.append(choice.returns_to)
        for target in targets:
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return sorted(found, key=list(story.scenes).index)


def scene_graph(story: Story) -> dict[str, list[str]]:
    """Each scene → the scenes it may lead to (`successors`), calls and returns included."""
    returns = return_points(story)
    return {scene_id: successors(scene, returns) for scene_id, scene in story.scenes.items()}


def longest_paths(story: Story, words: dict[str, int]) -> tuple[dict[str, Path], bool]:
    """For each ending reachable in the scene graph, the simple path from the start with the most words;
    and whether the search was exhaustive (see the module's docstring)."""
    graph = scene_graph(story)
    parts = _strong_parts(graph, story.start)  # in the order a path can go through them
    part_of = {scene: n for n, part in enumerate(parts) for scene in part}
    budget = _Budget(SEARCH_BUDGET)
    #: Scene → the best path from the start that leaves its part there (scenes, words).
    best: dict[str, tuple[tuple[str, ...], int]] = {}
    #: Scene → the best path from the start that enters its part there, not counting the scene.
    into: dict[str, tuple[tuple[str, ...], int]] = {story.start: ((), 0)}
    for n, part in enumerate(parts):
        members = set(part)
        for entry in [s for s in part if s in into]:
            before, before_words = into[entry]
            for end, (inside, inside_words) in _through(entry, members, graph, words, budget).items():
                total = before_words + inside_words
                if end not in best or total > best[end][1]:
                    best[end] = (before + inside, total)
        for scene in part:
            if scene not in best:
                continue
            path, total = best[scene]
            for target in graph[scene]:
                if part_of.get(target, n) != n and (target not in into or total > into[target][1]):
                    into[target] = (path, total)
    out: dict[str, Path] = {}
    for scene_id, (path, total) in best.items():
        ending = story.scenes[scene_id].ending
        if ending is not None and (ending not in out or total > out[ending].words):
            out[ending] = Path(path, total)
    return out, not budget.spent


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps
        self.spent = False

    def take(self) -> bool:
        if self.left <= 0:
            self.spent = True
            return False
        self.left -= 1
        return True


def _through(
    entry: str, members: set[str], graph: dict[str, list[str]], words: dict[str, int], budget: _Budget
) -> dict[str, tuple[tuple[str, ...], int]]:
    """From `entry`, the simple path with the most words to each scene of its part, within the part."""
    found: dict[str, tuple[tuple[str, ...], int]] = {}
    path = [entry]
    on_path = {entry}

    def walk(scene: str, total: int) -> None:
        if scene not in found or total > found[scene][1]:
            found[scene] = (tuple(path), total)
        for target in graph[scene]:
            if target in members and target not in on_path and budget.take():
                path.append(target)
                on_path.add(target)
                walk(target, total + words[target])
                on_path.discard(target)
                path.pop()

    walk(entry, words[entry])
    return found


def _strong_parts(graph: dict[str, list[str]], start: str) -> list[list[str]]:
    """The strongly connected parts of the graph reachable from `start`, in topological order
    (Tarjan's algorithm, without recursion: a story may be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    parts: list[list[str]] = []
    counter = 0
    work: list[tuple[str, Iterator[str]]] = []

    def enter(scene: str) -> None:
        nonlocal counter
        index[scene] = low[scene] = counter
        counter += 1
        stack.append(scene)
        on_stack.add(scene)
        work.append((scene, iter(graph.get(scene, ()))))

    enter(start)
    while work:
        scene, targets = work[-1]
        target = next((t for t in targets if t in graph), None)
        if target is not None:
            if target not in index:
                enter(target)
            elif target in on_stack:
                low[scene] = min(low[scene], index[target])
            continue
        work.pop()
        if work:
            parent = work[-1][0]
            low[parent] = min(low[parent], low[scene])
        if low[scene] == index[scene]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == scene:
                    break
            parts.append(part)
    parts.reverse()  # Tarjan finds a part after every part it leads to
    return parts


# --------------------------------------------------------------------------- as `check --stats` prints them


def duration(minutes: float) -> str:
    """Reading time as a person says it: '40 s', '12 min', '1 h 05 min'."""
    if minutes < 1:
        return f"{max(1, round(minutes * 60))} s"
    whole = round(minutes)
    return f"{whole} min" if whole < 60 else f"{whole // 60} h {whole % 60:02d} min"


def render(stats: Stats, longest_scenes: int = 10) -> list[str]:
    """The report as lines of text, in columns (story text in it made printable)."""
    from game.engine.errors import printable
    from game.present.words import plural

    rows: list[str | tuple[str, str, int]] = [  # a heading, or (label, what, words)
        f"Stats: the words of every paragraph a scene can show (conditional ones included), read at"
        f" {WORDS_PER_MINUTE} words a minute",
        ("  the whole story", plural(len(stats.scenes), "scene"), stats.words),
    ]
    top = stats.longest_scenes(longest_scenes)
    rows.append(f"  the {len(top)} longest scenes:" if len(top) != 1 else "  the longest scene:")
    rows += [(f"    {scene_id}", "", words) for scene_id, words in top]
    rows.append("  chapters:")
    for name, (scenes, words) in stats.chapters.items():
        rows.append((f"    {printable(name) if name else '(no chapter)'}", plural(scenes, "scene"), words))
    cut = "; the search for it was cut short: at least this long" if not stats.longest_exact else ""
    rows.append(
        "  each ending, from the start: its shortest way (the fewest choices, loops gone round as often as"
        f" they must be) and its longest (the most words, no scene shown twice{cut}):"
    )
    for ending in stats.endings:
        rows.append(f"    {ending.ending} ({printable(ending.title)})")
        shortest = ending.shortest
        if shortest is not None:
            again = len(shortest.scenes) - len(set(shortest.scenes))
            shown = f"{plural(len(shortest.scenes), 'scene')} shown" + (f", {again} again" if again else "")
            rows.append(("      shortest: fewest choices", shown, shortest.words))
        else:
            rows.append(
                f"      shortest: not reached by the exploration{'' if stats.explored else ' within its bound'}"
            )
        if ending.longest is not None:
            rows.append(
                (
                    "      longest: most words",
                    f"{plural(len(ending.longest.scenes), 'scene')} shown",
                    ending.longest.words,
                )
            )
        else:
            rows.append("      longest: no scene with this ending can be reached")
    columns = [row for row in rows if isinstance(row, tuple)]
    label = max((len(row[0]) for row in columns), default=0)
    what = max((len(row[1]) for row in columns), default=0)
    lines = []
    for row in rows:
        if isinstance(row, str):
            lines.append(row)
            continue
        name, shown, words = row
        unit = "word " if words == 1 else "words"
        read = duration(words / WORDS_PER_MINUTE)
        lines.append(f"{name:<{label}}  {shown:>{what}}  {words:>7,} {unit}  {read:>9}".rstrip())
    return lines
