"""The Argo Server client over real HTTP against the stand-in: shapes, errors, idempotence."""

from __future__ import annotations

import re
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.argo.conftest import TOKEN
from tests.standins.argo_server import PREFIX, validate
from workflows.argo import (
    ArgoAuthError,
    ArgoClient,
    ArgoError,
    ArgoUnreachable,
    TemplateNotFound,
    WorkflowExists,
    WorkflowNotFound,
    normalize_server,
    workflow_name_for_delivery,
)
from workflows.labels import run_labels

DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
PARAMS = {"head-sha": "a" * 40, "base-sha": "b" * 40, "base-ref": "main;curl x|sh"}


def test_submit_sends_a_valid_submit_request_and_returns_the_ui_link(argo, client):
    labels = run_labels("datafuselabs/databend", 7, "databend-sql", "a" * 40)
    submission = client.submit("perf-databend-sql", PARAMS, name="perf-one", labels=labels)

    assert submission.name == "perf-one"
    assert submission.ui_url == "https://argo.example.com/workflows/perfbot/perf-one"
    request = argo.requests[-1]
    assert (request.method, request.path) == ("POST", "/api/v1/workflows/perfbot/submit")
    assert validate(PREFIX + "WorkflowSubmitRequest", request.body) == []
    assert request.body["submitOptions"]["parameters"] == [
        f"head-sha={'a' * 40}",
        f"base-sha={'b' * 40}",
        "base-ref=main;curl x|sh",
    ]
    workflow = argo.workflows["perf-one"]
    assert workflow["metadata"]["labels"]["perfbot/repo"] == "datafuselabs.databend"
    assert workflow["metadata"]["labels"]["perfbot/pr"] == "7"


def test_the_token_is_sent_as_a_bearer_token_whether_or_not_it_has_the_prefix(argo):
    for token in (TOKEN, f"Bearer {TOKEN}"):
        ArgoClient(argo.url, "perfbot", token).submit("perf-databend-sql", {})
        assert argo.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_without_a_name_the_server_generates_one_from_the_template(client):
    assert client.submit("perf-ripgrep-search", {}).name.startswith("perf-ripgrep-search-")


def test_a_redelivery_meets_the_existing_workflow(client):
    name = workflow_name_for_delivery(DELIVERY)
    client.submit("perf-databend-sql", PARAMS, name=name)
    with pytest.raises(WorkflowExists, match="already exists"):
        client.submit("perf-databend-sql", PARAMS, name=name)


def test_an_unknown_template_is_named_in_the_error(client):
    with pytest.raises(TemplateNotFound, match="no WorkflowTemplate 'perf-nope' in namespace"):
        client.submit("perf-nope", {})


@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_missing_or_wrong_token_is_an_auth_error(argo, token):
    with pytest.raises(ArgoAuthError, match="401"):
        ArgoClient(argo.url, "perfbot", token).submit("perf-databend-sql", {})


def test_a_namespace_the_token_may_not_use_is_an_auth_error(argo):
    with pytest.raises(ArgoAuthError, match="403"):
        ArgoClient(argo.url, "elsewhere", TOKEN).submit("perf-databend-sql", {})


def test_a_closed_port_is_unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ArgoUnreachable, match="connection refused"):
        ArgoClient(f"http://127.0.0.1:{port}", "perfbot").submit("perf-x", {})


def test_a_server_that_hangs_is_unreachable_after_the_timeout(argo):
    argo.hang_next(5.0)
    client = ArgoClient(argo.url, "perfbot", TOKEN, timeout=0.2)
    with pytest.raises(ArgoUnreachable, match=r"did not answer within 0.2 s"):
        client.submit("perf-databend-sql", {})


def test_a_server_error_is_reported_with_its_message(argo, client):
    argo.fail_next(500, "etcd is sad")
    with pytest.raises(ArgoError, match="answered 500: etcd is sad"):
        client.submit("perf-databend-sql", {})


def test_listing_finds_running_workflows_by_labels(argo, client):
    labels = run_labels("datafuselabs/databend", 7, "databend-sql", "a" * 40)
    client.submit("perf-databend-sql", {}, name="perf-running", labels=labels)
    client.submit("perf-databend-sql", {}, name="perf-done", labels=labels)
    client.submit(
        "perf-databend-sql", {}, name="perf-other-pr", labels={**labels, "perfbot/pr": "8"}
    )
    argo.finish("perf-done")

    running = client.list_workflows({"perfbot/pr": "7", "perfbot/job": "databend-sql"})
    everything = client.list_workflows({"perfbot/pr": "7"}, running_only=False)

    assert [w.name for w in running] == ["perf-running"]
    assert running[0].phase == "Running"
    assert running[0].ui_url == "https://argo.example.com/workflows/perfbot/perf-running"
    assert sorted(w.name for w in everything) == ["perf-done", "perf-running"]
    query = argo.requests[-2].query["listOptions.labelSelector"][0]
    assert query == "perfbot/job=databend-sql,perfbot/pr=7,workflows.argoproj.io/completed!=true"


def test_listing_nothing_copes_with_argos_null_items(client):
    assert client.list_workflows({"perfbot/pr": "404"}) == []


def test_stop_sends_a_valid_stop_request(argo, client):
    client.submit("perf-databend-sql", {}, name="perf-old")
    client.stop("perf-old", "superseded by a newer /run-perf")
    request = argo.requests[-1]
    assert (request.method, request.path) == ("PUT", "/api/v1/workflows/perfbot/perf-old/stop")
    assert validate(PREFIX + "WorkflowStopRequest", request.body) == []
    assert argo.workflows["perf-old"]["status"]["phase"] == "Failed"
    assert client.get("perf-old").phase == "Failed"


def test_stopping_a_workflow_that_is_gone_says_so(client):
    with pytest.raises(WorkflowNotFound):
        client.stop("perf-gone")


@pytest.mark.parametrize(
    ("env", "server"),
    [
        ({"ARGO_SERVER": "argo.example.com:2746"}, "https://argo.example.com:2746"),
        ({"ARGO_SERVER": "localhost:2746", "ARGO_SECURE": "false"}, "http://localhost:2746"),
        (
            {"ARGO_SERVER": "https://x.example/", "ARGO_BASE_HREF": "/argo/"},
            "https://x.example/argo",
        ),
        ({"ARGO_SERVER": "http://x.example:80"}, "http://x.example:80"),
    ],
)
def test_settings_are_read_like_the_argo_cli(env, server):
    client = ArgoClient.from_env({**env, "ARGO_NAMESPACE": "perf", "ARGO_TOKEN": "t"})
    assert client.server == server
    assert client.namespace == "perf"
    assert client.ui_link("wf") == f"{server}/workflows/perf/wf"


def test_flags_override_the_environment_and_insecure_skips_verification():
    env = {
        "ARGO_SERVER": "a:1",
        "ARGO_NAMESPACE": "one",
        "ARGO_INSECURE_SKIP_VERIFY": "true",
        "ARGO_UI_URL": "https://ui.example",
    }
    client = ArgoClient.from_env(env, server="http://b:2", namespace="two")
    assert (client.server, client.namespace, client.verify) == ("http://b:2", "two", False)
    assert client.ui_link("wf") == "https://ui.example/workflows/two/wf"


def test_no_server_at_all_is_a_clear_error():
    with pytest.raises(ArgoError, match="set ARGO_SERVER"):
        normalize_server("")


def test_a_delivery_guid_becomes_a_readable_workflow_name():
    assert workflow_name_for_delivery(DELIVERY) == f"perf-{DELIVERY}"
    assert workflow_name_for_delivery(DELIVERY.upper()) == f"perf-{DELIVERY}"


@given(st.text(min_size=1, max_size=300))
def test_any_delivery_id_gives_a_deterministic_dns_label(delivery):
    name = workflow_name_for_delivery(delivery)
    assert name == workflow_name_for_delivery(delivery)
    assert len(name) <= 63
    assert name.startswith("perf-")
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name)


def test_different_odd_delivery_ids_give_different_names():
    assert workflow_name_for_delivery("x" * 100) != workflow_name_for_delivery("x" * 101)
