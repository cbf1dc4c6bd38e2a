"""Static figures for the pages, one function per figure kind.

Each function takes the output path and the registry's parameters, computes
everything it shows with the core, and writes a PNG atomically.  PNGs are
written by Pillow from the canvas pixels, so no timestamp or version text
makes two renders differ.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable

import matplotlib
import numpy as np
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from PIL import Image, PngImagePlugin

from rmsprop_docs import files, problems
from rmsprop_docs.optimizers import adagrad, rmsprop
from rmsprop_docs.render import styles
from rmsprop_docs.sweep import grid, sweep
from rmsprop_docs.trajectory import trace

DPI = 150
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
# Static figures are at most this wide, with no text under 10 points: a 375 px phone shows them 343 px wide
# (317 px inside a folded block), and a desktop column (about 690 px) at full size.
WIDTH = 700
# The site's look at 10 points: 20.8 pixels at 150 dpi, still 9.4 CSS px in a folded block on a phone (317 px).
PLOT_RC = {**styles.DEFAULT.rc, "font.size": 10, "axes.titlesize": 11}


def _figure(width_px: int, height_px: int, panels: int = 1) -> tuple[Figure, list]:
    """A figure of ``panels`` axes stacked in one column (side by side they would be too small on a phone),
    laid out by Matplotlib's constrained layout so that legends outside the axes get room."""
    figure = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, layout="constrained")
    axes = [figure.add_subplot(panels, 1, i + 1) for i in range(panels)]
    return figure, axes


def shared_legend(figure: Figure, ax, ncols: int = 3) -> None:
    """One legend for every panel, above them all: it never covers a curve."""
    handles, labels = ax.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside upper center", ncols=ncols, frameon=False)


def legend_below(ax, ncols: int = 2) -> None:
    """A panel's own legend under its axes, outside the data."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=ncols, frameon=False)


def emphasis(label: str) -> dict:
    """How a run is drawn where RMSprop is compared with others: RMSprop's lines wide and on top."""
    return {"lw": 2.6, "zorder": 4} if "RMSprop" in label else {"lw": 1.2, "alpha": 0.85}


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_POWER = re.compile(r"\$\\mathdefault\{(-?)(?:([\d.]+)\\times)?10\^\{(-?\d+)\}\}\$")
_NUMBER = re.compile(r"\$\\mathdefault\{(-?[\d.]+)\}\$")


def plain_power(label: str) -> str:
    """A log axis' tick label as plain text with Unicode superscripts, drawn as the TeX one looks.

    >>> plain_power(r"$\\mathdefault{10^{-2}}$"), plain_power(r"$\\mathdefault{-3\\times10^{4}}$")
    ('10⁻²', '−3×10⁴')
    >>> plain_power(r"$\\mathdefault{0}$"), plain_power(r"$x^2$")
    ('0', '$x^2$')
    """
    power, number = _POWER.fullmatch(label), _NUMBER.fullmatch(label)
    if power:
        sign, mantissa, exponent = power.groups()
        return ("−" if sign else "") + (f"{mantissa}×" if mantissa else "") + "10" + exponent.translate(_SUPERSCRIPTS)
    if number:
        return number.group(1).replace("-", "−")
    return label


class _PlainLogLabels(ticker.Formatter):
    """Matplotlib's log-axis labels without its math renderer: parsing a TeX label for every tick of every
    log axis was a tenth of all the figures' rendering time."""

    def __init__(self, inner: ticker.Formatter):
        self.inner = inner

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None) -> str:
        return plain_power(self.inner(x, pos))


def _plain_log_labels(figure: Figure) -> None:
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            for get, set_ in (
                (axis.get_major_formatter, axis.set_major_formatter),
                (axis.get_minor_formatter, axis.set_minor_formatter),
            ):
                if isinstance(get(), ticker.LogFormatterMathtext):
                    set_(_PlainLogLabels(get()))


def _save(figure: Figure, out: pathlib.Path) -> None:
    _plain_log_labels(figure)
    canvas = FigureCanvasAgg(figure)
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].copy()
    # A palette PNG is several times smaller and indistinguishable for line art.
    image = Image.fromarray(rgb, "RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    info = PngImagePlugin.PngInfo()
    info.add_text(styles.SMALLEST_TEXT_KEY, f"{styles.smallest_text_px(figure):g}")
    with files.atomic_path(out) as tmp:
        # level 8: within 3% of level 9's size, in under half its time
        image.save(tmp, format="PNG", compress_level=8, pnginfo=info)


def _contours(ax, problem: problems.Problem, xlim, ylim) -> None:
    gx, gy = np.meshgrid(np.linspace(*xlim, 240), np.linspace(*ylim, 240))
    z = problem.f(np.stack([gx, gy], axis=-1))
    levels = styles.contour_levels(z)
    ax.contourf(gx, gy, z, levels=levels, cmap="Blues_r", alpha=0.35)
    ax.contour(gx, gy, z, levels=levels, colors=styles.MUTED, linewidths=0.4, alpha=0.7)
    ax.plot(*problem.minimum, "*", ms=10, color=styles.MINIMUM, mec="white", mew=0.5, zorder=5)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x")
    ax.set_ylabel("y")


def accumulators_figure(*, problem: str, x0, steps: int, lr: float, rho: float, size) -> Figure:
    """Adagrad's sum against RMSprop's leaky mean, and the step sizes they allow."""
    with matplotlib.rc_context(PLOT_RC):
        figure, (left, right) = _figure(*size, panels=2)
        runs = {
            "Adagrad": trace(problem, x0, adagrad(lr=lr), steps),
            f"RMSprop (ρ = {rho:g})": trace(problem, x0, rmsprop(lr=lr, rho=rho), steps),
        }
        for (name, path), colour in zip(runs.items(), COLOURS, strict=False):
            left.semilogy(path.accumulators[:, 0], color=colour, label=name, **emphasis(name))
            right.semilogy(path.effective_lr[:, 0], color=colour, label=name, **emphasis(name))
        left.set_title("Accumulator v (first coordinate)")
        right.set_title("Effective learning rate |Δx| / |g|")
        for ax in (left, right):
            ax.set_xlabel("step")
        shared_legend(figure, left, ncols=2)
    return figure


def accumulators(out: pathlib.Path, **params) -> None:
    """Draw :func:`accumulators_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(accumulators_figure(**params), out)


def eps_placement_figure(*, problem: str, x0, steps: int, lr: float, eps: float, size) -> Figure:
    """The same hyperparameters under each convention, with a large eps."""
    prob = problems.get(problem)
    with matplotlib.rc_context(PLOT_RC):
        figure, (left, right) = _figure(*size, panels=2)
        _contours(left, prob, prob.bounds[0], prob.bounds[1])
        for convention, colour in zip(("pytorch", "keras", "tf1"), COLOURS, strict=False):
            path = trace(problem, x0, rmsprop(lr=lr, eps=eps, convention=convention), steps)
            pts = path.points
            left.plot(pts[:, 0], pts[:, 1], "-", color=colour, lw=1.3, label=convention)
            distance = np.linalg.norm(pts - np.asarray(prob.minimum), axis=1)
            right.semilogy(distance, color=colour, label=convention)
        left.plot(*x0, "o", mfc="none", mec=styles.START, ms=6)
        left.set_title(f"Paths with eps = {eps:g}")
        right.set_title("Distance to the minimum")
        right.set_xlabel("step")
        shared_legend(figure, left, ncols=3)
    return figure


def eps_placement(out: pathlib.Path, **params) -> None:
    """Draw :func:`eps_placement_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(eps_placement_figure(**params), out)


def hyperparameter_map_figure(*, problem: str, x0, steps: int, tol: float, lrs, rhos, size) -> Figure:
    """Steps to reach tol of the minimum over a grid of lr and rho (vectorized sweep)."""
    lr_values = np.geomspace(*lrs)
    rho_values = np.linspace(*rhos)
    axes_grid = grid(lr=lr_values, rho=rho_values)
    result = sweep(problem, x0, steps, tol=tol, **axes_grid)
    reached = result.steps_to_tol.reshape(len(lr_values), len(rho_values)).astype(float)
    reached[reached < 0] = np.nan
    with matplotlib.rc_context(PLOT_RC):
        figure, (ax,) = _figure(*size)
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#d9dce1")
        mesh = ax.pcolormesh(rho_values, lr_values, reached, cmap=cmap, norm=LogNorm(), shading="nearest")
        ax.set_yscale("log")
        ax.set_xlabel("ρ (decay of the accumulator)")
        ax.set_ylabel("learning rate")
        ax.set_title(f"Steps until within {tol:g} of the minimum (grey: never in {steps})")
        figure.colorbar(mesh, ax=ax, label="steps")
    return figure


def hyperparameter_map(out: pathlib.Path, **params) -> None:
    """Draw :func:`hyperparameter_map_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(hyperparameter_map_figure(**params), out)


PLOTS: dict[str, Callable[..., None]] = {
    "accumulators": accumulators,
    "eps_placement": eps_placement,
    "hyperparameter_map": hyperparameter_map,
}
