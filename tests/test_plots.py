"""Tests of companion.plots: plot_bars draws a table as bars; plot_history scales a metric's axis honestly."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from companion import plots
from companion.training import History


@pytest.fixture()
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {"dev accuracy": [0.85, 0.78, np.nan], "ms per batch of 32": [40.0, 21.0, 20.0]},
        index=["teacher", "student, hard labels", "student, distilled"],
    )


def test_plot_bars_draws_one_panel_per_column(table):
    figure = plots.plot_bars(table, title="Distillation")
    try:
        axes = figure.get_axes()
        assert [axis.get_xlabel() for axis in axes] == list(table.columns)
        assert figure._suptitle.get_text() == "Distillation"
        assert [tick.get_text() for tick in axes[0].get_yticklabels()] == list(table.index)
        widths = [patch.get_width() for patch in axes[1].patches]
        assert widths == list(table["ms per batch of 32"])
        labels = [text.get_text() for text in axes[0].texts]
        assert labels == ["0.85", "0.78"]  # the missing value gets no label
    finally:
        plt.close(figure)


def test_plot_bars_takes_a_named_series_and_a_log_axis():
    figure = plots.plot_bars(
        pd.Series({"a": 1e3, "b": 1e9}, name="FLOPs"), title="Cost", log=True, value_format="{:.1e}"
    )
    try:
        (axis,) = figure.get_axes()
        assert axis.get_xscale() == "log" and axis.get_xlabel() == "FLOPs"
        assert [text.get_text() for text in axis.texts] == ["1.0e+03", "1.0e+09"]
    finally:
        plt.close(figure)


def test_plot_bars_selects_columns(table):
    figure = plots.plot_bars(table, title="Speed", columns=["ms per batch of 32"])
    try:
        assert [axis.get_xlabel() for axis in figure.get_axes()] == ["ms per batch of 32"]
    finally:
        plt.close(figure)


def test_plot_bars_refuses_what_it_cannot_draw(table):
    with pytest.raises(KeyError, match="dev accuracy"):
        plots.plot_bars(table, title="x", columns=["accuracy"])
    with pytest.raises(ValueError, match="name the Series"):
        plots.plot_bars(pd.Series([1.0, 2.0]), title="x")
    with pytest.raises(ValueError, match="no rows"):
        plots.plot_bars(table.iloc[:0], title="x")


def test_metric_limits_keep_a_small_wiggle_of_a_bounded_metric_small():
    bottom, top = plots.metric_limits([0.805, 0.800, 0.805])  # ch12's dev F1: a 0.005 wiggle
    assert top - bottom >= plots.MIN_SPAN  # the wiggle fills at most 2.5 % of the axis
    assert bottom < 0.800 and top > 0.805 and bottom >= -0.05 and top <= 1.05
    assert (0.800 + 0.805) / 2 == pytest.approx((bottom + top) / 2)  # centred on the values


def test_metric_limits_stay_inside_zero_to_one_and_include_the_references():
    bottom, top = plots.metric_limits([0.97, 0.99])
    assert top <= 1 + 0.05 * plots.MIN_SPAN and top - bottom >= plots.MIN_SPAN  # shifted down, not past 1
    bottom, top = plots.metric_limits([0.01, 0.02], references=[0.5])  # e.g. chance level
    assert bottom < 0.01 and top > 0.5 and bottom >= -0.05 * 0.49


def test_metric_limits_scale_an_unbounded_metric_by_its_size_and_leave_wide_ranges_alone():
    bottom, top = plots.metric_limits([30.1, 30.5])  # BLEU
    assert top - bottom >= plots.MIN_SPAN * 30.5
    bottom, top = plots.metric_limits([0.2, 0.9])  # already wider than the minimum: only a margin
    assert bottom == pytest.approx(0.2 - 0.035) and top == pytest.approx(0.9 + 0.035)
    with pytest.raises(ValueError, match="no finite value"):
        plots.metric_limits([float("nan")])


def test_plot_history_scales_the_metric_axis_and_draws_references():
    history = History(
        steps=[{"step": step, "epoch": step / 93, "loss": 0.7 - step / 1000, "lr": 1e-4} for step in range(1, 94)],
        evals=[{"step": step, "epoch": step / 93, "F1": f1} for step, f1 in [(31, 0.805), (62, 0.800), (93, 0.805)]],
    )
    figure = plots.plot_history(history, metric="F1", reference={"always 'equivalent'": 0.805})
    try:
        _, metric_axis = figure.axes
        bottom, top = metric_axis.get_ylim()
        assert (bottom, top) == pytest.approx(plots.metric_limits([0.805, 0.800, 0.805], references=[0.805]))
        assert top - bottom >= plots.MIN_SPAN
        assert "always 'equivalent'" in [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    finally:
        plt.close(figure)
    with pytest.raises(ValueError, match="pass metric="):
        plots.plot_history(history, reference={"chance": 0.5})
