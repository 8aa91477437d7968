"""`POST /webhook`: GitHub's deliveries, verified before anything else is read.

The signature is checked over the raw bytes (parsing first would hand unauthenticated input
to the JSON parser). Then, in order: a body that is not a JSON object is a 400 with the
reason; `ping` is answered; events the bot does not handle are acknowledged with 200 so
GitHub does not list them as failed; a command's outcome is the answer.

A delivery is handled within `PERFBOT_DELIVERY_BUDGET` (`bot.shared.deadline`), retries included,
and answered as soon as what it decided is durable; its acknowledgements are queued as follow-ups
(`bot.shared.followups`) when the answer is sent. A failing Argo Server is told on the PR by the
command itself; when GitHub fails, or the budget runs out, before anything was started, the
answer is 502, which GitHub shows as a failed delivery that a maintainer can redeliver safely
(the run's name comes from the delivery id).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from bot.delivery.events import PayloadError, comment_event
from bot.delivery.trigger_events import pull_request_event, push_event
from bot.github.api import GitHubError
from bot.shared import deadline
from bot.shared.body import read_body
from bot.shared.followups import Followups
from bot.shared.services import Services, services
from bot.triggers import issue_comment, labels, pushes
from workflows.argo import ArgoError
from workflows.callback import verify

log = logging.getLogger(__name__)
blueprint = Blueprint("webhook", __name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
EVENT_HEADER = "X-GitHub-Event"
DELIVERY_HEADER = "X-GitHub-Delivery"
MAX_DELIVERY_ID = 100


def _issue_comment(
    payload: dict[str, Any], delivery: str, svc: Services, followups: Followups
) -> str:
    return issue_comment.handle(comment_event(payload, delivery), svc, followups)


def _pull_request(
    payload: dict[str, Any], delivery: str, svc: Services, followups: Followups
) -> str:
    return labels.handle(pull_request_event(payload, delivery), svc, followups)


def _push(payload: dict[str, Any], delivery: str, svc: Services, followups: Followups) -> str:
    return pushes.handle(push_event(payload, delivery), svc, followups)


# event -> handler; anything else is acknowledged and ignored
EVENTS: dict[str, Callable[[dict[str, Any], str, Services, Followups], str]] = {
    "issue_comment": _issue_comment,
    "pull_request": _pull_request,
    "push": _push,
}
KNOWN_EVENTS = {"ping", *EVENTS}


@blueprint.post("/webhook")
def webhook() -> tuple[Response, int]:
    svc = services()
    event = request.headers.get(EVENT_HEADER, "")
    metric_event = event if event in KNOWN_EVENTS else "other"  # bounded label values

    def answer(status: int, outcome: str, **extra: Any) -> tuple[Response, int]:
        svc.metrics.deliveries.labels(event=metric_event, outcome=outcome).inc()
        return jsonify({"ok": status < 400, "outcome": outcome, **extra}), status

    body = read_body()  # 413 when over the cap, however it was framed
    signed = request.headers.get(SIGNATURE_HEADER)
    if not verify(body, signed, svc.settings.webhook_secret):
        return answer(401, "bad-signature", error=f"missing or wrong {SIGNATURE_HEADER}")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:
        return answer(400, "bad-json", error=f"body is not JSON: {_reason(exc)}")
    if not isinstance(payload, dict):
        return answer(400, "bad-shape", error="body must be a JSON object")
    if event == "ping":
        return answer(200, "pong", zen=str(payload.get("zen", "")))
    handler = EVENTS.get(event)
    if handler is None:
        return answer(200, "ignored", ignored=f"event {event[:60]!r} is not handled")
    delivery = request.headers.get(DELIVERY_HEADER, "").strip()
    if not delivery or len(delivery) > MAX_DELIVERY_ID:
        return answer(400, "bad-delivery", error=f"{DELIVERY_HEADER} is missing or too long")
    followups = Followups(delivery)
    try:
        with deadline.within(svc.settings.delivery_budget):
            outcome = handler(payload, delivery, svc, followups)
    except PayloadError as exc:
        return answer(400, "bad-shape", error=f"unexpected payload: {exc}")
    except (GitHubError, ArgoError, deadline.OutOfTime) as exc:
        log.error("delivery %s (%s) failed: %s", delivery, event, exc)
        return answer(502, "upstream-error", error=str(exc)[:300])
    finally:
        svc.followups.submit(followups)
    return answer(200, outcome)


def _reason(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).splitlines()[0][:200]
