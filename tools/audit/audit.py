"""`make audit`: Lighthouse and pa11y on every page of a fresh build, served with gzip.

Builds the site for the local address it will be served at, serves it with
``serve.py`` (gzip, as GitHub Pages), and runs on Debian's Chromium, page by
page, Lighthouse (mobile: its default emulated phone and throttling; ``--runs``
times, keeping the median run by Lighthouse's own rule, as its guide to
variability advises, for one run's figures swing by tens of points on a busy
machine) and pa11y
(WCAG 2 AA, with both of its runners, HTML_CodeSniffer and axe-core; what axe
leaves for a person to review counts as a warning, not an error).  Prints
one row per page: the median run's four Lighthouse scores and total blocking
time, every run's performance and blocking time, and pa11y's error count, then
every failing Lighthouse audit and every pa11y error.  Exits non-zero when a
page falls short of performance 95, total blocking time 200 ms, accessibility,
best practices and SEO 100,
or pa11y reports an error.

Needs ``npm ci`` in tools/audit first (the Makefile target does it).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import serve  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
BLOCKING_TARGET_MS = 200  # total blocking time, Lighthouse's threshold for "good" on mobile
BIN = HERE / "node_modules" / ".bin"


def build(destination: pathlib.Path, site_url: str) -> None:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = pathlib.Path(sys.executable).parent / "mkdocs"
    subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(destination)], cwd=ROOT, env=env, check=True
    )


def pages(site: pathlib.Path) -> list[str]:
    return sorted(
        "/" if p.parent == site else p.relative_to(site).parent.as_posix() + "/"
        for p in site.rglob("index.html")
        if p.relative_to(site).parts[0] not in ("assets", "search")
    )


def lighthouse(url: str, report: pathlib.Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(
        [
            str(BIN / "lighthouse"),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    return json.loads(report.read_text())


def median_run(reports: list[pathlib.Path]) -> int:
    """The index of the median run among ``reports``, by Lighthouse's ``computeMedianRun``."""
    done = subprocess.run(
        ["node", str(HERE / "median.mjs"), *map(str, reports)], capture_output=True, text=True, check=True, cwd=HERE
    )
    return int(done.stdout)


def blocking_ms(result: dict) -> int:
    return round(result["audits"]["total-blocking-time"]["numericValue"])


def failing_audits(result: dict) -> list[str]:
    found = []
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                found.append(f"{category}: {ref['id']} score {audit['score']:.2f} {value}".rstrip())
    return found


def pa11y(url: str, config: pathlib.Path) -> list[dict]:
    done = subprocess.run(
        [str(BIN / "pa11y"), "--config", str(config), "--reporter", "json", url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode not in (0, 2):  # 2: issues found
        raise RuntimeError(f"pa11y failed on {url}: {done.stderr}")
    return [issue for issue in json.loads(done.stdout or "[]") if issue["type"] == "error"]


def main() -> int:
    parser = argparse.ArgumentParser(description="Lighthouse and pa11y on every page")
    parser.add_argument("--site", type=pathlib.Path, help="an already built site (built for --port)")
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: any free port)")
    parser.add_argument("--only", nargs="*", default=None, help="pages to audit, e.g. / api/")
    parser.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs per page; the median run counts (default 3)"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    if not (BIN / "lighthouse").exists():
        print("run `npm ci` in tools/audit first (make audit does)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        site = args.site or scratch / "site"
        server = serve.start(site, args.port)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        if args.site is None:
            site.mkdir()
            build(site, base)
        config = scratch / "pa11y.json"
        config.write_text(
            json.dumps(
                {
                    "standard": "WCAG2AA",
                    "runners": ["htmlcs", "axe"],
                    # axe's "needs review" results are warnings, its violations errors: it cannot rate the
                    # contrast of MathML operators (symbols such as the minus sign), which have the text's colour
                    "levelCapWhenNeedsReview": "warning",
                    "timeout": 60000,
                    "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]},
                }
            )
        )
        rows, details, short = [], [], False
        for page in args.only or pages(site):
            url = base + page.removeprefix("/")
            reports = [scratch / f"lighthouse-{i}.json" for i in range(args.runs)]
            results = [lighthouse(url, report) for report in reports]
            result = results[median_run(reports)]
            scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
            runs = " ".join(f"{round(100 * r['categories']['performance']['score'])}/{blocking_ms(r)}" for r in results)
            errors = pa11y(url, config)
            rows.append((page, scores, blocking_ms(result), runs, len(errors)))
            short |= any(scores[c] < TARGETS[c] for c in CATEGORIES) or blocking_ms(result) > BLOCKING_TARGET_MS
            short |= bool(errors)
            details += [f"{page}  {line}" for line in failing_audits(result)]
            details += [f"{page}  pa11y: {e['code']} at {e['selector']}: {e['message'][:160]}" for e in errors]
            print(f"  audited {page}", file=sys.stderr, flush=True)
        server.shutdown()
    width = max(len(page) for page, *_ in rows)
    runs_width = max(len("every run (perf/TBT ms)"), *(len(runs) for _, _, _, runs, _ in rows))
    print(
        f"{'page':<{width}}  perf  TBT ms  a11y  best-practices  seo  {'every run (perf/TBT ms)':<{runs_width}}"
        "  pa11y errors"
    )
    for page, scores, blocking, runs, errors in rows:
        print(
            f"{page:<{width}}  {scores['performance']:>4}  {blocking:>6}  {scores['accessibility']:>4}"
            f"  {scores['best-practices']:>14}  {scores['seo']:>3}  {runs:<{runs_width}}  {errors:>12}"
        )
    if details:
        print("\nshort of full marks:")
        print("\n".join(details))
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
