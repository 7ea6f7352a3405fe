import pytest

from companion import baselines


def test_tfidf_classifier_learns_words_and_word_pairs():
    texts = ["a fine film", "a fine cast", "a dull film", "a dull plot"] * 3
    labels = [1, 1, 0, 0] * 3
    model = baselines.tfidf_classifier().fit(texts, labels)
    assert list(model.predict(["fine", "dull"])) == [1, 0]
    vocabulary = model.named_steps["tfidfvectorizer"].vocabulary_
    assert "fine film" in vocabulary and "film" in vocabulary  # (1, 2)-grams seen at least twice
    assert model.named_steps["logisticregression"].C == 10.0


def test_tfidf_classifier_refuses_a_backwards_ngram_range():
    with pytest.raises(ValueError, match="ngram_range"):
        baselines.tfidf_classifier(ngram_range=(2, 1))
