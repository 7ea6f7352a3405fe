"""The back-matter pages repeat what the chapters say: check that they still agree."""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))


def _bullets(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", bullet).strip() for bullet in re.findall(r"^- (.*(?:\n  .*)*)", text, re.M)]


def learning_goals(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = next(
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "markdown" and "**Learning goals**" in "".join(c["source"])
    )
    return _bullets(text.split("**Learning goals**", 1)[1].split("\n\n#", 1)[0])


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.stem)
def test_instructors_page_lists_each_chapters_learning_goals(notebook):
    page = (BOOK / "instructors.md").read_text(encoding="utf-8")
    heading = f"**{{doc}}`{notebook.stem}`**"
    assert heading in page, f"instructors.md has no section {heading}"
    section = page.split(heading, 1)[1].split("**{doc}", 1)[0].split("\n## ", 1)[0]
    assert _bullets(section) == learning_goals(notebook), f"copy {notebook.name}'s learning goals into instructors.md"
