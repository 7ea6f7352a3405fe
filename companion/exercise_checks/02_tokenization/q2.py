"""Exercise 2's public checks (otter-grader): a cased 8,000-entry vocabulary and its pieces per word on the novel."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


@test_case(name="q2: a cased tokenizer of 8,000 entries", points=1)
def a_cased_tokenizer(cased):
    assert hasattr(cased, "backend_tokenizer") and hasattr(cased, "get_vocab"), (
        f"cased should be the tokenizer that train_wordpiece returns, not {cased!r}"
    )
    assert cased.backend_tokenizer.normalizer.normalize_str("The Émile") == "The Émile", (
        "cased lower-cases its input (or strips accents): pass lowercase=False to train_wordpiece"
    )
    assert len(cased.get_vocab()) == 8000, (
        f"cased has {len(cased.get_vocab()):,} entries; train 8,000, as many as the uncased vocabulary, "
        "so that the comparison changes the case alone"
    )


@test_case(name="q2: pieces per word on the unseen novel", points=1)
def pieces_per_word(cased_pieces, novel):
    assert isinstance(cased_pieces, Real), (
        f"cased_pieces should be a number, the cased vocabulary's pieces per word on the unseen novel, "
        f"not {cased_pieces!r}"
    )
    uncased = novel.loc["ours, 8k", "pieces per word"]
    assert cased_pieces >= 1, (
        f"cased_pieces = {cased_pieces:.3f} is below 1, but every word needs at least one piece: "
        "divide the number of pieces by the number of words"
    )
    assert cased_pieces < 2, (
        f"cased_pieces = {cased_pieces:.3f}: did the tokenizer add [CLS] and [SEP] to every word? "
        "pass add_special_tokens=False"
    )
    assert abs(cased_pieces - uncased) > 1e-3, (
        f"cased_pieces = {cased_pieces:.3f} is the uncased vocabulary's pieces per word on the novel: "
        "count the novel's words with the cased tokenizer"
    )
    assert cased_pieces < uncased + 0.2, (
        f"cased_pieces = {cased_pieces:.3f}, far above the uncased vocabulary's {uncased:.3f} on the same novel: "
        "measure on the unseen novel (held_out), with the words that the cased tokenizer's normalizer and "
        "pre-tokenizer make (punctuation apart), as the chapter's words_of does for the uncased one"
    )
