"""`make mutation`: the Python modules (run.py, mutmut) and the playground's JavaScript (js.py, Stryker) side by
side, then both tables and the wall time of the whole.

mutmut's first, instrumented run of the tests is one process, so it leaves a core idle for minutes: Stryker
runs from the start, in the background, its output kept in .cache/mutation-js.log and its table printed
after mutmut's.  Exit status: 0 when both pass, else the first failure's status.

    python tests/mutation/all.py                        # every default module and the JavaScript core
    python tests/mutation/all.py rmsprop_docs.port      # arguments go to run.py; the JavaScript runs in full
"""

from __future__ import annotations

import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LOG = ROOT / ".cache" / "mutation-js.log"
PROGRESS = ("Mutation testing ", "INFO ")  # Stryker's running commentary, not its result


def main(argv: list[str]) -> int:
    started = time.monotonic()
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("w") as log:
        javascript = subprocess.Popen(
            [sys.executable, str(HERE / "js.py")], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            python = subprocess.run([sys.executable, str(HERE / "run.py"), *argv], cwd=ROOT, check=False)
            js_status = javascript.wait()
        finally:
            if javascript.poll() is None:
                javascript.terminate()
    print(f"\nThe playground's JavaScript (Stryker; its whole output in {LOG.relative_to(ROOT)}):")
    for line in LOG.read_text().splitlines():
        if not any(word in line for word in PROGRESS):
            print(line)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    print(f"\nmake mutation: {minutes}m{seconds:02d}s in all; Python exit status {python.returncode}, "
          f"JavaScript {js_status}")  # fmt: skip
    return python.returncode or js_status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
