"""Is a difference between two classifiers on the same items larger than chance? McNemar's exact test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import binomtest


@dataclass(frozen=True)
class PairedComparison:
    """McNemar's exact test of two classifiers scored on the same items."""

    only_first: int  # items the first classifier gets right and the second gets wrong
    only_second: int  # the other way round
    items: int
    pvalue: float  # two-sided; 1.0 when the two never disagree

    @property
    def accuracy_difference(self) -> float:
        """First minus second accuracy: exactly (only_first - only_second) / items."""
        return (self.only_first - self.only_second) / self.items

    def first_is_better(self, *, level: float = 0.05) -> bool:
        """Return True when the first is more often right alone and chance would rarely split them so (p < level)."""
        return self.only_first > self.only_second and self.pvalue < level

    def __str__(self) -> str:
        return (
            f"right alone: {self.only_first} vs {self.only_second} of {self.items:,} items "
            f"(difference {self.accuracy_difference:+.3f}, McNemar p = {self.pvalue:.2g})"
        )


def mcnemar(gold, first, second) -> PairedComparison:
    """Compare two classifiers' predictions on the same items with McNemar's exact (binomial) test."""
    gold, first, second = (np.asarray(values) for values in (gold, first, second))
    if not gold.shape == first.shape == second.shape or gold.ndim != 1:
        raise ValueError(
            f"gold and both predictions must be 1-D and of one length, got shapes "
            f"{gold.shape}, {first.shape}, {second.shape}"
        )
    if len(gold) == 0:
        raise ValueError("no items to compare")
    first_right, second_right = first == gold, second == gold
    only_first = int(np.sum(first_right & ~second_right))
    only_second = int(np.sum(second_right & ~first_right))
    # where both are right or both wrong, an item says nothing about which is better: only disagreements count,
    # and if the two were equally good each would fall either way with probability one half
    disagreements = only_first + only_second
    pvalue = binomtest(only_first, disagreements, p=0.5).pvalue if disagreements else 1.0
    return PairedComparison(only_first, only_second, len(gold), float(pvalue))
