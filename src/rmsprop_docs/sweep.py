"""Many runs at once: one NumPy array holds every configuration's point.

The optimizers' update functions are element-wise, so a batch of ``n``
configurations is a point array of shape ``(n, d)`` with hyperparameter
arrays of shape ``(n, 1)``.  One Python loop over steps replaces ``n`` loops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsprop_docs import problems, stepping, validation
from rmsprop_docs.optimizers import Optimizer, rmsprop


class SweepResult(NamedTuple):
    """Where each configuration ended, and how fast it got close."""

    final: np.ndarray  # (n, d) last point; NaN or inf where the run diverged
    steps_to_tol: np.ndarray  # (n,) first step within tol of the minimum, -1 if never
    steps_to_stay: np.ndarray  # (n,) first step from which every later point stays within tol, -1 if none
    diverged_at: np.ndarray  # (n,) the step trace's DivergenceError would name, -1 if the run stayed finite

    @property
    def diverged(self) -> np.ndarray:
        """(n,) True where the run stopped being finite."""
        return self.diverged_at >= 0


def grid(**axes: object) -> dict[str, np.ndarray]:
    """The Cartesian product of named value lists, flattened (first name slowest).

    Examples:
        >>> g = grid(lr=[0.1, 0.01], rho=[0.5, 0.9, 0.99])
        >>> g["lr"].tolist(), g["rho"].tolist()
        ([0.1, 0.1, 0.1, 0.01, 0.01, 0.01], [0.5, 0.9, 0.99, 0.5, 0.9, 0.99])
    """
    values = [np.asarray(v, dtype=np.float64).ravel() for v in axes.values()]
    mesh = np.meshgrid(*values, indexing="ij")
    return {name: mesh[i].ravel() for i, name in enumerate(axes)}  # one mesh array per axis


def sweep(
    problem: str | problems.Problem,
    x0: object = None,
    steps: int = 1000,
    *,
    optimizer: Callable[..., Optimizer] = rmsprop,
    dtype: str = "float64",
    tol: float | None = None,
    **hyperparameters: object,
) -> SweepResult:
    """Run ``optimizer(**hyperparameters)`` for every configuration at once.

    Each hyperparameter is a scalar or a 1-D array of length ``n``; ``x0`` is
    one point ``(d,)`` shared by all, or ``(n, d)`` starting points.  With
    ``tol`` set, ``steps_to_tol`` records the first step within ``tol`` of the
    problem's minimum (Euclidean distance) and ``steps_to_stay`` the step from
    which the run stays within it (RMSprop with a constant ``lr`` passes through
    a small ball long before it can stay in it).  Diverged runs are reported, not
    raised: a map of where RMSprop fails is the point of a sweep.  Both follow
    :func:`~rmsprop_docs.trace`'s rules (:mod:`rmsprop_docs.stepping`).

    Examples:
        >>> g = grid(lr=[0.1, 0.01], rho=[0.9, 0.99])
        >>> res = sweep("quadratic", (1.0, 0.0), 1000, tol=0.05, **g)
        >>> res.final.shape, res.steps_to_tol.tolist(), res.steps_to_stay.tolist()
        ((4, 2), [10, 1, 112, 78], [-1, -1, 112, 78])
    """
    prob = problems.get(problem)
    steps = validation.steps(steps)
    validation.choice("dtype", dtype, validation.DTYPES)
    # Without tol no point is ever within it: both step counts stay -1.
    tol = -np.inf if tol is None else validation.positive("tol", tol)
    arrays = {k: np.asarray(v) for k, v in hyperparameters.items()}
    starts = np.asarray(prob.x0 if x0 is None else x0)
    sizes = {a.size for a in arrays.values() if a.ndim == 1}
    if starts.ndim == 2:
        sizes.add(starts.shape[0])
    if len(sizes) > 1:
        raise ValueError(f"hyperparameter arrays and x0 must share one length n, got lengths {sorted(sizes)}")
    n = sizes.pop() if sizes else 1
    x = np.empty((n, prob.dim), dtype=dtype)
    for i, row in enumerate(np.broadcast_to(starts, (n, *starts.shape[-1:]))):
        x[i] = validation.point("x0", row, prob.dim, dtype)
    # (n, 1) columns broadcast over coordinates; scalars stay Python numbers.
    columns = {k: a[:, np.newaxis].astype(dtype) if a.ndim == 1 else hyperparameters[k] for k, a in arrays.items()}
    opt = optimizer(**columns)

    inside = stepping.within(x, prob.minimum, tol)
    first = np.where(inside, 0, -1)
    last_outside = np.where(inside, -1, 0)
    diverged_at = np.full(n, -1)
    for step in stepping.iterate(prob, x, opt, steps):
        inside = stepping.within(step.x, prob.minimum, tol)
        first = np.where((first == -1) & inside, step.t, first)
        last_outside = np.where(inside, last_outside, step.t)
        diverged_at = np.where((diverged_at == -1) & ~stepping.finite(step.x), step.t, diverged_at)
        x = step.x
    stay = np.where(inside, last_outside + 1, -1)
    return SweepResult(x, first, stay, diverged_at)


class Best(NamedTuple):
    """The learning rate that did best on one problem, and how well."""

    lr: float | None  # None if no learning rate on the grid got there
    steps: int | None  # steps it took


def best_learning_rate(
    problem: str | problems.Problem,
    x0: object,
    steps: int,
    lrs: object,
    *,
    tol: float,
    stay: bool = True,
    optimizer: Callable[..., Optimizer] = rmsprop,
    **hyperparameters: object,
) -> Best:
    """The learning rate from ``lrs`` that gets within ``tol`` of the minimum soonest, and when.

    With ``stay`` (the default) a run counts from the step it stays within ``tol``; otherwise from the first
    step it comes within it.  Ties go to the smaller learning rate.  This is how the pages compare
    optimizers fairly: each at its own best learning rate.

    Examples:
        >>> best_learning_rate("quadratic", (1.0, 0.0), 1000, [0.001, 0.01, 0.1], tol=0.05)
        Best(lr=0.01, steps=112)
    """
    lrs = np.asarray(lrs)
    result = sweep(problem, x0, steps, optimizer=optimizer, tol=tol, lr=lrs, **hyperparameters)
    when = result.steps_to_stay if stay else result.steps_to_tol
    if not np.any(when >= 0):
        return Best(None, None)
    i = int(np.argmin(np.where(when >= 0, when, np.iinfo(np.int64).max)))
    return Best(float(lrs[i]), int(when[i]))
