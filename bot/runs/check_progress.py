"""The check run says where its run is, each time the bot hears of the run.

A check run is opened `in_progress` when the run starts and completed by the callback; in
between, an hour or two can pass. Whenever the bot learns something about a run still going
(a `/perf-bot status` on its PR), the check run's output is replaced by the progress line
(`bot.runs.progress_line`), titled "Queued: waiting for a benchmark node" while Argo holds the run
on the semaphore. The callback adds the same line to the summary it completes the check with
(`with_line`). Failing to write it is logged and nothing more: it never costs a reply or a
report.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.delivery.context import CommandContext
from bot.github.api import GitHubError
from bot.runs.progress_line import QUEUED, status_line
from bot.runs.status import RUNNING_PHASES, read
from bot.shared import deadline
from workflows.argo import ArgoClient, ArgoError, WorkflowSummary
from workflows.labels import HEAD_SHA, JOB, label_value

log = logging.getLogger(__name__)

RUNNING_TITLE = "Running"
QUEUED_TITLE = "Queued: waiting for a benchmark node"
SUMMARY = "{line}\n\nWorkflow `{name}`, as the Argo Server reported it at {time} UTC."
CALLBACK_LINE = "\n\nIn Argo at the report: {line}"
CALLBACK_SHARE = 0.25  # of the callback's budget the Argo read may take; GitHub needs the rest


def title_for(line: str) -> str:
    return QUEUED_TITLE if QUEUED in line else RUNNING_TITLE


def summary_for(name: str, line: str) -> str:
    return SUMMARY.format(line=line, name=name, time=datetime.now(UTC).strftime("%H:%M"))


def update_checks(
    ctx: CommandContext, workflows: list[WorkflowSummary], lines: dict[str, str]
) -> list[str]:
    """Write the line into the open check run of each run still going; the names updated."""
    jobs = {label_value(name): name for name in ctx.repo_config.jobs}
    updated = []
    for workflow in workflows:
        job = jobs.get(workflow.labels.get(JOB, ""))
        head = workflow.labels.get(HEAD_SHA, "")
        line = lines.get(workflow.name)
        if workflow.phase not in RUNNING_PHASES or job is None or not head or not line:
            continue
        try:
            check = ctx.github.find_check_run(
                head_sha=head, name=ctx.settings.check_run_name(job), external_id=workflow.name
            )
            if check is None or check.status == "completed":
                continue
            ctx.github.update_check_run(
                check.id, title=title_for(line), summary=summary_for(workflow.name, line)
            )
        except GitHubError as exc:
            log.warning("could not update the check run of %s: %s", workflow.name, exc)
            continue
        updated.append(workflow.name)
    return updated


def with_line(summary: str, argo: ArgoClient, name: str, budget: float) -> str:
    """The callback's check run summary with where the run is in Argo, when Argo answers in
    a share of the callback's budget; unchanged otherwise."""
    try:
        with deadline.within(budget * CALLBACK_SHARE):
            workflow = argo.get(name)
    except ArgoError as exc:
        log.info("no progress line for %s: %s", name, exc)
        return summary
    return summary + CALLBACK_LINE.format(line=status_line(read(workflow), datetime.now(UTC)))
