"""Exercise 2's hidden checks, appended to companion/exercise_checks/02_tokenization/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): a fresh cased vocabulary's pieces per word", points=1, hidden=True)
def hidden_a_fresh_cased_vocabulary(cased_pieces):
    from numbers import Real

    from companion import data
    from companion.tokenization import train_wordpiece

    assert isinstance(cased_pieces, Real), f"cased_pieces should be a number, not {cased_pieces!r}"
    fresh = train_wordpiece(data.load_split("gutenberg_prose", "train")["text"], vocab_size=8000, lowercase=False)
    backend = fresh.backend_tokenizer
    words = [
        word
        for text in data.load_split("gutenberg_prose", "validation")["text"]
        for word, _ in backend.pre_tokenizer.pre_tokenize_str(backend.normalizer.normalize_str(text))
    ]
    expected = sum(len(backend.model.tokenize(word)) for word in words) / len(words)
    # two trainings differ in a few tied last entries: measured, the value moves by about 1e-5
    assert abs(cased_pieces - expected) < 0.002, (
        f"cased_pieces = {cased_pieces:.4f}; a freshly trained cased vocabulary needs {expected:.4f} pieces per "
        "word on the unseen novel, its words kept in their case"
    )
