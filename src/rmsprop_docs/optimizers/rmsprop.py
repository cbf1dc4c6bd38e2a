r"""RMSprop, composed from a :class:`~rmsprop_docs.optimizers.conventions.Convention`.

The default, ``convention="pytorch"``, is the form of Hinton's lecture 6e and of
the original post, and exactly the arithmetic of ``torch.optim.RMSprop``:

$$
\begin{array}{l}
v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \\
x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}, \\
v_0 = 0.
\end{array}
$$
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from rmsprop_docs import arithmetic, validation
from rmsprop_docs.optimizers import schedules
from rmsprop_docs.optimizers.base import Optimizer, any_nonzero, learning_rate
from rmsprop_docs.optimizers.conventions import CONVENTIONS, Convention


class RMSpropState(NamedTuple):
    """RMSprop's state after ``count`` steps; the names are Optax's."""

    nu: np.ndarray  # v: leaky mean of g**2, "the accumulator" or "mean square"
    mu: np.ndarray  # leaky mean of g; only used when centered (Graves 2013); Optax's name for it too
    momentum_buffer: np.ndarray  # b (PyTorch) or m (Keras, TF1); see Convention.lr_in_buffer
    count: int  # steps taken, for schedules


def _widen(value: object, name: str, convention: Convention) -> object:
    """A hyperparameter as the framework holds it: rounded to float32 first where it does so."""
    if name not in convention.float32_hyperparameters or isinstance(value, schedules.Schedule):
        return value
    if isinstance(value, np.ndarray):  # a sweep's column; float32 widens exactly in any later arithmetic
        return value.astype(np.float32)
    return float(np.float32(value))


def _leaky_mean_of_squares(nu, g, rho, one_minus_rho, order: str):
    if order in ("torch", "paddle"):  # square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        return rho * nu + one_minus_rho * g * g
    if order == "tf":  # ms += (grad.square() - ms) * (1 - rho)
        return nu + (g * g - nu) * one_minus_rho
    # keras, keras-rsqrt, optax ((1 - decay) * g**2 + decay * nu: the same sum, as a + b == b + a in IEEE arithmetic)
    return rho * nu + one_minus_rho * (g * g)


def _leaky_mean(mu, g, rho, one_minus_rho, order: str):
    if order == "torch":  # grad_avg.lerp_(grad, 1 - alpha): two formulas, split at weight 0.5
        weight = one_minus_rho
        return np.where(weight < 0.5, mu + weight * (g - mu), g - (g - mu) * (1 - weight))
    if order == "tf":  # mg += (grad - mg) * (1 - rho)
        return mu + (g - mu) * one_minus_rho
    return rho * mu + one_minus_rho * g  # keras, keras-rsqrt, optax (the same sum in the other order)


def _root(second_moment, eps, place: str):
    if place == "outside":
        return arithmetic.sqrt(second_moment) + eps
    return arithmetic.sqrt(second_moment + eps)


def _increment(lr, g, den, order: str):
    """The step before momentum, ``lr g / den``, associated as the framework's kernel does."""
    if order == "optax":  # scaling = 1 / den (rsqrt); updates = scaling * g; then -lr * updates
        return lr * ((1 / den) * g)
    if order == "keras-rsqrt":  # lr * gradient * tf.math.rsqrt(denominator)
        return lr * g * (1 / den)
    return lr * g / den


def _bias_corrected(moment, rho, count: int):
    """Optax's ``bias_correction``: ``moment / (1 - rho**t)`` after ``t`` steps."""
    return moment / (1 - rho**count)


def rmsprop(
    lr: float | schedules.Schedule = 0.01,
    rho: float = 0.9,
    eps: float = 1e-8,
    *,
    momentum: float = 0.0,
    centered: bool = False,
    weight_decay: float = 0.0,
    convention: str | Convention = "pytorch",
) -> Optimizer:
    r"""RMSprop with the arithmetic of ``convention``.

    The default is the post's and PyTorch's form:

    $$
    \begin{array}{l}
    v_t = \rho v_{t-1} + (1-\rho) g_t^2, \\
    x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}, \\
    v_0 = 0.
    \end{array}
    $$

    Options, each in the chosen convention's arithmetic:

    * ``centered``: divide by ``sqrt(v - mu**2)`` where ``mu`` is the leaky
      mean of ``g`` (Graves 2013), an estimate of the variance, not the second
      moment.  Under a steady gradient the variance goes to 0, so the step grows
      until ``eps`` caps it.
    * ``momentum``: PyTorch accumulates ``g / den`` and multiplies by ``lr``
      afterwards; Keras and TF1 put ``lr`` inside the buffer.  The two agree only
      while ``lr`` is constant.
    * ``weight_decay``: PyTorch adds ``wd * x`` to the gradient (L2, so it is
      also divided by the root); Keras shrinks ``x`` by ``lr * wd * x``
      (decoupled); TF1 has none.
    * ``lr`` may be a :class:`~rmsprop_docs.optimizers.schedules.Schedule`.

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
    lr = lr if isinstance(lr, schedules.Schedule) else validation.positive("lr", lr)
    rho = validation.unit_interval("rho", rho)
    eps = validation.positive("eps", eps)
    momentum = validation.unit_interval("momentum", momentum)
    weight_decay = validation.non_negative("weight_decay", weight_decay)
    centered = validation.flag("centered", centered)
    if not isinstance(convention, Convention):
        convention = CONVENTIONS[validation.choice("convention", convention, tuple(CONVENTIONS))]
    uses_weight_decay = any_nonzero(weight_decay)
    if convention.weight_decay == "none" and uses_weight_decay:
        raise ValueError(
            f"weight_decay must be 0 with convention {convention.name} (it has none; add an L2 term to the loss)"
        )
    uses_momentum = any_nonzero(momentum)
    held = {name: _widen(value, name, convention) for name, value in dict(lr=lr, rho=rho, eps=eps).items()}
    held.update(momentum=_widen(momentum, "momentum", convention))
    held.update(weight_decay=_widen(weight_decay, "weight_decay", convention))

    def init(x: np.ndarray) -> RMSpropState:
        zeros = np.zeros_like(x)
        v0 = arithmetic.hyperparameter(convention.v0, x)
        return RMSpropState(nu=np.full_like(x, v0), mu=zeros, momentum_buffer=zeros, count=0)

    def update(g: np.ndarray, state: RMSpropState, x: np.ndarray):
        def h(name):
            return arithmetic.hyperparameter(held[name], x)

        lr_t = learning_rate(held["lr"], state.count, x)
        rho_h = h("rho")
        one_minus_rho = 1 - rho_h  # in the held rho's arithmetic, as every emulated framework computes it
        if uses_weight_decay and convention.weight_decay == "l2":
            g = g + h("weight_decay") * x
        nu = _leaky_mean_of_squares(state.nu, g, rho_h, one_minus_rho, convention.order)
        mu = _leaky_mean(state.mu, g, rho_h, one_minus_rho, convention.order) if centered else state.mu
        if convention.bias_correction:
            nu_hat, mu_hat = _bias_corrected(nu, rho_h, state.count + 1), _bias_corrected(mu, rho_h, state.count + 1)
        else:
            nu_hat, mu_hat = nu, mu
        den = _root(nu_hat - mu_hat * mu_hat if centered else nu_hat, h("eps"), convention.eps)
        if convention.lr_in_buffer:
            scaled = _increment(lr_t, g, den, convention.order)
            buffer = h("momentum") * state.momentum_buffer + scaled if uses_momentum else state.momentum_buffer
            if uses_momentum and convention.nesterov:
                delta = -(scaled + h("momentum") * buffer)
            else:
                delta = -(buffer if uses_momentum else scaled)
        elif uses_momentum:
            buffer = h("momentum") * state.momentum_buffer + g / den
            delta = -lr_t * buffer
        else:
            buffer = state.momentum_buffer
            delta = -lr_t * (g / den) if convention.order == "torch" else -(lr_t * g / den)
        if uses_weight_decay and convention.weight_decay == "decoupled":
            delta = delta - x * h("weight_decay") * lr_t
        return delta, RMSpropState(nu, mu, buffer, state.count + 1)

    hyper = dict(
        lr=lr.as_dict() if isinstance(lr, schedules.Schedule) else lr,
        rho=rho,
        eps=eps,
        momentum=momentum,
        centered=centered,
        weight_decay=weight_decay,
        convention=convention.name,
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
