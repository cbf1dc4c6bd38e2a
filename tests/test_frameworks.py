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


# --- Every framework's RMSprop against its own recorded runs -------------------------------------------------------
#
# tests/fixtures/frameworks/<name>.json holds 100-step runs recorded from the real class (scripts/fixtures/), called
# with the framework's own keyword arguments, as Python floats ("python") or float64 tensors ("float64").  The
# emulation must follow every step within CONTRACT_TOLERANCE; in fact it agrees to ~1e-12 or to the bit.

from rmsprop_docs.optimizers import frameworks  # noqa: E402

FRAMEWORK_DIR = FIXTURES / "frameworks"
RECORDINGS = {
    name: json.loads((FRAMEWORK_DIR / f"{name}.json").read_text())
    for name in frameworks.FRAMEWORKS
    if (FRAMEWORK_DIR / f"{name}.json").exists()
}
RECORDED_CASES = [(name, case) for name, doc in RECORDINGS.items() for case in doc["cases"]]
CONTRACT_TOLERANCE = 5e-9
SITE_STARTS = {"cubic": [-1.0], "quadratic": [1.0, 0.0], "rosenbrock": [-1.0, 1.0]}


def recorded_id(item):
    name, case = item
    options = ",".join(f"{k}={v}" for k, v in case["kwargs"].items()) or "defaults"
    backend = f"[{case['backend']}]" if "backend" in case else ""
    return f"{name}{backend}-{case['problem']}-{options}-{case['hyperparameters_as']}"


def emulated_points(name, case, **changes):
    settings = {"hyperparameters_as": case["hyperparameters_as"], "backend": case.get("backend"), **changes}
    opt = frameworks.optimizer(name, **settings, **case["kwargs"])
    return trace(case["problem"], case["x0"], opt, steps=len(case["points"]) - 1).points


# How many leading points of each case the emulation reproduces to the bit: a regression pin, written by
# scripts/fixtures/pin_exact_steps.py.  A tolerance cannot see an operation done in another order (it moves a
# point by an ulp); this can.  220 of the 285 cases agree at every step; the rest part by an ulp where the
# framework's kernel rounds in a way NumPy does not reproduce (torch's addcdiv and lerp, Keras' float32 weight
# decay), and never by more than CONTRACT_TOLERANCE.
EXACT_STEPS_FILE = FIXTURES / "frameworks-exact-steps.json"
EXACT_STEPS = json.loads(EXACT_STEPS_FILE.read_text()) if EXACT_STEPS_FILE.exists() else {}


def leading_exact_points(name, case, points=None):
    mine = emulated_points(name, case) if points is None else points
    differs = np.flatnonzero(np.any(mine != np.array(case["points"]), axis=1))
    return int(differs[0]) if differs.size else len(case["points"])


def test_every_framework_has_a_recording_and_every_recording_a_framework():
    files = {p.stem for p in FRAMEWORK_DIR.glob("*.json") if p.stem != "snippets"}
    assert files == set(frameworks.FRAMEWORKS)
    assert set(RECORDINGS) == set(frameworks.FRAMEWORKS)


@pytest.mark.parametrize("name", list(frameworks.FRAMEWORKS))
def test_record_names_the_recorded_class_version_and_defaults(name):
    record, doc = frameworks.FRAMEWORKS[name], RECORDINGS[name]
    assert doc["framework"] == name and doc["class"] == record.emulates
    package, version = record.version.split()
    assert doc["versions"][package] == version or doc["versions"][package].startswith(version + "+")
    # The record's keywords are the class's own, with the class's defaults; the rest are named as not emulated.
    recorded = doc["defaults"]
    for key, default in record.defaults.items():
        assert recorded[key] == default, key
    assert set(record.defaults) <= set(recorded) <= set(record.defaults) | set(record.not_emulated)
    assert doc["steps"] == 100


def test_keras_backends_are_the_recorded_ones():
    record, doc = frameworks.KERAS, RECORDINGS["keras"]
    assert [b.name for b in record.backends] == ["tensorflow", "torch", "jax"]
    assert set(doc["versions"]["backend_list"]) == {b.name for b in record.backends}
    for backend in record.backends:
        package, version = backend.version.split()
        assert doc["versions"]["backends"][backend.name][package].startswith(version)


@pytest.mark.parametrize("item", RECORDED_CASES, ids=[recorded_id(c) for c in RECORDED_CASES])
def test_emulation_follows_every_recorded_step(item):
    name, case = item
    reference = np.array(case["points"])
    mine = emulated_points(name, case)
    assert mine.shape == reference.shape == (101, len(case["x0"]))
    assert np.abs(mine - reference).max() <= CONTRACT_TOLERANCE
    assert np.abs(reference[-1] - reference[0]).max() > 1e-3  # the run really moves
    assert leading_exact_points(name, case, mine) >= EXACT_STEPS[recorded_id(item)]  # to the bit as long as pinned


def test_recordings_cover_the_site_problems_and_each_framework_options():
    for name, doc in RECORDINGS.items():
        runs = {(c["problem"], tuple(c["x0"])) for c in doc["cases"]}
        assert runs == {(p, tuple(x)) for p, x in SITE_STARTS.items()}, name
        keys = {k for c in doc["cases"] for k in c["kwargs"]}
        record = frameworks.FRAMEWORKS[name]
        flags = {o.name for o in record.options if o.means in ("momentum", "centered", "weight_decay")}
        assert flags <= keys, (name, flags - keys)


@pytest.mark.parametrize("name", [n for n, doc in RECORDINGS.items() if doc.get("one_step")])
def test_one_step_vectors(name):
    vectors = [v for v in RECORDINGS[name]["one_step"] if v["dtype"] == "float64"]
    assert vectors
    for vector in vectors:
        opt = frameworks.optimizer(
            name,
            hyperparameters_as=vector.get("hyperparameters_as", "python"),
            backend=vector.get("backend"),
            **vector["kwargs"],
        )
        x = np.array(vector["x0"])
        delta, _ = opt.update(np.array(vector["grad"]), opt.init(x), x)
        assert (x + delta).tolist() == vector["x1"]


def test_the_documented_one_step_numbers():
    def step(name, as_="python", **kwargs):
        opt = frameworks.optimizer(name, hyperparameters_as=as_, **kwargs)
        x = np.array([10.0])
        return float((x + opt.update(x, opt.init(x), x)[0])[0])

    assert step("keras", learning_rate=0.1) == 9.683772235564302
    assert step("tf-compat-v1", learning_rate=0.1, decay=0.9, epsilon=1e-10) == 9.697108761875104
    assert step("tf-compat-v1", "float64", learning_rate=0.1, decay=0.9, epsilon=1e-10) == 9.697108733593698
    assert step("pytorch", lr=0.1) == 9.00000001


def test_float32_hyperparameters_are_visible_in_the_recordings():
    # The same TF1 call with Python floats and with float64 tensors: recorded runs that differ by more than the
    # tolerance, each matched only by its own emulation.
    doc = RECORDINGS["tf-compat-v1"]
    python = next(c for c in doc["cases"] if c["hyperparameters_as"] == "python" and c["problem"] == "quadratic")
    tensors = next(
        c
        for c in doc["cases"]
        if c["hyperparameters_as"] == "float64" and c["kwargs"] == python["kwargs"] and c["problem"] == "quadratic"
    )
    assert np.abs(np.array(python["points"]) - np.array(tensors["points"])).max() > CONTRACT_TOLERANCE
    swapped = emulated_points("tf-compat-v1", python, hyperparameters_as="float64")
    assert np.abs(swapped - np.array(python["points"])).max() > CONTRACT_TOLERANCE


def test_the_documented_agreement_of_each_framework():
    # The frameworks page's "in fact" figures: the worst step of each framework's recordings.
    worst: dict[str, float] = {}
    for name, case in RECORDED_CASES:
        if name == "optax" and case["kwargs"].get("centered") and case["kwargs"].get("bias_correction"):
            name = "optax centered with bias correction"
        gap = float(np.abs(emulated_points(name.split()[0], case) - np.array(case["points"])).max())
        worst[name] = max(worst.get(name, 0.0), gap)
    assert {n: worst[n] for n in ("tf-compat-v1", "tf-keras-legacy", "mlx", "paddle")} == dict.fromkeys(
        ("tf-compat-v1", "tf-keras-legacy", "mlx", "paddle"), 0.0
    )
    assert 1e-15 < worst["tf-keras"] < 1e-14
    assert worst["optax"] < 1e-15 and 1e-12 < worst["optax centered with bias correction"] < 1e-11
    assert all(1e-13 < worst[n] < 2e-12 for n in ("pytorch", "keras"))


def test_tf1_float32_hyperparameters_show_in_most_recorded_pairs():
    doc = RECORDINGS["tf-compat-v1"]
    gaps = [
        np.abs(np.array(python["points"]) - np.array(tensors["points"])).max()
        for python in doc["cases"]
        if python["hyperparameters_as"] == "python"
        for tensors in doc["cases"]
        if tensors["hyperparameters_as"] == "float64"
        and (tensors["kwargs"], tensors["problem"]) == (python["kwargs"], python["problem"])
    ]
    assert len(gaps) == 18 and min(gaps) > 0
    assert sum(gap > CONTRACT_TOLERANCE for gap in gaps) == 15 and 2e-7 < max(gaps) < 4e-7


def test_keras_backends_differ_within_the_tolerance_and_only_the_float32_emulation_follows_tensorflow():
    doc = RECORDINGS["keras"]
    compared = 0
    for case in doc["cases"]:
        if case["backend"] != "tensorflow" or not case["kwargs"].get("weight_decay"):
            continue
        jax = next(
            (
                c
                for c in doc["cases"]
                if c["backend"] == "jax"
                and (c["kwargs"], c["problem"], c["hyperparameters_as"])
                == (case["kwargs"], case["problem"], case["hyperparameters_as"])
            ),
            None,
        )
        if jax is None:  # recorded on the TensorFlow backend only (tensor hyperparameters)
            continue
        compared += 1
        recorded = np.array(case["points"])
        between = np.abs(recorded - np.array(jax["points"])).max()
        own = np.abs(emulated_points("keras", case) - recorded).max()
        float64_decay = np.abs(emulated_points("keras", case, backend="jax") - recorded).max()
        assert 1e-11 < between < CONTRACT_TOLERANCE and between < 1.7e-9
        assert own < 1e-14 and float64_decay > 1e-11
    assert compared == 6  # weight decay alone and with momentum, on the three problems


def test_keras_tensorflow_backend_holds_weight_decay_in_float32():
    doc = RECORDINGS["keras"]
    case = next(
        c
        for c in doc["cases"]
        if c["backend"] == "tensorflow" and c["kwargs"].get("weight_decay") and c["hyperparameters_as"] == "python"
    )
    exact = emulated_points("keras", case, backend="jax")  # the same call, weight decay in float64
    assert np.abs(exact - np.array(case["points"])).max() > 0
    assert frameworks.resolve("keras", case["kwargs"], backend="tensorflow").convention.float32_hyperparameters == (
        "weight_decay",
    )


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("tf-keras-legacy", "tf-compat-v1"),  # same names and kernel, but v0 = 0 and eps outside without momentum
        ("mlx", "pytorch"),  # same arithmetic, but learning_rate in float32
        ("paddle", "keras"),  # same arithmetic, but rho and epsilon in float32
        ("optax", "keras"),
    ],
)
def test_frameworks_are_distinguishable_on_their_recordings(name, wrong):
    # Another framework's emulation, given the same meanings, misses the recording: the comparison has teeth.
    case = next(c for c in RECORDINGS[name]["cases"] if c["problem"] == "quadratic" and "learning_rate" in c["kwargs"])
    source = frameworks.resolve(name, case["kwargs"])
    target = frameworks.get(wrong)
    kwargs = {target.spelling(m): source.core[m] for m in ("lr", "rho", "eps")}
    if name == "optax":
        kwargs = {**kwargs, "epsilon": 0.1}  # Optax's default arithmetic is Keras'; its eps default is not
    opt = frameworks.optimizer(wrong, **kwargs)
    mine = trace(case["problem"], case["x0"], opt, steps=100).points
    assert np.abs(mine - np.array(case["points"])).max() > CONTRACT_TOLERANCE


@pytest.mark.parametrize(
    ("name", "kwargs", "needle"),
    [
        ("mlx", {"lr": 0.1}, "has no keyword argument 'lr'; it accepts learning_rate, alpha, eps"),
        ("optax", {}, "needs learning_rate"),
        ("pytorch", {"maximize": True}, "maximize is not emulated"),
        ("keras", {"rho": 1.0}, "rho must be in [0, 1)"),
        ("tf-compat-v1", {"learning_rate": -1.0}, "learning_rate must be a finite number > 0"),
        ("optax", {"learning_rate": 0.1, "nesterov": 1}, "nesterov must be True or False"),
    ],
)
def test_framework_mistakes_name_the_framework_keys(name, kwargs, needle):
    with pytest.raises(ValueError, match=None) as error:
        frameworks.optimizer(name, **kwargs)
    assert needle in str(error.value)


def test_backend_only_for_keras_and_hyperparameters_as_checked():
    with pytest.raises(ValueError, match="backend applies to keras"):
        frameworks.optimizer("pytorch", backend="jax")
    with pytest.raises(ValueError, match="backend must be one of tensorflow, torch, jax"):
        frameworks.optimizer("keras", backend="mxnet")
    with pytest.raises(ValueError, match="hyperparameters_as must be one of python, float64"):
        frameworks.optimizer("keras", hyperparameters_as="float16")


# --- The frameworks page: each tab shows the file that was run and the output recorded from it --------------------

import hashlib  # noqa: E402
import pathlib  # noqa: E402
import re  # noqa: E402

from conftest import ROOT  # noqa: E402

PAGE = (ROOT / "docs" / "frameworks.md").read_text()
SNIPPETS = json.loads((FRAMEWORK_DIR / "snippets.json").read_text())
TAB = re.compile(
    r'    --8<-- "docs/snippets/frameworks/(?P<name>[\w-]+)\.py"\n    ```\n\n'
    r'    ```text title="Output"\n(?P<out>.*?)    ```\n',
    re.S,
)


def tab_outputs():
    return {m["name"]: "".join(line[4:] + "\n" for line in m["out"].splitlines()) for m in TAB.finditer(PAGE)}


def test_every_snippet_file_is_on_the_page():
    files = {p.stem for p in (ROOT / "docs" / "snippets" / "frameworks").glob("*.py") if p.stem != "conftest"}
    included = set(re.findall(r'--8<-- "docs/snippets/frameworks/([\w-]+)\.py"', PAGE))
    assert files == included
    assert included <= set(frameworks.FRAMEWORKS)


@pytest.mark.parametrize("key", sorted(SNIPPETS))
def test_tab_shows_the_recorded_file_and_output(key):
    # One recording per run: keras' file is run once per backend (keras-tensorflow, keras-torch, keras-jax).
    entry = SNIPPETS[key]
    name = pathlib.PurePosixPath(entry["file"]).stem
    assert entry["file"] == f"docs/snippets/frameworks/{name}.py" and key.startswith(name)
    code = (ROOT / entry["file"]).read_bytes()
    assert hashlib.sha256(code).hexdigest() == entry["code_sha256"]
    assert tab_outputs()[name] == entry["stdout"]


def test_every_tab_output_is_a_recording():
    # An Output under a framework tab that no recording backs would be a claim nobody checked.
    recorded = {pathlib.PurePosixPath(e["file"]).stem for e in SNIPPETS.values()}
    assert set(tab_outputs()) == recorded


def test_the_page_states_how_many_recorded_runs_match_to_the_bit():
    # The frameworks page's counts, computed from the pinned exact steps: every one of the 101 points bit for bit.
    assert set(EXACT_STEPS) == {recorded_id(item) for item in RECORDED_CASES}
    steps = len(RECORDED_CASES[0][1]["points"])
    whole: dict[str, list[bool]] = {}
    for item in RECORDED_CASES:
        whole.setdefault(item[0], []).append(EXACT_STEPS[recorded_id(item)] == steps)
    full, total = sum(sum(v) for v in whole.values()), len(EXACT_STEPS)
    text = " ".join(PAGE.split())
    assert f"in {full} of the {total} recorded runs every one of the {steps} points" in text
    assert f"in the other {total - full} they part from some step on, by less than \\(10^{{-11}}\\)" in text
    # (the bound: test_the_documented_agreement_of_each_framework)
    labels = {
        "tf-compat-v1": "TF1's",
        "tf-keras-legacy": "the legacy tf-keras optimizer's",
        "paddle": "Paddle's",
        "mlx": "MLX's",
        "optax": "Optax's",
        "keras": "Keras'",
        "tf-keras": "tf-keras'",
        "pytorch": "PyTorch's",
    }
    assert f"Bit for bit at every step: {full} of the {total} runs" in text
    for name, label in labels.items():
        n, of = sum(whole[name]), len(whole[name])
        assert (f"{label} ({of})" if n == of else f"{n} of {label} {of}") in text, name


# --- The records' checks, the call's record, and the frameworks table --------------------------------------------

import dataclasses  # noqa: E402

from rmsprop_docs.optimizers import conventions  # noqa: E402


def test_keras_without_a_backend_is_keras_on_tensorflow():
    # Keras 3 runs on TensorFlow unless KERAS_BACKEND says otherwise: its weight decay is then held in float32.
    assert frameworks.resolve("keras", {}).backend == "tensorflow"
    assert frameworks.optimizer("keras").hyperparameters["backend"] == "tensorflow"
    case = next(
        c
        for c in RECORDINGS["keras"]["cases"]
        if c["backend"] == "tensorflow" and c["kwargs"].get("weight_decay") and c["hyperparameters_as"] == "python"
    )
    unnamed = emulated_points("keras", case, backend=None)
    np.testing.assert_array_equal(unnamed, emulated_points("keras", case))
    assert leading_exact_points("keras", case, unnamed) >= EXACT_STEPS[recorded_id(("keras", case))]
    assert np.abs(unnamed - emulated_points("keras", case, backend="torch")).max() > 0


def test_the_optimizer_records_the_call_in_the_frameworks_spelling():
    opt = frameworks.optimizer("keras", hyperparameters_as="float64", backend="tensorflow", learning_rate=0.1)
    assert opt.hyperparameters == {
        "framework": "keras",
        "class": "keras.optimizers.RMSprop",
        "kwargs": {**frameworks.KERAS.defaults, "learning_rate": 0.1},
        "hyperparameters_as": "float64",
        "backend": "tensorflow",
        "convention": "keras",
        "float32": ["weight_decay"],  # a default left unset is still a Python float, held in float32
    }
    passed = frameworks.optimizer("keras", hyperparameters_as="float64", learning_rate=0.1, weight_decay=0.01)
    assert passed.hyperparameters["float32"] == []  # a float64 tensor weight decay is exact
    torch = frameworks.optimizer("pytorch", alpha=0.9)
    assert "backend" not in torch.hyperparameters
    assert torch.hyperparameters["kwargs"]["alpha"] == 0.9 and torch.hyperparameters["hyperparameters_as"] == "python"


def test_held_value_is_the_float32_neighbour_only_when_held():
    assert frameworks.held_value(0.01, False) == 0.01
    assert frameworks.held_value(0.01, True) == float(np.float32(0.01)) != 0.01
    assert frameworks.held_value(1, False) == 1.0 and isinstance(frameworks.held_value(1, False), float)


def test_a_record_may_be_passed_instead_of_its_name():
    assert frameworks.resolve(frameworks.PYTORCH, {"alpha": 0.9}) == frameworks.resolve("pytorch", {"alpha": 0.9})


def test_an_unknown_framework_names_the_choices():
    with pytest.raises(ValueError, match=r"^framework must be one of pytorch, keras, .*, got 'torch'$"):
        frameworks.get("torch")


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("pytorch", {"alpha": 1.0}, "alpha must be in [0, 1), got 1.0"),
        ("tf-compat-v1", {"learning_rate": 0.1, "decay": -0.5}, "decay must be in [0, 1), got -0.5"),
        ("keras", {"epsilon": 0.0}, "epsilon must be a finite number > 0, got 0.0"),
        ("paddle", {"learning_rate": 0.1, "epsilon": -1e-6}, "epsilon must be a finite number > 0, got -1e-06"),
        ("pytorch", {"weight_decay": -0.1}, "weight_decay must be a finite number >= 0, got -0.1"),
        ("optax", {"learning_rate": 0.1, "initial_scale": -1.0}, "initial_scale must be a finite number >= 0"),
        # Two mistakes: the first in the class's own order is named (Keras: momentum before epsilon; PyTorch the
        # other way round).
        ("keras", {"momentum": 1.0, "epsilon": 0.0}, "momentum must be in [0, 1), got 1.0"),
        ("pytorch", {"momentum": 1.0, "eps": 0.0}, "eps must be a finite number > 0, got 0.0"),
    ],
)
def test_a_value_out_of_range_is_named_in_the_frameworks_spelling(name, kwargs, message):
    with pytest.raises(ValueError) as error:
        frameworks.resolve(name, kwargs)
    assert str(error.value).startswith(message)


def test_every_missing_required_keyword_is_named():
    both = dataclasses.replace(
        frameworks.MLX,
        options=frameworks._options(
            ("learning_rate", frameworks.REQUIRED, "lr"), ("alpha", frameworks.REQUIRED, "rho")
        ),
    )
    with pytest.raises(ValueError, match=r"needs learning_rate, alpha; it accepts learning_rate, alpha$"):
        frameworks.resolve(both, {})


def test_a_class_without_optaxs_extras_gets_their_neutral_values():
    # A choice that reads Optax's extras, for a class that has none of them: eps inside the root, v0 = 0, no
    # Nesterov step, no bias correction (Optax's own defaults); likewise momentum 0 for the legacy Keras choice.
    bare = dataclasses.replace(frameworks.MLX, name="bare", choose=frameworks._optax)
    convention = frameworks.resolve(bare, {"learning_rate": 0.1}).convention
    assert (convention.eps, convention.v0) == ("inside", 0.0)
    assert not convention.nesterov and not convention.bias_correction
    assert convention.order == "optax"
    legacy = dataclasses.replace(frameworks.MLX, name="bare", choose=frameworks._tf_keras_legacy)
    assert frameworks.resolve(legacy, {"learning_rate": 0.1}).convention.name == conventions.KERAS_LEGACY.name


# What each framework computes, as the table states it: these are the quirks of the records above (and the classes'
# documentation), written out by hand.
ARITHMETIC = {
    "pytorch": ("outside", "0", "lr after", "yes", "L2 (g += wd x)", "none (float64)", "-"),
    "keras": (
        "inside",
        "0",
        "lr inside buffer",
        "yes",
        "decoupled",
        "weight_decay on tensorflow",
        "backends tensorflow, torch, jax",
    ),
    "tf-keras": ("inside", "0", "lr inside buffer", "yes", "decoupled", "weight_decay", "-"),
    "tf-keras-legacy": (
        "outside (momentum > 0: inside)",
        "0",
        "lr after (momentum > 0: lr inside buffer)",
        "yes",
        "none",
        "learning_rate, rho, momentum",
        "-",
    ),
    "tf-compat-v1": ("inside", "1", "lr inside buffer", "yes", "none", "learning_rate, decay, momentum, epsilon", "-"),
    "optax": (
        "inside (eps_in_sqrt=False: outside)",
        "0 (initial_scale: any)",
        "lr inside buffer",
        "yes",
        "none",
        "none (float64)",
        "nesterov, bias_correction",
    ),
    "mlx": ("outside", "0", "no momentum", "no", "none", "learning_rate", "-"),
    "paddle": ("inside", "0", "lr inside buffer", "yes", "L2 (g += wd x)", "always: rho, epsilon, momentum", "-"),
}
ARITHMETIC_ROWS = ("eps", "v0", "lr, momentum", "centered", "weight decay", "float32", "extras")


def expected_summary(name):
    record = frameworks.FRAMEWORKS[name]
    shown = {o.name: "required" if o.default == frameworks.REQUIRED else str(o.default) for o in record.options}
    return {
        "class": record.emulates,
        "verified": record.version,
        "defaults": " ".join(f"{k}={v}" for k, v in shown.items()),
        **dict(zip(ARITHMETIC_ROWS, ARITHMETIC[name], strict=True)),
    }


def test_summary_states_each_frameworks_arithmetic():
    assert set(ARITHMETIC) == set(frameworks.FRAMEWORKS)
    for name in frameworks.FRAMEWORKS:
        assert frameworks._summary(frameworks.FRAMEWORKS[name]) == expected_summary(name), name
    assert expected_summary("optax")["defaults"].startswith("learning_rate=required decay=0.9 eps=1e-08")
    assert expected_summary("pytorch")["defaults"] == (
        "lr=0.01 alpha=0.99 eps=1e-08 weight_decay=0.0 momentum=0.0 centered=False"
    )


def test_summary_separates_every_kind_of_float32_hyperparameter():
    mixed = dataclasses.replace(
        frameworks.KERAS,
        float32=("learning_rate", "rho"),
        float32_always=("epsilon",),
        backends=(
            frameworks.Backend("tensorflow", "tensorflow 2.21.0", float32=("weight_decay", "momentum")),
            frameworks.Backend("jax", "jax 0.10.2"),
        ),
    )
    assert frameworks._summary(mixed)["float32"] == (
        "learning_rate, rho; always: epsilon; weight_decay, momentum on tensorflow"
    )


def test_a_class_without_a_weight_decay_keyword_has_none():
    # PyTorch's arithmetic would add wd x to the gradient, but a class that takes no weight decay has none.
    record = dataclasses.replace(
        frameworks.PYTORCH, options=tuple(o for o in frameworks.PYTORCH.options if o.means != "weight_decay")
    )
    assert frameworks._summary(record)["weight decay"] == "none"
    assert frameworks._summary(frameworks.PYTORCH)["weight decay"] == "L2 (g += wd x)"


def parse_table(text, width):
    """The table's rows as {label: [each column's text]}, joining each cell's wrapped lines."""
    lines = text.splitlines()
    label = len(lines[0]) - len(lines[0].lstrip()) - 1  # the header's names start after the label column and a blank
    rows: dict[str, list[list[str]]] = {}
    key = None
    for line in lines:
        if line[:label].strip() or key is None:
            key = line[:label].strip()
            assert key not in rows, key  # a label once, on the first line of its row
            rows[key] = []
        starts = range(label + 1, max(len(line), label + 1), width + 2)
        for j, start in enumerate(starts):
            while len(rows[key]) <= j:
                rows[key].append([])
            piece = line[start : start + width]
            assert not line[start + width : start + width + 2].strip(), line  # no cell runs into the gap
            if piece.strip():
                rows[key][j].append(piece.strip())
    return rows, label


def test_table_cells_rejoin_to_the_summaries():
    width = 22
    names = list(frameworks.FRAMEWORKS)
    rows, label = parse_table(frameworks.table(), width)
    assert label == len("lr, momentum") + 1  # the longest label and one blank
    assert [" ".join(cell) for cell in rows[""]] == names
    assert list(rows) == ["", *expected_summary("pytorch")]
    for j, name in enumerate(names):
        summary = expected_summary(name)
        for key, cells in rows.items():
            if key:
                pieces = cells[j]
                joined = "".join(pieces) if key == "class" else " ".join(pieces)
                assert joined == summary[key], (name, key)
    # The class is broken after a dot only: tf.compat.v1.train.RMSPropOptimizer does not fit 22 characters.
    assert rows["class"][names.index("tf-compat-v1")] == ["tf.compat.v1.train.", "RMSPropOptimizer"]


def test_table_breaks_a_class_only_when_it_does_not_fit():
    width = len("optax.rmsprop")
    fits, _ = parse_table(frameworks.table(["optax", "pytorch"], width=width), width)
    assert fits["class"][0] == ["optax.rmsprop"]
    narrow = frameworks.table(["keras"], width=len("keras.optimizers.RMSprop") - 1)
    assert narrow.splitlines()[1].split() == ["class", "keras.optimizers."]


def test_table_lists_the_chosen_frameworks_in_the_given_order():
    rows, _ = parse_table(frameworks.table(["mlx", "pytorch"]), 22)
    assert rows[""] == [["mlx"], ["pytorch"]]
    assert rows["lr, momentum"] == [["no momentum"], ["lr after"]]
    with pytest.raises(ValueError, match="framework must be one of"):
        frameworks.table(["torch"])


def test_a_class_without_momentum_still_shows_its_other_options_effect():
    # Optax's eps_in_sqrt and initial_scale, on a class that has no momentum keyword.
    record = dataclasses.replace(
        frameworks.OPTAX, options=tuple(o for o in frameworks.OPTAX.options if o.means != "momentum")
    )
    summary = frameworks._summary(record)
    assert summary["eps"] == "inside (eps_in_sqrt=False: outside)"
    assert summary["v0"] == "0 (initial_scale: any)"
    assert summary["lr, momentum"] == "no momentum"
