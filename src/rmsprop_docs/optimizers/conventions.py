r"""The ways frameworks write RMSprop down, as data.

Every framework computes the same idea,

$$
\begin{array}{l}
v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \\
x_t = x_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon},
\end{array}
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
operations, so that the emulation agrees to the last bit even on problems that
amplify rounding, such as Rosenbrock:

* ``torch``: ``rho * v + (1 - rho) * g * g``; the centered mean with torch's
  ``lerp``; without momentum ``x -= lr * (g / den)``.
* ``keras``: ``rho * v + (1 - rho) * (g * g)``; the step ``(lr * g) / den``.
* ``keras-rsqrt``: as ``keras``, but the step is ``lr * g * rsqrt(den)``
  (tf_keras, Keras 2).
* ``tf``: TensorFlow's C++ training kernels (``ApplyRMSProp``):
  ``v += (g * g - v) * (1 - rho)``, ``mg += (g - mg) * (1 - rho)`` and
  ``mom = mom * momentum + (g * lr) / den``.
* ``optax``: ``(1 - decay) * g**2 + decay * v``; the step
  ``lr * ((1 / den) * g)`` (``scale_by_rms``, then ``scale_by_learning_rate``).
* ``paddle``: ``rho * v + (1 - rho) * g * g``; the step ``(lr * g) / den``.

The other records are the exact arithmetic of one framework's class (see
:mod:`rmsprop_docs.optimizers.frameworks`, which picks them from the keyword
arguments); :data:`CONVENTIONS` holds the three forms the site compares.
"""

from __future__ import annotations

from dataclasses import dataclass

EPS_PLACES = ("outside", "inside")
WEIGHT_DECAYS = ("l2", "decoupled", "none")
ORDERS = ("torch", "keras", "keras-rsqrt", "tf", "optax", "paddle")


@dataclass(frozen=True)
class Convention:
    """How one framework writes RMSprop."""

    name: str
    eps: str  # "outside": sqrt(v) + eps; "inside": sqrt(v + eps)
    v0: float  # where the accumulator starts: 0, or 1 in TF1 (Optax: initial_scale)
    lr_in_buffer: bool  # momentum buffer accumulates lr * g / den (True) or g / den, times lr afterwards
    weight_decay: str  # "l2": g += wd x; "decoupled": x -= lr wd x before the step; "none"
    order: str  # rounding order of the kernels, one of ORDERS
    float32_hyperparameters: tuple[str, ...] = ()  # held in float32 by the framework, then widened
    nesterov: bool = False  # Optax: the step is inc + momentum * buffer, not the buffer
    bias_correction: bool = False  # Optax: v / (1 - rho**t) (and mu / (1 - rho**t) when centered)

    def __post_init__(self):
        if self.eps not in EPS_PLACES or self.weight_decay not in WEIGHT_DECAYS or self.order not in ORDERS:
            raise ValueError(f"convention {self.name!r}: eps, weight_decay or order not recognised")


PYTORCH = Convention("pytorch", eps="outside", v0=0.0, lr_in_buffer=False, weight_decay="l2", order="torch")
KERAS = Convention("keras", eps="inside", v0=0.0, lr_in_buffer=True, weight_decay="decoupled", order="keras")
TF1 = Convention("tf1", eps="inside", v0=1.0, lr_in_buffer=True, weight_decay="none", order="keras")

CONVENTIONS: dict[str, Convention] = {c.name: c for c in (PYTORCH, KERAS, TF1)}

# The exact arithmetic of single frameworks, chosen by rmsprop_docs.optimizers.frameworks.
TF_KERNEL = Convention("tf-kernel", eps="inside", v0=1.0, lr_in_buffer=True, weight_decay="none", order="tf")
"""``tf.raw_ops.ApplyRMSProp`` / ``ApplyCenteredRMSProp`` as ``tf.compat.v1.train.RMSPropOptimizer`` uses them."""
TF_KERNEL_FROM_ZERO = Convention(
    "tf-kernel-from-zero", eps="inside", v0=0.0, lr_in_buffer=True, weight_decay="none", order="tf"
)
"""The same kernels on an accumulator that starts at 0: tf-keras' legacy RMSprop with momentum."""
KERAS_LEGACY = Convention("keras-legacy", eps="outside", v0=0.0, lr_in_buffer=False, weight_decay="none", order="keras")
"""tf-keras' legacy (OptimizerV2) RMSprop without momentum: Python ops, eps outside the root."""
TF_KERAS = Convention(
    "tf-keras", eps="inside", v0=0.0, lr_in_buffer=True, weight_decay="decoupled", order="keras-rsqrt"
)
"""``tf_keras.optimizers.RMSprop`` (Keras 2): Keras 3's arithmetic, multiplying by a reciprocal root."""
OPTAX = Convention("optax", eps="inside", v0=0.0, lr_in_buffer=True, weight_decay="none", order="optax")
"""``optax.rmsprop`` with its defaults; its options replace eps, v0, nesterov and bias_correction."""
MLX = Convention("mlx", eps="outside", v0=0.0, lr_in_buffer=False, weight_decay="none", order="keras")
"""``mlx.optimizers.RMSprop``: ``x - lr * g / (sqrt(v) + eps)``, no momentum, centered or weight decay."""
PADDLE = Convention("paddle", eps="inside", v0=0.0, lr_in_buffer=True, weight_decay="l2", order="paddle")
"""``paddle.optimizer.RMSProp``: the momentum buffer is always used (momentum 0 makes it the increment)."""
