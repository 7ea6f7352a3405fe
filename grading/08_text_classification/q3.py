"""Exercise 3's hidden checks, appended to companion/exercise_checks/08_text_classification/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): a fresh count of the test articles' tokens", points=1, hidden=True)
def hidden_a_fresh_count(bbc_tokens, tokenizer):
    import numpy as np

    from companion import data

    test = data.load_split("bbc_news", "test")
    expected = np.array([len(ids) for ids in tokenizer(list(test["text"]), verbose=False)["input_ids"]])
    tokens = np.asarray(bbc_tokens)
    assert tokens.shape == expected.shape and (tokens == expected).all(), (
        f"bbc_tokens: median {np.median(tokens):.0f}, {np.mean(tokens > 512):.1%} over 512; the chapter's tokenizer "
        f"on the test articles, [CLS] and [SEP] included, gives median {np.median(expected):.0f} and "
        f"{np.mean(expected > 512):.1%} over 512"
    )


@test_case(name="q3 (hidden): the accuracies match a fresh baseline on the heads", points=1, hidden=True)
def hidden_accuracies_match_a_fresh_baseline(bbc_accuracy):
    from sklearn.metrics import accuracy_score

    from companion import baselines, data

    train, test = data.load_split("bbc_news", "train"), data.load_split("bbc_news", "test")

    def head(texts, words):
        return [" ".join(text.split()[:words]) for text in texts]

    for key, words in (("first 16 words", 16), ("first 64 words", 64), ("whole article", None)):
        model = baselines.tfidf_classifier(ngram_range=(1, 1), min_df=1)
        model.fit(head(train["text"], words), list(train["label"]))
        expected = accuracy_score(list(test["label"]), model.predict(head(test["text"], words)))
        # the baseline's variants (words or word pairs, min_df 1 or 2) lie within 0.005 of each other (mirror)
        assert abs(bbc_accuracy[key] - expected) < 0.03, (
            f"bbc_accuracy[{key!r}] = {bbc_accuracy[key]:.3f}; TF-IDF fitted on the training articles cut to the "
            f"same words and scored on the test articles cut alike gives {expected:.3f}"
        )
