"""The picture of the run in the HTML report: a mark for every round of each side, in run
order, with the slow outliers the test set aside ringed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tests.compare.builders import noisy, pair, summary_only
from workflows.compare import compare, render_html
from workflows.compare.environment import head_second
from workflows.compare.round_chart import MAX_DOTS, MAX_FILE_POINTS, MAX_RINGS, slots
from workflows.results import ResultSet, load_results, make_benchmark

INPUTS = Path(__file__).parent / "golden" / "inputs"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def rounds():
    return compare(
        load_results(INPUTS / "rounds" / "base"), load_results(INPUTS / "rounds" / "head")
    )


def _charts(page: str) -> dict[str, ET.Element]:
    found = {}
    for name, svg in re.findall(
        r'<figure class="benchmark"><figcaption>(.*?) · .*?</figcaption>(<svg.*?</svg>)', page
    ):
        found[name] = ET.fromstring(svg)  # noqa: S314 (our own output, parsed to check it)
    return found


def _marks(chart: ET.Element, kind: str) -> list[ET.Element]:
    return [c for c in chart.iter(f"{SVG}circle") if c.get("class", "").split()[0] == kind]


def test_every_benchmark_gets_a_chart(rounds):
    assert set(_charts(render_html(rounds))) == {b.name for b in rounds.benchmarks}


@pytest.mark.parametrize("side", ["base", "head"])
def test_each_chart_has_one_mark_per_round_of_each_side(rounds, side):
    for name, chart in _charts(render_html(rounds)).items():
        marks = [m for m in _marks(chart, "round") if side in m.get("class", "").split()]
        assert len(marks) == 10, name


def test_the_rounds_are_placed_in_the_order_they_ran(rounds):
    row = rounds.benchmarks[0]
    base = rounds.base_results.benchmarks[row.name]
    head = rounds.head_results.benchmarks[row.name]
    order = [(s.side, s.round) for s in slots(row, base, head, head_second(rounds.head_metadata))]
    assert order[:6] == [
        ("base", 1),
        ("head", 1),
        ("head", 2),
        ("base", 2),
        ("base", 3),
        ("head", 3),
    ]


def test_the_marks_go_left_to_right_in_run_order(rounds):
    chart = _charts(render_html(rounds))[rounds.benchmarks[0].name]
    xs = [float(m.get("cx")) for m in _marks(chart, "round")]
    assert xs == sorted(xs)
    assert len(set(xs)) == 20


def test_a_drifting_benchmark_draws_as_a_rising_line(rounds):
    chart = _charts(render_html(rounds))["test_cache_warmup"]
    heights = [float(m.get("cy")) for m in _marks(chart, "round")]
    first, last = sum(heights[:4]) / 4, sum(heights[-4:]) / 4
    assert first - last > 60  # SVG y grows downwards: the last rounds are far the slowest


def test_the_rings_are_the_outliers_the_test_set_aside(rounds):
    charts = _charts(render_html(rounds))
    for row in rounds.benchmarks:
        for side, stats in (("base", row.base), ("head", row.head)):
            rings = [m for m in _marks(charts[row.name], "set-aside") if side in m.get("class")]
            assert len(rings) == stats.set_aside, (row.name, side)
    assert rounds.benchmarks[-1].head.set_aside >= 1  # the case has some to ring


def test_a_file_without_rounds_draws_every_sample_base_first(rng):
    comparison = compare(*pair({"q": noisy(rng, 1.0, n=8)}, {"q": noisy(rng, 1.2, n=8)}))
    chart = _charts(render_html(comparison))["q"]
    marks = _marks(chart, "sample")
    sides = [m.get("class").split()[1] for m in marks if m.find(f"{SVG}title") is not None]
    assert sides == ["base"] * 8 + ["head"] * 8


def test_a_side_with_only_summary_statistics_gets_no_chart(rng):
    base = ResultSet.build("b", "perfbot", [summary_only("q", 10, 1.0, 0.01)])
    head = ResultSet.build("h", "perfbot", [summary_only("q", 10, 1.1, 0.01)])
    assert _charts(render_html(compare(base, head))) == {}


def _wide(rng, per_round: int, rounds: int = 10) -> ResultSet:
    samples = np.exp(0.02 * rng.standard_normal(rounds * per_round))
    samples[::97] *= 1.5  # slow outliers, about one in a hundred
    numbers = np.repeat(np.arange(1, rounds + 1), per_round)
    return ResultSet.build(
        "s", "perfbot", [make_benchmark("q", "s", samples=samples, rounds=numbers)]
    )


# samples a round, the most dots and rings a round may draw
WIDE_ROUNDS = [(5, 5), (MAX_DOTS + 1, MAX_DOTS), (2000, MAX_DOTS)]


@pytest.mark.parametrize(("per_round", "most"), WIDE_ROUNDS)
def test_a_round_of_thousands_of_samples_draws_a_bounded_picture_of_them(rng, per_round, most):
    comparison = compare(_wide(rng, per_round), _wide(rng, per_round))
    chart = _charts(render_html(comparison))["q"]
    for side in ("base", "head"):
        dots = [m for m in _marks(chart, "sample") if side in m.get("class")]
        rings = [m for m in _marks(chart, "set-aside") if side in m.get("class")]
        assert len(dots) <= most * 10
        assert len(rings) <= MAX_RINGS * 10
        assert len(_marks(chart, "round")) == 20  # every round's median is still there
    said = " ".join(t.text or "" for t in chart.iter(f"{SVG}title"))
    if comparison.benchmarks[0].base.set_aside > MAX_RINGS * 10:
        assert "more set aside" in said


def test_a_file_of_thousands_of_samples_draws_a_bounded_picture_of_them(rng):
    base = ResultSet.build(
        "b", "perfbot", [make_benchmark("q", "s", samples=noisy(rng, 1, n=20_000))]
    )
    head = ResultSet.build(
        "h", "perfbot", [make_benchmark("q", "s", samples=noisy(rng, 1, n=20_000))]
    )
    chart = _charts(render_html(compare(base, head)))["q"]
    assert len(list(chart.iter(f"{SVG}circle"))) <= 2 * (MAX_FILE_POINTS + MAX_RINGS)


def _outlying(rng, level: float) -> ResultSet:
    """10 rounds of 20 samples around `level` seconds, two of them 400 times slower."""
    samples = level * np.exp(0.01 * rng.standard_normal(200))
    samples[[13, 117]] *= 400
    numbers = np.repeat(np.arange(1, 11), 20)
    return ResultSet.build(
        "s", "perfbot", [make_benchmark("q", "s", samples=samples, rounds=numbers)]
    )


@pytest.fixture
def outlying(rng) -> ET.Element:
    comparison = compare(_outlying(rng, 200e-6), _outlying(rng, 240e-6))
    return _charts(render_html(comparison))["q"]


def test_the_axis_fits_the_kept_samples_so_the_rounds_are_not_flattened_by_outliers(outlying):
    ys = {side: [float(m.get("cy")) for m in _marks(outlying, "round") if side in m.get("class")]
          for side in ("base", "head")}  # fmt: skip
    assert min(ys["base"]) - max(ys["head"]) > 30  # +20 % is a third of the plot's height apart


def test_outliers_beyond_the_axis_are_ringed_at_its_edge_with_their_value(outlying):
    rings = _marks(outlying, "set-aside")
    assert len(rings) >= 4  # the four planted, 400 times slower, and any the noise made
    for ring in rings:  # slower than every kept sample, so beyond the axis
        assert "beyond" in ring.get("class")
        assert float(ring.get("cy")) <= 10
        assert "above the axis" in ring.find(f"{SVG}title").text


def test_a_caption_breaks_between_words_never_inside_a_number(rng):
    base = {"a_very_long_benchmark_name_" * 4: noisy(rng, 1.0)}
    head = {"a_very_long_benchmark_name_" * 4: noisy(rng, 0.977)}
    page = render_html(compare(*pair(base, head)))
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page).group(1)
    assert re.search(r'<span class="nowrap">[a-z ]+ [+-]\d+\.\d %</span>$', caption)
    assert "break-all" not in page


@pytest.mark.parametrize(("spread", "log"), [(50.0, True), (2.0, False)])
def test_kept_samples_spanning_more_than_a_factor_of_ten_get_a_log_axis(rng, spread, log):
    levels = np.where(np.arange(200) % 2, spread, 1.0) * 1e-3  # two levels, every round
    samples = levels * np.exp(0.01 * rng.standard_normal(200))
    numbers = np.repeat(np.arange(1, 11), 20)
    sets = [
        ResultSet.build(s, "perfbot", [make_benchmark("q", "s", samples=samples, rounds=numbers)])
        for s in ("b", "h")
    ]
    chart = ET.tostring(_charts(render_html(compare(*sets)))["q"], encoding="unicode")
    assert (">log<" in chart) is log
