"""A run that no node could take is explained with its sizes, in both shapes Argo reports it."""

from __future__ import annotations

import pytest

from workflows.cli.notify import explain_reservation

NOTE = "no benchmark node could take this run within 60 s: its measure pods ask for cpu 64"
PIPELINE = {"displayName": "perf-1", "templateName": "pipeline", "message": ""}
MEASURE = {"displayName": "measure", "templateName": "measure", "message": ""}
RESERVE_TIMEOUT = {"displayName": "reserve", "templateName": "reserve", "message": "timeout"}
DEPLOY_FAILED = {"displayName": "deploy-head", "templateName": "deploy", "message": "exit 1"}


@pytest.mark.parametrize(
    ("failures", "explained"),
    [
        # What Argo v4.0.5 sends when reserve waited out its timeout Pending (a real cluster).
        ([PIPELINE, MEASURE], ["measure"]),
        ([MEASURE, PIPELINE], ["measure"]),
        # A reserve step reported as failed by its timeout.
        ([PIPELINE, MEASURE, RESERVE_TIMEOUT], ["reserve"]),
        # A step under measure failed on its own: that is the reason, not the node's size.
        ([PIPELINE, MEASURE, DEPLOY_FAILED], []),
        ([PIPELINE], []),
        ([], []),
    ],
)
def test_the_failure_standing_for_an_unplaced_run_carries_the_sizes(
    failures: list[dict], explained: list[str]
) -> None:
    result = explain_reservation(failures, NOTE)
    assert [f["displayName"] for f in result if NOTE in f["message"]] == explained


def test_without_a_note_nothing_changes() -> None:
    assert explain_reservation([PIPELINE, MEASURE], "") == [PIPELINE, MEASURE]


def test_a_message_argo_gave_is_kept_before_the_note() -> None:
    (result,) = [f for f in explain_reservation([RESERVE_TIMEOUT], NOTE)]
    assert result["message"] == f"timeout: {NOTE}"
