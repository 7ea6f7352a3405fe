"""Measure what "small and fast" means: median latency after warm-up, and size on disk."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import torch
import torch.utils.benchmark as torch_benchmark


def median_seconds(fn: Callable[[], object], *, min_run_time: float = 0.5, warmup: int = 2,
                   threads: int | None = None) -> float:
    """Return the median wall time of fn() in seconds (torch.utils.benchmark, after warm-up calls)."""
    if min_run_time <= 0 or warmup < 0:
        raise ValueError(f"min_run_time must be positive and warmup >= 0, got {min_run_time}, {warmup}")
    for _ in range(warmup):  # first calls allocate, compile or fill caches
        fn()
    timer = torch_benchmark.Timer(stmt="fn()", globals={"fn": fn},
                                  num_threads=threads or torch.get_num_threads())  # Timer's default is 1 thread
    return timer.blocked_autorange(min_run_time=min_run_time).median


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
