r"""Hinton's argument for RMSprop, lecture 6e: one weight, ten mini-batches, gradients that cancel.

"Consider a weight that gets a gradient of +0.1 on nine mini-batches and a
gradient of -0.9 on the tenth mini-batch.  We want this weight to stay
roughly where it is."  The mean gradient is 0.  Rprop and sign descent use
only its sign: nine steps down, one up, so the weight drifts.  SGD's steps are
proportional to the gradient, so they cancel.  RMSprop divides every gradient
by nearly the same number when ``rho`` is close to 1 (its accumulator averages
over many batches), so its steps nearly cancel too.

With ``curvature`` ``c`` the mini-batch gradient is ``c w + noise``: the
full-batch loss ``c w^2 / 2`` has its minimum at 0, which gradient methods
find on average, while sign methods settle where the *median* batch gradient
is zero, ``w = -0.1 / c``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsprop_docs.optimizers import Optimizer, rmsprop, rprop, sgd, sign_descent

HINTON_GRADIENTS = (0.1,) * 9 + (-0.9,)
"""One cycle of ten mini-batch gradients whose mean is 0."""


def drift(
    optimizer: Optimizer, steps: int = 1000, gradients: tuple = HINTON_GRADIENTS, curvature: float = 0.0
) -> np.ndarray:
    """The weight before the first step and after each of ``steps`` steps, shape ``(steps + 1,)``, from w = 0.

    Mini-batch ``t`` (from 0) has gradient ``gradients[t % len(gradients)] + curvature * w``.

    Examples:
        >>> path = drift(sgd(lr=0.1), steps=10)
        >>> print(f"{path[9]:.2f} {abs(path[10]):.1e}")  # nine steps of -0.01, then one of +0.09
        -0.09 1.4e-17
    """
    noise = np.asarray(gradients, dtype=np.float64)
    w = np.zeros(1)
    state = optimizer.init(w)
    path = [0.0]
    for t in range(steps):
        delta, state = optimizer.update(noise[t % len(noise)] + curvature * w, state, w)
        w = w + delta
        path.append(float(w[0]))
    return np.array(path)


LR = 0.01

CONTENDERS: dict[str, Callable[[], Optimizer]] = {
    "SGD": lambda: sgd(lr=LR),
    "sign descent": lambda: sign_descent(lr=LR),
    "Rprop": lambda: rprop(lr=LR),
    "RMSprop, rho 0.9": lambda: rmsprop(lr=LR, rho=0.9),
    "RMSprop, rho 0.99": lambda: rmsprop(lr=LR, rho=0.99),
    "RMSprop, rho 0.999": lambda: rmsprop(lr=LR, rho=0.999),
}
"""The optimizers of the drift table, all with lr 0.01 (Rprop's initial step) and otherwise PyTorch's defaults."""


class DriftRow(NamedTuple):
    """Where one optimizer's weight went."""

    name: str
    final: float  # w after the run (a whole number of cycles)
    per_cycle: float  # w's change over the last cycle of ten steps: the drift that remains
    settled: float  # mean w over the last ten cycles
    largest: float  # the largest |w| on the way


def drift_table(steps: int = 5000, curvature: float = 0.0) -> list[DriftRow]:
    """One row per contender of :data:`CONTENDERS`."""
    cycle = len(HINTON_GRADIENTS)
    rows = []
    for name, make in CONTENDERS.items():
        path = drift(make(), steps, curvature=curvature)
        tail = path[-10 * cycle :]
        rows.append(DriftRow(name, path[-1], path[-1] - path[-1 - cycle], tail.mean(), np.abs(path).max()))
    return rows


def print_drift_table(steps: int = 5000, curvature: float = 0.0) -> None:
    """The table the mini-batch page prints."""
    print(f"{'optimizer':<20}{'w at the end':>14}{'per cycle':>11}{'mean, last 100':>16}{'largest |w|':>13}")
    for r in drift_table(steps, curvature):
        print(f"{r.name:<20}{r.final:>14.4f}{r.per_cycle:>11.5f}{r.settled:>16.4f}{r.largest:>13.4f}")
