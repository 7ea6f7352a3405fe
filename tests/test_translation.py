"""Tests of companion.translation: labels that end in [SEP], a decoder config that can stop, generation that stops."""

from __future__ import annotations

import pytest
import torch
from transformers import BertConfig, BertModel

from companion import tokenization, translation

PAIRS = [{"en": "a dog runs.", "de": "Ein Hund rennt."}, {"en": "two men talk.", "de": "Zwei Männer reden."}]
GERMAN = [pair["de"] for pair in PAIRS] * 20
ENGLISH = [pair["en"] for pair in PAIRS] * 20


@pytest.fixture(scope="module")
def tokenizers():
    source = tokenization.train_wordpiece(ENGLISH, vocab_size=60, lowercase=True, min_frequency=1)
    target = tokenization.train_wordpiece(GERMAN, vocab_size=60, lowercase=False, min_frequency=1)
    return source, target


def tiny_encoder(vocab_size: int) -> BertModel:
    torch.manual_seed(0)
    return BertModel(
        BertConfig(
            vocab_size=vocab_size,
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
            max_position_embeddings=32,
        ),
        add_pooling_layer=False,
    )


def test_labels_drop_cls_and_end_in_sep(tokenizers):
    source, target = tokenizers
    encoded = translation.encode_pairs({"translation": PAIRS}, source, target)
    for labels in encoded["labels"]:
        assert labels[-1] == target.sep_token_id
        assert target.cls_token_id not in labels
    assert target.decode(encoded["labels"][1], skip_special_tokens=True) == "Zwei Männer reden."  # case kept
    assert encoded["input_ids"][0][0] == source.cls_token_id


def test_truncated_labels_still_end_in_sep(tokenizers):
    source, target = tokenizers
    encoded = translation.encode_pairs({"translation": PAIRS}, source, target, max_length=3)
    assert all(labels[-1] == target.sep_token_id and len(labels) == 3 for labels in encoded["labels"])


def test_missing_language_key_is_reported(tokenizers):
    source, target = tokenizers
    with pytest.raises(KeyError, match="'de'"):
        translation.encode_pairs({"translation": [{"en": "hi", "fr": "salut"}]}, source, target)


def test_target_tokenizer_without_special_tokens_is_rejected(tokenizers):
    source, target = tokenizers

    class NoSpecials:  # a tokenizer call that returns bare pieces, as with add_special_tokens=False
        cls_token_id, sep_token_id = target.cls_token_id, target.sep_token_id

        def __call__(self, texts, **kwargs):
            return target(texts, add_special_tokens=False, **kwargs)

    with pytest.raises(ValueError, match="end-of-sequence"):
        translation.encode_pairs({"translation": PAIRS}, source, NoSpecials())


def test_model_config_knows_start_pad_and_end(tokenizers):
    source, target = tokenizers
    model = translation.build_bert2bert(tiny_encoder(len(source)), target, decoder_layers=1)
    assert model.config.decoder_start_token_id == target.cls_token_id
    assert model.generation_config.eos_token_id == target.sep_token_id
    assert model.config.pad_token_id == target.pad_token_id
    assert model.decoder.config.is_decoder and model.decoder.config.add_cross_attention
    with pytest.raises(ValueError, match="decoder_layers"):
        translation.build_bert2bert(tiny_encoder(len(source)), target, decoder_layers=0)


def test_overfitted_model_translates_and_stops(tokenizers, tmp_path):
    source, target = tokenizers
    model = translation.build_bert2bert(tiny_encoder(len(source)), target, decoder_layers=1)
    encoded = translation.encode_pairs({"translation": PAIRS}, source, target)
    width = max(len(labels) for labels in encoded["labels"])
    labels = torch.tensor([labels + [-100] * (width - len(labels)) for labels in encoded["labels"]])
    inputs = source([pair["en"] for pair in PAIRS], padding=True, return_tensors="pt")
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(150):
        loss = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"], labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    assert loss.item() < 0.1
    outputs = translation.translate(model, [pair["en"] for pair in PAIRS], source, target, max_new_tokens=20)
    assert outputs == [pair["de"] for pair in PAIRS]
    generated = model.generate(**inputs, max_new_tokens=20)
    assert generated.shape[1] < 20  # it emitted [SEP] and stopped, not ran to the limit

    translation.save_decoder(model, target, tmp_path / "decoder")
    assert not any(key.startswith("encoder.") for key in translation.decoder_state(model))
    reloaded, reloaded_target = translation.load_decoder(model.encoder, tmp_path / "decoder")
    assert reloaded_target.get_vocab() == target.get_vocab()
    again = translation.translate(reloaded, [pair["en"] for pair in PAIRS], source, reloaded_target, max_new_tokens=20)
    assert again == outputs  # fp16 weights, same translations
    with pytest.raises(FileNotFoundError, match="train_translation"):
        translation.load_decoder(model.encoder, tmp_path / "nowhere")


def test_translate_wants_a_list(tokenizers):
    source, target = tokenizers
    model = translation.build_bert2bert(tiny_encoder(len(source)), target, decoder_layers=1)
    with pytest.raises(TypeError, match="list"):
        translation.translate(model, "a dog", source, target)


def test_fingerprint_tells_encoders_apart(tokenizers):
    source, _ = tokenizers
    first, again = tiny_encoder(len(source)), tiny_encoder(len(source))  # same seed, same weights
    assert translation.fingerprint(first) == translation.fingerprint(again)
    with torch.no_grad():
        again.embeddings.word_embeddings.weight[0, 0] += 1.0
    assert translation.fingerprint(first) != translation.fingerprint(again)


@pytest.mark.parametrize("bits, bound", [(8, 1 / 254), (4, 1 / 14)])
def test_packed_weights_round_trip_within_half_a_step(bits, bound):
    generator = torch.Generator().manual_seed(0)
    state = {
        "dense.weight": torch.randn(16, 128, generator=generator),
        "dense.bias": torch.randn(16, generator=generator),
    }
    stored = translation.pack_state(state, bits=bits)
    assert stored[f"dense.weight.q{bits}"].dtype == (torch.int8 if bits == 8 else torch.uint8)
    assert stored["dense.bias"].dtype == torch.float16  # vectors stay fp16
    restored = translation.unpack_state(stored)
    error = (restored["dense.weight"] - state["dense.weight"]).abs()
    # at most half a quantization step: bound x the largest |weight| of the row (8 bits) or of its group of 64
    rows = state["dense.weight"].abs().reshape(16, -1, 64 if bits == 4 else 128).amax(-1, keepdim=True)
    assert (error.reshape(16, -1, 64 if bits == 4 else 128) <= rows * bound * 1.01 + 1e-3).all()
    assert error.max() > 0  # it did round
    size = sum(tensor.numel() * tensor.element_size() for tensor in stored.values())
    assert size < (0.55 if bits == 8 else 0.3) * sum(t.numel() * 2 for t in state.values())  # vs fp16


def test_pack_state_refuses_what_it_cannot_store():
    with pytest.raises(ValueError, match="bits must be one of"):
        translation.pack_state({"w": torch.zeros(2, 64)}, bits=3)
    with pytest.raises(ValueError, match="divisible by 64"):
        translation.pack_state({"w": torch.zeros(2, 48)}, bits=4)


@pytest.mark.parametrize("bits", [8, 4])
def test_a_decoder_saved_in_fewer_bits_loads_with_close_weights(tokenizers, tmp_path, bits):
    source, target = tokenizers
    torch.manual_seed(0)
    encoder = BertModel(
        BertConfig(
            vocab_size=len(source),
            hidden_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
            max_position_embeddings=32,
        ),
        add_pooling_layer=False,
    )
    model = translation.build_bert2bert(encoder, target, decoder_layers=1, decoder_hidden_size=64, decoder_heads=2)
    translation.save_decoder(model, target, tmp_path, bits=bits)
    reloaded, _ = translation.load_decoder(model.encoder, tmp_path)
    before, after = translation.decoder_state(model), translation.decoder_state(reloaded)
    assert before.keys() == after.keys()
    worst = max((before[key] - after[key]).abs().max().item() for key in before)
    assert 0 < worst < (0.01 if bits == 8 else 0.1)
    assert (
        reloaded.decoder.get_output_embeddings().weight.data_ptr()
        == reloaded.decoder.get_input_embeddings().weight.data_ptr()
    )  # still tied


def test_join_hyphens_undoes_wordpiece_spacing_between_word_characters():
    target = tokenization.train_wordpiece(
        ["Ein T-Shirt.", "Eine U-Bahn."] * 20, vocab_size=60, lowercase=False, min_frequency=1
    )
    spaced = target.decode(target("Ein T-Shirt.")["input_ids"], skip_special_tokens=True)
    assert " - " in spaced  # WordPiece splits at the hyphen and decodes the pieces with spaces
    assert translation.join_hyphens(spaced) == "Ein T-Shirt."
    assert translation.join_hyphens("Rot - Weiß - Blau und U - Bahn") == "Rot-Weiß-Blau und U-Bahn"
    assert translation.join_hyphens("ein Hund - , rennt -") == "ein Hund - , rennt -"  # not between words
    assert translation.join_hyphens("T-Shirt") == "T-Shirt"


def test_joined_hyphens_score_as_the_references_write_them():
    import sacrebleu

    reference = ["Ein Mann in einem T-Shirt steht vor einer U-Bahn."]
    spaced = ["Ein Mann in einem T - Shirt steht vor einer U - Bahn."]
    joined = [translation.join_hyphens(text) for text in spaced]
    assert sacrebleu.corpus_bleu(joined, [reference]).score == pytest.approx(100)
    assert sacrebleu.corpus_bleu(spaced, [reference]).score < 60


def test_paired_bleu_tells_a_better_system_from_a_copy():
    references = [f"Ein Mann {i} steht auf der Straße." for i in range(60)]
    good = list(references)
    bad = [f"Eine Frau {i} sitzt im Haus." for i in range(60)]
    better = translation.paired_bleu(references, good, bad, resamples=200)
    assert better.first == pytest.approx(100) and better.first_is_better() and better.pvalue < 0.05
    assert not translation.paired_bleu(references, bad, good, resamples=200).first_is_better()
    same = translation.paired_bleu(references, bad, bad, resamples=200)
    assert same.first == same.second and not same.first_is_better() and "p = " in str(same)
    with pytest.raises(ValueError, match="one length"):
        translation.paired_bleu(references, good[:3], bad)
