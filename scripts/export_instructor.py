"""Write what grading needs for the chapters whose exercises have checks, and grade submissions with it.

python scripts/export_instructor.py                                  # -> _build/instructor/NN_name/
python scripts/export_instructor.py --sample 04_math                 # + grade its solution and its blank copy
python scripts/export_instructor.py --grade 04_math work/*.ipynb     # grade submissions: one report each

Run it in the grader's environment (`make instructor`: .venv-grader, otter-grader on top of the book's
packages). For each chapter, OUT/NN_name/ holds
  NN_name.ipynb   the chapter with its solutions and its checks: the notebook a full score comes from
  tests/          one otter-grader test file per question: the public checks that students run
                  (companion/exercise_checks/NN_name/) followed by the hidden ones (grading/NN_name/)
  autograder.zip  otter-grader's autograder for the chapter
--sample writes grading/NN_name/sample/solution.txt and blank.txt (grade reports of the solution notebook and
of the student copy left blank: the samples that book/instructors.md shows and tests/test_grading.py compares).
--grade writes REPORTS/<submission>.txt and REPORTS/scores.csv (a line per submission).
Grading executes each notebook offline, in a kernel of this environment, without Docker (otter run).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import export_student  # the script beside this one: `python scripts/...` puts scripts/ first on sys.path
import nbformat

from companion import exercises

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = ROOT / "grading"


def test_sources(chapter: str) -> dict[str, str]:
    """Return each question's full test file (public checks, then hidden ones), by question name."""
    sources = {}
    for public in sorted(Path(exercises.tests_dir(chapter)).glob("*.py")):
        hidden = HIDDEN / chapter / public.name
        parts = [public.read_text(encoding="utf-8")] + ([hidden.read_text(encoding="utf-8")] if hidden.exists() else [])
        sources[public.stem] = "\n\n".join(parts)
    return sources


def notebook(chapter: str, *, solutions: bool) -> str:
    """Return the chapter as a notebook with its checks, without outputs; with or without the solutions."""
    book = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    body, _ = export_student.exporter(solutions=solutions).from_notebook_node(export_student.with_checks(book, chapter))
    return body


def export(chapter: str, out: Path) -> Path:
    """Write the chapter's solution notebook, test files and autograder.zip into out/chapter; return that folder."""
    folder = out / chapter
    (folder / "tests").mkdir(parents=True, exist_ok=True)
    for stale in (folder / "tests").glob("*.py"):
        stale.unlink()
    for name, source in test_sources(chapter).items():
        (folder / "tests" / f"{name}.py").write_text(source, encoding="utf-8")
    (folder / f"{chapter}.ipynb").write_text(notebook(chapter, solutions=True), encoding="utf-8")
    generate = [sys.executable, "-m", "otter", "generate", "--tests-dir", "tests", "--output-path", "autograder.zip"]
    subprocess.run([*generate, "--no-config", "--no-requirements", "--no-environment"], cwd=folder, check=True)
    return folder


def grade(autograder: Path, submission: Path):
    """Execute one submission offline and run every check (public and hidden) on it: otter's GradingResults."""
    from otter.api import grade_submission

    return grade_submission(str(submission), str(autograder), quiet=True)


def report(results, title: str) -> str:
    """Return a grade report: the score of each question, then otter's account of every check."""
    lines = [title, "", f"{'question':<10}{'score':>8}{'possible':>10}"]
    for name, test_file in results.results.items():
        lines.append(f"{name:<10}{test_file.score:>8g}{test_file.possible:>10g}")
    lines += [f"{'total':<10}{results.total:>8g}{results.possible:>10g}", "", results.summary()]
    return "\n".join(lines) + "\n"


def sample(chapter: str, folder: Path, out: Path) -> dict[str, str]:
    """Grade the chapter's solution notebook and its blank student copy; write both reports into out, return them."""
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / f"{chapter}.ipynb"
        blank.write_text(notebook(chapter, solutions=False), encoding="utf-8")
        for kind, path in (("solution", folder / f"{chapter}.ipynb"), ("blank", blank)):
            text = report(grade(folder / "autograder.zip", path), f"{chapter}: the {kind} notebook, graded")
            (out / f"{kind}.txt").write_text(text, encoding="utf-8")
            written[kind] = text
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "instructor", help="where the exports go")
    parser.add_argument("--sample", metavar="CHAPTER", help="grade this chapter's solution and blank notebooks")
    parser.add_argument("--grade", nargs="+", metavar=("CHAPTER", "SUBMISSION"), help="grade submissions")
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="where --grade writes its reports")
    args = parser.parse_args()
    if args.grade:
        chapter, *submissions = args.grade
        autograder = args.out / chapter / "autograder.zip"
        if not autograder.exists():
            export(chapter, args.out)
        stems = [Path(submission).stem for submission in submissions]
        if len(set(stems)) < len(stems):
            raise SystemExit("two submissions share a file name, and so would their reports: rename one")
        args.reports.mkdir(parents=True, exist_ok=True)
        with open(args.reports / "scores.csv", "w", newline="", encoding="utf-8") as scores:
            writer = csv.writer(scores)
            writer.writerow(["submission", "chapter", "score", "possible"])
            for submission in map(Path, submissions):
                results = grade(autograder, submission)
                text = report(results, f"{chapter}: {submission}")
                (args.reports / f"{submission.stem}.txt").write_text(text, encoding="utf-8")
                writer.writerow([submission, chapter, results.total, results.possible])
                print(f"{submission}: {results.total:g} / {results.possible:g}")
        return 0
    for chapter in exercises.chapters():
        print(f"{export(chapter, args.out)}: solution notebook, tests, autograder.zip")
    if args.sample:
        for kind, text in sample(args.sample, args.out / args.sample, HIDDEN / args.sample / "sample").items():
            print(f"--- {kind}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
