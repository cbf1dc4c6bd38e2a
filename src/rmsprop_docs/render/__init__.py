"""Figures and animations: the only part of the package that imports Matplotlib.

Matplotlib is imported when something is drawn, not when this package or
:mod:`rmsprop_docs.render.styles` is imported, so checking options and deciding
what is stale stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rmsprop_docs.render.animation import AnimationResult, animate

__all__ = ["AnimationResult", "animate"]


def __getattr__(name: str):
    if name in __all__:
        from rmsprop_docs.render import animation

        return getattr(animation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
