"""Every problem's analytic gradient against central finite differences."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmsprop_docs import PROBLEMS
from rmsprop_docs.problems import get


def finite_difference(problem, x, h=1e-6):
    grad = np.empty_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (problem.f(x + step) - problem.f(x - step)) / (2 * h)
    return grad


@pytest.mark.parametrize("name", list(PROBLEMS))
@given(data=st.data())
def test_gradient_matches_finite_differences(name, data):
    problem = PROBLEMS[name]
    coords = [data.draw(st.floats(lo, hi)) for lo, hi in problem.bounds[: problem.dim]]
    x = np.array(coords)
    analytic = problem.grad(x)
    numeric = finite_difference(problem, x)
    scale = max(1.0, float(np.abs(analytic).max()))
    np.testing.assert_allclose(analytic, numeric, rtol=0, atol=1e-5 * scale)


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_gradient_vanishes_at_the_minimum(name):
    problem = PROBLEMS[name]
    np.testing.assert_allclose(problem.grad(np.array(problem.minimum)), 0.0, atol=1e-12)


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_functions_are_vectorised_over_leading_axes(name):
    problem = PROBLEMS[name]
    rng = np.random.default_rng(0)
    batch = rng.uniform(-1, 1, size=(4, 3, problem.dim))
    assert problem.f(batch).shape == (4, 3)
    assert problem.grad(batch).shape == (4, 3, problem.dim)
    np.testing.assert_allclose(problem.grad(batch)[2, 1], problem.grad(batch[2, 1]))


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_float32_in_float32_out(name):
    problem = PROBLEMS[name]
    x = np.array(problem.x0, dtype=np.float32)
    assert problem.grad(x).dtype == np.float32


def test_post_minima():
    assert get("cubic").minimum[0] == -0.5773502691896257
    assert get("cubic").kind == "local"
    assert get("quadratic").minimum == (2.0, -1.0)
    assert get("beale").minimum == (3.0, 0.5)
    assert get("rosenbrock").minimum == (1.0, 1.0)


def test_rotated_is_the_elongated_bowl_turned():
    rotated, elongated = get("rotated"), get("elongated")
    theta = np.pi / 4
    turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    p = np.array([0.7, -0.3])
    assert rotated.f(turn @ p) == pytest.approx(elongated.f(p))


def test_unknown_problem_is_a_value_error():
    with pytest.raises(ValueError, match="problem must be one of bowl, cubic, quadratic"):
        get("sphere")
