"""Mistakes that the other tests let through, each pinned by a test that fails for it.

* Paddle called with float64 tensors still holds rho, epsilon and momentum in float32 (recorded from Paddle).
* Rprop in float32 keeps its step size in float32 (recorded from torch.optim.Rprop in float32).
* Training measures the validation loss on the validation split, and records the steps its settings imply.
"""

import ast
import hashlib
import json
import pathlib
import re

import mpmath
import numpy as np
import pytest

from conftest import FIXTURES
from rmsprop_docs import trace
from rmsprop_docs.learning import compare, datasets, models, train
from rmsprop_docs.optimizers import TORCH_OPTIMIZERS, frameworks, rmsprop

# --- Paddle with float64 tensors ------------------------------------------------------------------------------------

PADDLE = json.loads((FIXTURES / "frameworks" / "paddle.json").read_text())
TENSOR_CASES = PADDLE["tensor_cases"]


def _paddle_id(case: dict) -> str:
    return f"{case['problem']}-" + ",".join(f"{k}={v}" for k, v in case["kwargs"].items())


def test_paddle_tensor_cases_are_recorded_for_every_float32_attribute():
    assert PADDLE["versions"]["paddlepaddle"] == "3.3.1"
    assert {c["hyperparameters_as"] for c in TENSOR_CASES} == {"float64"}
    passed = {k for c in TENSOR_CASES for k in c["kwargs"]}
    assert set(frameworks.PADDLE.float32_always) <= passed
    assert {c["problem"] for c in TENSOR_CASES} == {"cubic", "quadratic", "rosenbrock"}


@pytest.mark.parametrize("case", TENSOR_CASES, ids=_paddle_id)
def test_paddle_with_float64_tensors_follows_paddle_to_the_bit(case):
    # Paddle's kernel takes rho, epsilon and momentum as C++ float attributes: a float64 tensor is narrowed to
    # float32 like a Python float.  Held in float64 instead, rho moves the run in the eighth digit.
    opt = frameworks.optimizer("paddle", hyperparameters_as="float64", **case["kwargs"])
    assert set(frameworks.PADDLE.float32_always) <= set(opt.hyperparameters["float32"])
    mine = trace(case["problem"], case["x0"], opt, steps=len(case["points"]) - 1).points
    np.testing.assert_array_equal(mine, np.array(case["points"]))


def test_paddle_float64_tensors_hold_the_passed_attributes_in_float32():
    resolved = frameworks.resolve("paddle", {"learning_rate": 0.01, "rho": 0.9, "epsilon": 1e-8}, "float64")
    assert set(resolved.convention.float32_hyperparameters) == {"rho", "eps", "momentum"}
    assert "lr" not in resolved.convention.float32_hyperparameters  # the learning rate acts in float64


def test_paddle_refuses_a_float64_tensor_learning_rate():
    (refusal,) = PADDLE["refused"]
    assert refusal["key"] == "learning_rate" and refusal["hyperparameters_as"] == "float64"
    assert refusal["error"].startswith("TypeError: learning rate should be float or LRScheduler")
    assert any("learning_rate acts in the parameters' dtype" in q for q in frameworks.PADDLE.quirks)


# --- Rprop in float32 -----------------------------------------------------------------------------------------------

TORCH = json.loads((FIXTURES / "torch_optimizers.json").read_text())
FLOAT32_CASES = TORCH.get("float32_cases", [])


def _torch_id(case: dict) -> str:
    return f"{case['optimizer']}-{case['problem']}-" + (
        ",".join(f"{k}={v}" for k, v in case["kwargs"].items()) or "defaults"
    )


def test_float32_rprop_is_recorded_from_torch_2_13_0():
    assert TORCH["versions"]["torch"].startswith("2.13.0")
    assert {(c["optimizer"], c["dtype"]) for c in FLOAT32_CASES} == {("rprop", "float32")}
    assert len(FLOAT32_CASES) == 9


@pytest.mark.parametrize("case", FLOAT32_CASES, ids=_torch_id)
def test_float32_rprop_follows_torch_to_the_bit(case):
    # torch writes the etas into a tensor of the parameters' dtype: a step size multiplied by a float64 factor
    # would leave float32 (0.5384181 against 0.5384219 after a few growths).
    opt = TORCH_OPTIMIZERS[case["optimizer"]](
        **{k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    )
    path = trace(case["problem"], case["x0"], opt, steps=len(case["points"]) - 1, dtype="float32")
    assert path.points.dtype == np.float32
    np.testing.assert_array_equal(path.points.astype(np.float64), np.array(case["points"]))


def test_float32_rprop_state_stays_float32():
    opt = TORCH_OPTIMIZERS["rprop"]()
    x = np.array([1.0, -2.0], dtype=np.float32)
    state = opt.init(x)
    for g in ([1.0, -1.0], [2.0, -3.0], [3.0, 1.0]):
        delta, state = opt.update(np.array(g, dtype=np.float32), state, x)
        assert delta.dtype == state.step_size.dtype == np.float32
        x = x + delta


# --- Training: the validation split and the recorded steps ---------------------------------------------------------


def _run(data, steps=30, every=10):
    opt = rmsprop(lr=np.array([0.01, 0.03])[:, None])
    return train.train(models.softmax_regression(), opt, data, (0, 1), batch_size=16, steps=steps, every=every)


def test_validation_loss_is_measured_on_the_validation_split():
    train_set, validation, test = datasets.split_digits()
    # With the training rows as the validation split, the last validation loss is the final training loss
    # (the same parameters on the same rows); with them as the test split, the last test loss is.
    as_validation = _run(datasets.Digits(train_set, train_set, test))
    np.testing.assert_array_equal(as_validation.validation_loss[:, -1], as_validation.final_train_loss)
    assert np.all(as_validation.test_loss[:, -1] != as_validation.final_train_loss)
    as_test = _run(datasets.Digits(train_set, validation, train_set))
    np.testing.assert_array_equal(as_test.test_loss[:, -1], as_test.final_train_loss)
    assert np.all(as_test.validation_loss[:, -1] != as_test.final_train_loss)
    np.testing.assert_array_equal(as_test.final_validation_loss, as_test.validation_loss[:, -1])
    np.testing.assert_array_equal(as_test.final_test_loss, as_test.test_loss[:, -1])


@pytest.mark.parametrize(("steps", "every", "expected"), [(30, 10, [10, 20, 30]), (35, 10, [10, 20, 30]), (7, 7, [7])])
def test_a_runs_steps_are_the_steps_its_records_were_taken_at(steps, every, expected):
    seen = []
    opt = rmsprop(lr=0.01)
    data = datasets.split_digits()
    run = train.train(
        models.softmax_regression(), opt, data, (0,), batch_size=8, steps=steps, every=every, progress=seen.append
    )
    assert run.steps.tolist() == expected == seen
    assert run.train_loss.shape == run.validation_loss.shape == run.test_loss.shape == (1, len(expected))


def _shipped(kind: str) -> list[dict]:
    found = [json.loads(p.read_text()) for p in sorted(compare.SHIPPED.glob(f"{kind}-*.json"))]
    assert found, kind
    return found


def test_recorded_comparison_steps_are_what_the_settings_imply():
    train_rows = len(datasets.split_digits().train.y)  # 1078
    for result in _shipped("comparison"):
        settings = result["settings"]
        per_epoch = train_rows // settings["batch_size"]
        expected = [per_epoch * (epoch + 1) for epoch in range(settings["epochs"])]
        for row in result["results"]:
            assert row["steps"] == expected, row["label"]
            assert all(len(curve) == len(expected) for curve in row["train_curves"] + row["test_curves"])


def test_recorded_batch_study_steps_are_what_the_settings_imply():
    for result in _shipped("batch-study"):
        for row in result["results"]:
            assert row["steps"] == [result["settings"]["steps"]], (row["label"], row["batch_size"])


def _fake_training(monkeypatch, tmp_path) -> list[tuple[int, int, int]]:
    """Replace training by a stand-in that notes (batch_size, steps, every) and returns a run of the right shape."""
    calls = []

    def fake_train(model, optimizer, data, seeds, *, batch_size, steps, every, progress=None):
        calls.append((batch_size, steps, every))
        n, records = len(seeds), np.arange(every, steps + 1, every)
        ones = np.ones((n, len(records)))
        return train.Run(records, ones, ones, ones, ones, np.ones(n))

    monkeypatch.setenv("RMSPROP_DOCS_CACHE", str(tmp_path))
    monkeypatch.setattr(compare, "train", fake_train)
    monkeypatch.setattr(compare, "kernels_pinned", lambda: True)
    monkeypatch.setattr(compare, "_in_parallel", lambda tasks, costs, progress: [task() for task in tasks])
    return calls


def test_a_comparison_trains_an_epoch_per_record_for_its_epochs(monkeypatch, tmp_path):
    calls = _fake_training(monkeypatch, tmp_path)
    settings = compare.Settings(model="softmax", batch_size=64, epochs=3, seeds=(0,))
    result = compare.comparison(settings, shipped=False)
    per_epoch = len(datasets.split_digits().train.y) // 64  # 16
    assert calls == [(64, 3 * per_epoch, per_epoch)] * len(compare.CONTENDERS)
    assert [row["steps"] for row in result["results"]] == [[16, 32, 48]] * len(compare.CONTENDERS)


def test_a_batch_study_records_once_after_its_steps(monkeypatch, tmp_path):
    calls = _fake_training(monkeypatch, tmp_path)
    settings = compare.BatchSettings(steps=40, batch_sizes=(128, 8), seeds=(0,))
    result = compare.batch_study(settings, shipped=False)
    assert sorted(calls) == sorted([(size, 40, 40) for size in (128, 8)] * len(compare.BATCH_CONTENDERS))
    assert all(row["steps"] == [40] for row in result["results"])


# --- The baselines: each argument named in its error, each setting recorded, each step counted ----------------------

from rmsprop_docs.optimizers import baselines, schedule  # noqa: E402

B = baselines
REFUSED = [
    (B.gradient_descent, "lr", {"lr": 0.0}),
    (B.sign_descent, "lr", {"lr": -1.0}),
    (B.sgd, "momentum", {"momentum": 1.5}),
    (B.sgd, "dampening", {"dampening": -1.0}),
    (B.sgd, "dampening", {"dampening": 1.5}),
    (B.sgd, "weight_decay", {"weight_decay": -1.0}),
    (B.sgd, "nesterov", {"nesterov": 2}),
    (B.adagrad, "lr_decay", {"lr_decay": -1.0}),
    (B.adagrad, "weight_decay", {"weight_decay": -1.0}),
    (B.adagrad, "initial_accumulator_value", {"initial_accumulator_value": -1.0}),
    (B.adagrad, "eps", {"eps": 0.0}),
    (B.adam, "betas[0]", {"betas": (1.5, 0.9)}),
    (B.adam, "betas[1]", {"betas": (0.9, 1.5)}),
    (B.adam, "betas", {"betas": 0.9}),
    (B.adam, "eps", {"eps": 0.0}),
    (B.adam, "weight_decay", {"weight_decay": -1.0}),
    (B.adam, "amsgrad", {"amsgrad": 2}),
    (B.adamw, "betas[1]", {"betas": (0.9, 1.5)}),
    (B.adamw, "weight_decay", {"weight_decay": -1.0}),
    (B.rprop, "etas", {"etas": (0.5,)}),
    (B.rprop, "etas[0]", {"etas": (0.0, 1.2)}),
    (B.rprop, "etas[1]", {"etas": (0.5, -1.0)}),
    (B.rprop, "etas", {"etas": (1.0, 1.2)}),
    (B.rprop, "etas", {"etas": (0.5, 1.0)}),
    (B.rprop, "step_sizes", {"step_sizes": 1.0}),
    (B.rprop, "step_sizes[0]", {"step_sizes": (0.0, 1.0)}),
    (B.rprop, "step_sizes[1]", {"step_sizes": (1.0, -1.0)}),
    (B.rprop, "step_sizes", {"step_sizes": (2.0, 1.0)}),
    (B.torch_rmsprop, "alpha", {"alpha": 1.5}),
]


@pytest.mark.parametrize(("make", "name", "kwargs"), REFUSED, ids=[f"{m.__name__}-{n}" for m, n, _ in REFUSED])
def test_a_baselines_bad_argument_is_refused_under_its_own_name(make, name, kwargs):
    with pytest.raises(ValueError, match=rf"^{re.escape(name)} must"):
        make(**kwargs)


def test_the_edges_of_the_baselines_ranges_are_accepted():
    assert B.sgd(momentum=0.5, dampening=1.0).hyperparameters["dampening"] == 1.0
    assert B.rprop(etas=(0.999, 1.001), step_sizes=(1.0, 1.0)).hyperparameters["step_sizes"] == (1.0, 1.0)
    assert B.adagrad(lr_decay=0.0, initial_accumulator_value=0.0).hyperparameters["lr_decay"] == 0.0


RECORDS = [
    (lambda: B.gradient_descent(lr=0.2), {"lr": 0.2}),
    (lambda: B.sign_descent(lr=0.2), {"lr": 0.2}),
    (
        lambda: B.sgd(lr=0.2, momentum=0.5, dampening=0.25, weight_decay=0.1),
        {"lr": 0.2, "momentum": 0.5, "dampening": 0.25, "weight_decay": 0.1, "nesterov": False},
    ),
    (
        lambda: B.adagrad(lr=0.2, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-5),
        {"lr": 0.2, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-5},
    ),
    (
        lambda: B.adam(lr=0.2, betas=(0.8, 0.9), eps=1e-5, weight_decay=0.3, amsgrad=True),
        {"lr": 0.2, "betas": (0.8, 0.9), "eps": 1e-5, "weight_decay": 0.3, "amsgrad": True},
    ),
    (
        lambda: B.adamw(lr=0.2, betas=(0.8, 0.9), eps=1e-5, weight_decay=0.3, amsgrad=True),
        {"lr": 0.2, "betas": (0.8, 0.9), "eps": 1e-5, "weight_decay": 0.3, "amsgrad": True},
    ),
    (
        lambda: B.rprop(lr=0.2, etas=(0.4, 1.3), step_sizes=(1e-3, 5.0)),
        {"lr": 0.2, "etas": (0.4, 1.3), "step_sizes": (1e-3, 5.0)},
    ),
]


# Factories, called in the test: an optimizer made while the module is imported is made before a mutation run
# switches a mutant on.
@pytest.mark.parametrize(("make", "expected"), RECORDS, ids=[str(i) for i in range(len(RECORDS))])
def test_a_baseline_records_every_setting_under_its_name(make, expected):
    opt = make()
    assert opt.hyperparameters == expected
    assert type(opt.hyperparameters["lr"]) is float


HALVING = schedule("step", 0.1, gamma=0.5, every=1)
SCHEDULED = [B.gradient_descent, B.sign_descent, B.sgd, B.adagrad, B.adam, B.adamw, B.rprop, B.torch_rmsprop]


@pytest.mark.parametrize("make", SCHEDULED, ids=lambda m: m.__name__)
def test_a_baseline_records_a_schedule_and_counts_its_steps(make):
    opt = make(lr=HALVING)
    assert opt.hyperparameters["lr"] == {"kind": "step", "lr": 0.1, "gamma": 0.5, "every": 1}
    x = np.array([1.0, -2.0])
    state = opt.init(x)
    assert state.count == 0
    for t in range(1, 4):
        _, state = opt.update(np.array([0.5, -0.25]), state, x)
        assert state.count == t


@pytest.mark.parametrize(
    "make", [B.gradient_descent, B.sign_descent, B.sgd, B.adagrad, B.adam, B.adamw], ids=lambda m: m.__name__
)
def test_a_scheduled_baseline_steps_by_the_schedules_rate_at_each_count(make):
    # Nothing but the rate depends on lr (x is held fixed): each step is the constant-lr step times 0.5**t.
    kwargs = {"momentum": 0.9} if make is B.sgd else {"weight_decay": 0.1} if make is B.adamw else {}
    scheduled, constant = make(lr=HALVING, **kwargs), make(lr=0.1, **kwargs)
    x = np.array([1.0, -2.0])
    s_state, c_state = scheduled.init(x), constant.init(x)
    for t, g in enumerate(([0.5, -0.25], [0.3, 0.1], [-0.2, 0.4], [0.1, 0.1])):
        s_delta, s_state = scheduled.update(np.array(g), s_state, x)
        c_delta, c_state = constant.update(np.array(g), c_state, x)
        np.testing.assert_allclose(s_delta, c_delta * 0.5**t, rtol=1e-13)


def test_adam_keeps_no_maximum_without_amsgrad_and_the_running_maximum_with_it():
    x = np.zeros(2)
    for amsgrad in (False, True):
        opt = B.adam(betas=(0.9, 0.5), amsgrad=amsgrad)
        state = opt.init(x)
        for g in ([2.0, 1.0], [0.1, 0.1], [0.1, 0.1]):
            _, state = opt.update(np.array(g), state, x)
        expected = np.array([2.0, 1.0]) ** 2 * 0.5 if amsgrad else np.zeros(2)
        np.testing.assert_allclose(state.nu_max, expected, rtol=1e-15)


def test_adagrad_starts_its_sum_at_the_initial_value_in_the_points_shape():
    state = B.adagrad(initial_accumulator_value=0.25).init(np.zeros(3))
    assert state.nu.shape == (3,) and state.nu.tolist() == [0.25] * 3 and state.count == 0


@pytest.mark.parametrize(
    ("start", "end", "weight"), [(0.1, 0.7, 0.3), (0.1, 0.7, 0.5), (0.1, 0.3, 0.9), (0.1, 1.1, 0.7), (0.1, 0.7, 0.1)]
)
def test_lerp_is_torchs_two_formulas_split_at_one_half(start, end, weight):
    # ATen's lerp: start + w (end - start) for |w| < 0.5, else end - (end - start)(1 - w); the two differ here.
    low, high = start + weight * (end - start), end - (end - start) * (1 - weight)
    assert low != high
    expected = low if weight < 0.5 else high
    assert B._lerp(start, end, weight) == expected
    array = B._lerp(np.array([start, end]), np.array([end, start]), np.array([weight, weight]))
    assert array[0] == expected
    assert array[1] == ((end + weight * (start - end)) if weight < 0.5 else start - (start - end) * (1 - weight))


def test_where_picks_without_arrays_for_a_scalar_condition():
    assert B._where(True, "a", "b") == "a" and B._where(False, "a", "b") == "b"
    assert B._where(np.array([True, False]), 1, 2).tolist() == [1, 2]
    assert B._where(np.array(True), 1, 2) == 1


def test_sign_in_both_arithmetics():
    assert B._sign(np.array([-2.0, 0.0, 3.0])).tolist() == [-1.0, 0.0, 1.0]
    exact = B._sign(np.array([mpmath.mpf(-2), mpmath.mpf(0), mpmath.mpf("1e-30")], dtype=object))
    assert exact.tolist() == [-1, 0, 1] and exact.dtype == np.dtype(int)


# --- The framework records, rebuilt from the functions that build them ---------------------------------------------
#
# FRAMEWORKS is built while the package is imported, before a mutation run switches a mutant on: these tests call
# the builders themselves.


def test_options_are_built_from_name_default_meaning_triples():
    built = frameworks._options(("lr", 0.01, "lr"), ("alpha", 0.99, "rho"))
    assert built == (frameworks.Option("lr", 0.01, "lr"), frameworks.Option("alpha", 0.99, "rho"))
    assert frameworks.PYTORCH.options == frameworks._options(
        ("lr", 0.01, "lr"),
        ("alpha", 0.99, "rho"),
        ("eps", 1e-8, "eps"),
        ("weight_decay", 0.0, "weight_decay"),
        ("momentum", 0.0, "momentum"),
        ("centered", False, "centered"),
    )


def test_a_fixed_choice_returns_its_convention_whatever_the_options():
    from rmsprop_docs.optimizers import conventions

    choose = frameworks._fixed(conventions.KERAS)
    assert choose({}) is conventions.KERAS
    assert choose({"momentum": 0.9, "centered": True}) is conventions.KERAS


def test_a_baseline_called_without_arguments_takes_torchs_defaults():
    # Read through a call, not the signature: a default is what the function uses when nothing is passed.
    recorded = TORCH["defaults"]
    for name, make in TORCH_OPTIMIZERS.items():
        hyper = make().hyperparameters
        for key, value in recorded[name].items():
            ours = {"alpha": "rho"}.get(key, key) if name == "rmsprop" else key
            if ours in hyper:
                expected = tuple(value) if isinstance(value, list) else value
                assert hyper[ours] == expected, (name, key)
    assert B.gradient_descent().hyperparameters == B.sign_descent().hyperparameters == {"lr": 0.01}
    assert [B.gradient_descent().name, B.sign_descent().name] == ["gradient_descent", "sign_descent"]


def test_nesterov_without_momentum_is_refused_naming_both():
    with pytest.raises(ValueError, match=r"^nesterov=True needs momentum in \(0, 1\) and dampening 0"):
        B.sgd(nesterov=True)


def test_sgd_starts_with_a_zero_buffer_in_the_points_shape():
    state = B.sgd(momentum=0.9).init(np.ones(3))
    assert state.momentum_buffer.tolist() == [0.0, 0.0, 0.0] and state.count == 0
    assert B.sgd().init(np.ones(2)).momentum_buffer.shape == (2,)


def test_sgd_rows_without_momentum_in_a_sweep_are_plain_gradient_descent():
    # A momentum column with a 0 in it: that row takes g itself, not its damped buffer.
    opt = B.sgd(lr=0.1, momentum=np.array([[0.0], [0.9]]), dampening=0.5)
    x = np.zeros((2, 1))
    state = opt.init(x)
    deltas = []
    for g in (1.0, 2.0, 3.0):
        delta, state = opt.update(np.full((2, 1), g), state, x)
        deltas.append(delta[:, 0].tolist())
    assert [d[0] for d in deltas] == [-0.1, -0.2, -0.30000000000000004]
    assert deltas[1][1] == pytest.approx(-0.1 * (0.9 * 1.0 + 0.5 * 2.0))


def test_rprop_starts_every_step_size_at_the_first_rate_of_its_schedule():
    state = B.rprop(lr=HALVING).init(np.zeros(2))
    assert state.step_size.tolist() == [0.1, 0.1] and state.prev.tolist() == [0.0, 0.0] and state.count == 0


# --- dependencies: relative imports, empty modules, the digest's layout ---------------------------------------------

from rmsprop_docs import dependencies  # noqa: E402


def _substituted(monkeypatch, sources: dict[str, bytes]) -> None:
    real = dependencies.read
    monkeypatch.setattr(dependencies, "read", lambda module: sources.get(module) or real(module))


def test_a_name_a_package_takes_by_relative_import_is_its_module(monkeypatch):
    _substituted(monkeypatch, {"rmsprop_docs.optimizers": b"from .baselines import adam\n"})
    tree = ast.parse("from rmsprop_docs.optimizers import adam")
    assert dependencies.imported_modules(tree) == {"rmsprop_docs.optimizers", "rmsprop_docs.optimizers.baselines"}


def test_closure_follows_a_relative_import_from_the_importing_module(monkeypatch):
    _substituted(monkeypatch, {"rmsprop_docs.files": b"from . import validation\nfrom .render import limits\n"})
    assert dependencies.closure(["rmsprop_docs.files"]) == [
        "rmsprop_docs.files",
        "rmsprop_docs.render",
        "rmsprop_docs.render.limits",
        "rmsprop_docs.validation",
    ]


def test_an_empty_module_behaves_like_a_comment():
    assert dependencies.behaviour("") == dependencies.behaviour("# nothing here\n")


def test_the_digest_hashes_each_module_name_and_behaviour_in_order():
    roots = ["rmsprop_docs.render.limits"]
    expected = hashlib.sha256()
    for module in dependencies.closure(roots):
        expected.update(module.encode() + b"\0" + dependencies.module_digest(module).encode() + b"\0")
    assert dependencies.closure(roots) == ["rmsprop_docs.render.limits", "rmsprop_docs.validation"]
    assert dependencies.digest(roots) == expected.hexdigest()
    assert dependencies.digest(["rmsprop_docs.validation"]) != dependencies.digest(roots)


# --- Hinton's drift: the table the page prints ----------------------------------------------------------------------

from rmsprop_docs.learning import drift as drift_module  # noqa: E402


def test_drift_runs_a_thousand_steps_by_default():
    path = drift_module.drift(B.sgd(lr=0.01))
    assert path.shape == (1001,) and path[0] == 0.0


def test_the_drift_table_is_each_contenders_run():
    rows = drift_module.drift_table(steps=200, curvature=0.5)
    assert [r.name for r in rows] == list(drift_module.CONTENDERS)
    for row, make in zip(rows, drift_module.CONTENDERS.values(), strict=True):
        path = drift_module.drift(make(), 200, curvature=0.5)
        assert row.final == path[-1]
        assert row.per_cycle == path[-1] - path[-11]
        assert row.settled == path[-100:].mean()
        assert row.largest == np.abs(path).max()
    assert rows[0] == drift_module.DriftRow("SGD", *rows[0][1:])


def test_the_printed_drift_table(capsys):
    drift_module.print_drift_table(steps=100)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "optimizer             w at the end  per cycle  mean, last 100  largest |w|"
    rows = drift_module.drift_table(steps=100)
    assert len(lines) == 1 + len(rows)
    for line, r in zip(lines[1:], rows, strict=True):
        assert line == f"{r.name:<20}{r.final:>14.4f}{r.per_cycle:>11.5f}{r.settled:>16.4f}{r.largest:>13.4f}"
    assert lines[3].startswith("Rprop               ")


# --- The digit models: names, initial parameters, and losses of large logits ----------------------------------------


def test_the_models_are_named_and_sized():
    assert models.mlp(16).name == "MLP, 16 tanh units" and models.mlp(16).size == 64 * 16 + 16 + 16 * 10 + 10
    assert models.softmax_regression().name == "softmax regression" and models.softmax_regression().size == 650


def test_the_mlp_starts_glorot_uniform_with_zero_biases():
    theta = models.mlp(16).init(np.random.default_rng(0))
    w1, b1, w2, b2 = np.split(theta, [64 * 16, 64 * 16 + 16, 64 * 16 + 16 + 160])
    for w, bound in ((w1, np.sqrt(6 / (64 + 16))), (w2, np.sqrt(6 / (16 + 10)))):
        assert np.abs(w).max() <= bound and w.min() < -0.9 * bound and w.max() > 0.9 * bound
    assert not b1.any() and not b2.any()


def test_softmax_regression_starts_near_zero_with_zero_biases():
    theta = models.softmax_regression().init(np.random.default_rng(0))
    weights, biases = theta[:640], theta[640:]
    assert abs(weights.mean()) < 0.002 and 0.009 < weights.std() < 0.011 and not biases.any()


def test_losses_of_large_logits_stay_finite_row_by_row():
    # Each row's logits are shifted by that row's own maximum: a global shift would underflow the small rows,
    # a shift the wrong way would overflow.
    model = models.softmax_regression(features=1, classes=2)
    theta = np.array([[800.0, 0.0, 0.0, 0.0], [-800.0, 0.0, 0.0, 0.0]])  # W = [[w, 0]], b = 0: logits (w x, 0)
    x, y = np.array([[1.0]]), np.array([1])
    loss, grad = model.loss_and_grad(theta, x, y)
    np.testing.assert_allclose(loss, [800.0, 0.0], atol=1e-12)
    assert np.isfinite(grad).all()
    eval_loss, accuracy = models.evaluate(model, theta, x, y)
    np.testing.assert_allclose(eval_loss, [800.0, 0.0], atol=1e-12)
    assert accuracy.tolist() == [0.0, 1.0]


# --- Training: its arguments, the running loss, quiet divergence, the progress bar -----------------------------------

import io  # noqa: E402
import warnings  # noqa: E402

DIGITS = datasets.split_digits()


def _train(**options):
    settings = {"batch_size": 8, "steps": 4, "every": 2, **options}
    return train.train(models.softmax_regression(), rmsprop(lr=0.01), DIGITS, (0,), **settings)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"batch_size": 0}, "batch_size must be a whole number in [1, 1078], got 0"),
        ({"batch_size": 1079}, "batch_size must be a whole number in [1, 1078], got 1079"),
        ({"steps": 0}, "steps must be a whole number in [1, 10000000], got 0"),
        ({"steps": 10_000_001}, "steps must be a whole number in [1, 10000000], got 10000001"),
        ({"every": 0}, "every must be a whole number in [1, 4], got 0"),
        ({"every": 5}, "every must be a whole number in [1, 4], got 5"),
    ],
)
def test_training_refuses_a_bad_setting_by_name_and_range(options, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        _train(**options)


def test_training_takes_the_smallest_settings():
    run = _train(batch_size=1, steps=1, every=1)
    assert run.steps.tolist() == [1] and run.train_loss.shape == (1, 1)
    assert _train(batch_size=1078, steps=2, every=1).steps.tolist() == [1, 2]


def test_the_recorded_training_loss_is_the_mean_over_the_steps_since_the_last_record():
    each = _train(steps=6, every=1)
    pairs = _train(steps=6, every=2)
    thirds = _train(steps=6, every=3)
    np.testing.assert_allclose(pairs.train_loss[0], each.train_loss[0].reshape(3, 2).mean(axis=1), rtol=1e-14)
    np.testing.assert_allclose(thirds.train_loss[0], each.train_loss[0].reshape(2, 3).mean(axis=1), rtol=1e-14)
    first = models.softmax_regression()
    theta, rows = train.batch_order(0, len(DIGITS.train.y), 8, 6, first)
    loss, _ = first.loss_and_grad(theta[None, :], DIGITS.train.x[rows[0]], DIGITS.train.y[rows[0]])
    assert each.train_loss[0, 0] == pytest.approx(loss[0], rel=1e-14)  # the first step is counted


def test_a_diverging_run_trains_quietly_and_shows_inf_or_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would be an error here
        run = train.train(models.softmax_regression(), B.sgd(lr=1e308), DIGITS, (0,), batch_size=8, steps=20, every=10)
    assert run.final_train_loss.tolist() == [np.inf] and np.isnan(run.test_loss).all()
    assert run.final_test_loss.tolist() == [np.inf] and run.final_validation_loss.tolist() == [np.inf]


def test_the_progress_bar_redraws_one_line_and_ends_it_at_the_total(capsys):
    stream = io.StringIO()
    bar = train.text_progress(40, "run", stream=stream, width=10)
    bar(20)
    bar(40)
    assert stream.getvalue() == "\rrun [#####.....] 20/40\rrun [##########] 40/40\n"
    train.text_progress(2, "x", width=4)(1)
    assert capsys.readouterr().err == "\rx [##..] 1/2"


# --- The comparison's protocol, cache and tables, with training replaced by a stand-in ------------------------------

from rmsprop_docs.optimizers import sgd as _sgd  # noqa: E402


def test_a_contenders_grid_is_the_product_of_its_axes_first_axis_slowest():
    contender = compare.Contender("x", lambda a, b: None, {"a": (1, 2), "b": (3, 4, 5)})
    grid = contender.grid()
    assert grid["a"].tolist() == [1, 1, 1, 2, 2, 2] and grid["b"].tolist() == [3, 4, 5, 3, 4, 5]
    assert grid["a"].dtype == np.float64
    assert contender.describe() == {"label": "x", "axes": {"a": [1, 2], "b": [3, 4, 5]}}
    assert compare.half_decades(-1, 1) == (0.1, 0.316, 1.0, 3.16, 10.0)


def test_the_described_settings_name_their_contenders():
    described = compare._described(compare.Settings(model="softmax"))
    assert described["model"] == "softmax" and described["seeds"] == (0, 1, 2, 3, 4)
    assert [c["label"] for c in described["contenders"]] == [c.label for c in compare.CONTENDERS]
    batch = compare._described(compare.BatchSettings())
    assert batch["steps"] == 300 and [c["label"] for c in batch["contenders"]] == ["SGD", "RMSprop", "Rprop"]
    assert compare._steps_per_epoch(32) == 33 and compare._steps_per_epoch(1078) == 1


def test_result_names_hash_the_settings_and_the_code():
    name = compare.result_name("comparison", {"a": 1})
    what = hashlib.sha256(json.dumps(["comparison", {"a": 1}], sort_keys=True).encode()).hexdigest()[:12]
    code = [dependencies.module_digest("rmsprop_docs.learning.compare"), dependencies.digest(compare.COMPUTING)]
    how = hashlib.sha256(json.dumps([*code, np.__version__]).encode()).hexdigest()[:12]
    assert name == f"comparison-{what}-{how}.json"
    assert compare.result_name("comparison", {"a": 2}).endswith(f"-{how}.json")
    assert compare.result_name("batch-study", {"a": 1}) != name


def test_storing_a_result_replaces_older_code_s_results_of_the_same_settings(tmp_path):
    compare._store(tmp_path / "c", "comparison-aaa-111.json", {"x": 1})
    compare._store(tmp_path / "c", "comparison-bbb-111.json", {"x": 3})
    compare._store(tmp_path / "c", "comparison-aaa-222.json", {"x": 2})
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["comparison-aaa-222.json", "comparison-bbb-111.json"]
    assert json.loads((tmp_path / "c" / "comparison-aaa-222.json").read_text()) == {"x": 2}


def test_the_cache_folder_is_the_environments_or_the_repositorys(monkeypatch, tmp_path):
    monkeypatch.setenv("RMSPROP_DOCS_CACHE", str(tmp_path))
    assert compare.cache_folder() == tmp_path / "learning"
    monkeypatch.delenv("RMSPROP_DOCS_CACHE")
    root = pathlib.Path(compare.__file__).resolve().parents[3]
    assert compare.cache_folder() == root / ".cache" / "learning"


def test_a_result_comes_from_the_cache_then_the_shipped_ones_then_a_computation(monkeypatch, tmp_path):
    monkeypatch.setenv("RMSPROP_DOCS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(compare, "SHIPPED", tmp_path / "shipped")
    monkeypatch.setattr(compare, "kernels_pinned", lambda: True)
    computed = []

    def compute():
        computed.append(1)
        return {"n": len(computed)}

    name = compare.result_name("k", {"s": 1})
    assert compare._cached("k", {"s": 1}, compute, True, False) == {"n": 1}
    assert (tmp_path / "cache" / "learning" / name).is_file()
    assert compare._cached("k", {"s": 1}, compute, True, False) == {"n": 1} and len(computed) == 1
    (tmp_path / "cache" / "learning" / name).unlink()
    compare._store(tmp_path / "shipped", name, {"n": "shipped"})
    assert compare._cached("k", {"s": 1}, compute, True, False) == {"n": "shipped"}
    assert compare._cached("k", {"s": 1}, compute, False, False) == {"n": 2}
    # Where this process's kernels are not the pinned ones, a fresh interpreter computes it.
    monkeypatch.setattr(compare, "kernels_pinned", lambda: False)
    asked = []

    def pinned(kind, settings, progress):
        asked.append((kind, settings, progress))
        compare._store(compare.cache_folder(), compare.result_name(kind, settings), {"n": "pinned"})

    monkeypatch.setattr(compare, "_compute_pinned", pinned)
    assert compare._cached("k", {"s": 2}, compute, False, True) == {"n": "pinned"}
    assert asked == [("k", {"s": 2}, True)] and len(computed) == 2


def test_tasks_run_in_parallel_give_each_result_in_order():
    tasks = [lambda i=i: {"i": i, "square": i * i} for i in range(5)]
    expected = [{"i": i, "square": i * i} for i in range(5)]
    assert compare._in_parallel(tasks, [1, 5, 2, 4, 3], False) == expected
    assert compare._in_parallel(tasks, [1, 5, 2, 4, 3], True) == expected
    assert compare._in_parallel(tasks[:1], [1], False) == expected[:1]
    assert compare._TASKS == []


def test_json_floats_and_summaries():
    assert compare._json_floats({"a": [1.0, float("inf"), {"b": float("nan")}], "c": "x", "d": 2}) == {
        "a": [1.0, None, {"b": None}],
        "c": "x",
        "d": 2,
    }
    assert compare._summary([1.0, None, 3.0]) == (3.0, 1.0, np.inf)
    assert compare._summary([2.0, 1.0]) == (1.5, 1.0, 2.0)
    assert compare._tuned({"lr": 0.1, "rho": 0.9}) == "lr 0.1, rho 0.9"


def _designed_training(monkeypatch, validation, train_loss):
    """A stand-in for training whose final losses per configuration are the given ones."""

    def fake_train(model, optimizer, data, seeds, *, batch_size, steps, every, progress=None):
        n, records = len(seeds), np.arange(every, steps + 1, every)
        curve = np.arange(n * len(records), dtype=float).reshape(n, len(records))
        values = np.array(validation, dtype=float)[:, None]
        return train.Run(records, curve, values * np.ones_like(curve), curve + 100, curve / 1000, np.array(train_loss))

    monkeypatch.setattr(compare, "train", fake_train)


def test_tuning_keeps_the_grid_point_with_the_lowest_median_loss(monkeypatch):
    contender = compare.Contender("SGD", lambda lr: _sgd(lr=lr), {"lr": (0.1, 0.2, 0.3)})
    # Two seeds per grid point: validation medians 5, 1.5, 3 (best: 0.2); training medians 2, 4, inf (best: 0.1).
    _designed_training(monkeypatch, [5, 5, 1, 2, 3, 3], [2, 2, 4, 4, np.inf, np.inf])
    tuned = compare._tune(contender, "softmax", 32, 4, 2, (0, 1), None, "validation")
    assert tuned["label"] == "SGD" and tuned["best"] == {"lr": 0.2} and tuned["best_index"] == 1
    assert tuned["grid_points"] == 3 and tuned["chosen_by"] == "validation" and tuned["medians"] == [5.0, 1.5, 3.0]
    assert tuned["steps"] == [2, 4]
    assert tuned["test_loss"] == [105.0, 107.0] and tuned["train_loss"] == [4.0, 4.0]
    assert tuned["test_accuracy"] == [0.005, 0.007]
    assert tuned["train_curves"] == [[4.0, 5.0], [6.0, 7.0]] and tuned["test_curves"] == [
        [104.0, 105.0],
        [106.0, 107.0],
    ]
    by_train = compare._tune(contender, "softmax", 32, 4, 2, (0, 1), None, "train")
    assert by_train["best"] == {"lr": 0.1} and by_train["medians"] == [2.0, 4.0, None]


def test_the_printed_comparison_and_batch_tables(monkeypatch, capsys):
    rows = [
        {"label": "SGD", "best": {"lr": 3.16}, "test_loss": [0.2, 0.1, 0.3], "test_accuracy": [0.9, 0.95, 0.925]},
        {"label": "RMSprop", "best": {"lr": 0.001, "rho": 0.99}, "test_loss": [None, 1.0], "test_accuracy": [0.5, 1.0]},
    ]
    monkeypatch.setattr(compare, "comparison", lambda settings: {"results": rows})
    compare.print_comparison()
    assert capsys.readouterr().out.splitlines() == [
        "optimizer          tuned                   test loss               test accuracy %",
        "SGD                lr 3.16                 0.200 (0.100-0.300)     92.5 (90.0-95.0)",
        "RMSprop            lr 0.001, rho 0.99      inf (1.000-inf)         75.0 (50.0-100.0)",
    ]
    sizes = (1078, 8)
    results = [
        {"label": c.label, "batch_size": s, "train_loss": [0.5 * s, s], "test_accuracy": [0.5, 0.7]}
        for c in compare.BATCH_CONTENDERS
        for s in sizes
    ]
    monkeypatch.setattr(compare, "batch_study", lambda settings: {"results": results})
    compare.print_batch_study(compare.BatchSettings(batch_sizes=sizes))
    assert capsys.readouterr().out.splitlines() == [
        "train loss (acc.)      batch 1078        batch 8",
        "SGD                 8.1e+02 (60%)  6.0e+00 (60%)",
        "RMSprop             8.1e+02 (60%)  6.0e+00 (60%)",
        "Rprop               8.1e+02 (60%)  6.0e+00 (60%)",
    ]


def test_shipping_computes_what_is_missing_and_drops_what_is_stale(monkeypatch, tmp_path):
    _fake_training(monkeypatch, tmp_path / "cache")
    monkeypatch.setattr(compare, "SHIPPED", tmp_path / "shipped")
    wanted = sorted(compare.result_name(compare._page_item(s)[0], compare._described(s)) for s in compare.PAGE)
    compare._store(tmp_path / "shipped", "comparison-000000000000-000000000000.json", {})
    assert compare.stale_shipped() == {
        **{name: "missing (settings or code changed)" for name in wanted},
        "comparison-000000000000-000000000000.json": "no longer current",
    }
    assert sorted(compare.ship()) == wanted
    assert compare.stale_shipped() == {} and sorted(p.name for p in (tmp_path / "shipped").iterdir()) == wanted
    assert compare.ship() == []
    assert compare.run_all() >= 0  # reads what was shipped


def test_a_fresh_interpreter_computes_from_the_described_settings(monkeypatch, tmp_path):
    _fake_training(monkeypatch, tmp_path)
    settings = compare.BatchSettings(steps=6, batch_sizes=(8,), seeds=(0,))
    described = compare._described(settings)
    compare._compute_here("batch-study", json.dumps(described), "False")
    name = compare.result_name("batch-study", described)
    result = json.loads((tmp_path / "learning" / name).read_text())
    assert result["settings"] == json.loads(json.dumps(described))
    assert [r["steps"] for r in result["results"]] == [[6]] * 3
    comparison = compare.Settings(model="softmax", batch_size=539, epochs=2, seeds=(0,))
    compare._compute_here("comparison", json.dumps(compare._described(comparison)), "False")
    assert (tmp_path / "learning" / compare.result_name("comparison", compare._described(comparison))).is_file()


def test_the_drift_table_runs_five_thousand_steps_by_default(capsys):
    rows = drift_module.drift_table()
    assert rows[0].final == drift_module.drift(B.sgd(lr=0.01), 5000)[-1]
    assert rows == drift_module.drift_table(5000, 0.0)
    drift_module.print_drift_table()
    printed = capsys.readouterr().out.splitlines()
    r = rows[2]
    assert printed[3] == f"{r.name:<20}{r.final:>14.4f}{r.per_cycle:>11.5f}{r.settled:>16.4f}{r.largest:>13.4f}"
