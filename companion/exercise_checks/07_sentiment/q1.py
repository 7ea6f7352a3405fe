"""Exercise 1's public checks (otter-grader): the validation sentences the fine-tuned model gets wrong."""

from numbers import Integral, Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


@test_case(name="q1: a count and a share", points=1)
def a_count_and_a_share(wrong_count, error_rate, validation):
    assert isinstance(wrong_count, Integral) and not isinstance(wrong_count, bool), (
        f"wrong_count should be a whole number (an int), how many validation sentences the model gets wrong, "
        f"not {wrong_count!r}" + (" (a tensor? take .item())" if hasattr(wrong_count, "item") else "")
    )
    assert 0 <= wrong_count <= len(validation), (
        f"wrong_count = {wrong_count}, but the validation split has {len(validation)} sentences"
    )
    assert isinstance(error_rate, Real), f"error_rate should be a number, not {error_rate!r}"
    assert abs(error_rate - wrong_count / len(validation)) < 1e-9, (
        f"error_rate = {error_rate:.4f} is not wrong_count / {len(validation)}: divide the count by the number "
        "of validation sentences"
    )


@test_case(name="q1: the count agrees with the accuracy", points=1)
def agrees_with_the_accuracy(wrong_count, validation, accuracy):
    assert isinstance(wrong_count, Integral), "wrong_count is not a whole number yet (see the check above)"
    assert abs(wrong_count - accuracy * len(validation)) > 0.5, (
        f"wrong_count = {wrong_count} is the number of sentences the model gets right, not wrong"
    )
    assert abs(wrong_count - (1 - accuracy) * len(validation)) < 0.5, (
        f"wrong_count = {wrong_count}, but an accuracy of {accuracy:.3f} on {len(validation)} sentences leaves "
        "another number wrong: count the validation sentences whose predicted label differs from the gold label "
        "(the chapter's errors table holds them), with the fine-tuned classifier"
    )
