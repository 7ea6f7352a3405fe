import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from companion import exercises

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("export_student", ROOT / "scripts" / "export_student.py")
export_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_student)


def _write(path: Path, cells: list) -> Path:
    nbformat.write(new_notebook(cells=cells), path)
    return path


def _exercise_chapter(folder: Path, *, tag_solution: bool = True) -> Path:
    printed = new_output("stream", name="stdout", text="4\n")
    return _write(
        folder / "01_tiny.ipynb",
        [
            new_markdown_cell("# Tiny\n\nText."),
            new_code_cell("x = 2 + 2\nprint(x)", outputs=[printed], execution_count=1),
            new_markdown_cell("## Exercises\n\n1. Add three."),
            new_code_cell(
                "# Solution 1\nx + 3",
                outputs=[new_output("execute_result", data={"text/plain": "7"}, execution_count=2)],
                metadata={"tags": ["solution", "hide-cell"]} if tag_solution else {"tags": ["hide-cell"]},
            ),
        ],
    )


def test_solution_cells_go_the_rest_stays_without_outputs(tmp_path):
    chapter = _exercise_chapter(tmp_path)
    [copy] = export_student.export([chapter], tmp_path / "student")
    cells = nbformat.read(copy, as_version=4).cells
    assert [cell.source for cell in cells] == [
        "# Tiny\n\nText.",
        "x = 2 + 2\nprint(x)",
        "## Exercises\n\n1. Add three.",
    ]
    assert cells[1].outputs == [] and cells[1].execution_count is None
    assert nbformat.read(chapter, as_version=4).cells[3].outputs  # the original is left as it was


def test_check_flags_exercises_without_a_tagged_solution(tmp_path):
    assert export_student.problems(_exercise_chapter(tmp_path)) == []
    found = export_student.problems(_exercise_chapter(tmp_path, tag_solution=False))
    assert any("no cell tagged 'solution'" in line for line in found)
    assert any("start with '# Solution' but are not tagged" in line for line in found)


def test_a_chapter_without_exercises_passes_the_check(tmp_path):
    chapter = _write(tmp_path / "02_plain.ipynb", [new_markdown_cell("# Plain\n\n## Summary\n\nDone.")])
    assert export_student.problems(chapter) == []


def test_the_real_chapters_export_without_solutions(tmp_path):
    chapters = export_student.chapters(ROOT / "book")
    assert len(chapters) >= 15
    written = export_student.export(chapters, tmp_path)
    assert [path.name for path in written] == [path.name for path in chapters]
    for path in written:
        for cell in nbformat.read(path, as_version=4).cells:
            assert "solution" not in cell.metadata.get("tags", []), path.name
            assert not cell.source.lstrip().startswith("# Solution"), f"{path.name}: {cell.source[:40]!r}"
            assert not cell.get("outputs"), path.name


@pytest.mark.parametrize("chapter", export_student.chapters(ROOT / "book"), ids=lambda path: path.stem)
def test_every_chapter_has_at_least_three_tagged_solutions(chapter):
    cells = nbformat.read(chapter, as_version=4).cells
    tagged = [cell for cell in cells if "solution" in cell.metadata.get("tags", [])]
    assert len(tagged) >= 3, f"{chapter.name}: {len(tagged)} cells tagged 'solution'"
    assert export_student.problems(chapter) == []


def _stub_chapter(folder: Path, stubs: list[str]) -> Path:
    return _write(
        folder / "01_tiny.ipynb",
        [
            new_markdown_cell("## Exercises\n\n1. Add three."),
            *[new_code_cell(stub, metadata={"tags": ["exercise", "remove-cell"]}) for stub in stubs],
            new_code_cell("# Solution 1\nanswer = 7", metadata={"tags": ["solution", "hide-cell"]}),
        ],
    )


def test_stubs_and_checks_must_come_in_pairs(tmp_path, monkeypatch):
    chapter = _stub_chapter(tmp_path, ["# Exercise 1: x + 3\nanswer = ..."])
    assert any("no checks in companion/exercise_checks/01_tiny/" in line for line in export_student.problems(chapter))
    checks = tmp_path / "checks"
    (checks / "01_tiny").mkdir(parents=True)
    for name in ("q1", "q2"):
        (checks / "01_tiny" / f"{name}.py").write_text("OK_FORMAT = False\n")
    monkeypatch.setattr(exercises, "CHECKS", checks)
    assert any("exercise stubs ['q1'] but checks ['q1', 'q2']" in line for line in export_student.problems(chapter))
    (checks / "01_tiny" / "q2.py").unlink()
    assert export_student.problems(chapter) == []


def test_a_check_follows_the_stub_and_any_solution_cells_kept(tmp_path, monkeypatch):
    (tmp_path / "01_tiny").mkdir()
    (tmp_path / "01_tiny" / "q1.py").write_text("OK_FORMAT = False\n")
    monkeypatch.setattr(exercises, "CHECKS", tmp_path)
    notebook = nbformat.read(_stub_chapter(tmp_path, ["# Exercise 1: x + 3\nanswer = ..."]), as_version=4)
    solved = [cell.source.splitlines()[0] for cell in export_student.with_checks(notebook, "01_tiny").cells]
    assert solved[1].startswith("# The exercises' checks (otter-grader)")
    assert solved[2:] == ["# Exercise 1: x + 3", "# Solution 1", 'grader.check("q1")']
    [copy] = export_student.export([tmp_path / "01_tiny.ipynb"], tmp_path / "student")
    cells = nbformat.read(copy, as_version=4).cells
    assert [cell.source.splitlines()[0] for cell in cells[2:]] == ["# Exercise 1: x + 3", 'grader.check("q1")']
    assert cells[2].metadata.tags == ["exercise"]  # no longer removed from view: the student fills it in


@pytest.mark.parametrize("chapter", exercises.chapters())
def test_student_copies_of_checked_chapters_check_each_exercise(tmp_path, chapter):
    [copy] = export_student.export([ROOT / "book" / f"{chapter}.ipynb"], tmp_path)
    cells = nbformat.read(copy, as_version=4).cells
    [setup] = [i for i, cell in enumerate(cells) if "otter.Notebook(" in cell.source]
    assert export_student.EXERCISES.search(cells[setup - 1].source)
    assert f'%pip install -q "{export_student.otter_requirement()}"' in cells[setup].source
    asked = []
    for index, cell in enumerate(cells):
        if export_student.question(cell):
            asked.append(export_student.question(cell))
            assert cells[index + 1].source == f'grader.check("{asked[-1]}")'
    public = sorted(path.stem for path in Path(exercises.tests_dir(chapter)).glob("*.py"))
    assert sorted(asked) == public and len(asked) >= 4, f"{chapter}: stubs {asked}, checks {public}"
    for path in Path(exercises.tests_dir(chapter)).glob("*.py"):
        assert "hidden=True" not in path.read_text(encoding="utf-8"), f"{path}: hidden checks go in grading/"
