"""The renderer: deterministic, atomic, exact blitting, the post's look, its CLI."""

import dataclasses
import hashlib
import os
import pathlib
import pty
import signal
import subprocess
import sys
import time

import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageSequence

from conftest import ROOT
from rmsprop_docs import rmsprop, trace
from rmsprop_docs.render import animate, animation, limits, styles

CLI = pathlib.Path(sys.executable).parent / "rmsprop-docs"


def digest(path) -> str:
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def frames_of(path):
    with Image.open(path) as gif:
        palette = gif.getpalette()
        shown = [(np.asarray(f.convert("RGB")), f.info["duration"]) for f in ImageSequence.Iterator(gif)]
    return shown, palette


def timeline(path, frame_ms):
    """The picture on screen at each tick of ``frame_ms``, decoded from the GIF."""
    shown, _ = frames_of(path)
    return [rgb for rgb, duration in shown for _ in range(duration // frame_ms)]


def expected_positions(path, look, xy):
    """Display coordinates (x right, y up, in pixels) of data points ``xy`` in ``path``'s scene."""
    with matplotlib.rc_context(dict(look.rc)):
        scene = animation.build_scene(path, look)
        scene.canvas.draw()  # settles the layout and the aspect
        return scene.figure.axes[0].transData.transform(np.asarray(xy, dtype=np.float64))


def locate(rgb, colour, tolerance=60):
    """The centre, in display coordinates, of the pixels within ``tolerance`` of ``colour``."""
    near = np.abs(rgb.astype(int) - np.array(colour)).max(axis=-1) <= tolerance
    rows, cols = np.nonzero(near)
    assert rows.size >= 20, f"no point of colour {colour} in the frame ({rows.size} pixels)"
    return np.array([cols.mean() + 0.5, rgb.shape[0] - rows.mean() - 0.5])


def assert_point_at(rgb, colour, expected, i, positions):
    """The point sits on frame i's position (markers snap to whole pixels), not on a neighbour's."""
    found = locate(rgb, colour)
    assert np.abs(found - expected).max() <= 1.01, f"frame {i}: point at {found}, expected {expected}"
    for j, other in positions.items():
        if j != i and np.abs(other - expected).max() > 2.5:
            assert np.abs(found - other).max() > 1.01, f"frame {i} shows frame {j}'s point"


def moving_frames(positions, count, least_px=2.5):
    """Frames whose point is more than ``least_px`` from the previous and the next frame's."""
    steps = np.abs(np.diff(positions, axis=0)).max(axis=1)
    moving = [i for i in range(1, len(positions) - 1) if steps[i - 1] > least_px and steps[i] > least_px]
    assert len(moving) >= count, f"only {len(moving)} frames move more than {least_px} px"
    return [moving[k] for k in np.linspace(0, len(moving) - 1, count).astype(int)]


@pytest.mark.parametrize(
    "args",
    [
        ["cubic", "--x0", "-1", "--frames", "60"],
        ["rosenbrock", "--x0", "-1.5,2", "--lr", "0.05", "--frames", "80", "--size", "480x360"],
    ],
    ids=["1d", "2d"],
)
def test_same_inputs_same_bytes_across_processes(tmp_path, args):
    outputs = []
    for run in range(2):
        gif, png = tmp_path / f"{run}.gif", tmp_path / f"{run}.png"
        done = subprocess.run([str(CLI), "animate", *args, "-o", str(gif), "--still", str(png)], capture_output=True)
        assert done.returncode == 0, done.stderr
        outputs.append((digest(gif), digest(png)))
    assert outputs[0] == outputs[1]


def test_gif_structure(tmp_path):
    result = animate(trace("quadratic", [1.0, 0.0]), str(tmp_path / "q.gif"), frames=150, fps=25, size=(400, 300))
    shown, _ = frames_of(tmp_path / "q.gif")
    assert result.distinct_frames == len(shown) > 10
    assert sum(d for _, d in shown) == 150 * 40
    with Image.open(tmp_path / "q.gif") as gif:
        assert gif.size == (400, 300)
        assert gif.info.get("loop") == 0
        assert gif.is_animated


@pytest.mark.parametrize(
    ("problem", "x0", "lr"),
    [("cubic", [-1.0], 0.01), ("quadratic", [1.0, 0.0], 0.01), ("rosenbrock", [-1.5, 2.0], 0.05)],
)
def test_blitted_frames_equal_full_redraws(tmp_path, problem, x0, lr):
    # Only the pixels the moving artists touch are restored, drawn and converted
    # per frame; the result must equal drawing the whole frame every time and
    # giving each pixel its nearest palette colour.
    path = trace(problem, x0, rmsprop(lr=lr))
    frames = 90
    animate(path, str(tmp_path / "a.gif"), frames=frames, size=(480, 320))
    shown = timeline(tmp_path / "a.gif", 20)
    assert len(shown) == frames
    _, palette = frames_of(tmp_path / "a.gif")
    entries = np.array(palette, dtype=np.int64).reshape(-1, 3)
    look = styles.get("default", (480, 320))
    with matplotlib.rc_context(dict(look.rc)):
        scene = animation.build_scene(path, look)
        scene.canvas.draw()
        background = scene.canvas.copy_from_bbox(scene.figure.bbox)
        for i in (0, 1, 2, 7, 33, 89):
            scene.canvas.restore_region(background)
            scene.draw_frame(i)
            full = np.asarray(scene.canvas.buffer_rgba())[..., :3].reshape(-1, 3)
            colours, where = np.unique(full, axis=0, return_inverse=True)
            distance = ((colours[:, None, :].astype(np.int64) - entries[None, :, :]) ** 2).sum(axis=-1)
            expected = entries[np.argmin(distance, axis=1)][where.ravel()].reshape(shown[i].shape)
            np.testing.assert_array_equal(expected, shown[i], err_msg=f"frame {i}")


def test_post_style_matches_the_post_method_frame(tmp_path):
    # The post's own drawing code (scripts/post_animation.py), frame 0 and 150,
    # against ours: the same picture up to palette rounding.
    sys.path.insert(0, str(ROOT / "scripts"))
    import post_animation

    out = tmp_path / "post.gif"
    animate(trace("cubic", [-1.0]), str(out), style="post")
    ours = timeline(out, 20)
    assert len(ours) == 200 and ours[0].shape == (1080, 1920, 3)
    with matplotlib.rc_context():
        fig, ax = post_animation.setup()
        xs = np.linspace(-5, 5, 10000)
        points = post_animation.post_points()
        for i in (0, 1, 3, 150):
            post_animation.draw_frame(ax, xs, post_animation.f(xs), points, i)
            fig.canvas.draw()
            theirs = np.asarray(fig.canvas.buffer_rgba())[..., :3]
            mse = np.mean((theirs.astype(float) - ours[i].astype(float)) ** 2)
            assert 10 * np.log10(255**2 / mse) > 30
            # PSNR barely sees a 6-pixel point: its position is checked on its own.
            assert np.abs(locate(theirs, (255, 0, 0)) - locate(ours[i], (255, 0, 0))).max() <= 1.01, f"frame {i}"
        matplotlib.pyplot.close(fig)


@pytest.mark.parametrize(
    ("style", "lr", "colour"),
    [("post", 0.05, (255, 0, 0)), ("default", 0.05, (0xD5, 0x5E, 0x00))],
)
def test_the_point_sits_where_the_trajectory_says(tmp_path, style, lr, colour):
    path = trace("cubic", [-1.3], rmsprop(lr=lr))  # a start whose first steps move the point several pixels
    frames = 120
    look = styles.get(style)
    out = tmp_path / "a.gif"
    animate(path, str(out), style=style, frames=frames)
    shown = timeline(out, 20)
    xy = np.c_[path.points[:frames, 0], path.problem.f(path.points[:frames])]
    positions = expected_positions(path, look, xy)
    checked = [0, *moving_frames(positions, 5), frames - 1]
    for i in checked:
        window = {j: positions[j] for j in range(max(i - 2, 0), min(i + 3, frames))}
        assert_point_at(shown[i], colour, positions[i], i, window)


def test_2d_still_is_the_gif_last_frame(tmp_path):
    path = trace("quadratic", [1.0, 0.0])
    animate(path, str(tmp_path / "a.gif"), still=str(tmp_path / "a.png"), frames=100, size=(400, 300))
    last = timeline(tmp_path / "a.gif", 20)[-1]
    with Image.open(tmp_path / "a.png") as still:
        assert still.size == (400, 300) and still.format == "PNG"
        still_rgb = np.asarray(still.convert("RGB"))
    np.testing.assert_array_equal(still_rgb, last)
    first = timeline(tmp_path / "a.gif", 20)[0]
    assert np.count_nonzero((first != last).any(axis=-1)) > 200  # the trail: not a picture of frame 0


def test_1d_still_is_the_last_frame_plus_the_visited_points(tmp_path):
    path = trace("cubic", [-1.3], rmsprop(lr=0.05))
    frames = 8  # the point still moves several pixels a frame at the end
    look = styles.get("default")
    colour = (0xD5, 0x5E, 0x00)
    animate(path, str(tmp_path / "a.gif"), still=str(tmp_path / "a.png"), frames=frames)
    last = timeline(tmp_path / "a.gif", 20)[-1]
    with Image.open(tmp_path / "a.png") as still:
        assert still.size == look.size and still.format == "PNG"
        still_rgb = np.asarray(still.convert("RGB"))
    xy = np.c_[path.points[: frames + 1, 0], path.problem.f(path.points[: frames + 1])]
    positions = expected_positions(path, look, xy)
    window = {j: positions[j] for j in range(frames - 3, frames + 1)}
    # The point where the last frame has it ...
    assert_point_at(last, colour, positions[frames - 1], frames - 1, window)
    assert_point_at(still_rgb, colour, positions[frames - 1], frames - 1, window)
    # ... and otherwise the last frame, except for dots on the visited points.
    height = still_rgb.shape[0]
    rows, cols = np.nonzero((still_rgb != last).any(axis=-1))
    assert rows.size > 0
    display = np.c_[cols + 0.5, height - rows - 0.5]
    visited = positions[:frames]
    nearest = np.min(np.abs(display[:, None, :] - visited[None, :, :]).max(axis=-1), axis=1)
    assert nearest.max() <= 6, "the still differs from the last frame away from the visited points"
    for x, y in visited[:-1]:
        if np.abs(visited[-1] - (x, y)).max() > 12:  # a visited point clear of the final one is drawn
            r, c = int(height - y), int(x)
            patch = still_rgb[r - 2 : r + 3, c - 2 : c + 3].astype(int)
            assert (patch[..., 0] - patch[..., 2]).max() > 60, f"no dot at visited point ({x:.0f}, {y:.0f})"


def test_the_2d_trail_reaches_the_current_point(tmp_path):
    # The trail drawn with frame k ends at frame k's point: the middle of the
    # newest segment is trail-coloured in frame k (a trail lagging one point
    # leaves it bare).
    path = trace("elongated", [-2.0, 1.0], rmsprop(lr=0.2))  # long first steps
    frames, size = 80, (480, 360)
    look = styles.get("default", size)
    animate(path, str(tmp_path / "a.gif"), frames=frames, size=size)
    shown = timeline(tmp_path / "a.gif", 20)
    positions = expected_positions(path, look, path.points[:frames])
    lengths = np.hypot(*np.diff(positions, axis=0).T)
    long_steps = [k + 1 for k in np.flatnonzero(lengths > 24)]
    assert len(long_steps) >= 3, "the run needs a few long steps"
    for k in long_steps:
        x, y = (positions[k - 1] + positions[k]) / 2
        r, c = int(size[1] - y), int(x)
        patch = shown[k][r - 1 : r + 2, c - 1 : c + 2].astype(int)
        assert (patch[..., 0] - patch[..., 2]).max() > 100, f"frame {k}: the newest segment is missing"


def test_the_renderer_reads_a_style_not_its_name(tmp_path):
    path = trace("cubic", [-1.0])
    for look, size in ((styles.POST, (480, 270)), (styles.DEFAULT, (480, 270))):
        renamed = dataclasses.replace(look, name="renamed")
        animate(path, str(tmp_path / "named.gif"), frames=20, style=look.name, size=size)
        animate(path, str(tmp_path / "renamed.gif"), frames=20, style=renamed, size=size)
        assert digest(tmp_path / "named.gif") == digest(tmp_path / "renamed.gif"), look.name
    # ... and its fields decide the picture.
    relabelled = dataclasses.replace(styles.DEFAULT, value_label="loss")
    animate(path, str(tmp_path / "relabelled.gif"), frames=20, style=relabelled, size=(480, 270))
    assert digest(tmp_path / "relabelled.gif") != digest(tmp_path / "renamed.gif")


def test_a_style_is_a_frozen_record():
    with pytest.raises(dataclasses.FrozenInstanceError):
        styles.POST.point_color = "blue"
    with pytest.raises(TypeError):
        styles.DEFAULT.rc["font.size"] = 30
    assert styles.get("post", (640, 360)).size == (640, 360) and styles.POST.size == (1920, 1080)


@pytest.mark.parametrize("when", ["drawing frame 30", "syncing to disk"])
def test_a_failed_render_leaves_the_previous_file(tmp_path, monkeypatch, when):
    target = tmp_path / "a.gif"
    animate(trace("cubic", [-1.0]), str(target), frames=20)
    before = digest(target)

    if when == "drawing frame 30":  # frames 0 to 29 are already in the file being written
        build = animation.build_scene

        def failing_scene(*args, **kwargs):
            scene = build(*args, **kwargs)
            draw = scene.draw_frame

            def draw_frame(i):
                if i == 30:
                    raise OSError("disk full")
                return draw(i)

            return dataclasses.replace(scene, draw_frame=draw_frame)

        monkeypatch.setattr(animation, "build_scene", failing_scene)
    else:

        def explode(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(os, "fsync", explode)
    with pytest.raises(OSError, match="disk full"):
        animate(trace("cubic", [-1.0]), str(target), frames=40)
    assert digest(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]  # no partial file left


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_usual_permissions(tmp_path, umask, mode):
    # Written through a private temporary file (mode 0o600), but then given
    # the bits any new file gets under the umask: 0o666 less the umask.
    previous = os.umask(umask)
    try:
        animate(trace("cubic", [-1.0]), str(tmp_path / "a.gif"), still=str(tmp_path / "a.png"), frames=10)
    finally:
        os.umask(previous)
    for name in ("a.gif", "a.png"):
        assert oct((tmp_path / name).stat().st_mode & 0o777) == oct(mode), name


def test_a_killed_render_leaves_the_previous_file_intact(tmp_path):
    target = tmp_path / "a.gif"
    animate(trace("cubic", [-1.0]), str(target), frames=20)
    before = digest(target)
    # About 14 s of work when idle: long enough that no kill below can land
    # after the rename, while the process is still shutting down (a 1.5 s
    # render once did, and the "killed" run had already replaced the file).
    command = [
        str(CLI), "animate", "rosenbrock", "--x0", "-1.5,2", "--lr", "0.05", "--steps", "5000",
        "--frames", "5000", "--size", "1200x900", "-o", str(target),
    ]  # fmt: skip
    killed_while_writing = False
    for delay in (None, 0.3, 1.0):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            partial = list(tmp_path.glob(".a.gif.*.partial"))
            if (delay is None and partial and partial[0].stat().st_size > 0) or (
                delay is not None and time.monotonic() > deadline - 60 + delay
            ):
                killed_while_writing |= bool(partial)
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, "the render finished before it could be killed"
        assert digest(target) == before
        with Image.open(target) as gif:
            assert gif.n_frames > 1
            gif.seek(gif.n_frames - 1)
        for leftover in tmp_path.glob("*.partial"):
            leftover.unlink()
    assert killed_while_writing, "no kill landed while the new file was being written"


def run_cli(*args):
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=120)


def test_one_frame(tmp_path):
    path = trace("cubic", [-1.0])
    result = animate(path, str(tmp_path / "a.gif"), still=str(tmp_path / "a.png"), frames=1, fps=10)
    shown, _ = frames_of(tmp_path / "a.gif")
    assert result.frames == result.distinct_frames == len(shown) == 1
    assert shown[0][1] == 100
    look = styles.get("default")
    (start,) = expected_positions(path, look, [[path.points[0, 0], path.problem.f(path.points[:1])[0]]])
    assert np.abs(locate(shown[0][0], (0xD5, 0x5E, 0x00)) - start).max() <= 1.01


@pytest.mark.filterwarnings("ignore:Tight layout not applied")  # 64 x 64 pixels leave no room for labels
def test_the_most_frames(tmp_path):
    frames = limits.MAX_FRAMES
    path = trace("cubic", [-1.0], rmsprop(lr=0.001), steps=frames - 1)
    result = animate(path, str(tmp_path / "a.gif"), frames=frames, fps=limits.MAX_FPS, size=(64, 64))
    shown, _ = frames_of(tmp_path / "a.gif")
    assert result.frames == frames and result.distinct_frames == len(shown) > 1
    assert sum(duration for _, duration in shown) == frames * 10
    with pytest.raises(ValueError, match=f"frames must be a whole number in \\[1, {frames}\\]"):
        animate(trace("cubic", [-1.0], steps=frames), str(tmp_path / "b.gif"), frames=frames + 1, size=(64, 64))
    assert not (tmp_path / "b.gif").exists()


@pytest.mark.parametrize(("fps", "frame_ms"), [(limits.MAX_FPS, 10), (50, 20), (0.5, 2000), (0.001, 1_000_000)])
def test_frame_durations(tmp_path, fps, frame_ms):
    # 0.001 fps: a 1000 s frame is longer than one GIF delay field (655.35 s) holds.
    result = animate(trace("cubic", [-1.0]), str(tmp_path / "a.gif"), frames=30, fps=fps, size=(320, 180))
    shown, _ = frames_of(tmp_path / "a.gif")
    assert sum(duration for _, duration in shown) == 30 * frame_ms
    assert result.frames == 30


def test_fps_just_above_the_limit_is_refused(tmp_path):
    above = float(np.nextafter(limits.MAX_FPS, np.inf))
    with pytest.raises(ValueError, match="fps must be in"):
        animate(trace("cubic", [-1.0]), str(tmp_path / "a.gif"), frames=10, fps=above)
    at_limit = run_cli(
        "animate", "cubic", "--x0", "-1", "--frames", "10", "--fps", "100", "-o", str(tmp_path / "b.gif")
    )
    assert at_limit.returncode == 0, at_limit.stderr
    assert frames_of(tmp_path / "b.gif")[0][0][1] == 10
    out = run_cli("animate", "cubic", "--x0", "-1", "--fps", repr(above), "-o", str(tmp_path / "a.gif"))
    assert out.returncode == 2 and "fps must be in (0, 100]" in out.stderr
    assert not (tmp_path / "a.gif").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--frames", "0"], "frames must be a whole number in [1, 1001]"),
        (["--frames", "100000"], "frames must be a whole number in [1, 1001]"),
        (["--frames", "1002"], "frames must be a whole number in [1, 1001]"),
        (["--steps", "6000", "--frames", "5001"], "frames must be a whole number in [1, 5000]"),
        (["--steps", "10", "--frames", "50"], "frames must be a whole number in [1, 11]"),
        (["--frames", "2.5"], "frames must be a whole number"),
        (["--fps", "0"], "fps must be a finite number > 0"),
        (["--fps", "-3"], "fps must be a finite number > 0"),
        (["--fps", "1000"], "fps must be in (0, 100]"),
        (["--size", "800"], "size must be WxH"),
        (["--size", "5000x300"], "each side in [64, 4096]"),
        (["--size", "axb"], "size must be WxH"),
        (["--style", "fancy"], "style must be one of default, post"),
        (["--lr", "0"], "lr must be a finite number > 0"),
    ],
)
def test_animate_mistakes_are_one_line_and_exit_2(tmp_path, args, needle):
    out = run_cli("animate", "quadratic", "--x0", "1,0", *args, "-o", str(tmp_path / "a.gif"))
    assert out.returncode == 2, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and needle in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "a.gif").exists()


@pytest.mark.parametrize(
    ("output", "needle"),
    [
        ("missing-folder/a.gif", "does not exist"),
        ("a.png", "must end in .gif"),
        (".", "must end in .gif"),
        ("a-file/a.gif", "does not exist"),
    ],
)
def test_unwritable_outputs(tmp_path, output, needle):
    (tmp_path / "a-file").write_text("not a folder")
    out = run_cli("animate", "cubic", "--x0", "-1", "-o", str(tmp_path / output))
    assert out.returncode == 2 and needle in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_progress_on_a_terminal_quiet_otherwise(tmp_path):
    quiet = run_cli("animate", "cubic", "--x0", "-1", "--frames", "30", "-o", str(tmp_path / "q.gif"))
    assert quiet.returncode == 0 and "rendering frame" not in quiet.stderr
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [str(CLI), "animate", "cubic", "--x0", "-1", "--frames", "30", "-o", str(tmp_path / "t.gif")],
        stdin=terminal, stdout=terminal, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait()
    os.close(controller)
    assert proc.returncode == 0
    assert b"rendering frame 30/30" in seen
