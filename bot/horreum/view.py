"""`POST /horreum?token=...`: Horreum's `http` actions (run/new, dataset_labels/computed,
change/new) calling back.

Horreum signs nothing: the secret token in the action's URL, compared in constant time, is the
only proof the call comes from Horreum, and the payload is only a hint (`bot.horreum.change`
reads the run back from Horreum). A `change/new` about a run perfbot uploaded becomes a line
in that pull request's sticky comment, or, for a run without a pull request (a push to the
default branch), a check run `<prefix>/<job>/horreum` on its head commit. Every other event or
run is acknowledged (200) and ignored: the report was already written at the callback.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request

from bot.github.api import GitHubError
from bot.github.markdown import inert, text
from bot.horreum import change as horreum_change
from bot.horreum import section as horreum_section
from bot.horreum.upload import horreum
from bot.results import sticky
from bot.shared import deadline
from bot.shared.body import read_body
from bot.shared.services import Services, services

log = logging.getLogger(__name__)
blueprint = Blueprint("horreum", __name__)

NOT_ENABLED = "Horreum actions are not enabled on this bot (PERFBOT_HORREUM_ACTION_TOKEN)"
BAD_TOKEN = "missing or wrong token"  # noqa: S105 - a message, not a secret
FINDING = "Horreum detected a change in **{variable}** for head `{head}`: {description} · {link}"
NEW_COMMENT = "### perfbot · {job}: Horreum"
CHECK_TITLE = "Horreum detected a change"
MAX_DESCRIPTION = 300


@blueprint.post("/horreum")
def action() -> tuple[Response, int]:
    svc = services()
    service = horreum()
    expected = service.settings.action_token
    if expected is None:
        return _answer(404, "not-enabled", error=NOT_ENABLED)
    given = request.args.get("token", "")
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return _answer(401, "bad-token", error=BAD_TOKEN)
    try:
        payload = json.loads(read_body())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _answer(400, "bad-payload", error=f"body is not JSON: {exc}"[:200])
    try:
        found = horreum_change.hint(payload)
        run = _confirmed(svc, found)
    except horreum_change.Ignored as exc:
        log.info("Horreum action ignored: %s", exc)
        return _answer(200, "ignored", reason=str(exc)[:300])
    try:
        with deadline.within(svc.settings.delivery_budget):
            done = _report(svc, run, found)
    except GitHubError as exc:
        log.error("Horreum change %s for run %s: %s", found.change_id, run.run_id, exc)
        return _answer(502, "upstream-error", error=str(exc)[:300])
    log.info("Horreum change %s on %s#%s: %s", found.change_id, run.repository, run.pr, done)
    return _answer(200, "reported", done=done)


def _confirmed(svc: Services, found: horreum_change.Hint) -> horreum_change.OurRun:
    targets = horreum_change.candidates(svc.config, found.test_name)
    if not targets:
        raise horreum_change.Ignored(f"no configured job stores runs in test {found.test_name!r}")
    target = targets[0]
    client = horreum().client(target)
    if client is None:
        raise horreum_change.Ignored(f"no API key for {target.url} to read the run back")
    return horreum_change.read_back(svc.config, target, client, found)


def _report(svc: Services, run: horreum_change.OurRun, found: horreum_change.Hint) -> str:
    document = run.document
    head = str((document.get("head") or {}).get("sha") or "")
    description = text(found.description or "no description", MAX_DESCRIPTION)
    link = f"[run {run.run_id} in Horreum]({run.config.run_url(run.run_id)})"
    line = FINDING.format(
        variable=text(found.variable, 80), head=inert(head[:12], 12), description=description,
        link=link,
    )  # fmt: skip
    github = svc.github.repo(run.repository)
    repo_config = svc.config.repo(run.repository)
    if run.pr and repo_config is not None and repo_config.comment == "quiet":
        return "nothing (the repository's comment setting is quiet)"
    if run.pr:
        author = svc.github.own_login()
        comment_id = github.find_comment(run.pr, sticky.marker(run.job), author)
        if comment_id is None:
            body = horreum_section.with_finding(
                NEW_COMMENT.format(job=run.job), found.change_id, line
            )
            sticky.upsert(github, run.pr, run.job, body, author=author)
            return "comment created"
        body = github.comment_body(run.pr, comment_id)
        github.edit_comment(
            run.pr, comment_id, horreum_section.with_finding(body, found.change_id, line)
        )
        return "comment edited"
    if not svc.settings.check_runs or not head:
        return "nothing (no pull request, and no check runs with this GitHub login)"
    name = svc.settings.check_run_name(run.job) + "/horreum"
    external_id = f"horreum-change-{found.change_id}"
    existing = github.find_check_run(head_sha=head, name=name, external_id=external_id)
    check_id = existing.id if existing is not None else github.create_check_run(
        name=name, head_sha=head, details_url=run.config.run_url(run.run_id),
        external_id=external_id, summary=line,
    )  # fmt: skip
    github.complete_check_run(
        check_id, conclusion="neutral", title=CHECK_TITLE, summary=line,
        details_url=run.config.run_url(run.run_id),
    )  # fmt: skip
    return "check run neutral"


def _answer(status: int, outcome: str, **extra: Any) -> tuple[Response, int]:
    return jsonify({"ok": status < 400, "outcome": outcome, **extra}), status
