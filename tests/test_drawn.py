"""What each figure draws: its lines' data against the library's own runs, its titles and labels, and the
committed files rendered again to the byte.

tests/test_assets.py checks that the committed figures are fresh by hashing the code that draws them, so any
edit fails it until a rebuild.  These tests judge the drawing itself, which is what `make mutation` maps the
render, figures and assets modules to (tests/mutation/modules.toml).
"""

import dataclasses
import json
import math

import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.patches import Rectangle
from PIL import Image, ImageSequence

from conftest import ROOT
from rmsprop_docs import assets, figures, problems, stepping, trace
from rmsprop_docs.learning import compare, drift
from rmsprop_docs.optimizers import adagrad, rmsprop, schedule
from rmsprop_docs.render import animate, plots, story, training
from rmsprop_docs.sweep import grid, sweep

ASSETS = ROOT / "docs" / "assets"
MANIFEST = json.loads((ASSETS / "manifest.json").read_text())


def lines(ax, points=None):
    """The axes' lines, without reference lines (axhline's two points) unless ``points`` is None."""
    found = ax.get_lines()
    return found if points is None else [line for line in found if len(line.get_xdata()) == points]


def legend_labels(figure) -> list[str]:
    return [text.get_text() for legend in figure.legends for text in legend.get_texts()]


def same(a, b):
    np.testing.assert_array_equal(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))


# --- Animations ------------------------------------------------------------------------------------------------------


def test_a_gif_at_30_fps_runs_its_frames_in_whole_centiseconds(tmp_path):
    # 200 frames at 30 fps: each frame 3 cs (100 / 30 rounded), 6.0 s in all, also where unchanged frames merge.
    out = tmp_path / "q.gif"
    result = animate(trace("quadratic", [1.0, 0.0], rmsprop(lr=0.01), steps=300), str(out), frames=200, fps=30)
    with Image.open(out) as gif:
        durations = [frame.info["duration"] for frame in ImageSequence.Iterator(gif)]
    assert result.frames == 200 and len(durations) == result.distinct_frames < 200  # some frames merged
    assert sum(durations) == 6000
    assert all(d % 30 == 0 and d > 0 for d in durations)


@pytest.mark.parametrize(("fps", "delay_ms"), [(50, 20), (25, 40), (100, 10), (7, 140), (0.5, 2000)])
def test_each_frame_is_shown_100_over_fps_centiseconds(tmp_path, fps, delay_ms):
    out = tmp_path / "c.gif"
    animate(trace("quadratic", [1.0, 0.0], rmsprop(lr=0.1), steps=30), str(out), frames=12, fps=fps)
    with Image.open(out) as gif:
        durations = [frame.info["duration"] for frame in ImageSequence.Iterator(gif)]
    assert sum(durations) == 12 * delay_ms
    assert all(d % delay_ms == 0 for d in durations)


def _scene(path, style="default", size=(320, 180), **limits_):
    """A scene built and drawn as the renderer draws it: under its style's settings."""
    import matplotlib

    from rmsprop_docs.render import animation, styles

    look = style if not isinstance(style, str) else styles.get(style, size)
    with matplotlib.rc_context(dict(look.rc)):
        scene = animation.build_scene(path, look, **limits_)
        scene.canvas.draw()
    return scene


def _padded(extent, pad):
    return (extent.x0 - pad, extent.y0 - pad, extent.x1 + pad, extent.y1 + pad)


def _gif_frames(out):
    with Image.open(out) as gif:
        loop = gif.info.get("loop")
        frames = [(frame.info["duration"], frame.copy().convert("RGB")) for frame in ImageSequence.Iterator(gif)]
    return loop, frames


def test_a_1d_scene_draws_the_curve_its_minimum_and_the_point_of_each_frame():
    from matplotlib.collections import LineCollection

    from rmsprop_docs.render import styles

    path = trace("cubic", [-0.9], rmsprop(lr=0.02, rho=0.8), steps=30)
    scene = _scene(path)
    (ax,) = scene.figure.axes
    assert ax.get_title() == "RMSprop on cubic: lr = 0.02, ρ = 0.8"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.yaxis.label.get_rotation()) == ("x", "f(x)", 90.0)
    xlim, ylim = path.problem.bounds
    assert ax.get_xlim() == xlim and ax.get_ylim() == ylim
    curve, point = ax.get_lines()
    same(curve.get_xdata(), np.linspace(*xlim, 10000))
    same(curve.get_ydata(), path.problem.f(np.linspace(*xlim, 10000)[:, None]))
    assert curve.get_color() == styles.CURVE and not curve.get_animated()
    (minimum,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    f_min = float(path.problem.f(np.array(path.problem.minimum)))
    same(minimum.get_segments()[0], [[xlim[0], f_min], [xlim[1], f_min]])
    assert minimum.get_linestyle()[0][1] is not None and minimum.get_alpha() == 0.5  # dashed
    assert ax.xaxis.get_gridlines()[0].get_visible() and ax.xaxis.get_gridlines()[0].get_alpha() == 1.0
    assert point.get_marker() == "o" and point.get_animated() and point.get_color() == styles.POINT
    assert point.get_markersize() == 40**0.5 and point.get_zorder() == 3
    renderer = scene.canvas.get_renderer()
    for i in (0, 7, 30):
        assert scene.draw_frame(i) == scene.boxes(i)
        same(point.get_xydata(), [[path.points[i, 0], path.problem.f(path.points[i : i + 1])[0]]])
        # The box is the marker's extent and 3 pixels more, so a restore leaves none of it behind.
        (box,) = scene.boxes(i)
        np.testing.assert_allclose(box, _padded(point.get_window_extent(renderer), 3), rtol=1e-12)
    scene.draw_final(12)  # the visited points are drawn and taken away again: the scene stays as it was
    assert ax.get_lines() == [curve, point]
    same(point.get_xydata(), [[path.points[12, 0], path.problem.f(path.points[12:13])[0]]])


def test_the_posts_style_titles_with_the_learning_rate_only_and_keeps_matplotlibs_colours():
    import matplotlib

    from rmsprop_docs.render import styles

    path = trace("cubic", [-1.0], rmsprop(lr=0.03), steps=10)
    scene = _scene(path, "post", size=(480, 270), xlim=(-2.0, 1.0), ylim=(-1.0, 3.0))
    (ax,) = scene.figure.axes
    assert ax.get_title() == "RMSprop, learning_rate = 0.03"
    assert (ax.get_ylabel(), ax.yaxis.label.get_rotation()) == (styles.POST.value_label, 0.0)
    assert ax.get_xlim() == (-2.0, 1.0) and ax.get_ylim() == (-1.0, 3.0)
    curve, point = ax.get_lines()
    same(curve.get_xdata()[[0, -1]], [-2.0, 1.0])
    assert curve.get_color() == matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0]
    assert point.get_color() == "red" and ax.xaxis.get_gridlines()[0].get_alpha() == 0.5
    assert (ax.get_position().x0, scene.figure.get_size_inches().tolist()) == (0.125, [4.8, 2.7])  # no tight layout


def test_the_point_is_edged_with_the_patch_line_width_as_the_posts_scatter_point():
    import matplotlib

    path = trace("cubic", [-1.0], rmsprop(lr=0.03), steps=3)
    with matplotlib.rc_context({"patch.linewidth": 2.5, "lines.markeredgewidth": 0.5}):
        scene = _scene(path)
    assert scene.figure.axes[0].get_lines()[1].get_markeredgewidth() == 2.5


def test_a_2d_scene_draws_contours_start_minimum_and_the_trail_so_far():
    from rmsprop_docs.render import styles

    path = trace("quadratic", [1.0, 0.5], rmsprop(lr=0.05, rho=0.7, convention="keras"), steps=20)
    scene = _scene(path, size=(320, 320))
    (ax,) = scene.figure.axes
    assert ax.get_title() == "RMSprop on quadratic: lr = 0.05, ρ = 0.7, keras"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.yaxis.label.get_rotation()) == ("x", "y", 0.0)
    assert ax.get_xlim() == path.problem.bounds[0] and ax.get_ylim() == path.problem.bounds[1]
    assert ax.get_aspect() == 1.0 and ax.get_adjustable() == "box"
    filled, lines_ = ax.collections[:2]
    assert filled.get_alpha() == 0.45 and filled.get_cmap().name == "Blues_r"
    assert lines_.get_alpha() == 0.8 and lines_.get_linewidths()[0] == 0.5
    start, minimum, trail, point = ax.get_lines()
    same(start.get_xydata(), [path.points[0]])
    assert (start.get_marker(), start.get_markersize(), start.get_markeredgecolor()) == ("o", 6, styles.START)
    same(minimum.get_xydata(), [path.problem.minimum])
    assert (minimum.get_marker(), minimum.get_markersize(), minimum.get_color()) == ("*", 11, styles.MINIMUM)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["start", "minimum"]
    legend, frame = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert frame.x1 - 15 < legend.x1 < frame.x1 and frame.y1 - 15 < legend.y1 < frame.y1  # in the upper right corner
    assert trail.get_animated() and point.get_animated() and trail.get_color() == styles.PATH
    assert (trail.get_linewidth(), point.get_markersize()) == (1.4, 6.5)
    renderer = scene.canvas.get_renderer()
    for i in (0, 1, 9, 20):
        boxes = scene.draw_frame(i)
        assert boxes == scene.boxes(i) and len(boxes) == (1 if i == 0 else 2)
        same(trail.get_xydata(), path.points[: i + 1])
        same(point.get_xydata(), path.points[i : i + 1])
        np.testing.assert_allclose(boxes[0], _padded(point.get_window_extent(renderer), 4), rtol=1e-12)
        if i:  # the newest segment, wide as the line and 3 pixels more
            segment = ax.transData.transform(path.points[i - 1 : i + 1])
            low, high = segment.min(axis=0), segment.max(axis=0)
            pad = trail.get_linewidth() * scene.figure.dpi / 72 + 3
            np.testing.assert_allclose(boxes[1], (*(low - pad), *(high + pad)), rtol=1e-12)
    scene.draw_final(4)
    same(trail.get_xydata(), path.points[:5])


def test_a_title_names_the_convention_unless_it_is_pytorchs_the_default():
    from rmsprop_docs.render import animation, styles

    path = trace("quadratic", [1.0, 0.0], rmsprop(lr=0.2, rho=0.95), steps=2)
    assert animation._title(path, styles.DEFAULT) == "RMSprop on quadratic: lr = 0.2, ρ = 0.95"
    unnamed = dataclasses.replace(path, hyperparameters={"lr": 0.2, "rho": 0.95})
    assert animation._title(unnamed, styles.DEFAULT) == "RMSprop on quadratic: lr = 0.2, ρ = 0.95"
    assert animation._title(unnamed, styles.POST) == "RMSprop, learning_rate = 0.2"


def test_an_animation_has_at_most_as_many_frames_as_its_run_has_points(tmp_path):
    path = trace("cubic", [-1.0], steps=5)
    with pytest.raises(ValueError, match=r"^frames must be a whole number in \[1, 6\]"):
        animate(path, str(tmp_path / "a.gif"), frames=7, size=(160, 120))
    assert animate(path, str(tmp_path / "a.gif"), frames=6, size=(160, 120)).frames == 6


def test_only_problems_of_one_or_two_coordinates_are_animated():
    from rmsprop_docs.render import animation, styles

    path = trace("quadratic", [1.0, 0.0], steps=2)
    flat = dataclasses.replace(path, problem=dataclasses.replace(path.problem, dim=3))
    with pytest.raises(ValueError, match=r"^problem must have 1 or 2 coordinates to animate, got 3$"):
        animation.build_scene(flat, styles.DEFAULT)


def test_a_gif_loops_forever_and_its_result_is_what_was_written(tmp_path):
    out, still = tmp_path / "q.gif", tmp_path / "q.png"
    path = trace("quadratic", [1.0, 0.5], rmsprop(lr=0.1), steps=30)
    result = animate(path, str(out), still=str(still), frames=15, fps=20, size=(240, 160), progress=False)
    loop, frames = _gif_frames(out)
    durations = [d for d, _ in frames]
    assert loop == 0 and sum(durations) == 15 * 50 and all(d % 50 == 0 for d in durations)
    assert (result.path, result.frames, result.distinct_frames) == (str(out), 15, len(frames))
    assert 5 < len(frames) < 15  # the last steps move the point less than a pixel: those frames merge
    assert result.size == (240, 160) == frames[0][1].size and result.bytes == out.stat().st_size
    with Image.open(still) as png:
        # The still of a 2-D run is the last frame, in the GIF's palette, and records its smallest text.
        assert png.mode == "P" and png.size == (240, 160) and float(png.text[styles_key()]) > 0
        assert np.array_equal(np.asarray(png.convert("RGB")), np.asarray(frames[-1][1]))
    with Image.open(out) as gif:
        first = np.asarray(gif.convert("RGB"))
    assert not np.array_equal(first, np.asarray(frames[-1][1]))  # the point moved


def styles_key():
    from rmsprop_docs.render import styles

    return styles.SMALLEST_TEXT_KEY


def test_a_1d_still_shows_every_visited_point(tmp_path):
    path = trace("cubic", [-1.0], rmsprop(lr=0.05), steps=40)
    animate(path, str(tmp_path / "c.gif"), still=str(tmp_path / "c.png"), frames=30, size=(240, 160))
    _, frames = _gif_frames(tmp_path / "c.gif")
    with Image.open(tmp_path / "c.png") as png:
        still = np.asarray(png.convert("RGB"))
    last = np.asarray(frames[-1][1])
    assert still.shape == last.shape and (still != last).any(axis=-1).sum() > 20  # the trail of visited points


def test_a_frame_longer_than_a_gif_delay_holds_is_split(tmp_path):
    # 0.001 fps: 1000 s a frame, more than the 655.35 s one delay field holds.
    out = tmp_path / "slow.gif"
    path = trace("quadratic", [1.0, 0.5], rmsprop(lr=0.1), steps=5)
    result = animate(path, str(out), frames=2, fps=0.001, size=(160, 120))
    _, frames = _gif_frames(out)
    assert [d for d, _ in frames] == [655350, 344650, 655350, 344650]
    assert result.distinct_frames == 2
    with Image.open(out) as gif:  # the first frame is whole, a wait is one pixel at the frame's corner
        extents = [gif.dispose_extent for _ in ImageSequence.Iterator(gif)]
    (left, top, right, bottom) = extents[2]
    assert extents[:2] == [(0, 0, 160, 120), (0, 0, 1, 1)] and extents[3] == (left, top, left + 1, top + 1)
    assert right - left < 160 and bottom - top < 120  # the second frame is the rectangle that changed
    # 65536 cs: the longest delay a frame holds, then one centisecond more.
    animate(path, str(out), frames=2, fps=100 / 65536, size=(160, 120))
    assert [d for d, _ in _gif_frames(out)[1]] == [655350, 10, 655350, 10]
    assert np.array_equal(np.asarray(frames[0][1]), np.asarray(frames[1][1]))  # the wait shows the same picture
    assert not np.array_equal(np.asarray(frames[1][1]), np.asarray(frames[2][1]))


def test_identical_neighbouring_frames_become_one_longer_frame(tmp_path):
    out = tmp_path / "still.gif"
    path = trace("parabola", [0.0], steps=6)  # starts on the minimum, where the gradient is 0: nothing moves
    result = animate(path, str(out), frames=5, fps=10, size=(160, 120))
    _, frames = _gif_frames(out)
    assert [d for d, _ in frames] == [500] and result.distinct_frames == 1 and result.frames == 5
    path = trace("parabola", [0.0], steps=12)
    animate(path, str(out), frames=12, fps=100, size=(160, 120))  # 10 ms a frame, also at the fastest rate
    assert [d for d, _ in _gif_frames(out)[1]] == [120]


def test_the_palette_counts_the_first_and_last_frames_each_drawn_over_the_background(tmp_path, monkeypatch):
    from rmsprop_docs.render import animation

    counted, count = [], animation._count_colours
    monkeypatch.setattr(
        animation, "_count_colours", lambda rgba, counts: counted.append(rgba.copy()) or count(rgba, counts)
    )
    animate(trace("cubic", [-1.0], steps=3), str(tmp_path / "one.gif"), frames=1, size=(160, 120))
    background, first, last = counted  # one frame: first and last, the same pixels, not drawn over each other
    assert first.shape[:2] != background.shape[:2] and np.array_equal(first, last)


def test_progress_shows_by_default_where_stderr_is_a_terminal(tmp_path, monkeypatch):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    animate(trace("cubic", [-1.0], steps=5), str(tmp_path / "t.gif"), frames=5, size=(160, 120))
    assert sys.stderr.getvalue() == "\rrendering frame 5/5\n"


def test_progress_is_written_every_five_frames_and_at_the_end(tmp_path, capsys):
    path = trace("cubic", [-1.0], steps=20)
    animate(path, str(tmp_path / "a.gif"), frames=14, size=(160, 120), progress=True)
    assert capsys.readouterr().err == "".join(f"\rrendering frame {n}/14" for n in (5, 10, 14)) + "\n"
    animate(path, str(tmp_path / "b.gif"), frames=12, size=(160, 120), progress=False)
    animate(path, str(tmp_path / "c.gif"), frames=12, size=(160, 120))  # stderr is not a terminal here
    assert capsys.readouterr().err == ""


def test_a_style_may_be_given_as_a_style_at_another_size(tmp_path):
    from rmsprop_docs.render import styles

    path = trace("cubic", [-1.0], steps=10)
    by_name = animate(path, str(tmp_path / "a.gif"), frames=5, style="post", size=(200, 120))
    given = animate(path, str(tmp_path / "b.gif"), frames=5, style=styles.POST, size=(200, 120))
    assert by_name.size == given.size == (200, 120)
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()


def _race_runs(steps=12):
    from rmsprop_docs.optimizers import gradient_descent

    return [trace("bowl", None, opt, steps=steps) for opt in (gradient_descent(lr=0.4), rmsprop(lr=0.4))]


def test_a_race_draws_each_run_in_its_colour_under_a_legend_above_the_axes():
    import matplotlib

    from rmsprop_docs.render import animation, styles

    runs = _race_runs()
    look = dataclasses.replace(styles.DEFAULT, size=(360, 240), dpi=100)
    with matplotlib.rc_context(dict(look.rc)):
        scene = animation._scene_race(runs, ["GD", "RMSprop"], look, (-6.0, 1.0), (-3.0, 3.0))
        scene.canvas.draw()
    (ax,) = scene.figure.axes
    assert ax.get_xlim() == (-6.0, 1.0) and ax.get_ylim() == (-3.0, 3.0) and ax.get_aspect() == 1.0
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y") and ax.get_legend() is None
    assert legend_labels(scene.figure) == ["GD", "RMSprop"]
    assert scene.figure.legends[0]._ncols == 2
    assert ax.get_position().y1 < 0.88  # the legend's band above the axes is kept free
    start, minimum, *moving = ax.get_lines()
    same(start.get_xydata(), [runs[0].points[0]])
    same(minimum.get_xydata(), [runs[0].problem.minimum])
    assert [line.get_color() for line in moving] == [styles.CURVE] * 2 + [styles.PATH] * 2
    assert all(line.get_animated() for line in moving)
    renderer = scene.canvas.get_renderer()
    for i in (0, 1, 5, 12):
        boxes = scene.draw_frame(i)
        assert boxes == scene.boxes(i) and len(boxes) == (2 if i == 0 else 4)
        for k, (run, (trail, point)) in enumerate(zip(runs, [moving[:2], moving[2:]], strict=True)):
            same(trail.get_xydata(), run.points[: i + 1])
            same(point.get_xydata(), run.points[i : i + 1])
            marker = boxes[2 * k] if i else boxes[k]
            np.testing.assert_allclose(marker, _padded(point.get_window_extent(renderer), 4), rtol=1e-12)
            if i:  # the newest segment, wide as the line and 3 pixels more
                segment = ax.transData.transform(run.points[i - 1 : i + 1])
                pad = trail.get_linewidth() * look.dpi / 72 + 3
                low, high = segment.min(axis=0), segment.max(axis=0)
                np.testing.assert_allclose(boxes[2 * k + 1], (*(low - pad), *(high + pad)), rtol=1e-12)


def test_a_race_takes_runs_of_one_2d_problem_from_one_start(tmp_path):
    from rmsprop_docs.render import animate_race

    runs, out = _race_runs(), str(tmp_path / "r.gif")
    sizes = r"^paths and labels must be two lists of the same length, 1 to 4, got "
    with pytest.raises(ValueError, match=sizes + "2 paths and 1 labels$"):
        animate_race(runs, ["a"], out)
    with pytest.raises(ValueError, match=sizes + "0 paths and 0 labels$"):
        animate_race([], [], out)
    with pytest.raises(ValueError, match=sizes + "5 paths and 5 labels$"):
        animate_race(runs * 2 + runs[:1], list("abcde"), out)
    one_start = r"^paths must be runs on one 2-D problem from one start$"
    with pytest.raises(ValueError, match=one_start):
        animate_race([runs[0], trace("bowl", [-4.0, -2.0], steps=12)], ["a", "b"], out)
    with pytest.raises(ValueError, match=one_start):
        animate_race([runs[0], trace("elongated", [-5.0, -2.0], steps=12)], ["a", "b"], out)
    with pytest.raises(ValueError, match=one_start):
        animate_race([trace("cubic", [-1.0], steps=5)], ["a"], out)
    result = animate_race(runs + runs[:2], list("abcd"), out, size=(300, 200), frames=4, fps=25)
    _, frames = _gif_frames(out)
    assert result.frames == 4 and [d for d, _ in frames] == [40] * 4 and frames[0][1].size == (300, 200)


def test_a_race_runs_as_many_frames_as_its_shortest_run_and_in_its_given_window(tmp_path):
    from rmsprop_docs.render import animate_race

    runs = [_race_runs(12)[0], _race_runs(8)[1]]
    result = animate_race(runs, ["a", "b"], str(tmp_path / "a.gif"), size=(300, 200))
    assert result.frames == 9
    bounds = runs[0].problem.bounds
    animate_race(runs, ["a", "b"], str(tmp_path / "b.gif"), size=(300, 200), xlim=bounds[0], ylim=bounds[1])
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()
    animate_race(runs, ["a", "b"], str(tmp_path / "c.gif"), size=(300, 200), xlim=(-6.0, 2.0))
    animate_race(runs, ["a", "b"], str(tmp_path / "d.gif"), size=(300, 200), ylim=(-3.0, 3.0))
    animate_race(runs, ["a", "b"], str(tmp_path / "e.gif"), size=(300, 200), font_size=8.0)
    sizes = {(tmp_path / f"{n}.gif").read_bytes() for n in "acde"}
    assert len(sizes) == 4
    # By default 10 frames a second, with 14-point text.
    animate_race(runs, ["a", "b"], str(tmp_path / "f.gif"), size=(300, 200), fps=10, font_size=14.0)
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "f.gif").read_bytes()
    _, frames = _gif_frames(tmp_path / "a.gif")
    assert sum(d for d, _ in frames) == 9 * 100 and all(d % 100 == 0 for d, _ in frames)


def test_a_race_shows_its_progress_when_asked(tmp_path, capsys):
    from rmsprop_docs.render import animate_race

    animate_race(_race_runs(5), ["a", "b"], str(tmp_path / "r.gif"), size=(300, 200), progress=True)
    assert capsys.readouterr().err == "\rrendering frame 5/6\rrendering frame 6/6\n"


def test_an_animation_shows_200_frames_at_50_a_second_by_default(tmp_path):
    path = trace("quadratic", [1.0, 0.5], rmsprop(lr=0.1), steps=250)
    result = animate(path, str(tmp_path / "d.gif"), size=(160, 120))
    _, frames = _gif_frames(tmp_path / "d.gif")
    assert result.frames == 200 and sum(d for d, _ in frames) == 200 * 20


def test_a_box_becomes_the_buffer_cells_it_touches_rows_counted_from_the_top():
    from rmsprop_docs.render.animation import _cells, _region, _union

    # Columns floor(x0) up to ceil(x1) and one more; rows from the top: 100 - ceil(40.1) - 1 up to 100 - floor(20.7).
    assert _cells((10.2, 20.7, 30.5, 40.1), 100, 200) == (58, 80, 10, 32)
    assert _cells((-5.0, -3.0, 250.0, 130.0), 100, 200) == (0, 100, 0, 200)  # clipped to the canvas
    assert _cells((0.5, 0.5, 1.5, 1.5), 100, 200) == (97, 100, 0, 3)
    assert _cells((198.5, 98.5, 199.5, 99.5), 100, 200) == (0, 2, 198, 200)
    for outside in [(200.0, 10.0, 210.0, 20.0), (-20.0, 10.0, -10.0, 20.0), (10.0, 100.0, 20.0, 105.0)]:
        assert _cells(outside, 100, 200) is None
    assert _cells((10.0, -30.0, 20.0, -20.0), 100, 200) is None
    assert _union(None, None) is None and _union(None, (1, 2, 3, 4)) == (1, 2, 3, 4) == _union((1, 2, 3, 4), None)
    assert _union((5, 9, 1, 4), (2, 6, 3, 8)) == (2, 9, 1, 8)
    assert _region([], 100, 200) is None and _region([(300.0, 0.0, 310.0, 5.0)], 100, 200) is None
    boxes = [(10.2, 20.7, 30.5, 40.1), (300.0, 0.0, 310.0, 5.0), (0.5, 0.5, 1.5, 1.5)]
    assert _region(boxes, 100, 200) == (58, 100, 0, 32)


def test_colours_are_counted_band_by_band_and_keyed_by_their_rgb():
    from rmsprop_docs.render.animation import _count_colours, _keys, _unpack

    rgba = np.zeros((5, 3, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    rgba[1, 2, :3] = (1, 2, 3)
    rgba[4, :, :3] = (250, 0, 7)
    keys = _keys(rgba)
    assert keys.shape == (5, 3) and keys[1, 2] == 0x030201 and keys[4, 0] == 0x0700FA and keys[0, 0] == 0
    assert _unpack(np.array([0x030201, 0x0700FA], dtype=np.uint32)).tolist() == [[1, 2, 3], [250, 0, 7]]
    counts = {0x030201: 10}
    _count_colours(rgba, counts, band=2)  # three bands of rows, the last one short
    assert counts == {0: 11, 0x030201: 11, 0x0700FA: 3}
    _count_colours(rgba, counts)
    assert counts == {0: 22, 0x030201: 12, 0x0700FA: 6}


def test_each_colour_goes_to_its_nearest_entry_the_lowest_on_a_tie():
    from rmsprop_docs.render.animation import _nearest

    entries = np.array([[0, 0, 0], [10, 10, 10], [0, 0, 0], [255, 255, 255]], dtype=np.uint8)
    rgb = np.array([[1, 1, 1], [5, 5, 5], [6, 5, 5], [200, 200, 200], [0, 0, 0]], dtype=np.uint8)
    assert _nearest(rgb, entries).tolist() == [0, 0, 1, 3, 0]  # (5, 5, 5) is as near 0 as 10: the lower index
    many = np.random.default_rng(0).integers(0, 256, (5000, 3), dtype=np.uint8)  # more than one chunk of 4096
    distance = ((many[:, None, :].astype(int) - entries[None].astype(int)) ** 2).sum(axis=-1)
    assert np.array_equal(_nearest(many, entries), distance.argmin(axis=1))


def test_a_palette_keeps_few_colours_exactly_and_gives_many_their_commonest_colours():
    from rmsprop_docs.render.animation import _keys, _Palette

    few = _Palette({0x0000FF: 5, 0x00FF00: 1}, 4)
    assert few.entries.tolist() == [[255, 0, 0], [0, 255, 0], [255, 0, 0], [255, 0, 0]]  # sorted by key, padded
    assert few.rgb == few.entries.tobytes()
    exact = _Palette({0x0000FF: 5, 0x00FF00: 1, 0xFF0000: 2, 0x000001: 9}, 4)  # as many colours as entries
    assert exact.entries.tolist() == [[1, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255]]
    rgba = np.full((300, 2, 4), 255, dtype=np.uint8)  # more rows than a band
    rgba[:, 0, :3] = (255, 0, 0)
    rgba[299, 1, :3] = (250, 5, 0)  # a colour not in the palette: the nearest entry's index
    rgba[0, 1, :3] = (0, 250, 0)
    indices = few.indices(rgba)
    assert indices.dtype == np.uint8 and indices.shape == (300, 2)
    assert (indices[:, 0] == 0).all() and indices[299, 1] == 0 and indices[0, 1] == 1 and indices[1, 1] == 0
    assert few.indices(rgba).tolist() == indices.tolist()  # looked up the second time, the same
    # Many colours: a median cut to 4 entries, each then the commonest colour it stands for.
    rng = np.random.default_rng(1)
    image = np.full((40, 40, 4), 255, dtype=np.uint8)
    image[:, :, :3] = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
    image[:20, :, :3] = (255, 255, 255)  # the card, commonest by far
    image[20:30, :, :3] = (0, 114, 178)  # the curve's colour
    counts = {}
    keys, found = np.unique(_keys(image), return_counts=True)
    counts = dict(zip(keys.tolist(), found.tolist(), strict=True))
    many = _Palette(counts, 4)
    entries = [tuple(e) for e in many.entries.tolist()]
    assert len(entries) == 4 and (255, 255, 255) in entries and (0, 114, 178) in entries
    occurring = {tuple(c) for c in image[..., :3].reshape(-1, 3).tolist()}
    assert set(entries) <= occurring


def test_the_rectangle_that_changed_between_two_frames():
    from rmsprop_docs.render.animation import _changed

    old = np.zeros((6, 8), dtype=np.uint8)
    assert _changed(old, old.copy()) is None
    new = old.copy()
    new[2, 3] = new[4, 6] = 1
    assert _changed(old, new) == (2, 5, 3, 7)
    new[0, 0] = 2
    assert _changed(old, new) == (0, 5, 0, 7)


def test_a_gif_s_colour_table_is_a_power_of_two_and_it_loops_forever(tmp_path):
    import io

    from rmsprop_docs.render.animation import _GifWriter

    stream = io.BytesIO()
    palette = bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9, 1, 2, 3])  # 5 colours: a table of 8
    gif = _GifWriter(stream, (4, 3), palette)
    gif.frame(np.array([[0, 1, 2, 3]] * 3, dtype=np.uint8), 0, 0, 120)
    gif.frame(np.array([[4]], dtype=np.uint8), 2, 1, 30)
    gif.close()
    data = stream.getvalue()
    assert data[:6] == b"GIF89a" and data.endswith(b";") and gif.frames == 2
    assert data[6:10] == bytes([4, 0, 3, 0]) and data[10] == 0x80 | 2 and data[13 : 13 + 15] == palette
    assert data[13 + 15 : 13 + 24] == bytes(9)
    (tmp_path / "w.gif").write_bytes(data)
    with Image.open(tmp_path / "w.gif") as image:
        assert image.info["loop"] == 0 and image.size == (4, 3)
        assert image.getpalette()[:15] == list(palette)
        frames = [(f.info["duration"], np.asarray(f.convert("RGB")).copy()) for f in ImageSequence.Iterator(image)]
    assert [d for d, _ in frames] == [120, 30]
    assert frames[0][1][0].tolist() == [[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 9, 9]]
    assert frames[1][1][1, 2].tolist() == [1, 2, 3] and frames[1][1][1, 1].tolist() == [0, 255, 0]
    one = io.BytesIO()
    _GifWriter(one, (1, 1), bytes([7, 7, 7]))  # one colour: still a table of two
    assert one.getvalue()[10] == 0x80 and one.getvalue()[13:19] == bytes([7, 7, 7, 0, 0, 0])


# --- Static figures: story ------------------------------------------------------------------------------------------

# Not the registry's start and lr (-1, 0.01, the post's): a figure that ignored them would still pass.
STABILITY = dict(problem="cubic", x0=(-0.9,), steps=150, lr=0.02, curvature=2 * 3**0.5, tail=12, size=(700, 1000))


def test_stability_draws_three_arithmetics_in_three_panels():
    # Each test draws its own figure: mutmut maps a test to the functions it calls, and a shared fixture would
    # be drawn by the first test only.
    stability = story.stability_figure(**STABILITY)
    near, gain, cycle = stability.axes[:3]
    assert [ax.get_title() for ax in (near, gain, cycle)] == [
        "Distance to the minimum",
        "Gain η·h/√v (unstable above 2)",
        "Last 12 steps: x − x*",
    ]
    assert [ax.get_xlabel() for ax in (near, gain, cycle)] == ["step"] * 3
    assert near.get_yscale() == gain.get_yscale() == "log" and cycle.get_yscale() == "linear"
    assert gain.get_ylim() == (1e-2, 1e6)
    assert legend_labels(stability) == ["float32", "float64", "50 digits"]
    assert near.title.get_fontsize() == 11 and near.xaxis.label.get_fontsize() == 10  # drawn in PLOT_RC


def test_stability_gain_is_lr_times_curvature_over_root_v_at_steps_1_to_n():
    stability = story.stability_figure(**STABILITY)
    steps, lr, h = STABILITY["steps"], STABILITY["lr"], STABILITY["curvature"]
    gain = stability.axes[1]
    drawn = lines(gain, steps)
    assert len(drawn) == 3
    (reference,) = [line for line in lines(gain) if line not in drawn]
    assert list(reference.get_ydata()) == [2, 2]
    for line, (_, options) in zip(drawn, story.RUNS, strict=True):
        path = trace("cubic", [-0.9], rmsprop(lr=lr), steps, **options)
        v = np.array([float(a) for a in path.accumulators[:, 0]])
        same(line.get_xdata(), np.arange(1, steps + 1))
        np.testing.assert_allclose(line.get_ydata(), lr * h / np.sqrt(v), rtol=1e-15, atol=0)


def test_stability_distance_and_cycle_are_the_runs():
    stability = story.stability_figure(**STABILITY)
    steps, tail = STABILITY["steps"], STABILITY["tail"]
    near, _, cycle = stability.axes[:3]
    distance_lines = [line for line in lines(near, steps + 1)]
    cycle_lines = lines(cycle, tail)
    assert [line.get_label() for line in distance_lines] == ["float32", "float64", "50 digits"]
    for (_, options), far, last in zip(story.RUNS, distance_lines, cycle_lines, strict=True):
        path = trace("cubic", [-0.9], rmsprop(lr=STABILITY["lr"]), steps, **options)
        distance = np.array([float(d) for d in path.distances])
        same(far.get_ydata(), np.where(distance == 0, np.nan, distance))
        same(last.get_xdata(), np.arange(steps + 1 - tail, steps + 1))
        offsets = np.array([float(x) for x in path.points[-tail:, 0]]) - problems.get("cubic").minimum[0]
        same(last.get_ydata(), offsets)
        assert far.get_linewidth() == (4.0 if options.get("digits") else 1.3)


def test_stability_marks_where_float64_lands_on_the_minimum():
    # The quadratic's float32 run lands on (2, -1) exactly: a marker one step before and a note say so.
    params = {**STABILITY, "problem": "quadratic", "x0": (1.0, 0.0), "curvature": 6.0, "steps": 200, "lr": 0.01}
    figure = story.stability_figure(**params)
    near = figure.axes[0]
    path = trace("quadratic", [1.0, 0.0], rmsprop(lr=0.01), 200, dtype="float32")
    landed = int(np.flatnonzero(path.distances == 0)[0])
    markers = [line for line in lines(near) if line.get_marker() == "v"]
    assert len(markers) == 1
    same(markers[0].get_xdata(), [landed - 1])
    same(markers[0].get_ydata(), [path.distances[landed - 1]])
    notes = [t.get_text() for t in near.texts]
    assert notes == [f"float32: gradient rounds to 0\nat step {landed}; it stays"]


def test_schedules_draw_the_distance_of_each_schedule():
    plans = ({"kind": "step", "gamma": 0.5, "every": 30}, {"kind": "cosine", "horizon": 100})
    figure = story.schedules_figure(
        problem="quadratic", x0=(1.0, 0.0), steps=100, lr=0.02, plans=plans, size=(700, 440)
    )
    (ax,) = figure.axes
    assert ax.get_title() == "Distance to the minimum, lr starting at 0.02" and ax.get_xlabel() == "step"
    assert legend_labels(figure) == ["constant", "step", "cosine"]
    assert ax.title.get_fontsize() == 11  # drawn in PLOT_RC
    rates = [0.02, schedule(lr=0.02, **plans[0]), schedule(lr=0.02, **plans[1])]
    for line, rate in zip(lines(ax), rates, strict=True):
        distance = trace("quadratic", [1.0, 0.0], rmsprop(lr=rate), 100).distances
        np.testing.assert_allclose(line.get_ydata(), np.where(distance == 0, np.nan, distance), rtol=1e-15)
        same(line.get_xdata(), np.arange(101))


def test_forgetting_bars_are_the_weights_of_old_squared_gradients():
    figure = story.forgetting_figure(rhos=(0.5, 0.9), ages=6, size=(700, 400))
    (ax,) = figure.axes
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 12
    width = 0.8 / 2
    for i, rho in enumerate((0.5, 0.9)):
        mine = bars[6 * i : 6 * i + 6]
        np.testing.assert_allclose([b.get_height() for b in mine], [(1 - rho) * rho**k for k in range(6)], rtol=1e-15)
        centres = [b.get_x() + b.get_width() / 2 for b in mine]
        np.testing.assert_allclose(centres, np.arange(6) + (i - 0.5) * width, rtol=0, atol=1e-15)
        assert all(b.get_width() == pytest.approx(width) for b in mine)
    assert legend_labels(figure) == ["ρ = 0.5", "ρ = 0.9"]
    assert ax.get_xlim() == (-1, 6)
    assert ax.title.get_fontsize() == 11  # drawn in PLOT_RC
    assert ax.get_title() == "Weight of g² from k steps ago: (1 − ρ) ρᵏ"
    assert ax.get_xlabel() == "age k of the squared gradient (steps)" and ax.get_ylabel() == "weight in v"


def test_variant_effects_draws_momentum_centered_and_weight_decay():
    variants = story.variant_effects_figure(lr=0.02, steps=50, weight_decay=1.0, size=(700, 1300))
    assert [ax.title.get_fontsize() for ax in variants.axes[:3]] == [11] * 3  # drawn in PLOT_RC
    _variant_momentum(variants)
    _variant_centered(variants)
    _variant_weight_decay(variants)


def _variant_momentum(variants):
    mom = variants.axes[0]
    assert mom.get_title() == "Momentum 0.9"
    drawn = lines(mom, 51)
    assert [line.get_label() for line in drawn] == ["plain", "momentum 0.9"]
    for line, options in zip(drawn, ({}, {"momentum": 0.9}), strict=True):
        points = trace("elongated", [-2.0, 1.0], rmsprop(lr=0.02, **options), 50).points
        same(line.get_xdata(), points[:, 0])
        same(line.get_ydata(), points[:, 1])


def _variant_centered(variants):
    cen = variants.axes[1]
    assert cen.get_title() == "Centered: steps under g = 1" and cen.get_ylim() == (5e-3, 1e7)
    drawn = lines(cen, 400)
    assert [line.get_label() for line in drawn] == ["centered, eps outside (PyTorch)", "centered, eps inside (Keras)"]
    for line, convention in zip(drawn, ("pytorch", "keras"), strict=True):
        opt = rmsprop(lr=0.02, centered=True, convention=convention)
        x, state, sizes = np.zeros(1), opt.init(np.zeros(1)), []
        for _ in range(400):
            delta, state = opt.update(np.ones(1), state, x)
            sizes.append(abs(delta[0]))
        same(line.get_xdata(), np.arange(1, 401))
        same(line.get_ydata(), sizes)
    (plain,) = [line for line in lines(cen) if line.get_label() == "plain: η"]
    assert list(plain.get_ydata()) == [0.02, 0.02]


def _variant_weight_decay(variants):
    wd = variants.axes[2]
    assert wd.get_title() == "Weight decay 1: resting points"
    paths = lines(wd, 20001)
    assert [line.get_label() for line in paths] == ["coupled (L2, PyTorch)", "decoupled (Keras)"]
    decaying = schedule("inverse_sqrt", 0.02, every=100)
    ends = [line for line in lines(wd, 1) if line.get_marker() == "o"]
    for line, end, convention in zip(paths, ends, ("pytorch", "keras"), strict=True):
        points = story._points(
            "quadratic", (1.0, 0.0), rmsprop(lr=decaying, weight_decay=1.0, convention=convention), 20000
        )
        same(line.get_xdata(), points[:, 0])
        same(line.get_ydata(), points[:, 1])
        same([end.get_xdata()[0], end.get_ydata()[0]], points[-1])
    np.testing.assert_allclose(ends[1].get_xydata()[0], [1.0, -0.5], atol=0.02)  # decoupled: (1, -0.5)


def test_story_points_checks_the_start_under_its_name():
    with pytest.raises(ValueError, match=r"^x0 must"):
        story._points("quadratic", (1.0,), rmsprop(), 3)


def test_story_points_are_the_trace_points():
    opt = rmsprop(lr=0.05, momentum=0.5)
    same(story._points("rosenbrock", (-1.0, 1.0), opt, 40), trace("rosenbrock", [-1.0, 1.0], opt, 40).points)
    points = story._points("quadratic", (1.0, 0.0), opt, 30)
    same(story._distances("quadratic", points), trace("quadratic", [1.0, 0.0], opt, 30).distances)


# --- Static figures: plots ------------------------------------------------------------------------------------------


def test_accumulators_draws_each_runs_v_and_effective_lr():
    figure = plots.accumulators_figure(problem="quadratic", x0=(0.5, 0.5), steps=60, lr=0.05, rho=0.8, size=(700, 700))
    left, right = figure.axes[:2]
    assert left.get_title() == "Accumulator v (first coordinate)"
    assert right.get_title() == "Effective learning rate |Δx| / |g|"
    assert left.get_xlabel() == right.get_xlabel() == "step" and left.get_yscale() == right.get_yscale() == "log"
    assert legend_labels(figure) == ["Adagrad", "RMSprop (ρ = 0.8)"]
    runs = [trace("quadratic", [0.5, 0.5], opt, 60) for opt in (adagrad(lr=0.05), rmsprop(lr=0.05, rho=0.8))]
    for i, path in enumerate(runs):
        same(lines(left)[i].get_ydata(), path.accumulators[:, 0])
        same(lines(right)[i].get_ydata(), path.effective_lr[:, 0])
    assert [line.get_linewidth() for line in lines(left)] == [1.2, 2.6]  # RMSprop drawn wider
    assert [line.get_label() for line in lines(right)] == ["Adagrad", "RMSprop (ρ = 0.8)"]
    assert left.title.get_fontsize() == 11  # drawn in PLOT_RC


def test_eps_placement_draws_each_conventions_path_and_distance():
    figure = plots.eps_placement_figure(problem="quadratic", x0=(0.5, 0.5), steps=80, lr=0.05, eps=0.5, size=(700, 800))
    left, right = figure.axes[:2]
    assert left.get_title() == "Paths with eps = 0.5" and right.get_title() == "Distance to the minimum"
    assert right.get_xlabel() == "step" and left.get_xlabel() == "x" and left.get_ylabel() == "y"
    assert legend_labels(figure) == ["pytorch", "keras", "tf1"]
    paths = lines(left, 81)
    minimum = problems.get("quadratic").minimum
    for i, convention in enumerate(("pytorch", "keras", "tf1")):
        points = trace("quadratic", [0.5, 0.5], rmsprop(lr=0.05, eps=0.5, convention=convention), 80).points
        same(paths[i].get_xydata(), points)
        same(lines(right)[i].get_ydata(), np.linalg.norm(points - np.asarray(minimum), axis=1))
        assert lines(right)[i].get_label() == convention
    (star,) = [line for line in lines(left) if line.get_marker() == "*"]
    same(star.get_xydata()[0], minimum)
    (start,) = [line for line in lines(left) if line.get_marker() == "o"]
    same(start.get_xydata()[0], [0.5, 0.5])
    assert left.title.get_fontsize() == 11  # drawn in PLOT_RC
    assert left.get_xlim() == tuple(problems.get("quadratic").bounds[0])


def test_hyperparameter_map_colours_the_steps_to_tolerance():
    figure = plots.hyperparameter_map_figure(
        problem="quadratic", x0=(0.5, 0.5), steps=300, tol=0.05, lrs=(1e-3, 0.5, 5), rhos=(0.0, 0.9, 4), size=(700, 480)
    )
    ax = figure.axes[0]
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    lrs, rhos = np.geomspace(1e-3, 0.5, 5), np.linspace(0.0, 0.9, 4)
    reached = sweep("quadratic", [0.5, 0.5], 300, tol=0.05, **grid(lr=lrs, rho=rhos)).steps_to_tol.reshape(5, 4)
    drawn = np.ma.filled(mesh.get_array().astype(float), np.nan).reshape(5, 4)
    same(drawn, np.where(reached < 0, np.nan, reached))
    assert np.isnan(drawn).any() and not np.isnan(drawn).all()  # some never reach the tolerance
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "ρ (decay of the accumulator)"
    assert ax.get_ylabel() == "learning rate"
    assert ax.get_title() == "Steps until within 0.05 of the minimum (grey: never in 300)"
    assert mesh.norm.__class__.__name__ == "LogNorm"
    assert ax.title.get_fontsize() == 11  # drawn in PLOT_RC


def test_plots_registry_names_each_drawing():
    assert {
        "accumulators": plots.accumulators,
        "eps_placement": plots.eps_placement,
        "hyperparameter_map": plots.hyperparameter_map,
    } == plots.PLOTS
    assert {
        "forgetting": story.forgetting,
        "stability": story.stability,
        "schedules": story.schedules,
        "variant_effects": story.variant_effects,
    } == story.PLOTS
    assert {
        "hinton_drift": training.hinton_drift,
        "loss_curves": training.loss_curves,
        "batch_size_effect": training.batch_size_effect,
    } == training.PLOTS


# --- Static figures: training ---------------------------------------------------------------------------------------


def test_hinton_drift_lines_are_the_drift_runs():
    figure = training.hinton_drift_figure(steps=60, curvature=2.0, size=(700, 820))
    flat, curved = figure.axes[:2]
    assert flat.get_title() == "Mean gradient 0: the weight should stay at 0"
    assert curved.get_title() == "With curvature 2: the minimum is at 0"
    assert flat.get_yscale() == "symlog" and curved.get_ylim() == (-0.2, 0.2)
    assert [ax.get_xlabel() for ax in (flat, curved)] == ["mini-batch step"] * 2
    assert [ax.get_ylabel() for ax in (flat, curved)] == ["w"] * 2
    assert legend_labels(figure) == list(training.DRIFT_SHOWN)
    assert flat.title.get_fontsize() == 11 and curved.title.get_fontsize() == 11  # drawn in PLOT_RC
    for i, name in enumerate(training.DRIFT_SHOWN):
        make = drift.CONTENDERS[name]
        flat_run, curved_run = drift.drift(make(), 60), drift.drift(make(), 60, curvature=2.0)
        same(lines(flat, len(flat_run))[i].get_ydata(), flat_run)
        same(lines(curved, len(curved_run))[i].get_ydata(), curved_run)
        assert lines(curved, len(curved_run))[i].get_label() == lines(flat, len(flat_run))[i].get_label() == name
    references = sorted(line.get_ydata()[0] for line in lines(curved, 2))
    assert references == [-0.05, 0.0]


@pytest.mark.parametrize("model", ["softmax", "mlp"])
def test_loss_curves_are_the_medians_of_the_comparison(model):
    figure = training.loss_curves_figure(model=model, size=(700, 820))
    train_ax, test_ax = figure.axes[:2]
    assert train_ax.get_title() == f"training loss (mini-batches), {model}"
    assert test_ax.get_title() == f"test loss, {model}"
    assert train_ax.get_yscale() == test_ax.get_yscale() == "log" and train_ax.get_xlabel() == "epoch"
    assert train_ax.title.get_fontsize() == 11  # drawn in PLOT_RC
    result = compare.comparison(compare.Settings(model=model))
    assert legend_labels(figure) == [row["label"] for row in result["results"]]
    for ax, key in ((train_ax, "train_curves"), (test_ax, "test_curves")):
        for line, row in zip(lines(ax), result["results"], strict=True):
            curves = training._array(row[key])
            same(line.get_xdata(), np.arange(1, len(row["steps"]) + 1))
            same(line.get_ydata(), np.median(curves, axis=0))
        (band,) = ax.collections  # RMSprop's range only
        path = band.get_paths()[0].vertices
        rmsprop_row = next(r for r in result["results"] if r["label"] == "RMSprop")
        curves = training._array(rmsprop_row[key])
        np.testing.assert_allclose(path[:, 1].max(), np.nanmax(curves.max(axis=0)), rtol=1e-12)
        np.testing.assert_allclose(path[:, 1].min(), np.nanmin(curves.min(axis=0)), rtol=1e-12)


def test_training_array_reads_missing_values_as_nan():
    same(training._array([[1.0, None], [None, 2.0]]), [[1.0, math.nan], [math.nan, 2.0]])


def test_batch_size_effect_points_are_the_medians_over_the_seeds():
    figure = training.batch_size_effect_figure(size=(700, 520))
    (ax,) = figure.axes
    result = compare.batch_study()
    sizes = result["settings"]["batch_sizes"]
    assert ax.get_xscale() == ax.get_yscale() == "log" and ax.get_xlabel() == "batch size"
    assert ax.get_ylabel() == f"training loss after {result['settings']['steps']} steps"
    assert ax.xaxis.label.get_color() == plots.PLOT_RC["axes.labelcolor"]  # drawn in PLOT_RC
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        f"{s}" + (" (full)" if s == max(sizes) else "") for s in sizes
    ]
    assert legend_labels(figure) == [c.label for c in compare.BATCH_CONTENDERS]
    drawn = lines(ax, len(sizes))  # per contender: the medians (marker "o"), then the bars' low and high caps
    assert len(drawn) == 3 * len(compare.BATCH_CONTENDERS)
    for i, contender in enumerate(compare.BATCH_CONTENDERS):
        median, low, high = drawn[3 * i : 3 * i + 3]
        losses = {r["batch_size"]: r["train_loss"] for r in result["results"] if r["label"] == contender.label}
        assert median.get_marker() == "o"
        for line in (median, low, high):
            same(line.get_xdata(), sizes)
        same(median.get_ydata(), [max(np.median(losses[s]), 1e-6) for s in sizes])
        same(low.get_ydata(), [max(min(losses[s]), 1e-6) for s in sizes])
        same(high.get_ydata(), [max(max(losses[s]), 1e-6) for s in sizes])


# --- Helpers the figures share --------------------------------------------------------------------------------------


def test_plain_power_writes_a_plain_numbers_minus_sign():
    assert plots.plain_power(r"$\mathdefault{-2.5}$") == "−2.5"
    assert plots.plain_power(r"$\mathdefault{0.5}$") == "0.5"


def test_emphasis_draws_rmsprop_wide_and_on_top():
    assert plots.emphasis("RMSprop (ρ = 0.9)") == {"lw": 2.6, "zorder": 4}
    assert plots.emphasis("Adam") == {"lw": 1.2, "alpha": 0.85}


def test_static_figures_are_700_px_wide_and_stacked_in_one_column():
    figure, axes = plots._figure(700, 480, panels=3)
    assert figure.get_size_inches().tolist() == [700 / 150, 480 / 150] and figure.dpi == 150
    assert [ax.get_subplotspec().get_geometry()[:3] for ax in axes] == [(3, 1, 0), (3, 1, 1), (3, 1, 2)]
    assert figure.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"


def test_story_distance_helper_is_steppings():
    points = np.array([[2.0, -1.0], [1.0, 0.0]])
    same(story._distances("quadratic", points), stepping.distance(points, problems.get("quadratic").minimum_in(points)))


# --- The registry, rebuilt from its own functions -------------------------------------------------------------------
#
# FIGURES is built while the package is imported, before a mutation run switches a mutant on: these tests call the
# functions that build it, so a mutant in them changes what they return here.


def test_an_animation_takes_the_posts_settings_by_default():
    assert figures._animation("b", "alt", lr=0.02).params["lr"] == 0.02  # a parameter given wins
    spec = figures._animation("a", "alt text", problem="cubic", x0=(-1.0,))
    assert (spec.name, spec.kind, spec.alt) == ("a", "animation", "alt text")
    assert dict(spec.params) == {
        "steps": 1000,
        "lr": 0.01,
        "rho": 0.9,
        "eps": 1e-8,
        "frames": 200,
        "fps": 50,
        "style": "default",
        "problem": "cubic",
        "x0": (-1.0,),
    }
    assert spec.outputs == ("a.gif", "a.png")
    assert spec.entry_modules == ("rmsprop_docs.trajectory", "rmsprop_docs.render.animation")
    with pytest.raises(TypeError):
        spec.params["lr"] = 1.0  # read-only: a figure's parameters are its cache key


def test_a_race_runs_at_10_fps_with_14_point_text_by_default():
    assert figures._race("s", "alt", fps=12).params["fps"] == 12
    spec = figures._race("r", "alt", problem="bowl")
    assert (spec.name, spec.kind, spec.alt) == ("r", "race", "alt")
    assert dict(spec.params) == {"fps": 10, "font_size": 14.0, "problem": "bowl"}
    assert spec.outputs == ("r.gif", "r.png")
    assert spec.entry_modules == ("rmsprop_docs.trajectory", "rmsprop_docs.render.animation")
    with pytest.raises(TypeError):
        spec.params["fps"] = 1


def test_a_plot_names_its_drawing_and_the_module_it_lives_in():
    spec = figures._plot("p", "alt", "story.stability", steps=3)
    assert (spec.name, spec.kind, spec.alt) == ("p", "plot", "alt")
    assert dict(spec.params) == {"plot": "story.stability", "steps": 3}
    assert spec.outputs == ("p.png",)
    assert spec.entry_modules == ("rmsprop_docs.render.story",)
    assert figures._plot("q", "alt", "accumulators").entry_modules == ("rmsprop_docs.render.plots",)
    assert figures.plot_module("training.loss_curves") == "rmsprop_docs.render.training"
    assert figures.plot_module("eps_placement") == "rmsprop_docs.render.plots"
    with pytest.raises(TypeError):
        spec.params["plot"] = "x"


def test_the_registry_is_rebuilt_by_its_functions():
    makers = {"animation": figures._animation, "race": figures._race}
    for name, spec in figures.FIGURES.items():
        params = dict(spec.params)
        if spec.kind == "plot":
            plot = params.pop("plot")
            again = figures._plot(name, spec.alt, plot, **params)
        else:
            again = makers[spec.kind](name, spec.alt, **params)
        assert again == spec
        assert spec.name == name


def test_get_names_the_figures_on_a_mistake():
    assert figures.get("schedules") is figures.FIGURES["schedules"]
    with pytest.raises(ValueError, match=r"^figure must be one of "):
        figures.get("no-such-figure")


# --- The committed files are what the code draws (last: the costliest judge) -----------------------------------------


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_rendered_again_the_figure_is_the_committed_bytes(name, tmp_path):
    spec = figures.FIGURES[name]
    entry = assets.render(spec, tmp_path)
    assert entry["files"] == MANIFEST["figures"][name]["files"]
    for output in spec.outputs:
        assert (tmp_path / output).read_bytes() == (ASSETS / output).read_bytes(), output


# --- Styles ---------------------------------------------------------------------------------------------------------


def test_a_style_keeps_a_read_only_copy_of_its_settings_and_whole_pixel_sides():
    from types import MappingProxyType

    from rmsprop_docs.render import styles

    rc = {"font.size": 10}
    style = styles.Style("s", (320.0, 240.7), 100, rc=rc)
    rc["font.size"] = 99
    assert isinstance(style.rc, MappingProxyType) and dict(style.rc) == {"font.size": 10}
    assert style.size == (320, 240) and all(type(side) is int for side in style.size)
    assert style.at_size((100.0, 80.0)).size == (100, 80) and style.at_size(None) is style


def test_a_style_is_looked_up_by_name_at_a_size():
    from rmsprop_docs.render import styles

    assert styles.get("post").name == "post" and styles.get("default", (300, 200)).size == (300, 200)
    with pytest.raises(ValueError, match=r"^style must be one of default, post"):
        styles.get("fancy")


def test_contour_levels_of_a_flat_surface_are_spread_over_a_tiny_span():
    from rmsprop_docs.render import styles

    levels = styles.contour_levels(np.full((3, 3), 2.0), count=5)
    assert levels[0] == 2.0 + 1e-15 and levels[-1] == 2.0 + 1e-12
    np.testing.assert_allclose(styles.contour_levels(np.array([1.0, 11.0]), 3), [1.01, 1 + 10**-0.5, 11.0])


# --- The asset build, on a folder of its own ------------------------------------------------------------------------
#
# tests/test_assets.py checks docs/assets against keys that hash the code; these build a fresh folder, so they
# judge what the build does whatever the code's hash.

FIGURE = "forgetting"  # the quickest figure to render


def _built(folder, names=(FIGURE,), **options):
    result = assets.build(folder, list(names), **options)
    return result, json.loads((folder / "manifest.json").read_text())


def test_a_build_renders_what_is_missing_records_it_and_then_renders_nothing(tmp_path):
    result, manifest = _built(tmp_path, jobs=1)
    assert list(result.rendered) == [FIGURE] and result.rendered[FIGURE] > 0 and result.removed == []
    spec = figures.FIGURES[FIGURE]
    png = tmp_path / f"{FIGURE}.png"
    assert manifest["figures"] == {
        FIGURE: {"key": assets.figure_key(spec), "files": {f"{FIGURE}.png": assets.file_hash(png)}}
    }
    assert manifest["versions"] == assets.library_versions()
    assert (tmp_path / "manifest.json").read_text() == json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    assert png.read_bytes() == (ASSETS / f"{FIGURE}.png").read_bytes()
    stamp = (tmp_path / "manifest.json").stat().st_mtime_ns
    assert assets.build(tmp_path, [FIGURE]) == ({}, [])
    assert (tmp_path / "manifest.json").stat().st_mtime_ns == stamp  # nothing to write
    assert list(assets.build(tmp_path, [FIGURE], force=True, jobs=1).rendered) == [FIGURE]


def test_stale_reasons_name_each_cause(tmp_path, monkeypatch):
    _, manifest = _built(tmp_path, jobs=1)
    spec = figures.FIGURES[FIGURE]
    png = tmp_path / f"{FIGURE}.png"
    assert assets.stale_reasons(tmp_path, [spec], manifest) == {}
    assert assets.stale_reasons(tmp_path, [spec], {"figures": {}}) == {FIGURE: "never rendered"}
    changed = {"figures": {FIGURE: {**manifest["figures"][FIGURE], "key": "0"}}}
    assert assets.stale_reasons(tmp_path, [spec], changed) == {FIGURE: "parameters, code or library versions changed"}
    png.write_bytes(png.read_bytes() + b"\0")
    assert assets.stale_reasons(tmp_path, [spec], manifest) == {FIGURE: f"{FIGURE}.png differs from the rendered file"}
    png.unlink()
    assert assets.stale_reasons(tmp_path, [spec], manifest) == {FIGURE: f"{FIGURE}.png is missing"}
    monkeypatch.setattr(assets, "library_versions", lambda: {"numpy": "0", "matplotlib": "0", "pillow": "0"})
    assert assets.figure_key(spec) != manifest["figures"][FIGURE]["key"]
    assert assets.load_manifest(tmp_path / "nowhere") == {"figures": {}}


def test_a_build_drops_figures_no_longer_registered(tmp_path):
    _, manifest = _built(tmp_path, jobs=1)
    manifest["figures"]["retired"] = {"key": "x", "files": {"retired.png": "y", "retired.gif": "z"}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "retired.png").write_bytes(b"old")
    assert assets.orphans(tmp_path, manifest) == ["retired"]
    result = assets.build(tmp_path, [FIGURE])
    assert result == ({}, ["retired"])
    assert not (tmp_path / "retired.png").exists()
    assert "retired" not in json.loads((tmp_path / "manifest.json").read_text())["figures"]


def test_a_parallel_build_renders_the_same_bytes_and_reports_in_the_order_asked(tmp_path):
    names = ["minibatch-batch-size", FIGURE]
    result, manifest = _built(tmp_path, names, jobs=2)
    assert sorted(result.rendered) == sorted(names)
    assert list(result.rendered) == names  # in the order asked for, whichever worker finished first
    for name in names:
        assert (tmp_path / f"{name}.png").read_bytes() == (ASSETS / f"{name}.png").read_bytes()
        assert manifest["figures"][name]["key"] == assets.figure_key(figures.FIGURES[name])


def test_a_build_first_ships_stale_learning_results(tmp_path, monkeypatch):
    shipped = []
    monkeypatch.setattr(assets, "stale_learning", lambda: {"comparison-x.json": "missing (settings or code changed)"})
    monkeypatch.setattr(compare, "ship", lambda: shipped.append(True))
    assets.build(tmp_path, [FIGURE], jobs=1)
    assert shipped == [True]
    monkeypatch.setattr(assets, "stale_learning", lambda: {})
    assets.build(tmp_path, [FIGURE], force=True, jobs=1)
    assert shipped == [True]


def test_the_command_checks_builds_and_reports(tmp_path, capsys, monkeypatch):
    folder = ["--folder", str(tmp_path)]
    assert assets.main([FIGURE, "--check", *folder]) == 1
    out = capsys.readouterr().out
    assert out == f"stale: {FIGURE}: never rendered\n1 figure(s) stale; run: python scripts/build_assets.py\n"
    assert assets.main([FIGURE, "--jobs", "1", *folder]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"rendered {FIGURE} in ") and out[0].endswith(" s")
    assert out[1].startswith("1 figure(s) rendered, 0 fresh, in ")
    assert assets.main([FIGURE, "--check", *folder]) == 0
    assert capsys.readouterr().out == "all 1 figures fresh\n"
    assert assets.main([FIGURE, *folder]) == 0
    assert capsys.readouterr().out.startswith("0 figure(s) rendered, 1 fresh, in ")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["figures"]["retired"] = {"key": "x", "files": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(assets, "stale_learning", lambda: {"r.json": "no longer current"})
    assert assets.main([FIGURE, "--check", *folder]) == 1
    assert capsys.readouterr().out == (
        "stale: retired: no longer registered\nstale: learning result r.json: no longer current\n"
        "1 figure(s) and 1 learning result(s) stale; run: python scripts/build_assets.py\n"
    )
    monkeypatch.setattr(assets, "stale_learning", lambda: {})
    monkeypatch.setattr(compare, "ship", lambda: None)
    assert assets.main([FIGURE, *folder]) == 0
    assert "removed retired (no longer registered)" in capsys.readouterr().out
    assert assets.main(["no-such-figure", *folder]) == 2
    assert capsys.readouterr().err.startswith("build_assets: error: figure must be one of ")


@pytest.mark.parametrize(
    ("framework", "keywords"), [("keras", []), ("pytorch", []), ("optax", ["--set", "learning_rate=0.01"])]
)
def test_a_framework_run_animates(tmp_path, framework, keywords):
    from rmsprop_docs.cli import main

    out = tmp_path / "run.gif"
    args = ["animate", "cubic", "--x0", "-1", "--steps", "20", "--frames", "4", "--framework", framework, *keywords]
    assert main([*args, "-o", str(out)]) == 0
    assert out.read_bytes()[:6] == b"GIF89a"


def test_a_framework_runs_title_names_its_class_and_keywords():
    from rmsprop_docs.render import animation, styles

    keras = {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-07, "centered": False}
    path = dataclasses.replace(
        trace("cubic", [-1.0], rmsprop(), 2),
        hyperparameters={"framework": "keras", "class": "keras.optimizers.RMSprop", "kwargs": keras},
    )
    title = animation._title(path, styles.get("default"))
    assert title == "keras.optimizers.RMSprop on cubic: learning_rate = 0.001, rho = 0.9"


def test_the_render_package_lends_the_animation_code_on_first_use_and_nothing_else():
    import rmsprop_docs.render as render
    from rmsprop_docs.render import animation

    for name in render.__all__:
        assert getattr(render, name) is getattr(animation, name)
    assert sorted(render.__all__) == ["AnimationResult", "animate", "animate_race"]
    with pytest.raises(AttributeError, match=r"^module 'rmsprop_docs.render' has no attribute 'plot_anything'$"):
        render.plot_anything  # noqa: B018
