"""What every optimizer is: a named pair of pure functions, as in Optax.

* ``init(x) -> state`` builds the state for a point ``x``;
* ``update(g, state, x) -> (delta, state)`` takes the gradient ``g`` at ``x``
  and returns the step to add (``x_next = x + delta``) and the next state.

Nothing is mutated.  Every operation is element-wise, so the same functions
run one point of shape ``(d,)``, a batch of shape ``(n, d)`` whose
hyperparameters are arrays of shape ``(n, 1)`` (see :mod:`rmsprop_docs.sweep`),
or a point of N-digit numbers (see :mod:`rmsprop_docs.arithmetic`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsprop_docs import arithmetic
from rmsprop_docs.optimizers import schedules


class Optimizer(NamedTuple):
    """A named pair of pure functions ``init`` and ``update``, and the hyperparameters that made them."""

    name: str
    init: Callable[[np.ndarray], NamedTuple]
    update: Callable[[np.ndarray, NamedTuple, np.ndarray], tuple[np.ndarray, NamedTuple]]
    hyperparameters: dict


def accumulator(state: NamedTuple) -> np.ndarray | None:
    """The squared-gradient accumulator ``nu`` of a state, or None if it has none.

    Examples:
        >>> from rmsprop_docs.optimizers import rmsprop
        >>> accumulator(rmsprop().init(np.zeros(2)))
        array([0., 0.])
    """
    return getattr(state, "nu", None)


def learning_rate(lr: float | schedules.Schedule, count: object, like: np.ndarray) -> object:
    """The learning rate for the step after ``count`` steps, in the arithmetic of ``like``."""
    if isinstance(lr, schedules.Schedule):
        return arithmetic.hyperparameter(lr(count, exact=arithmetic.is_exact(np.asarray(like))), like)
    return arithmetic.hyperparameter(lr, like)


def any_nonzero(value: float | np.ndarray) -> bool:
    """True if a scalar or any entry of a sweep's column is not 0 (so the option is in use)."""
    return bool(np.any(np.asarray(value) != 0))
