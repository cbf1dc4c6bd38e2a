"""The one loop every run goes through, and the rules trace and sweep share.

* A run diverges at the first step whose point has an inf or NaN coordinate;
  that step's number (1 for the first step) is what both report.
* A point is within ``tol`` of the minimum when its Euclidean distance is at
  most ``tol``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from rmsprop_docs import arithmetic, problems
from rmsprop_docs.optimizers import Optimizer


class Step(NamedTuple):
    """One step of a run: ``t`` counts from 1; ``g`` is the gradient at the point before it."""

    t: int
    g: np.ndarray
    delta: np.ndarray
    x: np.ndarray
    state: tuple


def iterate(problem: problems.Problem, x: np.ndarray, optimizer: Optimizer, steps: int) -> Iterator[Step]:
    """Yield every step of ``optimizer`` on ``problem`` from ``x``; arithmetic warnings are silenced, not lost:
    an overflow shows as inf or NaN in the point, which :func:`finite` reports."""
    state = optimizer.init(x)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(1, steps + 1):
            g = problem.grad(x)
            delta, state = optimizer.update(g, state, x)
            x = x + delta
            yield Step(t, g, delta, x, state)


def finite(x: np.ndarray) -> np.ndarray:
    """Per point (the last axis holds coordinates): every coordinate is neither inf nor NaN."""
    return np.all(arithmetic.isfinite(x), axis=-1)


def distance(points: np.ndarray, minimum: tuple) -> np.ndarray:
    """Euclidean distance of each point to ``minimum`` in float64; N-digit points subtract exactly first.

    >>> distance(np.array([[3.0, 4.0], [0.0, 0.0]]), (0.0, 0.0)).tolist()
    [5.0, 0.0]
    """
    if arithmetic.is_exact(points):
        difference = arithmetic.as_floats(points - np.asarray(minimum, dtype=object))
    else:
        difference = points.astype(np.float64) - np.asarray(minimum, dtype=np.float64)
    return np.linalg.norm(difference, axis=-1)


def within(points: np.ndarray, minimum: tuple, tol: float) -> np.ndarray:
    """Per point: at most ``tol`` from ``minimum``."""
    return distance(points, minimum) <= tol
