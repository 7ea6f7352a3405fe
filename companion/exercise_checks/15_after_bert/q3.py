"""Exercise 3's public checks (otter-grader): ModernBERT's alternating attention at 8,192 tokens."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
N, LAYERS = 8192, 22
FULL = LAYERS * N * N  # full attention's scores in every layer


def _numbers(computed, share):
    for label, value in (("computed", computed), ("share", share)):
        assert isinstance(value, Real) and not isinstance(value, bool), (
            f"{label} should be a number, not {value!r} (a tensor? take .item())"
        )


@test_case(name="q3: a share of full attention in every layer", points=1)
def a_share_of_full_attention(computed, share):
    _numbers(computed, share)
    assert 0 < computed <= FULL, (
        f"computed = {computed:,}: the query-key scores of all 22 layers together, at most full attention's "
        f"22 · 8,192² = {FULL:,}"
    )
    assert abs(share - computed / FULL) < 1e-9, (
        f"share = {share:.4f}, but computed is {computed / FULL:.4f} of full attention in every layer: "
        "share should be computed / (22 · 8,192²)"
    )


@test_case(name="q3: one global layer in three, a window in the others", points=1)
def global_and_local_layers(computed, share):
    _numbers(computed, share)
    globals_only = 8 / LAYERS
    assert share <= 1 + 1e-9, (
        f"share = {share:.3f} is above 1: computed is part of full attention's scores in all 22 layers, so it can "
        "be at most all of them"
    )
    if share > 0.99:
        raise AssertionError(
            f"share = {share:.3f}: every layer counted as full attention; the local layers score each query "
            "against the keys in its 128-token window only"
        )
    if abs((1 - share) - globals_only) < 0.02:
        raise AssertionError(f"share = {share:.3f} is the part of the scores saved, not the part computed")
    if abs(share - 7 / LAYERS) < 0.02:
        raise AssertionError(
            f"share = {share:.3f} counts 7 global layers: ModernBERT's layers 0, 3, 6, ... attend globally, "
            "which in 22 layers (0 to 21) makes 8 of them, not 22 // 3"
        )
    assert globals_only - 1e-6 < share < globals_only + 14 * 130 / (LAYERS * N), (
        f"share = {share:.4f}: count layer by layer, n² scores for a global layer and n times its window "
        "(a query sees 64 keys on each side, itself too) for a local one"
    )
