"""Exercise 1's public checks (otter-grader): BLEU recomputed from bleu_greedy's precisions and brevity penalty."""

import math
from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


@test_case(name="q1: four precisions, as fractions", points=1)
def four_precisions(precisions):
    values = list(precisions) if hasattr(precisions, "__len__") and not isinstance(precisions, str) else None
    assert values is not None and len(values) == 4, (
        f"precisions should hold the four n-gram precisions (1- to 4-grams), not {precisions!r}"
    )
    assert all(isinstance(value, Real) for value in values), f"precisions should be numbers, not {values!r}"
    assert all(0 < value <= 1 for value in values), (
        f"precisions = {values}: a precision as a fraction lies between 0 and 1; "
        "sacreBLEU's bleu_greedy.precisions are percentages, divide them by 100"
    )


@test_case(name="q1: a brevity penalty", points=1)
def a_brevity_penalty(brevity):
    assert isinstance(brevity, Real), (
        f"brevity should be a number, the penalty computed from bleu_greedy.sys_len and ref_len, not {brevity!r}"
    )
    assert 0 < brevity <= 1, (
        f"brevity = {brevity:.4f}: the penalty lies between 0 and 1 (it is 1 when the outputs are at least as long "
        "as the references); is there a min(1, ...)?"
    )


@test_case(name="q1: the recomputed score is sacreBLEU's", points=1)
def the_recomputed_score(recomputed, bleu_greedy):
    assert isinstance(recomputed, Real), (
        f"recomputed should be a number on sacreBLEU's scale (0 to 100), not {recomputed!r} (an array? take float(...))"
    )
    score = bleu_greedy.score
    if abs(recomputed - score) < 0.01:
        return
    precisions = [p / 100 for p in bleu_greedy.precisions]
    geometric = math.exp(sum(math.log(p) for p in precisions) / 4)
    if abs(recomputed - 100 * score) < 1:
        hint = "it is 100 times sacreBLEU's: precisions in percent, multiplied by 100 again?"
    elif abs(recomputed - 100 * sum(precisions) / 4 * bleu_greedy.bp) < 0.01:
        hint = "that is the arithmetic mean of the precisions; BLEU takes their geometric mean (exp of the mean log)"
    elif abs(recomputed - 100 * geometric) < 0.01:
        hint = "the brevity penalty is missing: multiply the geometric mean by it"
    else:
        hint = "BLEU = 100 · brevity penalty · the geometric mean of the four precisions"
    raise AssertionError(f"recomputed = {recomputed:.2f}, but bleu_greedy.score = {score:.2f}: {hint}")
