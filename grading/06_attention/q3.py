"""Exercise 3's hidden checks, appended to companion/exercise_checks/06_attention/q3.py for grading."""

from otter.test_files import test_case


def _reference(maps):
    """Per layer, each mark's share of the attention (over heads and every query, then sentences); its even share."""
    import numpy as np

    marks = (",", ".")
    share = {mark: [] for mark in marks}
    even = {mark: [] for mark in marks}
    for tokens, weights in maps:
        for mark in marks:
            where = [i for i, token in enumerate(tokens) if token == mark]
            share[mark].append(weights[..., where].double().sum(-1).mean(dim=(1, 2)).numpy())  # (layers,)
            even[mark].append(len(where) / len(tokens))
    share = {mark: np.mean(values, axis=0) for mark, values in share.items()}
    even = {mark: float(np.mean(values)) for mark, values in even.items()}
    return share, even


@test_case(name="q3 (hidden): the shares and even shares match a reference", points=1, hidden=True)
def hidden_matches_a_reference(punctuation, even, on_punctuation, maps):
    import numpy as np

    share, expected_even = _reference(maps)
    for mark in (",", "."):
        theirs = punctuation[mark].to_numpy(dtype=float)
        assert np.allclose(theirs, share[mark], atol=1e-5), (
            f"punctuation[{mark!r}] = {np.round(theirs, 4)}; averaged over heads, every query and the {len(maps)} "
            f"sentences, a reference gives {np.round(share[mark], 4)}"
        )
        assert np.isclose(even[mark], expected_even[mark], rtol=1e-6, atol=0), (
            f"even[{mark!r}] = {even[mark]:.5f}; the mean over the sentences of (occurrences / tokens) is "
            f"{expected_even[mark]:.5f} (the shares are averaged sentence by sentence, so the even share is too)"
        )
    ratio = np.maximum(share[","] / expected_even[","], share["."] / expected_even["."])
    assert np.allclose(on_punctuation.to_numpy(dtype=float), ratio, rtol=1e-4), (
        f"on_punctuation = {np.round(on_punctuation.to_numpy(dtype=float), 3)}; a reference gives {np.round(ratio, 3)}"
    )
