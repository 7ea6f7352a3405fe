"""Plots of training runs."""

from __future__ import annotations

import matplotlib.pyplot as plt

from companion.training import History


def plot_history(history: History, *, metric: str | None = None, smooth: int = 20,
                 title: str = "Fine-tuning") -> plt.Figure:
    """Plot training loss per step (raw and moving average) and, if given, an evaluation metric."""
    steps = history.step_frame()
    if steps.empty:
        raise ValueError("the history has no steps to plot")
    evals = history.eval_frame()
    if metric is not None and metric not in evals.columns:
        raise KeyError(f"metric {metric!r} was not recorded; recorded: {', '.join(evals.columns) or 'none'}")
    figure, loss_axis = plt.subplots(figsize=(7, 3.5))
    loss_axis.plot(steps["step"], steps["loss"], alpha=0.3, color="tab:blue", label="loss (per step)")
    window = max(1, min(smooth, len(steps)))
    loss_axis.plot(steps["step"], steps["loss"].rolling(window, min_periods=1).mean(), color="tab:blue",
                   label=f"loss ({window}-step mean)")
    loss_axis.set_xlabel("optimizer step")
    loss_axis.set_ylabel("training loss (cross-entropy, nats)")
    loss_axis.set_title(title)
    handles, labels = loss_axis.get_legend_handles_labels()
    if metric is not None:
        metric_axis = loss_axis.twinx()
        metric_axis.plot(evals["step"], evals[metric], "o-", color="tab:orange", label=metric)
        metric_axis.set_ylabel(metric)
        more_handles, more_labels = metric_axis.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    loss_axis.legend(handles, labels, loc="upper right", fontsize="small")
    figure.tight_layout()
    return figure
