"""Show the version selector only in builds that mike makes.

``extra.version.provider: mike`` makes every page fetch ``../versions.json``.
mike writes that file beside the version folders it deploys; a plain
``mkdocs build`` or ``mkdocs serve`` has none, and each page would log a 404.
mike sets MIKE_DOCS_VERSION while it builds, so without it the selector is
left out.
"""

from __future__ import annotations

import os


def on_config(config):
    if "MIKE_DOCS_VERSION" not in os.environ:
        config.extra.pop("version", None)
    return config
