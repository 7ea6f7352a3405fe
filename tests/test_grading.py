"""The exercises' checks, tested: each passes on the book's solution and fails on the blank stub and on plausible
wrong answers, without running the chapters: grading/NN_name/cases.py names the few cells of the chapter
that the exercises read (or builds stand-ins), and the test runs those, then the stub, the solution or a wrong
answer, then the question's checks (public and hidden) with otter-grader. Needs otter-grader, so it runs in the
grader's environment (make grading) and skips elsewhere. The last test grades one chapter's solution notebook
and its blank student copy end to end, as an instructor would (it executes that chapter twice)."""

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("otter", reason="otter-grader is installed in the grader's environment only: make grading")
from otter.test_files import ExceptionTestFile  # noqa: E402

from companion import exercises  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "04_math"  # the chapter graded end to end (about 10 s per run)


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if str(ROOT / "scripts") not in sys.path:  # as `python scripts/export_instructor.py` does: its folder comes first
    sys.path.insert(0, str(ROOT / "scripts"))
export_instructor = _module("export_instructor", ROOT / "scripts" / "export_instructor.py")
export_student = export_instructor.export_student


def _cells(chapter: str) -> list:
    return nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4).cells


def _stub_and_solution(chapter: str, question: str) -> tuple[str, str]:
    """Return the stub cell's code and the code of the solution cells right after it."""
    cells = _cells(chapter)
    [index] = [i for i, cell in enumerate(cells) if export_student.question(cell) == question]
    solution = []
    for cell in cells[index + 1 :]:
        if export_student.SOLUTION_TAG not in cell.metadata.get("tags", []):
            break
        if cell.cell_type == "code":
            solution.append(cell.source)
    assert solution, f"{chapter}: no solution code cell after the stub of {question}"
    return cells[index].source, "\n".join(solution)


QUESTIONS = [(chapter, name) for chapter in exercises.chapters() for name in export_instructor.test_sources(chapter)]
WRONG = [
    (chapter, name, index)
    for chapter, name in QUESTIONS
    for index in range(len(_module(f"cases_{chapter}", ROOT / "grading" / chapter / "cases.py").WRONG.get(name, [])))
]


def _without_comments(source: str) -> str:
    """Return a cell's code without its comment-only lines (a comment moved above a line leaves its cell named)."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))


class _Contexts(dict):
    """Per chapter, the namespace its CONTEXT cells leave, built when a test first asks for that chapter."""

    def __missing__(self, chapter: str) -> tuple[dict, object]:
        cases = _module(f"cases_{chapter}", ROOT / "grading" / chapter / "cases.py")
        namespace = {}
        for start in cases.CONTEXT:
            matches = [
                cell
                for cell in _cells(chapter)
                if cell.cell_type == "code"
                and (cell.source.startswith(start) or _without_comments(cell.source).startswith(start))
            ]
            assert len(matches) == 1, (
                f"{chapter}: {len(matches)} code cells start with {start!r} (comments aside); name one"
            )
            exec(compile(matches[0].source, f"{chapter}: {start}", "exec"), namespace)
        if hasattr(cases, "context"):
            cases.context(namespace)
        self[chapter] = (namespace, cases)
        return self[chapter]


@pytest.fixture(scope="module")
def contexts() -> dict:
    """Return the chapters' contexts, each run once, on first use (each test works on a copy), so that one
    chapter's broken context fails that chapter's tests only."""
    return _Contexts()


def _checked(chapter: str, question: str, namespace: dict, *code: str):
    namespace = dict(namespace)
    for source in code:
        exec(compile(source, f"{chapter} {question}", "exec"), namespace)
    checks = ExceptionTestFile.from_string(export_instructor.test_sources(chapter)[question], path=f"{question}.py")
    checks.run(namespace)
    return checks


@pytest.mark.parametrize(("chapter", "question"), QUESTIONS)
def test_the_solution_passes_every_check(contexts, chapter, question):
    stub, solution = _stub_and_solution(chapter, question)
    checks = _checked(chapter, question, contexts[chapter][0], stub, solution)
    assert checks.passed_all, checks.summary()


@pytest.mark.parametrize(("chapter", "question"), QUESTIONS)
def test_the_blank_stub_fails_every_check(contexts, chapter, question):
    stub, _ = _stub_and_solution(chapter, question)
    checks = _checked(chapter, question, contexts[chapter][0], stub)
    assert not any(result.passed for result in checks.test_case_results), checks.summary()
    assert checks.score == 0


@pytest.mark.parametrize(("chapter", "question", "index"), WRONG)
def test_a_wrong_answer_fails_a_check(contexts, chapter, question, index):
    namespace, cases = contexts[chapter]
    stub, _ = _stub_and_solution(chapter, question)
    checks = _checked(chapter, question, namespace, stub, cases.WRONG[question][index])
    assert not checks.passed_all, f"this wrong answer passes every check of {question}:\n{cases.WRONG[question][index]}"
    assert checks.score < checks.possible


@pytest.mark.parametrize("chapter", exercises.chapters())
def test_every_question_has_a_wrong_answer(chapter):
    cases = _module(f"cases_{chapter}", ROOT / "grading" / chapter / "cases.py")
    assert sorted(cases.WRONG) == sorted(export_instructor.test_sources(chapter))


@pytest.mark.parametrize(("chapter", "question"), QUESTIONS)
def test_public_checks_are_public_and_hidden_ones_hidden(chapter, question):
    public = ExceptionTestFile.from_file(str(Path(exercises.tests_dir(chapter)) / f"{question}.py"))
    assert public.test_cases and not any(case.hidden for case in public.test_cases), "a hidden check in the package"
    merged = ExceptionTestFile.from_string(export_instructor.test_sources(chapter)[question])
    hidden = merged.test_cases[len(public.test_cases) :]
    assert all(case.hidden for case in hidden), "grading/ holds a check that is not hidden"
    names = [case.name for case in merged.test_cases]
    assert len(names) == len(set(names)), f"two checks of {question} share a name: {names}"
    assert (ROOT / "grading" / chapter / f"{question}.py").exists() or question == "quiz", "no hidden check"


QUIZZES = [chapter for chapter, name in QUESTIONS if name == "quiz"]


@pytest.mark.parametrize("chapter", QUIZZES)
def test_the_quiz_explains_what_the_book_explains(chapter):
    quiz = {}
    exec((Path(exercises.tests_dir(chapter)) / "quiz.py").read_text(encoding="utf-8"), quiz)
    heading = "```{admonition} Answers to the quiz"
    [answers] = [cell.source for cell in _cells(chapter) if cell.source.startswith(heading)]
    flat = " ".join(answers.split())
    for number, text in quiz["EXPLAINED"].items():
        explained = " ".join(text.split())
        assert f"**{number}. {quiz['RIGHT'][number]}.** {explained}" in flat, f"quiz question {number}"


def test_the_sample_chapter_grades_full_marks_solved_and_zero_blank(tmp_path):
    folder = export_instructor.export(SAMPLE, tmp_path)
    reports = export_instructor.sample(SAMPLE, folder, tmp_path / "sample")
    for kind, full in (("solution", True), ("blank", False)):
        score, possible = re.search(r"^total\s+(\S+)\s+(\S+)$", reports[kind], re.M).groups()
        assert float(score) == (float(possible) if full else 0), reports[kind]
        committed = ROOT / "grading" / SAMPLE / "sample" / f"{kind}.txt"
        assert reports[kind] == committed.read_text(encoding="utf-8"), (
            f"{committed} (shown in book/instructors.md) differs from this grading: make instructor SAMPLE={SAMPLE}"
        )
