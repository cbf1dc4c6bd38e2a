"""Test problems with analytic gradients.

Every function takes points of shape ``(..., d)`` and returns values of shape
``(...)`` (``f``) or ``(..., d)`` (``grad``), so one call evaluates a whole
batch.  Constants are Python numbers, so float32 input stays float32, and
N-digit input (arrays of ``mpmath.mpf``) stays N-digit.  Gradients use only
``+ - *`` and squares (``x**2`` is ``x * x`` in NumPy), never another power:
``pow`` rounds differently from one math library to the next, and these
gradients must round the same everywhere (the in-page playground recomputes
them in JavaScript).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np

from rmsprop_docs import validation


@dataclass(frozen=True)
class Problem:
    """An objective, its gradient, and what the pages need to plot it."""

    name: str
    formula: str  # plain text, for the CLI
    dim: int
    f: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    minimum: tuple[float, ...]
    kind: str  # "global" or "local" minimum
    x0: tuple[float, ...]  # the start the pages use
    bounds: tuple[tuple[float, float], ...]  # plotting window: x, y (for 1-D problems: x, f(x))
    exact_minimum: Callable[[], tuple] | None = None  # the minimum in N-digit arithmetic, where a float is not it

    def minimum_in(self, like: np.ndarray) -> tuple:
        """The minimum in the arithmetic of ``like``: exact for N-digit points."""
        if like.dtype == object and self.exact_minimum is not None:
            return self.exact_minimum()
        return self.minimum


def _coordinates(p, *columns):
    """The columns as the last axis of an array in ``p``'s arithmetic: ``np.stack(columns, axis=-1)``'s numbers
    in half its time, which counts in a run of many small steps."""
    out = np.empty_like(p)
    for i, column in enumerate(columns):
        out[..., i] = column
    return out


def _cubic_f(x):
    return x[..., 0] - x[..., 0] ** 3


def _cubic_grad(x):
    return 1 - 3 * x**2


def _quadratic_f(p):
    x, y = p[..., 0], p[..., 1]
    return 2 * x**2 + 2 * x * y + 2 * y**2 - 6 * x


def _quadratic_grad(p):
    x, y = p[..., 0], p[..., 1]
    return _coordinates(p, 4 * x + 2 * y - 6, 2 * x + 4 * y)


def _rosenbrock_f(p):
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(p):
    x, y = p[..., 0], p[..., 1]
    return _coordinates(p, -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2))


def _beale_terms(p):
    x, y = p[..., 0], p[..., 1]
    return x, y, (1.5 - x + x * y, 2.25 - x + x * (y * y), 2.625 - x + x * (y * y * y))


def _beale_f(p):
    _, _, (a, b, c) = _beale_terms(p)
    return a**2 + b**2 + c**2


def _beale_grad(p):
    x, y, (a, b, c) = _beale_terms(p)
    y2 = y * y
    y3 = y2 * y
    dx = 2 * a * (y - 1) + 2 * b * (y2 - 1) + 2 * c * (y3 - 1)
    dy = 2 * a * x + 4 * b * x * y + 6 * c * x * y2
    return _coordinates(p, dx, dy)


def _parabola_f(x):
    return 0.5 * x[..., 0] ** 2


def _parabola_grad(x):
    return 1.0 * x


# An ill-conditioned bowl, 0.5 * (x^2 + 20 y^2), and the same bowl turned 45
# degrees: RMSprop rescales each coordinate, which helps only on the first.
_STRETCH = 20.0


def _elongated_f(p):
    return 0.5 * (p[..., 0] ** 2 + _STRETCH * p[..., 1] ** 2)


def _elongated_grad(p):
    return _coordinates(p, p[..., 0], _STRETCH * p[..., 1])


# The learning path's first bowl (d2l's 0.1 x^2 + 2 y^2): the y direction is 20 times steeper than x, and the
# two axes are the coordinates, so per-coordinate scaling is all it takes to balance them.
def _bowl_f(p):
    x, y = p[..., 0], p[..., 1]
    return 0.1 * x * x + 2 * y * y


def _bowl_grad(p):
    return _coordinates(p, 0.2 * p[..., 0], 4 * p[..., 1])


def _half_root(p):
    # sqrt(1/2) in the arithmetic of p: a float constant would be inexact in N digits.
    return mpmath.sqrt(mpmath.mpf(1) / 2) if p.dtype == object else 0.5**0.5


def _rotated_uv(p):
    # u, v are the bowl's own axes: the plane turned by 45 degrees.
    s = _half_root(p)
    return s * (p[..., 0] + p[..., 1]), s * (p[..., 1] - p[..., 0])


def _rotated_f(p):
    u, v = _rotated_uv(p)
    return 0.5 * (u**2 + _STRETCH * v**2)


def _rotated_grad(p):
    u, v = _rotated_uv(p)
    s = _half_root(p)
    du, dv = u, _STRETCH * v
    return _coordinates(p, s * (du - dv), s * (du + dv))


PROBLEMS: dict[str, Problem] = {
    p.name: p
    for p in (
        Problem(
            "bowl",
            "0.1 x^2 + 2 y^2",
            2,
            _bowl_f,
            _bowl_grad,
            (0.0, 0.0),
            "global",
            (-5.0, -2.0),
            ((-5.5, 1.0), (-2.5, 2.5)),
        ),
        Problem(
            "cubic",
            "x - x^3",
            1,
            _cubic_f,
            _cubic_grad,
            (-(3**-0.5),),
            "local",
            (-1.0,),
            ((-5.0, 5.0), (-5.0, 5.0)),
            lambda: (-1 / mpmath.sqrt(3),),
        ),
        Problem(
            "quadratic",
            "2x^2 + 2xy + 2y^2 - 6x",
            2,
            _quadratic_f,
            _quadratic_grad,
            (2.0, -1.0),
            "global",
            (1.0, 0.0),
            ((0.0, 3.0), (-2.0, 1.0)),
        ),
        Problem(
            "rosenbrock",
            "(1 - x)^2 + 100 (y - x^2)^2",
            2,
            _rosenbrock_f,
            _rosenbrock_grad,
            (1.0, 1.0),
            "global",
            (-1.5, 2.0),
            ((-2.0, 2.0), (-1.0, 3.0)),
        ),
        Problem(
            "beale",
            "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
            2,
            _beale_f,
            _beale_grad,
            (3.0, 0.5),
            "global",
            (1.0, 1.5),
            ((-4.5, 4.5), (-4.5, 4.5)),
        ),
        Problem(
            "parabola",
            "x^2 / 2",
            1,
            _parabola_f,
            _parabola_grad,
            (0.0,),
            "global",
            (10.0,),
            ((-11.0, 11.0), (-5.0, 65.0)),
        ),
        Problem(
            "elongated",
            "(x^2 + 20 y^2) / 2",
            2,
            _elongated_f,
            _elongated_grad,
            (0.0, 0.0),
            "global",
            (-2.0, 1.0),
            ((-2.5, 2.5), (-1.5, 1.5)),
        ),
        Problem(
            "rotated",
            "(u^2 + 20 v^2) / 2 with u = (x + y)/sqrt 2, v = (y - x)/sqrt 2",
            2,
            _rotated_f,
            _rotated_grad,
            (0.0, 0.0),
            "global",
            (-2.0, 1.0),
            ((-2.5, 2.5), (-2.5, 2.5)),
        ),
    )
}


def get(name: str | Problem) -> Problem:
    """Look a problem up by name.

    Examples:
        >>> get("quadratic").minimum
        (2.0, -1.0)
        >>> get("sphere")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: problem must be one of bowl, cubic, ..., got 'sphere'
    """
    if isinstance(name, Problem):
        return name
    return PROBLEMS[validation.choice("problem", name, tuple(PROBLEMS))]
