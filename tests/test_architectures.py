"""Tests of companion.architectures: counts from configs match the counts of real, allocated models."""

from __future__ import annotations

import pytest
from transformers import AlbertConfig, AlbertModel, BertConfig, BertModel

from companion import architectures


@pytest.mark.parametrize(
    "config, model_class",
    [
        (
            BertConfig(
                vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
            ),
            BertModel,
        ),
        (
            AlbertConfig(
                vocab_size=100,
                embedding_size=8,
                hidden_size=32,
                num_hidden_layers=4,
                num_attention_heads=2,
                intermediate_size=64,
            ),
            AlbertModel,
        ),
    ],
)
def test_count_matches_an_allocated_model(config, model_class):
    counted = architectures.count_parameters(config)
    model = model_class(config)
    assert counted["total"] == sum(p.numel() for p in model.parameters())
    assert counted["embeddings"] == model.get_input_embeddings().weight.numel()


def test_albert_shares_its_layers():
    base = dict(vocab_size=100, embedding_size=8, hidden_size=32, num_attention_heads=2, intermediate_size=64)
    two = architectures.count_parameters(AlbertConfig(num_hidden_layers=2, **base))["total"]
    twelve = architectures.count_parameters(AlbertConfig(num_hidden_layers=12, **base))["total"]
    assert two == twelve  # one set of layer weights, applied again and again


def test_count_rejects_non_configs():
    with pytest.raises(TypeError, match="transformers config"):
        architectures.count_parameters({"hidden_size": 768})
