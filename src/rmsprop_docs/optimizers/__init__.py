"""RMSprop, its framework conventions, the baselines it is compared with, and learning-rate schedules.

One module per idea: :mod:`.base` (what an optimizer is), :mod:`.conventions`
(how frameworks write RMSprop, as data), :mod:`.rmsprop`, :mod:`.baselines`,
:mod:`.schedules`.
"""

from rmsprop_docs.optimizers.base import Optimizer, accumulator
from rmsprop_docs.optimizers.baselines import AdagradState, GradientDescentState, adagrad, gradient_descent
from rmsprop_docs.optimizers.conventions import CONVENTIONS, Convention
from rmsprop_docs.optimizers.rmsprop import RMSPROP_OPTIONS, RMSpropState, rmsprop, rmsprop_from
from rmsprop_docs.optimizers.schedules import Schedule, schedule

__all__ = [
    "CONVENTIONS",
    "RMSPROP_OPTIONS",
    "AdagradState",
    "Convention",
    "GradientDescentState",
    "Optimizer",
    "RMSpropState",
    "Schedule",
    "accumulator",
    "adagrad",
    "gradient_descent",
    "rmsprop",
    "rmsprop_from",
    "schedule",
]
