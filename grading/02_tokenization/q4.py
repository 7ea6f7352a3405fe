"""Exercise 4's hidden checks, appended to companion/exercise_checks/02_tokenization/q4.py for grading."""

from otter.test_files import test_case


@test_case(name="q4 (hidden): the size a fresh training reaches", points=1, hidden=True)
def hidden_the_size_of_a_fresh_training(capped):
    from companion import data
    from companion.tokenization import train_wordpiece

    assert hasattr(capped, "get_vocab"), f"capped should be a tokenizer, not {capped!r}"
    expected = len(train_wordpiece(data.load_split("gutenberg_prose", "train")["text"], vocab_size=50_000))
    # tied pairs are merged in no fixed order: measured over 7 trainings, 22,205 or 22,206 entries
    assert abs(len(capped.get_vocab()) - expected) <= 50, (
        f"capped has {len(capped.get_vocab()):,} entries; train_wordpiece on the five training novels with "
        f"vocab_size=50_000 (and its defaults) makes {expected:,}"
    )
