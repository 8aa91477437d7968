"""`pull_request` deliveries: while a PR carries the repository's `run_label`, run its pushes.

`labeled` with that label, and every `synchronize` (a push to the PR) while the label is on,
start the repository's default job against the PR's base branch, superseding the run in
progress (`bot.runs.triggered`). Removing the label stops new runs (`synchronize` no longer
sees it). Only a label added by someone who may start runs counts: for `labeled` that is the
`sender`; for `synchronize` the sender is whoever pushed, so the PR's issue events are asked
who added the label last.

Pull requests from forks: under `fork_prs: refuse` the label does nothing and the reply says
why. Under `maintainers-only` a maintainer's label runs the fork's head as it is when labelled;
a later push from the fork does not run by itself (the label would otherwise be a standing
licence for code nobody with write access has seen): labelling again runs the new head.
"""

from __future__ import annotations

import logging
from functools import partial

from bot.delivery.reads import Reads
from bot.delivery.trigger_events import PullRequestEvent
from bot.runs.refs import RefError, resolve
from bot.runs.triggered import Target, Trigger, submit
from bot.shared.followups import Followups
from bot.shared.services import Services
from bot.triggers.issue_comment import may_start_runs

log = logging.getLogger(__name__)

ACTIONS = frozenset({"labeled", "synchronize"})
FORK_REFUSED = (
    "perfbot does not benchmark pull requests from forks in this repository "
    "(`fork_prs: refuse` in perfbot's configuration), so the label `{label}` starts nothing."
)
LABEL_NOT_ALLOWED = (
    "Sorry @{login}, the label `{label}` starts performance runs only when someone with write "
    "access to this repository (or listed in perfbot's configuration) adds it."
)
BAD_BASE = "The label `{label}` could not start **{job}**: {reason}."


def handle(event: PullRequestEvent, services: Services, followups: Followups) -> str:
    if event.action not in ACTIONS:
        return "ignored-action"
    repo_config = services.config.repo(event.repo)
    label = repo_config.run_label if repo_config is not None else None
    if repo_config is None or label is None:
        return "no-label-trigger"
    if event.action == "labeled" and event.label != label:
        return "other-label"
    if label not in event.labels:
        return "not-labelled"
    github = services.github.repo(event.repo, event.installation_id)

    def reply(text: str) -> None:
        followups.add("reply on the pull request", partial(github.comment, event.number, text))

    if event.from_fork and repo_config.fork_prs == "refuse":
        if event.action == "labeled":
            reply(FORK_REFUSED.format(label=label))
        return _logged(event, "fork-refused")
    if event.from_fork and event.action == "synchronize":
        return _logged(event, "fork-push-needs-label")

    job = repo_config.jobs[repo_config.default_job]
    reads = Reads(services.read_pool)
    reads.start(resolve, github, event.base_ref)  # while the permission is asked
    try:
        labeller = event.sender if event.action == "labeled" else None
        if labeller is None:
            labeller = github.label_added_by(event.number, label)
        if labeller is None or not may_start_runs(github, labeller, repo_config.allowed_users):
            if event.action == "labeled":
                reply(LABEL_NOT_ALLOWED.format(login=event.sender, label=label))
            return _logged(event, "not-allowed")
        try:
            base_ref, base_sha = reads.get(resolve, github, event.base_ref)
        except RefError as exc:
            reply(BAD_BASE.format(label=label, job=job.name, reason=exc))
            return _logged(event, "bad-ref")
    finally:
        reads.cancel_pending()
    trigger = Trigger(
        kind="label",
        repo=event.repo,
        pr=event.number,
        head_sha=event.head_sha,
        base_ref=base_ref,
        base_sha=base_sha,
        delivery_id=event.delivery_id,
        label=label,
        pushed=event.updated,
        head_ref=event.head_ref,
    )
    target = Target(
        github, services.argo, job, services.settings, services.metrics, followups, services.config
    )
    return _logged(event, submit(target, trigger))


def _logged(event: PullRequestEvent, outcome: str) -> str:
    log.info(
        "delivery %s: pull_request %s on %s#%s by %s -> %s",
        event.delivery_id,
        event.action,
        event.repo,
        event.number,
        event.sender,
        outcome,
    )
    return outcome
