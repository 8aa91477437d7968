"""The text report (terminal) and the self-contained HTML page (report.html)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.compare.builders import noisy, pair
from workflows.compare import compare, render_html, render_text


@pytest.fixture
def comparison(rng):
    base = {
        "steady": noisy(rng, 2e-3),
        "slower": noisy(rng, 5e-3),
        "faster": noisy(rng, 8e-3),
        "<b>odd</b>": noisy(rng, 1e-3),
    }
    head = {
        "steady": noisy(rng, 2e-3),
        "slower": noisy(rng, 6e-3),
        "faster": noisy(rng, 6e-3),
        "<b>odd</b>": noisy(rng, 1e-3),
    }
    return compare(*pair(base, head, unit="s"))


def test_the_text_report_leads_with_the_provenance_then_the_verdict_and_changes(comparison):
    lines = render_text(comparison).splitlines()
    assert lines[0].startswith("perfbot compare: base ")
    assert "10 samples per benchmark and side" in lines[0]
    assert lines[1].startswith("REGRESSION: 1 regressed, 1 improved, 2 unchanged")
    assert lines[1].endswith("; 4 benchmarks analysed")
    rows = [line.split()[0:2] for line in lines[4:8]]
    assert rows == [
        ["improved", "faster"],
        ["regressed", "slower"],
        ["unchanged", "steady"],
        ["unchanged", "<b>odd</b>"],
    ]


def test_the_text_report_shows_values_in_readable_units(comparison):
    rows = {line.split()[1]: line for line in render_text(comparison).splitlines()[4:8]}
    assert re.search(r"\d\.\d+ ms ±\d\.\d %\s+\d\.\d+ ms ±\d\.\d %", rows["slower"])
    assert re.search(r"\d+\.\d µs ±\d\.\d %", rows["<b>odd</b>"])


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_html_page_is_self_contained(comparison):
    page = render_html(comparison)
    parser = _Collector()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    assert not [a for _, attrs in parser.tags for k, a in attrs.items() if k == "src"]
    links = [attrs.get("href") for tag, attrs in parser.tags if "href" in attrs]
    assert all(tag == "a" for tag, attrs in parser.tags if "href" in attrs)
    assert all(link.startswith("https://github.com/") for link in links)
    assert "<style>" in page


def test_the_html_chart_is_valid_svg_with_one_bar_per_benchmark(comparison):
    page = render_html(comparison)
    svg = re.search(r'<svg[^>]*class="changes".*?</svg>', page, re.S).group(0)
    root = ET.fromstring(svg)  # noqa: S314 (our own output, parsed to check it is well-formed)
    bars = root.findall("{http://www.w3.org/2000/svg}rect[@class='bar']")
    assert len(bars) == 4
    colors = sorted(bar.get("fill") for bar in bars)
    assert colors == sorted(["#d1242f", "#1a7f37", "#8c959f", "#8c959f"])


def test_the_html_page_escapes_benchmark_names(comparison):
    page = render_html(comparison)
    assert "<b>odd</b>" not in page
    assert "&lt;b&gt;odd&lt;/b&gt;" in page


def _cells_in_order(page: str) -> tuple[list[str], list[str]]:
    chart = re.search(r'<svg[^>]*class="changes".*?</svg>', page, re.S).group(0)
    charted = re.findall(r"<title>(.*?)</title>", chart)
    table = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    listed = re.findall(r"<tr[^>]*><td>.*?</td><td>(.*?)</td>", table)
    return charted, listed


def test_the_html_chart_is_in_the_tables_order(comparison):
    charted, listed = _cells_in_order(render_html(comparison))
    assert charted == listed[: len(charted)]
    assert charted[:2] == ["faster", "slower"]


EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")


@pytest.mark.parametrize("render", [render_html, render_text], ids=["html", "text"])
def test_the_report_needs_no_emoji_font(comparison, render):
    assert not EMOJI.findall(render(comparison))


def test_the_html_verdict_icons_are_svg(comparison):
    page = render_html(comparison)
    summary = re.search(r'<p class="summary">(.*?)</p>', page, re.S).group(1)
    assert summary.startswith('<svg class="icon"')
    assert page.count('<svg class="icon"') == 1 + 4  # the summary and each row
