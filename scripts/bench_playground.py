"""The playground's budgets, measured in headless Chromium on a built site.

    python scripts/bench_playground.py              # builds the site into a temporary folder
    python scripts/bench_playground.py SITE_DIR     # a site already built

``measure(site_dir)`` serves the site on 127.0.0.1, opens the playground and
returns one row per budget, ``(name, value, met, target)``:

- frames per second while 1000-step paths animate: requestAnimationFrame
  callbacks counted from the first frame after Play to the frame that draws the
  last step, four optimizers on the plot; the median of three animations;
- the extra transfer, gzip-compressed: every file the playground loads that a
  page without a playground (the command-line reference) does not, plus what its
  HTML adds to that page's HTML;
- requests that leave the site (none: the page works offline);
- repaint after a slider move: seven optimizers on the plot, the learning-rate slider set for every one of
  them (so all seven run again, in the page's Web Worker), timed from the slider's input event to the
  frame that shows the new paths; the median of five moves, for 1,000 and for 20,000 steps.

The standalone run prints the rows and exits 1 if a target is missed.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

FPS_TARGET = 55.0
EXTRA_TARGET = 300_000  # bytes, gzip-compressed
STEPS = 1000
# The animated page: four paths of 1000 steps each (none diverges) over the Rosenbrock contours.
ANIMATED = (
    f"?problem=rosenbrock&x0=-1.5,2&steps={STEPS}"
    "&optimizers=rmsprop-pytorch,rmsprop-keras,gradient_descent,adam&lr=0.002&rho=0.99"
)
REPAINT_TARGETS = {1000: 50.0, 20000: 150.0}  # ms from a slider move to the repainted paths, 7 optimizers
ALL_SEVEN = "rmsprop-pytorch,rmsprop-keras,rmsprop-tf1,gradient_descent,heavy_ball,adagrad,adam"
RUNS = 3  # animations timed; the median counts, as one busy moment on a shared machine moves one run a lot
BASELINE = "cli/"  # a normal page: text, code, no figures and no playground

Row = tuple[str, str, bool, str]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(site_dir: pathlib.Path) -> Iterator[str]:
    """The site on a free port of 127.0.0.1, for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def gzipped(data: bytes) -> int:
    """Bytes on the wire with gzip at the level web servers use by default (6)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _loaded(browser, url: str, **options) -> tuple[dict[str, bytes], list[str]]:
    """Every same-site file a first visit to ``url`` loads (path -> body), and any request leaving the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    bodies: dict[str, bytes] = {}
    outside: list[str] = []

    def route(r):
        if urllib.parse.urlparse(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    def finished(response):
        parsed = urllib.parse.urlparse(response.url)
        if parsed.hostname == "127.0.0.1" and response.ok:
            with contextlib.suppress(Exception):  # a body that is gone (a redirect, a navigation) is not a transfer
                bodies[parsed.path] = response.body()

    context.route("**/*", route)
    page = context.new_page()
    page.on("response", finished)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    context.close()
    return bodies, outside


def extra_transfer(browser, base: str) -> tuple[int, dict[str, int], list[str]]:
    """The playground's gzip bytes beyond a normal page's, per file, and its requests leaving the site."""
    playground, outside = _loaded(browser, base + "playground/", reduced_motion="reduce")
    normal, _ = _loaded(browser, base + BASELINE)
    page_path = urllib.parse.urlparse(base + "playground/").path
    normal_path = urllib.parse.urlparse(base + BASELINE).path
    extra = {path: gzipped(body) for path, body in playground.items() if path not in normal and path != page_path}
    html = max(0, gzipped(playground.get(page_path, b"")) - gzipped(normal.get(normal_path, b"")))
    extra["(HTML beyond the normal page's)"] = html
    return sum(extra.values()), extra, outside


JS_FRAMES = """async () => {
    const p = window.rmspropDocs.playground;
    p.showEnd();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const times = [];
    let done;
    const finished = new Promise((resolve) => (done = resolve));
    // Registered after Play, so each of these callbacks runs after the playground's own for that frame.
    const count = (now) => {
        times.push(now);
        if (p.playing()) requestAnimationFrame(count);
        else done();
    };
    p.play();
    requestAnimationFrame(count);
    await finished;
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const seconds = (times[times.length - 1] - times[0]) / 1000;
    return {frames: times.length, seconds, fps: seconds > 0 ? (times.length - 1) / seconds : 0,
            shown: p.shown(), steps: p.state().steps,
            paths: p.drawn().map((r) => r.points.length - 1),
            worst: gaps.length ? Math.max(...gaps) : null};
}"""


def frames_per_second(browser, base: str, runs: int = RUNS) -> dict:
    """The animation timed ``runs`` times on one page; the run with the median rate, and all the rates."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(base + "playground/" + ANIMATED, wait_until="networkidle")
    page.wait_for_function("() => window.rmspropDocs && window.rmspropDocs.playground")
    timed = sorted((page.evaluate(JS_FRAMES) for _ in range(runs)), key=lambda run: run["fps"])
    context.close()
    return {**timed[len(timed) // 2], "all": [run["fps"] for run in timed]}


JS_REPAINT = """async () => {
    const p = window.rmspropDocs.playground;
    await p.settled();
    p.target("all");
    const range = [...document.querySelectorAll('.playground input[type=range]')]
        .find((r) => (r.getAttribute('aria-label') || '').startsWith('Learning rate'));
    const times = [];
    for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const started = performance.now();
        range.value = String(Number(range.min) + 0.4 + 0.05 * i);
        range.dispatchEvent(new Event('input', {bubbles: true}));
        await p.settled();
        // the frame that paints the new paths
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {median: times[2], all: times, paths: p.drawn().map((r) => r.points.length - 1), threaded: p.threaded()};
}"""


def repaint_times(browser, base: str) -> dict[int, dict]:
    """Per step count, the repaint after a learning-rate slider move with all seven optimizers (ms)."""
    out = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    for steps in REPAINT_TARGETS:
        query = f"?problem=rosenbrock&x0=-1.5,2&steps={steps}&optimizers={ALL_SEVEN}&lr=0.0002"
        page.goto(base + "playground/" + query, wait_until="networkidle")
        page.wait_for_function("() => window.rmspropDocs && window.rmspropDocs.playground")
        out[steps] = page.evaluate(JS_REPAINT)
    context.close()
    return out


def measure(site_dir) -> list[Row]:
    """Serve ``site_dir``, open its playground in headless Chromium, and measure the page's budgets."""

    site_dir = pathlib.Path(site_dir)
    if not (site_dir / "playground" / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir} has no playground/index.html: build the site first")
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM)")
    extra, _, outside, frames, repaints = _measured(site_dir)
    complete = frames["shown"] == frames["steps"] == STEPS and all(n == STEPS for n in frames["paths"])
    rows: list[Row] = [
        (
            f"playground fps, {len(frames['paths'])} paths x {STEPS} steps animated",
            f"{frames['fps']:.1f} fps",
            complete and frames["fps"] >= FPS_TARGET,
            f">= {FPS_TARGET:g} fps",
        ),
        (
            "playground extra transfer (gzip) over a normal page",
            f"{extra / 1000:.1f} KB",
            extra <= EXTRA_TARGET,
            f"<= {EXTRA_TARGET / 1000:g} KB",
        ),
        ("playground requests leaving the site", str(len(outside)), not outside, "0"),
    ]
    for steps, target in REPAINT_TARGETS.items():
        r = repaints[steps]
        rows.append(
            (
                f"playground repaint after a slider move, 7 x {steps:,} steps",
                f"{r['median']:.0f} ms",
                r["median"] <= target and all(n == steps for n in r["paths"]),
                f"<= {target:g} ms",
            )
        )
    return rows


def _measured(site_dir) -> tuple[int, dict[str, int], list[str], dict, dict]:
    """One browser session over the served site: extra bytes (total, per file), outside requests, frames."""
    from playwright.sync_api import sync_playwright

    with serving(pathlib.Path(site_dir)) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            extra, per_file, outside = extra_transfer(browser, base)
            return extra, per_file, outside, frames_per_second(browser, base), repaint_times(browser, base)
        finally:
            browser.close()


def details(site_dir) -> tuple[dict, dict[str, int]]:
    """The raw figures behind ``measure``: the animation's frames, and the extra bytes per file."""
    _, per_file, _, frames, _ = _measured(site_dir)
    return frames, per_file


def build_site(destination: pathlib.Path) -> None:
    """``mkdocs build --strict`` of this checkout into ``destination``."""
    bin_dir = pathlib.Path(sys.executable).parent
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [str(bin_dir / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(destination)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def report(rows: list[Row]) -> None:
    for name, value, met, target in rows:
        print(f"  {name:<52} {value:>12}   target {target:<12} {'PASS' if met else 'MISS'}")


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print(__doc__)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    with tempfile.TemporaryDirectory() as tmp:
        if argv:
            site = pathlib.Path(argv[0])
        else:
            site = pathlib.Path(tmp, "site")
            print(f"building the site into {site}")
            build_site(site)
        print(f"playground: {STEPS}-step paths in headless {CHROMIUM}")
        rows = measure(site)
    report(rows)
    return 0 if all(met for _, _, met, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
