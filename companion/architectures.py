"""Parameter counts of BERT's successors from their configs alone, without allocating their weights."""

from __future__ import annotations

import torch
from transformers import AutoModel, PretrainedConfig


def count_parameters(config: PretrainedConfig, *, auto_class: type = AutoModel) -> dict[str, int]:
    """Return {"total", "embeddings"}: parameters of auto_class.from_config(config), built on the meta device.

    "embeddings" counts the input (token) embedding table only: position and segment tables, and a
    factorised model's projection up to the hidden size, are in the total but not in it.
    """
    if not isinstance(config, PretrainedConfig):
        raise TypeError(
            f"config must be a transformers config (BertConfig, AlbertConfig, ...), got {type(config).__name__}"
        )
    with torch.device("meta"):  # shapes only: a 400 M-parameter model costs no memory
        model = auto_class.from_config(config)
    total = sum(parameter.numel() for parameter in model.parameters())
    embeddings = sum(parameter.numel() for parameter in model.get_input_embeddings().parameters())
    return {"total": total, "embeddings": embeddings}
