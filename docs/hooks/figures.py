"""Place registered figures with ``[[figure NAME]]`` or ``[[figure NAME | caption]]``.

Alt text, pixel sizes and file names come from the registry
(``rmsprop_docs.figures``), so a page cannot drift from what was rendered.
An animation becomes a ``<picture>`` whose still PNG replaces the GIF for
readers who ask for reduced motion.  An unknown name fails the build.  A
figure placed inside an indented block (an admonition, a tab) is parsed as a
paragraph; its ``<p>`` is dropped, since a ``<figure>`` cannot sit in one.
Figures load lazily, except a page's first figure when it comes within the
first 2000 characters of the page's Markdown, about the first screen: that one
is in view at once and loads first among the images (``fetchpriority``).
"""

from __future__ import annotations

import html
import re

from rmsprop_docs import figures

WRAPPED = re.compile(r'<p>\s*(<figure class="rmsprop-figure"(?:(?!</figure>).)*</figure>)\s*</p>', re.DOTALL)
FIRST_SCREEN = 2000  # characters of Markdown
PLACEHOLDER = re.compile(r"\[\[figure\s+(?P<name>[\w-]+)\s*(?:\|\s*(?P<caption>.*?))?\]\]")


def _markup(spec: figures.FigureSpec, caption: str | None, prefix: str, eager: bool = False) -> str:
    alt = html.escape(spec.alt, quote=True)
    loading = 'loading="eager" fetchpriority="high"' if eager else 'loading="lazy"'
    if spec.kind in ("animation", "race"):
        width, height = spec.params["size"]
        gif, still = (f"{prefix}assets/{name}" for name in spec.outputs)
        image = (
            f'<picture><source srcset="{still}" media="(prefers-reduced-motion: reduce)">'
            f'<img src="{gif}" alt="{alt}" width="{width}" height="{height}" {loading} '
            f'class="rmsprop-animation"></picture>'
        )
    else:
        width, height = spec.params["size"]
        image = f'<img src="{prefix}assets/{spec.outputs[0]}" alt="{alt}" width="{width}" height="{height}" {loading}>'
    text = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="rmsprop-figure" data-figure="{spec.name}">{image}{text}</figure>'


def on_page_markdown(markdown: str, page, config, files) -> str:
    depth = page.url.count("/")
    prefix = "../" * depth

    placed = []

    def replace(match: re.Match) -> str:
        name = match.group("name")
        if name not in figures.FIGURES:
            raise ValueError(f"{page.file.src_uri}: unknown figure {name!r}; registered: {', '.join(figures.FIGURES)}")
        eager = not placed and match.start() < FIRST_SCREEN
        placed.append(name)
        return _markup(figures.FIGURES[name], match.group("caption"), prefix, eager)

    return PLACEHOLDER.sub(replace, markdown)


def on_page_content(html_text: str, page, config, files) -> str:
    return WRAPPED.sub(r"\1", html_text)
