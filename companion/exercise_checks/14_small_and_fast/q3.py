"""Exercise 3's public checks (otter-grader): the development sentences that int8 quantization flips, and how sure
the float32 teacher was about them."""

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


def _array(value):
    if hasattr(value, "detach"):  # a tensor
        value = value.detach().float().cpu().numpy()
    return value if isinstance(value, np.ndarray) else None


def _logits(float_logits, int8_logits, dev):
    shaped = {}
    for label, value in (("float_logits", float_logits), ("int8_logits", int8_logits)):
        array = _array(value)
        assert array is not None and array.ndim == 2 and array.shape[1] == 2, (
            f"{label} should be an array of logits, a row per development sentence and a column per class, not "
            f"{getattr(value, 'shape', type(value).__name__)}"
        )
        assert array.shape[0] == len(dev), (
            f"{label} has {array.shape[0]} rows but the development split has {len(dev)} sentences: predict all of "
            "them (every batch of dev_batches), not one batch"
        )
        shaped[label] = array.astype(np.float64)
    return shaped["float_logits"], shaped["int8_logits"]


@test_case(name="q3: the two models' logits and the sentences that change class", points=1)
def the_sentences_that_change(float_logits, int8_logits, changed, dev):
    first, second = _logits(float_logits, int8_logits, dev)
    assert not np.array_equal(first, second), (
        "float_logits and int8_logits are the same numbers: compute one with the float32 teacher and the other "
        "with int8_teacher"
    )
    flags = _array(changed)
    assert flags is not None and flags.dtype == bool and flags.shape == (len(dev),), (
        f"changed should be a boolean array with a value per development sentence ({len(dev)}), not "
        f"{getattr(changed, 'dtype', type(changed).__name__)} {getattr(changed, 'shape', '')}"
    )
    assert np.array_equal(flags, first.argmax(-1) != second.argmax(-1)), (
        "changed should be True exactly where the float32 and the int8 teacher predict different classes (the "
        "argmax of each one's logits): compare the two models with each other, not with the labels"
    )


@test_case(name="q3: how sure the float32 teacher was", points=1)
def how_sure(certainty, float_logits, int8_logits, dev):
    first, _ = _logits(float_logits, int8_logits, dev)
    values = _array(certainty)
    assert values is not None and values.shape == (len(dev),), (
        f"certainty should be an array with a number per development sentence ({len(dev)}), not "
        f"{getattr(certainty, 'shape', type(certainty).__name__)}"
    )
    assert (values >= -1e-6).all() and (values <= 0.5 + 1e-6).all(), (
        f"certainty runs from {values.min():.3f} to {values.max():.3f}: it should be |P(positive) - 0.5|, how far "
        "the teacher's probability of the positive class (a softmax of the logits) lies from 0.5: between 0 (unsure) "
        "and 0.5 (certain)"
    )
    probability = np.exp(first - first.max(-1, keepdims=True))
    probability = probability[:, 1] / probability.sum(-1)
    assert np.allclose(values, np.abs(probability - 0.5), atol=1e-4), (
        "certainty should be |P(positive) - 0.5| with P(positive) from the float32 teacher's logits (float_logits), "
        "softmax over the two classes: how sure the teacher was before quantization"
    )
