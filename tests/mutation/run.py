"""`make mutation`: run mutmut 3 over src/rmsprop_docs and print the kill rate per module and in total.

The run happens in a copy of the working tree under .cache/mutation (ignored by git), so mutmut's
``mutants/`` directory never lands in the repository and edits made while it runs do not change it.
Only modules listed in tests/mutation/modules.toml are judged (by default its ``default`` list), each by
its own test files; the test run that maps tests to functions covers the union of those files.

The rate is ``killed / (mutants - equivalent)``: a mutant listed in tests/mutation/equivalent.md or in
equivalent/*.md (by its mutmut name, in backticks) is one that cannot change behaviour and so cannot be
killed.  A listed name that a test now kills, or that no longer exists, is reported, and does not count as equivalent.
A plain run skips the listed ones (their runs would only spend all their tests' time); ``--equivalents`` runs
them as well, which is how a listed name that a test now kills is found.
Each test of a mutant's run has a time budget (tests/mutation/mutant_budget.py), so a mutant that makes a
quick test slow is killed in seconds rather than at mutmut's limit for the whole run.
Exit status: 0 when every judged module's rate is at least 95%, 1 below it or when mutmut fails.

The copy's pyproject.toml is narrowed too: only the judged modules' files are mutated (``only_mutate``), and
nothing of them is excluded (``do_not_mutate`` keeps only ``__main__.py``), so the renderer and the training
package, which a plain mutmut run leaves alone, are judged when listed.

    python tests/mutation/run.py                          # the default modules of modules.toml
    python tests/mutation/run.py --all                    # every module in modules.toml
    python tests/mutation/run.py rmsprop_docs.stepping    # some modules only (their rate, same threshold)
    python tests/mutation/run.py --survivors              # also print each survivor's diff
    python tests/mutation/run.py --equivalents            # the listed equivalents run too, to check the list
    python tests/mutation/run.py --report                 # the last run's table again
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "mutation"
# MUTATION_WORK moves the copy, so that runs of different modules can go side by side.
WORK = pathlib.Path(os.environ.get("MUTATION_WORK", ROOT / ".cache" / "mutation")).resolve()
# What the copy holds: the sources, the tests, and what [tool.mutmut] also_copy names (mutmut copies those
# again into its mutants/ directory, where the tests run).
ALWAYS_COPIED = ("src", "tests", "pyproject.toml", "constraints.txt")
THRESHOLD = 95.0
SELECTION_LINE = 'pytest_add_cli_args_test_selection = ["tests/"]'
DO_NOT_MUTATE = re.compile(r"^do_not_mutate = .*$", re.M)
CLI_ARGS = re.compile(r"^pytest_add_cli_args = (.*)$", re.M)
NAME = re.compile(r"`(rmsprop_docs\.[\w.ǁ]+__mutmut_\d+)`")
KILLED = {"killed", "timeout", "caught by type check", "segfault"}  # a timeout or crash is a changed behaviour too


def modules_map() -> tuple[dict[str, list[str]], list[str]]:
    """Every module's test files, and the modules a plain run judges."""
    table = tomllib.loads((HERE / "modules.toml").read_text())
    return table["modules"], table["default"]


def hash_pinned() -> list[str]:
    """Tests that compare a hash of the code with a committed one: any edit fails them until a rebuild, so a
    mutation run leaves them out (modules.toml's ``hash_pinned``)."""
    return tomllib.loads((HERE / "modules.toml").read_text()).get("hash_pinned", [])


def equivalents() -> set[str]:
    """The names listed in equivalent.md and in equivalent/*.md (one file per module, for the larger lists)."""
    files = [HERE / "equivalent.md", *sorted((HERE / "equivalent").glob("*.md"))]
    return {name for path in files for name in NAME.findall(path.read_text())}


def module_of(mutant: str) -> str:
    return mutant.split("__mutmut_")[0].rpartition(".")[0]


def prepare(selected: dict[str, list[str]], run_equivalents: bool) -> None:
    """A fresh copy of the tree, with mutmut's test selection narrowed to the selected modules' test files
    and, unless ``run_equivalents``, the listed equivalents marked to be skipped (mutant_budget.py)."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", "test-artifacts")
    also = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"].get("also_copy", [])
    for name in dict.fromkeys([*ALWAYS_COPIED, *(a.rstrip("/") for a in also)]):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, WORK / name, ignore=skip)
        elif source.exists():
            shutil.copy2(source, WORK / name)
    if not run_equivalents:
        (WORK / "tests" / "mutation" / "skipped-equivalents.txt").write_text("\n".join(sorted(equivalents())) + "\n")
    files = sorted({f for paths in selected.values() for f in paths if (ROOT / f).exists()})
    pyproject = (WORK / "pyproject.toml").read_text()
    if SELECTION_LINE not in pyproject:
        sys.exit(f"pyproject.toml: [tool.mutmut] must contain the line {SELECTION_LINE}")
    selection = "pytest_add_cli_args_test_selection = " + json.dumps(files)
    pyproject = pyproject.replace(SELECTION_LINE, selection)
    if not DO_NOT_MUTATE.search(pyproject):
        sys.exit("pyproject.toml: [tool.mutmut] must have a do_not_mutate = [...] line")
    mutated = sorted(source_file(m) for m in selected)
    narrowed = f'do_not_mutate = ["src/rmsprop_docs/__main__.py"]\nonly_mutate = {json.dumps(mutated)}'
    pyproject = DO_NOT_MUTATE.sub(lambda _: narrowed, pyproject, count=1)
    found = CLI_ARGS.search(pyproject)
    if not found:
        sys.exit("pyproject.toml: [tool.mutmut] must have a pytest_add_cli_args = [...] line")
    args = tomllib.loads("a = " + found.group(1))["a"] + [a for test in hash_pinned() for a in ("--deselect", test)]
    args += ["-p", "mutant_budget"]  # each test's time budget in a mutant's run (tests/mutation/mutant_budget.py)
    pyproject = CLI_ARGS.sub(lambda _: "pytest_add_cli_args = " + json.dumps(args), pyproject, count=1)
    (WORK / "pyproject.toml").write_text(pyproject)


def source_file(module: str) -> str:
    """``rmsprop_docs.render.story`` -> ``src/rmsprop_docs/render/story.py`` (a package: its ``__init__.py``)."""
    path = pathlib.Path("src", *module.split("."))
    return (path / "__init__.py" if (ROOT / path).is_dir() else path.with_suffix(".py")).as_posix()


def results() -> dict[str, str]:
    """Every mutant's status, from mutmut's own records."""
    from mutmut.stats import status_by_exit_code

    statuses = {}
    for meta in (WORK / "mutants").rglob("*.py.meta"):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            statuses[name] = status_by_exit_code[code]
    return statuses


def diff(mutant: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", mutant], cwd=WORK, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def report(statuses: dict[str, str], selected: list[str], show: bool) -> tuple[float, int, list[str]]:
    """Print the table; return the kill rate over the mutants run that can change behaviour, how many
    mutants were not run (an interrupted run), and the modules below the threshold."""
    listed = equivalents()
    rows = []
    total = {"mutants": 0, "killed": 0, "equivalent": 0, "not run": 0}
    survivors = []
    for module in selected:
        mine = {n: s for n, s in statuses.items() if module_of(n) == module}
        killed = sum(s in KILLED for s in mine.values())
        not_run = sum(s == "not checked" for s in mine.values())
        alive = sorted(n for n, s in mine.items() if s not in KILLED and s != "not checked")
        equivalent = [n for n in alive if n in listed]
        survivors += [(n, mine[n]) for n in alive if n not in listed]
        judged = len(mine) - len(equivalent) - not_run
        rate = 100.0 * killed / judged if judged else 100.0
        rows.append((module, len(mine), killed, len(equivalent), judged - killed, not_run, rate))
        total["mutants"] += len(mine)
        total["killed"] += killed
        total["equivalent"] += len(equivalent)
        total["not run"] += not_run
    judged = total["mutants"] - total["equivalent"] - total["not run"]
    overall = 100.0 * total["killed"] / judged if judged else 100.0
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"\n{'module':<{width}}  mutants  killed  equivalent  survived  not run    rate")
    for module, count, killed, equivalent, survived, not_run, rate in rows:
        print(
            f"{module:<{width}}  {count:7d}  {killed:6d}  {equivalent:10d}  {survived:8d}  {not_run:7d}  {rate:5.1f}%"
        )
    print(
        f"{'total':<{width}}  {total['mutants']:7d}  {total['killed']:6d}  {total['equivalent']:10d}  "
        f"{judged - total['killed']:8d}  {total['not run']:7d}  {overall:5.1f}%"
    )
    skipped = sum(statuses.get(n) == "no tests" for n in listed)
    if skipped:
        print(f"{skipped} listed equivalents were not run (run.py --equivalents runs them, to show none is killed)")
    stale = sorted(n for n in listed if module_of(n) in selected and (statuses.get(n) in KILLED or n not in statuses))
    for name in stale:
        why = "is killed" if name in statuses else "does not exist"
        print(f"equivalent.md lists {name}, which {why}: not counted")
    if survivors:
        print(f"\n{len(survivors)} surviving mutants (kill them, or list them in tests/mutation/equivalent.md):")
        for name, status in survivors:
            print(f"  {name}: {status}")
            if show:
                print("    " + diff(name).replace("\n", "\n    "))
    below = [r[0] for r in rows if r[6] < THRESHOLD]
    return overall, total["not run"], below


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "modules", nargs="*", help="modules from tests/mutation/modules.toml (default: its default list)"
    )
    parser.add_argument("--all", action="store_true", help="every module in tests/mutation/modules.toml")
    parser.add_argument("--survivors", action="store_true", help="print each surviving mutant's diff")
    parser.add_argument(
        "--equivalents",
        action="store_true",
        help="run the listed equivalents too (by default they are skipped), to show that no test kills them",
    )
    parser.add_argument("--report", action="store_true", help="report the last run's results again, without running")
    args = parser.parse_args(argv)
    known, default = modules_map()
    unknown = [m for m in [*args.modules, *default] if m not in known]
    if unknown:
        print(f"modules must be listed in tests/mutation/modules.toml, got {', '.join(unknown)}")
        return 2
    selected = {m: known[m] for m in (args.modules or (known if args.all else default))}
    started = time.monotonic()
    if not args.report:
        prepare(selected, args.equivalents)
        plugins = [str(WORK / "tests" / "mutation"), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": os.pathsep.join(plugins)}
        env.pop("MUTANT_UNDER_TEST", None)
        patterns = [f"{m}.*" for m in selected]
        done = subprocess.run([sys.executable, "-m", "mutmut", "run", *patterns], cwd=WORK, env=env, check=False)
        if done.returncode != 0:
            print(f"mutmut run failed with exit status {done.returncode}")
            return 1
    overall, not_run, below = report(results(), list(selected), args.survivors)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    # 2362 of 2363 is 99.96%: shown as 100.0% it would read as no survivor.
    shown = f"{overall:.1f}" if overall in (0.0, 100.0) or round(overall, 1) not in (0.0, 100.0) else f"{overall:.2f}"
    print(f"wall time {minutes}m{seconds:02d}s; kill rate {shown}% of non-equivalent mutants (goal {THRESHOLD}%)")
    if below:
        print(f"below {THRESHOLD}%: {', '.join(below)}")
    if not_run:
        print(f"{not_run} mutants were not run: the run is incomplete")
    return 0 if not below and not not_run else 1


if __name__ == "__main__":
    sys.exit(main())
