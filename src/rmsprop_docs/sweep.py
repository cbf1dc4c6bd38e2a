"""Many runs at once: one NumPy array holds every configuration's point.

The optimizers' update functions are element-wise, so a batch of ``n``
configurations is a point array of shape ``(n, d)`` with hyperparameter
arrays of shape ``(n, 1)``.  One Python loop over steps replaces ``n`` loops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsprop_docs import problems, validation
from rmsprop_docs.optimizers import Optimizer, rmsprop


class SweepResult(NamedTuple):
    """Where each configuration ended, and how fast it got close."""

    final: np.ndarray  # (n, d) last point; NaN or inf where the run diverged
    steps_to_tol: np.ndarray  # (n,) first step within tol of the minimum, -1 if never
    diverged: np.ndarray  # (n,) True where the point stopped being finite


def grid(**axes: object) -> dict[str, np.ndarray]:
    """The Cartesian product of named value lists, flattened (first name slowest).

    Examples:
        >>> g = grid(lr=[0.1, 0.01], rho=[0.5, 0.9, 0.99])
        >>> g["lr"].tolist(), g["rho"].tolist()
        ([0.1, 0.1, 0.1, 0.01, 0.01, 0.01], [0.5, 0.9, 0.99, 0.5, 0.9, 0.99])
    """
    values = [np.asarray(v, dtype=np.float64).ravel() for v in axes.values()]
    mesh = np.meshgrid(*values, indexing="ij")
    return {name: m.ravel() for name, m in zip(axes, mesh, strict=True)}


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
    problem's minimum (Euclidean distance).  Diverged runs are reported, not
    raised: a map of where RMSprop fails is the point of a sweep.

    Examples:
        >>> g = grid(lr=[0.1, 0.01], rho=[0.9, 0.99])
        >>> res = sweep("quadratic", (1.0, 0.0), 1000, tol=0.05, **g)
        >>> res.final.shape, res.steps_to_tol.tolist()
        ((4, 2), [10, 1, 112, 78])
    """
    prob = problems.get(problem)
    steps = validation.steps(steps)
    validation.choice("dtype", dtype, validation.DTYPES)
    arrays = {k: np.asarray(v) for k, v in hyperparameters.items()}
    x0 = prob.x0 if x0 is None else x0
    starts = np.asarray(x0, dtype=np.float64)
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
    columns = {k: a.reshape(-1, 1).astype(dtype) if a.ndim == 1 else hyperparameters[k] for k, a in arrays.items()}
    opt = optimizer(**columns)
    state = opt.init(x)

    track = tol is not None
    if track:
        tol = validation.positive("tol", tol)
        minimum = np.asarray(prob.minimum, dtype=dtype)
        first = np.where(np.sum((x - minimum) ** 2, axis=-1) <= tol**2, 0, -1)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            delta, state = opt.update(prob.grad(x), state, x)
            x = x + delta
            if track:
                near = np.sum((x - minimum) ** 2, axis=-1) <= tol**2
                first = np.where((first < 0) & near, t, first)
    diverged = ~np.all(np.isfinite(x), axis=-1)
    return SweepResult(x, first if track else np.full(n, -1), diverged)
