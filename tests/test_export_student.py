import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

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
