"""A request's body, read whole or refused: never a body cut at the cap.

Werkzeug refuses a body whose `Content-Length` is over `MAX_CONTENT_LENGTH` before reading it,
but a chunked body (no `Content-Length`) is read through a stream that simply stops at the
limit: the signature would then be checked over the first 25 MiB of a longer body, and a ping
signed on its first 25 MiB and followed by unsigned bytes would be answered. So the app lets
Werkzeug read one byte past the cap (`STREAM_LIMIT`), and `read_body` refuses any body that
reaches it, however it was framed, before anyone looks at the signature.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from bot.shared.settings import MAX_BODY_BYTES

STREAM_LIMIT = MAX_BODY_BYTES + 1  # Flask's MAX_CONTENT_LENGTH: a longer body shows as longer
TOO_LARGE = f"the body is longer than {MAX_BODY_BYTES} bytes (GitHub's cap on deliveries)"


def read_body() -> bytes:
    """The whole body, or RequestEntityTooLarge (413) when it is longer than the cap."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:  # refused unread
        raise RequestEntityTooLarge(TOO_LARGE)
    body = request.get_data(cache=False)
    if len(body) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge(TOO_LARGE)
    return body
