"""The command line called in-process (``cli.main(argv)``): the same contract as tests/test_cli.py, which runs
the installed script, checked here down to each output field and each refusal."""

import csv
import io
import json
import sys

import mpmath
import numpy as np
import pytest

from rmsprop_docs import cli, port, problems, rmsprop, trace
from rmsprop_docs.optimizers import baselines, frameworks, schedules


@pytest.fixture
def call(capsys):
    def run(*args):
        code = cli.main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def one_line_error(result, needle):
    code, out, err = result
    assert code == 2, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("rmsprop-docs: error: ")
    assert needle in lines[0], lines[0]
    if needle.startswith("error: "):  # the whole message
        assert lines[0] == "rmsprop-docs: " + needle
    return lines[0]


# --- problems -------------------------------------------------------------------------------------------------


def test_problems_table_lists_every_problem_in_aligned_columns(call):
    code, out, err = call("problems")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(problems.PROBLEMS) + 1
    header = lines[0]
    assert header.split() == ["name", "dim", "minimum", "kind", "start", "f"]
    starts = [header.index(word) for word in ("name", "dim", "minimum", "kind", "start")]
    for line, problem in zip(lines[1:], problems.PROBLEMS.values(), strict=True):
        # every field starts in its header's column, two spaces after the widest entry before it
        assert line[starts[0] :].startswith(problem.name + " ")
        assert line[starts[1] :].startswith(f"{problem.dim} ")
        minimum = "(" + ", ".join(format(c, ".10g") for c in problem.minimum) + ")"
        assert line[starts[2] :].startswith(minimum + " ")
        assert line[starts[3] :].startswith(problem.kind + " ")
        start = "(" + ", ".join(format(c, "g") for c in problem.x0) + ")"
        assert line[starts[4] :].startswith(start + " ")
        assert line.endswith("  " + problem.formula)
    for i in range(1, len(starts)):
        widest = max(len(line[starts[i - 1] : starts[i]].rstrip()) for line in lines)
        assert starts[i] - starts[i - 1] == widest + 2


# --- trace: JSON and CSV --------------------------------------------------------------------------------------


def test_trace_json_fields(call):
    code, out, err = call("trace", "quadratic", "--x0", "1,0", "--steps", "4")
    assert code == 0 and err == ""
    doc = json.loads(out)
    path = trace("quadratic", [1.0, 0.0], steps=4)
    assert list(doc) == ["problem", "optimizer", "hyperparameters", "dtype", "steps", *cli_arrays()]
    assert doc["problem"] == "quadratic" and doc["optimizer"] == "rmsprop" and doc["dtype"] == "float64"
    assert doc["steps"] == 4 and len(doc["points"]) == 5
    assert doc["hyperparameters"] == path.hyperparameters
    for name in cli_arrays():
        np.testing.assert_array_equal(np.array(doc[name]), getattr(path, name))


def cli_arrays():
    return ["points", "grads", "accumulators", "deltas"]


def test_trace_json_float32_and_the_dtype_field(call):
    code, out, _ = call("trace", "quadratic", "--x0", "1,0", "--steps", "3", "--dtype", "float32")
    doc = json.loads(out)
    assert code == 0 and doc["dtype"] == "float32"
    assert doc["points"] == trace("quadratic", [1.0, 0.0], steps=3, dtype="float32").points.tolist()


def test_trace_json_n_digits_keeps_every_digit(call):
    code, out, _ = call("trace", "cubic", "--x0", "-1", "--steps", "2", "--digits", "30")
    assert code == 0
    doc = json.loads(out, parse_float=str)
    assert doc["dtype"] == "30 digits"
    with mpmath.workdps(30):
        path = trace("cubic", [-1.0], steps=2, digits=30)
        expected = mpmath.nstr(path.points[2, 0], 30)
    assert doc["points"][2] == [expected] and len(expected.lstrip("-0.")) >= 25


def test_trace_json_writes_null_for_a_missing_accumulator(call):
    code, out, _ = call("trace", "cubic", "--x0", "-1", "--steps", "2", "--framework", "pytorch", "--optimizer", "sgd")
    assert code == 0
    doc = json.loads(out)
    assert doc["accumulators"] == [[None], [None]]
    assert doc["points"][1] == [-1.0 - 0.001 * (1 - 3)]  # SGD's default lr 1e-3 in torch; g = 1 - 3x^2 = -2


def test_trace_csv(call):
    code, out, _ = call("trace", "quadratic", "--x0", "1,0", "--steps", "2", "--format", "csv")
    assert code == 0 and not out.endswith("\n\n")
    rows = list(csv.reader(io.StringIO(out)))
    path = trace("quadratic", [1.0, 0.0], steps=2)
    assert rows[0] == ["step", "x", "y", "g_x", "g_y", "v_x", "v_y", "dx", "dy"]
    assert rows[1] == ["0", "1.0", "0.0", "", "", "", "", "", ""]
    for t in (1, 2):
        expected = [path.points[t], path.grads[t - 1], path.accumulators[t - 1], path.deltas[t - 1]]
        assert rows[t + 1] == [str(t), *(repr(float(v)) for arr in expected for v in arr)]
    assert len(rows) == 4


def test_trace_csv_one_coordinate_and_no_accumulator(call):
    args = ("trace", "cubic", "--x0", "-1", "--steps", "1", "--format", "csv", "--framework", "pytorch")
    code, out, _ = call(*args, "--optimizer", "sgd")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0] == ["step", "x", "g_x", "v_x", "dx"]
    assert rows[2][3] == "" and rows[2][1] != ""


# --- every option reaches the run -----------------------------------------------------------------------------


def test_every_rmsprop_option_reaches_the_core(call):
    args = ["--lr", "0.02", "--rho", "0.95", "--eps", "1e-6", "--momentum", "0.5", "--centered"]
    args += ["--weight-decay", "0.1", "--convention", "keras"]
    code, out, _ = call("trace", "rosenbrock", "--x0", "0.5,-0.5", "--steps", "30", *args)
    assert code == 0
    expected = trace(
        "rosenbrock",
        [0.5, -0.5],
        rmsprop(lr=0.02, rho=0.95, eps=1e-6, momentum=0.5, centered=True, weight_decay=0.1, convention="keras"),
        steps=30,
    )
    assert json.loads(out)["points"] == expected.points.tolist()


def test_defaults_are_rmsprops_defaults(call):
    code, out, _ = call("trace", "quadratic", "--x0", "1,0", "--steps", "2")
    hyper = json.loads(out)["hyperparameters"]
    assert code == 0 and hyper == rmsprop().hyperparameters
    assert hyper == {k: v for k, v in cli.RMSPROP_DEFAULTS.items() if k != "schedule"}


def test_steps_default_is_1000(call):
    code, out, _ = call("trace", "cubic", "--x0", "-1")
    assert code == 0 and json.loads(out)["steps"] == 1000


def test_schedule_starts_at_lr(call):
    code, out, _ = call("trace", "cubic", "--x0", "-1", "--steps", "5", "--lr", "0.1", "--schedule", "step:gamma=0.5")
    assert code == 0
    lr = json.loads(out)["hyperparameters"]["lr"]
    assert lr["kind"] == "step" and lr["lr"] == 0.1 and lr["gamma"] == 0.5
    expected = trace("cubic", [-1.0], rmsprop(lr=schedules.parse("step:gamma=0.5", 0.1)), 5)
    assert json.loads(out)["points"] == expected.points.tolist()


def test_schedule_without_lr_starts_at_the_default(call):
    code, out, _ = call("trace", "cubic", "--x0", "-1", "--steps", "2", "--schedule", "exponential")
    assert code == 0 and json.loads(out)["hyperparameters"]["lr"]["lr"] == 0.01


@pytest.mark.parametrize("form", [["--x0", "-1.5,2"], ["--x0=-1.5,2"], ["--x0", "-1.5e0,+2"]])
def test_x0_starting_with_a_minus(call, form):
    code, out, err = call("trace", "quadratic", *form, "--steps", "1")
    assert code == 0, err
    assert json.loads(out)["points"][0] == [-1.5, 2.0]


def test_glue_only_glues_x0():
    assert cli._glue_values(["--x0", "-1", "--lr", "2"]) == ["--x0=-1", "--lr", "2"]
    assert cli._glue_values(["a", "--x0"]) == ["a", "--x0"]
    assert cli._glue_values(["--x0", "1", "--x0", "2"]) == ["--x0=1", "--x0=2"]


def test_main_reads_sys_argv(call, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["rmsprop-docs", "trace", "cubic", "--x0", "-1", "--steps", "1"])
    code = cli.main()
    assert code == 0


# --- one line and exit status 2 for every mistake ---------------------------------------------------------------

MISTAKES = [
    (["trace", "quadratic", "--x0"], "--x0"),
    (["trace", "quadratic", "--x0", "1,0", "--x0"], "--x0"),
    (["trace", "quadratic", "--x0", "1,0", "--lr", "-1"], "lr must be a finite number > 0, got -1.0"),
    (["trace", "quadratic", "--x0", "1,0", "--lr", "fast"], "argument --lr: lr must be a number, got 'fast'"),
    (["trace", "quadratic", "--x0", "1,0", "--rho", "nan"], "rho must be in [0, 1), got nan"),
    (["trace", "quadratic", "--x0", "1,0", "--eps", "x"], "error: argument --eps: eps must be a number, got 'x'"),
    (["trace", "quadratic", "--x0", "1,0", "--rho", "x"], "error: argument --rho: rho must be a number, got 'x'"),
    (
        ["trace", "quadratic", "--x0", "1,0", "--momentum", "m"],
        "error: argument --momentum: momentum must be a number, got 'm'",
    ),
    (["trace", "quadratic"], "error: the following arguments are required: --x0"),
    (["trace", "quadratic", "--x0", "1,0", "--steps"], "error: argument --steps: expected one argument"),
    (["--he"], "error: the following arguments are required: command"),  # not --help abbreviated
    (["problems", "--he"], "error: unrecognized arguments: --he"),
    (["port", "--fr", "pytorch", "--to", "keras"], "error: the following arguments are required: --from"),
    (["port", "--from", "pytorch"], "error: the following arguments are required: --to"),
    (["animate", "cubic", "--x0", "-1"], "error: the following arguments are required: -o/--output"),
    (["animate", "cubic", "--x0", "-1", "-o", "a.gif", "--fram", "5"], "error: unrecognized arguments: --fram 5"),
    (["trace", "quadratic", "--x0", "1,0", "--momentum", "1"], "momentum must be in [0, 1), got 1.0"),
    (
        ["trace", "quadratic", "--x0", "1,0", "--weight-decay", "w"],
        "error: argument --weight-decay: weight_decay must be a number, got 'w'",
    ),
    (["trace", "quadratic", "--x0", "1,0", "--steps", "1.5"], "steps must be a whole number, got '1.5'"),
    (["trace", "quadratic", "--x0", "1,0", "--digits", "x"], "digits must be a whole number, got 'x'"),
    (["trace", "quadratic", "--x0", "1,0", "--digits", "8"], "digits must be a whole number in [16, 10000], got 8"),
    (["trace", "quadratic", "--x0", "1,a"], "x0 must be comma-separated numbers such as -1.5,2, got '1,a'"),
    (["trace", "quadratic", "--x0", "1,0", "--schedule", "weekly"], "schedule"),
    (["trace", "quadratic", "--x0", "1,0", "--format", "xml"], "format must be one of json, csv, got 'xml'"),
    (["trace", "quadratic", "--x0", "1,0", "--set", "lr=1"], "--set needs --framework"),
    (["trace", "quadratic", "--x0", "1,0", "--optimizer", "adam"], "--optimizer needs --framework"),
    (["trace", "quadratic", "--x0", "1,0", "--backend", "jax"], "--backend needs --framework"),
    (
        ["trace", "quadratic", "--x0", "1,0", "--hyperparameters-as", "float64"],
        "error: --hyperparameters-as needs --framework",
    ),
    (
        ["trace", "quadratic", "--x0", "1,0", "--lr", "0", "--schedule", "step"],
        "error: lr must be a finite number > 0, got 0.0",
    ),
    (["trace", "quadratic", "--x0", "1,0", "--stepz", "3"], "unrecognized arguments: --stepz"),
    (["trace", "quadratic", "--x0", "1,0", "--step", "3"], "unrecognized arguments: --step"),  # no abbreviations
    # step 1 moves each coordinate by lr / sqrt(1 - rho) = 3.2e300, still finite; the gradient there overflows
    (["trace", "rosenbrock", "--x0", "2,2", "--lr", "1e300"], "step 2: the point became [nan, nan] from [-3.16"),
    (["problems", "--x"], "unrecognized arguments"),
    ([], "required"),
]


@pytest.mark.parametrize(("args", "needle"), MISTAKES, ids=[" ".join(a) or "nothing" for a, _ in MISTAKES])
def test_mistakes_are_one_line_and_exit_2(call, args, needle):
    one_line_error(call(*args), needle)


FRAMEWORK_MISTAKES = [
    (
        ["--framework", "keras", "--lr", "0.1", "--rho", "0.9"],
        "error: --framework takes the framework's own keyword arguments: use --set KEY=VALUE instead of --lr, --rho",
    ),
    (["--framework", "keras", "--centered"], "instead of --centered"),
    (["--framework", "keras", "--weight-decay", "0.1"], "instead of --weight-decay"),
    (["--framework", "keras", "--convention", "keras"], "instead of --convention"),
    (["--framework", "keras", "--schedule", "step"], "instead of --schedule"),
    (["--framework", "keras", "--set", "rho=0.9", "--set", "rho=0.8"], "--set rho is given twice"),
    (["--framework", "keras", "--set", "=0.9"], "--set takes KEY=VALUE, got '=0.9'"),
    (["--framework", "keras", "--set", "rho0.9"], "--set takes KEY=VALUE, got 'rho0.9'"),
    (
        ["--framework", "keras", "--set", "rho=1=2"],
        "error: argument --set: --set rho must be a number, true, false, none or a comma list, got '1=2'",
    ),
    (["--framework", "keras", "--set", "rho=1,x"], "--set rho must be a number, true, false, none or a comma list"),
    (["--framework", "keras", "--optimizer", "adam"], "--optimizer applies to --framework pytorch, not keras"),
    (
        ["--framework", "pytorch", "--optimizer", "adam", "--backend", "jax"],
        "error: --backend applies to --framework keras",
    ),
    (["--framework", "pytorch", "--optimizer", "adam", "--set", "rho=1"], "pytorch adam has no keyword argument 'rho'"),
    (["--framework", "pytorch", "--optimizer", "nadam"], "optimizer must be one of sgd, adagrad"),
    (["--framework", "keras", "--hyperparameters-as", "int"], "hyperparameters_as must be one of python, float64"),
]


@pytest.mark.parametrize(("args", "needle"), FRAMEWORK_MISTAKES, ids=[" ".join(a) for a, _ in FRAMEWORK_MISTAKES])
def test_framework_mistakes(call, args, needle):
    one_line_error(call("trace", "quadratic", "--x0", "1,0", "--steps", "2", *args), needle)


def test_a_multi_line_message_is_printed_on_one_line(call, monkeypatch):
    def fail(args):
        raise ValueError("first\n  second\tthird")

    monkeypatch.setattr(cli, "run_from_args", fail)
    line = one_line_error(call("trace", "quadratic", "--x0", "1,0"), "first second third")
    assert line == "rmsprop-docs: error: first second third"


def test_an_os_error_is_one_line(call, monkeypatch):
    def fail(args):
        raise OSError("disk full")

    monkeypatch.setattr(cli, "run_from_args", fail)
    one_line_error(call("trace", "quadratic", "--x0", "1,0"), "disk full")


def test_interrupt_exits_130(call, monkeypatch):
    def interrupt(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_from_args", interrupt)
    code, out, err = call("trace", "quadratic", "--x0", "1,0")
    assert code == 130 and out == "" and err == "rmsprop-docs: interrupted\n"


# --- --set values and frameworks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        (" TRUE ", True),
        ("False", False),
        ("none", None),
        ("None", None),
        ("0.5", 0.5),
        ("-2", -2.0),
        ("0.9,0.999", (0.9, 0.999)),
        ("1e-3", 0.001),
    ],
)
def test_set_values(text, value):
    parsed = cli._value(text)
    assert parsed == value and type(parsed) is type(value)


def test_set_keys_are_stripped():
    assert cli._setting(" rho = 0.5") == ("rho", 0.5)
    assert cli._setting("a=1") == ("a", 1.0)


def test_framework_run_matches_the_framework_optimizer(call):
    code, out, _ = call(
        "trace", "cubic", "--x0", "-1", "--steps", "5", "--framework", "keras", "--set", "learning_rate=0.1"
    )
    assert code == 0
    expected = trace("cubic", [-1.0], frameworks.optimizer("keras", learning_rate=0.1), 5)
    doc = json.loads(out)
    assert doc["points"] == expected.points.tolist()
    assert doc["hyperparameters"]["framework"] == "keras"


def test_framework_hyperparameters_as_float64(call):
    args = ("trace", "cubic", "--x0", "-1", "--steps", "3", "--framework", "keras", "--set", "learning_rate=0.1")
    code, out, _ = call(*args, "--hyperparameters-as", "float64")
    expected = trace("cubic", [-1.0], frameworks.optimizer("keras", hyperparameters_as="float64", learning_rate=0.1), 3)
    assert code == 0 and json.loads(out)["points"] == expected.points.tolist()


def test_framework_keras_backend(call):
    args = ("trace", "cubic", "--x0", "-1", "--steps", "3", "--framework", "keras", "--backend", "torch")
    code, out, _ = call(*args)
    assert code == 0 and json.loads(out)["hyperparameters"]["backend"] == "torch"


@pytest.mark.parametrize("name", ["rmsprop", None])
def test_framework_pytorch_rmsprop_through_optimizer(call, name):
    extra = ["--optimizer", name] if name else []
    code, out, _ = call("trace", "cubic", "--x0", "-1", "--steps", "3", "--framework", "pytorch", *extra)
    expected = trace("cubic", [-1.0], frameworks.optimizer("pytorch"), 3)
    assert code == 0 and json.loads(out)["points"] == expected.points.tolist()


def test_framework_pytorch_other_optimizer_with_keywords(call):
    args = ("trace", "cubic", "--x0", "-1", "--steps", "3", "--framework", "pytorch", "--optimizer", "adam")
    code, out, _ = call(*args, "--set", "lr=0.1", "--set", "betas=0.8,0.99")
    expected = trace("cubic", [-1.0], baselines.TORCH_OPTIMIZERS["adam"](lr=0.1, betas=(0.8, 0.99)), 3)
    assert code == 0 and json.loads(out)["points"] == expected.points.tolist()


def test_framework_digits_and_dtype_reach_the_run(call):
    args = ("trace", "cubic", "--x0", "-1", "--steps", "2", "--framework", "pytorch", "--dtype", "float32")
    code, out, _ = call(*args)
    assert code == 0 and json.loads(out)["dtype"] == "float32"
    code, out, _ = call("trace", "cubic", "--x0", "-1", "--steps", "2", "--framework", "pytorch", "--digits", "20")
    assert code == 0 and json.loads(out)["dtype"] == "20 digits"


# --- port --------------------------------------------------------------------------------------------------------


def test_port_prints_the_port(call):
    code, out, err = call("port", "--from", "pytorch", "--to", "optax", "--set", "lr=0.01", "--set", "alpha=0.9")
    assert code == 0 and err == ""
    expected = port.format_port(port.port("pytorch", "optax", {"lr": 0.01, "alpha": 0.9}, "python"))
    assert out == expected + "\n"


def test_port_hyperparameters_as(call):
    outs = {}
    for as_ in ("python", "float64"):
        args = ("port", "--from", "tf-compat-v1", "--to", "pytorch", "--set", "learning_rate=0.01")
        code, outs[as_], _ = call(*args, "--hyperparameters-as", as_)
        expected = port.format_port(port.port("tf-compat-v1", "pytorch", {"learning_rate": 0.01}, as_))
        assert code == 0 and outs[as_] == expected + "\n"
    assert outs["python"] != outs["float64"]  # TF1 holds a Python float in float32, a float64 tensor as it is


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "pytorch", "--to", "caffe"], "framework must be one of pytorch, keras"),
        (["--from", "pytorch"], "the following arguments are required: --to"),
        (["--from", "pytorch", "--to", "keras", "--set", "lr=1", "--set", "lr=2"], "--set lr is given twice"),
    ],
)
def test_port_mistakes(call, args, needle):
    one_line_error(call("port", *args), needle)


# --- animate: every option checked before any work ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--style", "fancy"], "style must be one of default, post, got 'fancy'"),
        (["--fps", "0"], "fps must be a finite number > 0"),
        (["--fps", "101"], "fps must be in (0, 100]"),
        (["--fps", "x"], "fps must be a number, got 'x'"),
        (["--frames", "0"], "frames must be a whole number in [1, 11]"),
        (["--frames", "12"], "frames must be a whole number in [1, 11] (the run has 11 points; raise --steps)"),
        (["--frames", "x"], "frames must be a whole number, got 'x'"),
        (["--size", "10x10"], "size must be WxH with each side in [64, 4096] pixels"),
        (["--steps", "-1"], "steps must be a whole number in [0, 10000000]"),
        (["--lr", "0"], "lr must be a finite number > 0"),
    ],
)
def test_animate_mistakes_stop_before_drawing(call, tmp_path, monkeypatch, args, needle):
    drawn = []
    monkeypatch.setattr(cli, "run_from_args", lambda a: drawn.append(a))
    if args[0] == "--lr":  # the run's own options are checked by the run
        monkeypatch.undo()
    out = ["-o", str(tmp_path / "a.gif")]
    one_line_error(call("animate", "quadratic", "--x0", "1,0", "--steps", "10", "--frames", "5", *out, *args), needle)
    assert drawn == [] and not (tmp_path / "a.gif").exists()


@pytest.mark.parametrize(("output", "still"), [("a.png", None), ("a.gif", "b.gif")])
def test_animate_checks_file_names_before_drawing(call, tmp_path, monkeypatch, output, still):
    drawn = []
    monkeypatch.setattr(cli, "run_from_args", lambda a: drawn.append(a))
    args = ["animate", "quadratic", "--x0", "1,0", "--steps", "10", "--frames", "5", "-o", str(tmp_path / output)]
    if still:
        args += ["--still", str(tmp_path / still)]
    code, _, err = call(*args)
    assert code == 2 and drawn == [] and len(err.splitlines()) == 1


def test_animate_reports_what_it_wrote(call, tmp_path, monkeypatch):
    import rmsprop_docs.render as render

    class Result:
        path, frames, distinct_frames, size, bytes = tmp_path / "a.gif", 5, 4, (640, 480), 12345

    seen = {}

    def fake_animate(path, output, **options):
        seen.update(options, path=path, output=output)
        return Result

    monkeypatch.setattr(render, "animate", fake_animate, raising=False)
    args = ["animate", "quadratic", "--x0", "1,0", "--steps", "10", "--frames", "5", "--fps", "20"]
    args += ["--style", "post", "--size", "640x480", "-o", str(tmp_path / "a.gif"), "--still", str(tmp_path / "a.png")]
    code, out, err = call(*args)
    assert code == 0 and out == ""
    assert (
        err == f"wrote {tmp_path / 'a.gif'}: 5 frames (4 distinct), 640x480, 12,345 bytes; still {tmp_path / 'a.png'}\n"
    )
    assert seen["frames"] == 5 and seen["fps"] == 20.0 and seen["style"] == "post" and seen["size"] == (640, 480)
    assert seen["still"] == str(tmp_path / "a.png") and seen["output"] == str(tmp_path / "a.gif")
    assert seen["path"].points.tolist() == trace("quadratic", [1.0, 0.0], steps=10).points.tolist()
    code, out, err = call(*args[:-2])
    assert code == 0 and err.endswith("12,345 bytes\n") and "still" not in err


# --- the help text is complete and agrees with the defaults ---------------------------------------------------


def parsers():
    """The top-level parser and each command's, by name."""
    import argparse

    top = cli.build_parser()
    found = {"rmsprop-docs": top}
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
            commands = action
    return found, commands


def test_every_command_and_option_has_help():
    found, commands = parsers()
    assert set(found) == {"rmsprop-docs", "problems", "trace", "port", "animate"}
    assert found["rmsprop-docs"].description
    assert all(choice.help for choice in commands._choices_actions)
    for name, parser in found.items():
        for action in parser._actions:
            assert action.help or action is commands, (name, action.dest)  # the commands have theirs


def test_options_that_are_not_plain_numbers_show_their_form():
    found, _ = parsers()
    metavars = {a.dest: a.metavar for p in found.values() for a in p._actions}
    assert metavars["x0"] == "X[,Y]" and cli._coordinates("1.5,-2") == [1.5, -2.0]
    assert metavars["size"] == "WxH"
    assert metavars["set"] == "KEY=VALUE" and metavars["schedule"].startswith("KIND[:NAME=VALUE")
    assert metavars["output"].endswith(".gif") and metavars["still"].endswith(".png")


def test_defaults_in_the_help_are_the_real_defaults():
    import re

    found, _ = parsers()
    shown = 0
    for parser in found.values():
        for action in parser._actions:
            match = re.search(r"\(default ([^)\s]+)\)", action.help or "")
            if not match:
                continue
            real = action.default if action.default is not None else cli.RMSPROP_DEFAULTS.get(action.dest, "rmsprop")
            text = match.group(1)
            assert (float(text) == real) if isinstance(real, float | int) else (text == real), action.dest
            shown += 1
    assert shown >= 10


def test_torch_optimizer_refusal_lists_what_it_accepts(call):
    import inspect

    keys = ", ".join(inspect.signature(baselines.TORCH_OPTIMIZERS["adam"]).parameters)
    args = ("trace", "quadratic", "--x0", "1,0", "--framework", "pytorch", "--optimizer", "adam", "--set", "rho=1")
    one_line_error(call(*args), f"error: pytorch adam has no keyword argument 'rho'; it accepts {keys}")


def test_optimizer_rmsprop_names_the_frameworks_own(call):
    args = ("trace", "cubic", "--x0", "-0.5", "--steps", "3", "--framework", "keras", "--optimizer", "rmsprop")
    code, out, err = call(*args)
    assert code == 0, err
    assert json.loads(out)["points"] == trace("cubic", [-0.5], frameworks.optimizer("keras"), 3).points.tolist()


def test_framework_run_takes_x0_dtype_and_how_values_are_passed(call):
    base = ("trace", "cubic", "--x0", "-0.5", "--steps", "5", "--framework", "tf-compat-v1")
    code, out, _ = call(*base, "--set", "learning_rate=0.01", "--dtype", "float32")
    expected = trace("cubic", [-0.5], frameworks.optimizer("tf-compat-v1", learning_rate=0.01), 5, "float32")
    assert code == 0 and json.loads(out)["points"] == expected.points.tolist()
    runs = {}
    for as_ in ("python", "float64"):
        code, out, _ = call(*base, "--set", "learning_rate=0.01", "--hyperparameters-as", as_)
        optimizer = frameworks.optimizer("tf-compat-v1", hyperparameters_as=as_, learning_rate=0.01)
        runs[as_] = json.loads(out)["points"]
        assert code == 0 and runs[as_] == trace("cubic", [-0.5], optimizer, 5).points.tolist()
    assert runs["python"] != runs["float64"]  # a Python float is held in float32 there: 0.01 is not 0.01


def test_csv_has_plain_newlines_and_every_digit_of_an_n_digit_run(call):
    code, out, _ = call("trace", "cubic", "--x0", "-1", "--steps", "2", "--format", "csv", "--digits", "30")
    assert code == 0 and "\r" not in out
    rows = list(csv.reader(io.StringIO(out)))
    path = trace("cubic", [-1.0], steps=2, digits=30)
    with mpmath.workdps(30):
        assert rows[1][1] == mpmath.nstr(path.points[0, 0], 30)
        step_2 = [path.points[2, 0], path.grads[1, 0], path.accumulators[1, 0], path.deltas[1, 0]]
        assert rows[3] == ["2", *(mpmath.nstr(v, 30) for v in step_2)]


def test_help_names_the_program(capsys):
    for args in (["--help"], ["trace", "--help"]):
        with pytest.raises(SystemExit) as done:
            cli.main(args)
        assert done.value.code == 0
        assert capsys.readouterr().out.startswith("usage: rmsprop-docs ")


def test_trace_csv_in_n_digits_prints_the_start_in_n_digits(call):
    code, out, _ = call("trace", "cubic", "--x0=-0.1", "--steps", "1", "--digits", "30", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    with mpmath.workdps(30):
        start = mpmath.nstr(mpmath.mpf(-0.1), 30)  # the double nearest -0.1, to 30 digits
    assert code == 0 and rows[1][1] == start and len(start) > 20
