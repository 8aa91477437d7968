"""The signed callback contract shared by the workflows and the bot."""

from __future__ import annotations

import pytest

from workflows.callback import sign, verify

BODY = b'{"kind":"exit"}'


def test_a_correct_signature_verifies() -> None:
    assert verify(BODY, sign(BODY, "s3cret"), "s3cret")


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=00", "sha256=" + "é" * 64, sign(b"other", "s3cret"), sign(BODY, "wrong")],
)
def test_a_missing_wrong_or_non_ascii_signature_is_refused(signature: str | None) -> None:
    assert verify(BODY, signature, "s3cret") is False


def test_without_a_secret_nothing_verifies() -> None:
    assert verify(BODY, sign(BODY, ""), "") is False
