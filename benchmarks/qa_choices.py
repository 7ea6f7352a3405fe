"""What each of the question-answering chapter's speed and accuracy choices buys, measured.

    python benchmarks/qa_choices.py --threads 2            # step timing, then the four recipes (seed 0)
    python benchmarks/qa_choices.py --threads 1 --workers 2 --seeds 0 1
    python benchmarks/qa_choices.py --threads 1 --workers 2 --seeds 0 1 --rates 2e-4 3e-4 \
        --out benchmarks/results/qa_rates.json      # the chapter's recipe at other rates (no step timing)
    python benchmarks/qa_choices.py --threads 1 --workers 2 --seeds 0 1 2 --frozen-layers 2 3 \
        --out benchmarks/results/qa_frozen_layers.json   # ... with the bottom layers frozen (no step timing)
    python benchmarks/qa_choices.py --threads 1 --workers 2 --seeds 0 1 --train-rows 1200 2400 3125 \
        --out benchmarks/results/qa_budget_curve.json    # ... on more or fewer questions, also scored on validation
    python benchmarks/qa_choices.py --threads 1 --workers 2 --seeds 0 1 --train-rows 3125 --epochs 2 \
        --out benchmarks/results/qa_budget_curve_2_epochs.json   # ... and two passes over them

(The book reads what such commands wrote, merged by hand into package data: companion/measurements/qa_rates.json,
qa_frozen_layers.json and qa_budget_curve.json, each naming its commands.)

Two measurements. **Step timing**: one training step of the fast profile's QA model (batch 8, windows of
the mean training length) split into forward + backward and the optimizer's step, with every parameter
trained and with the word-embedding table frozen (`torch.utils.benchmark`, medians). **Recipes**: the
chapter's fine-tuning run on its training sample, one change at a time; each reports the windows trained
on, the optimizer steps, the training seconds and SQuAD EM/F1 (with each question's EM and F1, for a
paired test) on the chapter's development split: 600 SQuAD *training* questions of whole articles that the
training sample does not contain (`qa.development_split`). The validation questions are not read: the
chapter scores its chosen recipe on them once. Results go to companion/measurements/qa_choices.json
(package data: chapter 9 reads it, in Colab too).
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_OUT = ROOT / "companion" / "measurements" / "qa_choices.json"
# One change at a time, from BERT's plain recipe (every parameter, every window) to the cheapest.
RECIPES = {
    "lr 1e-4, every parameter, every window": {"lr": 1e-4, "freeze_words": False, "answer_only": False},
    "+ word embeddings frozen": {"lr": 1e-4, "freeze_words": True, "answer_only": False},
    "+ learning rate 2e-4": {"lr": 2e-4, "freeze_words": True, "answer_only": False},
    "+ only windows that hold the answer": {"lr": 2e-4, "freeze_words": True, "answer_only": True},
}
FAST = {"train_rows": 2400, "dev_rows": 600, "max_length": 256, "stride": 64, "batch_size": 8}
QUICK = {"train_rows": 24, "dev_rows": 8, "max_length": 128, "stride": 32, "batch_size": 8}


def chapter_splits(sizes: dict[str, int]):
    """Return chapter 9's (training sample, development split): article-disjoint, both from SQuAD's training split."""
    from companion import data, qa

    rest, dev = qa.development_split(data.load_split("squad", "train"), rows=sizes["dev_rows"])
    return data.sample(rest, fast_rows=sizes["train_rows"]), dev


def step_timing(
    *, batch_size: int = 8, length: int = 162, min_run_time: float = 1.0, rounds: int = 5
) -> dict[str, dict[str, float]]:
    """Return median milliseconds of forward + backward and of AdamW's step, all parameters vs frozen word embeddings.

    The two settings are timed in turn, `rounds` times (min_run_time split among the rounds), so that a load on the
    machine that comes and goes slows both alike instead of one.
    """
    import numpy as np
    import torch
    from torch.utils import benchmark
    from transformers import AutoModelForQuestionAnswering

    from companion import models

    model = models.load_model(AutoModelForQuestionAnswering)
    words = model.base_model.embeddings.word_embeddings.weight
    ids = torch.randint(1000, 20000, (batch_size, length), generator=torch.Generator().manual_seed(0))
    batch = {
        "input_ids": ids,
        "attention_mask": torch.ones_like(ids),
        "start_positions": torch.ones(batch_size, dtype=torch.long),
        "end_positions": torch.full((batch_size,), 2, dtype=torch.long),
    }

    def forward_backward():
        model(**batch).loss.backward()

    settings = {}
    for label, frozen in (("every parameter", False), ("word embeddings frozen", True)):
        words.requires_grad_(not frozen)
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-6)
        forward_backward(), optimizer.step()  # warm-up; creates the optimizer's state
        optimizer.zero_grad(set_to_none=True)
        settings[label] = (frozen, optimizer, sum(p.numel() for p in model.parameters() if p.requires_grad))
    times = {label: {"forward_backward": [], "optimizer_step": []} for label in settings}
    for _ in range(rounds):
        for label, (frozen, optimizer, _) in settings.items():
            words.requires_grad_(not frozen)
            fb = benchmark.Timer("f()", globals={"f": forward_backward}).blocked_autorange(
                min_run_time=min_run_time / rounds
            )
            step = benchmark.Timer("o.step()", globals={"o": optimizer}).blocked_autorange(
                min_run_time=min_run_time / rounds
            )
            optimizer.zero_grad(set_to_none=True)
            times[label]["forward_backward"] += fb.times
            times[label]["optimizer_step"] += step.times
    words.requires_grad_(True)
    return {
        label: {
            "forward_backward_ms": float(np.median(times[label]["forward_backward"])) * 1e3,
            "optimizer_step_ms": float(np.median(times[label]["optimizer_step"])) * 1e3,
            "trained_parameters": trained,
            "timings": len(times[label]["forward_backward"]),
        }
        for label, (_, _, trained) in settings.items()
    }


def run_recipe(
    name: str,
    *,
    seed: int,
    threads: int,
    sizes: dict[str, int],
    lr: float | None = None,
    frozen_layers: int | None = None,
    train_rows: int | None = None,
    epochs: int = 1,
) -> dict[str, object]:
    """Fine-tune as chapter 9 does with one recipe (at lr, with the embeddings and the bottom frozen_layers encoder
    layers frozen, or on train_rows training questions, if given); return windows, steps, seconds, dev EM/F1.

    With train_rows the run is also scored on the chapter's validation sample (a budget curve, not a choice), and may
    take more than the chapter's one pass (epochs)."""
    if epochs != 1 and train_rows is None:
        raise ValueError("epochs other than the chapter's 1 are a point of the budget curve: give train_rows too")
    import numpy as np
    from torch.utils.data import DataLoader
    from transformers import AutoModelForQuestionAnswering, DataCollatorWithPadding

    from companion import models, qa, runtime, training

    recipe = dict(RECIPES[name])
    if lr is not None:
        recipe["lr"], name = lr, f"{name}, lr {lr:g}"
    if frozen_layers is not None:
        recipe["frozen_layers"], name = frozen_layers, f"{name}, embeddings + bottom {frozen_layers} layers frozen"
    if train_rows is not None:
        sizes = {**sizes, "train_rows": train_rows}
    runtime.setup(seed=seed, threads=threads)
    train, dev = chapter_splits(sizes)
    if train_rows is not None:
        name = f"{name}, {len(train):,} training questions" + (f", {epochs} epochs" if epochs != 1 else "")
    tokenizer = models.load_tokenizer()
    windows = dict(max_length=sizes["max_length"], stride=sizes["stride"])
    features = train.map(
        lambda b: qa.prepare_train_features(b, tokenizer, **windows), batched=True, remove_columns=train.column_names
    )
    if recipe["answer_only"]:
        features = features.filter(lambda row: row["start_positions"] > 0)
    collator = DataCollatorWithPadding(tokenizer)
    loader = training.grouped_loader(features, batch_size=sizes["batch_size"], collate_fn=collator, seed=seed)
    runtime.seed_everything(seed)
    reader = models.load_model(AutoModelForQuestionAnswering)
    if recipe["freeze_words"]:
        reader.base_model.embeddings.word_embeddings.requires_grad_(False)
    if frozen_layers is not None:
        # nothing below the first trained layer needs a gradient, so backward stops there
        reader.base_model.embeddings.requires_grad_(False)
        for layer in reader.base_model.encoder.layer[:frozen_layers]:
            layer.requires_grad_(False)
    history = training.train(reader, loader, epochs=epochs, lr=recipe["lr"], warmup_ratio=0.1, progress=False)

    def score(questions):
        """SQuAD EM/F1 over questions, and each question's (EM, F1)."""
        eval_features = questions.map(
            lambda b: qa.prepare_eval_features(b, tokenizer, **windows),
            batched=True,
            remove_columns=questions.column_names,
        )
        eval_loader = DataLoader(
            eval_features.remove_columns(["example_id", "offset_mapping"]), batch_size=64, collate_fn=collator
        )
        start_logits, end_logits = qa.predict_spans(reader, eval_loader, width=sizes["max_length"])
        predictions = qa.postprocess(questions, eval_features, start_logits, end_logits)
        references = {key: answers["text"] for key, answers in zip(questions["id"], questions["answers"])}
        per_question = [
            (
                max(qa.exact_match(predictions[key], truth) for truth in truths),
                max(qa.f1(predictions[key], truth) for truth in truths),
            )
            for key, truths in references.items()
        ]
        return qa.squad_scores(predictions, references), per_question

    scores, per_question = score(dev)
    validation = {}
    if train_rows is not None:  # the chapter's validation sample, as the chapter draws it
        from companion import data

        questions = data.load_split("squad", "validation", fast_rows=sizes["dev_rows"])
        validation_scores, _ = score(questions)
        validation = {
            "train_questions": len(train),
            "epochs": epochs,
            "validation_questions": len(questions),
            "validation_exact_match": round(validation_scores["exact_match"], 2),
            "validation_f1": round(validation_scores["f1"], 2),
        }
    return {
        "recipe": name,
        **recipe,
        "seed": seed,
        "threads": threads,
        "windows": len(features),
        "steps": len(history.steps),
        "trained_parameters": sum(p.numel() for p in reader.parameters() if p.requires_grad),
        "train_seconds": round(history.seconds, 1),
        "exact_match": round(scores["exact_match"], 2),
        "f1": round(scores["f1"], 2),
        "mean_window_tokens": float(np.mean([len(ids) for ids in features["input_ids"]])),
        "train_ids_sha256": qa.ids_fingerprint(train["id"]),
        "dev_ids_sha256": qa.ids_fingerprint(dev["id"]),
        "dev_exact_match": [int(em) for em, _ in per_question],
        "dev_f1": [round(f, 4) for _, f in per_question],
        **validation,
    }


def main(argv: list[str] | None = None) -> dict:
    """Measure the step timing and the recipes; print both and write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0], quick_help="tiny data and timing, for the tests", default_out=DEFAULT_OUT
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--workers", type=int, default=1, help="recipes trained at once (each with --threads)")
    parser.add_argument(
        "--skip-recipes", action="store_true", help="only the step timing; the recipes already in --out are kept"
    )
    variant = parser.add_mutually_exclusive_group()  # one change to the chapter's recipe, into its own file
    variant.add_argument(
        "--rates", type=float, nargs="+", help="the chapter's recipe at these peak rates instead (no timing; --out)"
    )
    variant.add_argument(
        "--frozen-layers",
        type=int,
        nargs="+",
        help="the chapter's recipe with the embeddings and this many bottom layers frozen instead (no timing; --out)",
    )
    variant.add_argument(
        "--train-rows",
        type=int,
        nargs="+",
        help="the chapter's recipe on this many training questions instead, also scored on its validation sample "
        "(a budget curve; no timing; --out)",
    )
    parser.add_argument("--epochs", type=int, default=1, help="passes over the questions, with --train-rows only")
    args = parser.parse_args(argv)
    variants = [option for option in ("rates", "frozen_layers", "train_rows") if getattr(args, option)]
    if variants and (args.skip_recipes or Path(args.out).resolve() == DEFAULT_OUT.resolve()):
        option = "--" + variants[0].replace("_", "-")
        parser.error(f"{option} writes its own file: give --out (not the chapter's record), without --skip-recipes")
    if args.epochs != 1 and not args.train_rows:
        parser.error("--epochs goes with --train-rows (a point of the budget curve): the choices take one pass")
    if args.epochs < 1:
        parser.error(f"--epochs takes a number of passes, got {args.epochs}")
    if args.train_rows and not all(rows > 0 for rows in args.train_rows):
        parser.error(f"--train-rows takes numbers of training questions, got {args.train_rows}")
    if args.frozen_layers and not all(0 <= k < 6 for k in args.frozen_layers):
        parser.error(f"--frozen-layers takes layer counts from 0 to 5 (the model has 6), got {args.frozen_layers}")
    if args.rates and not all(0 < lr <= 0.01 for lr in args.rates):
        parser.error(f"--rates takes peak learning rates such as 3e-4, got {args.rates}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from companion import qa, runtime

    threads = runtime.set_threads(args.threads)
    # a step takes most of a second: 10 s of timing per quantity gives a median of several steps, not of two
    timing = (
        {}
        if args.rates or args.frozen_layers
        else step_timing(min_run_time=0.05 if args.quick else 10.0, length=32 if args.quick else 162)
    )
    for label, row in timing.items():
        print(
            f"{label:24s} forward+backward {row['forward_backward_ms']:6.0f} ms, optimizer step "
            f"{row['optimizer_step_ms']:5.0f} ms, {row['trained_parameters'] / 1e6:.1f} M parameters trained",
            flush=True,
        )
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    command = "python benchmarks/qa_choices.py " + " ".join(sys.argv[1:] if argv is None else argv)
    runs, development, recipes_measured = [], None, {"measured_at": now, "command": command}
    if args.skip_recipes and Path(args.out).exists():  # keep the recipes of the last full run
        previous = json.loads(Path(args.out).read_text(encoding="utf-8"))
        runs, development = previous["runs"], previous.get("development_split")
        recipes_measured = previous.get(
            "recipes_measured", {"measured_at": previous["measured_at"], "command": previous["settings"]["command"]}
        )
    elif not args.skip_recipes:
        sizes = QUICK if args.quick else FAST
        train, dev = chapter_splits(sizes)
        development = {
            "questions": len(dev),
            "articles": sorted(set(dev["title"])),
            "training_sample": {"questions": len(train), "articles": len(set(train["title"]))},
            "ids_sha256": qa.ids_fingerprint(dev["id"]),
        }
        chapters = list(RECIPES)[-1]  # the last change: the chapter's recipe
        if args.rates:
            jobs = [(chapters, seed, {"lr": lr}) for seed in args.seeds for lr in args.rates]
        elif args.frozen_layers:
            jobs = [(chapters, seed, {"frozen_layers": k}) for seed in args.seeds for k in args.frozen_layers]
        elif args.train_rows:  # the longest runs first, so that two workers finish together
            jobs = [
                (chapters, seed, {"train_rows": n, "epochs": args.epochs})
                for n in sorted(args.train_rows, reverse=True)
                for seed in args.seeds
            ]
        else:
            jobs = [(name, seed, {}) for seed in args.seeds for name in RECIPES]
        # spawned, not forked: a child forked from a process whose torch threads have run deadlocks
        spawn = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers, mp_context=spawn) as pool:
            futures = [
                pool.submit(run_recipe, name, seed=seed, threads=threads, sizes=sizes, **change)
                for name, seed, change in jobs
            ]
            for future in futures:
                run = future.result()
                runs.append(run)
                print(
                    f"seed {run['seed']} {run['recipe']}: {run['windows']} windows, {run['steps']} steps, "
                    f"{run['train_seconds']:.0f} s, development EM {run['exact_match']:.1f}, F1 {run['f1']:.1f}",
                    flush=True,
                )
    result = {
        "measured_at": now,
        "machine": common.machine(precision="no"),
        "settings": {
            "threads": threads,
            "workers": args.workers,
            "seeds": args.seeds,
            "quick": args.quick,
            "sizes": QUICK if args.quick else FAST,
            "command": command,
        },
        "step_timing": timing,
        "recipes_measured": recipes_measured,
        "development_split": development,
        "runs": runs,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
