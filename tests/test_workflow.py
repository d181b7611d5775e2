"""The Pages workflow: each job holds the token permissions it needs, and only main deploys.

``actions/configure-pages`` reads the repository's Pages settings, so the job that runs it needs
``pages: read`` (without it the step fails with "Resource not accessible by integration" where
that endpoint asks for it, private repositories at least); ``actions/deploy-pages`` needs
``pages: write`` and ``id-token: write``. Nothing holds more than that. The deploy job runs for
a push to main and for a manual run on main, never for a pull request or a manual run on another
branch. ``make lint`` checks the workflow with actionlint, whose shellcheck rule (on every
``run:`` step) it skips silently when it finds no shellcheck: the lint must really run it.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
#: The token each job needs, and no more (the workflow itself grants nothing).
PERMISSIONS = {
    "build": {"contents": "read", "pages": "read"},
    "deploy": {"pages": "write", "id-token": "write"},
}
#: What each action in the workflow needs of the token.
NEEDS = {
    "actions/checkout": {"contents": "read"},
    "actions/configure-pages": {"pages": "read"},
    "actions/deploy-pages": {"pages": "write", "id-token": "write"},
}
LEVEL = {"none": 0, "read": 1, "write": 2}


def workflow() -> dict:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    return loaded


def run_condition(expression: str, event: str, ref: str) -> bool:
    """Evaluate a job's ``if:`` of ``github.<name> ==/!= '<value>'`` terms joined by ``&&``."""
    context = {"github.event_name": event, "github.ref": ref}
    term = re.compile(r"\s*(github\.\w+)\s*(==|!=)\s*'([^']*)'\s*")
    results = []
    for part in expression.removeprefix("${{").removesuffix("}}").split("&&"):
        found = term.fullmatch(part)
        assert found, f"cannot evaluate {part!r} (only github.<name> == / != '<value>' terms)"
        name, operator, value = found.groups()
        results.append((context[name] == value) == (operator == "=="))
    return all(results)


def test_no_job_has_more_than_it_needs_and_the_workflow_grants_nothing() -> None:
    flow = workflow()
    assert flow.get("permissions") in ({}, None, "{}"), flow.get("permissions")
    granted = {name: job.get("permissions") for name, job in flow["jobs"].items()}
    assert granted == PERMISSIONS


@pytest.mark.parametrize("job", sorted(PERMISSIONS))
def test_each_job_can_do_what_its_actions_need(job: str) -> None:
    steps = workflow()["jobs"][job]["steps"]
    granted = workflow()["jobs"][job].get("permissions") or {}
    for step in steps:
        action = step.get("uses", "").split("@")[0]
        for scope, level in NEEDS.get(action, {}).items():
            have = granted.get(scope, "none")
            assert LEVEL[have] >= LEVEL[level], f"{job}: {action} needs {scope}: {level}"


@pytest.mark.parametrize(
    ("event", "ref", "deploys"),
    [
        ("push", "refs/heads/main", True),
        ("workflow_dispatch", "refs/heads/main", True),
        ("workflow_dispatch", "refs/heads/a-branch", False),
        ("pull_request", "refs/pull/7/merge", False),
        ("pull_request", "refs/heads/main", False),
    ],
)
def test_only_main_deploys(event: str, ref: str, deploys: bool) -> None:
    flow = workflow()
    assert flow["on"]["push"] == {"branches": ["main"]}
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert run_condition(deploy["if"], event, ref) is deploys


def test_the_condition_evaluator_reads_what_it_is_given() -> None:
    """The helper above, on the condition the workflow had before it checked the branch."""
    old = "github.event_name != 'pull_request'"
    assert run_condition(old, "workflow_dispatch", "refs/heads/a-branch")
    assert not run_condition(old, "pull_request", "refs/pull/7/merge")
    with pytest.raises(AssertionError, match="cannot evaluate"):
        run_condition("github.ref == 'refs/heads/main' || true", "push", "refs/heads/main")


def lint_commands(tool: str) -> list[list[str]]:
    """The commands ``make lint`` runs with ``tool`` (as ``make -n`` prints them)."""
    printed = subprocess.run(
        ["make", "-s", "-n", "lint"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    commands = [shlex.split(line) for line in printed.splitlines()]
    return [command for command in commands if command and Path(command[0]).name == tool]


def test_make_lint_runs_shellcheck_on_the_workflow_steps_and_on_ci_run(tmp_path: Path) -> None:
    (actionlint,) = lint_commands("actionlint")
    faulty = tmp_path / "faulty.yml"
    faulty.write_text(
        "on: push\njobs:\n  greet:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo $GREETING\n"
    )
    done = subprocess.run([*actionlint, str(faulty)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SC2086" in done.stdout, done.stdout + done.stderr
    assert [".ci/run"] in [command[1:] for command in lint_commands("shellcheck")]
