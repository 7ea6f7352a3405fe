"""Exercise 4's public checks (otter-grader): how often the top previous-token head's largest weight is on i - 1."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q4"


@test_case(name="q4: a share between 0 and 1", points=1)
def a_share(previous_hit_rate):
    assert isinstance(previous_hit_rate, Real) and not isinstance(previous_hit_rate, bool), (
        f"previous_hit_rate should be a number, not {previous_hit_rate!r}"
        + (" (a tensor? take .item())" if hasattr(previous_hit_rate, "item") else "")
    )
    assert 0 <= previous_hit_rate <= 1, (
        f"previous_hit_rate = {previous_hit_rate:,}: a share of tokens lies between 0 and 1; "
        "divide the tokens that hit by all the tokens counted"
    )


@test_case(name="q4: counts tokens, not weights", points=1)
def counts_tokens(previous_hit_rate, previous):
    assert isinstance(previous_hit_rate, Real), "previous_hit_rate is not a number yet (see the check above)"
    assert abs(previous_hit_rate - float(previous.max())) > 1e-6, (
        f"previous_hit_rate = {previous_hit_rate:.4f} is the head's mean weight on the previous token "
        "(previous.max()); count instead the tokens whose largest weight (argmax over the keys) is on the token "
        "before them"
    )
