"""The dashboard's pages on a store filled through the bot's own callback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.bot.stack import Stack, running_stack
from tests.dashboard.conftest import BOT_CONFIG
from tests.history.builders import comparison, payload

SEARCH = "GET /search"
MAIN_RUNS = 12


@pytest.fixture
def filled(stack: Stack) -> Stack:
    """Twelve main-branch pushes with a noisy GET /search, then a PR that slows it."""
    for number in range(MAIN_RUNS):
        report, _, _ = comparison(
            {SEARCH: 10.0, "GET /health": 1.0},
            {SEARCH: 10.0 * (1.0 + 0.06 * ((-1) ** number)), "GET /health": 1.0},
            seed=number,
        )
        stack.callback(payload(report, pr=0, workflow=f"push-{number}", head_sha=f"{number:040x}"))
    report, _, _ = comparison(
        {SEARCH: 10.0, "GET /health": 1.0}, {SEARCH: 13.0, "GET /health": 1.0}
    )
    stack.callback(payload(report, pr=1, workflow="pr-1"))
    return stack


def pr_run_id(stack: Stack) -> int:
    page = stack.client.get("/").get_data(as_text=True)
    return int(
        re.search(r'href="/runs/(\d+)">#\d+</a></td>\s*<td>[^<]*</td>\s*<td><a[^>]*>api', page)[1]
    )


def test_the_index_lists_each_job_with_its_latest_run(filled: Stack) -> None:
    page = filled.client.get("/").get_data(as_text=True)

    assert "api" in page
    assert "PR #1" in page
    assert "regressed" in page


def test_a_run_page_shows_the_verdicts_the_noise_note_and_a_trend_with_the_head(
    filled: Stack,
) -> None:
    page = filled.client.get(f"/runs/{pr_run_id(filled)}").get_data(as_text=True)

    assert "regressed" in page
    assert "main-branch runs" in page  # the noise-from-history note beside the verdict
    assert page.count('class="pygal-chart"') == 1  # only the changed benchmark's trend
    assert "this run&#39;s head" in page or "this run's head" in page


def test_a_benchmark_page_draws_one_point_per_main_branch_run(filled: Stack) -> None:
    response = filled.client.get(
        "/benchmark", query_string={"repo": "Codertocat/Hello-World", "job": "api", "name": SEARCH}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(r'<circle[^>]*class="dot', page)) == MAIN_RUNS
    assert "PR #1" in page  # it flagged the benchmark


def test_the_report_markdown_is_rendered_with_raw_html_shown_as_text(stack: Stack) -> None:
    report, _, _ = comparison({SEARCH: 10.0}, {SEARCH: 10.0})
    sent = payload(report, pr=1, workflow="pr-x")
    hostile = sent.__class__(
        **{**sent.__dict__, "report_markdown": "| a |\n|---|\n| <script>alert(1)</script> |"}
    )
    stack.callback(hostile)

    page = stack.client.get(f"/runs/{pr_run_id(stack)}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<table>" in page


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/runs/999", {}, 404),
        ("/benchmark", {"repo": "Codertocat/Hello-World", "job": "api"}, 400),
        ("/benchmark", {"repo": "Codertocat/Hello-World", "job": "api", "name": "nothing"}, 404),
        ("/job", {"repo": "Codertocat/Hello-World"}, 400),
        ("/job", {"repo": "nobody/nothing", "job": "api"}, 404),
    ],
)
def test_a_page_that_cannot_be_shown_answers_4xx_with_a_reason(
    stack: Stack, path: str, query: dict, status: int
) -> None:
    response = stack.client.get(path, query_string=query)

    assert response.status_code == status
    assert response.json["error"]


def test_with_the_dashboard_off_its_pages_do_not_exist(
    contracts_dir: Path, bot_config, tmp_path: Path
) -> None:
    for bot in running_stack(
        contracts_dir, BOT_CONFIG, bot_config, history_url=str(tmp_path / "h.sqlite")
    ):
        assert bot.client.get("/").status_code == 404
        assert bot.client.get("/runs/1").status_code == 404


# how the PR's report is written: as it is (schema 2), or as schema 1 wrote an open row
OPEN_ROWS = [
    (lambda report: report, "inconclusive (too noisy)"),
    (
        lambda report: {
            **report,
            "schema_version": 1,
            "summary": {**report["summary"], "verdict": "unchanged"},
            "benchmarks": [
                {**row, "verdict": "unchanged", "reason": None} for row in report["benchmarks"]
            ],
        },
        "inconclusive (too noisy)",
    ),
]


@pytest.mark.parametrize(("written", "shown"), OPEN_ROWS)
def test_a_run_page_never_calls_a_benchmark_it_could_not_judge_unchanged(
    stack: Stack, written, shown
) -> None:
    report, _, _ = comparison({SEARCH: 10.0}, {SEARCH: 10.0}, cv=0.5, rounds=5)
    assert report["benchmarks"][0]["reason"] == "too noisy"
    stack.callback(payload(written(report), pr=1, workflow="pr-noisy"))

    page = stack.client.get(f"/runs/{pr_run_id(stack)}").get_data(as_text=True)
    assert f'<td class="verdict inconclusive">{shown}</td>' in page
    assert 'class="verdict unchanged"' not in page
    assert 'verdict <span class="verdict inconclusive">inconclusive</span>' in page


def test_with_too_little_history_the_history_column_says_why_it_has_no_note(
    stack: Stack,
) -> None:
    for number in range(3):
        report, _, _ = comparison({SEARCH: 10.0}, {SEARCH: 10.0}, seed=number)
        stack.callback(payload(report, pr=0, workflow=f"push-{number}", head_sha=f"{number:040x}"))
    report, _, _ = comparison({SEARCH: 10.0}, {SEARCH: 13.0})
    stack.callback(payload(report, pr=1, workflow="pr-1"))

    page = stack.client.get(f"/runs/{pr_run_id(stack)}").get_data(as_text=True)
    cell = re.search(r'<td class="noise">(.*?)</td>', page, re.S)[1]
    assert "3 main-branch runs so far, 10 needed" in cell


# a report row; what the run page's verdict cell says, and its class
ROW_WORDS = [
    ({"name": "a", "verdict": "regressed", "finding": "centre"}, ("regressed", "regressed")),
    (
        {"name": "a", "verdict": "regressed", "finding": "slow tail grew"},
        ("regressed (slow tail grew)", "regressed"),
    ),
    (
        {"name": "a", "verdict": "inconclusive", "reason": "unconfirmed"},
        ("inconclusive (unconfirmed)", "inconclusive"),
    ),
    (
        {"name": "a", "verdict": "unchanged", "too_noisy": True},
        ("inconclusive (too noisy)", "inconclusive"),
    ),
    ({"name": "a", "verdict": "unchanged"}, ("unchanged", "unchanged")),
]


@pytest.mark.parametrize(("row", "shown"), ROW_WORDS)
def test_the_verdict_cell_says_what_the_report_says(row: dict, shown: tuple[str, str]) -> None:
    from bot.dashboard.views import verdict_words

    assert verdict_words({"benchmarks": [row]}) == {"a": shown}


def test_the_runs_list_says_which_runs_are_not_in_the_trend(stack: Stack) -> None:
    from dataclasses import replace

    from workflows.history.sources import from_callback

    report, _, _ = comparison({SEARCH: 10.0}, {SEARCH: 10.0})
    record = from_callback(payload(report, pr=0, workflow="a-a"))
    store = stack.app.extensions["perfbot.history"]
    store.record(replace(record, kind="local", base_sha=record.head_sha, branch="main"))
    store.record(replace(record, kind="local", workflow_name="tag", branch=None))

    page = stack.client.get("/job?repo=Codertocat/Hello-World&job=api").get_data(as_text=True)
    assert "A/A local (not in the trend)" in page
    assert "local, no branch (not in the trend)" in page
