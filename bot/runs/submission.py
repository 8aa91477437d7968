"""Starting and stopping runs: what `/run-perf`, `/rerun-perf` and `/perf-bot run` share.

The request path holds only what decides a run and makes it durable, so GitHub has its answer
after about two round trips:
1. everything the comment asked is checked (arguments, options, ref syntax) without a call;
2. the pull request and the base ref's commit are read while the author's permission is
   checked (`prefetch`: reads only, nothing changes before the permission is known);
3. the submission is named after the comment, so a redelivery, a replay under a fresh delivery
   id, or a second replica handling the same delivery, meets "already exists" and stops there:
   no second run, no second reply. A fork's pull request is run only if the fork was not
   pushed to since the command was written (`bot.delivery.freshness`).
   Once the Argo Server holds the run, the delivery is answered.
Then, as follow-ups (`bot.shared.followups`): the runs of the same job on this PR still going are
stopped (one active run per PR and job), the check run is opened, and the reply with the Argo
UI link and the names of the stopped runs is posted.

Superseding after submitting must not let an older command stop a newer one submitted in the
meantime, so every run is labelled with the id of the comment that started it (GitHub's ids
grow with time) and only runs with a smaller id, or none, are stopped: of two commands racing
on one PR and job, the run of the later comment survives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from bot.delivery.context import CommandContext
from bot.delivery.freshness import fork_pushed_since
from bot.github.api import GitHubError, PullRequest
from bot.github.markdown import inert, text
from bot.runs import estimate
from bot.runs.arguments import parse_run_arguments
from bot.runs.refs import ACCEPTED, RefError, resolve
from workflows.argo import (
    ArgoClient,
    ArgoError,
    ArgoUnreachable,
    Submission,
    TemplateNotFound,
    WorkflowExists,
    WorkflowNotFound,
    WorkflowSummary,
    workflow_name_for_comment,
)
from workflows.config import JobConfig
from workflows.labels import JOB, PR, REPO, run_labels
from workflows.pipeline.parameters import submit_parameters

log = logging.getLogger(__name__)

COMMENT = "perfbot/comment"  # label: the id of the comment that started the run

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
ARGO_SILENT = (
    "I could not start **{job}**: the Argo Server did not answer ({reason}). If it started the "
    "run nonetheless, its report will appear here; otherwise comment the command again later "
    "(a newer command stops an older run of the same job)."
)
STARTED = (
    "Started **{job}**: this PR's head `{head}` against `{base_ref}` (`{base}`){mode}.\n\n"
    "{expected}\n\nFollow it in Argo: {link}{superseded}"
)
REUSE_MODE = ", reusing the images built earlier"
SUPERSEDED = "\n\nStopped the earlier run{s} of this job on this PR: {names}."
NO_LINK = "(no Argo UI configured)"
CHECK_SUMMARY = (
    "Comparing `{head}` with `{base_ref}` (`{base}`) in workflow `{name}`.\n\n{expected}"
)
SUPERSEDE_MESSAGE = "superseded by a newer command on the pull request"
FORK_PUSHED_SINCE = (
    "I did not start **{job}**: this pull request's fork was pushed to after @{login} wrote the "
    "command, so its head may not be the one they saw. Comment the command again to run the "
    "fork's current head."
)
FORK_REFUSED = (
    "I could not start **{job}**: perfbot does not benchmark pull requests from forks in this "
    "repository (`fork_prs: refuse` in perfbot's configuration), so that no code from a fork "
    "runs on the benchmark nodes."
)


@dataclass(frozen=True)
class StartedRun:
    job: str
    submission: Submission
    labels: dict[str, str]
    pull: PullRequest
    base_ref: str
    base_sha: str
    rebuild: bool
    comment_id: int
    job_config: JobConfig
    rounds: int


def prefetch(ctx: CommandContext, job: JobConfig, words: list[str]) -> None:
    """Start reading what `start_run` will need, unless the comment is refused anyway."""
    try:
        arguments = parse_run_arguments(words)
        job.parse_options(arguments.options)
    except ValueError:
        return
    ctx.reads.start(ctx.github.pull_request, ctx.event.number)
    guess = arguments.ref or ctx.event.default_branch  # a wrong guess costs one wasted read
    if guess:
        ctx.reads.start(resolve, ctx.github, guess)


def start_run(
    ctx: CommandContext, job: JobConfig, words: list[str], *, usage: str, rebuild: bool
) -> str:
    """Check, submit, queue the acknowledgements; returns the outcome for logs and metrics."""
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
    pull = ctx.reads.get(ctx.github.pull_request, event.number)
    if pull.from_fork and ctx.repo_config.fork_prs == "refuse":
        ctx.reply(FORK_REFUSED.format(job=job.name))
        return "fork-refused"
    name = workflow_name_for_comment(event.comment_id)
    if pull.from_fork and fork_pushed_since(event.created, pull.pushed_at):
        if _exists(ctx.argo, name):  # a replay of a command that did run: nothing to say
            ctx.followups.discard()
            return "duplicate"
        ctx.reply(FORK_PUSHED_SINCE.format(job=job.name, login=event.author))
        return "fork-pushed-since"
    try:
        base_ref, base_sha = ctx.reads.get(resolve, ctx.github, arguments.ref or pull.base_ref)
    except RefError as exc:
        ctx.reply(BAD_REF.format(job=job.name, reason=exc, accepted=ACCEPTED))
        return "bad-ref"

    labels = run_labels(event.repo, event.number, job.name, pull.head_sha)
    labels[COMMENT] = str(event.comment_id)
    parameters = submit_parameters(
        event.repo,
        job,
        head_sha=pull.head_sha,
        base_sha=base_sha,
        base_ref=base_ref,
        head_ref=pull.head_ref,
        pr=event.number,
        rebuild=rebuild,
        callback_url=ctx.settings.callback_url,
        options=options,
    )
    try:
        submission = ctx.argo.submit(job.template_name, parameters, name=name, labels=labels)
    except WorkflowExists:
        log.info("comment %s was submitted before as %s; nothing to do", event.comment_id, name)
        ctx.followups.discard()  # the first handling acknowledged it
        ctx.metrics.submissions.labels(job=job.name, outcome="duplicate").inc()
        return "duplicate"
    except TemplateNotFound:
        ctx.reply(TEMPLATE_MISSING.format(job=job.name, template=job.template_name))
        ctx.metrics.submissions.labels(job=job.name, outcome="template-missing").inc()
        return "template-missing"
    except ArgoError as exc:
        log.warning("submitting %s for %s#%s failed: %s", name, event.repo, event.number, exc)
        text = ARGO_SILENT if isinstance(exc, ArgoUnreachable) else ARGO_FAILED
        ctx.reply(text.format(job=job.name, reason=_short(exc)))
        ctx.metrics.submissions.labels(job=job.name, outcome="argo-error").inc()
        return "argo-error"
    ctx.metrics.submissions.labels(job=job.name, outcome="submitted").inc()
    rounds = int(options.get("rounds") or job.benchmark.rounds)
    run = StartedRun(
        job.name,
        submission,
        labels,
        pull,
        base_ref,
        base_sha,
        rebuild,
        event.comment_id,
        job,
        rounds,
    )
    ctx.followups.add("acknowledge the run", partial(acknowledge, ctx, run))
    return "submitted"


def acknowledge(ctx: CommandContext, run: StartedRun) -> None:
    """After the answer: supersede, open the check run, reply. Only the reply may raise."""
    try:
        stopped = supersede(ctx.argo, run)
    except ArgoError as exc:  # the older run goes on; the next command or a cancel stops it
        log.warning("could not stop the runs %s supersedes: %s", run.submission.name, exc)
        stopped = []
    short = {
        "head": run.pull.head_sha[:12],
        "base_ref": run.base_ref,
        "base": run.base_sha[:12],
        "expected": estimate.for_start(
            ctx.argo, ctx.config, ctx.event.repo, run.job_config, run.rounds
        ),
    }
    link = run.submission.ui_url
    if ctx.settings.check_runs:
        try:
            ctx.github.create_check_run(
                name=ctx.settings.check_run_name(run.job),
                head_sha=run.pull.head_sha,
                details_url=link,
                external_id=run.submission.name,
                summary=CHECK_SUMMARY.format(name=run.submission.name, **short),
            )
        except GitHubError as exc:  # the reply and the report matter more than the check
            log.warning("no check run for %s: %s", run.submission.name, exc)
    ctx.post_reply(
        STARTED.format(
            job=run.job,
            mode="" if run.rebuild else REUSE_MODE,
            link=link or NO_LINK,
            superseded=superseded_line(stopped),
            **short,
        )
    )


def supersede(argo: ArgoClient, run: StartedRun) -> list[str]:
    """Stop this PR's runs of the job started by earlier comments; the names of those stopped."""
    same_job = {key: run.labels[key] for key in (REPO, PR, JOB)}

    def spare(workflow: WorkflowSummary) -> bool:
        return workflow.name == run.submission.name or _comment_of(workflow) > run.comment_id

    return stop_runs(argo, same_job, message=SUPERSEDE_MESSAGE, spare=spare)


def stop_runs(
    argo: ArgoClient,
    labels: dict[str, str],
    *,
    message: str,
    spare: Callable[[WorkflowSummary], bool] | None = None,
) -> list[str]:
    """Stop running workflows matching `labels`, except those `spare` keeps; names stopped."""
    stopped = []
    for workflow in argo.list_workflows(labels, running_only=True):
        if spare is not None and spare(workflow):
            continue
        try:
            argo.stop(workflow.name, message)
        except WorkflowNotFound:  # finished and deleted between listing and stopping
            continue
        stopped.append(workflow.name)
    return stopped


def _exists(argo: ArgoClient, name: str) -> bool:
    """Argo holds the workflow `name` (an error counts as no: the reply is then sent)."""
    try:
        argo.get(name)
    except ArgoError:  # WorkflowNotFound included
        return False
    return True


def _comment_of(workflow: WorkflowSummary) -> int:
    """The id of the comment that started it; 0 for runs started otherwise (by hand)."""
    value = workflow.labels.get(COMMENT, "")
    return int(value) if value.isdigit() else 0


def superseded_line(names: list[str]) -> str:
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
    """An Argo error in prose: it can quote what was submitted, so the results' rule."""
    return text(str(exc), 200)
