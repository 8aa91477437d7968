"""Text from result files, made harmless: neutralised on the way in, escaped on the way out.

Benchmark names, units, metadata and warnings come out of pods that run the pull request's own
code, and reach a PR comment, a check run, an HTML page, a database and logs under the bot's
name. Two steps, one rule each, so no writer has to remember its own list:

- `clean` on the way in (the importers, `workflows.results.model`): characters that no report
  should ever carry are replaced by U+FFFD, so they stay visible as "something was here". NUL
  (PostgreSQL refuses it in text), the other C0 and C1 controls (a terminal or log viewer obeys
  them) and the Unicode bidi controls (they make `evil` read as `live`, "Trojan Source").
- `markdown_text` on the way out, wherever Markdown is written: one line, bounded, and every
  character that could start Markdown or HTML structure written as an entity, so a name can add
  no link, image, HTML element, table cell or row, heading, emphasis, @mention or autolink.
  HTML writers use `html.escape`, which is all HTML needs after `clean`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

REPLACEMENT = "\ufffd"
ZERO_WIDTH_SPACE = "\u200b"
# Bidi embeddings, overrides and isolates, and the implicit marks (Unicode TR 9).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
KEPT_CONTROLS = frozenset("\t\n\r")  # whitespace the writers fold into one line themselves

_MARKDOWN = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "`": "&#96;",
        "\\": "&#92;",
        "*": "&#42;",
        "_": "&#95;",
        "[": "&#91;",
        "]": "&#93;",
        "~": "&#126;",
        "#": "&#35;",
        "$": "&#36;",  # GitHub renders $...$ as math
        "@": "@" + ZERO_WIDTH_SPACE,  # no @mention, no team ping, no e-mail autolink
    }
)
# GitHub autolinks `www.`, `scheme://`, `mailto:` and `xmpp:` in plain text; entities are
# decoded before it looks, so only an invisible break stops it.
_AUTOLINK = re.compile(r"(?i)(www)(\.)|(:)(//)|(mailto|xmpp)(:)")


def _is_unsafe(char: str) -> bool:
    if char in KEPT_CONTROLS:
        return False
    return char in BIDI_CONTROLS or unicodedata.category(char) == "Cc"


def clean(text: str) -> str:
    """`text` without NUL, control or bidi characters (each replaced by U+FFFD)."""
    if text.isprintable():  # the common case costs one C-level scan
        return text
    return "".join(REPLACEMENT if _is_unsafe(c) else c for c in text)


def clean_tree(value: Any) -> Any:
    """`clean` applied to every string of a JSON-like value, keys included."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(v) for v in value]
    return value


def one_line(text: str, limit: int) -> str:
    """Whitespace folded to single spaces, at most `limit` characters (an ellipsis says so)."""
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: max(limit - 1, 0)] + "…"


def markdown_text(text: str, limit: int) -> str:
    """`text` as inert Markdown: shown exactly as written (entities render as their
    characters), on one line, structure-free. Bounded before escaping, so the limit counts
    what a reader sees."""
    escaped = one_line(text, limit).translate(_MARKDOWN)
    return _AUTOLINK.sub(lambda m: ZERO_WIDTH_SPACE.join(g for g in m.groups() if g), escaped)
