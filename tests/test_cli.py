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
