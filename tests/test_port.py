"""Porting a call between frameworks: exact ports reproduce the source, inexact ones say why and measure it."""

import itertools
import json

import numpy as np
import pytest

from conftest import FIXTURES
from rmsprop_docs import port, trace
from rmsprop_docs.optimizers import frameworks

NAMES = list(frameworks.FRAMEWORKS)
PAIRS = list(itertools.product(NAMES, NAMES))


def lr_only(name):
    return {frameworks.get(name).spelling("lr"): 0.01}


def with_everything(name):
    """The source's call with every option it has switched on (momentum, centered, weight decay)."""
    record = frameworks.get(name)
    kwargs = lr_only(name)
    for meaning, value in (("momentum", 0.5), ("centered", True), ("weight_decay", 0.01)):
        if record.spelling(meaning):
            kwargs[record.spelling(meaning)] = value
    return kwargs


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
@pytest.mark.parametrize("calls", [lr_only, with_everything], ids=["lr", "all-options"])
def test_every_pair_is_exact_or_says_why(source, target, calls):
    result = port.port(source, target, calls(source))
    assert set(result.differences) == {"cubic", "quadratic", "rosenbrock"}
    if result.exact:
        # The same update from the same start: only rounding is left.
        assert result.max_difference < 1e-11, result
        assert all("float64 tensors" in note for note in result.unmatched)
    else:
        assert any("float64 tensors" not in note for note in result.unmatched)
        structural = [n for n in result.unmatched if "float64 tensors" not in n and "holds it in float32" not in n]
        # A different update is a visible difference; a value rounded to float32 may be a small one.
        assert result.max_difference > (1e-9 if structural else 0.0), result
    # The printed call is what was measured: run it again.
    again = frameworks.optimizer(target, hyperparameters_as=result.hyperparameters_as, **result.kwargs)
    source_opt = frameworks.optimizer(source, **calls(source))
    assert port.measure(source_opt, again) == result.differences


def test_a_framework_ports_to_itself_exactly():
    for name in NAMES:
        result = port.port(name, name, with_everything(name))
        assert result.exact and result.max_difference == 0.0, name


@pytest.mark.parametrize(
    ("source", "target", "kwargs", "expected"),
    [
        ("pytorch", "optax", {"lr": 0.01, "alpha": 0.9}, {"learning_rate": 0.01, "eps_in_sqrt": False}),
        (
            "tf-compat-v1",
            "optax",
            {"learning_rate": 0.01},
            {"initial_scale": 1.0, "learning_rate": 0.009999999776482582},
        ),
        ("mlx", "pytorch", {"learning_rate": 0.01}, {"lr": 0.009999999776482582}),
        ("paddle", "keras", {"learning_rate": 0.01}, {"rho": 0.949999988079071, "epsilon": 9.999999974752427e-07}),
        ("keras", "tf-keras", {"learning_rate": 0.01, "weight_decay": 0.1}, {"weight_decay": 0.10000000149011612}),
    ],
)
def test_exact_ports_carry_the_values_the_source_computes_with(source, target, kwargs, expected):
    result = port.port(source, target, kwargs)
    assert result.exact
    assert expected.items() <= result.kwargs.items()


@pytest.mark.parametrize(
    ("source", "target", "kwargs", "needles"),
    [
        ("tf-compat-v1", "pytorch", {"learning_rate": 0.01}, ["v0: the accumulator starts at 1", "eps: inside"]),
        ("pytorch", "keras", {"lr": 0.01, "weight_decay": 0.1}, ["weight decay: l2", "eps: outside"]),
        ("optax", "pytorch", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}, ["nesterov"]),
        ("optax", "keras", {"learning_rate": 0.01, "bias_correction": True}, ["bias correction"]),
        ("pytorch", "mlx", {"momentum": 0.9, "centered": True}, ["momentum:", "centered:"]),
        ("keras", "paddle", {"learning_rate": 0.01}, ["rho: paddle.optimizer.RMSProp holds it in float32"]),
    ],
)
def test_inexact_ports_name_what_cannot_be_matched(source, target, kwargs, needles):
    result = port.port(source, target, kwargs)
    assert not result.exact
    text = " ".join(result.unmatched)
    for needle in needles:
        assert needle in text
    printed = port.format_port(result)
    assert "nearest, not exact" in printed
    assert max(len(line) for line in printed.splitlines()) <= 96


def test_eps_moved_across_the_root_is_re_spelled_by_measurement():
    # Keras' eps inside the root, into MLX (outside): both candidates measured, the nearer printed.
    kwargs = {"learning_rate": 0.05, "epsilon": 0.1}
    result = port.port("keras", "mlx", kwargs)
    source = frameworks.optimizer("keras", **kwargs)
    errors = {}
    for eps in (0.1, 0.1**0.5):
        candidate = frameworks.optimizer("mlx", hyperparameters_as="float64", **{**result.kwargs, "eps": eps})
        errors[eps] = max(port.measure(source, candidate).values())
    assert result.kwargs["eps"] == min(errors, key=errors.get)
    assert result.max_difference == min(errors.values())


def test_a_target_holding_python_floats_in_float32_is_told_to_take_tensors():
    result = port.port("pytorch", "tf-compat-v1", {"lr": 0.01})
    assert result.hyperparameters_as == "float64"
    assert any("as float64 tensors" in note for note in result.unmatched)


def test_exact_port_reproduces_the_source_recording():
    # TF1's recorded run, reproduced by Optax's emulation with the ported keywords.
    doc = json.loads((FIXTURES / "frameworks" / "tf-compat-v1.json").read_text())
    for case in doc["cases"]:
        if case["hyperparameters_as"] != "python":
            continue
        result = port.port("tf-compat-v1", "optax", case["kwargs"])
        assert result.exact
        opt = frameworks.optimizer("optax", hyperparameters_as=result.hyperparameters_as, **result.kwargs)
        mine = trace(case["problem"], case["x0"], opt, steps=100).points
        assert np.abs(mine - np.array(case["points"])).max() < 5e-9
