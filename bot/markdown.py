"""Text from a comment, made harmless before it is echoed back in a reply.

Replies quote what people wrote (an unknown option, a bad ref) so they can see what went
wrong. Echoed text must not ping anyone (`@org/team`), open an HTML comment that could fake
the bot's sticky marker, or run on for pages.
"""

from __future__ import annotations

ZERO_WIDTH_SPACE = "\u200b"


def inert(text: str, limit: int = 120) -> str:
    """One line, at most `limit` characters, no mentions, no HTML, no code-span breaks."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return (
        flat.replace("@", "@" + ZERO_WIDTH_SPACE)
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("`", "'")
    )
