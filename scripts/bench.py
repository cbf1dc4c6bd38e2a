"""Budgets measured side by side in one run; prints ratios, never asserts timings.

    python scripts/bench.py            # everything
    python scripts/bench.py sweep      # one section

Each section prints what it measured, the ratio and the target, with PASS or
MISS, and the script exits 1 if any target is missed.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from rmsprop_docs import grid, rmsprop, sweep

RESULTS: list[tuple[str, bool]] = []


def report(name: str, value: str, ok: bool, target: str) -> None:
    RESULTS.append((name, ok))
    print(f"  {name:<44} {value:>16}   target {target:<12} {'PASS' if ok else 'MISS'}")


def python_loop(lrs: np.ndarray, rhos: np.ndarray, steps: int) -> np.ndarray:
    """What a reader would write: one configuration at a time, the same update."""
    from rmsprop_docs.problems import get

    grad = get("quadratic").grad
    finals = np.empty((len(lrs), 2))
    for i, (lr, rho) in enumerate(zip(lrs, rhos, strict=True)):
        opt = rmsprop(lr=float(lr), rho=float(rho))
        x = np.array([1.0, 0.0])
        state = opt.init(x)
        for _ in range(steps):
            delta, state = opt.update(grad(x), state, x)
            x = x + delta
        finals[i] = x
    return finals


def bench_sweep() -> None:
    print("sweep: 10,000 configurations (100 lr x 100 rho) x 1,000 steps on 'quadratic'")
    g = grid(lr=np.geomspace(1e-3, 0.3, 100), rho=np.linspace(0.0, 0.99, 100))
    steps = 1000
    start = time.perf_counter()
    result = sweep("quadratic", (1.0, 0.0), steps, **g)
    vectorized = time.perf_counter() - start

    # The Python loop over all 10,000 would take minutes: time an evenly spread
    # sample of configurations and scale by the count (the cost per
    # configuration does not depend on lr or rho).
    sample = np.linspace(0, len(g["lr"]) - 1, 100).astype(int)
    start = time.perf_counter()
    looped = python_loop(g["lr"][sample], g["rho"][sample], steps)
    loop_seconds = (time.perf_counter() - start) * len(g["lr"]) / len(sample)
    assert np.allclose(looped, result.final[sample], rtol=0, atol=1e-12), "sweep and loop disagree"

    report("vectorized sweep wall time", f"{vectorized:.3f} s", vectorized <= 1.0, "<= 1 s")
    report("Python loop (100 sampled, scaled to 10,000)", f"{loop_seconds:.1f} s", True, "(reference)")
    report("speed-up of the sweep over the loop", f"{loop_seconds / vectorized:.0f}x", loop_seconds / vectorized >= 100, ">= 100x")


SECTIONS = {"sweep": bench_sweep}


def main(argv: list[str]) -> int:
    chosen = argv or list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        print(f"bench: unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    for name in chosen:
        SECTIONS[name]()
        print()
    missed = [name for name, ok in RESULTS if not ok]
    print(f"{len(RESULTS) - len(missed)} of {len(RESULTS)} targets met" + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
