"""The compare engine and its reports: verdicts people can trust, per benchmark and per suite.

`compare(base, head, options)` -> `Comparison`; `render_text`, `render_markdown`,
`render_json`, `render_html` turn it into the four reports. Importing this package stays cheap:
scipy is imported only when statistics are computed.
"""

from workflows.compare.engine import (
    BenchmarkComparison,
    Comparison,
    ComparisonError,
    SideStats,
    compare,
    decide,
)
from workflows.compare.html_report import render_html
from workflows.compare.json_report import render_json, report_dict
from workflows.compare.markdown_report import render_markdown
from workflows.compare.options import CompareOptions
from workflows.compare.text_report import render_text
from workflows.compare.verdicts import Verdict

RENDERERS = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}

__all__ = [
    "RENDERERS",
    "BenchmarkComparison",
    "CompareOptions",
    "Comparison",
    "ComparisonError",
    "SideStats",
    "Verdict",
    "compare",
    "decide",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "report_dict",
]
