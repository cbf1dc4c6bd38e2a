"""Compile the Jinja templates of the theme and of mkdocstrings once, not on every build.

Both compile their templates from source in every run (about 70 of them), a
good part of a rebuild that changes nothing.  Jinja's own bytecode cache keeps
the compiled code on disk, keyed by each template's name and source checksum, so
an edited or upgraded template is compiled again.
"""

from __future__ import annotations

import pathlib

import jinja2

CACHE = pathlib.Path(".cache") / "jinja"


def _bytecode_cache() -> jinja2.BytecodeCache:
    CACHE.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(CACHE.resolve()))


def on_config(config):
    plugin = config.plugins.get("mkdocstrings")
    if plugin is not None:  # its on_config has run: the handlers exist
        plugin.handlers.get_handler("python").env.bytecode_cache = _bytecode_cache()
    return config


def on_env(env, config, files):
    env.bytecode_cache = _bytecode_cache()
    return env
