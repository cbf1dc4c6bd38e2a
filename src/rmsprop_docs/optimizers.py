r"""RMSprop, its framework conventions, and the baselines it is compared with.

An optimizer is a pair of pure functions, as in Optax:

* ``init(x) -> state`` builds the state for a point ``x``;
* ``update(g, state, x) -> (delta, state)`` takes the gradient ``g`` at ``x``
  and returns the step to add (``x_next = x + delta``) and the next state.

Nothing is mutated.  Every operation is element-wise, so the same functions
run one point of shape ``(d,)`` or a batch of shape ``(n, d)`` whose
hyperparameters are arrays of shape ``(n, 1)`` (see :mod:`rmsprop_docs.sweep`).

The default, ``convention="pytorch"``, is the form of Hinton's lecture notes
and of the original post, and exactly the arithmetic of
``torch.optim.RMSprop``:

$$
v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \qquad
x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}, \qquad v_0 = 0.
$$

Convention traps, all selectable with ``convention``:

| name | v0 | eps | momentum buffer | weight decay |
|---|---|---|---|---|
| pytorch | 0 | outside the root | b = mu b + g / den; x -= lr b | L2: g += wd x |
| keras | 0 | inside the root | m = mu m + lr g / den; x -= m | decoupled: x -= lr wd x |
| tf1 | 1 | inside the root | m = mu m + lr g / den; x -= m | none |
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from rmsprop_docs import validation

CONVENTIONS = ("pytorch", "keras", "tf1")


class RMSpropState(NamedTuple):
    """The state of RMSprop at one step, named after the paper's symbols."""

    nu: np.ndarray  # v: leaky mean of g**2, "the accumulator" or "mean square"
    gbar: np.ndarray  # leaky mean of g; only used when centered (Graves 2013)
    mu: np.ndarray  # momentum buffer b (pytorch) or m (keras, tf1)


class AdagradState(NamedTuple):
    """Adagrad keeps the plain sum of squared gradients."""

    nu: np.ndarray  # sum of g**2 since the start; it only grows


class GradientDescentState(NamedTuple):
    """Plain gradient descent keeps no state."""


class Optimizer(NamedTuple):
    """A named pair of pure functions ``init`` and ``update``."""

    name: str
    init: Callable[[np.ndarray], NamedTuple]
    update: Callable[[np.ndarray, NamedTuple, np.ndarray], tuple[np.ndarray, NamedTuple]]
    hyperparameters: dict


def accumulator(state: NamedTuple) -> np.ndarray | None:
    """The squared-gradient accumulator of a state, or None if it has none.

    Examples:
        >>> opt = rmsprop()
        >>> accumulator(opt.init(np.zeros(2)))
        array([0., 0.])
    """
    return getattr(state, "nu", None)


def _any_nonzero(value: float | np.ndarray) -> bool:
    return bool(np.any(np.asarray(value) != 0))


def rmsprop(
    lr: float = 0.01,
    rho: float = 0.9,
    eps: float = 1e-8,
    *,
    momentum: float = 0.0,
    centered: bool = False,
    weight_decay: float = 0.0,
    convention: str = "pytorch",
) -> Optimizer:
    r"""RMSprop with the arithmetic of ``convention``.

    The default is the post's and PyTorch's form:

    $$
    v_t = \rho v_{t-1} + (1-\rho) g_t^2, \qquad
    x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}, \qquad v_0 = 0.
    $$

    Options, each in the chosen convention's arithmetic:

    * ``centered``: divide by ``sqrt(v - gbar**2)`` where ``gbar`` is the leaky
      mean of ``g`` (Graves 2013), an estimate of the variance, not the second moment.
    * ``momentum``: PyTorch accumulates ``g / den`` and multiplies by ``lr``
      afterwards; Keras and TF1 put ``lr`` inside the buffer.  The two agree only
      while ``lr`` is constant.
    * ``weight_decay``: PyTorch adds ``wd * x`` to the gradient (L2, so it is
      also divided by the root); Keras shrinks ``x`` by ``lr * wd * x`` first
      (decoupled); TF1 has none.

    Traps: Keras and TF1 add ``eps`` *inside* the root, which matters when
    ``eps`` is not tiny next to ``v``; TF1 starts ``v`` at 1, not 0; PyTorch's
    default ``alpha`` (our ``rho``) is 0.99, Keras' ``rho`` is 0.9.

    Examples:
        One step on x**2/2 from 10, with PyTorch's defaults but lr = 0.1:

        >>> opt = rmsprop(lr=0.1, rho=0.99)
        >>> x = np.array([10.0])
        >>> delta, state = opt.update(x, opt.init(x), x)  # loss x**2/2, so g = x
        >>> print(x + delta)
        [9.00000001]
    """
    lr = validation.positive("lr", lr)
    rho = validation.unit_interval("rho", rho)
    eps = validation.positive("eps", eps)
    momentum = validation.unit_interval("momentum", momentum)
    weight_decay = validation.non_negative("weight_decay", weight_decay)
    convention = validation.choice("convention", convention, CONVENTIONS)
    if convention == "tf1" and _any_nonzero(weight_decay):
        raise ValueError(
            "weight_decay must be 0 with convention tf1 (TF1's RMSProp has none; add an L2 term to the loss)"
        )
    uses_momentum = _any_nonzero(momentum)
    uses_weight_decay = _any_nonzero(weight_decay)
    # TF1 always keeps the buffer: with momentum 0 it is just lr * g / den.
    keeps_buffer = uses_momentum or convention == "tf1"
    v0 = 1.0 if convention == "tf1" else 0.0

    def init(x: np.ndarray) -> RMSpropState:
        zeros = np.zeros_like(x)
        return RMSpropState(nu=np.full_like(x, v0), gbar=zeros, mu=zeros)

    def update(g: np.ndarray, state: RMSpropState, x: np.ndarray):
        if convention == "pytorch" and uses_weight_decay:
            g = g + weight_decay * x
        # Operation order follows each framework (torch's addcmul and lerp), so
        # runs that amplify rounding, as on Rosenbrock, still agree to the last bit.
        if convention == "pytorch":
            nu = rho * state.nu + (1 - rho) * g * g
            gbar = state.gbar + (1 - rho) * (g - state.gbar) if centered else state.gbar
        else:
            nu = rho * state.nu + (1 - rho) * (g * g)
            gbar = rho * state.gbar + (1 - rho) * g if centered else state.gbar
        second_moment = nu - gbar * gbar if centered else nu
        if convention == "pytorch":
            den = np.sqrt(second_moment) + eps
            if uses_momentum:
                mu = momentum * state.mu + g / den
                return -lr * mu, RMSpropState(nu, gbar, mu)
            return -lr * (g / den), RMSpropState(nu, gbar, state.mu)
        increment = lr * g / np.sqrt(second_moment + eps)
        mu = momentum * state.mu + increment if keeps_buffer else state.mu
        delta = -(mu if keeps_buffer else increment)
        if convention == "keras" and uses_weight_decay:
            delta = delta - x * weight_decay * lr
        return delta, RMSpropState(nu, gbar, mu)

    hyper = dict(
        lr=lr,
        rho=rho,
        eps=eps,
        momentum=momentum,
        centered=bool(centered),
        weight_decay=weight_decay,
        convention=convention,
    )
    return Optimizer("rmsprop", init, update, hyper)


RMSPROP_OPTIONS = ("lr", "rho", "eps", "momentum", "centered", "weight_decay", "convention")


def rmsprop_from(options: Mapping) -> Optimizer:
    """RMSprop from a mapping that may hold other keys too (a figure's or a fixture's parameters).

    Examples:
        >>> rmsprop_from({"lr": 0.1, "convention": "keras", "problem": "cubic"}).hyperparameters["convention"]
        'keras'
    """
    return rmsprop(**{name: options[name] for name in RMSPROP_OPTIONS if name in options})


def adagrad(lr: float = 0.01, eps: float = 1e-8) -> Optimizer:
    r"""Adagrad, RMSprop's predecessor: the accumulator is a sum, not a leaky mean.

    $$
    v_t = v_{t-1} + g_t^2, \qquad x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}
    $$

    ``v`` grows without bound, so the effective learning rate
    ``lr / sqrt(v)`` only shrinks.  ``eps`` sits outside the root, as in
    ``torch.optim.Adagrad`` (whose ``initial_accumulator_value`` is also 0).

    Examples:
        >>> opt = adagrad(lr=1.0)
        >>> x = np.array([3.0])
        >>> delta, state = opt.update(np.array([2.0]), opt.init(x), x)
        >>> print(delta, state.nu)
        [-1.] [4.]
    """
    lr = validation.positive("lr", lr)
    eps = validation.positive("eps", eps)

    def init(x: np.ndarray) -> AdagradState:
        return AdagradState(nu=np.zeros_like(x))

    def update(g: np.ndarray, state: AdagradState, x: np.ndarray):
        nu = state.nu + g * g
        return -lr * g / (np.sqrt(nu) + eps), AdagradState(nu)

    return Optimizer("adagrad", init, update, dict(lr=lr, eps=eps))


def gradient_descent(lr: float = 0.01) -> Optimizer:
    r"""Plain gradient descent, $x_t = x_{t-1} - \eta\, g_t$.

    Examples:
        >>> opt = gradient_descent(lr=0.1)
        >>> x = np.array([1.0])
        >>> print(opt.update(np.array([2.0]), opt.init(x), x)[0])
        [-0.2]
    """
    lr = validation.positive("lr", lr)

    def init(x: np.ndarray) -> GradientDescentState:
        return GradientDescentState()

    def update(g: np.ndarray, state: GradientDescentState, x: np.ndarray):
        return -lr * g, state

    return Optimizer("gradient_descent", init, update, dict(lr=lr))
