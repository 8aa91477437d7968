"""Text from others, made harmless before the bot posts it under its own name.

Replies quote what people wrote (an unknown option, a bad ref) so they can see what went
wrong. Echoed text must not ping anyone (`@org/team`), open an HTML comment that could fake
the bot's sticky marker, or run on for pages (`inert`, meant for code spans, where Markdown
entities would show as written). Text shown as prose (a Horreum finding's description and
variable) goes through `text`, the results' own rule (`workflows.untrusted.markdown_text`):
no link, image, HTML, mention or table cell. A run's report is Markdown the bot posts as it
is (the report step escaped every result-derived piece of it), but it is defanged once more
here: no mentions, no `<!--`, no bidi or control characters.
"""

from __future__ import annotations

from workflows.untrusted import ZERO_WIDTH_SPACE, clean, markdown_text

__all__ = ["ZERO_WIDTH_SPACE", "defanged", "inert", "text"]


def inert(text: str, limit: int = 120) -> str:
    """One line, at most `limit` characters, no mentions, no HTML, no code-span breaks.

    For code spans only: outside one, `[text](url)`, images, emphasis and table pipes pass
    through. Prose from outside (Argo's and GitHub's messages, anything a workflow reports)
    goes through `text`; `tests/security/test_bot_prose_text.py` checks the places."""
    flat = " ".join(clean(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return (
        flat.replace("@", "@" + ZERO_WIDTH_SPACE)
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("`", "'")
    )


def text(value: str, limit: int = 120) -> str:
    """Prose from outside, inert: shown as written, structure-free, one line."""
    return markdown_text(value, limit)


def defanged(markdown: str) -> str:
    """Markdown whose `@mentions` notify nobody, whose `<!--` hides nothing, and which carries
    no control or bidi characters."""
    return clean(markdown).replace("@", "@" + ZERO_WIDTH_SPACE).replace("<!--", "&lt;!--")
