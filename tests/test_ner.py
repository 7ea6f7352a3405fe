"""Tests of companion.ner: label alignment checked against the real tokenizer, predictions, the lexicon baseline."""

from __future__ import annotations

import pytest
import torch
from torch.utils.data import DataLoader
from transformers import DataCollatorForTokenClassification

from companion import models, ner


@pytest.fixture(scope="module")
def tokenizer():
    return models.load_tokenizer()


def test_align_labels_first_piece_only():
    # [CLS] w0 w1 w1 w1 w2 [SEP]
    assert ner.align_labels([None, 0, 1, 1, 1, 2, None], [0, 3, 4]) == [-100, 0, 3, -100, -100, 4, -100]


def test_align_labels_rejects_mismatched_sentence():
    with pytest.raises(IndexError, match="word_ids"):
        ner.align_labels([None, 0, 1, 2, None], [0, 1])


def test_tokenize_and_align_with_real_tokenizer(tokenizer):
    batch = {"tokens": [["Empire", "State", "Building", "glowing", "tonight"]], "ner_tags": [[7, 8, 8, 0, 0]]}
    encoded = ner.tokenize_and_align(batch, tokenizer)
    pieces = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0])
    labels = encoded["labels"][0]
    assert pieces[0] == "[CLS]" and pieces[-1] == "[SEP]"
    assert len(labels) == len(pieces)
    first = [label for label in labels if label != -100]
    assert first == [7, 8, 8, 0, 0]  # exactly one label per word, in order
    for piece, label in zip(pieces, labels):
        if piece.startswith("##"):
            assert label == -100


def test_tokenize_and_align_needs_columns(tokenizer):
    with pytest.raises(KeyError, match="ner_tags"):
        ner.tokenize_and_align({"tokens": [["a"]]}, tokenizer)


def test_predict_words_reads_first_pieces(tokenizer):
    class Fixed(torch.nn.Module):  # predicts tag 2 everywhere
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.zeros(1))

        def forward(self, input_ids, **kwargs):
            logits = torch.zeros(*input_ids.shape, 3)
            logits[..., 2] = 1.0
            return type("Output", (), {"logits": logits})()

    batch = {"tokens": [["a", "tokenization"], ["b", "c", "d"]], "ner_tags": [[1, 0], [0, 1, 0]]}
    encoded = ner.tokenize_and_align(batch, tokenizer)
    rows = [{key: encoded[key][i] for key in ("input_ids", "attention_mask", "labels")} for i in range(2)]
    loader = DataLoader(rows, batch_size=2, collate_fn=DataCollatorForTokenClassification(tokenizer))
    predicted, gold = ner.predict_words(Fixed(), loader)
    assert gold == [[1, 0], [0, 1, 0]]
    assert predicted == [[2, 2], [2, 2, 2]]


def test_to_words_fills_words_without_pieces():
    # word 1 produced no piece (e.g. a zero-width character); word 3 was truncated away
    word_ids = [None, 0, 0, 2, None]
    assert ner.to_words([5, 6], word_ids, n_words=4) == [5, 0, 6, 0]
    with pytest.raises(ValueError, match="word_ids"):
        ner.to_words([5], word_ids, n_words=4)


def test_to_words_with_real_tokenizer(tokenizer):
    words = ["a", "\u200b", "tokenization"]  # the zero-width space has no piece
    encoding = tokenizer([words], is_split_into_words=True)
    word_ids = encoding.word_ids(0)
    assert 1 not in word_ids
    assert ner.to_words([3, 4], word_ids, n_words=3) == [3, 0, 4]


def test_lexicon_majority_and_unseen_words():
    lexicon = ner.fit_word_lexicon([["Paris", "is", "nice"], ["paris", "hilton"], ["Paris"]], [[7, 0, 0], [9, 10], [7]])
    assert lexicon["paris"] == 7 and lexicon["hilton"] == 10
    assert ner.apply_word_lexicon([["PARIS", "unseen"]], lexicon) == [[7, 0]]


def test_lexicon_rejects_misaligned_tags():
    with pytest.raises(ValueError, match="aligned"):
        ner.fit_word_lexicon([["a", "b"]], [[0]])


def test_ids_to_tags():
    assert ner.ids_to_tags([[0, 1]], ["O", "B-x"]) == [["O", "B-x"]]
    with pytest.raises(IndexError, match="label names"):
        ner.ids_to_tags([[5]], ["O"])
