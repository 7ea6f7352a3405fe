"""Exercise 2's public checks (otter-grader): each head's mean weight on the token two places back, and its top head."""

from numbers import Integral

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


def _grid(two_back, layers, heads):
    assert isinstance(two_back, np.ndarray), (
        f"two_back should be a NumPy array of shape (layers, heads), as attention.offset_share returns, "
        f"not {type(two_back).__name__}"
    )
    assert two_back.shape == (layers, heads), (
        f"two_back has the shape {two_back.shape}; it should have one value per head: (layers, heads) = "
        f"({layers}, {heads})"
    )


@test_case(name="q2: a mean weight per head, two tokens back", points=1)
def a_weight_per_head(two_back, previous, following, layers, heads):
    _grid(two_back, layers, heads)
    assert np.isfinite(two_back).all() and (two_back >= 0).all() and (two_back <= 1).all(), (
        "two_back holds values outside [0, 1]: each is a mean attention weight"
    )
    assert not np.allclose(two_back, previous), (
        "two_back is the share on the previous token (offset -1, the chapter's `previous`); two places back is -2"
    )
    assert not np.allclose(two_back, following), "two_back is the share on the next token (offset +1); use -2"


@test_case(name="q2: the head where it is largest", points=1)
def the_top_head(two_back_head, two_back, layers, heads):
    assert isinstance(two_back_head, tuple) and len(two_back_head) == 2, (
        f"two_back_head should be a pair (layer, head), not {two_back_head!r}"
    )
    assert all(isinstance(index, Integral) for index in two_back_head), (
        f"two_back_head = {two_back_head!r}: both should be whole numbers (int(...) of np.unravel_index's results)"
    )
    _grid(two_back, layers, heads)
    top = tuple(int(index) for index in np.unravel_index(np.argmax(two_back), two_back.shape))
    if tuple(int(index) - 1 for index in two_back_head) == top:
        raise AssertionError(
            f"two_back_head = {two_back_head}: counted from 1? Count from 0, like top_previous and np.unravel_index"
        )
    assert tuple(int(index) for index in two_back_head) == top, (
        f"two_back_head = {two_back_head} is not where two_back is largest: np.unravel_index(two_back.argmax(), "
        "two_back.shape) gives the (layer, head) of the largest value"
    )
