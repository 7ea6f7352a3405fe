"""BERT built from its parts in plain PyTorch, loadable with the weights of a transformers BertModel."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import torch
from torch import nn
from transformers import BertConfig, PreTrainedModel


class Embeddings(nn.Module):
    """Token + segment + position embeddings, summed, then LayerNorm and dropout."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.token = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.segment = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.position = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)  # (seq,)
        summed = self.token(input_ids) + self.segment(token_type_ids) + self.position(positions)
        return self.dropout(self.norm(summed))  # (batch, seq, hidden)


class SelfAttention(nn.Module):
    """Multi-head scaled dot-product self-attention followed by the output projection."""

    def __init__(self, config: BertConfig):
        super().__init__()
        if config.hidden_size % config.num_attention_heads:
            raise ValueError(
                f"hidden_size {config.hidden_size} must be a multiple of num_attention_heads "
                f"{config.num_attention_heads}; change one of them in the config"
            )
        self.heads = config.num_attention_heads
        self.head_size = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.output = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout = nn.Dropout(config.attention_probs_dropout_prob)

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, seq, hidden) -> (batch, heads, seq, head_size)."""
        batch, seq, _ = x.shape
        return x.view(batch, seq, self.heads, self.head_size).transpose(1, 2)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        q, k, v = self.split_heads(self.query(x)), self.split_heads(self.key(x)), self.split_heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_size) + mask_bias  # (batch, heads, seq, seq)
        weights = scores.softmax(dim=-1)  # each row sums to 1
        context = self.dropout(weights) @ v  # (batch, heads, seq, head_size)
        merged = context.transpose(1, 2).reshape(x.shape)  # (batch, seq, hidden)
        return self.output(merged), weights


class FeedForward(nn.Module):
    """Position-wise feed-forward network: hidden -> intermediate (GELU) -> hidden."""

    def __init__(self, config: BertConfig):
        super().__init__()
        if config.hidden_act != "gelu":
            raise ValueError(f"this BERT implements hidden_act='gelu' (exact, erf-based), got {config.hidden_act!r}")
        self.up = nn.Linear(config.hidden_size, config.intermediate_size)
        self.down = nn.Linear(config.intermediate_size, config.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(nn.functional.gelu(self.up(x)))


class EncoderLayer(nn.Module):
    """One Transformer encoder block: attention and feed-forward, each with residual + LayerNorm (post-LN)."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.attention = SelfAttention(config)
        self.attention_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.ffn = FeedForward(config)
        self.ffn_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        attended, weights = self.attention(x, mask_bias)
        x = self.attention_norm(x + self.dropout(attended))
        x = self.ffn_norm(x + self.dropout(self.ffn(x)))
        return x, weights


class Pooler(nn.Module):
    """The [CLS] vector through a dense layer and tanh: the sentence vector that NSP was trained on."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.dense(hidden[:, 0]))  # (batch, hidden)


@dataclass
class BertOutput:
    """What Bert.forward returns: the last layer, the pooled [CLS] vector, every layer and attention map."""

    last_hidden_state: torch.Tensor  # (batch, seq, hidden)
    pooler_output: torch.Tensor  # (batch, hidden)
    hidden_states: tuple[torch.Tensor, ...]  # embeddings + one per layer
    attentions: tuple[torch.Tensor, ...]  # one (batch, heads, seq, seq) per layer


class Bert(nn.Module):
    """The BERT encoder: embeddings, a stack of encoder layers, and the pooler."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.config = config
        self.embeddings = Embeddings(config)
        self.layers = nn.ModuleList(EncoderLayer(config) for _ in range(config.num_hidden_layers))
        self.pooler = Pooler(config)

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
    ) -> BertOutput:
        if input_ids.ndim != 2:
            raise ValueError(
                f"input_ids must be (batch, seq), got shape {tuple(input_ids.shape)}; "
                "add a batch dimension with input_ids[None]"
            )
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        mask_bias = extended_mask(attention_mask, dtype=self.embeddings.token.weight.dtype)
        x = self.embeddings(input_ids, token_type_ids)
        hidden_states, attentions = [x], []
        for layer in self.layers:
            x, weights = layer(x, mask_bias)
            hidden_states.append(x)
            attentions.append(weights)
        return BertOutput(x, self.pooler(x), tuple(hidden_states), tuple(attentions))


def extended_mask(attention_mask: torch.Tensor, *, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Turn a (batch, seq) 1/0 mask into a (batch, 1, 1, seq) bias: 0 for real keys, a huge negative for padding."""
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


# transformers' BertModel parameter names -> this module's names (regex, replacement).
_RENAMES = [
    (r"^embeddings\.word_embeddings\.", "embeddings.token."),
    (r"^embeddings\.token_type_embeddings\.", "embeddings.segment."),
    (r"^embeddings\.position_embeddings\.", "embeddings.position."),
    (r"^embeddings\.LayerNorm\.", "embeddings.norm."),
    (r"^encoder\.layer\.(\d+)\.attention\.self\.(query|key|value)\.", r"layers.\1.attention.\2."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.dense\.", r"layers.\1.attention.output."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.LayerNorm\.", r"layers.\1.attention_norm."),
    (r"^encoder\.layer\.(\d+)\.intermediate\.dense\.", r"layers.\1.ffn.up."),
    (r"^encoder\.layer\.(\d+)\.output\.dense\.", r"layers.\1.ffn.down."),
    (r"^encoder\.layer\.(\d+)\.output\.LayerNorm\.", r"layers.\1.ffn_norm."),
    (r"^pooler\.dense\.", "pooler.dense."),
]
_BUFFERS = ("embeddings.position_ids", "embeddings.token_type_ids")  # non-parameter buffers some versions save


def rename_key(name: str) -> str:
    """Map a transformers BertModel parameter name (e.g. 'encoder.layer.0.intermediate.dense.weight') to ours."""
    for pattern, replacement in _RENAMES:
        renamed, count = re.subn(pattern, replacement, name)
        if count:
            return renamed
    raise KeyError(
        f"{name!r} is not a BertModel encoder parameter; pass the state dict of a BertModel "
        "(for BertFor... models use model.bert.state_dict())"
    )


def load_state_dict(model: Bert, state_dict: dict[str, torch.Tensor]) -> Bert:
    """Copy a transformers BertModel state dict into `model` (every parameter must be present); return it."""
    renamed = {
        rename_key(name.removeprefix("bert.")): tensor
        for name, tensor in state_dict.items()
        if name.removeprefix("bert.") not in _BUFFERS
    }
    missing = sorted(set(model.state_dict()) - set(renamed))
    if missing:
        raise KeyError(
            f"the state dict lacks {len(missing)} parameters (first: {missing[0]}); it must come "
            "from a BertModel with a pooler and the same config"
        )
    model.load_state_dict(renamed, strict=True)
    return model


def from_transformers(hf_model: PreTrainedModel) -> Bert:
    """Build a Bert with `hf_model`'s config and copy its weights (a BertModel, or any model with .bert)."""
    encoder = getattr(hf_model, "bert", hf_model)
    if getattr(encoder, "pooler", None) is None:
        raise ValueError("the model has no pooler; load it with add_pooling_layer=True (AutoModel does)")
    model = Bert(encoder.config)
    load_state_dict(model, encoder.state_dict())
    return model.eval()


def load_pretrained() -> Bert:
    """Load the profile's pretrained BERT (packaged MiniLM in fast, bert-base-uncased in full) into a Bert."""
    from transformers import AutoModel

    from companion import models

    return from_transformers(models.load_model(AutoModel))


def parameter_counts(config: BertConfig) -> dict[str, int]:
    """Count a BertModel's parameters per part from its config alone (embeddings, encoder layers, pooler)."""
    h, i, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    embeddings = (config.vocab_size + config.max_position_embeddings + config.type_vocab_size) * h + 2 * h
    attention = 4 * (h * h + h)  # query, key, value and output: weight + bias each
    ffn = (h * i + i) + (i * h + h)  # up and down projections
    norms = 2 * (2 * h)  # two LayerNorms: scale + shift each
    per_layer = attention + ffn + norms
    pooler = h * h + h
    return {
        "embeddings": embeddings,
        "per layer": per_layer,
        "encoder": layers * per_layer,
        "pooler": pooler,
        "total": embeddings + layers * per_layer + pooler,
    }
