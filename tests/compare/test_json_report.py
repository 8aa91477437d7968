"""The JSON report is a contract: its shape is checked against a schema, its values against
the comparison it came from."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.compare.builders import noisy, pair
from workflows.compare import Verdict, compare, render_json
from workflows.compare.verdicts import Verdict as VerdictWords

NUMBER_OR_NULL = {"type": ["number", "null"]}
SIDE = {
    "type": ["object", "null"],
    "required": ["n", "median", "mean", "stddev", "iqr", "min", "max", "raw"],
    "properties": {"n": {"type": "integer", "minimum": 1}, "raw": {"type": "boolean"}},
}
VERDICT = {"enum": [str(v) for v in VerdictWords]}
SCHEMA = {
    "type": "object",
    "required": ["schema_version", "summary", "benchmarks", "options", "base", "head", "warnings"],
    "properties": {
        "schema_version": {"const": 1},
        "summary": {
            "type": "object",
            "required": ["verdict", "counts", "compared", "geomean_change"],
            "properties": {
                "verdict": {"enum": ["regressed", "improved", "unchanged"]},
                "counts": {
                    "type": "object",
                    "required": [str(v) for v in VerdictWords],
                    "additionalProperties": {"type": "integer"},
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
                    "change",
                    "p_value",
                    "base",
                    "head",
                    "ci_low",
                    "ci_high",
                ],
                "properties": {
                    "name": {"type": "string"},
                    "verdict": VERDICT,
                    "change": NUMBER_OR_NULL,
                    "ci_low": NUMBER_OR_NULL,
                    "ci_high": NUMBER_OR_NULL,
                    "p_value": NUMBER_OR_NULL,
                    "p_adjusted": NUMBER_OR_NULL,
                    "direction": {"enum": ["lower", "higher"]},
                    "base": SIDE,
                    "head": SIDE,
                    "warnings": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "options": {
            "type": "object",
            "required": ["threshold", "alpha", "min_samples", "confidence"],
        },
        "warnings": {"type": "array", "items": {"type": "string"}},
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
        "unchanged": 2,
        "added": 1,
        "removed": 1,
    }
    assert document["summary"]["compared"] == 4


def test_one_sided_and_untestable_benchmarks_have_nulls_not_guesses(report):
    _, document = report
    by_name = {b["name"]: b for b in document["benchmarks"]}
    assert by_name["gone"]["head"] is None
    assert by_name["gone"]["change"] is None
    assert by_name["new"]["base"] is None
    assert by_name["few"]["p_value"] is None
    assert by_name["few"]["verdict"] == "unchanged"
    assert by_name["few"]["warnings"]


def test_the_options_used_are_recorded(report):
    comparison, document = report
    assert document["options"] == comparison.options.to_dict()


def test_an_infinite_change_is_written_as_null_so_the_json_stays_standard():
    comparison = compare(*pair({"q": [0.0] * 6}, {"q": [1.0] * 6}, unit="allocs/op"))
    text = render_json(comparison)
    assert "Infinity" not in text
    assert json.loads(text)["benchmarks"][0]["change"] is None
    assert json.loads(text)["summary"]["verdict"] == Verdict.REGRESSED
