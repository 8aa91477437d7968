"""`perfbot history` on a store the callbacks filled, on both backends."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.history.builders import JOB, REPO, comparison, payload
from workflows.cli import main
from workflows.history import Store
from workflows.history.sources import from_callback


@pytest.fixture
def filled(store_target: str) -> str:
    store = Store.open(store_target)
    for number in range(3):
        report, _, _ = comparison({"GET /search": 10.0 + number}, {"GET /search": 10.0 + number})
        store.record(from_callback(payload(report, pr=0, workflow=f"push-{number}")))
    report, _, _ = comparison({"GET /search": 10.0}, {"GET /search": 13.0})
    store.record(from_callback(payload(report, pr=5, workflow="pr-5")))
    store.close()
    return store_target


def history(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["history", *args])
    return result.exit_code, result.output


def test_history_lists_the_runs_newest_first(filled: str) -> None:
    code, output = history("--store", filled)

    lines = output.splitlines()
    assert code == 0
    assert len(lines) == 4
    assert "PR #5" in lines[0]
    assert "regressed" in lines[0]


def test_history_as_json_lists_every_run_with_its_refs(filled: str) -> None:
    code, output = history("--store", filled, "--format", "json")

    runs = json.loads(output)["runs"]
    assert code == 0
    assert [r["kind"] for r in runs] == ["pr", "push", "push", "push"]
    assert runs[0]["base_ref"] == "main"


def test_history_of_a_benchmark_prints_its_main_branch_series(filled: str) -> None:
    code, output = history("--store", filled, "--benchmark", "GET /search", "--format", "json")

    document = json.loads(output)
    assert code == 0
    assert (document["repo"], document["job"]) == (REPO, JOB)
    assert [round(p["value"] * 1000) for p in document["points"]] == [10, 11, 12]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--benchmark", "GET /nothing"], "no main-branch series"),
        (["--benchmark", "GET /search", "--repo", "some/other"], "several jobs (none)"),
    ],
)
def test_history_refuses_what_it_cannot_show_with_exit_2(
    filled: str, args: list[str], message: str
) -> None:
    code, output = history("--store", filled, *args)

    assert code == 2
    assert message in output


def test_history_of_a_missing_file_says_how_to_make_one(tmp_path) -> None:
    code, output = history("--store", str(tmp_path / "none.sqlite"))

    assert code == 2
    assert "perfbot run --local --record" in output
    assert not (tmp_path / "none.sqlite").exists()
