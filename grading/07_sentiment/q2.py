"""Exercise 2's hidden checks, appended to companion/exercise_checks/07_sentiment/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the normal approximation over the validation sentences", points=1, hidden=True)
def hidden_the_normal_approximation(intervals, overlap, accuracy, untrained_accuracy, validation):
    import math

    n = len(validation)
    expected = {}
    for model, p in (("fine-tuned", accuracy), ("untrained", untrained_accuracy)):
        half = 1.96 * math.sqrt(p * (1 - p) / n)
        expected[model] = (p - half, p + half)
        low, high = intervals[model]
        assert abs(low - expected[model][0]) < 1e-6 and abs(high - expected[model][1]) < 1e-6, (
            f'intervals["{model}"] = ({low:.4f}, {high:.4f}); {p:.4f} ± 1.96·√({p:.4f}·{1 - p:.4f}/{n}) gives '
            f"({expected[model][0]:.4f}, {expected[model][1]:.4f})"
        )
    (low_a, high_a), (low_b, high_b) = expected.values()
    assert overlap == (max(low_a, low_b) <= min(high_a, high_b)), f"overlap = {overlap} is the wrong answer"
