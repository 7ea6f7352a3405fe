"""Exercise 1's hidden checks, appended to companion/exercise_checks/02_tokenization/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): every word each vocabulary holds whole", points=1, hidden=True)
def hidden_every_whole_word(ours_whole, bert_whole, tokenizer):
    from companion import models

    candidates = ("harpooneer", "ishmael", "methodist", "newton")
    # a word is one piece exactly when the vocabulary holds it as a word-initial entry (greedy longest match)
    for name, value, vocabulary in (
        ("ours_whole", ours_whole, tokenizer.get_vocab()),
        ("bert_whole", bert_whole, models.load_tokenizer().get_vocab()),
    ):
        assert isinstance(value, (list, tuple, set)), f"{name} should be a list of words, not {value!r}"
        expected = sorted(word for word in candidates if word in vocabulary)
        assert sorted(set(value)) == expected, f"{name} = {sorted(set(value))}; the vocabulary holds {expected} whole"
