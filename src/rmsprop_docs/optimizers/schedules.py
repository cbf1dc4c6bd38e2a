r"""Learning-rate schedules: the step size as a function of the step count.

A constant learning rate keeps RMSprop's steps near ``lr`` in size for ever, so
near a minimum it ends in a cycle of amplitude about ``lr / 2`` (see the
one-variable page).  A schedule that decays lets the steps, and the cycle,
shrink.  ``t`` counts the steps already taken, so the first step uses
``lr(0)`` (PyTorch's schedulers count the same way).

| kind | $\eta_t$ |
|---|---|
| ``constant`` | $\eta$ |
| ``step`` | $\eta\, \gamma^{\lfloor t / s \rfloor}$ |
| ``exponential`` | $\eta\, \gamma^{t}$ |
| ``inverse_sqrt`` | $\eta / \sqrt{1 + t / s}$ |
| ``cosine`` | $\eta_{\min} + (\eta - \eta_{\min})\,\tfrac{1}{2}(1 + \cos(\pi \min(t, T) / T))$ |

Examples:
    >>> s = schedule("step", 0.1, gamma=0.5, every=10)
    >>> s(0), s(9), s(10), s(25)
    (0.1, 0.1, 0.05, 0.025)
    >>> print(f"{schedule('cosine', 1.0, horizon=100)(50):.6f}")
    0.500000
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from rmsprop_docs import validation

KINDS = ("constant", "step", "exponential", "inverse_sqrt", "cosine")


@dataclass(frozen=True)
class Schedule:
    """``lr`` at step count ``t``; the fields a kind does not use keep their defaults."""

    kind: str
    lr: float  # eta: the rate at t = 0
    gamma: float = 1.0  # step, exponential: the factor per period or per step
    every: int = 1  # step: period s in steps; inverse_sqrt: the scale s
    horizon: int = 1  # cosine: T, the step at which it reaches lr_min
    lr_min: float = 0.0  # cosine: the floor

    def __call__(self, t: int, exact: bool = False) -> object:
        """The rate for the step taken after ``t`` steps; with ``exact``, an N-digit ``mpf``."""
        num = (lambda v: mpmath.mpf(float(v))) if exact else (lambda v: v)
        lr = num(self.lr)
        if self.kind == "constant":
            return lr
        if self.kind == "step":
            return lr * num(self.gamma) ** (t // self.every)
        if self.kind == "exponential":
            return lr * num(self.gamma) ** t
        if self.kind == "inverse_sqrt":
            return lr / np.sqrt(1 + num(t) / self.every)  # on an mpf, np.sqrt calls its own N-digit sqrt
        cos, pi = (mpmath.cos, mpmath.pi) if exact else (np.cos, math.pi)
        fraction = num(min(t, self.horizon)) / self.horizon
        return num(self.lr_min) + (lr - num(self.lr_min)) * (1 + cos(pi * fraction)) / 2

    def as_dict(self) -> dict:
        """The fields a kind uses, for JSON and figure keys."""
        used = {"step": ("gamma", "every"), "exponential": ("gamma",), "inverse_sqrt": ("every",)}
        names = used.get(self.kind, ("horizon", "lr_min") if self.kind == "cosine" else ())
        return {"kind": self.kind, "lr": self.lr, **{n: getattr(self, n) for n in names}}


def schedule(
    kind: str, lr: float, *, gamma: float = 1.0, every: int = 1, horizon: int = 1, lr_min: float = 0.0
) -> Schedule:
    """A checked schedule; each parameter error names the parameter and its range.

    >>> schedule("exponential", 0.01, gamma=1.5)
    Traceback (most recent call last):
    ...
    ValueError: gamma must be in (0, 1] for a decaying schedule, got 1.5
    """
    kind = validation.choice("schedule", kind, KINDS)
    lr = validation.positive("lr", lr)
    gamma = validation.positive("gamma", gamma)
    if gamma > 1:
        raise ValueError(f"gamma must be in (0, 1] for a decaying schedule, got {gamma!r}")
    every = validation.whole("every", every, 1)
    horizon = validation.whole("horizon", horizon, 1)
    lr_min = validation.non_negative("lr_min", lr_min)
    if np.any(lr_min > np.asarray(lr)):  # lr may be a sweep's column of rates
        raise ValueError(f"lr_min must be in [0, lr] = [0, {lr!r}], got {lr_min!r}")
    return Schedule(kind, lr, gamma, every, horizon, lr_min)


def parse(text: str, lr: float) -> Schedule:
    """A schedule from the command line: ``KIND[:NAME=VALUE,...]``, e.g. ``step:gamma=0.5,every=100``.

    >>> parse("inverse_sqrt:every=10", 0.01)
    Schedule(kind='inverse_sqrt', lr=0.01, gamma=1.0, every=10, horizon=1, lr_min=0.0)
    """
    kind, _, rest = str(text).partition(":")
    options: dict[str, float | int] = {}
    for item in filter(None, rest.split(",")):
        name, sep, value = item.partition("=")
        if not sep or name not in ("gamma", "every", "horizon", "lr_min"):
            raise ValueError(f"schedule options are gamma, every, horizon, lr_min as NAME=VALUE, got {item!r}")
        try:
            options[name] = int(value) if name in ("every", "horizon") else float(value)
        except ValueError:
            raise ValueError(f"schedule option {name} must be a number, got {value!r}") from None
    return schedule(kind, lr, **options)
