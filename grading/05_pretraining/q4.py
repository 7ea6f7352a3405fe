"""Exercise 4's hidden checks, appended to companion/exercise_checks/05_pretraining/q4.py for grading."""

from otter.test_files import test_case


@test_case(name="q4 (hidden): the held-out book's own counts", points=2, hidden=True)
def hidden_own_counts(oracle, long_test, long_tokenizer):
    from companion import pretraining

    counts = pretraining.unigram_counts(long_test, long_tokenizer)
    expected = pretraining.masked_token_accuracy(None, long_test, long_tokenizer, counts=counts)
    for key in ("top1", "top5"):
        assert abs(oracle[key] - expected[key]) < 1e-9, (
            f"oracle[{key!r}] = {oracle[key]:.4f}; the baseline that counts the ordinary tokens of the held-out "
            f"pairs (long_test) alone scores {expected[key]:.4f}"
        )
