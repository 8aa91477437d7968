"""The stand-in holds real tests to Argo's shapes: it must refuse what the real server would."""

from __future__ import annotations

import pytest
import requests

from tests.argo.conftest import TOKEN
from tests.standins.argo_server import matches_selector

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_a_misspelt_field_in_a_submit_request_is_refused(argo):
    body = {
        "namespace": "perfbot",
        "resourceKind": "WorkflowTemplate",
        "resourceName": "perf-databend-sql",
        "submitOption": {"parameters": ["a=b"]},
    }
    response = requests.post(
        f"{argo.url}/api/v1/workflows/perfbot/submit", json=body, headers=AUTH, timeout=5
    )
    assert response.status_code == 400
    assert "submitOption" in response.json()["message"]


def test_a_wrongly_typed_field_is_refused(argo):
    body = {
        "resourceKind": "WorkflowTemplate",
        "resourceName": "perf-databend-sql",
        "submitOptions": {"parameters": "a=b"},
    }
    response = requests.post(
        f"{argo.url}/api/v1/workflows/perfbot/submit", json=body, headers=AUTH, timeout=5
    )
    assert response.status_code == 400
    assert "is not of type 'array'" in response.json()["message"]


def test_a_body_that_is_not_json_is_refused(argo):
    response = requests.post(
        f"{argo.url}/api/v1/workflows/perfbot/submit", data=b"{", headers=AUTH, timeout=5
    )
    assert response.status_code == 400


def test_every_request_is_recorded_with_what_was_answered(argo):
    requests.get(f"{argo.url}/api/v1/workflows/perfbot", timeout=5)
    assert [(r.method, r.status) for r in argo.requests] == [("GET", 401)]


def test_latency_delays_every_answer():
    from tests.standins.argo_server import ArgoStandIn

    with ArgoStandIn(token=None, latency=0.3) as slow:
        response = requests.get(f"{slow.url}/api/v1/workflows/perfbot", timeout=5)
    assert response.elapsed.total_seconds() >= 0.3


@pytest.mark.parametrize(
    ("selector", "matches"),
    [
        ("", True),
        ("a=1", True),
        ("a==1", True),
        ("a=2", False),
        ("a!=2", True),
        ("a!=1", False),
        ("b", True),
        ("!b", False),
        ("!c", True),
        ("a in (1,3)", True),
        ("a notin (1,3)", False),
        ("a=1,b=x", True),
        ("a=1,b=y", False),
    ],
)
def test_label_selectors_match_as_kubernetes_does(selector, matches):
    assert matches_selector({"a": "1", "b": "x"}, selector) is matches
