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
import threading

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


# A clean build executes every notebook, each in its own kernel, one after the other while the rest of the
# site waits.  Instead, the notebooks whose outputs are not cached start at once, each converted by
# mkdocs-jupyter's own function in a forked worker that writes the entry mkdocs-jupyter would write; the
# build renders the other pages meanwhile and waits for a notebook only when it reaches its page.  A
# notebook that fails in a worker is left uncached, so mkdocs-jupyter runs it again and reports the error.

_pending: dict[str, object] = {}  # notebook path -> the forked process converting it


def _entry_path(plugin, abs_src_path: str) -> pathlib.Path:
    from mkdocs_jupyter import plugin as jupyter_plugin

    key = jupyter_plugin._compute_cache_key(abs_src_path, plugin.config, _executes(plugin, abs_src_path))
    return jupyter_plugin._get_cache_path(plugin.config["cache_dir"], key)


def _executes(plugin, abs_src_path: str) -> bool:
    return plugin.config["execute"] and not any(
        pathlib.PurePath(abs_src_path).match(pattern) for pattern in plugin.config["execute_ignore"]
    )


def _convert(abs_src_path: str, options: dict, entry: str) -> None:
    """In a worker: what mkdocs-jupyter's page render does on a cache miss, written atomically."""
    from mkdocs_jupyter import convert
    from mkdocs_jupyter import plugin as jupyter_plugin

    options = dict(options)
    toc_depth = options.pop("toc_depth")
    try:
        body = convert.nb2html(abs_src_path, **options)
        toc_tokens, title = jupyter_plugin._get_nb_toc_tokens(abs_src_path, toc_depth)
    except Exception:  # mkdocs-jupyter runs it again in the build and reports the error there
        return
    path = pathlib.Path(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}), encoding="utf-8")
    tmp.replace(path)


def _options(plugin, abs_src_path: str) -> dict:
    names = (
        "kernel_name",
        "theme",
        "allow_errors",
        "show_input",
        "no_input",
        "no_prompt",
        "remove_tag_config",
        "highlight_extra_classes",
        "include_requirejs",
        "custom_mathjax_url",
    )
    return {
        "execute": _executes(plugin, abs_src_path),
        **{name: plugin.config[name] for name in names},
        "toc_depth": plugin.config["toc_depth"],
    }


def on_files(files, config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or not plugin.config["cache"] or _pending:
        return files
    todo = []
    for file in files:
        if plugin.should_include(file) and file.abs_src_path.endswith(".ipynb"):
            entry = _entry_path(plugin, file.abs_src_path)
            if not entry.exists() and _executes(plugin, file.abs_src_path):
                todo.append((file.abs_src_path, entry))
    if len(todo) < 2 or threading.active_count() > 1:  # one notebook runs as fast in the build; forking a
        return files  # process with threads (a rebuild by `mkdocs serve`) is not safe
    import multiprocessing

    fork = multiprocessing.get_context("fork")  # a forked worker needs no pickling and imports nothing again
    for path, entry in todo:  # the workers mostly wait for their kernels, so one per notebook
        worker = fork.Process(target=_convert, args=(path, _options(plugin, path), str(entry)), daemon=True)
        worker.start()
        _pending[path] = worker
    return files


def on_pre_page(page, config, files):
    worker = _pending.pop(page.file.abs_src_path or "", None)
    if worker is not None:
        worker.join()
    return page


def on_post_build(config):
    while _pending:
        _pending.popitem()[1].join()
