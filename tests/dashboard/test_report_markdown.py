"""The run page's report as the PR comment shows it: the few tags the Markdown report writes
(`<sub>`, `<code>`, `<details>`, `<summary>`) are rendered as tags, everything else in the
report's raw HTML is shown as text."""

from __future__ import annotations

import pytest

from bot.dashboard import markdown

RENDERED = [
    ("<sub>10 rounds</sub>", "<sub>10 rounds</sub>"),
    ("| a |\n|---|\n| <code>GET /search</code> |", "<td><code>GET /search</code></td>"),
    (
        "<details><summary>2 unchanged benchmarks</summary>\n\n| a |\n|---|\n| b |\n\n</details>",
        "<details><summary>2 unchanged benchmarks</summary>",
    ),
    ("<details><summary>x</summary>\n\ntext\n\n</details>", "</details>"),
]
SHOWN_AS_TEXT = [
    ("<sub onclick=alert(1)>x</sub>", "&lt;sub onclick=alert(1)&gt;"),
    ("<script>alert(1)</script>", "&lt;script&gt;"),
    ("<code style='x'>a</code>", "&lt;code style='x'&gt;"),
    ("<details open><summary>s</summary>\n\nt\n\n</details>", "&lt;details open&gt;"),
    ("<iframe src=x></iframe>", "&lt;iframe src=x&gt;"),
    ("<SUB>x</SUB>", "&lt;SUB&gt;"),
]


@pytest.mark.parametrize(("report", "expected"), RENDERED)
def test_the_tags_the_markdown_report_writes_are_rendered(report: str, expected: str) -> None:
    assert expected in markdown.to_html(report)


@pytest.mark.parametrize(("report", "expected"), SHOWN_AS_TEXT)
def test_any_other_raw_html_is_shown_as_text(report: str, expected: str) -> None:
    html = markdown.to_html(report)
    assert expected in html
    assert report.split(">")[0] + ">" not in html  # the raw opening tag is gone
