"""How many steps, at which learning rate, chapter 5's short pre-training run needs: measured on a grid.

    python benchmarks/pretraining_choices.py --threads 1 --workers 2

Each cell of the grid (steps x peak learning rate) pre-trains chapter 5's small BERT from scratch exactly
as the chapter does (2 layers, hidden size 128, batches of 32 NSP pairs of 64 tokens, warm-up over 15 %
of the steps, seed 0) and scores masked-token top-1 accuracy (every scored position [MASK]) on the
validation book, The Man Who Was Thursday, against the word-frequency baseline, with the NSP loss over the
last 100 steps and the NSP head's accuracy on the validation book's pairs. The test book (Persuasion), which
the chapter reports, plays no part in the choice. Results go to
companion/measurements/pretraining_choices.json (package data: the chapter reads it, in Colab too).
With --workers 2 two runs train side by side, so their seconds compare with each other only.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import math
import sys
from datetime import datetime, timezone
from pathlib import Path

import common

from companion import runtime

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_OUT = ROOT / "companion" / "measurements" / "pretraining_choices.json"
STEPS = (600, 1200)
LEARNING_RATES = (4e-4, 8e-4, 1.2e-3, 1.6e-3)
BATCH_SIZE = 32


def run_cell(*, steps: int, lr: float, seed: int, threads: int, rows: int | None = None) -> dict[str, object]:
    """Pre-train chapter 5's small BERT for `steps` at peak `lr`; return validation scores: its, the baseline's."""
    import torch
    from torch.utils.data import DataLoader
    from transformers import BertForPreTraining

    from companion import data, pretraining, runtime, tokenization, training

    runtime.setup(seed=seed, threads=threads)
    train_texts = list(data.load_split("gutenberg_prose", "train")["text"])[:rows]
    validation_texts = list(data.load_split("gutenberg_prose", "validation")["text"])[:rows]
    tokenizer = tokenization.train_wordpiece(train_texts, vocab_size=4000)
    pairs = pretraining.make_nsp_pairs(train_texts, seed=0)
    train_encoded = pretraining.encode_pairs(pairs, tokenizer, max_length=64)
    held_out = pretraining.encode_pairs(pretraining.make_nsp_pairs(validation_texts, seed=0), tokenizer, max_length=64)
    counts = pretraining.unigram_counts(train_encoded, tokenizer)
    baseline = pretraining.masked_token_accuracy(None, held_out, tokenizer, counts=counts)
    model = BertForPreTraining(pretraining.small_bert_config(tokenizer, hidden_size=128, layers=2, heads=2))
    loader = DataLoader(
        pretraining.as_rows(train_encoded),
        batch_size=BATCH_SIZE,
        shuffle=True,
        drop_last=True,
        collate_fn=pretraining.PretrainingCollator(tokenizer, seed=seed),
        generator=torch.Generator().manual_seed(seed),
    )
    run = training.train(
        model,
        loader,
        epochs=steps / len(loader),
        lr=lr,
        warmup_ratio=0.15,
        loss_fn=pretraining.pretraining_loss,
        progress=False,
    )
    history = run.step_frame()
    ours = pretraining.masked_token_accuracy(model.eval(), held_out, tokenizer)
    nsp = pretraining.nsp_accuracy(model, held_out)
    return {
        "steps": steps,
        "lr": lr,
        "seed": seed,
        "threads": threads,
        "train_seconds": round(run.seconds, 1),
        "top1": ours["top1"],
        "baseline_top1": baseline["top1"],
        "top1_over_baseline": ours["top1"] / baseline["top1"],
        "scored_on": "validation",
        "mlm_loss": ours["loss"],
        "baseline_mlm_loss": baseline["loss"],
        "nsp_accuracy": nsp["accuracy"],
        "nsp_loss": nsp["loss"],
        "final_mlm_loss": float(history["mlm_loss"].tail(100).mean()),
        "nsp_loss_last_100": float(history["nsp_loss"].tail(100).mean()),
        "ln2": math.log(2),
    }


def main(argv: list[str] | None = None) -> dict:
    """Pre-train every cell of the grid; print a line each and write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0], quick_help="two tiny runs on 200 paragraphs, for the tests", default_out=DEFAULT_OUT
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--workers", type=int, default=1, help="runs trained at once (each with --threads)")
    args = parser.parse_args(argv)
    threads = runtime.thread_count(args.threads)  # each run sets it in its own process
    grid = [(5, 4e-4), (5, 8e-4)] if args.quick else list(itertools.product(STEPS, LEARNING_RATES))
    jobs = [(steps, lr, seed) for seed in args.seeds for steps, lr in grid]
    runs = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [
            pool.submit(run_cell, steps=steps, lr=lr, seed=seed, threads=threads, rows=200 if args.quick else None)
            for steps, lr, seed in jobs
        ]
        for future in futures:
            run = future.result()
            runs.append(run)
            print(
                f"seed {run['seed']}, {run['steps']} steps at lr {run['lr']:.1e}: top-1 {run['top1']:.3f} = "
                f"{run['top1_over_baseline']:.2f} x the baseline's, NSP loss {run['nsp_loss_last_100']:.3f}, "
                f"{run['train_seconds']:.0f} s",
                flush=True,
            )
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": common.machine(precision="no"),
        "settings": {
            "threads": threads,
            "workers": args.workers,
            "seeds": args.seeds,
            "quick": args.quick,
            "batch_size": BATCH_SIZE,
            "command": "python benchmarks/pretraining_choices.py " + " ".join(sys.argv[1:] if argv is None else argv),
        },
        "runs": runs,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
