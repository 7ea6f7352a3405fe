"""Exercise 3's public checks (otter-grader): the NSP head's accuracy against the more common label."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


@test_case(name="q3: two accuracies", points=1)
def two_accuracies(nsp_accuracy, majority):
    for name, value in (("nsp_accuracy", nsp_accuracy), ("majority", majority)):
        assert isinstance(value, Real), f"{name} should be a number (a tensor? take .item()), not {value!r}"
        assert 0 <= value <= 1, f"{name} = {value}: an accuracy lies between 0 and 1"
    assert majority >= 0.5, (
        f"majority = {majority:.3f}: that is the share of the less common label; always guessing the more "
        "common one is right at least half the time"
    )


@test_case(name="q3: the NSP head beats the more common label", points=1)
def beats_the_majority(nsp_accuracy, majority, checkpoint):
    assert isinstance(nsp_accuracy, Real) and isinstance(majority, Real), "see the check above"
    if checkpoint is not None:  # the book's longer run (the short run's NSP head has barely left chance)
        assert nsp_accuracy > majority, (
            f"nsp_accuracy = {nsp_accuracy:.3f} is not above always guessing the more common label "
            f"({majority:.3f}); label 0 means B follows A (seq_relationship_logits[:, 0]), and the model needs "
            "the pair's token_type_ids and attention_mask too"
        )
