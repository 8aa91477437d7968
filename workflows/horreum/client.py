"""The few Horreum REST calls perfbot makes, with `requests`, authenticated by an API key.

Why not PyPI's `horreum` (Horreum's official, Kiota-generated client, 0.19): it is asynchronous
(httpx under asyncio), so every call from the bot's synchronous gunicorn workers would spin up an
event loop; it pulls in six Kiota packages and python-keycloak for four calls; it is generated
from API 0.19 while the spec we test against is 0.20; and it bypasses the bounded retries and
deadlines the bot's other outbound calls share. Four calls with `requests` are checked against
Horreum's published openapi.yaml by the stand-in server instead.

Every failure is a `HorreumError` with a one-line reason fit for a PR comment, and says whether
trying again can help (`retryable`: Horreum down, 5xx, 429; never 400, 401, 403 or 404).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import requests

API_KEY_HEADER = "X-Horreum-API-Key"
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_REASON = 200


class HorreumError(Exception):
    def __init__(self, reason: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status


class HorreumClient:
    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._api_key = api_key
        self.timeout = timeout
        self._session = session or requests.Session()

    def upload(
        self,
        document: dict[str, Any],
        *,
        test: str,
        owner: str,
        access: str,
        start: int,
        stop: int,
        schema: str | None = None,
    ) -> list[int]:
        """`POST /api/run/data`; the ids of the runs Horreum created (empty while it is still
        processing, or when the data was valid but made no run: 204)."""
        params = {
            "test": test,
            "start": str(start),
            "stop": str(stop),
            "owner": owner,
            "access": access,
        }
        if schema:
            params["schema"] = schema
        response = self._call("POST", "/api/run/data", params=params, json_body=document)
        if response.status_code == 204:
            return []
        text = response.text.strip().strip('"')
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise HorreumError(
                f"Horreum answered {response.status_code} with no run ids: {text[:80]!r}",
                retryable=False,
                status=response.status_code,
            ) from None

    def run(self, run_id: int) -> dict[str, Any]:
        """`GET /api/run/{id}`, with `data` as the uploaded document (an object)."""
        run = self._json(self._call("GET", f"/api/run/{int(run_id)}"))
        run["data"] = _document(run.get("data"))
        return run

    def dataset(self, dataset_id: int) -> dict[str, Any]:
        """`GET /api/dataset/{id}`; its `runId` names the run it was computed from."""
        return self._json(self._call("GET", f"/api/dataset/{int(dataset_id)}"))

    def test_by_name(self, name: str) -> dict[str, Any]:
        return self._json(self._call("GET", f"/api/test/byName/{quote(name, safe='')}"))

    def import_schema(self, export: dict[str, Any]) -> int:
        """`POST /api/schema/import` (a new schema; `PUT` updates one); the schema's id."""
        method = "PUT" if export.get("id") else "POST"
        return int(self._json(self._call(method, "/api/schema/import", json_body=export)))

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> requests.Response:
        headers = {API_KEY_HEADER: self._api_key, "Accept": "application/json, text/plain"}
        data = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            try:
                data = json.dumps(json_body, separators=(",", ":"), allow_nan=False).encode()
            except ValueError as exc:  # NaN or infinity: JSON cannot carry them
                raise HorreumError(f"the document is not JSON: {exc}", retryable=False) from None
        try:
            response = self._session.request(
                method,
                self.url + path,
                params=params,
                data=data,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise HorreumError(
                f"Horreum did not answer within {self.timeout:g} s", retryable=True
            ) from None
        except requests.RequestException as exc:
            raise HorreumError(
                f"cannot reach Horreum at {self.url} ({type(exc).__name__})", retryable=True
            ) from None
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:MAX_REASON]
            raise HorreumError(
                f"Horreum answered {response.status_code} to {method} {path}"
                + (f": {detail}" if detail else ""),
                retryable=response.status_code in RETRYABLE_STATUSES,
                status=response.status_code,
            )
        return response

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise HorreumError(
                f"Horreum answered {response.status_code} with a body that is not JSON",
                retryable=False,
                status=response.status_code,
            ) from None


def _document(data: Any) -> Any:
    """The spec types `data` as a string; the server sends the object. Accept both."""
    if isinstance(data, str):
        try:
            return json.loads(data)
        except ValueError:
            return None
    return data
