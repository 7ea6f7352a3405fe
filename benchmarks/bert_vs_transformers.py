"""Time the book's from-scratch BERT against transformers' BertModel (eager and SDPA attention), same weights, CPU.

    python benchmarks/bert_vs_transformers.py                      # batch 1, 8, 32 x length 32, 128, 512
    python benchmarks/bert_vs_transformers.py --threads 1 --quick  # a small grid, seconds

All three models carry the packaged BERT's weights (companion.bert.from_transformers copies them), run in
eval mode under torch.no_grad() in float32 on random token ids with no padding. Each forward pass is timed
with torch.utils.benchmark.Timer.blocked_autorange after one warm-up call; the table shows the medians,
the ratios from-scratch / eager and from-scratch / SDPA (above 1: the book's model is slower), and the
largest absolute difference between the last hidden states (the models must agree, not only be fast).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import torch
from torch.utils import benchmark
from transformers import AutoModel
from transformers.utils import logging

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402

from companion import bert, models, runtime  # noqa: E402

FULL_GRID = {"batch_sizes": (1, 8, 32), "lengths": (32, 128, 512), "min_run_time": 1.0}
QUICK_GRID = {"batch_sizes": (1, 4), "lengths": (16, 64), "min_run_time": 0.1}
DEFAULT_OUT = common.RESULTS / "bert_vs_transformers.json"


def load_models() -> dict[str, torch.nn.Module]:
    """Return the from-scratch BERT and BertModel with eager and with SDPA attention, all with the same weights."""
    eager = models.load_model(AutoModel, attn_implementation="eager").eval()
    sdpa = models.load_model(AutoModel, attn_implementation="sdpa").eval()
    return {"from-scratch": bert.from_transformers(eager), "eager": eager, "sdpa": sdpa}


def time_forward(model: torch.nn.Module, inputs: dict[str, torch.Tensor], *, min_run_time: float) -> dict:
    """Return the median seconds of one no-grad forward pass (after a warm-up call) and how many calls were timed."""

    def forward():
        with torch.no_grad():
            return model(**inputs)

    forward()  # the first call allocates buffers and picks kernels
    timer = benchmark.Timer(stmt="forward()", globals={"forward": forward}, num_threads=torch.get_num_threads())
    measurement = timer.blocked_autorange(min_run_time=min_run_time)
    return {"median_s": measurement.median, "calls": len(measurement.times) * measurement.number_per_run}


def run(*, batch_sizes: tuple[int, ...], lengths: tuple[int, ...], min_run_time: float = 1.0, seed: int = 0) -> dict:
    """Time every (batch, length) cell for the three models; return the machine, the settings and one row per cell."""
    if min(batch_sizes) < 1 or min(lengths) < 1:
        raise ValueError(f"batch sizes and lengths must be positive, got {batch_sizes} and {lengths}")
    trio = load_models()
    limit = trio["eager"].config.max_position_embeddings
    if max(lengths) > limit:
        raise ValueError(f"length {max(lengths)} exceeds the model's {limit} positions; use shorter lengths")
    generator = torch.Generator().manual_seed(seed)
    cells = []
    for batch in batch_sizes:
        for length in lengths:
            ids = torch.randint(1000, trio["eager"].config.vocab_size, (batch, length), generator=generator)
            inputs = {"input_ids": ids, "token_type_ids": torch.zeros_like(ids), "attention_mask": torch.ones_like(ids)}
            with torch.no_grad():
                hidden = {name: model(**inputs).last_hidden_state for name, model in trio.items()}
            times = {name: time_forward(model, inputs, min_run_time=min_run_time) for name, model in trio.items()}
            scratch = times["from-scratch"]["median_s"]
            cells.append(
                {
                    "batch": batch,
                    "length": length,
                    **{f"{name}_ms": 1e3 * timed["median_s"] for name, timed in times.items()},
                    **{f"{name}_calls": timed["calls"] for name, timed in times.items()},
                    "scratch_over_eager": scratch / times["eager"]["median_s"],
                    "scratch_over_sdpa": scratch / times["sdpa"]["median_s"],
                    "max_abs_diff_eager": (hidden["from-scratch"] - hidden["eager"]).abs().max().item(),
                    "max_abs_diff_sdpa": (hidden["from-scratch"] - hidden["sdpa"]).abs().max().item(),
                }
            )
    settings = {
        "model": models.model_name().split("/")[-1],
        "batch_sizes": list(batch_sizes),
        "lengths": list(lengths),
        "min_run_time_s": min_run_time,
        "seed": seed,
        "inputs": "random token ids, no padding",
        "mode": "eval, torch.no_grad()",
    }
    return {"machine": common.machine(precision="float32"), "settings": settings, "cells": cells}


def profile_ops(trio: dict[str, torch.nn.Module], *, batch: int, length: int, top: int = 12) -> pd.DataFrame:
    """Return self CPU milliseconds and calls per forward pass of the costliest operators, two columns per model."""
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(1000, trio["eager"].config.vocab_size, (batch, length), generator=generator)
    inputs = {"input_ids": ids, "token_type_ids": torch.zeros_like(ids), "attention_mask": torch.ones_like(ids)}
    columns = {}
    for name, model in trio.items():
        with torch.no_grad():
            model(**inputs)  # warm-up, outside the profile
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profiler:
                for _ in range(3):
                    model(**inputs)
        events = profiler.key_averages()
        columns[f"{name} ms"] = {event.key: event.self_cpu_time_total / 3e3 for event in events}
        columns[f"{name} calls"] = {event.key: event.count / 3 for event in events}
    frame = pd.DataFrame(columns).fillna(0.0)
    slowest = frame[[column for column in frame if column.endswith(" ms")]].max(axis=1).nlargest(top).index
    return frame.loc[slowest]


def table(result: dict) -> pd.DataFrame:
    """Return the cells as a table: milliseconds per forward pass, the two ratios and the two differences."""
    frame = pd.DataFrame(result["cells"]).set_index(["batch", "length"])
    columns = {
        "from-scratch_ms": "from-scratch ms",
        "eager_ms": "eager ms",
        "sdpa_ms": "sdpa ms",
        "scratch_over_eager": "scratch/eager",
        "scratch_over_sdpa": "scratch/sdpa",
        "max_abs_diff_eager": "max|Δ| eager",
        "max_abs_diff_sdpa": "max|Δ| sdpa",
    }
    return frame[list(columns)].rename(columns=columns)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = common.options(
        __doc__.splitlines()[0],
        default_out=DEFAULT_OUT,
        quick_help="a small grid (batch 1, 4 x length 16, 64) for tests",
    )
    parser.add_argument(
        "--profile-cell",
        type=int,
        nargs=2,
        metavar=("BATCH", "LENGTH"),
        default=None,
        help="also profile one cell: self CPU ms per forward pass of the costliest operators",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Run the grid, print the table, write the JSON; return the result."""
    args = parse_args(argv)
    runtime.set_threads(args.threads)
    logging.disable_progress_bar()  # the weight-loading bars would bury the table
    result = run(**(QUICK_GRID if args.quick else FULL_GRID))
    with pd.option_context("display.float_format", "{:.3g}".format, "display.width", 160, "display.max_columns", None):
        print(table(result))
        if args.profile_cell:
            batch, length = args.profile_cell
            ops = profile_ops(load_models(), batch=batch, length=length)
            result["profile"] = {"batch": batch, "length": length, "self_cpu_ms": ops.to_dict()}
            print(f"\nself CPU ms per forward pass, batch {batch} x length {length}:\n{ops}")
    print(
        f"{result['machine']['cpu']}, {result['machine']['threads']} thread(s), torch {result['machine']['torch']}; "
        f"wrote {common.write_json(result, args.out)}"
    )
    return result


if __name__ == "__main__":
    main()
