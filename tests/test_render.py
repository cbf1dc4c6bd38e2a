"""The renderer: deterministic, atomic, exact blitting, the post's look, its CLI."""

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
from rmsprop_docs.render import animate, animation, styles

CLI = pathlib.Path(sys.executable).parent / "rmsprop-docs"


def digest(path) -> str:
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def frames_of(path):
    with Image.open(path) as gif:
        palette = gif.getpalette()
        shown = [(np.asarray(f.convert("RGB")), f.info["duration"]) for f in ImageSequence.Iterator(gif)]
    return shown, palette


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
    # Only the pixels the moving artists touch are converted per frame; the
    # result must equal drawing and converting the whole frame every time.
    path = trace(problem, x0, rmsprop(lr=lr))
    frames = 90
    animate(path, str(tmp_path / "a.gif"), frames=frames, size=(480, 320))
    shown, palette = frames_of(tmp_path / "a.gif")
    timeline = [rgb for rgb, duration in shown for _ in range(duration // 20)]
    assert len(timeline) == frames
    look = styles.get("default", (480, 320))
    palette_image = Image.new("P", (1, 1))
    palette_image.putpalette(palette)
    with matplotlib.rc_context(look.rc):
        scene = animation.build_scene(path, look)
        scene.canvas.draw()
        background = scene.canvas.copy_from_bbox(scene.figure.bbox)
        for i in (0, 1, 2, 7, 33, 89):
            scene.canvas.restore_region(background)
            scene.draw_frame(i)
            full = np.ascontiguousarray(np.asarray(scene.canvas.buffer_rgba())[..., :3])
            quantized = Image.fromarray(full).quantize(palette=palette_image, dither=Image.Dither.NONE)
            np.testing.assert_array_equal(np.asarray(quantized.convert("RGB")), timeline[i], err_msg=f"frame {i}")


def test_post_style_matches_the_post_method_frame(tmp_path):
    # The post's own drawing code (scripts/post_animation.py), frame 0 and 150,
    # against ours: the same picture up to palette rounding.
    sys.path.insert(0, str(ROOT / "scripts"))
    import post_animation

    out = tmp_path / "post.gif"
    animate(trace("cubic", [-1.0]), str(out), style="post")
    shown, _ = frames_of(out)
    timeline = [rgb for rgb, duration in shown for _ in range(duration // 20)]
    assert timeline[0].shape == (1080, 1920, 3)
    with matplotlib.rc_context():
        fig, ax = post_animation.setup()
        xs = np.linspace(-5, 5, 10000)
        points = post_animation.post_points()
        for i in (0, 150):
            post_animation.draw_frame(ax, xs, post_animation.f(xs), points, i)
            fig.canvas.draw()
            theirs = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
            mse = np.mean((theirs - timeline[i].astype(float)) ** 2)
            assert 10 * np.log10(255**2 / mse) > 30
        matplotlib.pyplot.close(fig)


def test_still_shows_the_final_frame_with_the_path(tmp_path):
    path = trace("quadratic", [1.0, 0.0])
    animate(path, str(tmp_path / "a.gif"), still=str(tmp_path / "a.png"), frames=100, size=(400, 300))
    with Image.open(tmp_path / "a.png") as still:
        assert still.size == (400, 300)
        assert still.format == "PNG"


def test_a_failed_render_leaves_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "a.gif"
    animate(trace("cubic", [-1.0]), str(target), frames=20)
    before = digest(target)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", explode)
    with pytest.raises(OSError, match="disk full"):
        animate(trace("cubic", [-1.0]), str(target), frames=40)
    assert digest(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]  # no partial file left


def test_a_killed_render_leaves_the_previous_file_intact(tmp_path):
    target = tmp_path / "a.gif"
    animate(trace("cubic", [-1.0]), str(target), frames=20)
    before = digest(target)
    command = [
        str(CLI), "animate", "rosenbrock", "--x0", "-1.5,2", "--lr", "0.05", "--steps", "600",
        "--frames", "600", "--size", "1200x900", "-o", str(target),
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


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--frames", "0"], "frames must be a whole number in [1, 1001]"),
        (["--frames", "100000"], "frames must be a whole number in [1, 1001]"),
        (["--steps", "10", "--frames", "50"], "frames must be a whole number in [1, 11]"),
        (["--frames", "2.5"], "frames must be a whole number"),
        (["--fps", "0"], "fps must be a finite number > 0"),
        (["--fps", "-3"], "fps must be a finite number > 0"),
        (["--fps", "1000"], "fps must be in (0, 100]"),
        (["--size", "800"], "size must be WxH"),
        (["--size", "5000x300"], "each side in [64, 4096]"),
        (["--size", "axb"], "size must be WxH"),
        (["--style", "fancy"], "style must be one of default, post"),
        (["--steps", "3000", "--frames", "3000", "--size", "4096x4096"], "frames x width x height must be at most"),
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
