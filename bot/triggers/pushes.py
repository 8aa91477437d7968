"""`push` deliveries: with `run_on_push`, every push to the default branch gets a result.

The repository's default job compares the pushed commit (`after`) with the one before it
(`before`), so each merge is measured against its parent state. Tag pushes, deletions, other
branches and a default branch's first push (no `before`) start nothing. Nobody's permission
is asked: only people with write access can push to the default branch, and a fork cannot.
The run has no pull request, so its outcome is the check run on the pushed commit.
"""

from __future__ import annotations

import logging

from bot.delivery.trigger_events import NO_COMMIT, PushEvent
from bot.runs.triggered import Target, Trigger, submit
from bot.shared.followups import Followups
from bot.shared.services import Services

log = logging.getLogger(__name__)

BRANCHES = "refs/heads/"


def handle(event: PushEvent, services: Services, followups: Followups) -> str:
    outcome = _decide(event, services, followups)
    log.info(
        "delivery %s: push to %s on %s by %s -> %s",
        event.delivery_id,
        event.ref,
        event.repo,
        event.sender,
        outcome,
    )
    return outcome


def _decide(event: PushEvent, services: Services, followups: Followups) -> str:
    repo_config = services.config.repo(event.repo)
    if repo_config is None or not repo_config.run_on_push:
        return "push-runs-off"
    if not event.ref.startswith(BRANCHES):
        return "not-a-branch"
    if event.deleted or event.after == NO_COMMIT:
        return "deleted"
    if event.default_branch is None or event.ref != BRANCHES + event.default_branch:
        return "not-the-default-branch"
    if event.before == NO_COMMIT:
        return "no-previous-commit"
    job = repo_config.jobs[repo_config.default_job]
    github = services.github.repo(event.repo, event.installation_id)
    trigger = Trigger(
        kind="push",
        repo=event.repo,
        pr=0,
        head_sha=event.after,
        base_ref=event.before,
        base_sha=event.before,
        delivery_id=event.delivery_id,
        head_ref=event.default_branch,
    )
    target = Target(
        github, services.argo, job, services.settings, services.metrics, followups, services.config
    )
    return submit(target, trigger)
