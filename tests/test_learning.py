"""The mini-batch experiments: data, models, training, Hinton's drift, and the comparison the page prints."""

import contextlib
import dataclasses
import gzip
import hashlib
import io
import json
import os
import platform
import subprocess
import sys

import numpy as np
import pytest

from rmsprop_docs.learning import compare, datasets, drift, models, train
from rmsprop_docs.optimizers import rmsprop, rprop, sgd, sign_descent

# Regression pin: the SHA-256 of the data file as extracted from the scikit-learn 1.9.1 wheel.
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_the_data_file_is_the_one_recorded_and_licensed():
    assert hashlib.sha256(datasets.DATA.read_bytes()).hexdigest() == DIGITS_SHA256
    notice = (datasets.DATA.parent / "README.md").read_text()
    for needed in ("CC BY 4.0", "Alpaydin", "Kaynak", "1998", "10.24432/C50P49"):
        assert needed in notice


def test_digits_load_offline_with_the_documented_shape_and_balance():
    data = datasets.load_digits()
    assert data.x.shape == (1797, 64) and data.y.shape == (1797,)
    assert data.x.min() == 0.0 and data.x.max() == 1.0
    counts = np.bincount(data.y)
    # UCI's description of this test set (optdigits.tes): 178, 182, 177, 183, 181, 182, 181, 179, 174, 180.
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # Read independently of the loader: 65 integers per line, pixel counts 0..16.
    rows = gzip.decompress(datasets.DATA.read_bytes()).decode().split()
    first = [int(v) for v in rows[0].split(",")]
    assert len(rows) == 1797 and len(first) == 65
    assert data.x[0].tolist() == [v / 16 for v in first[:64]] and data.y[0] == first[64]


def test_split_is_disjoint_stratified_and_seeded():
    parts = datasets.split_digits()
    sizes = [len(p.y) for p in parts]
    assert sum(sizes) == 1797
    rows = np.concatenate([p.x for p in parts])
    assert len(np.unique(np.concatenate([rows, np.concatenate([p.y for p in parts])[:, None]], 1), axis=0)) >= 1790
    whole = np.bincount(datasets.load_digits().y) / 1797
    for part in parts:
        share = np.bincount(part.y, minlength=10) / len(part.y)
        assert np.all(np.abs(share - whole) * len(part.y) <= 1.0)  # within one image of the whole set's share
    again = datasets.split_digits()
    assert all(np.array_equal(a.x, b.x) for a, b in zip(parts, again, strict=True))
    assert not np.array_equal(datasets.split_digits(seed=1).test.y, parts.test.y)


@pytest.mark.parametrize("make", [models.softmax_regression, models.mlp])
@pytest.mark.parametrize("shared", [True, False])
def test_gradients_match_central_differences(make, shared):
    model = make()
    rng = np.random.default_rng(3)
    theta = np.stack([model.init(rng) for _ in range(2)]) + rng.normal(0, 0.3, (2, model.size))
    x = rng.random((6, 64)) if shared else rng.random((2, 6, 64))
    y = rng.integers(0, 10, 6) if shared else rng.integers(0, 10, (2, 6))
    grad = model.loss_and_grad(theta, x, y)[1]
    h = 1e-5
    for j in rng.choice(model.size, 25, replace=False):
        step = np.zeros(model.size)
        step[j] = h
        numeric = (model.loss_and_grad(theta + step, x, y)[0] - model.loss_and_grad(theta - step, x, y)[0]) / (2 * h)
        np.testing.assert_allclose(grad[:, j], numeric, rtol=1e-5, atol=1e-9)


def test_loss_is_cross_entropy_by_hand():
    model = models.softmax_regression(features=2, classes=3)
    theta = np.array([[1.0, 0.0, -1.0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0]])  # W = [[1,0,-1],[.5,.5,.5]], b = 0
    x, y = np.array([[1.0, 2.0]]), np.array([0])
    z = np.array([2.0, 1.0, 0.0])
    expected = -(z[0] - np.log(np.exp(z).sum()))
    np.testing.assert_allclose(model.loss_and_grad(theta, x, y)[0], [expected], rtol=1e-14)
    loss, accuracy = models.evaluate(model, theta, x, y)
    assert loss[0] == pytest.approx(expected) and accuracy[0] == 1.0


def test_large_products_are_cut_below_the_serial_size_and_agree():
    rng = np.random.default_rng(0)
    a, b = rng.random((3, 900, 64)), rng.random((3, 64, 32))
    np.testing.assert_allclose(models._matmul(a, b), a @ b, rtol=1e-12)
    c, d = rng.random((3, 64, 900)), rng.random((3, 900, 32))
    np.testing.assert_allclose(models._matmul(c, d), c @ d, rtol=1e-12)


def _small_run(seeds=(0, 1), batch_size=16, lr=(0.01, 0.03)):
    data = datasets.split_digits()
    opt = rmsprop(lr=np.array(lr)[:, None])
    return train.train(models.mlp(16), opt, data, seeds, batch_size=batch_size, steps=40, every=20)


def test_training_is_deterministic_to_the_byte():
    first, second = _small_run(), _small_run()
    for a, b in zip(first, second, strict=True):
        assert a.tobytes() == b.tobytes()


def test_stacked_configurations_equal_separate_runs():
    both = _small_run(seeds=(0, 1), lr=(0.01, 0.03))
    alone = _small_run(seeds=(1,), lr=(0.03,))
    np.testing.assert_allclose(both.test_loss[1], alone.test_loss[0], rtol=1e-12)
    np.testing.assert_allclose(both.final_train_loss[1], alone.final_train_loss[0], rtol=1e-12)


def test_training_lowers_the_loss_and_seeds_differ():
    run = _small_run(seeds=(0, 1), lr=(0.01, 0.01))
    assert np.all(run.train_loss[:, -1] < np.log(10))
    assert run.test_loss[0, -1] != run.test_loss[1, -1]


def test_batches_cover_each_epoch_once():
    theta, rows = train.batch_order(5, 100, 30, 6, models.softmax_regression())
    first_epoch = rows[:3].ravel()
    assert len(set(first_epoch.tolist())) == 90  # 3 batches of 30 from 100 rows, no repeats
    assert theta.shape == (650,)


def test_progress_bar_reaches_the_total():
    stream = io.StringIO()
    bar = train.text_progress(40, "run", stream=stream, width=10)
    bar(20)
    bar(40)
    assert stream.getvalue().endswith("\rrun [##########] 40/40\n")


# Hinton's drift, checked against numbers derived by hand or by a separate formula.


def test_sgd_stays_in_place_and_sign_descent_drifts_by_eight_steps_a_round():
    sgd_path = drift.drift(sgd(lr=0.01), 1000)
    assert np.abs(sgd_path).max() <= 0.009 + 1e-12 and abs(sgd_path[-1]) < 1e-12
    sign_path = drift.drift(sign_descent(lr=0.01), 1000)
    assert sign_path[-1] == pytest.approx(-0.08 * 100, abs=1e-9)  # nine steps down, one up, 100 rounds


def test_rprop_drifts_by_the_hand_computed_cycle():
    # Steady state: after the flip the step is 50 / 2 = 25, then grows by 1.2 up to the cap of 50.
    path = drift.drift(rprop(lr=0.01), 300)
    assert path[-1] - path[-11] == pytest.approx(-(25 + 30 + 36 + 43.2 + 5 * 50), rel=1e-12)


def _rmsprop_cycle_drift(rho: float, lr: float = 0.01) -> float:
    """Closed form: in the periodic steady state v_k = (1 - rho) sum_j rho^j g_{k-j}^2 / (1 - rho^10)."""
    g = np.array(drift.HINTON_GRADIENTS)
    total = 0.0
    for k in range(10):
        history = np.array([g[(k - j) % 10] ** 2 for j in range(10)])
        v = (1 - rho) * np.sum(rho ** np.arange(10) * history) / (1 - rho**10)
        total += -lr * g[k] / (np.sqrt(v) + 1e-8)
    return total


@pytest.mark.parametrize("rho", [0.5, 0.9, 0.99])
def test_rmsprop_drift_per_round_matches_the_steady_state_formula(rho):
    path = drift.drift(rmsprop(lr=0.01, rho=rho), 5000)
    assert path[-1] - path[-11] == pytest.approx(_rmsprop_cycle_drift(rho), rel=1e-6)


def test_rmsprop_drift_shrinks_as_rho_approaches_one():
    drifts = [abs(_rmsprop_cycle_drift(rho)) for rho in (0.9, 0.99, 0.999)]
    assert drifts[0] > 5 * drifts[1] > 25 * drifts[2] > 0


def test_sign_methods_settle_at_the_median_root_with_curvature():
    for opt in (sign_descent(lr=0.01), rprop(lr=0.01)):
        settled = drift.drift(opt, 3000, curvature=1.0)[-100:].mean()
        assert settled == pytest.approx(-0.1, abs=0.006)  # nine of ten batches: g = w + 0.1
    assert abs(drift.drift(sgd(lr=0.01), 3000, curvature=1.0)[-100:].mean()) < 1e-4


# The comparison: protocol and the table the page prints.


def test_grids_are_half_decades_and_every_contender_has_one():
    assert compare.half_decades(-1, 0) == (0.1, 0.316, 1.0)
    for contender in compare.CONTENDERS + compare.BATCH_CONTENDERS:
        lrs = np.log10(contender.axes["lr"])
        np.testing.assert_allclose(np.diff(lrs), 0.5, atol=0.002)


@pytest.fixture(scope="module")
def comparisons():
    return {model: compare.comparison(compare.Settings(model=model)) for model in ("softmax", "mlp")}


def test_choice_is_the_best_median_validation_and_not_at_the_grid_edge(comparisons):
    for model, result in comparisons.items():
        for contender, row in zip(compare.CONTENDERS, result["results"], strict=True):
            medians = [np.inf if m is None else m for m in row["medians"]]
            assert row["best_index"] == int(np.argmin(medians))
            assert row["best"] == {k: float(v[row["best_index"]]) for k, v in contender.grid().items()}
            if contender.label != "Rprop":  # Rprop's lr is only its first step: its grid barely matters
                lr_index = row["best_index"] // (row["grid_points"] // len(contender.axes["lr"]))
                assert 0 < lr_index < len(contender.axes["lr"]) - 1, (model, contender.label)


def test_the_printed_table_is_the_run(comparisons):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        compare.print_comparison(compare.Settings(model="mlp"))
    lines = out.getvalue().splitlines()[1:]
    for line, row in zip(lines, comparisons["mlp"]["results"], strict=True):
        assert line.startswith(row["label"])
        assert f"{np.median(row['test_loss']):.3f} ({min(row['test_loss']):.3f}-{max(row['test_loss']):.3f})" in line
        assert f"{100 * np.median(row['test_accuracy']):.1f}" in line


def test_the_claims_of_the_page(comparisons):
    by_label = {r["label"]: r for r in comparisons["mlp"]["results"]}
    soft = {r["label"]: r for r in comparisons["softmax"]["results"]}
    median = {k: np.median(r["test_loss"]) for k, r in by_label.items()}
    assert median["Rprop"] > 2 * median["RMSprop"]  # RMSprop beats its ancestor
    assert np.median(soft["Rprop"]["test_loss"]) > 100 * np.median(soft["RMSprop"]["test_loss"])
    assert median["Adam"] < median["RMSprop"] and np.median(soft["Adam"]["test_loss"]) < np.median(
        soft["RMSprop"]["test_loss"]
    )
    for name in ("SGD", "SGD, momentum 0.9", "Adagrad"):  # a tie within the seeds' spread
        assert abs(median[name] - median["RMSprop"]) < max(by_label["RMSprop"]["test_loss"]) - min(
            by_label["RMSprop"]["test_loss"]
        )


def test_batch_study_rprop_shines_on_full_batches_and_fails_on_mini_batches():
    result = compare.batch_study()
    loss = {(r["label"], r["batch_size"]): np.median(r["train_loss"]) for r in result["results"]}
    full = max(compare.BATCH_SIZES)
    assert loss["Rprop", full] < min(loss["RMSprop", full], loss["SGD", full])
    for size in (32, 8):
        assert loss["Rprop", size] > np.log(10) > 10 * loss["RMSprop", size]


def test_committed_results_are_current_and_recomputed_to_the_byte(tmp_path, monkeypatch):
    assert compare.stale_shipped() == {}
    monkeypatch.setenv("RMSPROP_DOCS_CACHE", str(tmp_path))
    settings = compare.Settings(model="softmax")  # the quickest of the page's results
    name = compare.result_name("comparison", compare._described(settings))
    compare.comparison(settings, shipped=False)
    assert (tmp_path / "learning" / name).read_bytes() == (compare.SHIPPED / name).read_bytes()


def test_a_fresh_clone_reads_the_committed_results_and_trains_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("RMSPROP_DOCS_CACHE", str(tmp_path))
    monkeypatch.setattr(compare, "train", None)  # training would fail
    assert compare.run_all() >= 0
    assert not (tmp_path / "learning").exists()


X86_64 = platform.machine().lower() in ("x86_64", "amd64")


def test_this_interpreter_runs_the_cpus_own_kernels_and_a_pinned_one_does_not():
    assert compare.kernels_pinned() is not X86_64  # the tests' NumPy dispatches by the CPU
    probe = subprocess.run(
        [sys.executable, "-c", "from rmsprop_docs.learning import compare; print(compare.kernels_pinned())"],
        env={**os.environ, **compare.PINNED_KERNELS},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "True"
    if X86_64:  # computing here would give this CPU's numbers: refused
        with pytest.raises(RuntimeError, match="did not load with"):
            compare._compute_here("comparison", "{}", "False")


@pytest.mark.skipif(not X86_64, reason="the pinned kernels are x86-64's")
def test_a_result_does_not_depend_on_the_kernels_of_the_process_that_asks_for_it(tmp_path):
    # A caller whose NumPy has no AVX-512 loops and whose OpenBLAS runs its SSE4.2 kernels still gets the
    # committed bytes: the result is computed with the pinned kernels, whatever the caller's.
    settings = compare.Settings(model="softmax")
    name = compare.result_name("comparison", compare._described(settings))
    caller = {"OPENBLAS_CORETYPE": "Nehalem", "NPY_DISABLE_CPU_FEATURES": "X86_V4"}
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from rmsprop_docs.learning import compare as c; c.comparison(c.Settings('softmax'), shipped=False)",
        ],
        env={**os.environ, **caller, "RMSPROP_DOCS_CACHE": str(tmp_path)},
        check=True,
    )
    assert (tmp_path / "learning" / name).read_bytes() == (compare.SHIPPED / name).read_bytes()


def _has_avx512() -> bool:
    features = getattr(np._core._multiarray_umath, "__cpu_features__", {})
    return bool(features.get("AVX512F"))


@pytest.mark.skipif(not (X86_64 and _has_avx512()), reason="needs a CPU with AVX-512 to compare its kernels")
def test_numpys_exp_rounds_differently_with_and_without_avx512():
    # Why the kernels are pinned: the same call, two answers, depending on the loops NumPy dispatched to.
    code = "import numpy as np, sys; sys.stdout.write(np.exp(np.linspace(-30, 5, 100001)).tobytes().hex())"
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, **extra}, capture_output=True, text=True, check=True
        ).stdout
        for extra in ({}, {"NPY_DISABLE_CPU_FEATURES": "X86_V4"})
    ]
    assert runs[0] != runs[1]


# The comparison's machinery: where tasks run, what the tables read, what a page build asks for.


class _RecordingContext:
    """multiprocessing.get_context's stand-in: notes the start method, the pool's size and how tasks are handed
    out, and runs them on a real pool of that method."""

    def __init__(self, real, asked):
        self.real, self.asked = real, asked

    def __call__(self, method=None):
        context, asked = self.real(method), self.asked
        asked.append(("method", method))

        class Pool:
            def __init__(self, processes=None):
                asked.append(("processes", processes))
                self.pool = context.Pool(processes)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.pool.__exit__(*exc)

            def map(self, function, iterable, chunksize=None):
                asked.append(("map", list(iterable), chunksize))
                return self.pool.map(function, list(iterable), chunksize=chunksize)

        return type("Context", (), {"Pool": Pool})()


def _pid_tasks(count):
    return [lambda i=i: {"i": i, "pid": os.getpid()} for i in range(count)]


@pytest.fixture
def pool_log(monkeypatch):
    import multiprocessing
    import threading

    asked = []
    monkeypatch.setattr(multiprocessing, "get_context", _RecordingContext(multiprocessing.get_context, asked))
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    return asked


def test_tasks_are_forked_one_worker_a_core_the_costliest_first(pool_log, monkeypatch):
    done = compare._in_parallel(_pid_tasks(4), [1.0, 5.0, 2.0, 4.0], False)
    assert [d["i"] for d in done] == [0, 1, 2, 3]
    assert all(d["pid"] != os.getpid() for d in done)
    assert pool_log == [("method", "fork"), ("processes", 2), ("map", [1, 3, 2, 0], 1)]
    pool_log.clear()
    monkeypatch.setattr(os, "cpu_count", lambda: 8)  # fewer tasks than cores: a worker each
    assert [d["i"] for d in compare._in_parallel(_pid_tasks(3), [3.0, 2.0, 1.0], False)] == [0, 1, 2]
    assert pool_log[1] == ("processes", 3)


@pytest.mark.parametrize(
    ("tasks", "cores", "threads", "progress", "daemon"),
    [
        (1, 2, 1, False, False),
        (2, None, 1, False, False),
        (2, 2, 1, True, False),
        (2, 2, 2, False, False),
        (2, 1, 1, False, False),
        (2, 2, 1, False, True),
    ],
    ids=["one task", "cores unknown", "progress bars", "another thread", "one core", "inside a worker"],
)
def test_tasks_run_here_unless_a_fork_pays_and_is_safe(pool_log, monkeypatch, tasks, cores, threads, progress, daemon):
    import multiprocessing
    import threading

    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(threading, "active_count", lambda: threads)
    monkeypatch.setattr(multiprocessing, "current_process", lambda: type("Process", (), {"daemon": daemon})())
    done = compare._in_parallel(_pid_tasks(tasks), [1.0] * tasks, progress)
    assert [d["i"] for d in done] == list(range(tasks)) and {d["pid"] for d in done} == {os.getpid()}
    assert pool_log == []


def test_a_page_build_asks_for_each_page_result_without_progress_from_the_committed_ones(monkeypatch):
    asked = []
    monkeypatch.setattr(compare, "_page_item", lambda s: ("kind", lambda **options: asked.append((s, options))))
    seconds = compare.run_all()
    assert asked == [(s, {"progress": False, "shipped": True}) for s in compare.PAGE]
    assert 0 <= seconds < 60  # the time it took, not a clock reading
    asked.clear()
    compare.run_all(True, shipped=False)
    assert asked == [(s, {"progress": True, "shipped": False}) for s in compare.PAGE]


def test_the_tables_read_the_settings_given_and_each_contenders_own_rows(monkeypatch, capsys):
    asked = []
    results = [
        {"label": c.label, "batch_size": s, "train_loss": [(n + 1) * s], "test_accuracy": [0.1 * n]}
        for n, c in enumerate(compare.BATCH_CONTENDERS)
        for s in (1078, 8)
    ]
    monkeypatch.setattr(compare, "batch_study", lambda settings: asked.append(settings) or {"results": results})
    settings = compare.BatchSettings(batch_sizes=(1078, 8))
    compare.print_batch_study(settings)
    assert asked == [settings]
    cells = [("SGD", "1.1e+03 (0%)", "8.0e+00 (0%)"), ("RMSprop", "2.2e+03 (10%)", "1.6e+01 (10%)")]
    cells.append(("Rprop", "3.2e+03 (20%)", "2.4e+01 (20%)"))
    assert capsys.readouterr().out.splitlines()[1:] == [f"{a:<18}{b:>15}{c:>15}" for a, b, c in cells]
    row = {"label": "Adam", "best": {"lr": 0.01}, "test_loss": [0.5], "test_accuracy": [None, 0.5]}
    monkeypatch.setattr(compare, "comparison", lambda s: asked.append(s) or {"results": [row]})
    compare.print_comparison(compare.Settings(model="softmax"))
    assert asked[-1] == compare.Settings(model="softmax")
    assert capsys.readouterr().out.splitlines()[1].endswith("inf (50.0-inf)")


def test_tuning_trains_every_grid_point_from_every_seed_and_keeps_the_best_validation():
    # A real, tiny run: the tuned row is the stacked training's own numbers, chosen on the validation split.
    contender = compare.Contender("RMSprop", lambda lr: rmsprop(lr=lr), {"lr": (0.003, 0.3)})
    seen = []
    tuned = compare._tune(contender, "softmax", 64, 6, 3, (0, 1), seen.append, "validation")
    data = datasets.split_digits()
    alone = train.train(
        models.softmax_regression(), rmsprop(lr=np.array([0.003] * 2 + [0.3] * 2)[:, None]), data, (0, 1, 0, 1),
        batch_size=64, steps=6, every=3,
    )  # fmt: skip
    assert seen == [3, 6] and tuned["steps"] == [3, 6]
    medians = np.median(alone.validation_loss[:, -1].reshape(2, 2), axis=1)
    assert tuned["medians"] == medians.tolist() and tuned["best_index"] == int(np.argmin(medians))
    chosen = slice(2 * tuned["best_index"], 2 * tuned["best_index"] + 2)
    assert tuned["test_loss"] == alone.test_loss[chosen, -1].tolist()
    assert tuned["train_curves"] == alone.train_loss[chosen].tolist()
    assert tuned["test_curves"] == alone.test_loss[chosen].tolist()
    # The validation and test losses are different numbers: the choice could not be the test set's by accident.
    assert not np.allclose(alone.validation_loss, alone.test_loss)
    assert tuned["medians"] != np.median(alone.test_loss[:, -1].reshape(2, 2), axis=1).tolist()


def _not_here(kind, settings, progress):
    raise AssertionError("kernels pinned here, yet computed in a fresh interpreter")


def _recorded_runs(monkeypatch, tmp_path):
    """Training replaced by a stand-in that notes its progress bar and calls it at each record; the task runner
    by one that notes the costs and progress it is given."""
    asked = {"costs": [], "progress": []}

    def fake_train(model, optimizer, data, seeds, *, batch_size, steps, every, progress=None):
        records = np.arange(every, steps + 1, every)
        ones = np.ones((len(seeds), len(records)))
        for t in records if progress is not None else ():
            progress(int(t))
        return train.Run(records, ones, ones, ones, ones, np.ones(len(seeds)))

    def in_order(tasks, costs, progress):
        asked["costs"].append(costs)
        asked["progress"].append(progress)
        return [task() for task in tasks]

    monkeypatch.setenv("RMSPROP_DOCS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(compare, "SHIPPED", tmp_path / "shipped")
    monkeypatch.setattr(compare, "train", fake_train)
    monkeypatch.setattr(compare, "kernels_pinned", lambda: True)
    monkeypatch.setattr(compare, "_in_parallel", in_order)
    monkeypatch.setattr(compare, "_compute_pinned", _not_here)
    return asked


def test_a_comparison_shows_a_bar_per_contender_only_when_asked(monkeypatch, tmp_path, capsys):
    asked = _recorded_runs(monkeypatch, tmp_path)
    settings = compare.Settings(model="softmax", batch_size=539, epochs=2, seeds=(0,))
    result = compare.comparison(settings)
    assert capsys.readouterr().err == "" and asked["progress"] == [False]
    assert asked["costs"] == [[7, 7, 7, 21, 14, 7]]  # each contender's grid points
    assert result["settings"] == compare._described(settings)
    assert all(row["chosen_by"] == "validation" for row in result["results"])
    settings = dataclasses.replace(settings, epochs=3)
    compare.comparison(settings, progress=True)
    bars = capsys.readouterr().err
    assert asked["progress"][-1] is True
    for contender in compare.CONTENDERS:
        assert f"\rsoftmax {contender.label:<18} [{'#' * 30}] 6/6\n" in bars


def test_a_batch_study_shows_a_bar_per_contender_and_size_only_when_asked(monkeypatch, tmp_path, capsys):
    asked = _recorded_runs(monkeypatch, tmp_path)
    settings = compare.BatchSettings(steps=4, batch_sizes=(64, 8), seeds=(0,))
    result = compare.batch_study(settings)
    assert capsys.readouterr().err == "" and asked["progress"] == [False]
    assert asked["costs"] == [[9 * 128, 9 * 72, 9 * 128, 9 * 72, 7 * 128, 7 * 72]]  # grid points x (size + 64)
    assert result["settings"] == compare._described(settings)
    assert [(row["label"], row["batch_size"]) for row in result["results"]] == [
        (c.label, size) for c in compare.BATCH_CONTENDERS for size in (64, 8)
    ]
    assert all(row["chosen_by"] == "train" for row in result["results"])  # how well each optimizes
    compare.batch_study(dataclasses.replace(settings, steps=5), progress=True)
    bars = capsys.readouterr().err
    for contender in compare.BATCH_CONTENDERS:
        for size in (64, 8):
            assert f"\rsoftmax {contender.label:<8} batch {size:>4} [{'#' * 30}] 5/5\n" in bars


@pytest.mark.parametrize("kind", ["comparison", "batch-study"])
def test_a_result_is_read_from_the_committed_ones_unless_told_not_to(monkeypatch, tmp_path, kind):
    _recorded_runs(monkeypatch, tmp_path)
    settings = (
        compare.Settings(model="softmax", batch_size=539, epochs=1, seeds=(0,))
        if kind == "comparison"
        else compare.BatchSettings(steps=2, batch_sizes=(8,), seeds=(0,))
    )
    assert compare._page_item(settings)[0] == kind
    load = compare._page_item(settings)[1]
    compare._store(compare.SHIPPED, compare.result_name(kind, compare._described(settings)), {"committed": True})
    assert load() == {"committed": True}
    assert load(shipped=False) != {"committed": True}
    # Where this interpreter's kernels are not the pinned ones, a fresh one is asked, with the progress asked for.
    monkeypatch.setattr(compare, "kernels_pinned", lambda: False)
    calls = []

    def pinned(kind_, described, progress):
        calls.append((kind_, progress))
        compare._store(compare.cache_folder(), compare.result_name(kind_, described), {"pinned": True})

    monkeypatch.setattr(compare, "_compute_pinned", pinned)
    (tmp_path / "cache" / "learning" / compare.result_name(kind, compare._described(settings))).unlink()
    assert load(progress=True, shipped=False) == {"pinned": True} and calls == [(kind, True)]


def test_shipping_computes_each_page_result_without_the_committed_ones(monkeypatch, tmp_path):
    monkeypatch.setattr(compare, "SHIPPED", tmp_path / "shipped")
    asked = []

    def load(settings):
        return lambda **options: asked.append((settings, options)) or {"n": len(asked)}

    monkeypatch.setattr(compare, "comparison", lambda settings, **options: load(settings)(**options))
    monkeypatch.setattr(compare, "batch_study", lambda settings, **options: load(settings)(**options))
    written = compare.ship()
    assert asked == [(s, {"progress": False, "shipped": False}) for s in compare.PAGE]
    assert [json.loads((tmp_path / "shipped" / name).read_text()) for name in written] == [{"n": 1}, {"n": 2}, {"n": 3}]
    asked.clear()
    (tmp_path / "shipped" / written[0]).unlink()
    assert compare.ship(True) == written[:1] and asked == [(compare.PAGE[0], {"progress": True, "shipped": False})]


@pytest.fixture
def own_process_group(monkeypatch):
    """Each interpreter started runs in a process group of its own, ended after 60 s and after the test: a
    mistake that makes the fresh interpreter start another, and so on, cannot outlive the test."""
    import signal
    import threading

    started, real = [], subprocess.Popen

    def end(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)

    def popen(*args, **kwargs):
        process = real(*args, **{**kwargs, "start_new_session": True})
        timer = threading.Timer(60, end, (process.pid,))
        timer.daemon = True
        timer.start()
        started.append((process.pid, timer))
        return process

    monkeypatch.setattr(subprocess, "Popen", popen)
    yield
    for pid, timer in started:
        timer.cancel()
        end(pid)


def test_a_fresh_interpreter_computes_with_the_pinned_kernels_and_fails_loudly(
    monkeypatch, tmp_path, capfd, own_process_group
):
    monkeypatch.setenv("RMSPROP_DOCS_CACHE", str(tmp_path))
    described = compare._described(compare.BatchSettings(steps=2, batch_sizes=(8,), seeds=(0,)))
    compare._compute_pinned("batch-study", described, True)
    result = json.loads((tmp_path / "learning" / compare.result_name("batch-study", described)).read_text())
    assert result["settings"] == json.loads(json.dumps(described))
    assert [row["steps"] for row in result["results"]] == [[2]] * 3
    assert f"\rsoftmax {'Rprop':<8} batch    8 [{'#' * 30}] 2/2\n" in capfd.readouterr().err
    with pytest.raises(subprocess.CalledProcessError):
        compare._compute_pinned("comparison", {"no-such-setting": 1}, False)


def test_in_a_fresh_interpreter_a_result_is_computed_even_where_one_is_committed(monkeypatch, tmp_path, capsys):
    _recorded_runs(monkeypatch, tmp_path)
    settings = compare.BatchSettings(steps=3, batch_sizes=(8,), seeds=(0,))
    described = compare._described(settings)
    name = compare.result_name("batch-study", described)
    compare._store(compare.SHIPPED, name, {"committed": True})
    compare._compute_here("batch-study", json.dumps(described), "True")
    result = json.loads((tmp_path / "cache" / "learning" / name).read_text())
    assert [row["steps"] for row in result["results"]] == [[3]] * 3
    assert capsys.readouterr().err.count(" 3/3\n") == 3  # a bar each, as asked
    (tmp_path / "cache" / "learning" / name).unlink()
    compare._compute_here("batch-study", json.dumps(described), "False")
    assert capsys.readouterr().err == ""


def test_a_stale_file_another_build_removed_meanwhile_is_no_error(monkeypatch, tmp_path):
    import pathlib

    listed = pathlib.Path.glob

    def glob(self, pattern):  # as if another process removed a file between the listing and the removal
        return [*listed(self, pattern), self / pattern.replace("*", "gone")]

    monkeypatch.setattr(pathlib.Path, "glob", glob)
    compare._store(tmp_path, "comparison-aaa-111.json", {"x": 1})
    assert [p.name for p in tmp_path.iterdir()] == ["comparison-aaa-111.json"]
    monkeypatch.setattr(compare, "SHIPPED", tmp_path / "shipped")
    monkeypatch.setattr(compare, "comparison", lambda settings, **options: {"n": 1})
    monkeypatch.setattr(compare, "batch_study", lambda settings, **options: {"n": 2})
    assert len(compare.ship()) == 3


def test_the_cache_is_at_the_repositorys_root_wherever_it_runs_and_else_in_the_working_folder(monkeypatch, tmp_path):
    import pathlib

    monkeypatch.delenv("RMSPROP_DOCS_CACHE", raising=False)
    root = pathlib.Path(compare.__file__).resolve().parents[3]
    monkeypatch.chdir(tmp_path)
    assert compare.cache_folder() == root / ".cache" / "learning"
    installed = tmp_path / "site-packages" / "rmsprop_docs" / "learning" / "compare.py"  # no pyproject.toml above
    monkeypatch.setattr(compare, "__file__", str(installed))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert compare.cache_folder() == tmp_path / "work" / ".cache" / "learning"


@pytest.mark.parametrize(
    ("machine", "features", "environment", "pinned"),
    [
        ("x86_64", {"X86_V2": True}, compare.PINNED_KERNELS, True),
        ("AMD64", {"X86_V2": True}, compare.PINNED_KERNELS, True),
        ("x86_64", {"X86_V3": True, "X86_V4": False}, compare.PINNED_KERNELS, False),
        ("x86_64", {"X86_V3": False, "X86_V4": True}, compare.PINNED_KERNELS, False),
        ("AMD64", {"X86_V3": True}, compare.PINNED_KERNELS, False),
        ("x86_64", None, compare.PINNED_KERNELS, True),  # a NumPy that does not say
        ("x86_64", {}, {**compare.PINNED_KERNELS, "OPENBLAS_CORETYPE": "Haswell"}, False),
        ("x86_64", {}, {**compare.PINNED_KERNELS, "OPENBLAS_NUM_THREADS": "2"}, False),
        ("x86_64", {}, {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1"}, False),
        ("aarch64", {"X86_V3": True}, {}, True),  # the names mean nothing there
        ("arm64", {}, {}, True),
    ],
)
def test_kernels_are_pinned_where_numpy_dispatches_no_avx2_and_openblas_runs_the_pinned_kernels(
    monkeypatch, machine, features, environment, pinned
):
    core = np._core._multiarray_umath
    if features is None:
        monkeypatch.delattr(core, "__cpu_features__")
    else:
        monkeypatch.setattr(core, "__cpu_features__", features)
    monkeypatch.setattr(platform, "machine", lambda: machine)
    for name in compare.PINNED_KERNELS:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert compare.kernels_pinned() is pinned


def test_a_results_name_does_not_depend_on_the_order_its_settings_were_written_in():
    assert compare.result_name("comparison", {"model": "mlp", "epochs": 3}) == compare.result_name(
        "comparison", {"epochs": 3, "model": "mlp"}
    )
    assert compare.result_name("comparison", {"model": "mlp", "epochs": 3}) != compare.result_name(
        "comparison", {"model": "mlp", "epochs": 4}
    )
