"""Attention maps of a BERT over many sentences, and the summaries chapter 6 plots."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


@torch.no_grad()
def attention_maps(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, sentences: Sequence[str], *, max_length: int = 64
) -> list[tuple[list[str], torch.Tensor]]:
    """Return (tokens, attention of shape (layers, heads, n, n)) per sentence, without padding."""
    if getattr(model.config, "_attn_implementation", "eager") != "eager":
        raise ValueError("this model returns no attention weights: load it with attn_implementation='eager'")
    if isinstance(sentences, str) or not sentences:
        raise ValueError("pass a non-empty list of sentences (not one string)")
    model.eval()
    where = next(model.parameters()).device
    result = []
    for sentence in sentences:
        encoded = tokenizer(sentence, truncation=True, max_length=max_length, return_tensors="pt")
        tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0].tolist())
        inputs = {name: tensor.to(where) for name, tensor in encoded.items()}
        attentions = model(**inputs, output_attentions=True).attentions  # layers x (1, heads, n, n)
        stacked = torch.stack(attentions).squeeze(1).float().cpu()  # (layers, heads, n, n), on the CPU
        result.append((tokens, stacked))
    return result


def special_token_share(
    maps: Sequence[tuple[list[str], torch.Tensor]], *, specials: Sequence[str] = ("[CLS]", "[SEP]")
) -> pd.DataFrame:
    """Mean share of each layer's attention that lands on each special token, averaged over heads and queries."""
    rows = []
    for tokens, attention in maps:
        for layer in range(attention.shape[0]):
            row = {"layer": layer + 1}
            for special in specials:
                columns = [i for i, token in enumerate(tokens) if token == special]
                row[special] = attention[layer][:, :, columns].sum(-1).mean().item()
            row["even share"] = 1 / len(tokens)  # what one token gets if attention is spread evenly
            rows.append(row)
    return pd.DataFrame(rows).groupby("layer").mean()


def offset_share(maps: Sequence[tuple[list[str], torch.Tensor]], offset: int) -> np.ndarray:
    """Mean attention from token i to token i + offset, per (layer, head), over the ordinary tokens."""
    if offset == 0:
        raise ValueError("offset must be non-zero: -1 is the previous token, +1 the next")
    total, count = None, 0
    for _, attention in maps:
        n = attention.shape[-1]
        queries = torch.arange(1, n - 1)  # skip [CLS] and [SEP] as queries
        keys = queries + offset
        keep = (keys >= 1) & (keys <= n - 2)  # and as keys
        if not keep.any():
            continue
        values = attention[:, :, queries[keep], keys[keep]].sum(-1)  # (layers, heads)
        total = values if total is None else total + values
        count += int(keep.sum())
    if total is None:
        raise ValueError("no sentence is long enough for this offset; pass longer sentences")
    return (total / count).numpy()
