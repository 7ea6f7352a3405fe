"""Exercise 1's hidden checks, appended to companion/exercise_checks/07_sentiment/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): a fresh count of the validation predictions", points=1, hidden=True)
def hidden_a_fresh_count(wrong_count, error_rate, logits, labels, validation):
    expected = int((logits.argmax(-1) != labels).sum())
    assert len(labels) == len(validation), "the chapter's validation predictions are missing (run the chapter first)"
    assert wrong_count == expected, (
        f"wrong_count = {wrong_count}; the fine-tuned classifier's predictions differ from the gold labels on "
        f"{expected} of the {len(validation)} validation sentences"
    )
    assert abs(error_rate - expected / len(validation)) < 1e-9, (
        f"error_rate = {error_rate:.4f}; {expected} / {len(validation)} = {expected / len(validation):.4f}"
    )
