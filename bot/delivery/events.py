"""The parts of an `issue_comment` delivery the bot acts on, checked for shape.

A signed body can still be the wrong shape (a test delivery, a future payload version); every
field is checked here once, so handlers read plain attributes and a bad payload is a 400 with
the field's name instead of a KeyError deep inside a handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")


class PayloadError(ValueError):
    """The payload lacks a field or has one of the wrong type; the message names it."""


@dataclass(frozen=True)
class CommentEvent:
    delivery_id: str
    action: str
    repo: str  # owner/name
    number: int  # issue or pull request number
    is_pull_request: bool
    comment_id: int
    body: str
    author: str
    author_type: str  # "User", "Bot", "Organization"
    sender: str
    sender_type: str
    installation_id: int | None
    default_branch: str | None = None  # the repository's; most pull requests target it
    created: int = 0  # `comment.created_at`, epoch seconds: GitHub's clock, in the signed body

    @property
    def from_bot(self) -> bool:
        return "Bot" in (self.author_type, self.sender_type)


def comment_event(payload: dict[str, Any], delivery_id: str) -> CommentEvent:
    repository = required(payload, "repository", dict)
    issue = required(payload, "issue", dict)
    comment = required(payload, "comment", dict)
    author = required(comment, "user", dict, "comment.user")
    sender = required(payload, "sender", dict)
    body = comment.get("body")
    if body is not None and not isinstance(body, str):
        raise PayloadError("comment.body: expected a string")
    default_branch = repository.get("default_branch")
    installation = payload.get("installation")
    installation_id = None
    if isinstance(installation, dict):
        installation_id = required(installation, "id", int, "installation.id")
    return CommentEvent(
        delivery_id=delivery_id,
        action=required(payload, "action", str),
        repo=required(repository, "full_name", str, "repository.full_name"),
        number=required(issue, "number", int, "issue.number"),
        is_pull_request=isinstance(issue.get("pull_request"), dict),
        comment_id=required(comment, "id", int, "comment.id"),
        body=body or "",
        author=required(author, "login", str, "comment.user.login"),
        author_type=str(author.get("type") or ""),
        sender=required(sender, "login", str, "sender.login"),
        sender_type=str(sender.get("type") or ""),
        installation_id=installation_id,
        default_branch=default_branch if isinstance(default_branch, str) else None,
        created=epoch(comment.get("created_at"), "comment.created_at"),
    )


def epoch(value: Any, where: str) -> int:
    """An ISO 8601 timestamp of the payload as epoch seconds (a naive one is UTC)."""
    if not isinstance(value, str):
        raise PayloadError(f"{where}: expected a timestamp")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"{where}: expected an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def required(data: dict[str, Any], key: str, kind: type[T], where: str | None = None) -> T:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PayloadError(f"{where or key}: expected {_NAMES.get(kind, kind.__name__)}")
    return value


_NAMES = {dict: "an object", str: "a string", int: "an integer"}
