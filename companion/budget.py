"""How long a training run will take, and how much of it fits a time budget (the Colab default).

The count is chapter 4's: ``companion.flops.forward_flops`` (matrix-multiply FLOPs of one forward pass),
times 3 for forward + backward. The speed is this device's measured ``torch.matmul`` throughput in the
run's dtype times an efficiency factor: the share of its own matmul throughput that the book's training
loop reached on the CPU that ran ``benchmarks/mfu.py`` (``benchmarks/results/mfu.json`` in float32 and
``mfu_bf16.json`` with bfloat16 autocast, copied into ``companion/measurements/mfu.json`` so that the
installed package has them, with the machine's name; a unit test keeps the copy equal to the benchmark's
results). A share does not carry over exactly from one machine to another: the same loop (in order,
PyTorch's default AdamW) reached 13.6 % of the float32 ceiling on an Intel Xeon in November 2026 and
18.0 % on an AMD EPYC in December, and a bfloat16 share depends on
whether the processor has AMX matrix units (the EPYC that measured it has none; on a CPU with AMX the
bfloat16 ceiling is several times higher and the estimate too short). On a GPU the share is an
assumption. Every estimate here is a guide, not a promise.

Which run a chapter makes:

- ``fast`` profile: the chapter's sizes, never trimmed by measured speed (results must not depend on
  the machine's speed); the estimate is printed all the same.
- ``full`` profile (what Colab runs on a GPU): the chapter's recipe, trimmed to fit
  ``BUDGET_SECONDS`` of training on this device: fewer epochs (down to one), then a sample of the rows.
- ``full`` profile with ``BERTBOOK_SCALE=paper``: the chapter's paper-scale recipe, untrimmed.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from importlib import resources

import datasets
import torch
from torch.utils import benchmark
from transformers import PretrainedConfig

from companion import flops, runtime

SCALE_ENV = "BERTBOOK_SCALE"
SCALES = ("budget", "paper")
BUDGET_SECONDS = 8 * 60  # of Colab's 10 minutes per chapter: the rest loads the model and data and evaluates
# NVIDIA T4 datasheet (the free Colab GPU): 8.1 TFLOPS single precision, 65 TFLOPS mixed precision (FP16/FP32)
T4_PEAK_FLOPS = {"no": 8.1e12, "fp16": 65e12}


def scale() -> str:
    """Return 'budget' (default: full-profile runs trimmed to fit BUDGET_SECONDS) or 'paper' (BERTBOOK_SCALE)."""
    value = os.environ.get(SCALE_ENV, "").strip().lower() or "budget"
    if value not in SCALES:
        raise ValueError(
            f"{SCALE_ENV}={value!r} is not a scale; set it to 'paper' for the paper-scale recipes "
            f"(with BERTBOOK_PROFILE=full), or unset it for runs sized to {BUDGET_SECONDS // 60} "
            "minutes"
        )
    if value == "paper" and runtime.is_fast():
        raise ValueError(
            f"{SCALE_ENV}=paper runs the full profile's recipes whole: set BERTBOOK_PROFILE=full as "
            f"well, or unset {SCALE_ENV} for the fast profile"
        )
    return value


def training_flops(
    config: PretrainedConfig,
    *,
    seq_len: float,
    rows: int = 1,
    frozen: bool = False,
    output_size: int = 0,
    output_share: float = 1.0,
) -> int:
    """Return the FLOPs of training on rows of seq_len tokens: 3 x forward (1 x if the model is frozen).

    output_size: the width of an output layer (a language-model head's vocabulary), counted on top of the
    encoder; the small heads of classifiers are left out. output_share: the share of the positions it runs
    on, 1 for a decoder that predicts every token, about 0.15 for a masked LM scored at its masked positions only.
    """
    if seq_len <= 0 or rows < 1 or output_size < 0 or not 0 <= output_share <= 1:
        raise ValueError(
            f"seq_len and rows must be positive, output_size not negative and output_share between 0 and 1, got "
            f"seq_len={seq_len}, rows={rows}, output_size={output_size}, output_share={output_share}"
        )
    length = max(1, round(seq_len))  # a mean length: the n^2 term is slightly under-counted, the rest exact
    output = round(2 * length * output_share * config.hidden_size * output_size)
    forward = flops.forward_flops(config, length)["total"] + output
    return (1 if frozen else 3) * rows * forward


def measure_throughput(device: torch.device | str | None = None, *, precision: str = "no") -> float:
    """Return FLOPs per second of torch.matmul on two square matrices in the precision's dtype (well under 1 s)."""
    if precision not in runtime.PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(runtime.PRECISIONS)}, got {precision!r}")
    device = torch.device(device) if device is not None else runtime.device()
    size = 1024 if device.type == "cpu" else 4096  # a GPU needs larger matrices to be busy
    generator = torch.Generator(device=device).manual_seed(0)  # its own: the chapter's random stream stays as it was
    dtype = runtime.PRECISIONS[precision]
    a, b = (torch.randn(size, size, generator=generator, device=device, dtype=dtype) for _ in range(2))
    torch.matmul(a, b)  # warm-up: the library picks and caches its kernel on the first call
    timer = benchmark.Timer(
        stmt="torch.matmul(a, b); sync()",
        num_threads=torch.get_num_threads(),
        globals={"torch": torch, "a": a, "b": b, "sync": _synchronizer(device)},
    )
    return 2 * size**3 / timer.blocked_autorange(min_run_time=0.2).median


def efficiency(precision: str, *, device_type: str = "cpu") -> float:
    """Return the share of matmul throughput the book's training loop reached (benchmarks/mfu.py) at a precision.

    The shares were measured on a CPU (the module's docstring says which). The mixed-precision one reflects
    a CPU's bfloat16 autocast, whose non-matmul work is slow. A GPU gets, at every precision, the float32
    share of the benchmark's plainest loop (in order, unfused AdamW), the lowest float32 share it measured,
    chosen so that a trimmed run is more likely to fit its budget: an assumption, unverified on any GPU.
    """
    if precision not in runtime.PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(runtime.PRECISIONS)}, got {precision!r}")
    if device_type != "cpu":
        return _measured_efficiency()["gpu"]["mfu"]
    return _measured_efficiency()["no" if precision == "no" else "mixed"]["mfu"]


@dataclass(frozen=True)
class Estimate:
    """How long training on rows x epochs takes on a device, from FLOPs and an effective speed."""

    seconds: float
    rows: int
    epochs: float
    tokens: int
    flops: float
    device: str

    def __str__(self) -> str:
        return (
            f"{self.rows:,} rows x {self.epochs:.3g} epoch(s) ({self.tokens:,} tokens, {self.flops:.1e} FLOPs) "
            f"on {self.device}: ~{duration(self.seconds)}"
        )


def estimate(
    flops_per_row: float, *, rows: int, epochs: float, seq_len: float, flops_per_second: float, device: str
) -> Estimate:
    """Return the Estimate of training rows x epochs at flops_per_row each, at an effective FLOPs per second."""
    if rows < 1 or epochs <= 0 or flops_per_second <= 0:
        raise ValueError(
            f"rows, epochs and flops_per_second must be positive, got {rows}, {epochs}, {flops_per_second}"
        )
    total = flops_per_row * rows * epochs
    return Estimate(
        seconds=total / flops_per_second,
        rows=rows,
        epochs=epochs,
        tokens=round(seq_len * rows * epochs),
        flops=total,
        device=device,
    )


def fit_rows(
    flops_per_row: float, *, rows: int, epochs: float, flops_per_second: float, budget_seconds: float = BUDGET_SECONDS
) -> tuple[int, float]:
    """Return (rows, epochs) trimmed to fit the budget: fewer epochs (down to one), then a sample of the rows."""
    if budget_seconds <= 0 or flops_per_row <= 0:
        raise ValueError(f"budget_seconds and flops_per_row must be positive, got {budget_seconds}, {flops_per_row}")
    affordable = budget_seconds * flops_per_second / flops_per_row  # rows x epochs that fit
    if rows * epochs <= affordable:
        return rows, epochs
    if rows <= affordable:  # every row at least once: as many tenths of an epoch as fit
        return rows, max(1.0, math.floor(10 * affordable / rows) / 10)
    epochs = min(epochs, 1.0)  # more distinct rows teach more than a second pass over fewer
    return max(1, math.floor(affordable / epochs)), epochs


@dataclass(frozen=True)
class Plan:
    """The run a chapter makes (rows, epochs), the recipe it came from, and its estimates here and on a T4."""

    rows: int
    epochs: float
    recipe_rows: int
    recipe_epochs: float
    scale: str
    here: Estimate
    colab_t4: Estimate
    whole_here: Estimate  # the untrimmed recipe on this device
    budget_seconds: float

    def sample(self, dataset: datasets.Dataset, *, seed: int = 0) -> datasets.Dataset:
        """Return the dataset itself when the plan keeps every row, else a seeded sample of plan.rows rows."""
        if len(dataset) != self.recipe_rows:
            raise ValueError(
                f"the plan was made for {self.recipe_rows:,} rows, this dataset has {len(dataset):,}: "
                "make the plan from the dataset it samples"
            )
        if self.rows >= len(dataset):
            return dataset
        return dataset.shuffle(seed=seed).select(range(self.rows)).flatten_indices()

    @property
    def trimmed(self) -> bool:
        """Return True when the run is smaller than the recipe."""
        return (self.rows, self.epochs) != (self.recipe_rows, self.recipe_epochs)

    def __str__(self) -> str:
        if self.scale == "paper":
            which = f"paper scale ({SCALE_ENV}=paper), the whole recipe"
        elif runtime.is_fast():
            which = "fast profile, the chapter's sizes (never trimmed by measured speed)"
        elif self.trimmed:
            which = (
                f"full profile, trimmed to fit {duration(self.budget_seconds)} here from {self.recipe_rows:,} rows x "
                f"{self.recipe_epochs:.3g} epoch(s), ~{duration(self.whole_here.seconds)} ({SCALE_ENV}=paper runs it)"
            )
        else:
            which = f"full profile, the whole recipe (it fits {duration(self.budget_seconds)} here)"
        run = self.here
        return (
            f"run: {run.rows:,} rows x {run.epochs:.3g} epoch(s), {run.tokens:,} tokens, {run.flops:.1e} FLOPs: "
            f"{which}\nestimate on {run.device}: ~{duration(run.seconds)}"
            f"\nestimate on {self.colab_t4.device}: ~{duration(self.colab_t4.seconds)}"
        )


def plan(
    flops_per_row: float,
    *,
    rows: int,
    epochs: float,
    seq_len: float,
    precision: str | None = None,
    budget_seconds: float = BUDGET_SECONDS,
) -> Plan:
    """Return the Plan for a recipe of rows x epochs: trimmed to the budget only in the full profile's default scale.

    precision: the run's autocast ("no", "bf16", "fp16"), or None where the chapter trains with
    runtime.mixed_precision(), which is what a T4 would then use too (fp16).
    """
    active_scale = scale()
    here_precision = precision or runtime.mixed_precision()
    where = runtime.device()
    here_share = efficiency(here_precision, device_type=where.type)
    here_speed = measure_throughput(where, precision=here_precision) * here_share
    here_label = (
        f"this {where.type} ({str(runtime.PRECISIONS[here_precision]).removeprefix('torch.')}: measured "
        f"matmul x {here_share:.3f} efficiency = {here_speed / 1e9:,.0f} GFLOP/s)"
    )
    run_rows, run_epochs = rows, epochs
    if not runtime.is_fast() and active_scale == "budget":
        run_rows, run_epochs = fit_rows(
            flops_per_row, rows=rows, epochs=epochs, flops_per_second=here_speed, budget_seconds=budget_seconds
        )
    t4_precision = "no" if precision == "no" else "fp16"  # runtime.mixed_precision() on a T4 is fp16
    t4_share = efficiency(t4_precision, device_type="cuda")
    t4_speed = T4_PEAK_FLOPS[t4_precision] * t4_share
    t4_label = (
        f"a free Colab T4 (from NVIDIA's peak, not a measurement: {T4_PEAK_FLOPS[t4_precision] / 1e12:g} "
        f"TFLOP/s {'float32' if t4_precision == 'no' else 'float16'} x {t4_share:.3f} efficiency)"
    )
    common = {"rows": run_rows, "epochs": run_epochs, "seq_len": seq_len}
    return Plan(
        rows=run_rows,
        epochs=run_epochs,
        recipe_rows=rows,
        recipe_epochs=epochs,
        scale=active_scale,
        here=estimate(flops_per_row, **common, flops_per_second=here_speed, device=here_label),
        colab_t4=estimate(flops_per_row, **common, flops_per_second=t4_speed, device=t4_label),
        whole_here=estimate(
            flops_per_row, rows=rows, epochs=epochs, seq_len=seq_len, flops_per_second=here_speed, device=here_label
        ),
        budget_seconds=budget_seconds,
    )


def duration(seconds: float) -> str:
    """Return a duration in the largest fitting unit: '<1 s', '45 s', '7.5 min', '3.2 h'."""
    if seconds < 1:
        return "<1 s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _synchronizer(device: torch.device):
    if device.type == "cuda":
        return torch.cuda.synchronize
    if device.type == "mps":
        return torch.mps.synchronize
    return lambda: None


def _measured_efficiency() -> dict[str, dict]:
    text = resources.files("companion").joinpath("measurements/mfu.json").read_text(encoding="utf-8")
    return json.loads(text)
