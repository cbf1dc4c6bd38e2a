"""The playground's core (docs/javascripts/playground/core.js) and plot helpers (plot.js) in Node.js.

The Node tests in ``tools/stryker/test/`` (node:test, no package needed) load core.js as the page's scripts do
and compare it with the library's recorded answers in ``tests/fixtures/js/``: the points of RMSprop in each
convention with momentum, centering, weight decay and schedules, of Adam, SGD with momentum, Adagrad and
gradient descent on every problem; divergence; steps_to with exact landings at tolerance 0; the best-rate
race; every refusal's message; and plot.js's ticks, numbers, contour lines, path strings and runner.  They are
the tests StrykerJS runs over both files (``tests/mutation/js.py``).
Without Node.js they skip with one line saying so; with ``CI=true`` they fail instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import IN_CI, ROOT

NODE = shutil.which("node")
TESTS = sorted((ROOT / "tools" / "stryker" / "test").glob("*.test.mjs"))


def require_node() -> str:
    if NODE is not None:
        return NODE
    message = "Node.js not found, needed for the playground core's tests: apt-get install nodejs"
    if IN_CI:
        pytest.fail(message + " -- they may not be skipped with CI=true", pytrace=False)
    pytest.skip(message)


def test_the_core_gives_the_librarys_answers_in_node():
    node = require_node()
    assert len(TESTS) >= 6
    done = subprocess.run(
        [node, "--test", "--test-reporter=spec", *map(str, TESTS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]


def test_the_fixtures_are_the_librarys_current_answers():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_js_fixtures.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (
        f"{done.stdout}{done.stderr}\nthe library's answers changed: run python scripts/make_js_fixtures.py"
    )
