"""Which runs are a trend's points, and in what order: the main branch's own runs (pushes to
the default branch, local runs of a branch), never an A/A run (base and head one commit) or a
run of a tag, in commit order (`workflows.history.ordering`), whatever order they arrived in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.history.builders import JOB, REPO, record_main_series
from workflows.history import BenchmarkRecord, RunRecord, Store

BENCH = "GET /search"


def run(kind: str, base: str, head: str, name: str, branch: str | None = "main") -> RunRecord:
    row = BenchmarkRecord(
        name=BENCH, unit="s", direction="lower", verdict="unchanged", change=0.0,
        summary={"base": {"median": 0.01}, "head": {"median": 0.01}},
    )  # fmt: skip
    return RunRecord(
        repo=REPO, job=JOB, kind=kind, branch=branch, workflow_name=name, base_ref="main",
        base_sha=base * 40, head_sha=head * 40, benchmarks=(row,),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("record", "counted"),
    [
        (run("push", "a", "b", "push"), True),
        (run("local", "a", "b", "local-main"), True),
        (run("local", "b", "b", "a-a-local"), False),  # A/A: one commit on both sides
        (run("push", "b", "b", "a-a-push"), False),
        (run("local", "a", "b", "local-tag", branch=None), False),  # a tag or a bare commit
        (replace(run("pr", "a", "b", "pr"), pr=3), False),
    ],
)
def test_only_the_main_branch_own_runs_are_trend_points(
    store: Store, record: RunRecord, counted: bool
) -> None:
    store.record(record)

    assert len(store.series(REPO, JOB, BENCH)) == int(counted)
    assert len(store.recent_series(REPO, JOB, runs_back=10).get(BENCH, [])) == int(counted)


def test_runs_recorded_out_of_order_are_drawn_in_commit_order(store: Store) -> None:
    for base, head in (("c", "d"), ("a", "b"), ("b", "c")):
        store.record(run("push", base, head, f"push-{head}"))

    assert [p.head_sha[0] for p in store.series(REPO, JOB, BENCH)] == ["b", "c", "d"]
    recent = store.recent_series(REPO, JOB, runs_back=10)[BENCH]
    assert [p.head_sha[0] for p in recent] == ["b", "c", "d"]


def test_a_long_series_keeps_its_order(store_target: str) -> None:
    record_main_series(store_target, {BENCH: [0.01 * (n + 1) for n in range(12)]})
    store = Store.open(store_target)

    assert [round(p.value * 100) for p in store.series(REPO, JOB, BENCH)] == list(range(1, 13))
