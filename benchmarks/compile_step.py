"""Does torch.compile pay for itself within a chapter? The book's training loop with and without it.

    python benchmarks/compile_step.py --threads 2                 # 40 steps of SST-2 fine-tuning, float32
    python benchmarks/compile_step.py --threads 2 --precision bf16
    python benchmarks/compile_step.py --threads 1 --quick         # 3 steps: seconds (compilation still costs)

The run is benchmarks/mfu.py's built-in one with the book's loop (batches grouped by length, fused AdamW):
the packaged BERT classifying SST-2 sentences. The compiled variant wraps the model in
`torch.compile(model, dynamic=True)` (grouped batches change length from step to step; dynamic shapes
compile once instead of once per length). Order: a short eager warm-up, then compiled (its first run pays
the compilation), eager, compiled again, eager again; eager keeps the mean of its two runs. Reported: each
run's seconds, the steady per-step times, the compilation overhead (first compiled run minus the steady
compiled time for the same steps) and the number of steps after which the saving would repay it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402
import mfu  # noqa: E402

DEFAULT_OUT = common.RESULTS / "compile_step.json"


def timed_run(*, steps: int, precision: str, compiled: bool) -> dict:
    """The built-in run of benchmarks/mfu.py with the book's loop, the model compiled or not; its seconds."""
    made = mfu.builtin_run(steps=steps, precision=precision, grouped=True, fused_adamw=True, compiled=compiled)
    return {"compiled": compiled, "seconds": made["seconds"], "steps": made["steps"]}


def measure(*, steps: int, precision: str) -> dict:
    """Run eager and compiled in the order warm-up, C E C E; return the runs and what they imply."""
    timed_run(steps=min(steps, 3), precision=precision, compiled=False)  # warm-up
    runs = [timed_run(steps=steps, precision=precision, compiled=compiled) for compiled in (True, False, True, False)]
    eager = sum(run["seconds"] for run in runs if not run["compiled"]) / 2
    first_compiled, steady_compiled = runs[0]["seconds"], runs[2]["seconds"]
    saving_per_step = (eager - steady_compiled) / steps
    overhead = first_compiled - steady_compiled
    return {
        "runs": runs,
        "eager_step_seconds": eager / steps,
        "compiled_step_seconds": steady_compiled / steps,
        "speedup": eager / steady_compiled,
        "compile_overhead_seconds": overhead,
        "break_even_steps": overhead / saving_per_step if saving_per_step > 0 else None,
    }


def main(argv: list[str] | None = None) -> dict:
    """Measure, print and write the JSON."""
    parser = common.options(__doc__.splitlines()[0], quick_help="3 steps, for the tests", default_out=DEFAULT_OUT)
    parser.add_argument("--precision", choices=["no", "bf16"], default="no", help="training precision")
    args = parser.parse_args(argv)
    threads = args.threads or int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    mfu.runtime.setup(seed=0, threads=threads)
    steps = mfu.QUICK["steps"] if args.quick else mfu.FULL["steps"]
    result = measure(steps=steps, precision=args.precision)
    for run in result["runs"]:
        print(
            f"{'compiled' if run['compiled'] else 'eager':8s} {run['steps']} steps: {run['seconds']:.1f} s", flush=True
        )
    even = result["break_even_steps"]
    print(
        f"per step: eager {result['eager_step_seconds'] * 1000:.0f} ms, "
        f"compiled {result['compiled_step_seconds'] * 1000:.0f} ms "
        f"({result['speedup']:.2f}x); compilation {result['compile_overhead_seconds']:.0f} s, "
        + (f"repaid after {even:.0f} steps" if even is not None else "never repaid (no saving per step)")
    )
    result = {
        "machine": common.machine(precision=args.precision),
        "settings": {"threads": threads, "steps": steps, "precision": args.precision, "quick": args.quick},
        **result,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
