"""`/perf-bot status`: this PR's runs as the Argo Server knows them, lost reports included.

Each run is listed with the line that says where it is (`bot.runs.progress_line`: phase, step
running, Argo's progress, the benchmark's round, the time left, or its place in the queue for
a benchmark node), and the check run of a run still going gets the same line, so the checks
tab tells as much as the reply.

A run reports through its callback. When that never arrives (the bot was away for longer than
the report step retried, or the network between them failed), the run is still in Argo,
labelled with its PR. This command lists those runs with their phase and link, and closes the
check run of a run that finished while its check still says "in progress" (the sign that no
callback got through), so the pull request does not wait for it forever. Reading is open to
everyone, like help; closing such a check only writes down what Argo already says.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from functools import partial

from bot.commands.base import Command
from bot.delivery.context import CommandContext
from bot.github.api import GitHubError
from bot.github.markdown import inert, text
from bot.runs import check_progress
from bot.runs.progress_line import status_line
from bot.runs.queue import ahead_of, waiting_runs
from bot.runs.status import RunStatus, read
from workflows.argo import ArgoError, WorkflowSummary
from workflows.labels import HEAD_SHA, JOB, PR, REPO, label_value, repo_label

log = logging.getLogger(__name__)

PATTERN = re.compile(r"^ {0,3}/perf-bot[ \t]+status[ \t]*$", re.MULTILINE)
USAGE = "/perf-bot status"
HELP = "list this PR's runs with their state, and close the checks of runs whose report was lost"
MAX_LISTED = 20
FINISHED = {"Succeeded": "neutral", "Failed": "failure", "Error": "failure"}

HEADER = "perfbot runs of this PR, as the Argo Server knows them:\n\n"
TABLE = "| workflow | job | head | state |\n| --- | --- | --- | --- |\n"
ROW = "| {name} | {job} | `{head}` | {phase}{note} |"
LOST_NOTE = " (its report never reached the bot; check run closed)"
MORE = "\n\n… and {count} more: `argo list -n {namespace} -l {selector}`."
NOTHING = "No perfbot run of this PR is known to the Argo Server."
ARGO_FAILED = "I could not list this PR's runs: {reason}."
LOST_TITLE = "Finished in Argo ({phase}); the report never reached the bot"
LOST_SUMMARY = (
    "The workflow `{name}` ended {phase} but its callback never arrived. Its logs and "
    "artifacts are in Argo: {link}"
)


def handle(ctx: CommandContext, words: list[str]) -> str:
    ctx.followups.add("report the status", partial(report_status, ctx))
    return "status"


def report_status(ctx: CommandContext) -> None:
    this_pr = {REPO: repo_label(ctx.event.repo), PR: label_value(str(ctx.event.number))}
    try:
        workflows = ctx.argo.list_workflows(this_pr, running_only=False)
    except ArgoError as exc:
        ctx.post_reply(ARGO_FAILED.format(reason=text(str(exc), 200)))  # prose
        return
    if not workflows:
        ctx.post_reply(NOTHING)
        return
    shown = workflows[:MAX_LISTED]
    lines = where_they_are(ctx, [read(workflow) for workflow in shown])
    closed = set()
    if ctx.settings.check_runs:
        closed = close_lost_checks(ctx, shown)
        check_progress.update_checks(ctx, [w for w in shown if w.name not in closed], lines)
    rows = [_row(workflow, lines[workflow.name], workflow.name in closed) for workflow in shown]
    more = ""
    if len(workflows) > len(shown):
        selector = f"{PR}={this_pr[PR]},{REPO}={this_pr[REPO]}"
        more = MORE.format(
            count=len(workflows) - len(shown), namespace=ctx.argo.namespace, selector=selector
        )
    ctx.post_reply(HEADER + TABLE + "\n".join(rows) + more)


def where_they_are(ctx: CommandContext, statuses: list[RunStatus]) -> dict[str, str]:
    """The progress line of each run; the queue is asked for only when one of them waits."""
    queue: list[RunStatus] | None = []
    if any(status.running and status.waiting_for for status in statuses):
        try:
            queue = waiting_runs(ctx.argo)
        except ArgoError as exc:  # the line leaves out how many are ahead
            log.warning("could not list the runs waiting for a benchmark node: %s", exc)
            queue = None
    now = datetime.now(UTC)
    lines = {}
    for status in statuses:
        ahead = None
        if queue is not None and status.waiting_for:
            ahead = ahead_of(status, status.waiting_for, queue)
        lines[status.name] = status_line(status, now, ahead=ahead)
    return lines


def close_lost_checks(ctx: CommandContext, workflows: list[WorkflowSummary]) -> set[str]:
    """Complete the open check runs of finished workflows; the names of those closed."""
    jobs = {label_value(name): name for name in ctx.repo_config.jobs}
    closed = set()
    for workflow in workflows:
        conclusion = FINISHED.get(workflow.phase)
        job = jobs.get(workflow.labels.get(JOB, ""))
        head = workflow.labels.get(HEAD_SHA, "")
        if conclusion is None or job is None or not head:
            continue
        try:
            check = ctx.github.find_check_run(
                head_sha=head, name=ctx.settings.check_run_name(job), external_id=workflow.name
            )
            if check is None or check.status == "completed":
                continue
            ctx.github.complete_check_run(
                check.id,
                conclusion=conclusion,
                title=LOST_TITLE.format(phase=workflow.phase),
                summary=LOST_SUMMARY.format(
                    name=workflow.name, phase=workflow.phase, link=workflow.ui_url or "(no UI)"
                ),
                details_url=workflow.ui_url,
            )
        except GitHubError as exc:
            log.warning("could not close the check run of %s: %s", workflow.name, exc)
            continue
        closed.add(workflow.name)
    return closed


def _row(workflow: WorkflowSummary, line: str, lost: bool) -> str:
    name = f"`{inert(workflow.name, 63)}`"
    return ROW.format(
        name=f"[{name}]({workflow.ui_url})" if workflow.ui_url else name,
        job=inert(workflow.labels.get(JOB, "?"), 63),
        head=inert(workflow.labels.get(HEAD_SHA, "?"), 63)[:12],
        phase=line.replace("|", "/"),  # a table cell
        note=LOST_NOTE if lost else "",
    )


COMMAND = Command(
    name="/perf-bot status",
    pattern=PATTERN,
    usage=USAGE,
    help=HELP,
    handler=handle,
    needs_write=False,
    rate_limited=True,  # open to everyone, and it writes: `bot.shared.throttle`
)
