"""RMSprop, its conventions, test problems and trajectories, in small pure functions.

>>> from rmsprop_docs import rmsprop, trace
>>> print(trace("cubic", x0=[-1.0], optimizer=rmsprop(lr=0.01)).final)
[-0.57735027]
"""

from rmsprop_docs.optimizers import (
    CONVENTIONS,
    AdagradState,
    Convention,
    GradientDescentState,
    Optimizer,
    RMSpropState,
    Schedule,
    adagrad,
    gradient_descent,
    rmsprop,
    schedule,
)
from rmsprop_docs.problems import PROBLEMS, Problem
from rmsprop_docs.sweep import SweepResult, grid, sweep
from rmsprop_docs.trajectory import DivergenceError, Trajectory, trace
from rmsprop_docs.validation import MAX_STEPS

__version__ = "0.1.0"

__all__ = [
    "CONVENTIONS",
    "MAX_STEPS",
    "PROBLEMS",
    "AdagradState",
    "Convention",
    "DivergenceError",
    "GradientDescentState",
    "Optimizer",
    "Problem",
    "RMSpropState",
    "Schedule",
    "SweepResult",
    "Trajectory",
    "adagrad",
    "gradient_descent",
    "grid",
    "rmsprop",
    "schedule",
    "sweep",
    "trace",
]
