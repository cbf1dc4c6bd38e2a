"""The one data set the mini-batch experiments use, read from the package; nothing is downloaded.

The test set of UCI's optical recognition of handwritten digits (Alpaydin and
Kaynak 1998, CC BY 4.0; see ``data/README.md`` beside this module), as
scikit-learn ships it: 1797 images of 8x8 pixel counts 0..16, digits 0..9.
"""

from __future__ import annotations

import gzip
import pathlib
from functools import cache
from typing import NamedTuple

import numpy as np

DATA = pathlib.Path(__file__).resolve().parent / "data" / "digits.csv.gz"
PIXELS = 64
CLASSES = 10


class Split(NamedTuple):
    """Inputs scaled to [0, 1] (pixel count / 16) and integer labels."""

    x: np.ndarray  # (n, 64) float64
    y: np.ndarray  # (n,) int64, 0..9


class Digits(NamedTuple):
    """A fixed split: models are trained on ``train``, tuned on ``validation``, reported on ``test``."""

    train: Split
    validation: Split
    test: Split


@cache
def _table() -> np.ndarray:
    with gzip.open(DATA, "rt", encoding="ascii") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
    table.setflags(write=False)
    return table


def load_digits() -> Split:
    """All 1797 images, in the file's order.

    Examples:
        >>> data = load_digits()
        >>> data.x.shape, data.y.shape, float(data.x.max()), np.bincount(data.y).tolist()
        ((1797, 64), (1797,), 1.0, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    """
    table = _table()
    return Split(table[:, :PIXELS] / 16.0, table[:, PIXELS].copy())


def split_digits(seed: int = 0, test: float = 0.25, validation: float = 0.15) -> Digits:
    """A stratified split: within each digit, a seeded shuffle sends a ``test`` share to test, etc.

    Each part's share of each digit is rounded to whole images, so every part
    keeps the class balance of the whole set to within one image per digit.

    Examples:
        >>> parts = split_digits()
        >>> [len(p.y) for p in parts]
        [1078, 269, 450]
    """
    data = load_digits()
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[], [], []]  # train, validation, test
    for digit in range(CLASSES):
        members = rng.permutation(np.flatnonzero(data.y == digit))
        n_test, n_val = (round(share * len(members)) for share in (test, validation))
        parts[2].append(members[:n_test])
        parts[1].append(members[n_test : n_test + n_val])
        parts[0].append(members[n_test + n_val :])
    index = [np.sort(np.concatenate(p)) for p in parts]
    return Digits(*(Split(data.x[i], data.y[i]) for i in index))
