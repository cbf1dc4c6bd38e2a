"""Record RMSprop trajectories from PyTorch and Keras 3 for the equivalence tests.

Run by hand in a throwaway environment, never as part of the project:

    python -m venv /tmp/fx && /tmp/fx/bin/pip install torch==2.13.0 keras numpy
    KERAS_BACKEND=torch /tmp/fx/bin/python scripts/make_framework_fixtures.py

It writes tests/fixtures/frameworks.json.  The frameworks are fed the same
analytic gradients as the core, written again here in torch with the same
operation order, so the fixtures test the optimizers' arithmetic alone (on
Rosenbrock a one-ulp difference in a gradient grows about fourfold per step).
Each analytic gradient is checked against autograd before it is used.
"""

from __future__ import annotations

import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import torch

STEPS = 100
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "frameworks.json"

OBJECTIVES = {
    "cubic": lambda p: p[0] - p[0] ** 3,
    "quadratic": lambda p: 2 * p[0] ** 2 + 2 * p[0] * p[1] + 2 * p[1] ** 2 - 6 * p[0],
    "rosenbrock": lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
    "beale": lambda p: (
        (1.5 - p[0] + p[0] * p[1]) ** 2 + (2.25 - p[0] + p[0] * p[1] ** 2) ** 2 + (2.625 - p[0] + p[0] * p[1] ** 3) ** 2
    ),
}
STARTS = {
    "cubic": [[-1.0], [0.3]],
    "quadratic": [[1.0, 0.0], [-1.5, 2.0]],
    "rosenbrock": [[0.5, -0.5], [2.0, 2.0]],
    "beale": [[1.0, 1.5], [2.0, -1.0]],
}
OPTIONS = [
    {},
    {"centered": True},
    {"momentum": 0.9},
    {"weight_decay": 0.1},
    {"centered": True, "momentum": 0.5},
]


def _beale_grad(p):
    x, y = p[0], p[1]
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    dx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    dy = 2 * a * x + 4 * b * x * y + 6 * c * x * y**2
    return torch.stack([dx, dy])


GRADIENTS = {
    "cubic": lambda p: 1 - 3 * p**2,
    "quadratic": lambda p: torch.stack([4 * p[0] + 2 * p[1] - 6, 2 * p[0] + 4 * p[1]]),
    "rosenbrock": lambda p: torch.stack([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)]),
    "beale": _beale_grad,
}


def gradient(problem: str, values: torch.Tensor) -> torch.Tensor:
    """The analytic gradient, after checking it against autograd."""
    p = values.detach().clone().requires_grad_(True)
    OBJECTIVES[problem](p).backward()
    analytic = GRADIENTS[problem](values.detach())
    assert torch.allclose(analytic, p.grad, rtol=1e-12, atol=1e-12), (problem, analytic, p.grad)
    return analytic


def run_torch(problem, x0, lr, rho, eps, options):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.RMSprop(
        [x],
        lr=lr,
        alpha=rho,
        eps=eps,
        momentum=options.get("momentum", 0.0),
        centered=options.get("centered", False),
        weight_decay=options.get("weight_decay", 0.0),
        foreach=False,
    )
    points = [x.detach().tolist()]
    for _ in range(STEPS):
        x.grad = gradient(problem, x)
        opt.step()
        points.append(x.detach().tolist())
    return points


def run_keras(problem, x0, lr, rho, eps, options):
    var = keras.Variable(x0, dtype="float64")
    opt = keras.optimizers.RMSprop(
        learning_rate=lr,
        rho=rho,
        epsilon=eps,
        momentum=options.get("momentum", 0.0),
        centered=options.get("centered", False),
        weight_decay=options.get("weight_decay"),
    )
    points = [var.numpy().tolist()]
    for _ in range(STEPS):
        grad = gradient(problem, var.value)
        opt.apply_gradients([(grad, var)])
        points.append(var.numpy().tolist())
    return points


def main() -> None:
    keras.config.set_floatx("float64")
    cases = []
    for framework, run, lr, rho, eps in (
        ("pytorch", run_torch, 0.01, 0.9, 1e-8),
        ("pytorch", run_torch, 0.05, 0.99, 1e-6),
        ("keras", run_keras, 0.01, 0.9, 1e-7),
        ("keras", run_keras, 0.05, 0.95, 1e-3),
    ):
        for problem, starts in STARTS.items():
            for x0 in starts:
                for options in OPTIONS:
                    points = run(problem, x0, lr, rho, eps, options)
                    cases.append(
                        {
                            "framework": framework,
                            "problem": problem,
                            "x0": x0,
                            "lr": lr,
                            "rho": rho,
                            "eps": eps,
                            **options,
                            "points": points,
                        }
                    )
    document = {
        "generator": "scripts/make_framework_fixtures.py",
        "versions": {"torch": torch.__version__, "keras": keras.__version__, "keras_backend": keras.backend.backend()},
        "dtype": "float64",
        "steps": STEPS,
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
