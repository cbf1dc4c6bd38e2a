r"""The optimizers RMSprop is compared with, in the same ``init``/``update`` form.

Each takes ``torch.optim``'s keyword names and defaults and follows the order
of operations of its single-tensor path (PyTorch 2.13, CPU), so a run matches
PyTorch's to rounding (``tests/fixtures/torch_optimizers.json`` records 100
steps of each).  :data:`TORCH_OPTIMIZERS` maps PyTorch's lower-case class
names to them; its ``rmsprop`` entry takes PyTorch's spelling (``alpha``) too.

Sign descent is not in ``torch.optim``; it is here because it is what Rprop
and RMSprop become in a limit (see the mini-batch page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsprop_docs import arithmetic, validation
from rmsprop_docs.optimizers import schedules
from rmsprop_docs.optimizers.base import Optimizer, any_nonzero, learning_rate
from rmsprop_docs.optimizers.rmsprop import rmsprop


class AdagradState(NamedTuple):
    """Adagrad keeps the plain sum of squared gradients."""

    nu: np.ndarray  # sum of g**2 since the start (plus initial_accumulator_value); it only grows
    count: int  # steps taken, for schedules and lr_decay


class GradientDescentState(NamedTuple):
    """Plain gradient descent keeps only the step count."""

    count: int  # steps taken, for schedules


class SGDState(NamedTuple):
    """SGD's momentum buffer ``b`` (PyTorch's ``momentum_buffer``; Optax calls it ``trace``)."""

    momentum_buffer: np.ndarray  # b; the first step sets it to g, with no dampening
    count: int  # steps taken, for schedules and the first-step rule


class AdamState(NamedTuple):
    """Adam's moments; the names are Optax's."""

    mu: np.ndarray  # m: leaky mean of g (first moment), before bias correction
    nu: np.ndarray  # v: leaky mean of g**2 (second moment), before bias correction
    nu_max: np.ndarray  # amsgrad: the largest v so far (PyTorch's max_exp_avg_sq); else zeros
    count: int  # t: steps taken, for the bias corrections


class RpropState(NamedTuple):
    """Rprop's per-coordinate step sizes (Riedmiller and Braun's update-values Delta)."""

    prev: np.ndarray  # the previous step's gradient, zeroed where its sign had flipped
    step_size: np.ndarray  # Delta: starts at lr, grows by etas[1] or shrinks by etas[0]
    count: int  # steps taken


def _lr(lr: float | schedules.Schedule) -> float | schedules.Schedule:
    return lr if isinstance(lr, schedules.Schedule) else validation.positive("lr", lr)


def _lr_record(lr: float | schedules.Schedule) -> float | dict:
    return lr.as_dict() if isinstance(lr, schedules.Schedule) else lr


def _pair(name: str, value: object) -> tuple:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise ValueError(f"{name} must be a pair (a, b), got {value!r}")
    return tuple(value)


def _at_most_one(name: str, value: object) -> float | np.ndarray:
    """Check ``0 <= value <= 1`` (dampening)."""
    real = validation.non_negative(name, value)
    if np.any(np.asarray(real) > 1):
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    return real


def _sign(a: np.ndarray) -> np.ndarray:
    """Element-wise sign, -1, 0 or 1, in either arithmetic (NaN stays NaN for floats)."""
    if arithmetic.is_exact(np.asarray(a)):
        return (a > 0).astype(int) - (a < 0).astype(int)
    return np.sign(a)


def _lerp(start, end, weight):
    """PyTorch's ``start.lerp_(end, weight)``: two formulas, split at weight 0.5, for accuracy near either end."""
    if np.ndim(weight) == 0:
        return start + weight * (end - start) if weight < 0.5 else end - (end - start) * (1 - weight)
    return np.where(weight < 0.5, start + weight * (end - start), end - (end - start) * (1 - weight))


def _where(condition, a, b):
    """``a`` where ``condition`` holds, ``b`` elsewhere; a scalar condition picks without building arrays."""
    if np.ndim(condition) == 0:
        return a if condition else b
    return np.where(condition, a, b)


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


def sgd(
    lr: float | schedules.Schedule = 1e-3,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
) -> Optimizer:
    r"""Stochastic gradient descent with heavy-ball or Nesterov momentum, as ``torch.optim.SGD``.

    $$
    \begin{array}{l}
    g_t \leftarrow g_t + \lambda x_{t-1}, \\
    b_t = \mu\, b_{t-1} + (1 - \tau)\, g_t \;(b_1 = g_1), \\
    x_t = x_{t-1} - \eta \begin{cases} g_t + \mu\, b_t & \text{Nesterov} \\ b_t & \text{heavy ball} \end{cases}
    \end{array}
    $$

    with ``momentum`` $\mu$, ``dampening`` $\tau$, ``weight_decay`` $\lambda$.

    Traps: ``lr`` multiplies the buffer *after* it is summed (PyTorch), not
    inside it (Sutskever et al., Keras' old SGD), so the two differ once ``lr``
    changes; the first step sets $b_1 = g_1$ without dampening; Nesterov here
    is PyTorch's reformulation, which needs ``momentum > 0`` and
    ``dampening = 0``; weight decay is L2 (added to the gradient).  PyTorch's
    default ``lr`` is 1e-3.

    Examples:
        >>> opt = sgd(lr=0.1, momentum=0.9)
        >>> x = np.array([1.0])
        >>> delta, state = opt.update(np.array([2.0]), opt.init(x), x)
        >>> delta, state = opt.update(np.array([2.0]), state, x + delta)
        >>> print(delta, state.momentum_buffer)  # b = 0.9 * 2 + 2
        [-0.38] [3.8]
    """
    lr = _lr(lr)
    momentum = validation.unit_interval("momentum", momentum)
    dampening = _at_most_one("dampening", dampening)
    weight_decay = validation.non_negative("weight_decay", weight_decay)
    nesterov = validation.flag("nesterov", nesterov)
    if nesterov and (np.any(np.asarray(momentum) <= 0) or any_nonzero(dampening)):
        raise ValueError(
            "nesterov=True needs momentum in (0, 1) and dampening 0, "
            f"got momentum={momentum!r}, dampening={dampening!r}"
        )
    uses_momentum, uses_weight_decay = any_nonzero(momentum), any_nonzero(weight_decay)

    def init(x: np.ndarray) -> SGDState:
        return SGDState(momentum_buffer=np.zeros_like(x), count=0)

    def update(g: np.ndarray, state: SGDState, x: np.ndarray):
        lr_t = learning_rate(lr, state.count, x)
        mu = arithmetic.hyperparameter(momentum, x)
        if uses_weight_decay:
            g = g + arithmetic.hyperparameter(weight_decay, x) * x
        buffer = state.momentum_buffer
        if uses_momentum:
            first = state.count == 0  # PyTorch starts the buffer at g, undamped
            buffer = g if first else buffer * mu + (1 - arithmetic.hyperparameter(dampening, x)) * g
            # A sweep may mix momentum 0 (no buffer in PyTorch) with momentum > 0.
            g = _where(np.asarray(mu) != 0, g + mu * buffer if nesterov else buffer, g)
        return -lr_t * g, SGDState(buffer, state.count + 1)

    hyper = dict(
        lr=_lr_record(lr), momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov
    )
    return Optimizer("sgd", init, update, hyper)


def adagrad(
    lr: float | schedules.Schedule = 0.01,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
) -> Optimizer:
    r"""Adagrad, RMSprop's predecessor: the accumulator is a sum, not a leaky mean.

    $$
    \begin{array}{l}
    v_t = v_{t-1} + g_t^2, \\
    x_t = x_{t-1} - \frac{\eta_t\, g_t}{\sqrt{v_t} + \epsilon}, \\
    \eta_t = \frac{\eta}{1 + (t - 1)\,\delta}, \\
    v_0 = v_{\text{init}}
    \end{array}
    $$

    with ``lr_decay`` $\delta$ and ``initial_accumulator_value``
    $v_{\text{init}}$; ``weight_decay`` adds $\lambda x$ to $g$ first (L2).
    ``v`` grows without bound, so the effective learning rate
    ``lr / sqrt(v)`` only shrinks.

    Traps: ``eps`` sits outside the root and PyTorch's default is 1e-10
    (Keras adds 1e-7 and starts ``v`` at 0.1; TensorFlow 1 starts it at 0.1
    with no ``eps``).

    Examples:
        >>> opt = adagrad(lr=1.0)
        >>> x = np.array([3.0])
        >>> delta, state = opt.update(np.array([2.0]), opt.init(x), x)
        >>> print(delta, state.nu)
        [-1.] [4.]
    """
    lr = _lr(lr)
    lr_decay = validation.non_negative("lr_decay", lr_decay)
    weight_decay = validation.non_negative("weight_decay", weight_decay)
    initial_accumulator_value = validation.non_negative("initial_accumulator_value", initial_accumulator_value)
    eps = validation.positive("eps", eps)
    uses_weight_decay = any_nonzero(weight_decay)

    def init(x: np.ndarray) -> AdagradState:
        return AdagradState(nu=np.zeros_like(x) + arithmetic.hyperparameter(initial_accumulator_value, x), count=0)

    def update(g: np.ndarray, state: AdagradState, x: np.ndarray):
        if uses_weight_decay:
            g = g + arithmetic.hyperparameter(weight_decay, x) * x
        clr = learning_rate(lr, state.count, x) / (1 + state.count * arithmetic.hyperparameter(lr_decay, x))
        nu = state.nu + g * g
        delta = -clr * g / (arithmetic.sqrt(nu) + arithmetic.hyperparameter(eps, x))
        return delta, AdagradState(nu, state.count + 1)

    hyper = dict(
        lr=_lr_record(lr),
        lr_decay=lr_decay,
        weight_decay=weight_decay,
        initial_accumulator_value=initial_accumulator_value,
        eps=eps,
    )
    return Optimizer("adagrad", init, update, hyper)


def _adam(name: str, lr, betas, eps, weight_decay, amsgrad, decoupled: bool) -> Optimizer:
    lr = _lr(lr)
    beta1, beta2 = _pair("betas", betas)
    beta1 = validation.unit_interval("betas[0]", beta1)
    beta2 = validation.unit_interval("betas[1]", beta2)
    eps = validation.positive("eps", eps)
    weight_decay = validation.non_negative("weight_decay", weight_decay)
    amsgrad = validation.flag("amsgrad", amsgrad)
    uses_weight_decay = any_nonzero(weight_decay)

    def init(x: np.ndarray) -> AdamState:
        zeros = np.zeros_like(x)
        return AdamState(mu=zeros, nu=zeros, nu_max=zeros, count=0)

    def update(g: np.ndarray, state: AdamState, x: np.ndarray):
        def h(value):
            return arithmetic.hyperparameter(value, x)

        lr_t = learning_rate(lr, state.count, x)
        t = state.count + 1
        if uses_weight_decay and not decoupled:
            g = g + h(weight_decay) * x
        b1, b2 = h(beta1), h(beta2)
        mu = _lerp(state.mu, g, 1 - b1)
        nu = state.nu * b2 + (1 - b2) * g * g
        step_size = lr_t / (1 - b1**t)
        correction2_root = (1 - b2**t) ** 0.5
        nu_max = np.maximum(state.nu_max, nu) if amsgrad else state.nu_max
        denominator = arithmetic.sqrt(nu_max if amsgrad else nu) / correction2_root + h(eps)
        delta = -step_size * mu / denominator
        if uses_weight_decay and decoupled:  # PyTorch shrinks x before the Adam step
            delta = delta - x * (lr_t * h(weight_decay))
        return delta, AdamState(mu, nu, nu_max, t)

    hyper = dict(lr=_lr_record(lr), betas=(beta1, beta2), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
    return Optimizer(name, init, update, hyper)


def adam(
    lr: float | schedules.Schedule = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
) -> Optimizer:
    r"""Adam: RMSprop's accumulator plus a leaky mean of ``g``, both bias-corrected, as ``torch.optim.Adam``.

    $$
    m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \quad
    v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2, \quad
    x_t = x_{t-1} - \frac{\eta}{1 - \beta_1^t}\,
          \frac{m_t}{\sqrt{v_t} / \sqrt{1 - \beta_2^t} + \epsilon}
    $$

    ``weight_decay`` adds $\lambda x$ to $g$ (L2: it is then divided by the
    root like the gradient); ``amsgrad`` divides by the largest $v$ so far.

    Traps: ``eps`` is added *after* the bias correction of $\sqrt{v}$ (the
    paper's form; TensorFlow's "epsilon hat" adds it before); Adam with
    ``betas[0] = 0`` is RMSprop with bias correction, whose first steps are
    not small; L2 weight decay is not AdamW's decoupled decay.

    Examples:
        The first step has size ``lr`` whatever the gradient's scale:

        >>> opt = adam(lr=0.1)
        >>> x = np.array([1.0, 1.0])
        >>> delta, state = opt.update(np.array([1e-3, 1e3]), opt.init(x), x)
        >>> print(delta)
        [-0.099999 -0.1     ]
    """
    return _adam("adam", lr, betas, eps, weight_decay, amsgrad, decoupled=False)


def adamw(
    lr: float | schedules.Schedule = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
    amsgrad: bool = False,
) -> Optimizer:
    r"""AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as ``torch.optim.AdamW``.

    $$
    x_t = (1 - \eta\lambda)\, x_{t-1} - \frac{\eta}{1 - \beta_1^t}\,
          \frac{m_t}{\sqrt{v_t} / \sqrt{1 - \beta_2^t} + \epsilon}
    $$

    where $m$ and $v$ are Adam's, computed from the gradient of the loss
    alone.

    Traps: the decay is multiplied by ``lr`` (PyTorch, Optax), so it follows a
    schedule, whereas the paper decays by $\lambda$ times the schedule's
    multiplier only; PyTorch's default ``weight_decay`` is 1e-2, not 0.

    Examples:
        With a zero gradient only the decay moves ``x``:

        >>> opt = adamw(lr=0.1, weight_decay=0.5)
        >>> x = np.array([2.0])
        >>> print(opt.update(np.array([0.0]), opt.init(x), x)[0])  # -lr * wd * x
        [-0.1]
    """
    return _adam("adamw", lr, betas, eps, weight_decay, amsgrad, decoupled=True)


def rprop(
    lr: float | schedules.Schedule = 0.01,
    etas: tuple[float, float] = (0.5, 1.2),
    step_sizes: tuple[float, float] = (1e-6, 50.0),
) -> Optimizer:
    r"""Rprop (Riedmiller and Braun 1993), the variant without backtracking, as ``torch.optim.Rprop``.

    Each coordinate keeps its own step size $\Delta$ and moves by it against
    the sign of its gradient; only the sign of $g$ is used:

    $$
    \begin{array}{l}
    \Delta_t = \operatorname{clip}\bigl(\Delta_{t-1} \cdot
      \begin{cases} \eta^+ & g_t g_{t-1} > 0 \\ \eta^- & g_t g_{t-1} < 0 \\ 1 & \text{else} \end{cases},
      \;\Delta_{\min}, \Delta_{\max}\bigr), \\
    x_t = x_{t-1} - \operatorname{sign}(g_t)\, \Delta_t
    \end{array}
    $$

    with ``etas`` $= (\eta^-, \eta^+)$, ``step_sizes`` $= (\Delta_{\min},
    \Delta_{\max})$ and $\Delta_0$ = ``lr``.  Where the sign flipped, the
    coordinate does not move this step and its stored gradient is set to 0, so
    the next step neither grows nor shrinks $\Delta$.

    Traps: ``lr`` is only the *initial* step size, and a schedule on it
    changes nothing after the first step (PyTorch's too); Rprop is a
    full-batch method: on mini-batches the sign of one batch's gradient says
    little about the sign of the mean gradient (Hinton's lecture 6e).

    Examples:
        Two steps the same way grow the step by 1.2:

        >>> opt = rprop(lr=0.1)
        >>> x, state = np.array([1.0]), opt.init(np.array([1.0]))
        >>> delta, state = opt.update(np.array([3.0]), state, x)
        >>> delta, state = opt.update(np.array([0.5]), state, x + delta)
        >>> print(delta, state.step_size)
        [-0.12] [0.12]
    """
    lr = _lr(lr)
    etaminus, etaplus = _pair("etas", etas)
    etaminus, etaplus = validation.positive("etas[0]", etaminus), validation.positive("etas[1]", etaplus)
    if not (np.all(np.asarray(etaminus) < 1) and np.all(np.asarray(etaplus) > 1)):
        raise ValueError(f"etas must satisfy 0 < etas[0] < 1 < etas[1], got {tuple(etas)!r}")
    smallest, largest = _pair("step_sizes", step_sizes)
    smallest, largest = validation.positive("step_sizes[0]", smallest), validation.positive("step_sizes[1]", largest)
    if not np.all(np.asarray(smallest) <= np.asarray(largest)):
        raise ValueError(f"step_sizes must satisfy 0 < step_sizes[0] <= step_sizes[1], got {tuple(step_sizes)!r}")

    def init(x: np.ndarray) -> RpropState:
        zeros = np.zeros_like(x)
        return RpropState(prev=zeros, step_size=zeros + learning_rate(lr, 0, x), count=0)

    def update(g: np.ndarray, state: RpropState, x: np.ndarray):
        def h(value):
            return arithmetic.hyperparameter(value, x)

        product = g * state.prev
        factor = np.where(product > 0, h(etaplus), np.where(product < 0, h(etaminus), 1))
        factor = factor.astype(state.step_size.dtype)  # PyTorch writes the etas into a tensor of x's dtype
        step_size = np.minimum(np.maximum(state.step_size * factor, h(smallest)), h(largest))
        g = np.where(product < 0, 0, g)
        delta = -(_sign(g) * step_size)
        return delta, RpropState(g, step_size, state.count + 1)

    hyper = dict(lr=_lr_record(lr), etas=(etaminus, etaplus), step_sizes=(smallest, largest))
    return Optimizer("rprop", init, update, hyper)


def sign_descent(lr: float | schedules.Schedule = 0.01) -> Optimizer:
    r"""Sign descent (signSGD): $x_t = x_{t-1} - \eta\, \operatorname{sign}(g_t)$.

    Rprop with its step sizes frozen, and RMSprop's limit as ``rho -> 0``
    (then $\sqrt{v_t} = |g_t|$).  Every coordinate moves by ``lr`` whatever
    its gradient's size, so on mini-batches it follows the *majority* sign of
    the batches, not the sign of the mean.

    Examples:
        >>> opt = sign_descent(lr=0.1)
        >>> x = np.array([1.0, 1.0, 1.0])
        >>> print(opt.update(np.array([-5.0, 1e-9, 0.0]), opt.init(x), x)[0])
        [ 0.1 -0.1 -0. ]
    """
    lr = _lr(lr)

    def init(x: np.ndarray) -> GradientDescentState:
        return GradientDescentState(count=0)

    def update(g: np.ndarray, state: GradientDescentState, x: np.ndarray):
        return -learning_rate(lr, state.count, x) * _sign(g), GradientDescentState(state.count + 1)

    return Optimizer("sign_descent", init, update, dict(lr=_lr_record(lr)))


def torch_rmsprop(
    lr: float | schedules.Schedule = 0.01,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
) -> Optimizer:
    r"""RMSprop with ``torch.optim.RMSprop``'s keywords and defaults: ``alpha`` is our ``rho``.

    Examples:
        >>> torch_rmsprop(alpha=0.9).hyperparameters["rho"]
        0.9
    """
    return rmsprop(
        lr=lr,
        rho=validation.unit_interval("alpha", alpha),
        eps=eps,
        momentum=momentum,
        centered=centered,
        weight_decay=weight_decay,
        convention="pytorch",
    )


TORCH_OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": sgd,
    "adagrad": adagrad,
    "adam": adam,
    "adamw": adamw,
    "rprop": rprop,
    "rmsprop": torch_rmsprop,
}
"""``torch.optim``'s classes by lower-case name, each taking that class's keyword arguments and defaults."""
