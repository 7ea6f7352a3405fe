"""Write student copies of the chapters: every cell tagged `solution` removed, every output cleared.

python scripts/export_student.py                  # book/NN_*.ipynb -> _build/student/NN_*.ipynb
python scripts/export_student.py --out handouts   # another folder
python scripts/export_student.py --check          # exit 1 if a chapter's exercises have no tagged solution

In a chapter whose exercises have checks (companion/exercise_checks/NN_name/), each exercise has a stub cell
tagged `exercise` ("# Exercise 2: ..." with the names to fill in, or "# Quiz"), hidden in the HTML book. The
copy gets otter-grader's set-up after the "## Exercises" heading and a `grader.check("q2")` cell after each
stub (book/instructors.md).
"""

from __future__ import annotations

import argparse
import re
import sys
from copy import deepcopy
from pathlib import Path

import nbformat
from nbconvert import NotebookExporter
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

from companion import exercises

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
EXERCISES = re.compile(r"^##\s+Exercises\b", re.MULTILINE)
STUB = re.compile(r"^# (?:Exercise (\d+)\b|Quiz\b)")
GRADER_REQUIREMENTS = ROOT / "grading" / "requirements.txt"


def chapters(book: Path) -> list[Path]:
    """Return the numbered chapter notebooks (book/NN_*.ipynb) in reading order."""
    return sorted(book.glob("[0-9][0-9]_*.ipynb"))


def question(cell: nbformat.NotebookNode) -> str | None:
    """Return the check that follows an exercise stub ("# Exercise 2: ..." -> "q2", "# Quiz" -> "quiz"), else None."""
    if cell.cell_type != "code" or EXERCISE_TAG not in cell.metadata.get("tags", []):
        return None
    match = STUB.match(cell.source)
    if match is None:
        raise ValueError(
            f"a cell tagged {EXERCISE_TAG!r} must start with '# Exercise N' or '# Quiz': {cell.source[:60]!r}"
        )
    return f"q{match.group(1)}" if match.group(1) else "quiz"


def otter_requirement() -> str:
    """Return the otter-grader pin that grading/requirements.txt installs (the student copies install the same)."""
    for line in GRADER_REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("otter-grader=="):
            return line.split("#")[0].strip()
    raise SystemExit(f"{GRADER_REQUIREMENTS} pins no otter-grader==VERSION")


def grader_cell(chapter: str) -> nbformat.NotebookNode:
    """Return the cell that sets up the exercises' checks (in Colab it installs otter-grader first)."""
    return nbformat.v4.new_code_cell(
        '# The exercises\' checks (otter-grader): grader.check("q1") says what is wrong with your answer, if anything\n'
        "import sys\n\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install -q "{otter_requirement()}"\n'
        "import otter\n\n"
        "from companion import exercises\n\n"
        f'grader = otter.Notebook(tests_dir=exercises.tests_dir("{chapter}"))'
    )


def with_checks(notebook: nbformat.NotebookNode, chapter: str) -> nbformat.NotebookNode:
    """Return a copy with the checks' set-up after the Exercises heading and grader.check after each stub.

    The check goes after the stub's solution cells where the notebook still has them: otter grades a question
    by the check that the notebook runs, so in a solution notebook it must run after the solution.
    """
    if chapter not in exercises.chapters():
        return notebook
    copy = deepcopy(notebook)
    cells, waiting = [], None  # waiting: the check to place once the stub's solution cells (if kept) are past
    for cell in copy.cells:
        if waiting is not None and SOLUTION_TAG not in cell.metadata.get("tags", []):
            cells.append(nbformat.v4.new_code_cell(f'grader.check("{waiting}")'))
            waiting = None
        cells.append(cell)
        if cell.cell_type == "markdown" and EXERCISES.search(cell.source):
            cells.append(grader_cell(chapter))
        name = question(cell)
        if name is not None:
            waiting = name
            cell.metadata["tags"] = [tag for tag in cell.metadata["tags"] if tag != "remove-cell"]
    if waiting is not None:
        cells.append(nbformat.v4.new_code_cell(f'grader.check("{waiting}")'))
    copy.cells = cells
    return copy


def exporter(*, solutions: bool = False) -> NotebookExporter:
    """Return the exporter of a chapter's copies: outputs cleared, and the solution cells removed unless kept."""
    notebook_exporter = NotebookExporter()
    if not solutions:
        notebook_exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}), enabled=True)
    notebook_exporter.register_preprocessor(ClearOutputPreprocessor(), enabled=True)
    return notebook_exporter


def export(paths: list[Path], out: Path) -> list[Path]:
    """Write each notebook's student copy into out (created if needed); return the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    student = exporter()
    written = []
    for path in paths:
        body, _ = student.from_notebook_node(with_checks(nbformat.read(path, as_version=4), path.stem))
        target = out / path.name
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def problems(path: Path) -> list[str]:
    """Return what keeps this chapter from a clean student copy (empty when there is nothing)."""
    notebook = nbformat.read(path, as_version=4)
    has_exercises = any(cell.cell_type == "markdown" and EXERCISES.search(cell.source) for cell in notebook.cells)
    tagged = {index for index, cell in enumerate(notebook.cells) if SOLUTION_TAG in cell.metadata.get("tags", [])}
    untagged = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and cell.source.lstrip().startswith("# Solution") and index not in tagged
    ]
    found = []
    stubs = [name for name in map(question, notebook.cells) if name is not None]
    if path.stem in exercises.chapters():
        checks = {test.stem for test in Path(exercises.tests_dir(path.stem)).glob("*.py")}
        if sorted(checks) != sorted(stubs):
            found.append(
                f"{path.name}: exercise stubs {sorted(stubs)} but checks {sorted(checks)}; each needs the other"
            )
    elif stubs:
        found.append(f"{path.name}: exercise stubs {stubs} but no checks in companion/exercise_checks/{path.stem}/")
    if has_exercises and not tagged:
        found.append(f"{path.name}: has an '## Exercises' heading but no cell tagged {SOLUTION_TAG!r}")
    if untagged:
        found.append(f"{path.name}: cells {untagged} start with '# Solution' but are not tagged {SOLUTION_TAG!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=ROOT / "book", help="folder holding NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student", help="where the copies go")
    parser.add_argument("--check", action="store_true", help="only check the solution tags; write nothing")
    args = parser.parse_args()
    paths = chapters(args.book)
    if not paths:
        raise SystemExit(f"{args.book} holds no NN_*.ipynb chapters")
    if args.check:
        found = [line for path in paths for line in problems(path)]
        print("\n".join(found) or f"{len(paths)} chapters: every exercise section has tagged solutions")
        return 1 if found else 0
    written = export(paths, args.out)
    print(f"{len(written)} student notebooks (no '{SOLUTION_TAG}' cells, no outputs) in {args.out}")
    print(f"with the exercises' checks (otter-grader): {', '.join(exercises.chapters()) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
