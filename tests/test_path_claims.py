"""Claims of the learning-path pages, checked apart from the pages' own code blocks.

Each test names the page and the sentence it holds true, so that a change in the
library that breaks a sentence fails here even if the page's printed output is
rewritten.
"""

from __future__ import annotations

import pathlib
import re

import mpmath
import numpy as np
import pytest

from rmsprop_docs import rmsprop, schedule, trace
from rmsprop_docs.learning.compare import batch_study
from rmsprop_docs.optimizers import frameworks

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
PATH_PAGES = ("one-variable", "two-variables", "why-rmsprop", "hyperparameters", "variants", "minibatch")
PROSE_BUDGET = 1200  # words a reader sees without opening a collapsed block


def visible_words(text: str) -> int:
    """Whitespace tokens with a letter or digit, outside code, Output blocks, math and collapsed blocks."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    kept, skip, fence = [], None, None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = re.match(r"\s*(`{3,}|~{3,})", line)
        if opening:
            fence = opening.group(1)
            continue
        if skip is not None:
            if line.strip() == "" or indent > skip:
                continue
            skip = None
        if re.match(r"\s*\?\?\?(?!\+)", line):
            skip = indent
            continue
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\\\[.*?\\\]", "", text, flags=re.S)
    text = re.sub(r"\\\(.*?\\\)", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\[\[figure[^|\]]*\|", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return sum(1 for word in text.split() if re.search(r"[A-Za-z0-9]", word))


@pytest.mark.parametrize("page", PATH_PAGES)
def test_visible_prose_fits_the_budget(page):
    """Every path page teaches one idea in view; proofs and rounding stories sit in collapsed blocks."""
    assert visible_words((DOCS / f"{page}.md").read_text()) <= PROSE_BUDGET


def test_the_measure_skips_code_math_and_collapsed_blocks():
    text = 'One two.\n\n```python\nx = 1\n```\n\n\\(a + b\\)\n\n??? note "Deeper"\n\n    hidden words\n\nthree'
    assert visible_words(text) == 3


@pytest.mark.parametrize("page", [*PATH_PAGES, "exercises"])
def test_the_post_is_introduced_where_it_is_first_named(page):
    text = (DOCS / f"{page}.md").read_text()
    assert not re.search(r"\bthe post\b", text, flags=re.I)
    first = re.search(r"original (blog )?post", text)
    if first:  # inside a link's text, and the link goes to the references page
        before, after = text[: first.start()], text[first.end() :]
        assert before.rfind("[") > before.rfind("]")
        assert after.split("]", 1)[1].startswith("(references.md#post)")


def test_a_cosine_schedule_with_a_floor_ends_in_the_floors_cycle():
    """one-variable.md: down to lr_min = 0.004 the cubic ends about lr_min/2 = 0.002 from the minimum
    (30 digits), float64 lands by rounding, and the quadratic cycles 2.8e-3 away."""
    cosine = schedule("cosine", 0.01, horizon=3000, lr_min=0.004)
    exact = trace("cubic", x0=[-1.0], optimizer=rmsprop(lr=cosine), steps=3000, digits=30)
    with mpmath.workdps(30):
        offsets = sorted(float(x - exact.problem.exact_minimum()[0]) for x in exact.points[-2:, 0])
    assert offsets == [pytest.approx(-0.002, rel=0.01), pytest.approx(0.002, rel=0.01)]
    landed = trace("cubic", x0=[-1.0], optimizer=rmsprop(lr=cosine), steps=3000)
    assert landed.final[0] == -0.5773502691896257 and 1 - 3 * landed.final[0] ** 2 == 0.0
    bowl = trace("quadratic", x0=[1.0, 0.0], optimizer=rmsprop(lr=cosine), steps=3000)
    assert bowl.distances[-1] == pytest.approx(0.002 * 2**0.5, rel=0.01)


def test_only_a_rate_that_decays_to_zero_converges():
    """one-variable.md: the exponential schedule ends far closer than the cosine one with a floor."""
    exponential = trace(
        "cubic", x0=[-1.0], optimizer=rmsprop(lr=schedule("exponential", 0.01, gamma=0.995)), steps=2000, digits=30
    )
    assert float(exponential.distances[-1]) < 1e-6


def _hinton_drift(divisor: str, rho: float = 0.9) -> float:
    cycle = [0.1] * 9 + [-0.9]
    w, v, path = 0.0, 0.09, []
    for t in range(5000):
        g = cycle[t % 10]
        new = rho * v + (1 - rho) * g * g
        w -= 0.01 * g / (np.sqrt({"current": new, "previous": v, "fixed": 0.09}[divisor]) + 1e-8)
        v = new
        path.append(w)
    return path[-1] - path[-11]


@pytest.mark.parametrize("rho", [0.9, 0.99])
def test_rmsprops_drift_comes_from_a_divisor_that_changes_within_the_round(rho):
    """minibatch.md: dividing by v_{t-1} instead of v_t reverses the drift and keeps about its size;
    a fixed divisor has none."""
    current, previous = _hinton_drift("current", rho), _hinton_drift("previous", rho)
    assert current < 0 < previous
    assert previous == pytest.approx(-current, rel=0.15)
    assert abs(_hinton_drift("fixed", rho)) < 1e-15


def test_rprop_wins_the_full_batch_only_on_training_loss():
    """minibatch.md: at full batch Rprop's training loss is lowest, its test loss about 22, and its test
    accuracy the worst of the three."""
    rows = {r["label"]: r for r in batch_study()["results"] if r["batch_size"] == 1078}
    median = {
        label: {k: np.median(r[k]) for k in ("train_loss", "test_loss", "test_accuracy")} for label, r in rows.items()
    }
    assert min(median, key=lambda k: median[k]["train_loss"]) == "Rprop"
    assert median["Rprop"]["test_loss"] == pytest.approx(22, abs=0.5)
    assert min(median, key=lambda k: median[k]["test_accuracy"]) == "Rprop"
    assert all(median[k]["test_loss"] * 10 < median["Rprop"]["test_loss"] for k in median if k != "Rprop")


def test_the_leaky_averages_weights_sum_to_one_minus_rho_to_the_t():
    """why-rmsprop.md: a squared gradient k steps old carries weight (1 - rho) rho^k; they sum to 1 - rho^t."""
    for rho, steps in ((0.9, 5), (0.99, 30)):
        run = trace("quadratic", x0=[1.0, 0.0], optimizer=rmsprop(rho=rho), steps=steps)
        weights = (1 - rho) * rho ** np.arange(steps)
        unrolled = (weights[:, None] * run.grads[::-1] ** 2).sum(axis=0)
        np.testing.assert_allclose(unrolled, run.accumulators[-1], rtol=1e-14)
        assert weights.sum() == pytest.approx(1 - rho**steps, rel=1e-12)


def test_the_recipes_defaults_are_the_records():
    """hyperparameters.md: PyTorch lr 0.01, alpha 0.99, eps 1e-8 outside the root; Keras 3 learning_rate
    0.001, rho 0.9, epsilon 1e-7 inside it."""
    torch, keras = frameworks.get("pytorch"), frameworks.get("keras")
    assert (torch.defaults["lr"], torch.defaults["alpha"], torch.defaults["eps"]) == (0.01, 0.99, 1e-8)
    assert (keras.defaults["learning_rate"], keras.defaults["rho"], keras.defaults["epsilon"]) == (0.001, 0.9, 1e-7)
    assert frameworks.resolve(torch, {}).convention.eps == "outside"
    assert frameworks.resolve(keras, {}).convention.eps == "inside"


def test_nesterov_overshoots_less_on_the_bowl():
    """variants.md: through Optax's emulation on the bowl from (-5, -2), Nesterov overshoots less and first
    arrives in about half the steps."""
    runs = {
        nesterov: trace(
            "bowl",
            x0=[-5.0, -2.0],
            optimizer=frameworks.optimizer("optax", learning_rate=0.1, momentum=0.9, nesterov=nesterov),
            steps=300,
        )
        for nesterov in (False, True)
    }
    assert runs[True].points[:, 0].max() < runs[False].points[:, 0].max()
    assert runs[True].steps_to(0.05) <= runs[False].steps_to(0.05) / 2 + 1


def test_momentum_helps_along_rosenbrocks_valley():
    """variants.md: at lr 0.0025 momentum 0.9 brings RMSprop within 0.05 of (1, 1) over ten times sooner."""
    plain = trace("rosenbrock", x0=[-1.0, 1.0], optimizer=rmsprop(lr=0.0025), steps=5000)
    heavy = trace("rosenbrock", x0=[-1.0, 1.0], optimizer=rmsprop(lr=0.0025, momentum=0.9), steps=5000)
    assert heavy.steps_to(0.05) * 10 < plain.steps_to(0.05)


def test_gradient_descent_follows_rmsprops_line_on_the_quadratic():
    """two-variables.md: from (1, 0) both stay on x + y = 1 (up to rounding) while they approach."""
    from rmsprop_docs import gradient_descent

    gd = trace("quadratic", x0=[1.0, 0.0], optimizer=gradient_descent(lr=0.01), steps=1000)
    rms = trace("quadratic", x0=[1.0, 0.0], steps=1000)
    assert np.abs(gd.points.sum(axis=1) - 1).max() < 1e-15
    assert np.abs(rms.points[:150].sum(axis=1) - 1).max() < 1e-15
