"""The site's build hooks as functions: what the notebook pages' CSS keeps, and its cache."""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CSS = """
.jp-Cell { color: var(--jp-ink); }
.jp-Unused { color: red; }
#only-here { margin: 0; }
:root { --jp-ink: black; --jp-unused: blue; }
"""
MARKUP = '<div class="jp-Cell">x</div>'


def test_prune_keeps_the_rules_the_page_can_match_and_the_properties_they_use():
    css = load("notebook_css").prune(CSS, MARKUP)
    assert ".jp-Cell" in css and "--jp-ink" in css
    assert ".jp-Unused" not in css and "#only-here" not in css and "--jp-unused" not in css


def test_pruned_is_prune_and_is_read_back_from_its_cache(tmp_path, monkeypatch):
    hook = load("notebook_css")
    monkeypatch.setattr(hook, "CACHE", tmp_path / "css")
    first = hook.pruned(CSS, MARKUP, "")
    assert first == hook.prune(CSS, MARKUP, "")
    (cached,) = (tmp_path / "css").glob("*.css")
    cached.write_text("/* from the cache */")  # a second call must read the file, not recompute
    assert hook.pruned(CSS, MARKUP, "") == "/* from the cache */"
    assert hook.pruned(CSS, MARKUP + "<p></p>", "") == first  # other inputs, another key
    assert not list((tmp_path / "css").glob("*.tmp"))
