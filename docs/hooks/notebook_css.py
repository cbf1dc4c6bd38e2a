"""Drop the Blueprint widget rules from the JupyterLab CSS that notebook pages inline.

mkdocs-jupyter inlines JupyterLab's whole stylesheet into every notebook page
(about 570 KB), more than half of it rules for Blueprint (``bp3-``) widgets that
a static notebook never renders.  A rule goes only when every selector in it
names a Blueprint class, so shared rules stay.
"""

from __future__ import annotations

import re

STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _prune(css: str) -> str:
    def keep(rule: re.Match) -> str:
        selectors = [s for s in rule.group(1).split(",") if s.strip()]
        if selectors and all("bp3-" in s for s in selectors):
            return ""
        return rule.group(0)

    return RULE.sub(keep, css)


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    return STYLE.sub(
        lambda m: m.group(1) + (_prune(m.group(2)) if "bp3-" in m.group(2) else m.group(2)) + m.group(3), output
    )
