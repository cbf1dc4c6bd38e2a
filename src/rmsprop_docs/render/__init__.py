"""Figures and animations: the only part of the package that imports Matplotlib."""

from rmsprop_docs.render.animation import AnimationResult, animate

__all__ = ["AnimationResult", "animate"]
