"""Exercise 2's hidden checks, appended to companion/exercise_checks/10_translation/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the German tokenizer's ids without special tokens", points=1, hidden=True)
def hidden_the_german_ids(NoSpecialTokens, tokenizer_de, train):
    texts = [pair["de"] for pair in train[:20]["translation"]]
    for kwargs in ({}, {"truncation": True, "max_length": 6}):  # encode_pairs truncates: the arguments must pass on
        theirs = NoSpecialTokens()(texts, **kwargs)["input_ids"]
        expected = tokenizer_de(texts, add_special_tokens=False, **kwargs)["input_ids"]
        for text, mine, reference in zip(texts, theirs, expected):
            assert list(mine) == list(reference), (
                f"called with {kwargs or 'no arguments'}, NoSpecialTokens gives {list(mine)} for {text!r}; "
                f"tokenizer_de with add_special_tokens=False gives {list(reference)}"
            )
