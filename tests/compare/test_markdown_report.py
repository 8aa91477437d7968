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


def _charts(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", markdown, re.S)


def _bars(chart: str) -> tuple[list[str], list[float]]:
    labels = re.search(r"x-axis \[(.*)\]", chart).group(1)
    bars = re.search(r"bar \[(.*)\]", chart).group(1)
    return [x.strip().strip('"') for x in labels.split(",")], [float(v) for v in bars.split(",")]


def test_the_charts_are_bars_from_zero_never_a_line_joining_benchmarks(markdown):
    for chart in _charts(markdown):
        assert "line [" not in chart
        assert re.search(r"y-axis .* 0 --> \d+", chart)


def test_regressions_and_improvements_are_charted_apart_by_the_tables_numbers(markdown):
    worse, better = _charts(markdown)
    assert "Regressions by #" in worse
    assert "Improvements by #" in better
    assert _bars(worse)[0] == ["2", "3"]  # q5, q1: the table's numbers, in its order
    assert _bars(better)[0] == ["1"]  # q4


def test_every_bar_is_the_size_of_its_change(markdown):
    worse, better = _charts(markdown)
    sizes = _bars(worse)[1]
    assert sizes[0] > 20
    assert 5 < sizes[1] < sizes[0]
    assert _bars(better)[1][0] > 20


def test_a_better_throughput_is_charted_as_an_improvement(rng):
    base = result_set("b", {"rps": noisy(rng, 100.0), "x": noisy(rng, 1.0)}, unit="req/s")
    head = result_set("h", {"rps": noisy(rng, 130.0), "x": noisy(rng, 1.0)}, unit="req/s")
    [chart] = _charts(render_markdown(compare(base, head)))
    assert "Improvements by #" in chart
    assert _bars(chart)[1][0] > 20


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
    assert all("`" not in chart for chart in _charts(text))
    assert text.count("```") == 2  # the name cannot close or open a fence


def test_a_ref_from_the_pr_is_inert_and_a_bad_repository_gets_no_link(rng):
    facts = RunFacts(repository="not a repo", base_ref=HOSTILE, base_sha="abcdef1")
    text = render_markdown(compare(*pair({"a": noisy(rng, 1.0)}, {"a": noisy(rng, 1.0)})), facts)
    provenance = text.split("\n\n")[1]
    assert "<img" not in provenance
    assert "<!--" not in provenance
    assert "](" not in provenance
    assert "<code>abcdef1</code>" in provenance
