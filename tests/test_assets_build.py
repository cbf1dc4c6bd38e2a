"""The asset pipeline judged by what it writes (not by the committed manifest's hashes): which figures a build
renders, what the manifest records, that a second build renders nothing, that a damaged file is rendered again
to the same bytes, that retired figures go, and what ``build_assets --check`` says.  Each test renders one or
two cheap figures into a temporary folder."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from rmsprop_docs import assets, figures

CHEAP = "forgetting"
OTHER = "minibatch-batch-size"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One build of the cheap figure into an empty folder: the folder and what the build returned."""
    folder = tmp_path_factory.mktemp("assets")
    return folder, assets.build(folder, [CHEAP], jobs=1)


def copy_of(rendered, tmp_path):
    folder, _ = rendered
    target = tmp_path / "assets"
    target.mkdir()
    for path in folder.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_a_build_renders_the_named_figure_and_records_its_key_and_file_hashes(rendered):
    folder, result = rendered
    spec = figures.get(CHEAP)
    assert list(result.rendered) == [CHEAP] and result.removed == []
    assert result.rendered[CHEAP] > 0
    manifest = json.loads((folder / assets.MANIFEST).read_text())
    assert set(manifest["figures"]) == {CHEAP}
    entry = manifest["figures"][CHEAP]
    assert entry["key"] == assets.figure_key(spec)
    assert set(entry["files"]) == set(spec.outputs)
    for name, digest in entry["files"].items():
        assert digest == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    assert manifest["versions"] == assets.library_versions()
    assert set(manifest["versions"]) == {"numpy", "matplotlib", "pillow"}
    assert (folder / assets.MANIFEST).read_text().endswith("}\n")


def test_a_fresh_folder_is_left_alone(rendered, tmp_path):
    folder = copy_of(rendered, tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert assets.stale_reasons(folder, [figures.get(CHEAP)], assets.load_manifest(folder)) == {}
    result = assets.build(folder, [CHEAP], jobs=1)
    assert result.rendered == {} and result.removed == []
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # not even the manifest rewritten


def test_a_damaged_or_missing_file_is_named_and_rendered_again_to_the_same_bytes(rendered, tmp_path):
    folder = copy_of(rendered, tmp_path)
    spec = figures.get(CHEAP)
    output = folder / spec.outputs[0]
    original = output.read_bytes()
    output.write_bytes(original + b"x")
    reasons = assets.stale_reasons(folder, [spec], assets.load_manifest(folder))
    assert reasons == {CHEAP: f"{spec.outputs[0]} differs from the rendered file"}
    assert list(assets.build(folder, [CHEAP], jobs=1).rendered) == [CHEAP]
    assert output.read_bytes() == original
    output.unlink()
    reasons = assets.stale_reasons(folder, [spec], assets.load_manifest(folder))
    assert reasons == {CHEAP: f"{spec.outputs[0]} is missing"}
    assets.build(folder, [CHEAP], jobs=1)
    assert output.read_bytes() == original


def test_a_changed_key_or_an_empty_manifest_is_stale(rendered, tmp_path):
    folder = copy_of(rendered, tmp_path)
    spec = figures.get(CHEAP)
    manifest = assets.load_manifest(folder)
    manifest["figures"][CHEAP]["key"] = "0" * 64
    assert assets.stale_reasons(folder, [spec], manifest) == {CHEAP: "parameters, code or library versions changed"}
    assert assets.stale_reasons(folder, [spec], {"figures": {}}) == {CHEAP: "never rendered"}
    assert assets.load_manifest(tmp_path / "nowhere") == {"figures": {}}


def test_force_renders_again_and_a_retired_figure_is_removed_with_its_files(rendered, tmp_path):
    folder = copy_of(rendered, tmp_path)
    manifest = assets.load_manifest(folder)
    (folder / "retired.png").write_bytes(b"old")
    manifest["figures"]["retired"] = {"key": "k", "files": {"retired.png": "h"}}
    assets.write_manifest(folder, manifest)
    assert assets.orphans(folder, manifest) == ["retired"]
    result = assets.build(folder, [CHEAP], force=True, jobs=1)
    assert list(result.rendered) == [CHEAP] and result.removed == ["retired"]
    assert not (folder / "retired.png").exists()
    assert "retired" not in assets.load_manifest(folder)["figures"]


def test_two_figures_in_two_workers_give_the_bytes_of_one_worker_listed_in_the_order_asked(rendered, tmp_path):
    folder, _ = rendered
    two = tmp_path / "two"
    result = assets.build(two, [OTHER, CHEAP], jobs=2)
    assert list(result.rendered) == [OTHER, CHEAP]
    for name in figures.get(CHEAP).outputs:
        assert (two / name).read_bytes() == (folder / name).read_bytes()
    manifest = assets.load_manifest(two)
    assert set(manifest["figures"]) == {CHEAP, OTHER}
    assert manifest["figures"][OTHER]["key"] == assets.figure_key(figures.get(OTHER))


def test_the_drawing_free_hashing_module_does_not_enter_a_key():
    assert assets.code_digest(["rmsprop_docs.dependencies"]) == hashlib.sha256().hexdigest()
    assert assets.code_digest(["rmsprop_docs.stepping"]) != hashlib.sha256().hexdigest()


def test_check_names_what_is_stale_and_then_says_fresh(rendered, tmp_path, capsys):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert assets.main([CHEAP, "--check", "--folder", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"stale: {CHEAP}: never rendered" in out
    assert "1 figure(s) stale; run: python scripts/build_assets.py" in out
    full = copy_of(rendered, tmp_path)
    assert assets.main([CHEAP, "--check", "--folder", str(full)]) == 0
    assert capsys.readouterr().out.strip() == "all 1 figures fresh"


def test_main_renders_and_reports_and_refuses_an_unknown_figure_on_one_line(rendered, tmp_path, capsys):
    folder = copy_of(rendered, tmp_path)
    (folder / figures.get(CHEAP).outputs[0]).unlink()
    assert assets.main([CHEAP, "--folder", str(folder), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(rf"rendered {CHEAP} in \d+\.\d\d s\n1 figure\(s\) rendered, 0 fresh, in \d+\.\d\d s\n", out), (
        out
    )
    assert assets.main(["no-such-figure", "--folder", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("build_assets: error: ") and "figure" in err and err.count("\n") == 1


def test_a_build_makes_missing_parent_folders_and_times_each_render(tmp_path):
    folder = tmp_path / "site" / "docs" / "assets"
    result = assets.build(folder, [CHEAP], jobs=1)
    assert (folder / assets.MANIFEST).exists()
    assert 0 < result.rendered[CHEAP] < 120  # seconds of this render, not a clock reading
