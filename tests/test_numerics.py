import numpy as np
import pytest
import torch

from companion import numerics


def test_bound_scales_with_the_largest_value_and_never_below_one():
    assert numerics.rounding_bound(torch.tensor([0.5, -0.25])) == pytest.approx(64 * numerics.EPSILON)
    assert numerics.rounding_bound(torch.tensor([3.0, -10.0])) == pytest.approx(640 * numerics.EPSILON)
    assert numerics.rounding_bound(np.array([2.0]), units=8) == pytest.approx(16 * numerics.EPSILON)
    with pytest.raises(ValueError, match="positive"):
        numerics.rounding_bound(torch.ones(1), units=0)


def test_another_summation_order_is_rounding():
    generator = torch.Generator().manual_seed(0)
    x, w = torch.randn(16, 1536, generator=generator), torch.randn(1536, 384, generator=generator) / 40
    float32 = x @ w
    float64 = (x.double() @ w.double()).float()  # the same sums, added more exactly
    in_chunks = sum(x[:, i : i + 96] @ w[i : i + 96] for i in range(0, 1536, 96))  # the same sums, another order
    assert 0 < numerics.max_difference(float32, float64)
    numerics.assert_same_up_to_rounding(float32, float64)
    numerics.assert_same_up_to_rounding(in_chunks, float64)


def test_a_real_mistake_is_far_outside_the_bound():
    generator = torch.Generator().manual_seed(0)
    q, k = torch.randn(2, 8, 64, generator=generator), torch.randn(2, 8, 64, generator=generator)
    right = torch.softmax(q @ k.transpose(-1, -2) / 8, -1)
    unscaled = torch.softmax(q @ k.transpose(-1, -2), -1)  # forgot to divide by sqrt(d)
    slightly_off = right * (1 + 1e-3)  # a thousandth of the size
    for wrong in (unscaled, slightly_off):
        assert not numerics.same_up_to_rounding(wrong, right)
    with pytest.raises(AssertionError, match=r"attention weights differ by up to .* than float32 rounding explains"):
        numerics.assert_same_up_to_rounding(slightly_off, right, what="attention weights")


def test_shapes_must_match():
    with pytest.raises(ValueError, match="shapes differ"):
        numerics.max_difference(torch.zeros(2), torch.zeros(3))
