"""Chapter 8's short run with other settings, scored on the training stories the chapter's sample leaves out.

    python benchmarks/ag_news_choices.py --threads 1 --workers 2 --lrs 1e-4 2e-4 3e-4 --seeds 0 1 2
    python benchmarks/ag_news_choices.py --threads 1 --lrs 2e-4 --freeze --add   # frozen word embeddings
    python benchmarks/ag_news_choices.py --threads 1 --quick --out /tmp/quick.json  # 64 stories, for the tests
    python benchmarks/ag_news_choices.py --threads 1 --workers 2 --seeds 0 1 2 --epochs 2 \
        --out benchmarks/results/ag_news_budget_2_epochs.json     # two passes: a budget point, not a choice

Chapter 8's fast profile fine-tunes the packaged model once over 3,000 AG News training stories (cut at 64
tokens, length-grouped batches of 32, AdamW with a 10 % warm-up, peak rate 1e-4) and reports its accuracy on
the test split, where nothing is chosen. These runs train on the chapter's own sample
(`data.load_train_and_dev("ag_news", ..., fast_rows=3000)`, seeded with 0 as the chapter's) and score every
training story that sample leaves out (3,080 of the mirror's 6,080, the chapter's 500 development stories
among them): a development set six times the chapter's, so that a choice between settings is not made on
500 stories' noise. One run per (rate, seed); a run's seed sets the weights' dropout and the batches' order,
as the chapter's seed does. Float32, one pass. Runs side by side (--workers 2) share the cores: their seconds
are comparable with each other, not with the chapter's two-thread run. Writes
companion/measurements/ag_news_choices.json, which the chapter reads; --add keeps the file's runs and adds the
new settings (a setting already there is refused); without --add an existing file is refused. `--epochs N`
trains N passes over the same sample instead of one, a point of the chapter's budget curve (what more
training of the same stories would buy); a file holds one number of passes."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import common

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "companion" / "measurements" / "ag_news_choices.json"
CHAPTER_ROWS, CHAPTER_LR, MAX_LENGTH, BATCH = 3000, 1e-4, 64, 32


def run_choice(*, lr: float, seed: int, freeze: bool, rows: int, threads: int, epochs: int = 1) -> dict:
    """Train chapter 8's recipe once on its sample at lr; return steps, seconds and held-out accuracy."""
    from sklearn.metrics import accuracy_score
    from torch.utils.data import DataLoader
    from transformers import AutoModelForSequenceClassification, DataCollatorWithPadding

    from companion import data, models, runtime, training

    runtime.setup(seed=seed, threads=threads)
    pool = len(data.load_split("ag_news", "train"))
    train, held_out = data.load_train_and_dev("ag_news", dev_rows=pool - rows, fast_rows=rows)
    tokenizer = models.load_tokenizer()
    collator = DataCollatorWithPadding(tokenizer)

    def encode(split):
        encoded = split.map(
            lambda batch: tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH),
            batched=True,
            remove_columns=["text"],
        )
        return encoded.rename_column("label", "labels")

    loader = training.grouped_loader(encode(train), batch_size=BATCH, collate_fn=collator, seed=seed)
    runtime.seed_everything(seed)
    model = models.load_model(AutoModelForSequenceClassification, num_labels=4)
    if freeze:
        model.base_model.embeddings.word_embeddings.requires_grad_(False)
    history = training.train(model, loader, epochs=epochs, lr=lr, warmup_ratio=0.1, progress=False)
    logits, labels = training.predict(model, DataLoader(encode(held_out), batch_size=64, collate_fn=collator))
    right = int((logits.argmax(-1) == labels).sum())
    return {
        "lr": lr,
        "freeze": freeze,
        "seed": seed,
        "training_stories": len(train),
        "steps": len(history.steps),
        "train_seconds": round(history.seconds, 1),
        "held_out_stories": len(held_out),
        "held_out_correct": right,
        "held_out_accuracy": round(float(accuracy_score(labels, logits.argmax(-1))), 4),
    }


def main(argv: list[str] | None = None) -> dict:
    """Train each (rate, seed); print one line per run and write the JSON."""
    parser = common.options(__doc__.splitlines()[0], quick_help="64 training stories", default_out=DEFAULT_OUT)
    parser.add_argument("--lrs", nargs="+", default=[str(CHAPTER_LR)], help="peak learning rates")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--freeze", action="store_true", help="freeze the word-embedding table")
    parser.add_argument("--workers", type=int, default=1, help="runs trained at once (each with --threads)")
    parser.add_argument("--add", action="store_true", help="keep the file's runs and add these")
    parser.add_argument("--epochs", type=int, default=1, help="passes over the sample (default: the chapter's 1)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(f"--epochs takes a number of passes, got {args.epochs}")
    if args.epochs != 1 and args.out.resolve() == DEFAULT_OUT.resolve():
        parser.error(f"--epochs {args.epochs} is a budget point, not the chapter's recipe: give --out")
    try:
        lrs = [common.parse_lr(text) for text in args.lrs]
    except ValueError as error:
        parser.error(str(error))
    for name, values in (("--lrs", lrs), ("--seeds", args.seeds)):
        if len(set(values)) < len(values):
            parser.error(f"{name} repeats a value: {values}")
    if args.quick and args.out.resolve() == DEFAULT_OUT.resolve():
        parser.error(f"--quick would write over the chapter's record {DEFAULT_OUT}: give --out")
    if args.out.exists() and not args.add:
        parser.error(f"{args.out} exists: --add to it, or give another --out")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from companion import runtime

    if runtime.profile() != "fast" or runtime.rehearsal():
        parser.error("the runs train the fast profile's sample: unset BERTBOOK_PROFILE=full, no rehearsal")
    command = "python benchmarks/ag_news_choices.py " + " ".join(sys.argv[1:] if argv is None else argv)
    earlier = json.loads(args.out.read_text(encoding="utf-8")) if args.add and args.out.exists() else None
    if earlier is not None and earlier["settings"]["quick"] != args.quick:
        kind = "quick" if earlier["settings"]["quick"] else "full"
        parser.error(f"{args.out} holds {kind} runs: --add the same kind")
    if earlier is not None and earlier["settings"]["recipe"]["epochs"] != args.epochs:
        parser.error(f"{args.out} holds runs of {earlier['settings']['recipe']['epochs']} epoch(s): --add the same")
    done = {(run["lr"], run["freeze"], run["seed"]) for run in earlier["runs"]} if earlier else set()
    jobs = [(lr, args.freeze, seed) for seed in args.seeds for lr in lrs]
    if repeated := [job for job in jobs if job in done]:
        parser.error(f"{args.out} already holds (lr, freeze, seed) {repeated}")
    threads = runtime.set_threads(args.threads)
    machine = common.machine(precision="no")
    if earlier is not None and (earlier["machine"]["cpu"], earlier["settings"]["threads"]) != (machine["cpu"], threads):
        parser.error(f"{args.out} was measured on {earlier['machine']['cpu']} with other threads: add runs made alike")
    rows = 64 if args.quick else CHAPTER_ROWS
    calls = [
        {"lr": lr, "seed": seed, "freeze": freeze, "rows": rows, "threads": threads, "epochs": args.epochs}
        for lr, freeze, seed in jobs
    ]
    runs = []
    for run in common.run_jobs(run_choice, calls, workers=args.workers):
        runs.append(run)
        print(
            f"seed {run['seed']}: lr {run['lr']:g}{' (words frozen)' if run['freeze'] else ''}, {run['steps']} steps, "
            f"{run['train_seconds']:.0f} s, held-out accuracy {run['held_out_accuracy']:.4f} "
            f"({run['held_out_stories']:,} stories)",
            flush=True,
        )
    runs = (earlier["runs"] if earlier else []) + runs
    runs.sort(key=lambda run: (run["freeze"], run["lr"], run["seed"]))
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "settings": {
            "threads": threads,
            "quick": args.quick,
            "recipe": {"training_stories": rows, "batch_size": BATCH, "max_length": MAX_LENGTH, "epochs": args.epochs},
            "chapter_lr": CHAPTER_LR,
            "commands": (earlier["settings"]["commands"] if earlier else []) + [command],
            **({"note": earlier["settings"]["note"]} if earlier and "note" in earlier["settings"] else {}),
        },
        "runs": runs,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
