"""Model FLOPs utilisation: a training run's useful FLOPs per second over this CPU's measured matmul FLOPs per second.

    python benchmarks/mfu.py                                   # a built-in run: 40 steps of SST-2 fine-tuning
    python benchmarks/mfu.py --precision bf16
    python benchmarks/mfu.py --tokens 120000 --sequences 8000 --seconds 310   # a run you made elsewhere
    python benchmarks/mfu.py --threads 1 --quick               # a few steps, small matrices: seconds

The ceiling is measured, not taken from a datasheet: the median time of torch.matmul on two square
matrices (2048 by default) in float32 and in bfloat16, at the thread count the training ran with. The
run's work is counted as in companion.flops: the matrix-multiply FLOPs of a forward pass at each
sequence's real length (padding excluded: padded positions are work the hardware does but the model
does not need), times 3 for forward + backward (the backward pass costs about twice the forward).
Utilisation = (that work / the run's seconds) / (matmul FLOPs per second at the run's precision).
The built-in run is companion.training.train on the packaged BERT, classifying SST-2 sentences, in three
ways on the same sentences: in order with PyTorch's default AdamW (on a CPU, a loop over the weight
tensors), grouped by length (chapter 7's batches), and grouped with fused AdamW (the book's loop, whose
utilisation is the summary's). After a short warm-up run each goes twice, in the order A B C C B A, and
keeps its mean time; the ratios between them are what each speed-up buys.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from pathlib import Path

import datasets
import torch
from torch.utils import benchmark
from torch.utils.data import DataLoader
from transformers import AutoConfig, AutoModelForSequenceClassification, BertConfig, DataCollatorWithPadding
from transformers.utils import logging

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402

from companion import data, flops, models, runtime, training  # noqa: E402

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}
PRECISION_DTYPE = {"no": "float32", "bf16": "bfloat16"}  # training precision -> the matmul ceiling it runs at
FULL = {"size": 2048, "min_run_time": 2.0, "steps": 40}
QUICK = {"size": 256, "min_run_time": 0.2, "steps": 3}
DEFAULT_OUT = common.RESULTS / "mfu.json"


def matmul_flops_per_second(
    *, size: int = 2048, dtype: torch.dtype = torch.float32, min_run_time: float = 2.0
) -> float:
    """Return this CPU's FLOPs per second on torch.matmul of two square matrices: 2 size^3 over the median time."""
    if size < 1:
        raise ValueError(f"size must be positive, got {size}")
    generator = torch.Generator().manual_seed(0)
    a, b = (torch.randn(size, size, generator=generator).to(dtype) for _ in range(2))
    torch.matmul(a, b)  # warm-up: oneDNN picks and caches its kernel on the first call
    timer = benchmark.Timer(
        stmt="torch.matmul(a, b)", globals={"torch": torch, "a": a, "b": b}, num_threads=torch.get_num_threads()
    )
    return 2 * size**3 / timer.blocked_autorange(min_run_time=min_run_time).median


def training_flops(config: BertConfig, lengths: Iterable[int]) -> int:
    """Return forward + backward FLOPs (3 x companion.flops' forward) over sequences of these real lengths."""
    per_length: dict[int, int] = {}
    total = 0
    for length in lengths:
        if length not in per_length:
            per_length[length] = flops.forward_flops(config, int(length))["total"]
        total += 3 * per_length[length]
    return total


def utilisation(*, work: float, seconds: float, ceiling: float) -> float:
    """Return model FLOPs utilisation: work (FLOPs) done in seconds, as a share of a ceiling in FLOPs per second."""
    if seconds <= 0 or ceiling <= 0:
        raise ValueError(f"seconds and ceiling must be positive, got {seconds} and {ceiling}")
    return work / seconds / ceiling


VARIANTS = {  # name -> (batches grouped by length, fused AdamW); the last is the book's training loop
    "in order, unfused AdamW": (False, False),
    "grouped by length, unfused AdamW": (True, False),
    "grouped by length, fused AdamW": (True, True),
}


def builtin_run(
    *,
    steps: int,
    batch_size: int = 32,
    max_length: int = 64,
    precision: str = "no",
    seed: int = 0,
    grouped: bool = True,
    fused_adamw: bool = True,
    compiled: bool = False,
) -> dict:
    """Fine-tune the packaged BERT on SST-2 for `steps` steps; return its config, real and padded lengths, seconds.

    grouped=True batches as chapter 7 does (training.grouped_loader); False takes the sentences in order.
    compiled=True trains torch.compile(model, dynamic=True) (benchmarks/compile_step.py); its seconds include
    any compilation.
    """
    if steps < 1 or batch_size < 1:
        raise ValueError(f"steps and batch_size must be positive, got {steps} and {batch_size}")
    tokenizer = models.load_tokenizer()
    train = data.load_split("sst2", "train").shuffle(seed=seed).select(range(steps * batch_size))
    encoded = train.map(
        lambda batch: tokenizer(batch["sentence"], truncation=True, max_length=max_length),
        batched=True,
        remove_columns=["sentence", "idx"],
    ).rename_column("label", "labels")
    collator = _RecordingCollator(DataCollatorWithPadding(tokenizer))
    if grouped:
        loader = training.grouped_loader(encoded, batch_size=batch_size, collate_fn=collator, seed=seed)
    else:
        loader = DataLoader(encoded, batch_size=batch_size, collate_fn=collator)
    runtime.seed_everything(seed)
    model = models.load_model(AutoModelForSequenceClassification, num_labels=2)
    config = model.config
    if compiled:  # the batches' lengths vary: compile for dynamic shapes once, not once per length
        model = torch.compile(model, dynamic=True)
    history = training.train(
        model, loader, epochs=1.0, lr=1e-4, mixed_precision=precision, fused_adamw=fused_adamw, progress=False
    )
    return {
        "config": config,
        "real_lengths": [int(n) for mask in collator.masks for n in mask.sum(dim=1)],
        "padded_lengths": [mask.shape[1] for mask in collator.masks for _ in range(mask.shape[0])],
        "seconds": history.seconds,
        "steps": len(history.steps),
    }


class _RecordingCollator:
    """A collator that keeps each batch's attention mask: the lengths counted are those of the batches trained on."""

    def __init__(self, collate):
        self.collate, self.masks = collate, []

    def __call__(self, features: list[dict]) -> dict:
        batch = self.collate(features)
        self.masks.append(batch["attention_mask"])
        return batch


def compare_loops(*, steps: int, precision: str) -> dict[str, dict]:
    """Run each of VARIANTS twice, in the order A B C C B A after a short warm-up run; keep the mean seconds.

    The mirrored order gives each variant one early and one late turn, so neither first-call costs nor a
    machine that speeds up or slows down during the benchmark favour one of them.
    """
    builtin_run(steps=min(steps, 3), precision=precision)  # warm-up: first calls, caches, thread pools
    names = list(VARIANTS)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for name in names + names[::-1]:
        grouped, fused_adamw = VARIANTS[name]
        runs[name].append(builtin_run(steps=steps, precision=precision, grouped=grouped, fused_adamw=fused_adamw))
    return {
        name: {
            **made[-1],
            "seconds": sum(run["seconds"] for run in made) / len(made),
            "each_seconds": [run["seconds"] for run in made],
        }
        for name, made in runs.items()
    }


def run(
    *,
    size: int = 2048,
    min_run_time: float = 2.0,
    steps: int = 40,
    precision: str = "no",
    tokens: int | None = None,
    sequences: int | None = None,
    seconds: float | None = None,
) -> dict:
    """Measure the matmul ceilings, then the utilisation of a built-in run (steps) or of a given one (tokens...)."""
    if precision not in PRECISION_DTYPE:
        raise ValueError(f"precision must be one of {', '.join(PRECISION_DTYPE)}, got {precision!r}")
    ceilings = {
        name: matmul_flops_per_second(size=size, dtype=dtype, min_run_time=min_run_time)
        for name, dtype in DTYPES.items()
    }
    ceiling = ceilings[PRECISION_DTYPE[precision]]
    variants = {}
    if tokens is None:
        for name, trained in compare_loops(steps=steps, precision=precision).items():  # the book's loop last
            config, real, seconds = trained["config"], trained["real_lengths"], trained["seconds"]
            work, padded_work = training_flops(config, real), training_flops(config, trained["padded_lengths"])
            variants[name] = {
                "seconds": seconds,
                "each_seconds": trained["each_seconds"],
                "tokens": sum(real),
                "padded_tokens": sum(trained["padded_lengths"]),
                "mfu": utilisation(work=work, seconds=seconds, ceiling=ceiling),
            }
        source = f"built-in: {steps} steps of SST-2 fine-tuning (batch 32, max length 64, as chapter 7 batches)"
        tokens, sequences = sum(real), len(real)
    else:
        if not (sequences and seconds) or min(tokens, sequences) < 1 or seconds <= 0:
            raise ValueError("a given run needs positive tokens, sequences and seconds")
        config = AutoConfig.from_pretrained(models.model_name())
        # Only the totals are known: every sequence is taken at the mean length (the n^2 term is then approximate).
        mean_length = max(1, round(tokens / sequences))
        work, padded_work = training_flops(config, [mean_length] * sequences), None
        source = f"given: {tokens:,} real tokens in {sequences:,} sequences, {seconds:.1f} s"
    summary = {
        "matmul_flops_per_second": ceilings,
        "training_flops": work,
        "seconds": seconds,
        "tokens": tokens,
        "sequences": sequences,
        "achieved_flops_per_second": work / seconds,
        "mfu": utilisation(work=work, seconds=seconds, ceiling=ceiling),
        "utilisation_counting_padding": (
            None if padded_work is None else utilisation(work=padded_work, seconds=seconds, ceiling=ceiling)
        ),
        "variants": variants,  # the built-in run's loop with and without the book's two speed-ups
    }
    settings = {
        "model": models.model_name().split("/")[-1],
        "matmul_size": size,
        "min_run_time_s": min_run_time,
        "run": source,
        "precision": precision,
        "ceiling_dtype": PRECISION_DTYPE[precision],
    }
    return {"machine": common.machine(precision=precision), "settings": settings, "summary": summary}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = common.options(
        __doc__.splitlines()[0], default_out=DEFAULT_OUT, quick_help="256 x 256 matrices and a 3-step run, for tests"
    )
    parser.add_argument(
        "--precision",
        choices=sorted(PRECISION_DTYPE),
        default="no",
        help="the run's precision: no (float32) or bf16 autocast; picks the ceiling",
    )
    parser.add_argument("--steps", type=int, default=None, help=f"built-in run's steps (default {FULL['steps']})")
    parser.add_argument("--size", type=int, default=None, help=f"matrix side (default {FULL['size']})")
    parser.add_argument("--tokens", type=int, default=None, help="a given run's real (unpadded) training tokens")
    parser.add_argument("--sequences", type=int, default=None, help="a given run's training sequences")
    parser.add_argument("--seconds", type=float, default=None, help="a given run's training seconds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Measure, print the utilisation, write the JSON; return the result."""
    args = parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    sizes.update({name: getattr(args, name) for name in ("steps", "size") if getattr(args, name)})
    os.environ["ACCELERATE_USE_CPU"] = "1"  # the run on the CPU whose matmuls set the ceiling, even beside a GPU
    runtime.set_threads(args.threads)
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    datasets.disable_progress_bars()
    result = run(**sizes, precision=args.precision, tokens=args.tokens, sequences=args.sequences, seconds=args.seconds)
    summary = result["summary"]
    for name, value in summary["matmul_flops_per_second"].items():
        print(f"matmul {result['settings']['matmul_size']}^2 {name:9s}: {value / 1e9:8.1f} GFLOP/s")
    print(f"run ({result['settings']['run']}): {summary['achieved_flops_per_second'] / 1e9:.1f} GFLOP/s of model work")
    padding = summary["utilisation_counting_padding"]
    print(
        f"model FLOPs utilisation vs {result['settings']['ceiling_dtype']} matmul: {summary['mfu']:.1%}"
        + ("" if padding is None else f" ({padding:.1%} counting padding)")
    )
    for name, variant in summary["variants"].items():
        print(f"  {name:34s}: {variant['seconds']:6.1f} s, MFU {variant['mfu']:.1%}")
    print(
        f"{result['machine']['cpu']}, {result['machine']['threads']} thread(s); "
        f"wrote {common.write_json(result, args.out)}"
    )
    return result


if __name__ == "__main__":
    main()
