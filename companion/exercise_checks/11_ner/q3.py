"""Exercise 3's public checks (otter-grader): test recall on entities seen in training and on the others."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


def _recall(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


@test_case(name="q3: two recalls between 0 and 1", points=1)
def two_recalls(recall_seen, recall_new):
    for label, value in (("recall_seen", recall_seen), ("recall_new", recall_new)):
        assert _recall(value), f"{label} should be a number, not {value!r}"
        assert 0 <= value <= 1, (
            f"{label} = {value:,}: a recall lies between 0 and 1; divide the gold entities found by all the gold "
            "entities of the group"
        )


@test_case(name="q3: together they give back seqeval's recall", points=1)
def together_seqeval_recall(recall_seen, recall_new, seen_share, fine_tuned):
    assert _recall(recall_seen) and _recall(recall_new), "the recalls are not numbers yet (see the check above)"
    combined = seen_share * recall_seen + (1 - seen_share) * recall_new
    assert abs(combined - fine_tuned["recall"]) < 1e-9, (
        f"weighted by the groups' sizes (seen_share = {seen_share:.4f} of the gold test entities occur as an "
        f"entity in training), your recalls give {combined:.4f}, not seqeval's recall ({fine_tuned['recall']:.4f}). "
        "A gold entity counts as found only if a predicted entity has its span and its type; an entity is seen "
        "if its words, lower-cased and joined by spaces, are in train_names; recall_seen is the recall on those"
    )
