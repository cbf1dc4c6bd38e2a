"""The learning path: its order, its first screen, its references, and how much prose each page shows unasked.

A page of the path teaches one idea before any detail: the prose a reader sees without opening anything
(code, outputs, formulas and collapsed blocks not counted) stays within a budget, measured in Chromium on the
built page, and the home page's first screen holds the race animation and the ways into the site.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
import yaml

from conftest import ROOT, require_chromium

# The path, in the order a reader walks it.
PATH = (
    "idea.md",
    "one-variable.md",
    "two-variables.md",
    "why-rmsprop.md",
    "hyperparameters.md",
    "variants.md",
    "adam.md",
    "minibatch.md",
    "frameworks.md",
    "playground.md",
    "exercises.md",
    "references.md",
)
VISIBLE_WORDS = 1200
# Every source a page cites, by its anchor on the references page.
SOURCES = (
    "post",
    "hinton-6e",
    "rprop",
    "adagrad",
    "adadelta",
    "graves",
    "adam",
    "adamw",
    "reddi",
    "torch-source",
    "keras-source",
    "tf1-source",
    "tf-keras-source",
    "optax-source",
    "mlx-source",
    "paddle-source",
    "pytorch-23796",
    "pytorch-23807",
    "pytorch-26735",
)
FIRST_SCREENS = ((1280, 800), (375, 812))


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's tags (``!ENV``) read as plain values: only the nav matters here."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _nav_pages(entries) -> list[str]:
    pages = []
    for entry in entries:
        for value in entry.values():
            pages.extend(_nav_pages(value) if isinstance(value, list) else [value])
    return pages


def test_the_nav_walks_the_path_in_order_after_home():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)["nav"]
    pages = _nav_pages(nav)
    assert pages[0] == "index.md"
    assert tuple(pages[1 : 1 + len(PATH)]) == PATH


def test_every_path_page_exists_and_the_home_map_lists_it():
    home = (ROOT / "docs" / "index.md").read_text()
    for page in PATH:
        assert (ROOT / "docs" / page).exists(), page
        assert f"]({page})" in home, f"the home page's map does not link {page}"


def test_the_references_page_links_every_source():
    text = (ROOT / "docs" / "references.md").read_text()
    for anchor in SOURCES:
        found = re.search(rf"\[[^\]]+\]\((https://[^)]+)\)\s*\{{ #{re.escape(anchor)} \}}", text)
        assert found, f"references.md has no linked entry {{ #{anchor} }}"
        assert urllib.parse.urlparse(found.group(1)).netloc, found.group(1)


def test_links_to_the_references_page_name_anchors_it_has():
    anchors = set(re.findall(r"\{ #([\w-]+) \}", (ROOT / "docs" / "references.md").read_text()))
    for page in (ROOT / "docs").glob("*.md"):
        for anchor in re.findall(r"references\.md#([\w-]+)", page.read_text()):
            assert anchor in anchors, f"{page.name} links references.md#{anchor}, which does not exist"


# --------------------------------------------------------------------------- in Chromium

# Words a reader sees without opening anything: text in the article that Chromium renders, outside code,
# outputs, formulas and permalink marks; a closed <details> renders only its summary, a hidden tab nothing.
VISIBLE_PROSE = """() => {
    const root = document.querySelector('article.md-content__inner');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let words = 0;
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (!parent || parent.closest('pre, code, math, script, style, noscript, .headerlink')) continue;
        if (!parent.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        words += walker.currentNode.textContent.split(/\\s+/).filter(t => /[\\p{L}\\p{N}]/u.test(t)).length;
    }
    return words;
}"""


@pytest.fixture(scope="module")
def site(site_url):
    require_chromium()
    return site_url


@pytest.mark.browser
@pytest.mark.parametrize("page", PATH)
def test_visible_prose_fits_the_budget(browser, site, page):
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        tab.goto(site + page.removesuffix(".md") + "/")
        words = tab.evaluate(VISIBLE_PROSE)
        # The measure must see collapsed text as hidden: opening every block can only add words.
        tab.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        opened = tab.evaluate(VISIBLE_PROSE)
    finally:
        tab.close()
    assert 100 < words <= VISIBLE_WORDS, f"{page}: {words} words of visible prose (budget {VISIBLE_WORDS})"
    assert opened >= words


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), FIRST_SCREENS)
def test_the_home_pages_first_screen_shows_the_race_and_the_ways_in(browser, site, width, height):
    tab = browser.new_page(viewport={"width": width, "height": height})
    try:
        tab.goto(site)
        tab.wait_for_load_state("load")
        boxes = tab.evaluate(
            """() => {
                const box = el => { const r = el.getBoundingClientRect();
                                    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                                            width: r.width, visible: el.checkVisibility()}; };
                const race = document.querySelector('figure[data-figure="bowl-race"] img');
                const links = {};
                for (const a of document.querySelectorAll('article a')) {
                    const href = a.getAttribute('href');
                    if (!(href in links)) links[href] = {...box(a), text: a.textContent.trim()};
                }
                const loaded = race && race.complete && race.naturalWidth > 0;
                return {race: race && {...box(race), src: race.currentSrc, loaded}, links};
            }"""
        )
    finally:
        tab.close()
    race = boxes["race"]
    assert race is not None, "the home page shows no bowl-race figure"
    assert race["loaded"] and race["src"].endswith("bowl-race.gif"), race
    assert race["visible"] and race["top"] >= 0 and race["bottom"] <= height, f"animation off the first screen: {race}"
    assert race["width"] >= min(300, width - 40), f"animation too small to read: {race}"
    for target in ("idea/", "playground/", "frameworks/"):
        found = [link for href, link in boxes["links"].items() if href.rstrip("/").endswith(target.rstrip("/"))]
        assert found, f"no link to {target} on the home page"
        first = min(found, key=lambda link: link["top"])
        assert first["visible"] and first["top"] >= 0 and first["bottom"] <= height, (
            f"the link to {target} is not on the first screen at {width}x{height}: {first}"
        )
        assert first["right"] <= width, first


# --------------------------------------------------------------------------- claims the path's first pages make


def _bowl_runs(steps: int):
    from rmsprop_docs import gradient_descent, rmsprop, trace

    start = [-5.0, -2.0]
    return (
        trace("bowl", x0=start, optimizer=gradient_descent(lr=0.4), steps=steps),
        trace("bowl", x0=start, optimizer=rmsprop(lr=0.4, rho=0.9), steps=steps),
    )


def test_the_race_animation_shows_what_its_captions_say():
    """bowl-race: 45 steps; RMSprop within 0.05 from step 17 to the end, gradient descent still 0.12 away."""
    from rmsprop_docs import figures

    spec = figures.FIGURES["bowl-race"]
    steps = spec.params["steps"]
    assert steps == 45 and "45 steps" in spec.alt
    gd, rms = _bowl_runs(steps)
    assert rms.steps_to(0.05) == 17 and rms.steps_to_stay(0.05) == 17
    assert round(float(gd.distances[-1]), 2) == 0.12 and gd.steps_to(0.05) is None
    for page in ("idea.md", "index.md"):
        assert "first 45 steps" in (ROOT / "docs" / page).read_text()


def test_rmsprop_at_a_constant_rate_is_thrown_out_of_the_bowls_minimum_and_ends_in_a_cycle():
    """why-rmsprop.md: near the minimum within tens of steps, thrown out between steps 50 and 200, then a
    cycle of lr/2 = 0.2 per coordinate."""
    _, rms = _bowl_runs(1000)
    d = rms.distances
    assert d[17:50].max() < 0.05
    assert d[50:200].max() > 0.5 and 50 <= int(d[50:200].argmax()) + 50 < 200
    assert abs(rms.points[-100:]).max() == pytest.approx(0.2, abs=1e-3)
    assert abs(rms.points[200:]).max() == pytest.approx(0.2, abs=1e-2)
