"""A small Argo Server REST client: submit from a WorkflowTemplate, list, stop.

`perfbot submit` and the bot share it, so a run started by hand and one started by a PR comment
take the same path. It speaks the shapes of Argo's published swagger.json over `requests`
(rather than Hera's `WorkflowsService`) to keep the bot's import light and to turn every
failure into one `ArgoError` whose message a user can act on. Settings follow the argo CLI:
`ARGO_SERVER` (`host:port` or a URL), `ARGO_SECURE`, `ARGO_BASE_HREF`,
`ARGO_INSECURE_SKIP_VERIFY`, `ARGO_TOKEN` (with or without the leading `Bearer `),
`ARGO_NAMESPACE`, plus `ARGO_UI_URL` when the UI lives elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from workflows.labels import COMPLETED, selector

SUBMIT_PATH = "/api/v1/workflows/{namespace}/submit"
LIST_PATH = "/api/v1/workflows/{namespace}"
STOP_PATH = "/api/v1/workflows/{namespace}/{name}/stop"
GET_PATH = "/api/v1/workflows/{namespace}/{name}"

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_FALSE = ("false", "0", "no", "off")


class ArgoError(Exception):
    """Base of every client failure; the message is meant for the person who asked."""


class ArgoUnreachable(ArgoError):
    """Connection refused, DNS failure, TLS failure or timeout."""


class ArgoAuthError(ArgoError):
    """401 or 403: a missing, wrong or under-privileged token."""


class TemplateNotFound(ArgoError):
    """Submitting from a WorkflowTemplate that does not exist in the namespace."""


class WorkflowExists(ArgoError):
    """409: a workflow of that name exists, i.e. this delivery was already submitted."""


class WorkflowNotFound(ArgoError):
    """Stopping or reading a workflow that does not exist (any more)."""


@dataclass(frozen=True)
class Submission:
    name: str
    namespace: str
    ui_url: str | None


@dataclass(frozen=True)
class WorkflowSummary:
    name: str
    phase: str
    labels: dict[str, str]
    ui_url: str | None
    created: str = ""  # metadata.creationTimestamp (RFC 3339), the order of Argo's queues
    # Argo's `status` as the server sent it (progress, nodes, synchronization), for the bot's
    # progress line; read by `bot.runs.status`, not here
    status: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def normalize_server(server: str, *, secure: bool = True, base_href: str = "") -> str:
    """`host:port` (the argo CLI's form) or a URL, to a base URL without a trailing slash."""
    server = server.strip()
    if not server:
        raise ArgoError("no Argo Server configured: set ARGO_SERVER or pass --server")
    if not re.match(r"^https?://", server):
        server = ("https://" if secure else "http://") + server
    base = base_href.strip().strip("/")
    server = server.rstrip("/")
    return f"{server}/{base}" if base and not server.endswith("/" + base) else server


def bearer(token: str | None) -> str | None:
    if not token or not token.strip():
        return None
    token = token.strip()
    return token if token.lower().startswith("bearer ") else f"Bearer {token}"


class ArgoClient:
    def __init__(
        self,
        server: str,
        namespace: str,
        token: str | None = None,
        *,
        ui_url: str | None = None,
        timeout: float = 10.0,
        session: requests.Session | None = None,
        verify: bool | str = True,
    ) -> None:
        self.server = normalize_server(server)
        self.namespace = namespace
        self.ui_url = (ui_url or self.server).rstrip("/")
        self.timeout = timeout
        self.verify = verify
        self._session = session or requests.Session()
        self._authorization = bearer(token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: Any) -> ArgoClient:
        """Settings as the argo CLI reads them; keyword arguments that are not None win."""
        given = {key: value for key, value in overrides.items() if value is not None}
        secure = env.get("ARGO_SECURE", "true").strip().lower() not in _FALSE
        insecure = env.get("ARGO_INSECURE_SKIP_VERIFY", "false").strip().lower() not in _FALSE
        server = given.pop("server", None) or env.get("ARGO_SERVER", "")
        namespace = given.pop("namespace", None) or env.get("ARGO_NAMESPACE") or "argo"
        token = given.pop("token", None) or env.get("ARGO_TOKEN")
        given.setdefault("ui_url", env.get("ARGO_UI_URL") or None)
        given.setdefault("verify", not insecure)
        base = normalize_server(server, secure=secure, base_href=env.get("ARGO_BASE_HREF", ""))
        return cls(base, namespace, token, **given)

    # -- requests ---------------------------------------------------------------------------

    def submit_request(
        self,
        template: str,
        parameters: Mapping[str, str],
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The `WorkflowSubmitRequest` body; `--dry-run` prints exactly this."""
        options: dict[str, Any] = {"parameters": [f"{k}={v}" for k, v in parameters.items()]}
        if name:
            options["name"] = name
        else:
            options["generateName"] = f"{template}-"
        if labels:
            options["labels"] = ",".join(f"{k}={v}" for k, v in labels.items())
        return {
            "namespace": self.namespace,
            "resourceKind": "WorkflowTemplate",
            "resourceName": template,
            "submitOptions": options,
        }

    def submit(
        self,
        template: str,
        parameters: Mapping[str, str],
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Submission:
        body = self.submit_request(template, parameters, name=name, labels=labels)
        path = SUBMIT_PATH.format(namespace=quote(self.namespace, safe=""))
        data = self._call("POST", path, json=body, template=template, workflow=name)
        created = (data.get("metadata") or {}).get("name") or name or ""
        return Submission(created, self.namespace, self.ui_link(created))

    def list_workflows(
        self, labels: Mapping[str, str], *, running_only: bool = True
    ) -> list[WorkflowSummary]:
        query = selector(dict(labels))
        if running_only:
            query = ",".join(filter(None, [query, f"{COMPLETED}!=true"]))
        path = LIST_PATH.format(namespace=quote(self.namespace, safe=""))
        data = self._call("GET", path, params={"listOptions.labelSelector": query})
        # Argo sends `"items": null` for none
        return [self._summary(item) for item in data.get("items") or []]

    def get(self, name: str) -> WorkflowSummary:
        path = GET_PATH.format(namespace=quote(self.namespace, safe=""), name=quote(name, safe=""))
        item = self._call("GET", path, workflow=name)
        return self._summary(item, name)

    def _summary(self, item: dict[str, Any], name: str = "") -> WorkflowSummary:
        meta = item.get("metadata") or {}
        name = meta.get("name") or name
        status = item.get("status") or {}
        return WorkflowSummary(
            name,
            status.get("phase") or "Pending",
            dict(meta.get("labels") or {}),
            self.ui_link(name),
            created=str(meta.get("creationTimestamp") or ""),
            status=status if isinstance(status, dict) else {},
        )

    def stop(self, name: str, message: str | None = None) -> None:
        path = STOP_PATH.format(namespace=quote(self.namespace, safe=""), name=quote(name, safe=""))
        body: dict[str, Any] = {"name": name, "namespace": self.namespace}
        if message:
            body["message"] = message
        self._call("PUT", path, json=body, workflow=name)

    def ui_link(self, name: str) -> str | None:
        if not name or not self.ui_url:
            return None
        return f"{self.ui_url}/workflows/{quote(self.namespace, safe='')}/{quote(name, safe='')}"

    # -- transport --------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        template: str | None = None,
        workflow: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if self._authorization:
            headers["Authorization"] = self._authorization
        url = self.server + path
        try:
            response = self._session.request(
                method,
                url,
                json=json,
                params=params,
                headers=headers,
                timeout=self.timeout,
                verify=self.verify,
            )
        except requests.Timeout:
            raise ArgoUnreachable(
                f"the Argo Server at {self.server} did not answer within {self.timeout:g} s"
            ) from None
        except requests.RequestException as exc:
            raise ArgoUnreachable(
                f"cannot reach the Argo Server at {self.server}: {_reason(exc)}"
            ) from None
        if response.status_code < 300:
            try:
                data = response.json()
            except ValueError:
                raise ArgoError(
                    f"the Argo Server at {self.server} answered {method} {path} with non-JSON"
                ) from None
            return data if isinstance(data, dict) else {}
        raise _error_for(response, self, template=template, workflow=workflow)


def _error_for(
    response: requests.Response, client: ArgoClient, *, template: str | None, workflow: str | None
) -> ArgoError:
    message = _server_message(response)
    status = response.status_code
    if status == 401:
        return ArgoAuthError(
            f"the Argo Server at {client.server} refused the token (401): set ARGO_TOKEN "
            f"to a valid token ({message})"
        )
    if status == 403:
        return ArgoAuthError(
            f"the token is not allowed to do this in namespace {client.namespace} (403): {message}"
        )
    if status == 409:
        return WorkflowExists(f"workflow {workflow or ''} already exists: {message}".strip())
    if status == 404 and template and "workflowtemplate" in message.lower():
        return TemplateNotFound(
            f"no WorkflowTemplate {template!r} in namespace {client.namespace}: apply the "
            "templates (kubectl apply -k .) or check the job name"
        )
    if status == 404 and template:
        return TemplateNotFound(
            f"no WorkflowTemplate {template!r} in namespace {client.namespace} ({message})"
        )
    if status == 404:
        return WorkflowNotFound(f"no workflow {workflow!r} in namespace {client.namespace}")
    return ArgoError(f"the Argo Server answered {status}: {message}")


def _server_message(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return (response.text or response.reason or "").strip()[:300]
    if isinstance(data, dict):
        return str(data.get("message") or data.get("error") or data)[:300]
    return str(data)[:300]


def _reason(exc: requests.RequestException) -> str:
    text = str(exc)
    for marker in (
        "Connection refused",
        "Name or service not known",
        "certificate verify failed",
        "Temporary failure in name resolution",
        "No route to host",
    ):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


def workflow_name_for_comment(comment_id: int) -> str:
    """`perf-comment-<id>`: one run per comment, however often and under whatever delivery id
    it is delivered. The delivery id is not covered by the webhook's signature, so a captured
    delivery re-sent with fresh ids got a new name each time; the comment's id is in the signed
    body, and GitHub never reuses one. Argo answers "already exists" while the run is kept
    (its TTL: a day after success); older commands are not run at all (`bot.delivery.freshness`)."""
    return f"perf-comment-{int(comment_id)}"


def workflow_name_for_event(*identity: object) -> str:
    """`perf-event-<digest>` of what a signed event says (repository, PR, head, its time): a
    replayed `pull_request` or `push` delivery gets the same name, so no second run."""
    text = "\x1f".join(str(part) for part in identity)
    return f"perf-event-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"


def workflow_name_for_delivery(delivery_id: str) -> str:
    """`perf-<delivery GUID>`: a redelivery of the same webhook gets the same name (→ 409).

    GitHub's delivery ids are GUIDs (36 characters), which fit; anything else is hashed, so the
    result is always a DNS-1123 label of at most 63 characters.
    """
    candidate = f"perf-{delivery_id.strip().lower()}"
    if len(candidate) <= 63 and _DNS_LABEL.fullmatch(candidate):
        return candidate
    digest = hashlib.sha256(delivery_id.encode("utf-8")).hexdigest()[:32]
    return f"perf-{digest}"
