"""Write student copies of the chapters: every cell tagged `solution` removed, every output cleared.

python scripts/export_student.py                  # book/NN_*.ipynb -> _build/student/NN_*.ipynb
python scripts/export_student.py --out handouts   # another folder
python scripts/export_student.py --check          # exit 1 if a chapter's exercises have no tagged solution
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import NotebookExporter
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_TAG = "solution"
EXERCISES = re.compile(r"^##\s+Exercises\b", re.MULTILINE)


def chapters(book: Path) -> list[Path]:
    """Return the numbered chapter notebooks (book/NN_*.ipynb) in reading order."""
    return sorted(book.glob("[0-9][0-9]_*.ipynb"))


def _exporter() -> NotebookExporter:
    exporter = NotebookExporter()
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}), enabled=True)
    exporter.register_preprocessor(ClearOutputPreprocessor(), enabled=True)
    return exporter


def export(paths: list[Path], out: Path) -> list[Path]:
    """Write each notebook's student copy into out (created if needed); return the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = _exporter()
    written = []
    for path in paths:
        body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
