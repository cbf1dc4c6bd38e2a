r"""The ways frameworks write RMSprop down, as data.

Every framework computes the same idea,

$$
v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \qquad x_t = x_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon},
$$

and they differ in a handful of decisions.  A :class:`Convention` records them;
:func:`rmsprop_docs.optimizers.rmsprop` reads the record, so a new framework is
a new record, not a new branch.

| name | v0 | eps | lr and the momentum buffer | weight decay | rounding order |
|---|---|---|---|---|---|
| pytorch | 0 | outside the root | outside: b = mu b + g / den; x -= lr b | L2: g += wd x | torch |
| keras | 0 | inside the root | inside: m = mu m + lr g / den; x -= m | decoupled: x -= lr wd x | keras |
| tf1 | 1 | inside the root | inside | none | keras |

The rounding order names how a framework's kernels associate the same
operations (``(1 - rho) * g * g`` or ``(1 - rho) * (g * g)``; torch's ``lerp``
for the centered mean), so that the emulation agrees to the last bit even on
problems that amplify rounding, such as Rosenbrock.
"""

from __future__ import annotations

from dataclasses import dataclass

EPS_PLACES = ("outside", "inside")
WEIGHT_DECAYS = ("l2", "decoupled", "none")
ORDERS = ("torch", "keras")


@dataclass(frozen=True)
class Convention:
    """How one framework writes RMSprop."""

    name: str
    eps: str  # "outside": sqrt(v) + eps; "inside": sqrt(v + eps)
    v0: float  # where the accumulator starts: 0, or 1 in TF1
    lr_in_buffer: bool  # momentum buffer accumulates lr * g / den (True) or g / den, times lr afterwards
    weight_decay: str  # "l2": g += wd x; "decoupled": x -= lr wd x before the step; "none"
    order: str  # rounding order of the kernels, one of ORDERS
    float32_hyperparameters: tuple[str, ...] = ()  # held in float32 by the framework, then widened

    def __post_init__(self):
        if self.eps not in EPS_PLACES or self.weight_decay not in WEIGHT_DECAYS or self.order not in ORDERS:
            raise ValueError(f"convention {self.name!r}: eps, weight_decay or order not recognised")


PYTORCH = Convention("pytorch", eps="outside", v0=0.0, lr_in_buffer=False, weight_decay="l2", order="torch")
KERAS = Convention("keras", eps="inside", v0=0.0, lr_in_buffer=True, weight_decay="decoupled", order="keras")
TF1 = Convention("tf1", eps="inside", v0=1.0, lr_in_buffer=True, weight_decay="none", order="keras")

CONVENTIONS: dict[str, Convention] = {c.name: c for c in (PYTORCH, KERAS, TF1)}
