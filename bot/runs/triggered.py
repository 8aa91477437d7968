"""Runs that no comment asked for: a labelled pull request's pushes, the default branch's.

They follow `/run-perf`'s path (`bot.runs.submission`): the submission is named after what the
signed event says (kind, repository, PR, head, base, the PR's `updated_at`), so a redelivery, or a
replay under a fresh delivery id, meets "already exists" and stops there; the delivery is
answered once the Argo Server holds the run; the check run, the reply and the superseding are
follow-ups.

Ordering without a comment id: a run started by the label carries `perfbot/pushed`, the time
GitHub last updated the pull request (`updated_at`). It stops the runs of the same job on the
PR that started earlier: triggered runs with an earlier time, runs started by a comment on
another (older) head, runs started by hand. A comment run on the same head is spared (someone
asked for it on the code that is current). Runs of the default branch supersede nothing: each
merge gets its own result. They have no pull request (`pr` 0), so their outcome is the check
run on the pushed commit, never a comment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from bot.github.api import GitHubError, RepoGitHub
from bot.runs import estimate
from bot.runs.submission import (
    ARGO_FAILED,
    ARGO_SILENT,
    CHECK_SUMMARY,
    COMMENT,
    SUPERSEDE_MESSAGE,
    TEMPLATE_MISSING,
    stop_runs,
    superseded_line,
)
from bot.shared.followups import Followups
from bot.shared.metrics import Metrics
from bot.shared.settings import BotSettings
from workflows.argo import (
    ArgoClient,
    ArgoError,
    ArgoUnreachable,
    TemplateNotFound,
    WorkflowExists,
    WorkflowSummary,
    workflow_name_for_event,
)
from workflows.config import JobConfig, PerfbotConfig
from workflows.labels import HEAD_SHA, JOB, PR, REPO, run_labels
from workflows.pipeline.parameters import submit_parameters

log = logging.getLogger(__name__)

PUSHED = "perfbot/pushed"  # label: `updated_at` of the PR when its label started the run
TRIGGER = "perfbot/trigger"  # label: `label` or `push`
LABEL_STARTED = (
    "The label `{label}` started **{job}**: this PR's head `{head}` against `{base_ref}` "
    "(`{base}`).\n\n{expected}\n\nFollow it in Argo: {link}{superseded}"
)
NO_LINK = "(no Argo UI configured)"


@dataclass(frozen=True)
class Trigger:
    """One run of a repository's default job that an event asks for."""

    kind: str  # "label" or "push"
    repo: str
    pr: int  # 0: no pull request (a push to the default branch)
    head_sha: str
    base_ref: str
    base_sha: str
    delivery_id: str
    label: str | None = None
    pushed: int = 0  # for `label`: the PR's `updated_at`, epoch seconds
    head_ref: str = ""  # the PR's branch, or the pushed branch


@dataclass(frozen=True)
class Target:
    """Where a trigger runs and reports: the bot's clients for one repository and job."""

    github: RepoGitHub
    argo: ArgoClient
    job: JobConfig
    settings: BotSettings
    metrics: Metrics
    followups: Followups
    config: PerfbotConfig


def submit(target: Target, trigger: Trigger) -> str:
    """Submit the run and queue its acknowledgements; the outcome, for logs and metrics."""
    job = target.job
    name = workflow_name_for_event(  # a replayed delivery gets the same name (no second run)
        trigger.kind, trigger.repo.lower(), trigger.pr, trigger.head_sha, trigger.base_sha,
        trigger.pushed, job.name,
    )  # fmt: skip
    labels = run_labels(trigger.repo, trigger.pr, job.name, trigger.head_sha)
    labels[TRIGGER] = trigger.kind
    if trigger.kind == "label":
        labels[PUSHED] = str(trigger.pushed)
    parameters = submit_parameters(
        trigger.repo,
        job,
        head_sha=trigger.head_sha,
        base_sha=trigger.base_sha,
        base_ref=trigger.base_ref,
        head_ref=trigger.head_ref,
        pr=trigger.pr,
        rebuild=True,
        callback_url=target.settings.callback_url,
    )
    submissions = target.metrics.submissions
    try:
        submission = target.argo.submit(job.template_name, parameters, name=name, labels=labels)
    except WorkflowExists:
        log.info("delivery %s was submitted before as %s", trigger.delivery_id, name)
        submissions.labels(job=job.name, outcome="duplicate").inc()
        return "duplicate"
    except TemplateNotFound:
        _tell(target, trigger, TEMPLATE_MISSING.format(job=job.name, template=job.template_name))
        submissions.labels(job=job.name, outcome="template-missing").inc()
        return "template-missing"
    except ArgoError as exc:
        log.warning("submitting %s for %s failed: %s", name, trigger.repo, exc)
        text = ARGO_SILENT if isinstance(exc, ArgoUnreachable) else ARGO_FAILED
        _tell(target, trigger, text.format(job=job.name, reason=str(exc)[:200]))
        submissions.labels(job=job.name, outcome="argo-error").inc()
        return "argo-error"
    submissions.labels(job=job.name, outcome="submitted").inc()
    link = submission.ui_url
    target.followups.add(
        "acknowledge the triggered run",
        partial(_acknowledge, target, trigger, submission.name, labels, link),
    )
    return "submitted"


def _acknowledge(
    target: Target, trigger: Trigger, name: str, labels: dict[str, str], link: str | None
) -> None:
    stopped: list[str] = []
    if trigger.pr:
        try:
            stopped = supersede(target.argo, trigger, name, labels)
        except ArgoError as exc:
            log.warning("could not stop the runs %s supersedes: %s", name, exc)
    short = {
        "head": trigger.head_sha[:12],
        "base_ref": trigger.base_ref,
        "base": trigger.base_sha[:12],
        "expected": estimate.for_start(
            target.argo, target.config, trigger.repo, target.job, target.job.benchmark.rounds
        ),
    }
    if target.settings.check_runs:
        try:
            target.github.create_check_run(
                name=target.settings.check_run_name(target.job.name),
                head_sha=trigger.head_sha,
                details_url=link,
                external_id=name,
                summary=CHECK_SUMMARY.format(name=name, **short),
            )
        except GitHubError as exc:
            if not trigger.pr:  # no comment either: the check run is all a push run shows
                raise
            log.warning("no check run for %s: %s", name, exc)
    if trigger.pr:
        target.github.comment(
            trigger.pr,
            LABEL_STARTED.format(
                label=trigger.label,
                job=target.job.name,
                link=link or NO_LINK,
                superseded=superseded_line(stopped),
                **short,
            ),
        )


def supersede(argo: ArgoClient, trigger: Trigger, name: str, labels: dict[str, str]) -> list[str]:
    """Stop this PR's runs of the job that started before this one (the module's rule)."""
    same_job = {key: labels[key] for key in (REPO, PR, JOB)}

    def spare(workflow: WorkflowSummary) -> bool:
        if workflow.name == name:
            return True
        pushed = workflow.labels.get(PUSHED, "")
        if pushed.isdigit():
            return int(pushed) >= trigger.pushed
        comment = workflow.labels.get(COMMENT, "")
        if comment.isdigit() and int(comment) > 0:
            return workflow.labels.get(HEAD_SHA) == labels[HEAD_SHA]
        return False

    return stop_runs(argo, same_job, message=SUPERSEDE_MESSAGE, spare=spare)


def _tell(target: Target, trigger: Trigger, text: str) -> None:
    """Say on the PR why nothing runs; a push has no PR, so its log says it."""
    if trigger.pr:
        target.followups.add(
            "reply on the pull request", partial(target.github.comment, trigger.pr, text)
        )
    else:
        log.warning("push run of %s at %s not started: %s", trigger.repo, trigger.head_sha, text)
