"""When two float32 results count as the same computation: a bound on rounding, stated once for the book.

Two correct float32 computations of the same function differ when they add in a different order: another
kernel (AVX2 or AVX-512, MKL or oneDNN, another CPU), a fused or an unfused attention, a from-scratch model
against the library's. Each reordered sum moves its result by a few units of float32's epsilon times the
size of the numbers summed, so the bound scales with the largest entry of the reference tensor:
``ROUNDING_UNITS`` epsilons of it (never less than of 1.0). Measured on the book's 6-layer model against
transformers' BertModel (``tests/test_bert.py``), the largest difference was 12.4 such units over five
kernel settings of one Xeon (``make kernels``) and about 8 on an AMD EPYC; 64 units leaves a five-fold
margin. A real mistake (a missing scale, a wrong mask, a mixed-up weight) moves outputs by a thousandth of
their size or more: over a hundred times the bound.
"""

from __future__ import annotations

import numpy as np
import torch

EPSILON = float(torch.finfo(torch.float32).eps)  # 1.19e-07: the gap between 1.0 and the next float32
ROUNDING_UNITS = 64


def rounding_bound(expected: torch.Tensor | np.ndarray, *, units: int = ROUNDING_UNITS) -> float:
    """Return the largest difference float32 rounding explains: units × epsilon × max(|expected|, 1)."""
    if units < 1:
        raise ValueError(f"units must be a positive number of float32 epsilons, got {units}")
    reference = _as_tensor(expected)
    largest = float(reference.abs().max().item()) if reference.numel() else 0.0
    return units * EPSILON * max(largest, 1.0)


def max_difference(actual: torch.Tensor | np.ndarray, expected: torch.Tensor | np.ndarray) -> float:
    """Return the largest absolute difference between two tensors (or arrays) of one shape."""
    actual_t, expected_t = _as_tensor(actual), _as_tensor(expected)
    if actual_t.shape != expected_t.shape:
        raise ValueError(f"shapes differ: {tuple(actual_t.shape)} vs {tuple(expected_t.shape)}")
    return float((actual_t.double() - expected_t.double()).abs().max().item()) if actual_t.numel() else 0.0


def same_up_to_rounding(
    actual: torch.Tensor | np.ndarray, expected: torch.Tensor | np.ndarray, *, units: int = ROUNDING_UNITS
) -> bool:
    """Return True when actual differs from expected by no more than float32 rounding explains."""
    return max_difference(actual, expected) <= rounding_bound(expected, units=units)


def assert_same_up_to_rounding(
    actual: torch.Tensor | np.ndarray,
    expected: torch.Tensor | np.ndarray,
    *,
    what: str = "the two results",
    units: int = ROUNDING_UNITS,
) -> None:
    """Raise AssertionError, naming the difference and the bound, unless the two agree up to float32 rounding."""
    difference, bound = max_difference(actual, expected), rounding_bound(expected, units=units)
    if not difference <= bound:
        raise AssertionError(
            f"{what} differ by up to {difference:.3g}, more than float32 rounding explains "
            f"({units} × {EPSILON:.3g} × the largest |value| = {bound:.3g})"
        )


def _as_tensor(value: torch.Tensor | np.ndarray) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.detach()
    return torch.from_numpy(np.array(value))  # a copy: torch refuses to wrap a read-only array
