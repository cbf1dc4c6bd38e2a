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
        if array.dtype.kind != "f":  # float32 sweeps keep their dtype
            array = array.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    return float(array) if array.ndim == 0 else array


def _show(value: float | np.ndarray) -> str:
    if isinstance(value, np.ndarray):
        bad = value.ravel()[0] if value.size else value
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


# Animations

MAX_FRAMES = 5000
MAX_FPS = 100.0  # a GIF's delay has a resolution of 10 ms
MIN_SIDE = 64
MAX_SIDE = 4096
MAX_FRAME_PIXELS = 2**31  # frames x width x height: distinct frames are kept until the GIF is written


def frames(frames: object, available: int) -> int:
    """Frames of an animation: a whole number in ``[1, min(MAX_FRAMES, available)]``."""
    limit = min(MAX_FRAMES, available)
    whole = isinstance(frames, int) and not isinstance(frames, bool)
    if not whole or not 1 <= frames <= limit:
        why = f" (the run has {available} points; raise --steps)" if available < MAX_FRAMES else ""
        raise ValueError(f"frames must be a whole number in [1, {limit}]{why}, got {frames!r}")
    return frames


def fps(fps: object) -> float:
    """Frames per second: in ``(0, MAX_FPS]``."""
    value = positive("fps", fps)
    if value > MAX_FPS:
        raise ValueError(f"fps must be in (0, {MAX_FPS:g}] (GIF delays are whole centiseconds), got {value!r}")
    return value


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``WxH`` in pixels, each side in ``[MIN_SIDE, MAX_SIDE]``.

    >>> parse_size("960x540")
    (960, 540)
    >>> parse_size("5000x10")
    Traceback (most recent call last):
    ...
    ValueError: size must be WxH with each side in [64, 4096] pixels, got '5000x10'
    """
    parts = str(text).lower().split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        width = height = -1
    if len(parts) != 2 or not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ValueError(f"size must be WxH with each side in [{MIN_SIDE}, {MAX_SIDE}] pixels, got {text!r}")
    return width, height


def frame_budget(frames: int, size: tuple[int, int]) -> None:
    """Refuse animations whose frames would need more than ``MAX_FRAME_PIXELS`` bytes.

    >>> frame_budget(200, (1920, 1080))
    >>> frame_budget(2000, (4096, 4096))
    Traceback (most recent call last):
    ...
    ValueError: frames x width x height must be at most 2147483648 (about 2 GiB of frames), got 2000 x 4096 x 4096
    """
    width, height = size
    if frames * width * height > MAX_FRAME_PIXELS:
        raise ValueError(
            f"frames x width x height must be at most {MAX_FRAME_PIXELS} (about 2 GiB of frames), "
            f"got {frames} x {width} x {height}"
        )
