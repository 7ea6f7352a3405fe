import importlib.util
import json
import math
from pathlib import Path

import pytest
import torch
from transformers import AutoConfig, BertConfig

from companion import flops, models

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
MACHINE_KEYS = {"cpu", "logical_cores", "threads", "precision", "torch", "transformers"}


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def positive_finite(value: float) -> bool:
    return isinstance(value, float) and math.isfinite(value) and value > 0


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture()
def needs_mirror():
    from companion import data

    try:
        data.mirror_dir()
    except Exception as error:  # unit tests stay offline: without the mirror there is no SST-2 to read
        pytest.skip(f"needs the dataset mirror: {error}")


def test_bert_vs_transformers_times_every_cell_and_the_models_agree(tmp_path, monkeypatch):
    script = load("bert_vs_transformers")
    monkeypatch.setattr(script, "QUICK_GRID", {"batch_sizes": (1, 2), "lengths": (8,), "min_run_time": 0.01})
    result = script.main(["--quick", "--threads", "1", "--out", str(tmp_path / "bert.json")])
    assert json.loads((tmp_path / "bert.json").read_text()) == result
    assert MACHINE_KEYS <= set(result["machine"]) and result["machine"]["threads"] == 1
    assert [(cell["batch"], cell["length"]) for cell in result["cells"]] == [(1, 8), (2, 8)]
    for cell in result["cells"]:
        assert all(positive_finite(cell[key]) for key in ("scratch_over_eager", "scratch_over_sdpa", "sdpa_ms"))
        assert cell["scratch_over_eager"] == pytest.approx(cell["from-scratch_ms"] / cell["eager_ms"])
        assert cell["max_abs_diff_eager"] < 1e-4 and cell["max_abs_diff_sdpa"] < 1e-4  # same weights, same outputs
    assert list(script.table(result).columns)[:3] == ["from-scratch ms", "eager ms", "sdpa ms"]
    with pytest.raises(ValueError, match="positions"):
        script.run(batch_sizes=(1,), lengths=(4096,))


def test_profile_shows_the_three_shapes_of_attention():
    script = load("bert_vs_transformers")
    trio = script.load_models()
    calls = script.profile_ops(trio, batch=1, length=8, top=100)
    layers = trio["eager"].config.num_hidden_layers
    assert calls.loc["aten::div", "from-scratch calls"] == layers and calls.loc["aten::mul", "eager calls"] == layers
    assert calls.loc["aten::add", "from-scratch calls"] == calls.loc["aten::add", "eager calls"] + layers  # the bias
    assert calls.loc["aten::_scaled_dot_product_flash_attention_for_cpu", "sdpa calls"] == layers
    assert calls.loc["aten::bmm", "sdpa calls"] == 0 and calls.loc["aten::bmm", "from-scratch calls"] == 2 * layers


def test_train_vs_trainer_runs_both_loops_on_the_same_schedule(needs_mirror):
    script = load("train_vs_trainer")
    result = script.run(rows=16, eval_rows=16, batch_size=8, max_length=16, repeats=1)
    summary, settings = result["summary"], result["settings"]
    assert settings["steps"] == 2 and settings["examples_per_run"] == 16 and settings["training_rows"] == 16
    assert sorted(run["loop"] for run in result["runs"]) == ["companion", "trainer"]
    assert all(len(run["learning_rates"]) == 2 for run in result["runs"])
    assert summary["max_lr_difference"] == pytest.approx(0.0, abs=1e-12)  # the same warm-up and decay
    for loop in script.LOOPS:
        assert positive_finite(summary[loop]["examples_per_second"]) and 0 <= summary[loop]["accuracy"] <= 1
    assert positive_finite(summary["companion_over_trainer"])
    assert list(script.table(result).columns) == ["examples/s", "accuracy"]
    with pytest.raises(ValueError, match="precision"):
        script.run(rows=16, eval_rows=16, precision="fp16")


def test_training_flops_are_three_forwards_at_each_real_length():
    script = load("mfu")
    config = BertConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128)
    forward = {n: flops.forward_flops(config, n)["total"] for n in (10, 20)}
    assert script.training_flops(config, [10, 10, 20]) == 3 * (2 * forward[10] + forward[20])
    assert script.utilisation(work=6e9, seconds=2.0, ceiling=1e10) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="positive"):
        script.utilisation(work=1.0, seconds=0.0, ceiling=1.0)
    assert positive_finite(script.matmul_flops_per_second(size=128, dtype=torch.bfloat16, min_run_time=0.01))


def test_mfu_of_a_built_in_run_counts_real_tokens_below_padded_ones(needs_mirror):
    script = load("mfu")
    result = script.run(size=128, min_run_time=0.01, steps=1)
    summary = result["summary"]
    assert MACHINE_KEYS <= set(result["machine"]) and summary["sequences"] == 32
    assert set(summary["matmul_flops_per_second"]) == {"float32", "bfloat16"}
    assert positive_finite(summary["mfu"]) and positive_finite(summary["seconds"])
    assert summary["mfu"] < summary["utilisation_counting_padding"]  # a batch of SST-2 sentences has padding
    given = script.run(size=128, min_run_time=0.01, tokens=1000, sequences=100, seconds=2.0)["summary"]
    config = AutoConfig.from_pretrained(models.model_name())
    assert given["training_flops"] == 100 * 3 * flops.forward_flops(config, 10)["total"]  # at the mean length
    assert given["mfu"] == pytest.approx(given["training_flops"] / 2.0 / given["matmul_flops_per_second"]["float32"])

