"""GitHub's published webhook payloads (`tests/contracts/github/`), as the bot receives them.

None of the published `issue_comment` examples is on a pull request. GitHub marks a comment on
a pull request by a `pull_request` object inside `issue`, so `pr_comment` takes a copy of
`issue_comment.created.with-installation.json`, adds that object (the fields of GitHub's
`issue.pull_request` schema) and replaces `comment.body`. Everything else is GitHub's own text.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from workflows.callback import sign

REPO = "Codertocat/Hello-World"  # the repository of the published examples
AUTHOR = "Codertocat"  # the author of the published comment
COMMENT_ID = 492700400  # its id
PR_NUMBER = 1  # its issue number
INSTALLATION_ID = 1  # the installation of the `with-installation` example
CREATED = "issue_comment.created.with-installation.json"
EDITED = "issue_comment.edited.json"


@cache
def _published(directory: str, name: str) -> dict[str, Any]:
    return json.loads((Path(directory) / name).read_text(encoding="utf-8"))


def published(contracts_dir: Path, name: str) -> dict[str, Any]:
    return copy.deepcopy(_published(str(contracts_dir / "github"), name))


def pr_comment(
    contracts_dir: Path,
    body: str,
    *,
    action: str = "created",
    login: str | None = None,
    user_type: str | None = None,
    on_pull_request: bool = True,
) -> dict[str, Any]:
    payload = published(contracts_dir, EDITED if action == "edited" else CREATED)
    payload["action"] = action
    issue = payload["issue"]
    if on_pull_request:
        html = issue["html_url"].replace("/issues/", "/pull/")
        issue["pull_request"] = {
            "url": issue["url"].replace("/issues/", "/pulls/"),
            "html_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "merged_at": None,
        }
    payload["comment"]["body"] = body
    # Written just now: the bot runs only fresh commands (a published example is from 2019).
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload["comment"]["created_at"] = payload["comment"]["updated_at"] = now
    for user in (payload["comment"]["user"], payload["sender"]):
        if login is not None:
            user["login"] = login
        if user_type is not None:
            user["type"] = user_type
    return payload


def delivery_headers(
    body: bytes, secret: str, event: str, delivery: str | None = None
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(body, secret),
    }


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


LABELED = "pull_request.labeled.json"
SYNCHRONIZE = "pull_request.synchronize.json"
PUSH = "push.new-branch.json"  # a push to the default branch (`master`) creating it
TAG_DELETED = "push.tag-deleted.json"
LABELLED_PR = 2  # the pull request of the published `pull_request` examples
LABELLED_HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"  # its head
DEFAULT_BRANCH = "master"  # the published repository's


def labeled(
    contracts_dir: Path, label: str, *, sender: str = AUTHOR, fork: str | None = None
) -> dict[str, Any]:
    """GitHub's `labeled` example with `label` added by `sender` (from `fork`, if given)."""
    payload = published(contracts_dir, LABELED)
    payload["label"]["name"] = label
    payload["pull_request"]["labels"].append({**payload["label"], "name": label})
    payload["sender"]["login"] = sender
    if fork is not None:
        payload["pull_request"]["head"]["repo"]["full_name"] = fork
    return payload


def synchronize(
    contracts_dir: Path,
    labels: list[str],
    *,
    head: str = LABELLED_HEAD,
    updated_at: str | None = None,
    fork: str | None = None,
) -> dict[str, Any]:
    """GitHub's `synchronize` example: a push of `head` to a PR carrying `labels`."""
    payload = published(contracts_dir, SYNCHRONIZE)
    template = payload["pull_request"]["labels"][0]
    payload["pull_request"]["labels"] = [{**template, "name": name} for name in labels]
    payload["pull_request"]["head"]["sha"] = payload["after"] = head
    if updated_at is not None:
        payload["pull_request"]["updated_at"] = updated_at
    if fork is not None:
        payload["pull_request"]["head"]["repo"]["full_name"] = fork
    return payload


def default_branch_push(contracts_dir: Path, *, before: str, after: str) -> dict[str, Any]:
    """GitHub's push example made a later push to the default branch: `before` -> `after`."""
    payload = published(contracts_dir, PUSH)
    payload.update(before=before, after=after, created=False)
    return payload
