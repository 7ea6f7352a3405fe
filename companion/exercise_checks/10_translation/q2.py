"""Exercise 2's public checks (otter-grader): a tokenizer adding no special tokens, refused by encode_pairs."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


def _instance(NoSpecialTokens):
    assert isinstance(NoSpecialTokens, type), f"NoSpecialTokens should be a class, not {NoSpecialTokens!r}"
    tokenizer = NoSpecialTokens()
    assert callable(tokenizer), (
        "NoSpecialTokens() cannot be called: encode_pairs calls the tokenizer on a list of texts; give it a __call__"
    )
    return tokenizer


@test_case(name="q2: the German tokenizer's [CLS] and [SEP] ids", points=1)
def the_special_ids(NoSpecialTokens, tokenizer_de):
    tokenizer = _instance(NoSpecialTokens)
    for token in ("cls_token_id", "sep_token_id"):
        assert getattr(tokenizer, token, None) == getattr(tokenizer_de, token), (
            f"NoSpecialTokens().{token} should be the German tokenizer's: encode_pairs reads it to check the labels"
        )


@test_case(name="q2: no [CLS] and no [SEP] in its ids", points=1)
def no_special_tokens(NoSpecialTokens, tokenizer_de, train):
    tokenizer = _instance(NoSpecialTokens)
    texts = [pair["de"] for pair in train[:3]["translation"]]
    encoded = tokenizer(texts)
    ids = encoded["input_ids"] if hasattr(encoded, "keys") else None
    assert ids is not None and len(ids) == len(texts), (
        "NoSpecialTokens()(texts) should return what tokenizer_de returns: a mapping whose 'input_ids' hold "
        "one list of ids per text"
    )
    special = {tokenizer_de.cls_token_id, tokenizer_de.sep_token_id}
    assert all(len(row) > 0 for row in ids), "some text got no ids at all: the words should still be tokenized"
    assert not any(set(row) & special for row in ids), (
        "the ids still hold [CLS] or [SEP]: the tokenizer should add no special tokens (tokenizer_de takes "
        "add_special_tokens=...)"
    )


@test_case(name="q2: encode_pairs refuses labels without [SEP]", points=1)
def encode_pairs_refuses(NoSpecialTokens, tokenizer_en, train):
    from companion import translation

    tokenizer = _instance(NoSpecialTokens)
    try:
        translation.encode_pairs(train[:20], tokenizer_en, tokenizer)
    except ValueError:
        return
    raise AssertionError(
        "encode_pairs accepted the labels your tokenizer makes: it refuses labels that do not end with [SEP], "
        "so your tokenizer still adds it"
    )
