"""Deploy two versions of the site with mike into a throwaway clone, and optionally serve them.

    python scripts/local_versions.py            # deploy 0.1 (alias latest, the default) and dev
    python scripts/local_versions.py --serve    # ... then serve them on http://127.0.0.1:8000

Nothing is pushed anywhere: the clone lives under .cache/versions/ and mike
commits to a local scratch branch in it.  The clone is of the committed HEAD,
so uncommitted edits do not appear.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BRANCH = "site-preview"
IDENTITY = {
    "GIT_AUTHOR_NAME": "rmsprop-docs",
    "GIT_AUTHOR_EMAIL": "rmsprop-docs@localhost",
    "GIT_COMMITTER_NAME": "rmsprop-docs",
    "GIT_COMMITTER_EMAIL": "rmsprop-docs@localhost",
}


def _mike(clone: pathlib.Path, *args: str) -> None:
    bin_dir = pathlib.Path(sys.executable).parent  # mike runs the mkdocs beside it
    env = {**os.environ, **IDENTITY, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [str(bin_dir / "mike"), *args, "--branch", BRANCH], cwd=clone, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"mike {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def deploy(workdir: pathlib.Path, source: pathlib.Path = ROOT) -> pathlib.Path:
    """Clone ``source`` into ``workdir`` and deploy 0.1 (latest, default) and dev; return the clone."""
    clone = workdir / "repo"
    if clone.exists():
        shutil.rmtree(clone)
    workdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", str(source), str(clone)], check=True)
    # The figures come with the checkout.  The executed notebooks come from source's cache when it has one:
    # docs/hooks/notebook_cache.py files them under the notebooks' and their code's digest, so what is reused
    # is what running them again would print, and whatever changed runs again.
    cached = source / ".cache" / "mkdocs-jupyter"
    if cached.is_dir():
        shutil.copytree(cached, clone / ".cache" / "mkdocs-jupyter")
    _mike(clone, "deploy", "--update-aliases", "0.1", "latest", "--title", "0.1")
    _mike(clone, "deploy", "dev", "--title", "dev (main)")
    _mike(clone, "set-default", "latest")
    return clone


def versions(clone: pathlib.Path) -> list[dict]:
    """The versions.json mike wrote on the scratch branch."""
    shown = subprocess.run(
        ["git", "show", f"{BRANCH}:versions.json"], cwd=clone, check=True, capture_output=True, text=True
    )
    return json.loads(shown.stdout)


def export(clone: pathlib.Path, target: pathlib.Path) -> pathlib.Path:
    """Write the scratch branch's files into ``target`` (to serve them as static files)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", BRANCH], cwd=clone, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve the versions after deploying")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workdir", type=pathlib.Path, default=ROOT / ".cache" / "versions")
    args = parser.parse_args(argv)
    clone = deploy(args.workdir)
    for entry in versions(clone):
        print(f"deployed {entry['version']} {entry['aliases']}")
    if args.serve:
        site = export(clone, args.workdir / "site")
        print(f"serving {site} on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
        subprocess.run([sys.executable, "-m", "http.server", str(args.port), "--bind", "127.0.0.1"], cwd=site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
