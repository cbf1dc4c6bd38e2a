"""Train a stack of configurations side by side on seeded mini-batches.

Configuration ``i`` has its own seed: a :func:`numpy.random.default_rng`
seeded with it draws the initial parameters first, then one shuffle of the
training set per epoch, cut into batches of ``batch_size`` (the last,
incomplete batch of each shuffle is dropped).  The optimizer's hyperparameters
are columns of shape ``(n, 1)``, as in :mod:`rmsprop_docs.sweep`, so every
configuration runs in the same NumPy operations.  Same inputs, same bytes.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsprop_docs import validation
from rmsprop_docs.learning.datasets import Digits
from rmsprop_docs.learning.models import Model, evaluate
from rmsprop_docs.optimizers import Optimizer


class Run(NamedTuple):
    """What became of each configuration; curves have one entry per record (``every`` steps), after step 0."""

    steps: np.ndarray  # (r,) step counts at which the curves were recorded
    train_loss: np.ndarray  # (n, r) mean mini-batch loss over the steps since the last record
    validation_loss: np.ndarray  # (n, r)
    test_loss: np.ndarray  # (n, r)
    test_accuracy: np.ndarray  # (n, r)
    final_train_loss: np.ndarray  # (n,) loss on the whole training set at the end; +inf where the run diverged

    @property
    def final_validation_loss(self) -> np.ndarray:
        """(n,) validation loss at the end; +inf where the run diverged (so it is never chosen)."""
        return _finite_or_inf(self.validation_loss[:, -1])

    @property
    def final_test_loss(self) -> np.ndarray:
        """(n,) test loss at the end; +inf where the run diverged."""
        return _finite_or_inf(self.test_loss[:, -1])

    @property
    def final_test_accuracy(self) -> np.ndarray:
        """(n,) test accuracy at the end."""
        return self.test_accuracy[:, -1]


def _finite_or_inf(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, np.inf)


def batch_order(seed: int, n_train: int, batch_size: int, steps: int, model: Model) -> tuple[np.ndarray, np.ndarray]:
    """Initial parameters (P,) and the training rows of every step (steps, batch_size), both from ``seed``.

    Examples:
        >>> from rmsprop_docs.learning.models import softmax_regression
        >>> theta, rows = batch_order(0, 10, 4, 5, softmax_regression())
        >>> rows.shape, sorted(rows[0].tolist() + rows[1].tolist()) == sorted(set(rows[0]) | set(rows[1]))
        ((5, 4), True)
    """
    rng = np.random.default_rng(seed)
    theta = model.init(rng)
    per_epoch = n_train // batch_size
    epochs = math.ceil(steps / per_epoch)
    shuffles = [rng.permutation(n_train)[: per_epoch * batch_size] for _ in range(epochs)]
    return theta, np.concatenate(shuffles).reshape(-1, batch_size)[:steps]


def train(
    model: Model,
    optimizer: Optimizer,
    data: Digits,
    seeds: object,
    *,
    batch_size: int,
    steps: int,
    every: int,
    progress: Callable[[int], None] | None = None,
) -> Run:
    """Train ``len(seeds)`` configurations of ``model`` with ``optimizer`` for ``steps`` steps.

    ``optimizer`` holds one configuration per seed (hyperparameter columns of
    length ``n``, or scalars shared by all).  Every ``every`` steps the losses
    on the validation and test sets are recorded.  ``progress`` is called
    with the number of steps done, at each record.
    """
    seeds = np.asarray(seeds, dtype=np.int64).ravel()
    batch_size = validation.whole("batch_size", batch_size, 1, len(data.train.y))
    steps = validation.whole("steps", steps, 1, validation.MAX_STEPS)
    every = validation.whole("every", every, 1, steps)
    starts = {}
    for seed in dict.fromkeys(seeds.tolist()):
        starts[seed] = batch_order(seed, len(data.train.y), batch_size, steps, model)
    theta = np.stack([starts[s][0] for s in seeds.tolist()])
    rows = np.stack([starts[s][1] for s in seeds.tolist()], axis=1)  # (steps, n, batch)
    shared = len(starts) == 1
    state = optimizer.init(theta)
    records = []
    running = np.zeros(len(seeds))
    # Each step's inputs gathered into one buffer: a fresh array of this size costs a fresh mapping every step.
    inputs = np.empty((rows[0, 0] if shared else rows[0]).shape + data.train.x.shape[1:])
    with np.errstate(all="ignore"):  # a diverged run shows as inf or NaN in its losses
        for t in range(1, steps + 1):
            batch = rows[t - 1, 0] if shared else rows[t - 1]
            x = np.take(data.train.x, batch, axis=0, out=inputs, mode="clip")  # "clip": rows are valid, unbuffered
            loss, grad = model.loss_and_grad(theta, x, data.train.y[batch])
            delta, state = optimizer.update(grad, state, theta)
            theta = theta + delta
            running += loss
            if t % every == 0:
                test_loss, test_accuracy = evaluate(model, theta, data.test.x, data.test.y)
                validation_loss = evaluate(model, theta, data.validation.x, data.validation.y)[0]
                records.append((running / every, validation_loss, test_loss, test_accuracy))
                running = np.zeros(len(seeds))
                if progress is not None:
                    progress(t)
        final_train_loss = _finite_or_inf(evaluate(model, theta, data.train.x, data.train.y)[0])
    columns = [np.stack(c, axis=1) for c in zip(*records, strict=True)]
    return Run(np.arange(every, steps + 1, every)[: len(records)], *columns, final_train_loss)


def text_progress(total: int, label: str, stream=None, width: int = 30) -> Callable[[int], None]:
    """A one-line text progress bar on stderr: ``label [#####.....] done/total``."""
    stream = sys.stderr if stream is None else stream

    def show(done: int) -> None:
        filled = round(width * done / total)
        end = "\n" if done >= total else ""
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
        stream.flush()

    return show
