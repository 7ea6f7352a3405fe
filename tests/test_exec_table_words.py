"""_ext/exec_table_words.py writes the execution table's status in words, which every font can draw."""

import sys
from pathlib import Path

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import exec_table_words  # noqa: E402


def table_document(*cells: nodes.Node) -> nodes.document:
    document = new_document("status", get_default_settings(Parser))
    row = nodes.row("", *(nodes.entry("", nodes.paragraph("", "", cell)) for cell in cells))
    document += nodes.table("", nodes.tgroup("", nodes.tbody("", row)))
    return document


def test_status_emoji_become_words_and_other_text_stays():
    failed = nodes.abbreviation("", "❌", explanation="CellExecutionError")
    document = table_document(nodes.Text("book/07_sentiment"), nodes.Text("✅"), failed, nodes.Text("12.5"))
    exec_table_words.StatusInWords(document).run()
    texts = [entry.astext() for entry in document.findall(nodes.entry)]
    assert texts == ["book/07_sentiment", "passed", "failed", "12.5"]
    assert next(document.findall(nodes.abbreviation))["explanation"] == "CellExecutionError"  # the error stays
