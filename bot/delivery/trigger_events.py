"""The parts of `pull_request` and `push` deliveries the triggers act on, checked for shape.

As for comments (`bot.delivery.events`), every field is checked once here, so a signed but malformed
payload is a 400 naming the field rather than a KeyError inside a trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.delivery.events import PayloadError, epoch, required

NO_COMMIT = "0" * 40  # GitHub's `before` of a new branch, `after` of a deletion
_SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class PullRequestEvent:
    delivery_id: str
    action: str  # labeled, unlabeled, synchronize, opened, ...
    repo: str
    number: int
    head_sha: str
    head_repo: str | None  # None when the fork was deleted
    head_ref: str  # the head's branch name
    base_ref: str
    labels: frozenset[str]  # the PR's labels after this event
    label: str | None  # the label added or removed (labeled, unlabeled)
    sender: str
    sender_type: str
    installation_id: int | None
    updated: int  # `pull_request.updated_at` in epoch seconds: orders pushes and labels

    @property
    def from_fork(self) -> bool:
        return self.head_repo is None or self.head_repo.lower() != self.repo.lower()


@dataclass(frozen=True)
class PushEvent:
    delivery_id: str
    repo: str
    ref: str  # refs/heads/<branch> or refs/tags/<tag>
    before: str
    after: str
    deleted: bool
    default_branch: str | None
    sender: str
    installation_id: int | None


def pull_request_event(payload: dict[str, Any], delivery_id: str) -> PullRequestEvent:
    repository = required(payload, "repository", dict)
    pull = required(payload, "pull_request", dict)
    head = required(pull, "head", dict, "pull_request.head")
    base = required(pull, "base", dict, "pull_request.base")
    sender = required(payload, "sender", dict)
    head_repo = head.get("repo")
    label = payload.get("label")
    labels = pull.get("labels") or []
    if not isinstance(labels, list):
        raise PayloadError("pull_request.labels: expected a list")
    return PullRequestEvent(
        delivery_id=delivery_id,
        action=required(payload, "action", str),
        repo=required(repository, "full_name", str, "repository.full_name"),
        number=required(pull, "number", int, "pull_request.number"),
        head_sha=required(head, "sha", str, "pull_request.head.sha"),
        head_repo=required(head_repo, "full_name", str, "pull_request.head.repo.full_name")
        if isinstance(head_repo, dict)
        else None,
        head_ref=str(head.get("ref") or ""),
        base_ref=required(base, "ref", str, "pull_request.base.ref"),
        labels=frozenset(
            item["name"] for item in labels if isinstance(item, dict) and "name" in item
        ),
        label=required(label, "name", str, "label.name") if isinstance(label, dict) else None,
        sender=required(sender, "login", str, "sender.login"),
        sender_type=str(sender.get("type") or ""),
        installation_id=_installation(payload),
        updated=epoch(pull.get("updated_at"), "pull_request.updated_at"),
    )


def push_event(payload: dict[str, Any], delivery_id: str) -> PushEvent:
    repository = required(payload, "repository", dict)
    sender = required(payload, "sender", dict)
    default_branch = repository.get("default_branch")
    return PushEvent(
        delivery_id=delivery_id,
        repo=required(repository, "full_name", str, "repository.full_name"),
        ref=required(payload, "ref", str),
        before=_sha(payload, "before"),
        after=_sha(payload, "after"),
        deleted=payload.get("deleted") is True,
        default_branch=default_branch if isinstance(default_branch, str) else None,
        sender=required(sender, "login", str, "sender.login"),
        installation_id=_installation(payload),
    )


def _sha(payload: dict[str, Any], key: str) -> str:
    value = required(payload, key, str)
    if not _SHA.fullmatch(value):  # not match: `$` lets a trailing newline through
        raise PayloadError(f"{key}: expected a 40-digit commit SHA")
    return value


def _installation(payload: dict[str, Any]) -> int | None:
    installation = payload.get("installation")
    if isinstance(installation, dict):
        return required(installation, "id", int, "installation.id")
    return None
