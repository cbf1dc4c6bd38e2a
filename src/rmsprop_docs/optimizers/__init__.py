"""RMSprop, its framework conventions, the baselines it is compared with, and learning-rate schedules.

One module per idea: :mod:`.base` (what an optimizer is), :mod:`.conventions`
(how frameworks write RMSprop, as data), :mod:`.rmsprop`, :mod:`.baselines`,
:mod:`.schedules`, and :mod:`.frameworks` (every framework's RMSprop class as a record).
"""

from rmsprop_docs.optimizers.base import Optimizer, accumulator
from rmsprop_docs.optimizers.baselines import (
    TORCH_OPTIMIZERS,
    AdagradState,
    AdamState,
    GradientDescentState,
    RpropState,
    SGDState,
    adagrad,
    adam,
    adamw,
    gradient_descent,
    rprop,
    sgd,
    sign_descent,
    torch_rmsprop,
)
from rmsprop_docs.optimizers.conventions import CONVENTIONS, Convention
from rmsprop_docs.optimizers.frameworks import FRAMEWORKS, Framework
from rmsprop_docs.optimizers.rmsprop import RMSPROP_OPTIONS, RMSpropState, rmsprop, rmsprop_from
from rmsprop_docs.optimizers.schedules import Schedule, schedule

__all__ = [
    "CONVENTIONS",
    "FRAMEWORKS",
    "RMSPROP_OPTIONS",
    "TORCH_OPTIMIZERS",
    "AdagradState",
    "AdamState",
    "Convention",
    "Framework",
    "GradientDescentState",
    "Optimizer",
    "RMSpropState",
    "RpropState",
    "SGDState",
    "Schedule",
    "accumulator",
    "adagrad",
    "adam",
    "adamw",
    "gradient_descent",
    "rmsprop",
    "rmsprop_from",
    "rprop",
    "schedule",
    "sgd",
    "sign_descent",
    "torch_rmsprop",
]
