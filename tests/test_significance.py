import numpy as np
import pytest
from scipy.stats import binomtest

from companion import significance


def test_counts_only_the_disagreements():
    gold = [1, 1, 0, 0, 1, 0]
    first = [1, 1, 0, 1, 0, 0]  # right on items 0, 1, 2, 5
    second = [1, 0, 1, 1, 1, 0]  # right on items 0, 4, 5
    result = significance.mcnemar(gold, first, second)
    assert (result.only_first, result.only_second, result.items) == (2, 1, 6)
    assert result.accuracy_difference == pytest.approx(4 / 6 - 3 / 6)
    assert result.pvalue == pytest.approx(binomtest(2, 3, 0.5).pvalue) == pytest.approx(1.0)
    assert not result.first_is_better()
    assert "2 vs 1 of 6 items" in str(result)


def test_a_clear_difference_and_no_difference():
    gold = np.ones(200, dtype=int)
    better = np.ones(200, dtype=int)
    worse = np.where(np.arange(200) < 40, 0, 1)  # wrong on 40 items where the other is right
    assert significance.mcnemar(gold, better, worse).first_is_better()
    assert not significance.mcnemar(gold, worse, better).first_is_better()
    same = significance.mcnemar(gold, better, better)
    assert same.pvalue == 1.0 and same.accuracy_difference == 0


def test_refuses_mismatched_or_empty_input():
    with pytest.raises(ValueError, match="one length"):
        significance.mcnemar([1, 0], [1], [1, 0])
    with pytest.raises(ValueError, match="no items"):
        significance.mcnemar([], [], [])
