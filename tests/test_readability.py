"""Every page reads well on a phone (375 x 812) and on a desktop (1280 x 800), in Debian's Chromium.

The built site is served on 127.0.0.1 (search runs in a worker, which needs
HTTP) and every request elsewhere is refused.  Each page is loaded once per
width with its collapsed notes opened and its tabs revealed, and measured:

- the page never scrolls sideways;
- a display formula (``math display="block"``) is never wider than its column
  and never clipped (at most its own box scrolls);
- printed output (``Output`` blocks, notebook outputs) keeps its lines: no line
  breaks inside a number or a name; a block wider than its column scrolls, with
  a shadow at the edge that has more;
- a title is as tall as its text: the hidden permalink mark (``¶``) never wraps
  onto a line of its own;
- every figure's smallest text is large enough at the width the page shows it;
- at 1280 px no code block wraps (a wide one scrolls, with a cue), and the
  pages' own Python fits its column line by line;
- no script error, nothing fetched from elsewhere.

The phone sweep reads in the light scheme and the desktop one in the dark scheme (figures keep their white
ground there); each leaves a screenshot of every page in ``<artifacts>/screenshots``.

Search finds the ε sections under every spelling; figures open full size; the
page-not-found page leads home and to search; the API page shows links, not
Sphinx roles.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
from test_figure_text import AS_THE_POST_DREW_IT, SMALLEST, text_px
from test_html import CODE

from conftest import ROOT, require_chromium, shot, slug
from rmsprop_docs import figures

pytestmark = pytest.mark.browser

require_chromium()

WIDTHS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}
# The phone reads in the light scheme, the desktop in the dark one: what is measured here is layout, the same in
# both, and so each sweep's screenshots show a scheme (the light desktop is tests/test_browser.py's sweep).
SCHEMES = {"phone": "light", "desktop": "dark"}
REVEAL = ".tabbed-set > .tabbed-content > .tabbed-block { display: block !important; }"
EPSILON_TARGETS = {"frameworks/": "When the placement of ε matters", "exercises/": "A huge ε"}

MEASURE = """() => {
  const result = {overflow: document.scrollingElement.scrollWidth - window.innerWidth, math: [], output: [],
                  titles: []};
  const describe = e => (e.getAttribute('alttext') || e.textContent).replace(/\\s+/g, ' ').trim().slice(0, 90);
  for (const math of document.querySelectorAll('article math[display="block"]')) {
    const box = math.closest('.math-block') || math.parentElement;
    if (!box.clientWidth) continue;  // not rendered (a closed tab)
    const content = [...math.children].map(c => c.getBoundingClientRect());
    const left = Math.min(...content.map(r => r.left)), right = Math.max(...content.map(r => r.right));
    const clipped = [math, box].some(e => ['hidden', 'clip'].includes(getComputedStyle(e).overflowX)
                                       || ['hidden', 'clip'].includes(getComputedStyle(e).overflowY));
    result.math.push({tex: describe(math), width: right - left, column: box.clientWidth, clipped,
                      scrollable: box.scrollWidth > box.clientWidth + 1});
  }
  const outputs = [...document.querySelectorAll('article .highlight')]
    .filter(h => { const f = h.querySelector(':scope > .filename'); return f && f.textContent.trim() === 'Output'; })
    .map(h => h.querySelector('pre > code'))
    .concat([...document.querySelectorAll('article .jp-OutputArea-output pre')]);
  for (const code of outputs) {
    if (!code || !code.clientWidth) continue;
    const style = getComputedStyle(code);
    const wrapping = [code, ...code.querySelectorAll('*')].map(e => getComputedStyle(e))
      .filter(s => (s.textWrapMode ? s.textWrapMode === 'wrap' : !['pre', 'nowrap'].includes(s.whiteSpace))
                   || ['anywhere', 'break-word'].includes(s.overflowWrap) || s.wordBreak === 'break-all').length;
    const lines = code.textContent.replace(/\\n$/, '').split('\\n').length;
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const lineHeight = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    const shown = Math.round((code.scrollHeight - padding) / lineHeight);
    const wide = code.scrollWidth > code.clientWidth + 1;
    result.output.push({first: code.textContent.split('\\n')[0].slice(0, 60), wrapping, lines, shown, wide,
                        scrolls: ['auto', 'scroll'].includes(style.overflowX),
                        cue: /gradient/.test(style.backgroundImage)});
  }
  for (const title of document.querySelectorAll('article :is(h1, h2, h3, h4, h5, h6)')) {
    const mark = title.querySelector(':scope > .headerlink, :scope > .anchor-link');
    if (!mark || !title.clientWidth) continue;
    const height = title.getBoundingClientRect().height;
    const display = mark.style.display;
    mark.style.display = 'none';
    const text = title.getBoundingClientRect().height;
    mark.style.display = display;
    result.titles.push({title: title.textContent.replace('¶', '').trim().slice(0, 60), height, text});
  }
  return result;
}"""


# site_url: the built site served by tests/conftest.py


@pytest.fixture(scope="module")
def pages(built_site) -> list[str]:
    found = sorted(
        p.relative_to(built_site).parent.as_posix() + "/"
        for p in built_site.rglob("index.html")
        if not p.relative_to(built_site).as_posix().startswith(("assets/", "search/"))
    )
    return [("" if p == "./" else p) for p in found]


def _local_only(route) -> bool:
    host = urllib.parse.urlparse(route.request.url).hostname
    if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
        return True
    route.abort()
    return False


LOAD_IMAGES = """async () => {
    const images = [...document.images];
    images.forEach(i => { i.loading = 'eager'; });
    await Promise.all(images.map(i => i.decode().catch(() => null)));
}"""

# Each figure's width as shown and as drawn, for its smallest text in CSS px (tests/test_figure_text.py), and the
# ground it is drawn on.
FIGURES_SHOWN = """() => [...document.querySelectorAll('figure.rmsprop-figure')].map(f => {
    const img = f.querySelector('img');
    const style = getComputedStyle(img);
    return {name: f.dataset.figure, shown: img.getBoundingClientRect().width, natural: +img.getAttribute('width'),
            background: style.backgroundColor, opacity: style.opacity};
})"""


# Every code block at desktop width: wrapping, and whether one wider than its column scrolls with a cue.
CODE_BLOCKS = """(selector) => [...document.querySelectorAll(selector)].map(e => { const s = getComputedStyle(e);
    return {scroll: e.scrollWidth, client: e.clientWidth, wrap: s.textWrapMode, overflow: s.overflowX,
            cue: /gradient/.test(s.backgroundImage),
            line: e.textContent.split('\\n').reduce((a, b) => (b.length > a.length ? b : a), '')}; })"""
# The pages' own Python without the soft wrap (which is for output): does each line fit the column?
UNWRAPPED_PYTHON = " .md-typeset .language-python pre > code { white-space: pre; }"
PYTHON_BLOCKS = """() => [...document.querySelectorAll('article .language-python pre > code')].map(e => ({
    scroll: e.scrollWidth, client: e.clientWidth, text: e.textContent}))"""


@pytest.fixture(scope="module")
def measured(browser, site_url, pages):
    """Every page's measurements at each width, taken once for the module's tests: one sweep per width serves
    them all (each page costs Chromium a load and a layout, most of a sweep's time).  The phone sweep also
    leaves a screenshot of each page as a reader first sees it, before anything is opened."""
    cache: dict[str, dict[str, dict]] = {}

    def measure(width: str) -> dict[str, dict]:
        if width not in cache:
            context = browser.new_context(
                viewport=WIDTHS[width],
                is_mobile=width == "phone",
                has_touch=width == "phone",
                color_scheme=SCHEMES[width],
            )
            blocked: list[str] = []

            def local_only(route):
                if _local_only(route) is False:
                    blocked.append(route.request.url)

            context.route("**/*", local_only)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            results = {}
            for path in pages:
                del blocked[:], errors[:]
                page.goto(site_url + path, wait_until="load")
                page.evaluate(LOAD_IMAGES)  # lazy images count in the layout, as a scrolling reader meets them
                shot(page, f"{'mobile' if width == 'phone' else 'dark'}-{slug(path)}")
                scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
                page.add_style_tag(content=REVEAL)
                page.evaluate("() => document.querySelectorAll('article details').forEach(d => { d.open = true; })")
                results[path or "/"] = {
                    **page.evaluate(MEASURE),
                    "figures": page.evaluate(FIGURES_SHOWN),
                    "errors": list(errors),
                    "blocked": list(blocked),
                    "scheme": scheme,
                }
                if width == "desktop":  # last: the unwrapped Python changes the page
                    results[path or "/"]["code"] = page.evaluate(CODE_BLOCKS, CODE)
                    page.add_style_tag(content=UNWRAPPED_PYTHON)
                    results[path or "/"]["python"] = page.evaluate(PYTHON_BLOCKS)
            context.close()
            cache[width] = results
        return cache[width]

    return measure


@pytest.mark.parametrize("width", WIDTHS)
def test_no_script_errors_and_nothing_fetched_from_elsewhere(measured, width):
    problems = {path: m["errors"] + m["blocked"] for path, m in measured(width).items() if m["errors"] + m["blocked"]}
    assert problems == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_each_sweep_reads_in_its_scheme_and_figures_keep_their_white_ground(measured, width):
    expected = {"light": "default", "dark": "slate"}[SCHEMES[width]]
    schemes = {path: m["scheme"] for path, m in measured(width).items()}
    assert set(schemes.values()) == {expected}, schemes
    figures_on = [(path, f) for path, m in measured(width).items() for f in m["figures"]]
    assert len(figures_on) >= len(figures.FIGURES)
    for path, figure in figures_on:
        assert figure["background"] == "rgb(255, 255, 255)" and figure["opacity"] == "1", (path, figure)
        assert figure["shown"] > 100, (path, figure)


def test_code_keeps_its_lines_at_1280px(measured):
    """No code block wraps its lines; one wider than the column scrolls sideways, with a shadow at the edge."""
    problems, count = [], 0
    for path, m in measured("desktop").items():
        for block in m["code"]:
            if block["client"] == 0:
                continue
            count += 1
            if block["wrap"] != "nowrap":
                problems.append(f"{path}: wraps: {block['line']!r}")
            if block["scroll"] > block["client"] + 1 and (
                block["overflow"] not in ("auto", "scroll") or not block["cue"]
            ):
                problems.append(f"{path}: wider than the column without scrolling or a cue: {block['line']!r}")
    assert count > 100  # the tabs and notes were opened
    assert problems == []


def test_page_python_is_wrapped_not_soft_wrapped(measured):
    """The pages' own Python fits the column line by line, without the soft wrap (which is for output)."""
    recorded = {p.read_text().strip() for p in (ROOT / "docs/snippets/frameworks").glob("*.py")}  # hashed runs
    too_long, count = [], 0
    for path, m in measured("desktop").items():
        if path.startswith("api/"):  # the API's examples are the docstrings'
            continue
        for block in m["python"]:
            if block["client"] == 0 or block["text"].strip() in recorded:
                continue
            count += 1
            if block["scroll"] > block["client"] + 1:
                too_long.append(f"{path}: {max(block['text'].splitlines(), key=len)!r}")
    assert count > 50
    assert too_long == [], "\n".join(too_long)


@pytest.mark.parametrize("width", WIDTHS)
def test_figure_text_is_readable_at_the_width_each_page_shows_it(measured, width):
    """Every figure's smallest text, scaled to the width the page shows the figure at (tabs revealed, notes
    open), is at least 9 CSS px on a phone and 11 on a desktop (tests/test_figure_text.py)."""
    screen = WIDTHS[width]["width"]
    small, seen = [], set()
    for path, m in measured(width).items():
        for shown in m["figures"]:
            if shown["name"] in AS_THE_POST_DREW_IT:
                continue
            seen.add(shown["name"])
            assert shown["shown"] > 0, f"{path}: {shown['name']} is not laid out"
            css_px = text_px(shown["name"]) * shown["shown"] / shown["natural"]
            if css_px < SMALLEST[screen]:
                small.append(f"{path}: {shown['name']} text {css_px:.1f} px at {shown['shown']:.0f} px wide")
    assert seen == set(figures.FIGURES) - AS_THE_POST_DREW_IT, "figures not found on any page"
    assert not small, "\n".join(small)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(measured, width):
    wide = {path: m["overflow"] for path, m in measured(width).items() if m["overflow"] > 0}
    assert len(measured(width)) >= 17
    assert wide == {}, f"pages wider than the {WIDTHS[width]['width']} px window (by px): {wide}"


@pytest.mark.parametrize("width", WIDTHS)
def test_display_equations_fit_their_column(measured, width):
    too_wide, clipped, count = [], [], 0
    for path, m in measured(width).items():
        for math in m["math"]:
            count += 1
            if math["width"] > math["column"] + 1:
                too_wide.append(f"{path}: {math['width']:.0f} px in {math['column']} px: {math['tex']}")
            if math["clipped"]:
                clipped.append(f"{path}: {math['tex']}")
    assert count > 10
    assert clipped == [], "display formulas in a box that clips"
    assert too_wide == [], "display formulas wider than their column:\n" + "\n".join(too_wide)


@pytest.mark.parametrize("width", WIDTHS)
def test_output_lines_are_never_wrapped(measured, width):
    wrapped, no_cue, count = [], [], 0
    for path, m in measured(width).items():
        for block in m["output"]:
            count += 1
            if block["wrapping"] or block["shown"] != block["lines"]:
                wrapped.append(f"{path}: {block['first']!r} ({block['lines']} lines shown as {block['shown']})")
            if block["wide"] and not (block["scrolls"] and block["cue"]):
                no_cue.append(f"{path}: {block['first']!r}")
    assert count > 50
    assert wrapped == [], "output blocks whose lines wrap:\n" + "\n".join(wrapped)
    assert no_cue == [], "wide output blocks that do not scroll with a cue:\n" + "\n".join(no_cue)


def test_some_output_is_wider_than_a_phone_and_scrolls(measured):
    wide = [b for m in measured("phone").values() for b in m["output"] if b["wide"]]
    assert wide and all(b["scrolls"] and b["cue"] for b in wide)


@pytest.mark.parametrize("width", WIDTHS)
def test_titles_are_as_tall_as_their_text(measured, width):
    taller, count = [], 0
    for path, m in measured(width).items():
        for title in m["titles"]:
            count += 1
            if abs(title["height"] - title["text"]) > 0.5:
                taller.append(f"{path}: {title['title']!r} {title['height']:.0f} px, its text {title['text']:.0f} px")
    assert count > 100
    assert taller == [], "titles with an empty line under them:\n" + "\n".join(taller)


def test_the_measurements_see_a_wrapped_title_and_a_clipped_formula(browser, tmp_path):
    """The checks above fail on the faults they look for."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><title>t</title><body style="margin:0"><article style="width:300px">'
        '<h2 style="font:20px/24px monospace;width:300px;margin:0">aaaaaaaaaaaaaaaaaaaaaaaa'
        '<a class="headerlink" href="#" style="display:inline-block;margin-left:20px">¶</a></h2>'
        '<div class="math-block" style="overflow:hidden"><math display="block"><mrow><mi>x</mi><mo>=</mo>'
        f"{'<mi>a</mi><mo>+</mo>' * 60}<mi>b</mi></mrow></math></div>"
        '<div class="highlight"><span class="filename">Output</span>'
        '<pre><code style="display:block;white-space:pre-wrap;line-height:20px">'
        f"{'1.2345678 ' * 20}\nshort</code></pre></div></article></body></html>"
    )
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(bad.as_uri())
    m = page.evaluate(MEASURE)
    page.close()
    assert m["titles"][0]["height"] > m["titles"][0]["text"] + 10
    assert m["math"][0]["clipped"] and m["math"][0]["width"] > m["math"][0]["column"]
    assert m["output"][0]["wrapping"] and m["output"][0]["shown"] > m["output"][0]["lines"]


def _search(page, query: str) -> list[tuple[str, str]]:
    field = page.locator(".md-search__input")
    field.click()
    page.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=20000
    )
    field.fill(query)
    field.dispatch_event("keyup")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(300)
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__link')].map(a => [
            a.getAttribute('href'), (a.querySelector('h1, h2') || a).textContent.trim()])"""
    )


@pytest.fixture(scope="module")
def desktop_tab(browser):
    """One tab for the searches: each loads the home page afresh in it (a new tab costs a new renderer)."""
    context = browser.new_context(viewport=WIDTHS["desktop"])
    context.route("**/*", _local_only)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("query", ["epsilon", "eps", "ε", "ϵ"])
def test_search_finds_epsilon_under_every_spelling(desktop_tab, site_url, query):
    page = desktop_tab
    page.goto(site_url, wait_until="load")
    results = _search(page, query)
    found = {
        target
        for target, title in EPSILON_TARGETS.items()
        for href, text in results
        if urllib.parse.urlparse(href).path.endswith("/" + target) and title in text
    }
    assert found == set(EPSILON_TARGETS), results[:20]


def test_search_index_previews_are_short_and_formulas_read_as_text(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text())
    docs = {d["location"]: d for d in index["docs"]}
    assert len(docs["api/#rmsprop_docs.figures.FIGURES"]["text"]) < 300  # the registry's alt texts are not prose
    for location, doc in docs.items():
        for block in re.findall(r"Output\s*<pre><code>(.*?)</code></pre>", doc["text"], flags=re.DOTALL):
            assert block.strip("\n").count("\n") <= 3, (location, block)
    huge = next(d for d in index["docs"] if d["location"].startswith("exercises/") and "A huge" in d["title"])
    assert "10<sup>4</sup>" in huge["text"]  # ϵ = 10^4, not "104"
    assert not any("¶" in d["title"] for d in index["docs"])


def test_figures_open_full_size(browser, site_url, built_site):
    text = (built_site / "one-variable/index.html").read_text()
    figures = re.findall(r'<figure class="rmsprop-figure".*?</figure>', text, flags=re.DOTALL)
    assert figures and all('<a class="glightbox" href="../assets/' in f for f in figures)
    assert "<p></p>" not in text
    context = browser.new_context(viewport=WIDTHS["desktop"])
    blocked = []
    context.route("**/*", lambda route: blocked.append(route.request.url) or _local_only(route))
    page = context.new_page()
    page.goto(site_url + "one-variable/", wait_until="load")
    index = page.evaluate(  # the first figure in view (not in a collapsed note)
        "() => [...document.querySelectorAll('.rmsprop-figure a.glightbox img')].findIndex(i => i.checkVisibility())"
    )
    assert index >= 0
    link = page.locator(".rmsprop-figure a.glightbox").nth(index)
    link.scroll_into_view_if_needed()
    in_column = link.locator("img").bounding_box()["width"]
    link.click()
    page.wait_for_selector(".glightbox-container .gslide-image img", state="visible", timeout=10000)
    page.wait_for_timeout(1000)  # the opening animation
    natural, shown = page.evaluate(
        "() => { const i = document.querySelector('.glightbox-container .gslide.current img');"
        " return [i.naturalWidth, i.getBoundingClientRect().width]; }"
    )
    page.keyboard.press("Escape")
    context.close()
    assert natural > 0 and shown >= in_column - 1 and shown >= min(natural, 1100) - 1  # full size, or the window's
    assert [u for u in blocked if not u.startswith(site_url)] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_page_not_found_leads_home_and_to_search(browser, site_url, width):
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width == "phone")
    context.route("**/*", _local_only)
    page = context.new_page()
    page.goto(site_url + "404.html", wait_until="load")
    assert page.locator("article h1").inner_text() == "Page not found"
    home = page.locator("article a", has_text="home page")
    assert home.get_attribute("href") == "/rmsprop-docs/"  # absolute under site_url's path: served at any path
    page.locator("article input[name=q]").fill("epsilon")
    form_action = page.locator("article form").get_attribute("action")
    context.close()
    assert form_action == "/rmsprop-docs/"
    # the home page opens the theme's search with ?q= (as the form sends it)
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width == "phone")
    context.route("**/*", _local_only)
    page = context.new_page()
    page.goto(site_url + "?q=epsilon", wait_until="load")
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    assert page.locator(".md-search__input").input_value() == "epsilon"
    context.close()


ROLES = re.compile(r":(?:py:)?(?:mod|class|func|meth|attr|data|obj|exc|const|type):(?:`|<code>)")


def test_api_page_links_instead_of_sphinx_roles(built_site):
    text = (built_site / "api/index.html").read_text()
    article = text.split("<article", 1)[1].split("</article>", 1)[0]
    assert not ROLES.search(article), ROLES.search(article)
    ids = set(re.findall(r'\sid="([^"]+)"', article))
    links = re.findall(
        r'<a class="autorefs autorefs-internal"[^>]*href="#([^"]+)"[^>]*><code>([^<]*)</code></a>', article
    )
    shown = {name for _, name in links}
    # the roles whose objects the page documents are links to them
    assert {
        "Convention",
        "CONVENTIONS",
        "Schedule",
        "finite",
        "trace",
        "rmsprop_docs.stepping",
        ".conventions",
    } <= shown
    assert "rmsprop_docs.optimizers.rmsprop.rmsprop" in {anchor for anchor, _ in links}  # the function, not the module
    assert all(anchor in ids for anchor, _ in links)
