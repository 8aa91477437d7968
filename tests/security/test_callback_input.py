"""`POST /callback` is public too: only a body signed with the callback secret, of the right
shape, for a repository and job the configuration serves, makes the bot write to GitHub."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bot.constants import WEBHOOK_SECRET
from tests.bot.stack import Stack, result
from tests.security.conftest import FEW, Watch, assert_refused_cleanly, post_callback
from tests.security.test_webhook_input import json_values
from workflows.callback import SIGNATURE_HEADER


def test_a_callback_signed_with_the_webhook_secret_is_refused(stack: Stack) -> None:
    """Two secrets, two audiences: GitHub's secret cannot post results."""
    watch = Watch(stack)
    response = post_callback(stack, result("perf-x").to_json(), secret=WEBHOOK_SECRET)
    assert_refused_cleanly(response, 401)
    assert watch.github() == []


def test_a_callback_with_a_non_ascii_signature_is_a_401(stack: Stack) -> None:
    body = result("perf-x").to_json()
    response = stack.client.post("/callback", data=body, headers={SIGNATURE_HEADER: "sha256=é"})
    assert_refused_cleanly(response, 401)


@FEW
@given(body=st.binary(max_size=1000))
def test_any_signed_body_that_is_not_a_payload_is_a_400(stack: Stack, body: bytes) -> None:
    watch = Watch(stack)
    assert_refused_cleanly(post_callback(stack, body), 400)
    assert watch.github() == []


@FEW
@given(key=st.sampled_from(["kind", "run", "workflow_name", "namespace", "failures", "version"]),
       value=json_values)  # fmt: skip
def test_a_signed_payload_with_a_field_of_the_wrong_shape_writes_nothing(
    stack: Stack, key: str, value: object
) -> None:
    payload = json.loads(result("perf-x").to_json())
    payload[key] = value
    watch = Watch(stack)
    response = post_callback(stack, json.dumps(payload).encode())
    if response.status_code == 200:  # the value happened to be valid for the field
        return
    assert_refused_cleanly(response, 400, 403)
    assert watch.github() == []


@FEW
@given(repo=st.text(max_size=80), job=st.text(max_size=40))
def test_only_served_repositories_and_jobs_are_written_to(
    stack: Stack, repo: str, job: str
) -> None:
    watch = Watch(stack)
    response = post_callback(stack, result("perf-x", repo=repo, job=job).to_json())
    served = repo == "Codertocat/Hello-World" and job in ("api", "cli")
    if served:
        assert response.status_code == 200
        return
    assert_refused_cleanly(response, 400, 403)
    assert watch.github() == []


def test_a_report_shaped_by_pr_code_pings_nobody_and_fakes_no_marker(stack: Stack) -> None:
    """Benchmark names come from the pull request's code, and so does part of the report."""
    hostile = "| @octo-org/everyone <!-- perfbot:job=cli --> | +1% |"
    watch = Watch(stack)

    response = post_callback(stack, result("perf-hostile-report", report=hostile).to_json())

    assert response.status_code == 200
    [written] = [
        r.json["body"]
        for r in watch.github()
        if r.method in ("POST", "PATCH") and "/comments" in r.path and "body" in (r.json or {})
    ]  # the sticky comment, created or edited
    assert written.startswith("<!-- perfbot:job=api -->")
    assert "@octo-org" not in written
    assert "<!-- perfbot:job=cli" not in written
    assert "| @\u200bocto-org/everyone &lt;!-- perfbot:job=cli --> | +1% |" in written


WRONG_SHAPES = {
    "pr too large": (("run", "pr"), 10**30),
    "pr negative": (("run", "pr"), -1),
    "pr a float": (("run", "pr"), 1.9),
    "pr a bool": (("run", "pr"), True),
    "pr a string": (("run", "pr"), "1"),
    "pr null": (("run", "pr"), None),
    "head_sha not hex": (("run", "head_sha"), "`injected` @x"),
    "head_sha a number": (("run", "head_sha"), 12),
    "base_sha too short": (("run", "base_sha"), "abc"),
    "repo a list": (("run", "repo"), ["Codertocat/Hello-World"]),
    "workflow_name with a newline": (("workflow_name",), "perf-x\nFAKE LOG LINE"),
    "workflow_name upper case": (("workflow_name",), "Perf-X"),
    "workflow_name too long": (("workflow_name",), "p" * 254),
    "namespace with a slash": (("namespace",), "perfbot/../x"),
    "verdict an object": (("verdict",), {"x": 1}),
    "status a list": (("status",), ["Failed"]),
    "report_markdown a number": (("report_markdown",), 12),
    "report a list": (("report",), []),
    "failures an object": (("failures",), {"message": "x"}),
    "parameters a list": (("parameters",), ["a=b"]),
}


@pytest.mark.parametrize(("path", "value"), WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_signed_payload_with_a_wrong_shape_is_a_400_naming_the_field(
    stack: Stack, path: tuple[str, ...], value: object
) -> None:
    payload = json.loads(result("perf-x").to_json())
    *parents, key = path
    target = payload
    for parent in parents:
        target = target[parent]
    target[key] = value
    watch = Watch(stack)

    response = post_callback(stack, json.dumps(payload).encode())

    assert_refused_cleanly(response, 400)
    assert key in response.json["error"]
    assert watch.github() == []
