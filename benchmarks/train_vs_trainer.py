"""Train the same model on the same data with the book's loop (companion.training.train) and with transformers' Trainer.

    python benchmarks/train_vs_trainer.py                           # 2000 SST-2 sentences, 1 epoch, twice each
    python benchmarks/train_vs_trainer.py --precision bf16
    python benchmarks/train_vs_trainer.py --threads 1 --quick       # 64 sentences, seconds

Both runs start from the same weights (the packaged BERT with a classification head seeded alike), see the
same seeded SST-2 sample in the same order (a sequential sampler over a shuffled table), cut at the same
length and padded per batch by the same collator, with the same batch size, number of optimizer steps,
AdamW learning rate and weight decay, linear schedule with the same warm-up steps, gradient clipping,
precision and seed, on the CPU. The Trainer is offline and quiet: no reporting integrations, no
checkpoints, no hub, no logging, no progress bar. Each run is timed from the call that builds its
optimizer (train() / Trainer(...)) to the end of training; the runs alternate (book, Trainer, Trainer,
book, ...) so that drift in the machine's speed hits both. Both models are then scored with the same
function on the same validation rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import datasets
import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader
from transformers import (
    AutoModelForSequenceClassification,
    DataCollatorWithPadding,
    PrinterCallback,
    Trainer,
    TrainerCallback,
    TrainingArguments,
)
from transformers.utils import logging

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402

from companion import data, models, runtime, training  # noqa: E402

FULL = {"rows": 2000, "eval_rows": None, "epochs": 1.0, "repeats": 2}
QUICK = {"rows": 64, "eval_rows": 64, "epochs": 1.0, "repeats": 1}
DEFAULT_OUT = common.RESULTS / "train_vs_trainer.json"
LOOPS = ("companion", "trainer")


class _RecordLearningRate(TrainerCallback):
    """Keep the learning rate after every optimizer step, to compare the Trainer's schedule with the book's."""

    def __init__(self):
        self.rates: list[float] = []

    def on_step_end(self, args, state, control, lr_scheduler=None, **kwargs):
        self.rates.append(lr_scheduler.get_last_lr()[0])


def prepare_data(*, rows: int, eval_rows: int | None, max_length: int, seed: int) -> dict:
    """Return the tokenized SST-2 training sample (in its training order), validation rows and the collator."""
    tokenizer = models.load_tokenizer()
    train = data.load_split("sst2", "train")
    train = train.shuffle(seed=seed).select(range(min(rows, len(train))))  # the order both loops train in
    validation = data.load_split("sst2", "validation")
    if eval_rows is not None:
        validation = validation.select(range(min(eval_rows, len(validation))))

    def encode(table):
        encoded = table.map(
            lambda batch: tokenizer(batch["sentence"], truncation=True, max_length=max_length),
            batched=True,
            remove_columns=[c for c in table.column_names if c != "label"],
        )
        return encoded.rename_column("label", "labels")

    return {"train": encode(train), "validation": encode(validation), "collator": DataCollatorWithPadding(tokenizer)}


def accuracy(model: torch.nn.Module, loader: DataLoader) -> float:
    """Return the share of validation rows the model labels correctly."""
    logits, labels = training.predict(model, loader)
    return float(np.mean(logits.argmax(-1) == labels))


def _fresh_model(seed: int) -> torch.nn.Module:
    runtime.seed_everything(seed)  # the same classification head for both loops
    return models.load_model(AutoModelForSequenceClassification, num_labels=2)


def warm_up(prepared: dict, *, batch_size: int, precision: str) -> None:
    """Run one forward and backward pass on a throwaway model, so that neither timed run pays the first-call costs."""
    model = _fresh_model(0).train()
    batch = prepared["collator"]([prepared["train"][i] for i in range(min(batch_size, len(prepared["train"])))])
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
        loss = model(**batch).loss
    loss.backward()


def train_companion(
    prepared: dict, *, batch_size: int, steps: int, warmup_ratio: float, lr: float, precision: str, seed: int
) -> tuple[torch.nn.Module, float, list[float]]:
    """Train with companion.training.train; return the model, the seconds and the learning rate per step."""
    model = _fresh_model(seed)
    loader = DataLoader(prepared["train"], batch_size=batch_size, shuffle=False, collate_fn=prepared["collator"])
    started = time.perf_counter()
    history = training.train(
        model,
        loader,
        epochs=steps / len(loader),
        lr=lr,
        warmup_ratio=warmup_ratio,
        weight_decay=0.01,
        max_grad_norm=1.0,
        mixed_precision=precision,
        progress=False,
    )
    seconds = time.perf_counter() - started
    if len(history.steps) != steps:
        raise RuntimeError(f"train() took {len(history.steps)} steps, not {steps}: the comparison would be unfair")
    return model, seconds, [row["lr"] for row in history.steps]


def train_trainer(
    prepared: dict,
    *,
    batch_size: int,
    steps: int,
    warmup_ratio: float,
    lr: float,
    precision: str,
    seed: int,
    optim: str,
) -> tuple[torch.nn.Module, float, list[float]]:
    """Train with transformers.Trainer, offline and quiet; return the model, the seconds and the rate per step."""
    model = _fresh_model(seed)
    recorder = _RecordLearningRate()
    with tempfile.TemporaryDirectory() as scratch:  # Trainer wants an output_dir; nothing is saved there
        arguments = TrainingArguments(
            output_dir=scratch,
            report_to="none",
            save_strategy="no",
            eval_strategy="no",
            logging_strategy="no",
            push_to_hub=False,
            disable_tqdm=True,
            log_level="error",
            use_cpu=True,
            bf16=precision == "bf16",
            per_device_train_batch_size=batch_size,
            max_steps=steps,
            learning_rate=lr,
            weight_decay=0.01,
            max_grad_norm=1.0,
            lr_scheduler_type="linear",
            warmup_steps=round(warmup_ratio * steps),  # as train()
            optim=optim,
            seed=seed,
            train_sampling_strategy="sequential",
            dataloader_num_workers=0,
        )
        started = time.perf_counter()
        trainer = Trainer(
            model=model,
            args=arguments,
            train_dataset=prepared["train"],
            data_collator=prepared["collator"],
            callbacks=[recorder],
        )
        trainer.remove_callback(PrinterCallback)  # it would print the final metrics dict
        trainer.train()
        seconds = time.perf_counter() - started
    if trainer.state.global_step != steps:
        raise RuntimeError(
            f"Trainer took {trainer.state.global_step} steps, not {steps}: the comparison would be unfair"
        )
    return trainer.model, seconds, recorder.rates


def run(
    *,
    rows: int,
    eval_rows: int | None,
    epochs: float = 1.0,
    batch_size: int = 32,
    max_length: int = 64,
    lr: float = 1e-4,
    warmup_ratio: float = 0.1,
    precision: str = "no",
    seed: int = 0,
    repeats: int = 1,
    optim: str = "adamw_torch_fused",
) -> dict:
    """Train with both loops `repeats` times each; return the machine, the settings, every run and a summary."""
    if precision not in ("no", "bf16"):
        raise ValueError(f"precision must be 'no' (float32) or 'bf16' on a CPU, got {precision!r}")
    if min(rows, batch_size, max_length, repeats) < 1 or epochs <= 0:
        raise ValueError("rows, batch_size, max_length, repeats and epochs must be positive")
    prepared = prepare_data(rows=rows, eval_rows=eval_rows, max_length=max_length, seed=seed)
    batches = -(-len(prepared["train"]) // batch_size)
    steps = max(1, round(epochs * batches))
    sizes = [min(batch_size, len(prepared["train"]) - start) for start in range(0, len(prepared["train"]), batch_size)]
    examples = sum(sizes[step % batches] for step in range(steps))  # what both loops see, partial batches included
    eval_loader = DataLoader(prepared["validation"], batch_size=64, collate_fn=prepared["collator"])
    options = {
        "batch_size": batch_size,
        "steps": steps,
        "warmup_ratio": warmup_ratio,
        "lr": lr,
        "precision": precision,
        "seed": seed,
    }

    warm_up(prepared, batch_size=batch_size, precision=precision)
    runs = []
    for repeat in range(repeats):
        for loop in LOOPS if repeat % 2 == 0 else LOOPS[::-1]:
            if loop == "companion":
                model, seconds, rates = train_companion(prepared, **options)
            else:
                model, seconds, rates = train_trainer(prepared, optim=optim, **options)
            runs.append(
                {
                    "loop": loop,
                    "repeat": repeat,
                    "seconds": seconds,
                    "examples_per_second": examples / seconds,
                    "accuracy": accuracy(model, eval_loader),
                    "learning_rates": rates,
                }
            )
    by_loop = {loop: [r for r in runs if r["loop"] == loop] for loop in LOOPS}
    summary = {
        loop: {
            "examples_per_second": statistics.median(r["examples_per_second"] for r in mine),
            "accuracy": mine[0]["accuracy"],
        }
        for loop, mine in by_loop.items()
    }
    summary["companion_over_trainer"] = (
        summary["companion"]["examples_per_second"] / summary["trainer"]["examples_per_second"]
    )
    first = [mine[0]["learning_rates"] for mine in by_loop.values()]
    summary["max_lr_difference"] = max(abs(a - b) for a, b in zip(*first))
    settings = {
        "model": models.model_name().split("/")[-1],
        "task": "sst2",
        "training_rows": len(prepared["train"]),
        "validation_rows": len(prepared["validation"]),
        "max_length": max_length,
        "epochs": epochs,
        "examples_per_run": examples,
        "trainer_optim": optim,
        "companion_optim": "fused AdamW (training.train's default)",
        "weight_decay": 0.01,
        "max_grad_norm": 1.0,
        "repeats": repeats,
        **options,
    }
    return {"machine": common.machine(precision=precision), "settings": settings, "runs": runs, "summary": summary}


def table(result: dict) -> pd.DataFrame:
    """Return examples per second (median over repeats) and validation accuracy, one row per loop."""
    summary = result["summary"]
    return pd.DataFrame(
        {
            "examples/s": [summary[loop]["examples_per_second"] for loop in LOOPS],
            "accuracy": [summary[loop]["accuracy"] for loop in LOOPS],
        },
        index=pd.Index(["companion.training.train", "transformers.Trainer"], name="loop"),
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = common.options(
        __doc__.splitlines()[0], default_out=DEFAULT_OUT, quick_help="64 training and 64 validation rows, one run each"
    )
    parser.add_argument("--rows", type=int, default=None, help=f"training rows (default {FULL['rows']})")
    parser.add_argument("--epochs", type=float, default=None, help=f"default {FULL['epochs']}")
    parser.add_argument("--repeats", type=int, default=None, help=f"runs per loop (default {FULL['repeats']})")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-4, help="chapter 7's rate for the fast profile")
    parser.add_argument("--precision", choices=["no", "bf16"], default="no", help="no: float32; bf16: autocast")
    parser.add_argument(
        "--trainer-optim",
        default="adamw_torch_fused",
        help="the Trainer's optimizer (its default, fused like the book's loop; adamw_torch: PyTorch's default AdamW)",
    )
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Train with both loops, print the table, write the JSON; return the result."""
    args = parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    sizes.update({name: getattr(args, name) for name in ("rows", "epochs", "repeats") if getattr(args, name)})
    os.environ["ACCELERATE_USE_CPU"] = "1"  # the book's loop on the CPU too, where a GPU is present
    runtime.set_threads(args.threads)
    logging.set_verbosity_error()  # no load report for the new classification head
    logging.disable_progress_bar()
    datasets.disable_progress_bars()
    result = run(
        **sizes,
        batch_size=args.batch_size,
        max_length=args.max_length,
        lr=args.lr,
        precision=args.precision,
        seed=args.seed,
        optim=args.trainer_optim,
    )
    with pd.option_context("display.float_format", "{:.3f}".format):
        print(table(result))
    summary, machine = result["summary"], result["machine"]
    print(
        f"companion / Trainer examples per second: {summary['companion_over_trainer']:.3f}; largest learning-rate "
        f"difference {summary['max_lr_difference']:.2g}; {machine['cpu']}, {machine['threads']} thread(s), "
        f"precision {args.precision}; wrote {common.write_json(result, args.out)}"
    )
    return result


if __name__ == "__main__":
    main()
