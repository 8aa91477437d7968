"""The run document, the schema's labels over it, and where its time window comes from."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import jsonschema
import pytest

from tests.bot.constants import HEAD_SHA, MAIN_SHA
from tests.bot.payloads import PR_NUMBER, REPO
from workflows.horreum.document import SCHEMA_URI, RunIdentity, build, run_window
from workflows.horreum.schema import LABELS, VALIDATION

RUN = RunIdentity(
    repository=REPO, pr=PR_NUMBER, job="api", base_ref="main", base_sha=MAIN_SHA,
    head_sha=HEAD_SHA, workflow_name="perf-api-1", workflow_url="https://argo/x",
)  # fmt: skip


def jsonpath(document: Any, path: str) -> Any:
    """The subset of JSONPath the labels use: `$.a.b` and `$.list[*].key`."""
    values = [document]
    for part in path.removeprefix("$.").split("."):
        if part.endswith("[*]"):
            values = [item for v in values for item in v[part[:-3]]]
        else:
            values = [v.get(part) if isinstance(v, dict) else None for v in values]
    return values if "[*]" in path else values[0]


@pytest.fixture(scope="module")
def document(report, run_samples) -> dict[str, Any]:
    return build(RUN, report, run_samples)


def test_the_document_names_our_versioned_schema(document) -> None:
    assert document["$schema"] == SCHEMA_URI == "urn:perfbot:run:1"


def test_the_document_passes_the_validation_schema_horreum_is_given(document) -> None:
    jsonschema.Draft202012Validator(VALIDATION).validate(document)


@pytest.mark.parametrize(("label", "extractors", "function", "filtering", "metrics"), LABELS)
def test_every_label_finds_its_value_in_a_real_document(
    document, label, extractors, function, filtering, metrics
) -> None:
    for _, path, isarray in extractors:
        value = jsonpath(document, path)
        if isarray:
            assert isinstance(value, list)
            assert len(value) == len(document["benchmarks"])
        elif metrics:
            assert isinstance(value, int | float)
        else:
            assert value is not None
            assert not isinstance(value, dict | list)


def test_a_pull_request_run_and_a_branch_run_differ_in_kind(report) -> None:
    assert build(RUN, report)["kind"] == "pull_request"
    assert build(RunIdentity(**{**RUN.__dict__, "pr": 0}), report)["kind"] == "branch"


def test_without_samples_the_summaries_are_still_there(report) -> None:
    search = build(RUN, report)["benchmarks"][0]
    assert search["head"]["samples"] == []
    assert search["head"]["n"] == 30


def test_the_window_is_the_rounds_first_start_and_last_end() -> None:
    base = {"started": "2026-01-01T10:00:00Z", "finished": "2026-01-01T10:05:00Z"}
    head = {"started": "2026-01-01T10:01:00Z", "finished": "2026-01-01T10:06:00Z"}
    report = {"provenance": {"base": base, "head": head}}

    start, stop = run_window(report)

    assert (stop - start) / 1000 == 6 * 60


@pytest.mark.parametrize("provenance", [None, {}, {"base": {"started": "not a time"}}])
def test_a_run_whose_manifest_says_nothing_is_placed_at_the_upload_time(provenance) -> None:
    assert run_window({"provenance": provenance}, now=1000.0) == (1_000_000, 1_000_000)


def test_a_non_finite_sample_becomes_null_so_rounds_stay_aligned() -> None:
    from workflows.horreum.samples import side_samples
    from workflows.results import ResultSet, make_benchmark

    # The importers refuse inf (`workflows.results.magnitude`); a set built in code may not.
    benchmark = make_benchmark(name="b", unit="s", samples=[1.0, 1.5, 2.0])
    result_set = ResultSet.build(
        source="x", format="perfbot",
        benchmarks=[dataclasses.replace(benchmark, samples=(1.0, math.inf, 2.0))],
    )  # fmt: skip
    assert side_samples(result_set)["benchmarks"]["b"]["samples"] == [1.0, None, 2.0]
