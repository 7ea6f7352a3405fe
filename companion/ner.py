"""Token classification helpers: word labels to WordPiece labels, word-level predictions, a memorizing baseline."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import torch

from companion import training

IGNORE_INDEX = -100  # what torch.nn.CrossEntropyLoss (and so every transformers head) skips


def align_labels(
    word_ids: Sequence[int | None], word_labels: Sequence[int], *, ignore_index: int = IGNORE_INDEX
) -> list[int]:
    """Return one label per piece: the word's label on its first piece, ignore_index on the rest and on specials."""
    aligned, previous = [], None
    for word_id in word_ids:
        if word_id is None:  # [CLS], [SEP], [PAD]
            aligned.append(ignore_index)
        elif word_id != previous:  # first piece of a word
            if not 0 <= word_id < len(word_labels):
                raise IndexError(
                    f"word id {word_id} has no label: the sentence has {len(word_labels)} labels; "
                    "pass the word_ids() of the same sentence as the labels"
                )
            aligned.append(int(word_labels[word_id]))
        else:  # continuation piece of the same word
            aligned.append(ignore_index)
        previous = word_id
    return aligned


def tokenize_and_align(
    batch: dict[str, list],
    tokenizer,
    *,
    max_length: int = 128,
    tokens_column: str = "tokens",
    labels_column: str = "ner_tags",
):
    """Tokenize pre-split words (for datasets.map(batched=True)) and add first-piece 'labels'."""
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError("tokenize_and_align needs a fast tokenizer (word_ids()); load it with AutoTokenizer")
    for column in (tokens_column, labels_column):
        if column not in batch:
            raise KeyError(f"the batch has no column {column!r}; columns: {', '.join(batch)}")
    encoded = tokenizer(batch[tokens_column], is_split_into_words=True, truncation=True, max_length=max_length)
    encoded["labels"] = [align_labels(encoded.word_ids(i), labels) for i, labels in enumerate(batch[labels_column])]
    return encoded


def predict_words(model: torch.nn.Module, loader: Iterable) -> tuple[list[list[int]], list[list[int]]]:
    """Return (predicted, gold) label ids per sentence at the labelled positions (first pieces)."""
    logits, labels = training.predict(model, loader)  # (sentences, pieces, tags), (sentences, pieces)
    if labels.size == 0:
        raise KeyError("the batches carry no 'labels': predict_words reads the first-piece positions from them")
    choices = logits.argmax(-1)  # (sentences, pieces)
    keep = labels != IGNORE_INDEX  # first pieces only; continuation pieces and padding are -100
    return (
        [row[mask].tolist() for row, mask in zip(choices, keep)],
        [row[mask].tolist() for row, mask in zip(labels, keep)],
    )


def to_words(
    first_piece_values: Sequence[int], word_ids: Sequence[int | None], *, n_words: int, fill: int = 0
) -> list[int]:
    """Return one value per word from values at first pieces; fill for words with no piece (empty or truncated)."""
    firsts, previous = [], None
    for word_id in word_ids:
        if word_id is not None and word_id != previous:
            firsts.append(word_id)
        previous = word_id
    if len(firsts) != len(first_piece_values):
        raise ValueError(
            f"{len(first_piece_values)} values for {len(firsts)} first pieces: pass the word_ids() "
            "of the same tokenization (same max_length) as the predictions"
        )
    words = [fill] * n_words
    for word_id, value in zip(firsts, first_piece_values):
        if word_id >= n_words:
            raise IndexError(f"word id {word_id} is outside a sentence of {n_words} words")
        words[word_id] = int(value)
    return words


def fit_word_lexicon(
    sentences: Iterable[Sequence[str]], tags: Iterable[Sequence[int]], *, lowercase: bool = True
) -> dict[str, int]:
    """Return each training word's most frequent tag (ties: the smaller tag id) — a memorizing baseline."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for words, word_tags in zip(sentences, tags, strict=True):
        if len(words) != len(word_tags):
            raise ValueError(f"a sentence has {len(words)} words but {len(word_tags)} tags; pass aligned lists")
        for word, tag in zip(words, word_tags):
            counts[word.lower() if lowercase else word][int(tag)] += 1
    return {word: min(counter, key=lambda tag: (-counter[tag], tag)) for word, counter in counts.items()}


def apply_word_lexicon(
    sentences: Iterable[Sequence[str]], lexicon: dict[str, int], *, default: int = 0, lowercase: bool = True
) -> list[list[int]]:
    """Tag every word with its lexicon tag, unseen words with default (usually 'O')."""
    return [[lexicon.get(word.lower() if lowercase else word, default) for word in words] for words in sentences]


def ids_to_tags(sequences: Iterable[Sequence[int]], names: Sequence[str]) -> list[list[str]]:
    """Map label ids to tag strings (for seqeval)."""
    names = list(names)
    try:
        return [[names[int(i)] for i in sequence] for sequence in sequences]
    except IndexError as error:
        raise IndexError(f"a label id is outside the {len(names)} tag names; pass the dataset's label names") from error
