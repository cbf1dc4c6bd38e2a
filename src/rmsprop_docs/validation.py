"""Argument checks shared by the API and the CLI.

Every check raises :class:`ValueError` whose message names the parameter and
the allowed range, so the CLI can print it on one line as it is.  Scalars come
back as Python floats (NumPy treats them as "weak" and keeps float32 arrays in
float32); arrays, used by vectorized sweeps, keep a floating dtype.
"""

from __future__ import annotations

import numbers

import numpy as np

MAX_STEPS = 10_000_000
"""The largest number of steps a single run accepts."""

DTYPES = ("float64", "float32")


def _as_real(name: str, value: object) -> float | np.ndarray:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if isinstance(value, numbers.Real):
        return float(value)
    try:
        array = np.asarray(value)
        if array.dtype.kind == "b":  # NumPy's booleans too: True is not a learning rate
            raise TypeError
        if array.dtype.kind != "f":  # float32 sweeps keep their dtype
            array = np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    return float(array) if array.ndim == 0 else array


def _show(value: float | np.ndarray) -> str:
    if isinstance(value, np.ndarray):
        bad = value.ravel()[0].item()  # 0.5, not np.float64(0.5); the caller passes the bad entries only
        return f"{bad!r} (in an array)"
    return repr(value)


def positive(name: str, value: object) -> float | np.ndarray:
    """Check ``0 < value < inf``.

    >>> positive("lr", 0.01)
    0.01
    >>> positive("lr", 0)
    Traceback (most recent call last):
    ...
    ValueError: lr must be a finite number > 0, got 0.0
    """
    real = _as_real(name, value)
    ok = np.isfinite(real) & (np.asarray(real) > 0)
    if not np.all(ok):
        shown = real if np.ndim(real) == 0 else np.asarray(real)[~ok]
        raise ValueError(f"{name} must be a finite number > 0, got {_show(shown)}")
    return real


def unit_interval(name: str, value: object) -> float | np.ndarray:
    """Check ``0 <= value < 1`` (decay rates such as rho and momentum).

    >>> unit_interval("rho", 1.0)
    Traceback (most recent call last):
    ...
    ValueError: rho must be in [0, 1), got 1.0
    """
    real = _as_real(name, value)
    arr = np.asarray(real)
    ok = np.isfinite(arr) & (arr >= 0) & (arr < 1)
    if not np.all(ok):
        shown = real if np.ndim(real) == 0 else arr[~ok]
        raise ValueError(f"{name} must be in [0, 1), got {_show(shown)}")
    return real


def non_negative(name: str, value: object) -> float | np.ndarray:
    """Check ``0 <= value < inf`` (weight decay).

    >>> non_negative("weight_decay", -0.1)
    Traceback (most recent call last):
    ...
    ValueError: weight_decay must be a finite number >= 0, got -0.1
    """
    real = _as_real(name, value)
    arr = np.asarray(real)
    ok = np.isfinite(arr) & (arr >= 0)
    if not np.all(ok):
        shown = real if np.ndim(real) == 0 else arr[~ok]
        raise ValueError(f"{name} must be a finite number >= 0, got {_show(shown)}")
    return real


def steps(value: object) -> int:
    """Check a step count: a whole number in ``[0, MAX_STEPS]``.

    >>> steps(1000)
    1000
    >>> steps(2.5)
    Traceback (most recent call last):
    ...
    ValueError: steps must be a whole number in [0, 10000000], got 2.5
    """
    return whole("steps", value, 0, MAX_STEPS)


def whole(name: str, value: object, low: int = 0, high: int | None = None) -> int:
    """Check a whole number in ``[low, high]`` (booleans are not numbers here).

    >>> whole("every", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: every must be a whole number >= 1, got 0
    """
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not ok or value < low or (high is not None and value > high):
        allowed = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be a whole number {allowed}, got {value!r}")
    return int(value)


def flag(name: str, value: object) -> bool:
    """Check a switch: True or False, nothing that merely looks like one.

    >>> flag("centered", "no")
    Traceback (most recent call last):
    ...
    ValueError: centered must be True or False, got 'no'
    """
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """Check that ``value`` is one of ``allowed``.

    >>> choice("dtype", "float16", DTYPES)
    Traceback (most recent call last):
    ...
    ValueError: dtype must be one of float64, float32, got 'float16'
    """
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def point(name: str, value: object, dim: int, dtype: str = "float64") -> np.ndarray:
    """Check a starting point: ``dim`` finite coordinates; return a fresh array.

    >>> point("x0", [1, 0], 2)
    array([1., 0.])
    >>> point("x0", [1.0], 2)
    Traceback (most recent call last):
    ...
    ValueError: x0 must have 2 coordinates for this problem, got 1
    """
    choice("dtype", dtype, DTYPES)
    try:
        array = np.array(value, dtype=np.float64, ndmin=1)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a list of numbers, got {value!r}") from None
    if array.ndim != 1 or array.shape[0] != dim:
        got = array.shape[0] if array.ndim == 1 else f"shape {array.shape}"
        raise ValueError(f"{name} must have {dim} coordinates for this problem, got {got}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {array.tolist()}")
    with np.errstate(over="ignore"):
        narrowed = array.astype(dtype)
    if not np.all(np.isfinite(narrowed)):
        raise ValueError(f"{name} overflows {dtype}, got {array.tolist()}")
    return narrowed
