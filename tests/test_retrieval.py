import numpy as np
import pytest

from companion import retrieval

RANKED = np.array([[3, 1, 2], [0, 2, 1], [1, 0, 3]])  # three queries, three results each, best first
RELEVANT = np.array([3, 1, 2])  # found at rank 1, rank 3, not at all


def test_recall_at_k():
    assert retrieval.recall_at_k(RANKED, RELEVANT, k=1) == pytest.approx(1 / 3)
    assert retrieval.recall_at_k(RANKED, RELEVANT, k=3) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="k must be"):
        retrieval.recall_at_k(RANKED, RELEVANT, k=4)


def test_mean_reciprocal_rank():
    assert retrieval.mean_reciprocal_rank(RANKED, RELEVANT) == pytest.approx((1 + 1 / 3 + 0) / 3)


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="queries"):
        retrieval.recall_at_k(RANKED, RELEVANT[:2], k=1)


def test_neighbour_recall_ignores_order():
    exact = np.array([[1, 2, 3], [4, 5, 6]])
    found = np.array([[3, 2, 9], [6, 5, 4]])
    assert retrieval.neighbour_recall(found, exact) == pytest.approx(5 / 6)
    with pytest.raises(ValueError):
        retrieval.neighbour_recall(found[:, :2], exact)
