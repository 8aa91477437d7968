"""The run's report as the pull request shows it: its markdown rendered to HTML.

The report comes from a workflow and holds benchmark names a pull request chose, so raw HTML
in it is shown as text, never passed through, and links go through markdown-it's checks
(no `javascript:`). Images are not rendered at all: an `![x](url)` that got past the report's
escaping would make every viewer's browser fetch the URL (the CSP, `bot.shared.headers`, blocks it
too).
"""

from __future__ import annotations

from markdown_it import MarkdownIt

_renderer = (
    MarkdownIt("commonmark", {"html": False})
    .enable("table")
    .enable("strikethrough")
    .disable("image")  # a report has no images; one would load from anywhere in every viewer
)


def to_html(text: str) -> str:
    return _renderer.render(text)
