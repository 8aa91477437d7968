"""The Markdown report as a PR comment shows it: summary line, changes, chart, folded rest."""

from __future__ import annotations

import re

import pytest

from tests.compare.builders import noisy, pair
from workflows.compare import compare, render_markdown


@pytest.fixture
def markdown(rng):
    base = {f"q{i}": noisy(rng, 1.0) for i in range(6)}
    head = {f"q{i}": noisy(rng, 1.0) for i in range(6)}
    head["q1"] = noisy(rng, 1.10)  # +10 %
    head["q4"] = noisy(rng, 0.70)  # -30 %
    head["q5"] = noisy(rng, 1.25)  # +25 %
    return render_markdown(compare(*pair(base, head)))


def test_the_first_line_is_the_summary_with_an_icon(markdown):
    first = markdown.splitlines()[0]
    assert first.startswith("🔴 **Regression**: 2 regressed, 1 improved, 3 unchanged")
    assert "over 6 benchmarks" in first


def _changed_rows(markdown: str) -> list[str]:
    before_details = markdown.split("<details>")[0]
    return re.findall(r"^\| (?:🔴|🟢) \| <code>(\w+)</code>", before_details, re.M)


def test_changed_benchmarks_are_listed_largest_change_first(markdown):
    assert _changed_rows(markdown) == ["q4", "q5", "q1"]


def test_unchanged_benchmarks_are_folded_in_details(markdown):
    folded = re.search(
        r"<details><summary>3 unchanged benchmarks</summary>\n\n(.*?)\n\n</details>", markdown, re.S
    )
    assert folded is not None
    assert re.findall(r"<code>(\w+)</code>", folded.group(1)) == ["q0", "q2", "q3"]


def test_a_mermaid_bar_chart_shows_the_significant_changes(markdown):
    chart = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert chart is not None
    body = chart.group(1)
    assert body.startswith("xychart-beta\n")
    labels = re.search(r"x-axis \[(.*)\]", body).group(1)
    assert labels.count('"') == 6  # three quoted labels
    bars = [float(v) for v in re.search(r"bar \[(.*)\]", body).group(1).split(",")]
    assert len(bars) == 3
    assert bars == sorted(bars, reverse=True)


def test_an_unchanged_suite_has_no_table_of_changes_and_no_chart(rng):
    base = {f"q{i}": noisy(rng, 1.0) for i in range(3)}
    head = {f"q{i}": noisy(rng, 1.0) for i in range(3)}
    text = render_markdown(compare(*pair(base, head)))
    assert text.startswith("✅ **No significant change**: 0 regressed, 0 improved, 3 unchanged")
    assert "```mermaid" not in text
    assert text.split("<details>")[0].count("\n|") == 0


HOSTILE = "evil | <img src=x onerror=alert(1)> @org/team `rm` [x](http://e) <!-- \n ```"


def test_benchmark_names_from_the_pr_are_inert(rng):
    text = render_markdown(compare(*pair({HOSTILE: noisy(rng, 1.0)}, {HOSTILE: noisy(rng, 2.0)})))
    table_row = next(line for line in text.splitlines() if line.startswith("| 🔴"))
    assert table_row.count(" | ") == 6  # the name's | does not add a column
    assert "<img" not in text
    assert "<!--" not in text
    assert "@org" not in text.replace("@\u200borg", "")
    chart = re.search(r"```mermaid\n(.*?)```", text, re.S).group(1)
    assert "`" not in chart
    assert text.count("```") == 2  # the name cannot close or open a fence
