"""Extractive question answering, SQuAD-style: windows with offsets, span labels, post-processing, EM/F1."""

from __future__ import annotations

import collections
import re
import string
from collections.abc import Iterable, Mapping, Sequence

import datasets
import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from companion import cache, training


def prepare_train_features(
    examples: Mapping[str, Sequence], tokenizer: PreTrainedTokenizerBase, *, max_length: int = 384, stride: int = 128
) -> dict[str, list]:
    """Tokenize question/context pairs into overlapping windows with start/end token labels ([CLS]=0 if absent)."""
    encoded = _windows(examples, tokenizer, max_length=max_length, stride=stride)
    offsets_per_window = encoded.pop("offset_mapping")
    window_to_example = encoded.pop("overflow_to_sample_mapping")
    starts, ends = [], []
    for window, offsets in enumerate(offsets_per_window):
        answers = examples["answers"][window_to_example[window]]
        if not answers["answer_start"]:
            raise ValueError("an example has no answer: training needs answers (SQuAD v1.1 style)")
        answer_start = answers["answer_start"][0]
        answer_end = answer_start + len(answers["text"][0])  # exclusive character index
        sequence_ids = encoded.sequence_ids(window)
        context_first = sequence_ids.index(1)
        context_last = len(sequence_ids) - 1 - sequence_ids[::-1].index(1)
        if offsets[context_first][0] > answer_start or offsets[context_last][1] < answer_end:
            starts.append(0)  # answer not (wholly) in this window
            ends.append(0)
            continue
        start = context_first
        while start <= context_last and offsets[start][0] <= answer_start:
            start += 1
        end = context_last
        while end >= context_first and offsets[end][1] >= answer_end:
            end -= 1
        starts.append(start - 1)
        ends.append(end + 1)
    encoded["start_positions"] = starts
    encoded["end_positions"] = ends
    return dict(encoded)


def development_split(
    questions: datasets.Dataset, *, rows: int = 600, articles: int = 3, seed: int = 0
) -> tuple[datasets.Dataset, datasets.Dataset]:
    """Split questions by article: return (the other articles' questions, `rows` questions of held-out articles).

    Whole articles (the `title` column), in a seeded order, are held out until they number at least `articles` and
    hold at least `rows` questions; the development split is a seeded sample of `rows` of their questions, and none
    of their questions is in the first table. Questions about one paragraph share its words (and often its answer),
    so a split by question would leak them; several articles keep one topic from deciding a choice.
    """
    titles = sorted(set(questions["title"]))
    per_title = collections.Counter(questions["title"])
    held_out, count = set(), 0
    for index in np.random.default_rng(seed).permutation(len(titles)):
        if count >= rows and len(held_out) >= articles:
            break
        held_out.add(titles[index])
        count += per_title[titles[index]]
    if count < rows or len(held_out) == len(titles):
        raise ValueError(
            f"{len(questions):,} questions from {len(titles)} articles cannot spare {articles} whole "
            f"articles with {rows:,} questions and keep one for training: ask for fewer rows or articles"
        )
    is_held_out = np.array([title in held_out for title in questions["title"]])
    rest = questions.select(np.flatnonzero(~is_held_out))
    development = questions.select(np.flatnonzero(is_held_out)).shuffle(seed=seed).select(range(rows))
    return rest.flatten_indices(), development.flatten_indices()


def ids_fingerprint(ids: Sequence[str]) -> str:
    """Return a short fingerprint of question ids: a recorded run and a chapter can check they used the same."""
    return cache.sha256_of_bytes("\n".join(ids).encode())[:16]


def prepare_eval_features(
    examples: Mapping[str, Sequence], tokenizer: PreTrainedTokenizerBase, *, max_length: int = 384, stride: int = 128
) -> dict[str, list]:
    """Tokenize into windows that keep example_id and context-only offsets (None elsewhere) for post-processing."""
    encoded = _windows(examples, tokenizer, max_length=max_length, stride=stride)
    window_to_example = encoded.pop("overflow_to_sample_mapping")
    encoded["example_id"] = [examples["id"][index] for index in window_to_example]
    encoded["offset_mapping"] = [
        [
            tuple(offset) if sequence_id == 1 else None
            for offset, sequence_id in zip(offsets, encoded.sequence_ids(window))
        ]
        for window, offsets in enumerate(encoded["offset_mapping"])
    ]
    return dict(encoded)


def postprocess(
    examples: Mapping[str, Sequence],
    features: Mapping[str, Sequence],
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    *,
    n_best: int = 20,
    max_answer_length: int = 30,
) -> dict[str, str]:
    """Pick the best-scoring valid span over all windows of each example; return {example id: answer text}."""
    if n_best < 1 or max_answer_length < 1:
        raise ValueError(f"n_best and max_answer_length must be positive, got {n_best}, {max_answer_length}")
    if len(start_logits) != len(features["example_id"]) or len(end_logits) != len(start_logits):
        raise ValueError(
            f"got {len(start_logits)} start and {len(end_logits)} end logit rows for "
            f"{len(features['example_id'])} windows: predict on the same features, unshuffled"
        )
    windows_of = collections.defaultdict(list)
    for window, example_id in enumerate(features["example_id"]):
        windows_of[example_id].append(window)
    predictions = {}
    for example_id, context in zip(examples["id"], examples["context"]):
        best_score, best_text = -np.inf, ""
        for window in windows_of[example_id]:
            offsets = features["offset_mapping"][window]
            starts, ends = start_logits[window], end_logits[window]
            for start in np.argsort(starts)[::-1][:n_best]:
                for end in np.argsort(ends)[::-1][:n_best]:
                    if start >= len(offsets) or end >= len(offsets):
                        continue
                    if offsets[start] is None or offsets[end] is None:
                        continue  # question, [CLS], [SEP] or padding
                    if end < start or end - start + 1 > max_answer_length:
                        continue
                    score = starts[start] + ends[end]
                    if score > best_score:
                        best_score, best_text = score, context[offsets[start][0] : offsets[end][1]]
        predictions[example_id] = best_text
    return predictions


def predict_spans(model: torch.nn.Module, loader: Iterable, *, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (start_logits, end_logits), each (windows, width), padded with -1e4 past each window's end."""
    outputs = training.predict_outputs(model, loader, names=("start_logits", "end_logits"))
    padded = []
    for name in ("start_logits", "end_logits"):
        logits = outputs[name]
        if logits.shape[1] > width:
            raise ValueError(f"windows are {logits.shape[1]} tokens long, more than width={width}")
        padded.append(np.pad(logits, [(0, 0), (0, width - logits.shape[1])], constant_values=-1e4))
    return padded[0], padded[1]


def normalize_answer(text: str) -> str:
    """Lower-case, drop punctuation and the articles a/an/the, collapse whitespace (official SQuAD v1.1)."""
    text = text.lower()
    text = "".join(character for character in text if character not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, truth: str) -> float:
    """Return 1.0 if the normalized strings are equal, else 0.0."""
    return float(normalize_answer(prediction) == normalize_answer(truth))


def f1(prediction: str, truth: str) -> float:
    """Return the token-overlap F1 of the normalized strings (official SQuAD v1.1 definition)."""
    predicted, true = normalize_answer(prediction).split(), normalize_answer(truth).split()
    common = collections.Counter(predicted) & collections.Counter(true)
    overlap = sum(common.values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(predicted), overlap / len(true)
    return 2 * precision * recall / (precision + recall)


def squad_scores(predictions: Mapping[str, str], references: Mapping[str, Iterable[str]]) -> dict[str, float]:
    """Return exact_match and f1 in percent: per question the max over its reference answers, then the mean."""
    if not references:
        raise ValueError("no references to score against")
    missing = [key for key in references if key not in predictions]
    if missing:
        raise KeyError(f"{len(missing)} questions have no prediction (e.g. {missing[0]!r}): predict every id")
    em = [max(exact_match(predictions[key], truth) for truth in truths) for key, truths in references.items()]
    f = [max(f1(predictions[key], truth) for truth in truths) for key, truths in references.items()]
    return {"exact_match": 100 * float(np.mean(em)), "f1": 100 * float(np.mean(f))}


def overlap_baseline(question: str, context: str) -> str:
    """Return the context sentence sharing the most (normalized) words with the question: a no-learning baseline."""
    sentences = [part for part in re.split(r"(?<=[.!?])\s+", context.strip()) if part]
    if not sentences:
        raise ValueError("the context is empty")
    question_words = set(normalize_answer(question).split())
    return max(sentences, key=lambda sentence: len(question_words & set(normalize_answer(sentence).split())))


def _windows(examples: Mapping[str, Sequence], tokenizer: PreTrainedTokenizerBase, *, max_length: int, stride: int):
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError("offset mappings need a fast (Rust) tokenizer: load it with AutoTokenizer (use_fast=True)")
    if not 0 <= stride < max_length:
        raise ValueError(f"stride must be in [0, max_length), got stride={stride}, max_length={max_length}")
    questions = [question.lstrip() for question in examples["question"]]  # leading spaces waste tokens
    return tokenizer(
        questions,
        list(examples["context"]),
        truncation="only_second",
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        padding=False,
    )
