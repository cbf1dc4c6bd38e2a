"""StrykerJS over the playground's core.js and plot.js (docs/javascripts/playground/): print the kill rates.

    python tests/mutation/js.py               # npm ci in tools/stryker, then stryker run, then the table
    python tests/mutation/js.py --no-install  # with the tools/stryker/node_modules already there
    python tests/mutation/js.py --report      # the last run's table again (tools/stryker/reports/mutation.json)

Stryker (pinned by tools/stryker/package-lock.json) mutates core.js and plot.js and runs the Node tests in
tools/stryker/test/ (node:test files that mocha runs too, through Stryker's mocha runner: one process per
worker, a mutant runs only the tests that reach it, stopping at the first that fails).  The tests compare
the core with the library's recorded answers in tests/fixtures/js/ (scripts/make_js_fixtures.py);
plot.test.mjs runs plot.js (a page's script) with a stand-in window, document and Worker.

The rate is ``(killed + timeout) / (mutants - equivalent - invalid)``: a timeout is a changed behaviour too
(a loop that no longer ends); an invalid mutant (Stryker's CompileError or RuntimeError) is no program at all.
A survivor listed in tools/stryker/equivalent.md (by file, mutator, the line it starts on, where, its
replacement, each with its reason) cannot change what the file computes and so cannot be killed.  A listed
mutant that a test kills, or that no longer exists, is reported, and does not count as equivalent.
The table has a row per mutated file and one for all of them; each file is held to 90%.
Exit status: 0 when every file's rate is at least 90%, 1 below it or when Stryker fails, 2 without Node.js and npm.
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

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "stryker"
CONFIG = TOOL / "stryker.config.mjs"
REPORT = TOOL / "reports" / "mutation.json"
EQUIVALENT = TOOL / "equivalent.md"
THRESHOLD = 90.0
DETECTED = {"Killed", "Timeout"}
INVALID = {"CompileError", "RuntimeError", "Ignored"}
ENTRY = re.compile(r"```text\n(.*?)```", re.S)
CORE = "docs/javascripts/playground/core.js"  # the file of an entry without `file:`


def normal(text: str) -> str:
    return " ".join(text.split())


def equivalents() -> list[dict]:
    """The entries of equivalent.md: each a ```text block with file: (core.js when absent), mutator:, line: (the
    source line's text), occurrence:
    (which line of the file with that text, from 1), columns: (where the mutated code starts and ends, as START-END;
    the end may be on a later line) and replacement:."""
    out = []
    text = EQUIVALENT.read_text() if EQUIVALENT.exists() else ""
    for block in ENTRY.findall(text):
        fields = dict(line.split(": ", 1) for line in block.strip().splitlines() if ": " in line)
        if {"mutator", "line", "occurrence", "columns", "replacement"} <= fields.keys():
            key = (
                fields.get("file", CORE).strip(),
                fields["mutator"].strip(),
                normal(fields["line"]),
                int(fields["occurrence"]),
                fields["columns"].strip(),
                normal(fields["replacement"]),
            )
            out.append({"key": key, "count": int(fields.get("count", "1"))})
    return out


def mutants(report: dict) -> list[dict]:
    """Every mutant of the report, with the source line it starts on."""
    out = []
    for name, file in report["files"].items():
        lines = [normal(line) for line in file["source"].splitlines()]
        for m in file["mutants"]:
            start, end = m["location"]["start"], m["location"]["end"]
            text = lines[start["line"] - 1]
            out.append(
                {
                    "file": name,
                    "line": start["line"],
                    "column": start["column"],
                    "status": m["status"],
                    "key": (
                        name,
                        m["mutatorName"],
                        text,
                        lines[: start["line"]].count(text),
                        f"{start['column']}-{end['column']}",
                        normal(m.get("replacement", "")),
                    ),
                }
            )
    return out


def count(found: list[dict], ids: range | list[int], equivalent_ids: set[int]) -> dict:
    """The counts and the kill rate of the mutants `ids` of `found`."""
    counts = {"mutants": len(ids), "equivalent": sum(1 for i in ids if i in equivalent_ids)}
    for status in ("Killed", "Survived", "Timeout", "NoCoverage", "CompileError", "RuntimeError", "Ignored"):
        counts[status] = sum(1 for i in ids if found[i]["status"] == status and i not in equivalent_ids)
    judged = counts["mutants"] - counts["equivalent"] - sum(counts[s] for s in INVALID)
    detected = counts["Killed"] + counts["Timeout"]
    counts["rate"] = 100.0 * detected / judged if judged else 100.0
    return counts


def judge(report: dict) -> tuple[dict[str, dict], list[dict], list[str]]:
    """The counts per file (and under "total"), the survivors that are not listed as equivalent, and what is
    wrong with the list."""
    found = mutants(report)
    listed = equivalents()
    problems = []
    equivalent_ids = set()
    for entry in listed:
        matching = [i for i, m in enumerate(found) if m["key"] == entry["key"]]
        alive = [i for i in matching if found[i]["status"] in ("Survived", "NoCoverage")]
        file, mutator, line, _, _, replacement = entry["key"]
        where = f"{mutator} on `{line}` ({pathlib.PurePosixPath(file).name}) -> `{replacement}`"
        if not matching:
            problems.append(f"listed but not found (stale): {where}")
        elif len(alive) < len(matching):
            problems.append(f"listed but killed, so not equivalent: {where}")
        elif len(matching) != entry["count"]:
            problems.append(f"listed {entry['count']}x, found {len(matching)}x: {where}")
        if len(alive) == len(matching):
            equivalent_ids.update(alive)
    counts = {}
    for name in sorted({m["file"] for m in found}):
        counts[name] = count(found, [i for i, m in enumerate(found) if m["file"] == name], equivalent_ids)
    counts["total"] = count(found, range(len(found)), equivalent_ids)
    survivors = [
        m for i, m in enumerate(found) if m["status"] in ("Survived", "NoCoverage") and i not in equivalent_ids
    ]
    return counts, survivors, problems


def table(counts: dict[str, dict]) -> str:
    header = ["file", "mutants", "killed", "survived", "timeout", "no coverage", "equivalent", "invalid", "kill rate"]
    rows = []
    for name, c in counts.items():
        invalid = c["CompileError"] + c["RuntimeError"] + c["Ignored"]
        rows.append([
            pathlib.PurePosixPath(name).name, c["mutants"], c["Killed"], c["Survived"], c["Timeout"],
            c["NoCoverage"], c["equivalent"], invalid, f"{c['rate']:.1f}%",
        ])  # fmt: skip
    widths = [max(len(str(v)) for v in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(
            str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    return "\n".join(lines)


def run(install: bool) -> int:
    if not shutil.which("node") or not shutil.which("npm"):
        print("js.py: needs Node.js 20+ and npm (apt-get install nodejs npm)", file=sys.stderr)
        return 2
    if install:
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOL)
        if done.returncode:
            return 1
    REPORT.unlink(missing_ok=True)
    stryker = TOOL / "node_modules" / ".bin" / "stryker"
    # nice: the machine is shared; the run takes a few minutes on two cores
    command = ["nice", "-n", "10", str(stryker), "run", str(CONFIG.relative_to(ROOT))]
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, "FORCE_COLOR": "0"})
    if done.returncode or not REPORT.exists():
        print(f"js.py: stryker failed (exit status {done.returncode})", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only print the last run's table")
    parser.add_argument("--no-install", action="store_true", help="skip npm ci")
    args = parser.parse_args()
    started = time.monotonic()
    if not args.report:
        status = run(install=not args.no_install)
        if status:
            return status
    counts, survivors, problems = judge(json.loads(REPORT.read_text()))
    for m in survivors:
        _, mutator, line, _, _, replacement = m["key"]
        print(f"{m['status']}: {m['file']}:{m['line']}:{m['column']} {mutator}: `{line}` -> `{replacement}`")
    for problem in problems:
        print(f"equivalent.md: {problem}")
    print()
    print(table(counts))
    if not args.report:
        print(f"\n{time.monotonic() - started:.0f} s")
    files = {name: c for name, c in counts.items() if name != "total"}
    below = [pathlib.PurePosixPath(name).name for name, c in files.items() if c["rate"] < THRESHOLD]
    rates = ", ".join(f"{pathlib.PurePosixPath(name).name} {c['rate']:.1f}%" for name, c in files.items())
    print(f"{'FAIL' if below else 'PASS'}: kill rate of the non-equivalent mutants {rates}, "
          f"at least {THRESHOLD:.0f}% needed in each file")  # fmt: skip
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
