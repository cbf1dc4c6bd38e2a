"""A fair comparison of optimizers on the digits, and the effect of batch size on Rprop and RMSprop.

Protocol, the same for every optimizer:

* a grid of learning rates half a decade apart (and ``rho`` for RMSprop,
  ``beta2`` for Adam; every other hyperparameter at PyTorch's default);
* every grid point trained from the same five seeds (initial parameters and
  batch order);
* the grid point with the lowest *median validation* loss is chosen, and its
  *test* loss and accuracy are reported as the median and the range over the
  seeds.  The test set plays no part in the choice.

Results are cached under ``.cache/learning/`` in a file named after a hash of
the settings and of the code that computes them (see
:mod:`rmsprop_docs.dependencies`), so a page build recomputes them only when
either changes.  The results the pages show (:data:`PAGE`) are also committed
in ``results/`` beside this module under the same names: a fresh clone reads
them instead of training for half a minute, and only while their names match
the current settings and code.  ``python scripts/build_assets.py`` refreshes
them (``--check`` lists stale ones), and the tests recompute one to the byte.

Every result is computed with the same kernels on every x86-64 CPU
(:data:`PINNED_KERNELS`, in a fresh interpreter): left to itself, NumPy picks
its ``exp`` and ``log`` loops and OpenBLAS its matrix kernels by the CPU's
vector extensions (AVX2, AVX-512), each rounding a little differently, and a
run at a large learning rate grows such a last bit into a different loss, so
the same code printed different tables on two machines.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from rmsprop_docs import dependencies, files
from rmsprop_docs.learning.datasets import split_digits
from rmsprop_docs.learning.models import MODELS
from rmsprop_docs.learning.train import text_progress, train
from rmsprop_docs.optimizers import Optimizer, adagrad, adam, rmsprop, rprop, sgd


def half_decades(low: float, high: float) -> tuple[float, ...]:
    """Learning rates ``10**low, 10**(low + 0.5), ..., 10**high``, rounded to 3 significant digits.

    >>> half_decades(-2, 0)
    (0.01, 0.0316, 0.1, 0.316, 1.0)
    """
    count = round((high - low) * 2) + 1
    return tuple(float(f"{10**e:.3g}") for e in np.linspace(low, high, count))


@dataclass(frozen=True)
class Contender:
    """An optimizer and the grid it is tuned on; ``make`` takes one column per axis."""

    label: str
    make: Callable[..., Optimizer]
    axes: dict = field(default_factory=dict)  # name -> values; the grid is their product

    def grid(self) -> dict[str, np.ndarray]:
        """Every grid point, one array per axis (first axis slowest)."""
        mesh = np.meshgrid(*[np.asarray(v, dtype=np.float64) for v in self.axes.values()], indexing="ij")
        return {name: m.ravel() for name, m in zip(self.axes, mesh, strict=True)}

    def describe(self) -> dict:
        return {"label": self.label, "axes": {k: list(v) for k, v in self.axes.items()}}


CONTENDERS: tuple[Contender, ...] = (
    Contender("SGD", lambda lr: sgd(lr=lr), {"lr": half_decades(-1.5, 1.5)}),
    Contender("SGD, momentum 0.9", lambda lr: sgd(lr=lr, momentum=0.9), {"lr": half_decades(-2.5, 0.5)}),
    Contender("Adagrad", lambda lr: adagrad(lr=lr), {"lr": half_decades(-2.5, 0.5)}),
    Contender(
        "RMSprop",
        lambda lr, rho: rmsprop(lr=lr, rho=rho),
        {"lr": half_decades(-3.5, -0.5), "rho": (0.9, 0.99, 0.999)},
    ),
    Contender(
        "Adam",
        lambda lr, beta2: adam(lr=lr, betas=(0.9, beta2)),
        {"lr": half_decades(-3.5, -0.5), "beta2": (0.99, 0.999)},
    ),
    Contender("Rprop", lambda lr: rprop(lr=lr), {"lr": half_decades(-4, -1)}),
)
"""The optimizers of the comparison and their grids."""


@dataclass(frozen=True)
class Settings:
    """What one comparison runs."""

    model: str = "mlp"
    batch_size: int = 32
    epochs: int = 10
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)


def cache_folder() -> pathlib.Path:
    """``$RMSPROP_DOCS_CACHE/learning``, or ``.cache/learning`` at the repository's root (the working folder
    when the package is installed elsewhere)."""
    if "RMSPROP_DOCS_CACHE" in os.environ:
        return pathlib.Path(os.environ["RMSPROP_DOCS_CACHE"]) / "learning"
    root = pathlib.Path(__file__).resolve().parents[3]
    return (root if (root / "pyproject.toml").is_file() else pathlib.Path.cwd()) / ".cache" / "learning"


# The code that computes a result: this module's own, and what it runs (not the cache's helpers, whose edits
# change no number).
COMPUTING = (
    "rmsprop_docs.learning.train",
    "rmsprop_docs.learning.models",
    "rmsprop_docs.learning.datasets",
    "rmsprop_docs.optimizers",
)

SHIPPED = pathlib.Path(__file__).resolve().parent / "results"
"""The committed results of :data:`PAGE`, named as in the cache."""


def result_name(kind: str, settings: dict) -> str:
    """The file name of a result: a hash of the settings and one of the code that computes them (and NumPy's
    version)."""
    what = hashlib.sha256(json.dumps([kind, settings], sort_keys=True).encode()).hexdigest()[:12]
    code = [dependencies.module_digest("rmsprop_docs.learning.compare"), dependencies.digest(COMPUTING)]
    how = hashlib.sha256(json.dumps([*code, np.__version__]).encode()).hexdigest()[:12]
    return f"{kind}-{what}-{how}.json"


def _store(folder: pathlib.Path, name: str, result: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with files.atomic_path(folder / name) as tmp:
        tmp.write_text(json.dumps(result))
    kind_what = name.rsplit("-", 1)[0]
    for old in folder.glob(f"{kind_what}-*.json"):  # the same settings computed by older code
        if old.name != name:
            old.unlink(missing_ok=True)


PINNED_KERNELS = {
    "OPENBLAS_CORETYPE": "Prescott",  # OpenBLAS's SSE3 kernels, which every x86-64 CPU runs the same way
    "OPENBLAS_NUM_THREADS": "1",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4",  # NumPy's baseline loops: no AVX2 or AVX-512 variants
}
"""The environment every result is computed in: read by NumPy and OpenBLAS when they load, so it takes a
fresh interpreter."""


def kernels_pinned() -> bool:
    """True in an interpreter whose NumPy and OpenBLAS run :data:`PINNED_KERNELS` (or off x86-64, where
    those names mean nothing and a result is the platform's own)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return True
    features = getattr(np._core._multiarray_umath, "__cpu_features__", {})
    dispatched = features.get("X86_V3") or features.get("X86_V4")
    return not dispatched and all(os.environ.get(k) == v for k, v in PINNED_KERNELS.items())


def _compute_pinned(kind: str, settings: dict, progress: bool) -> None:
    """Compute one result in a fresh interpreter with :data:`PINNED_KERNELS`; it stores it in the cache."""
    code = "import sys; from rmsprop_docs.learning import compare; compare._compute_here(*sys.argv[1:])"
    env = {**os.environ, **PINNED_KERNELS, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([sys.executable, "-c", code, kind, json.dumps(settings), str(progress)], env=env, check=True)


def _compute_here(kind: str, settings: str, progress: str) -> None:
    """The child of :func:`_compute_pinned`: the settings back from their description, then the usual call."""
    if not kernels_pinned():
        raise RuntimeError(f"NumPy and OpenBLAS did not load with {PINNED_KERNELS}")
    described = json.loads(settings)
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in described.items() if k != "contenders"}
    load = _page_item((Settings if kind == "comparison" else BatchSettings)(**fields))[1]
    load(progress=progress == "True", shipped=False)


def _cached(kind: str, settings: dict, compute: Callable[[], dict], shipped: bool, progress: bool) -> dict:
    """The stored result for these settings and this code (in the cache, then, with ``shipped``, among the
    committed ones), or ``compute()`` with :data:`PINNED_KERNELS` (in a fresh interpreter when this one's are
    not), stored in the cache."""
    name = result_name(kind, settings)
    for folder in (cache_folder(), SHIPPED) if shipped else (cache_folder(),):
        if (folder / name).is_file():
            return json.loads((folder / name).read_text())
    if not kernels_pinned():
        _compute_pinned(kind, settings, progress)
        return json.loads((cache_folder() / name).read_text())
    result = compute()
    _store(cache_folder(), name, result)
    return result


def _steps_per_epoch(batch_size: int) -> int:
    return len(split_digits().train.y) // batch_size


def _tune(
    contender: Contender, model_name: str, batch_size: int, steps: int, every: int, seeds, progress, by: str
) -> dict:
    """Train the whole grid times the seeds in one stack; keep the grid point with the lowest median loss
    ``by`` ``"validation"`` (for how well it generalizes) or ``"train"`` (for how well it optimizes)."""
    data = split_digits()
    grid = contender.grid()
    points = len(next(iter(grid.values())))
    seeds = np.asarray(seeds)
    columns = {k: np.repeat(v, len(seeds))[:, None] for k, v in grid.items()}
    run = train(
        MODELS[model_name](),
        contender.make(**columns),
        data,
        np.tile(seeds, points),
        batch_size=batch_size,
        steps=steps,
        every=every,
        progress=progress,
    )
    judged = run.final_validation_loss if by == "validation" else run.final_train_loss
    medians = np.median(judged.reshape(points, len(seeds)), axis=1)
    best = int(np.argmin(medians))
    chosen = slice(best * len(seeds), (best + 1) * len(seeds))
    return {
        "label": contender.label,
        "best": {k: float(v[best]) for k, v in grid.items()},
        "best_index": best,
        "grid_points": points,
        "chosen_by": by,
        "medians": [float(m) if np.isfinite(m) else None for m in medians],
        "steps": run.steps.tolist(),
        "test_loss": run.final_test_loss[chosen].tolist(),
        "test_accuracy": run.final_test_accuracy[chosen].tolist(),
        "train_loss": run.final_train_loss[chosen].tolist(),
        "train_curves": run.train_loss[chosen].tolist(),
        "test_curves": run.test_loss[chosen].tolist(),
    }


_TASKS: list[Callable[[], dict]] = []  # what forked workers run, by index (closures are not pickled)


def _run_task(index: int) -> dict:
    return _TASKS[index]()


def _in_parallel(tasks: list[Callable[[], dict]], costs: list[float], progress: bool) -> list[dict]:
    """``[task() for task in tasks]``, on forked workers (one per core, the costliest task first) when there
    are several cores and forking is safe: no other thread, not inside a worker, no progress bars to
    interleave.  Each task is the same computation either way, so the results are the same bytes."""
    import multiprocessing
    import threading

    workers = min(len(tasks), os.cpu_count() or 1)
    if workers < 2 or progress or threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return [task() for task in tasks]
    order = sorted(range(len(tasks)), key=lambda i: -costs[i])
    _TASKS[:] = tasks
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = pool.map(_run_task, order, chunksize=1)
    finally:
        _TASKS.clear()
    results: list[dict] = [{}] * len(tasks)
    for index, result in zip(order, done, strict=True):
        results[index] = result
    return results


def _json_floats(value):
    """Replace inf and NaN (not JSON) by None, recursively."""
    if isinstance(value, dict):
        return {k: _json_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_floats(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _described(settings: Settings | BatchSettings) -> dict:
    contenders = CONTENDERS if isinstance(settings, Settings) else BATCH_CONTENDERS
    return {**asdict(settings), "contenders": [c.describe() for c in contenders]}


def comparison(settings: Settings = Settings(), *, progress: bool = False, shipped: bool = True) -> dict:
    """The comparison's results for ``settings`` (cached): one entry per contender under ``"results"``.

    With ``shipped=False`` the committed results are not consulted (the cache still is)."""
    steps_per_epoch = _steps_per_epoch(settings.batch_size)
    steps = settings.epochs * steps_per_epoch
    described = _described(settings)

    def task(contender: Contender) -> Callable[[], dict]:
        def run() -> dict:
            bar = text_progress(steps, f"{settings.model} {contender.label:<18}") if progress else None
            tuned = _tune(
                contender,
                settings.model,
                settings.batch_size,
                steps,
                steps_per_epoch,
                settings.seeds,
                bar,
                "validation",
            )
            return _json_floats(tuned)

        return run

    def compute() -> dict:
        tasks = [task(c) for c in CONTENDERS]
        costs = [len(next(iter(c.grid().values()))) for c in CONTENDERS]
        return {"settings": described, "results": _in_parallel(tasks, costs, progress)}

    return _cached("comparison", described, compute, shipped, progress)


def _summary(values: list) -> tuple[float, float, float]:
    array = np.array([np.inf if v is None else v for v in values], dtype=np.float64)
    return float(np.median(array)), float(array.min()), float(array.max())


def _tuned(best: dict) -> str:
    return ", ".join(f"{name} {value:g}" for name, value in best.items())


def print_comparison(settings: Settings = Settings()) -> None:
    """The table the mini-batch page prints: test loss and accuracy, median (min-max) over the seeds."""
    result = comparison(settings)
    print(f"{'optimizer':<19}{'tuned':<24}{'test loss':<24}test accuracy %")
    for row in result["results"]:
        loss = "{:.3f} ({:.3f}-{:.3f})".format(*_summary(row["test_loss"]))
        accuracy = "{:.1f} ({:.1f}-{:.1f})".format(*(100 * v for v in _summary(row["test_accuracy"])))
        print(f"{row['label']:<19}{_tuned(row['best']):<24}{loss:<24}{accuracy}")


BATCH_SIZES = (1078, 128, 32, 8)
"""Full batch (the whole training set), then smaller and smaller mini-batches."""

BATCH_CONTENDERS: tuple[Contender, ...] = (
    Contender("SGD", lambda lr: sgd(lr=lr), {"lr": half_decades(-1.5, 2.5)}),
    Contender("RMSprop", lambda lr: rmsprop(lr=lr, rho=0.9), {"lr": half_decades(-3.5, 0.5)}),
    Contender("Rprop", lambda lr: rprop(lr=lr), {"lr": half_decades(-4, -1)}),
)
"""The batch-size study: Rprop, RMSprop with the post's ``rho`` 0.9, and SGD for reference."""


@dataclass(frozen=True)
class BatchSettings:
    """The batch-size study: the same number of steps at every batch size, each optimizer tuned per size."""

    model: str = "softmax"
    steps: int = 300
    batch_sizes: tuple[int, ...] = BATCH_SIZES
    seeds: tuple[int, ...] = (0, 1, 2)


def batch_study(settings: BatchSettings = BatchSettings(), *, progress: bool = False, shipped: bool = True) -> dict:
    """Test loss and accuracy of each batch contender at each batch size (cached; ``shipped`` as in
    :func:`comparison`)."""
    described = _described(settings)

    def task(contender: Contender, size: int) -> Callable[[], dict]:
        def run() -> dict:
            label = f"{settings.model} {contender.label:<8} batch {size:>4}"
            bar = text_progress(settings.steps, label) if progress else None
            tuned = _tune(contender, settings.model, size, settings.steps, settings.steps, settings.seeds, bar, "train")
            return _json_floats({**tuned, "batch_size": size})

        return run

    def compute() -> dict:
        pairs = [(c, size) for c in BATCH_CONTENDERS for size in settings.batch_sizes]
        tasks = [task(c, size) for c, size in pairs]
        costs = [len(next(iter(c.grid().values()))) * (size + 64) for c, size in pairs]
        return {"settings": described, "results": _in_parallel(tasks, costs, progress)}

    return _cached("batch-study", described, compute, shipped, progress)


def print_batch_study(settings: BatchSettings = BatchSettings()) -> None:
    """The batch-size table: median final training loss (and test accuracy) per optimizer and batch size."""
    result = batch_study(settings)
    sizes = settings.batch_sizes
    print(f"{'train loss (acc.)':<18}" + "".join(f"{'batch ' + str(s):>15}" for s in sizes))
    for contender in BATCH_CONTENDERS:
        rows = {r["batch_size"]: r for r in result["results"] if r["label"] == contender.label}
        cells = []
        for size in sizes:
            loss, acc = _summary(rows[size]["train_loss"])[0], _summary(rows[size]["test_accuracy"])[0]
            cells.append(f"{loss:.1e} ({100 * acc:.0f}%)")
        print(f"{contender.label:<18}" + "".join(f"{c:>15}" for c in cells))


PAGE: tuple[Settings | BatchSettings, ...] = (Settings(model="softmax"), Settings(model="mlp"), BatchSettings())
"""Everything the mini-batch page, its notebook and its figures show."""


def _page_item(settings: Settings | BatchSettings) -> tuple[str, Callable[..., dict]]:
    if isinstance(settings, Settings):
        return "comparison", lambda **options: comparison(settings, **options)
    return "batch-study", lambda **options: batch_study(settings, **options)


def run_all(progress: bool = False, *, shipped: bool = True) -> float:
    """Compute (or load) everything the mini-batch page shows; return the seconds it took.

    This is what the benchmark times: with an empty cache and ``shipped=False``, the cold cost.
    """
    start = time.perf_counter()
    for settings in PAGE:
        _page_item(settings)[1](progress=progress, shipped=shipped)
    return time.perf_counter() - start


def stale_shipped() -> dict[str, str]:
    """``{file name: why}`` for each committed result that is missing, or no longer one of :data:`PAGE`'s."""
    wanted = {result_name(_page_item(s)[0], _described(s)) for s in PAGE}
    present = {p.name for p in SHIPPED.glob("*.json")}
    return {
        **{name: "missing (settings or code changed)" for name in sorted(wanted - present)},
        **{name: "no longer current" for name in sorted(present - wanted)},
    }


def ship(progress: bool = False) -> list[str]:
    """Bring ``results/`` up to date: compute what is missing (or take it from the cache), drop the rest;
    return the names written."""
    written = []
    for settings in PAGE:
        kind, load = _page_item(settings)
        name = result_name(kind, _described(settings))
        if not (SHIPPED / name).is_file():
            _store(SHIPPED, name, load(progress=progress, shipped=False))
            written.append(name)
    for name, why in stale_shipped().items():
        if why == "no longer current":
            (SHIPPED / name).unlink(missing_ok=True)
    return written
