"""`POST /callback`: a workflow's signed result, turned into a PR comment and a check run.

The signature (`workflows.callback`) proves the sender holds the callback secret, which only
the reporting steps mount. Even so the repository must be one the configuration serves, so a
leaked secret cannot make the bot write to any repository its App is installed on, and the job
one of its jobs (the job names the sticky comment's marker), and the workflow one the bot
submitted for exactly that repository, PR, job and head (`bot.results.run_binding`), whose report
replaces only an older run's (`bot.results.sticky`), once however often it is delivered.

The answer waits for the comment and the check run only; the history write and the Horreum
upload, whose cost grows with the suite, follow it (`bot.callback.followups`), so a
10,000-benchmark result is answered well inside `perfbot notify`'s 10 s
(`bench/callback_answer.py`).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, jsonify, request

from bot.callback import followups as callback_followups
from bot.dashboard import current_store, recording
from bot.github.api import GitHubError
from bot.horreum import upload as horreum_upload
from bot.results import report, run_binding
from bot.runs.check_progress import with_line
from bot.shared import deadline
from bot.shared.body import read_body
from bot.shared.services import services
from workflows.callback import SIGNATURE_HEADER, CallbackError, CallbackPayload, verify

log = logging.getLogger(__name__)
blueprint = Blueprint("callback", __name__)


@blueprint.post("/callback")
def callback() -> tuple[Response, int]:
    svc = services()
    kind = "unknown"

    def answer(status: int, outcome: str, **extra: Any) -> tuple[Response, int]:
        svc.metrics.callbacks.labels(kind=kind, outcome=outcome).inc()
        return jsonify({"ok": status < 400, "outcome": outcome, **extra}), status

    body = read_body()  # 413 when over the cap, however it was framed
    signed = request.headers.get(SIGNATURE_HEADER)
    if not verify(body, signed, svc.settings.callback_secret):
        return answer(401, "bad-signature", error=f"missing or wrong {SIGNATURE_HEADER}")
    try:
        payload = CallbackPayload.from_json(body)
    except CallbackError as exc:
        return answer(400, "bad-payload", error=str(exc)[:300])
    kind = payload.kind
    run = payload.run
    repo_config = svc.config.repo(run.repo)
    if repo_config is None:
        return answer(403, "repo-not-served", error=f"{run.repo[:100]} is not in the configuration")
    if repo_config.job(run.job) is None:
        return answer(403, "job-not-served", error=f"{run.repo} has no job {run.job[:60]!r}")

    try:
        bound = run_binding.bind(svc.argo, payload)  # the run the bot submitted, or a 4xx
    except run_binding.Refused as refused:
        log.warning("callback refused (%s): %s", refused.outcome, refused)
        return answer(refused.status, refused.outcome, error=str(refused)[:300])

    store = current_store()  # the results history (docs/history.md), written after the answer
    link = svc.argo.ui_link(payload.workflow_name)
    outcome = report.outcome_for(payload, link)
    history = recording.history_line(
        svc.settings.public_url, svc.settings.dashboard, payload.workflow_name, store is not None
    )
    if history and outcome.comment is not None:
        outcome = replace(outcome, comment=f"{outcome.comment}\n\n{history}")
    check_name = svc.settings.check_run_name(run.job) if svc.settings.check_runs else None
    budget = svc.settings.delivery_budget
    try:
        with deadline.within(budget):  # the sender waits for the answer
            if check_name and outcome.conclusion:  # the check run says where Argo has the run
                summary = with_line(outcome.summary, svc.argo, payload.workflow_name, budget)
                outcome = replace(outcome, summary=summary)
            github = svc.github.repo(run.repo)
            done = report.apply(
                outcome,
                payload,
                github,
                check_name=check_name,
                author=svc.github.own_login(),
                link=link,
                comment_mode=repo_config.comment,
                run=bound,
            )
    except GitHubError as exc:
        log.error("callback for %s (%s) failed: %s", payload.workflow_name, kind, exc)
        return answer(502, "upstream-error", error=str(exc)[:300])
    log.info(
        "callback %s for %s#%s (%s): %s", kind, run.repo, run.pr, payload.workflow_name, done.done
    )
    if done.repeated:  # a redelivery: everything was done the first time
        return answer(200, "duplicate", done=done.done)
    mode = repo_config.comment
    horreum = horreum_upload.step_for(
        svc, payload, outcome, link, comment_mode=mode, check_name=check_name
    )
    callback_followups.after_answer(svc, payload, store, horreum)  # queued, or done here
    return answer(200, "reported", done=done.done)
