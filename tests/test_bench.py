"""The benchmark's command line: its sections, and what it does with a name it does not know."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "scripts" / "bench.py"


def test_an_unknown_section_is_refused_with_the_list():
    done = subprocess.run([sys.executable, str(BENCH), "nosuch"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    for section in ("sweep", "render", "assets", "learning", "site", "serve", "playground"):
        assert section in done.stderr


def test_the_mini_batch_page_is_timed_from_nothing():
    source = BENCH.read_text()
    assert "run_all(shipped=False)" in source and "RMSPROP_DOCS_CACHE" in source
