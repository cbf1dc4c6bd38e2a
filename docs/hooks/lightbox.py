"""Figures open full size: each placed figure's image becomes a link that mkdocs-glightbox opens.

The glightbox plugin runs in ``manual`` mode (it wraps no image on its own: the
notebooks' plots and the animations' ``<picture>`` would break), and ships its
script and stylesheet with the site.  This hook wraps the image of every
``<figure class="rmsprop-figure">`` that ``docs/hooks/figures.py`` writes, the
whole ``<picture>`` of an animation included, in the link glightbox looks for
(``a.glightbox``).  The link points at the image file itself, so without
JavaScript it still opens the figure at full size.  The figure's caption
becomes the lightbox's description.

It runs before the plugins' own page hooks: glightbox re-parses every page's
HTML, and a parser closes a ``<p>`` at a ``<figure>``, so a figure placed in an
indented block (parsed as a paragraph) loses its ``<p>`` here first, as
``docs/hooks/figures.py`` would drop it later, instead of leaving an empty
paragraph beside it.
"""

from __future__ import annotations

import html
import re

from mkdocs.plugins import event_priority

FIGURE = re.compile(
    r'(<figure class="rmsprop-figure"[^>]*>)(<picture>.*?</picture>|<img\b[^>]*>)(.*?</figure>)', re.DOTALL
)
WRAPPED = re.compile(r'<p>\s*(<figure class="rmsprop-figure"(?:(?!</figure>).)*</figure>)\s*</p>', re.DOTALL)
SOURCE = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


def _wrap(match: re.Match) -> str:
    start, image, rest = match.groups()
    source = SOURCE.search(image)
    if source is None:
        return match.group(0)
    caption = CAPTION.search(rest)
    description = ""
    if caption:
        text = html.unescape(re.sub(r"<[^>]+>", "", caption.group(1))).strip()
        description = f' data-description="{html.escape(text, quote=True)}"'
    link = (
        f'<a class="glightbox" href="{source.group(1)}" data-type="image" data-width="auto" data-height="auto"'
        f' data-desc-position="bottom"{description}>'
    )
    return f"{start}{link}{image}</a>{rest}"


def wrap_figures(html_text: str) -> str:
    return FIGURE.sub(_wrap, WRAPPED.sub(r"\1", html_text))


@event_priority(50)  # before mkdocs-glightbox (0), which re-parses the page
def on_page_content(html_text: str, page, config, files) -> str:
    return wrap_figures(html_text)


GLIGHTBOX_SCRIPT = re.compile(r'<script src="([^"]*glightbox\.min\.js)"></script>')
GLIGHTBOX_INIT = re.compile(r'<script id="init-glightbox">(.*?)</script>', re.DOTALL)


def defer_glightbox(html_text: str) -> str:
    """Load glightbox's script without holding up the page's first paint.

    The plugin puts a plain ``<script src>`` in the head, which the browser
    fetches and runs before it draws anything, and a script at the end of the
    body that calls ``GLightbox`` at once. Deferred, the library runs once the
    page is parsed, just before ``DOMContentLoaded``, which is when the
    initialising script now runs.
    """
    if not (GLIGHTBOX_SCRIPT.search(html_text) and GLIGHTBOX_INIT.search(html_text)):
        return html_text
    html_text = GLIGHTBOX_SCRIPT.sub(r'<script defer src="\1"></script>', html_text, count=1)
    return GLIGHTBOX_INIT.sub(
        lambda init: (
            f'<script id="init-glightbox">addEventListener("DOMContentLoaded", () => {{\n'
            f"{init.group(1).strip()}\n}});</script>"
        ),
        html_text,
        count=1,
    )


@event_priority(-100)  # after mkdocs-glightbox has put its scripts in the page
def on_post_page(output: str, page, config) -> str:
    return defer_glightbox(output)
