"""Exercise 2's public checks (otter-grader): top-1 accuracy at [MASK] positions and at unchanged ones."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


@test_case(name="q2: two accuracies", points=1)
def two_accuracies(masked_top1, unchanged_top1):
    for name, value in (("masked_top1", masked_top1), ("unchanged_top1", unchanged_top1)):
        assert isinstance(value, Real), f"{name} should be a number (a tensor? take .item()), not {value!r}"
        assert 0 <= value <= 1, f"{name} = {value}: an accuracy lies between 0 and 1"
    assert masked_top1 > 0.01, (
        f"masked_top1 = {masked_top1:.3f}: the model guesses hardly any [MASK] position right; compare its "
        "top guess (argmax over the vocabulary) with the labels, the original ids, not with the corrupted input"
    )


@test_case(name="q2: copying is easier than guessing", points=1)
def copying_is_easier(masked_top1, unchanged_top1):
    assert isinstance(masked_top1, Real) and isinstance(unchanged_top1, Real), "see the check above"
    assert unchanged_top1 > masked_top1, (
        f"unchanged_top1 = {unchanged_top1:.3f} is not above masked_top1 = {masked_top1:.3f}, yet at an unchanged "
        "position the answer is in the input; count only the chosen positions (labels != -100) that the "
        "corruption left as they were"
    )
