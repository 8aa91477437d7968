"""The store on SQLite and on PostgreSQL: one suite, both backends (see `databases`)."""

from __future__ import annotations

import pytest

from tests.history.builders import JOB, REPO, comparison, payload
from workflows.history import Store
from workflows.history.sources import from_callback, from_local

SLOWER = {"GET /search": 10.0, "GET /health": 1.0}
SLOWED = {"GET /search": 13.0, "GET /health": 1.0}


def test_a_pull_request_result_is_stored_with_its_benchmarks_and_verdicts(store: Store) -> None:
    report, _, _ = comparison(SLOWER, SLOWED)
    run_id = store.record(from_callback(payload(report, pr=7)))

    run = store.run(run_id)
    verdicts = {b.name: b.verdict for b in store.benchmarks(run_id)}
    assert (run.kind, run.pr, run.verdict) == ("pr", 7, "regressed")
    assert verdicts == {"GET /search": "regressed", "GET /health": "unchanged"}


def test_a_redelivered_callback_replaces_its_run_instead_of_adding_one(store: Store) -> None:
    report, _, _ = comparison(SLOWER, SLOWED)
    first = store.record(from_callback(payload(report)))
    second = store.record(from_callback(payload(report)))

    assert first == second
    assert len(store.runs()) == 1
    assert len(store.benchmarks(first)) == 2


def test_the_exit_callback_after_a_result_keeps_the_benchmarks(store: Store) -> None:
    report, _, _ = comparison(SLOWER, SLOWED)
    run_id = store.record(from_callback(payload(report)))
    store.record(from_callback(payload(None, kind="exit", status="Succeeded")))

    assert store.run(run_id).status == "Succeeded"
    assert store.run(run_id).verdict == "regressed"
    assert len(store.benchmarks(run_id)) == 2


def test_a_failed_run_without_result_is_stored_with_its_status_and_no_benchmarks(
    store: Store,
) -> None:
    run_id = store.record(from_callback(payload(None, kind="exit", status="Failed")))

    assert store.run(run_id).status == "Failed"
    assert store.benchmarks(run_id) == []


def test_the_report_is_kept_as_the_callback_brought_it(store: Store) -> None:
    report, _, _ = comparison(SLOWER, SLOWED)
    run_id = store.record(from_callback(payload(report)))

    kept, markdown = store.report(run_id)
    assert kept == report
    assert markdown == "### report"


def test_a_run_records_each_sides_start_and_end_from_its_round_manifest(store: Store) -> None:
    report, _, _ = comparison(SLOWER, SLOWED)
    report["provenance"]["base"]["started"] = "2025-11-24T16:00:00Z"
    report["provenance"]["head"]["finished"] = "2025-11-24T16:19:00Z"
    run = store.run(store.record(from_callback(payload(report))))

    assert run.started_at.isoformat() == "2025-11-24T16:00:00+00:00"
    assert run.finished_at.isoformat() == "2025-11-24T16:19:00+00:00"


def _push(store: Store, number: int, center: float, verdict_seed: int = 0) -> int:
    report, _, _ = comparison(
        {"GET /search": center}, {"GET /search": center}, seed=number + verdict_seed
    )
    return store.record(
        from_callback(
            payload(report, pr=0, workflow=f"perf-push-{number}", head_sha=f"{number:040x}")
        )
    )


def test_the_series_holds_main_branch_runs_only_oldest_first(store: Store) -> None:
    for number, center in enumerate((10.0, 11.0, 12.0)):
        _push(store, number, center)
    report, _, _ = comparison(SLOWER, SLOWED)
    store.record(from_callback(payload(report, pr=9, workflow="perf-pr")))

    series = store.series(REPO, JOB, "GET /search")
    assert [round(p.value * 1000) for p in series]  # ms, stored in s == [10, 11, 12]
    assert [p.head_sha for p in series] == [f"{n:040x}" for n in range(3)]


def test_the_series_of_another_job_or_benchmark_is_empty(store: Store) -> None:
    _push(store, 1, 10.0)

    assert store.series(REPO, "other-job", "GET /search") == []
    assert store.series(REPO, JOB, "GET /nothing") == []


def test_flagged_lists_the_runs_whose_verdict_on_the_benchmark_was_a_change(store: Store) -> None:
    _push(store, 1, 10.0)
    report, _, _ = comparison(SLOWER, SLOWED)
    flagged_id = store.record(from_callback(payload(report, pr=9, workflow="perf-pr")))

    assert [r.id for r in store.flagged(REPO, JOB, "GET /search")] == [flagged_id]
    assert store.flagged(REPO, JOB, "GET /health") == []


def test_latest_per_job_shows_each_jobs_newest_run(store: Store) -> None:
    _push(store, 1, 10.0)
    newest = _push(store, 2, 10.0)

    assert [(r.repo, r.job, r.id) for r in store.latest_per_job()] == [(REPO, JOB, newest)]


def test_a_local_record_keeps_every_sample_with_its_round(store: Store) -> None:
    report, base, head = comparison(SLOWER, SLOWED, rounds=5)
    record = from_local(
        report,
        base,
        head,
        repo="demo",
        job=JOB,
        branch="main",
        base_ref="HEAD~1",
        head_ref="HEAD",
        run_name="local-1",
    )
    run_id = store.record(record)

    search = next(b for b in store.benchmarks(run_id) if b.name == "GET /search")
    head_rounds = [s.round for s in search.samples if s.side == "head"]
    assert len(search.samples) == 50
    assert head_rounds == [r for r in range(1, 6) for _ in range(5)]
    assert store.run(run_id).kind == "local"


def test_runs_filter_by_repository_and_main_branch(store: Store) -> None:
    _push(store, 1, 10.0)
    report, _, _ = comparison(SLOWER, SLOWED)
    store.record(from_callback(payload(report, pr=9, workflow="perf-pr")))

    assert len(store.runs(repo=REPO)) == 2
    assert [r.kind for r in store.runs(main_only=True)] == ["push"]
    assert store.runs(repo="someone/else") == []


@pytest.mark.parametrize("kind", ["pr", "push", "local"])
def test_a_run_kind_is_one_of_the_known_kinds(kind: str) -> None:
    from workflows.history import RunRecord

    assert RunRecord(REPO, JOB, kind, "w", "main", "a", "b").kind == kind


def test_an_unknown_run_kind_is_refused() -> None:
    from workflows.history import RunRecord

    with pytest.raises(ValueError, match="run kind"):
        RunRecord(REPO, JOB, "nightly", "w", "main", "a", "b")
