"""Sentence embeddings from a BERT encoder: mean and [CLS] pooling, batched encoding, cosine similarity."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import numpy as np
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from companion import runtime


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Average the token vectors where attention_mask is 1 (padding excluded): (batch, hidden)."""
    if hidden.shape[:2] != attention_mask.shape:
        raise ValueError(
            f"hidden {tuple(hidden.shape)} and attention_mask {tuple(attention_mask.shape)} disagree on (batch, tokens)"
        )
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)  # (batch, tokens, 1)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)  # (batch, hidden)


def cls_pool(hidden: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
    """Return the first token's vector ([CLS]): (batch, hidden)."""
    return hidden[:, 0]


POOLINGS = {"mean": mean_pool, "cls": cls_pool}


def encode(
    texts: Sequence[str],
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    *,
    pooling: str | Sequence[str] = "mean",
    batch_size: int = 64,
    max_length: int = 256,
    normalize: bool = False,
    precision: str = "no",
) -> np.ndarray | dict[str, np.ndarray]:
    """Encode texts into sentence vectors (len(texts), hidden); a tuple of poolings gives a dict of arrays.

    The texts run in order of length (less padding) and come back in their original order; max_length is
    capped at the model's position limit; precision "bf16"/"fp16" runs the encoder under autocast.
    """
    names = [pooling] if isinstance(pooling, str) else list(pooling)
    unknown = [name for name in names if name not in POOLINGS]
    if unknown or not names:
        raise ValueError(f"unknown pooling {unknown or pooling!r}; choose from {', '.join(POOLINGS)}")
    if precision not in runtime.PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(runtime.PRECISIONS)}, got {precision!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not one string: wrap it in a list")
    max_length = min(max_length, model.config.max_position_embeddings)
    device = next(model.parameters()).device
    model.eval()
    vectors = {name: np.zeros((len(texts), model.config.hidden_size), dtype=np.float32) for name in names}
    order = np.argsort([len(text) for text in texts], kind="stable")
    for start in range(0, len(texts), batch_size):
        chosen = order[start : start + batch_size]
        inputs = tokenizer(
            [texts[i] for i in chosen], padding=True, truncation=True, max_length=max_length, return_tensors="pt"
        ).to(device)
        with torch.no_grad(), _autocast(device, precision):
            hidden = model(**inputs).last_hidden_state  # (batch, tokens, hidden)
        for name in names:
            pooled = POOLINGS[name](hidden.float(), inputs["attention_mask"])
            if normalize:
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
            vectors[name][chosen] = pooled.cpu().numpy()
    return vectors[names[0]] if isinstance(pooling, str) else vectors


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of a with every row of b: (len(a), len(b))."""
    return _unit(a) @ _unit(b).T


def paired_cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of row i of a with row i of b: (len(a),)."""
    if a.shape != b.shape:
        raise ValueError(f"paired_cosine needs arrays of one shape, got {a.shape} and {b.shape}")
    return np.sum(_unit(a) * _unit(b), axis=-1)


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-d array (rows are vectors), got shape {vectors.shape}")
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)


def _autocast(device: torch.device, precision: str):
    if precision == "no":  # float32 throughout
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=runtime.PRECISIONS[precision])
