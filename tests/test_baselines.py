"""The baselines against PyTorch's recording, and the behaviours that tell their variants apart."""

import inspect
import json
import pathlib

import mpmath
import numpy as np
import pytest

from rmsprop_docs import trace
from rmsprop_docs.optimizers import baselines
from rmsprop_docs.optimizers.baselines import (
    TORCH_OPTIMIZERS,
    adagrad,
    adam,
    adamw,
    gradient_descent,
    rprop,
    sgd,
    sign_descent,
    torch_rmsprop,
)
from rmsprop_docs.optimizers.rmsprop import rmsprop
from rmsprop_docs.sweep import sweep

FIXTURE = json.loads((pathlib.Path(__file__).parent / "fixtures" / "torch_optimizers.json").read_text())
CASES = FIXTURE["cases"]
# Options of torch.optim that change how PyTorch computes, not what: they have no counterpart here.
TORCH_ONLY = {"maximize", "foreach", "capturable", "differentiable", "fused", "decoupled_weight_decay"}


def _kwargs(case: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}


def _case_id(case: dict) -> str:
    options = ",".join(f"{k}={v}" for k, v in case["kwargs"].items()) or "defaults"
    return f"{case['optimizer']}-{options}-{case['problem']}"


def test_fixture_covers_every_registered_optimizer():
    assert FIXTURE["versions"]["torch"].startswith("2.13.0")
    assert {case["optimizer"] for case in CASES} == set(TORCH_OPTIMIZERS)
    assert all(len(case["points"]) == 101 for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_every_step_matches_pytorch(case):
    recorded = np.array(case["points"], dtype=np.float64)
    assert np.all(np.isfinite(recorded))
    optimizer = TORCH_OPTIMIZERS[case["optimizer"]](**_kwargs(case))
    path = trace(case["problem"], case["x0"], optimizer, steps=100)
    np.testing.assert_allclose(path.points, recorded, rtol=0, atol=1e-9)


@pytest.mark.parametrize("name", sorted(FIXTURE["defaults"]))
def test_defaults_are_pytorchs(name):
    recorded = FIXTURE["defaults"][name]
    parameters = inspect.signature(TORCH_OPTIMIZERS[name]).parameters
    ours = {k: p.default for k, p in parameters.items()}
    assert set(ours) <= set(recorded), f"{name}: options PyTorch does not have: {set(ours) - set(recorded)}"
    assert set(recorded) - set(ours) <= TORCH_ONLY
    for key, value in ours.items():
        expected = tuple(recorded[key]) if isinstance(recorded[key], list) else recorded[key]
        assert value == expected, f"{name}.{key}: ours {value!r}, PyTorch's {expected!r}"
        assert type(value) is type(expected) or isinstance(value, float), f"{name}.{key}"


def test_the_registry_is_pytorchs_lower_case_class_names():
    assert set(TORCH_OPTIMIZERS) == {"sgd", "adagrad", "adam", "adamw", "rprop", "rmsprop"}
    for name, factory in TORCH_OPTIMIZERS.items():
        assert factory().name == name


def test_torch_rmsprop_is_the_pytorch_convention_with_alpha_as_rho():
    ours = torch_rmsprop(lr=0.05, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)
    assert (
        ours.hyperparameters
        == rmsprop(
            lr=0.05, rho=0.9, momentum=0.5, centered=True, weight_decay=0.1, convention="pytorch"
        ).hyperparameters
    )
    assert torch_rmsprop().hyperparameters["rho"] == 0.99


def test_nesterov_and_heavy_ball_differ_from_the_second_step():
    heavy = trace("quadratic", [1.0, 0.0], sgd(lr=0.01, momentum=0.9), steps=3).points
    nesterov = trace("quadratic", [1.0, 0.0], sgd(lr=0.01, momentum=0.9, nesterov=True), steps=3).points
    # First step: heavy ball moves by lr*g, Nesterov by lr*(g + 0.9*g).  g at (1, 0) is (-2, 2).
    np.testing.assert_allclose(heavy[1], [1.02, -0.02], rtol=0, atol=1e-15)
    np.testing.assert_allclose(nesterov[1], [1.038, -0.038], rtol=0, atol=1e-15)
    assert not np.allclose(heavy[2:], nesterov[2:])


def test_momentum_zero_is_plain_gradient_descent_whatever_the_dampening():
    a = trace("quadratic", [1.0, 0.0], sgd(lr=0.05, dampening=0.7), steps=50).points
    b = trace("quadratic", [1.0, 0.0], gradient_descent(lr=0.05), steps=50).points
    np.testing.assert_array_equal(a, b)


def test_dampening_scales_the_buffer_after_the_first_step():
    # b1 = g1; b2 = 0.9 * b1 + (1 - 0.5) * g2, by hand with g = (-2, 2) at (1, 0) and the quadratic's gradient.
    path = trace("quadratic", [1.0, 0.0], sgd(lr=0.01, momentum=0.9, dampening=0.5), steps=2)
    x1 = np.array([1.02, -0.02])
    g2 = np.array([4 * x1[0] + 2 * x1[1] - 6, 2 * x1[0] + 4 * x1[1]])
    b2 = 0.9 * np.array([-2.0, 2.0]) + 0.5 * g2
    np.testing.assert_allclose(path.points[2], x1 - 0.01 * b2, rtol=0, atol=1e-14)


def test_adamw_decoupled_and_adam_l2_settle_at_different_points():
    # f(x) = (x - 3)**2 / 2, decay 1.  L2 minimizes f + x**2 / 2: x - 3 + x = 0 at x = 1.5.  Decoupled decay
    # balances Adam's step instead: with a steady gradient |m| / sqrt(v) -> 1, so lr * wd * x = lr at x = 1 / wd = 1.
    ends = []
    for opt in (adam(lr=0.01, weight_decay=1.0), adamw(lr=0.01, weight_decay=1.0)):
        x = np.array([0.0])
        state = opt.init(x)
        for _ in range(20_000):  # v forgets the early, larger gradients at rate 1 - beta2 = 1e-3 per step
            delta, state = opt.update(x - 3.0, state, x)
            x = x + delta
        ends.append(float(x[0]))
    assert ends[0] == pytest.approx(1.5, abs=1e-3)
    assert ends[1] == pytest.approx(1.0, abs=1e-3)


def test_adam_first_step_is_lr_in_every_coordinate():
    opt = adam(lr=0.1)
    x = np.zeros(3)
    delta, _ = opt.update(np.array([1e-4, 1.0, -1e4]), opt.init(x), x)
    np.testing.assert_allclose(delta, [-0.1, -0.1, 0.1], rtol=1e-3)


def test_amsgrad_never_lets_the_denominator_shrink():
    opt = adam(lr=0.1, betas=(0.0, 0.5), amsgrad=True)
    x = np.zeros(1)
    state = opt.init(x)
    for g in (10.0, 0.1, 0.1, 0.1):
        _, state = opt.update(np.array([g]), state, x)
    assert state.nu_max[0] == 50.0  # (1 - 0.5) * 10**2 after the first step, never exceeded
    assert state.nu[0] < 7


def test_adagrad_lr_decay_and_initial_accumulator_by_hand():
    opt = adagrad(lr=1.0, lr_decay=0.5, initial_accumulator_value=5.0, eps=1e-300)
    x = np.zeros(1)
    state = opt.init(x)
    deltas = []
    for _ in range(3):
        delta, state = opt.update(np.array([2.0]), state, x)
        deltas.append(float(delta[0]))
    # clr_t = 1 / (1 + 0.5 (t-1)); v_t = 5 + 4t; delta_t = -clr_t * 2 / sqrt(v_t)
    expected = [-(1 / (1 + 0.5 * k)) * 2 / np.sqrt(5 + 4 * (k + 1)) for k in range(3)]
    np.testing.assert_allclose(deltas, expected, rtol=1e-15)


def test_rprop_grows_shrinks_and_skips_after_a_sign_change():
    opt = rprop(lr=0.1, etas=(0.5, 1.2), step_sizes=(0.01, 0.13))
    x = np.zeros(1)
    state = opt.init(x)
    record = []
    for g in (1.0, 1.0, 1.0, -1.0, -1.0, 1.0):
        delta, state = opt.update(np.array([g]), state, x)
        record.append((float(delta[0]), float(state.step_size[0]), float(state.prev[0])))
    np.testing.assert_allclose(
        record,
        [
            (-0.1, 0.1, 1.0),  # first step: no previous gradient, lr
            (-0.12, 0.12, 1.0),  # same sign: grow by 1.2
            (-0.13, 0.13, 1.0),  # clipped at step_sizes[1]
            (0.0, 0.065, 0.0),  # sign flip: halve, do not move, forget the gradient
            (0.065, 0.065, -1.0),  # after a skip: neither grow nor shrink
            (0.0, 0.0325, 0.0),
        ],
        rtol=1e-12,
    )


def test_sign_descent_ignores_the_gradients_size():
    opt = sign_descent(lr=0.25)
    x = np.zeros(3)
    delta, _ = opt.update(np.array([1e-12, -1e12, 0.0]), opt.init(x), x)
    assert delta.tolist() == [-0.25, 0.25, 0.0]


@pytest.mark.parametrize(
    ("factory", "kwargs", "message"),
    [
        (sgd, dict(lr=0), r"lr must be a finite number > 0"),
        (sgd, dict(momentum=1.0), r"momentum must be in \[0, 1\)"),
        (sgd, dict(dampening=1.5), r"dampening must be in \[0, 1\]"),
        (sgd, dict(nesterov=True), r"nesterov=True needs momentum in \(0, 1\) and dampening 0"),
        (sgd, dict(momentum=0.9, dampening=0.1, nesterov=True), r"nesterov=True needs"),
        (sgd, dict(weight_decay=-1), r"weight_decay must be a finite number >= 0"),
        (adagrad, dict(lr_decay=-0.1), r"lr_decay must be a finite number >= 0"),
        (adagrad, dict(initial_accumulator_value=-1), r"initial_accumulator_value must be"),
        (adam, dict(betas=(0.9, 1.0)), r"betas\[1\] must be in \[0, 1\)"),
        (adam, dict(betas=0.9), r"betas must be a pair"),
        (adamw, dict(amsgrad="yes"), r"amsgrad must be True or False"),
        (adam, dict(eps=0), r"eps must be a finite number > 0"),
        (rprop, dict(etas=(0.5, 0.9)), r"etas must satisfy 0 < etas\[0\] < 1 < etas\[1\]"),
        (rprop, dict(etas=(1.5, 2.0)), r"etas must satisfy"),
        (rprop, dict(step_sizes=(1.0, 0.1)), r"step_sizes must satisfy 0 < step_sizes\[0\] <= step_sizes\[1\]"),
        (torch_rmsprop, dict(alpha=1.0), r"alpha must be in \[0, 1\)"),
    ],
)
def test_bad_arguments_name_the_parameter_and_its_range(factory, kwargs, message):
    with pytest.raises(ValueError, match=message):
        factory(**kwargs)


@pytest.mark.parametrize("name", ["sgd", "adagrad", "adam", "adamw", "rprop"])
def test_n_digit_runs_agree_with_float_runs(name):
    kwargs = dict(lr=0.01, momentum=0.9, nesterov=True) if name == "sgd" else {}
    floats = trace("quadratic", [1.0, 0.0], TORCH_OPTIMIZERS[name](**kwargs), steps=30)
    exact = trace("quadratic", [1.0, 0.0], TORCH_OPTIMIZERS[name](**kwargs), steps=30, digits=40)
    assert isinstance(exact.points[-1, 0], mpmath.mpf)
    np.testing.assert_allclose(exact.points.astype(float), floats.points, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("factory", "axis", "values"),
    [
        (sgd, "momentum", [0.0, 0.5, 0.9]),
        (adagrad, "lr_decay", [0.0, 0.1]),
        (rprop, "lr", [0.01, 0.1]),
        (sign_descent, "lr", [0.01, 0.1]),
    ],
)
def test_sweeps_match_single_runs(factory, axis, values):
    result = sweep("quadratic", (1.0, 0.0), 40, optimizer=factory, **{axis: np.array(values)})
    for i, value in enumerate(values):
        path = trace("quadratic", [1.0, 0.0], factory(**{axis: value}), steps=40)
        np.testing.assert_allclose(result.final[i], path.final, rtol=0, atol=1e-14)


def test_adam_sweep_over_lr():
    result = sweep("quadratic", (1.0, 0.0), 40, optimizer=adam, lr=np.array([0.01, 0.1]))
    for i, lr in enumerate([0.01, 0.1]):
        np.testing.assert_allclose(result.final[i], trace("quadratic", [1.0, 0.0], adam(lr=lr), steps=40).final)


def test_module_exports():
    for name in ("sgd", "adagrad", "adam", "adamw", "rprop", "sign_descent", "torch_rmsprop", "TORCH_OPTIMIZERS"):
        assert hasattr(baselines, name)
