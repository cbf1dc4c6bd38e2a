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
