"""Several metrics of one benchmark (wall time, CPU time, peak memory, instructions): one verdict,
on the metric chosen for it, the others shown beside it with their own intervals, outside the
suite's false-discovery family."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence

import numpy as np
import pytest

from workflows.compare import compare, display
from workflows.compare.html_report import render_html
from workflows.compare.json_report import report_dict
from workflows.compare.markdown_report import render_markdown
from workflows.compare.options import CompareOptions
from workflows.compare.rules import BenchmarkRule
from workflows.compare.text_report import render_text
from workflows.compare.verdicts import Open, Verdict
from workflows.results import Benchmark, ResultSet, make_benchmark
from workflows.results.measured import COMMAND, METRIC, METRIC_OF, PERFBOT_MEASURED

ROUNDS = 10
QUIET, BUSY = 0.005, 0.30  # a metric's spread between rounds: CPU time, wall on a busy machine


def series(seed: int, center: float, cv: float, change: float = 0.0) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    noise = lambda: np.exp(cv * rng.standard_normal(ROUNDS))  # noqa: E731
    return (center * noise()).tolist(), (center * (1 + change) * noise()).tolist()


def metric(name: str, values: Sequence[float], label: str | None, of: str | None, **extra):
    metadata: dict = dict(extra)
    if label:
        metadata[METRIC] = label
    if of:
        metadata[METRIC_OF] = of
    return make_benchmark(name, "s", samples=values, rounds=range(1, ROUNDS + 1), metadata=metadata)


def sides(specs: Mapping[str, tuple]) -> tuple[ResultSet, ResultSet]:
    """specs: name -> (label, metric_of, cv, change, extra metadata)."""
    base: list[Benchmark] = []
    head: list[Benchmark] = []
    for seed, (name, (label, of, cv, change, extra)) in enumerate(specs.items()):
        b, h = series(seed, 1.0, cv, change)
        base.append(metric(name, b, label, of, **extra))
        head.append(metric(name, h, label, of, **extra))
    return ResultSet.build("base", "perfbot", base), ResultSet.build("head", "perfbot", head)


def rules(**metrics: str) -> CompareOptions:
    return CompareOptions(rules=tuple(BenchmarkRule(m, metric=v) for m, v in metrics.items()))


# A job whose wall time is busy-machine noise and whose CPU time grew by 10 %.
BUSY_JOB = {
    "job": ("wall", None, BUSY, 0.10, {}),
    "job [cpu]": ("cpu", "job", QUIET, 0.10, {}),
    "other": (None, None, QUIET, 0.0, {}),
}


@pytest.mark.parametrize(
    ("options", "decider", "verdict", "beside"),
    [
        (CompareOptions(), "job", Verdict.INCONCLUSIVE, {"job [cpu]": Verdict.REGRESSED}),
        (rules(job="cpu"), "job [cpu]", Verdict.REGRESSED, {"job": Verdict.INCONCLUSIVE}),
        (rules(job="wall"), "job", Verdict.INCONCLUSIVE, {"job [cpu]": Verdict.REGRESSED}),
    ],
)
def test_one_verdict_per_benchmark_on_its_chosen_metric_the_others_beside(
    options, decider, verdict, beside
):
    result = compare(*sides(BUSY_JOB), options)
    rows = {row.name: row for row in result.benchmarks}
    assert set(rows) == {decider, "other"}
    row = rows[decider]
    assert row.verdict is verdict
    assert row.in_verdict
    assert {b.name: b.verdict for b in row.beside} == beside
    assert not any(b.in_verdict for b in row.beside)
    assert row.metric == ("cpu" if decider.endswith("[cpu]") else "wall")


def test_a_cpu_verdict_is_named_as_cpu_and_never_as_wall():
    result = compare(*sides(BUSY_JOB), rules(job="cpu"))
    (row,) = (r for r in result.benchmarks if r.name != "other")
    assert row.name == "job [cpu]"
    assert any("decided on cpu" in w for w in row.warnings)
    text = render_text(result)
    assert "decided on cpu" in text
    markdown = render_markdown(result)
    assert "decided on cpu" in markdown
    assert "wall" in markdown


def test_secondary_metrics_do_not_join_the_false_discovery_family():
    alone = {"job": ("wall", None, QUIET, 0.0, {}), "b": (None, None, QUIET, 0.0, {})}
    with_metrics = {
        **alone,
        "job [cpu]": ("cpu", "job", QUIET, 0.0, {}),
        "job [instructions]": ("instructions", "job", QUIET, 0.0, {}),
    }
    first = {r.name: r for r in compare(*sides(alone)).benchmarks}
    second = {r.name: r for r in compare(*sides(with_metrics)).benchmarks}
    for name in ("job", "b"):
        assert second[name].p_adjusted == pytest.approx(first[name].p_adjusted)
        assert second[name].detectable_change == pytest.approx(first[name].detectable_change)


def test_a_metric_asked_for_but_not_measured_leaves_the_verdict_on_wall_and_says_so():
    result = compare(*sides(BUSY_JOB), rules(job="instructions"))
    row = next(r for r in result.benchmarks if r.name == "job")
    assert row.metric == "wall"
    assert any("instructions" in w and "not measured" in w for w in row.warnings)


def test_perfbots_own_figures_are_shown_but_not_judged_unless_a_metric_is_chosen():
    own = {PERFBOT_MEASURED: True}
    specs = {
        COMMAND: ("wall", None, QUIET, 0.5, own),
        f"{COMMAND} [cpu]": ("cpu", COMMAND, QUIET, 0.5, own),
        "other": (None, None, QUIET, 0.0, {}),
    }
    shown = compare(*sides(specs))
    assert [r.name for r in shown.benchmarks] == ["other"]
    assert shown.verdict is Verdict.UNCHANGED
    (command,) = shown.measured
    assert command.name == COMMAND
    assert not command.in_verdict
    assert command.verdict is Verdict.REGRESSED  # its own reading, outside the verdict
    assert [b.name for b in command.beside] == [f"{COMMAND} [cpu]"]

    judged = compare(*sides(specs), rules(**{COMMAND: "cpu"}))
    assert {r.name for r in judged.benchmarks} == {f"{COMMAND} [cpu]", "other"}
    assert judged.verdict is Verdict.REGRESSED
    assert judged.measured == ()


@pytest.mark.parametrize(
    ("wall", "cpu", "said"),
    [
        (0.10, 0.0, "often means waiting"),  # slower, with no more CPU: I/O, locks, network
        (0.0, 0.10, "disagree"),
        (0.10, 0.10, None),
    ],
)
def test_a_disagreement_between_metrics_is_said(wall, cpu, said):
    specs = {
        "job": ("wall", None, QUIET, wall, {}),
        "job [cpu]": ("cpu", "job", QUIET, cpu, {}),
    }
    (row,) = compare(*sides(specs)).benchmarks
    found = [w for w in row.warnings if "disagree" in w or "waiting" in w]
    if said is None:
        assert found == []
    else:
        assert any(said in w for w in found)


def test_the_json_report_carries_the_metric_what_stood_beside_and_perfbots_own():
    own = {PERFBOT_MEASURED: True}
    specs = {
        **BUSY_JOB,
        COMMAND: ("wall", None, QUIET, 0.0, own),
        f"{COMMAND} [cpu]": ("cpu", COMMAND, QUIET, 0.0, own),
    }
    document = json.loads(json.dumps(report_dict(compare(*sides(specs), rules(job="cpu")))))
    row = next(r for r in document["benchmarks"] if r["name"] == "job [cpu]")
    assert row["metric"] == "cpu"
    assert row["in_verdict"] is True
    assert [(b["name"], b["metric"], b["in_verdict"]) for b in row["beside"]] == [
        ("job", "wall", False)
    ]
    assert row["beside"][0]["reason"] == str(Open.TOO_NOISY)
    assert [m["name"] for m in document["measured"]] == [COMMAND]
    assert document["measured"][0]["beside"][0]["name"] == f"{COMMAND} [cpu]"


@pytest.mark.parametrize("render", [render_text, render_markdown, render_html])
def test_every_report_shows_the_other_metrics_beside_the_one_that_decided(render):
    own = {PERFBOT_MEASURED: True}
    specs = {
        **BUSY_JOB,
        COMMAND: ("wall", None, QUIET, 0.0, own),
        f"{COMMAND} [cpu]": ("cpu", COMMAND, QUIET, 0.0, own),
    }
    result = compare(*sides(specs), rules(job="cpu"))
    row = next(r for r in result.benchmarks if r.name == "job [cpu]")
    (wall,) = row.beside
    text = render(result)
    decided = display.metric_reading(row)
    assert decided.startswith(f"cpu {display.percent(row.change)}")
    assert "decides" in decided
    assert display.metric_reading(wall).startswith(f"wall {display.percent(wall.change)}")
    for reading in (decided, display.metric_reading(wall)):
        assert html.escape(reading) in text or reading in text
    assert display.MEASURED_TITLE in text
    (command,) = result.measured
    assert display.metric_reading(command.beside[0]) in html.unescape(text)


def test_a_benchmark_measured_only_in_cpu_time_is_named_so_in_every_report():
    specs = {"t": ("cpu", None, QUIET, 0.10, {}), "other": (None, None, QUIET, 0.0, {})}
    result = compare(*sides(specs))
    row = next(r for r in result.benchmarks if r.name == "t")
    assert row.metric == "cpu"
    assert row.in_verdict
    assert display.metric_reading(row) in render_text(result)
    assert display.metric_reading(row).startswith("cpu ")


def test_only_the_deciding_reading_is_bold_and_perfbots_own_have_none():
    own = {PERFBOT_MEASURED: True}
    specs = {
        **BUSY_JOB,
        COMMAND: ("wall", None, QUIET, 0.0, own),
        f"{COMMAND} [cpu]": ("cpu", COMMAND, QUIET, 0.0, own),
    }
    markdown = render_markdown(compare(*sides(specs), rules(job="cpu")))
    own_section = markdown.split(display.MEASURED_TITLE)[1].split("**Notes**")[0]
    assert "**" not in own_section.strip().removeprefix("**")
    assert markdown.count(", decides**") == 1
