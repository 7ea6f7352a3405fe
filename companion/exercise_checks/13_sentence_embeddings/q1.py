"""Exercise 1's public checks (otter-grader): six sentences of your own and each one's nearest neighbour."""

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _rows(mine_vectors):
    """Return the vectors as a 2-d NumPy array (a tensor is accepted), or None."""
    if hasattr(mine_vectors, "detach"):
        mine_vectors = mine_vectors.detach().float().cpu().numpy()
    if not isinstance(mine_vectors, np.ndarray) or mine_vectors.ndim != 2:
        return None
    return mine_vectors.astype(np.float64)


@test_case(name="q1: six sentences and their vectors", points=1)
def six_sentences_and_vectors(mine, mine_vectors):
    assert isinstance(mine, (list, tuple)) and all(isinstance(text, str) and text.strip() for text in mine), (
        f"mine should be a list of sentences (strings), not {mine!r}"
    )
    assert len(mine) == 6 and len(set(mine)) == 6, (
        f"mine holds {len(mine)} sentences ({len(set(mine))} different): write six, two about each of three topics"
    )
    vectors = _rows(mine_vectors)
    assert vectors is not None, (
        f"mine_vectors should be an array with a row per sentence (the packaged model's sentence vectors), "
        f"not {type(mine_vectors).__name__}"
    )
    assert vectors.shape[0] == 6, f"mine_vectors has {vectors.shape[0]} rows: encode the six sentences of mine"
    assert vectors.shape[1] > 6, (
        f"mine_vectors has {vectors.shape[1]} columns: that looks like a similarity matrix, not sentence vectors"
    )


@test_case(name="q1: each sentence's nearest other sentence", points=1)
def nearest_other_sentence(partners, mine_vectors):
    if hasattr(partners, "detach"):  # a tensor
        partners = partners.detach().cpu().numpy()
    found = np.asarray(partners) if isinstance(partners, (list, tuple, np.ndarray)) else None
    assert found is not None and found.shape == (6,) and np.issubdtype(found.dtype, np.integer), (
        f"partners should hold six whole numbers, the index of each sentence's nearest neighbour, not {partners!r}"
    )
    assert ((found >= 0) & (found < 6)).all(), f"partners = {found.tolist()}: indices run from 0 to 5"
    assert (found != np.arange(6)).all(), (
        f"partners = {found.tolist()}: a sentence is its own nearest neighbour (cosine 1); "
        "leave the diagonal out before taking the maximum"
    )
    vectors = _rows(mine_vectors)
    assert vectors is not None and vectors.shape[0] == 6, "mine_vectors is not six vectors yet (see the check above)"
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = unit @ unit.T - 2 * np.eye(6)
    reached = cosine[np.arange(6), found]
    assert np.all(reached >= cosine.max(1) - 1e-6), (
        f"partners = {found.tolist()}, but for sentence {int(np.argmax(cosine.max(1) - reached))} another sentence "
        "has a higher cosine with it in mine_vectors: take the largest cosine (argmax), not the smallest"
    )
