"""Tests of companion.figures: each figure draws from real objects and shows their real sizes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.figure import Figure
from transformers import (
    AutoConfig,
    AutoModel,
    AutoModelForQuestionAnswering,
    AutoModelForSequenceClassification,
    AutoModelForTokenClassification,
)

from companion import figures, models, pretraining, qa, translation


@pytest.fixture(scope="module")
def tokenizer():
    return models.load_tokenizer()


@pytest.fixture(scope="module")
def config():
    return AutoConfig.from_pretrained(models.model_name(), local_files_only=True)


def text_of(figure: Figure) -> str:
    """Every string drawn in the figure, joined."""
    return "\n".join(text.get_text() for text in figure.findobj(lambda artist: hasattr(artist, "get_text")))


@pytest.fixture()
def drawn():
    made = []
    yield made.append
    for figure in made:
        plt.close(figure)


def test_input_embeddings_shows_tokens_and_config_sizes(config, tokenizer, drawn):
    encoded = tokenizer("The cat sat.", "It was warm.")
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    figure = figures.input_embeddings(config, tokens, encoded["token_type_ids"])
    drawn(figure)
    text = text_of(figure)
    assert isinstance(figure, Figure)
    assert f"{config.vocab_size:,} × {config.hidden_size}" in text
    assert f"({len(tokens)}, {config.hidden_size})" in text
    assert "[SEP]" in text and "cat" in text and "B" in text.split("\n")


def test_input_embeddings_follows_a_changed_config(config, drawn):
    wider = AutoConfig.for_model("bert", hidden_size=96, num_attention_heads=3, vocab_size=1000)
    figure = figures.input_embeddings(wider, ["[CLS]", "hi", "[SEP]"], [0, 0, 0])
    drawn(figure)
    assert "1,000 × 96" in text_of(figure) and str(config.hidden_size) not in text_of(figure)


def test_input_embeddings_rejects_mismatched_lengths(config):
    with pytest.raises(ValueError, match="one per token"):
        figures.input_embeddings(config, ["[CLS]", "hi"], [0])


def test_encoder_block_and_multi_head_shapes_show_the_config(config, drawn):
    block = figures.encoder_block(config)
    shapes = figures.multi_head_shapes(config, sequence_length=7, batch_size=2)
    drawn(block), drawn(shapes)
    head_dim = config.hidden_size // config.num_attention_heads
    assert f"{config.hidden_size} → {config.intermediate_size}" in text_of(block)
    assert f"{config.num_attention_heads} heads × {head_dim}" in text_of(block)
    assert f"(2, {config.num_attention_heads}, 7, {head_dim})" in text_of(shapes)
    assert f"(2, {config.num_attention_heads}, 7, 7)" in text_of(shapes)


def test_mlm_corruption_counts_each_kind(tokenizer, drawn):
    encoded = tokenizer("the quick brown fox jumps over the lazy dog again and again", return_tensors="pt")
    corrupted, labels = pretraining.mask_tokens(
        encoded["input_ids"], tokenizer, mlm_probability=0.5, generator=torch.Generator().manual_seed(0)
    )
    masked = int((corrupted == tokenizer.mask_token_id).sum())
    figure = figures.mlm_corruption(
        tokenizer.convert_ids_to_tokens(encoded["input_ids"][0]),
        tokenizer.convert_ids_to_tokens(corrupted[0]),
        [tokenizer.convert_ids_to_tokens(int(i)) if i != -100 else None for i in labels[0]],
    )
    drawn(figure)
    assert f"{int((labels != -100).sum())} of {encoded['input_ids'].shape[1]} positions chosen" in text_of(figure)
    assert f"[MASK] (80 % of chosen): {masked}" in text_of(figure)


def test_nsp_pairs_labels(drawn):
    pairs = [
        pretraining.SentencePair("It rained. ", "We stayed in.", pretraining.IS_NEXT),
        pretraining.SentencePair("The sea was calm.", "Prices rose.", pretraining.NOT_NEXT),
    ]
    figure = figures.nsp_pairs(pairs)
    drawn(figure)
    assert "IsNext (0)" in text_of(figure) and "NotNext (1)" in text_of(figure) and "Prices rose." in text_of(figure)


def test_pretrain_then_finetune_reads_heads_from_models(config, tokenizer, drawn):
    tagging = AutoConfig.from_pretrained(models.model_name(), local_files_only=True, num_labels=5)
    with torch.device("meta"):
        heads = {
            "sentiment": AutoModelForSequenceClassification.from_config(config),
            "tags": AutoModelForTokenClassification.from_config(tagging),
            "spans": AutoModelForQuestionAnswering.from_config(config),
        }
    heads["translation"] = translation.build_bert2bert(
        AutoModel.from_config(config, add_pooling_layer=False),
        tokenizer,
        decoder_layers=1,
        decoder_hidden_size=64,
        decoder_heads=2,
    )
    figure = figures.pretrain_then_finetune(heads)
    drawn(figure)
    text = text_of(figure)
    assert f"Linear {config.hidden_size} → 5 on every token" in text
    assert f"Linear {config.hidden_size} → 2 on pooled [CLS]" in text
    assert "decoder: 1 layers, hidden 64" in text and f"{config.hidden_size} → {config.vocab_size:,}" in text
    with pytest.raises(TypeError, match="cannot draw"):
        figures.pretrain_then_finetune({"bare encoder": heads["translation"].encoder})


def test_qa_windows_from_a_real_overflowing_call(tokenizer, drawn):
    context = " ".join(f"Sentence {i} says that the river is long." for i in range(40)) + " The answer is Paris."
    examples = {
        "question": ["What is the answer?"],
        "context": [context],
        "answers": [{"text": ["Paris"], "answer_start": [context.index("Paris")]}],
    }
    windows = qa.prepare_train_features(examples, tokenizer, max_length=96, stride=24)
    tokens = [tokenizer.convert_ids_to_tokens(ids) for ids in windows["input_ids"]]
    spans = list(zip(windows["start_positions"], windows["end_positions"]))
    assert len(tokens) >= 3
    figure = figures.qa_windows(tokens, 24, spans)
    drawn(figure)
    text = text_of(figure)
    assert f"{len(tokens)} windows of at most 96 tokens" in text and "stride 24" in text
    assert "“paris”" in text
    with pytest.raises(ValueError, match="stride"):
        figures.qa_windows(tokens, 23, spans)


def test_cross_attention_shapes(config, tokenizer, drawn):
    model = translation.build_bert2bert(
        AutoModel.from_config(config, add_pooling_layer=False),
        tokenizer,
        decoder_layers=2,
        decoder_hidden_size=64,
        decoder_heads=2,
    )
    source = tokenizer.convert_ids_to_tokens(tokenizer("a dog runs")["input_ids"])
    target = ["[CLS]", "ein", "hund", "läuft"]
    figure = figures.cross_attention(source, target, model.config)
    drawn(figure)
    text = text_of(figure)
    assert f"({len(target)}, {len(source)})" in text and f"Linear {config.hidden_size} → 64" in text
    with pytest.raises(TypeError, match="EncoderDecoderConfig"):
        figures.cross_attention(source, target, config)


def test_wordpiece_label_alignment_uses_first_pieces(tokenizer, drawn):
    words, tags = ["Empire", "State", "Buildingification", "glows"], ["B-loc", "I-loc", "I-loc", "O"]
    pieces = tokenizer(words, is_split_into_words=True).tokens()
    figure = figures.wordpiece_label_alignment(words, tags, tokenizer)
    drawn(figure)
    text = text_of(figure)
    assert f"{len(words)} words → {len(pieces)} pieces: {len(words)} labels" in text
    assert text.split("\n").count("-100") >= len(pieces) - len(words)  # continuation pieces and specials
