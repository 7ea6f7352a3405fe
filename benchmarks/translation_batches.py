"""Chapter 10's short run: what padding costs it, and what batches of similar length save.

    python benchmarks/translation_batches.py --threads 2          # 100 steps per run, float32
    python benchmarks/translation_batches.py --threads 1 --quick  # 3 steps, for the tests
    python benchmarks/translation_batches.py --threads 1 --bleu random "grouped by labels" \
        "grouped by labels, batches shuffled"                      # whole runs, scored: minutes each

Chapter 10 trains a new 3-layer decoder over the frozen packaged encoder on batches of 32 Multi30k caption
pairs; until this script measured the alternatives it drew them at random (`DataLoader(shuffle=True)` with
`DataCollatorForSeq2Seq`). Each batch is padded to its longest English source and its longest German
label sequence. This script builds the chapter's model and data the way the chapter does and compares three
ways of cutting the same 19,200 pairs into batches:

- `random`: the chapter's loader until then;
- `grouped by labels`: `training.grouped_loader` on the German label lengths (the decoder's side);
- `grouped by pair`: the same sampler on source + label length.

For each it reports the share of real (non-padding) tokens on each side over the whole epoch, and the
seconds of `training.train` for the same number of steps, each from the same freshly built model, in the
order random, labels, pair, random, labels, pair (a first short run warms up). The steps cover whole
groups of the sampler (50 batches), so a grouped run's long first batch does not dominate it.

The sampler serves each group of (up to) 50 batches from the longest pairs to the shortest. `--bleu` asks what that
order costs: it trains the chapter's whole short run (600 steps) on each named loader, including
`grouped by labels, batches shuffled` (the same batches in a random order, `shuffle_batches=True`, as the
chapter now trains), and scores greedy BLEU on the chapter's first 500 test sentences. One seed per run:
the chapter's seed sweep gives the spread.

`--bleu … --steps N` trains N steps instead of the chapter's 600, on the first N x 32 of the same seeded
shuffle of the pairs (all 29,000 once N x 32 exceeds them, and then more than one pass): a budget curve for
the chapter's short run, not a choice (nothing is chosen from it, and it is scored on the test sentences
the chapter reports).

    python benchmarks/translation_batches.py --threads 1 --seed 0 --steps 900 1200 \
        --bleu "grouped by labels, batches shuffled"               # the chapter's loader, longer
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import warnings
from pathlib import Path

import numpy as np
import sacrebleu
import torch
from torch.utils.data import DataLoader
from transformers import AutoModel, DataCollatorForSeq2Seq
from transformers.trainer_pt_utils import LengthGroupedSampler

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402

from companion import data, models, runtime, tokenization, training, translation  # noqa: E402

# as chapter 10: the warning about models trained before transformers 4.12 concerns none trained here
warnings.filterwarnings("ignore", "Version v4.12.0 introduces a better way", FutureWarning)
DEFAULT_OUT = common.RESULTS / "translation_batches.json"
MAX_LENGTH, STEPS, BATCH = 48, 600, 32  # chapter 10's fast profile
DECODER = {"decoder_layers": 3, "decoder_heads": 4, "decoder_hidden_size": 256}
LOADERS = ("random", "grouped by labels", "grouped by pair")
# grouped by labels, then the batches in a random order (no long-to-short run within each group of 50)
SHUFFLED = "grouped by labels, batches shuffled"
TEST_ROWS = 500  # the chapter scores its short run on the first 500 test sentences


def chapter_pairs(*, seed: int, rows: int | None = None, steps: int = STEPS):
    """Return chapter 10's encoded training pairs (steps x 32 of them, 19,200 by default) and its two tokenizers."""
    train = data.load_split("multi30k", "train")
    if rows is not None:
        train = train.select(range(rows))
    tokenizer_en = models.load_tokenizer()
    tokenizer_de = tokenization.train_wordpiece(
        (pair["de"] for pair in train["translation"]),
        vocab_size=8000,
        lowercase=False,
        min_frequency=2,
    )
    encoded = train.map(
        lambda batch: translation.encode_pairs(batch, tokenizer_en, tokenizer_de, max_length=MAX_LENGTH),
        batched=True,
        remove_columns=["translation"],
    )
    pairs = encoded.shuffle(seed=seed).select(range(min(steps * BATCH, len(encoded))))
    pairs = pairs.map(lambda row: {"pair_length": len(row["input_ids"]) + len(row["labels"])})
    return pairs, tokenizer_en, tokenizer_de


def loader(name: str, pairs, collator, *, seed: int) -> DataLoader:
    """One of the loaders over the same pairs, seeded."""
    if name not in LOADERS + (SHUFFLED,):
        raise ValueError(f"unknown loader {name!r}: choose from {', '.join(LOADERS + (SHUFFLED,))}")
    if name == "random":
        return DataLoader(
            pairs.remove_columns("pair_length"),
            batch_size=BATCH,
            shuffle=True,
            collate_fn=collator,
            generator=torch.Generator().manual_seed(seed),
        )
    if name in ("grouped by labels", SHUFFLED):
        return training.grouped_loader(
            pairs.remove_columns("pair_length"),
            batch_size=BATCH,
            collate_fn=collator,
            seed=seed,
            length_column="labels",
            shuffle_batches=name == SHUFFLED,
        )
    # the sampler grouped_loader uses, on the lengths of both sides together
    sampler = LengthGroupedSampler(
        BATCH,
        lengths=pairs["pair_length"],
        generator=torch.Generator().manual_seed(seed),
    )
    return DataLoader(
        pairs.remove_columns("pair_length"),
        batch_size=BATCH,
        sampler=sampler,
        collate_fn=collator,
    )


def real_shares(batches) -> dict[str, float]:
    """The share of real tokens among all tokens computed, on the source and on the label side."""
    real_source = all_source = real_labels = all_labels = 0
    for batch in batches:
        real_source += int(batch["attention_mask"].sum())
        all_source += batch["input_ids"].numel()
        real_labels += int((batch["labels"] != -100).sum())
        all_labels += batch["labels"].numel()
    return {"source": real_source / all_source, "labels": real_labels / all_labels}


def chapter_model(tokenizer_de, *, seed: int):
    """Chapter 10's model: the frozen packaged encoder and a new 3-layer decoder, seeded."""
    runtime.seed_everything(seed)
    encoder = models.load_model(AutoModel, add_pooling_layer=False)
    model = translation.build_bert2bert(encoder, tokenizer_de, **DECODER)
    model.encoder.requires_grad_(False)
    return model


def train_on(name: str, pairs, tokenizer_en, tokenizer_de, *, steps: int, seed: int, loss_fn=None):
    """Train chapter 10's model with its recipe for `steps` steps on one loader; the model and its History."""
    collator = DataCollatorForSeq2Seq(tokenizer_en, label_pad_token_id=-100)
    batches = loader(name, pairs, collator, seed=seed)
    model = chapter_model(tokenizer_de, seed=seed)
    history = training.train(
        model,
        batches,
        epochs=steps / len(batches),
        lr=1e-3,
        warmup_ratio=0.05,
        loss_fn=loss_fn,
        progress=False,
    )
    return model, history


def timed_run(name: str, pairs, tokenizer_en, tokenizer_de, *, steps: int, seed: int) -> dict:
    """Train chapter 10's model for `steps` steps on one loader; its seconds."""
    _, history = train_on(name, pairs, tokenizer_en, tokenizer_de, steps=steps, seed=seed)
    return {"loader": name, "steps": len(history.steps), "seconds": history.seconds}


def bleu_run(name: str, *, seed: int = 0, token_weighted: bool = False, steps: int = STEPS) -> dict:
    """Chapter 10's short run (600 steps unless told) on one loader; greedy BLEU on the first 500 test sentences."""
    pairs, tokenizer_en, tokenizer_de = chapter_pairs(seed=seed, steps=steps)
    mean_tokens = float(np.mean([len(ids) for ids in pairs["labels"]])) * BATCH

    def token_sum(model, batch):  # every label token weighs the same, whatever its batch's length
        logits = model(**batch).logits
        summed = torch.nn.functional.cross_entropy(
            logits.flatten(0, 1).float(), batch["labels"].flatten(), ignore_index=-100, reduction="sum"
        )
        return summed / mean_tokens

    model, history = train_on(
        name,
        pairs,
        tokenizer_en,
        tokenizer_de,
        steps=steps,
        seed=seed,
        loss_fn=token_sum if token_weighted else None,
    )
    test = data.load_split("multi30k", "test").select(range(TEST_ROWS))
    outputs = translation.translate(
        model, [pair["en"] for pair in test["translation"]], tokenizer_en, tokenizer_de, max_new_tokens=MAX_LENGTH
    )
    bleu = sacrebleu.corpus_bleu(outputs, [[pair["de"] for pair in test["translation"]]]).score
    return {
        "loader": name,
        "token_weighted": token_weighted,
        "seed": seed,
        "steps": len(history.steps),
        "pairs": len(pairs),
        "passes": len(history.steps) * BATCH / len(pairs),
        "train_seconds": history.seconds,
        "test_bleu": bleu,
    }


def measure(*, steps: int, seed: int = 0, rows: int | None = None) -> dict:
    """Padding shares of the three loaders, and their training seconds in turns (after a warm-up)."""
    pairs, tokenizer_en, tokenizer_de = chapter_pairs(seed=seed, rows=rows)
    collator = DataCollatorForSeq2Seq(tokenizer_en, label_pad_token_id=-100)
    shares = {name: real_shares(loader(name, pairs, collator, seed=seed)) for name in LOADERS}
    timed_run("random", pairs, tokenizer_en, tokenizer_de, steps=min(steps, 3), seed=seed)  # warm-up
    runs = [
        timed_run(name, pairs, tokenizer_en, tokenizer_de, steps=steps, seed=seed) for _ in range(2) for name in LOADERS
    ]
    seconds = {name: float(np.mean([run["seconds"] for run in runs if run["loader"] == name])) for name in LOADERS}
    return {
        "real_token_shares": shares,
        "runs": runs,
        "step_seconds": {name: value / steps for name, value in seconds.items()},
        "speedup_over_random": {name: seconds["random"] / value for name, value in seconds.items()},
    }


def main(argv: list[str] | None = None) -> dict:
    """Measure, print and write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0],
        quick_help="3 steps on 2,000 pairs",
        default_out=DEFAULT_OUT,
    )
    parser.add_argument(
        "--steps",
        type=int,
        nargs="+",
        help="training steps per timed run (one number; default: 100); with --bleu, one whole run per number "
        f"on each loader (default: the chapter's {STEPS})",
    )
    parser.add_argument(
        "--bleu",
        nargs="+",
        metavar="LOADER",
        help=f"instead of timing: train the whole short run on each named loader ({', '.join(LOADERS + (SHUFFLED,))}; "
        "append ' +tokens' for a loss that weighs every label token the same) and score test BLEU",
    )
    parser.add_argument("--seed", type=int, default=0, help="the seed of the --bleu runs (default: 0)")
    args = parser.parse_args(argv)
    unknown = [spec for spec in args.bleu or [] if spec.removesuffix(" +tokens") not in LOADERS + (SHUFFLED,)]
    if unknown:  # before the first run trains for minutes
        parser.error(f"unknown loader(s) {unknown}: choose from {', '.join(LOADERS + (SHUFFLED,))}")
    if any(steps < 1 for steps in args.steps or []):
        parser.error(f"--steps must be positive, got {args.steps}")
    if not args.bleu and args.steps and len(args.steps) > 1:
        parser.error("--steps takes one number for the timed runs; several only with --bleu")
    threads = args.threads or int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    runtime.setup(seed=0, threads=threads)
    if args.bleu:
        runs = []
        for steps in args.steps or [STEPS]:
            for spec in args.bleu:
                name, weighted = spec.removesuffix(" +tokens"), spec.endswith(" +tokens")
                runs.append(bleu_run(name, seed=args.seed, token_weighted=weighted, steps=steps))
                print(json.dumps(runs[-1]), flush=True)
        result = {
            "machine": common.machine(precision="no"),
            "settings": {
                "threads": threads,
                "command": "python benchmarks/translation_batches.py "
                + shlex.join(argv if argv is not None else sys.argv[1:]),
            },
            "bleu_runs": runs,
        }
        common.write_json(result, args.out)
        print(f"wrote {args.out}")
        return result
    steps = 3 if args.quick else (args.steps or [100])[0]
    result = measure(steps=steps, rows=2_000 if args.quick else None)
    for name in LOADERS:
        share = result["real_token_shares"][name]
        print(
            f"{name:18s} real tokens: source {share['source']:.0%}, labels {share['labels']:.0%}; "
            f"{result['step_seconds'][name] * 1000:.0f} ms per step "
            f"({result['speedup_over_random'][name]:.2f}x the random batches' speed)",
            flush=True,
        )
    result = {
        "machine": common.machine(precision="no"),
        "settings": {
            "threads": threads,
            "steps": steps,
            "batch": BATCH,
            "quick": args.quick,
        },
        **result,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
