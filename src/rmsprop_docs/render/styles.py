"""The two looks of a figure: the original post's, and the site's.

A style is data: a frozen record of every choice that decides how a figure
looks.  The renderer reads its fields and never asks for a style by name, so
a new look is a new record, not a new branch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

STYLES = ("default", "post")

# The site's colours: readable on white, kept when the page turns dark (the
# figure keeps its own light card), and distinct for colour-blind readers
# (Okabe-Ito blue, vermillion and bluish green).
INK = "#1f2430"
MUTED = "#5f6673"
CURVE = "#0072b2"
POINT = "#d55e00"
PATH = "#d55e00"
START = "#1f2430"
MINIMUM = "#009e73"
CARD = "#ffffff"


@dataclass(frozen=True)
class Style:
    """Everything that decides how a figure looks, not what it shows."""

    name: str
    size: tuple[int, int]  # pixels
    dpi: int
    rc: Mapping[str, object] = field(default_factory=dict)  # Matplotlib settings, read-only once made
    curve_color: str | None = None  # None: matplotlib's first cycle colour, as in the post
    point_color: str = "red"
    point_size: float = 36.0  # points^2, as scatter's default
    path_color: str = PATH
    grid_alpha: float = 0.5
    title_lr_only: bool = True  # the post's "RMSprop, learning_rate = 0.01"
    value_label: str = "y"  # the vertical axis of a 1-D curve
    value_label_rotation: float = 0.0  # degrees; the post writes "y" upright
    tight_layout: bool = False  # the post keeps Matplotlib's default margins
    contour_cmap: str = "viridis"
    palette_colours: int = 64  # one GIF palette for all frames; fewer colours, smaller deltas

    def __post_init__(self) -> None:
        object.__setattr__(self, "rc", MappingProxyType(dict(self.rc)))
        object.__setattr__(self, "size", tuple(int(side) for side in self.size))

    def at_size(self, size: tuple[int, int] | None) -> Style:
        """This style at another pixel size (or itself for ``None``)."""
        return self if size is None else dataclasses.replace(self, size=tuple(size))


POST = Style(
    name="post",
    size=(1920, 1080),
    dpi=100,
    rc={"font.size": 22},
)

DEFAULT = Style(
    name="default",
    size=(960, 540),
    dpi=150,
    rc={
        "font.size": 9,
        "font.family": "DejaVu Sans",
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.titlecolor": INK,
        "axes.facecolor": CARD,
        "figure.facecolor": CARD,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": INK,
        "grid.color": "#c9ced6",
        "grid.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "lines.linewidth": 1.6,
        "svg.hashsalt": "rmsprop-docs",
    },
    curve_color=CURVE,
    point_color=POINT,
    point_size=40.0,
    grid_alpha=1.0,
    title_lr_only=False,
    value_label="f(x)",
    value_label_rotation=90.0,
    tight_layout=True,
    contour_cmap="Blues_r",
    palette_colours=128,
)

_BY_NAME = {style.name: style for style in (DEFAULT, POST)}


def get(name: str, size: tuple[int, int] | None = None) -> Style:
    """The named style, optionally at another pixel size."""
    from rmsprop_docs import validation

    return _BY_NAME[validation.choice("style", name, STYLES)].at_size(size)


# Where a figure records its smallest text, in pixels of the image (a PNG text chunk): a page test scales it by the
# width the image is shown at to check the text is readable there.
SMALLEST_TEXT_KEY = "rmsprop-docs:smallest-text-px"


def smallest_text_px(figure) -> float:
    """The size in image pixels of the smallest visible, non-empty text a drawn Matplotlib figure holds."""
    from matplotlib.text import Text

    sizes = [
        text.get_fontsize() * figure.dpi / 72
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip() and text.get_figure() is not None
    ]
    return round(min(sizes), 2)


def contour_levels(z: np.ndarray, count: int = 14) -> np.ndarray:
    """Levels from the lowest value up, spaced geometrically so the bowl's bottom shows."""
    low, high = float(np.min(z)), float(np.max(z))
    span = max(high - low, 1e-12)
    return np.unique(low + span * np.geomspace(1e-3, 1.0, count))
