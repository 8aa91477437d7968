"""The run's report as the pull request shows it: its markdown rendered to HTML.

The report comes from a workflow and holds benchmark names a pull request chose, so raw HTML
in it is shown as text, never passed through, and links go through markdown-it's checks
(no `javascript:`).
"""

from __future__ import annotations

from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def to_html(text: str) -> str:
    return _renderer.render(text)
