"""Run an optimizer on a problem and record every step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rmsprop_docs import problems, validation
from rmsprop_docs.optimizers import Optimizer, accumulator, rmsprop


class DivergenceError(ValueError):
    """A run overflowed to inf or NaN; the message names the step and value."""


@dataclass(frozen=True, eq=False)
class Trajectory:
    """Everything a page plots about one run, as arrays indexed by step.

    ``points[t]`` is the point after ``t`` steps (``points[0]`` is ``x0``);
    ``grads[t]``, ``accumulators[t]`` and ``deltas[t]`` belong to step
    ``t + 1``: the gradient at ``points[t]``, the accumulator after the update
    (NaN for optimizers without one) and the step taken.
    """

    problem: problems.Problem
    optimizer: str
    hyperparameters: dict
    points: np.ndarray  # (steps + 1, d)
    grads: np.ndarray  # (steps, d)
    accumulators: np.ndarray  # (steps, d)
    deltas: np.ndarray  # (steps, d)

    @property
    def final(self) -> np.ndarray:
        """The last point."""
        return self.points[-1]

    @property
    def values(self) -> np.ndarray:
        """The objective at every point."""
        return self.problem.f(self.points)

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
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.abs(self.deltas) / np.abs(self.grads)
        return np.where(self.grads == 0, np.nan, ratio)

    def steps_to(self, tol: float) -> int | None:
        r"""The first step whose point lies within ``tol`` of the minimum, or None.

        Distance is Euclidean, $\lVert x_t - x^\ast \rVert \le$ ``tol``.

        Examples:
            >>> trace("quadratic", x0=[1.0, 0.0]).steps_to(0.05)
            112
        """
        tol = validation.positive("tol", tol)
        minimum = np.asarray(self.problem.minimum)
        distance = np.linalg.norm(self.points.astype(np.float64) - minimum, axis=-1)
        hits = np.flatnonzero(distance <= tol)
        return int(hits[0]) if hits.size else None


def trace(
    problem: str | problems.Problem,
    x0: object = None,
    optimizer: Optimizer | None = None,
    steps: int = 1000,
    dtype: str = "float64",
) -> Trajectory:
    """Run ``optimizer`` (default: the post's RMSprop) from ``x0`` for ``steps`` steps.

    ``dtype="float32"`` keeps the point, the gradient and the state in float32
    (the post's 2-D code keeps its point in float32, which changes how it ends).
    ``x0`` defaults to the problem's usual start.

    Raises:
        ValueError: for a bad argument, naming it and its allowed range.
        DivergenceError: when the point overflows; the message names the step.

    Examples:
        >>> path = trace("cubic", x0=[-1.0], steps=1000)
        >>> print(path.final[0])
        -0.5773502691896257
        >>> path.points.shape, path.accumulators.shape
        ((1001, 1), (1000, 1))
    """
    prob = problems.get(problem)
    steps = validation.steps(steps)
    validation.choice("dtype", dtype, validation.DTYPES)
    x = validation.point("x0", prob.x0 if x0 is None else x0, prob.dim, dtype)
    optimizer = rmsprop() if optimizer is None else optimizer
    state = optimizer.init(x)

    points = np.empty((steps + 1, prob.dim), dtype=dtype)
    grads = np.empty((steps, prob.dim), dtype=dtype)
    accs = np.full((steps, prob.dim), np.nan, dtype=dtype)
    deltas = np.empty((steps, prob.dim), dtype=dtype)
    points[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            g = prob.grad(x)
            delta, state = optimizer.update(g, state, x)
            x = x + delta
            if not np.all(np.isfinite(x)):
                raise DivergenceError(
                    f"step {t + 1}: the point became {x.tolist()} from {points[t].tolist()} "
                    f"(gradient {g.tolist()}); the run diverged, try a smaller lr"
                )
            points[t + 1], grads[t], deltas[t] = x, g, delta
            nu = accumulator(state)
            if nu is not None:
                accs[t] = nu
    return Trajectory(prob, optimizer.name, optimizer.hyperparameters, points, grads, accs, deltas)
