"""Exercise 1's public checks (otter-grader): the number of attention weights for the example sentence."""

from numbers import Integral

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _whole(name, value):
    assert isinstance(value, Integral) and not isinstance(value, bool), (
        f"{name} should be a whole number (an int), not {value!r}"
        + (" (a tensor? take .numel() of each tensor, or .item())" if hasattr(value, "numel") else "")
    )


@test_case(name="q1: two whole numbers", points=1)
def two_whole_numbers(predicted_count, counted):
    _whole("predicted_count", predicted_count)
    _whole("counted", counted)


@test_case(name="q1: the prediction matches the count", points=1)
def prediction_matches_count(predicted_count, counted, layers, heads):
    for name, value in (("predicted_count", predicted_count), ("counted", counted)):
        assert isinstance(value, Integral), f"{name} is not a whole number yet (see the check above)"
    assert counted % (layers * heads) == 0, (
        f"counted = {counted:,} is not a multiple of layers × heads = {layers * heads}: every head of every layer "
        "computes the same number of weights; add up .numel() of every tensor in outputs.attentions"
    )
    per_head = counted // (layers * heads)
    assert round(per_head**0.5) ** 2 == per_head, (
        f"counted / (layers × heads) = {per_head:,} is not a square: each head gives every token (a query) "
        "a weight for every token (a key), n × n weights; count the elements, not the tensors' lengths"
    )
    assert predicted_count == counted, (
        f"predicted_count = {predicted_count:,} but counted = {counted:,}: the prediction is layers × heads × n², "
        "with n the number of tokens (len(tokens): [CLS], [SEP] and the full stop count), not of words"
    )
