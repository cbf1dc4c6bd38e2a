"""Trajectories: the post's numbers, their records, properties, and failure."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmsprop_docs import MAX_STEPS, DivergenceError, Problem, adagrad, gradient_descent, rmsprop, trace


def test_post_one_variable_result():
    path = trace("cubic", [-1.0], steps=1000)
    assert path.final[0] == -0.5773502691896257
    assert abs(path.final[0] + 1 / math.sqrt(3)) <= math.ulp(path.final[0])


def test_post_two_variables_float32_lands_exactly_on_the_minimum():
    path = trace("quadratic", [1.0, 0.0], steps=1000, dtype="float32")
    assert path.points.dtype == np.float32
    assert path.final.tolist() == [2.0, -1.0]
    assert np.all(path.grads[-1] == 0)


def test_post_two_variables_float64_ends_in_a_two_cycle():
    path = trace("quadratic", [1.0, 0.0], steps=1000)
    np.testing.assert_allclose(path.final, [2.005, -0.995], atol=1e-8)
    np.testing.assert_allclose(path.points[-2], [1.995, -1.005], atol=1e-8)
    np.testing.assert_allclose(path.points[-3], path.final, atol=1e-12)
    # About lr from the minimum in each coordinate, not converging.
    assert np.abs(path.final - [2.0, -1.0]).max() == pytest.approx(0.005, abs=1e-8)


def test_first_within_005_at_step_112_in_both_dtypes():
    for dtype in ("float64", "float32"):
        assert trace("quadratic", [1.0, 0.0], dtype=dtype).steps_to(0.05) == 112


def test_records_have_consistent_shapes_and_meaning():
    path = trace("quadratic", [1.0, 0.0], steps=30)
    assert path.points.shape == (31, 2)
    assert path.grads.shape == path.accumulators.shape == path.deltas.shape == (30, 2)
    np.testing.assert_array_equal(path.points[1:], path.points[:-1] + path.deltas)
    np.testing.assert_array_equal(path.grads, path.problem.grad(path.points[:-1]))
    v = np.zeros(2)
    for t in range(30):
        v = 0.9 * v + 0.1 * path.grads[t] ** 2
        np.testing.assert_allclose(path.accumulators[t], v, rtol=1e-14)
    np.testing.assert_allclose(path.effective_lr, 0.01 / (np.sqrt(path.accumulators) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(path.distances, np.linalg.norm(path.points - (2.0, -1.0), axis=-1), rtol=1e-15)


def test_default_start_and_optimizer_are_the_posts():
    assert trace("cubic").final[0] == -0.5773502691896257


@st.composite
def rmsprop_runs(draw):
    problem = draw(st.sampled_from(["cubic", "quadratic", "rosenbrock", "beale", "elongated", "rotated"]))
    lr = draw(st.floats(1e-4, 1.0))
    rho = draw(st.floats(0.0, 0.999))
    eps = draw(st.floats(1e-12, 1.0))
    centered = False
    return problem, lr, rho, eps, centered


@given(rmsprop_runs(), st.data())
def test_step_never_exceeds_lr_over_sqrt_one_minus_rho(run, data):
    # v_t >= (1 - rho) g_t^2, so |dx| = lr |g| / (sqrt(v) + eps) <= lr / sqrt(1 - rho).
    problem, lr, rho, eps, _ = run
    from rmsprop_docs.problems import get

    bounds = get(problem).bounds
    x0 = [data.draw(st.floats(lo, hi)) for lo, hi in bounds[: get(problem).dim]]
    try:
        path = trace(problem, x0, rmsprop(lr=lr, rho=rho, eps=eps), steps=60)
    except DivergenceError:
        return
    bound = lr / math.sqrt(1 - rho)
    assert np.all(np.abs(path.deltas) <= bound * (1 + 1e-12))


@given(
    st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=2),
    st.floats(1e-6, 10.0),
    st.floats(0.0, 0.999),
    st.floats(0.0, 0.99),
    st.booleans(),
    st.sampled_from(["pytorch", "keras", "tf1"]),
    st.sampled_from(["float64", "float32"]),
)
def test_zero_gradient_from_the_start_never_moves(x0, lr, rho, momentum, centered, convention, dtype):
    flat = Problem("flat", "0", 2, lambda x: 0 * x[..., 0], np.zeros_like, (0.0, 0.0), "global", (0, 0), ())
    opt = rmsprop(lr=lr, rho=rho, momentum=momentum, centered=centered, convention=convention)
    path = trace(flat, x0, opt, steps=25, dtype=dtype)
    assert np.all(path.points == path.points[0])


def test_starting_at_the_minimum_stays_there():
    path = trace("quadratic", [2.0, -1.0], steps=100)
    assert path.final.tolist() == [2.0, -1.0]


def test_overflow_stops_with_the_step_and_value():
    with pytest.raises(DivergenceError) as info:
        trace("rosenbrock", [2.0, 2.0], gradient_descent(lr=0.1), steps=100)
    message = str(info.value)
    assert message.startswith("step ")
    assert "inf" in message or "nan" in message
    step = int(message.split()[1].rstrip(":"))
    assert 1 <= step < 100
    # The same run is finite one step earlier: the reported step is the first bad one.
    trace("rosenbrock", [2.0, 2.0], gradient_descent(lr=0.1), steps=step - 1)


def test_float32_overflow_is_caught_too():
    with pytest.raises(DivergenceError, match="step"):
        trace("rosenbrock", [2.0, 2.0], rmsprop(lr=1e12), steps=10, dtype="float32")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": -1}, "steps must be a whole number in [0, 10000000], got -1"),
        ({"steps": 2.5}, "steps must be a whole number"),
        ({"steps": MAX_STEPS + 1}, "steps must be a whole number in [0, 10000000]"),
        ({"steps": True}, "steps must be a whole number"),
        ({"x0": [1.0]}, "x0 must have 2 coordinates for this problem, got 1"),
        ({"x0": [1.0, float("nan")]}, "x0 must be finite"),
        ({"x0": [1.0, float("inf")]}, "x0 must be finite"),
        ({"x0": [1e300, 0.0], "dtype": "float32"}, "x0 overflows float32"),
        ({"x0": ["a", "b"]}, "x0 must be a list of numbers"),
        ({"dtype": "float16"}, "dtype must be one of float64, float32, got 'float16'"),
    ],
)
def test_bad_run_arguments(kwargs, message):
    args = {"problem": "quadratic", "x0": [1.0, 0.0], **kwargs}
    with pytest.raises(ValueError) as info:
        trace(**args)
    assert message in str(info.value)


def test_zero_steps_is_just_the_start():
    path = trace("quadratic", [1.0, 0.0], steps=0)
    assert path.points.tolist() == [[1.0, 0.0]]
    assert path.steps_to(2.0) == 0


def test_adagrad_slows_down_where_rmsprop_keeps_pace():
    ada = trace("quadratic", [1.0, 0.0], adagrad(lr=0.01), steps=1000)
    rms = trace("quadratic", [1.0, 0.0], rmsprop(lr=0.01), steps=1000)
    assert rms.steps_to(0.05) == 112
    assert ada.steps_to(0.05) is None
