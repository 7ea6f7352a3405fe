"""The Simplified Chinese edition (zh/): same code as the English book, stale translations found, glossary used.

scripts/zh_sync.py keeps zh/book/ in step with book/; scripts/zh_build.py stages the zh book with the English
build's outputs; _ext/language_switch.py links each page to its twin. No network, no build: a second or two.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
for folder in ("scripts", "_ext"):
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))

import language_switch  # noqa: E402
import zh_build  # noqa: E402
import zh_sync  # noqa: E402

PILOT_PAGES = ["book/intro", "book/01_background"]
# Chinese words that contain a glossary term without being a use of it (向量化器: vectorizer, not quantization)
NOT_TERMS = ("向量化",)


# --- the repository's zh edition -------------------------------------------------------------------------------


def test_every_zh_notebook_has_the_english_code_and_cells():
    assert zh_sync.check(ROOT) == []


def test_zh_toc_lists_the_english_pages_in_order():
    zh_toc = yaml.safe_load((ROOT / "zh" / "_toc.yml").read_text(encoding="utf-8"))
    files = [zh_toc["root"]] + [c["file"] for part in zh_toc["parts"] for c in part["chapters"]]
    assert files == zh_sync.pages(ROOT)


def test_zh_config_has_the_english_theme_and_extensions():
    en = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    zh = yaml.safe_load((ROOT / "zh" / "_config.yml").read_text(encoding="utf-8"))
    for key in ("parse", "launch_buttons", "html"):
        assert zh[key] == en[key], key
    assert zh["sphinx"]["extra_extensions"] == en["sphinx"]["extra_extensions"]
    assert zh["sphinx"]["local_extensions"].keys() == en["sphinx"]["local_extensions"].keys()
    assert zh["sphinx"]["config"]["language"] == "zh_CN"
    # the fold buttons of hidden cells speak Chinese too (myst-nb's default label is English)
    for key in ("nb_code_prompt_show", "nb_code_prompt_hide"):
        assert re.search(r"[\u4e00-\u9fff]", zh["sphinx"]["config"].get(key, "")), key
    assert zh["execute"]["execute_notebooks"] == "off"
    assert zh["repository"]["path_to_book"] == "zh"  # Colab opens zh/book/NN.ipynb
    assert {k: v for k, v in zh["repository"].items() if k != "path_to_book"} == {
        k: v for k, v in en["repository"].items() if k != "path_to_book"
    }
    assert [(ROOT / "zh" / p).resolve() for p in zh["bibtex_bibfiles"]] == [
        (ROOT / p).resolve() for p in en["bibtex_bibfiles"]
    ]


def test_pilot_pages_are_translated_and_current():
    for page in PILOT_PAGES:
        status = zh_sync.page_status(page, ROOT)
        assert status.state == "translated", status


def _translated_prose(page: str) -> str:
    """The translated text of a zh page, less headings and table rows (terse: no parentheses there)."""
    path = zh_sync.zh_path(page, ROOT)
    if path.suffix == ".md":
        texts = [zh_sync.MD_MARK.sub("", path.read_text(encoding="utf-8"))]
    else:
        cells = zh_sync.read_notebook(path)["cells"]
        texts = [
            zh_sync.source(c) for c in cells if c["cell_type"] == "markdown" and zh_sync.cell_status(c) == "translated"
        ]
    lines = "\n".join(texts).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith(("#", "|")))


TRANSLATED_PAGES = [page for page in zh_sync.pages(ROOT) if zh_sync.page_status(page, ROOT).state == "translated"]


@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_translated_pages_use_the_glossary(page):
    terms = yaml.safe_load((ROOT / "zh" / "terms.yml").read_text(encoding="utf-8"))
    text = _translated_prose(page)
    targets = {(m.group(1) or m.group(2)).strip() for m in re.finditer(r"\{term\}`(?:[^`<]*<([^>]+)>|([^`<]+))`", text)}
    assert targets - terms.keys() == set(), "glossary terms the page links to, missing from zh/terms.yml"
    for english, chinese in terms.items():
        if chinese == english:  # kept in English (WordPiece, GELU): nothing to put in parentheses
            continue
        masked = text
        # longer terms, and ordinary words that contain a term (向量化 holds 量化), are not its use
        for longer in [c for c in terms.values() if chinese in c and c != chinese] + [
            w for w in NOT_TERMS if chinese in w
        ]:
            masked = masked.replace(longer, "\0" * len(longer))
        first = masked.find(chinese)
        if first < 0:
            continue
        after = masked[first + len(chinese) :]
        assert re.match(rf"\s*[（(]{re.escape(english)}[）)]", after, re.IGNORECASE), (
            f"{page}: first use of {chinese} is not followed by （{english}）: {masked[first : first + 40]!r}"
        )


# --- zh_sync on a tiny book ------------------------------------------------------------------------------------


def _cell(kind: str, text: str, index: int) -> dict:
    cell = {"cell_type": kind, "id": str(index), "metadata": {}, "source": text}
    if kind == "code":
        cell |= {"execution_count": None, "outputs": []}
    return cell


def _notebook(cells: list[tuple[str, str]]) -> dict:
    return {
        "cells": [_cell(kind, text, i) for i, (kind, text) in enumerate(cells)],
        "metadata": {"kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


CHAPTER = [
    ("markdown", "# Title\n\nBERT is an encoder."),
    ("code", "x = 1\nassert x == 1"),
    ("markdown", "It has no decoder."),
]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    (tmp_path / "book").mkdir()
    toc = {"format": "jb-book", "root": "book/intro", "parts": [{"caption": "I", "chapters": [{"file": "book/ch"}]}]}
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    (tmp_path / "book" / "intro.md").write_text("# Intro\n\nHello.\n", encoding="utf-8")
    zh_sync.write_notebook(tmp_path / "book" / "ch.ipynb", _notebook(CHAPTER))
    zh_sync.write(tmp_path)
    return tmp_path


def _translate(root: Path, index: int, text: str) -> None:
    path = root / "zh" / "book" / "ch.ipynb"
    notebook = zh_sync.read_notebook(path)
    notebook["cells"][index]["source"] = text
    zh_sync.write_notebook(path, notebook)


def _edit_english(root: Path, cells: list[tuple[str, str]]) -> None:
    zh_sync.write_notebook(root / "book" / "ch.ipynb", _notebook(cells))


def _counts(root: Path, page: str = "book/ch") -> tuple[int, int, int]:
    status = zh_sync.page_status(page, root)
    return status.translated, status.stale, status.untranslated


def test_write_makes_untranslated_twins_with_the_english_code(book):
    assert zh_sync.check(book) == []
    zh = zh_sync.read_notebook(book / "zh" / "book" / "ch.ipynb")
    english = zh_sync.read_notebook(book / "book" / "ch.ipynb")
    assert zh["cells"][1] == english["cells"][1]
    assert zh["cells"][0]["metadata"]["zh"]["source_sha256"] == zh_sync.sha256(CHAPTER[0][1])
    assert _counts(book) == (0, 0, 2)
    assert zh_sync.write(book) == []  # a second run changes nothing


def test_unchanged_english_keeps_the_translation(book):
    _translate(book, 0, "# 标题\n\nBERT 是一个编码器。")
    _translate(book, 2, "它没有解码器。")
    assert _counts(book) == (2, 0, 0)
    zh_sync.write(book)
    assert _counts(book) == (2, 0, 0)
    assert zh_sync.source(zh_sync.read_notebook(book / "zh" / "book" / "ch.ipynb")["cells"][2]) == "它没有解码器。"


def test_changed_english_cell_is_stale_and_shown_in_english(book):
    _translate(book, 0, "# 标题\n\nBERT 是一个编码器。")
    _translate(book, 2, "它没有解码器。")
    changed = [CHAPTER[0], CHAPTER[1], ("markdown", "It has no decoder and no cross-attention.")]
    _edit_english(book, changed)
    assert _counts(book) == (1, 1, 0)  # reported before --write too
    assert zh_sync.check(book) == []  # changed prose is no structural difference: reported, not failed
    staged = zh_sync.merge(
        zh_sync.read_notebook(book / "book" / "ch.ipynb"), zh_sync.read_notebook(book / "zh" / "book" / "ch.ipynb")
    )[0]
    assert zh_sync.source(staged["cells"][2]) == changed[2][1]  # what zh_build stages: the English text
    zh_sync.write(book)
    assert zh_sync.check(book) == []
    cell = zh_sync.read_notebook(book / "zh" / "book" / "ch.ipynb")["cells"][2]
    assert zh_sync.source(cell) == changed[2][1]
    assert cell["metadata"]["zh"]["stale"]["translation"] == "它没有解码器。"
    assert _counts(book) == (1, 1, 0)
    _translate(book, 2, "它没有解码器，也没有交叉注意力。")  # translated again: current
    assert _counts(book) == (2, 0, 0)
    zh_sync.write(book)
    cell = zh_sync.read_notebook(book / "zh" / "book" / "ch.ipynb")["cells"][2]
    assert "stale" not in cell["metadata"]["zh"]


def test_inserted_and_changed_code_cells_keep_translations(book):
    _translate(book, 2, "它没有解码器。")
    changed = [("markdown", "# New first cell"), CHAPTER[0], ("code", "x = 2\nassert x == 2"), CHAPTER[2]]
    _edit_english(book, changed)
    zh_sync.write(book)
    assert zh_sync.check(book) == []
    zh = zh_sync.read_notebook(book / "zh" / "book" / "ch.ipynb")
    assert zh_sync.source(zh["cells"][2]) == "x = 2\nassert x == 2"
    assert zh_sync.source(zh["cells"][3]) == "它没有解码器。"
    assert _counts(book) == (1, 0, 2)


def test_check_finds_edited_code_and_structure(book):
    path = book / "zh" / "book" / "ch.ipynb"
    zh = zh_sync.read_notebook(path)
    zh["cells"][1]["source"] = "x = 1\nassert x == 1  # edited"
    zh_sync.write_notebook(path, zh)
    assert any("code cell differs" in p for p in zh_sync.check(book))
    assert zh_sync.main(["--check", "--root", str(book)]) == 1
    del zh["cells"][2]
    zh_sync.write_notebook(path, zh)
    assert any("cells, the English notebook has" in p for p in zh_sync.check(book))


def test_markdown_page_translated_then_stale(book):
    path = book / "zh" / "book" / "intro.md"
    assert _counts(book, "book/intro") == (0, 0, 1)
    head = path.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    path.write_text(head + "# 引言\n\n你好。\n", encoding="utf-8")
    assert _counts(book, "book/intro") == (1, 0, 0)
    (book / "book" / "intro.md").write_text("# Intro\n\nHello, reader.\n", encoding="utf-8")
    assert _counts(book, "book/intro") == (0, 1, 0)
    zh_sync.write(book)  # keeps the Chinese text of a stale page
    assert "你好" in path.read_text(encoding="utf-8")


def test_report_shape(book, capsys):
    data = zh_sync.report(book)
    assert set(data) == {"pages", "totals"}
    assert [row["page"] for row in data["pages"]] == ["book/intro", "book/ch"]
    for row in data["pages"]:
        assert set(row) == {"page", "kind", "translated", "stale", "untranslated", "state"}
        assert row["state"] in {"translated", "partial", "stale", "untranslated"}
    assert data["totals"] == {"translated": 0, "stale": 0, "untranslated": 3, "pages": 2, "pages_translated": 0}
    assert zh_sync.main(["--report", "--json", "--root", str(book)]) == 0
    assert json.loads(capsys.readouterr().out) == data


# --- zh_build and the language switch --------------------------------------------------------------------------


def test_outputs_copied_cell_by_cell_and_a_stale_build_refused():
    zh = _notebook(CHAPTER)
    executed = _notebook(CHAPTER)
    executed["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    executed["cells"][1]["execution_count"] = 1
    assert zh_build.copy_outputs(zh, executed) == 0
    assert zh["cells"][1]["outputs"] == executed["cells"][1]["outputs"]
    older = _notebook([CHAPTER[0], ("code", "x = 0"), CHAPTER[2]])
    with pytest.raises(zh_build.StaleBuild):
        zh_build.copy_outputs(_notebook(CHAPTER), older)
    assert zh_build.copy_outputs(_notebook(CHAPTER), older, lenient=True) == 1


def test_notice_only_on_pages_not_wholly_translated():
    assert zh_build.notice(zh_sync.PageStatus("p", "ipynb", 3, 0, 0)) is None
    assert zh_build.notice(zh_sync.PageStatus("p", "ipynb", 0, 0, 3)) == zh_build.NOTICE_UNTRANSLATED
    assert "2 段" in zh_build.notice(zh_sync.PageStatus("p", "ipynb", 3, 1, 1))
    assert zh_build.notice(zh_sync.PageStatus("p", "md", 0, 1, 0)) == zh_build.NOTICE_STALE_PAGE


def test_language_switch_links_the_same_page():
    assert language_switch.other_edition("book/01_background", "zh/") == "../zh/book/01_background.html"
    assert language_switch.other_edition("book/01_background", "../") == "../../book/01_background.html"
    assert language_switch.other_edition("search", "zh/") == "zh/search.html"
