"""Exercise 5's hidden checks, appended to companion/exercise_checks/13_sentence_embeddings/q5.py for grading."""

from otter.test_files import test_case


def _recall_at_1(score_matrix, chosen, relevant):
    import numpy as np

    return float(np.mean(np.asarray(score_matrix)[chosen].argmax(1) == relevant[chosen]))


@test_case(name="q5 (hidden): the weight chosen where half is True", points=1, hidden=True)
def hidden_the_weight_chosen_on_half(half, best, tfidf_scores, scores, relevant):
    import numpy as np

    dense = np.asarray(scores)
    on_half = {w: _recall_at_1(w * tfidf_scores + (1 - w) * dense, half, relevant) for w in (0.25, 0.5, 0.75)}
    top = max(on_half.values())
    assert on_half.get(best, -1) == top, (
        f"best = {best!r}; where half is True, recall@1 by weight on TF-IDF is "
        f"{ {w: round(r, 4) for w, r in on_half.items()} }: the highest is at {max(on_half, key=on_half.get)}"
    )


@test_case(name="q5 (hidden): the hybrid's recall@1 on the held-out half", points=1, hidden=True)
def hidden_the_hybrids_recall(held_out, half, best, tfidf_scores, scores, relevant):
    import numpy as np

    [hybrid] = [label for label in held_out.index if label not in ("TF-IDF", "all-MiniLM-L6-v2")]
    expected = _recall_at_1(best * tfidf_scores + (1 - best) * np.asarray(scores), ~half, relevant)
    assert abs(held_out[hybrid] - expected) < 1e-9, (
        f"held_out[{hybrid!r}] = {held_out[hybrid]:.4f}; {best} · TF-IDF + {1 - best} · dense scores "
        f"{expected:.4f} at rank 1 where half is False"
    )
