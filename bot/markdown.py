"""Text from others, made harmless before the bot posts it under its own name.

Replies quote what people wrote (an unknown option, a bad ref) so they can see what went
wrong. Echoed text must not ping anyone (`@org/team`), open an HTML comment that could fake
the bot's sticky marker, or run on for pages (`inert`). A run's report is Markdown the bot
posts as it is, but its benchmark names come from code in the pull request: it keeps its
tables and formatting, and loses only its mentions and HTML comments (`defanged`).
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


def defanged(markdown: str) -> str:
    """Markdown whose `@mentions` notify nobody and whose `<!--` hides nothing."""
    return markdown.replace("@", "@" + ZERO_WIDTH_SPACE).replace("<!--", "&lt;!--")
