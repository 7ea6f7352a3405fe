"""Measure what "small and fast" means: median latency after warm-up, and size on disk."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import torch

from companion import runtime


def median_seconds(
    fn: Callable[[], object], *, min_run_time: float = 0.5, warmup: int = 2, min_repeats: int = 7
) -> float:
    """Return the median wall time of fn() in seconds: timed call by call after warm-up calls.

    Each call is timed on its own, so a pause of the whole process (another job, the OS) spoils one
    sample, not the median; at least min_repeats calls and min_run_time seconds are timed.
    """
    return median_seconds_each({"fn": fn}, min_run_time=min_run_time, warmup=warmup, min_repeats=min_repeats)["fn"]


def median_seconds_each(
    fns: Mapping[str, Callable[[], object]], *, min_run_time: float = 0.5, warmup: int = 2, min_repeats: int = 7
) -> dict[str, float]:
    """Return each function's median wall time in seconds, timing them in turns: one call of each per round.

    Timed in turns, the functions share whatever else the machine is doing: a load that comes and goes
    slows each of them in the same rounds, so their ratios hold where separate timings one after another
    would not. At least min_repeats rounds are timed, and at least min_run_time seconds per function.
    Interleave only functions that share one thread pool (PyTorch models with each other): a runtime
    with its own pool, such as ONNX Runtime, keeps its threads spinning for a moment after each call and
    slows the PyTorch call that follows.
    """
    if min_run_time <= 0 or warmup < 0 or min_repeats < 1:
        raise ValueError(
            f"min_run_time and min_repeats must be positive and warmup >= 0, "
            f"got {min_run_time}, {min_repeats}, {warmup}"
        )
    if not fns:
        raise ValueError("no functions to time")
    if runtime.rehearsal():  # bert-base's shape on a CPU: fewer samples, still a median
        warmup, min_repeats = min(warmup, 1), min(min_repeats, runtime.REHEARSAL_TIMINGS)
    for _ in range(warmup):  # first calls allocate, compile or fill caches
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    started = time.perf_counter()
    while len(times[next(iter(fns))]) < min_repeats or time.perf_counter() - started < min_run_time * len(fns):
        for name, fn in fns.items():
            begin = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - begin)
    return {name: statistics.median(samples) for name, samples in times.items()}


def size_on_disk(path: str | os.PathLike) -> int:
    """Return the bytes a file, or all the files under a folder, take on disk."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
    raise FileNotFoundError(f"{path} does not exist; save the model there first")


def saved_size(model: torch.nn.Module) -> int:
    """Return the bytes of torch.save(model.state_dict()): a model's weights as they would be shipped."""
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "weights.pt"
        torch.save(model.state_dict(), file)
        return file.stat().st_size
