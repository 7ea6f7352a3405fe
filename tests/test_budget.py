import json
import math
from pathlib import Path

import datasets
import pytest
from transformers import BertConfig

from companion import budget

ROOT = Path(__file__).resolve().parent.parent
TINY = BertConfig(num_hidden_layers=2, hidden_size=64, num_attention_heads=4, intermediate_size=256)


@pytest.fixture
def steady_device(monkeypatch):
    """This device measures 1 TFLOP/s of matmul, whatever the machine: plans then depend on the inputs only."""
    monkeypatch.setattr(budget, "measure_throughput", lambda device=None, *, precision="no": 1e12)
    monkeypatch.delenv(budget.SCALE_ENV, raising=False)


def test_training_flops_match_a_hand_count():
    n, h, i = 8, 64, 256
    per_layer = 2 * n * h * 4 * h + 2 * 2 * n * n * h + 2 * 2 * n * h * i  # Q K V O, the two n^2 products, FFN
    forward = 2 * per_layer + 2 * h * h  # two layers and the pooler: 1,613,824
    assert forward == 1_613_824
    assert budget.training_flops(TINY, seq_len=8, rows=5) == 3 * 5 * forward
    assert budget.training_flops(TINY, seq_len=8, rows=5, frozen=True) == 5 * forward
    assert budget.training_flops(TINY, seq_len=7.6) == budget.training_flops(TINY, seq_len=8)  # a mean length
    head = 2 * n * h * 1000  # an output layer over 1,000 word pieces at each of the 8 positions
    assert budget.training_flops(TINY, seq_len=8, output_size=1000) == 3 * (forward + head)
    assert budget.training_flops(TINY, seq_len=8, output_size=1000, output_share=1.0) == 3 * (forward + head)


def test_an_output_layer_on_a_share_of_the_positions_costs_that_share():
    n, h = 8, 64
    forward = budget.training_flops(TINY, seq_len=n, frozen=True)
    masked = budget.training_flops(TINY, seq_len=n, frozen=True, output_size=1000, output_share=0.25)
    assert masked - forward == 2 * (n // 4) * h * 1000  # a masked LM scored at 2 of the 8 positions
    assert budget.training_flops(TINY, seq_len=n, output_size=1000, output_share=0) == 3 * forward
    with pytest.raises(ValueError, match="output_share"):
        budget.training_flops(TINY, seq_len=n, output_size=1000, output_share=1.5)


def test_bad_sizes_say_what_is_wrong():
    with pytest.raises(ValueError, match="positive"):
        budget.training_flops(TINY, seq_len=0)
    with pytest.raises(ValueError, match="positive"):
        budget.fit_rows(1e9, rows=10, epochs=1, flops_per_second=1e12, budget_seconds=0)
    with pytest.raises(ValueError, match="precision"):
        budget.efficiency("fp8")


def test_fit_rows_keeps_what_fits_then_cuts_epochs_then_rows():
    speed, per_row = 1e12, 1e9  # 1,000 row-passes per second
    assert budget.fit_rows(per_row, rows=1000, epochs=2, flops_per_second=speed, budget_seconds=10) == (1000, 2)
    rows, epochs = budget.fit_rows(per_row, rows=1000, epochs=3, flops_per_second=speed, budget_seconds=1.55)
    assert (rows, epochs) == (1000, 1.5)  # every row, in tenths of an epoch
    rows, epochs = budget.fit_rows(per_row, rows=10_000, epochs=2, flops_per_second=speed, budget_seconds=4)
    assert (rows, epochs) == (4000, 1.0)  # one epoch over a sample
    for rows, epochs in [(1000, 1.5), (4000, 1.0)]:
        assert rows * epochs * per_row / speed <= 4


def test_fast_profile_never_trims_by_speed(steady_device, monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "fast")
    plan = budget.plan(1e12, rows=10_000, epochs=2, seq_len=20, precision="no", budget_seconds=1)
    assert (plan.rows, plan.epochs) == (10_000, 2) and not plan.trimmed
    assert plan.here.seconds > 1  # it does not fit, and runs anyway


def test_full_profile_trims_to_the_budget(steady_device, monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    per_row = 1e12
    plan = budget.plan(per_row, rows=10_000, epochs=2, seq_len=20, precision="no", budget_seconds=60)
    assert plan.trimmed and plan.epochs == 1 and 0 < plan.rows < 10_000
    assert plan.here.seconds <= 60
    assert plan.here.seconds == pytest.approx(plan.rows * per_row / (1e12 * budget.efficiency("no")))
    whole = budget.plan(per_row, rows=10, epochs=2, seq_len=20, precision="no", budget_seconds=3600)
    assert not whole.trimmed


def test_paper_scale_never_trims_and_needs_the_full_profile(steady_device, monkeypatch):
    monkeypatch.setenv(budget.SCALE_ENV, "paper")
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    plan = budget.plan(1e12, rows=10_000, epochs=2, seq_len=20, precision="no", budget_seconds=1)
    assert (plan.rows, plan.epochs, plan.scale) == (10_000, 2, "paper")
    monkeypatch.setenv("BERTBOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="BERTBOOK_PROFILE=full"):
        budget.scale()


@pytest.mark.parametrize("value", ["papre", "full", "1"])
def test_bad_scale_values_name_the_fix(monkeypatch, value):
    monkeypatch.setenv(budget.SCALE_ENV, value)
    with pytest.raises(ValueError, match="set it to 'paper'"):
        budget.scale()


def test_the_printed_plan_says_which_run_and_both_estimates(steady_device, monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    plan = budget.plan(1e12, rows=10_000, epochs=2, seq_len=20, precision=None, budget_seconds=60)
    plan_precision = budget.runtime.mixed_precision()
    lines = str(plan).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"run: {plan.rows:,} rows x 1 epoch(s)") and "from 10,000 rows x 2 epoch(s)" in lines[0]
    assert budget.duration(plan.whole_here.seconds) in lines[0] and "BERTBOOK_SCALE=paper" in lines[0]
    assert "trimmed to fit 60 s here" in lines[0]  # the budget this plan was given
    assert plan.whole_here.seconds == pytest.approx(10_000 * 2 * 1e12 / (1e12 * budget.efficiency(plan_precision)))
    assert lines[1].startswith("estimate on this ") and lines[1].endswith(budget.duration(plan.here.seconds))
    assert (
        "Colab T4" in lines[2] and "65 TFLOP/s float16" in lines[2] and "not a measurement" in lines[2]
    )  # autocast on a T4 is fp16
    # a GPU gets one share at every precision: the mixed one was measured on a CPU's bf16 autocast
    gpu_share = budget.efficiency("fp16", device_type="cuda")
    assert gpu_share == budget.efficiency("no", device_type="cuda") != budget.efficiency("bf16")
    assert plan.colab_t4.seconds == pytest.approx(plan.rows * 1e12 / (65e12 * gpu_share))
    estimate = str(plan.here)
    assert "\n" not in estimate and f"{plan.rows:,} rows x 1 epoch(s)" in estimate and "FLOPs" in estimate


def test_float32_runs_are_estimated_at_the_t4s_float32_peak(steady_device, monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "fast")
    plan = budget.plan(1e12, rows=100, epochs=1, seq_len=20, precision="no")
    assert "8.1 TFLOP/s float32" in plan.colab_t4.device
    assert plan.colab_t4.seconds == pytest.approx(100 * 1e12 / (8.1e12 * budget.efficiency("no", device_type="cuda")))


def test_durations_read_naturally():
    assert [budget.duration(s) for s in (0.3, 42, 450, 3 * 3600)] == ["<1 s", "42 s", "7.5 min", "3.0 h"]


def test_sample_keeps_or_samples_the_rows(steady_device, monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    table = datasets.Dataset.from_dict({"x": list(range(1000))})
    kept = budget.plan(1e9, rows=len(table), epochs=1, seq_len=5, precision="no")
    assert kept.sample(table) is table
    trimmed = budget.plan(1e12, rows=len(table), epochs=1, seq_len=5, precision="no", budget_seconds=10)
    sample = trimmed.sample(table, seed=1)
    assert len(sample) == trimmed.rows < 1000 and sample["x"] == trimmed.sample(table, seed=1)["x"]
    with pytest.raises(ValueError, match="make the plan from the dataset"):
        trimmed.sample(table.select(range(10)))


def test_measured_throughput_is_a_positive_rate():
    rate = budget.measure_throughput("cpu", precision="no")
    assert math.isfinite(rate) and rate > 1e8  # any CPU of this century multiplies faster than 0.1 GFLOP/s


def test_efficiency_is_the_benchmarks_measurement():
    for precision, name in [("no", "mfu.json"), ("bf16", "mfu_bf16.json"), ("fp16", "mfu_bf16.json")]:
        result = json.loads((ROOT / "benchmarks" / "results" / name).read_text())
        assert budget.efficiency(precision) == result["summary"]["mfu"], (precision, name)
    # a GPU: the float32 run's plainest loop, the lowest share measured (a cautious assumption)
    float32 = json.loads((ROOT / "benchmarks" / "results" / "mfu.json").read_text())["summary"]
    lowest = min(variant["mfu"] for variant in float32["variants"].values())
    assert (
        budget.efficiency("bf16", device_type="cuda") == float32["variants"]["in order, unfused AdamW"]["mfu"] == lowest
    )


def test_the_pages_state_the_budget_the_code_uses():
    assert budget.BUDGET_SECONDS == 8 * 60  # "eight minutes" in README.md and book/how_to_use.md
    for page in (ROOT / "README.md", ROOT / "book" / "how_to_use.md"):
        assert "eight minutes" in page.read_text(encoding="utf-8"), page


def test_measuring_leaves_the_global_random_stream_alone():
    import torch

    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    budget.measure_throughput("cpu", precision="bf16")
    assert torch.equal(torch.rand(3), expected)
