"""Exercise 3's hidden checks, appended to companion/exercise_checks/14_small_and_fast/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): both models' logits for the development sentences, in order", points=1, hidden=True)
def hidden_both_models_logits(float_logits, int8_logits, teacher, int8_teacher, dev_batches):
    import numpy as np
    import torch

    with torch.no_grad():
        for label, value, model in (
            ("float_logits", float_logits, teacher),
            ("int8_logits", int8_logits, int8_teacher),
        ):
            expected = np.concatenate(
                [model(**{k: v for k, v in batch.items() if k != "labels"}).logits.numpy() for batch in dev_batches]
            )
            found = value.detach().float().cpu().numpy() if hasattr(value, "detach") else value
            assert isinstance(found, np.ndarray) and found.shape == expected.shape, (
                f"{label} has the shape {getattr(found, 'shape', type(found).__name__)}; the model's logits for the "
                f"development sentences have {expected.shape}"
            )
            gap = float(np.abs(found - expected).max())
            assert gap < 1e-3, (
                f"{label} differs from the model's logits for dev_batches, in order, by up to {gap:.3g}: another "
                "model, or the sentences in another order?"
            )


@test_case(name="q3 (hidden): the flipped sentences, and the float32 teacher's certainty", points=1, hidden=True)
def hidden_the_flips_and_the_certainty(changed, certainty, teacher, int8_teacher, dev_batches):
    import numpy as np
    import torch

    with torch.no_grad():
        logits = [
            np.concatenate(
                [model(**{k: v for k, v in batch.items() if k != "labels"}).logits.numpy() for batch in dev_batches]
            )
            for model in (teacher, int8_teacher)
        ]
    expected_changed = logits[0].argmax(-1) != logits[1].argmax(-1)
    found = changed.detach().cpu().numpy() if hasattr(changed, "detach") else changed
    assert isinstance(found, np.ndarray) and np.array_equal(found, expected_changed), (
        f"changed should mark the {int(expected_changed.sum())} development sentences whose class differs between "
        "the float32 teacher and int8_teacher"
    )
    expected = np.abs(torch.tensor(logits[0]).softmax(-1)[:, 1].numpy() - 0.5)
    values = certainty.detach().cpu().numpy() if hasattr(certainty, "detach") else certainty
    assert isinstance(values, np.ndarray) and values.shape == expected.shape, (
        f"certainty has the shape {getattr(values, 'shape', type(values).__name__)}, not {expected.shape}"
    )
    assert np.allclose(values, expected, atol=1e-4), (
        "certainty should be |P(positive) - 0.5| under the float32 teacher, for each development sentence in order"
    )
