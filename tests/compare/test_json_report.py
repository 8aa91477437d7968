"""The JSON report is a contract: its shape is checked against a schema, its values against
the comparison it came from."""

from __future__ import annotations

import json
import math

import jsonschema
import pytest

from tests.compare.builders import noisy, pair
from workflows.compare import Verdict, compare, render_json
from workflows.compare.provenance import RunFacts
from workflows.compare.verdicts import Finding, Open
from workflows.compare.verdicts import Verdict as VerdictWords

NUMBER_OR_NULL = {"type": ["number", "null"]}
COUNT = {"type": "integer", "minimum": 0}
SIDE = {
    "type": ["object", "null"],
    "required": [
        "n", "median", "mean", "stddev", "iqr", "min", "max", "raw",
        "rounds", "set_aside", "round_median",
    ],
    "properties": {
        "n": {"type": "integer", "minimum": 1},
        "raw": {"type": "boolean"},
        "rounds": COUNT,
        "set_aside": COUNT,
        "round_median": NUMBER_OR_NULL,
    },
}  # fmt: skip
PROVENANCE_SIDE = {
    "type": "object",
    "required": ["ref", "sha", "path", "rounds", "samples", "machines", "started", "finished"],
    "properties": {
        "ref": {"type": "string"},
        "sha": {"type": "string", "pattern": "^([0-9a-f]{7,40})?$"},
        "path": {"type": ["string", "null"]},
        "rounds": COUNT,
        "samples": COUNT,
        "machines": {"type": "object", "additionalProperties": {"type": "array"}},
    },
}
VERDICT = {"enum": [str(v) for v in VerdictWords]}
SCHEMA = {
    "type": "object",
    "required": [
        "schema_version",
        "summary",
        "benchmarks",
        "options",
        "base",
        "head",
        "warnings",
        "not_comparable",
        "ignored",
        "provenance",
    ],
    "properties": {
        "schema_version": {"const": 2},
        "summary": {
            "type": "object",
            "required": ["verdict", "counts", "open", "compared", "geomean_change"],
            "properties": {
                "verdict": {"enum": ["regressed", "improved", "unchanged", "inconclusive"]},
                "counts": {
                    "type": "object",
                    "required": [str(v) for v in VerdictWords],
                    "additionalProperties": {"type": "integer"},
                },
                "open": {
                    "type": "object",
                    "propertyNames": {"enum": [str(r) for r in Open]},
                    "additionalProperties": {"type": "integer", "minimum": 1},
                },
                "geomean_change": NUMBER_OR_NULL,
            },
        },
        "benchmarks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "name",
                    "verdict",
                    "reason",
                    "finding",
                    "change",
                    "p_value",
                    "base",
                    "head",
                    "ci_low",
                    "ci_high",
                    "threshold",
                    "detectable_change",
                    "too_noisy",
                    "needed",
                    "paired_rounds",
                    "order_effect",
                    "tail",
                    "settings",
                    "measurement",
                ],
                "properties": {
                    "name": {"type": "string"},
                    "verdict": VERDICT,
                    "reason": {"enum": [None, *(str(r) for r in Open)]},
                    "finding": {"enum": [None, *(str(f) for f in Finding)]},
                    "change": NUMBER_OR_NULL,
                    "ci_low": NUMBER_OR_NULL,
                    "ci_high": NUMBER_OR_NULL,
                    "p_value": NUMBER_OR_NULL,
                    "p_adjusted": NUMBER_OR_NULL,
                    "direction": {"enum": ["lower", "higher"]},
                    "base": SIDE,
                    "head": SIDE,
                    "warnings": {"type": "array", "items": {"type": "string"}},
                    "threshold": NUMBER_OR_NULL,
                    "detectable_change": NUMBER_OR_NULL,
                    "too_noisy": {"type": "boolean"},
                    "needed": {"type": ["integer", "null"]},
                    "paired_rounds": {"type": ["integer", "null"]},
                    "order_effect": NUMBER_OR_NULL,
                    "tail": {"type": ["object", "null"]},
                    "settings": {"type": "object"},
                    "measurement": {"type": ["string", "null"]},
                    "confirmation": {"type": ["object", "null"]},
                },
            },
        },
        "options": {
            "type": "object",
            "required": ["threshold", "alpha", "min_samples", "confidence"],
        },
        "warnings": {"type": "array", "items": {"type": "string"}},
        "not_comparable": {"type": ["string", "null"]},
        "ignored": {"type": "array", "items": {"type": "string"}},
        "confirmation": {"type": ["object", "null"]},
        "provenance": {
            "type": "object",
            "required": ["repository", "job", "pr", "base", "head", "version"],
            "properties": {
                "pr": COUNT,
                "base": PROVENANCE_SIDE,
                "head": PROVENANCE_SIDE,
                "version": {"type": "string"},
            },
        },
    },
}


@pytest.fixture
def report(rng):
    base = {
        "slow": noisy(rng, 1.0),
        "fast": noisy(rng, 1.0),
        "same": noisy(rng, 1.0),
        "gone": noisy(rng, 1.0),
        "few": [1.0, 1.1],
    }
    head = {
        "slow": noisy(rng, 1.2),
        "fast": noisy(rng, 0.8),
        "same": noisy(rng, 1.0),
        "new": noisy(rng, 1.0),
        "few": [2.0, 2.1],
    }
    comparison = compare(*pair(base, head))
    return comparison, json.loads(render_json(comparison))


def test_the_report_matches_the_contracts_schema(report):
    _, document = report
    jsonschema.validate(document, SCHEMA)


def test_each_benchmark_keeps_its_input_name_and_order(report):
    _, document = report
    assert [b["name"] for b in document["benchmarks"]] == [
        "slow",
        "fast",
        "same",
        "gone",
        "few",
        "new",
    ]


def test_change_is_relative_growth_of_the_value(report):
    comparison, document = report
    slow = document["benchmarks"][0]
    assert slow["verdict"] == "regressed"
    assert slow["change"] == pytest.approx(comparison.benchmarks[0].change)
    assert 0.15 < slow["change"] < 0.25
    assert slow["ci_low"] < slow["change"] < slow["ci_high"]
    assert slow["base"]["median"] == pytest.approx(comparison.benchmarks[0].base.median)


def test_the_summary_counts_every_verdict_and_names_the_worst(report):
    _, document = report
    assert document["summary"]["verdict"] == "regressed"
    assert document["summary"]["counts"] == {
        "regressed": 1,
        "improved": 1,
        "unchanged": 1,
        "inconclusive": 1,
        "added": 1,
        "removed": 1,
    }
    assert document["summary"]["open"] == {"too few samples": 1}
    assert document["summary"]["compared"] == 4


def test_one_sided_and_untestable_benchmarks_have_nulls_not_guesses(report):
    _, document = report
    by_name = {b["name"]: b for b in document["benchmarks"]}
    assert by_name["gone"]["head"] is None
    assert by_name["gone"]["change"] is None
    assert by_name["new"]["base"] is None
    assert by_name["few"]["p_value"] is None
    assert by_name["few"]["verdict"] == "inconclusive"
    assert by_name["few"]["reason"] == "too few samples"
    assert by_name["few"]["warnings"]
    assert by_name["same"]["reason"] is None


def test_the_options_used_are_recorded(report):
    comparison, document = report
    assert document["options"] == comparison.options.to_dict()


def test_an_infinite_change_is_written_as_null_so_the_json_stays_standard():
    comparison = compare(*pair({"q": [0.0] * 6}, {"q": [1.0] * 6}, unit="allocs/op"))
    text = render_json(comparison)
    assert "Infinity" not in text
    assert json.loads(text)["benchmarks"][0]["change"] is None
    assert json.loads(text)["summary"]["verdict"] == Verdict.REGRESSED


def test_a_benchmark_that_could_detect_nothing_has_a_null_detectable_change_and_is_too_noisy():
    comparison = compare(*pair({"q": [1.0, 1.5, 0.7, 1.3, 0.9]}, {"q": [1.1, 0.6, 1.4, 0.8, 1.2]}))
    row = json.loads(render_json(comparison))["benchmarks"][0]
    assert comparison.benchmarks[0].detectable_change is not None
    assert row["too_noisy"] is True
    if math.isinf(comparison.benchmarks[0].detectable_change):
        assert row["detectable_change"] is None
    else:
        assert row["detectable_change"] > row["threshold"]


def test_the_provenance_reads_back_as_the_facts_it_was_written_from(rng):
    facts = RunFacts(repository="a/b", job="j", pr=7, base_ref="main", base_sha="abcdef1",
                     head_ref="topic", head_sha="1234567")  # fmt: skip
    comparison = compare(*pair({"q": noisy(rng, 1.0)}, {"q": noisy(rng, 1.0)}))
    document = json.loads(render_json(comparison, facts))
    assert RunFacts.from_provenance(document["provenance"]) == facts


@pytest.mark.parametrize(
    "provenance",
    [None, [], {"pr": "7", "base": "main"}, {"base": {"sha": "not-hex"}}, {"pr": True}],
    ids=["missing", "not-a-mapping", "wrong-types", "bad-sha", "bool-pr"],
)
def test_a_malformed_provenance_reads_back_as_no_facts(provenance):
    assert RunFacts.from_provenance(provenance) == RunFacts()
