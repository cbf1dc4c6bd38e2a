"""The playground page in headless Chromium: its JavaScript port computes what the library computes.

``window.rmspropDocs.trace(config)`` must return the library's points, bit for
bit, for every configuration the library accepts; refuse the ones it refuses
with the same message; and diverge at the same step.  The page must then draw
those points: after a drag, a slider moved with the keyboard, or a link with
settings, the path on the plot is the library's trace for the new settings.
"""

from __future__ import annotations

import json
import math
import pathlib
import re
import subprocess
import sys
import urllib.parse

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, require_chromium
from rmsprop_docs import PROBLEMS, DivergenceError, adagrad, adam, gradient_descent, rmsprop, schedule, sgd, trace
from rmsprop_docs.sweep import best_learning_rate

pytestmark = pytest.mark.browser

require_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402

BIN = pathlib.Path(sys.executable).parent
CONVENTIONS = ("pytorch", "keras", "tf1")

# ---------------------------------------------------------------- serving and loading


# site_url: the built site served by tests/conftest.py


def open_playground(browser, site_url, query="", **options):
    """A fresh page on the playground; requests outside 127.0.0.1 are refused and recorded."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.outside, page.errors = [], []

    def route(r):
        if urllib.parse.urlparse(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith("data:"):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.goto(site_url + "playground/" + query, wait_until="networkidle")
    page.wait_for_function("() => window.rmspropDocs && window.rmspropDocs.playground")
    return page


@pytest.fixture(scope="module")
def page(browser, site_url):
    """One quiet page (reduced motion: nothing animates) for the arithmetic checks."""
    page = open_playground(browser, site_url, reduced_motion="reduce")
    yield page
    page.context.close()


# ---------------------------------------------------------------- the two sides

JS_TRACE = """(config) => {
    const api = window.rmspropDocs;
    // traceFlat (what the playground draws from) holds the same run, bit for bit, and stops where trace throws
    const same = (rows, values, dim) => values.length === rows.length * dim
        && rows.every((p, t) => p.every((c, i) => Object.is(c, values[t * dim + i])));
    const flatOf = (run, thrown) => {
        let flat;
        try {
            flat = api.traceFlat(config);
        } catch (error) {
            return thrown !== null && thrown.name !== "DivergenceError" && error.message === thrown.message;
        }
        if (thrown) {
            return thrown.name === "DivergenceError" && flat.diverged !== null
                && flat.diverged.message === thrown.message && same(thrown.points, flat.points, flat.dim);
        }
        return flat.diverged === null && same(run.points, flat.points, flat.dim)
            && same(run.grads, flat.grads, flat.dim) && same(run.deltas, flat.deltas, flat.dim);
    };
    try {
        const run = api.trace(config);
        return {points: run.points, flat: flatOf(run, null)};
    } catch (error) {
        return {error: error.name, message: error.message, step: error.step ?? null, flat: flatOf(null, error)};
    }
}"""


def library_optimizer(config: dict):
    lr = config.get("lr", 0.01)
    if config.get("schedule"):
        s = config["schedule"]
        lr = schedule(s["kind"], lr, **{k: v for k, v in s.items() if k != "kind"})
    name = config.get("optimizer", "rmsprop")
    if name == "gradient_descent":
        return gradient_descent(lr=lr)
    if name == "adagrad":
        return adagrad(lr=lr, eps=config.get("eps", 1e-8))
    if name == "heavy_ball":  # torch.optim.SGD with momentum, as the library's sgd
        return sgd(lr=lr, momentum=config.get("momentum", 0.9))
    if name == "adam":
        betas = (config.get("beta1", 0.9), config.get("beta2", 0.999))
        return adam(lr=lr, betas=betas, eps=config.get("eps", 1e-8))
    options = {
        k: config[k] for k in ("rho", "eps", "momentum", "centered", "weight_decay", "convention") if k in config
    }
    return rmsprop(lr=lr, **options)


def library(config: dict) -> dict:
    """What rmsprop_docs computes for ``config``, in the page's reply format."""
    try:
        path = trace(config["problem"], config["x0"], library_optimizer(config), config.get("steps", 1000))
    except DivergenceError as error:
        return {"error": "DivergenceError", "message": str(error)}
    except ValueError as error:
        return {"error": "Error", "message": str(error)}
    return {"points": path.points}


def in_page(page, config: dict) -> dict:
    return page.evaluate(JS_TRACE, config)


def assert_same(page, config: dict, rtol: float = 0.0, theirs: dict | None = None) -> None:
    """The page's run of ``config`` is the library's (``theirs``, when already computed)."""
    ours, theirs = in_page(page, config), library(config) if theirs is None else theirs
    assert ours["flat"] is True, (config, ours)
    if "points" in theirs:
        assert "points" in ours, (config, ours)
        points = np.array(ours["points"], dtype=np.float64)
        assert points.shape == theirs["points"].shape, config
        if rtol:
            np.testing.assert_allclose(points, theirs["points"], rtol=rtol, atol=rtol, err_msg=str(config))
            return
        assert np.array_equal(points, theirs["points"]), (config, np.argwhere(points != theirs["points"])[:3])
    else:
        assert ours.get("error") == theirs["error"], (config, ours, theirs)
        assert ours["message"] == theirs["message"], config


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
    for config in cases:
        assert_same(page, config)


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_every_problem_and_optimizer_from_its_usual_start(page, problem):
    start = list(PROBLEMS[problem].x0)
    for convention in CONVENTIONS:
        assert_same(page, {"problem": problem, "x0": start, "convention": convention, "steps": 1000})
        assert_same(page, {"problem": problem, "x0": start, "convention": convention, "momentum": 0.9, "steps": 500})
        assert_same(page, {"problem": problem, "x0": start, "convention": convention, "centered": True, "steps": 500})
    for optimizer in ("gradient_descent", "adagrad"):
        assert_same(page, {"problem": problem, "x0": start, "optimizer": optimizer, "lr": 0.01, "steps": 1000})


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


# ---------------------------------------------------------------- what the page draws

JS_PATHS = """() => [...document.querySelectorAll('.pg-path')].map(p => ({
    id: p.dataset.optimizer,
    xy: (p.getAttribute('d').match(/-?[0-9.]+(e[-+]?[0-9]+)?/g) || []).map(Number),
}))"""


def drawn_equals_library(page) -> list[str]:
    """Check every drawn path: its points are the library's trace for the page's settings, and so are its pixels."""
    handle = "window.rmspropDocs.playground"
    drawn = page.evaluate(f"() => {handle}.drawn()")
    paths = {p["id"]: p["xy"] for p in page.evaluate(JS_PATHS)}
    assert drawn and set(paths) == {d["id"] for d in drawn}
    for run in drawn:
        config = run["config"]
        if config["optimizer"] not in ("rmsprop", "gradient_descent", "adagrad"):
            continue
        theirs = library({**config, "schedule": None})
        assert page.evaluate(f"() => {handle}.shown()") == config["steps"]
        assert np.array_equal(np.array(run["points"], dtype=np.float64), theirs["points"]), config
        pixels = np.array(page.evaluate(f"(p) => {handle}.screenOf(p)", theirs["points"].tolist()))
        vertices = np.array(paths[run["id"]]).reshape(-1, 2)
        assert_drawn_through(vertices, pixels, merge=0.3 * page.evaluate(f"() => {handle}.scale()"))
    return [d["id"] for d in drawn]


def assert_drawn_through(vertices: np.ndarray, pixels: np.ndarray, merge: float) -> None:
    """The path's vertices are the run's points on the screen, in order, from the first to the last; a point
    left out lies within ``merge`` of the vertex drawn before it (a run circling its minimum)."""
    assert np.abs(vertices[0] - pixels[0]).max() <= 0.006 and np.abs(vertices[-1] - pixels[-1]).max() <= 0.006
    k = 0
    for point in pixels:
        if k + 1 < len(vertices) and np.abs(vertices[k + 1] - point).max() <= 0.006:
            k += 1
        else:
            assert np.abs(vertices[k] - point).max() <= merge + 0.006, (k, vertices[k], point)
    assert k == len(vertices) - 1


def wait_until_drawn(page):
    page.wait_for_function(
        "() => { const p = window.rmspropDocs.playground;"
        " return !p.busy() && !p.playing() && p.shown() === p.state().steps; }",
        timeout=20000,
    )


def assert_layers_aligned(page) -> None:
    """The contours (drawn once, underneath) and the paths (redrawn each frame, on top) share one box."""
    boxes = page.evaluate(
        """() => ['.pg-backdrop', '.pg-plot'].map((s) => {
            const r = document.querySelector(s).getBoundingClientRect();
            return [r.left, r.top, r.width, r.height];
        })"""
    )
    assert boxes[0][2] > 0 and np.allclose(boxes[0], boxes[1], atol=0.5), boxes
    assert len(page.evaluate("() => document.querySelector('.pg-backdrop .pg-contours').getAttribute('d')")) > 1000


def test_dragging_the_start_redraws_the_librarys_path(browser, site_url):
    page = open_playground(browser, site_url, "?problem=rosenbrock&optimizers=rmsprop-pytorch,rmsprop-keras")
    handle = "window.rmspropDocs.playground"
    wait_until_drawn(page)
    assert_layers_aligned(page)
    before = page.evaluate(f"() => {handle}.drawn()")[0]["points"]
    # Where the start is, and where (0.5, 2.5) is, in the window's pixels.
    to_client = """(points) => {
        const svg = document.querySelector('.pg-plot');
        const m = svg.getScreenCTM();
        return window.rmspropDocs.playground.screenOf(points)
            .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    }"""
    (sx, sy), (tx, ty) = page.evaluate(to_client, [[-1.5, 2.0], [0.5, 2.5]])
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move((sx + tx) / 2, (sy + ty) / 2, steps=5)
    page.mouse.move(tx, ty, steps=5)
    page.mouse.up()
    wait_until_drawn(page)
    x0 = page.evaluate(f"() => {handle}.state().x0")
    assert abs(x0[0] - 0.5) < 0.01 and abs(x0[1] - 2.5) < 0.01
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "rmsprop-keras"]
    after = page.evaluate(f"() => {handle}.drawn()")[0]["points"]
    assert after[0] == x0 and after != before
    page.wait_for_function("(x0) => location.search.includes(x0)", arg=f"x0={x0[0]:g},{x0[1]:g}")  # the address follows
    assert page.errors == [] and page.outside == []
    page.context.close()


def test_a_slider_moved_with_the_keyboard_redraws_the_librarys_path(browser, site_url):
    page = open_playground(browser, site_url, "?problem=beale&optimizers=rmsprop-pytorch,gradient_descent,adagrad")
    handle = "window.rmspropDocs.playground"
    wait_until_drawn(page)
    before = page.evaluate(f"() => {handle}.drawn()")[0]["points"][-1]
    lr = page.get_by_role("slider", name="Learning rate η (slider)")
    lr.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.state().lr") == 0.0126  # two steps of 0.05 in log10, 3 digits
    assert page.get_by_role("spinbutton", name=re.compile("Learning rate")).input_value() == "0.0126"
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "gradient_descent", "adagrad"]
    assert page.evaluate(f"() => {handle}.drawn()")[0]["points"][-1] != before
    page.wait_for_function("() => location.search.includes('lr=0.0126')")
    # the typed box and the momentum slider, the same way
    page.get_by_role("slider", name="Momentum μ (slider)").focus()
    page.keyboard.press("End")
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.state().momentum") == 0.99
    drawn_equals_library(page)
    page.get_by_role("checkbox", name="Centered RMSprop").check()
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.drawn()")[0]["config"]["centered"] is True
    drawn_equals_library(page)
    assert page.errors == []
    page.context.close()


def test_the_start_marker_moves_with_arrow_keys(browser, site_url):
    page = open_playground(browser, site_url, "?problem=quadratic&x0=1,0", reduced_motion="reduce")
    handle = "window.rmspropDocs.playground"
    page.get_by_role("slider", name="Starting point; arrow keys move it").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    assert page.evaluate(f"() => {handle}.state().x0") == [1.03, -0.3]
    wait_until_drawn(page)
    drawn_equals_library(page)
    page.context.close()


def test_a_link_with_settings_opens_those_settings(browser, site_url):
    query = (
        "?problem=elongated&x0=-2,1&optimizers=rmsprop-keras,rmsprop-tf1,adam,heavy_ball"
        "&steps=400&lr=0.05&rho=0.99&eps=0.001&momentum=0.5&centered=true&schedule=step:gamma=0.5,every=100"
    )
    page = open_playground(browser, site_url, query, reduced_motion="reduce")
    wait_until_drawn(page)
    state = page.evaluate("() => window.rmspropDocs.playground.state()")
    assert state["problem"] == "elongated" and state["steps"] == 400 and state["centered"] is True
    assert state["optimizers"] == ["rmsprop-keras", "rmsprop-tf1", "adam", "heavy_ball"]
    assert page.get_by_role("combobox", name="Schedule").input_value() == "step"
    assert page.get_by_role("spinbutton", name="Factor γ").input_value() == "0.5"
    for run in page.evaluate("() => window.rmspropDocs.playground.drawn()"):
        config = run["config"]
        assert config["schedule"] == "step:gamma=0.5,every=100"
        if config["optimizer"] == "rmsprop":
            theirs = library({**config, "schedule": {"kind": "step", "gamma": 0.5, "every": 100}})
            assert np.array_equal(np.array(run["points"], dtype=np.float64), theirs["points"])
        assert len(run["points"]) == 401
    assert page.evaluate("() => window.rmspropDocs.playground.address()") == query
    page.context.close()


def test_invalid_settings_and_divergence_are_reported_on_the_page(browser, site_url):
    query = "?problem=rosenbrock&optimizers=rmsprop-keras,rmsprop-tf1&lr=10&weight_decay=1"
    page = open_playground(browser, site_url, query, reduced_motion="reduce")
    wait_until_drawn(page)
    readouts = page.locator(".pg-readout").all_inner_texts()
    config = {"problem": "rosenbrock", "x0": [-1.5, 2.0], "lr": 10.0, "weight_decay": 1.0, "convention": "keras"}
    theirs = library(config)
    step = int(re.match(r"step (\d+):", theirs["message"]).group(1))
    assert f"Diverged at step {step}" in readouts[0]
    assert "weight_decay must be 0 with convention tf1" in readouts[1]
    page.context.close()


# ---------------------------------------------------------------- reading it without seeing it, and small screens


def test_summary_is_announced_and_nothing_plays_on_load(browser, site_url):
    page = open_playground(browser, site_url, "?problem=cubic&x0=-1", reduced_motion="reduce")
    handle = "window.rmspropDocs.playground"
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.playing()") is False
    assert page.evaluate(f"() => {handle}.shown()") == 1000
    summary = page.locator("[aria-live=polite]")
    path = trace("cubic", [-1.0], rmsprop(), 1000)
    final = f"{path.final[0]:.6g}"
    page.wait_for_function("() => document.querySelector('[aria-live=polite]').textContent.includes('RMSprop')")
    text = summary.inner_text()
    assert final in text and "1000 steps" in text and f"at step {path.steps_to(0.001)}" in text
    # a change of setting does not start an animation either: the new path is drawn whole
    page.get_by_role("slider", name="Learning rate η (slider)").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"() => {handle}.state().lr") == 0.0112
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.playing()") is False
    assert page.evaluate(f"() => {handle}.shown()") == 1000
    page.context.close()

    # without reduced motion the first view is drawn whole too (nothing runs while the page loads); a change of
    # setting draws the new path out
    moving = open_playground(browser, site_url, "?problem=cubic&x0=-1", reduced_motion="no-preference")
    moving.wait_for_function(f"() => !{handle}.busy()")
    assert moving.evaluate(f"() => {handle}.playing()") is False
    assert moving.evaluate(f"() => {handle}.shown()") == 1000
    moving.get_by_role("slider", name="Learning rate η (slider)").focus()
    moving.keyboard.press("ArrowRight")
    moving.wait_for_function(f"() => !{handle}.busy() && {handle}.state().lr === 0.0112")
    assert moving.evaluate(f"() => {handle}.playing()") is True
    assert moving.evaluate(f"() => {handle}.shown()") < 1000
    wait_until_drawn(moving)
    moving.context.close()


CONTROLS = ".playground :is(input, select, button, [tabindex='0'])"


def test_no_serious_accessibility_violations_and_every_control_is_named(browser, site_url):
    axe = Axe()
    for scheme in ("light", "dark"):
        page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam", color_scheme=scheme)
        page.get_by_role("combobox", name="Schedule").select_option("step")  # show the optional fields too
        results = axe.run(page)
        serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], serious
        unnamed = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => !e.closest('[hidden]'))
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
                .map(e => e.outerHTML.slice(0, 80))""",
            CONTROLS,
        )
        assert unnamed == []
        page.context.close()


def test_every_control_is_reachable_with_tab(browser, site_url):
    page = open_playground(browser, site_url, reduced_motion="reduce")
    controls = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(e => e.offsetParent !== null || e instanceof SVGElement).length""",
        CONTROLS,
    )
    reached = set()
    page.locator("article h1").first.click()
    for _ in range(controls + 40):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "() => { const e = document.activeElement; return e && e.closest('.playground') ? "
            "(e.id || e.textContent || e.getAttribute('aria-label')) : null; }"
        )
        if key:
            reached.add(key)
    assert len(reached) >= controls, (len(reached), controls)
    page.context.close()


def test_usable_at_375_pixels(browser, site_url):
    page = open_playground(browser, site_url, viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    width = page.evaluate("() => document.querySelector('.pg-plot').getBoundingClientRect().width")
    assert 300 <= width <= 375
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.playground *')]
            .filter(e => e instanceof HTMLElement && e.offsetParent !== null)
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.className || e.tagName)"""
    )
    assert overflowing == []
    assert_layers_aligned(page)
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    # the plot still takes a tap: the start moves where the finger is
    before = page.evaluate("() => window.rmspropDocs.playground.state().x0")
    box = page.locator(".pg-plot").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.wait_for_function("(x0) => window.rmspropDocs.playground.state().x0[0] !== x0[0]", arg=before)
    wait_until_drawn(page)
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "gradient_descent"]
    assert page.errors == []
    page.context.close()


# ---------------------------------------------------------------- a phone (375 x 812, touch) and the keyboard

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
VISIBLE_CONTROLS = """(selector) => [...document.querySelectorAll(selector)]
    .filter((e) => (e.offsetParent !== null || e instanceof SVGElement) && !e.closest('[hidden]'))"""


def _in_viewport(page, box) -> bool:
    height = page.evaluate("() => window.innerHeight")
    width = page.evaluate("() => window.innerWidth")
    return (
        box["y"] >= 0
        and box["y"] + box["height"] <= height + 0.5
        and box["x"] >= 0
        and box["x"] + box["width"] <= width + 0.5
    )


def test_on_a_phone_the_plot_stays_in_view_while_a_slider_is_moved(browser, site_url):
    page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam", reduced_motion="reduce", **PHONE)
    wait_until_drawn(page)
    handle = "window.rmspropDocs.playground"
    labels = VISIBLE_CONTROLS + ".map((e) => e.getAttribute('aria-label'))"
    names = page.evaluate(labels, ".pg-controls input[type=range]")
    assert len(names) >= 5, names
    for name in names:
        slider = page.get_by_role("slider", name=name, exact=True)
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        assert page.evaluate("() => window.scrollY") > 500  # scrolled well past the plot's place on the page
        before = page.evaluate(f"() => {handle}.state()")
        slider.focus()
        page.keyboard.press("ArrowRight")  # adjusted, as a thumb or a key moves it
        wait_until_drawn(page)
        assert page.evaluate(f"() => {handle}.state()") != before, name
        plot = page.locator(".pg-plot").bounding_box()
        assert plot["height"] > 200 and _in_viewport(page, plot), (name, plot)
        # the slider itself is not under the plot: the plot ends above it, and the slider takes the touch
        box = slider.bounding_box()
        assert _in_viewport(page, box) and box["y"] >= plot["y"] + plot["height"] - 0.5, (name, box, plot)
        centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
        assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('aria-label')", centre) == name
    assert page.errors == []
    page.context.close()


def test_on_a_phone_every_control_is_a_44_pixel_target_and_tick_labels_are_11_pixels(browser, site_url):
    page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam&schedule=step", **PHONE)
    wait_until_drawn(page)
    sizes = page.evaluate(
        VISIBLE_CONTROLS
        + """.map((e) => { const r = (e.querySelector('.pg-start-hit') || e).getBoundingClientRect();
               return {what: e.type || e.getAttribute('role') || e.tagName, id: e.id,
                       width: r.width, height: r.height}; })""",
        ".playground :is(input, select, button, [tabindex='0'])",
    )
    kinds = {s["what"] for s in sizes}
    assert {"checkbox", "range", "button", "select-one", "number", "text", "slider"} <= kinds, kinds
    small = [s for s in sizes if s["width"] < 44 - 0.01 or s["height"] < 44 - 0.01]
    assert small == [], small
    # the font the tick labels and the legend are drawn in, in CSS px (the SVG's font size times its scale)
    fonts = page.evaluate(
        """() => [...document.querySelectorAll('.playground svg text')].filter((t) => t.textContent.trim())
            .map((t) => { const m = t.getScreenCTM();
                          const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
                          return {text: t.textContent, px, box: t.getBoundingClientRect().height}; })"""
    )
    ticks = page.evaluate("() => document.querySelectorAll('.pg-axes text').length")
    assert ticks >= 8 and len(fonts) >= ticks, fonts
    assert min(f["px"] for f in fonts) >= 11, fonts
    assert min(f["box"] for f in fonts) >= 12.5, fonts  # the glyphs' box is about 1.15 times the font
    assert page.errors == []
    page.context.close()


def _touch(cdp, kind, points):
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})


def _swipe(page, start, end, moves=12):
    """One finger from ``start`` to ``end`` (client px) as the touch screen reports it, through the browser's
    own input pipeline (so that the page scrolls if nothing stops it)."""
    cdp = page.context.new_cdp_session(page)
    _touch(cdp, "touchStart", [start])
    for k in range(1, moves + 1):
        f = k / moves
        _touch(cdp, "touchMove", [(start[0] + f * (end[0] - start[0]), start[1] + f * (end[1] - start[1]))])
        page.wait_for_timeout(16)
    _touch(cdp, "touchEnd", [])
    page.wait_for_timeout(300)
    cdp.detach()


TO_CLIENT = """(points) => {
    const m = document.querySelector('.pg-plot').getScreenCTM();
    return window.rmspropDocs.playground.screenOf(points)
        .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
}"""


def test_on_a_phone_a_swipe_on_the_plot_scrolls_the_page_and_one_on_the_marker_moves_the_start(browser, site_url):
    page = open_playground(browser, site_url, "?problem=quadratic&x0=1,0", reduced_motion="reduce", **PHONE)
    wait_until_drawn(page)
    handle = "window.rmspropDocs.playground"
    page.locator(".pg-plot").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -100)")  # room to scroll both ways
    page.wait_for_timeout(200)
    plot = page.locator(".pg-plot").bounding_box()
    [(mx, my)] = page.evaluate(TO_CLIENT, [[1.0, 0.0]])
    # a point of the plot well away from the marker (more than its 22 px radius)
    x = plot["x"] + plot["width"] * (0.25 if mx > plot["x"] + plot["width"] / 2 else 0.75)
    y = plot["y"] + plot["height"] * 0.6
    assert abs(x - mx) > 60
    scrolled = page.evaluate("() => window.scrollY")
    _swipe(page, (x, y), (x, y - 150))
    page.wait_for_function("(y) => Math.abs(window.scrollY - y) > 40", arg=scrolled, timeout=5000)
    wait_until_drawn(page)
    assert page.evaluate(f"() => {handle}.state().x0") == [1.0, 0.0]  # the start stayed put
    # a swipe that starts on the marker drags it, and the page stays where it is
    [(mx, my)] = page.evaluate(TO_CLIENT, [[1.0, 0.0]])
    scrolled = page.evaluate("() => window.scrollY")
    _swipe(page, (mx, my), (mx + 40, my - 40))
    page.wait_for_function(f"() => {handle}.state().x0[0] !== 1", timeout=5000)
    wait_until_drawn(page)
    x0 = page.evaluate(f"() => {handle}.state().x0")
    assert x0[0] > 1.0 and x0[1] > 0.0, x0  # right and up, as the finger went
    [(nx, ny)] = page.evaluate(TO_CLIENT, [x0])
    assert abs(nx - (mx + 40)) < 3 and abs(ny - (my - 40)) < 3, (nx, ny, mx, my)
    assert page.evaluate("() => window.scrollY") == scrolled
    assert drawn_equals_library(page) == ["rmsprop-pytorch", "gradient_descent"]
    assert page.errors == []
    page.context.close()


def _contrast(a, b) -> float:
    def lum(c):
        c = [v / 255 for v in c]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgba(text: str) -> tuple[list[float], float]:
    values = [float(v) for v in text[text.index("(") + 1 : text.index(")")].split(",")]
    return values[:3], values[3] if len(values) > 3 else 1.0


FOCUS_OF = (
    """([selector, i]) => {
    const e = ("""
    + VISIBLE_CONTROLS.replace("(selector) => ", "")
    + """)[i];
    e.focus({preventScroll: true});
    const s = getComputedStyle(e);
    return {what: e.id || e.getAttribute('aria-label') || e.textContent, focused: document.activeElement === e,
            visible: e.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
            color: s.outlineColor, bg: getComputedStyle(document.body).backgroundColor};
}"""
)
FOCUSABLE = ".playground :is(input, select, button, textarea, a[href], [tabindex='0'])"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_control_shows_a_focus_outline_of_2_pixels_at_3_to_1(browser, site_url, scheme):
    # WCAG 2.2 focus appearance: an outline at least 2 CSS px thick, at least 3:1 against the page
    page = open_playground(browser, site_url, "?optimizers=rmsprop-pytorch,adam&schedule=step", color_scheme=scheme)
    wait_until_drawn(page)
    page.keyboard.press("Tab")  # the keyboard in use: focus shows as :focus-visible
    count = page.evaluate(VISIBLE_CONTROLS + ".length", FOCUSABLE)
    assert count >= 20
    seen = []
    for i in range(count):
        focus = page.evaluate(FOCUS_OF, [FOCUSABLE, i])
        seen.append(focus["what"])
        assert focus["focused"] and focus["visible"], focus
        assert focus["style"] == "solid" and focus["width"] >= 2, focus
        color, alpha = _rgba(focus["color"])
        background, _ = _rgba(focus["bg"])
        assert alpha == 1 and _contrast(color, background) >= 3, focus
    assert len(set(seen)) == count
    page.context.close()


def _pixels(png: bytes):
    from PIL import Image

    return np.asarray(Image.open(__import__("io").BytesIO(png)).convert("RGB"), dtype=np.int16)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_is_seen_on_a_checkbox_and_a_slider(browser, site_url, scheme):
    page = open_playground(browser, site_url, color_scheme=scheme, reduced_motion="reduce")
    wait_until_drawn(page)
    for control in (
        page.get_by_role("checkbox", name="Adagrad"),
        page.get_by_role("slider", name="Learning rate η (slider)"),
    ):
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        clip = {"x": box["x"] - 6, "y": box["y"] - 6, "width": box["width"] + 12, "height": box["height"] + 12}
        control.evaluate("(e) => e.blur()")
        unfocused = _pixels(page.screenshot(clip=clip))
        page.keyboard.press("Tab")
        control.evaluate("(e) => e.focus({preventScroll: true})")
        assert control.evaluate("(e) => e.matches(':focus-visible')")
        focused = _pixels(page.screenshot(clip=clip))
        changed = (np.abs(focused - unfocused).sum(axis=2) > 60).sum()
        # at least a 2 px ring round the control: its perimeter twice over
        assert changed >= 2 * 2 * (box["width"] + box["height"]) * 0.9, (changed, box)
    page.context.close()


def test_instant_navigation_starts_the_playground(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url, wait_until="networkidle")
    page.locator("nav.md-nav--primary a", has_text="Playground").first.click()
    page.wait_for_url("**/playground/")
    page.wait_for_selector(".pg-plot .pg-path")
    assert page.evaluate("() => !!window.document$")  # Material's instant navigation is active
    assert page.locator(".pg-layout").count() == 1
    assert page.evaluate("() => getComputedStyle(document.querySelector('.pg-layout')).display") == "grid"
    assert errors == []
    context.close()


# ---------------------------------------------------------------- links from the other pages

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
TRY = "Try it in the playground"


def _run(snippets, problem, x0, steps, optimizers=("rmsprop-pytorch",), schedule=None, **hyper):
    """One page's run: the code that runs it on the page, and the settings its link must open."""
    settings_ = {"lr": 0.01, "rho": 0.9, "eps": 1e-8, "momentum": 0.0, "centered": False, "weight_decay": 0.0}
    settings_.update(hyper)
    return {
        "snippets": snippets,
        "problem": problem,
        "x0": x0,
        "steps": steps,
        "optimizers": list(optimizers),
        "schedule": schedule,
        **settings_,
    }


TURNED = [(-2.0 - 1.0) / 2**0.5, (-2.0 + 1.0) / 2**0.5]
# Every "Try it in the playground" link, page by page in order.  Each names the code above it on its page
# (which must be there, between the previous link and this one) and the settings that code runs.
PAGE_RUNS = {
    "one-variable": [
        _run(['"cubic", x0=[-1.0], optimizer=rmsprop(lr=0.01, rho=0.9, eps=1e-8), steps=1000'], "cubic", [-1.0], 1000),
        _run(
            ['schedule("exponential", 0.01, gamma=0.995)', '"cubic", x0=[-1.0], optimizer=rmsprop(lr=lr), steps=2000'],
            "cubic",
            [-1.0],
            2000,
            schedule={"kind": "exponential", "gamma": 0.995},
        ),
    ],
    "two-variables": [
        _run(['trace("quadratic", x0=[1.0, 0.0], steps=1000)'], "quadratic", [1.0, 0.0], 1000),
        _run(
            ['optimizer=rmsprop(lr=schedule("exponential", 0.01, gamma=0.998)), steps=3000'],
            "quadratic",
            [1.0, 0.0],
            3000,
            schedule={"kind": "exponential", "gamma": 0.998},
        ),
    ],
    "variants": [
        _run(
            [
                'for convention in ("pytorch", "keras")',
                '"elongated", x0=[-2.0, 1.0], optimizer=rmsprop(lr=0.02, centered=True), steps=200',
            ],
            "elongated",
            [-2.0, 1.0],
            200,
            optimizers=("rmsprop-pytorch", "rmsprop-keras"),
            lr=0.02,
            centered=True,
        ),
        _run(
            [
                'schedule("inverse_sqrt", 0.02, every=100)',
                "for wd in (0.2, 1.0)",
                '("coupled (pytorch)", "pytorch")',
                '("decoupled (keras)", "keras")',
                "lr=decaying, weight_decay=wd, convention=convention",
                '"quadratic", x0=[1.0, 0.0], optimizer=optimizer, steps=20000',
            ],
            "quadratic",
            [1.0, 0.0],
            20000,
            optimizers=("rmsprop-pytorch", "rmsprop-keras"),
            schedule={"kind": "inverse_sqrt", "every": 100},
            lr=0.02,
            weight_decay=0.2,
        ),
        _run(
            ['"elongated", x0=[-2.0, 1.0], optimizer=rmsprop(lr=0.02, momentum=0.9), steps=200'],
            "elongated",
            [-2.0, 1.0],
            200,
            lr=0.02,
            momentum=0.9,
        ),
    ],
    "hyperparameters": [
        _run(
            ["for lr in (0.001, 0.01, 0.1)", '"quadratic", x0=[1.0, 0.0], optimizer=rmsprop(lr=lr), steps=3000'],
            "quadratic",
            [1.0, 0.0],
            3000,
            lr=0.1,
        ),
        _run(
            ["for rho in (0.0, 0.5, 0.9, 0.99)", "x0=[1.0, 0.0], optimizer=rmsprop(lr=0.01, rho=rho), steps=1000"],
            "quadratic",
            [1.0, 0.0],
            1000,
            rho=0.99,
        ),
        _run(
            [
                "for eps in (1e-8, 1e-3, 1e-2, 0.1, 1.0)",
                "x0=[1.0, 0.0], optimizer=rmsprop(lr=0.01, eps=eps), steps=3000",
            ],
            "quadratic",
            [1.0, 0.0],
            3000,
            eps=0.1,
        ),
    ],
    "why-rmsprop": [
        _run(
            [
                '"quadratic", x0=[1.0, 0.0], optimizer=adagrad(lr=0.01), steps=1000',
                "x0=[1.0, 0.0], optimizer=rmsprop(lr=0.01, rho=0.9), steps=1000",
            ],
            "quadratic",
            [1.0, 0.0],
            1000,
            optimizers=("adagrad", "rmsprop-pytorch"),
            eps=1e-10,  # adagrad's default; the page's one eps serves both
        ),
        _run(
            ['("rosenbrock", (-1.0, 1.0))', "problem, start, 5000, grid_of_rates", "4560 (lr 0.0025)"],
            "rosenbrock",
            [-1.0, 1.0],
            5000,
            lr=0.0025,
        ),
    ],
    "exercises": [
        _run(
            ['"quadratic", x0=[1.0, 0.0], optimizer=rmsprop(lr=0.01, rho=0.0), steps=50'],
            "quadratic",
            [1.0, 0.0],
            50,
            rho=0.0,
        ),
        _run(
            ["turned = ((-2.0 - 1.0) / 2**0.5, (-2.0 + 1.0) / 2**0.5)", "optimizer=rmsprop(lr=0.03), steps=2000"],
            "rotated",
            TURNED,
            2000,
            lr=0.03,
        ),
        _run(
            ["x0=[1.0, 0.0], optimizer=rmsprop(lr=100.0, eps=1e4), steps=500"],
            "quadratic",
            [1.0, 0.0],
            500,
            lr=100.0,
            eps=1e4,
        ),
        _run(['path = trace("quadratic", x0=[1.0, 0.0], steps=1000)'], "quadratic", [1.0, 0.0], 1000),
        _run(
            ["x0=[1.0, 0.0], optimizer=rmsprop(lr=0.2, rho=0.96, eps=1e-12), steps=1"],
            "quadratic",
            [1.0, 0.0],
            1,
            lr=0.2,
            rho=0.96,
            eps=1e-12,
        ),
    ],
}
LINKS = [(page, i) for page, runs in PAGE_RUNS.items() for i in range(len(runs))]


def _flat(text: str) -> str:
    return " ".join(text.replace("(\n", "(").replace(",\n", ", ").split()).replace("( ", "(").replace(", )", ")")


def test_each_try_link_follows_the_code_it_names():
    """The table above is the pages' own: each link sits after the code whose settings it lists."""
    for page, runs in PAGE_RUNS.items():
        source = (DOCS / f"{page}.md").read_text()
        pieces = source.split(f"[{TRY}](")
        assert len(pieces) - 1 == len(runs), (page, len(pieces) - 1)
        for run, before in zip(runs, pieces[:-1], strict=True):
            above = _flat(before)
            for snippet in run["snippets"]:
                assert _flat(snippet) in above, (page, snippet)
    pages_with_links = {p.stem for p in DOCS.glob("*.md") if f"[{TRY}](" in p.read_text()}
    assert pages_with_links == set(PAGE_RUNS)


def _library_config(run: dict, optimizer_id: str) -> dict:
    config = {"problem": run["problem"], "x0": run["x0"], "steps": run["steps"], "lr": run["lr"]}
    if run["schedule"]:
        config["schedule"] = run["schedule"]
    if optimizer_id == "adagrad":
        return {**config, "optimizer": "adagrad", "eps": run["eps"]}
    if optimizer_id == "gradient_descent":
        return {**config, "optimizer": "gradient_descent"}
    assert optimizer_id.startswith("rmsprop-")
    options = {k: run[k] for k in ("rho", "eps", "momentum", "centered", "weight_decay")}
    return {**config, **options, "optimizer": "rmsprop", "convention": optimizer_id.removeprefix("rmsprop-")}


@pytest.mark.parametrize(("source", "index"), LINKS, ids=[f"{p}-{i + 1}" for p, i in LINKS])
def test_try_it_links_open_the_pages_settings(browser, site_url, source, index):
    run = PAGE_RUNS[source][index]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site_url}{source}/", wait_until="networkidle")
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    links = page.get_by_role("link", name=TRY, exact=True)
    assert links.count() == len(PAGE_RUNS[source])
    links.nth(index).click()  # Material's instant navigation, as a reader's click
    page.wait_for_url("**/playground/?*")
    page.wait_for_function("() => window.rmspropDocs && window.rmspropDocs.playground")
    wait_until_drawn(page)
    state = page.evaluate("() => window.rmspropDocs.playground.state()")
    for key in ("problem", "x0", "steps", "optimizers", "lr", "rho", "eps", "momentum", "centered", "weight_decay"):
        assert state[key] == run[key], (key, state[key], run[key])
    schedule_ = run["schedule"] or {"kind": "constant"}
    assert state["schedule"] == schedule_["kind"]
    for name, value in schedule_.items():
        if name != "kind":
            assert state[name] == value, (name, state[name], value)
    drawn = page.evaluate("() => window.rmspropDocs.playground.drawn()")
    assert [d["id"] for d in drawn] == run["optimizers"]
    for d in drawn:
        theirs = library(_library_config(run, d["id"]))
        assert "points" in theirs and d["error"] is None, (d["id"], theirs, d["error"])
        ours = np.array(d["points"], dtype=np.float64)
        assert ours.shape == theirs["points"].shape == (run["steps"] + 1, len(run["x0"]))
        assert np.allclose(ours, theirs["points"], rtol=0, atol=1e-12), (source, index, d["id"])
        if not run["schedule"]:
            assert np.array_equal(ours, theirs["points"])
    summary = page.locator("[aria-live=polite]")
    page.wait_for_function("() => document.querySelector('[aria-live=polite]').textContent.includes('after')")
    assert f"after {run['steps']} steps" in summary.inner_text()
    assert errors == []
    context.close()


# ---------------------------------------------------------------- the budgets (scripts/bench_playground.py)


def test_the_benchmark_measures_the_extra_transfer_and_the_frames(browser, site_url):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
    import bench_playground

    total, per_file, outside = bench_playground.extra_transfer(browser, site_url)
    assert outside == []
    # the playground's own files, and none of the theme's, which every page loads
    assert {"/javascripts/playground/core.js", "/javascripts/playground/ui.js", "/stylesheets/playground.css"} <= set(
        per_file
    )
    assert not [p for p in per_file if p.startswith("/assets/")], per_file
    assert 10_000 < total <= bench_playground.EXTRA_TARGET, per_file
    frames = bench_playground.frames_per_second(browser, site_url)
    # every path ran all its steps, and the animation was drawn over seconds, frame by frame; whether that
    # reaches 55 fps is the benchmark's to say (python scripts/bench_playground.py), not a test's
    assert frames["paths"] == [bench_playground.STEPS] * 4 and frames["shown"] == bench_playground.STEPS
    assert 3.0 <= frames["seconds"] <= 8.0, frames
    assert frames["fps"] >= 30, frames
    # the repaint after a slider move, all seven optimizers run again in the worker; the budget is the
    # benchmark's to judge on an idle machine
    for steps, repaint in bench_playground.repaint_times(browser, site_url).items():
        assert repaint["paths"] == [steps] * 7 and repaint["threaded"] and 0 < repaint["median"] < 5000, repaint


# ---------------------------------------------------------------- the default view, per-optimizer settings, views

SHOWN = "async () => await window.rmspropDocs.shown()"
FAIR = {"lrs": np.geomspace(1e-3, 10, 21), "steps": 5000, "tol": 0.01}
LIBRARY_OPTIMIZERS = {"gradient_descent": gradient_descent, "adagrad": adagrad, "adam": adam, "rmsprop": rmsprop}


def test_the_default_view_is_per_coordinate_scaling_on_the_bowl_each_at_its_best_rate(browser, site_url):
    page = open_playground(browser, site_url, reduced_motion="reduce")
    paths = page.evaluate(SHOWN)
    assert [p["optimizer"] for p in paths] == ["rmsprop-pytorch", "gradient_descent"]
    for p in paths:
        config = p["config"]
        assert config["problem"] == "bowl" and config["x0"] == [-5.0, -2.0]
        name = config["optimizer"]
        best = best_learning_rate(
            "bowl", (-5.0, -2.0), FAIR["steps"], FAIR["lrs"], tol=FAIR["tol"], optimizer=LIBRARY_OPTIMIZERS[name]
        )
        assert config["lr"] == best.lr, (name, config["lr"], best)
        ours = np.array(p["points"], dtype=np.float64)
        theirs = library(config)["points"]
        assert np.array_equal(ours, theirs), name
        if name == "rmsprop":  # trace(config) gives the same points
            assert np.array_equal(np.array(in_page(page, config)["points"]), theirs)
    (xa, xb), (ya, yb) = page.evaluate("() => window.rmspropDocs.playground.bounds()")
    first = [np.array(p["points"][:101]) for p in paths]
    apart = np.linalg.norm(first[0] - first[1], axis=1).max()
    assert apart >= max(xb - xa, yb - ya) / 10, apart
    assert page.errors == []
    page.context.close()


def test_each_at_its_best_rate_gives_the_librarys_best_learning_rate(browser, site_url):
    cases = [
        ("elongated", [-2.0, 1.0], ["rmsprop-pytorch", "gradient_descent", "adagrad", "adam"]),
        ("rosenbrock", [-1.0, 1.0], ["rmsprop-pytorch", "gradient_descent"]),
    ]
    for problem, x0, optimizers in cases:
        query = f"?problem={problem}&x0={x0[0]},{x0[1]}&optimizers={','.join(optimizers)}"
        page = open_playground(browser, site_url, query, reduced_motion="reduce")
        ours = page.evaluate("async () => await window.rmspropDocs.playground.best()")
        wait_until_drawn(page)
        drawn = {d["id"]: d["config"] for d in page.evaluate("() => window.rmspropDocs.playground.drawn()")}
        for oid, result in zip(optimizers, ours, strict=True):
            name = "rmsprop" if oid.startswith("rmsprop") else oid
            extra = {"eps": 1e-10} if oid == "adagrad" else {}
            theirs = best_learning_rate(
                problem, x0, FAIR["steps"], FAIR["lrs"], tol=FAIR["tol"], optimizer=LIBRARY_OPTIMIZERS[name], **extra
            )
            assert (result["lr"], result["steps"]) == (theirs.lr, theirs.steps), (problem, oid, result, theirs)
            if theirs.lr is not None:
                assert drawn[oid]["lr"] == theirs.lr
        assert page.errors == []
        page.context.close()


def test_hyperparameters_are_per_optimizer_with_their_own_defaults(browser, site_url):
    query = "?problem=rosenbrock&x0=-1.5,2&optimizers=rmsprop-pytorch,adam,gradient_descent&gradient_descent.lr=0.0005"
    page = open_playground(browser, site_url, query, reduced_motion="reduce")
    wait_until_drawn(page)
    configs = {d["id"]: d["config"] for d in page.evaluate("() => window.rmspropDocs.playground.drawn()")}
    assert configs["adam"]["beta1"] == 0.9 and configs["adam"]["beta2"] == 0.999 and configs["adam"]["lr"] == 0.001
    assert "rho" not in configs["adam"]
    assert configs["rmsprop-pytorch"]["lr"] == 0.01 and configs["gradient_descent"]["lr"] == 0.0005
    # the sliders set the optimizer chosen under "Settings of"
    page.get_by_role("combobox", name="Settings of").select_option("adam")
    assert page.get_by_role("spinbutton", name="β₂ (second moment)").input_value() == "0.999"
    assert not page.get_by_role("slider", name="Decay ρ (slider)").is_visible()
    page.get_by_role("slider", name="Learning rate η (slider)").focus()
    page.keyboard.press("ArrowRight")
    wait_until_drawn(page)
    configs = {d["id"]: d["config"] for d in page.evaluate("() => window.rmspropDocs.playground.drawn()")}
    assert configs["adam"]["lr"] == 0.00112 and configs["rmsprop-pytorch"]["lr"] == 0.01
    assert "adam.lr=0.00112" in page.evaluate("() => window.rmspropDocs.playground.address()")
    drawn_equals_library(page)
    page.context.close()


def test_one_variable_views_zoom_to_the_path_and_two_variable_axes_share_one_scale(browser, site_url):
    page = open_playground(
        browser, site_url, "?problem=cubic&x0=-1&optimizers=rmsprop-pytorch", reduced_motion="reduce"
    )
    wait_until_drawn(page)
    (xa, xb), _ = page.evaluate("() => window.rmspropDocs.playground.bounds()")
    assert -1.2 < xa < -1.0 and -0.577 < xb < -0.4, (xa, xb)
    path = page.locator(".pg-path").first.bounding_box()
    assert path["width"] > 200 and path["height"] > 150, path  # a curve across the plot, not a 25 px smear
    for problem in ("bowl", "rosenbrock", "elongated", "beale"):
        page.evaluate(f"() => window.rmspropDocs.playground.load('?problem={problem}')")
        wait_until_drawn(page)
        (a, b), (c, d) = page.evaluate("() => window.rmspropDocs.playground.screenOf([[0, 0], [1, 1]])")
        assert abs(abs(c - a) - abs(d - b)) < 1e-6 * abs(c - a), (problem, a, b, c, d)
    page.context.close()


def test_the_legend_names_the_paths_and_coinciding_paths_are_said_to_coincide(browser, site_url):
    # the heavy ball without momentum is gradient descent, point for point
    query = "?problem=quadratic&x0=1,0&optimizers=gradient_descent,heavy_ball&momentum=0"
    page = open_playground(browser, site_url, query, reduced_motion="reduce")
    wait_until_drawn(page)
    legend = page.evaluate("() => [...document.querySelectorAll('.pg-legend text')].map(t => t.textContent)")
    assert legend == ["Gradient descent", "Momentum (heavy ball)"]
    note = page.locator(".pg-coincide").inner_text()
    assert "Gradient descent's path lies under Momentum (heavy ball)'s: the two runs have the same points" in note
    page.evaluate(
        "() => window.rmspropDocs.playground.load('?problem=quadratic&optimizers=rmsprop-pytorch,gradient_descent')"
    )
    wait_until_drawn(page)
    assert not page.locator(".pg-coincide").is_visible()
    readouts = page.locator(".pg-readout").all_inner_texts()
    path = trace("quadratic", [1.0, 0.0], rmsprop(), 1000)
    assert f"First within 0.001 at step {path.steps_to(0.001)}; ends {path.distances[-1]:.3g} away" in readouts[0]
    page.context.close()


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
