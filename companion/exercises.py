"""The exercises' public checks: otter-grader test files shipped with the package, one folder per chapter.

A student notebook (``make student``) sets up its checks with
``grader = otter.Notebook(tests_dir=exercises.tests_dir("04_math"))`` and checks an answer with
``grader.check("q1")``. The files live in the package so that they reach Colab with it. The instructors'
hidden checks are not here: they stay in the repository's ``grading/`` folder (book/instructors.md).
"""

from __future__ import annotations

from pathlib import Path

CHECKS = Path(__file__).resolve().parent / "exercise_checks"


def chapters() -> list[str]:
    """Return the chapters (notebook stems such as "04_math") whose exercises have checks."""
    return sorted(path.name for path in CHECKS.iterdir() if path.is_dir() and any(path.glob("*.py")))


def tests_dir(chapter: str) -> str:
    """Return the folder of one chapter's public checks (q1.py, ..., quiz.py), for otter.Notebook(tests_dir=...)."""
    folder = CHECKS / chapter
    if not any(folder.glob("*.py")):
        raise FileNotFoundError(f"no exercise checks for chapter {chapter!r}; chapters with checks: {chapters()}")
    return str(folder)


def judge_quiz(question: int, answer: object, *, right: dict[int, str], wrong: dict[tuple[int, str], str]) -> None:
    """Fail with a hint unless answer is question's right letter (a quiz's check in companion/exercise_checks)."""
    letter = answer.strip().upper() if isinstance(answer, str) else answer
    if letter not in ("A", "B", "C"):
        raise AssertionError(f'quiz_{question} = {answer!r}: answer with one letter, "A", "B" or "C"')
    if letter != right[question]:
        raise AssertionError(f"Not {letter}. {wrong[question, letter]}")
