"""Fine-tune the profile's BERT on a classification task with chapter 7's recipe, on one device or several.

    python scripts/finetune.py --task sst2 --rows 2000 --epochs 1            # one process (GPU if present)
    accelerate launch --multi_gpu --num_processes 4 scripts/finetune.py --task sst2   # four GPUs, one process each
    ACCELERATE_USE_CPU=1 torchrun --nproc_per_node 2 scripts/finetune.py --task sst2 --rows 2000   # two CPU processes

The recipe is chapter 7's: the packaged BERT (or bert-base-uncased in the full profile) with a new
classification head, sentences cut at 64 tokens, batches of 32 grouped by length, AdamW with linear
warm-up and decay (companion.training.train), accuracy on the validation split after every epoch.
Under N processes each one trains on 1/N of the batches of every epoch, so an epoch takes 1/N of the
optimizer steps, each over N × 32 sentences (keep --batch-size per process; raise --lr if you like).
Every process scores the whole validation split with the same weights; the first one prints it.
(`accelerate launch --cpu --num_processes 2` starts one process unless given an MPI hostfile, and
processes started without ACCELERATE_USE_CPU=1 on a machine without GPUs would each train alone: for
several CPU processes use torchrun with ACCELERATE_USE_CPU=1 as above; the script refuses otherwise.)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, DataCollatorWithPadding

from companion import data, models, runtime, training

# task: (text column, evaluation split, chapter). Both datasets label with a ClassLabel column "label".
TASKS = {"sst2": ("sentence", "validation", 7), "ag_news": ("text", "test", 8)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=sorted(TASKS), default="sst2")
    parser.add_argument(
        "--rows", type=int, default=None, help="training rows, a seeded sample (default: all; chapter 7 uses 8000)"
    )
    parser.add_argument("--eval-rows", type=int, default=None, help="evaluation rows (default: all)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=1e-4, help="chapter 7: 1e-4 (fast), 2e-5 (full profile)")
    parser.add_argument("--batch-size", type=int, default=32, help="per process")
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument(
        "--precision",
        choices=["auto", "no", "bf16", "fp16"],
        default="auto",
        help="auto: runtime.mixed_precision() (bf16 where native, fp16 on other GPUs)",
    )
    parser.add_argument("--threads", type=int, default=None, help="CPU threads per process (default: OMP_NUM_THREADS)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, default=None, help="save the fine-tuned model and tokenizer here")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file (first process)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Fine-tune, evaluate and return the figures (validation accuracy, steps, processes, seconds)."""
    args = parse_args(argv)
    for name in ("rows", "eval_rows", "batch_size", "max_length"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            raise SystemExit(f"--{name.replace('_', '-')} must be at least 1")
    # Join the process group when started by torchrun / accelerate launch (ACCELERATE_USE_CPU: on CPUs).
    state = training.process_state()
    settings = runtime.setup(seed=args.seed, threads=args.threads)
    started = time.perf_counter()
    text, eval_split, chapter = TASKS[args.task]
    train = data.load_split(args.task, "train")
    if args.rows:
        train = train.shuffle(seed=args.seed).select(range(min(args.rows, len(train))))
    evaluation = data.load_split(args.task, eval_split)
    if args.eval_rows:
        evaluation = evaluation.select(range(min(args.eval_rows, len(evaluation))))
    num_labels = getattr(train.features["label"], "num_classes", None) or len(set(train["label"]))

    tokenizer = models.load_tokenizer()
    collator = DataCollatorWithPadding(tokenizer)

    def encode(table):
        encoded = table.map(
            lambda batch: tokenizer(batch[text], truncation=True, max_length=args.max_length),
            batched=True,
            remove_columns=[c for c in table.column_names if c != "label"],
        )
        return encoded.rename_column("label", "labels")

    train_encoded, eval_encoded = encode(train), encode(evaluation)
    # the seed gives the same order in every process
    train_loader = training.grouped_loader(
        train_encoded, batch_size=args.batch_size, collate_fn=collator, seed=args.seed
    )
    eval_loader = DataLoader(eval_encoded, batch_size=64, collate_fn=collator)

    def accuracy(model: torch.nn.Module) -> dict[str, float]:
        logits, labels = training.predict(model, eval_loader)
        return {"accuracy": float(np.mean(logits.argmax(-1) == labels))}

    runtime.seed_everything(args.seed)
    model = models.load_model(AutoModelForSequenceClassification, num_labels=num_labels)
    precision = runtime.mixed_precision() if args.precision == "auto" else args.precision
    history = training.train(
        model,
        train_loader,
        epochs=args.epochs,
        lr=args.lr,
        warmup_ratio=0.1,
        eval_fn=accuracy,
        mixed_precision=precision,
        progress=state.is_local_main_process and sys.stderr.isatty(),
    )
    figures = {
        "task": args.task,
        "chapter": chapter,
        "model": models.model_name().split("/")[-1],
        "processes": state.num_processes,
        "device": str(state.device),
        "precision": precision,
        "threads_per_process": int(settings["threads"]),
        "training_rows": len(train),
        "batches_per_epoch": len(train_loader),
        "steps_per_process": len(history.steps),
        "evaluation_split": eval_split,
        "evaluation_rows": len(evaluation),
        "accuracy": history.last_eval()["accuracy"],
        "final_loss": history.steps[-1]["loss"],
        "train_seconds": round(history.seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    if state.is_main_process:
        print(
            f"{args.task}: {state.num_processes} process(es) on {state.device}, {len(history.steps)} steps each "
            f"({precision} precision), {history.seconds:.0f} s training; "
            f"{eval_split} accuracy {figures['accuracy']:.3f} on {len(evaluation):,} rows",
            flush=True,
        )
        print(json.dumps(figures), flush=True)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
        if args.save:
            model.save_pretrained(args.save)
            tokenizer.save_pretrained(args.save)
    state.wait_for_everyone()
    return figures


if __name__ == "__main__":
    main()
