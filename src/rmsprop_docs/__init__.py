"""RMSprop, its conventions, test problems and trajectories, in small pure functions.

>>> from rmsprop_docs import rmsprop, trace
>>> print(trace("cubic", x0=[-1.0], optimizer=rmsprop(lr=0.01)).final)
[-0.57735027]
"""

from rmsprop_docs.optimizers import (
    CONVENTIONS,
    FRAMEWORKS,
    TORCH_OPTIMIZERS,
    AdagradState,
    Convention,
    GradientDescentState,
    Optimizer,
    RMSpropState,
    Schedule,
    adagrad,
    adam,
    adamw,
    gradient_descent,
    rmsprop,
    rprop,
    schedule,
    sgd,
    sign_descent,
)
from rmsprop_docs.problems import PROBLEMS, Problem
from rmsprop_docs.sweep import SweepResult, grid, sweep
from rmsprop_docs.trajectory import DivergenceError, Trajectory, trace
from rmsprop_docs.validation import MAX_STEPS

__version__ = "0.2.0"

__all__ = [
    "CONVENTIONS",
    "FRAMEWORKS",
    "MAX_STEPS",
    "PROBLEMS",
    "TORCH_OPTIMIZERS",
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
    "adam",
    "adamw",
    "gradient_descent",
    "grid",
    "rmsprop",
    "rprop",
    "schedule",
    "sgd",
    "sign_descent",
    "sweep",
    "trace",
]
