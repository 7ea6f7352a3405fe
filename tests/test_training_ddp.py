"""training.train under two processes: DDP over gloo on the CPU, started by torchrun as Accelerate's launcher does.

(`accelerate launch --cpu --num_processes 2` starts one process unless given an MPI hostfile, accelerate
1.15; `accelerate launch --multi_gpu` runs torchrun. ACCELERATE_USE_CPU keeps the test on the CPU where
a GPU is present.)
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

WORKER = Path(__file__).with_name("ddp_worker.py")


def _free_port() -> int:
    with socket.socket() as probe:  # other jobs on this machine may hold accelerate's default port
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# torchrun's default rendezvous store needs libuv, which PyTorch's Windows wheels are built without, and
# PyTorch's CI does not test distributed training on Windows (pytorch/pytorch#139990): Linux and macOS only.
pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="torchrun needs libuv, absent from PyTorch's Windows builds (pytorch#139990)"
)


@pytest.fixture(scope="module")
def ranks(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("ddp")
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "TQDM_DISABLE": "1",
        "ACCELERATE_USE_CPU": "true",
        "ACCELERATE_MIXED_PRECISION": "no",
    }
    if sys.platform == "darwin":  # gloo would pick the machine's network address; both processes are local
        env.setdefault("GLOO_SOCKET_IFNAME", "lo0")
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        "2",
        "--nnodes",
        "1",
        "--master_addr",
        "127.0.0.1",
        "--master_port",
        str(_free_port()),
        str(WORKER),
        str(out),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    records = [json.loads((out / f"rank{rank}.json").read_text(encoding="utf-8")) for rank in (0, 1)]
    for record in records:
        record["weights"] = load_file(out / f"rank{record['rank']}.safetensors")
    return records


def test_each_process_takes_half_the_batches_and_the_schedule_ends_at_zero(ranks):
    for record in ranks:
        assert record["world_size"] == 2
        per_epoch = math.ceil(record["batches"] / 2)  # 13 batches -> 7 per process
        steps = record["steps"]
        assert len(steps) == 2 * per_epoch  # two epochs, not two epochs' worth of single-process steps
        assert [row["epoch"] for row in steps][per_epoch - 1] == 1.0
        lr = [row["lr"] for row in steps]
        assert lr[0] > 0 and max(lr) == pytest.approx(3e-3, rel=0.2)
        assert lr[-1] == pytest.approx(0.0, abs=1e-12)
        assert all(later <= earlier for earlier, later in zip(lr[1:], lr[2:]))  # decays after warm-up
        assert [row["epoch"] for row in record["evals"]] == [1.0, 2.0]


def test_recorded_losses_are_the_mean_over_both_processes(ranks):
    first, second = ranks
    assert first["local_losses"] != second["local_losses"]  # each process saw its own batches
    for step, row in enumerate(first["steps"]):
        mean = (first["local_losses"][step] + second["local_losses"][step]) / 2
        assert row["loss"] == pytest.approx(mean, rel=1e-5)
        assert row["rank"] == pytest.approx(0.5)  # loss_fn's parts are gathered too: (0 + 1) / 2
    assert [row["loss"] for row in first["steps"]] == [row["loss"] for row in second["steps"]]


def test_both_processes_end_with_the_same_weights_and_metrics(ranks):
    first, second = ranks
    assert first["weights"].keys() == second["weights"].keys()
    assert all(torch.equal(first["weights"][name], second["weights"][name]) for name in first["weights"])
    assert first["evals"] == second["evals"]
    losses = [row["loss"] for row in first["steps"]]
    assert sum(losses[-3:]) < sum(losses[:3])  # it trained
