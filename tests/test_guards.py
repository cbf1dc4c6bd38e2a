"""Guards against mistakes that still let a run finish: edges of every range, divergence on the right step,
options that silently stop applying, and expected values derived here rather than copied from the output."""

import json
import math

import mpmath
import numpy as np
import pytest

from rmsprop_docs import arithmetic, problems, stepping, validation
from rmsprop_docs.optimizers import Optimizer, rmsprop
from rmsprop_docs.optimizers.base import any_nonzero
from rmsprop_docs.render import limits
from rmsprop_docs.sweep import sweep
from rmsprop_docs.trajectory import DivergenceError, trace

# --- an independent reference: RMSprop in a few lines of Python floats -------------------------------------


def reference_rmsprop(grad, x0, steps, lr=0.01, rho=0.9, eps=1e-8, momentum=0.0):
    """PyTorch's RMSprop (Hinton's form), coordinate by coordinate in Python floats: every point, x0 first."""
    x = [float(c) for c in x0]
    v = [0.0] * len(x)
    b = [0.0] * len(x)
    points = [list(x)]
    for _ in range(steps):
        g = grad(x)
        for i, gi in enumerate(g):
            v[i] = rho * v[i] + (1 - rho) * gi * gi
            b[i] = momentum * b[i] + gi / (math.sqrt(v[i]) + eps)
            x[i] = x[i] - lr * b[i]
        points.append(list(x))
    return points


def quadratic_grad(p):
    x, y = p
    return [4 * x + 2 * y - 6, 2 * x + 4 * y]


def first_within(points, minimum, tol):
    for t, p in enumerate(points):
        if math.dist(p, minimum) <= tol:
            return t
    return None


def test_reference_loop_matches_the_library_point_for_point():
    # the same arithmetic in the same order: float64 runs agree to the last bit
    ref = reference_rmsprop(quadratic_grad, (1.0, 0.0), 200)
    np.testing.assert_allclose(trace("quadratic", [1.0, 0.0], steps=200).points, ref, rtol=0, atol=1e-12)


def test_steps_to_tolerance_is_derived_not_copied():
    # the docstrings' 112 (trace.steps_to, sweep, best_learning_rate), from the independent loop above
    ref = reference_rmsprop(quadratic_grad, (1.0, 0.0), 1000)
    expected = first_within(ref, (2.0, -1.0), 0.05)
    assert expected is not None and 50 < expected < 500
    assert trace("quadratic", [1.0, 0.0]).steps_to(0.05) == expected
    res = sweep("quadratic", (1.0, 0.0), 1000, tol=0.05, lr=[0.01])
    assert res.steps_to_tol.tolist() == [expected]
    # and staying: the last step outside the ball, plus one
    outside = [t for t, p in enumerate(ref) if math.dist(p, (2.0, -1.0)) > 0.05]
    assert res.steps_to_stay.tolist() == [outside[-1] + 1]


def test_momentum_reference_agrees_with_the_library():
    ref = reference_rmsprop(quadratic_grad, (1.0, 0.0), 100, momentum=0.5)
    np.testing.assert_allclose(trace("quadratic", [1.0, 0.0], rmsprop(momentum=0.5), 100).points, ref, atol=1e-12)


# --- a sweep applies each configuration's options, even where another row turns them off -------------------


@pytest.mark.parametrize("option", ["momentum", "weight_decay"])
def test_sweep_row_with_an_option_keeps_it_when_another_row_has_zero(option):
    value = 0.9 if option == "momentum" else 0.5
    res = sweep("quadratic", (1.0, 0.0), 50, **{option: [0.0, value]})
    for row, v in enumerate([0.0, value]):
        alone = trace("quadratic", [1.0, 0.0], rmsprop(**{option: v}), 50).final
        np.testing.assert_array_equal(res.final[row], alone)
    assert not np.array_equal(res.final[0], res.final[1])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.0, False), (0.5, True), ([0.0, 0.0], False), ([0.0, 0.3], True), ([0.3, 0.0], True), (np.zeros((2, 1)), False)],
)
def test_any_nonzero(value, expected):
    assert any_nonzero(value) is expected


# --- divergence: the first step whose point is not finite, inf as well as NaN, in trace and sweep ----------


def multiplier(factor=1e100, nan_at=None):
    """A toy optimizer: each step multiplies the point by ``factor``; step ``nan_at`` makes the first coordinate NaN."""

    def init(x):
        return (0,)

    def update(g, state, x):
        count = state[0] + 1
        delta = x * (factor - 1)
        if nan_at is not None:
            delta = np.where(np.arange(x.shape[-1]) == 0, np.where(count == nan_at, np.nan, delta), delta)
        return delta, (count,)

    return Optimizer("multiplier", init, update, {})


def test_trace_names_the_first_step_that_overflows_to_inf():
    # 1e100 ** 3 = 1e300 is finite, 1e100 ** 4 overflows float64 (max 1.8e308): step 4
    with pytest.raises(DivergenceError, match=r"^step 4: the point became \[inf, 0\.0\] from \[1e\+300, 0\.0\]"):
        trace("quadratic", [1.0, 0.0], multiplier(), 10)


def test_trace_stays_finite_just_below_overflow():
    path = trace("quadratic", [1.0, 0.0], multiplier(), 3)
    assert path.final.tolist() == [1e300, 0.0]


def test_trace_names_the_step_that_makes_nan():
    with pytest.raises(DivergenceError, match=r"^step 2: the point became \[nan, 0\.0\]"):
        trace("quadratic", [1e-3, 0.0], multiplier(10.0, nan_at=2), 10)


def test_trace_divergence_in_n_digits_and_float32():
    # float32 overflows at 3.4e38: 1e10 ** 3 = 1e30 is finite, 1e10 ** 4 = 1e40 is not
    with pytest.raises(DivergenceError, match=r"^step 4:"):
        trace("quadratic", [1.0, 0.0], multiplier(1e10), 10, dtype="float32")


def sweep_factors(factor, nan_at=None):
    return multiplier(float(np.ravel(factor)[0]) if np.ndim(factor) else factor, nan_at)


def test_sweep_reports_the_same_step_as_trace():
    starts = np.array([[1.0, 0.0], [1e-3, 0.0], [1.0, 0.0]])
    res = sweep("quadratic", starts, 10, optimizer=lambda: multiplier(1e100))
    assert res.diverged_at.tolist() == [4, 4, 4]  # 1e-3 * 1e400 overflows at step 4 as well
    assert res.diverged.tolist() == [True, True, True]
    res = sweep("quadratic", starts, 3, optimizer=lambda: multiplier(1e100))
    assert res.diverged_at.tolist() == [-1, -1, -1] and not res.diverged.any()


def test_sweep_detects_nan_and_inf_row_by_row():
    def build(factor):
        # row 0 overflows (factor 1e100), row 1 turns NaN at step 2, row 2 stays finite
        def update(g, state, x):
            count = state[0] + 1
            delta = x * (factor - 1)
            delta = np.where((np.arange(3)[:, None] == 1) & (count == 2), np.nan, delta)
            return delta, (count,)

        return Optimizer("mixed", lambda x: (0,), update, {})

    res = sweep("quadratic", (1.0, 0.0), 10, optimizer=build, factor=[1e100, 1.0, 1.0])
    assert res.diverged_at.tolist() == [4, 2, -1]
    assert res.diverged.tolist() == [True, True, False]


def test_finite_needs_every_coordinate():
    points = np.array([[1.0, 2.0], [np.inf, 0.0], [0.0, np.nan], [-np.inf, 1.0]])
    assert stepping.finite(points).tolist() == [True, False, False, False]
    assert stepping.finite(np.array([1.0, 2.0])) and not stepping.finite(np.array([1.0, np.inf]))


# --- distance and tolerance edges ----------------------------------------------------------------------------


def test_within_includes_the_boundary():
    points = np.array([[3.0, 4.0], [3.0, 4.000001]])
    assert stepping.within(points, (0.0, 0.0), 5.0).tolist() == [True, False]


def test_distance_of_a_single_point():
    assert stepping.distance(np.array([3.0, 4.0]), (0.0, 0.0)) == 5.0
    assert stepping.distance(np.array([[1.0, 1.0]]), (4.0, 5.0)).tolist() == [5.0]


def test_exact_distance_subtracts_before_rounding():
    # 1 + 2**-80 is a 50-digit point 2**-80 from the minimum 1; in floats it would round to 1 first
    with mpmath.workdps(50):
        points = np.array([[mpmath.mpf(1) + mpmath.mpf(2) ** -80, mpmath.mpf(3)]], dtype=object)
        assert stepping.distance(points, (1.0, 3.0)).tolist() == [2.0**-80]
        assert stepping.distance(points, (4.0, 7.0)).tolist() == [5.0]


def test_steps_to_stay_when_every_point_is_inside():
    path = trace("parabola", [0.0], steps=5)  # starts on the minimum, where the gradient is 0
    assert path.steps_to(1e-9) == 0 and path.steps_to_stay(1e-9) == 0


# --- the options' ranges: NaN, inf, booleans and the edges ----------------------------------------------------


@pytest.mark.parametrize("name", ["rho", "momentum"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1.0, -1e-300, [0.5, math.nan]])
def test_decay_rates_reject_nan_inf_and_out_of_range(name, bad):
    with pytest.raises(ValueError, match=rf"^{name} must be in \[0, 1\), got"):
        rmsprop(**{name: bad})


@pytest.mark.parametrize("name", ["rho", "momentum"])
def test_decay_rates_accept_both_ends_of_the_range(name):
    below_one = math.nextafter(1.0, 0.0)
    assert rmsprop(**{name: 0.0}).hyperparameters[name] == 0.0
    assert rmsprop(**{name: below_one}).hyperparameters[name] == below_one


@pytest.mark.parametrize("name", ["lr", "eps"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, 0.0, -0.0, -1e-300])
def test_positive_options_reject_nan_inf_and_zero(name, bad):
    with pytest.raises(ValueError, match=rf"^{name} must be a finite number > 0, got"):
        rmsprop(**{name: bad})


def test_positive_and_non_negative_edges():
    assert validation.positive("lr", 5e-324) == 5e-324
    assert validation.positive("lr", 1.7e308) == 1.7e308
    assert validation.non_negative("weight_decay", 0.0) == 0.0
    for bad in (math.nan, math.inf, -5e-324):
        with pytest.raises(ValueError, match=r"^weight_decay must be a finite number >= 0"):
            validation.non_negative("weight_decay", bad)


def test_array_options_name_the_bad_entry():
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0, got -1\.0 \(in an array\)"):
        validation.positive("lr", np.array([0.1, -1.0]))
    with pytest.raises(ValueError, match=r"rho must be in \[0, 1\), got 1\.5 \(in an array\)"):
        validation.unit_interval("rho", [0.5, 1.5])
    with pytest.raises(ValueError, match=r"weight_decay must be a finite number >= 0, got -2\.0 \(in an array\)"):
        validation.non_negative("weight_decay", [0.0, -2.0])
    assert validation.positive("lr", np.array([0.1, 0.2], dtype=np.float32)).dtype == np.float32
    assert validation.positive("lr", np.array([1, 2])).dtype == np.float64


@pytest.mark.parametrize("flag", [True, False, np.True_, np.array([True, False])])
@pytest.mark.parametrize("name", ["lr", "rho", "eps", "momentum", "weight_decay"])
def test_booleans_are_not_numbers(name, flag):
    with pytest.raises(ValueError, match=rf"^{name} must be a number, got"):
        rmsprop(**{name: flag})


@pytest.mark.parametrize("bad", [True, False, 2.0, -1, 10_000_001, "5", np.True_])
def test_steps_must_be_whole_and_in_range(bad):
    with pytest.raises(ValueError, match=r"^steps must be a whole number in \[0, 10000000\], got"):
        trace("quadratic", [1.0, 0.0], steps=bad)


def test_steps_edges():
    assert validation.steps(0) == 0 and validation.steps(validation.MAX_STEPS) == validation.MAX_STEPS
    assert validation.steps(np.int64(3)) == 3 and type(validation.steps(np.int64(3))) is int
    assert len(trace("quadratic", [1.0, 0.0], steps=0).points) == 1
    assert validation.whole("every", 7, 1) == 7
    with pytest.raises(ValueError, match=r"^every must be a whole number >= 1, got 0"):
        validation.whole("every", 0, 1)


@pytest.mark.parametrize("bad", ["yes", 1, 0, None])
def test_flags_are_booleans_only(bad):
    with pytest.raises(ValueError, match=r"^centered must be True or False, got"):
        rmsprop(centered=bad)
    assert validation.flag("centered", np.True_) is True


def test_point_checks():
    assert validation.point("x0", 3, 1).tolist() == [3.0]
    assert validation.point("x0", [1, 2], 2, "float32").dtype == np.float32
    with pytest.raises(ValueError, match=r"^x0 must have 2 coordinates for this problem, got shape \(1, 2\)"):
        validation.point("x0", [[1, 2]], 2)
    with pytest.raises(ValueError, match=r"^x0 must be a list of numbers, got"):
        validation.point("x0", ["a", "b"], 2)
    with pytest.raises(ValueError, match=r"^x0 must be finite, got \[1\.0, nan\]"):
        validation.point("x0", [1.0, math.nan], 2)
    with pytest.raises(ValueError, match=r"^x0 overflows float32, got \[1e\+39\]"):
        validation.point("x0", [1e39], 1, "float32")
    assert validation.point("x0", [3.4e38], 1, "float32").tolist() == [pytest.approx(3.4e38, rel=1e-7)]
    with pytest.raises(ValueError, match=r"^dtype must be one of float64, float32, got 'int8'"):
        validation.point("x0", [1.0], 1, "int8")


def test_point_returns_a_fresh_array():
    start = np.array([1.0, 0.0])
    checked = validation.point("x0", start, 2)
    checked[0] = 5.0
    assert start[0] == 1.0


# --- digits -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [15, 10_001, True, 20.0, "30"])
def test_digits_range(bad):
    with pytest.raises(ValueError, match=r"^digits must be a whole number in \[16, 10000\], got"):
        arithmetic.digits(bad)


def test_digits_edges():
    assert arithmetic.digits(16) == 16 and arithmetic.digits(arithmetic.MAX_DIGITS) == 10_000


# --- the renderer's limits ------------------------------------------------------------------------------------


def test_frames_edges():
    assert limits.frames(1, 10) == 1
    assert limits.frames(10, 10) == 10
    assert limits.frames(limits.MAX_FRAMES, limits.MAX_FRAMES + 1) == limits.MAX_FRAMES
    with pytest.raises(ValueError, match=r"^frames must be a whole number in \[1, 10\] \(the run has 10 points"):
        limits.frames(11, 10)
    with pytest.raises(ValueError, match=rf"^frames must be a whole number in \[1, {limits.MAX_FRAMES}\], got"):
        limits.frames(limits.MAX_FRAMES + 1, limits.MAX_FRAMES + 100)
    for bad in (0, -1, True, 2.0):
        with pytest.raises(ValueError, match=r"^frames must be a whole number"):
            limits.frames(bad, 10)


def test_frames_message_mentions_steps_only_when_they_limit():
    with pytest.raises(ValueError) as caught:
        limits.frames(limits.MAX_FRAMES + 1, limits.MAX_FRAMES)
    assert "raise --steps" not in str(caught.value)
    with pytest.raises(ValueError) as caught:
        limits.frames(limits.MAX_FRAMES, limits.MAX_FRAMES - 1)
    assert "raise --steps" in str(caught.value)


def test_fps_edges():
    assert limits.fps(limits.MAX_FPS) == 100.0
    assert limits.fps(5e-324) == 5e-324
    with pytest.raises(ValueError, match=r"^fps must be in \(0, 100\]"):
        limits.fps(math.nextafter(100.0, math.inf))
    for bad in (0, -1.0, math.nan, math.inf, True):
        with pytest.raises(ValueError, match=r"^fps must be a"):
            limits.fps(bad)


@pytest.mark.parametrize("good", ["64x64", "4096x4096", "64X4096"])
def test_size_edges(good):
    width, height = (int(p) for p in good.lower().split("x"))
    assert limits.parse_size(good) == (width, height)


@pytest.mark.parametrize("bad", ["63x64", "64x63", "4097x64", "64x4097", "64x64x64", "64", "axb", ""])
def test_size_outside_the_range(bad):
    with pytest.raises(ValueError, match=r"^size must be WxH with each side in \[64, 4096\] pixels"):
        limits.parse_size(bad)


# --- problems ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(problems.PROBLEMS))
def test_gradients_match_finite_differences_and_vanish_at_the_minimum(name):
    problem = problems.PROBLEMS[name]
    rng = np.random.default_rng(7)
    for p in rng.uniform(-1.5, 1.5, size=(5, problem.dim)):
        numeric = []
        for i in range(problem.dim):
            step = np.zeros(problem.dim)
            step[i] = 1e-6
            numeric.append((problem.f(p + step) - problem.f(p - step)) / 2e-6)
        np.testing.assert_allclose(problem.grad(p), numeric, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(problem.grad(np.array(problem.minimum)), 0.0, atol=1e-12)
    assert len(problem.x0) == problem.dim == len(problem.minimum)


@pytest.mark.parametrize("name", sorted(problems.PROBLEMS))
def test_minimum_is_lower_than_its_neighbours(name):
    problem = problems.PROBLEMS[name]
    m = np.array(problem.minimum)
    around = m + 1e-3 * np.vstack([np.eye(problem.dim), -np.eye(problem.dim)])
    assert np.all(problem.f(around) > problem.f(m))


def test_exact_minimum_is_the_minimum_in_n_digits():
    cubic = problems.get("cubic")
    with mpmath.workdps(40):
        (m,) = cubic.minimum_in(arithmetic.exact([0.0]))
        assert abs(1 - 3 * m * m) < mpmath.mpf(10) ** -38
    assert cubic.minimum_in(np.zeros(1)) == cubic.minimum
    quadratic = problems.get("quadratic")
    assert quadratic.minimum_in(arithmetic.exact([0.0, 0.0])) == (2.0, -1.0)


def test_problem_lookup():
    assert problems.get(problems.PROBLEMS["beale"]) is problems.PROBLEMS["beale"]
    with pytest.raises(ValueError, match=r"^problem must be one of bowl, cubic, quadratic"):
        problems.get("Quadratic")


# --- the JSON a trace prints ------------------------------------------------------------------------------------


def test_json_steps_counts_steps_not_points():
    from rmsprop_docs import cli

    path = trace("quadratic", [1.0, 0.0], steps=3)
    doc = json.loads(cli.format_trajectory(path, "json", "float64"))
    assert doc["steps"] == 3 and len(doc["points"]) == 4 and len(doc["deltas"]) == 3
    assert doc["accumulators"][0] == path.accumulators[0].tolist()


# --- the asset manifest follows the registry ----------------------------------------------------------------------


@pytest.fixture
def empty_registry(monkeypatch, tmp_path):
    """An asset folder whose manifest names a figure the registry (emptied here) no longer has."""
    from rmsprop_docs import assets, figures

    monkeypatch.setattr(figures, "FIGURES", {})
    monkeypatch.setattr(assets, "stale_learning", lambda: {}, raising=False)  # nothing to train
    monkeypatch.setattr(assets, "library_versions", lambda: {"numpy": "1"})
    (tmp_path / "old.png").write_bytes(b"png")
    (tmp_path / "notes.txt").write_text("not an asset")
    manifest = {"figures": {"old": {"files": {"old.png": "h"}, "key": "k"}}, "versions": {"numpy": "1"}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return assets, tmp_path


def test_removing_a_figure_deletes_its_files_and_rewrites_the_manifest(empty_registry):
    assets, folder = empty_registry
    result = assets.build(folder)
    assert result.removed == ["old"] and result.rendered == {}
    assert not (folder / "old.png").exists() and (folder / "notes.txt").exists()
    assert json.loads((folder / "manifest.json").read_text()) == {"figures": {}, "versions": {"numpy": "1"}}


def test_a_build_with_nothing_to_do_leaves_the_manifest_alone(empty_registry):
    assets, folder = empty_registry
    assets.build(folder)
    written = (folder / "manifest.json").read_text()
    (folder / "manifest.json").write_text(written.replace("\n", " "))  # same content, other bytes
    assert assets.build(folder) == assets.BuildResult({}, [])
    assert (folder / "manifest.json").read_text() == written.replace("\n", " ")
    (folder / "manifest.json").unlink()
    assets.build(folder)  # a missing manifest is written even when nothing else changes
    assert json.loads((folder / "manifest.json").read_text()) == {"figures": {}, "versions": {"numpy": "1"}}


# --- learning-rate schedules, against their formulas ------------------------------------------------------------------


def _mp(v):
    return mpmath.mpf(float(v))


# each formula in terms of a math module ``m`` (math or mpmath) and a number maker ``n`` (float or exact mpf)
SCHEDULE_CASES = [
    ("constant", {}, lambda t, m, n: n(0.1)),
    ("step", {"gamma": 0.5, "every": 3}, lambda t, m, n: n(0.1) * n(0.5) ** (t // 3)),
    ("exponential", {"gamma": 0.9}, lambda t, m, n: n(0.1) * n(0.9) ** t),
    ("inverse_sqrt", {"every": 4}, lambda t, m, n: n(0.1) / m.sqrt(1 + n(t) / 4)),
    (
        "cosine",
        {"horizon": 10, "lr_min": 0.02},
        lambda t, m, n: n(0.02) + (n(0.1) - n(0.02)) * (1 + m.cos(m.pi * n(min(t, 10)) / 10)) / 2,
    ),
]


@pytest.mark.parametrize(("kind", "options", "formula"), SCHEDULE_CASES, ids=[c[0] for c in SCHEDULE_CASES])
def test_schedules_follow_their_formulas(kind, options, formula):
    from rmsprop_docs.optimizers import schedules

    s = schedules.schedule(kind, 0.1, **options)
    for t in (0, 1, 2, 3, 4, 7, 10, 11, 25):
        rate = s(t)
        assert not isinstance(rate, mpmath.mpf)  # float runs get floats
        assert rate == pytest.approx(formula(t, math, float), rel=1e-15, abs=0), t
        with mpmath.workdps(40):
            exact = s(t, exact=True)
            assert isinstance(exact, mpmath.mpf)
            assert abs(exact - formula(t, mpmath, _mp)) <= mpmath.mpf(10) ** -38 * abs(exact), t


def test_schedule_fields_for_json():
    from rmsprop_docs.optimizers import schedules

    assert schedules.schedule("constant", 0.1).as_dict() == {"kind": "constant", "lr": 0.1}
    assert schedules.schedule("step", 0.1, gamma=0.5, every=3).as_dict() == {
        "kind": "step",
        "lr": 0.1,
        "gamma": 0.5,
        "every": 3,
    }
    assert schedules.schedule("exponential", 0.1, gamma=0.5).as_dict() == {
        "kind": "exponential",
        "lr": 0.1,
        "gamma": 0.5,
    }
    assert schedules.schedule("inverse_sqrt", 0.1, every=2).as_dict() == {"kind": "inverse_sqrt", "lr": 0.1, "every": 2}
    cosine = schedules.schedule("cosine", 0.1, horizon=5, lr_min=0.01).as_dict()
    assert cosine == {"kind": "cosine", "lr": 0.1, "horizon": 5, "lr_min": 0.01}


def test_schedule_defaults():
    from rmsprop_docs.optimizers import schedules

    s = schedules.schedule("cosine", 0.1)
    assert (s.gamma, s.every, s.horizon, s.lr_min) == (1.0, 1, 1, 0.0)
    assert s(0) == 0.1 and s(1) == 0.0 and s(5) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "linear"}, r"^schedule must be one of constant, step, exponential, inverse_sqrt, cosine"),
        ({"lr": 0.0}, r"^lr must be a finite number > 0"),
        ({"gamma": 0.0}, r"^gamma must be a finite number > 0"),
        ({"gamma": math.nextafter(1.0, 2.0)}, r"^gamma must be in \(0, 1\] for a decaying schedule"),
        ({"every": 0}, r"^every must be a whole number >= 1, got 0"),
        ({"every": 1.0}, r"^every must be a whole number >= 1"),
        ({"horizon": 0}, r"^horizon must be a whole number >= 1, got 0"),
        ({"lr_min": -1e-9}, r"^lr_min must be a finite number >= 0"),
        ({"lr_min": 0.2}, r"^lr_min must be in \[0, lr\] = \[0, 0\.1\], got 0\.2"),
    ],
)
def test_schedule_refusals(kwargs, message):
    from rmsprop_docs.optimizers import schedules

    arguments = {"kind": "cosine", "lr": 0.1} | kwargs
    with pytest.raises(ValueError, match=message):
        schedules.schedule(arguments.pop("kind"), arguments.pop("lr"), **arguments)


def test_schedule_edges_are_accepted():
    from rmsprop_docs.optimizers import schedules

    assert schedules.schedule("step", 0.1, gamma=1.0, every=1).gamma == 1.0
    assert schedules.schedule("cosine", 0.1, lr_min=0.1).lr_min == 0.1
    assert schedules.schedule("cosine", np.array([[0.1], [0.2]]), lr_min=0.1).lr_min == 0.1
    with pytest.raises(ValueError, match=r"^lr_min must be in \[0, lr\]"):
        schedules.schedule("cosine", np.array([[0.1], [0.05]]), lr_min=0.1)


def test_schedule_parse():
    from rmsprop_docs.optimizers import schedules

    s = schedules.parse("cosine:horizon=20,lr_min=0.001", 0.01)
    assert (s.kind, s.lr, s.horizon, s.lr_min) == ("cosine", 0.01, 20, 0.001) and type(s.horizon) is int
    s = schedules.parse("step:gamma=0.5,every=7,", 0.01)
    assert (s.gamma, s.every) == (0.5, 7) and type(s.gamma) is float
    assert schedules.parse("constant", 0.2) == schedules.schedule("constant", 0.2)
    for text, message in [
        ("step:gamma", r"^schedule options are gamma, every, horizon, lr_min as NAME=VALUE, got 'gamma'"),
        ("step:rate=2", r"^schedule options are .*got 'rate=2'"),
        ("step:every=1.5", r"^schedule option every must be a number, got '1\.5'"),
        ("step:gamma=x", r"^schedule option gamma must be a number, got 'x'"),
        ("step:gamma=0.5=1", r"^schedule option gamma must be a number, got '0\.5=1'"),
    ]:
        with pytest.raises(ValueError, match=message):
            schedules.parse(text, 0.01)


def test_a_scheduled_run_uses_the_rate_of_each_step():
    from rmsprop_docs.optimizers import schedules

    s = schedules.schedule("step", 0.1, gamma=0.5, every=2)
    path = trace("parabola", [10.0], rmsprop(lr=s), 5)
    v, x = 0.0, 10.0
    for t in range(5):
        g = x
        v = 0.9 * v + 0.1 * g * g
        x = x - (0.1 * 0.5 ** (t // 2)) * (g / (math.sqrt(v) + 1e-8))
        assert path.points[t + 1, 0] == pytest.approx(x, rel=1e-15)


# --- output files ----------------------------------------------------------------------------------------------------


def test_check_writable_refusals(tmp_path, monkeypatch):
    import os

    from rmsprop_docs import files

    assert files.check_writable(tmp_path / "a.GIF", ".gif") == tmp_path / "a.GIF"
    assert files.check_writable(str(tmp_path / "a.txt")) == tmp_path / "a.txt"
    with pytest.raises(ValueError) as caught:
        files.check_writable(tmp_path / "a.png", ".gif")
    assert str(caught.value) == f"output {str(tmp_path / 'a.png')!r} must end in .gif"
    with pytest.raises(ValueError) as caught:
        files.check_writable(tmp_path / "no" / "a.gif", ".gif")
    assert str(caught.value) == f"output folder {str(tmp_path / 'no')!r} does not exist"
    (tmp_path / "d.gif").mkdir()
    with pytest.raises(ValueError) as caught:
        files.check_writable(tmp_path / "d.gif", ".gif")
    assert str(caught.value) == f"output {str(tmp_path / 'd.gif')!r} is a folder, not a file"
    monkeypatch.setattr(os, "access", lambda path, mode: not (mode == os.W_OK and path == tmp_path))
    with pytest.raises(ValueError) as caught:
        files.check_writable(tmp_path / "a.gif", ".gif")
    assert str(caught.value) == f"output folder {str(tmp_path)!r} is not writable"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664), (0, 0o666)])
def test_new_files_get_0o666_less_the_umask(tmp_path, umask, mode):
    import os
    import stat

    from rmsprop_docs import files

    old = os.umask(umask)
    try:
        assert files._new_file_mode() == mode
        assert os.umask(umask) == umask  # and the umask is left as it was
        with files.atomic_path(tmp_path / "a.txt") as tmp:
            tmp.write_text("new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    from rmsprop_docs import files

    (tmp_path / "a.txt").write_text("old")
    with pytest.raises(RuntimeError), files.atomic_path(tmp_path / "a.txt") as tmp:
        tmp.write_text("half")
        raise RuntimeError
    assert (tmp_path / "a.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


# --- what code depends on --------------------------------------------------------------------------------------------


def test_relative_imports_inside_a_package_module():
    import ast

    from rmsprop_docs import dependencies

    tree = ast.parse("from .base import Optimizer\nfrom . import schedules\n")
    found = dependencies.imported_modules(tree, "rmsprop_docs.optimizers")  # the package's own __init__
    assert found == {"rmsprop_docs.optimizers", "rmsprop_docs.optimizers.base", "rmsprop_docs.optimizers.schedules"}
    found = dependencies.imported_modules(ast.parse("from ..render import limits\n"), "rmsprop_docs.optimizers.base")
    assert found == {"rmsprop_docs.render", "rmsprop_docs.render.limits"}


def test_notebook_imports_of_every_code_cell():
    from rmsprop_docs import dependencies

    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["from rmsprop_docs import trace\n", "x = 1\n"]},
            {"cell_type": "code", "source": ["  %time import rmsprop_docs.cli\n", "!pip install x\n"]},
            {"cell_type": "code"},
            {"cell_type": "code", "source": ["import rmsprop_docs.sweep"]},
        ]
    }
    assert dependencies.notebook_imports(notebook) == {"rmsprop_docs.trajectory", "rmsprop_docs.sweep"}
    assert dependencies.notebook_imports({}) == set()


def test_an_eps_that_underflows_float32_divides_by_zero_and_is_reported_as_divergence():
    # eps = 1e-50 is 0 in float32, and so is g * g for g = 1e-30: the first step divides 1e-30 by 0
    with pytest.raises(DivergenceError, match=r"^step 1: the point became \[-inf\]"):
        trace("parabola", [1e-30], rmsprop(eps=1e-50), 3, dtype="float32")
    # a sweep holds its columns in the run's dtype before checking them, so it refuses that eps outright
    with pytest.raises(ValueError, match=r"^eps must be a finite number > 0, got 0\.0 \(in an array\)"):
        sweep("parabola", [1e-30], 3, dtype="float32", eps=[1e-50, 1e-8])


# --- a mapping of options describes the same run as the arguments ---------------------------------------------------


def test_trace_from_defaults_are_traces():
    from rmsprop_docs.trajectory import trace_from

    path = trace_from({"problem": "quadratic"})
    assert len(path.points) == 1001 and path.points[0].tolist() == [1.0, 0.0]  # the problem's usual start
    assert path.points.dtype == np.float64 and path.digits is None
    assert path.hyperparameters == rmsprop().hyperparameters


def test_trace_from_passes_every_option():
    from rmsprop_docs.optimizers import schedules
    from rmsprop_docs.trajectory import trace_from

    options = {"problem": "rosenbrock", "x0": [0.5, -0.5], "steps": 7, "dtype": "float32", "lr": 0.02, "rho": 0.8}
    options |= {"eps": 1e-6, "momentum": 0.5, "centered": True, "weight_decay": 0.1, "convention": "keras"}
    path = trace_from(options | {"unrelated": "ignored"})
    expected = trace(
        "rosenbrock",
        [0.5, -0.5],
        rmsprop(lr=0.02, rho=0.8, eps=1e-6, momentum=0.5, centered=True, weight_decay=0.1, convention="keras"),
        7,
        "float32",
    )
    assert path.points.tolist() == expected.points.tolist() and path.points.dtype == np.float32
    exact = trace_from({"problem": "cubic", "x0": [-1.0], "steps": 3, "digits": 20})
    assert exact.digits == 20
    s = schedules.schedule("step", 0.1, gamma=0.5)
    assert trace_from({"problem": "cubic", "steps": 3, "schedule": s}).hyperparameters["lr"] == s.as_dict()


def test_trace_from_schedule_mapping_starts_at_lr():
    from rmsprop_docs.trajectory import trace_from

    base = {"problem": "cubic", "x0": [-1.0], "steps": 4}
    path = trace_from(base | {"lr": 0.2, "schedule": {"kind": "step", "gamma": 0.5, "lr": 99.0}})
    assert path.hyperparameters["lr"] == {"kind": "step", "lr": 0.2, "gamma": 0.5, "every": 1}
    assert trace_from(base | {"schedule": {"kind": "constant"}}).hyperparameters["lr"] == {
        "kind": "constant",
        "lr": 0.01,
    }
    assert trace_from(base | {"schedule": None}).hyperparameters["lr"] == 0.01
    with pytest.raises(ValueError, match=r"^schedule must be one of"):
        trace_from(base | {"schedule": {"kind": "linear"}})


def test_steps_to_stay_is_derived_and_its_edges():
    ref = reference_rmsprop(quadratic_grad, (1.0, 0.0), 1000)
    outside = [t for t, p in enumerate(ref) if math.dist(p, (2.0, -1.0)) > 0.05]
    path = trace("quadratic", [1.0, 0.0])
    assert path.steps_to_stay(0.05) == outside[-1] + 1 and outside[-1] + 1 < len(ref)
    far = max(math.dist(p, (2.0, -1.0)) for p in ref)
    assert path.steps_to_stay(far) == 0 and path.steps_to(far) == 0  # the start is the farthest point
    last = math.dist(ref[-1], (2.0, -1.0))
    assert path.steps_to_stay(last) is not None  # the last point lies on the boundary: inside
    assert path.steps_to_stay(math.nextafter(last, 0.0)) is None  # just outside it at the end: never stays
    for bad in (0.0, -1.0, math.nan):
        with pytest.raises(ValueError, match=r"^tol must be a finite number > 0"):
            path.steps_to_stay(bad)
        with pytest.raises(ValueError, match=r"^tol must be a finite number > 0"):
            path.steps_to(bad)


def test_rotated_gradient_is_exact_in_n_digits():
    # at (1, 0): u = s, v = -s with s = sqrt(1/2), so the gradient is (21 s^2, -19 s^2) = (10.5, -9.5) exactly
    rotated = problems.get("rotated")
    with mpmath.workdps(50):
        g = rotated.grad(arithmetic.exact([1.0, 0.0]))
        assert abs(g[0] - mpmath.mpf("10.5")) < mpmath.mpf(10) ** -45
        assert abs(g[1] + mpmath.mpf("9.5")) < mpmath.mpf(10) ** -45
    np.testing.assert_allclose(rotated.grad(np.array([1.0, 0.0])), [10.5, -9.5], rtol=1e-15)


# --- centered RMSprop against an independent loop, and a sweep's rows against single runs ----------------------------


def reference_centered(grad, x0, steps, lr, rho, eps, inside, v0):
    x, v, m = [float(c) for c in x0], [v0] * len(x0), [0.0] * len(x0)
    for _ in range(steps):
        g = grad(x)
        for i, gi in enumerate(g):
            v[i] = rho * v[i] + (1 - rho) * gi * gi
            m[i] = rho * m[i] + (1 - rho) * gi
            var = v[i] - m[i] * m[i]
            den = math.sqrt(var + eps) if inside else math.sqrt(var) + eps
            x[i] -= lr * gi / den
    return x


@pytest.mark.parametrize("rho", [0.9, 0.3])  # 1 - rho on both sides of 0.5, where PyTorch switches formulas
@pytest.mark.parametrize(("convention", "inside", "v0"), [("pytorch", False, 0.0), ("keras", True, 0.0)])
def test_centered_rmsprop_matches_its_definition(convention, inside, v0, rho):
    # few steps: once v - mu**2 nears 0 the run amplifies rounding, and only the arithmetic order would agree
    path = trace("quadratic", [1.0, 0.0], rmsprop(lr=0.01, rho=rho, eps=1e-6, centered=True, convention=convention), 8)
    expected = reference_centered(quadratic_grad, (1.0, 0.0), 8, 0.01, rho, 1e-6, inside, v0)
    np.testing.assert_allclose(path.final, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("convention", ["pytorch", "keras", "tf1"])
def test_centered_sweep_rows_are_the_single_runs(convention):
    rhos = [0.3, 0.5, 0.9]
    res = sweep("quadratic", (1.0, 0.0), 40, centered=True, convention=convention, rho=rhos, momentum=0.2)
    for row, rho in enumerate(rhos):
        alone = trace("quadratic", [1.0, 0.0], rmsprop(rho=rho, centered=True, convention=convention, momentum=0.2), 40)
        np.testing.assert_array_equal(res.final[row], alone.final)


def test_best_learning_rate_counts_and_edges():
    from rmsprop_docs.sweep import best_learning_rate

    ref = {lr: reference_rmsprop(quadratic_grad, (1.0, 0.0), 300, lr=lr) for lr in (0.005, 0.01, 0.05)}
    staying = {}
    for lr, points in ref.items():
        outside = [t for t, p in enumerate(points) if math.dist(p, (2.0, -1.0)) > 0.05]
        staying[lr] = outside[-1] + 1 if outside[-1] + 1 < len(points) else None
    first = {lr: first_within(points, (2.0, -1.0), 0.05) for lr, points in ref.items()}
    best = min((s, lr) for lr, s in staying.items() if s is not None)
    assert best_learning_rate("quadratic", (1.0, 0.0), 300, list(ref), tol=0.05) == (best[1], best[0])
    best = min((s, lr) for lr, s in first.items() if s is not None)
    assert best_learning_rate("quadratic", (1.0, 0.0), 300, list(ref), tol=0.05, stay=False) == (best[1], best[0])
    assert best_learning_rate("quadratic", (1.0, 0.0), 3, [1e-4], tol=0.05) == (None, None)
    # a start inside the ball: step 0, which counts
    assert best_learning_rate("quadratic", (2.0, -1.0), 5, [1e-6, 1e-5], tol=0.05) == (1e-6, 0)
    # options reach the sweep: momentum changes the answer's step count
    plain = best_learning_rate("quadratic", (1.0, 0.0), 300, [0.01], tol=0.05, stay=False)
    heavy = best_learning_rate("quadratic", (1.0, 0.0), 300, [0.01], tol=0.05, stay=False, momentum=0.9)
    assert plain.steps != heavy.steps


@pytest.mark.parametrize(("field", "bad"), [("eps", "middle"), ("weight_decay", "l3"), ("order", "random")])
def test_a_convention_with_an_unknown_field_is_refused(field, bad):
    import dataclasses

    from rmsprop_docs.optimizers import CONVENTIONS

    with pytest.raises(ValueError, match=r"^convention 'pytorch': eps, weight_decay or order not recognised$"):
        dataclasses.replace(CONVENTIONS["pytorch"], **{field: bad})


def test_grid_is_a_flat_float_product_first_name_slowest():
    from rmsprop_docs.sweep import grid

    g = grid(a=[1, 2], b=[[3], [4], [5]])
    assert list(g) == ["a", "b"]
    assert g["a"].tolist() == [1.0, 1.0, 1.0, 2.0, 2.0, 2.0] and g["a"].dtype == np.float64
    assert g["b"].tolist() == [3.0, 4.0, 5.0, 3.0, 4.0, 5.0] and g["b"].ndim == 1
    assert grid(lr=0.5)["lr"].tolist() == [0.5]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_every_array_of_a_run_has_its_dtype(dtype):
    path = trace("quadratic", [1.0, 0.0], steps=3, dtype=dtype)
    for name in ("points", "grads", "accumulators", "deltas"):
        assert getattr(path, name).dtype == np.dtype(dtype), name
    from rmsprop_docs.optimizers import sgd

    plain = trace("quadratic", [1.0, 0.0], sgd(lr=0.1), steps=2, dtype=dtype)
    assert np.isnan(plain.accumulators).all() and plain.accumulators.shape == (2, 2)
    assert plain.accumulators.dtype == np.dtype(dtype)


# --- defaults and types a caller sees ------------------------------------------------------------------------------


def test_trace_defaults_and_what_it_records():
    from rmsprop_docs import gradient_descent, trace

    path = trace("cubic")
    assert path.points.shape == (1001, 1) and path.optimizer == "rmsprop"
    assert path.points[0].tolist() == list(problems.get("cubic").x0)
    plain = trace("cubic", [-1.0], gradient_descent(lr=0.01), steps=3, digits=20)
    assert plain.optimizer == "gradient_descent"
    assert np.isnan(arithmetic.as_floats(plain.accumulators)).all()  # no accumulator: NaN, in N digits too


def test_isfinite_answers_in_booleans_in_both_arithmetics():
    with mpmath.workdps(20):
        exact = arithmetic.isfinite(arithmetic.exact([1.0, math.inf]))
    floats = arithmetic.isfinite(np.array([1.0, math.nan]))
    assert exact.dtype == floats.dtype == np.bool_
    assert exact.tolist() == [True, False] and (~floats).tolist() == [False, True]


def test_whole_numbers_start_at_zero_unless_told():
    assert validation.whole("count", 0) == 0
    with pytest.raises(ValueError, match=r"^count must be a whole number >= 0, got -1$"):
        validation.whole("count", -1)


def test_checked_numbers_come_back_as_floats():
    assert type(validation.positive("lr", np.array(0.5))) is float  # a 0-d array is one number
    assert validation.positive("lr", [1, 2]).dtype == np.float64  # whole numbers become floats
    assert validation.positive("lr", np.array([0.5], dtype=np.float32)).dtype == np.float32  # a float32 sweep's


def test_an_n_digit_hyperparameter_is_held_in_a_one_element_array():
    # So that `rho * nu` is NumPy's element-wise product: an mpf on the left has mpmath print the array first.
    with mpmath.workdps(30):
        held = arithmetic.hyperparameter(0.1, arithmetic.exact([1.0, 2.0]))
        assert held.shape == (1,) and held.dtype == object and held[0] == mpmath.mpf(0.1)
        assert arithmetic.hyperparameter(held, arithmetic.exact([1.0])) is held
        assert (1 - held).shape == (-held).shape == (1,)
        assert isinstance(arithmetic.hyperparameter(mpmath.mpf(1) / 3, arithmetic.exact([1.0]))[0], mpmath.mpf)
    assert arithmetic.hyperparameter(0.1, np.zeros(2, dtype=np.float32)) == 0.1


def test_a_schedule_answers_in_the_arithmetic_of_the_point():
    from rmsprop_docs.optimizers import schedule
    from rmsprop_docs.optimizers.base import learning_rate

    plan = schedule("cosine", 0.01, horizon=10)
    with mpmath.workdps(50):
        rate = learning_rate(plan, 3, arithmetic.exact([1.0]))
        expected = mpmath.mpf(0.01) * (1 + mpmath.cos(mpmath.pi * mpmath.mpf(3) / 10)) / 2
        assert (
            rate.shape == (1,) and isinstance(rate[0], mpmath.mpf) and abs(rate[0] - expected) < mpmath.mpf(10) ** -48
        )
    rate = learning_rate(plan, 3, np.zeros(1))
    assert not isinstance(rate, mpmath.mpf | np.ndarray) and rate == 0.01 * (1 + math.cos(math.pi * 3 / 10)) / 2


def test_an_n_digit_run_without_accumulator_records_nan():
    from rmsprop_docs import gradient_descent, trace

    plain = trace("cubic", [-1.0], gradient_descent(lr=0.01), steps=3, digits=20)
    assert all(isinstance(v, float) and math.isnan(v) for v in plain.accumulators.ravel())
