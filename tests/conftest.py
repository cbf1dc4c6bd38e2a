"""Shared settings: hypothesis profile, and where test artifacts go."""

import os
import pathlib

from hypothesis import settings

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ARTIFACTS = pathlib.Path(os.environ.get("RMSPROP_DOCS_ARTIFACTS", ROOT / "test-artifacts"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

settings.register_profile("default", max_examples=200, deadline=None)
settings.load_profile("default")


import subprocess  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402

BIN = pathlib.Path(sys.executable).parent


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
    site = tmp_path_factory.mktemp("site") / "site"
    done = build_site(site)
    assert done.returncode == 0, done.stdout + done.stderr
    (site.parent / "build.log").write_text(done.stdout + done.stderr)
    return site
