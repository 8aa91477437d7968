"""The Markdown report as a PR comment shows it: verdict line, provenance, changes, chart,
too-noisy benchmarks apart, folded rest, legend."""

from __future__ import annotations

import re

import pytest

from tests.compare.builders import noisy, pair, result_set
from workflows.compare import compare, render_markdown
from workflows.compare.provenance import RunFacts

FACTS = RunFacts(
    repository="acme/widgets",
    job="api",
    pr=42,
    base_ref="main",
    base_sha="3f9c2e1a7b4d5e6f",
    head_sha="8d41b07c9e20aa11",
)


@pytest.fixture
def markdown(rng):
    base = {f"q{i}": noisy(rng, 1.0) for i in range(6)}
    head = {f"q{i}": noisy(rng, 1.0) for i in range(6)}
    head["q1"] = noisy(rng, 1.10)  # +10 %
    head["q4"] = noisy(rng, 0.70)  # -30 %
    head["q5"] = noisy(rng, 1.25)  # +25 %
    return render_markdown(compare(*pair(base, head)), FACTS)


def test_the_first_line_is_the_verdict_with_counts_geomean_and_how_many_were_analysed(markdown):
    first = markdown.splitlines()[0]
    assert first.startswith("🔴 **Regression** · 2 regressed, 1 improved, 3 unchanged · geomean")
    assert first.endswith("· 6 benchmarks analysed")


def test_the_second_paragraph_is_the_provenance_with_linked_short_shas(markdown):
    provenance = markdown.split("\n\n")[1]
    assert provenance.startswith("<sub>acme/widgets · job <code>api</code> · PR &#35;42")
    assert (
        "base <code>main</code> → [<code>3f9c2e1</code>]"
        "(https://github.com/acme/widgets/commit/3f9c2e1a7b4d5e6f)"
    ) in provenance
    head = "head [<code>8d41b07</code>](https://github.com/acme/widgets/commit/8d41b07c9e20aa11)"
    assert head in provenance
    assert "10 samples per benchmark and side" in provenance
    assert re.search(r"perfbot \S+</sub>$", provenance)


def _changed_rows(markdown: str) -> list[tuple[str, str]]:
    before_details = markdown.split("<details>")[0]
    return re.findall(r"^\| (\d+) \| (?:🔴|🟢) \| <code>(\w+)</code>", before_details, re.M)


def test_changed_benchmarks_are_numbered_largest_change_first(markdown):
    assert _changed_rows(markdown) == [("1", "q4"), ("2", "q5"), ("3", "q1")]


def test_unchanged_benchmarks_are_folded_in_details(markdown):
    folded = re.search(
        r"<details><summary>3 unchanged benchmarks</summary>\n\n(.*?)\n\n</details>", markdown, re.S
    )
    assert folded is not None
    assert re.findall(r"<code>(\w+)</code>", folded.group(1)) == ["q0", "q2", "q3"]


def _chart(markdown: str) -> str:
    chart = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert chart is not None
    return chart.group(1)


def test_the_chart_labels_its_points_with_the_tables_numbers_in_its_order(markdown):
    labels = re.search(r"x-axis \[(.*)\]", _chart(markdown)).group(1)
    assert labels == '"1", "2", "3"'


def test_the_chart_draws_improvements_below_zero_and_regressions_above(markdown):
    body = _chart(markdown)
    lines = re.findall(r"line \[(.*)\]", body)
    points = [float(v) for v in lines[0].split(",")]
    assert points[0] < -20
    assert points[1] > 20
    assert points[2] > 5
    assert [float(v) for v in lines[1].split(",")] == [0, 0, 0]  # the zero line
    low, high = map(float, re.search(r"(-?\d+) --> (-?\d+)", body).groups())
    assert low < min(points)
    assert high > max(points)


def test_a_better_throughput_is_drawn_below_zero_too(rng):
    base = result_set("b", {"rps": noisy(rng, 100.0), "x": noisy(rng, 1.0)}, unit="req/s")
    head = result_set("h", {"rps": noisy(rng, 130.0), "x": noisy(rng, 1.0)}, unit="req/s")
    body = _chart(render_markdown(compare(base, head)))
    assert float(re.search(r"line \[(.*?)\]", body).group(1)) < -20


def test_an_unchanged_suite_has_no_table_of_changes_and_no_chart(rng):
    base = {f"q{i}": noisy(rng, 1.0) for i in range(3)}
    head = {f"q{i}": noisy(rng, 1.0) for i in range(3)}
    text = render_markdown(compare(*pair(base, head)))
    assert text.startswith("✅ **No significant change** · 0 regressed, 0 improved, 3 unchanged")
    assert "```mermaid" not in text
    assert text.split("<details>")[0].count("\n|") == 0


def test_a_benchmark_too_noisy_to_judge_is_listed_first_as_such_not_among_the_unchanged(rng):
    base = {"steady": noisy(rng, 1.0), "wild": noisy(rng, 1.0, cv=0.6)}
    head = {"steady": noisy(rng, 1.0), "wild": noisy(rng, 1.0, cv=0.6)}
    text = render_markdown(compare(*pair(base, head)))
    assert text.splitlines()[0].startswith("🟡 **Inconclusive**")
    assert "1 unchanged, 1 inconclusive (1 too noisy)" in text.splitlines()[0]
    listed = re.search(
        r"\*\*Could not be judged\*\* \(1: 1 too noisy\).*\n- too noisy: <code>(\w+)</code>: "
        r".*could detect",
        text,
    )
    assert listed is not None
    assert listed.group(1) == "wild"
    folded = text.split("<details>")[1]
    assert "wild" not in folded
    assert "steady" in folded


def test_the_legend_says_what_base_head_and_change_are(markdown):
    footer = markdown.rstrip().splitlines()[-1]
    assert "Hodges-Lehmann" in footer
    assert "Base and Head are medians" in footer


HOSTILE = "evil | <img src=x onerror=alert(1)> @org/team `rm` [x](http://e) <!-- \n ```"


def test_benchmark_names_from_the_pr_are_inert(rng):
    text = render_markdown(compare(*pair({HOSTILE: noisy(rng, 1.0)}, {HOSTILE: noisy(rng, 2.0)})))
    table_row = next(line for line in text.splitlines() if line.startswith("| 1 | 🔴"))
    assert table_row.count(" | ") == 7  # the name's | does not add a column
    assert "<img" not in text
    assert "<!--" not in text
    assert "@org" not in text.replace("@\u200borg", "")
    assert "`" not in _chart(text)
    assert text.count("```") == 2  # the name cannot close or open a fence


def test_a_ref_from_the_pr_is_inert_and_a_bad_repository_gets_no_link(rng):
    facts = RunFacts(repository="not a repo", base_ref=HOSTILE, base_sha="abcdef1")
    text = render_markdown(compare(*pair({"a": noisy(rng, 1.0)}, {"a": noisy(rng, 1.0)})), facts)
    provenance = text.split("\n\n")[1]
    assert "<img" not in provenance
    assert "<!--" not in provenance
    assert "](" not in provenance
    assert "<code>abcdef1</code>" in provenance
