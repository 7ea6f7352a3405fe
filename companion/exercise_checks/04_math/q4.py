"""Exercise 4's public checks (otter-grader): the softmax Jacobian's norm, with and without 1/√d."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q4"


@test_case(name="q4: jacobian_norm returns a number", points=1)
def returns_a_number(jacobian_norm):
    assert callable(jacobian_norm), f"jacobian_norm should be a function, not {jacobian_norm!r}"
    value = jacobian_norm(16, scaled=True, n=10, trials=50)
    assert isinstance(value, Real), (
        f"jacobian_norm(16, scaled=True, n=10, trials=50) returned {value!r}; return a number (a tensor? take .item())"
    )


@test_case(name="q4: zero for a single key", points=1)
def zero_for_one_key(jacobian_norm):
    assert callable(jacobian_norm), "jacobian_norm is not a function yet (see the check above)"
    value = jacobian_norm(16, scaled=True, n=1, trials=50)
    assert isinstance(value, Real) and abs(value) < 1e-6, (
        f"jacobian_norm(16, scaled=True, n=1, trials=50) = {value!r}: with one key its weight is p = 1, so "
        "diag(p) - ppᵀ = 1 - 1 = 0; is the - ppᵀ term there?"
    )


@test_case(name="q4: saturation shrinks the Jacobian", points=1)
def saturation_shrinks_it(unscaled_norm, scaled_norm):
    for name, value in (("unscaled_norm", unscaled_norm), ("scaled_norm", scaled_norm)):
        assert isinstance(value, Real), f"{name} should be a number, jacobian_norm(1024, ...), not {value!r}"
    assert unscaled_norm < scaled_norm / 2, (
        f"unscaled_norm = {unscaled_norm:.3f}, scaled_norm = {scaled_norm:.3f}: at d = 1024 the unscaled softmax "
        "is nearly one-hot and its Jacobian small; did scaled=True divide the logits by √d, and scaled=False not?"
    )
