"""What the playground's browser tests share: opening the page, the page's run of a configuration
beside the library's, and reading back what is drawn."""

from __future__ import annotations

import pathlib
import sys
import urllib.parse

import numpy as np

from rmsprop_docs import DivergenceError, adagrad, adam, gradient_descent, rmsprop, schedule, sgd, trace

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
    page.goto(site_url + "playground/" + query, wait_until="load")
    page.wait_for_function("() => window.rmspropDocs && window.rmspropDocs.playground")
    return page


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


def in_page_all(page, configs: list[dict]) -> list[dict]:
    """``in_page`` of each configuration, in one round trip to the page."""
    return page.evaluate(f"(configs) => configs.map({JS_TRACE})", configs)


def assert_all_same(page, configs: list[dict]) -> None:
    """``assert_same`` for each configuration, the page's runs fetched in one round trip."""
    for config, ours in zip(configs, in_page_all(page, configs), strict=True):
        assert_same(page, config, ours=ours)


def assert_same(page, config: dict, rtol: float = 0.0, theirs: dict | None = None, ours: dict | None = None) -> None:
    """The page's run of ``config`` (``ours``, when already fetched) is the library's (``theirs``, when already
    computed)."""
    ours = in_page(page, config) if ours is None else ours
    theirs = library(config) if theirs is None else theirs
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
    # the contours are computed off the main thread: wait for them (a page that never draws them times out)
    page.wait_for_function(
        "() => (document.querySelector('.pg-backdrop .pg-contours')?.getAttribute('d') || '').length > 1000",
        timeout=20000,
    )
