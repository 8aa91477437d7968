"""What reaches `POST /webhook` before any command is read: signatures, bodies, shapes, events.

Every hostile request is refused with a 4xx and a JSON reason (or acknowledged and ignored),
never a 500 or a traceback, and neither GitHub nor Argo hears of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.shared.settings import MAX_BODY_BYTES
from tests.bot.constants import WEBHOOK_SECRET
from tests.bot.payloads import pr_comment
from tests.bot.stack import Stack
from tests.security.conftest import FEW, Watch, assert_refused_cleanly, post_webhook
from workflows.callback import sign

DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def command(contracts_dir: Path) -> dict[str, Any]:
    """A valid `/run-perf main` comment payload: the base every hostile variant starts from."""
    return pr_comment(contracts_dir, "/run-perf main")


# -- signatures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha256=" + "0" * 64,
        "sha1=" + "0" * 40,
        "sha256=zz",
        "SHA256=" + "0" * 64,
        "sha256=" + "0" * 10_000,
        "sha256=" + "é" * 8,
    ],
    ids=["missing", "empty", "no-digest", "zeros", "sha1", "not-hex", "upper", "huge", "non-ascii"],
)
def test_a_delivery_without_a_valid_signature_is_a_401_and_reaches_nobody(
    stack: Stack, command: dict, signature: str | None
) -> None:
    watch = Watch(stack)
    body = json.dumps(command).encode()
    headers = {"X-Hub-Signature-256": signature} if signature is not None else {}
    response = stack.client.post(
        "/webhook",
        data=body,
        headers={"X-GitHub-Event": "issue_comment", "X-GitHub-Delivery": "d", **headers},
    )
    assert_refused_cleanly(response, 401)
    assert (watch.github(), watch.argo()) == ([], [])


def test_a_signature_made_with_another_secret_is_a_401(stack: Stack, command: dict) -> None:
    watch = Watch(stack)
    assert_refused_cleanly(post_webhook(stack, command, secret="guessed"), 401)
    assert watch.argo() == []


@FEW
@given(other=st.binary(max_size=200))
def test_a_valid_signature_over_a_different_body_is_a_401(
    stack: Stack, command: dict, other: bytes
) -> None:
    body = json.dumps(command).encode()
    assume(other != body)
    watch = Watch(stack)
    response = post_webhook(
        stack, body, headers={"X-Hub-Signature-256": sign(other, WEBHOOK_SECRET)}
    )
    assert_refused_cleanly(response, 401)
    assert (watch.github(), watch.submissions()) == ([], [])


# -- bodies -----------------------------------------------------------------------------------


def test_an_oversize_body_is_a_413_whether_signed_or_not(stack: Stack) -> None:
    """tests/bot/test_webhook.py checks a signed one; an unsigned flood is cut the same way."""
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"
    watch = Watch(stack)
    for headers in ({}, {"X-Hub-Signature-256": sign(body, WEBHOOK_SECRET)}):
        response = stack.client.post(
            "/webhook", data=body, headers={"X-GitHub-Event": "issue_comment", **headers}
        )
        assert_refused_cleanly(response, 413)
    assert (watch.github(), watch.argo()) == ([], [])


@FEW
@given(body=st.binary(max_size=2000))
def test_any_signed_body_that_is_not_a_comment_payload_is_a_400(stack: Stack, body: bytes) -> None:
    watch = Watch(stack)
    assert_refused_cleanly(post_webhook(stack, body), 400)
    assert (watch.github(), watch.argo()) == ([], [])


@FEW
@given(payload=st.dictionaries(st.text(max_size=12), json_values, max_size=8))
def test_a_signed_json_object_of_another_shape_is_a_400(stack: Stack, payload: dict) -> None:
    watch = Watch(stack)
    assert_refused_cleanly(post_webhook(stack, payload), 400)
    assert (watch.github(), watch.argo()) == ([], [])


# Fields the bot reads, and the type each must have (`bot.delivery.events`).
FIELDS: list[tuple[tuple[str, ...], Callable[[Any], bool]]] = [
    (("action",), lambda v: isinstance(v, str)),
    (("issue",), lambda v: isinstance(v, dict)),
    (("issue", "number"), lambda v: isinstance(v, int) and not isinstance(v, bool)),
    (("comment",), lambda v: isinstance(v, dict)),
    (("comment", "id"), lambda v: isinstance(v, int) and not isinstance(v, bool)),
    (("comment", "body"), lambda v: v is None or isinstance(v, str)),
    (("comment", "user"), lambda v: isinstance(v, dict)),
    (("comment", "user", "login"), lambda v: isinstance(v, str)),
    (("repository",), lambda v: isinstance(v, dict)),
    (("repository", "full_name"), lambda v: isinstance(v, str)),
    (("sender",), lambda v: isinstance(v, dict)),
    (("sender", "login"), lambda v: isinstance(v, str)),
    (("installation", "id"), lambda v: isinstance(v, int) and not isinstance(v, bool)),
]


@FEW
@given(field=st.sampled_from(FIELDS), value=json_values)
def test_a_field_of_the_wrong_type_is_a_400_naming_it(
    stack: Stack, command: dict, field, value: Any
) -> None:
    path, right_type = field
    assume(not right_type(value))
    payload = json.loads(json.dumps(command))
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    watch = Watch(stack)

    response = post_webhook(stack, payload)

    assert_refused_cleanly(response, 400)
    assert ".".join(path) in response.json["error"]
    assert (watch.github(), watch.argo()) == ([], [])


# -- events and headers -----------------------------------------------------------------------


@FEW
@given(event=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=80))
def test_events_the_bot_does_not_handle_are_acknowledged_and_ignored(
    stack: Stack, command: dict, event: str
) -> None:
    assume(event not in ("issue_comment", "ping"))
    watch = Watch(stack)
    response = post_webhook(stack, command, event=event)
    assert (response.status_code, response.json["outcome"]) == (200, "ignored")
    assert (watch.github(), watch.argo()) == ([], [])


@pytest.mark.parametrize("delivery", ["", " ", "x" * 101])
def test_a_missing_or_oversize_delivery_id_is_a_400(
    stack: Stack, command: dict, delivery: str
) -> None:
    watch = Watch(stack)
    response = post_webhook(stack, command, headers={"X-GitHub-Delivery": delivery})
    assert_refused_cleanly(response, 400)
    assert watch.argo() == []


@FEW
@given(delivery=st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=100))
def test_any_delivery_id_names_a_valid_workflow_or_is_refused(
    stack: Stack, command: dict, delivery: str
) -> None:
    """The workflow's name comes from this header: whatever it says, Argo gets a DNS label."""
    watch = Watch(stack)
    response = post_webhook(stack, command, headers={"X-GitHub-Delivery": delivery})
    if not delivery.strip():
        assert_refused_cleanly(response, 400)
        return
    assert response.status_code == 200
    assert response.json["outcome"] in ("submitted", "duplicate")
    for submission in watch.submissions():
        name = submission.body["submitOptions"]["name"]
        assert DNS_LABEL.fullmatch(name), name
