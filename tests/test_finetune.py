import importlib.util
from pathlib import Path

import pytest
import torch

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "finetune.py"


@pytest.fixture(scope="module")
def finetune():
    spec = importlib.util.spec_from_file_location("finetune", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help_names_the_tasks_and_how_to_scale_out(finetune, capsys):
    with pytest.raises(SystemExit) as exit_info:
        finetune.parse_args(["--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    assert "sst2" in shown and "ag_news" in shown and "--rows" in shown
    assert "accelerate launch --multi_gpu" in finetune.__doc__ and "torchrun --nproc_per_node 2" in finetune.__doc__


def test_a_tiny_run_trains_and_reports_accuracy(finetune, tmp_path, capsys):
    from companion import data

    try:
        data.mirror_dir()
    except Exception as error:  # unit tests stay offline: without the mirror there is no SST-2 to read
        pytest.skip(f"needs the dataset mirror: {error}")
    before = torch.get_num_threads()
    try:
        figures = finetune.main(
            [
                "--task",
                "sst2",
                "--rows",
                "64",
                "--eval-rows",
                "48",
                "--threads",
                "1",
                "--precision",
                "no",
                "--json",
                str(tmp_path / "figures.json"),
            ]
        )
    finally:
        torch.set_num_threads(before)
    assert figures["processes"] == 1 and figures["batches_per_epoch"] == 2 and figures["steps_per_process"] == 2
    assert figures["training_rows"] == 64 and figures["evaluation_rows"] == 48
    assert 0.0 <= figures["accuracy"] <= 1.0
    assert "validation accuracy" in capsys.readouterr().out
    assert (tmp_path / "figures.json").is_file()


def test_bad_row_counts_are_refused(finetune):
    with pytest.raises(SystemExit, match="--rows must be at least 1"):
        finetune.main(["--rows", "0"])
