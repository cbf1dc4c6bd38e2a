"""A pytest plugin for mutant runs: each test gets a time budget from its time in mutmut's instrumented run,
and a mutant listed as equivalent is not run.

mutmut stops a mutant's tests only when their total CPU time passes six times the sum of their recorded
times, so a mutant that turns one quick test into a long one (a lost bound that lets ten million steps run, a
cache key that no longer matches and so trains again) costs minutes before it counts as a timeout.  With this
plugin (``-p mutant_budget``, loaded by tests/mutation/run.py), each test of a mutant's run has
``BASE + FACTOR * recorded`` seconds of wall time (pytest-timeout, by a signal); past that it fails, and the
mutant counts as killed: it changed what the code does, or how long it takes, by far.  Outside a mutant's run
(the instrumented run, the clean run, ``make test``) it does nothing.

A test stopped that way may leave processes behind: a fresh interpreter that trains with pinned kernels is
killed, its forked workers are not, and they wait forever (hundreds of them filled 24 GB).  So a mutant's
run is a process group of its own, and when it ends every other process still in that group is ended too.

A mutant's run collects only its own module's test files.  mutmut passes every test that reached the mutated
function, from every file (a mutant of stepping.py is reached by some 900 tests in 19 files, the frameworks' and
the figures' included); tests/conftest.py would deselect all but the module's own files (modules.toml) after
collecting them all, which took half of a quick mutant's run.  So the files not mapped to the module are dropped
from the command line before collection: same tests run, in the same order.

The mutant's name is fixed for the whole of its run, so mutmut's trampoline, which every call of a mutated
function passes through, gets it from a constant instead of reading the environment on every call (some 150,000
calls in a quick mutant's run, 40% of its time).

A mutant named in ``SKIPPED`` (written by run.py: the equivalents listed in tests/mutation/equivalent*.md)
runs no test: it cannot change behaviour, so its run would only spend each of its tests' whole time.  pytest
then exits with 5 (no tests), which run.py reads as "equivalent, not run"; ``run.py --equivalents`` runs
them too, to show that none of them is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import signal
import tomllib

import pytest

BASE = 2.0  # seconds every test has, whatever it took before: room for a busy machine
FACTOR = 4.0  # times its recorded time (recorded under mutmut's tracing, so slower than a plain run already)
STATS = pathlib.Path("mutmut-stats.json")  # in mutants/, where mutmut runs the tests
SKIPPED = pathlib.Path(__file__).with_name("skipped-equivalents.txt")  # only in run.py's copy of the tree
MODULES = pathlib.Path(__file__).with_name("modules.toml")  # each module's own test files


def budget(recorded: float) -> float:
    return BASE + FACTOR * recorded


def mutant_run() -> bool:
    return "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


def own_files(mutant: str) -> set[str]:
    """The test files (relative to the repository) mapped to the mutant's module in modules.toml
    (``rmsprop_docs.stepping.f__mutmut_3`` -> ``rmsprop_docs.stepping``)."""
    module = mutant.split("__mutmut_")[0].rpartition(".")[0]
    return set(tomllib.loads(MODULES.read_text())["modules"].get(module, []))


def own_tests(mutant: str, args: list[str]) -> list[str]:
    """The arguments naming a test file mapped to the mutant's module, in their order."""
    allowed = own_files(mutant)
    return [arg for arg in args if arg.split("::")[0] in allowed]


def pytest_configure(config):
    if not mutant_run():
        return
    os.setpgid(0, 0)
    mutant = os.environ["MUTANT_UNDER_TEST"]
    config.args[:] = own_tests(mutant, config.args)
    from mutmut.mutation import trampoline

    trampoline.get_mutant_under_test = lambda: mutant


def pytest_unconfigure(config):
    if not mutant_run():
        return
    group, me = os.getpgrp(), os.getpid()
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rpartition(")")[2].split()  # after the name, which may hold spaces
            pid = int(stat.parent.name)
            if int(fields[2]) == group and pid != me:
                os.kill(pid, signal.SIGKILL)


def pytest_collection_modifyitems(config, items):
    if not mutant_run() or not STATS.is_file():
        return
    if SKIPPED.is_file() and os.environ["MUTANT_UNDER_TEST"] in SKIPPED.read_text().split():
        config.hook.pytest_deselected(items=list(items))
        items[:] = []
        return
    recorded = json.loads(STATS.read_text())["duration_by_test"]
    for item in items:
        if item.nodeid in recorded:
            item.add_marker(pytest.mark.timeout(budget(recorded[item.nodeid]), method="signal"))
