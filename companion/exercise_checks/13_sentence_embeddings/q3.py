"""Exercise 3's public checks (otter-grader): |u - v|² = 2 - 2 cos(u, v), and IndexFlatL2's ranking."""

from numbers import Real

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


@test_case(name="q3: the identity, numerically", points=1)
def the_identity(u, v, squared_distance, from_cosine):
    for label, vector in (("u", u), ("v", v)):
        assert isinstance(vector, np.ndarray) and vector.ndim == 1, (
            f"{label} should be one vector (a row of paragraph_vectors), not {type(vector).__name__}"
        )
    assert not np.allclose(u, v), "u and v are the same vector: take two different paragraphs"
    for label, value in (("squared_distance", squared_distance), ("from_cosine", from_cosine)):
        assert isinstance(value, Real), f"{label} should be a number, not {value!r} (a 1-element array? use float())"
    if abs(squared_distance**2 - from_cosine) < 1e-4:
        raise AssertionError("squared_distance looks like |u - v|, not its square")
    assert abs(squared_distance - from_cosine) < 1e-4, (
        f"|u - v|² = {squared_distance:.5f} but 2 - 2 cos = {from_cosine:.5f}: the identity holds for vectors of "
        "length 1 (paragraph_vectors are); is each a single number computed from u and v?"
    )


@test_case(name="q3: IndexFlatL2 ranks as the dot product does", points=1)
def ranks_as_the_dot_product(l2_top, exact_top):
    assert isinstance(l2_top, np.ndarray) and l2_top.shape == exact_top.shape, (
        f"l2_top should be an array of {exact_top.shape} paragraph ids (a row per question, K per row), "
        f"not {getattr(l2_top, 'shape', type(l2_top).__name__)}"
    )
    assert np.issubdtype(l2_top.dtype, np.integer), (
        f"l2_top holds {l2_top.dtype} values: those are distances; index.search returns (distances, ids)"
    )
    same_first = float(np.mean(l2_top[:, 0] == exact_top[:, 0]))
    assert same_first > 0.99, (
        f"l2_top's first paragraph is exact_top's for only {same_first:.1%} of the questions: FAISS returns the "
        "smallest distance first; add paragraph_vectors (only them) to the index and search with question_vectors"
    )
