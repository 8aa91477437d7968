"""The stand-in Horreum holds clients to the published openapi.yaml, as the real server would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.standins.horreum_server import HorreumStandIn, schema_errors

KEY = "k"
UPLOAD = "/api/run/data"
GOOD = {"test": "perf-a", "start": "1", "stop": "2", "owner": "perf-team", "access": "PUBLIC"}


@pytest.fixture
def server() -> Iterator[HorreumStandIn]:
    with HorreumStandIn(api_key=KEY, tests={"perf-a": "perf-team"}) as standin:
        yield standin


def call(server: HorreumStandIn, method: str, path: str, *, key: str | None = KEY,
         params: dict | None = None, body: object = None) -> requests.Response:  # fmt: skip
    headers = {"X-Horreum-API-Key": key} if key is not None else {}
    return requests.request(method, server.url + path, params=params, json=body,
                            headers=headers, timeout=5)  # fmt: skip


def test_a_valid_upload_answers_202_with_the_run_id_as_text(server: HorreumStandIn) -> None:
    response = call(server, "POST", UPLOAD, params=GOOD, body={"a": 1})

    assert (response.status_code, response.text) == (202, "101")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert server.runs[101]["data"] == {"a": 1}


@pytest.mark.parametrize(
    ("method", "path", "params", "key", "status", "reason"),
    [
        ("POST", UPLOAD, {**GOOD, "tset": "x"}, KEY, 400, "unknown query parameter(s) tset"),
        (
            "POST",
            UPLOAD,
            {k: v for k, v in GOOD.items() if k != "start"},
            KEY,
            400,
            "start is required",
        ),
        ("POST", UPLOAD, {**GOOD, "access": "0"}, KEY, 400, "is not one of"),
        ("POST", UPLOAD, {**GOOD, "test": "nope"}, KEY, 400, "Cannot identify test"),
        ("POST", UPLOAD, {**GOOD, "owner": "other-team"}, KEY, 403, "other-uploader"),
        ("POST", UPLOAD, GOOD, None, 401, "X-Horreum-API-Key"),
        ("POST", UPLOAD, GOOD, "wrong", 401, "X-Horreum-API-Key"),
        ("GET", "/api/run/abc", None, KEY, 400, "not an integer"),
        ("GET", "/api/run/999", None, KEY, 404, ""),
        ("GET", "/api/runs/1", None, KEY, 404, "no operation"),
        ("DELETE", "/api/run/data", None, KEY, 404, "no operation"),
        ("GET", "/api/run/list", None, KEY, 501, "listAllRuns"),
    ],
)
def test_requests_the_spec_does_not_allow_are_refused_with_its_status(
    server: HorreumStandIn, method: str, path: str, params, key, status: int, reason: str
) -> None:
    response = call(server, method, path, params=params, key=key,
                    body={"a": 1} if method == "POST" else None)  # fmt: skip

    assert response.status_code == status
    assert reason in response.text
    assert server.runs == {}


def test_a_stored_run_reads_back_in_the_published_shape(server: HorreumStandIn) -> None:
    call(server, "POST", UPLOAD, params=GOOD, body={"$schema": "urn:x:1", "a": 1})

    run = call(server, "GET", "/api/run/101").json()
    dataset = call(server, "GET", f"/api/dataset/{server.dataset_of(101)}").json()

    # The spec types `data` as a string; the server sends the document (see its README).
    assert schema_errors("RunExtended", {**run, "data": "…"}) == []
    assert schema_errors("Dataset", {**dataset, "data": "…"}) == []
    assert run["data"] == {"$schema": "urn:x:1", "a": 1}
    assert dataset["runId"] == 101


def test_fired_actions_are_plain_json_posts_without_a_signature(server: HorreumStandIn) -> None:
    call(server, "POST", UPLOAD, params=GOOD, body={"a": 1})
    with HorreumStandIn(api_key=KEY) as receiver:
        server.fire(receiver.url + "/api/run/data", "change/new", run_id=101)

        [received] = receiver.requests
    assert received.headers["content-type"] == "application/json"
    assert not [h for h in received.headers if "signature" in h or h == "x-horreum-api-key"]
