"""When the machine, not the code, was the problem: the load and the steal the driver recorded
in the round manifests, said at the start of every report."""

from __future__ import annotations

import json

import numpy as np
import pytest

from workflows.compare import compare
from workflows.compare.environment import busy
from workflows.compare.html_report import render_html
from workflows.compare.markdown_report import render_markdown
from workflows.compare.text_report import render_text
from workflows.results import ResultSet, make_benchmark


def row(round_: int, cpus=2, before=0.3, during=0.9, steal=0.0) -> dict:
    return {
        "round": round_, "position": 1, "node": "n", "cpu": "c", "cpus": cpus,
        "load_before": before, "load_during": during, "steal": steal,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("base", "head", "said"),
    [
        ([row(1)], [row(1)], None),
        ([row(1, during=2.0)], [row(1)], None),  # 1.0 a CPU: what a benchmark using both has
        ([row(1)], [row(1), row(2, during=11.0)], ["load 11.0 on 2 CPUs", "round 2 (head)"]),
        ([row(1, before=6.5)], [row(1)], ["load 6.5 on 2 CPUs", "before round 1 (base)"]),
        ([row(1, cpus=8, during=9.0)], [row(1, cpus=8)], ["load 9.0 on 8 CPUs"]),
        ([row(1)], [row(3, steal=12.5)], ["12.5 % of the CPU time", "round 3 (head)"]),
        ([row(1, steal=5.0)], [row(1)], None),
        ([row(1, during=5.0, steal=9.0)], [row(1)], ["load 5.0 on 2 CPUs", "9.0 %"]),
        ([row(1, cpus=None, during=9.0)], [row(1, cpus=None)], None),  # no CPU count
        ([{"round": 1, "position": 1}], [{"round": 1, "position": 1}], None),  # older driver
    ],
)
def test_the_load_is_said_when_it_is_above_what_a_run_can_bear(base, head, said):
    found = busy({"rounds": base}, {"rounds": head})
    if said is None:
        assert found is None
    else:
        assert found is not None
        for part in said:
            assert part in found


def side(label: str, rounds: list[dict], rng: np.random.Generator) -> ResultSet:
    samples = np.exp(0.01 * rng.standard_normal(50))
    bench = make_benchmark("q", "s", samples=samples, rounds=np.repeat(np.arange(1, 11), 5))
    return ResultSet.build(label, "perfbot", [bench], {"rounds": rounds})


@pytest.fixture
def loaded(rng):
    rounds = [row(r, during=11.0 if r == 4 else 0.9) for r in range(1, 11)]
    return compare(side("base", rounds, rng), side("head", [row(r) for r in range(1, 11)], rng))


def test_every_report_says_it_at_its_start(loaded):
    sentence = loaded.busy
    assert sentence is not None
    assert "load 11.0 on 2 CPUs" in sentence
    markdown = render_markdown(loaded)
    assert markdown.index("load 11.0 on 2 CPUs") < markdown.index("|")
    text = render_text(loaded).splitlines()
    assert "load 11.0 on 2 CPUs" in text[2]
    html = render_html(loaded)
    assert html.index("load 11.0 on 2 CPUs") < html.index("<table")
    from workflows.compare.json_report import render_json

    assert json.loads(render_json(loaded))["busy"] == sentence


def test_a_quiet_machine_adds_nothing(rng):
    rounds = [row(r) for r in range(1, 11)]
    comparison = compare(side("base", rounds, rng), side("head", rounds, rng))
    assert comparison.busy is None
    assert "busy" not in render_markdown(comparison)
