"""The mutation harness's own logic (tests/mutation): which tests a mutant's run collects."""

from __future__ import annotations

import importlib.util
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("mutant_budget", ROOT / "tests" / "mutation" / "mutant_budget.py")
mutant_budget = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(mutant_budget)
MODULES = tomllib.loads((ROOT / "tests" / "mutation" / "modules.toml").read_text())["modules"]


def test_a_mutants_run_keeps_only_its_modules_test_files_in_order():
    args = [
        "tests/test_frameworks.py::test_a",
        "tests/test_trajectory.py::test_b[1]",
        "src/rmsprop_docs/stepping.py::rmsprop_docs.stepping.x_iterate",
        "tests/test_port.py::test_c",
        "tests/test_guards.py::test_d",
    ]
    kept = mutant_budget.own_tests("rmsprop_docs.stepping.x_iterate__mutmut_4", args)
    assert kept == [args[1], args[2], args[4]]
    method = "rmsprop_docs.optimizers.base.xǁOptimizerǁinit__mutmut_2"  # a method's mutant: module before the class
    assert mutant_budget.own_tests(method, ["tests/test_optimizers.py::t", "tests/test_cli.py::t"]) == [
        "tests/test_optimizers.py::t"
    ]
    assert mutant_budget.own_tests("rmsprop_docs.nowhere.f__mutmut_1", args) == []


def test_every_test_file_the_mutation_map_names_exists():
    missing = sorted({f for files in MODULES.values() for f in files if not (ROOT / f).is_file()})
    assert missing == []


def test_budget_grows_with_the_recorded_time():
    assert mutant_budget.budget(0.0) == mutant_budget.BASE
    assert mutant_budget.budget(2.0) == mutant_budget.BASE + 2.0 * mutant_budget.FACTOR
