"""The built site in a real headless Chromium (Debian's), served on 127.0.0.1.

Every page is loaded at desktop width with every request outside 127.0.0.1
blocked and recorded; images, animations, formulas, accessibility (axe-core),
reduced motion, copy buttons, the colour toggle, search and the version
selector are checked the way a reader meets them.  Screenshots of every page
(desktop here; mobile and dark in tests/test_readability.py, which measures
every page at 375 px in the light scheme and at 1280 px in the dark one) go to
``<artifacts>/screenshots``.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import pathlib
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest
from PIL import Image

from conftest import ARTIFACTS, ROOT, require_chromium, shot, slug

PAGE_BUDGET = 1_000_000

pytestmark = pytest.mark.browser

require_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def serve():
    servers = []

    def start(folder: pathlib.Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # a free port, chosen now
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module")
def site_url(built_site, serve):
    return serve(built_site)


@pytest.fixture(scope="module")
def pages(built_site):
    return sorted(
        p.relative_to(built_site).parent.as_posix() + "/"
        for p in built_site.rglob("index.html")
        if not p.relative_to(built_site).as_posix().startswith(("assets/", "search/"))
    )


class Visit:
    """A page load with every request, response, console message and error recorded.

    ``goto`` loads another page in the same tab with fresh records: a sweep over every page that does not
    weigh the transfer reuses one tab, as a reader following links does (a new tab per page costs Chromium a
    new renderer each time, most of a sweep's time)."""

    def __init__(
        self, browser, url: str | None, wait_until: str = "networkidle", cache: bool = True, **context_options
    ):
        self.context = browser.new_context(**context_options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        if not cache:  # every page fetches all it needs, as on a first visit, so its transfer can be weighed
            cdp = self.context.new_cdp_session(self.page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("response", self._response)
        self.page.on("request", self._request)
        self.page.on("requestfinished", self._finished)
        self.page.on("requestfailed", self._failed)
        self.load = 0
        if url is not None:  # a sweep starts with its first page's goto
            self.goto(url, wait_until)

    def goto(self, url: str, wait_until: str = "load"):
        self.load += 1  # requests still in flight from the page left behind belong to it, not to this one
        self.loads: dict = {}
        self.pending: set = set()
        self.done: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.bytes = 0
        self.page.goto(url, wait_until=wait_until)
        return self

    def _route(self, route):
        host = urllib.parse.urlparse(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} -> HTTP {response.status}")

    def _request(self, request):
        self.loads[request] = self.load
        self.pending.add(request)

    def _finished(self, request):
        self.pending.discard(request)
        if self.loads.get(request) == self.load:
            self.done.append(request.url)
            self.bytes += request.sizes()["responseBodySize"]  # as transferred (the test server sends no gzip)

    def _failed(self, request):
        # A cancelled request (net::ERR_ABORTED) is no failure of the site: leaving a page cancels what it has
        # pending, and Chromium drops a favicon fetch it began late for the page left behind.  A missing file
        # is still seen, as its HTTP status in _response.
        self.pending.discard(request)
        if self.loads.get(request) == self.load and request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url} ({request.failure})")

    def settle(self, last: str = "search/search_index.json", quiet: float = 0.15, timeout: float = 20.0):
        """Wait until the page has fetched ``last`` (the search index, which every page fetches after its load
        event) and then nothing has been pending for ``quiet`` seconds: every request of the page counted, like
        Playwright's "networkidle" but without its fixed half second per page."""
        start = time.monotonic()
        calm_since = None
        while time.monotonic() - start < timeout:
            self.page.wait_for_timeout(25)  # Playwright delivers the request events while it waits
            if any(url.endswith(last) for url in self.done) and not self.pending:
                calm_since = calm_since or time.monotonic()
                if time.monotonic() - calm_since >= quiet:
                    return
            else:
                calm_since = None
        raise AssertionError(f"{self.page.url}: still waiting for {[r.url for r in self.pending]} or {last}")

    def load_all_images(self):
        return self.page.evaluate(
            """async () => {
                const images = [...document.images];
                images.forEach(i => { i.loading = 'eager'; });
                await Promise.all(images.map(i => i.decode().catch(() => null)));
                return images.map(i => ({src: i.currentSrc, width: i.naturalWidth, alt: i.alt}));
            }"""
        )

    def close(self):
        self.context.close()


def test_every_page_at_desktop_width(browser, site_url, pages):
    axe = Axe()
    weights = {}
    problems = []
    visit = Visit(browser, None, cache=False, viewport={"width": 1280, "height": 900})
    for path in pages:
        visit.goto(site_url + path)
        images = visit.load_all_images()
        visit.settle()  # every request of the page counted, search index included
        page = visit.page
        where = path

        problems += [f"{where}: request left 127.0.0.1: {u}" for u in visit.blocked]
        problems += [f"{where}: {f}" for f in visit.failed]
        problems += [f"{where}: {e}" for e in visit.errors]
        problems += [f"{where}: image not decoded: {i['src']}" for i in images if i["width"] == 0]
        for image in images:
            if image["src"].endswith(".gif"):
                with urllib.request.urlopen(image["src"]) as response:
                    gif = Image.open(io.BytesIO(response.read()))
                    if gif.n_frames < 2:
                        problems.append(f"{where}: {image['src']} is not animated")
                if len(image["alt"]) < 40:
                    problems.append(f"{where}: animation without descriptive alt text: {image['src']}")

        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        text = page.evaluate(
            """() => { const article = (document.querySelector('article') || document.body).cloneNode(true);
                article.querySelectorAll('pre, code, script, style, math').forEach(e => e.remove());
                return article.textContent; }"""
        )
        for tex in ("\\frac", "\\rho", "\\epsilon", "\\(", "\\[", "$$", "\\sqrt"):
            if tex in text:
                problems.append(f"{where}: raw TeX {tex!r} visible")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('article math')]
                .filter(m => !m.closest('.tabbed-block'))
                .map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; })"""
        )
        problems += [f"{where}: formula with an empty box" for w, h in boxes if w <= 0 or h <= 0]

        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = false; })")
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"][:3]]
                problems.append(f"{where}: axe {violation['id']} ({violation['impact']}) at {targets}")

        weights[path] = visit.bytes
        if visit.bytes > PAGE_BUDGET:
            problems.append(f"{where}: transferred {visit.bytes:,} bytes, over {PAGE_BUDGET:,}")
        shot(page, f"desktop-{slug(path)}")
    visit.close()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    heaviest = max(weights, key=weights.get)
    report = {"pages": len(weights), "heaviest": heaviest, "heaviest_bytes": weights[heaviest], "bytes": weights}
    (ARTIFACTS / "page-weights.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"\n{len(weights)} pages checked; heaviest {heaviest} at {weights[heaviest]:,} bytes", file=sys.stderr)
    assert len(weights) >= 13
    assert problems == [], "\n".join(problems)


def test_reduced_motion_shows_stills(browser, site_url):
    for path in ("", "one-variable/", "two-variables/"):
        visit = Visit(browser, site_url + path, reduced_motion="reduce")
        sources = [i["src"] for i in visit.load_all_images() if "/assets/" in i["src"]]
        animated = [s for s in sources if s.endswith(".gif")]
        assert sources and animated == [], (path, sources)
        visit.close()
    visit = Visit(browser, site_url + "one-variable/", reduced_motion="no-preference")
    assert any(i["src"].endswith(".gif") for i in visit.load_all_images())
    visit.close()


def test_copy_button_copies_exactly_the_code(browser, site_url):
    sys.path.insert(0, str(ROOT / "tests"))
    import doc_blocks

    loop = next(e for e in doc_blocks.examples((ROOT / "docs/one-variable.md").read_text()) if e.output)
    visit = Visit(browser, site_url + "one-variable/", permissions=["clipboard-read", "clipboard-write"])
    page = visit.page
    block = page.locator(".md-typeset .highlight", has_text="learning_rate = 0.01").first
    block.hover()
    block.locator("button[title='Copy to clipboard']").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip("\n") == loop.code.source.strip("\n")
    assert ">>>" not in copied and "-0.5773502691896257" not in copied
    visit.close()


def test_colour_toggle_switches_scheme(browser, site_url):
    visit = Visit(browser, site_url + "two-variables/", color_scheme="light")
    page = visit.page
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("label.md-header__button[for='__palette_1']").first.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    page.locator("label.md-header__button[for='__palette_0']").first.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    visit.close()


@pytest.mark.parametrize("query", ["epsilon", "Adagrad"])
def test_search_finds(browser, site_url, query):
    visit = Visit(browser, site_url, viewport={"width": 1280, "height": 900})
    page = visit.page
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    titles = page.locator(".md-search-result__item").all_inner_texts()
    assert titles and any(query.lower() in t.lower() for t in titles)
    visit.close()


def test_instant_navigation_keeps_math_and_figures(browser, site_url):
    visit = Visit(browser, site_url, viewport={"width": 1280, "height": 900})
    page = visit.page
    page.locator("nav.md-nav--primary a", has_text="Two variables").first.click()
    page.wait_for_url("**/two-variables/")
    page.wait_for_selector("article math")
    assert page.evaluate("() => !!window.document$")  # Material's instant navigation is active
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('article math')].map(m => m.getBoundingClientRect().width)"
    )
    assert sizes and min(sizes) > 0
    images = visit.load_all_images()
    assert images and all(i["width"] > 0 for i in images)
    assert visit.errors == [] and visit.blocked == []
    visit.close()


def test_version_selector_lists_and_switches(browser, serve, deployed_versions):
    url = serve(deployed_versions[1])
    visit = Visit(browser, url, viewport={"width": 1280, "height": 900})
    page = visit.page
    page.wait_for_url("**/latest/")
    page.wait_for_selector(".md-version__current")
    assert page.locator(".md-version__current").inner_text().strip() == "0.1"
    items = page.locator(".md-version__item").all_inner_texts()
    assert any("0.1" in i for i in items) and any("dev" in i for i in items)
    page.locator(".md-version").hover()
    page.locator(".md-version__link", has_text="dev").first.click()
    page.wait_for_url("**/dev/**")
    page.wait_for_selector(".md-version__current")
    assert "dev" in page.locator(".md-version__current").inner_text()
    assert visit.blocked == []
    visit.close()
