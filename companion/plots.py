"""Plots of training runs and of the chapters' result tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from companion.training import History

MIN_SPAN = 0.2  # a metric's axis spans at least this share of its scale (see metric_limits)


def metric_limits(
    values: Sequence[float], *, references: Sequence[float] = (), min_span: float = MIN_SPAN
) -> tuple[float, float]:
    """Return (bottom, top) for a metric's axis: its values and references, at least min_span of its scale.

    Autoscaled to the data alone, a wiggle of 0.800-0.805 fills the axis and reads as a collapse. The scale
    is 1 for a metric whose values and references all lie in [0, 1] (accuracy, F1, a share), where the
    window also stays inside [0, 1]; otherwise it is the largest absolute value (BLEU, a loss).
    """
    points = np.asarray([*values, *references], dtype=float)
    points = points[np.isfinite(points)]
    if points.size == 0:
        raise ValueError("no finite value to scale the axis to")
    low, high = float(points.min()), float(points.max())
    bounded = low >= 0.0 and high <= 1.0
    scale = 1.0 if bounded else max(abs(low), abs(high)) or 1.0
    span = max(high - low, min_span * scale)
    bottom = (low + high - span) / 2
    if bounded:  # keep the window inside [0, 1]
        bottom = min(max(bottom, 0.0), 1.0 - span) if span <= 1.0 else 0.0
    margin = 0.05 * span  # so that markers on the edge are not cut
    return bottom - margin, bottom + span + margin


def plot_history(
    history: History,
    *,
    metric: str | None = None,
    reference: Mapping[str, float] | None = None,
    smooth: int = 20,
    title: str = "Fine-tuning",
) -> plt.Figure:
    """Plot training loss per step (raw and moving average) and, if given, an evaluation metric.

    The metric's axis spans at least MIN_SPAN of its scale (metric_limits); reference draws named levels
    on it as dashed lines, e.g. {"always the majority class": 0.805}, and the axis includes them.
    """
    steps = history.step_frame()
    if steps.empty:
        raise ValueError("the history has no steps to plot")
    evals = history.eval_frame()
    if metric is not None and metric not in evals.columns:
        raise KeyError(f"metric {metric!r} was not recorded; recorded: {', '.join(evals.columns) or 'none'}")
    if reference and metric is None:
        raise ValueError("reference levels are drawn on a metric's axis: pass metric= too")
    figure, loss_axis = plt.subplots(figsize=(7, 3.5))
    loss_axis.plot(steps["step"], steps["loss"], alpha=0.3, color="tab:blue", label="loss (per step)")
    window = max(1, min(smooth, len(steps)))
    loss_axis.plot(
        steps["step"],
        steps["loss"].rolling(window, min_periods=1).mean(),
        color="tab:blue",
        label=f"loss ({window}-step mean)",
    )
    loss_axis.set_xlabel("optimizer step")
    loss_axis.set_ylabel("training loss (cross-entropy, nats)")
    loss_axis.set_title(title)
    handles, labels = loss_axis.get_legend_handles_labels()
    if metric is not None:
        metric_axis = loss_axis.twinx()
        metric_axis.plot(evals["step"], evals[metric], "o-", color="tab:orange", label=metric)
        references = dict(reference or {})
        for (name, level), style in zip(references.items(), ["--", ":", "-."] * len(references)):
            metric_axis.axhline(level, color="grey", linestyle=style, linewidth=1, label=name)
        if np.isfinite(evals[metric].to_numpy(dtype=float)).any():
            metric_axis.set_ylim(*metric_limits(evals[metric], references=list(references.values())))
        metric_axis.set_ylabel(metric)
        more_handles, more_labels = metric_axis.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    loss_axis.legend(handles, labels, loc="upper right", fontsize="small")
    figure.tight_layout()
    return figure


def plot_bars(
    table: pd.DataFrame | pd.Series,
    *,
    title: str,
    columns: Sequence[str] | None = None,
    log: bool = False,
    value_format: str = "{:.3g}",
    width: float = 7.0,
) -> plt.Figure:
    """Plot a table's rows as horizontal bars, one panel per column, each bar labelled with its value."""
    if isinstance(table, pd.Series):
        if table.name is None:
            raise ValueError("name the Series (series.rename('what (unit)')): its name labels the axis")
        table = table.to_frame()
    if table.empty:
        raise ValueError("the table has no rows to plot")
    columns = list(table.columns) if columns is None else list(columns)
    missing = [column for column in columns if column not in table.columns]
    if missing or not columns:
        raise KeyError(
            f"no column {missing[0] if missing else None!r} to plot; "
            f"the table has: {', '.join(map(str, table.columns))}"
        )
    rows = np.arange(len(table))
    figure, axes = plt.subplots(1, len(columns), figsize=(width, 1.3 + 0.4 * len(table)), sharey=True, squeeze=False)
    for axis, column in zip(axes[0], columns):
        values = table[column].to_numpy(dtype=float)
        axis.barh(rows, values, color="tab:blue")
        for row, value in zip(rows, values):
            if np.isfinite(value):  # a missing value gets no bar and no label
                axis.annotate(
                    value_format.format(value),
                    (value, row),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize="small",
                )
        axis.set_xscale("log" if log else "linear")
        axis.margins(x=0.25)  # room for the value labels
        axis.set_xlabel(str(column))
    axes[0][0].set_yticks(rows, [str(label) for label in table.index])
    axes[0][0].invert_yaxis()  # the table's first row on top
    figure.suptitle(title)
    figure.tight_layout()
    return figure
