"""Time one fine-tuning step of the packaged BERT in float32 and in bfloat16 autocast, in one run, as a ratio.

    python scripts/bench_precision.py                 # all cores
    python scripts/bench_precision.py --threads 1

The two precisions alternate (fp32, bf16, fp32, ...) so that machine noise hits both alike; the script
prints the median seconds per step of each and their ratio, plus what runtime.mixed_precision() chooses.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch
from transformers import AutoModelForQuestionAnswering

ROOT = Path(__file__).resolve().parents[1]
from companion import models, runtime  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--length", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=6)
    args = parser.parse_args()

    report = runtime.setup(seed=0, threads=args.threads)
    model = models.load_model(AutoModelForQuestionAnswering).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)
    ids = torch.randint(1000, 20000, (args.batch_size, args.length))
    positions = torch.randint(1, args.length, (args.batch_size,))

    def step(bf16: bool) -> float:
        started = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = model(input_ids=ids, start_positions=positions, end_positions=positions).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return time.perf_counter() - started

    step(False), step(True)  # warm-up
    times = {"float32": [], "bfloat16 autocast": []}
    for _ in range(args.repeats):
        times["float32"].append(step(False))
        times["bfloat16 autocast"].append(step(True))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"threads {report['threads']}, batch {args.batch_size} x {args.length} tokens, "
        f"runtime.mixed_precision() = {report['mixed_precision']!r}"
    )
    for name, seconds in medians.items():
        print(f"  {name:18s} {seconds:.3f} s per step (median of {args.repeats})")
    print(f"  ratio float32 / bfloat16: {medians['float32'] / medians['bfloat16 autocast']:.2f}")


if __name__ == "__main__":
    main()
