"""Exercise 2's public checks (otter-grader): the MLM + NSP model's next-sentence accuracy on the held-out pairs."""

from numbers import Real

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
BERT, ROBERTA = "MLM + NSP (BERT)", "MLM only (RoBERTa)"


def _array(value):
    """Return a tensor or array as a NumPy array, else None."""
    if hasattr(value, "detach"):
        return value.detach().float().cpu().numpy()
    return value if isinstance(value, np.ndarray) else None


def _labels(test_encoded):
    return np.asarray(_array(test_encoded["next_sentence_label"])).astype(int)


@test_case(name="q2: the MLM + NSP model's next-sentence logits", points=1)
def the_models_logits(nsp_model, logits, pretrained, test_encoded):
    assert nsp_model is not pretrained[ROBERTA], (
        f'nsp_model is the MLM-only model, whose NSP head was never trained: take pretrained["{BERT}"]'
    )
    assert nsp_model is pretrained[BERT], (
        f'nsp_model should be the model trained with MLM + NSP, pretrained["{BERT}"], not {type(nsp_model).__name__}'
    )
    scores = _array(logits)
    assert scores is not None, (
        f"logits should be the model's seq_relationship_logits (a tensor), not {type(logits).__name__}"
    )
    pairs = len(_labels(test_encoded))
    assert scores.ndim == 2, (
        f"logits has the shape {scores.shape}: those look like prediction_logits, the masked-LM scores of every "
        "piece at every position; the next-sentence scores are seq_relationship_logits, two per pair"
    )
    assert scores.shape[0] == pairs, (
        f"logits has {scores.shape[0]} rows: score the {pairs} held-out pairs of test_encoded, a row per pair"
    )
    assert scores.shape[1] == 2, f"logits has {scores.shape[1]} columns: NSP scores each pair's two labels"


@test_case(name="q2: the share of pairs it gets right", points=1)
def the_share_right(nsp_accuracy, logits, test_encoded):
    assert isinstance(nsp_accuracy, Real) and not isinstance(nsp_accuracy, bool), (
        f"nsp_accuracy should be a number, not {nsp_accuracy!r} (a tensor? take .item())"
    )
    assert 0 <= nsp_accuracy <= 1, (
        f"nsp_accuracy = {nsp_accuracy}: an accuracy is a share between 0 and 1; divide the pairs it gets right by "
        "the number of pairs (.mean() of the right-or-wrong values)"
    )
    scores = _array(logits)
    assert scores is not None and scores.ndim == 2, "logits are not the pairs' scores yet (see the check above)"
    labels = _labels(test_encoded)
    right = float(np.mean(scores.argmax(-1) == labels))
    if abs(right - 0.5) > 1e-9 and abs(nsp_accuracy - (1 - right)) < 1e-6:
        raise AssertionError(
            "nsp_accuracy is the share of pairs the model gets wrong: in next_sentence_label, 0 means that B follows "
            "A and 1 that B is a random passage, the same order as the logits' two columns; compare "
            "logits.argmax(-1) with the labels as they are"
        )
    assert abs(nsp_accuracy - right) < 1e-6, (
        f"nsp_accuracy = {nsp_accuracy:.4f}, but logits.argmax(-1) matches next_sentence_label at {right:.4f} of "
        "the held-out pairs"
    )
