"""Fewer elements in highlighted code, the same text and colours.

Pygments wraps every token in a ``<span>``: on the API page alone that is most
of its 3,000 elements.  Names (``n``), punctuation (``p``) and whitespace
(``w``) take the plain code colour (the site's stylesheet sets the name and
punctuation colours to it), so their spans go; neighbouring spans of the same
kind merge into one.  The text, and so what
the copy button copies, does not change.
"""

from __future__ import annotations

import re

PLAIN = re.compile(r'<span class="(?:n|p|w)">([^<]*)</span>')
NEIGHBOURS = re.compile(r'<span class="([a-z0-9]+)">([^<]*)</span><span class="\1">([^<]*)</span>')
CODE = re.compile(r"(<code\b[^>]*>)(.*?)(</code>)|(<pre\b[^>]*>)(.*?)(</pre>)", re.DOTALL)


def simplify(code: str) -> str:
    code = PLAIN.sub(r"\1", code)
    while True:
        merged = NEIGHBOURS.sub(r'<span class="\1">\2\3</span>', code)
        if merged == code:
            return code
        code = merged


def _block(match: re.Match) -> str:
    if match.group(1) is not None:
        return match.group(1) + simplify(match.group(2)) + match.group(3)
    return match.group(4) + simplify(match.group(5)) + match.group(6)


def on_post_page(output: str, page, config) -> str:
    return CODE.sub(_block, output)
