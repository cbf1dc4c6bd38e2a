"""Run an optimizer on a problem and record every step."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

import mpmath
import numpy as np

from rmsprop_docs import arithmetic, problems, stepping, validation
from rmsprop_docs.optimizers import (
    Optimizer,
    accumulator,
    adagrad,
    adam,
    gradient_descent,
    rmsprop,
    rmsprop_from,
    schedules,
    sgd,
)

# The optimizers a figure's runs may name, by the name of the function that makes them.
RUN_OPTIMIZERS = {f.__name__: f for f in (gradient_descent, rmsprop, sgd, adagrad, adam)}


class DivergenceError(ValueError):
    """A run overflowed to inf or NaN; the message names the step and value."""


@dataclass(frozen=True, eq=False)
class Trajectory:
    """Everything a page plots about one run, as arrays indexed by step.

    ``points[t]`` is the point after ``t`` steps (``points[0]`` is ``x0``);
    ``grads[t]``, ``accumulators[t]`` and ``deltas[t]`` belong to step
    ``t + 1``: the gradient at ``points[t]``, the accumulator after the update
    (NaN for optimizers without one) and the step taken.  ``digits`` is None
    for float runs; for N-digit runs the arrays hold ``mpmath.mpf`` numbers.
    """

    problem: problems.Problem
    optimizer: str
    hyperparameters: dict
    points: np.ndarray  # (steps + 1, d)
    grads: np.ndarray  # (steps, d)
    accumulators: np.ndarray  # (steps, d)
    deltas: np.ndarray  # (steps, d)
    digits: int | None = None

    @property
    def final(self) -> np.ndarray:
        """The last point."""
        return self.points[-1]

    @property
    def distances(self) -> np.ndarray:
        """Euclidean distance of every point to the problem's minimum (exact for N-digit runs), as float64."""
        with mpmath.workdps(self.digits or 15):  # the minimum and the differences at the run's precision
            return stepping.distance(self.points, self.problem.minimum_in(self.points))

    @property
    def effective_lr(self) -> np.ndarray:
        r"""Step size per unit of gradient, $|\Delta x| / |g|$ (NaN where $g = 0$).

        For RMSprop without momentum this is $\eta / (\sqrt{v} + \epsilon)$; for
        plain gradient descent it is $\eta$.

        Examples:
            >>> path = trace("quadratic", x0=[1.0, 0.0], steps=3)
            >>> print(path.effective_lr[0])  # lr / sqrt(0.1 * 2**2): the first step
            [0.01581139 0.01581139]
        """
        deltas, grads = arithmetic.as_floats(self.deltas), arithmetic.as_floats(self.grads)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.abs(deltas) / np.abs(grads)
        return np.where(grads == 0, np.nan, ratio)

    def steps_to(self, tol: float) -> int | None:
        r"""The first step whose point lies within ``tol`` of the minimum, or None.

        Distance is Euclidean, $\lVert x_t - x^\ast \rVert \le$ ``tol``.

        Examples:
            >>> trace("quadratic", x0=[1.0, 0.0]).steps_to(0.05)
            112
        """
        tol = validation.positive("tol", tol)
        hits = np.flatnonzero(self.distances <= tol)
        return int(hits[0]) if hits.size else None

    def steps_to_stay(self, tol: float) -> int | None:
        r"""The first step from which every later point lies within ``tol`` of the minimum, or None.

        Examples:
            >>> path = trace("quadratic", x0=[1.0, 0.0])
            >>> path.steps_to(0.005), path.steps_to_stay(0.005)  # the 2-cycle's points are 0.0071 away
            (126, None)
        """
        tol = validation.positive("tol", tol)
        outside = np.flatnonzero(self.distances > tol)
        if not outside.size:
            return 0
        return int(outside[-1]) + 1 if outside[-1] + 1 < len(self.points) else None


def trace(
    problem: str | problems.Problem,
    x0: object = None,
    optimizer: Optimizer | None = None,
    steps: int = 1000,
    dtype: str = "float64",
    *,
    digits: int | None = None,
) -> Trajectory:
    """Run ``optimizer`` (default: the post's RMSprop) from ``x0`` for ``steps`` steps.

    ``dtype="float32"`` keeps the point, the gradient and the state in float32
    (the post's 2-D code keeps its point in float32, which changes how it ends).
    ``digits=N`` runs the same optimizer in N-digit decimal arithmetic (mpmath)
    instead: the reference that shows what the algorithm does when no rounding
    decides.  ``x0`` defaults to the problem's usual start.

    Raises:
        ValueError: for a bad argument, naming it and its allowed range.
        DivergenceError: at the first step whose point has an inf or NaN coordinate; the message names the step.

    Examples:
        >>> path = trace("cubic", x0=[-1.0], steps=1000)
        >>> print(path.final[0])
        -0.5773502691896257
        >>> path.points.shape, path.accumulators.shape
        ((1001, 1), (1000, 1))
        >>> exact = trace("cubic", x0=[-1.0], steps=1000, digits=50)
        >>> print([mpmath.nstr(x + 1 / mpmath.sqrt(3), 3) for x in exact.points[-2:, 0]])
        ['0.00502', '-0.00498']
    """
    prob = problems.get(problem)
    steps = validation.steps(steps)
    validation.choice("dtype", dtype, validation.DTYPES)
    if digits is not None:
        digits = arithmetic.digits(digits)
        if dtype != "float64":
            raise ValueError(f"dtype must be float64 (the default) when digits is given, got {dtype!r}")
    start = validation.point("x0", prob.x0 if x0 is None else x0, prob.dim, dtype)
    optimizer = rmsprop() if optimizer is None else optimizer
    with mpmath.workdps(digits) if digits else contextlib.nullcontext():
        x = arithmetic.exact(start) if digits else start
        kind = object if digits else dtype
        points = np.empty((steps + 1, prob.dim), dtype=kind)
        grads = np.empty((steps, prob.dim), dtype=kind)
        accs = np.full((steps, prob.dim), np.nan, dtype=kind)
        deltas = np.empty((steps, prob.dim), dtype=kind)
        points[0] = x
        for step in stepping.iterate(prob, x, optimizer, steps):
            if not stepping.finite(step.x):
                raise DivergenceError(
                    f"step {step.t}: the point became {arithmetic.as_floats(step.x).tolist()} from "
                    f"{arithmetic.as_floats(points[step.t - 1]).tolist()} (gradient "
                    f"{arithmetic.as_floats(step.g).tolist()}); the run diverged, try a smaller lr"
                )
            points[step.t], grads[step.t - 1], deltas[step.t - 1] = step.x, step.g, step.delta
            nu = accumulator(step.state)
            if nu is not None:
                accs[step.t - 1] = nu
    return Trajectory(prob, optimizer.name, optimizer.hyperparameters, points, grads, accs, deltas, digits)


def trace_from(options: Mapping) -> Trajectory:
    """The run a mapping of options describes: a figure's parameters or the command line's, one code path for both.

    Keys: ``problem``, ``x0``, ``steps``, ``dtype``, ``digits``, RMSprop's options, and ``schedule`` (a
    :class:`~rmsprop_docs.optimizers.schedules.Schedule` or a mapping of its fields without ``lr``) which
    starts at ``lr``.  Other keys are ignored.

    Examples:
        >>> path = trace_from({"problem": "cubic", "x0": [-1.0], "steps": 2, "schedule": {"kind": "exponential"}})
        >>> path.hyperparameters["lr"]
        {'kind': 'exponential', 'lr': 0.01, 'gamma': 1.0}
    """
    options = dict(options)
    plan = options.get("schedule")
    if plan is not None and not isinstance(plan, schedules.Schedule):
        plan = schedules.schedule(lr=options.get("lr", 0.01), **{k: v for k, v in dict(plan).items() if k != "lr"})
    if plan is not None:
        options["lr"] = plan
    return trace(
        options["problem"],
        options.get("x0"),
        rmsprop_from(options),
        options.get("steps", 1000),
        options.get("dtype", "float64"),
        digits=options.get("digits"),
    )


def trace_run(problem: str | problems.Problem, x0: object, steps: int, run: Mapping) -> Trajectory:
    """One run of a race figure: ``run["optimizer"]`` names a function of :data:`RUN_OPTIMIZERS`, and its other
    keys but ``label`` are that function's arguments.

    Examples:
        >>> path = trace_run("bowl", (-5.0, -2.0), 3, {"label": "GD", "optimizer": "gradient_descent", "lr": 0.4})
        >>> path.points[1].tolist()
        [-4.6, 1.2000000000000002]
    """
    name = validation.choice("optimizer", run.get("optimizer"), tuple(RUN_OPTIMIZERS))
    arguments = {key: value for key, value in run.items() if key not in ("label", "optimizer")}
    return trace(problem, x0, RUN_OPTIMIZERS[name](**arguments), steps)
