"""Exercise 3's hidden checks, appended to companion/exercise_checks/11_ner/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the recalls match a reference", points=1, hidden=True)
def hidden_recalls_match_a_reference(recall_seen, recall_new, test, gold_test, predicted_test, train_names):
    from seqeval.metrics.sequence_labeling import get_entities

    found = {True: [], False: []}
    for words, gold, predicted in zip(test["tokens"], gold_test, predicted_test):
        predicted_entities = set(get_entities(predicted))
        for entity in get_entities(gold):
            _, start, end = entity
            seen = " ".join(words[start : end + 1]).lower() in train_names
            found[seen].append(entity in predicted_entities)
    for label, value, seen in (("recall_seen", recall_seen, True), ("recall_new", recall_new, False)):
        expected = sum(found[seen]) / len(found[seen])
        assert abs(value - expected) < 1e-9, (
            f"{label} = {value:.4f}; on the {len(found[seen]):,} gold test entities "
            f"{'seen' if seen else 'not seen'} in training (an exact match of span and type) a reference gives "
            f"{expected:.4f}"
        )
