"""Exercise 3's public checks (otter-grader): the order-averaged classifier and the two orders' disagreements."""

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"

ROWS = ["A, B", "B, A", "average of both orders"]


@test_case(name="q3: averaged_logits lies between the two orders' logits", points=1)
def averaged_between(averaged_logits, variant_logits, gold):
    shape = getattr(averaged_logits, "shape", None)
    assert shape == (len(gold), 2), (
        f"averaged_logits should be an array of shape ({len(gold)}, 2), one row of logits per validation pair, "
        f"not {type(averaged_logits).__name__} of shape {shape}"
    )
    forward = variant_logits["as trained: A, B with segment ids"]
    backward = variant_logits["swapped order: B, A"]
    low, high = np.minimum(forward, backward), np.maximum(forward, backward)
    inside = (np.asarray(averaged_logits) >= low - 1e-5) & (np.asarray(averaged_logits) <= high + 1e-5)
    assert inside.all(), (
        f"{(~inside).sum()} of the averaged logits lie outside the range of the two orders' logits: average the "
        "logits (not their sum, not probabilities) of (A, B), the model as trained, and (B, A), the swapped order"
    )


@test_case(name="q3: disagree marks the pairs the two orders decide differently", points=1)
def disagree_counts(disagree, ablation, gold):
    values = np.asarray(disagree)
    assert values.dtype == bool and values.shape == (len(gold),), (
        f"disagree should be a boolean array with one entry per validation pair ({len(gold)}), "
        f"not {values.dtype} of shape {values.shape}"
    )
    changed = ablation.loc["swapped order: B, A", "decisions changed"]
    assert values.sum() == changed, (
        f"disagree marks {values.sum()} pairs, but the ablation table counts {changed} decisions changed by "
        "swapping the sentences: compare the two orders' decisions (argmax), not their logits"
    )


@test_case(name="q3: the three classifiers' scores, within the bound", points=1)
def scores_within_the_bound(symmetric, disagree, bert, ablation, gold):
    assert hasattr(symmetric, "loc") and all(row in symmetric.index for row in ROWS), (
        f"symmetric should be a DataFrame with the rows {ROWS} and the columns accuracy and F1"
    )
    assert {"accuracy", "F1"} <= set(symmetric.columns), "symmetric should have the columns accuracy and F1"
    for column in ("accuracy", "F1"):
        assert abs(symmetric.loc["A, B", column] - bert[column]) < 1e-9, (
            f"symmetric's 'A, B' {column} differs from the fine-tuned model's in the results table: score the "
            "logits of the model as trained"
        )
        swapped = ablation.loc["swapped order: B, A", column]
        assert abs(symmetric.loc["B, A", column] - swapped) < 1e-9, (
            f"symmetric's 'B, A' {column} differs from the ablation table's row for the swapped order"
        )
    moved = abs(symmetric.loc["average of both orders", "accuracy"] - symmetric.loc["A, B", "accuracy"])
    assert moved <= np.sum(disagree) / len(gold) + 1e-9, (
        f"the averaged classifier's accuracy differs from A, B's by {moved:.4f}, more than the share of pairs on "
        "which the two orders disagree: where they agree, so does their average; score the averaged logits' argmax"
    )
