r"""Two classifiers in NumPy whose parameters are one flat vector, so any core optimizer trains them.

Every function takes a *stack* of ``n`` parameter vectors, shape ``(n, P)``
(one per configuration trained side by side, as in :mod:`rmsprop_docs.sweep`),
and inputs of shape ``(B, D)`` shared by all, or ``(n, B, D)`` with one batch
each.  Losses are the mean cross-entropy over the batch:

$$
\begin{array}{l}
L(\theta) = -\frac{1}{B} \sum_{i=1}^{B} \log \operatorname{softmax}(z_i)_{y_i}, \\
\frac{\partial L}{\partial z_i} = \frac{\operatorname{softmax}(z_i) - e_{y_i}}{B}.
\end{array}
$$

* ``softmax_regression``: $z = x W + b$ (650 parameters for the digits);
* ``mlp``: $z = \tanh(x W_1 + b_1) W_2 + b_2$ with one hidden layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsprop_docs.learning.datasets import CLASSES, PIXELS


class Model(NamedTuple):
    """A classifier: how to start its parameters, and its loss, gradient and logits for a stack of them."""

    name: str
    size: int  # P: parameters in the flat vector
    init: Callable[[np.random.Generator], np.ndarray]  # rng -> (P,)
    loss_and_grad: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    logits: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (n, P), x -> (n, B, C)


def _cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean cross-entropy of logits ``z`` (n, B, C) for labels ``y`` (B,) or (n, B), and its gradient in ``z``."""
    # The same operations as the formula, in two buffers: temporaries this size cost a fresh mapping each.
    log_p = z - z.max(axis=-1, keepdims=True)
    dz = np.exp(log_p)
    log_p -= np.log(dz.sum(axis=-1, keepdims=True))
    labels = np.broadcast_to(y, z.shape[:-1])[..., None]
    loss = -np.take_along_axis(log_p, labels, axis=-1)[..., 0].mean(axis=-1)
    np.exp(log_p, out=dz)
    np.put_along_axis(dz, labels, np.take_along_axis(dz, labels, axis=-1) - 1, axis=-1)
    dz /= z.shape[-2]
    return loss, dz


# OpenBLAS runs a product of m*k*n multiply-adds on several threads above 2**18; on a small, busy machine
# those threads cost far more than they save, so larger products are cut into pieces below that size.
SERIAL_PRODUCT = 2**18


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` (with broadcasting over leading axes), as products of at most ``SERIAL_PRODUCT`` multiply-adds."""
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-1]
    if m * k * n <= SERIAL_PRODUCT:
        return a @ b
    if m >= k:  # many rows: cut the rows
        rows = max(1, SERIAL_PRODUCT // (k * n))
        return np.concatenate([a[..., i : i + rows, :] @ b for i in range(0, m, rows)], axis=-2)
    inner = max(1, SERIAL_PRODUCT // (m * n))  # a long inner axis (a batch's rows, transposed): sum the pieces
    return sum(a[..., i : i + inner] @ b[..., i : i + inner, :] for i in range(0, k, inner))


def _transpose(x: np.ndarray) -> np.ndarray:
    return np.swapaxes(x, -1, -2)


def _affine(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x W + b`` per configuration: (n, B, K) from x (B, D) or (n, B, D), w (n, D, K), b (n, K)."""
    return _matmul(x, w) + b[:, None]


def softmax_regression(features: int = PIXELS, classes: int = CLASSES) -> Model:
    """Multinomial logistic regression: ``features * classes`` weights then ``classes`` biases.

    Examples:
        >>> model = softmax_regression()
        >>> theta = np.zeros((1, model.size))
        >>> loss, grad = model.loss_and_grad(theta, np.ones((4, 64)), np.array([0, 1, 2, 3]))
        >>> print(model.size, loss, grad.shape)  # uniform over 10 classes: log 10
        650 [2.30258509] (1, 650)
    """
    split = features * classes

    def unpack(theta):
        return theta[:, :split].reshape(-1, features, classes), theta[:, split:]

    def init(rng: np.random.Generator) -> np.ndarray:
        return np.concatenate([rng.normal(0.0, 0.01, split), np.zeros(classes)])

    def logits(theta, x):
        w, b = unpack(theta)
        return _affine(x, w, b)

    def loss_and_grad(theta, x, y):
        loss, dz = _cross_entropy(logits(theta, x), y)
        grad_w = _matmul(_transpose(x), dz)
        return loss, np.concatenate([grad_w.reshape(len(theta), -1), dz.sum(axis=-2)], axis=-1)

    return Model("softmax regression", split + classes, init, loss_and_grad, logits)


def mlp(hidden: int = 32, features: int = PIXELS, classes: int = CLASSES) -> Model:
    """One hidden layer of ``hidden`` tanh units; parameters W1, b1, W2, b2 in that order.

    ``init`` draws Glorot-uniform weights and zero biases.

    Examples:
        >>> model = mlp()
        >>> rng = np.random.default_rng(0)
        >>> theta = model.init(rng)[None]
        >>> loss, grad = model.loss_and_grad(theta, rng.random((5, 64)), np.arange(5))
        >>> model.size, grad.shape
        (2410, (1, 2410))
    """
    sizes = (features * hidden, hidden, hidden * classes, classes)
    ends = np.cumsum(sizes)

    def unpack(theta):
        w1, b1, w2, b2 = np.split(theta, ends[:-1], axis=-1)
        return w1.reshape(-1, features, hidden), b1, w2.reshape(-1, hidden, classes), b2

    def init(rng: np.random.Generator) -> np.ndarray:
        r1, r2 = np.sqrt(6 / (features + hidden)), np.sqrt(6 / (hidden + classes))
        w1 = rng.uniform(-r1, r1, sizes[0])
        w2 = rng.uniform(-r2, r2, sizes[2])
        return np.concatenate([w1, np.zeros(hidden), w2, np.zeros(classes)])

    def forward(theta, x):
        w1, b1, w2, b2 = unpack(theta)
        h = np.tanh(_affine(x, w1, b1))
        return h, _affine(h, w2, b2)

    def logits(theta, x):
        return forward(theta, x)[1]

    def loss_and_grad(theta, x, y):
        w2 = unpack(theta)[2]
        h, z = forward(theta, x)
        loss, dz = _cross_entropy(z, y)
        grad_w2 = _matmul(_transpose(h), dz)
        dpre = _matmul(dz, _transpose(w2)) * (1 - h * h)
        grad_w1 = _matmul(_transpose(x), dpre)
        n = len(theta)
        parts = (grad_w1.reshape(n, -1), dpre.sum(axis=-2), grad_w2.reshape(n, -1), dz.sum(axis=-2))
        return loss, np.concatenate(parts, axis=-1)

    return Model(f"MLP, {hidden} tanh units", int(ends[-1]), init, loss_and_grad, logits)


MODELS: dict[str, Callable[[], Model]] = {"softmax": softmax_regression, "mlp": mlp}
"""The models by short name."""


def evaluate(model: Model, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean cross-entropy and share classified correctly on ``x``, per configuration: two arrays (n,).

    Examples:
        >>> model = softmax_regression()
        >>> loss, acc = evaluate(model, np.zeros((2, model.size)), np.ones((3, 64)), np.array([0, 5, 9]))
        >>> print(loss, acc)  # every class equally likely; ties go to class 0
        [2.30258509 2.30258509] [0.33333333 0.33333333]
    """
    z = model.logits(theta, x)
    shifted = z - z.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    labels = np.broadcast_to(y, z.shape[:-1])[..., None]
    loss = -np.take_along_axis(log_p, labels, axis=-1)[..., 0].mean(axis=-1)
    return loss, (z.argmax(axis=-1) == y).mean(axis=-1)
