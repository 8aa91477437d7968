"""The run's report as the pull request shows it: its markdown rendered to HTML.

The report comes from a workflow and holds benchmark names a pull request chose, so its raw
HTML is not passed through: only the few bare tags the Markdown report itself writes
(`<sub>`, `<code>`, `<details>`, `<summary>`, `<br>`, without attributes) are kept as tags, so
the page reads like the PR comment; any other tag, an allowed one with attributes included, is
shown as text. Links go through markdown-it's checks (no `javascript:`). Images are not
rendered at all: an `![x](url)` that got past the report's escaping would make every viewer's
browser fetch the URL (the CSP, `bot.shared.headers`, blocks it too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

KEPT_TAGS = ("sub", "code", "details", "summary", "br")
_KEPT = re.compile(r"</?(?:" + "|".join(KEPT_TAGS) + ")>")  # exact, lower case, no attributes


def inert_html(raw: str) -> str:
    """Raw HTML from the report with the kept tags as tags and everything else as text."""
    out, at = [], 0
    for tag in _KEPT.finditer(raw):
        out += [escape(raw[at : tag.start()], quote=False), tag.group(0)]
        at = tag.end()
    out.append(escape(raw[at:], quote=False))
    return "".join(out)


def _html_token(
    _renderer: object, tokens: Sequence[Token], index: int, _options: object, _env: object
) -> str:
    """markdown-it's render rule for raw HTML (inline and block)."""
    return inert_html(tokens[index].content)


_renderer = (
    MarkdownIt("commonmark", {"html": True})
    .enable("table")
    .enable("strikethrough")
    .disable("image")  # a report has no images; one would load from anywhere in every viewer
)
_renderer.add_render_rule("html_inline", _html_token)
_renderer.add_render_rule("html_block", _html_token)


def to_html(text: str) -> str:
    return _renderer.render(text)
