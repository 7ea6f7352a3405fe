"""Exercise 2's hidden checks, appended to companion/exercise_checks/11_ner/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the strict F1 matches seqeval's", points=1, hidden=True)
def hidden_strict_matches_seqeval(strict, gold_test, predicted_test):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    expected = f1_score(gold_test, predicted_test, mode="strict", scheme=IOB2)
    assert abs(strict - expected) < 1e-9, (
        f"strict = {strict:.4f}; seqeval's F1 of the test predictions in strict mode (IOB2) is {expected:.4f}"
    )


@test_case(name="q2 (hidden): the count matches seqeval's entities", points=1, hidden=True)
def hidden_count_matches_seqeval(entity_starts_with_i, gold_test, predicted_test):
    from seqeval.metrics.sequence_labeling import get_entities

    # seqeval's default mode repairs an entity that starts with I-: count the entities whose first tag is I-
    for label, sequences in (("predicted_test", predicted_test), ("gold_test", gold_test)):
        expected = sum(tags[start].startswith("I-") for tags in sequences for _, start, _ in get_entities(tags))
        got = entity_starts_with_i(sequences)
        assert got == expected, (
            f"entity_starts_with_i({label}) = {got}; seqeval finds {expected:,} entities that start with an I- tag"
        )
