"""The number systems a run can use: NumPy floats, or N-digit decimals with mpmath.

Floats are what the frameworks compute with; N-digit arithmetic is the
reference that tells an algorithm's behaviour from a rounding event.  A point in
N-digit arithmetic is a NumPy array of ``mpmath.mpf`` (dtype ``object``), so
the optimizers and problems run unchanged: ``+``, ``-``, ``*`` and ``/`` work
element-wise on such arrays, and the few functions NumPy cannot apply to them
(square root, finiteness) go through this module.

Inputs are taken exactly as the float run sees them: ``lr=0.01`` is the
binary float nearest to 0.01, converted to an ``mpf`` without rounding.  So an
N-digit run and a float64 run start from the same numbers and differ only in
how each operation rounds: what the float run does differently is rounding.

>>> import mpmath
>>> with mpmath.workdps(30):
...     x = exact([2.0])
...     print(sqrt(x)[0])
1.41421356237309504880168872421
"""

from __future__ import annotations

import mpmath
import numpy as np

FLOAT_DTYPES = ("float64", "float32")
MAX_DIGITS = 10_000


def is_exact(array: np.ndarray) -> bool:
    """True for an array of mpmath numbers."""
    return array.dtype == object


def exact(values: object) -> np.ndarray:
    """An object array of ``mpf`` holding exactly the given floats."""
    return np.array([[mpmath.mpf(float(v)) for v in row] for row in np.atleast_2d(values)], dtype=object).reshape(
        np.shape(values)
    )


def hyperparameter(value: object, like: np.ndarray) -> object:
    """``value`` in the arithmetic of ``like``: exactly the float, as an ``mpf``; unchanged for floats.

    The ``mpf`` is held in a one-element array, which broadcasts against any
    point, so that ``value * array`` is NumPy's element-wise product (the same
    numbers) and stays one through ``1 - value`` and ``-value``.  An ``mpf`` on
    the left would first have mpmath try to convert the whole array, and fail,
    at the cost of printing it: most of an N-digit step's time.

    >>> hyperparameter(0.1, np.zeros(1))
    0.1
    >>> with mpmath.workdps(25):
    ...     print(hyperparameter(0.1, exact([1.0]))[0])
    0.1000000000000000055511151
    """
    if like.dtype != object:
        return value
    if isinstance(value, np.ndarray) and value.dtype == object:
        return value
    held = np.empty(1, dtype=object)
    held[0] = value if isinstance(value, mpmath.mpf) else mpmath.mpf(float(value))
    return held


_mp_sqrt = np.frompyfunc(mpmath.sqrt, 1, 1)
_mp_finite = np.frompyfunc(lambda v: isinstance(v, mpmath.mpf) and mpmath.isfinite(v), 1, 1)
_mp_cos = np.frompyfunc(mpmath.cos, 1, 1)


def sqrt(a: np.ndarray) -> np.ndarray:
    """Element-wise square root, correctly rounded in either arithmetic."""
    if isinstance(a, np.ndarray) and a.dtype == object:
        return _mp_sqrt(a)
    return np.sqrt(a)


def isfinite(a: np.ndarray) -> np.ndarray:
    """Element-wise: neither inf nor NaN (for mpmath: a finite real, not a complex root of a negative)."""
    if a.dtype == object:
        return _mp_finite(a).astype(bool)
    return np.isfinite(a)


def as_floats(a: np.ndarray) -> np.ndarray:
    """A float64 copy, for plotting and distances."""
    return np.asarray(a.tolist() if a.dtype == object else a, dtype=np.float64)


def digits(value: object) -> int:
    """Check a precision in decimal digits: a whole number in ``[16, MAX_DIGITS]``."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    if not whole or not 16 <= value <= MAX_DIGITS:
        raise ValueError(f"digits must be a whole number in [16, {MAX_DIGITS}], got {value!r}")
    return value


def to_json_number(value: object, digits: int | None = None) -> str:
    """A JSON number literal that keeps every digit (``repr`` for floats, ``digits`` digits for mpf).

    >>> with mpmath.workdps(20):
    ...     third = mpmath.mpf(1) / 3
    >>> to_json_number(0.1), to_json_number(third, 20)
    ('0.1', '0.33333333333333333333')
    """
    if isinstance(value, mpmath.mpf):
        return mpmath.nstr(value, digits or mpmath.mp.dps)
    return repr(float(value))
