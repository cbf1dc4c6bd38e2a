"""The ``rmsprop-docs`` command line.

Every user mistake ends as one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence

from rmsprop_docs import arithmetic, problems, validation
from rmsprop_docs.optimizers import CONVENTIONS, Optimizer, frameworks, schedules
from rmsprop_docs.optimizers.baselines import TORCH_OPTIMIZERS
from rmsprop_docs.render import limits
from rmsprop_docs.trajectory import Trajectory, trace, trace_from

PROG = "rmsprop-docs"
FORMATS = ("json", "csv")
PORT_FORMATS = ("text", "json")
# Options whose value may start with "-" and still not be a plain number
# argparse recognizes ("-1.5,2"): glued to the option before parsing.
_GLUED_VALUE_OPTIONS = ("--x0",)


class UsageError(Exception):
    """A mistake in the command line itself."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        raise UsageError(message)


def _typed(name: str, convert, kind: str):
    """An argparse type whose error names the option as the API does."""

    def parse(text: str):
        try:
            return convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be {kind}, got {text!r}") from None

    return parse


def _whole(name: str):
    return _typed(name, int, "a whole number")


def _real(name: str):
    return _typed(name, float, "a number")


def _size(text: str) -> tuple[int, int]:
    try:
        return limits.parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _coordinates(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"x0 must be comma-separated numbers such as -1.5,2, got {text!r}") from None


# RMSprop's own options, with their defaults; None on the parsed line means "not given".
RMSPROP_DEFAULTS = {
    "lr": 0.01,
    "rho": 0.9,
    "eps": 1e-8,
    "momentum": 0.0,
    "centered": False,
    "weight_decay": 0.0,
    "convention": "pytorch",
    "schedule": None,
}


# Help text too long for one line of a call.
SCHEDULE_HELP = (
    f"learning-rate schedule starting at --lr: one of {', '.join(schedules.KINDS)}, "
    "with options gamma, every, horizon, lr_min (e.g. step:gamma=0.5,every=100)"
)
FRAMEWORK_HELP = "run a framework's RMSprop exactly, with its own keyword arguments (--set): " + ", ".join(
    frameworks.FRAMEWORKS
)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose a problem, a start and RMSprop's hyperparameters (or a framework's call)."""
    parser.add_argument(
        "problem",
        help="a problem name (see 'rmsprop-docs problems')",
    )
    parser.add_argument(
        "--x0",
        type=_coordinates,
        required=True,
        metavar="X[,Y]",
        help="starting point",
    )
    parser.add_argument(
        "--steps",
        type=_whole("steps"),
        default=1000,
        help="number of steps (default 1000)",
    )
    parser.add_argument(
        "--lr",
        type=_real("lr"),
        default=None,
        help="learning rate (default 0.01)",
    )
    parser.add_argument(
        "--rho",
        type=_real("rho"),
        default=None,
        help="decay of the accumulator (default 0.9)",
    )
    parser.add_argument(
        "--eps",
        type=_real("eps"),
        default=None,
        help="epsilon (default 1e-8)",
    )
    parser.add_argument(
        "--momentum",
        type=_real("momentum"),
        default=None,
        help="momentum (default 0)",
    )
    parser.add_argument(
        "--centered",
        action="store_true",
        default=None,
        help="divide by the centered second moment",
    )
    parser.add_argument(
        "--weight-decay",
        type=_real("weight_decay"),
        default=None,
        help="weight decay (default 0)",
    )
    parser.add_argument(
        "--convention",
        default=None,
        help=f"one of {', '.join(CONVENTIONS)} (default pytorch)",
    )
    parser.add_argument(
        "--dtype",
        default="float64",
        help="float64 or float32 (default float64)",
    )
    parser.add_argument(
        "--schedule",
        default=None,
        metavar="KIND[:NAME=VALUE,...]",
        help=SCHEDULE_HELP,
    )
    parser.add_argument(
        "--digits",
        type=_whole("digits"),
        default=None,
        help="run in N-digit decimal arithmetic (mpmath) instead",
    )
    parser.add_argument(
        "--framework",
        default=None,
        help=FRAMEWORK_HELP,
    )
    add_set_option(parser)
    parser.add_argument(
        "--hyperparameters-as",
        default="python",
        help="python (default: Python floats, held in float32 where the framework does so) or float64 (tensors)",
    )
    parser.add_argument(
        "--backend",
        default=None,
        help="keras only: tensorflow (default), torch or jax",
    )
    parser.add_argument(
        "--optimizer",
        default=None,
        help=f"with --framework pytorch: one of {', '.join(TORCH_OPTIMIZERS)} (default rmsprop)",
    )


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        type=_setting,
        metavar="KEY=VALUE",
        help="a keyword argument in the framework's own spelling: a number, true/false, none, or a comma list",
    )


def _value(text: str) -> object:
    """A --set value: true/false, none, a number, or a comma list of numbers (a tuple, as torch's betas)."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    if "," in text:
        return tuple(float(part) for part in text.split(","))
    return float(text)


def _setting(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"--set takes KEY=VALUE, got {text!r}")
    try:
        return key.strip(), _value(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--set {key.strip()} must be a number, true, false, none or a comma list, got {value!r}"
        ) from None


def _settings(pairs: list[tuple[str, object]]) -> dict[str, object]:
    kwargs: dict[str, object] = {}
    for key, value in pairs:
        if key in kwargs:
            raise ValueError(f"--set {key} is given twice")
        kwargs[key] = value
    return kwargs


def _torch_optimizer(name: str, kwargs: dict[str, object]) -> Optimizer:
    """One of torch.optim's classes by lower-case name, with torch's keyword arguments."""
    import inspect

    name = validation.choice("optimizer", name, tuple(TORCH_OPTIMIZERS))
    build = TORCH_OPTIMIZERS[name]
    keys = tuple(inspect.signature(build).parameters)
    for key in kwargs:
        if key not in keys:
            raise ValueError(f"pytorch {name} has no keyword argument {key!r}; it accepts {', '.join(keys)}")
    return build(**kwargs)


def framework_optimizer(args: argparse.Namespace) -> Optimizer:
    """The optimizer a --framework line names, from its --set keyword arguments (raising ValueError)."""
    given = [f"--{name.replace('_', '-')}" for name in RMSPROP_DEFAULTS if getattr(args, name) is not None]
    if given:
        raise ValueError(
            "--framework takes the framework's own keyword arguments: "
            f"use --set KEY=VALUE instead of {', '.join(given)}"
        )
    kwargs = _settings(args.set)
    as_ = validation.choice("hyperparameters_as", args.hyperparameters_as, frameworks.HYPERPARAMETERS_AS)
    if args.optimizer not in (None, "rmsprop"):
        if args.framework != "pytorch":
            raise ValueError(f"--optimizer applies to --framework pytorch, not {args.framework}")
        if args.backend is not None:
            raise ValueError("--backend applies to --framework keras")
        return _torch_optimizer(args.optimizer, kwargs)
    return frameworks.optimizer(args.framework, hyperparameters_as=as_, backend=args.backend, **kwargs)


def run_from_args(args: argparse.Namespace) -> Trajectory:
    """Validate the run options (raising ValueError) and trace the run."""
    if args.framework is not None:
        optimizer = framework_optimizer(args)
        return trace(args.problem, args.x0, optimizer, args.steps, args.dtype, digits=args.digits)
    for option in ("set", "optimizer", "backend"):
        if getattr(args, option):
            raise ValueError(f"--{option} needs --framework")
    if args.hyperparameters_as != "python":
        raise ValueError("--hyperparameters-as needs --framework")
    given = {name: value for name, value in vars(args).items() if value is not None}
    options = {**vars(args), **RMSPROP_DEFAULTS, **given}
    if options["schedule"] is not None:
        options["schedule"] = schedules.parse(options["schedule"], validation.positive("lr", options["lr"]))
    return trace_from(options)


def animate_from_args(args: argparse.Namespace) -> None:
    """Check every option before any work, then render."""
    from rmsprop_docs import files
    from rmsprop_docs.render import styles

    validation.choice("style", args.style, styles.STYLES)
    limits.fps(args.fps)
    limits.frames(args.frames, validation.steps(args.steps) + 1)
    files.check_writable(args.output, ".gif")
    if args.still is not None:
        files.check_writable(args.still, ".png")
    path = run_from_args(args)

    from rmsprop_docs.render import animate  # imports Matplotlib: only when drawing

    result = animate(
        path, args.output, still=args.still, frames=args.frames, fps=args.fps, style=args.style, size=args.size
    )
    print(
        f"wrote {result.path}: {result.frames} frames ({result.distinct_frames} distinct), "
        f"{result.size[0]}x{result.size[1]}, {result.bytes:,} bytes" + (f"; still {args.still}" if args.still else ""),
        file=sys.stderr,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="RMSprop, step by step.",
        allow_abbrev=False,
    )
    commands = parser.add_subparsers(dest="command", required=True)  # subcommands are _Parser too: its class

    commands.add_parser(
        "problems",
        help="list the test problems",
        allow_abbrev=False,
    )

    trace_cmd = commands.add_parser(
        "trace",
        help="print a run's points as JSON or CSV",
        allow_abbrev=False,
    )
    add_run_options(trace_cmd)
    trace_cmd.add_argument(
        "--format",
        default="json",
        help="json or csv (default json)",
    )

    port_cmd = commands.add_parser(
        "port",
        help="the keyword arguments that reproduce one framework's RMSprop in another",
        allow_abbrev=False,
    )
    port_cmd.add_argument(
        "--from",
        dest="source",
        required=True,
        help=", ".join(frameworks.FRAMEWORKS),
    )
    port_cmd.add_argument(
        "--to",
        dest="target",
        required=True,
        help=", ".join(frameworks.FRAMEWORKS),
    )
    add_set_option(port_cmd)
    port_cmd.add_argument(
        "--hyperparameters-as",
        default="python",
        help="how the source's values are passed: python or float64",
    )
    port_cmd.add_argument(
        "--format",
        default="text",
        help="text (values to paste, and notes) or json (also the exact values; default text)",
    )

    animate_cmd = commands.add_parser(
        "animate",
        help="render a run as a GIF (and a still PNG)",
        allow_abbrev=False,
    )
    add_run_options(animate_cmd)
    animate_cmd.add_argument(
        "--frames",
        type=_whole("frames"),
        default=200,
        help="frames to show (default 200)",
    )
    animate_cmd.add_argument(
        "--fps",
        type=_real("fps"),
        default=50.0,
        help="frames per second (default 50)",
    )
    animate_cmd.add_argument(
        "--size",
        type=_size,
        default=None,
        metavar="WxH",
        help="pixels (default by style)",
    )
    animate_cmd.add_argument(
        "--style",
        default="default",
        help="default (the site's) or post (the original's)",
    )
    animate_cmd.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.gif",
        help="the GIF to write",
    )
    animate_cmd.add_argument(
        "--still",
        default=None,
        metavar="OUT.png",
        help="also write the final frame as a PNG",
    )
    return parser


def format_problems() -> str:
    """The catalog as a fixed-width table."""
    rows = [("name", "dim", "minimum", "kind", "start", "f")]
    for p in problems.PROBLEMS.values():
        minimum = ", ".join(f"{c:.10g}" for c in p.minimum)
        start = ", ".join(f"{c:g}" for c in p.x0)
        rows.append((p.name, str(p.dim), f"({minimum})", p.kind, f"({start})", p.formula))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1] for r in rows)


AXIS_NAMES = ("x", "y")  # every problem has one or two coordinates


def _number(value: object, digits: int | None) -> str:
    if isinstance(value, float) and value != value:  # no accumulator: NaN has no JSON spelling
        return "null"
    return arithmetic.to_json_number(value, digits)


def _json_rows(array, digits: int | None) -> str:
    return "[" + ", ".join("[" + ", ".join(_number(v, digits) for v in row) + "]" for row in array.tolist()) + "]"


def format_trajectory(path: Trajectory, fmt: str, dtype: str) -> str:
    """JSON (every digit kept: floats round-trip exactly, N-digit runs print N digits) or CSV, a row per step."""
    if fmt == "json":
        header = {
            "problem": path.problem.name,
            "optimizer": path.optimizer,
            "hyperparameters": path.hyperparameters,
            "dtype": dtype if path.digits is None else f"{path.digits} digits",
            "steps": len(path.deltas),
        }
        arrays = {
            "points": path.points,
            "grads": path.grads,
            "accumulators": path.accumulators,
            "deltas": path.deltas,
        }
        body = ", ".join(f'"{name}": {_json_rows(array, path.digits)}' for name, array in arrays.items())
        return json.dumps(header, allow_nan=False)[:-1] + ", " + body + "}"
    names = AXIS_NAMES[: path.points.shape[1]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", *names, *(f"g_{n}" for n in names), *(f"v_{n}" for n in names), *(f"d{n}" for n in names)])
    writer.writerow([0, *(_number(c, path.digits) for c in path.points[0].tolist()), *[""] * (3 * len(names))])
    for t in range(len(path.deltas)):
        cells = [path.points[t + 1], path.grads[t], path.accumulators[t], path.deltas[t]]
        writer.writerow([t + 1, *(_number(c, path.digits).replace("null", "") for arr in cells for c in arr.tolist())])
    return out.getvalue().rstrip("\n")


def _glue_values(argv: list[str]) -> list[str]:
    glued: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in _GLUED_VALUE_OPTIONS and i + 1 < len(argv):
            glued.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            glued.append(argv[i])
            i += 1
    return glued


def main(argv: Sequence[str] | None = None) -> int:
    argv = _glue_values(list(sys.argv[1:] if argv is None else argv))
    try:
        args = build_parser().parse_args(argv)
        if args.command == "problems":
            print(format_problems())
        elif args.command == "trace":
            fmt = validation.choice("format", args.format, FORMATS)
            print(format_trajectory(run_from_args(args), fmt, args.dtype))
        elif args.command == "port":
            from rmsprop_docs import port

            validation.choice("framework", args.target, tuple(frameworks.FRAMEWORKS))
            fmt = validation.choice("format", args.format, PORT_FORMATS)
            result = port.port(args.source, args.target, _settings(args.set), args.hyperparameters_as)
            print(port.format_port(result) if fmt == "text" else json.dumps(port.as_json(result), indent=1))
        elif args.command == "animate":
            animate_from_args(args)
    except (UsageError, ValueError, OSError) as error:
        message = " ".join(str(error).split())
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    return 0
