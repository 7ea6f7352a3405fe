"""The cost of a BERT forward pass as a formula in (layers, hidden, intermediate, sequence length)."""

from __future__ import annotations

from transformers import BertConfig


def forward_flops(config: BertConfig, seq_len: int, *, batch: int = 1) -> dict[str, int]:
    """Return the matrix-multiply FLOPs (2 per multiply-add) of one BertModel forward pass, per part."""
    if seq_len < 1 or batch < 1:
        raise ValueError(f"seq_len and batch must be positive, got seq_len={seq_len}, batch={batch}")
    if seq_len > config.max_position_embeddings:
        raise ValueError(
            f"seq_len {seq_len} exceeds max_position_embeddings {config.max_position_embeddings}; truncate the input"
        )
    n, h, i, layers = seq_len, config.hidden_size, config.intermediate_size, config.num_hidden_layers
    projections = layers * 2 * n * h * (4 * h)  # Q, K, V and output: four (n x h) @ (h x h)
    attention = layers * 2 * (2 * n * n * h)  # Q K^T and weights @ V, summed over heads: the n^2 term
    feed_forward = layers * 2 * (2 * n * h * i)  # up (h -> i) and down (i -> h)
    pooler = 2 * h * h  # the [CLS] vector through one dense layer
    parts = {"projections": projections, "attention": attention, "feed-forward": feed_forward, "pooler": pooler}
    parts = {name: batch * value for name, value in parts.items()}
    parts["total"] = sum(parts.values())
    return parts
