"""Chapter 11's fine-tuning choices, epochs and learning rate, against its entity-F1 aim, measured.

    python benchmarks/ner_choices.py --threads 1 --workers 2 --epochs 2 4 6
    python benchmarks/ner_choices.py --threads 1 --workers 2 --epochs 2 --lrs 2e-4 3e-4 5e-4 --add
    python benchmarks/ner_choices.py --threads 1 --workers 2 --epochs 2 --lrs 1e-4 2e-4 3e-4 --seeds 1 2 --add
    python benchmarks/ner_choices.py --threads 1 --quick     # 64 sentences, 1 and 2 epochs, for the tests

Chapter 11's fast profile fine-tunes the packaged (uncased) model as a token classifier on WNUT-17's 3,394
training sentences for two epochs (batches of 32 grouped by length, cut at 128 pieces, AdamW with a 10 %
warm-up). At 1e-4, the rate chapters 7, 8, 12 and 14 fine-tune at, it scored a test entity F1 of 0.30-0.36
(seqeval's default mode: exact spans); issue 22 asks for 0.40. The training split is all there is, so the
budget is epochs: one run per (epochs, peak learning rate, seed), each with its own schedule (a linear decay
over all its steps, so a 6-epoch run at epoch 2 is not a 2-epoch run). Each run reports its steps, training
seconds and the entity precision, recall and F1 on the validation split, where the chapter makes its choices,
and on the test split, where the aim is stated (the chapter shows only the validation scores). Float32, as the
chapter trains. Runs side by side (--workers 2) share the cores: their seconds compare with each other, not
with the chapter's two-thread run. Results go to companion/measurements/ner_choices.json (package data:
chapter 11 reads it, in Colab too); --add keeps the runs and notes already there and refuses to run a setting
twice."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import common

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "companion" / "measurements" / "ner_choices.json"
BATCH, MAX_LENGTH = 32, 128  # chapter 11's fast profile
DEFAULT_LR = 1e-4  # chapters 7, 8, 12 and 14's rate; chapter 11's until these runs chose 2e-4
CHAPTER_EPOCHS = 2


def run_epochs(*, epochs: int, lr: float, seed: int, threads: int, rows: int | None) -> dict:
    """Fine-tune as chapter 11 does for `epochs` epochs at `lr`; return steps, seconds and entity scores."""
    from seqeval.metrics import f1_score, precision_score, recall_score
    from torch.utils.data import DataLoader
    from transformers import AutoModelForTokenClassification, DataCollatorForTokenClassification

    from companion import data, models, ner, runtime, training

    runtime.setup(seed=seed, threads=threads)
    tokenizer = models.load_tokenizer(cased=True)
    collator = DataCollatorForTokenClassification(tokenizer)
    splits = {split: data.load_split("wnut_17", split, fast_rows=rows) for split in ("train", "validation", "test")}
    tag_names = splits["train"].features["ner_tags"].feature.names

    def encoded(split, *, max_length: int):
        return split.map(
            ner.tokenize_and_align,
            batched=True,
            remove_columns=split.column_names,
            fn_kwargs={"tokenizer": tokenizer, "max_length": max_length},
        )

    def entity_scores(model, split) -> dict[str, float]:
        encodings = tokenizer(list(split["tokens"]), is_split_into_words=True, truncation=True, max_length=256)
        loader = DataLoader(encoded(split, max_length=256), batch_size=64, collate_fn=collator)
        first_pieces, _ = ner.predict_words(model, loader)
        predicted = ner.ids_to_tags(
            [
                ner.to_words(values, encodings.word_ids(i), n_words=len(words))
                for i, (values, words) in enumerate(zip(first_pieces, split["tokens"]))
            ],
            tag_names,
        )
        gold = ner.ids_to_tags(split["ner_tags"], tag_names)
        scores = {"precision": precision_score, "recall": recall_score, "f1": f1_score}
        return {name: round(float(score(gold, predicted)), 4) for name, score in scores.items()}

    loader = training.grouped_loader(
        encoded(splits["train"], max_length=MAX_LENGTH), batch_size=BATCH, collate_fn=collator, seed=seed
    )
    runtime.seed_everything(seed)
    tagger = models.load_model(
        AutoModelForTokenClassification,
        cased=True,
        num_labels=len(tag_names),
        id2label=dict(enumerate(tag_names)),
        label2id={name: i for i, name in enumerate(tag_names)},
    )
    history = training.train(tagger, loader, epochs=epochs, lr=lr, warmup_ratio=0.1, progress=False)
    return {
        "epochs": epochs,
        "lr": lr,
        "seed": seed,
        "threads": threads,
        "training_sentences": len(splits["train"]),
        "steps": len(history.steps),
        "train_seconds": round(history.seconds, 1),
        "validation": entity_scores(tagger, splits["validation"]),
        "test": entity_scores(tagger, splits["test"]),
    }


def main(argv: list[str] | None = None) -> dict:
    """Train and score each epoch count; print the curve and write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0], quick_help="64 sentences per split, 1 and 2 epochs", default_out=DEFAULT_OUT
    )
    parser.add_argument("--epochs", type=int, nargs="+", default=[CHAPTER_EPOCHS, 4, 6])
    parser.add_argument("--lrs", type=float, nargs="+", default=[DEFAULT_LR], help="peak learning rates")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--workers", type=int, default=1, help="runs trained at once (each with --threads)")
    parser.add_argument("--add", action="store_true", help="keep the runs already in --out and add these")
    args = parser.parse_args(argv)
    if any(epochs < 1 for epochs in args.epochs):
        parser.error(f"--epochs takes positive epoch counts, got {args.epochs}")
    if any(not 0 < lr < 1 for lr in args.lrs):
        parser.error(f"--lrs takes learning rates between 0 and 1, got {args.lrs}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from companion import runtime

    if runtime.profile() != "fast" or runtime.rehearsal():
        parser.error("this measures the fast profile's packaged model: unset BERTBOOK_PROFILE=full, no rehearsal")
    threads = runtime.set_threads(args.threads)
    counts = [1, 2] if args.quick else args.epochs
    jobs = [(epochs, lr, seed) for seed in args.seeds for lr in args.lrs for epochs in counts]
    previous = None
    if args.add and Path(args.out).exists():
        previous = json.loads(Path(args.out).read_text(encoding="utf-8"))
        done = {(run["epochs"], run["lr"], run["seed"]) for run in previous["runs"]}
        if repeated := sorted(set(jobs) & done):
            parser.error(f"{args.out} already has runs for (epochs, lr, seed) {repeated}: drop them from the command")
    jobs.sort(key=lambda job: -job[0])  # the longest first, so that two workers finish together
    runs = []
    calls = [
        {"epochs": epochs, "lr": lr, "seed": seed, "threads": threads, "rows": 64 if args.quick else None}
        for epochs, lr, seed in jobs
    ]
    for run in common.run_jobs(run_epochs, calls, workers=args.workers):
        runs.append(run)
        print(
            f"seed {run['seed']}: {run['epochs']} epochs at lr {run['lr']:g}, {run['steps']} steps, "
            f"{run['train_seconds']:.0f} s, "
            f"entity F1 validation {run['validation']['f1']:.3f}, test {run['test']['f1']:.3f}",
            flush=True,
        )
    command = "python benchmarks/ner_choices.py " + " ".join(sys.argv[1:] if argv is None else argv)
    commands, notes = [command], {}
    if previous is not None:
        runs, commands = previous["runs"] + runs, previous["settings"]["commands"] + commands
        notes = {"note": previous["settings"]["note"]} if "note" in previous["settings"] else {}
    runs.sort(key=lambda run: (run["seed"], run["lr"], run["epochs"]))
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": common.machine(precision="no"),
        "settings": {
            "threads": threads,
            "workers": args.workers,
            "seeds": sorted({run["seed"] for run in runs}),
            "quick": args.quick,
            "recipe": {"batch_size": BATCH, "max_length": MAX_LENGTH, "default_lr": DEFAULT_LR, "warmup_ratio": 0.1},
            "chapter_epochs": CHAPTER_EPOCHS,
            "commands": commands,
            **notes,
        },
        "runs": runs,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
