"""The theme's palette stylesheet, without the rule that restyles every page twice as it loads.

Whenever it applies the colour scheme, which it does on every page load and not
only when the reader switches, the theme's script marks the body with
``data-md-color-switching`` and removes the mark a task later. Its palette
stylesheet turns transitions off under that mark::

    [data-md-color-switching] *, [data-md-color-switching] :after,
    [data-md-color-switching] :before {transition-duration: 0s !important}

A rule that matches every element under an attribute makes the browser
restyle the whole page when the attribute is set and again when it is
removed: in Lighthouse's traces of the API page, a quarter to a third of the
theme's main-thread work as the page loads. Without the rule, switching
between light and dark lets the theme's few colour transitions (links, 125 ms)
run.

The rule is removed from the built copy of the stylesheet; a theme whose
stylesheet no longer holds it fails the build, so that the change is looked at
again rather than silently doing nothing.
"""

from __future__ import annotations

import pathlib

from mkdocs.exceptions import PluginError

SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)


def without_switching_rule(css: str) -> str:
    if SWITCHING_RULE not in css:
        raise PluginError("the theme's palette stylesheet no longer holds its colour-switching rule")
    return css.replace(SWITCHING_RULE, "")


def on_post_build(config) -> None:
    sheets = sorted(pathlib.Path(config["site_dir"], "assets", "stylesheets").glob("palette.*.min.css"))
    if len(sheets) != 1:
        raise PluginError(f"expected the theme's one palette stylesheet, found {[s.name for s in sheets]}")
    sheets[0].write_text(without_switching_rule(sheets[0].read_text(encoding="utf-8")), encoding="utf-8")
