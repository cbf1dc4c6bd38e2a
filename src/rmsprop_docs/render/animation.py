"""GIF animations of a trajectory, drawn once and blitted.

The post's method redraws the whole figure for every frame and keeps every
RGBA frame in memory.  Here the static scene (curve or contours, grid, labels,
title) is drawn once; each frame restores that background, draws only the
moving artists, and converts only the pixels they touched to palette indices,
with one palette shared by every frame.  Consecutive identical frames become
one longer frame.  Output is written atomically (see :mod:`rmsprop_docs.files`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from rmsprop_docs import files, validation
from rmsprop_docs.render import styles
from rmsprop_docs.trajectory import Trajectory


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
    """A figure whose static part is drawn, and a way to draw one frame over it."""

    figure: Figure
    canvas: FigureCanvasAgg
    draw_frame: Callable[[int], list[tuple[float, float, float, float]]]  # frame -> touched display boxes
    draw_final: Callable[[int], None]  # the still: the whole path up to a frame


def _title(path: Trajectory, style: styles.Style) -> str:
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


def _marker_box(ax, xy, radius_px: float) -> tuple[float, float, float, float]:
    x, y = ax.transData.transform(np.asarray(xy, dtype=np.float64))
    return (x - radius_px, y - radius_px, x + radius_px, y + radius_px)


def _segment_box(ax, a, b, pad_px: float) -> tuple[float, float, float, float]:
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
    ax.set_ylabel("y" if style.name == "post" else "f(x)", rotation=0 if style.name == "post" else 90)
    f_min = float(problem.f(np.array(problem.minimum)))
    ax.hlines(f_min, xlim[0], xlim[1], linestyles="dashed", alpha=0.5)
    ax.set_title(_title(path, style))
    xs_path = path.points[:, 0].astype(np.float64)
    ys_path = problem.f(path.points.astype(np.float64))
    point = ax.scatter([xs_path[0]], [ys_path[0]], color=style.point_color, s=style.point_size, zorder=3, animated=True)
    radius = (style.point_size**0.5) / 2 * style.dpi / 72 + 3
    if style.name != "post":
        figure.tight_layout()

    def draw_frame(i: int):
        point.set_offsets([[xs_path[i], ys_path[i]]])
        ax.draw_artist(point)
        return [_marker_box(ax, (xs_path[i], ys_path[i]), radius)]

    def draw_final(i: int):
        (visited,) = ax.plot(xs_path[: i + 1], ys_path[: i + 1], "o", ms=3, color=style.point_color, alpha=0.35)
        ax.draw_artist(visited)
        draw_frame(i)

    return Scene(figure, canvas, draw_frame, draw_final)


def _scene_2d(path: Trajectory, style: styles.Style, xlim, ylim) -> Scene:
    problem = path.problem
    figure, canvas = _new_figure(style)
    ax = figure.add_subplot()
    gx, gy = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    z = problem.f(np.stack([gx, gy], axis=-1))
    levels = styles.contour_levels(z)
    ax.contourf(gx, gy, z, levels=levels, cmap="Blues_r" if style.name != "post" else "viridis", alpha=0.45)
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
    ax.legend(loc="upper right", frameon=True, framealpha=0.9, fontsize="small")
    figure.tight_layout()
    radius = 6.5 / 2 * style.dpi / 72 + 4
    pad = 1.4 * style.dpi / 72 + 3

    def draw_frame(i: int):
        trail.set_data(pts[: i + 1, 0], pts[: i + 1, 1])
        point.set_data([pts[i, 0]], [pts[i, 1]])
        ax.draw_artist(trail)
        ax.draw_artist(point)
        boxes = [_marker_box(ax, pts[i], radius)]
        if i > 0:
            boxes.append(_segment_box(ax, pts[i - 1], pts[i], pad))
        return boxes

    return Scene(figure, canvas, draw_frame, draw_frame)


def build_scene(path: Trajectory, style: styles.Style, xlim=None, ylim=None) -> Scene:
    # A problem's plotting window: x then y, or x then f(x) for 1-D problems.
    default_x, default_y = path.problem.bounds[:2]
    xlim, ylim = tuple(xlim or default_x), tuple(ylim or default_y)
    if path.problem.dim == 1:
        return _scene_1d(path, style, xlim, ylim)
    if path.problem.dim == 2:
        return _scene_2d(path, style, xlim, ylim)
    raise ValueError(f"problem must have 1 or 2 coordinates to animate, got {path.problem.dim}")


# --------------------------------------------------------------------------- frames


def _rows_cols(box, height: int, width: int):
    x0, y0, x1, y1 = box
    c0, c1 = max(int(np.floor(x0)), 0), min(int(np.ceil(x1)) + 1, width)
    r0, r1 = max(height - int(np.ceil(y1)) - 1, 0), min(height - int(np.floor(y0)), height)
    return (r0, r1, c0, c1) if r0 < r1 and c0 < c1 else None


def _union(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))


def _rgb(canvas: FigureCanvasAgg) -> np.ndarray:
    return np.asarray(canvas.buffer_rgba())[..., :3]


def _palette_image(samples: list[np.ndarray], colours: int) -> Image.Image:
    """One palette for every frame, from the background and the moving artists."""
    stacked = np.concatenate([s.reshape(-1, 3) for s in samples])[None]
    sample = Image.fromarray(np.ascontiguousarray(stacked), "RGB")
    exact = sample.getcolors(colours)
    if exact is not None:  # few colours: keep them exactly
        flat = [c for _, rgb in sorted(exact, key=lambda item: item[1]) for c in rgb]
        palette = Image.new("P", (1, 1))
        palette.putpalette(flat + flat[:3] * (colours - len(exact)))
        return palette
    return sample.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def _indices(rgb: np.ndarray, palette: Image.Image) -> np.ndarray:
    image = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
    return np.asarray(image.quantize(palette=palette, dither=Image.Dither.NONE))


class _Progress:
    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled

    def __call__(self, done: int) -> None:
        if self.enabled and (done == self.total or done % 5 == 0):
            sys.stderr.write(f"\rrendering frame {done}/{self.total}")
            if done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def animate(
    path: Trajectory,
    out: str,
    *,
    still: str | None = None,
    frames: int = 200,
    fps: float = 50.0,
    style: str = "default",
    size: tuple[int, int] | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    progress: bool | None = None,
) -> AnimationResult:
    """Write ``path``'s first ``frames`` points as a GIF (and optionally a still PNG).

    Frame ``i`` shows the point after ``i`` steps, as in the post (200 frames
    at 50 fps show the first 199 steps of a 1000-step run).  The same inputs
    always give the same bytes.  Output is written beside ``out`` and renamed
    into place, so a failed or killed render leaves the previous file intact.

    Examples:
        >>> import pathlib, tempfile
        >>> from rmsprop_docs import trace
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "cubic.gif"
        >>> result = animate(trace("cubic", x0=[-1.0]), str(out), frames=50, size=(320, 180))
        >>> result.frames, result.size
        (50, (320, 180))
    """
    frames = validation.frames(frames, len(path.points))
    fps = validation.fps(fps)
    look = styles.get(style, size)
    validation.frame_budget(frames, look.size)
    delay_ms = max(10, 10 * round(100 / fps))  # whole centiseconds
    progress_bar = _Progress(frames, sys.stderr.isatty() if progress is None else progress)

    import matplotlib

    with matplotlib.rc_context(look.rc):
        scene = build_scene(path, look, xlim, ylim)
        canvas = scene.canvas
        canvas.draw()
        background = canvas.copy_from_bbox(scene.figure.bbox)
        height, width = _rgb(canvas).shape[:2]
        background_rgb = _rgb(canvas).copy()

        # Sample the moving artists' colours at the start and at the end.
        samples = [background_rgb]
        for i in (0, frames - 1):
            canvas.restore_region(background)
            boxes = scene.draw_frame(i)
            for box in boxes:
                cells = _rows_cols(box, height, width)
                if cells:
                    r0, r1, c0, c1 = cells
                    samples.append(_rgb(canvas)[r0:r1, c0:c1].copy())
        palette = _palette_image(samples, look.palette_colours)
        background_idx = _indices(background_rgb, palette)

        stored: list[np.ndarray] = []
        durations: list[int] = []
        current = background_idx.copy()
        previous_region = None
        for i in range(frames):
            canvas.restore_region(background)
            region = None
            for box in scene.draw_frame(i):
                region = _union(region, _rows_cols(box, height, width))
            dirty = _union(region, previous_region)
            changed = True
            if dirty is not None:
                r0, r1, c0, c1 = dirty
                patch = _indices(_rgb(canvas)[r0:r1, c0:c1], palette)
                changed = not np.array_equal(patch, current[r0:r1, c0:c1])
                if changed and stored:
                    current = current.copy()  # stored frames are never mutated
                current[r0:r1, c0:c1] = patch
            if changed or not stored:
                stored.append(current)
                durations.append(delay_ms)
            else:
                durations[-1] += delay_ms
            previous_region = region
            progress_bar(i + 1)

        palette_bytes = palette.getpalette()
        images = []
        for idx in stored:
            image = Image.fromarray(idx, "P")
            image.putpalette(palette_bytes)
            images.append(image)
        with files.atomic_path(out) as tmp:
            images[0].save(
                tmp,
                format="GIF",
                save_all=True,
                append_images=images[1:],
                duration=durations if len(images) > 1 else durations[0],
                loop=0,
                optimize=False,
                disposal=1,
            )
        written = os.path.getsize(out)

        if still is not None:
            canvas.restore_region(background)
            scene.draw_final(frames - 1)
            with files.atomic_path(still) as tmp:
                Image.fromarray(_rgb(canvas).copy(), "RGB").save(tmp, format="PNG", optimize=True)
    return AnimationResult(str(out), frames, len(stored), (width, height), written)
