"""Shared settings: hypothesis profile, and where test artifacts go."""

import os
import pathlib

from hypothesis import settings

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ARTIFACTS = pathlib.Path(os.environ.get("RMSPROP_DOCS_ARTIFACTS", ROOT / "test-artifacts"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

settings.register_profile("default", max_examples=200, deadline=None)
settings.load_profile("default")


import subprocess  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402

BIN = pathlib.Path(sys.executable).parent


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for one test module (modules call ``require_chromium()`` first)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


SCREENSHOTS = ARTIFACTS / "screenshots"


def shot(page, name: str) -> None:
    """A full-page screenshot into ``<artifacts>/screenshots``, for a reader to look the pages over."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # JPEG: about 40% less of the sweeps' time than PNG, and as good for looking the pages over
    page.screenshot(path=str(SCREENSHOTS / f"{name}.jpg"), full_page=True, type="jpeg", quality=85)


def slug(path: str) -> str:
    """A page's path as a file name: ``one-variable/`` -> ``one-variable``, the home page -> ``home``."""
    return path.strip("/").replace("/", "-") or "home"


def require_chromium() -> None:
    """Skip the calling test module without Chromium, with one line saying so; never skip with CI=true."""
    if CHROMIUM.exists():
        return
    message = f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path/to/chromium)"
    if IN_CI:
        pytest.fail(message + " -- browser tests may not be skipped with CI=true", pytrace=False)
    pytest.skip(message, allow_module_level=True)


def build_site(destination: pathlib.Path, cwd: pathlib.Path = ROOT) -> subprocess.CompletedProcess:
    """A real ``mkdocs build --strict`` into ``destination``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(destination)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> pathlib.Path:
    """One strict build of the site per test run, shared by every pytest-xdist worker: the first worker to
    ask builds it under a file lock, the others wait for it and read the same folder (and the same failure)."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / "shared-site"
    site, log, status = folder / "site", folder / "build.log", folder / "status"
    with FileLock(str(base / "shared-site.lock")):
        if not status.exists():
            folder.mkdir(exist_ok=True)
            done = build_site(site)
            log.write_text(done.stdout + done.stderr)
            status.write_text(str(done.returncode))
    assert status.read_text() == "0", log.read_text()
    return site


@pytest.fixture(scope="session")
def deployed_versions(tmp_path_factory) -> tuple[pathlib.Path, pathlib.Path]:
    """Two versions deployed with mike (scripts/local_versions.py: two more builds) into a throwaway clone, and
    the gh-pages branch exported to a folder: shared, like ``built_site``, by every worker that asks."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "deployed-versions"
    sys.path.insert(0, str(ROOT / "scripts"))
    import local_versions

    with FileLock(str(base / "deployed-versions.lock")):
        if not (folder / "done").exists():
            folder.mkdir(exist_ok=True)
            clone = local_versions.deploy(folder / "work")
            local_versions.export(clone, folder / "export")
            (folder / "done").write_text(str(clone))
    return pathlib.Path((folder / "done").read_text()), folder / "export"


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on 127.0.0.1 at a free port, for every browser test of the run."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


# Markers, applied here so that `pytest -m "not site and not slow"` is the fast subset:
# 'site' for every test that needs the built site, 'slow' for tests that take more than a few seconds.
SLOW_MODULES = {"test_render.py"}  # every test there draws frames with Matplotlib or runs the CLI to do so
SLOW_FIXTURES = {"copy_of_assets"}  # renders or checks every registered figure
SLOW_TESTS = {
    # each computes the cache key of every registered figure more than once, or runs the asset build
    "test_committed_assets_are_fresh",
    "test_comment_and_docstring_edits_leave_every_figure_fresh",
    "test_code_a_figure_runs_marks_it_stale_and_only_it",
}


# The longest modules first, measured (seconds of one run on an idle 2-core machine, about): pytest-xdist's
# loadscope hands a module to whichever worker is free, in this order, so the longest start first and the many
# short ones fill in behind them instead of one long browser module running alone at the end (the Makefile
# passes --no-loadscope-reorder, whose default orders modules by their count of tests).  A module that needs no
# built site is second, so that one worker starts on it while the other builds the site.
LONGEST_FIRST = [  # seconds of work in a run on an idle machine; the first module builds the site
    "test_browser.py",  # 110, the site's build included
    "test_render.py",  # 34, no site: runs while the first worker builds it
    "test_playground_ui.py",  # 65
    "test_playground_links.py",  # 64
    "test_playground.py",  # 55
    "test_readability.py",  # 50
    "test_cli.py",  # 28, no site
    "test_workflows.py",  # 25
    "test_inline_figures.py",  # 19
    "test_html.py",  # 18
    "test_path.py",  # 17
    "test_drawn.py",  # 14
    "test_site.py",  # 8
]


def pytest_collection_modifyitems(config, items):
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not mutant:  # a mutation run keeps mutmut's order, quickest test first, to fail as soon as it can
        rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each module keeps its order
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)
        if (
            item.path.name in SLOW_MODULES
            or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            or getattr(item, "originalname", item.name) in SLOW_TESTS
        ):
            item.add_marker(pytest.mark.slow)
    # mutmut's mutated files keep a copy of each function per mutant, docstring included, and
    # --doctest-modules would collect each copy's examples: run only the examples of the real function.
    copies = [item for item in items if "__mutmut_" in item.nodeid]
    if copies:
        config.hook.pytest_deselected(items=copies)
        items[:] = [item for item in items if "__mutmut_" not in item.nodeid]
    if "__mutmut_" in mutant:  # a mutation run: keep only the test files mapped to the mutated module
        # (tests/mutation/run.py's plugin already dropped the others before collection; a plain `mutmut run`
        # has no plugin, so the same rule is applied here)
        from mutation.mutant_budget import own_files

        allowed = own_files(mutant)
        keep = [item for item in items if item.path.relative_to(ROOT).as_posix() in allowed]
        if len(keep) < len(items):
            kept = set(keep)
            config.hook.pytest_deselected(items=[item for item in items if item not in kept])
            items[:] = keep
