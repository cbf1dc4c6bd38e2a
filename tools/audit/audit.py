"""`make audit`: Lighthouse and pa11y on every page of a fresh build, served with gzip.

Builds the site for the local address it will be served at, serves it with
``serve.py`` (gzip, as GitHub Pages), and runs on Debian's Chromium, page by
page, Lighthouse (mobile: its default emulated phone and throttling) and pa11y
(WCAG 2 AA, with both of its runners, HTML_CodeSniffer and axe-core; what axe
leaves for a person to review counts as a warning, not an error).  Prints
one row per page: the four Lighthouse scores and pa11y's error count, then
every failing Lighthouse audit and every pa11y error.  Exits non-zero when a
page falls short of performance 95, accessibility, best practices and SEO 100,
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
    args = parser.parse_args()
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
            result = lighthouse(url, scratch / "lighthouse.json")
            scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
            errors = pa11y(url, config)
            rows.append((page, scores, len(errors)))
            short |= any(scores[c] < TARGETS[c] for c in CATEGORIES) or bool(errors)
            details += [f"{page}  {line}" for line in failing_audits(result)]
            details += [f"{page}  pa11y: {e['code']} at {e['selector']}: {e['message'][:160]}" for e in errors]
            print(f"  audited {page}", file=sys.stderr, flush=True)
        server.shutdown()
    width = max(len(page) for page, _, _ in rows)
    print(f"{'page':<{width}}  perf  a11y  best-practices  seo  pa11y errors")
    for page, scores, errors in rows:
        print(
            f"{page:<{width}}  {scores['performance']:>4}  {scores['accessibility']:>4}"
            f"  {scores['best-practices']:>14}  {scores['seo']:>3}  {errors:>12}"
        )
    if details:
        print("\nshort of full marks:")
        print("\n".join(details))
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
