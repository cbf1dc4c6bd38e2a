"""The update rules: one-step vectors, conventions, baselines and bad input."""

import math

import numpy as np
import pytest

from rmsprop_docs import CONVENTIONS, adagrad, gradient_descent, rmsprop, trace


def one_step(opt, x=10.0):
    """One step on x**2/2 (so g = x), as in the Keras docstring."""
    point = np.array([x])
    delta, state = opt.update(point, opt.init(point), point)
    return (point + delta)[0], state


# The test vectors of the conventions note, each framework with its own defaults.
@pytest.mark.parametrize(
    ("optimizer", "expected"),
    [
        (rmsprop(lr=0.1, rho=0.9, eps=1e-7, convention="keras"), 9.683772235564302),
        (rmsprop(lr=0.1, rho=0.9, eps=1e-10, convention="tf1"), 9.697108733593698),
        (rmsprop(lr=0.1, rho=0.99, eps=1e-8, convention="pytorch"), 9.00000001),
    ],
    ids=["keras", "tf1", "pytorch"],
)
def test_one_step_vectors(optimizer, expected):
    x, _ = one_step(optimizer)
    assert x == pytest.approx(expected, rel=1e-15, abs=0)


def test_tf1_accumulator_starts_at_one():
    state = rmsprop(convention="tf1").init(np.zeros(3))
    assert state.nu.tolist() == [1.0, 1.0, 1.0]
    for convention in ("pytorch", "keras"):
        assert rmsprop(convention=convention).init(np.zeros(3)).nu.tolist() == [0.0, 0.0, 0.0]


def test_first_step_from_zero_accumulator_has_size_lr_over_sqrt_one_minus_rho():
    # v1 = (1 - rho) g^2, so |dx| = lr |g| / sqrt((1 - rho) g^2) = lr / sqrt(1 - rho).
    for rho in (0.0, 0.5, 0.9, 0.99):
        x, _ = one_step(rmsprop(lr=0.01, rho=rho, eps=1e-12), x=3.0)
        assert 3.0 - x == pytest.approx(0.01 / math.sqrt(1 - rho), rel=1e-9)


def test_eps_placement_matters_when_eps_is_large():
    outside, _ = one_step(rmsprop(lr=0.1, eps=1.0, convention="pytorch"), x=1.0)
    inside, _ = one_step(rmsprop(lr=0.1, eps=1.0, convention="keras"), x=1.0)
    # sqrt(0.1) + 1 against sqrt(0.1 + 1)
    assert 1.0 - outside == pytest.approx(0.1 / (math.sqrt(0.1) + 1.0))
    assert 1.0 - inside == pytest.approx(0.1 / math.sqrt(1.1))
    assert abs(outside - inside) > 0.01


def test_centered_divides_by_variance_not_second_moment():
    opt = rmsprop(lr=0.1, rho=0.5, eps=1e-12, centered=True)
    point = np.array([0.0])
    state = opt.init(point)
    _, state = opt.update(np.array([2.0]), state, point)
    delta, state = opt.update(np.array([3.0]), state, point)
    # v = 0.5*(0.5*4) + 0.5*9 = 5.5, mean = 0.5*(0.5*2) + 0.5*3 = 2, v - mean^2 = 1.5
    assert state.nu[0] == pytest.approx(5.5)
    assert state.mu[0] == pytest.approx(2.0)
    # The step divides by the root of the variance, not of the second moment (that would be 0.1*3/sqrt(5.5)).
    assert delta[0] == pytest.approx(-0.1 * 3 / 1.5**0.5, rel=1e-12)


def test_pytorch_and_keras_momentum_agree_for_constant_lr_when_eps_is_negligible():
    torch_like = trace("quadratic", [1.0, 0.0], rmsprop(momentum=0.9, eps=1e-30), steps=50)
    keras_like = trace("quadratic", [1.0, 0.0], rmsprop(momentum=0.9, eps=1e-30, convention="keras"), steps=50)
    np.testing.assert_allclose(torch_like.points, keras_like.points, rtol=0, atol=1e-12)


def test_weight_decay_is_coupled_in_pytorch_and_decoupled_in_keras():
    x = np.array([4.0])
    g = np.array([0.0])
    torch_delta, _ = rmsprop(lr=0.1, weight_decay=0.5).update(g, rmsprop().init(x), x)
    keras_delta, _ = rmsprop(lr=0.1, weight_decay=0.5, convention="keras").update(g, rmsprop().init(x), x)
    # PyTorch: g' = 0.5 * 4 = 2 is normalised: a full lr / sqrt(1 - rho) step.
    assert torch_delta[0] == pytest.approx(-0.1 / math.sqrt(0.1), rel=1e-6)
    # Keras: x shrinks by lr * wd * x = 0.2 and the zero gradient adds nothing.
    assert keras_delta[0] == pytest.approx(-0.2)


def test_adagrad_accumulator_only_grows_and_rmsprop_forgets():
    ada = trace("quadratic", [1.0, 0.0], adagrad(lr=0.1), steps=300)
    rms = trace("quadratic", [1.0, 0.0], rmsprop(lr=0.01), steps=300)
    assert np.all(np.diff(ada.accumulators, axis=0) >= 0)
    assert np.all(ada.effective_lr[1:][~np.isnan(ada.effective_lr[1:])] <= 0.1 / np.sqrt(4) + 1e-12)
    # RMSprop's leaky mean falls again once gradients shrink.
    assert rms.accumulators[-1].max() < rms.accumulators.max() / 10


def test_gradient_descent_effective_lr_is_lr():
    path = trace("quadratic", [1.0, 0.0], gradient_descent(lr=0.05), steps=20)
    np.testing.assert_allclose(path.effective_lr, 0.05)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": 0.0}, "lr must be a finite number > 0, got 0.0"),
        ({"lr": -1}, "lr must be a finite number > 0, got -1.0"),
        ({"lr": float("nan")}, "lr must be a finite number > 0"),
        ({"lr": float("inf")}, "lr must be a finite number > 0"),
        ({"lr": "fast"}, "lr must be a number"),
        ({"rho": 1.0}, "rho must be in [0, 1), got 1.0"),
        ({"rho": -0.1}, "rho must be in [0, 1)"),
        ({"eps": 0.0}, "eps must be a finite number > 0"),
        ({"eps": float("inf")}, "eps must be a finite number > 0"),
        ({"momentum": 1.0}, "momentum must be in [0, 1)"),
        ({"weight_decay": -1e-3}, "weight_decay must be a finite number >= 0"),
        ({"weight_decay": float("nan")}, "weight_decay must be a finite number >= 0"),
        ({"convention": "tf2"}, "convention must be one of pytorch, keras, tf1, got 'tf2'"),
        ({"convention": "tf1", "weight_decay": 0.1}, "weight_decay must be 0 with convention tf1"),
    ],
)
def test_bad_hyperparameters_name_the_parameter_and_range(kwargs, message):
    with pytest.raises(ValueError) as info:
        rmsprop(**kwargs)
    assert message in str(info.value)


def test_every_convention_converges_on_the_post_quadratic():
    for convention in CONVENTIONS:
        path = trace("quadratic", [1.0, 0.0], rmsprop(convention=convention), steps=1000)
        assert np.linalg.norm(path.final - [2.0, -1.0]) < 0.02, convention


# --- the state record and the hyperparameters an optimizer reports ---------------------------------------------------


@pytest.mark.parametrize("convention", list(CONVENTIONS))
@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_state_after_one_step_holds_what_its_fields_name(convention, centered, momentum):
    # g = 2 from x = 2 on x**2/2, rho = 0.5: nu = 0.5 v0 + 2 and, when centered, mu = 1 (exact in binary)
    opt = rmsprop(lr=0.25, rho=0.5, eps=1e-8, momentum=momentum, centered=centered, convention=convention)
    x = np.array([2.0])
    delta, state = opt.update(x, opt.init(x), x)
    v0 = CONVENTIONS[convention].v0
    assert state.nu.tolist() == [0.5 * v0 + 2.0] and state.count == 1
    assert state.mu.tolist() == ([1.0] if centered else [0.0])  # unused and left at 0 unless centered
    if momentum == 0.0:
        assert state.momentum_buffer.tolist() == [0.0]  # unused and left at 0
    elif CONVENTIONS[convention].lr_in_buffer:
        assert state.momentum_buffer.tolist() == (-delta).tolist()  # m = lr g / den, and x -= m
    else:
        assert state.momentum_buffer.tolist() == (-delta / 0.25).tolist()  # b = g / den, and x -= lr b


def test_an_optimizer_reports_its_name_and_every_hyperparameter():
    opt = rmsprop(lr=0.02, rho=0.8, eps=1e-6, momentum=0.3, centered=True, weight_decay=0.01, convention="keras")
    assert opt.name == "rmsprop"
    assert opt.hyperparameters == {
        "lr": 0.02,
        "rho": 0.8,
        "eps": 1e-6,
        "momentum": 0.3,
        "centered": True,
        "weight_decay": 0.01,
        "convention": "keras",
    }


def test_torch_centered_mean_switches_formula_at_weight_one_half():
    # torch's lerp(mu, g, w) is mu + w (g - mu) for w < 0.5 and g - (g - mu)(1 - w) from 0.5 on
    # (aten/src/ATen/native/Lerp.h); at w = 0.5 the two round differently for these values.
    mu, g = 0.1, 0.7
    assert mu + 0.5 * (g - mu) != g - (g - mu) * 0.5
    for rho, expected in ((0.5, g - (g - mu) * 0.5), (0.75, mu + 0.25 * (g - mu)), (0.25, g - (g - mu) * 0.25)):
        opt = rmsprop(rho=rho, centered=True)
        x = np.array([1.0])
        state = opt.init(x)._replace(mu=np.array([mu]))
        _, state = opt.update(np.array([g]), state, x)
        assert state.mu.tolist() == [expected], rho


def test_a_sweeps_columns_are_held_in_float32_as_scalars_are():
    import dataclasses

    from rmsprop_docs import sweep
    from rmsprop_docs.optimizers.conventions import KERAS

    held = dataclasses.replace(KERAS, name="keras-float32", float32_hyperparameters=("lr", "rho"))
    lrs, rhos = [0.01, 0.03], [0.9, 0.7]
    result = sweep("quadratic", (1.0, 0.0), 30, lr=lrs, rho=rhos, optimizer=rmsprop, convention=held)
    for row, (lr, rho) in enumerate(zip(lrs, rhos, strict=True)):
        alone = trace("quadratic", [1.0, 0.0], rmsprop(lr=lr, rho=rho, convention=held), steps=30)
        assert result.final[row].tolist() == alone.final.tolist()
        wide = trace("quadratic", [1.0, 0.0], rmsprop(lr=lr, rho=rho, convention="keras"), steps=30)
        assert result.final[row].tolist() != wide.final.tolist()  # float32 shows
