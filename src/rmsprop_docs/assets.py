"""Keep ``docs/assets`` fresh: render what is stale, and only that.

A figure is stale when its key changed or one of its files is missing or no
longer the file that was rendered.  The key hashes the figure's parameters,
the behaviour of every module its code imports (found by
:mod:`rmsprop_docs.dependencies`, blind to comments and docstrings), and the
versions of NumPy, Matplotlib and Pillow.  Keys and file hashes live in
``manifest.json`` beside the assets, committed with them.

The mini-batch figures draw results of training runs that take half a minute;
those results are committed too (:data:`rmsprop_docs.learning.compare.SHIPPED`,
named after the settings and the code that computes them), and a build
refreshes them first, so a render from nothing draws without training.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import pathlib
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

from rmsprop_docs import dependencies, figures, files

MANIFEST = "manifest.json"
VERSIONED = ("numpy", "matplotlib", "pillow")


def library_versions() -> dict[str, str]:
    return {name: importlib.metadata.version(name) for name in VERSIONED}


# Modules a figure's code imports that draw nothing: the hashing that names cached training results.
NOT_DRAWING = frozenset({"rmsprop_docs.dependencies"})


def code_digest(roots: Iterable[str]) -> str:
    """:func:`rmsprop_docs.dependencies.digest` of ``roots`` without the modules in :data:`NOT_DRAWING`."""
    digest = hashlib.sha256()
    for module in dependencies.closure(roots):
        if module not in NOT_DRAWING:
            digest.update(module.encode() + b"\0" + dependencies.module_digest(module).encode() + b"\0")
    return digest.hexdigest()


def figure_key(spec: figures.FigureSpec, versions: dict[str, str] | None = None) -> str:
    """The hash that decides whether ``spec``'s files are current."""
    digest = hashlib.sha256()
    digest.update(
        json.dumps({"name": spec.name, "kind": spec.kind, "params": dict(spec.params)}, sort_keys=True).encode()
    )
    digest.update(json.dumps(versions or library_versions(), sort_keys=True).encode())
    digest.update(code_digest(spec.entry_modules).encode())
    return digest.hexdigest()


def file_hash(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(folder: pathlib.Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        return {"figures": {}}
    return json.loads(path.read_text())


def write_manifest(folder: pathlib.Path, manifest: dict) -> None:
    with files.atomic_path(folder / MANIFEST) as tmp:
        tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def stale_reasons(folder: pathlib.Path, specs: Iterable[figures.FigureSpec], manifest: dict) -> dict[str, str]:
    """``{figure name: why it must be rendered}`` for every figure that is not current."""
    specs = list(specs)
    versions = library_versions()
    reasons = {}
    for spec in specs:
        entry = manifest["figures"].get(spec.name)
        if entry is None:
            reasons[spec.name] = "never rendered"
        elif entry.get("key") != figure_key(spec, versions):
            reasons[spec.name] = "parameters, code or library versions changed"
        else:
            for output in spec.outputs:
                path = folder / output
                if not path.exists():
                    reasons[spec.name] = f"{output} is missing"
                    break
                if entry.get("files", {}).get(output) != file_hash(path):
                    reasons[spec.name] = f"{output} differs from the rendered file"
                    break
    return reasons


def orphans(folder: pathlib.Path, manifest: dict) -> list[str]:
    """Figures in the manifest that the registry no longer names."""
    return sorted(set(manifest["figures"]) - set(figures.FIGURES))


def render(spec: figures.FigureSpec, folder: pathlib.Path) -> dict:
    """Render one figure into ``folder``; return its manifest entry."""
    from rmsprop_docs import render, trajectory

    params = dict(spec.params)
    if spec.kind == "animation":
        path = trajectory.trace_from(params)  # the run `rmsprop-docs animate` makes from the same options
        gif, still = (folder / name for name in spec.outputs)
        render.animate(
            path,
            str(gif),
            still=str(still),
            frames=params["frames"],
            fps=params["fps"],
            style=params["style"],
            size=tuple(params["size"]),
            xlim=params.get("xlim"),
            ylim=params.get("ylim"),
            progress=False,
        )
    elif spec.kind == "race":
        paths = [trajectory.trace_run(params["problem"], params["x0"], params["steps"], run) for run in params["runs"]]
        gif, still = (folder / name for name in spec.outputs)
        render.animate_race(
            paths,
            [run["label"] for run in params["runs"]],
            str(gif),
            still=str(still),
            fps=params["fps"],
            size=tuple(params["size"]),
            font_size=params["font_size"],
            xlim=params.get("xlim"),
            ylim=params.get("ylim"),
            progress=False,
        )
    else:
        import importlib

        module = importlib.import_module(figures.plot_module(params["plot"]))
        name = params["plot"].rpartition(".")[2]
        draw = getattr(module, name) if "." in params["plot"] else module.PLOTS[name]
        plot_params = {k: v for k, v in params.items() if k != "plot"}
        draw(folder / spec.outputs[0], **plot_params)
    return {"key": figure_key(spec), "files": {name: file_hash(folder / name) for name in spec.outputs}}


def _render_named(name: str, folder: str) -> tuple[str, dict, float]:
    start = time.perf_counter()
    entry = render(figures.FIGURES[name], pathlib.Path(folder))
    return name, entry, time.perf_counter() - start


def _fork():
    """Forked workers start with what this process imported and hashed; elsewhere, the platform's default."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _preload(names: Sequence[str]) -> None:
    """Import the drawing code and hash the figures' code once, here, rather than once in every worker."""
    import importlib

    for spec in map(figures.get, names):
        for module in spec.entry_modules:
            importlib.import_module(module)
        figure_key(spec)


class BuildResult(NamedTuple):
    """What a build did."""

    rendered: dict[str, float]  # figure name -> seconds it took
    removed: list[str]  # figures the registry no longer names, whose files were deleted


def selected(names: Sequence[str] | None) -> list[figures.FigureSpec]:
    """The named figures, or every registered one."""
    return [figures.get(n) for n in names] if names else list(figures.FIGURES.values())


def stale_learning() -> dict[str, str]:
    """``{committed learning result: why it is stale}``."""
    from rmsprop_docs.learning import compare

    return compare.stale_shipped()


def build(
    folder: pathlib.Path, names: Sequence[str] | None = None, force: bool = False, jobs: int | None = None
) -> BuildResult:
    """Refresh the committed learning results, then render stale (or, with ``force``, all) figures and drop
    retired ones."""
    if stale_learning():
        from rmsprop_docs.learning import compare

        compare.ship()
    folder.mkdir(parents=True, exist_ok=True)
    specs = selected(names)
    manifest = load_manifest(folder)
    todo = [s.name for s in specs] if force else list(stale_reasons(folder, specs, manifest))
    todo.sort(key=lambda name: -figures.RENDER_SECONDS.get(name, 1.0))  # the slowest first (a stable sort)
    timings: dict[str, float] = {}
    if todo:
        workers = max(1, min(len(todo), jobs or os.cpu_count() or 1))
        if workers == 1:
            results = [_render_named(n, str(folder)) for n in todo]
        else:
            _preload(todo)
            with ProcessPoolExecutor(max_workers=workers, mp_context=_fork()) as pool:
                results = list(pool.map(_render_named, todo, [str(folder)] * len(todo)))
        for name, entry, seconds in sorted(results, key=lambda result: [s.name for s in specs].index(result[0])):
            manifest["figures"][name] = entry
            timings[name] = seconds
    removed = orphans(folder, manifest)
    for name in removed:
        for output in manifest["figures"].pop(name).get("files", {}):
            (folder / output).unlink(missing_ok=True)
    manifest["versions"] = library_versions()
    if timings or removed or not (folder / MANIFEST).exists():
        write_manifest(folder, manifest)
    return BuildResult(timings, removed)


DEFAULT_FOLDER = pathlib.Path("docs") / "assets"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="build_assets", description="Render the site's figures into docs/assets, only what is stale."
    )
    parser.add_argument("names", nargs="*", help="figures to consider (default: all registered)")
    parser.add_argument("--check", action="store_true", help="render nothing; exit 1 listing stale or missing figures")
    parser.add_argument("--force", action="store_true", help="render every figure again")
    parser.add_argument("--folder", type=pathlib.Path, default=DEFAULT_FOLDER, help="default: docs/assets")
    parser.add_argument("--jobs", type=int, default=None, help="parallel renders (default: one per core)")
    args = parser.parse_args(argv)
    try:
        specs = selected(args.names)
        if args.check:
            manifest = load_manifest(args.folder)
            problems = stale_reasons(args.folder, specs, manifest)
            extra = {name: "no longer registered" for name in orphans(args.folder, manifest)}
            learning = stale_learning()
            for name, why in {**problems, **extra}.items():
                print(f"stale: {name}: {why}")
            for name, why in learning.items():
                print(f"stale: learning result {name}: {why}")
            if problems or extra or learning:
                counts = [f"{len(problems) + len(extra)} figure(s)"] + [f"{len(learning)} learning result(s)"] * bool(
                    learning
                )
                print(f"{' and '.join(counts)} stale; run: python scripts/build_assets.py")
                return 1
            print(f"all {len(specs)} figures fresh")
            return 0
        start = time.perf_counter()
        result = build(args.folder, args.names, force=args.force, jobs=args.jobs)
        for name, seconds in result.rendered.items():
            print(f"rendered {name} in {seconds:.2f} s")
        for name in result.removed:
            print(f"removed {name} (no longer registered)")
        elapsed = time.perf_counter() - start
        fresh = len(specs) - len(result.rendered)
        print(f"{len(result.rendered)} figure(s) rendered, {fresh} fresh, in {elapsed:.2f} s")
        return 0
    except (ValueError, OSError) as error:
        print(f"build_assets: error: {error}", file=sys.stderr)
        return 2
