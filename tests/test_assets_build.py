"""The asset pipeline judged by what it writes (not by the committed manifest's hashes): which figures a build
renders, what the manifest records, that a second build renders nothing, that a damaged file is rendered again
to the same bytes, that retired figures go, and what ``build_assets --check`` says.  Each test renders one or
two cheap figures into a temporary folder, or, where what matters is what the build decides (which figures, in
what order, in how many workers, what it reports), hands them to a stand-in for the drawing code."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import types
from collections.abc import Mapping

import numpy as np
import pytest

from conftest import ROOT
from rmsprop_docs import assets, figures, trajectory

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


# A stand-in for the drawing code, for the tests of what a build decides (which figures, in what order, in how
# many workers, how long each took) rather than what it draws: each figure "renders" in a fixed number of
# seconds of a fake clock, into small files whose hashes the manifest records like a real render's.
TAKES = {CHEAP: 2.5, OTHER: 0.75}


@pytest.fixture
def stand_in(monkeypatch):
    calls: list[str] = []
    pools: list[dict] = []
    clock = [1000.0]

    def render(spec, folder):
        calls.append(spec.name)
        clock[0] += TAKES.get(spec.name, 0.25)
        for output in spec.outputs:
            (folder / output).write_text(f"{spec.name} {output}\n")
        return {"key": assets.figure_key(spec), "files": {o: assets.file_hash(folder / o) for o in spec.outputs}}

    class Pool:
        """Records how it was made and maps in this process, in the order it is handed the figures."""

        def __init__(self, **options):
            pools.append(options)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, function, *arguments):
            return list(map(function, *arguments))

    monkeypatch.setattr(assets, "render", render)
    monkeypatch.setattr(assets, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(assets, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))
    monkeypatch.setattr(assets, "stale_learning", dict)
    return types.SimpleNamespace(calls=calls, pools=pools)


def test_the_slowest_renders_are_handed_out_first_and_ties_keep_the_order_asked(stand_in, tmp_path, monkeypatch):
    # An unrecorded figure counts as 1 s: after one of 1.5 s, before one of 0.5 s.
    seconds = {"schedules": 20.0, CHEAP: 5.0, "eps-placement": 1.5, "cubic-stability": 0.5}
    monkeypatch.setattr(figures, "RENDER_SECONDS", seconds)
    asked = ["cubic-stability", "cubic-rmsprop", "bowl-race", "eps-placement", CHEAP, "schedules"]
    slowest_first = ["schedules", CHEAP, "eps-placement", "cubic-rmsprop", "bowl-race", "cubic-stability"]
    result = assets.build(tmp_path / "one", asked, jobs=1)
    assert stand_in.calls == slowest_first and stand_in.pools == []
    assert list(result.rendered) == asked  # reported in the order asked
    stand_in.calls.clear()
    result = assets.build(tmp_path / "three", asked, jobs=3)
    assert stand_in.calls == slowest_first and len(stand_in.pools) == 1
    assert list(result.rendered) == asked
    assert set(assets.load_manifest(tmp_path / "three")["figures"]) == set(asked)


def _workers(stand_in, tmp_path, names, jobs):
    """How many workers a forced build of ``names`` used: 1 when it rendered here, without a pool."""
    stand_in.pools.clear()
    stand_in.calls.clear()
    assets.build(tmp_path, names, force=True, jobs=jobs)
    assert sorted(stand_in.calls) == sorted(names)
    if not stand_in.pools:
        return 1
    (options,) = stand_in.pools
    return options["max_workers"]


def test_the_workers_are_as_many_as_asked_or_as_cores_but_never_more_than_figures(stand_in, tmp_path, monkeypatch):
    three = [CHEAP, OTHER, "schedules"]
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert _workers(stand_in, tmp_path, three, jobs=None) == 3  # one per core, up to one per figure
    assert _workers(stand_in, tmp_path, [*three, "cubic-stability", "eps-placement"], jobs=None) == 4
    assert _workers(stand_in, tmp_path, three, jobs=2) == 2  # --jobs over the cores
    assert _workers(stand_in, tmp_path, three, jobs=8) == 3
    assert _workers(stand_in, tmp_path, three, jobs=1) == 1
    assert _workers(stand_in, tmp_path, [CHEAP], jobs=None) == 1
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # the count of cores is unknown: one at a time
    assert _workers(stand_in, tmp_path, three, jobs=None) == 1
    assert _workers(stand_in, tmp_path, three, jobs=2) == 2


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="this platform cannot fork")
def test_a_pool_forks_its_workers_where_the_platform_can(stand_in, tmp_path):
    assert _workers(stand_in, tmp_path, [CHEAP, OTHER], jobs=2) == 2
    assert stand_in.pools[0]["mp_context"].get_start_method() == "fork"


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="this platform cannot fork")
def test_workers_are_forked_even_when_the_default_start_method_is_another(monkeypatch):
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method("spawn", force=True)
    try:
        assert assets._fork().get_start_method() == "fork"
    finally:
        multiprocessing.set_start_method(before, force=True)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert assets._fork() is None  # elsewhere, the platform's default


def test_main_reports_each_render_and_the_whole_build_in_seconds_taken(stand_in, tmp_path, capsys):
    folder = tmp_path / "assets"
    assert assets.main([CHEAP, OTHER, "--folder", str(folder), "--jobs", "1"]) == 0
    assert capsys.readouterr().out == (
        f"rendered {CHEAP} in 2.50 s\nrendered {OTHER} in 0.75 s\n2 figure(s) rendered, 0 fresh, in 3.25 s\n"
    )
    assert assets.build(folder, [CHEAP, OTHER], force=True, jobs=1).rendered == {CHEAP: 2.5, OTHER: 0.75}


def test_main_passes_force_and_jobs_on_to_the_build(stand_in, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    folder = tmp_path / "assets"
    assert assets.main([CHEAP, OTHER, "--folder", str(folder), "--jobs", "1"]) == 0
    assert stand_in.pools == []  # --jobs 1 renders here, whatever the cores
    assert assets.main([CHEAP, "--folder", str(folder)]) == 0
    assert capsys.readouterr().out.endswith("0 figure(s) rendered, 1 fresh, in 0.00 s\n")
    stand_in.calls.clear()
    assert assets.main(["--force", CHEAP, OTHER, "--folder", str(folder), "--jobs", "2"]) == 0
    assert sorted(stand_in.calls) == sorted([CHEAP, OTHER])
    assert [options["max_workers"] for options in stand_in.pools] == [2]
    assert capsys.readouterr().out.endswith("2 figure(s) rendered, 0 fresh, in 3.25 s\n")


def test_main_builds_into_docs_assets_of_the_current_folder_by_default(stand_in, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert assets.main([CHEAP, "--jobs", "1"]) == 0
    folder = tmp_path / assets.DEFAULT_FOLDER
    assert set(assets.load_manifest(folder)["figures"]) == {CHEAP}
    assert assets.main([CHEAP, "--check"]) == 0


def test_check_counts_retired_figures_and_stale_learning_results(stand_in, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "assets"
    assets.build(folder, [CHEAP], jobs=1)
    manifest = assets.load_manifest(folder)
    manifest["figures"]["retired"] = {"key": "k", "files": {}}
    assets.write_manifest(folder, manifest)
    assert assets.main([CHEAP, "--check", "--folder", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out == "stale: retired: no longer registered\n1 figure(s) stale; run: python scripts/build_assets.py\n"
    del manifest["figures"]["retired"]
    assets.write_manifest(folder, manifest)
    monkeypatch.setattr(assets, "stale_learning", lambda: {"sgd-run": "its code changed"})
    assert assets.main([CHEAP, "--check", "--folder", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out == (
        "stale: learning result sgd-run: its code changed\n"
        "0 figure(s) and 1 learning result(s) stale; run: python scripts/build_assets.py\n"
    )


def test_manifest_entries_without_file_hashes_are_stale_or_removed(stand_in, tmp_path):
    folder = tmp_path / "assets"
    assets.build(folder, [CHEAP], jobs=1)
    spec = figures.get(CHEAP)
    manifest = assets.load_manifest(folder)
    del manifest["figures"][CHEAP]["files"]
    reasons = assets.stale_reasons(folder, [spec], manifest)
    assert reasons == {CHEAP: f"{spec.outputs[0]} differs from the rendered file"}
    manifest = assets.load_manifest(folder)
    manifest["figures"]["retired"] = {"key": "k"}
    assets.write_manifest(folder, manifest)
    assert assets.build(folder, [CHEAP], jobs=1) == ({}, ["retired"])
    assert set(assets.load_manifest(folder)["figures"]) == {CHEAP}


def test_a_check_reads_the_library_versions_once_not_once_per_figure(stand_in, tmp_path, monkeypatch):
    names = [CHEAP, OTHER, "schedules"]
    folder = tmp_path / "assets"
    assets.build(folder, names, jobs=1)
    reads = []
    real = assets.library_versions
    monkeypatch.setattr(assets, "library_versions", lambda: reads.append(1) or real())
    specs = [figures.get(n) for n in names]
    assert assets.stale_reasons(folder, specs, assets.load_manifest(folder)) == {}
    assert len(reads) == 1  # each read looks through every installed distribution


def _reordered(value):
    """The same mapping (and mappings within it) with its keys in the opposite order."""
    if isinstance(value, Mapping):
        return {key: _reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, (list, tuple)):
        return type(value)(_reordered(item) for item in value)
    return value


def test_a_key_follows_parameters_kind_and_versions_but_not_the_order_they_are_written_in():
    race = figures.get("bowl-race")
    versions = assets.library_versions()
    key = assets.figure_key(race, versions)
    assert assets.figure_key(race) == key
    same = figures.FigureSpec(race.name, race.kind, "other words", _reordered(race.params))
    assert list(same.params) != list(race.params)
    assert list(same.params["runs"][0]) != list(race.params["runs"][0])
    assert assets.figure_key(same, versions) == key  # the alt text is not drawn
    assert assets.figure_key(race, _reordered(versions)) == key
    assert assets.figure_key(race, {**versions, "pillow": "0.0"}) != key
    changed = figures.FigureSpec(race.name, race.kind, race.alt, {**race.params, "fps": 11})
    assert assets.figure_key(changed, versions) != key
    # an animation and a race start from the same modules, and draw the same parameters differently
    assert figures.get("cubic-rmsprop").entry_modules == race.entry_modules
    other_kind = figures.FigureSpec(race.name, "animation", race.alt, race.params)
    assert assets.figure_key(other_kind, versions) != key


def test_help_names_what_each_option_does(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as stopped:
        assets.main(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    usage, description, *sections = out.split("\n\n")
    script = ROOT / "scripts" / "build_assets.py"
    assert script.exists() and usage.startswith(f"usage: {script.stem} [-h] [--check] [--force] [--folder ")
    folder = assets.DEFAULT_FOLDER.as_posix()
    # one sentence, saying where the figures go
    assert description[0].isupper() and description.endswith(".") and folder in description and "stale" in description
    helps = {}
    for line in "\n".join(sections).splitlines():
        if line.startswith("  "):
            option, *text = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            helps[option.split(", ")[-1].split()[0]] = text[0] if text else ""
    assert set(helps) == {"names", "--help", "--check", "--force", "--folder", "--jobs"}
    for option, text in helps.items():
        assert text and text[0].islower() and not text.endswith("."), (option, text)  # argparse's own style
    assert "figures" in helps["names"] and "all registered" in helps["names"]
    assert "render nothing" in helps["--check"] and "exit 1" in helps["--check"] and "stale" in helps["--check"]
    assert "every figure" in helps["--force"]
    assert folder in helps["--folder"]
    assert "parallel" in helps["--jobs"] and "core" in helps["--jobs"]


@pytest.fixture
def drawing(monkeypatch):
    """The animation code's two entry points, recorded; each writes its GIF and still as a few bytes."""
    from rmsprop_docs.render import animation

    calls = []

    def recorder(kind):
        def draw(*args, **options):
            calls.append((kind, args, options))
            for out in (args[-1], options["still"]):
                with open(out, "wb") as file:
                    file.write(f"{kind} {out}".encode())

        return draw

    monkeypatch.setattr(animation, "animate", recorder("animate"))
    monkeypatch.setattr(animation, "animate_race", recorder("animate_race"))
    return calls


def _spec(name, **changes):
    base = figures.get(name)
    return figures.FigureSpec(f"small-{name}", base.kind, base.alt, {**base.params, **changes})


def test_an_animation_is_drawn_with_its_own_frames_rate_style_size_and_limits_and_no_progress_bar(drawing, tmp_path):
    spec = _spec("quadratic-rmsprop", steps=40, frames=7, fps=12, style="post", size=[90, 60], xlim=(-2, 2))
    entry = assets.render(spec, tmp_path)
    ((kind, (path, gif), options),) = drawing
    assert kind == "animate" and gif == str(tmp_path / f"{spec.name}.gif")
    assert np.array_equal(path.points, trajectory.trace_from(spec.params).points) and len(path.points) == 41
    # progress=None would draw a bar whenever stderr is a terminal
    assert options == {
        "still": str(tmp_path / f"{spec.name}.png"),
        "frames": 7,
        "fps": 12,
        "style": "post",
        "size": (90, 60),
        "xlim": (-2, 2),
        "ylim": None,
        "progress": False,
    }
    assert entry == {
        "key": assets.figure_key(spec),
        "files": {name: assets.file_hash(tmp_path / name) for name in spec.outputs},
    }


def test_a_race_is_drawn_from_its_own_start_with_its_own_rate_size_font_and_limits_and_no_progress_bar(
    drawing, tmp_path
):
    spec = _spec("bowl-race", x0=(3.0, 1.5), steps=6, fps=7, font_size=9.5, size=[300, 200], ylim=(-3, 3))
    entry = assets.render(spec, tmp_path)
    ((kind, (paths, labels, gif), options),) = drawing
    assert kind == "animate_race" and gif == str(tmp_path / f"{spec.name}.gif")
    runs = spec.params["runs"]
    assert labels == [run["label"] for run in runs] and len(paths) == len(runs) == 2
    for path, run in zip(paths, runs, strict=True):
        expected = trajectory.trace_run("bowl", (3.0, 1.5), 6, run)
        assert np.array_equal(path.points, expected.points) and path.points[0].tolist() == [3.0, 1.5]
    assert options == {
        "still": str(tmp_path / f"{spec.name}.png"),
        "fps": 7,
        "size": (300, 200),
        "font_size": 9.5,
        "xlim": spec.params["xlim"],
        "ylim": (-3, 3),
        "progress": False,
    }
    assert set(entry["files"]) == set(spec.outputs)


def test_a_plot_named_with_its_module_is_that_modules_function_and_a_bare_name_is_looked_up_in_plots(
    tmp_path, monkeypatch
):
    # Each lookup is given a function the other would not find, so that only the right one draws.
    from rmsprop_docs.render import plots, story

    drawn = []

    def draw(out, **options):
        drawn.append((out.name, options))
        out.write_bytes(b"drawn")

    monkeypatch.setattr(story, "forgetting", draw)  # story.PLOTS keeps the real one
    spec = figures.FigureSpec("small-forgetting", "plot", "alt", {"plot": "story.forgetting", "ages": 3})
    assets.render(spec, tmp_path)
    monkeypatch.setitem(plots.PLOTS, "accumulators", draw)  # plots.accumulators stays the real one
    spec = figures.FigureSpec("small-accumulators", "plot", "alt", {"plot": "accumulators", "steps": 4})
    entry = assets.render(spec, tmp_path)
    assert drawn == [("small-forgetting.png", {"ages": 3}), ("small-accumulators.png", {"steps": 4})]
    assert entry["files"] == {"small-accumulators.png": hashlib.sha256(b"drawn").hexdigest()}
