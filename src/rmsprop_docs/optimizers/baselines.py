r"""The optimizers RMSprop is compared with, in the same ``init``/``update`` form."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rmsprop_docs import arithmetic, validation
from rmsprop_docs.optimizers import schedules
from rmsprop_docs.optimizers.base import Optimizer, learning_rate


class AdagradState(NamedTuple):
    """Adagrad keeps the plain sum of squared gradients."""

    nu: np.ndarray  # sum of g**2 since the start; it only grows
    count: int  # steps taken, for schedules


class GradientDescentState(NamedTuple):
    """Plain gradient descent keeps only the step count."""

    count: int  # steps taken, for schedules


def _lr(lr: float | schedules.Schedule) -> float | schedules.Schedule:
    return lr if isinstance(lr, schedules.Schedule) else validation.positive("lr", lr)


def _lr_record(lr: float | schedules.Schedule) -> float | dict:
    return lr.as_dict() if isinstance(lr, schedules.Schedule) else lr


def adagrad(lr: float | schedules.Schedule = 0.01, eps: float = 1e-8) -> Optimizer:
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
    lr = _lr(lr)
    eps = validation.positive("eps", eps)

    def init(x: np.ndarray) -> AdagradState:
        return AdagradState(nu=np.zeros_like(x), count=0)

    def update(g: np.ndarray, state: AdagradState, x: np.ndarray):
        nu = state.nu + g * g
        lr_t = learning_rate(lr, state.count, x)
        delta = -lr_t * g / (arithmetic.sqrt(nu) + arithmetic.hyperparameter(eps, x))
        return delta, AdagradState(nu, state.count + 1)

    return Optimizer("adagrad", init, update, dict(lr=_lr_record(lr), eps=eps))


def gradient_descent(lr: float | schedules.Schedule = 0.01) -> Optimizer:
    r"""Plain gradient descent, $x_t = x_{t-1} - \eta\, g_t$.

    Examples:
        >>> opt = gradient_descent(lr=0.1)
        >>> x = np.array([1.0])
        >>> print(opt.update(np.array([2.0]), opt.init(x), x)[0])
        [-0.2]
    """
    lr = _lr(lr)

    def init(x: np.ndarray) -> GradientDescentState:
        return GradientDescentState(count=0)

    def update(g: np.ndarray, state: GradientDescentState, x: np.ndarray):
        return -learning_rate(lr, state.count, x) * g, GradientDescentState(state.count + 1)

    return Optimizer("gradient_descent", init, update, dict(lr=_lr_record(lr)))
