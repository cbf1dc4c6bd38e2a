"""Two attributes of the theme's markup that the HTML standard does not allow.

Material writes ``autocomplete="off"`` on its hidden drawer and search
checkboxes (``autocomplete`` applies to text-like inputs only) and
``tabindex=""`` on the labels of navigation sections (an empty string is not
an integer; leaving the attribute out is what an empty value means).  Both
come from the theme's ``base.html`` and ``partials/nav-item.html``, which
``main.html`` cannot override block by block, so they are dropped here.
"""

from __future__ import annotations

import re

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?)\s+tabindex=""')


def on_post_page(output: str, page, config) -> str:
    output = CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)
    return EMPTY_TABINDEX.sub(r"\1", output)


def on_post_template(output: str, template_name: str, config) -> str:
    return on_post_page(output, None, config) if template_name == "404.html" else output
