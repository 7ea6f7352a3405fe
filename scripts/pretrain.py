"""Pre-train the book's small BERT on gutenberg_prose and save it (fp16) where chapter 5 looks for it.

    python scripts/pretrain.py                                  # writes checkpoints/tiny-bert-gutenberg
    python scripts/pretrain.py --steps 300 --out /tmp/tiny      # a short try

The recipe is chapter 5's (companion.tokenization.train_wordpiece, companion.pretraining's NSP pairs,
dynamic masking and loss, companion.training.train), run for longer and with several NSP pairings of the
corpus. Every --eval-every steps it scores masked-token accuracy on the validation book and keeps the best
weights. It writes model + tokenizer + history.csv.gz + run.json (every setting, machine and score).
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import sys
import time
from pathlib import Path

import torch
import transformers
from torch.utils.data import DataLoader
from transformers import BertForPreTraining

ROOT = Path(__file__).resolve().parents[1]
from companion import data, pretraining, runtime, tokenization, training  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "checkpoints" / "tiny-bert-gutenberg")
    parser.add_argument("--vocab-size", type=int, default=4000)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--pair-seeds", type=int, default=4, help="NSP pairings of the corpus (other cuts, partners)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=5e-4, help="7e-4 at batch 256 collapsed (all hidden states equal)")
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    runtime.setup(seed=args.seed, threads=args.threads)
    started = time.time()
    train_texts = list(data.load_split("gutenberg_prose", "train")["text"])
    validation_texts = list(data.load_split("gutenberg_prose", "validation")["text"])
    tokenizer = tokenization.train_wordpiece(train_texts, vocab_size=args.vocab_size)
    pairings = [
        pretraining.encode_pairs(
            pretraining.make_nsp_pairs(train_texts, seed=args.seed + pairing), tokenizer, max_length=args.max_length
        )
        for pairing in range(args.pair_seeds)
    ]
    rows = [row for encoded in pairings for row in pretraining.as_rows(encoded)]
    held_out = pretraining.encode_pairs(
        pretraining.make_nsp_pairs(validation_texts, seed=args.seed), tokenizer, max_length=args.max_length
    )
    counts = pretraining.unigram_counts(pairings[0], tokenizer)  # the baseline counts one pairing of the books
    baseline = pretraining.masked_token_accuracy(None, held_out, tokenizer, counts=counts)
    print(f"{len(rows):,} training pairs; validation baseline {baseline}", flush=True)

    runtime.seed_everything(args.seed)
    config = pretraining.small_bert_config(
        tokenizer, hidden_size=args.hidden, layers=args.layers, heads=args.heads, max_length=args.max_length
    )
    model = BertForPreTraining(config)
    loader = DataLoader(
        rows,
        batch_size=args.batch_size,
        shuffle=True,
        drop_last=True,
        collate_fn=pretraining.PretrainingCollator(tokenizer, seed=args.seed),
        generator=torch.Generator().manual_seed(args.seed),
    )
    best: dict = {"top1": -1.0}

    def evaluate(model: torch.nn.Module) -> dict[str, float]:
        scores = pretraining.masked_token_accuracy(model, held_out, tokenizer, device=runtime.device(), batch_size=256)
        if scores["top1"] > best["top1"]:
            best.update(scores, state=copy.deepcopy(model.state_dict()))
        print(f"  validation top1 {scores['top1']:.4f} top5 {scores['top5']:.4f}", flush=True)
        return {"val_top1": scores["top1"], "val_top5": scores["top5"]}

    history = training.train(
        model,
        loader,
        epochs=args.steps / len(loader),
        lr=args.lr,
        warmup_ratio=0.05,
        loss_fn=pretraining.pretraining_loss,
        eval_fn=evaluate,
        eval_every=args.eval_every,
        progress=sys.stderr.isatty(),
    )
    model.load_state_dict(best.pop("state"))
    args.out.mkdir(parents=True, exist_ok=True)
    model.to("cpu").half().save_pretrained(args.out)  # fp16 halves the file; load it with dtype=torch.float32
    tokenizer.save_pretrained(args.out)
    history.step_frame().to_csv(args.out / "history.csv.gz", index=False)
    history.eval_frame().to_csv(args.out / "evals.csv", index=False)
    device = runtime.device()
    run = {
        "command": "python " + " ".join(sys.argv),
        "args": {k: str(v) for k, v in vars(args).items()},
        "device": str(device),
        "gpu": torch.cuda.get_device_name() if device.type == "cuda" else None,
        "threads": torch.get_num_threads(),
        "steps": len(history.steps),
        "train_seconds": history.seconds,
        "total_seconds": time.time() - started,
        "training_pairs": len(rows),
        "validation_baseline": baseline,
        "validation_best": best,
        "parameters": sum(p.numel() for p in model.parameters()),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
    }
    (args.out / "run.json").write_text(json.dumps(run, indent=2))
    print(json.dumps(run, indent=2))


if __name__ == "__main__":
    main()
