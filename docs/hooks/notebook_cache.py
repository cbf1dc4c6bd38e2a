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
import os
import pathlib
import shutil

from rmsprop_docs import dependencies

CACHE_ROOT = pathlib.Path(".cache") / "mkdocs-jupyter"
JUPYTER_CONFIG = pathlib.Path(".cache") / "jupyter-config"

# The kernels that execute the notebooks talk to the build over Unix sockets beside their connection files
# (ipykernel warns about plain TCP on every start), and Jupyter uses its platform folders without saying
# that it is migrating to them; nbconvert reads the user's configuration, then ours from JUPYTER_CONFIG_PATH.
QUIET_ENVIRONMENT = {"JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
NBCONVERT_CONFIG = {"NotebookClient": {"extra_arguments": ["--IPKernelApp.log_level=ERROR"]}}


def quiet_kernels() -> None:
    for name, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    JUPYTER_CONFIG.mkdir(parents=True, exist_ok=True)
    config = JUPYTER_CONFIG / "jupyter_nbconvert_config.json"
    text = json.dumps(NBCONVERT_CONFIG, indent=1, sort_keys=True) + "\n"
    if not config.is_file() or config.read_text() != text:
        config.write_text(text)
    folder = str(JUPYTER_CONFIG.resolve())
    paths = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    if folder not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([*paths, folder])


def notebooks_digest(docs_dir: pathlib.Path) -> str:
    roots: set[str] = set()
    for notebook in sorted(docs_dir.rglob("*.ipynb")):
        roots |= dependencies.notebook_imports(json.loads(notebook.read_text()))
    return dependencies.digest(sorted(roots))[:16]


def on_config(config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        return config
    quiet_kernels()
    if not plugin.config["cache"]:
        return config
    folder = CACHE_ROOT / f"core-{notebooks_digest(pathlib.Path(config['docs_dir']))}"
    for old in CACHE_ROOT.glob("core-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)  # outputs of older code
    plugin.config["cache_dir"] = str(folder)
    return config
