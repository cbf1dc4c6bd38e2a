"""Play the docs pipeline's logic on this machine, against throwaway clones.

    python scripts/workflow_dry_run.py            # the scenario below, from HEAD
    python scripts/workflow_dry_run.py --keep     # ... and leave the clones for a look

The scenario: a developer pushes a change to figure code; while the pipeline
renders the figures, a second developer pushes an unrelated commit; the
pipeline's push of the figures is refused, rebases onto the new tip and goes
through; the deploy job checks out that commit and publishes it with mike.
Then it checks what a reader would get: the root redirects to dev, the 404
page exists, and the published figures are the ones the newest code draws.
Last, a tag v0.1 is pushed: it is deployed as 0.1, alias latest, which
becomes the default, and the 404 page becomes 0.1's.

The shell that runs is the text of the steps in .github/workflows/docs.yml,
run as GitHub runs it (bash -eo pipefail), with the step's env; "origin" is a
bare repository in a temporary folder.  Nothing is pushed anywhere else.  The
test job (ci.yml, the whole suite) is not played here.  The deploy job's cache
of executed notebooks (actions/cache) starts as this checkout's own
.cache/mkdocs-jupyter, if it has built the site, and is saved after each deploy.
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
import tempfile
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"
BIN = pathlib.Path(sys.executable).parent
CONTEXT = {  # the GitHub expressions the steps' env uses, as on a push to main
    "github.ref_type": "branch",
    "github.ref_name": "main",
    "github.repository_owner": "Example",
    "github.repository": "Example/rmsprop-docs",
}
IDENTITY = {
    "GIT_AUTHOR_NAME": "Developer",
    "GIT_AUTHOR_EMAIL": "developer@example.com",
    "GIT_COMMITTER_NAME": "Developer",
    "GIT_COMMITTER_EMAIL": "developer@example.com",
}
FIGURE_CODE = "src/rmsprop_docs/render/animation.py"

START = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.monotonic() - START:6.1f} s] {text}", flush=True)


def git(cwd: pathlib.Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **IDENTITY, **(env or {})}, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def step(job: str, name: str, context: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The shell of a step of docs.yml and its env, with the expressions filled in."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"][job]["steps"]
    found = next(s for s in steps if s.get("name") == name)
    script = found["run"]
    assert "${{" not in script, f"step {name!r} should take GitHub expressions through env only"

    def fill(value: str) -> str:
        return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: context[m.group(1)], str(value))

    return script, {key: fill(value) for key, value in found.get("env", {}).items()}


def runner_env(clone: pathlib.Path, tools: pathlib.Path, extra: dict[str, str]) -> dict[str, str]:
    """A runner's environment: this project's Python and tools, the clone's own source."""
    return {
        **os.environ,
        **extra,
        "PATH": f"{tools}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(clone / "src"),
        "NO_MKDOCS_2_WARNING": "1",
        "HOME": str(clone.parent / "home"),
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def run_step(
    job: str, name: str, clone: pathlib.Path, tools: pathlib.Path, temp: pathlib.Path, context: dict = CONTEXT
) -> dict[str, str]:
    """Run one step as GitHub does; return what it wrote to GITHUB_OUTPUT."""
    script, env = step(job, name, context)
    output = temp / f"{job}-output"
    output.write_text("")
    (temp / "runner-temp").mkdir(exist_ok=True)
    env = runner_env(clone, tools, {**env, "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(temp / "runner-temp")})
    say(f"{job}: step {name!r}")
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in done.stdout.splitlines():
        if line.strip() and not line.startswith(("INFO", "[IPKernelApp]", "hint:")):
            print(f"           | {line}")
    if done.returncode != 0:
        raise RuntimeError(f"step {name!r} failed with status {done.returncode}")
    return dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)


def python_shim(tools: pathlib.Path, first_call_hook: str | None = None) -> None:
    """``python`` on the runner: this project's interpreter; optionally run a hook the first time."""
    tools.mkdir(parents=True, exist_ok=True)
    hook = ""
    if first_call_hook:
        marker = tools / "hook-ran"
        hook = f'if [ ! -e "{marker}" ]; then touch "{marker}"; {first_call_hook}; fi\n'
    shim = tools / "python"
    shim.write_text(f'#!/bin/bash\n{hook}exec "{sys.executable}" "$@"\n')
    shim.chmod(0o755)


NOTEBOOK_CACHE = pathlib.Path(".cache") / "mkdocs-jupyter"


def restore_notebooks(runner: pathlib.Path, saved: pathlib.Path) -> None:
    """actions/cache's "Restore executed notebooks": what the last deploy saved, if anything."""
    if saved.is_dir():
        shutil.copytree(saved, runner / NOTEBOOK_CACHE)
        say(f"deploy: restored the executed notebooks ({len(list(saved.rglob('*.json')))} cached outputs)")


def save_notebooks(runner: pathlib.Path, saved: pathlib.Path) -> None:
    """actions/cache saving the folder when the job ends."""
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(runner / NOTEBOOK_CACHE, saved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    temp = pathlib.Path(tempfile.mkdtemp(prefix="workflow-dry-run-"))
    try:
        return play(temp)
    finally:
        if args.keep:
            print(f"clones kept in {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)


def play(temp: pathlib.Path) -> int:
    origin = temp / "origin.git"
    git(temp, "clone", "--quiet", "--bare", str(ROOT), str(origin))
    git(origin, "update-ref", "refs/heads/main", git(ROOT, "rev-parse", "HEAD"))
    git(origin, "symbolic-ref", "HEAD", "refs/heads/main")
    for ref in git(origin, "for-each-ref", "--format=%(refname)", "refs/heads").splitlines():
        if ref != "refs/heads/main":
            git(origin, "update-ref", "-d", ref)  # no gh-pages yet: the site is published for the first time
    say(f"origin: a bare copy of this repository's HEAD, {git(origin, 'rev-parse', '--short', 'main')}, as main")

    # The starting point: main with fresh figures (rendered here first if HEAD's are not).
    alice = temp / "alice"
    git(temp, "clone", "--quiet", str(origin), str(alice))
    check = subprocess.run(
        [sys.executable, "scripts/build_assets.py", "--check"],
        cwd=alice,
        env=runner_env(alice, BIN, {}),
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        subprocess.run(
            [sys.executable, "scripts/build_assets.py"], cwd=alice, env=runner_env(alice, BIN, {}), check=True
        )
        git(alice, "add", "--", "docs/assets")
        git(alice, "commit", "--quiet", "-m", "Figures as of the start")
        git(alice, "push", "--quiet", "origin", "HEAD:main")
        say("origin: HEAD's figures were stale; rendered them first, so main starts fresh")

    # 1. A push that changes figure code.
    source = alice / FIGURE_CODE
    source.write_text(source.read_text() + "\n_DRY_RUN_MARK = 1  # code, so the animations' key changes\n")
    git(alice, "commit", "--quiet", "-am", "Change the animation code")
    git(alice, "push", "--quiet", "origin", "HEAD:main")
    pushed = git(alice, "rev-parse", "HEAD")
    say(f"alice pushes {pushed[:7]}, which changes {FIGURE_CODE}: the docs pipeline starts")

    # 2. The figures job, with a second developer pushing while it renders.
    bob = temp / "bob"
    git(temp, "clone", "--quiet", str(origin), str(bob))
    (bob / "docs" / "index.md").write_text((bob / "docs" / "index.md").read_text() + "\n<!-- an unrelated edit -->\n")
    git(bob, "commit", "--quiet", "-am", "An unrelated page edit")
    runner = temp / "runner-figures"
    git(temp, "clone", "--quiet", str(origin), str(runner))  # actions/checkout, ref: refs/heads/main
    tools = temp / "tools-figures"
    python_shim(
        tools,
        f'git -C "{bob}" push --quiet origin HEAD:main && echo "           (bob pushed an unrelated commit meanwhile)"',
    )
    out = run_step("figures", "Render stale figures and push them", runner, tools, temp)
    sha = out["sha"]
    log = git(origin, "log", "--format=%h %s", "-4", "main")
    say(
        f"figures job output sha={sha[:7]}; main is now:\n"
        + "\n".join(f"           {line}" for line in log.splitlines())
    )
    assert git(origin, "rev-parse", "main") == sha, "the job's output is main's tip"
    assert git(origin, "log", "-1", "--format=%s", sha) == "Render stale figures"
    assert bob.joinpath("docs/index.md").read_text() in git(origin, "show", f"{sha}:docs/index.md") + "\n"
    assert pushed in git(origin, "rev-list", sha), "alice's change is under the figures commit"

    # 3. The deploy job, on the commit that has the figures.
    deployer = temp / "runner-deploy"
    git(temp, "clone", "--quiet", "--no-checkout", str(origin), str(deployer))
    git(deployer, "checkout", "--quiet", "--detach", sha)  # actions/checkout, ref: needs.figures.outputs.sha
    tools = temp / "tools-deploy"
    python_shim(tools)
    run_step("deploy", "Figures must be fresh", deployer, tools, temp)
    # The cache an earlier deploy saved: this checkout's own executed notebooks, if it has built the site.
    saved = temp / "actions-cache"
    if (ROOT / NOTEBOOK_CACHE).is_dir():
        shutil.copytree(ROOT / NOTEBOOK_CACHE, saved)
    restore_notebooks(deployer, saved)
    run_step("deploy", "Deploy with mike", deployer, tools, temp)
    save_notebooks(deployer, saved)

    # 4. What a reader gets.
    pages = temp / "published"
    git(temp, "clone", "--quiet", "--branch", "gh-pages", str(origin), str(pages))
    versions = json.loads((pages / "versions.json").read_text())
    root = (pages / "index.html").read_text()
    say(f"gh-pages: versions {[(v['version'], v['aliases']) for v in versions]}")
    assert [v["version"] for v in versions] == ["dev"]
    assert 'content="0; url=dev/"' in root or "dev/" in root, "the root redirects to dev"
    say("gh-pages: the root redirects to dev/ (no release yet)")
    not_found = (pages / "404.html").read_text()
    assert not_found == (pages / "dev" / "404.html").read_text()
    assert "/rmsprop-docs/dev/assets/stylesheets/" in not_found, "the 404 page's links point into dev/"
    say("gh-pages: 404.html is dev's, its links point into /rmsprop-docs/dev/")
    fresh = subprocess.run(
        [sys.executable, "scripts/build_assets.py", "--check"],
        cwd=deployer,
        env=runner_env(deployer, BIN, {}),
        capture_output=True,
        text=True,
    )
    assert fresh.returncode == 0, fresh.stdout
    for name in json.loads((deployer / "docs/assets/manifest.json").read_text())["figures"]["cubic-rmsprop"]["files"]:
        assert (pages / "dev" / "assets" / name).read_bytes() == (deployer / "docs" / "assets" / name).read_bytes()
    say(f"published figures are those of {sha[:7]}, fresh for its code: {fresh.stdout.strip()}")

    # 5. The first release: a tag on main's tip becomes 0.1, "latest" and the default.
    git(alice, "pull", "--quiet", "--ff-only", "origin", "main")
    git(alice, "tag", "v0.1")
    git(alice, "push", "--quiet", "origin", "v0.1")
    say("alice pushes the tag v0.1 on main's tip: the docs pipeline starts again")
    release = {**CONTEXT, "github.ref_type": "tag", "github.ref_name": "v0.1"}
    tagged = temp / "runner-release"
    git(temp, "clone", "--quiet", "--branch", "v0.1", str(origin), str(tagged))  # ref: refs/tags/v0.1
    out = run_step("figures", "Render stale figures and push them", tagged, tools, temp, release)
    assert out["sha"] == sha, "a release deploys the commit it tags"
    shutil.rmtree(deployer)
    git(temp, "clone", "--quiet", "--no-checkout", str(origin), str(deployer))
    git(deployer, "checkout", "--quiet", "--detach", out["sha"])
    restore_notebooks(deployer, saved)
    run_step("deploy", "Deploy with mike", deployer, tools, temp, release)
    git(pages, "pull", "--quiet", "origin", "gh-pages")
    versions = json.loads((pages / "versions.json").read_text())
    say(f"gh-pages: versions {[(v['version'], v['aliases']) for v in versions]}")
    assert {v["version"]: v["aliases"] for v in versions} == {"0.1": ["latest"], "dev": []}
    assert "latest/" in (pages / "index.html").read_text(), "the root redirects to the release"
    assert (pages / "404.html").read_text() == (pages / "0.1" / "404.html").read_text()
    assert "/rmsprop-docs/0.1/assets/stylesheets/" in (pages / "404.html").read_text()
    say("gh-pages: the root redirects to latest/, 404.html is 0.1's")
    say("dry run passed: a push of figure code -> figures pushed past a concurrent push -> deployed; then a release")
    return 0


if __name__ == "__main__":
    sys.exit(main())
