"""GIF animations of a trajectory, drawn once and blitted, streamed to the file.

The post's method redraws the whole figure for every frame and keeps every
RGBA frame in memory.  Here the static scene (curve or contours, grid, labels,
title) is drawn once; each frame restores the background under the boxes the
moving artists touch, draws only those artists, and converts only those
pixels to palette indices, with one palette shared by every frame.  Each frame
goes to the file as soon as the next one is known (identical neighbours become
one longer frame), as the rectangle that changed: memory holds one frame of
indices, not the whole animation.  Output is written atomically (see
:mod:`rmsprop_docs.files`).
"""

from __future__ import annotations

import dataclasses
import mmap
import os
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import GifImagePlugin, Image, PngImagePlugin

from rmsprop_docs import files
from rmsprop_docs.optimizers import frameworks
from rmsprop_docs.render import limits, styles
from rmsprop_docs.trajectory import Trajectory

Box = tuple[float, float, float, float]  # display pixels: x0, y0, x1, y1, y upwards
Cells = tuple[int, int, int, int]  # buffer rows and columns: r0, r1, c0, c1, half-open


@dataclass(frozen=True)
class AnimationResult:
    """What was written."""

    path: str
    frames: int  # frames shown, as asked
    distinct_frames: int  # frames stored after merging identical neighbours
    size: tuple[int, int]
    bytes: int


# --------------------------------------------------------------------------- scenes


@dataclass
class Scene:
    """A figure whose static part is drawn, and a way to draw one frame over it.

    ``boxes(i)`` names every display box frame ``i``'s moving artists touch,
    before anything is drawn; ``draw_frame(i)`` draws them over whatever the
    canvas holds and returns the same boxes.  Only pixels inside those boxes
    are ever read back, so the canvas outside them may hold anything.
    """

    figure: Figure
    canvas: FigureCanvasAgg
    boxes: Callable[[int], list[Box]]
    draw_frame: Callable[[int], list[Box]]
    draw_final: Callable[[int], None]  # the still: the whole path up to a frame


def _title(path: Trajectory, style: styles.Style) -> str:
    if "kwargs" in path.hyperparameters:  # a framework's class: its learning rate and decay in its own spelling
        framework = frameworks.get(path.hyperparameters["framework"])
        names = [framework.spelling(meaning) for meaning in ("lr", "rho")]
        shown = ", ".join(f"{name} = {path.hyperparameters['kwargs'][name]:g}" for name in names if name)
        return f"{path.hyperparameters['class']} on {path.problem.name}: {shown}"
    lr = path.hyperparameters.get("lr")
    if style.title_lr_only:
        return f"RMSprop, learning_rate = {lr:g}"
    rho = path.hyperparameters.get("rho")
    extra = (
        ""
        if path.hyperparameters.get("convention", "pytorch") == "pytorch"
        else f", {path.hyperparameters['convention']}"
    )
    return f"RMSprop on {path.problem.name}: lr = {lr:g}, ρ = {rho:g}{extra}"


def _new_figure(style: styles.Style) -> tuple[Figure, FigureCanvasAgg]:
    width, height = style.size
    figure = Figure(figsize=(width / style.dpi, height / style.dpi), dpi=style.dpi)
    return figure, FigureCanvasAgg(figure)


def _marker_box(ax, xy, radius_px: float) -> Box:
    x, y = ax.transData.transform(np.asarray(xy, dtype=np.float64))
    return (x - radius_px, y - radius_px, x + radius_px, y + radius_px)


def _segment_box(ax, a, b, pad_px: float) -> Box:
    (x0, y0), (x1, y1) = ax.transData.transform(np.array([a, b], dtype=np.float64))
    return (min(x0, x1) - pad_px, min(y0, y1) - pad_px, max(x0, x1) + pad_px, max(y0, y1) + pad_px)


def _scene_1d(path: Trajectory, style: styles.Style, xlim, ylim) -> Scene:
    problem = path.problem
    figure, canvas = _new_figure(style)
    ax = figure.add_subplot()
    xs = np.linspace(xlim[0], xlim[1], 10000)
    curve_kwargs = {} if style.curve_color is None else {"color": style.curve_color}
    ax.plot(xs, problem.f(xs[:, None]), **curve_kwargs)
    ax.grid(alpha=style.grid_alpha)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel(style.value_label, rotation=style.value_label_rotation)
    f_min = float(problem.f(np.array(problem.minimum)))
    ax.hlines(f_min, xlim[0], xlim[1], linestyles="dashed", alpha=0.5)
    ax.set_title(_title(path, style))
    xs_path = path.points[:, 0].astype(np.float64)
    ys_path = problem.f(path.points.astype(np.float64))
    # The post's scatter point, drawn as a one-point line: the same pixels (a
    # disc sqrt(s) points across, edged patch.linewidth in its own colour),
    # several times cheaper to draw than a one-point collection.
    (point,) = ax.plot(
        [],
        [],
        "o",
        ms=style.point_size**0.5,
        mew=matplotlib.rcParams["patch.linewidth"],
        color=style.point_color,
        zorder=3,
        animated=True,
    )
    radius = (style.point_size**0.5) / 2 * style.dpi / 72 + 3
    if style.tight_layout:
        figure.tight_layout()

    def boxes(i: int) -> list[Box]:
        return [_marker_box(ax, (xs_path[i], ys_path[i]), radius)]

    def draw_frame(i: int) -> list[Box]:
        point.set_data([xs_path[i]], [ys_path[i]])
        ax.draw_artist(point)
        return boxes(i)

    def draw_final(i: int) -> None:
        (visited,) = ax.plot(xs_path[: i + 1], ys_path[: i + 1], "o", ms=3, color=style.point_color, alpha=0.35)
        ax.draw_artist(visited)
        visited.remove()
        draw_frame(i)

    return Scene(figure, canvas, boxes, draw_frame, draw_final)


def _scene_2d(path: Trajectory, style: styles.Style, xlim, ylim) -> Scene:
    problem = path.problem
    figure, canvas = _new_figure(style)
    ax = figure.add_subplot()
    gx, gy = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    z = problem.f(np.stack([gx, gy], axis=-1))
    levels = styles.contour_levels(z)
    ax.contourf(gx, gy, z, levels=levels, cmap=style.contour_cmap, alpha=0.45)
    ax.contour(gx, gy, z, levels=levels, colors=styles.MUTED, linewidths=0.5, alpha=0.8)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(alpha=style.grid_alpha * 0.6)
    ax.set_xlabel("x")
    ax.set_ylabel("y", rotation=0)
    ax.set_title(_title(path, style))
    pts = path.points.astype(np.float64)
    ax.plot(*pts[0], "o", ms=6, mfc="none", mec=styles.START, mew=1.2, label="start")
    ax.plot(*problem.minimum, "*", ms=11, color=styles.MINIMUM, mec="white", mew=0.6, label="minimum")
    (trail,) = ax.plot([], [], "-", color=style.path_color, lw=1.4, alpha=0.9, animated=True)
    (point,) = ax.plot([], [], "o", ms=6.5, color=style.point_color, mec="white", mew=0.8, animated=True)
    ax.legend(loc="upper right", frameon=True, framealpha=0.9)
    if style.tight_layout:
        figure.tight_layout()
    radius = 6.5 / 2 * style.dpi / 72 + 4
    pad = 1.4 * style.dpi / 72 + 3

    def boxes(i: int) -> list[Box]:
        found = [_marker_box(ax, pts[i], radius)]
        if i > 0:  # the trail's newest segment, and its join with the one before
            found.append(_segment_box(ax, pts[i - 1], pts[i], pad))
        return found

    def draw_frame(i: int) -> list[Box]:
        trail.set_data(pts[: i + 1, 0], pts[: i + 1, 1])  # up to and including frame i's point
        point.set_data([pts[i, 0]], [pts[i, 1]])
        ax.draw_artist(trail)
        ax.draw_artist(point)
        return boxes(i)

    def draw_final(i: int) -> None:
        draw_frame(i)

    return Scene(figure, canvas, boxes, draw_frame, draw_final)


# A race's colours: gradient descent in the site's blue, RMSprop in its vermillion, whatever else after them.
RACE_COLOURS = (styles.CURVE, styles.PATH, "#009e73", "#cc79a7")


def _scene_race(paths: list[Trajectory], labels: list[str], style: styles.Style, xlim, ylim) -> Scene:
    """Several runs over one problem's contours, drawn step by step together: frame ``i`` shows every path's
    first ``i`` steps.  The legend sits above the axes, so it never covers a path."""
    problem = paths[0].problem
    figure, canvas = _new_figure(style)
    ax = figure.add_subplot()
    gx, gy = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    z = problem.f(np.stack([gx, gy], axis=-1))
    levels = styles.contour_levels(z)
    ax.contourf(gx, gy, z, levels=levels, cmap=style.contour_cmap, alpha=0.35)
    ax.contour(gx, gy, z, levels=levels, colors=styles.MUTED, linewidths=0.6, alpha=0.7)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x")
    ax.set_ylabel("y", rotation=0)
    pts = [path.points.astype(np.float64) for path in paths]
    ax.plot(*pts[0][0], "o", ms=9, mfc="none", mec=styles.START, mew=1.6)
    ax.plot(*problem.minimum, "*", ms=15, color=styles.MINIMUM, mec="white", mew=0.8)
    artists = []
    for label, colour in zip(labels, RACE_COLOURS, strict=False):
        (trail,) = ax.plot([], [], "-", color=colour, lw=2.2, alpha=0.95, animated=True, label=label)
        (point,) = ax.plot([], [], "o", ms=9, color=colour, mec="white", mew=1.0, animated=True)
        artists.append((trail, point))
    figure.legend(loc="upper center", ncols=len(labels), frameon=False, handlelength=1.6)
    figure.tight_layout(rect=(0, 0, 1, 0.88))
    radius = 9 / 2 * style.dpi / 72 + 4
    pad = 2.2 * style.dpi / 72 + 3

    def boxes(i: int) -> list[Box]:
        found = []
        for p in pts:
            found.append(_marker_box(ax, p[i], radius))
            if i > 0:
                found.append(_segment_box(ax, p[i - 1], p[i], pad))
        return found

    def draw_frame(i: int) -> list[Box]:
        for p, (trail, point) in zip(pts, artists, strict=True):
            trail.set_data(p[: i + 1, 0], p[: i + 1, 1])
            point.set_data([p[i, 0]], [p[i, 1]])
            ax.draw_artist(trail)
            ax.draw_artist(point)
        return boxes(i)

    return Scene(figure, canvas, boxes, draw_frame, draw_frame)


def build_scene(path: Trajectory, style: styles.Style, xlim=None, ylim=None) -> Scene:
    # A problem's plotting window: x then y, or x then f(x) for 1-D problems.
    default_x, default_y = path.problem.bounds[:2]
    xlim, ylim = tuple(xlim or default_x), tuple(ylim or default_y)
    if path.problem.dim == 1:
        return _scene_1d(path, style, xlim, ylim)
    if path.problem.dim == 2:
        return _scene_2d(path, style, xlim, ylim)
    raise ValueError(f"problem must have 1 or 2 coordinates to animate, got {path.problem.dim}")


# --------------------------------------------------------------------------- pixels


def _cells(box: Box, height: int, width: int) -> Cells | None:
    x0, y0, x1, y1 = box
    c0, c1 = max(int(np.floor(x0)), 0), min(int(np.ceil(x1)) + 1, width)
    r0, r1 = max(height - int(np.ceil(y1)) - 1, 0), min(height - int(np.floor(y0)), height)
    return (r0, r1, c0, c1) if r0 < r1 and c0 < c1 else None


def _union(a: Cells | None, b: Cells | None) -> Cells | None:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))


def _region(boxes: list[Box], height: int, width: int) -> Cells | None:
    region = None
    for box in boxes:
        region = _union(region, _cells(box, height, width))
    return region


def _keys(rgba: np.ndarray) -> np.ndarray:
    """Each pixel of ``rgba`` (rows x columns x 4, uint8, opaque) as one 24-bit colour key."""
    return rgba.view(np.uint32)[..., 0] & 0xFFFFFF


def _unpack(keys: np.ndarray) -> np.ndarray:
    """Colour keys back to RGB, one row per key."""
    return np.ascontiguousarray(keys.astype("<u4").view(np.uint8).reshape(-1, 4)[:, :3])


def _count_colours(rgba: np.ndarray, counts: dict[int, int], band: int = 128) -> None:
    """Add how many pixels of ``rgba`` have each colour (by key) to ``counts``, a band of rows at a time."""
    for r in range(0, rgba.shape[0], band):
        keys, found = np.unique(_keys(rgba[r : r + band]), return_counts=True)
        for key, n in zip(keys.tolist(), found.tolist(), strict=True):
            counts[key] = counts.get(key, 0) + n


class _Palette:
    """One palette for every frame, and the colour -> index map that uses it.

    Each colour maps to its nearest palette entry (squared RGB distance, the
    lowest index on a tie), computed once per colour and then looked up: a
    frame's few new colours are computed, the rest looked up.
    """

    BAND = 128  # rows converted at a time: whole images never exist twice in memory

    def __init__(self, counts: dict[int, int], colours: int):
        self.entries = self._choose(counts, colours)
        self.rgb = self.entries.tobytes()
        # Index + 1 per 24-bit colour, 0 while not computed.  An anonymous mapping
        # (not np.zeros, which NumPy backs with 2 MB huge pages): only the 4 KB
        # pages holding colours that occur take memory.
        self._memory = mmap.mmap(-1, 2 << 24)
        self._lookup = np.frombuffer(self._memory, dtype=np.uint16)

    def indices(self, rgba: np.ndarray) -> np.ndarray:
        """Palette indices of ``rgba`` (rows x columns x 4)."""
        out = np.empty(rgba.shape[:2], dtype=np.uint8)
        for r in range(0, rgba.shape[0], self.BAND):
            keys = _keys(rgba[r : r + self.BAND])
            found = self._lookup[keys]
            if not found.all():
                new = np.unique(keys[found == 0])
                self._lookup[new] = _nearest(_unpack(new), self.entries).astype(np.uint16) + 1
                found = self._lookup[keys]
            out[r : r + self.BAND] = found - 1
        return out

    @staticmethod
    def _choose(counts: dict[int, int], colours: int) -> np.ndarray:
        keys = np.array(sorted(counts), dtype=np.uint32)
        rgb = _unpack(keys)
        if len(keys) <= colours:  # few colours: keep them exactly
            return np.concatenate([rgb, np.repeat(rgb[:1], colours - len(keys), axis=0)])
        # Median cut over every colour, each weighted by its share of the pixels
        # (to 1/16): the full image's palette at a fraction of the cost.
        weights = np.array([counts[k] for k in keys.tolist()])
        weighted = np.repeat(rgb, -(-weights // 16), axis=0)[None]
        cut = Image.fromarray(np.ascontiguousarray(weighted), "RGB").quantize(
            colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        entries = np.array(cut.getpalette()[: 3 * colours], dtype=np.uint8).reshape(-1, 3)
        entries = np.concatenate([entries, np.repeat(entries[:1], colours - len(entries), axis=0)])
        # Each entry becomes the commonest colour it stands for, not their mean:
        # the white card stays white, the curve keeps its exact colour.
        chosen = _nearest(rgb, entries)
        by_weight = np.argsort(weights, kind="stable")  # the commonest last, so it wins
        entries[chosen[by_weight]] = rgb[by_weight]
        return entries


def _nearest(rgb: np.ndarray, entries: np.ndarray) -> np.ndarray:
    """The index of the nearest entry to each colour; the lowest index on a tie."""
    out = np.empty(len(rgb), dtype=np.uint8)
    table = entries.astype(np.int32)
    for start in range(0, len(rgb), 4096):
        chunk = rgb[start : start + 4096].astype(np.int32)
        distance = ((chunk[:, None, :] - table[None, :, :]) ** 2).sum(axis=-1)
        out[start : start + 4096] = np.argmin(distance, axis=1)
    return out


class _GifWriter:
    """A GIF written frame by frame: one global palette, each frame the rectangle that changed."""

    MAX_DELAY_CS = 0xFFFF  # a frame's delay field, in centiseconds

    def __init__(self, stream: BinaryIO, size: tuple[int, int], palette_rgb: bytes):
        self.stream = stream
        entries = max(2, len(palette_rgb) // 3)
        bits = (entries - 1).bit_length()  # the colour table holds 2**bits entries
        table = palette_rgb + b"\0" * (3 * (1 << bits) - len(palette_rgb))
        width, height = size
        stream.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80 | (bits - 1), 0, 0) + table)
        stream.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\0")  # loop forever
        self.frames = 0

    def frame(self, indices: np.ndarray, left: int, top: int, delay_ms: int) -> None:
        """One frame: ``indices`` placed at (left, top) over the previous frame, shown ``delay_ms``."""
        delay_cs = delay_ms // 10
        while True:
            shown = min(delay_cs, self.MAX_DELAY_CS)
            image = Image.fromarray(np.ascontiguousarray(indices), "P")
            # Disposal 1: the frame stays, and the next one is drawn over it.
            for chunk in GifImagePlugin.getdata(image, (left, top), duration=shown * 10, disposal=1):
                self.stream.write(chunk)
            delay_cs -= shown
            if delay_cs <= 0:
                break
            indices = indices[:1, :1]  # a longer wait: the same pixel again
        self.frames += 1

    def close(self) -> None:
        self.stream.write(b";")


class _Progress:
    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled

    def __call__(self, done: int) -> None:
        if self.enabled and (done == self.total or done % 5 == 0):
            sys.stderr.write(f"\rrendering frame {done}/{self.total}")
            if done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def _changed(old: np.ndarray, new: np.ndarray) -> tuple[int, int, int, int] | None:
    """The smallest rows-and-columns rectangle where ``new`` differs from ``old``, or None."""
    diff = old != new
    rows, cols = np.flatnonzero(diff.any(axis=1)), np.flatnonzero(diff.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def animate(
    path: Trajectory,
    out: str,
    *,
    still: str | None = None,
    frames: int = 200,
    fps: float = 50.0,
    style: str | styles.Style = "default",
    size: tuple[int, int] | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    progress: bool | None = None,
) -> AnimationResult:
    """Write ``path``'s first ``frames`` points as a GIF (and optionally a still PNG).

    Frame ``i`` shows the point after ``i`` steps, as in the post (200 frames
    at 50 fps show the first 199 steps of a 1000-step run).  ``style`` is a
    style's name or a :class:`~rmsprop_docs.render.styles.Style`.  The still is
    the last frame with every visited point, in the GIF's palette.  The same
    inputs always give the same bytes.  Output is written beside ``out`` and
    renamed into place, so a failed or killed render leaves the previous file
    intact.

    Examples:
        >>> import pathlib, tempfile
        >>> from rmsprop_docs import trace
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "cubic.gif"
        >>> result = animate(trace("cubic", x0=[-1.0]), str(out), frames=50, size=(320, 180))
        >>> result.frames, result.size
        (50, (320, 180))
    """
    frames = limits.frames(frames, len(path.points))
    look = style.at_size(size) if isinstance(style, styles.Style) else styles.get(style, size)
    return _write(lambda: build_scene(path, look, xlim, ylim), look, out, still, frames, fps, progress)


def animate_race(
    paths: list[Trajectory],
    labels: list[str],
    out: str,
    *,
    still: str | None = None,
    frames: int | None = None,
    fps: float = 10.0,
    size: tuple[int, int] = (720, 400),
    font_size: float = 14.0,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    progress: bool | None = None,
) -> AnimationResult:
    """Write several runs on one 2-D problem as one GIF, each path drawn in its own colour, frame ``i`` showing
    every run after ``i`` steps (and optionally the last frame as a still PNG).  The runs must share a problem
    and a start.  ``font_size`` is in points at 100 dpi: 14 keeps the labels readable when a phone shows the
    figure at half its width.  Same inputs, same bytes; written atomically like :func:`animate`.

    Examples:
        >>> import pathlib, tempfile
        >>> from rmsprop_docs import gradient_descent, rmsprop, trace
        >>> runs = [trace("bowl", None, opt, steps=20) for opt in (gradient_descent(lr=0.4), rmsprop(lr=0.4))]
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "race.gif"
        >>> animate_race(runs, ["gradient descent", "RMSprop"], str(out), size=(360, 200)).frames
        21
    """
    if len(paths) != len(labels) or not 1 <= len(paths) <= len(RACE_COLOURS):
        raise ValueError(
            f"paths and labels must be two lists of the same length, 1 to {len(RACE_COLOURS)}, "
            f"got {len(paths)} paths and {len(labels)} labels"
        )
    problem, start = paths[0].problem, paths[0].points[0]
    if problem.dim != 2 or any(p.problem is not problem or not np.array_equal(p.points[0], start) for p in paths):
        raise ValueError("paths must be runs on one 2-D problem from one start")
    shortest = min(len(p.points) for p in paths)
    frames = limits.frames(shortest if frames is None else frames, shortest)
    look = dataclasses.replace(
        styles.DEFAULT, size=tuple(size), dpi=100, rc={**styles.DEFAULT.rc, "font.size": font_size}
    )
    default_x, default_y = problem.bounds[:2]
    xlim, ylim = tuple(xlim or default_x), tuple(ylim or default_y)
    return _write(lambda: _scene_race(paths, labels, look, xlim, ylim), look, out, still, frames, fps, progress)


def _write(
    make_scene: Callable[[], Scene],
    look: styles.Style,
    out: str,
    still: str | None,
    frames: int,
    fps: float,
    progress: bool | None,
) -> AnimationResult:
    """Draw ``frames`` frames of the scene ``make_scene`` builds and stream them to ``out`` as a GIF."""
    fps = limits.fps(fps)
    delay_ms = max(10, 10 * round(100 / fps))  # whole centiseconds
    progress_bar = _Progress(frames, sys.stderr.isatty() if progress is None else progress)

    with matplotlib.rc_context(dict(look.rc)):
        scene = make_scene()
        canvas = scene.canvas
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())  # the canvas itself: writes here are restores
        background = pixels.copy()
        height, width = pixels.shape[:2]

        def restore(cells: Cells | None) -> None:
            if cells is not None:
                r0, r1, c0, c1 = cells
                pixels[r0:r1, c0:c1] = background[r0:r1, c0:c1]

        def draw_still() -> None:
            pixels[...] = background
            scene.draw_final(frames - 1)

        # One palette from the background, the moving artists at the start and
        # at the end, and the still.
        counts: dict[int, int] = {}
        _count_colours(background, counts)
        for i in (0, frames - 1):
            region = _region(scene.boxes(i), height, width)
            restore(region)
            scene.draw_frame(i)
            if region is not None:
                r0, r1, c0, c1 = region
                _count_colours(pixels[r0:r1, c0:c1], counts)
        if still is not None:
            draw_still()
            _count_colours(pixels, counts)
        palette = _Palette(counts, look.palette_colours)
        current = palette.indices(background)  # the frame shown so far

        with files.atomic_path(out) as tmp, open(tmp, "wb") as stream:
            gif = _GifWriter(stream, (width, height), palette.rgb)
            pending: tuple[np.ndarray, int, int] | None = None  # written once its duration is known
            pending_ms = 0
            previous = None
            for i in range(frames):
                region = _region(scene.boxes(i), height, width)
                dirty = _union(region, previous)  # where frame i draws, and where frame i - 1 did
                restore(dirty)
                scene.draw_frame(i)
                change = None
                if dirty is not None:
                    r0, r1, c0, c1 = dirty
                    patch = palette.indices(pixels[r0:r1, c0:c1])
                    inner = _changed(current[r0:r1, c0:c1], patch)
                    if inner is not None:
                        current[r0:r1, c0:c1] = patch
                        change = (r0 + inner[0], r0 + inner[1], c0 + inner[2], c0 + inner[3])
                if pending is None or change is not None:
                    if pending is not None:
                        gif.frame(*pending, pending_ms)
                    q0, q1, p0, p1 = change if pending is not None else (0, height, 0, width)
                    pending, pending_ms = (current[q0:q1, p0:p1].copy(), p0, q0), 0
                pending_ms += delay_ms
                previous = region
                progress_bar(i + 1)
            gif.frame(*pending, pending_ms)
            gif.close()
        written = os.path.getsize(out)

        if still is not None:
            draw_still()
            still_image = Image.fromarray(palette.indices(pixels), "P")
            still_image.putpalette(palette.rgb)
            info = PngImagePlugin.PngInfo()  # the GIF's frames hold the same text as its still
            info.add_text(styles.SMALLEST_TEXT_KEY, f"{styles.smallest_text_px(scene.figure):g}")
            with files.atomic_path(still) as tmp:
                still_image.save(tmp, format="PNG", optimize=True, pnginfo=info)
    return AnimationResult(str(out), frames, gif.frames, (width, height), written)
