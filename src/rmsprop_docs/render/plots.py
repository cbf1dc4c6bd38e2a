"""Static figures for the pages, one function per figure kind.

Each function takes the output path and the registry's parameters, computes
everything it shows with the core, and writes a PNG atomically.  PNGs are
written by Pillow from the canvas pixels, so no timestamp or version text
makes two renders differ.
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from PIL import Image

from rmsprop_docs import files, problems
from rmsprop_docs.optimizers import adagrad, rmsprop
from rmsprop_docs.render import styles
from rmsprop_docs.sweep import grid, sweep
from rmsprop_docs.trajectory import trace

DPI = 150
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def _figure(width_px: int, height_px: int, ncols: int = 1) -> tuple[Figure, list]:
    figure = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI)
    axes = [figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    return figure, axes


def _save(figure: Figure, out: pathlib.Path) -> None:
    canvas = FigureCanvasAgg(figure)
    figure.tight_layout()
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].copy()
    # A palette PNG is several times smaller and indistinguishable for line art.
    image = Image.fromarray(rgb, "RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    with files.atomic_path(out) as tmp:
        image.save(tmp, format="PNG", optimize=True)


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


def precision_ending(out: pathlib.Path, *, steps: int, lr: float, size) -> None:
    """Float64 hovers in a 2-cycle about lr from (2, -1); float32 lands on it."""
    with matplotlib.rc_context(styles.DEFAULT.rc):
        figure, (left, right) = _figure(*size, ncols=2)
        paths = {
            dtype: trace("quadratic", (1.0, 0.0), rmsprop(lr=lr), steps, dtype) for dtype in ("float64", "float32")
        }
        for (dtype, path), colour in zip(paths.items(), COLOURS, strict=False):
            distance = np.linalg.norm(path.points.astype(np.float64) - (2.0, -1.0), axis=1)
            shown = np.where(distance == 0, np.nan, distance)
            left.semilogy(shown, color=colour, lw=1.2, label=dtype)
            exact = np.flatnonzero(distance == 0)
            if exact.size:
                left.axvline(exact[0], color=colour, ls=":", lw=1)
                left.annotate(
                    f"{dtype}: exactly (2, -1)\nfrom step {exact[0]}",
                    (exact[0], 1e-3),
                    xytext=(8, 0),
                    textcoords="offset points",
                    color=colour,
                    fontsize=8,
                )
        left.set_xlabel("step")
        left.set_ylabel("distance to (2, -1)")
        left.set_title("Distance to the minimum")
        left.legend(loc="upper right")
        tail = paths["float64"].points[-6:].astype(np.float64)
        right.plot(tail[:, 0], tail[:, 1], "-o", color=COLOURS[0], ms=5, lw=0.8, label="float64, last 6 points")
        right.plot(2.0, -1.0, "*", ms=14, color=COLOURS[1], mec="white", label="float32 (and the minimum)")
        for corner in tail[-2:]:
            right.annotate(
                f"({corner[0]:.4f}, {corner[1]:.4f})", corner, xytext=(6, -12), textcoords="offset points", fontsize=8
            )
        right.set_xlim(1.99, 2.012)
        right.set_ylim(-1.012, -0.99)
        right.set_aspect("equal", adjustable="box")
        right.set_title("The last steps, magnified")
        right.set_xlabel("x")
        right.set_ylabel("y")
        right.legend(loc="upper left", fontsize=7)
        _save(figure, out)


def accumulators(out: pathlib.Path, *, problem: str, x0, steps: int, lr: float, rho: float, size) -> None:
    """Adagrad's sum against RMSprop's leaky mean, and the step sizes they allow."""
    with matplotlib.rc_context(styles.DEFAULT.rc):
        figure, (left, right) = _figure(*size, ncols=2)
        runs = {
            "Adagrad": trace(problem, x0, adagrad(lr=lr), steps),
            f"RMSprop (ρ = {rho:g})": trace(problem, x0, rmsprop(lr=lr, rho=rho), steps),
        }
        for (name, path), colour in zip(runs.items(), COLOURS, strict=False):
            left.semilogy(path.accumulators[:, 0], color=colour, label=name)
            right.semilogy(path.effective_lr[:, 0], color=colour, label=name)
        left.set_title("Accumulator v (first coordinate)")
        right.set_title("Effective learning rate |Δx| / |g|")
        for ax in (left, right):
            ax.set_xlabel("step")
            ax.legend()
        _save(figure, out)


def eps_placement(out: pathlib.Path, *, problem: str, x0, steps: int, lr: float, eps: float, size) -> None:
    """The same hyperparameters under each convention, with a large eps."""
    prob = problems.get(problem)
    with matplotlib.rc_context(styles.DEFAULT.rc):
        figure, (left, right) = _figure(*size, ncols=2)
        _contours(left, prob, prob.bounds[0], prob.bounds[1])
        for convention, colour in zip(("pytorch", "keras", "tf1"), COLOURS, strict=False):
            path = trace(problem, x0, rmsprop(lr=lr, eps=eps, convention=convention), steps)
            pts = path.points
            left.plot(pts[:, 0], pts[:, 1], "-", color=colour, lw=1.3, label=convention)
            distance = np.linalg.norm(pts - np.asarray(prob.minimum), axis=1)
            right.semilogy(distance, color=colour, label=convention)
        left.plot(*x0, "o", mfc="none", mec=styles.START, ms=6)
        left.set_title(f"Paths with eps = {eps:g}")
        left.legend(loc="upper right", fontsize=7)
        right.set_title("Distance to the minimum")
        right.set_xlabel("step")
        right.legend()
        _save(figure, out)


def variants(out: pathlib.Path, *, problem: str, x0, steps: int, lr: float, size, xlim, ylim) -> None:
    """Plain RMSprop against each option, one panel per option."""
    prob = problems.get(problem)
    options = {
        "momentum = 0.9": {"momentum": 0.9},
        "centered": {"centered": True},
        "weight decay = 0.5": {"weight_decay": 0.5},
    }
    with matplotlib.rc_context(styles.DEFAULT.rc):
        figure, axes = _figure(*size, ncols=3)
        plain = trace(problem, x0, rmsprop(lr=lr), steps).points
        for ax, (name, kwargs) in zip(axes, options.items(), strict=True):
            _contours(ax, prob, xlim, ylim)
            other = trace(problem, x0, rmsprop(lr=lr, **kwargs), steps).points
            ax.plot(plain[:, 0], plain[:, 1], "-", color=COLOURS[0], lw=1.1, label="plain")
            ax.plot(other[:, 0], other[:, 1], "-", color=COLOURS[1], lw=1.1, label=name)
            ax.plot(*x0, "o", mfc="none", mec=styles.START, ms=5)
            ax.set_title(name)
            ax.legend(loc="lower right", fontsize=6.5)
        _save(figure, out)


def hyperparameter_map(out: pathlib.Path, *, problem: str, x0, steps: int, tol: float, lrs, rhos, size) -> None:
    """Steps to reach tol of the minimum over a grid of lr and rho (vectorized sweep)."""
    lr_values = np.geomspace(*lrs)
    rho_values = np.linspace(*rhos)
    axes_grid = grid(lr=lr_values, rho=rho_values)
    result = sweep(problem, x0, steps, tol=tol, **axes_grid)
    reached = result.steps_to_tol.reshape(len(lr_values), len(rho_values)).astype(float)
    reached[reached < 0] = np.nan
    with matplotlib.rc_context(styles.DEFAULT.rc):
        figure, (ax,) = _figure(*size)
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#d9dce1")
        mesh = ax.pcolormesh(rho_values, lr_values, reached, cmap=cmap, norm=LogNorm(), shading="nearest")
        ax.set_yscale("log")
        ax.set_xlabel("ρ (decay of the accumulator)")
        ax.set_ylabel("learning rate")
        ax.set_title(f"Steps until within {tol:g} of the minimum (grey: never in {steps})")
        figure.colorbar(mesh, ax=ax, label="steps")
        _save(figure, out)


PLOTS: dict[str, Callable[..., None]] = {
    "precision_ending": precision_ending,
    "accumulators": accumulators,
    "eps_placement": eps_placement,
    "variants": variants,
    "hyperparameter_map": hyperparameter_map,
}
