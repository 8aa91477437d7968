"""Starting and stopping runs: what `/run-perf`, `/rerun-perf` and `/perf-bot run` share.

Order matters for the guarantees of the design:
1. everything the comment asked is checked (arguments, options, ref) before anything changes;
2. runs still going for this PR and job are stopped (one active run per PR and job), except
   one named like ours, which is this very delivery submitted earlier;
3. the submission is named after the delivery, so a redelivery, or a second replica handling
   the same delivery, meets "already exists" and stops there: no second run, no second reply;
4. only then the check run and the reply, which carry the Argo UI link.
"""

from __future__ import annotations

import logging

from bot.arguments import parse_run_arguments
from bot.context import CommandContext
from bot.github_api import GitHubError
from bot.markdown import inert
from bot.refs import ACCEPTED, RefError, resolve
from workflows.argo import (
    ArgoClient,
    ArgoError,
    TemplateNotFound,
    WorkflowExists,
    WorkflowNotFound,
    workflow_name_for_delivery,
)
from workflows.config import JobConfig
from workflows.labels import HEAD_SHA, run_labels
from workflows.pipeline.parameters import submit_parameters

log = logging.getLogger(__name__)

BAD_ARGUMENTS = (
    "I could not start **{job}**: {reason}.\n\nUsage: `{usage}`. A ref is {accepted}.{options}"
)
OPTIONS_LINE = "\n\nOptions of **{job}**: {options}."
NO_OPTIONS_LINE = "\n\nThe job **{job}** takes no options."
BAD_REF = "I could not start **{job}**: {reason}.\n\nA ref is {accepted}."
TEMPLATE_MISSING = (
    "I could not start **{job}**: its WorkflowTemplate `{template}` is not installed in the "
    "cluster. A maintainer needs to apply the templates (`kubectl apply -k .`)."
)
ARGO_FAILED = (
    "I could not start **{job}**: the Argo Server did not accept the run ({reason}). "
    "Nothing is running; try again later or ask a maintainer to look at the bot's log."
)
STARTED = (
    "Started **{job}**: this PR's head `{head}` against `{base_ref}` (`{base}`){mode}.\n\n"
    "Follow it in Argo: {link}{superseded}"
)
REUSE_MODE = ", reusing the images built earlier"
SUPERSEDED = "\n\nStopped the earlier run{s} of this job on this PR: {names}."
NO_LINK = "(no Argo UI configured)"
CHECK_SUMMARY = "Comparing `{head}` with `{base_ref}` (`{base}`) in workflow `{name}`."
SUPERSEDE_MESSAGE = "superseded by a newer command on the pull request"


def start_run(
    ctx: CommandContext, job: JobConfig, words: list[str], *, usage: str, rebuild: bool
) -> str:
    """Check, supersede, submit, acknowledge; returns the outcome for logs and metrics."""
    event = ctx.event
    try:
        arguments = parse_run_arguments(words)
        options = job.parse_options(arguments.options)
    except ValueError as exc:
        ctx.reply(
            BAD_ARGUMENTS.format(
                job=job.name,
                reason=inert(str(exc), 300),
                usage=usage,
                accepted=ACCEPTED,
                options=_options_line(job),
            )
        )
        return "bad-arguments"
    pull = ctx.github.pull_request(event.number)
    try:
        base_ref, base_sha = resolve(ctx.github, arguments.ref or pull.base_ref)
    except RefError as exc:
        ctx.reply(BAD_REF.format(job=job.name, reason=exc, accepted=ACCEPTED))
        return "bad-ref"

    name = workflow_name_for_delivery(event.delivery_id)
    labels = run_labels(event.repo, event.number, job.name, pull.head_sha)
    parameters = submit_parameters(
        event.repo,
        job,
        head_sha=pull.head_sha,
        base_sha=base_sha,
        base_ref=base_ref,
        pr=event.number,
        rebuild=rebuild,
        callback_url=ctx.settings.callback_url,
        options=options,
    )
    try:
        same_job = {k: v for k, v in labels.items() if k != HEAD_SHA}
        stopped = stop_runs(ctx.argo, same_job, keep=name, message=SUPERSEDE_MESSAGE)
        submission = ctx.argo.submit(job.template_name, parameters, name=name, labels=labels)
    except WorkflowExists:
        log.info("delivery %s was submitted before as %s; nothing to do", event.delivery_id, name)
        ctx.metrics.submissions.labels(job=job.name, outcome="duplicate").inc()
        return "duplicate"
    except TemplateNotFound:
        ctx.reply(TEMPLATE_MISSING.format(job=job.name, template=job.template_name))
        ctx.metrics.submissions.labels(job=job.name, outcome="template-missing").inc()
        return "template-missing"
    except ArgoError as exc:
        log.warning("submitting %s for %s#%s failed: %s", name, event.repo, event.number, exc)
        ctx.reply(ARGO_FAILED.format(job=job.name, reason=_short(exc)))
        ctx.metrics.submissions.labels(job=job.name, outcome="argo-error").inc()
        return "argo-error"
    ctx.metrics.submissions.labels(job=job.name, outcome="submitted").inc()

    link = submission.ui_url
    short = {"head": pull.head_sha[:12], "base_ref": base_ref, "base": base_sha[:12]}
    if ctx.settings.check_runs:
        try:
            ctx.github.create_check_run(
                name=ctx.settings.check_run_name(job.name),
                head_sha=pull.head_sha,
                details_url=link,
                external_id=submission.name,
                summary=CHECK_SUMMARY.format(name=submission.name, **short),
            )
        except GitHubError as exc:  # the reply and the report matter more than the check
            log.warning("no check run for %s: %s", submission.name, exc)
    ctx.reply(
        STARTED.format(
            job=job.name,
            mode="" if rebuild else REUSE_MODE,
            link=link or NO_LINK,
            superseded=_superseded(stopped),
            **short,
        )
    )
    return "submitted"


def stop_runs(
    argo: ArgoClient, labels: dict[str, str], *, keep: str | None, message: str
) -> list[str]:
    """Stop running workflows matching `labels`, except `keep`; the names of those stopped."""
    stopped = []
    for workflow in argo.list_workflows(labels, running_only=True):
        if workflow.name == keep:
            continue
        try:
            argo.stop(workflow.name, message)
        except WorkflowNotFound:  # finished and deleted between listing and stopping
            continue
        stopped.append(workflow.name)
    return stopped


def _superseded(names: list[str]) -> str:
    if not names:
        return ""
    return SUPERSEDED.format(
        s="s" if len(names) > 1 else "", names=", ".join(f"`{n}`" for n in names)
    )


def _options_line(job: JobConfig) -> str:
    if not job.options:
        return NO_OPTIONS_LINE.format(job=job.name)
    described = ", ".join(
        f"`{key}=` ({spec.accepted})" for key, spec in sorted(job.options.items())
    )
    return OPTIONS_LINE.format(job=job.name, options=described)


def _short(exc: Exception) -> str:
    return inert(str(exc), 200)
