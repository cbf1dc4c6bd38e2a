"""The pages' inline figures (docs/javascripts/playground/inline.js) in headless Chromium.

The idea page races gradient descent and RMSprop on the bowl, the one-variable page shows RMSprop's gain on
the cubic; both run core.js (the playground's port of the library) as a slider moves, fall back to their
static figure without JavaScript, link to the playground with their settings, show keyboard focus, and stay
usable on a 375 px phone.
"""

from __future__ import annotations

import urllib.parse

import numpy as np
import pytest

from conftest import require_chromium
from rmsprop_docs import gradient_descent, rmsprop, trace

pytestmark = pytest.mark.browser

require_chromium()

PAGES = {"idea": ("bowl", "bowl-race.png"), "one-variable": ("gain", "cubic-stability.png")}


# site_url: the built site served by tests/conftest.py


def open_page(browser, site_url, name, **options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{site_url}{name}/", wait_until="load")
    return page


def figure(page, name):
    kind = PAGES[name][0]
    locator = page.locator(f"figure.pg-inline[data-inline={kind}]")
    locator.scroll_into_view_if_needed()
    return locator


def slide(fig, lr):
    """Move the figure's learning-rate slider (log10 of the rate) as a reader's drag does: input events."""
    fig.locator("input[type=range]").evaluate(
        "(r, v) => { r.value = v; r.dispatchEvent(new Event('input', {bubbles: true})); }", str(np.log10(lr))
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_without_javascript_the_static_figure_shows(browser, site_url, name):
    page = open_page(browser, site_url, name, java_script_enabled=False)
    fig = figure(page, name)
    img = fig.locator("img")
    assert img.is_visible() and img.get_attribute("src").endswith(PAGES[name][1])
    assert page.evaluate("(i) => i.complete && i.naturalWidth > 0", img.element_handle())
    assert fig.locator("a.pg-inline-link").get_attribute("href").startswith("../playground/?problem=")
    page.context.close()


def test_the_bowl_figure_runs_the_librarys_runs_and_follows_its_slider(browser, site_url):
    page = open_page(browser, site_url, "idea", reduced_motion="reduce")
    fig = figure(page, "idea")
    assert not fig.locator("img").is_visible() and fig.locator("svg.pg-inline-plot").is_visible()
    for lr in (0.4, 0.1):
        if lr != 0.4:
            slide(fig, lr)
        paths = page.evaluate("async () => await window.rmspropDocs.shown()")
        assert [p["optimizer"] for p in paths] == ["gradient_descent", "rmsprop-pytorch"]
        ours = {p["optimizer"]: np.array(p["points"]) for p in paths}
        gd = trace("bowl", [-5.0, -2.0], gradient_descent(lr=lr), 60)
        rms = trace("bowl", [-5.0, -2.0], rmsprop(lr=lr, rho=0.9), 60)
        assert np.array_equal(ours["gradient_descent"], gd.points) and np.array_equal(
            ours["rmsprop-pytorch"], rms.points
        )
        text = fig.locator(".pg-inline-readout").inner_text()
        for label, path in (("Gradient descent", gd), ("RMSprop", rms)):
            at = path.steps_to(0.05)
            said = "not within 0.05 in 60 steps" if at is None else f"first within 0.05 at step {at}"
            assert f"{label}: {said}." in text
        href = fig.locator("a.pg-inline-link").get_attribute("href")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
        assert query["problem"] == ["bowl"] and query["lr"] == [str(lr)] and query["steps"] == ["60"]
    # the link opens the playground with those settings
    fig.locator("a.pg-inline-link").click()
    page.wait_for_url("**/playground/?*")
    page.wait_for_function("() => window.rmspropDocs.playground && !window.rmspropDocs.playground.busy()")
    drawn = page.evaluate("() => window.rmspropDocs.playground.drawn()")
    assert [(d["id"], d["config"]["lr"], d["config"]["steps"]) for d in drawn] == [
        ("gradient_descent", 0.1, 60),
        ("rmsprop-pytorch", 0.1, 60),
    ]
    assert page.errors == []
    page.context.close()


def test_the_gain_figure_passes_two_where_the_library_says(browser, site_url):
    page = open_page(browser, site_url, "one-variable", reduced_motion="reduce")
    fig = figure(page, "one-variable")
    for lr in (0.01, 0.05):
        if lr != 0.01:
            slide(fig, lr)
        path = trace("cubic", [-1.0], rmsprop(lr=lr), 1000)
        gain = lr * (2 * 3**0.5) / np.sqrt(path.accumulators[:, 0])
        step = int(np.argmax(gain > 2)) + 1
        assert f"The gain passes 2 at step {step}." in fig.locator(".pg-inline-readout").inner_text()
        ours = page.evaluate("(f) => f.inline.gains()", fig.element_handle())
        assert np.allclose(ours, gain, rtol=1e-12, atol=0)
        assert fig.locator("a.pg-inline-link").get_attribute("href").endswith(f"lr={lr}")
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_reduced_motion_draws_at_once(browser, site_url, name):
    page = open_page(browser, site_url, name, reduced_motion="reduce")
    fig = figure(page, name)
    fig.locator("input[type=range]").focus()
    page.keyboard.press("ArrowLeft")
    dashes = page.evaluate(
        "(f) => [...f.querySelectorAll('.pg-path')].map(p => p.style.strokeDashoffset)", fig.element_handle()
    )
    assert dashes and all(d == "" for d in dashes)
    page.context.close()


def _contrast(a, b):
    def lum(c):
        c = [v / 255 for v in c]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


FOCUS = """(e) => { const s = getComputedStyle(e);
    const bg = getComputedStyle(document.body).backgroundColor;
    return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, bg}; }"""


def _rgb(text):
    return [float(v) for v in text[text.index("(") + 1 : text.index(")")].split(",")[:3]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_visible_on_every_control(browser, site_url, scheme):
    page = open_page(browser, site_url, "idea", color_scheme=scheme)
    fig = figure(page, "idea")
    for control in (fig.locator("input[type=range]"), fig.locator("a.pg-inline-link")):
        before = control.screenshot()
        control.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus from the keyboard, so :focus-visible applies
        focus = page.evaluate(FOCUS, control.element_handle())
        assert focus["style"] == "solid" and focus["width"] >= 2, focus
        assert _contrast(_rgb(focus["color"]), _rgb(focus["bg"])) >= 3, focus
        box = control.bounding_box()
        shot = page.screenshot(
            clip={"x": box["x"] - 6, "y": box["y"] - 6, "width": box["width"] + 12, "height": box["height"] + 12}
        )
        assert shot != before
    page.context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_touch_targets_and_text_on_a_phone(browser, site_url, name):
    page = open_page(browser, site_url, name, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    fig = figure(page, name)
    for control in (fig.locator("input[type=range]"), fig.locator("a.pg-inline-link")):
        box = control.bounding_box()
        assert box["height"] >= 44, (name, box)
    sizes = page.evaluate(
        """(f) => [...f.querySelectorAll('svg text')].filter(t => t.textContent.trim())
            .map(t => t.getBoundingClientRect().height)""",
        fig.element_handle(),
    )
    # a text box is about 1.15 times its font size: 11 CSS px of font is a box of at least 12.5
    assert sizes and min(sizes) >= 12.5, sizes
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_label_lies_inside_its_figure(browser, site_url, name, width):
    # a tick label at the axis' end drawn centred on its tick would run past the drawing's edge and be cut
    page = open_page(browser, site_url, name, viewport={"width": width, "height": 900})
    fig = figure(page, name)
    page.wait_for_function("(f) => f.querySelectorAll('svg text').length > 0", arg=fig.element_handle())
    outside = page.evaluate(
        """(f) => [...f.querySelectorAll('svg')].flatMap((s) => {
            const edge = s.getBoundingClientRect();
            return [...s.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => {
                const b = t.getBoundingClientRect();
                return [t.textContent, b.left - edge.left, edge.right - b.right];
            }).filter(([, left, right]) => left < -0.5 || right < -0.5);
        })""",
        fig.element_handle(),
    )
    assert outside == [], outside
    page.context.close()
