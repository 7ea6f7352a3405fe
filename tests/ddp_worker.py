"""One process of tests/test_training_ddp.py: train a tiny BERT classifier with training.train, save what it saw.

    ACCELERATE_USE_CPU=1 torchrun --nproc_per_node 2 tests/ddp_worker.py OUT_DIR

Each process writes OUT_DIR/rank{R}.json (its history, its own per-step losses, the prepared loader's
length) and OUT_DIR/rank{R}.safetensors (its final weights), so the test can compare the processes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from test_training import ContainsToken  # run as a script, so tests/ is sys.path[0]
from torch.utils.data import DataLoader
from transformers import BertConfig, BertForSequenceClassification

from companion import runtime, training

ROWS, BATCH, EPOCHS = 100, 8, 2  # 13 batches: 7 per process and epoch under two processes


def main() -> None:
    out = Path(sys.argv[1])
    torch.set_num_threads(1)
    runtime.seed_everything(0)  # same seed in every process: DDP also broadcasts rank 0's weights
    config = BertConfig(
        vocab_size=32,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=16,
        num_labels=2,
    )
    model = BertForSequenceClassification(config)
    loader = DataLoader(
        ContainsToken(ROWS, seed=1), batch_size=BATCH, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    test_loader = DataLoader(ContainsToken(64, seed=2), batch_size=64)
    local_losses = []

    def loss_fn(model: torch.nn.Module, batch: dict) -> dict[str, torch.Tensor]:
        loss = model(**batch).loss
        local_losses.append(loss.item())
        rank = torch.distributed.get_rank() if torch.distributed.is_initialized() else 0
        return {"loss": loss, "rank": torch.tensor(float(rank))}

    def evaluate(model: torch.nn.Module) -> dict[str, float]:
        logits, labels = training.predict(model, test_loader)
        return {"accuracy": float(np.mean(logits.argmax(-1) == labels))}

    history = training.train(
        model, loader, epochs=EPOCHS, lr=3e-3, warmup_ratio=0.1, loss_fn=loss_fn, eval_fn=evaluate, progress=False
    )
    rank = torch.distributed.get_rank() if torch.distributed.is_initialized() else 0
    world = torch.distributed.get_world_size() if torch.distributed.is_initialized() else 1
    record = {
        "rank": rank,
        "world_size": world,
        "batches": len(loader),
        "steps": history.steps,
        "evals": history.evals,
        "local_losses": local_losses,
    }
    (out / f"rank{rank}.json").write_text(json.dumps(record), encoding="utf-8")
    save_file(
        {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()},
        out / f"rank{rank}.safetensors",
    )


if __name__ == "__main__":
    main()
