"""The figure registry and the asset pipeline that keeps docs/assets fresh."""

import json
import pathlib
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from conftest import ROOT
from rmsprop_docs import assets, dependencies, figures

ASSETS = ROOT / "docs" / "assets"
BUILD = [sys.executable, str(ROOT / "scripts" / "build_assets.py")]


def test_committed_assets_are_fresh():
    done = subprocess.run([*BUILD, "--check"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"all {len(figures.FIGURES)} figures fresh" in done.stdout


@pytest.fixture
def copy_of_assets(tmp_path):
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    return folder


def test_rendering_again_gives_the_committed_bytes(copy_of_assets):
    before = {p.name: p.read_bytes() for p in copy_of_assets.iterdir()}
    result = assets.build(copy_of_assets, force=True)
    assert set(result.rendered) == set(figures.FIGURES)
    after = {p.name: p.read_bytes() for p in copy_of_assets.iterdir()}
    assert after == before


def test_no_op_build_renders_nothing(copy_of_assets):
    assert assets.build(copy_of_assets) == ({}, [])


def test_staleness_reasons(copy_of_assets, monkeypatch):
    manifest = assets.load_manifest(copy_of_assets)
    specs = list(figures.FIGURES.values())
    assert assets.stale_reasons(copy_of_assets, specs, manifest) == {}

    gif = copy_of_assets / "cubic-rmsprop.gif"
    gif.write_bytes(gif.read_bytes()[:-10])
    (copy_of_assets / "quadratic-rmsprop.png").unlink()
    reasons = assets.stale_reasons(copy_of_assets, specs, manifest)
    assert reasons == {
        "cubic-rmsprop": "cubic-rmsprop.gif differs from the rendered file",
        "quadratic-rmsprop": "quadratic-rmsprop.png is missing",
    }

    monkeypatch.setattr(assets, "library_versions", lambda: {"numpy": "0", "matplotlib": "0", "pillow": "0"})
    assert set(assets.stale_reasons(copy_of_assets, specs, manifest)) == set(figures.FIGURES)


def test_parameter_change_makes_only_that_figure_stale(copy_of_assets, monkeypatch):
    spec = figures.FIGURES["cubic-rmsprop"]
    changed = figures.FigureSpec(spec.name, spec.kind, spec.alt, {**spec.params, "lr": 0.02})
    monkeypatch.setitem(figures.FIGURES, spec.name, changed)
    reasons = assets.stale_reasons(copy_of_assets, figures.FIGURES.values(), assets.load_manifest(copy_of_assets))
    assert reasons == {"cubic-rmsprop": "parameters, code or library versions changed"}


def _edited(monkeypatch, edit):
    original = dependencies.read
    monkeypatch.setattr(dependencies, "read", lambda m: original(m) + edit(m))


def _keys():
    return {name: assets.figure_key(spec) for name, spec in figures.FIGURES.items()}


def test_comment_and_docstring_edits_leave_every_figure_fresh(monkeypatch):
    before = _keys()
    # Every module opens with a docstring: rewrite its first line, and add a comment.
    _edited(monkeypatch, lambda m: b"")
    original = dependencies.read
    monkeypatch.setattr(
        dependencies, "read", lambda m: original(m).replace(b'"""', b'"""Edited. ', 1) + b"\n# a comment\n"
    )
    assert dependencies.read("rmsprop_docs.trajectory").startswith(b'"""Edited. ')
    assert _keys() == before


def test_code_a_figure_runs_marks_it_stale_and_only_it(monkeypatch):
    before = _keys()
    # sweep feeds the plots, not the animations
    _edited(monkeypatch, lambda m: b"\nLIMIT = 3\n" if m == "rmsprop_docs.sweep" else b"")
    after = _keys()
    for name, spec in figures.FIGURES.items():
        uses_sweep = "rmsprop_docs.sweep" in dependencies.closure(spec.entry_modules)
        assert (after[name] != before[name]) == uses_sweep, name
    assert any(after[n] != before[n] for n in after) and any(after[n] == before[n] for n in after)


def test_adding_an_import_to_a_figures_code_marks_it_stale(monkeypatch):
    spec = figures.FIGURES["cubic-rmsprop"]
    assert "rmsprop_docs.sweep" not in dependencies.closure(spec.entry_modules)
    before = assets.figure_key(spec)
    _edited(monkeypatch, lambda m: b"\nfrom rmsprop_docs import sweep\n" if m == "rmsprop_docs.trajectory" else b"")
    assert "rmsprop_docs.sweep" in dependencies.closure(spec.entry_modules)
    assert assets.figure_key(spec) != before


def test_check_lists_stale_and_exits_1(copy_of_assets):
    (copy_of_assets / "cubic-rmsprop.png").unlink()
    done = subprocess.run([*BUILD, "--check", "--folder", str(copy_of_assets)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "stale: cubic-rmsprop: cubic-rmsprop.png is missing" in done.stdout
    assert not (copy_of_assets / "cubic-rmsprop.png").exists()  # --check renders nothing


def test_build_repairs_and_removes_orphans(copy_of_assets):
    manifest = json.loads((copy_of_assets / "manifest.json").read_text())
    manifest["figures"]["retired"] = {"key": "x", "files": {"retired.png": "y"}}
    (copy_of_assets / "manifest.json").write_text(json.dumps(manifest))
    (copy_of_assets / "retired.png").write_bytes(b"old")
    (copy_of_assets / "cubic-rmsprop.gif").unlink()
    done = subprocess.run([*BUILD, "--folder", str(copy_of_assets)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "rendered cubic-rmsprop " in done.stdout
    assert "removed retired" in done.stdout
    assert not (copy_of_assets / "retired.png").exists()
    assert assets.stale_reasons(copy_of_assets, figures.FIGURES.values(), assets.load_manifest(copy_of_assets)) == {}


def test_registry_entries_are_complete():
    for spec in figures.FIGURES.values():
        assert len(spec.alt) > 40, spec.name
        for output in spec.outputs:
            assert (ASSETS / output).exists(), output
        if spec.kind == "animation":
            with Image.open(ASSETS / f"{spec.name}.gif") as gif:
                assert gif.n_frames > 1
                assert gif.size == tuple(spec.params["size"])


def test_default_style_gifs_fit_the_page_budget():
    for spec in figures.FIGURES.values():
        if spec.kind == "animation" and spec.params["style"] == "default":
            assert (ASSETS / f"{spec.name}.gif").stat().st_size <= 300_000, spec.name


def test_unknown_figure_name_is_an_error():
    done = subprocess.run([*BUILD, "nonesuch"], capture_output=True, text=True)
    assert done.returncode == 2 and "figure must be one of" in done.stderr


def test_workflows_pass_actionlint():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no workflows found"
    actionlint = pathlib.Path(sys.executable).parent / "actionlint"
    done = subprocess.run([str(actionlint), *map(str, workflows)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
