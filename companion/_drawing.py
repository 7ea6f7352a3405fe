"""The drawing kit of companion.figures: one palette, boxes, arrows, legends and rows, in inch coordinates."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.textpath import TextToPath

# One palette for every figure: the same thing has the same colour throughout the book.
PALETTE = {
    "token": "#a6cee3",  # token embeddings, ordinary tokens
    "segment_a": "#fdbf6f",  # segment A / token type 0 (a question, sentence A)
    "segment_b": "#cab2d6",  # segment B / token type 1 (a context, sentence B)
    "position": "#b2df8a",  # position embeddings
    "special": "#e0e0e0",  # [CLS], [SEP], [PAD]; ignored labels (-100)
    "norm": "#d9d9d9",  # residual add + LayerNorm, dropout
    "attention": "#fb9a99",  # self-attention
    "cross": "#f781bf",  # cross-attention
    "ffn": "#ffffb3",  # feed-forward network
    "encoder": "#c6dbef",  # a whole encoder stack
    "decoder": "#fdd0a2",  # a whole decoder stack
    "head": "#8dd3c7",  # a task head
    "mask": "#fb8072",  # MLM: replaced by [MASK]
    "random": "#bebada",  # MLM: replaced by a random token
    "unchanged": "#80b1d3",  # MLM: chosen but left unchanged
    "answer": "#ffd92f",  # the answer span
    "edge": "#404040",  # outlines, arrows, text
}
FONT = 9.5  # points: readable at the book's width
TITLE_FONT = 12
PAD = 0.1  # inches of padding inside a box
_MEASURE = TextToPath()


def text_width(text: str, size: float = FONT) -> float:
    """Width in inches of one line of text at the given size (the longest line of a multi-line text)."""
    prop = FontProperties(size=size)
    return (
        max(_MEASURE.get_text_width_height_descent(line or " ", prop, ismath=False)[0] for line in text.split("\n"))
        / 72
    )


def canvas(width: float, height: float, title: str) -> tuple[Figure, Axes]:
    """A pyplot figure (shown once by the notebook's backend) whose axes measures inches, with the title on top."""
    figure = plt.figure(figsize=(width, height))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.axis("off")
    axes.text(width / 2, height - 0.25, title, ha="center", va="center", fontsize=TITLE_FONT, weight="bold")
    return figure, axes


def box(
    axes: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str = "",
    *,
    colour: str = "white",
    size: float = FONT,
    dashed: bool = False,
    weight: str = "normal",
) -> None:
    """A rounded box with its lower-left corner at (x, y) and centred text."""
    axes.add_patch(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.05",
            facecolor=colour,
            edgecolor=PALETTE["edge"],
            linewidth=0.8,
            linestyle="--" if dashed else "-",
        )
    )
    if text:
        axes.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=size, weight=weight, linespacing=1.25)


def arrow(
    axes: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    text: str = "",
    curve: float = 0.0,
    style: str = "-|>",
) -> None:
    """An arrow from start to end (inches), optionally curved, with an optional label at its middle."""
    axes.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": style,
            "color": PALETTE["edge"],
            "linewidth": 1.0,
            "shrinkA": 0,
            "shrinkB": 0,
            "connectionstyle": f"arc3,rad={curve}",
        },
    )
    if text:
        axes.text(
            (start[0] + end[0]) / 2,
            (start[1] + end[1]) / 2,
            text,
            ha="center",
            va="bottom",
            fontsize=FONT - 1,
            color=PALETTE["edge"],
        )


def rows_of(
    widths: Sequence[float], available: float, *, breakable: Callable[[int], bool] = lambda column: True
) -> list[range]:
    """Split columns of the given widths into consecutive rows that each fit the available width.

    A row breaks only before a column for which breakable(column) is true (e.g. the first piece of a word).
    """
    rows, start, used = [], 0, 0.0
    for i, w in enumerate(widths):
        if breakable(i) and used + w > available and i > start:
            rows.append(range(start, i))
            start, used = i, 0.0
        used += w
    rows.append(range(start, len(widths)))
    return rows


def legend(axes: Axes, x: float, y: float, entries: Sequence[tuple[str, str]]) -> None:
    """A one-line legend of coloured squares and labels starting at (x, y)."""
    for colour, label in entries:
        hatched = colour == "hatch"
        axes.add_patch(
            Rectangle(
                (x, y - 0.08),
                0.16,
                0.16,
                facecolor="white" if hatched else colour,
                edgecolor=PALETTE["edge"],
                linewidth=0.6,
                hatch="///" if hatched else None,
            )
        )
        axes.text(x + 0.22, y, label, va="center", fontsize=FONT)
        x += 0.22 + text_width(label) + 0.3
