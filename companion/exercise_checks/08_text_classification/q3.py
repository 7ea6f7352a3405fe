"""Exercise 3's public checks (otter-grader): BBC News articles' lengths in tokens, and TF-IDF on their heads."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"

KEYS = ["first 16 words", "first 64 words", "whole article"]


@test_case(name="q3: WordPiece tokens per test article", points=1)
def tokens_per_article(bbc_tokens, bbc_test):
    import numpy as np

    assert hasattr(bbc_test, "__len__") and "text" in getattr(bbc_test, "column_names", []), (
        f'bbc_test should be the test split, data.load_split("bbc_news", "test"), not {bbc_test!r}'
    )
    assert hasattr(bbc_tokens, "__len__") and not isinstance(bbc_tokens, str), (
        f"bbc_tokens should be an array of token counts, one per test article, not {bbc_tokens!r}"
    )
    tokens = np.asarray(bbc_tokens)
    assert len(tokens) == len(bbc_test), (
        f"bbc_tokens has {len(tokens)} counts for {len(bbc_test)} test articles: count each test article's tokens"
    )
    assert np.issubdtype(tokens.dtype, np.number), f"bbc_tokens holds {tokens.dtype} values, not counts"
    words = np.array([len(text.split()) for text in bbc_test["text"]])
    assert np.median(tokens / np.maximum(words, 1)) > 1.05, (
        "bbc_tokens is about the number of words of each article; count WordPiece tokens: "
        "len(ids) for ids in tokenizer(texts)['input_ids']"
    )
    assert np.median(tokens / np.maximum(words, 1)) < 3, (
        "bbc_tokens is several times the number of words: characters? count WordPiece tokens"
    )
    assert tokens.max() > 512, (
        f"no article has more than {tokens.max()} tokens: was the tokenizer told to truncate? "
        "Count every token of each article"
    )


@test_case(name="q3: accuracy on the head and on the whole article", points=1)
def accuracy_by_head(bbc_accuracy):
    assert isinstance(bbc_accuracy, dict) and sorted(bbc_accuracy) == sorted(KEYS), (
        f"bbc_accuracy should be a dict with the keys {KEYS}, not {bbc_accuracy!r}"
    )
    for key in KEYS:
        assert isinstance(bbc_accuracy[key], Real) and 0 <= bbc_accuracy[key] <= 1, (
            f"bbc_accuracy[{key!r}] = {bbc_accuracy[key]!r}: an accuracy, a number between 0 and 1"
        )
    assert len({round(value, 9) for value in bbc_accuracy.values()}) > 1, (
        f"bbc_accuracy = {bbc_accuracy}: the same accuracy three times; did each model read the cut texts "
        "(training and test articles cut to the same number of words)?"
    )
    assert bbc_accuracy["whole article"] >= bbc_accuracy["first 16 words"], (
        f"bbc_accuracy = {bbc_accuracy}: the first 16 words score above the whole article; are the keys mixed up?"
    )
