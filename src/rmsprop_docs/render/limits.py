"""The renderer's limits: frames, frame rate and picture size.

These are limits of the GIF format and of what a page can show, not of the
optimizer, so they live with the renderer; :mod:`rmsprop_docs.validation`
holds the core's parameter checks.  Errors name the option and its range.
"""

from __future__ import annotations

from rmsprop_docs.validation import positive

MAX_FRAMES = 5000
MAX_FPS = 100.0  # a GIF's delay has a resolution of 10 ms
MIN_SIDE = 64
MAX_SIDE = 4096


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
