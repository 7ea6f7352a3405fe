import pytest

from companion import data
from companion.tokenization import SPECIAL_TOKENS, train_wordpiece


@pytest.fixture(scope="module")
def prose_tokenizer():
    try:
        data.mirror_dir()
    except Exception as error:  # unit tests stay offline: without the mirror there is no gutenberg_prose
        pytest.skip(f"needs the dataset mirror: {error}")
    texts = list(data.load_split("gutenberg_prose", "train", fast_rows=2000)["text"])
    return train_wordpiece(texts, vocab_size=2000)


def test_vocabulary_has_the_requested_size_and_special_tokens_first(prose_tokenizer):
    assert len(prose_tokenizer) == 2000
    assert [prose_tokenizer.convert_ids_to_tokens(i) for i in range(5)] == SPECIAL_TOKENS


def test_bert_template_segments_and_round_trip(prose_tokenizer):
    encoded = prose_tokenizer("Emma was handsome.", "She was clever.")
    tokens = prose_tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    assert tokens[0] == "[CLS]" and tokens.count("[SEP]") == 2
    first_sep = tokens.index("[SEP]")
    assert set(encoded["token_type_ids"][: first_sep + 1]) == {0}
    assert set(encoded["token_type_ids"][first_sep + 1 :]) == {1}
    assert (
        prose_tokenizer.decode(encoded["input_ids"], skip_special_tokens=True) == "emma was handsome. she was clever."
    )


def test_rare_words_split_into_continuation_pieces(prose_tokenizer):
    pieces = prose_tokenizer.tokenize("unhandsomeness")
    assert len(pieces) > 1
    assert all(piece.startswith("##") for piece in pieces[1:])


def test_cased_option_keeps_case():
    tokenizer = train_wordpiece(["Berlin Berlin Berlin is big", "Berlin is old"] * 20, vocab_size=60, lowercase=False)
    assert "Berlin" in tokenizer.get_vocab()


def test_bad_inputs_say_what_is_wrong():
    with pytest.raises(ValueError, match="special tokens"):
        train_wordpiece(["text"], vocab_size=5)
    with pytest.raises(ValueError, match="non-empty"):
        train_wordpiece([], vocab_size=100)
