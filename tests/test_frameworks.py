"""The core against trajectories recorded from torch.optim.RMSprop and Keras 3.

The fixtures come from scripts/make_framework_fixtures.py (torch 2.13.0 and
Keras 3 on the torch backend, float64), run by hand; neither framework is a
dependency of this project.

Tolerance: 1e-9 over the first 80 steps.  Past that, close to a minimum, the
gradients are ~1e-16 and two correct implementations that round differently
(torch's vectorised kernels use fused multiply-adds) drift apart; the same
happens early on starts where rounding is amplified, which is why the fixtures
avoid them (see test_rounding_is_amplified_on_chaotic_starts).
"""

import json

import numpy as np
import pytest

from conftest import FIXTURES
from rmsprop_docs import rmsprop, trace
from rmsprop_docs.optimizers import rmsprop_from

DOCUMENT = json.loads((FIXTURES / "frameworks.json").read_text())
CASES = DOCUMENT["cases"]
COMPARED_STEPS = 80
TOLERANCE = 1e-9


def case_id(case):
    options = "+".join(k for k in ("centered", "momentum", "weight_decay") if case.get(k)) or "plain"
    return f"{case['framework']}-{case['problem']}-{case['x0']}-lr{case['lr']}-{options}"


def core_points(case, steps):
    optimizer = rmsprop_from({**case, "convention": case["framework"]})
    return trace(case["problem"], case["x0"], optimizer, steps=steps).points


def test_fixtures_cover_frameworks_options_problems_and_starts():
    assert DOCUMENT["versions"]["torch"].startswith("2.13.0")
    assert DOCUMENT["versions"]["keras"].startswith("3.")
    assert DOCUMENT["dtype"] == "float64"
    assert DOCUMENT["steps"] >= COMPARED_STEPS
    assert {c["framework"] for c in CASES} == {"pytorch", "keras"}
    assert len({c["problem"] for c in CASES}) >= 3
    for framework in ("pytorch", "keras"):
        mine = [c for c in CASES if c["framework"] == framework]
        assert any(c.get("centered") for c in mine)
        assert any(c.get("momentum") for c in mine)
        assert any(c.get("weight_decay") for c in mine)
        assert len({(c["problem"], tuple(c["x0"])) for c in mine}) >= 6


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_core_matches_framework_trajectory(case):
    reference = np.array(case["points"])
    mine = core_points(case, len(reference) - 1)
    assert mine.shape == reference.shape
    np.testing.assert_allclose(mine[: COMPARED_STEPS + 1], reference[: COMPARED_STEPS + 1], rtol=0, atol=TOLERANCE)
    # The runs really move: an optimizer that did nothing would fail above,
    # but say so plainly.
    assert np.abs(reference[COMPARED_STEPS] - reference[0]).max() > 1e-3


def test_conventions_are_distinguishable_on_the_fixtures():
    # Running a Keras case with PyTorch's arithmetic must fail the comparison,
    # or the test above would prove nothing about conventions.
    case = next(c for c in CASES if c["framework"] == "keras" and c["eps"] >= 1e-3 and not c.get("momentum"))
    wrong = dict(case, framework="pytorch")
    assert np.abs(core_points(wrong, COMPARED_STEPS) - np.array(case["points"][: COMPARED_STEPS + 1])).max() > 1e-6


def test_rounding_is_amplified_on_chaotic_starts():
    # From (-1.5, 2) on Rosenbrock a one-ulp change of the start grows past
    # 1e-9 within 80 steps: no tolerance could compare such runs.
    x0 = np.array([-1.5, 2.0])
    a = trace("rosenbrock", x0, rmsprop(centered=True), steps=COMPARED_STEPS).points
    b = trace("rosenbrock", np.nextafter(x0, 10), rmsprop(centered=True), steps=COMPARED_STEPS).points
    assert np.abs(a - b).max() > TOLERANCE
