"""Exercise 4's public checks (otter-grader): the frequency baseline counted on the held-out book itself."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q4"


def _scores(oracle):
    assert isinstance(oracle, dict) and {"top1", "top5", "masked_tokens"} <= set(oracle), (
        "oracle should be what pretraining.masked_token_accuracy returns (a dict with top1, top5 and "
        f"masked_tokens), not {oracle!r}"
    )


@test_case(name="q4: the same masked tokens as the baseline", points=1)
def same_masked_tokens(oracle, long_baseline):
    _scores(oracle)
    assert oracle["masked_tokens"] == long_baseline["masked_tokens"], (
        f"oracle scored {oracle['masked_tokens']:,} masked tokens and long_baseline "
        f"{long_baseline['masked_tokens']:,}: "
        "score the same pairs (long_test, long_tokenizer) with masked_token_accuracy's default seed"
    )


@test_case(name="q4: the book's own counts do not hurt", points=1)
def own_counts_do_not_hurt(oracle, long_baseline):
    _scores(oracle)
    assert oracle["top5"] >= long_baseline["top5"] - 0.01, (
        f"oracle's top-5 ({oracle['top5']:.3f}) is below the training counts' ({long_baseline['top5']:.3f}), "
        "yet the five most frequent tokens of the scored book are the best five guesses for it: count only the "
        "ordinary tokens (pretraining.unigram_counts leaves out [CLS], [SEP] and [PAD])"
    )
