"""Exercise 2's hidden checks, appended to companion/exercise_checks/06_attention/q2.py for grading."""

from otter.test_files import test_case


def _two_back(maps):
    """Mean weight from each ordinary token i on the ordinary token i - 2, per (layer, head): a reference."""
    total, count = 0.0, 0
    for _, weights in maps:
        n = weights.shape[-1]
        for query in range(3, n - 1):  # [CLS] is 0, [SEP] is n - 1; the key query - 2 must be ordinary too
            total = total + weights[:, :, query, query - 2].double().numpy()
            count += 1
    return total / count


@test_case(name="q2 (hidden): the shares match a reference over the 200 sentences", points=1, hidden=True)
def hidden_matches_a_reference(two_back, two_back_head, maps):
    import numpy as np

    expected = _two_back(maps)
    assert np.allclose(two_back, expected, atol=1e-5), (
        f"two_back differs from a reference over the {len(maps)} sentences by up to "
        f"{np.abs(two_back - expected).max():.4f}; the reference's largest value is {expected.max():.4f}"
    )
    top = tuple(int(index) for index in np.unravel_index(expected.argmax(), expected.shape))
    assert tuple(two_back_head) == top, f"two_back_head = {two_back_head}; the reference's top head is {top}"
