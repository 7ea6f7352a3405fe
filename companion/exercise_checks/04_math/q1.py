"""Exercise 1's public checks (otter-grader): BERT-large's forward FLOPs / BERT-base's, one 512-token sequence."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


@test_case(name="q1: a number", points=1)
def a_number(large_vs_base):
    assert isinstance(large_vs_base, Real), (
        f"large_vs_base should be a number, BERT-large's FLOPs divided by BERT-base's, not {large_vs_base!r} "
        "(a tensor? take .item())"
    )
    assert large_vs_base > 1, (
        f"large_vs_base = {large_vs_base:.3f} is below 1: divide BERT-large's FLOPs by BERT-base's, not the reverse"
    )


@test_case(name="q1: between the attention ratio and the weight ratio", points=1)
def between_the_two_ratios(large_vs_base):
    assert isinstance(large_vs_base, Real), "large_vs_base is not a number yet (see the check above)"
    weights = 302_309_376 / 85_054_464  # encoder weights: BERT-large / BERT-base
    attention = (24 * 1024) / (12 * 768)  # the 4n²H term: L·H, large / base
    assert abs(large_vs_base - weights) > 1e-3, (
        f"large_vs_base = {large_vs_base:.3f} is the ratio of the encoders' parameters, not of their FLOPs at n = 512"
    )
    assert attention < large_vs_base < weights, (
        f"large_vs_base = {large_vs_base:.3f}, but the projections and feed-forward scale as the weights "
        f"({weights:.2f}×) and the attention term as L·H ({attention:.2f}×): the total must lie between the two"
    )
