"""Render TeX as MathML at build time: no math script, no network, nothing to re-run on navigation.

Arithmatex (generic mode) wraps formulas as ``\\(...\\)`` and ``\\[...\\]`` in
``.arithmatex`` elements; notebook pages keep ``$...$`` in their rendered
markdown cells.  Both become ``<math>`` elements, which browsers lay out
natively.  Notebook pages also lose the MathJax loader nbconvert would fetch
from a CDN.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</(?P=tag)>',
    re.DOTALL,
)
MARKDOWN_CELL = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL
)
# a paragraph that is only a display formula loses its <p>: the formula's <div> cannot sit in one
DISPLAY_DOLLARS = re.compile(r"(<p>\s*)?\$\$((?:(?!\$\$).)+)\$\$(?(1)\s*</p>)", re.DOTALL)
INLINE_DOLLARS = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")
CDN_SCRIPTS = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
    r"|<script[^>]*>[^<]*mermaid[^<]*</script>",
    re.DOTALL,
)


def to_mathml(tex: str, display: bool) -> str:
    tex = html.unescape(tex).strip()
    mathml = convert(tex, display="block" if display else "inline")
    # Keep the source for screen readers and for copying.
    return mathml.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)


def _arithmatex(match: re.Match) -> str:
    if match.group("block") is not None:
        return f'<div class="math-block">{to_mathml(match.group("block"), True)}</div>'
    return to_mathml(match.group("inline"), False)


def _notebook_cell(match: re.Match) -> str:
    body = DISPLAY_DOLLARS.sub(lambda m: f'<div class="math-block">{to_mathml(m.group(2), True)}</div>', match.group(2))
    body = INLINE_DOLLARS.sub(lambda m: to_mathml(m.group(1), False), body)
    return match.group(1) + body + match.group(3)


def on_page_content(html_text: str, page, config, files) -> str:
    return ARITHMATEX.sub(_arithmatex, html_text)


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        output = CDN_SCRIPTS.sub("", output)
        output = MARKDOWN_CELL.sub(_notebook_cell, output)
    return ARITHMATEX.sub(_arithmatex, output)
