"""The GitHub workflows parse, use only GitHub's own actions, and run the scripts this repository tests."""

from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"
GITHUBS_OWN = {
    "actions/checkout",
    "actions/setup-python",
    "actions/setup-node",
    "actions/cache",
    "actions/github-script",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
}


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    return workflow


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda path: path.name)
def test_each_workflow_parses_and_uses_only_githubs_own_actions(path):
    workflow = load(path.name)
    assert workflow["jobs"] and workflow["on"]
    for step in steps(workflow):
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert action in GITHUBS_OWN and version, f"{path.name}: {step['uses']}"


def test_the_unit_tests_run_on_macos_and_windows():
    jobs = load("ci.yml")["jobs"].values()
    other = [
        job
        for job in jobs
        if set(job.get("strategy", {}).get("matrix", {}).get("os", [])) >= {"macos-latest", "windows-latest"}
    ]
    assert len(other) == 1 and any("pytest tests" in step.get("run", "") for step in other[0]["steps"])


def test_the_canary_runs_weekly_and_reports_a_failure():
    canary = load("canary.yml")
    assert canary["on"]["schedule"] and "workflow_dispatch" in canary["on"]
    assert any("scripts/canary.py" in step.get("run", "") for step in steps(canary))
    report = [step for step in steps(canary) if step.get("uses", "").startswith("actions/github-script")]
    assert len(report) == 1 and "failure()" in report[0]["if"] and "issues.create" in report[0]["with"]["script"]
    assert canary["permissions"] == {"contents": "write", "issues": "write"}


def test_the_release_checks_the_pins_before_it_tags():
    release = load("release.yml")
    assert release["permissions"] == {"contents": "write"}
    runs = [step.get("run", "") + step.get("with", {}).get("script", "") for step in steps(release)]
    check = next(index for index, run in enumerate(runs) if "scripts/release_pins.py" in run)
    tag = next(index for index, run in enumerate(runs) if "createRef" in run)
    assert check < tag and "draft: true" in runs[tag]
