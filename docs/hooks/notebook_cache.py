"""Key mkdocs-jupyter's cache on the code the notebooks import as well as their bytes.

mkdocs-jupyter caches executed notebooks under a key made of the notebook's
bytes and its own options only, so an edit to ``rmsprop_docs`` would leave
stale outputs on the site.  This hook points the cache at a folder named after
the behaviour of every module the notebooks import (found and hashed by
``rmsprop_docs.dependencies``, the mechanism the figures use too): change
what they run, and every notebook runs again; edit a comment or a docstring,
or change nothing, and a rebuild reuses the outputs.
"""

from __future__ import annotations

import json
import pathlib
import shutil

from rmsprop_docs import dependencies

CACHE_ROOT = pathlib.Path(".cache") / "mkdocs-jupyter"


def notebooks_digest(docs_dir: pathlib.Path) -> str:
    roots: set[str] = set()
    for notebook in sorted(docs_dir.rglob("*.ipynb")):
        roots |= dependencies.notebook_imports(json.loads(notebook.read_text()))
    return dependencies.digest(sorted(roots))[:16]


def on_config(config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or not plugin.config["cache"]:
        return config
    folder = CACHE_ROOT / f"core-{notebooks_digest(pathlib.Path(config['docs_dir']))}"
    for old in CACHE_ROOT.glob("core-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)  # outputs of older code
    plugin.config["cache_dir"] = str(folder)
    return config
