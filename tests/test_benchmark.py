"""Tests of companion.benchmark: medians of real work, and sizes on disk."""

from __future__ import annotations

import time

import pytest
import torch

from companion import benchmark


def test_median_seconds_measures_the_call():
    calls = []

    def sleepy():
        calls.append(1)
        time.sleep(0.01)

    median = benchmark.median_seconds(sleepy, min_run_time=0.05, warmup=3, min_repeats=7)
    assert 0.009 < median < 0.05
    assert len(calls) >= 3 + 7  # the warm-up calls, then at least min_repeats timed ones
    with pytest.raises(ValueError, match="min_run_time"):
        benchmark.median_seconds(sleepy, min_run_time=0)


def test_median_ignores_one_long_pause():
    pauses = iter([0.3] + [0.0] * 100)  # the first timed call is "paused" for 0.3 s

    def sometimes_slow():
        time.sleep(next(pauses) + 0.001)

    assert benchmark.median_seconds(sometimes_slow, min_run_time=0.01, warmup=0, min_repeats=7) < 0.05


def test_size_on_disk(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"x" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.bin").write_bytes(b"y" * 23)
    assert benchmark.size_on_disk(tmp_path / "a.bin") == 100
    assert benchmark.size_on_disk(tmp_path) == 123
    with pytest.raises(FileNotFoundError, match="does not exist"):
        benchmark.size_on_disk(tmp_path / "missing")


def test_saved_size_grows_with_the_weights():
    small, large = torch.nn.Linear(10, 10), torch.nn.Linear(100, 100)
    assert 10 * 10 * 4 < benchmark.saved_size(small) < benchmark.saved_size(large)
    assert benchmark.saved_size(large) > 100 * 100 * 4  # float32: 4 bytes per weight


def test_median_seconds_each_times_in_turns_and_keeps_the_ratio_under_a_passing_load():
    order, load = [], iter([0.02] * 6 + [0.0] * 1000)  # the first three rounds run on a busy machine

    def work(name: str, seconds: float):
        def call():
            order.append(name)
            time.sleep(seconds + next(load))

        return call

    medians = benchmark.median_seconds_each(
        {"slow": work("slow", 0.004), "fast": work("fast", 0.002)}, min_run_time=0.01, warmup=0, min_repeats=9
    )
    assert order[:4] == ["slow", "fast", "slow", "fast"]  # one call of each per round
    assert order.count("slow") == order.count("fast") >= 9
    assert 1.4 < medians["slow"] / medians["fast"] < 2.6  # the busy rounds slowed both, the medians skip them
    with pytest.raises(ValueError, match="no functions"):
        benchmark.median_seconds_each({})
