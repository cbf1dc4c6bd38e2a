"""Figures readable where they are shown: the smallest text of every figure, at the width each page shows it.

Each rendered PNG (an animation's still stands for its GIF) records the size in image pixels of its smallest
text (``rmsprop_docs.render.styles.SMALLEST_TEXT_KEY``), measured from the Matplotlib figure that drew it.
Scaled by the width Chromium shows the image at, that text must be at least 11 CSS px on a 1280 px screen and
at least 9 CSS px on a 375 px phone: measured in Chromium by tests/test_readability.py, whose sweep of every
page at both widths reads each figure's shown width.
"""

from __future__ import annotations

import pytest
from PIL import Image

from conftest import ROOT
from rmsprop_docs import figures
from rmsprop_docs.render import styles

ASSETS = ROOT / "docs" / "assets"
SMALLEST = {1280: 11.0, 375: 9.0}  # CSS px of text, by screen width
# The original post's look, reproduced pixel for pixel at its 1920x1080 for comparison (the benchmark measures
# our render against the post's frames): its text is the post's, shown in a folded block, and opens full size.
AS_THE_POST_DREW_IT = {"cubic-rmsprop-post"}


def text_px(name: str) -> float:
    spec = figures.FIGURES[name]
    still = ASSETS / spec.outputs[-1]  # a plot's PNG, or an animation's still
    with Image.open(still) as image:
        return float(image.text[styles.SMALLEST_TEXT_KEY])


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_every_figure_records_its_smallest_text(name):
    size = text_px(name)
    assert 10 < size < 60, f"{name}: smallest text {size} px"


@pytest.mark.parametrize("name", sorted(set(figures.FIGURES) - AS_THE_POST_DREW_IT))
def test_figures_are_drawn_small_enough_for_their_text_to_survive_a_phone(name):
    # The narrowest column a figure meets: 317 px, inside a folded block on a 375 px phone. A figure shown there
    # keeps its text at least this size.
    width = figures.FIGURES[name].params["size"][0]
    assert text_px(name) * min(width, 317) / width >= SMALLEST[375], name


def test_the_recorded_size_is_the_smallest_text_drawn(tmp_path):
    """A plot with one label smaller than the rest records that label's size."""
    import matplotlib

    from rmsprop_docs.render import plots

    with matplotlib.rc_context(styles.DEFAULT.rc):
        figure, (ax,) = plots._figure(700, 300)
        ax.plot([0, 1], [0, 1])
        ax.set_title("title")
        ax.text(0.5, 0.5, "tiny", fontsize=6)
        plots._save(figure, tmp_path / "t.png")
    with Image.open(tmp_path / "t.png") as image:
        assert float(image.text[styles.SMALLEST_TEXT_KEY]) == 6 * plots.DPI / 72
