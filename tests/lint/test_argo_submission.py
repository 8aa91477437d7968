"""A WorkflowSubmitRequest becomes the Workflow the Argo Server would create from it."""

from __future__ import annotations

from typing import Any

import pytest

from workflows.argo import ArgoClient
from workflows.argo_submission import (
    FROM_TEMPLATE,
    SubmitRequestError,
    workflow_from_submit_request,
)


def request(**options: Any) -> dict[str, Any]:
    return {
        "namespace": "perfbot",
        "resourceKind": "WorkflowTemplate",
        "resourceName": "perf-api",
        "submitOptions": options,
    }


def test_the_workflow_refers_to_the_template_and_carries_the_parameters_in_order():
    workflow = workflow_from_submit_request(request(parameters=["head-sha=abc", "rounds=3"]))

    assert workflow["kind"] == "Workflow"
    assert workflow["spec"]["workflowTemplateRef"] == {"name": "perf-api"}
    assert workflow["spec"]["arguments"]["parameters"] == [
        {"name": "head-sha", "value": "abc"},
        {"name": "rounds", "value": "3"},
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, {"generateName": "perf-api-"}),
        ({"generateName": "mine-"}, {"generateName": "mine-"}),
        ({"name": "perf-1", "generateName": "mine-"}, {"name": "perf-1"}),
    ],
)
def test_the_name_is_the_one_asked_for_else_generated_from_the_template(options, expected):
    metadata = workflow_from_submit_request(request(**options))["metadata"]

    assert {k: metadata[k] for k in ("name", "generateName") if k in metadata} == expected


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("callback-url=", {"name": "callback-url", "value": ""}),
        ("base-ref=a=b", {"name": "base-ref", "value": "a=b"}),  # split at the first '='
        ("rounds= 3 ", {"name": "rounds", "value": " 3 "}),  # nothing trimmed
    ],
)
def test_a_parameter_is_split_at_its_first_equals_sign_as_argo_does(parameter, expected):
    workflow = workflow_from_submit_request(request(parameters=[parameter]))

    assert workflow["spec"]["arguments"]["parameters"] == [expected]


def test_labels_are_the_requested_ones_plus_the_template_label_argo_adds():
    labels = workflow_from_submit_request(request(labels="perfbot/pr=12,perfbot/job=api"))[
        "metadata"
    ]["labels"]

    assert labels == {FROM_TEMPLATE: "perf-api", "perfbot/pr": "12", "perfbot/job": "api"}


def test_the_clients_own_request_round_trips_into_a_workflow_with_its_labels():
    client = ArgoClient("argo-server.invalid", "perfbot")
    body = client.submit_request("perf-api", {"pr": "5"}, name="perf-x", labels={"a": "b"})

    workflow = workflow_from_submit_request(body)

    assert workflow["metadata"] == {
        "labels": {FROM_TEMPLATE: "perf-api", "a": "b"},
        "name": "perf-x",
        "namespace": "perfbot",
    }


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({**request(), "resourceKind": "CronWorkflow"}, "not a WorkflowTemplate"),
        ({**request(), "resourceName": ""}, "names no WorkflowTemplate"),
        (request(parameters=["rounds"]), "NAME=VALUE"),
        (request(labels="a=b,"), "labels"),  # Argo's ParseLabels refuses an empty item
        (request(labels="a=b=c"), "labels"),  # and a value with '='
        (request(labels="=b"), "labels"),
        (request(annotations="note"), "annotations"),
    ],
)
def test_a_request_the_server_refuses_before_validating_is_refused_here(body, reason):
    with pytest.raises(SubmitRequestError, match=reason):
        workflow_from_submit_request(body)
