"""Exercise 4's public checks (otter-grader): greedy against beam search, BLEU taken apart, on BEAM_ROWS sentences."""

import math
from numbers import Integral, Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q4"

ROWS = ("greedy", "beam (4)")
COLUMNS = ("BLEU", "brevity penalty", "output / reference tokens") + tuple(f"{n}-gram precision" for n in range(1, 5))


def _table(frame):
    import pandas as pd

    assert isinstance(frame, pd.DataFrame), f"frame should be a pandas DataFrame, not {type(frame).__name__}"
    missing = [row for row in ROWS if row not in frame.index] + [c for c in COLUMNS if c not in frame.columns]
    assert not missing, f"frame lacks {missing}: a row per search {list(ROWS)}, the columns {list(COLUMNS)}"
    for row in ROWS:
        for column in COLUMNS:
            value = frame.loc[row, column]
            assert isinstance(value, Real) and math.isfinite(value), (
                f"frame.loc[{row!r}, {column!r}] should be a number, not {value!r}"
            )


@test_case(name="q4: a table of both searches", points=1)
def a_table(frame):
    _table(frame)


@test_case(name="q4: the same sentences as the comparison table", points=1)
def the_same_sentences(frame, comparison, BEAM_ROWS):
    _table(frame)
    scores = comparison.iloc[1]  # BLEU, first BEAM_ROWS test sentences
    assert abs(frame.loc["beam (4)", "BLEU"] - scores["beam search (4 beams)"]) < 1e-6, (
        "frame's beam search BLEU differs from the comparison table's: score `beam` against the first "
        "BEAM_ROWS references"
    )
    assert abs(frame.loc["greedy", "BLEU"] - scores["greedy"]) < 1e-6, (
        f"frame's greedy BLEU differs from the comparison table's greedy score on the first {BEAM_ROWS} test "
        "sentences: score greedy on the same sentences as beam search, greedy[:BEAM_ROWS]"
    )


@test_case(name="q4: the brevity penalty follows the lengths", points=1)
def the_penalty_follows_the_lengths(frame):
    _table(frame)
    for row in ROWS:
        penalty, ratio = frame.loc[row, "brevity penalty"], frame.loc[row, "output / reference tokens"]
        assert 0 < penalty <= 1 and ratio > 0, (
            f"{row}: brevity penalty {penalty:.3f}, length ratio {ratio:.3f}: the penalty lies between 0 and 1, "
            "the ratio above 0"
        )
        assert abs(penalty - min(1.0, math.exp(1 - 1 / ratio))) < 1e-3, (
            f"{row}: a brevity penalty of {penalty:.3f} does not go with {ratio:.3f} output tokens per reference "
            "token; the penalty is min(1, e^(1 - r/c)) for c output and r reference tokens: is the ratio c / r?"
        )


@test_case(name="q4: changed counts translations", points=1)
def changed_counts(changed, BEAM_ROWS):
    assert isinstance(changed, Integral) and not isinstance(changed, bool), (
        f"changed should be a whole number of translations, not {changed!r}"
    )
    assert 0 <= changed <= BEAM_ROWS, (
        f"changed = {changed}: beam search translated {BEAM_ROWS} sentences, so it can change 0 to {BEAM_ROWS}"
    )
