"""Vectorized sweeps give what one run at a time gives."""

import numpy as np
import pytest

from rmsprop_docs import adagrad, gradient_descent, grid, rmsprop, sweep, trace


def test_sweep_equals_trace_per_configuration():
    g = grid(lr=[0.003, 0.01, 0.1], rho=[0.0, 0.5, 0.9, 0.99])
    result = sweep("quadratic", (1.0, 0.0), 300, tol=0.05, **g)
    for i, (lr, rho) in enumerate(zip(g["lr"], g["rho"], strict=True)):
        path = trace("quadratic", [1.0, 0.0], rmsprop(lr=float(lr), rho=float(rho)), steps=300)
        np.testing.assert_array_equal(result.final[i], path.final)
        expected = path.steps_to(0.05)
        assert result.steps_to_tol[i] == (-1 if expected is None else expected)


def test_sweep_over_starting_points_and_conventions():
    starts = np.array([[1.0, 0.0], [-1.5, 2.0], [0.0, 0.0]])
    for convention in ("pytorch", "keras", "tf1"):
        result = sweep("beale", starts, 50, convention=convention, momentum=0.5)
        for i, x0 in enumerate(starts):
            path = trace("beale", x0, rmsprop(convention=convention, momentum=0.5), steps=50)
            np.testing.assert_allclose(result.final[i], path.final, rtol=0, atol=1e-14)


def test_sweep_with_another_optimizer():
    result = sweep("quadratic", (1.0, 0.0), 100, optimizer=adagrad, lr=np.array([0.01, 0.1]))
    path = trace("quadratic", [1.0, 0.0], adagrad(lr=0.1), steps=100)
    np.testing.assert_array_equal(result.final[1], path.final)


def test_sweep_float32_matches_trace_float32():
    result = sweep("quadratic", (1.0, 0.0), 1000, dtype="float32", lr=np.array([0.01]))
    assert result.final.dtype == np.float32
    assert result.final[0].tolist() == [2.0, -1.0]


def test_divergence_is_reported_not_raised():
    result = sweep("rosenbrock", (2.0, 2.0), 100, optimizer=gradient_descent, lr=np.array([1e-4, 0.1]))
    assert result.diverged.tolist() == [False, True]


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="share one length"):
        sweep("quadratic", (1.0, 0.0), 10, lr=np.array([0.1, 0.2]), rho=np.array([0.5, 0.6, 0.7]))


def test_array_hyperparameters_are_validated_elementwise():
    with pytest.raises(ValueError, match=r"rho must be in \[0, 1\)"):
        sweep("quadratic", (1.0, 0.0), 10, rho=np.array([0.5, 1.0]))


def test_step_counts_from_a_start_inside_and_from_the_first_step():
    # the start (1, 0) is sqrt(2) = 1.414 from the minimum (2, -1): outside a ball of 1.40; every step is inside
    path = trace("quadratic", [1.0, 0.0], rmsprop(lr=0.01), steps=20)
    distances = [np.hypot(x - 2.0, y + 1.0) for x, y in path.points]
    assert distances[0] > 1.40 and max(distances[1:]) <= 1.40
    res = sweep("quadratic", (1.0, 0.0), 20, tol=1.40, lr=[0.01])
    assert res.steps_to_tol.tolist() == [1] and res.steps_to_stay.tolist() == [1]
    # a start inside the ball counts as step 0; lr 0.5 leaves it at step 1 (the first step is lr / sqrt(1 - rho))
    res = sweep("quadratic", (2.0, -0.99), 5, tol=0.05, lr=[1e-6, 0.5])
    assert res.steps_to_tol.tolist() == [0, 0] and res.steps_to_stay.tolist() == [0, 2]


def test_without_tol_no_step_is_counted():
    res = sweep("quadratic", (2.0, -1.0), 5, lr=[0.01, 0.1])  # starts on the minimum and stays there
    assert res.steps_to_tol.tolist() == [-1, -1] and res.steps_to_stay.tolist() == [-1, -1]


def test_defaults_are_the_problems_start_and_1000_steps():
    res = sweep("quadratic", lr=[0.1])
    path = trace("quadratic", optimizer=rmsprop(lr=0.1), steps=1000)
    np.testing.assert_array_equal(res.final[0], path.final)
    assert not np.array_equal(res.final, sweep("quadratic", steps=1001, lr=[0.1]).final)  # the last step shows
    assert sweep("cubic", (-1.0,), 10).final.shape == (1, 1)  # scalars only: one configuration


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"dtype": "float16"}, r"^dtype must be one of float64, float32"),
        ({"tol": 0.0}, r"^tol must be a finite number > 0"),
        ({"x0": (np.nan, 0.0)}, r"^x0 must be finite"),
        ({"x0": (1e39, 0.0), "dtype": "float32"}, r"^x0 overflows float32"),
        ({"x0": "far"}, r"^x0 must be a list of numbers"),
    ],
)
def test_bad_sweep_options_are_named(options, message):
    options = {"x0": (1.0, 0.0), **options}
    with pytest.raises(ValueError, match=message):
        sweep("quadratic", steps=5, lr=[0.1], **options)


def test_best_learning_rate_uses_the_steps_and_the_optimizer_it_is_given():
    from rmsprop_docs.sweep import best_learning_rate

    assert best_learning_rate("quadratic", (1.0, 0.0), 111, [0.001, 0.01], tol=0.05) == (None, None)
    assert best_learning_rate("quadratic", (1.0, 0.0), 112, [0.001, 0.01], tol=0.05) == (0.01, 112)
    lrs = [0.01, 0.05, 0.1]
    stays = {lr: trace("quadratic", [1.0, 0.0], gradient_descent(lr=lr), steps=300).steps_to_stay(0.05) for lr in lrs}
    best = min((s, lr) for lr, s in stays.items() if s is not None)
    found = best_learning_rate("quadratic", (1.0, 0.0), 300, lrs, tol=0.05, optimizer=gradient_descent)
    assert found == (best[1], best[0]) and found != best_learning_rate("quadratic", (1.0, 0.0), 300, lrs, tol=0.05)
    # the first learning rate leaves the ball at step 1 and stays from step 2; the second stays from step 0
    assert best_learning_rate("quadratic", (2.0, -0.99), 5, [0.5, 1e-6], tol=0.05) == (1e-6, 0)
