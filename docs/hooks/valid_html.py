"""Attributes of the theme's and mkdocs-jupyter's markup that the HTML standard does not allow.

Material writes ``autocomplete="off"`` on its hidden drawer and search
checkboxes (``autocomplete`` applies to text-like inputs only) and
``tabindex=""`` on the labels of navigation sections (an empty string is not
an integer; leaving the attribute out is what an empty value means).  Both
come from the theme's ``base.html`` and ``partials/nav-item.html``, which
``main.html`` cannot override block by block, so they are dropped here.

mkdocs-jupyter writes a ``<clipboard-copy>`` button on every notebook cell with
an ``aria-label`` but no role (an element without a role may not be named) and
a stray ``,`` attribute.  The element's script gives it ``role="button"`` and
``tabindex="0"`` once it runs; they are written into the markup instead, and
the stray attribute dropped.

A page that is not in the navigation has no table-of-contents toggle
(``id="__toc"``), but the theme still writes the label for it; the label's
``for`` is dropped there.
"""

from __future__ import annotations

import re

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?)\s+tabindex=""')
TOC_LABEL = re.compile(r'(<label class="md-nav__title")\s+for="__toc"')
CLIPBOARD_COPY = re.compile(r"<clipboard-copy\b([^>]*)>")
STRAY_COMMA = re.compile(r'\s,(?:="")?(?=[\s>]|$)')


def _clipboard_copy(match: re.Match) -> str:
    attributes = STRAY_COMMA.sub("", match.group(1))
    if " role=" not in attributes:
        attributes = ' role="button"' + attributes
    if " tabindex=" not in attributes:
        attributes += ' tabindex="0"'
    return f"<clipboard-copy{attributes}>"


def on_post_page(output: str, page, config) -> str:
    output = CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)
    output = CLIPBOARD_COPY.sub(_clipboard_copy, output)
    if 'id="__toc"' not in output:
        output = TOC_LABEL.sub(r"\1", output)
    return EMPTY_TABINDEX.sub(r"\1", output)


def on_post_template(output: str, template_name: str, config) -> str:
    return on_post_page(output, None, config) if template_name == "404.html" else output
