"""Exercise 2's public checks (otter-grader): forward + backward FLOPs / the formula's forward FLOPs, n = 128."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


@test_case(name="q2: about three forward passes", points=1)
def about_three(ratio):
    assert isinstance(ratio, Real), (
        f"ratio should be a number, the counted forward + backward FLOPs divided by the formula's forward FLOPs, "
        f"not {ratio!r}"
    )
    assert abs(ratio - 1) > 0.25, (
        f"ratio = {ratio:.3f}: that is the forward pass alone; call .backward() on a scalar of the output "
        "inside the FlopCounterMode block"
    )
    assert abs(ratio - 2) > 0.25, (
        f"ratio = {ratio:.3f}: that is the backward pass alone; "
        "run the forward pass inside the FlopCounterMode block too"
    )
    assert 2.5 < ratio < 3.5, (
        f"ratio = {ratio:.3f}: the backward pass computes two products per forward product, so expect about 3; "
        "count one forward and one backward pass of the packaged model's config at n = 128"
    )
