"""What every benchmark records beside its numbers: the machine, and a JSON file to keep them in."""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import multiprocessing
import os
import platform
from collections.abc import Callable, Iterator
from pathlib import Path

import torch
import transformers

from companion import runtime

RESULTS = Path(__file__).resolve().parent / "results"


def options(description: str, *, quick_help: str, default_out: Path) -> argparse.ArgumentParser:
    """Return a parser with the options every benchmark takes: --threads, --quick and --out."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--threads", type=int, default=None, help="PyTorch CPU threads (default: OMP_NUM_THREADS, else all cores)"
    )
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--out", type=Path, default=default_out, help=f"the JSON file (default: {default_out})")
    return parser


def machine(*, precision: str) -> dict[str, object]:
    """Return the CPU, its cores, PyTorch's threads, the versions and the precision a result was measured at."""
    isa = {
        name: bool(getattr(torch.cpu, f"_is_{name}_supported", lambda: False)())
        for name in ("avx512", "avx512_bf16", "amx_tile")
    }  # private but present since torch 2.1
    return {
        "cpu": runtime.processor(),
        "logical_cores": os.cpu_count(),
        "threads": torch.get_num_threads(),
        "precision": precision,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
        "isa": isa,
    }


def write_json(result: dict, path: str | os.PathLike) -> Path:
    """Write a result as indented JSON (creating the folder); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path


def parse_lr(text: str) -> float:
    """A --lrs value: a peak learning rate between 0 and 0.01."""
    try:
        lr = float(text)
    except ValueError:
        lr = 0.0
    if not 0 < lr <= 0.01:
        raise ValueError(f"--lrs takes peak learning rates such as 1e-4, got {text!r}")
    return lr


def run_jobs(function: Callable[..., dict], jobs: list[dict], *, workers: int) -> Iterator[dict]:
    """Yield function(**job) for each job, in order: in this process with one worker, else in spawned processes."""
    if workers == 1:
        for job in jobs:
            yield function(**job)
        return
    # spawned, not forked: a child forked from a process whose torch threads have run deadlocks
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        futures = [pool.submit(function, **job) for job in jobs]
        for future in futures:
            yield future.result()
