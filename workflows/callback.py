"""The contract between a workflow's `report`/`notify` steps and the bot's `POST /callback`.

Only the bot holds GitHub credentials, so a workflow never talks to GitHub: it sends its
result here instead. The body is JSON, signed like GitHub signs webhooks, with a secret that
is mounted into the reporting steps alone (never into a pod that runs code from the PR):

    X-Perfbot-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>

Both ends import this module, so the shape cannot drift between sender and receiver.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import requests

SIGNATURE_HEADER = "X-Perfbot-Signature-256"
PAYLOAD_VERSION = 1

# `kind` says which step sent it: `result` from `report` (the comparison ran), `exit` from the
# onExit handler (always sent, tells how the workflow ended, with `workflow.failures`).
KINDS = ("result", "exit")


# Shapes a field must have; anything else is a 400 naming the field, never a 500 further on.
MAX_PR = 2**31 - 1  # GitHub's issue numbers are 32-bit; a larger one is no pull request
SHA = re.compile(r"[0-9a-f]{7,64}")  # SHA-1 or SHA-256 object names, as git prints them
WORKFLOW_NAME = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")  # a Kubernetes object name
NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")  # a Kubernetes DNS label


class CallbackError(ValueError):
    """A callback body that is not a valid payload; the message says which field and why."""


@dataclass(frozen=True)
class RunRef:
    """What the bot needs to find the PR, the check run and the sticky comment again."""

    repo: str
    pr: int
    job: str
    head_sha: str
    base_sha: str
    base_ref: str


@dataclass(frozen=True)
class CallbackPayload:
    kind: str
    run: RunRef
    workflow_name: str
    namespace: str
    status: str = ""  # Argo's workflow.status for `exit`: Succeeded, Failed, Error
    verdict: str | None = None  # summary verdict of the comparison, when it ran
    report_markdown: str | None = None
    report: dict[str, Any] | None = None  # the JSON report of `perfbot compare`
    failures: list[dict[str, Any]] = field(default_factory=list)  # Argo's workflow.failures
    version: int = PAYLOAD_VERSION
    # For Horreum (docs/horreum.md): both sides' raw samples (`workflows.horreum.samples`) and
    # the workflow's parameters; optional, a sender without them still reports.
    samples: dict[str, Any] | None = None
    parameters: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, body: bytes) -> CallbackPayload:
        try:
            data = json.loads(body, parse_constant=_no_constant, parse_int=_bounded_int)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CallbackError(f"body is not JSON: {exc}") from exc
        except (ValueError, RecursionError) as exc:  # a float literal of 5,000 digits, nesting
            raise CallbackError(f"body is not usable JSON: {str(exc)[:100]}") from None
        if not isinstance(data, dict):
            raise CallbackError("body must be a JSON object")
        if data.get("version") != PAYLOAD_VERSION:
            raise CallbackError(f"unsupported payload version {data.get('version')!r}")
        if data.get("kind") not in KINDS:
            raise CallbackError(f"kind must be one of {', '.join(KINDS)}")
        run = data.get("run")
        if not isinstance(run, dict):
            raise CallbackError("run must be an object")
        run_ref = RunRef(
            repo=_str(run, "repo", "run.repo"),
            pr=_pr(run.get("pr")),
            job=_str(run, "job", "run.job"),
            head_sha=_matching(run, "head_sha", SHA, "run.head_sha"),
            base_sha=_matching(run, "base_sha", SHA, "run.base_sha"),
            base_ref=_str(run, "base_ref", "run.base_ref"),
        )
        for key in ("status", "verdict", "report_markdown"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise CallbackError(f"{key} must be a string")
        failures = data.get("failures") or []
        report = data.get("report")
        if not isinstance(failures, list) or (report is not None and not isinstance(report, dict)):
            raise CallbackError("failures must be a list and report an object")
        samples, parameters = data.get("samples"), data.get("parameters") or {}
        if samples is not None and not isinstance(samples, dict):
            raise CallbackError("samples must be an object")
        if not isinstance(parameters, dict):
            raise CallbackError("parameters must be an object")
        return cls(
            kind=data["kind"],
            run=run_ref,
            workflow_name=_matching(data, "workflow_name", WORKFLOW_NAME, "workflow_name"),
            namespace=_matching(data, "namespace", NAMESPACE, "namespace"),
            status=str(data.get("status") or ""),
            verdict=data.get("verdict"),
            report_markdown=data.get("report_markdown"),
            report=report,
            failures=failures,
            samples=samples,
            parameters={str(k): str(v) for k, v in parameters.items()},
        )


# Numbers a report can hold: Python's JSON writes and reads NaN and Infinity, and an integer of
# any length, which no float holds (`float()` of it overflows wherever it is read). Both are
# read as missing (null): every reader of a report already shows a missing number as such.
MAX_INT_DIGITS = 300  # 1e300 is still a float


def _no_constant(name: str) -> None:
    """NaN, Infinity, -Infinity: not a number any report row can show."""
    return None


def _bounded_int(digits: str) -> int | None:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else None


def _str(data: dict[str, Any], key: str, label: str | None = None) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise CallbackError(f"{label or key} must be a non-empty string")
    return value


def _matching(data: dict[str, Any], key: str, pattern: re.Pattern[str], label: str) -> str:
    """A string of `pattern`'s shape: these end up in labels, links, code spans and logs."""
    value = _str(data, key, label)
    if not pattern.fullmatch(value):
        raise CallbackError(f"{label} is not a valid {label.rpartition('.')[2]}")
    return value


def _pr(value: Any) -> int:
    """A pull request number: an integer (not `true`, not `1.9`), 0 (none) up to MAX_PR."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PR:
        raise CallbackError(f"run.pr must be an integer from 0 to {MAX_PR}")
    return value


def sign(body: bytes, secret: str | bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify(body: bytes, signature: str | None, secret: str | bytes) -> bool:
    """Constant-time check of a `sha256=<hex>` signature; False for a missing one."""
    if not signature or not secret:
        return False
    try:
        given = signature.encode("ascii")
    except UnicodeEncodeError:  # compare_digest refuses non-ASCII str: a forged header, not a 500
        return False
    return hmac.compare_digest(sign(body, secret).encode("ascii"), given)


def send(
    url: str,
    payload: CallbackPayload,
    secret: str | bytes,
    *,
    timeout: float = 10.0,
    session: requests.Session | None = None,
) -> requests.Response:
    """POST a signed payload; raises `requests.HTTPError` on a non-2xx answer."""
    body = payload.to_json()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
    response = (session or requests).post(url, data=body, headers=headers, timeout=timeout)
    response.raise_for_status()
    return response
