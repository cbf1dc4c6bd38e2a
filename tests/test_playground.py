"""The playground page in headless Chromium: its JavaScript port computes what the library computes.

``window.rmspropDocs.trace(config)`` must return the library's points, bit for
bit, for every configuration the library accepts; refuse the ones it refuses
with the same message; and diverge at the same step; and addresses it cannot
use are refused without breaking the page.  What the page draws is checked in
tests/test_playground_ui.py, its links and default view in
tests/test_playground_links.py (helpers shared in tests/playground_support.py).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import urllib.parse

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from playground_support import (
    BIN,
    CONVENTIONS,
    assert_all_same,
    assert_same,
    in_page,
    library,
    open_playground,
    wait_until_drawn,
)

from conftest import FIXTURES, require_chromium
from rmsprop_docs import PROBLEMS, schedule

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def page(browser, site_url):
    """One quiet page (reduced motion: nothing animates) for the arithmetic checks."""
    page = open_playground(browser, site_url, reduced_motion="reduce")
    yield page
    page.context.close()


# ---------------------------------------------------------------- the library's own cases


def fixture_cases():
    cases = json.loads((FIXTURES / "frameworks.json").read_text())["cases"]
    out = []
    for case in cases:
        config = {"problem": case["problem"], "x0": case["x0"], "steps": 1000, "convention": case["framework"]}
        config.update({k: case[k] for k in ("lr", "rho", "eps", "momentum", "centered", "weight_decay") if k in case})
        out.append(config)
    return out


def test_the_framework_fixtures_configurations_match_the_library(page):
    cases = fixture_cases()
    assert len(cases) >= 40 and {c["convention"] for c in cases} >= {"pytorch", "keras"}
    assert_all_same(page, cases)


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_every_problem_and_optimizer_from_its_usual_start(page, problem):
    start = list(PROBLEMS[problem].x0)
    configs = []
    for convention in CONVENTIONS:
        configs.append({"problem": problem, "x0": start, "convention": convention, "steps": 1000})
        configs.append({"problem": problem, "x0": start, "convention": convention, "momentum": 0.9, "steps": 500})
        configs.append({"problem": problem, "x0": start, "convention": convention, "centered": True, "steps": 500})
    for optimizer in ("gradient_descent", "adagrad"):
        configs.append({"problem": problem, "x0": start, "optimizer": optimizer, "lr": 0.01, "steps": 1000})
    assert_all_same(page, configs)


def test_the_command_lines_json_is_the_pages_points(page):
    runs = [
        ["rosenbrock", "--x0", "-1.5,2", "--steps", "2000", "--lr", "0.003", "--rho", "0.99"],
        ["beale", "--x0", "1,1.5", "--steps", "500", "--momentum", "0.9", "--centered", "--convention", "keras"],
        ["cubic", "--x0", "0.3", "--steps", "300", "--lr", "0.1", "--eps", "0.5", "--convention", "tf1"],
        ["rotated", "--x0", "-2,1", "--weight-decay", "0.05", "--lr", "0.05", "--convention", "keras"],
    ]
    for argv in runs:
        done = subprocess.run(
            [str(BIN / "rmsprop-docs"), "trace", *argv, "--format", "json"], capture_output=True, text=True, check=True
        )
        printed = json.loads(done.stdout)
        h = printed["hyperparameters"]
        config = {"problem": argv[0], "x0": [float(v) for v in argv[2].split(",")], "steps": printed["steps"]}
        config.update({k: h[k] for k in ("lr", "rho", "eps", "momentum", "centered", "weight_decay", "convention")})
        ours = in_page(page, config)
        assert np.array_equal(np.array(ours["points"], dtype=np.float64), np.array(printed["points"])), argv


# ---------------------------------------------------------------- generated configurations


@st.composite
def configurations(draw, optimizers=("rmsprop",)):
    name = draw(st.sampled_from(sorted(PROBLEMS)))
    problem = PROBLEMS[name]
    windows = problem.bounds[: problem.dim]
    x0 = [draw(st.floats(lo - 1.0, hi + 1.0, allow_subnormal=False)) for lo, hi in windows]
    decade = st.floats(-4.0, 0.5).map(lambda e: float(f"{10**e:.3g}"))
    config = {
        "problem": name,
        "x0": x0,
        "steps": draw(st.sampled_from([0, 1, 2, 17, 300, 1000])),
        "optimizer": draw(st.sampled_from(optimizers)),
        "lr": draw(st.one_of(decade, st.floats(1e-4, 3.0))),
    }
    if config["optimizer"] in ("rmsprop", "adagrad"):
        config["eps"] = draw(st.one_of(st.just(1e-8), st.floats(-10.0, 1.0).map(lambda e: 10**e)))
    if config["optimizer"] == "rmsprop":
        convention = draw(st.sampled_from(CONVENTIONS))
        config.update(
            convention=convention,
            rho=draw(st.one_of(st.sampled_from([0.0, 0.5, 0.9, 0.99, 0.999]), st.floats(0.0, 0.9999))),
            momentum=draw(st.one_of(st.just(0.0), st.sampled_from([0.5, 0.9]), st.floats(0.0, 0.99))),
            centered=draw(st.booleans()),
            weight_decay=0.0
            if convention == "tf1"
            else draw(st.one_of(st.just(0.0), st.floats(-4.0, 0.0).map(lambda e: 10**e))),
        )
    if draw(st.integers(0, 4)) == 0:  # the schedules whose arithmetic is exact in both (see below)
        config["schedule"] = draw(
            st.sampled_from(
                [
                    {"kind": "constant"},
                    {"kind": "step", "gamma": 0.5, "every": 7},
                    {"kind": "inverse_sqrt", "every": 3},
                    {"kind": "cosine", "horizon": 1, "lr_min": 0.0},
                ]
            )
        )
    return config


_checked = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_checked
@given(config=configurations())
def test_generated_rmsprop_configurations_match_the_library(page, config):
    assert_same(page, config)


@_checked
@given(config=configurations(optimizers=("gradient_descent", "adagrad", "rmsprop")))
def test_generated_baseline_configurations_match_the_library(page, config):
    assert_same(page, config)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=configurations(optimizers=("heavy_ball", "adam")), data=st.data())
def test_generated_momentum_and_adam_configurations_match_the_librarys_sgd_and_adam(page, config, data):
    if config["optimizer"] == "heavy_ball":
        config["momentum"] = data.draw(st.one_of(st.sampled_from([0.0, 0.5, 0.9]), st.floats(0.0, 0.99)))
        assert_same(page, config)
        return
    config["beta1"] = data.draw(st.one_of(st.sampled_from([0.0, 0.9]), st.floats(0.0, 0.99)))
    config["beta2"] = data.draw(st.one_of(st.sampled_from([0.9, 0.999]), st.floats(0.0, 0.9999)))
    config["eps"] = data.draw(st.one_of(st.just(1e-8), st.floats(-10.0, 1.0).map(lambda e: 10**e)))
    # Adam's sqrt(1 - beta2**t) is `** 0.5` in torch and in the library, which C's pow rounds one unit off
    # the true root in rare ties (1 - 2**-53 gives 1.0); the page takes the correctly rounded Math.sqrt.
    # On a smooth run that last bit stays in the last bits, so a tolerance is the honest check; a chaotic run
    # (the library's own run moves by more than the tolerance when x0 moves by one unit) grows it to any size.
    config["lr"] = min(config["lr"], 0.1)
    theirs = library(config)
    assume(not sensitive_to_the_last_bit(config, rtol=1e-9, run=theirs))
    assert_same(page, config, rtol=1e-9, theirs=theirs)


def sensitive_to_the_last_bit(config: dict, rtol: float, run: dict | None = None) -> bool:
    """The library's run from ``x0`` (``run``, when already computed) and from ``x0`` one unit up differ by
    more than ``rtol``."""
    nudged = {**config, "x0": [float(np.nextafter(x, np.inf)) for x in config["x0"]]}
    runs = library(config) if run is None else run, library(nudged)
    if any("points" not in r for r in runs):
        return False
    return not np.allclose(runs[0]["points"], runs[1]["points"], rtol=rtol, atol=rtol)


def test_a_chaotic_adam_run_is_told_apart_from_a_smooth_one():
    chaotic = {"problem": "parabola", "x0": [0.15625], "optimizer": "adam", "lr": 0.1, "beta1": 0.9, "beta2": 0.171875}
    assert sensitive_to_the_last_bit(chaotic, rtol=1e-9)
    assert not sensitive_to_the_last_bit({**chaotic, "lr": 0.01, "beta2": 0.999}, rtol=1e-9)


def test_the_tie_the_playground_page_names(page):
    x = 1 - 2**-53
    assert x**0.5 == 1.0 and math.sqrt(x) < 1.0  # C's pow one unit off; sqrt correctly rounded
    assert page.evaluate("(x) => Math.sqrt(x)", x) == math.sqrt(x)


def test_momentum_is_the_librarys_sgd_and_adam_its_adam_to_the_last_bit_without_a_tie(page):
    start = {"problem": "rosenbrock", "x0": [-1.0, 1.0], "steps": 1000}
    assert_same(page, {**start, "optimizer": "heavy_ball", "lr": 0.0005, "momentum": 0.9})
    assert_same(page, {**start, "optimizer": "adam", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})


def test_divergence_stops_both_at_the_same_step_with_the_same_message(page):
    diverging = [
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "lr": 10.0, "weight_decay": 1.0, "convention": "keras"},
        {"problem": "quadratic", "x0": [1.0, 0.0], "optimizer": "gradient_descent", "lr": 2.0},
        {"problem": "rosenbrock", "x0": [-1.5, 2.0], "optimizer": "gradient_descent", "lr": 0.01},
        {"problem": "beale", "x0": [4.0, 4.0], "optimizer": "gradient_descent", "lr": 0.01},
    ]
    for config in diverging:
        theirs = library(config)
        assert theirs.get("error") == "DivergenceError", config
        ours = in_page(page, config)
        assert ours["error"] == "DivergenceError" and ours["message"] == theirs["message"], (ours, theirs)
        assert ours["flat"] is True, config
        assert ours["step"] == int(re.match(r"step (\d+):", theirs["message"]).group(1))


@pytest.mark.parametrize(
    "change",
    [
        {"lr": 0.0},
        {"lr": -1.0},
        {"lr": math.inf},
        {"lr": "fast"},
        {"rho": 1.0},
        {"rho": -0.1},
        {"eps": 0.0},
        {"momentum": 1.0},
        {"weight_decay": -0.001},
        {"convention": "tf2"},
        {"convention": "tf1", "weight_decay": 0.1},
        {"centered": "no"},
        {"problem": "sphere"},
        {"steps": 2.5},
        {"steps": -1},
        {"steps": 10_000_001},
        {"x0": [1.0]},
        {"x0": [1.0, math.nan]},
        {"schedule": {"kind": "exponential", "gamma": 1.5}},
        {"schedule": {"kind": "cosine", "horizon": 0}},
        {"schedule": {"kind": "cosine", "horizon": 10, "lr_min": 1.0}},
        {"schedule": {"kind": "linear"}},
    ],
)
def test_invalid_configurations_are_refused_with_the_librarys_message(page, change):
    config = {"problem": "quadratic", "x0": [1.0, 0.0], "steps": 10, **change}
    theirs = library(config)
    assert theirs.get("error") == "Error", theirs
    ours = in_page(page, config)
    assert ours.get("error") == "Error" and ours["flat"] is True, ours
    assert ours["message"] == theirs["message"]
    assert re.match(r"[a-z_0-9]+ must ", ours["message"]) or "options" in ours["message"]


# ---------------------------------------------------------------- schedules

JS_RATES = """([kind, lr, options, steps]) => {
    const s = window.rmspropDocs.schedule(kind, lr, options);
    return Array.from({length: steps}, (_, t) => s(t));
}"""


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("constant", {}),
        ("step", {"gamma": 0.5, "every": 10}),
        ("step", {"gamma": 0.9, "every": 25}),
        ("inverse_sqrt", {"every": 7}),
        ("exponential", {"gamma": 0.999}),
        ("exponential", {"gamma": 0.5}),
        ("cosine", {"horizon": 1000, "lr_min": 0.0001}),
    ],
)
def test_schedules_give_the_librarys_rates(page, kind, options):
    s = schedule(kind, 0.01, **options)
    theirs = np.array([s(t) for t in range(2000)])
    ours = np.array(page.evaluate(JS_RATES, [kind, 0.01, options, 2000]), dtype=np.float64)
    # Python's schedules call libm's pow and cos, which round correctly but for rare cases; the page rounds
    # correctly (double-double arithmetic).  They agree exactly almost always and never differ by more than
    # an ulp.
    assert np.all(np.abs(ours - theirs) <= np.spacing(np.abs(theirs)))
    assert np.mean(ours == theirs) >= 0.995
    if kind in ("constant", "inverse_sqrt") or options.get("gamma") == 0.5:  # no libm call, or exact powers of 2
        assert np.array_equal(ours, theirs)


def test_schedules_in_runs(page):
    for s in ({"kind": "step", "gamma": 0.5, "every": 100}, {"kind": "inverse_sqrt", "every": 10}):
        for convention in CONVENTIONS:
            config = {"problem": "rosenbrock", "x0": [-1.5, 2.0], "lr": 0.01, "convention": convention, "schedule": s}
            assert_same(page, config)
    assert_same(page, {"problem": "cubic", "x0": [-1.0], "optimizer": "adagrad", "lr": 0.5, "schedule": s})


def test_steps_to_counts_an_exact_landing_at_tolerance_zero(page):
    # an exact landing is within any tolerance, 0 included (distance <= tol, as stepping.within); `<` would miss it
    assert page.evaluate("() => window.rmspropDocs.stepsTo([[1, 1], [0, 0], [0, 0]], 'bowl', 0)") == 1
    assert page.evaluate("() => window.rmspropDocs.stepsTo([[1, 1], [0.5, 0]], 'bowl', 0.5)") == 1
    assert page.evaluate("() => window.rmspropDocs.stepsTo([[1, 1]], 'bowl', 0)") is None
    assert page.evaluate("() => window.rmspropDocs.stepsToStay([[1, 1], [0, 0]], 'bowl', 0)") == 1


# ---------------------------------------------------------------- hostile addresses

HOSTILE = [
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "prototype",
    "<img src=x onerror=window.__pwned=1>",
    '"><script>window.__pwned=1</script>',
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "1e309",
    "1e999999",
    "-0",
    "0x10",
    "",
    " ",
    ",,,",
    "1,2,3,4",
    "%00",
    "a" * 5000,
    "9" * 400,
]
KEYS = [
    "problem", "x0", "optimizers", "steps", "tol", "lr", "rho", "eps", "momentum", "beta1", "beta2",
    "weight_decay", "centered", "schedule", "gradient_descent.lr", "adam.rho", "__proto__.lr", "__proto__",
    "constructor", "rmsprop-pytorch.__proto__", "toString",
]  # fmt: skip


def _no_injection(page):
    assert page.evaluate(
        "() => window.__pwned === undefined && document.querySelectorAll('img[src=x], [onerror]').length === 0"
    )


def test_hostile_addresses_are_refused_with_a_message_and_the_rest_keeps_working(browser, site_url):
    for query in (
        "?problem=__proto__",
        "?problem=constructor&lr=0.1",
        "?problem=toString&optimizers=__proto__,adam",
        "?x0=<img src=x onerror=window.__pwned=1>&lr=-1",
        "?__proto__[lr]=1&constructor.prototype.x=1",
    ):
        page = open_playground(browser, site_url, query, reduced_motion="reduce")
        wait_until_drawn(page)
        assert page.errors == [], (query, page.errors)
        _no_injection(page)
        assert page.locator(".pg-refused li").count() >= 1, query
        assert len(page.evaluate("() => window.rmspropDocs.playground.drawn()")) >= 1
        page.context.close()
    page = open_playground(browser, site_url, "?problem=quadratic", reduced_motion="reduce")
    for key in KEYS:
        for value in HOSTILE:
            query = urllib.parse.urlencode({key: value, "optimizers": "rmsprop-pytorch,adam"})
            refused = page.evaluate("(q) => window.rmspropDocs.playground.load('?' + q)", query)
            assert isinstance(refused, list)
    wait_until_drawn(page)
    assert page.errors == []
    _no_injection(page)
    assert "Ignored" in page.locator(".pg-refused").inner_text()
    page.context.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(KEYS),
            st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.floats().map(repr), st.integers().map(str)),
        ),
        max_size=6,
    )
)
def test_generated_addresses_never_throw(page, pairs):
    query = urllib.parse.urlencode(pairs)
    refused = page.evaluate(
        "(q) => { const r = window.rmspropDocs.parsePlaygroundState('?' + q); "
        "return {refused: r.refused, problem: r.state.problem, n: r.state.optimizers.length}; }",
        query,
    )
    assert refused["problem"] in PROBLEMS and refused["n"] >= 1
    assert all(isinstance(m, str) for m in refused["refused"])
