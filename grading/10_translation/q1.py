"""Exercise 1's hidden checks, appended to companion/exercise_checks/10_translation/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): each part from bleu_greedy's counts and lengths", points=1, hidden=True)
def hidden_each_part_from_the_counts(precisions, brevity, recomputed, bleu_greedy):
    import math

    expected = [matched / total for matched, total in zip(bleu_greedy.counts, bleu_greedy.totals)]
    for n, (theirs, reference) in enumerate(zip(precisions, expected), 1):
        assert abs(theirs - reference) <= 1e-9, (
            f"the {n}-gram precision is {theirs:.6f}; bleu_greedy's counts give {reference:.6f}"
        )
    penalty = min(1.0, math.exp(1 - bleu_greedy.ref_len / bleu_greedy.sys_len))
    assert abs(brevity - penalty) <= 1e-9, f"brevity = {brevity:.6f}; the lengths give {penalty:.6f}"
    score = 100 * penalty * math.exp(sum(map(math.log, expected)) / 4)
    assert abs(recomputed - score) <= 1e-6 * score, f"recomputed = {recomputed:.6f}; the formula gives {score:.6f}"
