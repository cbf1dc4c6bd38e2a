"""The playground page as a reader meets it, in headless Chromium: a drag, a slider, the keyboard, a link
with settings redraw the library's path; it reads without being seen, on a phone and with the keyboard.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from playground_support import (
    assert_layers_aligned,
    drawn_equals_library,
    library,
    open_playground,
    wait_until_drawn,
)

from conftest import require_chromium
from rmsprop_docs import rmsprop, trace

pytestmark = pytest.mark.browser

require_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402


def test_dragging_the_start_redraws_the_librarys_path(browser, site_url):
    page = open_playground(browser, site_url, "?problem=rosenbrock&optimizers=rmsprop-pytorch,rmsprop-keras")
    handle = "window.rmspropDocs.playground"
    wait_until_drawn(page)
    assert_layers_aligned(page)
    before = page.evaluate(f"() => {handle}.drawn()")[0]["points"]
    # Where the start is, and where (0.5, 2.5) is, in the window's pixels.
    to_client = """(points) => {
        const svg = document.querySelector('.pg-plot');
        const m = svg.getScreenCTM();
        return window.rmspropDocs.playground.screenOf(points)
            .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    }"""
    (sx, sy), (tx, ty) = page.evaluate(to_client, [[-1.5, 2.0], [0.5, 2.5]])
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move((sx + tx) / 2, (sy + ty) / 2, steps=5)
    page.mouse.move(tx, ty, steps=5)
    page.mouse.up()
    wait_until_drawn(page)
    x0 = page.evaluate(f"() => {handle}.state().x0")
    assert abs(x0[0] - 0.5) < 0.01 and abs(x0[1] - 2.5) < 0.01
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "rmsprop-keras"]
    after = page.evaluate(f"() => {handle}.drawn()")[0]["points"]
    assert after[0] == x0 and after != before
    page.wait_for_function("(x0) => location.search.includes(x0)", arg=f"x0={x0[0]:g},{x0[1]:g}")  # the address follows
    assert page.errors == [] and page.outside == []
    page.context.close()


def test_a_slider_moved_with_the_keyboard_redraws_the_librarys_path(browser, site_url):
    # reduced motion: each change is drawn whole at once (the animation is judged in the drag test and in
    # test_summary_is_announced_and_nothing_plays_on_load)
    page = open_playground(
        browser, site_url, "?problem=beale&optimizers=rmsprop-pytorch,gradient_descent,adagrad", reduced_motion="reduce"
    )
    handle = "window.rmspropDocs.playground"
    wait_until_drawn(page)
    before = page.evaluate(f"() => {handle}.drawn()")[0]["points"][-1]
    lr = page.get_by_role("slider", name="Learning rate η (slider)")
    lr.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.state().lr") == 0.0126  # two steps of 0.05 in log10, 3 digits
    assert page.get_by_role("spinbutton", name=re.compile("Learning rate")).input_value() == "0.0126"
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "gradient_descent", "adagrad"]
    assert page.evaluate(f"() => {handle}.drawn()")[0]["points"][-1] != before
    page.wait_for_function("() => location.search.includes('lr=0.0126')")
    # the typed box and the momentum slider, the same way
    page.get_by_role("slider", name="Momentum μ (slider)").focus()
    page.keyboard.press("End")
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.state().momentum") == 0.99
    drawn_equals_library(page)
    page.get_by_role("checkbox", name="Centered RMSprop").check()
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.drawn()")[0]["config"]["centered"] is True
    drawn_equals_library(page)
    assert page.errors == []
    page.context.close()


def test_the_start_marker_moves_with_arrow_keys(browser, site_url):
    page = open_playground(browser, site_url, "?problem=quadratic&x0=1,0", reduced_motion="reduce")
    handle = "window.rmspropDocs.playground"
    page.get_by_role("slider", name="Starting point; arrow keys move it").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    assert page.evaluate(f"() => {handle}.state().x0") == [1.03, -0.3]
    wait_until_drawn(page)
    drawn_equals_library(page)
    page.context.close()


def test_a_link_with_settings_opens_those_settings(browser, site_url):
    query = (
        "?problem=elongated&x0=-2,1&optimizers=rmsprop-keras,rmsprop-tf1,adam,heavy_ball"
        "&steps=400&lr=0.05&rho=0.99&eps=0.001&momentum=0.5&centered=true&schedule=step:gamma=0.5,every=100"
    )
    page = open_playground(browser, site_url, query, reduced_motion="reduce")
    wait_until_drawn(page)
    state = page.evaluate("() => window.rmspropDocs.playground.state()")
    assert state["problem"] == "elongated" and state["steps"] == 400 and state["centered"] is True
    assert state["optimizers"] == ["rmsprop-keras", "rmsprop-tf1", "adam", "heavy_ball"]
    assert page.get_by_role("combobox", name="Schedule").input_value() == "step"
    assert page.get_by_role("spinbutton", name="Factor γ").input_value() == "0.5"
    for run in page.evaluate("() => window.rmspropDocs.playground.drawn()"):
        config = run["config"]
        assert config["schedule"] == "step:gamma=0.5,every=100"
        if config["optimizer"] == "rmsprop":
            theirs = library({**config, "schedule": {"kind": "step", "gamma": 0.5, "every": 100}})
            assert np.array_equal(np.array(run["points"], dtype=np.float64), theirs["points"])
        assert len(run["points"]) == 401
    assert page.evaluate("() => window.rmspropDocs.playground.address()") == query
    page.context.close()


def test_invalid_settings_and_divergence_are_reported_on_the_page(browser, site_url):
    query = "?problem=rosenbrock&optimizers=rmsprop-keras,rmsprop-tf1&lr=10&weight_decay=1"
    page = open_playground(browser, site_url, query, reduced_motion="reduce")
    wait_until_drawn(page)
    readouts = page.locator(".pg-readout").all_inner_texts()
    config = {"problem": "rosenbrock", "x0": [-1.5, 2.0], "lr": 10.0, "weight_decay": 1.0, "convention": "keras"}
    theirs = library(config)
    step = int(re.match(r"step (\d+):", theirs["message"]).group(1))
    assert f"Diverged at step {step}" in readouts[0]
    assert "weight_decay must be 0 with convention tf1" in readouts[1]
    page.context.close()


# ---------------------------------------------------------------- reading it without seeing it, and small screens


def test_summary_is_announced_and_nothing_plays_on_load(browser, site_url):
    page = open_playground(browser, site_url, "?problem=cubic&x0=-1", reduced_motion="reduce")
    handle = "window.rmspropDocs.playground"
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.playing()") is False
    assert page.evaluate(f"() => {handle}.shown()") == 1000
    summary = page.locator("[aria-live=polite]")
    path = trace("cubic", [-1.0], rmsprop(), 1000)
    final = f"{path.final[0]:.6g}"
    page.wait_for_function("() => document.querySelector('[aria-live=polite]').textContent.includes('RMSprop')")
    text = summary.inner_text()
    assert final in text and "1000 steps" in text and f"at step {path.steps_to(0.001)}" in text
    # a change of setting does not start an animation either: the new path is drawn whole
    page.get_by_role("slider", name="Learning rate η (slider)").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"() => {handle}.state().lr") == 0.0112
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.playing()") is False
    assert page.evaluate(f"() => {handle}.shown()") == 1000
    page.context.close()

    # without reduced motion the first view is drawn whole too (nothing runs while the page loads); a change of
    # setting draws the new path out
    moving = open_playground(browser, site_url, "?problem=cubic&x0=-1", reduced_motion="no-preference")
    moving.wait_for_function(f"() => !{handle}.busy()")
    assert moving.evaluate(f"() => {handle}.playing()") is False
    assert moving.evaluate(f"() => {handle}.shown()") == 1000
    # the step drawn at every frame from the key press on: the new path is drawn out through steps between
    moving.evaluate(
        f"""() => {{ window.seenSteps = [];
            const frame = () => {{ window.seenSteps.push({handle}.shown()); requestAnimationFrame(frame); }};
            requestAnimationFrame(frame); }}"""
    )
    moving.get_by_role("slider", name="Learning rate η (slider)").focus()
    moving.keyboard.press("ArrowRight")
    moving.wait_for_function(f"() => !{handle}.busy() && {handle}.state().lr === 0.0112")
    wait_until_drawn(moving)
    seen = moving.evaluate("() => window.seenSteps")
    assert any(0 < step < 1000 for step in seen), seen[:20]
    moving.context.close()


CONTROLS = ".playground :is(input, select, button, [tabindex='0'])"


def test_no_serious_accessibility_violations_and_every_control_is_named(browser, site_url):
    axe = Axe()
    for scheme in ("light", "dark"):
        page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam", color_scheme=scheme)
        page.get_by_role("combobox", name="Schedule").select_option("step")  # show the optional fields too
        results = axe.run(page)
        serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], serious
        unnamed = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => !e.closest('[hidden]'))
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
                .map(e => e.outerHTML.slice(0, 80))""",
            CONTROLS,
        )
        assert unnamed == []
        page.context.close()


def test_every_control_is_reachable_with_tab(browser, site_url):
    page = open_playground(browser, site_url, reduced_motion="reduce")
    controls = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(e => e.offsetParent !== null || e instanceof SVGElement).length""",
        CONTROLS,
    )
    reached = set()
    page.locator("article h1").first.click()
    for _ in range(controls + 40):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "() => { const e = document.activeElement; return e && e.closest('.playground') ? "
            "(e.id || e.textContent || e.getAttribute('aria-label')) : null; }"
        )
        if key:
            reached.add(key)
    assert len(reached) >= controls, (len(reached), controls)
    page.context.close()


def test_usable_at_375_pixels(browser, site_url):
    page = open_playground(browser, site_url, viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    width = page.evaluate("() => document.querySelector('.pg-plot').getBoundingClientRect().width")
    assert 300 <= width <= 375
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.playground *')]
            .filter(e => e instanceof HTMLElement && e.offsetParent !== null)
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.className || e.tagName)"""
    )
    assert overflowing == []
    assert_layers_aligned(page)
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    # the plot still takes a tap: the start moves where the finger is
    before = page.evaluate("() => window.rmspropDocs.playground.state().x0")
    box = page.locator(".pg-plot").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.wait_for_function("(x0) => window.rmspropDocs.playground.state().x0[0] !== x0[0]", arg=before)
    wait_until_drawn(page)
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "gradient_descent"]
    assert page.errors == []
    page.context.close()


# ---------------------------------------------------------------- a phone (375 x 812, touch) and the keyboard

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
VISIBLE_CONTROLS = """(selector) => [...document.querySelectorAll(selector)]
    .filter((e) => (e.offsetParent !== null || e instanceof SVGElement) && !e.closest('[hidden]'))"""


def _in_viewport(page, box) -> bool:
    height = page.evaluate("() => window.innerHeight")
    width = page.evaluate("() => window.innerWidth")
    return (
        box["y"] >= 0
        and box["y"] + box["height"] <= height + 0.5
        and box["x"] >= 0
        and box["x"] + box["width"] <= width + 0.5
    )


def test_on_a_phone_the_plot_stays_in_view_while_a_slider_is_moved(browser, site_url):
    page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam", reduced_motion="reduce", **PHONE)
    wait_until_drawn(page)
    handle = "window.rmspropDocs.playground"
    labels = VISIBLE_CONTROLS + ".map((e) => e.getAttribute('aria-label'))"
    names = page.evaluate(labels, ".pg-controls input[type=range]")
    assert len(names) >= 5, names
    for name in names:
        slider = page.get_by_role("slider", name=name, exact=True)
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        assert page.evaluate("() => window.scrollY") > 500  # scrolled well past the plot's place on the page
        before = page.evaluate(f"() => {handle}.state()")
        slider.focus()
        page.keyboard.press("ArrowRight")  # adjusted, as a thumb or a key moves it
        wait_until_drawn(page)
        assert page.evaluate(f"() => {handle}.state()") != before, name
        plot = page.locator(".pg-plot").bounding_box()
        assert plot["height"] > 200 and _in_viewport(page, plot), (name, plot)
        # the slider itself is not under the plot: the plot ends above it, and the slider takes the touch
        box = slider.bounding_box()
        assert _in_viewport(page, box) and box["y"] >= plot["y"] + plot["height"] - 0.5, (name, box, plot)
        centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
        assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('aria-label')", centre) == name
    assert page.errors == []
    page.context.close()


def test_on_a_phone_every_control_is_a_44_pixel_target_and_tick_labels_are_11_pixels(browser, site_url):
    page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam&schedule=step", **PHONE)
    wait_until_drawn(page)
    sizes = page.evaluate(
        VISIBLE_CONTROLS
        + """.map((e) => { const r = (e.querySelector('.pg-start-hit') || e).getBoundingClientRect();
               return {what: e.type || e.getAttribute('role') || e.tagName, id: e.id,
                       width: r.width, height: r.height}; })""",
        ".playground :is(input, select, button, [tabindex='0'])",
    )
    kinds = {s["what"] for s in sizes}
    assert {"checkbox", "range", "button", "select-one", "number", "text", "slider"} <= kinds, kinds
    small = [s for s in sizes if s["width"] < 44 - 0.01 or s["height"] < 44 - 0.01]
    assert small == [], small
    # the font the tick labels and the legend are drawn in, in CSS px (the SVG's font size times its scale)
    fonts = page.evaluate(
        """() => [...document.querySelectorAll('.playground svg text')].filter((t) => t.textContent.trim())
            .map((t) => { const m = t.getScreenCTM();
                          const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
                          return {text: t.textContent, px, box: t.getBoundingClientRect().height}; })"""
    )
    ticks = page.evaluate("() => document.querySelectorAll('.pg-axes text').length")
    assert ticks >= 8 and len(fonts) >= ticks, fonts
    assert min(f["px"] for f in fonts) >= 11, fonts
    assert min(f["box"] for f in fonts) >= 12.5, fonts  # the glyphs' box is about 1.15 times the font
    assert page.errors == []
    page.context.close()


def _touch(cdp, kind, points):
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})


def _swipe(page, start, end, moves=12):
    """One finger from ``start`` to ``end`` (client px) as the touch screen reports it, through the browser's
    own input pipeline (so that the page scrolls if nothing stops it)."""
    cdp = page.context.new_cdp_session(page)
    _touch(cdp, "touchStart", [start])
    for k in range(1, moves + 1):
        f = k / moves
        _touch(cdp, "touchMove", [(start[0] + f * (end[0] - start[0]), start[1] + f * (end[1] - start[1]))])
        page.wait_for_timeout(16)
    _touch(cdp, "touchEnd", [])
    page.wait_for_timeout(300)
    cdp.detach()


TO_CLIENT = """(points) => {
    const m = document.querySelector('.pg-plot').getScreenCTM();
    return window.rmspropDocs.playground.screenOf(points)
        .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
}"""


def test_on_a_phone_a_swipe_on_the_plot_scrolls_the_page_and_one_on_the_marker_moves_the_start(browser, site_url):
    page = open_playground(browser, site_url, "?problem=quadratic&x0=1,0", reduced_motion="reduce", **PHONE)
    wait_until_drawn(page)
    handle = "window.rmspropDocs.playground"
    page.locator(".pg-plot").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -100)")  # room to scroll both ways
    page.wait_for_timeout(200)
    plot = page.locator(".pg-plot").bounding_box()
    [(mx, my)] = page.evaluate(TO_CLIENT, [[1.0, 0.0]])
    # a point of the plot well away from the marker (more than its 22 px radius)
    x = plot["x"] + plot["width"] * (0.25 if mx > plot["x"] + plot["width"] / 2 else 0.75)
    y = plot["y"] + plot["height"] * 0.6
    assert abs(x - mx) > 60
    scrolled = page.evaluate("() => window.scrollY")
    _swipe(page, (x, y), (x, y - 150))
    page.wait_for_function("(y) => Math.abs(window.scrollY - y) > 40", arg=scrolled, timeout=5000)
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.state().x0") == [1.0, 0.0]  # the start stayed put
    # a swipe that starts on the marker drags it, and the page stays where it is
    [(mx, my)] = page.evaluate(TO_CLIENT, [[1.0, 0.0]])
    scrolled = page.evaluate("() => window.scrollY")
    _swipe(page, (mx, my), (mx + 40, my - 40))
    page.wait_for_function(f"() => {handle}.state().x0[0] !== 1", timeout=5000)
    wait_until_drawn(page)
    x0 = page.evaluate(f"() => {handle}.state().x0")
    assert x0[0] > 1.0 and x0[1] > 0.0, x0  # right and up, as the finger went
    [(nx, ny)] = page.evaluate(TO_CLIENT, [x0])
    assert abs(nx - (mx + 40)) < 3 and abs(ny - (my - 40)) < 3, (nx, ny, mx, my)
    assert page.evaluate("() => window.scrollY") == scrolled
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "gradient_descent"]
    assert page.errors == []
    page.context.close()


def _contrast(a, b) -> float:
    def lum(c):
        c = [v / 255 for v in c]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgba(text: str) -> tuple[list[float], float]:
    values = [float(v) for v in text[text.index("(") + 1 : text.index(")")].split(",")]
    return values[:3], values[3] if len(values) > 3 else 1.0


FOCUS_OF = (
    """([selector, i]) => {
    const e = ("""
    + VISIBLE_CONTROLS.replace("(selector) => ", "")
    + """)[i];
    e.focus({preventScroll: true});
    const s = getComputedStyle(e);
    return {what: e.id || e.getAttribute('aria-label') || e.textContent, focused: document.activeElement === e,
            visible: e.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
            color: s.outlineColor, bg: getComputedStyle(document.body).backgroundColor};
}"""
)
FOCUSABLE = ".playground :is(input, select, button, textarea, a[href], [tabindex='0'])"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_control_shows_a_focus_outline_of_2_pixels_at_3_to_1(browser, site_url, scheme):
    # WCAG 2.2 focus appearance: an outline at least 2 CSS px thick, at least 3:1 against the page
    page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam&schedule=step", color_scheme=scheme)
    wait_until_drawn(page)
    page.keyboard.press("Tab")  # the keyboard in use: focus shows as :focus-visible
    count = page.evaluate(VISIBLE_CONTROLS + ".length", FOCUSABLE)
    assert count >= 20
    seen = []
    for i in range(count):
        focus = page.evaluate(FOCUS_OF, [FOCUSABLE, i])
        seen.append(focus["what"])
        assert focus["focused"] and focus["visible"], focus
        assert focus["style"] == "solid" and focus["width"] >= 2, focus
        color, alpha = _rgba(focus["color"])
        background, _ = _rgba(focus["bg"])
        assert alpha == 1 and _contrast(color, background) >= 3, focus
    assert len(set(seen)) == count
    page.context.close()


def _pixels(png: bytes):
    from PIL import Image

    return np.asarray(Image.open(__import__("io").BytesIO(png)).convert("RGB"), dtype=np.int16)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_is_seen_on_a_checkbox_and_a_slider(browser, site_url, scheme):
    page = open_playground(browser, site_url, color_scheme=scheme, reduced_motion="reduce")
    wait_until_drawn(page)
    for control in (
        page.get_by_role("checkbox", name="Adagrad"),
        page.get_by_role("slider", name="Learning rate η (slider)"),
    ):
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        clip = {"x": box["x"] - 6, "y": box["y"] - 6, "width": box["width"] + 12, "height": box["height"] + 12}
        control.evaluate("(e) => e.blur()")
        unfocused = _pixels(page.screenshot(clip=clip))
        page.keyboard.press("Tab")
        control.evaluate("(e) => e.focus({preventScroll: true})")
        assert control.evaluate("(e) => e.matches(':focus-visible')")
        focused = _pixels(page.screenshot(clip=clip))
        changed = (np.abs(focused - unfocused).sum(axis=2) > 60).sum()
        # at least a 2 px ring round the control: its perimeter twice over
        assert changed >= 2 * 2 * (box["width"] + box["height"]) * 0.9, (changed, box)
    page.context.close()


def test_instant_navigation_starts_the_playground(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url, wait_until="load")
    page.locator("nav.md-nav--primary a", has_text="Playground").first.click()
    page.wait_for_url("**/playground/")
    page.wait_for_selector(".pg-plot .pg-path")
    assert page.evaluate("() => !!window.document$")  # Material's instant navigation is active
    assert page.locator(".pg-layout").count() == 1
    assert page.evaluate("() => getComputedStyle(document.querySelector('.pg-layout')).display") == "grid"
    assert errors == []
    context.close()
