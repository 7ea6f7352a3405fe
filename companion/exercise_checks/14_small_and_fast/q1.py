"""Exercise 1's public checks (otter-grader): the mean entropy of the teacher's softened labels at T = 1, 2, 4, 8."""

import math
from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
TEMPERATURES = [1, 2, 4, 8]


def _values(entropies):
    """Return the four entropies as floats, in the order of TEMPERATURES; fail with what is wrong otherwise."""
    assert isinstance(entropies, dict), (
        f"entropies should be a dict, a temperature to its mean entropy ({{1: ..., 2: ..., 4: ..., 8: ...}}), "
        f"not {type(entropies).__name__}"
    )
    assert sorted(entropies) == TEMPERATURES, (
        f"entropies' keys are {sorted(entropies)}: it needs one entry for each temperature, 1, 2, 4 and 8"
    )
    values = []
    for T in TEMPERATURES:
        value = entropies[T]
        if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:  # a 0-d tensor or array
            value = value.item()
        assert isinstance(value, Real) and math.isfinite(value), (
            f"entropies[{T}] should be one number, the mean over the training sentences, not {value!r} "
            "(a value per sentence? average them)"
        )
        values.append(float(value))
    return values


@test_case(name="q1: an entropy per temperature, in nats", points=1)
def an_entropy_per_temperature(entropies):
    values = _values(entropies)
    assert min(values) >= 0, (
        f"entropies = {dict(zip(TEMPERATURES, values))}: an entropy is never negative; it is -Σ p log p "
        "(mind the minus sign)"
    )
    assert max(values) <= math.log(2) + 1e-6, (
        f"entropies = {dict(zip(TEMPERATURES, values))}: two classes have an entropy of at most ln 2 = 0.693 nats. "
        "Use the natural logarithm (not log2), sum -p log p over the two classes of each sentence, and average "
        "over the sentences (not sum)"
    )


@test_case(name="q1: the entropy grows with the temperature", points=1)
def grows_with_the_temperature(entropies):
    values = _values(entropies)
    assert max(values) - min(values) > 1e-6, (
        f"entropies = {dict(zip(TEMPERATURES, values))} is the same at every temperature: divide the logits by T "
        "before the softmax"
    )
    assert all(a < b for a, b in zip(values, values[1:])), (
        f"entropies = {dict(zip(TEMPERATURES, values))} should grow with T: a higher temperature draws every "
        "probability towards 0.5. Divide the logits by T (softmax(teacher_logits / T)), do not multiply them"
    )
