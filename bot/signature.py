"""Signature checks that hold for any header value a sender may write.

`workflows.callback.verify` compares with `hmac.compare_digest`, which raises TypeError for a
`str` with non-ASCII characters instead of answering False; a header is whatever the sender
wrote, so such a value must be a plain "wrong signature" (401), not an internal error.
"""

from __future__ import annotations

from workflows.callback import verify


def valid(body: bytes, signature: str | None, secret: str) -> bool:
    return signature is not None and signature.isascii() and verify(body, signature, secret)
