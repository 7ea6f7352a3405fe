"""Exercise 2's public checks (otter-grader): strict-mode F1, and counting entities that start with an I- tag."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"

# hand-made tag sequences and how many entities in each start with an I- tag
CASES = [
    (["B-person", "I-person", "O"], 0, "an I- tag after a B- tag of the same type continues that entity"),
    (["B-person", "I-person", "I-person"], 0, "an I- tag after an I- tag of the same type continues that entity"),
    (["O", "I-person", "O"], 1, "an I- tag after O starts an entity"),
    (["I-location", "O"], 1, "an I- tag at the start of a sentence starts an entity"),
    (["B-person", "I-location"], 1, "an I- tag after a tag of another type starts an entity of its own type"),
    (["O", "I-person", "I-person"], 1, "an entity of two I- tags after O is one entity that starts with I-"),
]


@test_case(name="q2: entity_starts_with_i counts entity starts", points=1)
def counts_entity_starts(entity_starts_with_i):
    assert callable(entity_starts_with_i), (
        f"entity_starts_with_i should be a function of a list of tag sequences, not {entity_starts_with_i!r}"
    )
    for tags, expected, rule in CASES:
        got = entity_starts_with_i([tags])
        assert isinstance(got, Real) and not isinstance(got, bool), (
            f"entity_starts_with_i([{tags}]) should return a count (an int), not {got!r}"
        )
        assert got == expected, f"entity_starts_with_i([{tags}]) = {got}, expected {expected}: {rule}"
    together = [tags for tags, _, _ in CASES]
    total = sum(expected for _, expected, _ in CASES)
    assert entity_starts_with_i(together) == total, (
        f"entity_starts_with_i of the {len(together)} sequences above together gives "
        f"{entity_starts_with_i(together)}, not the sum of their counts: count over every sequence, and let no tag "
        "of one sequence count as the previous tag of the next"
    )


@test_case(name="q2: a strict-mode F1", points=1)
def a_strict_f1(strict, fine_tuned, predicted_test):
    assert isinstance(strict, Real) and not isinstance(strict, bool), (
        f"strict should be a number, seqeval's F1 in strict mode, not {strict!r}"
    )
    assert 0 <= strict <= 1, f"strict = {strict:,}: an F1 score lies between 0 and 1"
    starts = sum(
        tag.startswith("I-") and previous[2:] != tag[2:]
        for tags in predicted_test
        for previous, tag in zip(["O"] + list(tags[:-1]), tags)
    )
    if starts:
        assert abs(strict - fine_tuned["f1"]) > 1e-12, (
            f"strict is exactly the default F1, though the predictions hold {starts:,} entities that start with an "
            'I- tag: seqeval ignores mode="strict" without a scheme; pass scheme=IOB2 (from seqeval.scheme)'
        )
