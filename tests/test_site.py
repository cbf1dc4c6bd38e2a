"""The built site: strict, executed, self-contained, and every reference resolves."""

import html.parser
import importlib.util
import json
import pathlib
import re
import shutil
import sys
import urllib.parse

import pytest

from conftest import ROOT, build_site
from rmsprop_docs import trace

PAGES = [
    "index.html",
    "one-variable/index.html",
    "two-variables/index.html",
    "why-rmsprop/index.html",
    "frameworks/index.html",
    "variants/index.html",
    "hyperparameters/index.html",
    "exercises/index.html",
    "notebooks/one-variable/index.html",
    "notebooks/two-variables/index.html",
    "notebooks/minibatch/index.html",
    "playground/index.html",
    "api/index.html",
    "cli/index.html",
    "changelog/index.html",
]


class References(html.parser.HTMLParser):
    """Every URL a page loads or links to, by kind."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "embed") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "source" and a.get("srcset"):
            self.loads.extend(part.split()[0] for part in a["srcset"].split(","))
        if tag == "link" and a.get("href"):
            rel = a.get("rel", "")
            (self.links if rel in ("canonical", "alternate") else self.loads).append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def references(page: pathlib.Path) -> References:
    parser = References()
    parser.feed(page.read_text())
    return parser


def test_build_is_strict_and_quiet(built_site):
    log = (built_site.parent / "build.log").read_text()
    assert not re.search(r"^WARNING\s+-", log, flags=re.MULTILINE), log  # MkDocs' own warnings
    assert "Converting notebook (execute=True)" in log or "Cache hit" in log or "Reading from cache" in log


@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists(built_site, page):
    assert (built_site / page).is_file()


def test_notebooks_are_executed_with_fresh_outputs(built_site):
    text = (built_site / "notebooks/one-variable/index.html").read_text()
    expected = trace("cubic", [-1.0]).steps_to(1e-3)
    assert f"steps to within 1e-3: {expected}" in text
    plot = re.search(r'<img [^>]*src="(output-[0-9a-f]{16}\.png)"', text)  # the plot cell ran (its PNG, a file)
    assert plot and (built_site / "notebooks/one-variable" / plot[1]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    two = (built_site / "notebooks/two-variables/index.html").read_text()
    assert "float32 ends at [ 2. -1.]" in two


@pytest.mark.parametrize("name", ["one-variable", "two-variables"])
def test_notebooks_are_downloadable(built_site, name):
    notebook = json.loads((built_site / f"notebooks/{name}/{name}.ipynb").read_text())
    assert notebook["nbformat"] == 4
    assert f'href="{name}.ipynb"' in (built_site / f"notebooks/{name}/index.html").read_text()


@pytest.mark.parametrize("page", PAGES)
def test_math_is_mathml_not_tex(built_site, page):
    text = (built_site / page).read_text()
    body = text.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]
    visible = re.sub(r"<(script|style|math|code|pre)\b.*?</\1>", "", body, flags=re.DOTALL)
    assert 'class="arithmatex"' not in body
    for tex in (r"\(", r"\)", r"\[", r"\]", r"\frac", r"\rho", "$$"):
        assert tex not in visible, f"raw TeX {tex!r} on {page}"
    if page not in ("cli/index.html", "changelog/index.html"):
        assert "<math" in body


def test_notebook_markdown_math_is_converted(built_site):
    text = (built_site / "notebooks/one-variable/index.html").read_text()
    cells = re.findall(r'<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>(.*?)</div>', text, flags=re.DOTALL)
    assert cells
    for cell in cells:
        outside_math = re.sub(r"<math\b.*?</math>", "", cell, flags=re.DOTALL)
        assert "$" not in outside_math


def test_nothing_is_loaded_from_another_host(built_site):
    offenders = []
    for page in built_site.rglob("*.html"):
        for url in references(page).loads:
            parsed = urllib.parse.urlparse(url)
            if parsed.scheme in ("http", "https") or url.startswith("//"):
                offenders.append((page.relative_to(built_site), url))
    for sheet in built_site.rglob("*.css"):
        offenders += [(sheet.name, u) for u in re.findall(r"url\((['\"]?)(https?:)?//[^)]+\)", sheet.read_text())]
        assert "@import url(http" not in sheet.read_text()
    assert offenders == []


class Scripts(html.parser.HTMLParser):
    """Every script element of a page: its attributes, and the text of an inline one."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = dict(attrs)
            self.found.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            self.found[-1] = (self._open, self.found[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def scripts(page: pathlib.Path) -> list[tuple[dict, str]]:
    parser = Scripts()
    parser.feed(page.read_text())
    return parser.found


def test_no_script_file_holds_up_the_first_paint(built_site):
    # A plain <script src> stops the parser until the file is fetched and run, so the browser draws nothing
    # after it meanwhile (the theme's bundle, glightbox in the head, the playground's scripts). Deferred, they
    # run in order once the page is parsed, and an inline script that needs one of them waits for
    # DOMContentLoaded, which comes after them.
    blocking, too_early, pages = [], [], 0
    for page in built_site.rglob("*.html"):
        pages += 1
        name = page.relative_to(built_site).as_posix()
        for attrs, text in scripts(page):
            if "src" in attrs and "defer" not in attrs and "async" not in attrs and attrs.get("type") != "module":
                blocking.append((name, attrs["src"]))
            uses = re.search(r"\b(GLightbox|document\$|rmspropDocs)", text) if "src" not in attrs else None
            if uses and attrs.get("type") != "application/json" and "DOMContentLoaded" not in text:
                too_early.append((name, uses.group(1)))
    assert pages >= len(PAGES)
    assert blocking == []
    assert too_early == []


def test_glightbox_is_deferred_and_started_once_the_page_is_parsed():
    lightbox = load_hook("lightbox")
    page = (
        '<head><script src="../assets/javascripts/glightbox.min.js"></script></head><body>'
        '<script id="init-glightbox">const lightbox = GLightbox({"loop": false});\n</script></body>'
    )
    deferred = lightbox.defer_glightbox(page)
    assert '<script defer src="../assets/javascripts/glightbox.min.js"></script>' in deferred
    assert (
        '<script id="init-glightbox">addEventListener("DOMContentLoaded", () => {\n'
        'const lightbox = GLightbox({"loop": false});\n});</script>'
    ) in deferred
    assert lightbox.defer_glightbox("<p>no lightbox here</p>") == "<p>no lightbox here</p>"


def test_the_palette_stylesheet_is_the_themes_less_its_switching_rule(built_site):
    import material

    hook = load_hook("palette_switch")
    [built] = (built_site / "assets" / "stylesheets").glob("palette.*.min.css")
    original = pathlib.Path(material.__file__).parent / "templates" / "assets" / "stylesheets" / built.name
    assert hook.SWITCHING_RULE in original.read_text()
    assert built.read_text() == original.read_text().replace(hook.SWITCHING_RULE, "")
    assert "data-md-color-switching" not in built.read_text()
    with pytest.raises(Exception, match="no longer holds its colour-switching rule"):
        hook.without_switching_rule(built.read_text())


def test_every_local_reference_resolves(built_site):
    # 404.html is served at any path, so its links are absolute under site_url's path.
    site_url = re.search(r'^site_url: !ENV \[SITE_URL, "(\S+)"\]', (ROOT / "mkdocs.yml").read_text(), re.M)[1]
    site_path = urllib.parse.urlparse(site_url).path
    missing = []
    for page in built_site.rglob("*.html"):
        refs = references(page)
        for url in refs.loads + refs.links:
            parsed = urllib.parse.urlparse(url)
            if parsed.scheme or url.startswith(("#", "//", "mailto:", "data:", "javascript:")):
                continue
            path = urllib.parse.unquote(parsed.path)
            if path.startswith("/"):
                assert path.startswith(site_path), (page, url)
                target = built_site / path[len(site_path) :]
            else:
                target = (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                missing.append((str(page.relative_to(built_site)), url))
    assert missing == []


def test_animations_have_stills_and_alt_text(built_site):
    text = (built_site / "one-variable/index.html").read_text()
    pictures = re.findall(r"<picture>(.*?)</picture>", text, flags=re.DOTALL)
    assert pictures
    for picture in pictures:
        assert 'media="(prefers-reduced-motion: reduce)"' in picture
        assert re.search(r'alt="[^"]{40,}"', picture)


def test_a_failing_notebook_cell_fails_the_build(tmp_path, built_site):
    # after the suite's build (built_site), whose outputs of the other notebooks it reuses
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "docs", project / "docs")
    if (ROOT / ".cache/mkdocs-jupyter").is_dir():  # the other notebooks' outputs, as this checkout's build left them
        shutil.copytree(ROOT / ".cache/mkdocs-jupyter", project / ".cache/mkdocs-jupyter")
    notebook = json.loads((project / "docs/notebooks/one-variable.ipynb").read_text())
    notebook["cells"].append(
        {"cell_type": "code", "id": "boom", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "raise RuntimeError('this cell fails')"}
    )  # fmt: skip
    (project / "docs/notebooks/one-variable.ipynb").write_text(json.dumps(notebook))
    done = build_site(tmp_path / "site", cwd=project)
    assert done.returncode != 0
    assert "this cell fails" in done.stdout + done.stderr


def load_hook(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_notebook_cache_is_keyed_on_what_the_notebooks_run(monkeypatch):
    from rmsprop_docs import dependencies

    hook = load_hook("notebook_cache")
    docs = ROOT / "docs"
    before = hook.notebooks_digest(docs)
    original = dependencies.read
    monkeypatch.setattr(dependencies, "read", lambda m: original(m) + b"\n# a comment\n")
    assert hook.notebooks_digest(docs) == before  # prose does not re-execute the notebooks
    monkeypatch.setattr(
        dependencies, "read", lambda m: original(m) + (b"\nSTEP = 2\n" if m == "rmsprop_docs.trajectory" else b"")
    )
    assert hook.notebooks_digest(docs) != before  # code they run does


def test_math_hook_converts_both_syntaxes():
    hook = load_hook("mathml")
    html_in = '<p>a <span class="arithmatex">\\(x^2\\)</span></p><div class="arithmatex">\\[\\frac{a}{b}\\]</div>'
    out = hook.ARITHMATEX.sub(hook._arithmatex, html_in)
    assert out.count("<math") == 2 and 'display="block"' in out and "arithmatex" not in out


def test_changing_a_printed_number_on_a_page_fails(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    import doc_blocks

    text = (ROOT / "docs" / "one-variable.md").read_text()
    assert "-0.5773502691896257\n```" in text
    altered = text.replace("-0.5773502691896257\n```", "-0.5773502691896258\n```", 1)
    namespace: dict = {}
    with pytest.raises(AssertionError, match="page shows"):
        for example in doc_blocks.examples(altered):
            doc_blocks.check(example, namespace, "one-variable.md")


def test_every_python_block_on_the_pages_is_checked():
    sys.path.insert(0, str(ROOT / "tests"))
    import doc_blocks

    compile_only = 0
    for page in (ROOT / "docs").glob("*.md"):
        for example in doc_blocks.examples(page.read_text()):
            if example.compile_only:
                compile_only += 1
                assert page.name == "frameworks.md" and "needs" in example.compile_only
    # Only the framework tabs, one per recorded snippet: their outputs are held to the recordings elsewhere.
    snippets = [p for p in (ROOT / "docs/snippets/frameworks").glob("*.py") if p.name != "conftest.py"]
    assert compile_only == len(snippets) > 0


def test_frameworks_page_names_every_recorded_framework_and_version():
    page = (ROOT / "docs/frameworks.md").read_text()
    recordings = [p for p in (ROOT / "tests/fixtures/frameworks").glob("*.json") if p.name != "snippets.json"]
    assert len(recordings) == 8
    for path in recordings:
        fixture = json.loads(path.read_text())
        # the class names are wrapped in the page's table; that table is the records' own (docs test)
        assert fixture["framework"] in page, path.name
        main_package = next(iter(fixture["versions"]))
        assert f"{main_package} {fixture['versions'][main_package].split('+')[0]}" in page, path.name


def test_mike_deploys_two_versions_with_an_alias(deployed_versions):
    sys.path.insert(0, str(ROOT / "scripts"))
    import local_versions

    clone, site = deployed_versions
    entries = {entry["version"]: entry for entry in local_versions.versions(clone)}
    assert set(entries) == {"0.1", "dev"}
    assert entries["0.1"]["aliases"] == ["latest"]
    assert (site / "0.1" / "index.html").is_file() and (site / "dev" / "index.html").is_file()
    assert (site / "latest" / "index.html").is_file()
    assert "url=latest/" in (site / "index.html").read_text()  # the default version
