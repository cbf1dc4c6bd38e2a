"""Every built page is valid HTML (the Nu HTML Checker, 0 errors), and its code keeps its lines.

The checker is the npm registry's ``vnu-jar``, pinned by ``tools/vnu/package.json``
and its lockfile and installed there with ``npm ci`` by the ``vnu`` fixture when it
is missing (a fresh clone's ``make test`` needs nothing else), run with Debian's
Java.  Whether code keeps its lines at 1280 px is measured in Debian's Chromium by
tests/test_readability.py's sweep of every page (its selector, ``CODE``, is
checked here on a page made to hold a long line).
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import IN_CI, ROOT

JAVA = shutil.which("java")
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
VNU = ROOT / "tools" / "vnu"
VNU_JAR = VNU / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(what: str) -> None:
    message = f"{what} -- browser and checker tests may not be skipped with CI=true"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(what)


def install_vnu() -> pathlib.Path:
    """vnu.jar at the version tools/vnu's lockfile pins, installed with npm if it is not there yet."""
    pinned = json.loads((VNU / "package-lock.json").read_text())["packages"]["node_modules/vnu-jar"]["version"]
    installed = VNU / "node_modules" / "vnu-jar" / "package.json"
    if VNU_JAR.is_file() and installed.is_file() and json.loads(installed.read_text())["version"] == pinned:
        return VNU_JAR
    npm = shutil.which("npm")
    if npm is None:
        missing("npm not found, needed to install the Nu HTML Checker (vnu-jar): apt-get install npm")
    # --ignore-scripts: the package's postinstall would download a Java runtime; Debian's Java runs the jar
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=VNU,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"npm ci in {VNU} failed:\n{done.stdout}{done.stderr}"
    assert VNU_JAR.is_file(), VNU_JAR
    return VNU_JAR


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    if JAVA is None:
        missing("Java not found: apt-get install default-jre-headless")
    return [JAVA, "-Xss8m", "-jar", str(install_vnu())]


def test_the_checker_is_the_pinned_vnu_jar(vnu):
    pinned = json.loads((VNU / "package.json").read_text())["devDependencies"]["vnu-jar"]
    done = subprocess.run([*vnu, "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.split()[0] == pinned


def check(vnu: list[str], files: list[pathlib.Path]) -> dict[str, list[str]]:
    """The checker's errors per file (warnings and info left out)."""
    done = subprocess.run(
        [*vnu, "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stderr)  # the checker writes its JSON to stderr
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        if message["type"] in ("error", "non-document-error"):
            name = pathlib.Path(message.get("url", "?").removeprefix("file:")).as_posix()
            errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors


@pytest.fixture(scope="module")
def html_pages(built_site) -> list[pathlib.Path]:
    return sorted(p for p in built_site.rglob("*.html") if p.relative_to(built_site).parts[0] != "assets")


def test_the_checker_finds_errors(vnu, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<p id="a">one</p><p id="a">two</p><label tabindex="">x</label><p><figure></figure></p></body></html>'
    )
    good = tmp_path / "good.html"
    good.write_text('<!doctype html><html lang="en"><head><title>t</title></head><body><p>fine</p></body></html>')
    errors = check(vnu, [bad, good])
    assert list(errors) == [bad.as_posix()]
    text = "\n".join(errors[bad.as_posix()])
    assert "Duplicate ID" in text and "tabindex" in text and "end tag" in text


def test_every_page_is_valid_html(vnu, built_site, html_pages):
    names = {p.relative_to(built_site).as_posix() for p in html_pages}
    # every page of the nav, the notebooks and the API reference among them
    assert {"index.html", "404.html", "api/index.html", "notebooks/minibatch/index.html"} <= names
    assert len(names) >= 17
    errors = check(vnu, html_pages)
    report = {pathlib.Path(k).relative_to(built_site).as_posix(): v[:5] for k, v in errors.items()}
    assert report == {}


def test_notebook_styles_sit_in_the_head(built_site):
    for name in ("one-variable", "two-variables", "minibatch"):
        text = (built_site / f"notebooks/{name}/index.html").read_text()
        head, body = text.split("</head>", 1)
        assert "<style" not in body and "mermaid" not in body
        style = head.split("<style>", 1)[1].split("</style>", 1)[0]
        assert ".jupyter-wrapper .jp-OutputArea-output" in style  # the notebook's rules are kept
        assert "bp3-" not in style and ":root" not in style and len(style) < 60_000  # the rest is not
        assert not re.search(r'<img\b[^>]*src="data:', body)  # plots are files beside the page, lazy, sized
        plots = [i for i in re.findall(r"<img\b[^>]*>", body) if re.search(r'src="output-[0-9a-f]{16}\.png"', i)]
        assert plots and all(re.search(r'\swidth="\d+"', i) and re.search(r'\sheight="\d+"', i) for i in plots)
        assert all('loading="lazy"' in i for i in plots)


# Every code block of the content, including closed tabs and collapsed notes; notebook cells and outputs.
CODE = "article pre > code, article .highlight-ipynb pre, article .jp-OutputArea-output pre"


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path/to/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


@pytest.mark.browser
def test_the_width_check_sees_a_long_line(chromium, tmp_path):
    long = tmp_path / "long.html"
    long.write_text(
        '<!doctype html><html lang="en"><title>t</title><style>pre > code { display: block; overflow: auto; }</style>'
        '<body style="width:600px"><article>'
        f"<pre><code>{'x' * 300}</code></pre><pre><code>short</code></pre></article></body></html>"
    )
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(long.as_uri())
    widths = page.evaluate("(s) => [...document.querySelectorAll(s)].map(e => e.scrollWidth > e.clientWidth + 1)", CODE)
    page.close()
    assert widths == [True, False]


def test_code_spans_hook_keeps_text_and_drops_plain_spans():
    import html
    import importlib.util

    spec = importlib.util.spec_from_file_location("code_spans", ROOT / "docs/hooks/code_spans.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    code = (
        '<span class="n">x</span><span class="w"> </span><span class="o">=</span> <span class="n">f</span>'
        '<span class="p">(</span><span class="mi">1</span><span class="p">)</span><span class="c1"># one</span>'
        '<span class="s2">"a</span><span class="s2">b"</span>'
    )
    out = hook.simplify(code)
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == 'x = f(1)# one"ab"'
    assert out.count("<span") == 4  # o, mi, c1, and the two s2 merged


def test_built_code_has_no_plain_token_spans(built_site):
    text = (built_site / "api/index.html").read_text()
    assert '<span class="nf">' in text  # still highlighted
    assert not re.search(r'<span class="[npw]">', text)
    assert len(re.findall(r"<[a-zA-Z]", text)) < 3000  # the DOM Lighthouse measures
