"""Chapter 14's distillation with a transfer set: does a teacher-labelled pool beat more passes over the labels?

    python benchmarks/distillation_choices.py --threads 2 --seeds 0 1 2

The chapter's two students (3 of the packaged MiniLM's 6 layers, from the pre-trained weights) learn from
its 2,000 labelled SST-2 sentences for one epoch, the one from the labels, the other from the labels and
the teacher's soft labels. This script adds what the chapter's budget cannot: a *transfer set* of 6,000
more SST-2 training sentences, their labels removed (`data.load_unlabelled`: none of the chapter's
training or development rows, none holding a development or validation item or sitting inside one),
which the teacher labels; a student trained for one epoch on the 2,000 + 6,000 (the chapter's loss, T = 2,
alpha = 0.5: a transfer sentence adds only its soft term) makes four times the optimizer steps of one
epoch over the 2,000, so a student trained on the labels alone for four epochs is the control with the same
steps. Each seed trains the chapter's teacher (one epoch) and, with --teacher-epochs, teachers trained
longer. Every run records its steps, training seconds, accuracy on the chapter's 500 development items
and on the 872 validation sentences, and its predictions on both (for paired tests); float32, the
chapter's learning rate (1e-4), batches of 32 grouped by length. Results go to
companion/measurements/distillation_choices.json (package data: chapter 14 reads it, in Colab too).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402

DEFAULT_OUT = ROOT / "companion" / "measurements" / "distillation_choices.json"
FAST = {"train_rows": 2000, "dev_rows": 500, "transfer_rows": 6000}  # the chapter's sizes, and the transfer set
QUICK = {"train_rows": 32, "dev_rows": 16, "transfer_rows": 32}
TEMPERATURE, ALPHA, LR = 2.0, 0.5, 1e-4  # the chapter's


def fingerprint(items) -> str:
    """Return a short sha256 of a split's items (row ids or sentences), in order, to tell one split from another."""
    return hashlib.sha256("\n".join(map(str, items)).encode()).hexdigest()[:16]


def splits(sizes: dict[str, int]):
    """Return chapter 14's training and development splits, SST-2's validation split and the transfer set."""
    from companion import data

    train, dev = data.load_train_and_dev(
        "sst2", dev_rows=sizes["dev_rows"], fast_rows=sizes["train_rows"], seed=0, phrase_column="sentence"
    )
    validation = data.load_split("sst2", "validation")
    transfer = data.load_unlabelled(
        "sst2",
        rows=sizes["transfer_rows"],
        leave_out=[train, dev],
        apart_from=[*dev["sentence"], *validation["sentence"]],
        phrase_column="sentence",
    )
    return train, dev, validation, transfer


def measure(*, seeds: list[int], teacher_epochs: list[float], sizes: dict[str, int]) -> tuple[dict, list[dict]]:
    """Train the teachers and students for each seed; return the splits' description and one record per model."""
    import datasets
    import numpy as np
    from accelerate.utils import extract_model_from_parallel
    from torch.utils.data import DataLoader
    from transformers import AutoModelForSequenceClassification, DataCollatorWithPadding

    from companion import distillation, models, runtime, training

    train, dev, validation, transfer = splits(sizes)
    described = {
        "train_rows": len(train),
        "dev_rows": len(dev),
        "validation_rows": len(validation),
        "transfer_rows": len(transfer),
        "train_ids_sha256": fingerprint(train["idx"]),
        "transfer_ids_sha256": fingerprint(transfer["idx"]),
        "dev_sentences_sha256": fingerprint(dev["sentence"]),
        "validation_sentences_sha256": fingerprint(validation["sentence"]),
        "dev_labels": "".join(map(str, dev["label"])),  # the gold labels, for paired tests on the predictions
        "validation_labels": "".join(map(str, validation["label"])),
        "mean_words": {
            name: float(np.mean([len(text.split()) for text in split["sentence"]]))
            for name, split in {"train": train, "transfer": transfer, "dev": dev, "validation": validation}.items()
        },
    }
    tokenizer = models.load_tokenizer()
    collator = DataCollatorWithPadding(tokenizer)

    def encode(split):
        split = split.map(lambda batch: tokenizer(batch["sentence"], truncation=True, max_length=64), batched=True)
        split = split.remove_columns([c for c in ("idx", "sentence") if c in split.column_names])
        if "label" not in split.column_names:  # the transfer set: -100, no label (the loss adds only its soft term)
            return split.add_column("labels", [-100] * len(split))
        return split.rename_column("label", "labels").cast_column("labels", datasets.Value("int64"))

    train, dev, validation, transfer = map(encode, (train, dev, validation, transfer))
    by_length = np.argsort([len(ids) for ids in transfer["input_ids"]], kind="stable")

    def loader(split, *, seed: int | None = None):
        if seed is None:
            return DataLoader(split, batch_size=64, collate_fn=collator)
        return training.grouped_loader(split, batch_size=32, collate_fn=collator, seed=seed)

    def scored(model, record: dict) -> dict:
        for name, split in (("dev", dev), ("validation", validation)):
            predicted = training.predict(model, loader(split))[0].argmax(-1)
            record[f"{name}_accuracy"] = float(np.mean(predicted == np.array(split["labels"])))
            record[f"{name}_predictions"] = "".join(map(str, predicted.tolist()))
        print(
            f"seed {record['seed']} {record['model']} (teacher {record['teacher_epochs']} epoch(s)): "
            f"{record['steps']} steps, {record['train_seconds']:.0f} s, dev {record['dev_accuracy']:.3f}, "
            f"validation {record['validation_accuracy']:.3f}",
            flush=True,
        )
        return record

    def fit(model, split, *, seed: int, epochs: float, loss_fn=None):
        run = training.train(
            model, loader(split, seed=seed), epochs=epochs, lr=LR, warmup_ratio=0.1, loss_fn=loss_fn, progress=False
        )
        return extract_model_from_parallel(model, keep_fp32_wrapper=False).eval(), run

    def student():
        pretrained = models.load_model(AutoModelForSequenceClassification, num_labels=2)
        return distillation.student_from_teacher(pretrained, num_layers=pretrained.config.num_hidden_layers // 2)

    records = []
    for seed in seeds:
        for epochs in (1, 4):  # the chapter's label-only student, and one with the transfer student's steps
            runtime.seed_everything(seed)
            model, run = fit(student(), train, seed=seed, epochs=epochs)
            record = {"seed": seed, "model": f"student, labels, {epochs} epoch(s)", "teacher_epochs": None}
            records.append(scored(model, {**record, "steps": len(run.steps), "train_seconds": run.seconds}))
        for teacher_epoch_count in teacher_epochs:
            runtime.seed_everything(seed)
            teacher, run = fit(
                models.load_model(AutoModelForSequenceClassification, num_labels=2),
                train,
                seed=seed,
                epochs=teacher_epoch_count,
            )
            record = {"seed": seed, "model": "teacher", "teacher_epochs": teacher_epoch_count}
            records.append(scored(teacher, {**record, "steps": len(run.steps), "train_seconds": run.seconds}))
            started = time.perf_counter()
            train_logits = training.predict(teacher, loader(train))[0]
            # the transfer set in order of length, so that a batch pads little; then back to its own order
            transfer_logits = np.empty((len(transfer), 2), dtype=np.float32)
            transfer_logits[by_length] = training.predict(teacher, loader(transfer.select(by_length)))[0]
            labelling_seconds = time.perf_counter() - started
            soft_train = train.add_column("teacher_logits", train_logits.tolist())
            soft_transfer = transfer.add_column("teacher_logits", transfer_logits.tolist())
            loss_fn = distillation.distillation_loss(temperature=TEMPERATURE, alpha=ALPHA)
            recipes = {
                "student, distilled": soft_train,
                "student, distilled with the transfer set": datasets.concatenate_datasets([soft_train, soft_transfer]),
            }
            for name, split in recipes.items():
                runtime.seed_everything(seed)
                model, run = fit(student(), split, seed=seed, epochs=1, loss_fn=loss_fn)
                record = {"seed": seed, "model": name, "teacher_epochs": teacher_epoch_count}
                record |= {"steps": len(run.steps), "train_seconds": run.seconds}
                if split is not soft_train:
                    record["labelling_seconds"] = labelling_seconds
                records.append(scored(model, record))
    return described, records


def main(argv: list[str] | None = None) -> dict:
    """Train and score every model for every seed; print one line per model and write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0], quick_help="a few rows and one seed, for the tests", default_out=DEFAULT_OUT
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--teacher-epochs", type=float, nargs="+", default=[1.0], help="teachers to distil (the chapter's: 1)"
    )
    args = parser.parse_args(argv)
    threads = args.threads or int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from companion import runtime

    runtime.setup(seed=args.seeds[0], threads=threads)
    sizes = QUICK if args.quick else FAST
    command = "python benchmarks/distillation_choices.py " + " ".join(sys.argv[1:] if argv is None else argv)
    described, records = measure(seeds=args.seeds, teacher_epochs=args.teacher_epochs, sizes=sizes)
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": common.machine(precision="no"),
        "settings": {
            "threads": threads,
            "seeds": args.seeds,
            "teacher_epochs": args.teacher_epochs,
            "quick": args.quick,
            "sizes": sizes,
            "temperature": TEMPERATURE,
            "alpha": ALPHA,
            "lr": LR,
            "command": command,
        },
        "splits": described,
        "runs": records,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
