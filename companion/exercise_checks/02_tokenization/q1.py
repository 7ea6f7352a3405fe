"""Exercise 1's public checks (otter-grader): which of four words each vocabulary keeps whole (as one piece)."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"

WORDS = ("harpooneer", "ishmael", "methodist", "newton")


def _words(name, value):
    assert isinstance(value, (list, tuple, set)) and all(isinstance(word, str) for word in value), (
        f"{name} should be a list of words (strings) taken from {', '.join(WORDS)}, not {value!r}"
    )
    others = [word for word in value if word not in WORDS]
    assert not others, f"{name} holds {others}: list only words among {', '.join(WORDS)}, written as they are there"


@test_case(name="q1: two lists of the four words", points=1)
def two_lists(ours_whole, bert_whole):
    _words("ours_whole", ours_whole)
    _words("bert_whole", bert_whole)
    assert ours_whole or bert_whole, (
        "ours_whole and bert_whole are both empty, yet each vocabulary keeps some of the four words whole: "
        "tokenizer(word) adds [CLS] and [SEP], so count the pieces of tokenizer.tokenize(word) instead"
    )


@test_case(name="q1: each word listed is one piece", points=1)
def each_listed_word_is_one_piece(ours_whole, bert_whole, tokenizer, bert_tokenizer):
    for name, value, label, tok in (
        ("ours_whole", ours_whole, "tokenizer", tokenizer),
        ("bert_whole", bert_whole, "bert_tokenizer", bert_tokenizer),
    ):
        assert isinstance(value, (list, tuple, set)), f"{name} is not a list yet (see the check above)"
        for word in value:
            assert tok.tokenize(word) == [word], (
                f"{name} lists {word!r}, but {label}.tokenize({word!r}) splits it into several pieces: "
                "a word kept whole comes out as one piece, itself"
            )
