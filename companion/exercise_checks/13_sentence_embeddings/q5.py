"""Exercise 5's public checks (otter-grader): hybrid search, the weight chosen on half of the questions."""

import numpy as np
import pandas as pd
from otter.test_files import test_case

OK_FORMAT = False
name = "q5"


def _recall_at_1(score_matrix, chosen, relevant):
    return float(np.mean(np.asarray(score_matrix)[chosen].argmax(1) == relevant[chosen]))


@test_case(name="q5: the split and the weight", points=1)
def the_split_and_the_weight(half, best, questions):
    assert isinstance(half, np.ndarray) and half.dtype == bool and half.shape == (len(questions),), (
        f"half should be a boolean array with a value per question ({len(questions)}), not "
        f"{getattr(half, 'dtype', type(half).__name__)} {getattr(half, 'shape', '')}"
    )
    assert 0.3 < half.mean() < 0.7, (
        f"half marks {half.mean():.0%} of the questions True: split them in two halves, one to choose the weight "
        "and one to report"
    )
    assert best in (0.25, 0.5, 0.75), f"best should be one of the weights 0.25, 0.5, 0.75, not {best!r}"


@test_case(name="q5: recall@1 on the held-out half", points=1)
def on_the_held_out_half(held_out, half, tfidf_scores, scores, relevant):
    assert isinstance(held_out, pd.Series), f"held_out should be a pandas Series, not {type(held_out).__name__}"
    others = [label for label in held_out.index if label not in ("TF-IDF", "all-MiniLM-L6-v2")]
    assert "TF-IDF" in held_out.index and "all-MiniLM-L6-v2" in held_out.index and len(others) == 1, (
        f'held_out\'s entries are {list(held_out.index)}: it needs "TF-IDF", "all-MiniLM-L6-v2" and one for the hybrid'
    )
    assert ((held_out.astype(float) >= 0) & (held_out.astype(float) <= 1)).all(), (
        f"recall@1 is a share, between 0 and 1:\n{held_out}"
    )
    assert isinstance(half, np.ndarray) and half.dtype == bool, "half is not a boolean array yet (see the check above)"
    for label, matrix in (("TF-IDF", tfidf_scores), ("all-MiniLM-L6-v2", scores)):
        assert abs(held_out[label] - _recall_at_1(matrix, ~half, relevant)) < 1e-9, (
            f'held_out["{label}"] is not its recall@1 on the questions where half is False: report on the '
            "held-out half only, the questions that did not choose the weight"
        )
