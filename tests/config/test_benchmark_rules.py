"""`compare.benchmarks` in perfbot.yaml: per-benchmark rules, from the config to the compare
step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.config.test_config import GOOD_JOB, one_job
from workflows.cli.compare import compare_paths
from workflows.compare.rules import rules_from_list
from workflows.config import ConfigError, parse_config
from workflows.pipeline.compare import compare_args

RULES = """        compare:
          benchmarks:
            - {match: "q*", threshold: 0.1}
            - {match: q1, direction: higher}
            - {match: warmup, ignore: true}
"""
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "results"


def test_rules_are_read_in_order_from_the_job():
    job = parse_config(one_job(GOOD_JOB + RULES)).job("sql")
    assert [rule.match for rule in job.compare.benchmarks] == ["q*", "q1", "warmup"]
    assert job.compare.benchmarks[1].direction == "higher"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{match: q, direction: sideways}", "compare.benchmarks.0.direction"),
        ("{match: q, threshold: -1}", "compare.benchmarks.0.threshold"),
        ("{threshold: 0.1}", "compare.benchmarks.0.match"),
        ("{match: q, colour: red}", "compare.benchmarks.0.colour: unknown key"),
        ("{match: q, metric: 'CPU time'}", "compare.benchmarks.0.metric"),
    ],
)
def test_a_bad_rule_names_its_place(rule: str, message: str):
    text = one_job(GOOD_JOB + f"        compare:\n          benchmarks: [{rule}]\n")
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        parse_config(text)


def test_the_compare_step_receives_the_rules_as_one_json_argument():
    job = parse_config(one_job(GOOD_JOB + RULES)).job("sql")
    args = compare_args(job)
    rules = json.loads(args[args.index("--benchmark-rules") + 1])
    assert rules == [
        {"match": "q*", "threshold": 0.1},
        {"match": "q1", "direction": "higher"},
        {"match": "warmup", "ignore": True},
    ]


def test_a_job_without_rules_passes_none():
    assert "--benchmark-rules" not in compare_args(parse_config(one_job(GOOD_JOB)).job("sql"))


def test_the_rules_the_step_receives_are_the_ones_perfbot_compare_applies():
    only_get = "[{match: '*', ignore: true}, {match: 'GET*', ignore: false}]"
    text = one_job(GOOD_JOB + "        compare:\n          benchmarks: " + only_get + "\n")
    args = compare_args(parse_config(text).job("sql"))[2:]  # the examples are perfbot's format
    comparison = compare_paths(EXAMPLES / "base.json", EXAMPLES / "head.json", args)
    assert comparison.ignored
    assert all(row.name.startswith("GET") for row in comparison.benchmarks)


def test_the_deciding_metric_reaches_the_compare_step_and_chooses_the_verdicts_metric():
    text = one_job(
        GOOD_JOB + "        compare:\n          benchmarks: [{match: job, metric: cpu}]\n"
    )
    args = compare_args(parse_config(text).job("sql"))
    rules = json.loads(args[args.index("--benchmark-rules") + 1])
    assert rules == [{"match": "job", "metric": "cpu"}]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"match": "q", "metric": 3}, "metric must be a string"),
        ({"match": "q", "metric": "CPU time"}, "metric must be a metric's name"),
    ],
)
def test_a_bad_metric_in_a_rule_given_to_perfbot_compare_is_refused(entry, message):
    with pytest.raises(ValueError, match=message):
        rules_from_list([entry], "--benchmark-rules")
