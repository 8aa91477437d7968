"""The repository's `comment:` setting, end to end through `POST /callback`: `always` posts
every report, `on-change` only regressions and improvements, `quiet` none; the check run is
completed in every mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.payloads import REPO
from tests.bot.stack import Stack, exit_callback, result, running_stack
from workflows.config import PerfbotConfig

MARKER = "<!-- perfbot:job=api -->"
WORKFLOW = "perf-modes"


@pytest.fixture(params=["always", "on-change", "quiet"])
def mode_stack(
    request: pytest.FixtureRequest, contracts_dir: Path, config_path: Path, config: PerfbotConfig
) -> Iterator[tuple[str, Stack]]:
    repo = config.repos[REPO].model_copy(update={"comment": request.param})
    changed = config.model_copy(update={"repos": {REPO: repo}})
    for stack in running_stack(contracts_dir, config_path, changed):
        yield request.param, stack


EXPECTED = {  # callback -> modes that post the report
    "regressed": {"always", "on-change"},
    "improved": {"always", "on-change"},
    "unchanged": {"always"},
    "failed": {"always"},
}


@pytest.mark.parametrize("what", sorted(EXPECTED))
def test_the_comment_mode_decides_the_report_comment_and_the_check_run_always_completes(
    mode_stack: tuple[str, Stack], what: str
) -> None:
    mode, stack = mode_stack
    payload = (
        exit_callback(WORKFLOW, "Failed", [{"displayName": "benchmark", "message": "boom"}])
        if what == "failed"
        else result(WORKFLOW, verdict=what, report="| q1 | change |")
    )

    response = stack.callback(payload)

    assert response.status_code == 200
    posted = [c for c in stack.repo.comments.values() if MARKER in c["body"]]
    assert bool(posted) == (mode in EXPECTED[what])
    [check] = stack.repo.check_runs.values()  # created by the callback, then completed
    assert check["status"] == "completed"


LATER = {  # what a later run found -> what the comment must say instead of "Regression"
    "unchanged": (result("perf-later", verdict="unchanged"), "No significant change"),
    "failed": (exit_callback("perf-later", "Failed"), "the run failed"),
}


@pytest.mark.parametrize(("later", "says"), LATER.values(), ids=LATER.keys())
def test_on_change_updates_a_regression_comment_that_a_later_run_no_longer_supports(
    mode_stack: tuple[str, Stack], later, says: str
) -> None:
    mode, stack = mode_stack
    if mode != "on-change":
        pytest.skip("on-change only")
    stack.argo.add_run_of(result(WORKFLOW), created="2001-01-01T00:00:00Z")
    stack.argo.add_run_of(later, created="2002-01-01T00:00:00Z")
    stack.callback(result(WORKFLOW, verdict="regressed"))

    stack.callback(later)

    [body] = [c["body"] for c in stack.repo.comments.values() if MARKER in c["body"]]
    assert "Regression" not in body
    assert says in body
