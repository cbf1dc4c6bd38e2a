"""Figures and animations: the only part of the package that imports Matplotlib.

Matplotlib is imported when something is drawn, not when this package or
:mod:`rmsprop_docs.render.styles` is imported, so checking options and deciding
what is stale stay fast.  ``animate`` and ``AnimationResult`` come from
:mod:`rmsprop_docs.render.animation` on first use; the module is named by a
string, so the static figures, which import this package for their styles, do
not count the animation code among what they depend on.
"""

from __future__ import annotations

import importlib

__all__ = ["AnimationResult", "animate", "animate_race"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(importlib.import_module(f"{__name__}.animation"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
