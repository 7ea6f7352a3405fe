"""Exercise 1's public checks (otter-grader): the share of training words split into more than one piece."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _share(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


@test_case(name="q1: a share per group, between 0 and 1", points=1)
def a_share_per_group(split_share):
    assert split_share is not ... and hasattr(split_share, "__getitem__"), (
        f"split_share should be a pandas Series (or a dict) indexed by True (entity words) and False (the other "
        f"words), not {split_share!r}"
    )
    for key in (True, False):
        try:
            value = split_share[key]
        except (KeyError, IndexError, TypeError):
            raise AssertionError(
                f"split_share[{key}] is missing: index the shares by whether the word is part of an entity "
                "(True for a word whose tag is not O, False for the others), e.g. with groupby"
            ) from None
        assert _share(value), f"split_share[{key}] should be a number, not {value!r}"
        assert 0 <= value <= 1, (
            f"split_share[{key}] = {value:,}: a share lies between 0 and 1; divide the words split into several "
            "pieces by all the words of the group (a mean of booleans)"
        )
        assert value < 1, (
            f"split_share[{key}] = 1: every word counted as split. Did you count [CLS] and [SEP]? "
            "tokenizer(word) adds them; tokenizer.tokenize(word) gives the word's pieces alone"
        )


@test_case(name="q1: the overall share, between the two groups", points=1)
def overall_between_the_groups(overall_share, split_share):
    assert _share(overall_share), f"overall_share should be a number, not {overall_share!r}"
    assert 0 < overall_share < 1, (
        f"overall_share = {overall_share:,}: the share of all training words split into several pieces lies "
        "between 0 and 1 (and [CLS] and [SEP] are no words)"
    )
    low, high = sorted(float(split_share[key]) for key in (True, False))
    assert low - 1e-12 <= overall_share <= high + 1e-12, (
        f"overall_share = {overall_share:.4f}, outside the two groups' shares ({low:.4f} and {high:.4f}): over "
        "all words the share is an average of the two groups' shares (weighted by their numbers of words), so "
        "it lies between them"
    )
