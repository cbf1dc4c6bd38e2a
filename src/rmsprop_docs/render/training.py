"""Figures of the mini-batch page: Hinton's drift, loss curves on the digits, and the effect of batch size.

Every number drawn comes from :mod:`rmsprop_docs.learning` (the comparison
and the batch-size study are cached there, so drawing is fast once they ran).
"""

from __future__ import annotations

import pathlib

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from rmsprop_docs.learning import compare, drift
from rmsprop_docs.render import styles
from rmsprop_docs.render.plots import COLOURS, PLOT_RC, _figure, _save, emphasis, shared_legend

DRIFT_SHOWN = ("SGD", "sign descent", "Rprop", "RMSprop, rho 0.9", "RMSprop, rho 0.99", "RMSprop, rho 0.999")


def _array(values) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=np.float64)


def hinton_drift_figure(*, steps: int, curvature: float, size) -> Figure:
    """Left: the weight under gradients +0.1 (nine batches) and -0.9 (the tenth); right: the same plus curvature."""
    with matplotlib.rc_context(PLOT_RC):
        figure, (flat, curved) = _figure(*size, panels=2)
        for name, colour in zip(DRIFT_SHOWN, COLOURS, strict=True):
            make = drift.CONTENDERS[name]
            flat.plot(drift.drift(make(), steps), color=colour, label=name, **emphasis(name))
            curved.plot(drift.drift(make(), steps, curvature=curvature), color=colour, label=name, **emphasis(name))
        flat.set_yscale("symlog", linthresh=0.01)
        flat.set_title("Mean gradient 0: the weight should stay at 0")
        curved.set_title(f"With curvature {curvature:g}: the minimum is at 0")
        curved.axhline(0.0, color=styles.MINIMUM, lw=0.8, ls="--")
        curved.axhline(-0.1 / curvature, color=styles.MUTED, lw=0.8, ls=":")
        curved.set_ylim(-0.2, 0.2)
        for ax in (flat, curved):
            ax.set_xlabel("mini-batch step")
            ax.set_ylabel("w")
        shared_legend(figure, flat, ncols=2)
    return figure


def hinton_drift(out: pathlib.Path, **params) -> None:
    """Draw :func:`hinton_drift_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(hinton_drift_figure(**params), out)


def loss_curves_figure(*, model: str, size) -> Figure:
    """Training loss (mean over the steps of each epoch) and test loss of each tuned optimizer, median and range."""
    result = compare.comparison(compare.Settings(model=model))
    with matplotlib.rc_context(PLOT_RC):
        figure, (train_ax, test_ax) = _figure(*size, panels=2)
        for row, colour in zip(result["results"], COLOURS, strict=True):
            epochs = np.arange(1, len(row["steps"]) + 1)
            for ax, key in ((train_ax, "train_curves"), (test_ax, "test_curves")):
                curves = _array(row[key])
                look = emphasis(row["label"])
                ax.plot(epochs, np.median(curves, axis=0), color=colour, label=row["label"], **look)
                if "RMSprop" in row["label"]:  # one band, RMSprop's: six overlapping bands hide the lines
                    ax.fill_between(epochs, curves.min(axis=0), curves.max(axis=0), color=colour, alpha=0.2, lw=0)
        for ax, title in ((train_ax, "training loss (mini-batches)"), (test_ax, "test loss")):
            ax.set_yscale("log")
            ax.set_xlabel("epoch")
            ax.set_title(f"{title}, {model}")
        shared_legend(figure, train_ax, ncols=3)
    return figure


def loss_curves(out: pathlib.Path, **params) -> None:
    """Draw :func:`loss_curves_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(loss_curves_figure(**params), out)


def batch_size_effect_figure(*, size) -> Figure:
    """Final training loss against batch size, each optimizer tuned per size: median and range over the seeds."""
    result = compare.batch_study()
    sizes = result["settings"]["batch_sizes"]
    with matplotlib.rc_context(PLOT_RC):
        figure, (ax,) = _figure(*size)
        for contender, colour in zip(compare.BATCH_CONTENDERS, COLOURS, strict=False):
            rows = {r["batch_size"]: r for r in result["results"] if r["label"] == contender.label}
            losses = [np.array(rows[s]["train_loss"], dtype=np.float64) for s in sizes]
            # A loss that rounds to exactly 0 cannot go on a log axis: show it at 1e-6 instead.
            median = np.maximum([np.median(v) for v in losses], 1e-6)
            low = np.maximum([v.min() for v in losses], 1e-6)
            high = np.maximum([v.max() for v in losses], 1e-6)
            ax.errorbar(
                sizes,
                median,
                yerr=[median - low, high - median],
                color=colour,
                marker="o",
                capsize=3,
                label=contender.label,
                **emphasis(contender.label),
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes, [f"{s}" + (" (full)" if s == max(sizes) else "") for s in sizes])
        ax.minorticks_off()
        ax.set_xlabel("batch size")
        ax.set_ylabel(f"training loss after {result['settings']['steps']} steps")
        shared_legend(figure, ax, ncols=3)
    return figure


def batch_size_effect(out: pathlib.Path, **params) -> None:
    """Draw :func:`batch_size_effect_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(batch_size_effect_figure(**params), out)


PLOTS = {"hinton_drift": hinton_drift, "loss_curves": loss_curves, "batch_size_effect": batch_size_effect}
