"""Record the library's answers for the playground core's Node tests (tools/stryker/test/).

    python scripts/make_js_fixtures.py           # writes tests/fixtures/js/*.json
    python scripts/make_js_fixtures.py --check   # exits 1 when a committed file differs from a fresh recording

Every number comes from rmsprop_docs itself: ``trace`` (points, gradients, steps and accumulators, or the
DivergenceError's message), the validation functions' messages, ``schedules.schedule`` and ``schedules.parse``,
``Trajectory.steps_to`` / ``steps_to_stay`` and ``sweep.best_learning_rate``.  Two oracles are N-digit
arithmetic (mpmath, the library's reference arithmetic): ``powInt`` and ``cosine``, which the core rounds
correctly, are compared with 60-digit values rounded once.  The configurations use the core's names
(``docs/javascripts/playground/core.js``: problem, x0, steps, optimizer, lr, rho, eps, momentum, centered,
weight_decay, convention, beta1, beta2, schedule), so each case reads ``{"config": ..., <the library's answer>}``.

Floats are written by ``json`` with Python's repr, which round-trips exactly; inf, -inf and NaN, which JSON
has no word for, are written as ``{"float": "inf"}`` and so on.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import random
import sys

import mpmath
import numpy as np

from rmsprop_docs import (
    PROBLEMS,
    DivergenceError,
    Trajectory,
    adagrad,
    adam,
    gradient_descent,
    rmsprop,
    sgd,
    stepping,
    trace,
    validation,
)
from rmsprop_docs.optimizers import schedules
from rmsprop_docs.sweep import best_learning_rate

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "js"
CONVENTIONS = ("pytorch", "keras", "tf1")
# The core's optimizer names and its defaults (the playground's own; where they differ from the library's
# function defaults, the library is called with the core's values).
OPTIMIZER_NAMES = ("rmsprop", "gradient_descent", "adagrad", "heavy_ball", "adam")
# np.geomspace(1e-3, 10, 21): the fair race's grid (core.js's RATE_GRID)
RATE_GRID = [float(v) for v in np.geomspace(1e-3, 10, 21)]


# ---------------------------------------------------------------- encoding


def plain(value):
    """JSON-ready: arrays as lists, non-finite floats as {"float": "inf" | "-inf" | "nan"}."""
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    return value


def dump(name: str, data: dict) -> str:
    return json.dumps(plain(data), separators=(",", ":"), allow_nan=False) + "\n"


# ---------------------------------------------------------------- the library's side of a config


def library_lr(config: dict, default: float):
    lr = config.get("lr", default)
    plan = config.get("schedule")
    if plan is None:
        return lr
    if isinstance(plan, str):
        return schedules.parse(plan, lr)
    return schedules.schedule(plan["kind"], lr, **{k: v for k, v in plan.items() if k != "kind"})


def library_optimizer(config: dict):
    """The library's optimizer for a core config, with the core's defaults."""
    name = config.get("optimizer", "rmsprop")
    validation.choice("optimizer", name, OPTIMIZER_NAMES)
    if name == "gradient_descent":
        return gradient_descent(lr=library_lr(config, 0.01))
    if name == "adagrad":
        return adagrad(lr=library_lr(config, 0.01), eps=config.get("eps", 1e-8))
    if name == "heavy_ball":  # torch.optim.SGD with momentum: the library's sgd
        return sgd(lr=library_lr(config, 0.01), momentum=config.get("momentum", 0.9))
    if name == "adam":
        betas = (config.get("beta1", 0.9), config.get("beta2", 0.999))
        return adam(lr=library_lr(config, 0.001), betas=betas, eps=config.get("eps", 1e-8))
    keys = ("rho", "eps", "momentum", "centered", "weight_decay", "convention")
    return rmsprop(lr=library_lr(config, 0.01), **{k: config[k] for k in keys if k in config})


def run(config: dict) -> Trajectory:
    optimizer = library_optimizer(config)
    problem = validation.choice("problem", config.get("problem"), tuple(PROBLEMS))
    return trace(problem, config.get("x0"), optimizer, config.get("steps", 1000))


# ---------------------------------------------------------------- traces


def trace_cases() -> list[dict]:
    cases = []
    for name, problem in PROBLEMS.items():
        start = list(problem.x0)
        for convention in CONVENTIONS:
            cases.append({"problem": name, "x0": start, "steps": 40, "convention": convention})
            cases.append({"problem": name, "x0": start, "steps": 30, "convention": convention, "momentum": 0.9})
            cases.append({"problem": name, "x0": start, "steps": 30, "convention": convention, "centered": True})
        for optimizer in ("gradient_descent", "adagrad", "heavy_ball", "adam"):
            steep = name in ("rosenbrock", "beale") and optimizer in ("gradient_descent", "heavy_ball")
            lr = 0.0005 if steep else 0.01
            cases.append({"problem": name, "x0": start, "steps": 30, "optimizer": optimizer, "lr": lr})
    more = [
        # the defaults: no hyperparameter given (x0 too: the problem's usual start)
        {"problem": "quadratic", "steps": 25},
        {"problem": "cubic", "steps": 25, "optimizer": "gradient_descent"},
        {"problem": "rosenbrock", "steps": 25, "optimizer": "adagrad"},
        {"problem": "quadratic", "steps": 25, "optimizer": "heavy_ball"},
        {"problem": "elongated", "steps": 25, "optimizer": "adam"},
        {"problem": "bowl", "steps": 0},
        {"problem": "bowl", "steps": 1},
        # every RMSprop option, in every convention that has it
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "steps": 60, "lr": 0.003, "rho": 0.99},
        {"problem": "beale", "x0": [1.0, 1.5], "steps": 60, "momentum": 0.9, "centered": True, "convention": "keras"},
        {"problem": "beale", "x0": [1.0, 1.5], "steps": 60, "momentum": 0.9, "centered": True, "convention": "tf1"},
        {"problem": "beale", "x0": [1.0, 1.5], "steps": 60, "momentum": 0.9, "centered": True},
        {"problem": "cubic", "x0": [0.3], "steps": 50, "lr": 0.1, "eps": 0.5, "convention": "tf1"},
        {"problem": "cubic", "x0": [0.3], "steps": 50, "lr": 0.1, "eps": 0.5, "convention": "keras"},
        {"problem": "cubic", "x0": [0.3], "steps": 50, "lr": 0.1, "eps": 0.5},
        {"problem": "rotated", "x0": [-2.0, 1.0], "steps": 50, "weight_decay": 0.05, "lr": 0.05, "convention": "keras"},
        {"problem": "rotated", "x0": [-2.0, 1.0], "steps": 50, "weight_decay": 0.05, "lr": 0.05},
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 50, "weight_decay": 0.3, "momentum": 0.5, "lr": 0.05},
        {
            "problem": "quadratic",
            "x0": [1.0, 0.0],
            "steps": 50,
            "weight_decay": 0.3,
            "momentum": 0.5,
            "convention": "keras",
            "lr": 0.05,
        },
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 50, "weight_decay": 0.3, "centered": True, "rho": 0.5},
        # rho 0.5 and 0: torch.lerp's two formulas meet at weight 0.5; rho 0 keeps only the last gradient
        {"problem": "rosenbrock", "x0": [0.5, -0.5], "steps": 50, "rho": 0.5, "centered": True, "lr": 0.001},
        {"problem": "rosenbrock", "x0": [0.5, -0.5], "steps": 50, "rho": 0.3, "centered": True, "lr": 0.001},
        {"problem": "rosenbrock", "x0": [0.5, -0.5], "steps": 50, "rho": 0.7, "centered": True, "lr": 0.001},
        {"problem": "rosenbrock", "x0": [0.5, -0.5], "steps": 50, "rho": 0.0, "lr": 0.001},
        {
            "problem": "rosenbrock",
            "x0": [0.5, -0.5],
            "steps": 50,
            "rho": 0.3,
            "centered": True,
            "lr": 0.001,
            "convention": "keras",
        },
        {"problem": "elongated", "x0": [-2.0, 1.0], "steps": 50, "momentum": 0.5, "convention": "keras", "lr": 0.05},
        {"problem": "elongated", "x0": [-2.0, 1.0], "steps": 50, "momentum": 0.5, "convention": "tf1", "lr": 0.05},
        {"problem": "parabola", "x0": [10.0], "steps": 50, "momentum": 0.99, "lr": 0.5, "eps": 1e-3},
        # where torch.lerp's two formulas round differently (rho 0.5 and beta1 0.5: weight 0.5 takes the second)
        {"problem": "bowl", "x0": [-5.0, -2.0], "steps": 40, "rho": 0.5, "centered": True, "lr": 0.1},
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "steps": 10, "optimizer": "adam", "beta1": 0.5, "lr": 0.1},
        # the heavy ball's first buffer is the gradient itself, -0.0 included
        {"problem": "parabola", "x0": [-0.0], "steps": 3, "optimizer": "heavy_ball"},
        # the baselines' options
        {
            "problem": "rosenbrock",
            "x0": [-1.0, 1.0],
            "steps": 200,
            "optimizer": "heavy_ball",
            "lr": 0.0005,
            "momentum": 0.9,
        },
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 40, "optimizer": "heavy_ball", "lr": 0.05, "momentum": 0.0},
        {
            "problem": "rosenbrock",
            "x0": [-1.0, 1.0],
            "steps": 200,
            "optimizer": "adam",
            "lr": 0.01,
            "beta1": 0.9,
            "beta2": 0.999,
            "eps": 1e-8,
        },
        {
            "problem": "beale",
            "x0": [1.0, 1.5],
            "steps": 60,
            "optimizer": "adam",
            "lr": 0.05,
            "beta1": 0.5,
            "beta2": 0.9,
            "eps": 0.01,
        },
        {
            "problem": "quadratic",
            "x0": [1.0, 0.0],
            "steps": 60,
            "optimizer": "adam",
            "lr": 0.05,
            "beta1": 0.0,
            "beta2": 0.0,
            "eps": 0.1,
        },
        {"problem": "cubic", "x0": [-1.0], "steps": 60, "optimizer": "adagrad", "lr": 0.5, "eps": 0.25},
        # schedules whose arithmetic is exact in both (no libm call, or exact powers of 2)
        {
            "problem": "rosenbrock",
            "x0": [-1.5, 2.0],
            "steps": 60,
            "schedule": {"kind": "step", "gamma": 0.5, "every": 7},
        },
        {
            "problem": "rosenbrock",
            "x0": [-1.5, 2.0],
            "steps": 60,
            "convention": "keras",
            "schedule": {"kind": "inverse_sqrt", "every": 3},
        },
        {
            "problem": "rosenbrock",
            "x0": [-1.5, 2.0],
            "steps": 60,
            "convention": "tf1",
            "momentum": 0.9,
            "schedule": {"kind": "step", "gamma": 0.5, "every": 10},
        },
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 30, "lr": 0.1, "schedule": {"kind": "constant"}},
        {
            "problem": "quadratic",
            "x0": [1.0, 0.0],
            "steps": 30,
            "lr": 0.1,
            "schedule": {"kind": "cosine", "horizon": 1, "lr_min": 0.0},
        },
        {
            "problem": "quadratic",
            "x0": [1.0, 0.0],
            "steps": 30,
            "lr": 0.1,
            "schedule": {"kind": "cosine", "horizon": 2, "lr_min": 0.025},
        },
        {
            "problem": "quadratic",
            "x0": [1.0, 0.0],
            "steps": 30,
            "lr": 0.1,
            "schedule": {"kind": "exponential", "gamma": 0.5},
        },
        {
            "problem": "cubic",
            "x0": [-1.0],
            "steps": 60,
            "optimizer": "adagrad",
            "lr": 0.5,
            "schedule": {"kind": "inverse_sqrt", "every": 10},
        },
        {
            "problem": "cubic",
            "x0": [-1.0],
            "steps": 40,
            "optimizer": "gradient_descent",
            "lr": 0.5,
            "schedule": {"kind": "step", "gamma": 0.5, "every": 5},
        },
        {
            "problem": "cubic",
            "x0": [-1.0],
            "steps": 40,
            "optimizer": "heavy_ball",
            "lr": 0.25,
            "schedule": {"kind": "step", "gamma": 0.5, "every": 5},
        },
        {
            "problem": "cubic",
            "x0": [-1.0],
            "steps": 40,
            "optimizer": "adam",
            "lr": 0.25,
            "schedule": {"kind": "step", "gamma": 0.5, "every": 5},
        },
        {"problem": "cubic", "x0": [-1.0], "steps": 40, "optimizer": "adam", "schedule": {"kind": "constant"}},
        # the command line's "KIND:NAME=VALUE,..." form
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "steps": 60, "schedule": "step:gamma=0.5,every=7"},
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 30, "schedule": "inverse_sqrt:every=4"},
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 30, "schedule": "inverse_sqrt:every= 4 "},
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 30, "schedule": "constant"},
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 30, "schedule": "cosine:horizon=2,lr_min=0.0025"},
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 30, "schedule": "step:every=+3,gamma=0.5,"},
        # a longer run: past 4096 steps the core's buffers grow
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 4200, "optimizer": "adam", "lr": 0.001},
    ]
    cases.extend(more)
    out = []
    for config in cases:
        path = run(config)
        accumulators = None if np.all(np.isnan(path.accumulators)) else path.accumulators
        long = config.get("steps", 1000) > 1000
        entry = {"config": config}
        if long:  # every 97th point and the last, to keep the file small
            keep = sorted({*range(0, len(path.points), 97), len(path.points) - 1})
            entry.update(every=keep, points=path.points[keep], final_accumulator=path.accumulators[-1])
        else:
            entry.update(points=path.points, accumulators=accumulators)
            if config.get("problem") in ("rosenbrock", "cubic"):  # and the gradients and steps of some
                entry.update(grads=path.grads, deltas=path.deltas)
        out.append(entry)
    return out


def divergence_cases() -> list[dict]:
    diverging = [
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "lr": 10.0, "weight_decay": 1.0, "convention": "keras"},
        {"problem": "quadratic", "x0": [1.0, 0.0], "optimizer": "gradient_descent", "lr": 2.0},
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "optimizer": "gradient_descent", "lr": 0.01},
        {"problem": "beale", "x0": [4.0, 4.0], "optimizer": "gradient_descent", "lr": 0.01},
        {"problem": "cubic", "x0": [3.0], "optimizer": "gradient_descent", "lr": 0.5},
        {"problem": "bowl", "x0": [-5.0, -2.0], "optimizer": "heavy_ball", "lr": 3.0, "momentum": 0.9},
    ]
    out = []
    for config in diverging:
        try:
            run(config)
        except DivergenceError as error:
            step = int(str(error).split(":")[0].split()[1])
            before = run({**config, "steps": step - 1})
            out.append({"config": config, "message": str(error), "step": step, "points": before.points})
        else:
            raise AssertionError(f"{config} did not diverge")
    return out


# ---------------------------------------------------------------- refusals


def refusal_cases() -> list[dict]:
    base = {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 10}
    changes = [
        {"lr": 0.0}, {"lr": -0.0}, {"lr": -1.0}, {"lr": math.inf}, {"lr": -math.inf}, {"lr": math.nan},
        {"lr": -1e-05}, {"lr": -1.5e-07}, {"lr": -0.0001}, {"lr": -1e16}, {"lr": -1.2345e20}, {"lr": -123.0},
        {"lr": -2.5e-300}, {"lr": "fast"}, {"lr": True}, {"lr": False},
        {"rho": 1.0}, {"rho": -0.1}, {"rho": math.nan},
        {"eps": 0.0}, {"eps": -1e-08}, {"eps": math.inf},
        {"momentum": 1.0}, {"momentum": -0.5}, {"momentum": math.inf},
        {"weight_decay": -0.001}, {"weight_decay": math.inf}, {"weight_decay": math.nan},
        {"convention": "tf2"}, {"convention": "__proto__"}, {"convention": "constructor"},
        {"convention": "tf1", "weight_decay": 0.1}, {"convention": "tf1", "weight_decay": 1e-20},
        {"centered": "no"}, {"centered": 1}, {"centered": 1.5},
        {"problem": "sphere"}, {"problem": "__proto__"}, {"problem": "constructor"}, {"problem": "toString"},
        {"problem": "hasOwnProperty"}, {"problem": "prototype"},
        {"steps": 2.5}, {"steps": -1}, {"steps": 10_000_001}, {"steps": True}, {"steps": 1e16}, {"steps": "10"},
        {"steps": 10_000_000, "x0": [1.0]},  # MAX_STEPS itself is allowed: the start is what is refused
        {"x0": [1.0]}, {"x0": [1.0, 0.0, 2.0]}, {"x0": [1.0, math.nan]}, {"x0": [math.inf, 1.0]},
        {"x0": [1, "a"]}, {"x0": "a"}, {"x0": 1.0},
        {"schedule": {"kind": "exponential", "gamma": 1.5}},
        {"schedule": {"kind": "exponential", "gamma": 0.0}},
        {"schedule": {"kind": "step", "every": 0}},
        {"schedule": {"kind": "step", "every": 2.5}},
        {"schedule": {"kind": "cosine", "horizon": 0}},
        {"schedule": {"kind": "cosine", "horizon": 10, "lr_min": 1.0}},
        {"schedule": {"kind": "cosine", "horizon": 10, "lr_min": -1.0}},
        {"schedule": {"kind": "linear"}},
        {"schedule": {"kind": "__proto__"}},
        {"schedule": {"kind": "constant"}, "lr": -1.0},
        {"schedule": "linear"},
        {"schedule": "step:gamma"},
        {"schedule": "step:gamma=fast"},
        {"schedule": "step:rate=0.5"},
        {"schedule": "step:every=2.5"},
        {"schedule": "step:every="},
        {"schedule": "step:gamma=1.5"},
        {"schedule": "cosine:horizon=0"},
        {"schedule": "cosine:lr_min=1"},
        {"schedule": "step:__proto__=1"},
        {"optimizer": "adam", "beta1": 1.0},
        {"optimizer": "adam", "beta2": -0.1},
        {"optimizer": "adam", "eps": 0.0},
        {"optimizer": "adam", "lr": 0.0},
        {"optimizer": "adagrad", "eps": -1.0},
        {"optimizer": "adagrad", "lr": math.inf},
        {"optimizer": "heavy_ball", "momentum": 1.0},
        {"optimizer": "heavy_ball", "lr": -0.5},
        {"optimizer": "gradient_descent", "lr": 0.0},
        {"optimizer": "sgd"}, {"optimizer": "__proto__"}, {"optimizer": "constructor"},
    ]  # fmt: skip
    out = []
    for change in changes:
        config = {**base, **change}
        try:
            run(config)
        except DivergenceError:
            raise AssertionError(f"{config} diverged") from None
        except ValueError as error:
            # the core names torch's betas[0] and betas[1] beta1 and beta2, as the playground's settings do
            text = str(error).replace("betas[0] ", "beta1 ").replace("betas[1] ", "beta2 ")
            out.append({"config": config, "message": text})
        else:
            raise AssertionError(f"{config} was accepted")
    return out


def message(call) -> str:
    try:
        call()
    except ValueError as error:
        return str(error)
    raise AssertionError("accepted")


def lookup_cases() -> list[dict]:
    """Names looked up in the core's tables: only their own keys count."""
    names = [
        "bowl",
        "rotated",
        "sphere",
        "__proto__",
        "constructor",
        "toString",
        "hasOwnProperty",
        "valueOf",
        "prototype",
        "",
        None,
    ]
    return [
        {
            "name": name,
            "known": name in PROBLEMS,
            "message": None
            if name in PROBLEMS
            else message(lambda n=name: validation.choice("problem", n, tuple(PROBLEMS))),
        }
        for name in names
    ]


# ---------------------------------------------------------------- schedules and their arithmetic


def schedule_cases() -> list[dict]:
    plans = [
        ("constant", {}),
        ("step", {"gamma": 0.5, "every": 10}),
        ("step", {"gamma": 0.9, "every": 25}),
        ("step", {"gamma": 0.3, "every": 1}),
        ("inverse_sqrt", {"every": 7}),
        ("inverse_sqrt", {}),
        ("exponential", {"gamma": 0.999}),
        ("exponential", {"gamma": 0.5}),
        ("exponential", {}),
        ("cosine", {"horizon": 1000, "lr_min": 0.0001}),
        ("cosine", {"horizon": 300}),
        ("cosine", {"horizon": 1}),
        ("cosine", {"horizon": 10, "lr_min": 0.01}),  # lr_min may be lr itself
    ]
    out = []
    for kind, options in plans:
        s = schedules.schedule(kind, 0.01, **options)
        used = {"gamma": s.gamma, "every": s.every, "horizon": s.horizon, "lr_min": s.lr_min}
        out.append({"kind": kind, "lr": 0.01, "options": options, "used": used, "rates": [s(t) for t in range(1200)]})
    return out


def schedule_refusals() -> list[dict]:
    calls = [
        ("constant", -1.0, {}), ("constant", 0.0, {}), ("step", 0.01, {"gamma": 1.5}),
        ("step", 0.01, {"gamma": 0.0}), ("step", 0.01, {"every": 0}), ("step", 0.01, {"every": 1.5}),
        ("cosine", 0.01, {"horizon": 0}), ("cosine", 0.01, {"lr_min": 0.02}), ("cosine", 0.01, {"lr_min": -0.01}),
        ("linear", 0.01, {}), ("constructor", 0.01, {}),
    ]  # fmt: skip
    return [
        {"kind": kind, "lr": lr, "options": options,
         "message": message(lambda k=kind, r=lr, o=options: schedules.schedule(k, r, **o))}
        for kind, lr, options in calls
    ]  # fmt: skip


def parse_cases() -> list[dict]:
    texts = [
        "constant", "step:gamma=0.5,every=100", "exponential:gamma=0.998", "inverse_sqrt:every=10",
        "cosine:horizon=1000,lr_min=0.0001", "step:every=3", "step:every=+3", "cosine:horizon=50,",
        "exponential:gamma= 0.5 ", "step:,gamma=0.25,,every=2",
    ]  # fmt: skip
    out = []
    for text in texts:
        s = schedules.parse(text, 0.01)
        out.append(
            {
                "text": text,
                "kind": s.kind,
                "used": {"gamma": s.gamma, "every": s.every, "horizon": s.horizon, "lr_min": s.lr_min},
                "rates": [s(t) for t in range(60)],
            }
        )
    refused = [
        "linear", "step:gamma", "step:rate=0.5", "step:gamma=fast", "step:gamma=", "step:every=2.5",
        "step:every=1e2", "step:every=0x10", "cosine:horizon=0", "step:gamma=1.5", "cosine:lr_min=1",
        "step:gamma=0.5:every=2", "step:constructor=1", "step:=1", "cosine:horizon=2.5", "cosine:horizon=1e2",
        "step: gamma=0.5",
    ]  # fmt: skip
    errors = [{"text": text, "message": message(lambda t=text: schedules.parse(t, 0.01))} for text in refused]
    return out, errors


def arithmetic_cases() -> dict:
    mpmath.mp.dps = 60
    rng = random.Random(20241204)

    def rounded(value) -> float:
        """The double nearest to an mpf (ties to even), subnormals included (rounded once, at their spacing)."""
        if value != 0 and abs(value) < mpmath.ldexp(1, -1022):
            return math.ldexp(int(mpmath.nint(mpmath.ldexp(value, 1074))), -1074)
        try:
            return float(value)
        except OverflowError:
            return math.inf

    def exact_pow(base: float, n: int) -> float:
        return rounded(mpmath.mpf(base) ** n)

    def ulp_steps(x: float, k: int) -> float:
        for _ in range(abs(k)):
            x = math.nextafter(x, math.inf if k > 0 else -math.inf)
        return x

    bases = [0.5, 0.9, 0.99, 0.999, 0.9999, 0.3, 0.1, 1.5, 2.0, 3.0, 1e-5, 0.7071067811865476, 1 - 2**-30]
    bases += [rng.uniform(0.0, 1.0) for _ in range(40)] + [rng.uniform(1.0, 3.0) for _ in range(10)]
    pow_cases = []
    for base in bases:
        for n in sorted({0, 1, 2, 3, 5, 10, 17, 100, 1000, rng.randrange(1, 5000), rng.randrange(1, 200)}):
            pow_cases.append([base, n, exact_pow(base, n)])
    # past the double range, with the scaling loops: underflow to subnormals and 0, overflow to inf
    for base, n in [(0.5, 1074), (0.5, 1075), (0.5, 1022), (0.5, 1023), (0.9, 10000), (0.999, 1_000_000),
                    (1e-5, 70), (1e-5, 80), (1e-100, 3), (1e-100, 4), (1e-300, 2), (2.0, 1023), (2.0, 1024),
                    (1.5, 2000), (1e100, 3), (1e100, 4), (1e300, 2), (1e10, 30), (1e10, 31), (0.0, 5), (1.0, 7),
                    (0.0, 0), (3.0, 0), (1.0000001, 10_000_000), (0.9999999, 10_000_000), (1e-200, 1),
                    (1e200, 1), (2.0**-600, 2), (2.0**600, 2)]:  # fmt: skip
        pow_cases.append([base, n, exact_pow(base, n)])
    # results in the subnormal range and just below overflow, where the scaling back takes more than one step
    ranged = [(0.5, n) for n in range(1023, 1075, 3)] + [(0.9, n) for n in range(6700, 7070, 11)]
    ranged += [(1e-5, n) for n in range(61, 66)] + [(1.5, n) for n in range(1740, 1752)]
    for _ in range(40):
        b = rng.uniform(0.01, 0.99)
        ranged.append((b, math.ceil(math.log(rng.uniform(1e-323, 1e-308)) / math.log(b))))
        b = rng.uniform(1.01, 50.0)
        ranged.append((b, math.floor(math.log(rng.uniform(1e300, 1.7e308)) / math.log(b))))
    # near powers of two, where rounding hi + lo and hi - lo differ
    for n in range(2, 61):
        for j in (1, -1, 3):
            for k in range(-3, 4):
                ranged.append((ulp_steps(2.0 ** (j / n), k), n))
    pow_cases += [[base, n, exact_pow(base, n)] for base, n in ranged]
    runs = []
    for base in (0.9, 0.999, 0.5, 0.3, 1e-3, 0.0, 1.0, 0.1, 1e-40, 1e35):
        running = [exact_pow(base, n) for n in range(1, 301)]
        runs.append({"base": base, "powers": running})
    xs = [0.0, 1e-300, 1e-8, 0.5, 1.0, math.pi / 4, 1.5707963267948966, 1.5, 2.0, 3.0, 3.14159, math.pi, 3.15]
    xs += [rng.uniform(0.0, 3.15) for _ in range(300)]
    xs += [math.pi * t / 1000 for t in range(0, 1001, 7)]
    # near pi / 2, where cos is small and every part of pi / 2 counts; near cos = +-2**-k, where rounding hi + lo
    # and hi - lo differ
    xs += [ulp_steps(math.pi / 2, k) for k in range(-200, 201)]
    for k in range(1, 60):
        for target in (2.0**-k, -(2.0**-k)):
            xs += [ulp_steps(math.acos(target), j) for j in range(-2, 3)]
    cos_cases = [[x, rounded(mpmath.cos(mpmath.mpf(x)))] for x in xs if 0 <= x <= 3.15]
    return {"pow": pow_cases, "powers": runs, "cos": cos_cases}


# ---------------------------------------------------------------- steps_to and the best rate


def steps_to(path: Trajectory, tol: float) -> tuple[int | None, int | None]:
    """``path.steps_to(tol)`` and ``path.steps_to_stay(tol)``; at tol 0, which those methods refuse, the rule they
    apply (``stepping.within``: distance <= tol) applied the same way, so that an exact landing counts."""
    if tol > 0:
        return path.steps_to(tol), path.steps_to_stay(tol)
    inside = stepping.within(path.points, path.problem.minimum, tol)
    hits, outside = np.flatnonzero(inside), np.flatnonzero(~inside)
    first = int(hits[0]) if hits.size else None
    if not outside.size:
        return first, 0
    return first, int(outside[-1]) + 1 if outside[-1] + 1 < len(path.points) else None


def steps_to_cases() -> list[dict]:
    def made(problem: str, points) -> Trajectory:
        points = np.asarray(points, dtype=np.float64)
        empty = np.zeros((len(points) - 1, points.shape[1]))
        return Trajectory(PROBLEMS[problem], "made", {}, points, empty, empty, empty)

    paths = [
        ("made: lands exactly", made("bowl", [[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]])),
        ("made: at 0.5", made("bowl", [[1.0, 1.0], [0.5, 0.0]])),
        ("made: starts there", made("bowl", [[0.0, 0.0], [0.0, 0.0]])),
        ("made: never", made("bowl", [[1.0, 1.0]])),
        ("made: passes and leaves", made("quadratic", [[1.0, 0.0], [2.0, -1.0], [2.0, -0.5], [2.0, -1.0]])),
        ("made: passes and ends away", made("quadratic", [[1.0, 0.0], [2.0, -1.0], [2.0, -0.5]])),
        ("made: 3-4-5", made("elongated", [[3.0, 4.0], [0.0, 5.0], [-4.0, 3.0], [0.6, 0.8]])),
        ("made: one variable", made("cubic", [[-1.0], [-0.5773502691896257], [-0.5], [-0.5773502691896257]])),
        ("made: rosenbrock", made("rosenbrock", [[0.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 1.0]])),
    ]
    configs = [
        {"problem": "parabola", "x0": [10.0], "steps": 5, "optimizer": "gradient_descent", "lr": 1.0},
        {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 400},
        {"problem": "cubic", "x0": [-1.0], "steps": 300, "lr": 0.01},
        {"problem": "bowl", "x0": [-5.0, -2.0], "steps": 300, "optimizer": "gradient_descent", "lr": 0.4},
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "steps": 500, "lr": 0.01},
        {"problem": "beale", "x0": [1.0, 1.5], "steps": 300, "optimizer": "adam", "lr": 0.05},
    ]
    for config in configs:
        paths.append((json.dumps(config), run(config)))
    out = []
    for label, path in paths:
        tols = sorted({0.0, 1e-12, 1e-3, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, *(float(d) for d in path.distances[:3])})
        out.append(
            {
                "label": label,
                "problem": path.problem.name,
                "points": path.points,
                "tols": [[tol, *steps_to(path, tol)] for tol in tols],
            }
        )
    return out


LIBRARY_FUNCTIONS = {"rmsprop": rmsprop, "gradient_descent": gradient_descent, "adagrad": adagrad,
                     "heavy_ball": sgd, "adam": adam}  # fmt: skip


def best_cases() -> list[dict]:
    fair = {"lrs": RATE_GRID, "steps": 5000, "tol": 0.01, "stay": True}
    races = [
        # the fair race's rule for what a rule leaves out (its 5000 steps are cut here to keep the tests quick)
        ({"problem": "bowl", "x0": [-5.0, -2.0], "optimizer": "rmsprop"}, {"steps": 700}),
        ({"problem": "bowl", "x0": [-5.0, -2.0], "optimizer": "rmsprop", "centered": True}, {"steps": 300, "tol": 0.5}),
        (
            {"problem": "bowl", "x0": [-5.0, -2.0], "optimizer": "gradient_descent"},
            {"lrs": RATE_GRID[8:], "steps": 300},
        ),
        (
            {"problem": "elongated", "x0": [-2.0, 1.0], "optimizer": "adagrad", "eps": 1e-10},
            {"lrs": RATE_GRID[10:16], "steps": 400},
        ),
        ({"problem": "elongated", "x0": [-2.0, 1.0], "optimizer": "adam"}, {"lrs": RATE_GRID[8:16], "steps": 400}),
        (
            {"problem": "rosenbrock", "x0": [-1.0, 1.0], "optimizer": "gradient_descent"},
            {"lrs": RATE_GRID[:6], "steps": 2000, "tol": 0.1},
        ),
        (
            {"problem": "quadratic", "x0": [1.0, 0.0], "optimizer": "rmsprop", "convention": "keras"},
            {"lrs": [0.001, 0.01, 0.1], "steps": 1000, "tol": 0.05},
        ),
        (
            {"problem": "quadratic", "x0": [1.0, 0.0], "optimizer": "heavy_ball", "momentum": 0.5},
            {"lrs": [0.01, 0.1, 0.3, 1.0], "steps": 500, "tol": 0.001, "stay": False},
        ),
        # a run that diverges: never stays, though it may pass within tol first
        (
            {"problem": "quadratic", "x0": [0.0, 0.0], "optimizer": "gradient_descent"},
            {"lrs": [0.5, 0.05], "steps": 1100, "tol": 1.5, "stay": False},
        ),
        (
            {"problem": "quadratic", "x0": [0.0, 0.0], "optimizer": "gradient_descent"},
            {"lrs": [0.5, 0.05], "steps": 1100, "tol": 1.5, "stay": True},
        ),
        # ties go to the first (smaller) rate: every run starts within tol
        (
            {"problem": "parabola", "x0": [10.0], "optimizer": "gradient_descent"},
            {"lrs": [0.1, 0.2, 0.3], "steps": 50, "tol": 100.0},
        ),
        (
            {"problem": "parabola", "x0": [10.0], "optimizer": "gradient_descent"},
            {"lrs": [0.1, 0.2, 0.3], "steps": 50, "tol": 100.0, "stay": False},
        ),
        # an exact landing (the library refuses tol 0; 1e-300 is as tight here): gradient descent at lr 1 on x^2 / 2
        (
            {"problem": "parabola", "x0": [10.0], "optimizer": "gradient_descent"},
            {"lrs": [0.5, 1.0, 1.5], "steps": 20, "tol": 1e-300},
        ),
        (
            {"problem": "parabola", "x0": [10.0], "optimizer": "gradient_descent"},
            {"lrs": [0.5, 1.0, 1.5], "steps": 20, "tol": 1e-300, "stay": False},
        ),
        # a run that diverges at its first step from a start within tol: it never stays, though it starts there
        (
            {"problem": "parabola", "x0": [0.001], "optimizer": "rmsprop", "rho": 0.0, "centered": True, "eps": 5e-324},
            {"lrs": [0.01], "steps": 5, "tol": 0.01},
        ),
        (
            {"problem": "parabola", "x0": [0.001], "optimizer": "rmsprop", "rho": 0.0, "centered": True, "eps": 5e-324},
            {"lrs": [0.01], "steps": 5, "tol": 0.01, "stay": False},
        ),
        # nothing gets there
        (
            {"problem": "rosenbrock", "x0": [-1.5, 2.0], "optimizer": "gradient_descent"},
            {"lrs": [1e-5, 2e-5], "steps": 10, "tol": 0.01},
        ),
        (
            {"problem": "rosenbrock", "x0": [-1.5, 2.0], "optimizer": "gradient_descent"},
            {"lrs": [1e-5, 2e-5], "steps": 10, "tol": 0.01, "stay": False},
        ),
    ]
    out = []
    for config, rule in races:
        full = {**fair, **(rule or {})}
        hyper = {k: v for k, v in config.items() if k not in ("problem", "x0", "optimizer")}
        if config["optimizer"] == "adagrad":
            hyper.setdefault("eps", 1e-8)
        if config["optimizer"] == "heavy_ball":
            hyper.setdefault("momentum", 0.9)
        best = best_learning_rate(
            config["problem"], config["x0"], full["steps"], full["lrs"], tol=full["tol"], stay=full["stay"],
            optimizer=LIBRARY_FUNCTIONS[config["optimizer"]], **hyper,
        )  # fmt: skip
        out.append({"config": config, "rule": rule, "best": {"lr": best.lr, "steps": best.steps}})
    return out


def problem_cases() -> list[dict]:
    rng = random.Random(7)
    out = []
    for name, problem in PROBLEMS.items():
        windows = problem.bounds[: problem.dim]
        samples = [list(problem.x0), list(problem.minimum)]
        samples += [[rng.uniform(lo - 1, hi + 1) for lo, hi in windows] for _ in range(20)]
        xs = np.array(samples)
        out.append(
            {
                "name": name,
                "formula": problem.formula,
                "dim": problem.dim,
                "minimum": list(problem.minimum),
                "kind": problem.kind,
                "x0": list(problem.x0),
                "bounds": [list(b) for b in problem.bounds],
                "samples": [{"x": x.tolist(), "f": float(problem.f(x)), "grad": problem.grad(x).tolist()} for x in xs],
            }
        )
    return out


# ---------------------------------------------------------------- main


def recordings() -> dict[str, str]:
    parsed, parse_errors = parse_cases()
    return {
        "traces.json": dump("traces", {"cases": trace_cases(), "divergences": divergence_cases()}),
        "refusals.json": dump("refusals", {"configs": refusal_cases(), "lookups": lookup_cases()}),
        "schedules.json": dump("schedules", {"schedules": schedule_cases(), "parsed": parsed,
                                             "parse_errors": parse_errors, "refused": schedule_refusals()}),
        "arithmetic.json": dump("arithmetic", arithmetic_cases()),
        "steps_to.json": dump("steps_to", {"cases": steps_to_cases(), "best": best_cases()}),
        "problems.json": dump("problems", {"problems": problem_cases(), "max_steps": validation.MAX_STEPS,
                                           "rate_grid": RATE_GRID}),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args()
    files = recordings()
    if args.check:
        stale = [name for name, text in files.items() if not (OUT / name).exists() or (OUT / name).read_text() != text]
        for name in stale:
            print(f"stale: tests/fixtures/js/{name}")
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text)
        print(f"wrote tests/fixtures/js/{name} ({len(text) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
