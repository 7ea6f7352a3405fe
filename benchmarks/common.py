"""What every benchmark records beside its numbers: the machine, and a JSON file to keep them in."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

import torch
import transformers

RESULTS = Path(__file__).resolve().parent / "results"


def cpu_model() -> str:
    """Return the processor's name from /proc/cpuinfo (Linux), else what platform reports."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(*, precision: str) -> dict[str, object]:
    """Return the CPU, its cores, PyTorch's threads, the versions and the precision a result was measured at."""
    isa = {name: bool(getattr(torch.cpu, f"_is_{name}_supported", lambda: False)())
           for name in ("avx512", "avx512_bf16", "amx_tile")}  # private but present since torch 2.1
    return {"cpu": cpu_model(), "logical_cores": os.cpu_count(), "threads": torch.get_num_threads(),
            "precision": precision, "torch": torch.__version__, "transformers": transformers.__version__,
            "python": platform.python_version(), "isa": isa}


def write_json(result: dict, path: str | os.PathLike) -> Path:
    """Write a result as indented JSON (creating the folder); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path
