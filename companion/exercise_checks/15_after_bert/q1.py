"""Exercise 1's public checks (otter-grader): BERT-base's token table against ALBERT's factorised one."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
V, H, E = 30_522, 768, 128


def _number(label, value):
    assert isinstance(value, Real) and not isinstance(value, bool), (
        f"{label} should be a number of parameters, not {value!r} (a tensor? take .item())"
    )
    assert value > 1000, f"{label} = {value!r}: count the parameters themselves, not millions of them"


@test_case(name="q1: BERT-base's token table", points=1)
def bert_base_table(full):
    _number("full", full)
    assert full != 30_000 * H, (
        "full uses ALBERT's vocabulary of 30,000 pieces; the exercise counts BERT-base's table, V = 30,522 pieces"
    )
    assert full == V * H, (
        f"full = {full:,}; BERT-base's token table holds a vector of H = 768 numbers for each of its V = 30,522 pieces"
    )


@test_case(name="q1: ALBERT's factorised table", points=1)
def factorised_table(factorised):
    _number("factorised", factorised)
    if factorised == V * E:
        raise AssertionError(
            "factorised counts the V × E table only: ALBERT also learns the E × H matrix that lifts each "
            "128-number vector to the hidden size H = 768, and it belongs to the factorised table"
        )
    if factorised == V * E * H:
        raise AssertionError(
            "factorised multiplies V, E and H: the two matrices' sizes add up, V·E for the table and E·H for the "
            "projection"
        )
    if abs(factorised - (30_000 * E + E * H)) <= H:
        raise AssertionError("factorised uses ALBERT's vocabulary of 30,000 pieces; the exercise's V is 30,522")
    # the projection's bias (H numbers) may be counted or not
    assert 0 <= factorised - (V * E + E * H) <= H, (
        f"factorised = {factorised:,}: the factorised table is two matrices, V × E (a 128-number vector per "
        "piece) and E × H (the lift to 768 numbers)"
    )
