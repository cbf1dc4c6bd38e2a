"""Key mkdocs-jupyter's cache on the core's source as well as the notebook's bytes.

mkdocs-jupyter caches executed notebooks under a key made of the notebook's
bytes and its own options only, so an edit to ``rmsprop_docs`` would leave
stale outputs on the site.  This hook points the cache at a folder named after
a hash of every source file of the package: change the core, and every notebook
runs again; change nothing, and a rebuild reuses the outputs.
"""

from __future__ import annotations

import hashlib
import pathlib
import shutil

import rmsprop_docs

CACHE_ROOT = pathlib.Path(".cache") / "mkdocs-jupyter"


PACKAGE = pathlib.Path(rmsprop_docs.__file__).parent


def core_digest(package: pathlib.Path = PACKAGE) -> str:
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def on_config(config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or not plugin.config["cache"]:
        return config
    folder = CACHE_ROOT / f"core-{core_digest()}"
    for old in CACHE_ROOT.glob("core-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)  # outputs of an older core
    plugin.config["cache_dir"] = str(folder)
    return config
