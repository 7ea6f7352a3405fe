"""Exercise 1's hidden checks, appended to companion/exercise_checks/12_sentence_pairs/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): both encodings match a reference on the longest training pair", points=1, hidden=True)
def hidden_matches_a_reference(only_second, cut_longest, train, tokenizer):
    lengths = [len(a) + len(b) for a, b in zip(train["sentence1"], train["sentence2"])]
    longest = train[max(range(len(lengths)), key=lengths.__getitem__)]
    room = len(tokenizer(longest["sentence1"])["input_ids"]) + 9
    for label, theirs, strategy in (
        ("only_second", only_second, "only_second"),
        ("cut_longest", cut_longest, "longest_first"),
    ):
        expected = tokenizer(longest["sentence1"], longest["sentence2"], truncation=strategy, max_length=room)
        assert list(theirs["input_ids"]) == expected["input_ids"], (
            f"{label} is not the longest training pair (by characters, as `lengths` measures it: "
            f"{longest['sentence1'][:40]!r}...) encoded with truncation={strategy!r} and max_length={room}"
        )
        assert list(theirs["token_type_ids"]) == expected["token_type_ids"], f"{label}'s token_type_ids differ"
