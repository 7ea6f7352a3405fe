"""Sphinx extension: the Status column of myst-nb's execution table in words, not emoji.

myst-nb writes ✅ and ❌, which many fonts lack (a reader without an emoji font sees a missing-glyph box).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

WORDS = {"✅": "passed", "❌": "failed"}


class StatusInWords(SphinxPostTransform):
    """Replace each status emoji in a table cell by its word."""

    default_priority = 9  # after myst-nb's ExecutionStatsPostTransform (8), which builds the table

    def run(self, **kwargs) -> None:
        for entry in self.document.findall(nodes.entry):
            for text in list(entry.findall(nodes.Text)):
                if text.astext().strip() in WORDS:
                    text.parent.replace(text, nodes.Text(WORDS[text.astext().strip()]))


def setup(app: Sphinx) -> dict:
    app.add_post_transform(StatusInWords)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
