"""The command line, run as a real process: output contract and one-line errors."""

import csv
import io
import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from rmsprop_docs import rmsprop, trace

CONSOLE_SCRIPT = pathlib.Path(sys.executable).parent / "rmsprop-docs"


def run(*args, module=False):
    """Run the installed console script (or ``python -m rmsprop_docs``)."""
    command = [sys.executable, "-m", "rmsprop_docs"] if module else [str(CONSOLE_SCRIPT)]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120)


def test_problems_lists_catalog():
    out = run("problems")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split()[:4] == ["name", "dim", "minimum", "kind"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert {"cubic", "quadratic", "rosenbrock", "beale"} <= set(rows)
    assert "(2, -1)" in rows["quadratic"]
    assert "(-0.5773502692)" in rows["cubic"]


@pytest.mark.parametrize("module", [False, True], ids=["console-script", "python-m"])
def test_trace_json_defaults_round_trip_exactly(module):
    out = run("trace", "cubic", "--x0", "-1", module=module)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["points"]) == 1001
    assert doc["points"][-1] == [-0.5773502691896257]
    np.testing.assert_array_equal(np.array(doc["points"]), trace("cubic", [-1.0]).points)
    assert doc["hyperparameters"]["lr"] == 0.01 and doc["hyperparameters"]["rho"] == 0.9
    assert doc["hyperparameters"]["eps"] == 1e-8 and doc["hyperparameters"]["convention"] == "pytorch"


@pytest.mark.parametrize("form", [["--x0", "-1.5,2"], ["--x0=-1.5,2"]], ids=["space", "equals"])
def test_negative_first_coordinate(form):
    out = run("trace", "quadratic", *form, "--steps", "5")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["points"][0] == [-1.5, 2.0]


def test_all_options_reach_the_core():
    out = run(
        "trace", "rosenbrock", "--x0", "0.5,-0.5", "--steps", "40", "--lr", "0.02", "--rho", "0.95",
        "--eps", "1e-6", "--momentum", "0.5", "--centered", "--weight-decay", "0.1", "--convention", "keras",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    expected = trace(
        "rosenbrock",
        [0.5, -0.5],
        rmsprop(lr=0.02, rho=0.95, eps=1e-6, momentum=0.5, centered=True, weight_decay=0.1, convention="keras"),
        steps=40,
    )
    np.testing.assert_array_equal(np.array(json.loads(out.stdout)["points"]), expected.points)


def test_float32_trace_ends_on_the_minimum():
    out = run("trace", "quadratic", "--x0", "1,0", "--dtype", "float32")
    assert json.loads(out.stdout)["points"][-1] == [2.0, -1.0]


def test_csv_format():
    out = run("trace", "quadratic", "--x0", "1,0", "--steps", "3", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["step", "x", "y", "g_x", "g_y", "v_x", "v_y", "dx", "dy"]
    assert len(rows) == 5
    assert rows[1][:3] == ["0", "1.0", "0.0"]
    path = trace("quadratic", [1.0, 0.0], steps=3)
    assert [float(c) for c in rows[4][1:3]] == path.final.tolist()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["trace", "quadratic", "--x0", "1,0", "--lr", "-1"], "lr must be a finite number > 0"),
        (["trace", "quadratic", "--x0", "1,0", "--lr", "nan"], "lr must be a finite number > 0"),
        (["trace", "quadratic", "--x0", "1,0", "--lr", "fast"], "lr must be a number"),
        (["trace", "quadratic", "--x0", "1,0", "--rho", "1"], "rho must be in [0, 1)"),
        (["trace", "quadratic", "--x0", "1,0", "--eps", "0"], "eps must be a finite number > 0"),
        (["trace", "quadratic", "--x0", "1,0", "--momentum", "1.5"], "momentum must be in [0, 1)"),
        (["trace", "quadratic", "--x0", "1,0", "--weight-decay", "-2"], "weight_decay must be a finite number >= 0"),
        (["trace", "quadratic", "--x0", "1,0", "--steps", "-5"], "steps must be a whole number in [0, 10000000]"),
        (["trace", "quadratic", "--x0", "1,0", "--steps", "99999999"], "steps must be a whole number in [0, 10000000]"),
        (["trace", "quadratic", "--x0", "1,0", "--steps", "2.5"], "steps must be a whole number"),
        (["trace", "quadratic", "--x0", "1"], "x0 must have 2 coordinates for this problem, got 1"),
        (["trace", "quadratic", "--x0", "1,inf"], "x0 must be finite"),
        (["trace", "quadratic", "--x0", "a,b"], "x0 must be comma-separated numbers"),
        (["trace", "quadratic"], "--x0"),
        (["trace", "sphere", "--x0", "1,0"], "problem must be one of"),
        (["trace", "quadratic", "--x0", "1,0", "--convention", "tf2"], "convention must be one of pytorch, keras, tf1"),
        (["trace", "quadratic", "--x0", "1,0", "--dtype", "float16"], "dtype must be one of float64, float32"),
        (["trace", "quadratic", "--x0", "1,0", "--format", "xml"], "format must be one of json, csv"),
        (["trace", "rosenbrock", "--x0", "2,2", "--lr", "1e12", "--dtype", "float32"], "step "),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(args, needle):
    out = run(*args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("rmsprop-docs: error: ")
    assert needle in lines[0]
    assert "Traceback" not in out.stderr


def test_help_exits_zero():
    out = run("trace", "--help")
    assert out.returncode == 0
    assert "--weight-decay" in out.stdout


# --- trace --framework and port ------------------------------------------------------------------------------------

FRAMEWORK_FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "frameworks"


def _set_args(kwargs):
    out = []
    for key, value in kwargs.items():
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        out += ["--set", f"{key}={shown}"]
    return out


def _richest_cases():
    """Per framework, the recorded case with the most keyword arguments on each problem, both ways of passing."""
    chosen = []
    for path in sorted(FRAMEWORK_FIXTURES.glob("*.json")):
        if path.stem == "snippets":
            continue
        doc = json.loads(path.read_text())
        for as_ in ("python", "float64"):
            mine = [
                c for c in doc["cases"] if c["hyperparameters_as"] == as_ and c.get("backend") in (None, "tensorflow")
            ]
            if mine:
                chosen.append((doc["framework"], max(mine, key=lambda c: (len(c["kwargs"]), c["problem"]))))
    return chosen


@pytest.mark.parametrize("item", _richest_cases(), ids=lambda item: f"{item[0]}-{item[1]['hyperparameters_as']}")
def test_trace_framework_follows_the_recording(item):
    name, case = item
    args = ["trace", case["problem"], "--x0", ",".join(map(str, case["x0"])), "--steps", "100", "--framework", name]
    args += _set_args(case["kwargs"])
    if case["hyperparameters_as"] == "float64":
        args += ["--hyperparameters-as", "float64"]
    out = run(*args)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["hyperparameters"]["framework"] == name
    assert np.abs(np.array(doc["points"]) - np.array(case["points"])).max() <= 5e-9


def test_trace_framework_defaults_and_keras_backend():
    out = run("trace", "cubic", "--x0", "-1", "--steps", "3", "--framework", "keras", "--backend", "jax")
    assert out.returncode == 0, out.stderr
    hyper = json.loads(out.stdout)["hyperparameters"]
    assert hyper["kwargs"]["learning_rate"] == 0.001 and hyper["kwargs"]["epsilon"] == 1e-7
    assert hyper["backend"] == "jax" and hyper["float32"] == []


def test_trace_framework_pytorch_other_optimizers_take_torch_keywords():
    recorded = json.loads((FRAMEWORK_FIXTURES.parent / "torch_optimizers.json").read_text())
    case = next(c for c in recorded["cases"] if c["optimizer"] == "adam" and c["kwargs"].get("betas"))
    betas = ",".join(map(str, case["kwargs"]["betas"]))
    out = run(
        "trace", case["problem"], "--x0", ",".join(map(str, case["x0"])), "--steps", "100",
        "--framework", "pytorch", "--optimizer", "adam", "--set", f"betas={betas}",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert np.abs(np.array(json.loads(out.stdout)["points"]) - np.array(case["points"])).max() <= 5e-9


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--framework", "optax"], "needs learning_rate; it accepts learning_rate, decay, eps, initial_scale"),
        (["--framework", "pytorch", "--set", "rho=0.9"], "has no keyword argument 'rho'; it accepts lr, alpha, eps"),
        (["--framework", "keras", "--lr", "0.1"], "use --set KEY=VALUE instead of --lr"),
        (["--framework", "keras", "--centered"], "use --set KEY=VALUE instead of --centered"),
        (["--framework", "mxnet"], "framework must be one of pytorch, keras, tf-keras, tf-keras-legacy"),
        (["--framework", "keras", "--set", "rho"], "--set takes KEY=VALUE"),
        (["--framework", "keras", "--set", "rho=fast"], "--set rho must be a number"),
        (["--framework", "pytorch", "--optimizer", "lbfgs"], "optimizer must be one of sgd, adagrad, adam"),
        (["--framework", "pytorch", "--optimizer", "adam", "--set", "alpha=1"], "adam has no keyword argument"),
        (["--framework", "keras", "--optimizer", "adam"], "--optimizer applies to --framework pytorch"),
        (["--framework", "pytorch", "--backend", "jax"], "backend applies to keras"),
        (["--framework", "keras", "--hyperparameters-as", "float16"], "hyperparameters_as must be one of"),
        (["--set", "lr=0.1"], "--set needs --framework"),
    ],
)
def test_framework_mistakes_are_one_line_and_exit_2(args, needle):
    out = run("trace", "quadratic", "--x0", "1,0", "--steps", "3", *args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rmsprop-docs: error: "), out.stderr
    assert needle in lines[0]


def test_port_exact_and_inexact():
    exact = run("port", "--from", "pytorch", "--to", "optax", "--set", "lr=0.01", "--set", "alpha=0.9")
    assert exact.returncode == 0, exact.stderr
    lines = exact.stdout.splitlines()
    assert lines[0] == "optax.rmsprop(learning_rate=0.01, eps_in_sqrt=False)"
    assert lines[1].startswith("exact: ")
    inexact = run("port", "--from", "tf-compat-v1", "--to", "pytorch", "--set", "learning_rate=0.01")
    assert inexact.returncode == 0, inexact.stderr
    # not exact anyway (TF1's accumulator starts at 1), so the decimals the user gave are printed
    assert inexact.stdout.startswith("torch.optim.RMSprop(lr=0.01, alpha=0.9, eps=1e-05)")
    assert "nearest, not exact" in inexact.stdout and "v0: the accumulator starts at 1" in inexact.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "tf-compat-v1", "--to", "pytorch"], "needs learning_rate"),
        (["--from", "pytorch", "--to", "caffe"], "framework must be one of"),
        (["--from", "pytorch", "--to", "keras", "--set", "rho=0.9"], "has no keyword argument 'rho'"),
    ],
)
def test_port_mistakes_are_one_line_and_exit_2(args, needle):
    out = run("port", *args)
    assert out.returncode == 2 and out.stdout == ""
    assert needle in out.stderr and len(out.stderr.strip().splitlines()) == 1
