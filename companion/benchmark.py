"""Measure what "small and fast" means: median latency after warm-up, and size on disk."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

from companion import runtime


def median_seconds(fn: Callable[[], object], *, min_run_time: float = 0.5, warmup: int = 2,
                   min_repeats: int = 7) -> float:
    """Return the median wall time of fn() in seconds: timed call by call after warm-up calls.

    Each call is timed on its own, so a pause of the whole process (another job, the OS) spoils one
    sample, not the median; at least min_repeats calls and min_run_time seconds are timed.
    """
    if min_run_time <= 0 or warmup < 0 or min_repeats < 1:
        raise ValueError(f"min_run_time and min_repeats must be positive and warmup >= 0, "
                         f"got {min_run_time}, {min_repeats}, {warmup}")
    if runtime.rehearsal():  # bert-base's shape on a CPU: fewer samples, still a median
        warmup, min_repeats = min(warmup, 1), min(min_repeats, runtime.REHEARSAL_TIMINGS)
    for _ in range(warmup):  # first calls allocate, compile or fill caches
        fn()
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < min_repeats or time.perf_counter() - started < min_run_time:
        begin = time.perf_counter()
        fn()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


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
