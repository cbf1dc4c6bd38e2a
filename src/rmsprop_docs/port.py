r"""Port an RMSprop call from one framework to another: the keywords that reproduce it, or the nearest.

Porting is more than renaming ``alpha`` to ``rho``.  A call is reproduced
exactly only if the target can compute the same update

$$
v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2, \qquad x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}
\ \text{or}\ \frac{\eta\, g_t}{\sqrt{v_t + \epsilon}},
$$

from the same $v_0$, with the same values.  The traps:

* values the source holds in float32 are what it computes with, so the target
  gets ``float32(0.01) = 0.009999999776482582``, not ``0.01``; a target that
  holds a value in float32 needs it as a float64 tensor unless it is a float32;
* $v_0 = 1$ (TF1) has no spelling in frameworks that start at 0 (only Optax's
  ``initial_scale`` has one);
* $\epsilon$ inside the root cannot be moved outside: the nearest is a
  re-spelled $\epsilon$ ($\sqrt{\epsilon}$ outside matches $\sqrt{\epsilon}$ near
  $v = 0$; $\epsilon$ unchanged matches it where $v \gg \epsilon$), chosen by
  measurement;
* L2 weight decay (PyTorch, Paddle) and decoupled weight decay (Keras) differ,
  and some frameworks have neither, no momentum, or no centered form.

:func:`port` tries the candidates and measures each on the site's problems
(cubic from -1, the quadratic from (1, 0), Rosenbrock from (-1, 1); 100 steps),
reporting the largest coordinate difference it found.

>>> result = port("tf-compat-v1", "optax", {"learning_rate": 0.01})
>>> result.kwargs["learning_rate"], result.kwargs["decay"], result.kwargs["initial_scale"]
(0.009999999776482582, 0.8999999761581421, 1.0)
>>> result.exact, result.max_difference < 1e-12
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from rmsprop_docs.optimizers import frameworks
from rmsprop_docs.optimizers.frameworks import REQUIRED, Framework, Resolved
from rmsprop_docs.trajectory import DivergenceError, trace

RUNS: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("cubic", (-1.0,)),
    ("quadratic", (1.0, 0.0)),
    ("rosenbrock", (-1.0, 1.0)),
)
"""Where a port is measured: the cubic and the quadratic from the starts the pages use, Rosenbrock from (-1, 1),
the start the framework recordings use (the catalog's is (-1.5, 2))."""
STEPS = 100

_FLOATS = ("lr", "rho", "eps", "momentum", "weight_decay")


@dataclass(frozen=True)
class Port:
    """A port of one call: the target's keywords, whether they are exact, and what was measured."""

    source: Resolved
    target: Framework
    kwargs: dict  # the target's keyword arguments that differ from its defaults (and the required ones)
    hyperparameters_as: str  # "python", or "float64" when a value must be a float64 tensor
    exact: bool  # the same update from the same start; any difference left is rounding
    unmatched: tuple[str, ...]  # what the target cannot reproduce, and the choice made instead
    differences: dict  # problem -> largest coordinate difference over the run (inf: one run diverged)

    @property
    def max_difference(self) -> float:
        return max(self.differences.values())


def held(resolved: Resolved) -> dict[str, object]:
    """The values a resolved call computes with, by meaning: float32 ones rounded and widened.

    >>> held(frameworks.resolve("tf-compat-v1", {"learning_rate": 0.01}))["lr"]
    0.009999999776482582
    """
    float32 = set(resolved.convention.float32_hyperparameters)
    values = dict(resolved.core)
    for name in _FLOATS:
        values[name] = frameworks.held_value(values[name], name in float32)
    return values


def measure(a, b) -> dict[str, float]:
    """The largest coordinate difference between two optimizers' runs, per problem (inf if one diverges)."""
    out = {}
    for problem, x0 in RUNS:
        try:
            pa = trace(problem, list(x0), a, steps=STEPS).points
            pb = trace(problem, list(x0), b, steps=STEPS).points
            out[problem] = float(np.abs(pa - pb).max())
        except DivergenceError:
            out[problem] = math.inf
    return out


def _is_float32(value: float) -> bool:
    return float(np.float32(value)) == value


def _eps_candidates(eps: float, source_place: str, target_place: str) -> tuple[tuple[float, str], ...]:
    if source_place == target_place:
        return ((eps, ""),)
    if source_place == "inside":  # sqrt(v + e) near v = 0 is sqrt(e)
        return ((math.sqrt(eps), "the square root of eps"), (eps, "eps unchanged"))
    return ((eps * eps, "eps squared"), (eps, "eps unchanged"))


def _printed(target: Framework, full: dict, as_: str) -> dict:
    """The keywords worth writing: required, changed from the default, or a float64 tensor the target needs."""
    float32 = set(target.float32)
    out = {}
    for option in target.options:
        value = full[option.name]
        tensor = as_ == "float64" and option.name in float32 and isinstance(value, float) and not _is_float32(value)
        if option.default == REQUIRED or value != option.default or tensor:
            out[option.name] = value
    return out


def port(source: str, target: str, kwargs: Mapping[str, object], hyperparameters_as: str = "python") -> Port:
    """The target's keywords reproducing ``source`` called with ``kwargs``, exactly where it can, else the nearest.

    Examples:
        >>> p = port("pytorch", "keras", {"lr": 0.01, "alpha": 0.9})
        >>> p.exact, p.unmatched[0].split(":")[0]
        (False, 'eps')
    """
    src = frameworks.resolve(source, kwargs, hyperparameters_as)
    dst = frameworks.get(target)
    values = held(src)
    conv = src.convention
    notes: list[str] = []
    full = dict(dst.defaults)

    def put(meaning: str, value: object, default_is_fine: bool) -> bool:
        name = dst.spelling(meaning)
        if name is None:
            return default_is_fine
        full[name] = value
        return True

    for meaning in ("lr", "rho", "eps"):
        put(meaning, values[meaning], False)
    uses_momentum = values["momentum"] > 0
    if uses_momentum and not put("momentum", values["momentum"], False):
        notes.append(f"momentum: {dst.emulates} has none; dropped")
    if src.core["centered"] and not put("centered", True, False):
        notes.append(f"centered: {dst.emulates} has no centered form; dropped")
    put("initial_scale", conv.v0, True)
    put("eps_in_sqrt", conv.eps == "inside", True)
    put("nesterov", conv.nesterov, True)
    put("bias_correction", conv.bias_correction, True)
    for flag, label in (("nesterov", "nesterov"), ("bias_correction", "bias correction")):
        if getattr(conv, flag) and (flag != "nesterov" or uses_momentum) and dst.spelling(flag) is None:
            notes.append(f"{label}: {dst.emulates} has none; dropped")
    uses_decay = values["weight_decay"] > 0
    if uses_decay:
        put("weight_decay", values["weight_decay"], False)

    # What the target computes with these keywords, compared feature by feature.
    probe = frameworks.resolve(dst, {k: v for k, v in full.items() if v != REQUIRED})
    target_conv = probe.convention
    if target_conv.v0 != conv.v0:
        notes.append(
            f"v0: the accumulator starts at {conv.v0:g} in {src.framework.emulates} and at {target_conv.v0:g} in "
            f"{dst.emulates}, which has no option for it"
        )
    if uses_decay and dst.spelling("weight_decay") is None:
        notes.append(f"weight decay: {dst.emulates} has none (add an L2 term to the loss); dropped")
    elif uses_decay and target_conv.weight_decay != conv.weight_decay:
        notes.append(
            f"weight decay: {conv.weight_decay} in {src.framework.emulates}, {target_conv.weight_decay} in "
            f"{dst.emulates}; the same value kept (no value of one kind matches the other)"
        )
    eps_choices = _eps_candidates(values["eps"], conv.eps, target_conv.eps)
    if conv.eps != target_conv.eps:
        notes.append(f"eps: {conv.eps} the root in {src.framework.emulates}, {target_conv.eps} in {dst.emulates}")

    # Values the target would round to float32.
    always = set(dst.float32_always)
    as_ = "python"
    tensors = []
    for option in dst.options:
        value = full[option.name]
        if option.means not in _FLOATS or not isinstance(value, float) or _is_float32(value):
            continue
        if option.name in always:
            notes.append(
                f"{option.name}: {dst.emulates} holds it in float32, so {value!r} acts as {float(np.float32(value))!r}"
            )
        elif option.name in dst.float32:
            as_ = "float64"
            tensors.append(option.name)

    reference = frameworks.from_resolved(src)
    best = None
    for eps, how in eps_choices:
        trial = dict(full)
        if dst.spelling("eps"):
            trial[dst.spelling("eps")] = eps
        printed = _printed(dst, trial, as_)
        candidate = frameworks.optimizer(dst.name, hyperparameters_as=as_, **printed)
        found = measure(reference, candidate)
        if best is None or max(found.values()) < max(best[1].values()):
            best = (printed, found, f"{dst.spelling('eps')}={eps!r} ({how})")
    printed, found, how = best
    notes = [f"{n}; {how} measured nearest" if n.startswith("eps:") else n for n in notes]
    exact = not notes
    if tensors:
        notes.append(f"pass {', '.join(tensors)} as float64 tensors: {dst.emulates} holds Python floats in float32")
    return Port(src, dst, printed, as_, exact, tuple(notes), found)


def call(result: Port) -> str:
    """The target's call, as code: ``optax.rmsprop(learning_rate=0.01, eps_in_sqrt=False)``."""
    args = ", ".join(f"{k}={v!r}" for k, v in result.kwargs.items())
    return f"{result.target.emulates}({args})"


def format_port(result: Port, width: int = 96) -> str:
    """The port as a few lines of at most ``width`` characters: the call, exact or not and why, the differences."""
    import textwrap

    lines = textwrap.wrap(call(result), width, subsequent_indent="    ", break_on_hyphens=False)
    where = ", ".join(f"{p} {d:.1e}" for p, d in result.differences.items())
    verdict = "exact: the same update from the same start" if result.exact else "nearest, not exact"
    lines += textwrap.wrap(f"{verdict}; largest difference over {STEPS} steps: {where}", width, break_on_hyphens=False)
    for note in result.unmatched:
        lines += textwrap.wrap(note, width, initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)
    return "\n".join(lines)
