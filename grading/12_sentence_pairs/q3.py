"""Exercise 3's hidden checks, appended to companion/exercise_checks/12_sentence_pairs/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the averaged classifier's scores match a reference", points=1, hidden=True)
def hidden_matches_a_reference(averaged_logits, disagree, symmetric, variant_logits, gold):
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score

    forward = variant_logits["as trained: A, B with segment ids"]
    backward = variant_logits["swapped order: B, A"]
    average = (forward + backward) / 2
    assert np.allclose(averaged_logits, average, atol=1e-6), "averaged_logits is not (forward + backward) / 2"
    assert np.array_equal(disagree, forward.argmax(-1) != backward.argmax(-1)), "disagree marks other pairs"
    for column, score in (("accuracy", accuracy_score), ("F1", f1_score)):
        expected = score(gold, average.argmax(-1))
        assert abs(symmetric.loc["average of both orders", column] - expected) < 1e-9, (
            f"the averaged classifier's {column} is {symmetric.loc['average of both orders', column]:.4f}; "
            f"the argmax of the averaged logits scores {expected:.4f} (score the averaged logits' decisions, "
            "not the average of the two orders' scores)"
        )
