r"""Every framework's RMSprop, as a record over the conventions: its class, keywords, defaults and quirks.

A :class:`Framework` names the class it emulates and the version whose recorded
runs it was checked against, lists its keyword arguments *in its own spelling*
with their defaults, says which of them the framework holds in float32, and maps
a set of keyword arguments to a
:class:`~rmsprop_docs.optimizers.conventions.Convention`.  Every framework
computes

$$
\begin{array}{l}
v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \\
x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t} + \epsilon}
\quad\text{or}\quad x_t = x_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t + \epsilon}},
\end{array}
$$

and the traps are in the details: the name of $\rho$ (``alpha``, ``rho``,
``decay``), where $\epsilon$ goes, what $v$ starts at (TF1: 1), whether the
learning rate is inside the momentum buffer, and float32 hyperparameters:
``tf.compat.v1`` turns the Python float ``0.01`` into ``float32(0.01) =
0.009999999776482582`` before widening it, so a float64 run differs from the
float64 formula after the eighth digit.

:func:`optimizer` builds the emulation from the framework's own keywords:

>>> opt = optimizer("tf-compat-v1", learning_rate=0.1, epsilon=1e-10)
>>> x = np.array([10.0])
>>> delta, _ = opt.update(x, opt.init(x), x)  # x**2/2, so g = x
>>> print(x + delta)  # the same step with float64 tensors: 9.697108733593698
[9.69710876]
>>> float((x + delta)[0])
9.697108761875104

A framework added to :data:`FRAMEWORKS` needs nothing else here: the CLI, the
frameworks page's table, the porting tool and the tests read the records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from rmsprop_docs import validation
from rmsprop_docs.optimizers import conventions
from rmsprop_docs.optimizers.base import Optimizer
from rmsprop_docs.optimizers.conventions import Convention
from rmsprop_docs.optimizers.rmsprop import rmsprop

REQUIRED = "<required>"
"""The default of a keyword argument the framework requires (a learning rate without a default)."""

HYPERPARAMETERS_AS = ("python", "float64")
"""How hyperparameters are passed: Python floats (held as the framework holds them) or float64 tensors."""

MEANINGS = (
    "lr",
    "rho",
    "eps",
    "momentum",
    "centered",
    "weight_decay",
    "initial_scale",
    "eps_in_sqrt",
    "nesterov",
    "bias_correction",
)
"""What a keyword argument means, in :func:`~rmsprop_docs.optimizers.rmsprop`'s names (and Optax's extras)."""

FLAGS = ("centered", "eps_in_sqrt", "nesterov", "bias_correction")
FLOATS = ("lr", "rho", "eps", "momentum", "weight_decay", "initial_scale")


@dataclass(frozen=True)
class Option:
    """One keyword argument: the framework's spelling, its default, and what it means."""

    name: str
    default: object  # a number, a bool, None, or REQUIRED
    means: str  # one of MEANINGS


@dataclass(frozen=True)
class Backend:
    """One backend of a multi-backend framework (Keras 3), where it computes differently."""

    name: str
    version: str
    float32: tuple[str, ...] = ()  # keyword arguments held in float32 on this backend only
    quirk: str = ""


@dataclass(frozen=True)
class Framework:
    """One framework's RMSprop class, emulated exactly."""

    name: str
    emulates: str  # the class or function, as imported
    version: str  # the version whose recorded runs the emulation matches
    options: tuple[Option, ...]
    choose: Callable[[Mapping[str, object]], Convention]  # the convention, from the options' meanings
    float32: tuple[str, ...] = ()  # held in float32 when passed as Python floats (defaults included)
    float32_always: tuple[str, ...] = ()  # held in float32 however they are passed (kernel attributes)
    quirks: tuple[str, ...] = ()
    backends: tuple[Backend, ...] = ()  # the first is the default
    not_emulated: tuple[str, ...] = ()  # keyword arguments the class has that the emulation leaves out

    @property
    def defaults(self) -> dict[str, object]:
        """The keyword arguments with their defaults, in the framework's order and spelling."""
        return {o.name: o.default for o in self.options}

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options)

    def spelling(self, meaning: str) -> str | None:
        """The framework's name for a meaning (``rho`` is ``alpha`` in PyTorch), or None if it has none.

        >>> FRAMEWORKS["pytorch"].spelling("rho"), FRAMEWORKS["mlx"].spelling("momentum")
        ('alpha', None)
        """
        return next((o.name for o in self.options if o.means == meaning), None)

    def backend(self, name: str | None) -> Backend | None:
        if not self.backends:
            if name is not None:
                raise ValueError(f"{self.name} has no backends; backend applies to keras")
            return None
        names = tuple(b.name for b in self.backends)
        chosen = names[0] if name is None else validation.choice("backend", name, names)
        return self.backends[names.index(chosen)]


def _fixed(convention: Convention) -> Callable[[Mapping[str, object]], Convention]:
    def choose(_: Mapping[str, object]) -> Convention:
        return convention

    return choose


def _tf_keras_legacy(options: Mapping[str, object]) -> Convention:
    """OptimizerV2: Python ops with eps outside the root, or TF's kernel (eps inside) once momentum > 0."""
    return conventions.TF_KERNEL_FROM_ZERO if options["momentum"] > 0 else conventions.KERAS_LEGACY


def _optax(options: Mapping[str, object]) -> Convention:
    return dataclasses.replace(
        conventions.OPTAX,
        eps="inside" if options["eps_in_sqrt"] else "outside",
        v0=float(options["initial_scale"]),
        nesterov=bool(options["nesterov"]),
        bias_correction=bool(options["bias_correction"]),
    )


def _options(*triples: tuple[str, object, str]) -> tuple[Option, ...]:
    return tuple(Option(*t) for t in triples)


_KERAS_OPTIONS = _options(
    ("learning_rate", 0.001, "lr"),
    ("rho", 0.9, "rho"),
    ("momentum", 0.0, "momentum"),
    ("epsilon", 1e-7, "eps"),
    ("centered", False, "centered"),
    ("weight_decay", None, "weight_decay"),
)
_KERAS_NOT_EMULATED = (
    "clipnorm",
    "clipvalue",
    "global_clipnorm",
    "use_ema",
    "ema_momentum",
    "ema_overwrite_frequency",
    "loss_scale_factor",
    "gradient_accumulation_steps",
)

PYTORCH = Framework(
    name="pytorch",
    emulates="torch.optim.RMSprop",
    version="torch 2.13.0",
    options=_options(
        ("lr", 0.01, "lr"),
        ("alpha", 0.99, "rho"),
        ("eps", 1e-8, "eps"),
        ("weight_decay", 0.0, "weight_decay"),
        ("momentum", 0.0, "momentum"),
        ("centered", False, "centered"),
    ),
    choose=_fixed(conventions.PYTORCH),
    quirks=(
        "alpha is rho, and its default is 0.99, not 0.9",
        "eps is added after the square root",
        "momentum accumulates g / den and multiplies by lr afterwards",
        "weight_decay is L2: wd * x is added to the gradient, so it is divided by the root too",
        "the centered mean uses lerp, which rounds differently above and below weight 0.5",
    ),
    not_emulated=("capturable", "foreach", "maximize", "differentiable"),
)

KERAS = Framework(
    name="keras",
    emulates="keras.optimizers.RMSprop",
    version="keras 3.15.1",
    options=_KERAS_OPTIONS,
    choose=_fixed(conventions.KERAS),
    quirks=(
        "epsilon (default 1e-7) is added inside the root",
        "momentum keeps lr inside the buffer: m = momentum m + lr g / den; x -= m",
        "weight_decay is decoupled and applied before the step: x -= x wd lr",
        "the learning rate is a Variable of dtype floatx: float32 unless keras.config.set_floatx('float64')",
    ),
    backends=(
        Backend(
            "tensorflow",
            "tensorflow 2.21.0",
            float32=("weight_decay",),
            quirk="tf.cast turns the Python float weight_decay into a float32 tensor before widening it",
        ),
        Backend(
            "torch",
            "torch 2.13.0",
            quirk="foreach kernels; weight decay as x *= 1 - wd lr, which rounds differently",
        ),
        Backend("jax", "jax 0.10.2", quirk="the generic update_step; needs jax x64, which floatx float64 turns on"),
    ),
    not_emulated=_KERAS_NOT_EMULATED,
)

TF_KERAS = Framework(
    name="tf-keras",
    emulates="tf_keras.optimizers.RMSprop",
    version="tf-keras 2.21.0",
    options=_KERAS_OPTIONS,
    choose=_fixed(conventions.TF_KERAS),
    float32=("weight_decay",),
    quirks=(
        "Keras 2's optimizer (TensorFlow 2.11 to 2.15 as tf.keras, then the tf_keras package): Keras 3's arithmetic",
        "increment = lr * g * rsqrt(v + epsilon)",
        "weight_decay goes through tf.cast, so a Python float is held in float32",
    ),
    not_emulated=(*_KERAS_NOT_EMULATED[:6], "jit_compile"),
)

TF_KERAS_LEGACY = Framework(
    name="tf-keras-legacy",
    emulates="tf_keras.optimizers.legacy.RMSprop",
    version="tf-keras 2.21.0",
    options=_options(
        ("learning_rate", 0.001, "lr"),
        ("rho", 0.9, "rho"),
        ("momentum", 0.0, "momentum"),
        ("epsilon", 1e-7, "eps"),
        ("centered", False, "centered"),
    ),
    choose=_tf_keras_legacy,
    float32=("learning_rate", "rho", "momentum"),
    quirks=(
        "OptimizerV2: learning_rate, rho and momentum are float32 variables (add_weight), widened per step",
        "without momentum: Python ops, x -= lr g / (sqrt(v) + epsilon), eps outside the root",
        "with momentum > 0: TensorFlow's ApplyRMSProp kernel, eps inside the root and lr inside the buffer",
        "the accumulator starts at 0 (TF1's starts at 1)",
    ),
    not_emulated=("decay", "clipnorm", "clipvalue", "global_clipnorm"),
)

TF_COMPAT_V1 = Framework(
    name="tf-compat-v1",
    emulates="tf.compat.v1.train.RMSPropOptimizer",
    version="tensorflow 2.21.0",
    options=_options(
        ("learning_rate", REQUIRED, "lr"),
        ("decay", 0.9, "rho"),
        ("momentum", 0.0, "momentum"),
        ("epsilon", 1e-10, "eps"),
        ("centered", False, "centered"),
    ),
    choose=_fixed(conventions.TF_KERNEL),
    float32=("learning_rate", "decay", "momentum", "epsilon"),
    quirks=(
        "the accumulator starts at 1, so the first steps are small",
        "decay is rho; epsilon (default 1e-10) is added inside the root",
        "the kernel: ms += (g g - ms)(1 - decay); mom = mom momentum + g lr / sqrt(ms + epsilon); x -= mom",
        "Python-float hyperparameters become float32 tensors, defaults included; float64 tensors are exact",
        "no weight decay: add an L2 term to the loss",
    ),
    not_emulated=("use_locking",),
)

OPTAX = Framework(
    name="optax",
    emulates="optax.rmsprop",
    version="optax 0.2.8",
    options=_options(
        ("learning_rate", REQUIRED, "lr"),
        ("decay", 0.9, "rho"),
        ("eps", 1e-8, "eps"),
        ("initial_scale", 0.0, "initial_scale"),
        ("eps_in_sqrt", True, "eps_in_sqrt"),
        ("centered", False, "centered"),
        ("momentum", None, "momentum"),
        ("nesterov", False, "nesterov"),
        ("bias_correction", False, "bias_correction"),
    ),
    choose=_optax,
    quirks=(
        "eps inside the root unless eps_in_sqrt=False (then PyTorch's arithmetic)",
        "initial_scale is v0: 1.0 gives TF1's start",
        "momentum (default None: none) traces the lr-scaled update, so lr is inside the buffer",
        "nesterov steps by inc + momentum * buffer; bias_correction divides v by 1 - decay**t (Adam's)",
        "no weight decay: chain optax.add_decayed_weights",
        "Python floats act in float64 under jax x64; without x64 everything is float32",
        "emulated op by op; under jax.jit XLA fuses the update and rounds differently",
    ),
)

MLX = Framework(
    name="mlx",
    emulates="mlx.optimizers.RMSprop",
    version="mlx 0.32.4",
    options=_options(("learning_rate", REQUIRED, "lr"), ("alpha", 0.99, "rho"), ("eps", 1e-8, "eps")),
    choose=_fixed(conventions.MLX),
    float32=("learning_rate",),
    quirks=(
        "PyTorch's names and defaults (alpha 0.99, eps outside the root)",
        "learning_rate is stored as an mx.array, float32, and cast to the parameter's dtype",
        "no centered, momentum or weight decay",
    ),
)

PADDLE = Framework(
    name="paddle",
    emulates="paddle.optimizer.RMSProp",
    version="paddlepaddle 3.3.1",
    options=_options(
        ("learning_rate", REQUIRED, "lr"),
        ("rho", 0.95, "rho"),
        ("epsilon", 1e-6, "eps"),
        ("momentum", 0.0, "momentum"),
        ("centered", False, "centered"),
        ("weight_decay", None, "weight_decay"),
    ),
    choose=_fixed(conventions.PADDLE),
    float32_always=("rho", "epsilon", "momentum"),
    quirks=(
        "defaults rho 0.95, epsilon 1e-6",
        "rho, epsilon and momentum are float attributes of the kernel: float32, whatever is passed",
        "epsilon inside the root; lr inside the momentum buffer, which is always used",
        "weight_decay (a float) is L2Decay: wd x is added to the gradient, in float64",
        "learning_rate acts in the parameters' dtype; a float64 tensor learning_rate is refused",
    ),
    not_emulated=("grad_clip",),
)

FRAMEWORKS: dict[str, Framework] = {
    f.name: f for f in (PYTORCH, KERAS, TF_KERAS, TF_KERAS_LEGACY, TF_COMPAT_V1, OPTAX, MLX, PADDLE)
}


@dataclass(frozen=True)
class Resolved:
    """A framework's call, every keyword filled in, and what the core runs for it."""

    framework: Framework
    kwargs: dict  # every keyword argument, in the framework's spelling
    hyperparameters_as: str
    backend: str | None
    core: dict  # lr, rho, eps, momentum, centered, weight_decay
    convention: Convention  # with the float32 hyperparameters of this call


def get(name: str) -> Framework:
    """The framework called ``name``; a mistake names the choices."""
    return FRAMEWORKS[validation.choice("framework", name, tuple(FRAMEWORKS))]


def _check(option: Option, value: object) -> object:
    name = option.name
    if option.means in FLAGS:
        return validation.flag(name, value)
    if value is None and option.default is None:
        return None
    if option.means == "lr":
        return validation.positive(name, value)
    if option.means in ("rho", "momentum"):
        return validation.unit_interval(name, value)
    if option.means == "eps":
        return validation.positive(name, value)
    return validation.non_negative(name, value)


def accepted(framework: Framework) -> str:
    """The keyword arguments, for error messages: ``lr, alpha, eps, ...``."""
    return ", ".join(framework.keys)


def resolve(
    name: str | Framework, kwargs: Mapping[str, object], hyperparameters_as: str = "python", backend: str | None = None
) -> Resolved:
    """Fill in the defaults, check every value under its own name, and choose the convention.

    Raises:
        ValueError: for a key the framework does not have (or that is not emulated), a missing
            required one, or a value out of range; the message names the accepted keys.

    Examples:
        >>> resolve("pytorch", {"alpha": 0.9}).core["rho"]
        0.9
        >>> resolve("mlx", {"lr": 0.1})
        Traceback (most recent call last):
        ...
        ValueError: mlx (mlx.optimizers.RMSprop) has no keyword argument 'lr'; it accepts learning_rate, alpha, eps
    """
    framework = name if isinstance(name, Framework) else get(name)
    validation.choice("hyperparameters_as", hyperparameters_as, HYPERPARAMETERS_AS)
    chosen_backend = framework.backend(backend)
    label = f"{framework.name} ({framework.emulates})"
    for key in kwargs:
        if key in framework.not_emulated:
            raise ValueError(f"{label}: {key} is not emulated; it accepts {accepted(framework)}")
        if key not in framework.keys:
            raise ValueError(f"{label} has no keyword argument {key!r}; it accepts {accepted(framework)}")
    missing = [o.name for o in framework.options if o.default == REQUIRED and o.name not in kwargs]
    if missing:
        raise ValueError(f"{label} needs {', '.join(missing)}; it accepts {accepted(framework)}")
    full = {o.name: _check(o, kwargs.get(o.name, o.default)) for o in framework.options}
    meaning = {o.means: full[o.name] for o in framework.options}
    core = {
        "lr": meaning["lr"],
        "rho": meaning["rho"],
        "eps": meaning["eps"],
        "momentum": meaning.get("momentum") or 0.0,
        "centered": meaning.get("centered", False),
        "weight_decay": meaning.get("weight_decay") or 0.0,
    }
    extras = {"initial_scale": 0.0, "eps_in_sqrt": True, "nesterov": False, "bias_correction": False}
    convention = framework.choose({**core, **extras, **meaning})
    held = set(framework.float32) | set(chosen_backend.float32 if chosen_backend else ())
    if hyperparameters_as == "float64":
        held = {key for key in held if key not in kwargs}  # defaults stay Python floats
    held |= set(framework.float32_always)
    means = {o.name: o.means for o in framework.options}
    convention = dataclasses.replace(
        convention, float32_hyperparameters=tuple(sorted(means[key] for key in held if key in means))
    )
    return Resolved(framework, full, hyperparameters_as, chosen_backend and chosen_backend.name, core, convention)


def from_resolved(resolved: Resolved) -> Optimizer:
    """The emulation of a resolved call: :func:`~rmsprop_docs.optimizers.rmsprop` in its convention."""
    opt = rmsprop(**resolved.core, convention=resolved.convention)
    hyper = {
        "framework": resolved.framework.name,
        "class": resolved.framework.emulates,
        "kwargs": resolved.kwargs,
        "hyperparameters_as": resolved.hyperparameters_as,
        **({"backend": resolved.backend} if resolved.backend else {}),
        "convention": resolved.convention.name,
        "float32": list(float32_keys(resolved)),
    }
    return opt._replace(hyperparameters=hyper)


def optimizer(name: str, *, hyperparameters_as: str = "python", backend: str | None = None, **kwargs) -> Optimizer:
    """``name``'s RMSprop, called with its own keyword arguments, as an optimizer for ``trace``.

    ``hyperparameters_as="python"`` is the usual call with Python floats: the
    framework holds some of them in float32 (see :attr:`Framework.float32`);
    ``"float64"`` is a call with float64 tensors, so only the defaults left
    unset are held in float32.

    Examples:
        >>> from rmsprop_docs import trace
        >>> path = trace("cubic", [-1.0], optimizer("optax", learning_rate=0.01, decay=0.9), steps=100)
        >>> print(f"{path.final[0]:.6f}")
        -0.577350
    """
    return from_resolved(resolve(name, kwargs, hyperparameters_as, backend))


def held_value(value: float, float32: bool) -> float:
    """What a framework computes with: ``value``, or its nearest float32 widened back.

    >>> held_value(0.01, True)
    0.009999999776482582
    """
    return float(np.float32(value)) if float32 else float(value)


def float32_keys(resolved: Resolved) -> tuple[str, ...]:
    """The call's keyword arguments (own spelling) that act in float32."""
    held = set(resolved.convention.float32_hyperparameters)
    return tuple(o.name for o in resolved.framework.options if o.means in held)


def _probe(framework: Framework, **changes: object) -> Convention:
    """The convention of a call at the defaults (a required learning rate set to 0.01), some meanings changed.

    Through :func:`resolve`, so that the table fills in what a class lacks exactly as a call does.
    """
    kwargs = {o.name: 0.01 for o in framework.options if o.default == REQUIRED}
    kwargs.update({framework.spelling(meaning): value for meaning, value in changes.items()})
    return resolve(framework, kwargs).convention


def _variants(framework: Framework, field: str, show) -> str:
    """A convention field at the defaults, and how options change it: ``outside (momentum > 0: inside)``."""
    base = getattr(_probe(framework), field)
    text = show(base)
    for meaning, value, label in (
        ("momentum", 0.5, "momentum > 0"),
        ("eps_in_sqrt", False, "eps_in_sqrt=False"),
        ("initial_scale", 1.0, "initial_scale"),
    ):
        name = framework.spelling(meaning)
        if name is None:
            continue
        changed = getattr(_probe(framework, **{meaning: value}), field)
        if changed != base:
            text += f" ({label.replace(meaning, name)}: {show(changed) if meaning != 'initial_scale' else 'any'})"
    return text


def _summary(framework: Framework) -> dict[str, str]:
    """One framework's column of :func:`table`."""
    has = {m: framework.spelling(m) is not None for m in MEANINGS}
    wd = _probe(framework).weight_decay if has["weight_decay"] else "none"
    float32 = [", ".join(framework.float32)] if framework.float32 else []
    if framework.float32_always:
        float32.append("always: " + ", ".join(framework.float32_always))
    float32 += [f"{', '.join(b.float32)} on {b.name}" for b in framework.backends if b.float32]
    extras = [o.name for o in framework.options if o.means in ("nesterov", "bias_correction")]
    if framework.backends:
        extras.append("backends " + ", ".join(b.name for b in framework.backends))
    defaults = " ".join(f"{k}={'required' if v == REQUIRED else v}" for k, v in framework.defaults.items())
    return {
        "class": framework.emulates,
        "verified": framework.version,
        "defaults": defaults,
        "eps": _variants(framework, "eps", str),
        "v0": _variants(framework, "v0", lambda v: f"{v:g}"),
        "lr, momentum": _variants(
            framework, "lr_in_buffer", lambda inside: "lr inside buffer" if inside else "lr after"
        )
        if has["momentum"]
        else "no momentum",
        "centered": "yes" if has["centered"] else "no",
        "weight decay": {"l2": "L2 (g += wd x)", "decoupled": "decoupled", "none": "none"}[wd],
        "float32": "; ".join(float32) or "none (float64)",
        "extras": ", ".join(extras) or "-",
    }


def table(names: tuple[str, ...] | list[str] | None = None, width: int = 22) -> str:
    """The frameworks side by side as fixed-width text, one column per framework, cells wrapped to ``width``.

    Rows: the class, the version verified by recorded runs, the defaults, where eps goes, v0, whether lr is
    inside the momentum buffer, centered, weight decay, what is held in float32 (as Python floats), extras.

    Examples:
        >>> print(table(["pytorch", "mlx"]).splitlines()[9])
        eps           outside                 outside
    """
    import textwrap

    chosen = [get(n) for n in (names or FRAMEWORKS)]
    columns = [_summary(f) for f in chosen]
    rows = [("", [f.name for f in chosen])] + [(key, [c[key] for c in columns]) for key in columns[0]]
    label = max(len(key) for key, _ in rows) + 1
    lines = []
    for key, cells in rows:
        if key == "class":  # break dotted names after a dot
            wrapped = [
                [part.replace(". ", ".") for part in textwrap.wrap(c.replace(".", ". "), width + 1)] for c in cells
            ]
        else:
            wrapped = [textwrap.wrap(cell, width) or [""] for cell in cells]
        for i in range(max(len(w) for w in wrapped)):
            parts = [w[i] if i < len(w) else "" for w in wrapped]
            lines.append(
                ((key if i == 0 else "").ljust(label) + " " + "  ".join(p.ljust(width) for p in parts)).rstrip()
            )
    return "\n".join(lines)
