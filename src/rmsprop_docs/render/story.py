"""Figures that explain mechanisms: each draws the run that backs a claim on a page.

* ``stability``: distance to the minimum in float32, float64 and N-digit
  arithmetic, the gain ``lr * h / sqrt(v)`` that decides whether the minimum
  is stable for RMSprop's normalised step, and the 2-cycle it ends in.
* ``schedules``: a constant learning rate against decaying schedules.
* ``variant_effects``: momentum, centered under a steady gradient, and where
  coupled and decoupled weight decay settle.
"""

from __future__ import annotations

import pathlib

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from rmsprop_docs import arithmetic, problems, stepping, validation
from rmsprop_docs.optimizers import rmsprop, schedule
from rmsprop_docs.render import styles
from rmsprop_docs.render.plots import COLOURS, PLOT_RC, _contours, _figure, _save, legend_below, shared_legend
from rmsprop_docs.trajectory import trace

RUNS = (("float32", {"dtype": "float32"}), ("float64", {}), ("50 digits", {"digits": 50}))


def _floats(values) -> np.ndarray:
    return arithmetic.as_floats(np.asarray(values))


def _points(problem: str, x0, optimizer, steps: int) -> np.ndarray:
    """The points of a float64 run, equal to ``trace(problem, x0, optimizer, steps).points`` for a run that stays
    finite, without what ``trace`` also records (gradients, steps, accumulators): for the long runs that figures
    only draw."""
    prob = problems.get(problem)
    x = validation.point("x0", x0, prob.dim, "float64")
    points = np.empty((steps + 1, prob.dim))
    points[0] = x
    for step in stepping.iterate(prob, x, optimizer, steps):
        points[step.t] = step.x
    return points


def _distances(problem: str, points: np.ndarray) -> np.ndarray:
    return stepping.distance(points, problems.get(problem).minimum_in(points))


def stability_figure(*, problem: str, x0, steps: int, lr: float, curvature: float, tail: int, size) -> Figure:
    """Three arithmetics of one run: how close each gets, the gain that makes the minimum unstable, the cycle."""
    prob = problems.get(problem)
    paths = {name: trace(problem, x0, rmsprop(lr=lr), steps, **options) for name, options in RUNS}
    with matplotlib.rc_context(PLOT_RC):
        figure, (near, gain, cycle) = _figure(*size, panels=3)
        for (name, path), colour in zip(paths.items(), COLOURS, strict=False):
            # The exact run is drawn wide and pale, under the others: where float32 follows it, both show.
            look = {"lw": 4.0, "alpha": 0.45, "zorder": 1} if path.digits else {"lw": 1.3, "zorder": 3}
            distance = path.distances
            near.semilogy(np.where(distance == 0, np.nan, distance), color=colour, label=name, **look)
            landed = np.flatnonzero(distance == 0)
            if landed.size:
                near.plot(landed[0] - 1, distance[landed[0] - 1], "v", color=colour, ms=6)
                near.annotate(
                    f"{name}: gradient rounds to 0\nat step {landed[0]}; it stays",
                    (landed[0] - 1, distance[landed[0] - 1]),
                    xytext=(28, -6),
                    textcoords="offset points",
                    color=colour,
                )
            v = _floats(path.accumulators[:, 0])
            gain.semilogy(np.arange(1, steps + 1), lr * curvature / np.sqrt(v), color=colour, **look)
            offsets = _floats(path.points[-tail:, 0]) - prob.minimum[0]
            marker = {"ms": 7, "lw": 2.5, "alpha": 0.45} if path.digits else {"ms": 3.5, "lw": 1.0}
            cycle.plot(np.arange(steps + 1 - tail, steps + 1), offsets, "o-", color=colour, **marker)
        near.set_title("Distance to the minimum")
        near.set_xlabel("step")
        gain.axhline(2, color=styles.MUTED, ls="--", lw=0.8)
        gain.set_title("Gain η·h/√v (unstable above 2)")
        gain.set_xlabel("step")
        gain.set_ylim(1e-2, 1e6)
        cycle.axhline(0, color=styles.MUTED, lw=0.6)
        cycle.set_title(f"Last {tail} steps: x − x*")
        cycle.set_xlabel("step")
        shared_legend(figure, near, ncols=3)
    return figure


def stability(out: pathlib.Path, **params) -> None:
    """Draw :func:`stability_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(stability_figure(**params), out)


def schedules_figure(*, problem: str, x0, steps: int, lr: float, plans, size) -> Figure:
    """Distance to the minimum with a constant lr and with each decaying schedule (float64)."""
    with matplotlib.rc_context(PLOT_RC):
        figure, (ax,) = _figure(*size)
        runs = {"constant": lr, **{p["kind"]: schedule(lr=lr, **p) for p in plans}}
        for (name, rate), colour in zip(runs.items(), COLOURS, strict=False):
            distance = _distances(problem, _points(problem, x0, rmsprop(lr=rate), steps))
            ax.semilogy(np.where(distance == 0, np.nan, distance), color=colour, lw=1.3, label=name)
        ax.set_title(f"Distance to the minimum, lr starting at {lr:g}")
        ax.set_xlabel("step")
        shared_legend(figure, ax, ncols=3)
    return figure


def schedules(out: pathlib.Path, **params) -> None:
    """Draw :func:`schedules_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(schedules_figure(**params), out)


def variant_effects_figure(*, lr: float, steps: int, weight_decay: float, size) -> Figure:
    """Momentum's overshoot, centered's growing step under a steady gradient, weight decay's two resting points."""
    elongated, quadratic = problems.get("elongated"), problems.get("quadratic")
    with matplotlib.rc_context(PLOT_RC):
        figure, (mom, cen, wd) = _figure(*size, panels=3)
        _contours(mom, elongated, (-2.5, 1.0), (-1.2, 1.4))
        for (name, options), colour in zip((("plain", {}), ("momentum 0.9", {"momentum": 0.9})), COLOURS, strict=False):
            pts = _points("elongated", (-2.0, 1.0), rmsprop(lr=lr, **options), steps)
            mom.plot(pts[:, 0], pts[:, 1], "-", color=colour, lw=1.6, label=name)
        mom.set_title("Momentum 0.9")
        legend_below(mom)

        # A steady gradient g = 1: the centered variance v - mean^2 shrinks like rho^t.
        for (convention, label), colour in zip(
            (("pytorch", "centered, eps outside (PyTorch)"), ("keras", "centered, eps inside (Keras)")),
            COLOURS[1:],
            strict=False,
        ):
            opt = rmsprop(lr=lr, centered=True, convention=convention)
            x, state, sizes = np.zeros(1), opt.init(np.zeros(1)), []
            for _ in range(400):
                delta, state = opt.update(np.ones(1), state, x)
                sizes.append(abs(delta[0]))
            cen.semilogy(np.arange(1, 401), sizes, color=colour, lw=1.6, label=label)
        cen.axhline(lr, color=COLOURS[0], lw=1.6, label="plain: η")
        cen.set_title("Centered: steps under g = 1")
        cen.set_ylim(5e-3, 1e7)
        cen.set_xlabel("step")
        legend_below(cen, ncols=1)

        _contours(wd, quadratic, (0.0, 3.0), (-2.0, 1.0))
        decaying = schedule("inverse_sqrt", lr, every=100)
        for (name, convention), colour in zip(
            (("coupled (L2, PyTorch)", "pytorch"), ("decoupled (Keras)", "keras")), COLOURS[1:], strict=False
        ):
            points = _points(
                "quadratic", (1.0, 0.0), rmsprop(lr=decaying, weight_decay=weight_decay, convention=convention), 20000
            )
            wd.plot(points[:, 0], points[:, 1], "-", color=colour, lw=1.6, label=name)
            wd.plot(*points[-1], "o", color=colour, ms=6)
        wd.set_title(f"Weight decay {weight_decay:g}: resting points")
        legend_below(wd)
    return figure


def variant_effects(out: pathlib.Path, **params) -> None:
    """Draw :func:`variant_effects_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(variant_effects_figure(**params), out)


def forgetting_figure(*, rhos, ages: int, size) -> Figure:
    """The weight a squared gradient k steps old carries in v, read from the optimizer itself: one unit gradient,
    then zeros, and v after each step is (1 - rho) rho^k."""
    from rmsprop_docs.optimizers import accumulator

    with matplotlib.rc_context(PLOT_RC):
        figure, (ax,) = _figure(*size)
        width = 0.8 / len(rhos)
        for i, (rho, colour) in enumerate(zip(rhos, COLOURS[1:], strict=False)):
            opt = rmsprop(lr=0.01, rho=rho)
            x = np.zeros(1)
            state = opt.init(x)
            weights = []
            for age in range(ages):
                _, state = opt.update(np.ones(1) if age == 0 else np.zeros(1), state, x)
                weights.append(float(accumulator(state)[0]))
            ax.bar(
                np.arange(ages) + (i - (len(rhos) - 1) / 2) * width, weights, width, color=colour, label=f"ρ = {rho:g}"
            )
        ax.set_xlabel("age k of the squared gradient (steps)")
        ax.set_ylabel("weight in v")
        ax.set_title("Weight of g² from k steps ago: (1 − ρ) ρᵏ")
        ax.set_xlim(-1, ages)
        shared_legend(figure, ax, ncols=2)
    return figure


def forgetting(out: pathlib.Path, **params) -> None:
    """Draw :func:`forgetting_figure` with ``params`` and write it to ``out`` as a PNG."""
    with matplotlib.rc_context(PLOT_RC):
        _save(forgetting_figure(**params), out)


PLOTS = {"forgetting": forgetting, "stability": stability, "schedules": schedules, "variant_effects": variant_effects}
