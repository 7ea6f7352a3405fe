"""Exercise 4's public checks (otter-grader): the vocabulary train_wordpiece makes when asked for 50,000 entries."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q4"


def _tokenizer(capped):
    assert hasattr(capped, "get_vocab") and hasattr(capped, "backend_tokenizer"), (
        f"capped should be the tokenizer that train_wordpiece returns, not {capped!r}"
    )


@test_case(name="q4: a trained tokenizer", points=1)
def a_trained_tokenizer(capped):
    _tokenizer(capped)
    assert len(capped.get_vocab()) != 8000, "capped has 8,000 entries, the default: pass vocab_size=50_000"
    assert capped.backend_tokenizer.normalizer.normalize_str("The") == "the", (
        "capped keeps case: train it as the chapter's tokenizer (lowercase=True, the default), so that only "
        "the size asked for changes"
    )


@test_case(name="q4: fewer entries than asked for", points=1)
def fewer_than_asked(capped):
    _tokenizer(capped)
    size = len(capped.get_vocab())
    assert size < 50_000, (
        f"capped has {size:,} entries, all 50,000 asked for: train it on the chapter's training novels (texts), "
        "with the default min_frequency"
    )
    assert size > 16_000, (
        f"capped has {size:,} entries, fewer than the 16,000 that the chapter's sweep reached on the same "
        "novels: train it on all of texts"
    )
