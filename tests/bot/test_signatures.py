"""Webhook signatures: GitHub's documented vector, and every way a delivery can be unsigned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.bot.conftest import PostWebhook
from tests.bot.constants import WEBHOOK_SECRET
from tests.bot.payloads import delivery_headers, encode, published
from workflows.callback import sign, verify


def documented_vector(contracts_dir: Path) -> tuple[str, bytes, str]:
    """The secret, body and signature quoted in tests/contracts/github/README.md."""
    readme = (contracts_dir / "github" / "README.md").read_text(encoding="utf-8")
    secret = re.search(r"secret `([^`]+)`", readme)
    body = re.search(r"body\s+`([^`]+)`", readme)
    signature = re.search(r"`(sha256=[0-9a-f]{64})`", readme)
    assert secret, "the README no longer quotes the secret"
    assert body, "the README no longer quotes the body"
    assert signature, "the README no longer quotes the signature"
    return secret[1], body[1].encode(), signature[1]


def test_signing_reproduces_githubs_documented_vector(contracts_dir: Path) -> None:
    secret, body, signature = documented_vector(contracts_dir)
    assert sign(body, secret) == signature
    assert verify(body, signature, secret)


def test_the_documented_signature_does_not_verify_another_body(contracts_dir: Path) -> None:
    secret, body, signature = documented_vector(contracts_dir)
    assert not verify(body + b" ", signature, secret)


def test_a_signed_ping_is_answered(post_webhook: PostWebhook, contracts_dir: Path) -> None:
    response = post_webhook(published(contracts_dir, "ping.json"), event="ping")
    assert response.status_code == 200
    assert response.json["outcome"] == "pong"


@pytest.mark.parametrize(
    ("case", "headers_for"),
    [
        ("no signature", lambda body: {}),
        ("empty signature", lambda body: {"X-Hub-Signature-256": ""}),
        ("wrong secret", lambda body: {"X-Hub-Signature-256": sign(body, "not the secret")}),
        ("other body", lambda body: {"X-Hub-Signature-256": sign(body + b"\n", WEBHOOK_SECRET)}),
        ("sha1 style", lambda body: {"X-Hub-Signature-256": "sha1=" + "0" * 40}),
        ("bare hex", lambda body: {"X-Hub-Signature-256": sign(body, WEBHOOK_SECRET)[7:]}),
    ],
)
def test_a_delivery_without_a_valid_signature_is_refused_with_401(
    client, contracts_dir: Path, case: str, headers_for
) -> None:
    body = encode(published(contracts_dir, "ping.json"))
    headers = {**delivery_headers(body, WEBHOOK_SECRET, "ping"), "X-Hub-Signature-256": ""}
    headers.update(headers_for(body))
    headers = {k: v for k, v in headers.items() if v != "" or case == "empty signature"}
    response = client.post("/webhook", data=body, headers=headers)
    assert response.status_code == 401, case
    assert "X-Hub-Signature-256" in response.json["error"]
