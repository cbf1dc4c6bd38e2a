"""The original post's animation method, for comparison only.

Every frame clears the axes and draws the whole figure again (FuncAnimation
calling ``ax.clear()``), and PillowWriter keeps every RGBA frame in memory.
This is the baseline ``make bench`` measures the renderer against.

    python scripts/post_animation.py OUT.gif
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.animation as animation
import matplotlib.pyplot as plt
import numpy as np

LOCAL_MINIMUM = -0.5773502691896256  # the value the post draws its dashed line at


def f(x):
    return x - x**3


def f_prime(x):
    return 1 - 3 * x**2


def post_points(steps: int = 1000) -> list[float]:
    """The post's loop, with its start, learning rate, rho and epsilon."""
    x, lr, rho, eps, v = -1.0, 0.01, 0.9, 10**-8, 0.0
    points = [x]
    for _ in range(steps):
        v = rho * v + (1 - rho) * f_prime(x) ** 2
        x += -lr * f_prime(x) / (v**0.5 + eps)
        points.append(x)
    return points


def setup():
    """The post's figure: 19.2 x 10.8 inches at 100 dpi, font size 22."""
    plt.rcParams.update({"font.size": 22})
    fig = plt.figure(dpi=100)
    fig.set_figheight(10.80)
    fig.set_figwidth(19.20)
    ax = plt.axes()
    return fig, ax


def draw_frame(ax, xs, ys, points, i):
    """Everything, again, for frame i."""
    ax.clear()
    ax.plot(xs, ys)
    ax.grid(alpha=0.5)
    ax.set_xlim(-5, 5)
    ax.set_ylim(-5, 5)
    ax.set_xlabel("x")
    ax.set_ylabel("y", rotation=0)
    ax.hlines(f(LOCAL_MINIMUM), -5, 5, linestyles="dashed", alpha=0.5)
    ax.set_title("RMSprop, learning_rate = 0.01")
    ax.scatter(points[i], f(points[i]), color="red")


def render(out: str, frames: int = 200, fps: int = 50) -> None:
    points = post_points()
    fig, ax = setup()
    xs = np.linspace(-5, 5, 10000)
    ys = f(xs)
    anim = animation.FuncAnimation(fig, lambda i: draw_frame(ax, xs, ys, points, i), frames=frames, interval=1000 / fps)
    anim.save(out, writer=animation.PillowWriter(fps=fps))
    plt.close(fig)


if __name__ == "__main__":
    render(sys.argv[1])
