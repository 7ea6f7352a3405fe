"""Exercise 3's public checks (otter-grader): the held-out Wikipedia words that our tokenizer turns into [UNK]."""

from collections.abc import Collection

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


def _collection(unknown):
    assert isinstance(unknown, Collection) and not isinstance(unknown, str), (
        f"unknown should be a collection of words (a set, a list or a Counter), not {unknown!r}"
    )
    assert all(isinstance(word, str) for word in unknown), "unknown should hold words (strings)"


@test_case(name="q3: words, not [UNK] tokens", points=1)
def words_not_tokens(unknown):
    _collection(unknown)
    assert len(unknown) > 0, (
        "unknown is empty, but our tokenizer does produce [UNK] on Wikipedia (the comparison table's [UNK] "
        "rate): go through the words of wikipedia_texts, not of the novels"
    )
    assert "[UNK]" not in unknown, "unknown holds the token '[UNK]' itself: collect the words that become it"


@test_case(name="q3: each word becomes [UNK] whole", points=1)
def each_word_becomes_unk(unknown, tokenizer):
    _collection(unknown)
    assert len(unknown) > 0, "unknown is empty (see the check above)"
    for word in unknown:
        pieces = tokenizer.tokenize(word)
        assert pieces == ["[UNK]"], (
            f"tokenizer.tokenize({word!r}) gives {pieces}, not ['[UNK]']: take the words as the chapter's "
            "words_of(text) gives them (after the normalizer and the pre-tokenizer), and keep those whose "
            "pieces are ['[UNK]']"
        )
