r"""Port an RMSprop call from one framework to another: the keywords that reproduce it, or the nearest.

Porting is more than renaming ``alpha`` to ``rho``.  A call is reproduced
exactly only if the target can compute the same update

$$
\begin{array}{l}
v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2, \\
x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}
\ \text{or}\ \frac{\eta\, g_t}{\sqrt{v_t + \epsilon}},
\end{array}
$$

from the same $v_0$, with the same values.  The traps:

* values the source holds in float32 are what it computes with: an exact port
  into a target that holds them in float64 needs ``float32(0.01) =
  0.009999999776482582``, not ``0.01`` (a note says why); a target that holds
  them in float32 too gets the decimal, which it rounds the same way; a port that
  is not exact anyway gets the decimal the user gave.  The float32 values are
  kept in :attr:`Port.exact_kwargs`.  A target that holds a value in float32
  needs it as a float64 tensor unless it is a float32;
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
>>> inexact = port("tf-compat-v1", "pytorch", {"learning_rate": 0.01})  # v0 = 1 has no PyTorch spelling
>>> inexact.kwargs, inexact.exact_kwargs["alpha"]
({'lr': 0.01, 'alpha': 0.9, 'eps': 1e-05}, 0.8999999761581421)
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
    kwargs: dict  # what to paste: the target's keywords that differ from its defaults (and the required ones)
    exact_kwargs: dict  # the same call with the values the source computes with, to the last bit (float32 widened)
    hyperparameters_as: str  # "python", or "float64" when a value must be a float64 tensor
    exact: bool  # the same update from the same start; any difference left is rounding
    unmatched: tuple[str, ...]  # what the target cannot reproduce, the choice made instead, and the float32 values
    differences: dict  # problem -> largest coordinate difference of the printed call's run (inf: one run diverged)

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
    """The largest coordinate difference between two optimizers' whole runs, per problem (inf if one diverges).

    Every point of the two paths is compared, not only the last: two runs can part and meet again.
    """
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


def _pasteable(value: float) -> float:
    """A derived value (a root, a square) as a short decimal: 15 significant digits, so 1e-8 squared is 1e-16."""
    return float(f"{value:.15g}")


def _eps_candidates(
    given: float, exact: float, source_place: str, target_place: str
) -> tuple[tuple[float, float, str], ...]:
    """The target's eps values to try: (the value to paste, the exact value, how it was made from eps).

    Inside the root eps matters where v is near 0, where sqrt(v + e) is sqrt(e): so an eps moved outside the
    root becomes its square root, and an eps moved inside becomes its square.  Where v >> eps, eps unchanged
    is nearer.

    >>> _eps_candidates(1e-10, 1e-10, "inside", "outside")[0]
    (1e-05, 1e-05, 'the square root of eps')
    >>> _eps_candidates(1e-08, 1e-08, "outside", "inside")[0]
    (1e-16, 1.0000000000000001e-16, 'eps squared')
    """
    if source_place == target_place:
        return ((given, exact, ""),)
    if source_place == "inside":
        return (
            (_pasteable(math.sqrt(given)), math.sqrt(exact), "the square root of eps"),
            (given, exact, "eps unchanged"),
        )
    return ((_pasteable(given * given), exact * exact, "eps squared"), (given, exact, "eps unchanged"))


def _printed(target: Framework, full: dict, as_: str) -> dict:
    """The keywords worth writing: the learning rate, the required ones, those changed from the default, and
    float64 tensors the target needs."""
    float32 = set(target.float32)
    out = {}
    for option in target.options:
        value = full[option.name]
        tensor = as_ == "float64" and option.name in float32 and isinstance(value, float) and not _is_float32(value)
        if option.means == "lr" or option.default == REQUIRED or value != option.default or tensor:
            out[option.name] = value
    return out


def _target_float32(target: Framework, as_: str) -> set[str]:
    """The target's keywords held in float32 when called as printed (a float64 tensor is held as it is)."""
    out = set(target.float32_always)
    if as_ == "python":
        out |= set(target.float32)
        default_backend = target.backend(None)
        out |= set(default_backend.float32 if default_backend else ())
    return out


def port(source: str, target: str, kwargs: Mapping[str, object], hyperparameters_as: str = "python") -> Port:
    """The target's keywords reproducing ``source`` called with ``kwargs``, exactly where it can, else the nearest.

    The printed keywords are values to paste: where the source holds a value in float32 and the port is exact,
    the float32 value widened (the target holds it in float64: the decimal would differ), else the decimal the
    user gave (the target rounds it to float32 the same way, or the port is not exact anyway).
    :attr:`Port.exact_kwargs` always has the values the source computes with.

    Examples:
        >>> p = port("pytorch", "keras", {"lr": 0.01, "alpha": 0.9})
        >>> p.exact, p.unmatched[0].split(":")[0]
        (False, 'eps')
    """
    src = frameworks.resolve(source, kwargs, hyperparameters_as)
    dst = frameworks.get(target)
    given = dict(src.core)
    values = held(src)
    conv = src.convention
    notes: list[str] = []
    full = dict(dst.defaults)  # the exact values
    as_given: dict[str, object] = {}  # target keyword -> the decimal given, where the source rounds it to float32

    def put(meaning: str, value: object, default_is_fine: bool) -> bool:
        name = dst.spelling(meaning)
        if name is None:
            return default_is_fine
        full[name] = value
        if meaning in _FLOATS and given[meaning] != value:
            as_given[name] = given[meaning]
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
    eps_choices = _eps_candidates(given["eps"], values["eps"], conv.eps, target_conv.eps)
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
    exact = not notes  # eps placement is among the notes: more than one eps candidate means not exact

    # The decimal given, unless the exact port needs the float32 value widened (a target holding it in float64).
    rounds_too = _target_float32(dst, as_)
    shown = dict(full)
    for name, decimal in as_given.items():
        if not exact or name in rounds_too:
            shown[name] = decimal

    reference = frameworks.from_resolved(src)
    eps_name = dst.spelling("eps")
    best = None
    for paste_eps, exact_eps, how in eps_choices:
        trial, trial_exact = dict(shown), dict(full)
        if eps_name:
            trial[eps_name] = exact_eps if exact and eps_name not in rounds_too else paste_eps
            trial_exact[eps_name] = exact_eps
        printed = _printed(dst, trial, as_)
        candidate = frameworks.optimizer(dst.name, hyperparameters_as=as_, **printed)
        found = measure(reference, candidate)
        if best is None or max(found.values()) < max(best[1].values()):
            best = (printed, found, f"{eps_name}={trial[eps_name] if eps_name else paste_eps!r} ({how})", trial_exact)
    printed, found, how, trial_exact = best
    notes = [f"{n}; {how} measured nearest" if n.startswith("eps:") else n for n in notes]
    widened = [  # (source keyword, decimal, float32 value, target keyword)
        (o.name, given[o.means], values[o.means], dst.spelling(o.means))
        for o in src.framework.options
        if o.means in _FLOATS and given[o.means] != values[o.means]
    ]
    carried = [w for w in widened if w[3] in as_given and w[3] not in rounds_too]  # printed as float32 values
    if widened and not exact:
        notes.append(
            f"float32: {src.framework.emulates} computes with "
            + ", ".join(f"{name}={decimal!r} as {value!r}" for name, decimal, value, _ in widened)
            + "; the port is not exact anyway, so the decimals are printed "
            "(exact_kwargs, or --format json, has the float32 values)"
        )
    elif carried:
        notes.append(
            f"float32: {src.framework.emulates} computes with "
            + ", ".join(f"{name}={decimal!r} as {value!r}" for name, decimal, value, _ in carried)
            + f"; {dst.emulates} holds Python floats in float64, so the port carries those values"
        )
    if tensors:
        notes.append(f"pass {', '.join(tensors)} as float64 tensors: {dst.emulates} holds Python floats in float32")
    exact_printed = _printed(dst, trial_exact, as_)
    return Port(src, dst, printed, exact_printed, as_, exact, tuple(notes), found)


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


def as_json(result: Port) -> dict:
    """The port as a JSON-ready dict: the call, what to paste, the exact values, the verdict, the measurements.

    ``exact_kwargs`` carries the values the source computes with, to the last bit (float32 ones widened), where
    ``kwargs`` may print the decimals given; a difference of ``None`` is a run that diverged.

    >>> doc = as_json(port("tf-compat-v1", "pytorch", {"learning_rate": 0.01}))
    >>> doc["kwargs"]["alpha"], doc["exact_kwargs"]["alpha"]
    (0.9, 0.8999999761581421)
    """
    return {
        "from": result.source.framework.name,
        "to": result.target.name,
        "call": call(result),
        "kwargs": result.kwargs,
        "exact_kwargs": result.exact_kwargs,
        "hyperparameters_as": result.hyperparameters_as,
        "exact": result.exact,
        "steps": STEPS,
        "differences": {p: (d if math.isfinite(d) else None) for p, d in result.differences.items()},
        "notes": list(result.unmatched),
    }
