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
