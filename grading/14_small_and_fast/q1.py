"""Exercise 1's hidden checks, appended to companion/exercise_checks/14_small_and_fast/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): the mean entropy of the teacher's softened labels", points=1, hidden=True)
def hidden_the_mean_entropies(entropies, teacher_logits):
    import numpy as np

    logits = np.asarray(teacher_logits, dtype=np.float64)
    assert isinstance(entropies, dict) and sorted(entropies) == [1, 2, 4, 8], (
        f"entropies should be a dict with the keys 1, 2, 4 and 8, not {entropies!r}"
    )
    for T in (1, 2, 4, 8):
        scaled = logits / T
        p = np.exp(scaled - scaled.max(-1, keepdims=True))
        p /= p.sum(-1, keepdims=True)
        expected = float(np.mean(-(p * np.log(p)).sum(-1)))
        value = entropies[T].item() if hasattr(entropies[T], "item") else entropies[T]
        assert isinstance(value, float | int) and abs(value - expected) < 1e-4, (
            f"entropies[{T}] = {value!r}; the mean over the training sentences of each softened distribution's "
            f"entropy (teacher_logits / {T}, in nats) is {expected:.5f}"
        )
