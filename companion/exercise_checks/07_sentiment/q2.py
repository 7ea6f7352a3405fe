"""Exercise 2's public checks (otter-grader): 95 % confidence intervals for the two validation accuracies."""

from collections.abc import Mapping
from numbers import Real

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
MODELS = ("fine-tuned", "untrained")


def _intervals(intervals):
    assert isinstance(intervals, Mapping) and set(intervals) == set(MODELS), (
        f'intervals should be a dict with the keys "fine-tuned" and "untrained", not {intervals!r}'
    )
    for model in MODELS:
        pair = intervals[model]
        assert isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(x, Real) for x in pair), (
            f'intervals["{model}"] should be a pair of numbers (low, high), not {pair!r}'
        )
        assert pair[0] < pair[1], f'intervals["{model}"] = {pair}: put the lower end first'


@test_case(name="q2: two intervals, each centred on its accuracy", points=1)
def centred_on_the_accuracies(intervals, accuracy, untrained_accuracy, validation):
    _intervals(intervals)
    for model, p in (("fine-tuned", accuracy), ("untrained", untrained_accuracy)):
        low, high = intervals[model]
        assert abs((low + high) / 2 - p) < 1e-6, (
            f'intervals["{model}"] = ({low:.4f}, {high:.4f}) is not centred on the {model} accuracy, {p:.4f}: '
            "the interval is p̂ ± 1.96·√(p̂(1 − p̂)/n)"
        )
        half = (high - low) / 2
        assert half > 1 / len(validation), (
            f'intervals["{model}"] is ± {half:.5f}, narrower than one sentence in {len(validation)}: '
            "did you take the square root of p̂(1 − p̂)/n?"
        )
        assert half < 0.2, (
            f'intervals["{model}"] is ± {half:.3f}, far too wide for {len(validation)} sentences: '
            "divide p̂(1 − p̂) by n before taking the square root"
        )


@test_case(name="q2: overlap answers the question", points=1)
def overlap_answers(overlap, intervals):
    assert isinstance(overlap, (bool, np.bool_)), f"overlap should be True or False, not {overlap!r}"
    _intervals(intervals)
    (low_a, high_a), (low_b, high_b) = intervals["fine-tuned"], intervals["untrained"]
    share_a_point = max(low_a, low_b) <= min(high_a, high_b)
    assert overlap == share_a_point, (
        f"overlap = {overlap}, but the intervals ({low_a:.3f}, {high_a:.3f}) and ({low_b:.3f}, {high_b:.3f}) "
        f"{'do' if share_a_point else 'do not'} share a point"
    )
