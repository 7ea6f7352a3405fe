"""Exercise 1's public checks (otter-grader): which 'bank' vectors of the embedding layer's output are identical."""

import numpy as np
import torch
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _table(identical):
    """Return identical as a 6 × 6 bool tensor, or fail saying what it is instead."""
    value = torch.from_numpy(np.array(identical)) if isinstance(identical, np.ndarray) else identical
    described = (
        f"a {value.dtype} tensor of shape {tuple(value.shape)}" if isinstance(value, torch.Tensor) else repr(identical)
    )
    assert isinstance(value, torch.Tensor) and value.dtype == torch.bool and tuple(value.shape) == (6, 6), (
        f"identical should be a 6 × 6 tensor of True/False (a row and a column per sentence), not {described}; "
        "compare the cosine similarities with 1, e.g. similarity >= 1 - numerics.rounding_bound(similarity)"
    )
    return value


@test_case(name="q1: a 6 × 6 table of True/False, each vector identical to itself", points=1)
def a_table(identical):
    value = _table(identical)
    assert bool(value.diagonal().all()), (
        f"identical[i, i] is False for i in {(~value.diagonal()).nonzero().flatten().tolist()}, but every vector is "
        "identical to itself: the cosine of a vector with itself can miss 1.0 by a rounding error, so compare "
        "with 1 up to rounding (numerics.rounding_bound), not with =="
    )


@test_case(name="q1: identity is symmetric and transitive", points=1)
def symmetric_and_transitive(identical):
    value = _table(identical)
    assert torch.equal(value, value.T), "identical[i, j] differs from identical[j, i]: if a = b, then b = a"
    for i in range(6):
        for j in range(6):
            for k in range(6):
                assert not (value[i, j] and value[j, k]) or bool(value[i, k]), (
                    f"identical[{i}, {j}] and identical[{j}, {k}] are True but identical[{i}, {k}] is False, yet two "
                    "vectors equal to a third are equal: is the threshold too loose? It groups similar vectors, "
                    "not identical ones (identical: a cosine of 1 up to rounding)"
                )


@test_case(name="q1: some pairs are identical, not all", points=1)
def some_pairs(identical):
    value = _table(identical)
    assert not bool(value.all()), (
        "every pair is identical: these look like the token table's vectors (the static lookup, one vector for "
        "every 'bank'), or a threshold far below 1; the embedding layer's output, hidden_states[0] with "
        "output_hidden_states=True, adds a position and a segment vector to the token's and normalises the sum"
    )
    assert bool((value & ~torch.eye(6, dtype=torch.bool)).any()), (
        "no two different sentences have identical vectors here: is this the embedding layer's output, "
        "hidden_states[0]? hidden_states[-1] (= last_hidden_state) is the last layer's, where context has "
        "changed every vector"
    )
