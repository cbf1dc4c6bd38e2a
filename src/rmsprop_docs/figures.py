"""The registry: every figure the site shows, with the parameters that make it.

Pages, the asset build and the tests all read this one table.  A figure is
either an animation of a trajectory (a GIF and its still PNG, for readers who
prefer reduced motion) or a static plot drawn by a function in
:mod:`rmsprop_docs.render.plots`.  Nothing here imports Matplotlib, so deciding
what is stale stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Where each kind of figure's code starts; rmsprop_docs.dependencies finds the rest by following imports.
ENTRY_MODULES = {
    "animation": ("rmsprop_docs.trajectory", "rmsprop_docs.render.animation"),
    "race": ("rmsprop_docs.trajectory", "rmsprop_docs.render.animation"),
    "plot": ("rmsprop_docs.render.plots",),
}


@dataclass(frozen=True)
class FigureSpec:
    """One registered figure."""

    name: str  # file stem under docs/assets/
    kind: str  # "animation" (one run), "race" (several runs on one problem, one colour each) or "plot"
    alt: str  # what the figure shows, for alt text
    params: Mapping = field(default_factory=dict)

    @property
    def outputs(self) -> tuple[str, ...]:
        if self.kind in ("animation", "race"):
            return (f"{self.name}.gif", f"{self.name}.png")
        return (f"{self.name}.png",)

    @property
    def entry_modules(self) -> tuple[str, ...]:
        """The modules whose code draws this figure; what they import is found from them."""
        if self.kind == "plot":
            return (plot_module(self.params["plot"]),)
        return ENTRY_MODULES[self.kind]


def plot_module(plot: str) -> str:
    """The module of a plot function: ``"story.stability"`` lives in ``rmsprop_docs.render.story``;
    a name without a module is one of ``rmsprop_docs.render.plots.PLOTS``."""
    module, _, _ = plot.rpartition(".")
    return f"rmsprop_docs.render.{module}" if module else ENTRY_MODULES["plot"][0]


def _animation(name: str, alt: str, **params) -> FigureSpec:
    defaults = dict(steps=1000, lr=0.01, rho=0.9, eps=1e-8, frames=200, fps=50, style="default")
    return FigureSpec(name, "animation", alt, MappingProxyType({**defaults, **params}))


def _race(name: str, alt: str, **params) -> FigureSpec:
    return FigureSpec(name, "race", alt, MappingProxyType({"fps": 10, "font_size": 14.0, **params}))


def _plot(name: str, alt: str, plot: str, **params) -> FigureSpec:
    return FigureSpec(name, "plot", alt, MappingProxyType({"plot": plot, **params}))


FIGURES: dict[str, FigureSpec] = {
    spec.name: spec
    for spec in (
        _race(
            "bowl-race",
            "Animation of the first 45 steps over the elongated elliptic contours of 0.1 x^2 + 2 y^2, both runs from "
            "(-5, -2) with learning rate 0.4. Gradient descent (blue) zigzags across the narrow y direction while it "
            "crawls along x, and is still 0.12 from the minimum after 45 steps. RMSprop (orange) moves both "
            "coordinates at the same pace, comes within 0.05 of the minimum at step 17 without zigzagging, and stays "
            "within 0.05 up to step 45.",
            problem="bowl",
            x0=(-5.0, -2.0),
            steps=45,
            runs=(
                {"label": "gradient descent", "optimizer": "gradient_descent", "lr": 0.4},
                {"label": "RMSprop", "optimizer": "rmsprop", "lr": 0.4, "rho": 0.9, "eps": 1e-8},
            ),
            size=(620, 440),
            xlim=(-5.6, 0.9),
            ylim=(-2.4, 1.6),
        ),
        _plot(
            "forgetting",
            "Bars of the weight each past squared gradient carries in v: (1 - rho) rho^k for a gradient k steps old. "
            "With rho = 0.9 the weights start at 0.1 and halve about every 6.6 steps; with rho = 0.99 they start at "
            "0.01 and fall ten times more slowly, so v averages over about 100 steps instead of 10.",
            "story.forgetting",
            rhos=(0.9, 0.99),
            ages=60,
            size=(700, 380),
        ),
        _animation(
            "cubic-rmsprop",
            "Animation: a point starts at x = -1 on the curve f(x) = x - x^3 and slides right and down "
            "into the local minimum at x = -1/sqrt(3), where it stops on the dashed line.",
            problem="cubic",
            x0=(-1.0,),
            size=(640, 360),
            xlim=(-1.5, 1.5),
            ylim=(-1.2, 1.2),
        ),
        _animation(
            "cubic-rmsprop-post",
            "Animation in the original post's look: the curve x - x^3 from -5 to 5 and a red point "
            "moving from x = -1 to the local minimum.",
            problem="cubic",
            x0=(-1.0,),
            style="post",
            size=(1920, 1080),
        ),
        _animation(
            "quadratic-rmsprop",
            "Animation: over the elliptic contours of 2x^2 + 2xy + 2y^2 - 6x, the path starts at (1, 0) "
            "and runs almost straight to the minimum at (2, -1), then jitters around it.",
            problem="quadratic",
            x0=(1.0, 0.0),
            size=(560, 420),
        ),
        _plot(
            "adagrad-vs-rmsprop",
            "Two panels, one above the other, on a log scale. Top: Adagrad's accumulator keeps growing while "
            "RMSprop's rises and "
            "then falls as the gradients shrink. Bottom: Adagrad's effective learning rate only decreases; "
            "RMSprop's rises as the gradients shrink near the minimum.",
            "accumulators",
            problem="quadratic",
            x0=(1.0, 0.0),
            steps=300,
            lr=0.01,
            rho=0.9,
            size=(700, 760),
        ),
        _plot(
            "eps-placement",
            "Top: three paths from (-2, 1) over an elongated bowl with eps = 0.1; PyTorch's arithmetic (eps "
            "outside the root) and Keras' (inside) take visibly different routes, and TF1's (accumulator "
            "starting at 1) starts slowest. Bottom: their distances to the minimum.",
            "eps_placement",
            problem="elongated",
            x0=(-2.0, 1.0),
            steps=300,
            lr=0.02,
            eps=0.1,
            size=(700, 820),
        ),
        _plot(
            "hyperparameter-map",
            "A heat map with rho from 0 to 0.99 across and the learning rate from 0.001 to 1 up (log scale), "
            "coloured by the number of steps to come within 0.05 of the minimum of the original blog post's "
            "quadratic; grey "
            "where a run never gets that close.",
            "hyperparameter_map",
            problem="quadratic",
            x0=(1.0, 0.0),
            steps=1000,
            tol=0.05,
            lrs=(1e-3, 1.0, 61),
            rhos=(0.0, 0.99, 45),
            size=(700, 480),
        ),
        _plot(
            "cubic-stability",
            "Three panels for RMSprop on x - x^3 from -1 with lr 0.01, one above the other. Top: distance to the "
            "minimum on a log "
            "scale; the 50-digit run comes within 1e-21 near step 100 and then climbs back to about 0.005, the "
            "float64 run stops at step 95 where the gradient rounds to zero, the float32 run behaves like the exact "
            "one (its thin line runs inside the exact run's wide pale one). Middle: the gain lr times f'' over the "
            "root of v rises through 2 at step 107 in every arithmetic; "
            "the exact and float32 runs then stay near 2 while float64's grows without bound. Bottom: the last steps "
            "alternate about 0.005 either side of the minimum, except float64, which sits on it.",
            "story.stability",
            problem="cubic",
            x0=(-1.0,),
            steps=1000,
            lr=0.01,
            curvature=2 * 3**0.5,
            tail=12,
            size=(700, 1000),
        ),
        _plot(
            "quadratic-stability",
            "Three panels for RMSprop on the original blog post's quadratic from (1, 0) with lr 0.01, one above the "
            "other. Top: "
            "distance to (2, -1) "
            "on a log scale; float32 lands exactly on the minimum at step 150, float64 and the 50-digit run pass "
            "very close and then leave for a cycle about 0.007 away. Middle: the gain for the steep direction, lr "
            "times 6 over the root of v, rises through 2 and the cycles hold it near 2. Bottom: the last steps of "
            "x alternate between 1.995 and 2.005.",
            "story.stability",
            problem="quadratic",
            x0=(1.0, 0.0),
            steps=1000,
            lr=0.01,
            curvature=6.0,
            tail=12,
            size=(700, 1000),
        ),
        _plot(
            "schedules",
            "Distance to the minimum of the original blog post's quadratic on a log scale over 3000 steps. With a "
            "constant "
            "learning rate the distance levels off near 0.007; with step, exponential, inverse square root and "
            "cosine schedules it keeps falling as the learning rate decays.",
            "story.schedules",
            problem="quadratic",
            x0=(1.0, 0.0),
            steps=3000,
            lr=0.01,
            plans=(
                {"kind": "step", "gamma": 0.5, "every": 300},
                {"kind": "exponential", "gamma": 0.998},
                {"kind": "inverse_sqrt", "every": 100},
                {"kind": "cosine", "horizon": 3000},
            ),
            size=(700, 440),
        ),
        _plot(
            "variant-effects",
            "Three panels, one above the other. Top: on the elongated bowl from (-2, 1), RMSprop with momentum 0.9 "
            "overshoots the "
            "minimum and swings back, plain RMSprop does not. Middle: under a constant gradient, centered RMSprop's "
            "step grows exponentially; with eps outside the root (PyTorch) it reaches about a million times the "
            "learning rate, with eps inside (Keras) it stops near lr over the root of eps; plain RMSprop's step stays "
            "at lr. Bottom: on the original blog post's quadratic with weight decay 1 and a decaying learning rate, "
            "coupled decay "
            "settles at (1.43, -0.57), decoupled decay at (1, -0.5).",
            "story.variant_effects",
            lr=0.02,
            steps=200,
            weight_decay=1.0,
            size=(700, 1300),
        ),
        _plot(
            "minibatch-drift",
            "Two panels of a weight against mini-batch step, one above the other. Top, gradients +0.1 on nine "
            "batches and -0.9 on the "
            "tenth (mean 0), symmetric log scale: SGD stays within 0.01 of 0, RMSprop drifts slowly (less for rho "
            "closer to 1), sign descent drifts down by 0.08 every ten steps and Rprop by hundreds. Bottom, the same "
            "gradients plus the weight itself: SGD and RMSprop hover around the minimum at 0, sign descent and Rprop "
            "settle at -0.1, where the median gradient is zero.",
            "training.hinton_drift",
            steps=500,
            curvature=1.0,
            size=(700, 820),
        ),
        _plot(
            "minibatch-curves",
            "Two panels of loss against epoch on a log scale for a one-hidden-layer network on the handwritten "
            "digits, each optimizer at its tuned learning rate, median over five seeds, and RMSprop's range as a "
            "band; RMSprop drawn wider. Top: training "
            "loss; bottom: test loss. SGD, momentum, Adagrad, RMSprop and Adam end close together (test loss 0.13 "
            "to 0.16); Rprop starts lowest, then levels off (training loss near 0.2, test loss near 0.31) and ends "
            "highest in both.",
            "training.loss_curves",
            model="mlp",
            size=(700, 820),
        ),
        _plot(
            "minibatch-batch-size",
            "Training loss after 300 steps of softmax regression on the digits against batch size (8 to the full "
            "1078), log scales. With the full batch Rprop reaches the lowest loss by far; as batches shrink its "
            "loss grows by orders of magnitude, while SGD's and RMSprop's grow gently.",
            "training.batch_size_effect",
            size=(700, 520),
        ),
    )
}


# Rough seconds each figure takes to render on one core: the asset build hands the slowest out first, so that
# parallel workers finish together.  Only the order depends on them, never a file.
RENDER_SECONDS = {
    "bowl-race": 0.5,
    "forgetting": 0.3,
    "variant-effects": 1.4,
    "quadratic-stability": 0.85,
    "minibatch-curves": 0.8,
    "cubic-stability": 0.7,
    "hyperparameter-map": 0.6,
    "schedules": 0.55,
    "cubic-rmsprop": 0.5,
    "cubic-rmsprop-post": 0.5,
    "adagrad-vs-rmsprop": 0.5,
    "minibatch-drift": 0.5,
    "eps-placement": 0.4,
    "quadratic-rmsprop": 0.35,
    "minibatch-batch-size": 0.3,
}


def get(name: str) -> FigureSpec:
    """Look a figure up by name."""
    from rmsprop_docs import validation

    return FIGURES[validation.choice("figure", name, tuple(FIGURES))]
