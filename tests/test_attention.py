"""Tests of companion.attention on a tiny random BERT and on hand-made attention maps."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import BertConfig, BertModel

from companion import attention
from companion.numerics import assert_same_up_to_rounding
from companion.tokenization import train_wordpiece

TEXTS = ["the cat sat on the mat", "a dog ran in the park", "the sea was grey and cold"] * 4


@pytest.fixture(scope="module")
def tokenizer():
    return train_wordpiece(TEXTS, vocab_size=80, min_frequency=1)


def tiny_model(tokenizer, implementation: str) -> BertModel:
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
    )
    config._attn_implementation = implementation
    return BertModel(config)


def test_attention_maps_shapes_and_rows(tokenizer):
    maps = attention.attention_maps(tiny_model(tokenizer, "eager"), tokenizer, TEXTS[:3])
    tokens, weights = maps[0]
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    assert weights.shape == (2, 2, len(tokens), len(tokens))
    assert_same_up_to_rounding(weights.sum(-1), torch.ones(2, 2, len(tokens)), what="row sums")


def test_attention_maps_rejects_sdpa_and_bad_input(tokenizer):
    with pytest.raises(ValueError, match="eager"):
        attention.attention_maps(tiny_model(tokenizer, "sdpa"), tokenizer, TEXTS[:1])
    with pytest.raises(ValueError, match="list of sentences"):
        attention.attention_maps(tiny_model(tokenizer, "eager"), tokenizer, "one string")


def hand_made(n: int = 6) -> list[tuple[list[str], torch.Tensor]]:
    """One layer, two heads: head 0 looks at the previous token, head 1 puts everything on [CLS]."""
    previous = torch.zeros(n, n)
    previous[0, 0] = 1
    previous[torch.arange(1, n), torch.arange(0, n - 1)] = 1
    on_cls = torch.zeros(n, n)
    on_cls[:, 0] = 1
    tokens = ["[CLS]"] + [f"w{i}" for i in range(n - 2)] + ["[SEP]"]
    return [(tokens, torch.stack([previous, on_cls]).unsqueeze(0))]  # (1 layer, 2 heads, n, n)


def test_offset_share_finds_previous_token_head():
    previous = attention.offset_share(hand_made(), -1)
    following = attention.offset_share(hand_made(), +1)
    assert previous.shape == (1, 2)
    # queries w1..w3 look back at w0..w2 (ordinary keys); w0's previous token is [CLS] and is skipped
    assert np.isclose(previous[0, 0], 1.0) and np.isclose(previous[0, 1], 0.0)
    assert np.allclose(following, 0.0)
    with pytest.raises(ValueError, match="non-zero"):
        attention.offset_share(hand_made(), 0)


def test_special_token_share():
    shares = attention.special_token_share(hand_made(6))
    # head 0: rows [CLS] and w0 attend to [CLS] (2 of 6 rows); head 1: all rows -> mean (2/6 + 1) / 2
    assert np.isclose(shares.loc[1, "[CLS]"], (2 / 6 + 1) / 2)
    assert np.isclose(shares.loc[1, "[SEP]"], 0.0)
    assert np.isclose(shares.loc[1, "even share"], 1 / 6)


def test_attention_maps_send_inputs_to_the_model_device_and_return_cpu_tensors():
    from transformers import AutoTokenizer

    from companion import models

    class ElsewhereModel(torch.nn.Module):  # weights on another device (here "meta", standing in for a GPU)
        config = type("Config", (), {"_attn_implementation": "eager"})()

        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.zeros(1, device="meta"))

        def forward(self, input_ids, attention_mask=None, token_type_ids=None, output_attentions=False):
            assert input_ids.device.type == "meta", "the inputs were not moved to the model's device"
            n = input_ids.shape[1]
            return type("Output", (), {"attentions": [torch.full((1, 2, n, n), 1.0 / n, dtype=torch.bfloat16)]})()

    tokenizer = AutoTokenizer.from_pretrained(models.model_name())
    ((tokens, maps),) = attention.attention_maps(ElsewhereModel(), tokenizer, ["a short sentence"])
    assert maps.device.type == "cpu" and maps.dtype == torch.float32 and maps.shape[-1] == len(tokens)
