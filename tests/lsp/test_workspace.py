"""A project checks an edit by compiling the edited buffer alone, and re-reads only changed files for its index."""

from __future__ import annotations

from game.lsp.workspace import Project, story_root
from tests.lsp.conftest import SCENES


def test_a_keystroke_compiles_the_edited_file_alone(story):
    (story / "chapter2.yaml").write_text("scenes:\n  cellar:\n    text: Dark.\n    goto: harbor\n", encoding="utf-8")
    project = Project(story)
    first = project.check({})
    assert first.story is not None and first.diagnostics == []
    edited = project.check({"chapter1.yaml": SCENES.replace("The lamp is dark.", "The lamp is dark!")})
    assert project.loader.sources == {"story.yaml": "kept", "chapter1.yaml": "compiled", "chapter2.yaml": "kept"}
    assert edited.version == first.version + 1
    broken = project.check({"chapter1.yaml": SCENES.replace("goto: morning", "goto: mornin")})
    assert [d.message for d in broken.diagnostics] == ["unknown scene 'mornin' (did you mean 'morning'?)"]
    assert broken.texts["chapter1.yaml"].count("mornin") == SCENES.count("mornin")  # the buffer's text, for ranges


def test_the_index_reads_again_only_the_files_that_changed(story):
    project = Project(story)
    project.check({})
    before = project.index({})
    after = project.index({"chapter1.yaml": SCENES + "  cellar:\n    text: Dark.\n    goto: harbor\n"})
    assert after.files["story.yaml"] is before.files["story.yaml"]
    assert after.files["chapter1.yaml"] is not before.files["chapter1.yaml"]
    assert "cellar" in after.names("scene") and "cellar" not in before.names("scene")
    # The playthrough plays this story (its `story:` is the folder above it): it is indexed with it.
    assert [o.name for o in after.files["tests/row.playthrough.yaml"].occurrences] == ["lighthouse", "lit"]


def test_a_file_belongs_to_the_nearest_folder_above_it_holding_story_yaml(story):
    assert story_root(story / "tests" / "row.playthrough.yaml") == story
    assert story_root(story / "chapter1.yaml") == story
    assert story_root(story.parent / "elsewhere.yaml") is None
