"""The bot writes each run to the store when its callback arrives."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.dashboard import EXTENSION
from tests.bot.stack import Stack
from tests.history.builders import JOB, REPO, comparison, payload
from workflows.history import Store

SLOWER = {"GET /search": 10.0, "GET /health": 1.0}
SLOWED = {"GET /search": 13.0, "GET /health": 1.0}


def store_of(stack: Stack) -> Store:
    return stack.app.extensions[EXTENSION]


def test_a_pull_request_callback_is_stored_with_its_verdicts(stack: Stack) -> None:
    report, _, _ = comparison(SLOWER, SLOWED, pr=1)
    response = stack.callback(payload(report, pr=1, workflow="perf-pr-1"))

    [run] = store_of(stack).runs()
    assert response.status_code == 200
    assert (run.kind, run.pr, run.verdict, run.workflow_name) == ("pr", 1, "regressed", "perf-pr-1")


def test_a_callback_that_carries_the_samples_stores_each_with_its_round(stack: Stack) -> None:
    from workflows.horreum.samples import side_samples

    report, base, head = comparison(SLOWER, SLOWED, pr=1, rounds=6)
    samples = {"base": side_samples(base), "head": side_samples(head)}
    stack.callback(payload(report, pr=1, workflow="perf-pr-2", samples=samples))

    [run] = store_of(stack).runs()
    search = next(b for b in store_of(stack).benchmarks(run.id) if b.name == "GET /search")
    assert len(search.samples) == base.benchmarks["GET /search"].count * 2
    assert {s.round for s in search.samples} == set(range(1, 7))


def test_a_default_branch_push_callback_adds_a_point_to_the_main_branch_series(
    stack: Stack,
) -> None:
    report, _, _ = comparison(SLOWER, SLOWER)
    stack.callback(payload(report, pr=0, workflow="perf-push-1"))

    [point] = store_of(stack).series(REPO, JOB, "GET /search")
    assert round(point.value * 1000) == 10


def test_a_refused_callback_stores_nothing(stack: Stack) -> None:
    report, _, _ = comparison(SLOWER, SLOWED)
    response = stack.callback(payload(report), secret="not-the-secret")

    assert response.status_code == 401
    assert store_of(stack).runs() == []


def test_a_store_that_fails_does_not_cost_the_pull_request_its_report(stack: Stack) -> None:
    store = store_of(stack)
    with store.engine.begin() as connection:  # the database loses its tables under the bot
        connection.execute(text("DROP TABLE samples"))
        connection.execute(text("DROP TABLE benchmarks"))
        connection.execute(text("DROP TABLE runs"))
    report, _, _ = comparison(SLOWER, SLOWED, pr=1)

    response = stack.callback(payload(report, pr=1))

    assert (response.status_code, response.json["outcome"]) == (200, "reported")


def test_a_bot_without_a_history_url_keeps_no_history(
    contracts_dir: Path, bot_config, tmp_path: Path
) -> None:
    from tests.bot.stack import running_stack
    from tests.dashboard.conftest import BOT_CONFIG

    for plain in running_stack(contracts_dir, BOT_CONFIG, bot_config):
        report, _, _ = comparison(SLOWER, SLOWED, pr=1)
        assert plain.callback(payload(report, pr=1)).status_code == 200
        assert plain.app.extensions[EXTENSION] is None


def test_a_pull_requests_comment_links_to_its_run_on_a_public_dashboard(stack: Stack) -> None:
    report, _, _ = comparison(SLOWER, SLOWED, pr=1)
    stack.callback(payload(report, pr=1, workflow="perf-pr-3"))

    [run] = store_of(stack).runs()
    bodies = [c["body"] for c in stack.repo.comments.values()]
    assert sum("/runs/by-workflow/perf-pr-3)" in body for body in bodies) == 1
    assert (
        stack.client.get("/runs/by-workflow/perf-pr-3")
        .headers["Location"]
        .endswith(f"/runs/{run.id}")
    )


def test_no_link_when_the_dashboard_is_off(
    contracts_dir: Path, bot_config, store_target: str
) -> None:
    from tests.bot.stack import running_stack
    from tests.dashboard.conftest import BOT_CONFIG

    for stack in running_stack(
        contracts_dir, BOT_CONFIG, bot_config, history_url=store_target, dashboard="off"
    ):
        report, _, _ = comparison(SLOWER, SLOWED, pr=1)
        stack.callback(payload(report, pr=1, workflow="perf-pr-4"))
        assert store_of(stack).runs()
        assert not any("/runs/" in c["body"] for c in stack.repo.comments.values())
