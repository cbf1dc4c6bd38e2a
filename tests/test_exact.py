"""N-digit runs (mpmath), the stability story they back, and learning-rate schedules."""

import itertools
import json
import math
import subprocess
import sys
from decimal import Decimal

import mpmath
import numpy as np
import pytest

from rmsprop_docs import PROBLEMS, rmsprop, schedule, trace
from rmsprop_docs.optimizers import CONVENTIONS

CLI = [sys.executable, "-m", "rmsprop_docs"]


def cli_json(*args):
    done = subprocess.run([*CLI, "trace", *args, "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(done.stdout, parse_float=Decimal)


def test_cli_cubic_in_50_digits_ends_in_the_lopsided_2_cycle():
    document = cli_json(
        "cubic", "--x0=-1", "--steps", "1000", "--lr", "0.01", "--rho", "0.9", "--eps", "1e-8", "--digits", "50"
    )
    assert document["dtype"] == "50 digits" and document["steps"] == 1000 and len(document["points"]) == 1001
    x_star = -1 / Decimal(3).sqrt()
    offsets = [p[0] - x_star for p in document["points"][-6:]]
    for low, high in zip(offsets[0::2], offsets[1::2], strict=True):
        # the pair alternates: one point 0.00498 below x*, the next 0.00502 above (or the other way round)
        below, above = sorted((low, high))
        assert abs(below + Decimal("0.00498")) < Decimal("1e-5") and abs(above - Decimal("0.00502")) < Decimal("1e-5")
    assert offsets[-1] * offsets[-2] < 0
    # full precision: the JSON numbers carry about 50 significant digits, not 17
    assert len(str(document["points"][-1][0]).lstrip("-0.")) >= 45


def test_cli_quadratic_in_50_digits_alternates_between_the_posts_points():
    document = cli_json("quadratic", "--x0", "1,0", "--steps", "1000", "--digits", "50")
    last = [[float(c) for c in p] for p in document["points"][-4:]]
    expected = {(2.005, -0.995), (1.995, -1.005)}
    for a, b in itertools.pairwise(last):
        assert {tuple(np.round(a, 6)), tuple(np.round(b, 6))} == expected


def test_float64_still_lands_on_the_posts_value_where_the_gradient_is_exactly_zero():
    path = trace("cubic", x0=[-1.0], steps=1000)
    assert path.final[0] == -0.5773502691896257
    assert 1 - 3 * path.final[0] ** 2 == 0.0  # the landing is a rounding event
    neighbours = np.nextafter(path.final[0], [-1.0, 0.0])
    assert np.all(1 - 3 * neighbours**2 != 0.0)
    exact = trace("cubic", x0=[-1.0], steps=1000, digits=50)
    assert exact.distances[100] < 1e-20  # it passes very close in exact arithmetic ...
    assert exact.distances[-1] > 4e-3  # ... and leaves


def test_the_gain_passes_2_right_after_the_closest_approach_and_the_cycle_holds_it_at_2():
    exact = trace("cubic", x0=[-1.0], steps=1000, digits=40)
    v = np.array(exact.accumulators[:, 0], dtype=float)
    gain = 0.01 * 2 * math.sqrt(3) / np.sqrt(v)
    crossing = int(np.argmax(gain > 2)) + 1
    closest = int(np.argmin(exact.distances))
    assert 0 <= crossing - closest <= 3
    assert np.all(np.abs(gain[-100:] - 2) < 0.01)


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("convention", sorted(CONVENTIONS))
def test_n_digit_runs_follow_float64_until_rounding_matters(name, convention):
    # Every problem and convention runs in N digits; the first steps agree with float64 to rounding.
    options = dict(lr=0.001, momentum=0.5, centered=True)
    if CONVENTIONS[convention].weight_decay != "none":
        options["weight_decay"] = 0.01
    optimizer = rmsprop(convention=convention, **options)
    floats = trace(name, steps=10, optimizer=optimizer)
    exact = trace(name, steps=10, optimizer=optimizer, digits=30)
    assert exact.points.dtype == object and isinstance(exact.points[-1][0], mpmath.mpf)
    np.testing.assert_allclose(np.array(exact.points, dtype=float), floats.points, rtol=1e-12, atol=1e-12)


def test_digits_are_checked_and_refuse_float32():
    with pytest.raises(ValueError, match=r"digits must be a whole number in \[16, 10000\]"):
        trace("cubic", steps=1, digits=8)
    with pytest.raises(ValueError, match="dtype must be float64"):
        trace("cubic", steps=1, digits=20, dtype="float32")
    done = subprocess.run([*CLI, "trace", "cubic", "--x0", "-1", "--digits", "x"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "digits must be a whole number" in done.stderr


def test_30_digits_tell_the_same_one_variable_story_as_60():
    a = np.array(trace("cubic", steps=1000, digits=30).points, dtype=float)[:, 0]
    b = np.array(trace("cubic", steps=1000, digits=60).points, dtype=float)[:, 0]
    assert np.array_equal(a[:131], b[:131])  # identical as doubles until the minimum turns unstable
    assert 0 < np.abs(a - b).max() < 1e-9  # the instability amplifies the 30th digit, a little, for a while
    assert np.array_equal(a[-10:], b[-10:])  # and the cycle it ends in attracts both alike


def test_the_two_variable_cycle_grows_from_rounding_sooner_with_fewer_digits():
    # Across the line x + y = 1 nothing but rounding seeds the cycle; fewer digits, earlier growth.
    def off_line(digits):
        path = trace("quadratic", steps=400, digits=digits)
        return np.abs(np.array(path.points, dtype=float).sum(axis=1) - 1)

    float64 = np.abs(trace("quadratic", steps=400).points.sum(axis=1) - 1)
    d30, d60 = off_line(30), off_line(60)
    assert float64[150] < 1e-14 and d30[150] < 1e-25 and d60[150] < 1e-50
    first = {name: int(np.argmax(d > 1e-3)) for name, d in (("64", float64), ("30", d30), ("60", d60))}
    assert first["64"] < first["30"] < first["60"]
    assert min(float64[-1], d30[-1], d60[-1]) > 9e-3


@pytest.mark.parametrize(
    ("plan", "t", "expected"),
    [
        (dict(kind="constant"), 7, 0.1),
        (dict(kind="step", gamma=0.5, every=3), 7, 0.1 * 0.5**2),
        (dict(kind="exponential", gamma=0.9), 3, 0.1 * 0.9 * 0.9 * 0.9),
        (dict(kind="inverse_sqrt", every=4), 12, 0.1 / 2),
        (dict(kind="cosine", horizon=10), 5, 0.05),
        (dict(kind="cosine", horizon=10, lr_min=0.02), 10, 0.02),
        (dict(kind="cosine", horizon=10), 15, 0.0),
    ],
)
def test_schedules_follow_their_formulas(plan, t, expected):
    assert schedule(lr=0.1, **plan)(t) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    with mpmath.workdps(30):
        assert float(schedule(lr=0.1, **plan)(t, exact=True)) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_a_schedule_is_read_at_the_steps_taken_so_far():
    # With gradient descent's update written out, step t uses lr(t - 1).
    from rmsprop_docs import gradient_descent

    plan = schedule("exponential", 0.1, gamma=0.5)
    path = trace("parabola", x0=[1.0], optimizer=gradient_descent(lr=plan), steps=3)
    x = 1.0
    for t in range(3):
        x = x - 0.1 * 0.5**t * x
    assert path.final[0] == x


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(kind="wobble", lr=0.1), "schedule must be one of"),
        (dict(kind="step", lr=0.1, every=0), "every must be a whole number >= 1"),
        (dict(kind="exponential", lr=0.1, gamma=1.5), r"gamma must be in \(0, 1\]"),
        (dict(kind="cosine", lr=0.1, lr_min=0.2), r"lr_min must be in \[0, lr\]"),
        (dict(kind="step", lr=-1.0), "lr must be a finite number > 0"),
    ],
)
def test_bad_schedules_name_the_parameter(kwargs, message):
    with pytest.raises(ValueError, match=message):
        schedule(**kwargs)


def test_a_decaying_schedule_reaches_the_minimum_where_a_constant_lr_cycles():
    constant = trace("quadratic", steps=3000)
    decaying = trace("quadratic", steps=3000, optimizer=rmsprop(lr=schedule("exponential", 0.01, gamma=0.998)))
    assert constant.distances[-1] > 5e-3
    assert decaying.distances[-1] < 1e-4


def test_cli_schedule_option():
    document = cli_json("quadratic", "--x0", "1,0", "--steps", "3", "--schedule", "step:gamma=0.5,every=1")
    assert document["hyperparameters"]["lr"] == {
        "kind": "step",
        "lr": Decimal("0.01"),
        "gamma": Decimal("0.5"),
        "every": 1,
    }
    done = subprocess.run(
        [*CLI, "trace", "cubic", "--x0", "-1", "--schedule", "step:speed=2"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "schedule options are gamma, every, horizon, lr_min" in done.stderr


def test_the_float64_landing_belongs_to_how_the_gradient_is_written():
    """The one-variable page: `1 - 3 * x**2` is 0.0 at the landing double, `1 - 3 * x * x` is not, and an
    independent float64 loop written the second way leaves the landing for the exact run's 2-cycle."""
    landing = -0.5773502691896257
    assert 1 - 3 * landing**2 == 0.0
    assert 1 - 3 * landing * landing == pytest.approx(1.1e-16, rel=0.01)
    x, v, points = -1.0, 0.0, []
    for _ in range(1000):
        g = 1 - 3 * x * x
        v = 0.9 * v + 0.1 * g * g
        x = x - 0.01 * g / (math.sqrt(v) + 1e-8)
        points.append(x)
    minimum = -1 / math.sqrt(3)
    offsets = sorted(p - minimum for p in points[-2:])
    assert offsets == [pytest.approx(-0.00498, abs=2e-5), pytest.approx(0.00502, abs=2e-5)]


def test_pytorchs_centered_step_under_a_constant_gradient_stops_at_a_rounding_residue():
    """The variants page: the step stops growing near 6e5, short of lr/eps = 2e6, and stays there."""
    opt = rmsprop(lr=0.02, centered=True)
    x = np.zeros(1)
    state, sizes = opt.init(x), []
    for _ in range(1000):
        delta, state = opt.update(np.ones(1), state, x)
        sizes.append(abs(delta[0]))
    assert sizes[399] == sizes[699] == sizes[999] == pytest.approx(5.96e5, rel=1e-3)
    residue = (0.02 / sizes[999] - 1e-8) ** 2  # the v - gbar**2 the step divided by
    assert residue == pytest.approx(6e-16, rel=0.1) and sizes[999] < 0.02 / 1e-8
