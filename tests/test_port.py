"""Porting a call between frameworks: exact ports reproduce the source, inexact ones say why and measure it."""

import itertools
import json
import types

import numpy as np
import pytest

from conftest import FIXTURES
from rmsprop_docs import cli, port, trace
from rmsprop_docs.optimizers import frameworks

NAMES = list(frameworks.FRAMEWORKS)
PAIRS = list(itertools.product(NAMES, NAMES))


def lr_only(name):
    return {frameworks.get(name).spelling("lr"): 0.01}


def with_everything(name):
    """The source's call with every option it has switched on (momentum, centered, weight decay)."""
    record = frameworks.get(name)
    kwargs = lr_only(name)
    for meaning, value in (("momentum", 0.5), ("centered", True), ("weight_decay", 0.01)):
        if record.spelling(meaning):
            kwargs[record.spelling(meaning)] = value
    return kwargs


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
@pytest.mark.parametrize("calls", [lr_only, with_everything], ids=["lr", "all-options"])
def test_every_pair_is_exact_or_says_why(source, target, calls):
    result = port.port(source, target, calls(source))
    assert set(result.differences) == {"cubic", "quadratic", "rosenbrock"}
    advice = ("float64 tensors", "float32: ")  # notes that say how to pass the values, not what differs
    if result.exact:
        # The same update from the same start: only rounding is left.
        assert result.max_difference < 1e-11, result
        assert all(any(a in note for a in advice) for note in result.unmatched)
    else:
        assert any(not any(a in note for a in advice) for note in result.unmatched)
        structural = [n for n in result.unmatched if not any(a in n for a in advice) and "holds it in float32" not in n]
        # A different update is a visible difference; a value rounded to float32 may be a small one.
        assert result.max_difference > (1e-9 if structural else 0.0), result
    # Written in the target's own spelling, the same keywords both ways.
    assert set(result.kwargs) <= set(frameworks.get(target).keys)
    assert set(result.kwargs) <= set(result.exact_kwargs) <= set(frameworks.get(target).keys)
    # The printed call is what was measured: run it again.
    again = frameworks.optimizer(target, hyperparameters_as=result.hyperparameters_as, **result.kwargs)
    source_opt = frameworks.optimizer(source, **calls(source))
    assert port.measure(source_opt, again) == result.differences
    if result.exact:  # the decimals printed compute exactly what the float32 values would
        exact = frameworks.optimizer(target, hyperparameters_as=result.hyperparameters_as, **result.exact_kwargs)
        assert port.measure(source_opt, exact) == result.differences


def test_a_framework_ports_to_itself_exactly():
    for name in NAMES:
        result = port.port(name, name, with_everything(name))
        assert result.exact and result.max_difference == 0.0, name


@pytest.mark.parametrize(
    ("source", "target", "kwargs", "expected"),
    [
        ("pytorch", "optax", {"lr": 0.01, "alpha": 0.9}, {"learning_rate": 0.01, "eps_in_sqrt": False}),
        (
            "tf-compat-v1",
            "optax",
            {"learning_rate": 0.01},
            {"initial_scale": 1.0, "learning_rate": 0.009999999776482582},
        ),
        ("mlx", "pytorch", {"learning_rate": 0.01}, {"lr": 0.009999999776482582}),
        ("paddle", "keras", {"learning_rate": 0.01}, {"rho": 0.949999988079071, "epsilon": 9.999999974752427e-07}),
        ("keras", "tf-keras", {"learning_rate": 0.01, "weight_decay": 0.1}, {"weight_decay": 0.10000000149011612}),
    ],
)
def test_exact_ports_carry_the_values_the_source_computes_with(source, target, kwargs, expected):
    result = port.port(source, target, kwargs)
    assert result.exact
    assert expected.items() <= result.exact_kwargs.items()


@pytest.mark.parametrize(
    ("source", "target", "kwargs", "needles"),
    [
        ("tf-compat-v1", "pytorch", {"learning_rate": 0.01}, ["v0: the accumulator starts at 1", "eps: inside"]),
        ("pytorch", "keras", {"lr": 0.01, "weight_decay": 0.1}, ["weight decay: l2", "eps: outside"]),
        ("optax", "pytorch", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}, ["nesterov"]),
        ("optax", "keras", {"learning_rate": 0.01, "bias_correction": True}, ["bias correction"]),
        ("pytorch", "mlx", {"momentum": 0.9, "centered": True}, ["momentum:", "centered:"]),
        ("keras", "paddle", {"learning_rate": 0.01}, ["rho: paddle.optimizer.RMSProp holds it in float32"]),
    ],
)
def test_inexact_ports_name_what_cannot_be_matched(source, target, kwargs, needles):
    result = port.port(source, target, kwargs)
    assert not result.exact
    text = " ".join(result.unmatched)
    for needle in needles:
        assert needle in text
    printed = port.format_port(result)
    assert "nearest, not exact" in printed
    assert max(len(line) for line in printed.splitlines()) <= 96


def test_eps_moved_across_the_root_is_re_spelled_by_measurement():
    # Keras' eps inside the root, into MLX (outside): both candidates measured, the nearer printed.
    kwargs = {"learning_rate": 0.05, "epsilon": 0.1}
    result = port.port("keras", "mlx", kwargs)
    source = frameworks.optimizer("keras", **kwargs)
    errors = {}
    for eps in (0.1, 0.1**0.5):
        candidate = frameworks.optimizer("mlx", hyperparameters_as="float64", **{**result.kwargs, "eps": eps})
        errors[eps] = max(port.measure(source, candidate).values())
    assert result.kwargs["eps"] == min(errors, key=errors.get)
    assert result.max_difference == min(errors.values())


def test_a_target_holding_python_floats_in_float32_is_told_to_take_tensors():
    result = port.port("pytorch", "tf-compat-v1", {"lr": 0.01})
    assert result.hyperparameters_as == "float64"
    assert any("as float64 tensors" in note for note in result.unmatched)


def test_exact_port_reproduces_the_source_recording():
    # TF1's recorded run, reproduced by Optax's emulation with the ported keywords.
    doc = json.loads((FIXTURES / "frameworks" / "tf-compat-v1.json").read_text())
    for case in doc["cases"]:
        if case["hyperparameters_as"] != "python":
            continue
        result = port.port("tf-compat-v1", "optax", case["kwargs"])
        assert result.exact
        opt = frameworks.optimizer("optax", hyperparameters_as=result.hyperparameters_as, **result.kwargs)
        mine = trace(case["problem"], case["x0"], opt, steps=100).points
        assert np.abs(mine - np.array(case["points"])).max() < 5e-9


# --- What `rmsprop-docs port` prints: values a user would paste ----------------------------------------------------


def printed(capsys, *args):
    """What `rmsprop-docs port ARGS` prints, and its exit status."""
    code = cli.main(["port", *args])
    out, err = capsys.readouterr()
    assert code == 0 and err == "", err
    return out


def first_call(text):
    """The call at the top of the text output, joined where it was wrapped."""
    lines = text.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith(("exact", "nearest")))
    return " ".join(line.strip() for line in lines[:end])


def test_keras_to_pytorch_prints_the_decimals(capsys):
    out = printed(capsys, "--from", "keras", "--to", "pytorch")
    assert first_call(out) == "torch.optim.RMSprop(lr=0.001, alpha=0.9, eps=1e-07)"
    assert "nearest, not exact" in out and "eps: inside the root" in out


def test_pytorch_to_keras_prints_the_decimals(capsys):
    out = printed(capsys, "--from", "pytorch", "--to", "keras")
    assert first_call(out) == "keras.optimizers.RMSprop(learning_rate=0.01, rho=0.99, epsilon=1e-08)"


def test_keras_decoupled_weight_decay_into_pytorch_keeps_the_decimal(capsys):
    # Keras (TensorFlow backend, its default) holds weight_decay in float32; the port is not exact anyway (decoupled
    # against L2), so the 0.01 the user gave is printed, not 0.009999999776482582.
    out = printed(capsys, "--from", "keras", "--to", "pytorch", "--set", "weight_decay=0.01")
    call = first_call(out)
    assert call.startswith("torch.optim.RMSprop(lr=0.001, alpha=0.9, eps=") and call.endswith(", weight_decay=0.01)")
    assert "weight decay: decoupled" in out
    assert "weight_decay=0.01 as 0.009999999776482582" in out.replace("\n    ", " ")


def test_tf1_to_pytorch_prints_decimals_and_says_what_tf1_computes_with(capsys):
    # TF1 holds 0.01, 0.9 and 1e-10 in float32, but v0 = 1 has no PyTorch spelling: not exact anyway, so the decimals.
    out = printed(capsys, "--from", "tf-compat-v1", "--to", "pytorch", "--set", "learning_rate=0.01")
    assert first_call(out) == "torch.optim.RMSprop(lr=0.01, alpha=0.9, eps=1e-05)"
    flat = " ".join(line.strip() for line in out.splitlines())
    assert "v0: the accumulator starts at 1" in flat
    assert "decay=0.9 as 0.8999999761581421" in flat and "the port is not exact anyway, so the decimals" in flat


def test_an_exact_port_prints_the_float32_value_widened_and_says_why(capsys):
    # tf_keras' legacy optimizer holds rho and learning_rate in float32; PyTorch holds Python floats in float64, so
    # only the widened values reproduce it, and the decimal 0.9 would not.
    out = printed(capsys, "--from", "tf-keras-legacy", "--to", "pytorch")
    assert first_call(out) == "torch.optim.RMSprop(lr=0.0010000000474974513, alpha=0.8999999761581421, eps=1e-07)"
    flat = " ".join(line.strip() for line in out.splitlines())
    assert flat.split(" - ")[0].split("; ")[0].endswith("exact: the same update from the same start")
    assert "rho=0.9 as 0.8999999761581421" in flat and "holds Python floats in float64, so the port carries" in flat
    source = frameworks.optimizer("tf-keras-legacy")
    decimals = frameworks.optimizer("pytorch", lr=0.001, alpha=0.9, eps=1e-7)
    assert max(port.measure(source, decimals).values()) > 1e-12  # the decimals are not the exact port
    # TF1 into Optax, which has TF1's v0: exact, with TF1's float32 values.
    out = printed(capsys, "--from", "tf-compat-v1", "--to", "optax", "--set", "learning_rate=0.01")
    assert first_call(out) == (
        "optax.rmsprop(learning_rate=0.009999999776482582, decay=0.8999999761581421, eps=1.000000013351432e-10, "
        "initial_scale=1.0)"
    )


def test_a_target_holding_the_value_in_float32_too_gets_the_decimal(capsys):
    # Keras' TensorFlow backend and tf_keras both hold weight_decay in float32: 0.1 is exact in both.
    out = printed(capsys, "--from", "keras", "--to", "tf-keras", "--set", "weight_decay=0.1")
    assert first_call(out) == "tf_keras.optimizers.RMSprop(learning_rate=0.001, weight_decay=0.1)"
    assert out.splitlines()[1].startswith("exact: ")


def test_json_keeps_the_exact_values(capsys):
    doc = json.loads(printed(capsys, "--from", "tf-compat-v1", "--to", "pytorch", "--set", "learning_rate=0.01",
                             "--format", "json"))  # fmt: skip
    assert doc["kwargs"] == {"lr": 0.01, "alpha": 0.9, "eps": 1e-05}
    assert doc["exact_kwargs"] == {
        "lr": 0.009999999776482582,
        "alpha": 0.8999999761581421,
        "eps": 1.000000006675716e-05,  # the square root of float32(1e-10)
    }
    assert doc["call"] == "torch.optim.RMSprop(lr=0.01, alpha=0.9, eps=1e-05)" and doc["exact"] is False
    assert set(doc["differences"]) == {"cubic", "quadratic", "rosenbrock"} and doc["steps"] == port.STEPS
    result = port.port("tf-compat-v1", "pytorch", {"learning_rate": 0.01})
    assert doc["differences"] == result.differences and doc["notes"] == list(result.unmatched)
    # An exact port: the JSON's kwargs and exact_kwargs are the widened values.
    doc = json.loads(printed(capsys, "--from", "mlx", "--to", "pytorch", "--set", "learning_rate=0.01",
                             "--format", "json"))  # fmt: skip
    assert doc["exact"] and doc["kwargs"] == doc["exact_kwargs"] == {"lr": 0.009999999776482582}


def test_a_diverged_run_is_null_in_json():
    result = port.port("pytorch", "keras", {})
    diverged = port.Port(**{**result.__dict__, "differences": {**result.differences, "cubic": float("inf")}})
    text = json.dumps(port.as_json(diverged), allow_nan=False)
    assert json.loads(text)["differences"]["cubic"] is None


# --- Mistakes the tests above would not catch ---------------------------------------------------------------------


def test_eps_moved_outside_the_root_is_rooted_and_moved_inside_is_squared():
    # sqrt(v + e) near v = 0 is sqrt(e): outside the root that is eps = sqrt(e); the other way, e = eps**2.
    # Squaring where one should root (or the reverse) prints 1e-20 or 1e-10 here, never 1e-05.
    out = port.port("tf-compat-v1", "pytorch", {"learning_rate": 0.01})
    assert out.kwargs["eps"] == 1e-05 and out.exact_kwargs["eps"] == np.sqrt(np.float32(1e-10).item())
    assert any("eps=1e-05 (the square root of eps) measured nearest" in n for n in out.unmatched)
    into = port.port("pytorch", "tf-compat-v1", {})
    assert into.kwargs["epsilon"] == 1e-16 and into.exact_kwargs["epsilon"] == 1e-8 * 1e-8
    assert any("epsilon=1e-16 (eps squared) measured nearest" in n for n in into.unmatched)
    # Both candidates measured, each direction: the re-spelled one is the nearer in these two.
    for source, target, kwargs, name, other in (
        ("tf-compat-v1", "pytorch", {"learning_rate": 0.01}, "eps", 1e-10),
        ("pytorch", "tf-compat-v1", {}, "epsilon", 1e-8),
    ):
        result = port.port(source, target, kwargs)
        unchanged = {**result.kwargs, name: other}
        as_ = result.hyperparameters_as
        found = port.measure(
            frameworks.optimizer(source, **kwargs), frameworks.optimizer(target, hyperparameters_as=as_, **unchanged)
        )
        assert max(found.values()) > result.max_difference


def test_the_eps_candidate_is_written_in_the_target_spelling():
    # Keras' default epsilon 1e-7, inside the root, into tf_keras' legacy optimizer (outside, spelled "epsilon"):
    # its square root is measured nearest and must land under "epsilon", never "eps".
    result = port.port("keras", "tf-keras-legacy", {})
    assert "eps" not in result.kwargs and "eps" not in result.exact_kwargs
    assert result.kwargs["epsilon"] == 0.000316227766016838
    assert result.exact_kwargs["epsilon"] == 1e-7**0.5
    again = frameworks.optimizer("tf-keras-legacy", hyperparameters_as=result.hyperparameters_as, **result.kwargs)
    assert port.measure(frameworks.optimizer("keras"), again) == result.differences


def test_measure_compares_whole_paths_not_only_the_last_points(monkeypatch):
    # Two runs that part and meet again: the difference is where they parted.
    paths = {"a": np.array([[0.0], [3.0], [1.0]]), "b": np.array([[0.0], [1.0], [1.0]])}
    monkeypatch.setattr(port, "trace", lambda problem, x0, opt, steps: types.SimpleNamespace(points=paths[opt]))
    assert port.measure("a", "b") == dict.fromkeys(("cubic", "quadratic", "rosenbrock"), 2.0)


def test_measure_of_real_runs_is_their_largest_gap_at_any_step():
    a, b = frameworks.optimizer("pytorch"), frameworks.optimizer("keras")
    found = port.measure(a, b)
    parted_more_than_at_the_end = 0
    for problem, x0 in port.RUNS:
        pa = trace(problem, list(x0), a, steps=port.STEPS).points
        pb = trace(problem, list(x0), b, steps=port.STEPS).points
        assert found[problem] == np.abs(pa - pb).max()
        parted_more_than_at_the_end += found[problem] > np.abs(pa[-1] - pb[-1]).max()
    assert parted_more_than_at_the_end >= 1  # so a measure of the last points only would differ


@pytest.mark.parametrize(
    ("source", "kwargs", "needle"),
    [
        ("keras", {"epsilon": 0.0}, "epsilon must be a finite number > 0"),
        ("tf-compat-v1", {"learning_rate": 0.01, "epsilon": 0.0}, "epsilon must be a finite number > 0"),
        ("paddle", {"learning_rate": 0.01, "epsilon": 0.0}, "epsilon must be a finite number > 0"),
        ("pytorch", {"eps": 0.0}, "eps must be a finite number > 0"),
    ],
)
def test_a_zero_epsilon_is_named_in_the_source_spelling(source, kwargs, needle, capsys):
    with pytest.raises(ValueError) as error:
        port.port(source, "optax", kwargs)
    assert needle in str(error.value)
    if needle.startswith("epsilon"):
        assert "eps must" not in str(error.value)
    args = ["port", "--from", source, "--to", "optax"]
    for key, value in kwargs.items():
        args += ["--set", f"{key}={value}"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("rmsprop-docs: error: ") and needle in err


def test_keras_default_backend_is_tensorflow_and_the_port_uses_it():
    # The record lists Keras 3's backends with the default first, as Keras 3 itself defaults to TensorFlow; the
    # recordings hold runs of all three.
    assert frameworks.KERAS.backends[0].name == "tensorflow"
    assert frameworks.KERAS.backend(None).name == "tensorflow"
    assert frameworks.resolve("keras", {}).backend == "tensorflow"
    recorded = {
        case.get("backend") for case in json.loads((FIXTURES / "frameworks" / "keras.json").read_text())["cases"]
    }
    assert recorded == {"tensorflow", "torch", "jax"}
    # So a port from Keras carries the TensorFlow backend's float32 weight decay.
    result = port.port("keras", "tf-keras", {"weight_decay": 0.1})
    assert result.exact and result.exact_kwargs["weight_decay"] == 0.10000000149011612
    assert result.source.convention.float32_hyperparameters == ("weight_decay",)


# --- What each port prints, keyword by keyword ---------------------------------------------------------------------


def test_eps_unchanged_is_printed_where_it_measures_nearest():
    # A large eps: v soon dwarfs nothing, and the eps given beats its root (or square) on these runs, both ways.
    into = port.port("keras", "pytorch", {"learning_rate": 0.01, "epsilon": 0.5})
    assert into.kwargs["eps"] == 0.5
    assert any(n.endswith("; eps=0.5 (eps unchanged) measured nearest") for n in into.unmatched), into.unmatched
    back = port.port("pytorch", "keras", {"eps": 0.5})
    assert back.kwargs["epsilon"] == 0.5
    assert any(n.endswith("; epsilon=0.5 (eps unchanged) measured nearest") for n in back.unmatched), back.unmatched


def test_a_target_called_with_tensors_prints_only_what_differs_from_its_defaults():
    # TF1 is told to take float64 tensors; its momentum (0.0) and centered (False) stay at their defaults, unprinted.
    result = port.port("pytorch", "tf-compat-v1", {"lr": 0.01})
    assert result.hyperparameters_as == "float64"
    assert result.kwargs == {"learning_rate": 0.01, "decay": 0.99, "epsilon": 1e-16}


def test_a_target_that_rounds_the_value_itself_gets_the_decimal():
    # Paddle holds rho and epsilon in float32 whatever it is given: into itself, the decimals (its defaults) are
    # what reproduce it, so nothing but the learning rate is printed.
    result = port.port("paddle", "paddle", {"learning_rate": 0.01})
    assert result.exact and result.kwargs == {"learning_rate": 0.01}
    assert result.exact_kwargs == {"learning_rate": 0.01, "rho": 0.949999988079071, "epsilon": 9.999999974752427e-07}
    # Keras' default backend (TensorFlow) holds weight_decay in float32, as tf_keras does: the decimal again.
    result = port.port("tf-keras", "keras", {"weight_decay": 0.1})
    assert result.exact and result.kwargs == {"learning_rate": 0.001, "weight_decay": 0.1}
    assert result.exact_kwargs["weight_decay"] == 0.10000000149011612


def test_a_source_called_with_tensors_is_ported_with_the_values_it_was_given():
    # TF1 given a float64 tensor learning rate computes with 0.01 itself; the default decay it was not given stays
    # float32.
    result = port.port("tf-compat-v1", "optax", {"learning_rate": 0.01}, hyperparameters_as="float64")
    assert result.exact and result.source.hyperparameters_as == "float64"
    assert result.exact_kwargs["learning_rate"] == 0.01 and result.exact_kwargs["decay"] == 0.8999999761581421


def test_nesterov_and_bias_correction_are_carried_where_the_target_has_them():
    kwargs = {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True, "bias_correction": True}
    result = port.port("optax", "optax", kwargs)
    assert result.exact and result.unmatched == () and result.max_difference == 0.0
    assert result.kwargs == kwargs
    # Into PyTorch, which has neither, both are named as dropped, each in its own note.
    result = port.port("optax", "pytorch", kwargs)
    assert not result.exact
    assert "nesterov: torch.optim.RMSprop has none; dropped" in result.unmatched
    assert "bias correction: torch.optim.RMSprop has none; dropped" in result.unmatched
    # Nesterov without momentum changes nothing, so there is nothing to drop.
    result = port.port("optax", "pytorch", {"learning_rate": 0.01, "nesterov": True})
    assert not any(n.startswith("nesterov") for n in result.unmatched), result.unmatched


# --- How a port is printed -------------------------------------------------------------------------------------------


def blocks(text):
    """The text output cut into its call, its verdict and its notes, each a list of lines."""
    lines = text.splitlines()
    verdict = next(i for i, line in enumerate(lines) if line.startswith(("exact", "nearest")))
    notes = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    ends = [*notes, len(lines)]
    return lines[:verdict], lines[verdict : ends[0]], [lines[a:b] for a, b in itertools.pairwise(ends)]


def assert_filled(block, width, first, rest):
    """Each line of the block starts as it should and holds as many words as fit: the next word would not."""
    assert block[0].startswith(first) and not block[0][len(first) :].startswith(" ")
    assert all(line.startswith(rest) and not line[len(rest) :].startswith(" ") for line in block[1:]), block
    assert all(len(line) <= width for line in block), block
    for line, following in itertools.pairwise(block):
        assert len(line) + 1 + len(following.split()[0]) > width, (line, following)


def joined(block):
    return " ".join(line.strip().removeprefix("- ") for line in block)


@pytest.mark.parametrize("width", [96, 60])
@pytest.mark.parametrize(
    ("source", "target", "kwargs"),
    [
        ("tf-compat-v1", "optax", {"learning_rate": 0.01}),  # a call longer than a line, exact, one long note
        ("tf-compat-v1", "pytorch", {"learning_rate": 0.01}),  # a short call, three notes
        ("pytorch", "optax", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True}),  # a call of 70 to 96
    ],
)
def test_the_text_output_fills_its_lines_and_indents_what_continues(source, target, kwargs, width):
    result = port.port(source, target, kwargs)
    call, verdict, notes = blocks(port.format_port(result, width))
    assert_filled(call, width, "", "    ")
    assert joined(call) == port.call(result)
    assert_filled(verdict, width, "", "")
    where = ", ".join(f"{p} {d:.1e}" for p, d in result.differences.items())
    sentence = "exact: the same update from the same start" if result.exact else "nearest, not exact"
    assert joined(verdict) == f"{sentence}; largest difference over {port.STEPS} steps: {where}"
    assert len(notes) == len(result.unmatched)
    for block, note in zip(notes, result.unmatched, strict=True):
        assert_filled(block, width, "  - ", "    ")
        assert joined(block) == note


def test_a_call_of_70_to_96_characters_stays_on_one_line():
    result = port.port("pytorch", "optax", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True})
    assert 70 < len(port.call(result)) <= 96
    assert port.format_port(result).splitlines()[0] == port.call(result)


def test_the_text_output_never_cuts_a_hyphenated_word():
    result = port.port("tf-compat-v1", "pytorch", {"learning_rate": 0.01})
    target = types.SimpleNamespace(emulates="tf-keras.RMSprop")
    hyphens = port.Port(
        **{
            **result.__dict__,
            "target": target,
            "kwargs": {"lr": 0.01, "s": "one-cycle-cosine"},
            "differences": {"two-hump-camel-back": 0.5, "rosenbrock-valley-floor": 0.25},
            "unmatched": ("momentum: well-known trade-off, hand-tuned step-size schedule left as-is",),
        }
    )
    text = port.format_port(hyphens, 34)  # wider than any word, so only a hyphen could cut one
    assert (
        text.split()
        == " ".join(
            [
                port.call(hyphens),
                "nearest, not exact; largest difference over 100 steps:",
                "two-hump-camel-back 5.0e-01, rosenbrock-valley-floor 2.5e-01 -",
                *hyphens.unmatched,
            ]
        ).split()
    )


def test_the_json_output_names_both_ends_and_how_the_values_are_passed():
    result = port.port("pytorch", "tf-compat-v1", {"lr": 0.01})
    doc = port.as_json(result)
    assert doc == {
        "from": "pytorch",
        "to": "tf-compat-v1",
        "call": port.call(result),
        "kwargs": result.kwargs,
        "exact_kwargs": result.exact_kwargs,
        "hyperparameters_as": "float64",
        "exact": False,
        "steps": port.STEPS,
        "differences": result.differences,
        "notes": list(result.unmatched),
    }
    assert port.call(result) == "tf.compat.v1.train.RMSPropOptimizer(learning_rate=0.01, decay=0.99, epsilon=1e-16)"
