"""Tests of companion.plots.plot_bars: one labelled panel per column, the table's values as bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from companion import plots


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
