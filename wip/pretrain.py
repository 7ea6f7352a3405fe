"""Pre-train the book's small BERT on gutenberg_prose and save it (fp16) where chapter 5 looks for it.

    python scripts/pretrain.py                      # writes checkpoints/tiny-bert-gutenberg (GPU: ~4 min)
    python scripts/pretrain.py --minutes 2 --out /tmp/tiny   # a shorter try

Defaults: WordPiece 8,000, 4 layers, hidden 256, 4 heads, 128 tokens, batch 256, lr 4e-4, 10 NSP pairings,
at most 30,000 steps or 5 minutes, seed 0. (A first GPU run at lr 7e-4 collapsed: every hidden state
became the same vector and the model never beat the word-frequency baseline.)

Reads the mirror's JSON Lines directly (no `datasets` needed), trains a WordPiece vocabulary with
companion.tokenization.train_wordpiece, builds NSP pairs with several seeds, trains BertForPreTraining with
companion.pretraining.pretrain (bf16 autocast on a GPU), keeps the weights that score best on the
validation book's masked tokens, and writes model + tokenizer + a JSON log of the run.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import sys
import time
from pathlib import Path

import torch
import transformers
from transformers import BertForPreTraining

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from companion import pretraining, tokenization  # noqa: E402


def read_texts(data_dir: Path, split: str) -> list[str]:
    """Read the 'text' field of gutenberg_prose/<split>.jsonl."""
    path = data_dir / "gutenberg_prose" / f"{split}.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path} not found: set BERTBOOK_DATA or --data to the dataset mirror")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def concat(parts: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Stack several encode_pairs results into one."""
    return {key: torch.cat([part[key] for part in parts]) for key in parts[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("BERTBOOK_DATA", ROOT.parent / "shared" / "data")))
    parser.add_argument("--out", type=Path, default=ROOT / "checkpoints" / "tiny-bert-gutenberg")
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--pair-seeds", type=int, default=10, help="NSP pairings of the corpus (different cuts and partners)")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=4e-4, help="7e-4 at batch 256 collapsed (all hidden states equal)")
    parser.add_argument("--steps", type=int, default=30000)
    parser.add_argument("--minutes", type=float, default=5.0, help="stop after this much training time")
    parser.add_argument("--eval-every", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    transformers.set_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    started = time.time()
    train, validation = read_texts(args.data, "train"), read_texts(args.data, "validation")
    tokenizer = tokenization.train_wordpiece(train, vocab_size=args.vocab_size)
    encoded = concat([pretraining.encode_pairs(pretraining.make_nsp_pairs(train, seed=args.seed + s), tokenizer,
                                               max_length=args.max_length) for s in range(args.pair_seeds)])
    held_out = pretraining.encode_pairs(pretraining.make_nsp_pairs(validation, seed=args.seed), tokenizer,
                                        max_length=args.max_length)
    counts = pretraining.unigram_counts(encoded, tokenizer)
    baseline = pretraining.masked_token_accuracy(None, held_out, tokenizer, counts=counts)
    print(f"{len(encoded['input_ids'])} training pairs; validation baseline {baseline}", flush=True)

    config = pretraining.small_bert_config(tokenizer, hidden_size=args.hidden, layers=args.layers,
                                           heads=args.heads, max_length=args.max_length)
    model = BertForPreTraining(config)
    best = {"top1": -1.0}

    def evaluate() -> dict[str, float]:
        scores = pretraining.masked_token_accuracy(model, held_out, tokenizer, device=device, batch_size=256)
        if scores["top1"] > best["top1"]:
            best.update(scores, state=copy.deepcopy(model.state_dict()))
        print(f"  validation top1 {scores['top1']:.4f} top5 {scores['top5']:.4f}", flush=True)
        return {"val_top1": scores["top1"], "val_top5": scores["top5"]}

    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
        history = pretraining.pretrain(model, encoded, tokenizer, max_steps=args.steps, seconds=60 * args.minutes,
                                       batch_size=args.batch_size, lr=args.lr, warmup_steps=500, seed=args.seed,
                                       device=device, eval_fn=evaluate, eval_every=args.eval_every)
    model.load_state_dict(best.pop("state"))
    args.out.mkdir(parents=True, exist_ok=True)
    model.to("cpu").half().save_pretrained(args.out)  # fp16 halves the file; load it with dtype=torch.float32
    tokenizer.save_pretrained(args.out)
    history.to_csv(args.out / "history.csv.gz", index=False)
    run = {"args": {k: str(v) for k, v in vars(args).items()}, "device": str(device),
           "gpu": torch.cuda.get_device_name() if device.type == "cuda" else None,
           "steps": int(history["step"].iloc[-1]), "train_seconds": float(history["seconds"].iloc[-1]),
           "total_seconds": time.time() - started, "validation_baseline": baseline, "validation_best": best,
           "parameters": sum(p.numel() for p in model.parameters()), "torch": torch.__version__,
           "transformers": transformers.__version__, "python": platform.python_version()}
    (args.out / "run.json").write_text(json.dumps(run, indent=2))
    print(json.dumps(run, indent=2))


if __name__ == "__main__":
    main()
