"""Tests of companion.qa: windows and offsets, span labels, post-processing, and the SQuAD metric."""

from __future__ import annotations

import numpy as np
import pytest

from companion import models, qa

CONTEXT = (
    "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, "
    "a region in France. They were descended from Norse raiders and pirates from Denmark, Iceland "
    "and Norway who swore fealty to King Charles III of West Francia."
)
QUESTION = "Who did the Norse raiders swear fealty to?"
ANSWER = "King Charles III"


@pytest.fixture(scope="module")
def tokenizer():
    return models.load_tokenizer()


def example(question=QUESTION, context=CONTEXT, answer=ANSWER, key="q1"):
    return {
        "id": [key],
        "question": [question],
        "context": [context],
        "answers": [{"text": [answer], "answer_start": [context.index(answer)]}],
    }


def test_labels_point_at_the_answer_tokens(tokenizer):
    features = qa.prepare_train_features(example(), tokenizer, max_length=128, stride=32)
    assert len(features["input_ids"]) == 1  # the whole context fits one window
    start, end = features["start_positions"][0], features["end_positions"][0]
    span = tokenizer.decode(features["input_ids"][0][start : end + 1])
    assert span == "king charles iii"


def test_offsets_map_tokens_back_to_context_characters(tokenizer):
    features = qa.prepare_eval_features(example(), tokenizer, max_length=128, stride=32)
    offsets = features["offset_mapping"][0]
    assert offsets[0] is None  # [CLS]
    context_offsets = [offset for offset in offsets if offset is not None]
    assert CONTEXT[slice(*context_offsets[0])] == "The"
    assert CONTEXT[slice(*context_offsets[-1])] == "."
    assert features["example_id"] == ["q1"]


def test_long_context_becomes_overlapping_windows_with_no_answer_labels(tokenizer):
    filler = " ".join(f"Sentence number {i} is about nothing." for i in range(40))
    context = filler + " " + CONTEXT
    features = qa.prepare_train_features(example(context=context), tokenizer, max_length=64, stride=16)
    windows = len(features["input_ids"])
    assert windows > 5
    assert all(len(ids) <= 64 for ids in features["input_ids"])
    labelled = [i for i in range(windows) if features["start_positions"][i] > 0]
    assert labelled, "some window must contain the answer"
    assert features["start_positions"][0] == features["end_positions"][0] == 0  # answer absent: [CLS]
    for i in labelled:
        s, e = features["start_positions"][i], features["end_positions"][i]
        assert tokenizer.decode(features["input_ids"][i][s : e + 1]) == "king charles iii"
    # consecutive windows overlap by the stride: the last 16 context tokens of one start the next
    first, second = features["input_ids"][0], features["input_ids"][1]
    question_length = first.index(tokenizer.sep_token_id) + 1
    assert first[-17:-1] == second[question_length : question_length + 16]


def test_answer_cut_by_window_edge_is_labelled_absent(tokenizer):
    context = "x " * 40 + ANSWER + " and more words follow here." * 5
    features = qa.prepare_train_features(example(context=context), tokenizer, max_length=48, stride=8)
    for i, ids in enumerate(features["input_ids"]):
        s, e = features["start_positions"][i], features["end_positions"][i]
        if s == 0:
            assert e == 0
        else:
            assert tokenizer.decode(ids[s : e + 1]) == "king charles iii"


def test_training_needs_answers(tokenizer):
    bad = example()
    bad["answers"] = [{"text": [], "answer_start": []}]
    with pytest.raises(ValueError, match="no answer"):
        qa.prepare_train_features(bad, tokenizer)


def test_stride_must_be_smaller_than_window(tokenizer):
    with pytest.raises(ValueError, match="stride"):
        qa.prepare_train_features(example(), tokenizer, max_length=64, stride=64)


def test_postprocess_recovers_the_span_from_logits(tokenizer):
    examples = example()
    features = qa.prepare_eval_features(examples, tokenizer, max_length=128, stride=32)
    labels = qa.prepare_train_features(examples, tokenizer, max_length=128, stride=32)
    width = 128
    start_logits = np.zeros((1, width))
    end_logits = np.zeros((1, width))
    start_logits[0, labels["start_positions"][0]] = 10
    end_logits[0, labels["end_positions"][0]] = 10
    start_logits[0, 0] = end_logits[0, 0] = 50  # [CLS] scores highest but is not in the context
    predictions = qa.postprocess(examples, features, start_logits, end_logits)
    assert predictions == {"q1": ANSWER}  # original casing, straight from the context


def test_postprocess_respects_order_and_max_length(tokenizer):
    examples = example()
    features = qa.prepare_eval_features(examples, tokenizer, max_length=128, stride=32)
    offsets = features["offset_mapping"][0]
    context_positions = [i for i, offset in enumerate(offsets) if offset is not None]
    first, last = context_positions[0], context_positions[-1]
    start_logits = np.zeros((1, 128))
    end_logits = np.zeros((1, 128))
    start_logits[0, last] = 9  # best start is after the best end: invalid
    end_logits[0, first] = 9
    start_logits[0, first + 2] = 5
    end_logits[0, first + 3] = 5
    prediction = qa.postprocess(examples, features, start_logits, end_logits)["q1"]
    assert prediction == CONTEXT[offsets[first + 2][0] : offsets[first + 3][1]]
    start_logits[0, first + 2] = end_logits[0, first + 3] = 0
    start_logits[0, first] = end_logits[0, last] = 20  # a span longer than max_answer_length
    long = qa.postprocess(examples, features, start_logits, end_logits, max_answer_length=5)["q1"]
    assert len(tokenizer(long, add_special_tokens=False)["input_ids"]) <= 5


def test_postprocess_rejects_mismatched_logits(tokenizer):
    features = qa.prepare_eval_features(example(), tokenizer, max_length=128, stride=32)
    with pytest.raises(ValueError, match="unshuffled"):
        qa.postprocess(example(), features, np.zeros((2, 128)), np.zeros((2, 128)))


@pytest.mark.parametrize(
    "prediction, truth, em, f1",
    [
        ("King Charles III", "king charles III.", 1.0, 1.0),  # case and punctuation ignored
        ("the Normans", "Normans", 1.0, 1.0),  # articles ignored
        ("Charles III", "King Charles III", 0.0, 0.8),  # P = 2/2, R = 2/3 -> F1 = 0.8
        ("in the 10th and 11th centuries", "10th century", 0.0, 2 / 7),  # P = 1/5, R = 1/2 -> 2/7
        ("Denmark, Iceland and Norway", "Norway", 0.0, 0.4),  # P = 1/4, R = 1 -> 0.4
        ("Paris", "London", 0.0, 0.0),  # nothing shared
        ("the", "a", 1.0, 0.0),  # both normalize to "" (official script)
    ],
)
def test_metric_on_hand_checked_cases(prediction, truth, em, f1):
    assert qa.exact_match(prediction, truth) == em
    assert qa.f1(prediction, truth) == pytest.approx(f1)


def test_squad_scores_take_the_best_reference_and_average():
    predictions = {"a": "Charles III", "b": "Paris"}
    references = {"a": ["King Charles III", "Charles III"], "b": ["London"]}
    scores = qa.squad_scores(predictions, references)
    assert scores == {"exact_match": pytest.approx(50.0), "f1": pytest.approx(50.0)}


def test_squad_scores_need_every_prediction():
    with pytest.raises(KeyError, match="no prediction"):
        qa.squad_scores({}, {"a": ["x"]})


def test_overlap_baseline_picks_the_sentence_sharing_most_words():
    sentence = qa.overlap_baseline(QUESTION, CONTEXT)
    assert sentence.startswith("They were descended from Norse raiders")


def questions_of(sizes: dict[str, int]):
    import datasets

    rows = [{"id": f"{title}-{i}", "title": title} for title, size in sizes.items() for i in range(size)]
    return datasets.Dataset.from_list(rows)


def test_development_split_holds_out_whole_articles():
    questions = questions_of({f"article {k}": 10 + k for k in range(12)})
    rest, dev = qa.development_split(questions, rows=30, articles=3, seed=0)
    assert len(dev) == 30 and len(set(dev["id"])) == 30
    assert not set(rest["title"]) & set(dev["title"])  # no article on both sides
    held_out = set(questions["title"]) - set(rest["title"])
    assert len(held_out) >= 3 and sum(10 + int(t.split()[1]) for t in held_out) + len(rest) == len(questions)
    again = qa.development_split(questions, rows=30, articles=3, seed=0)
    assert again[1]["id"] == dev["id"] and again[0]["id"] == rest["id"]  # seeded: the same split every time
    assert qa.development_split(questions, rows=30, articles=3, seed=1)[1]["id"] != dev["id"]
    with pytest.raises(ValueError, match="fewer rows"):
        qa.development_split(questions, rows=10_000)


def test_the_chapters_development_split_is_apart_from_its_training_sample_and_validation(needs_mirror):
    from companion import data

    rest, dev = qa.development_split(data.load_split("squad", "train"), rows=600)
    train = data.sample(rest, fast_rows=2400)  # chapter 9's fast-profile training sample
    validation = data.load_split("squad", "validation")
    assert len(dev) == 600 and len(train) == 2400
    assert not set(dev["title"]) & set(train["title"]) and not set(dev["id"]) & set(train["id"])
    assert not set(dev["title"]) & set(validation["title"]) and not set(dev["id"]) & set(validation["id"])


def test_ids_fingerprint_is_short_and_follows_the_ids_and_their_order():
    assert qa.ids_fingerprint(["a", "b"]) == qa.ids_fingerprint(["a", "b"])
    assert len(qa.ids_fingerprint(["a", "b"])) == 16
    assert qa.ids_fingerprint(["a", "b"]) != qa.ids_fingerprint(["b", "a"])
