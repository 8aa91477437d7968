"""The demo end to end: a real service, a real slowdown, the whole local pipeline.

Each scenario runs once per module (a real run with a few seconds of benchmarking), the
slowdown through `perfbot run --local --fail-on-regression`, the unchanged commit through
`perfbot demo`; the tests then read what each produced.

No test here asserts a verdict that the machine's load could change. The demo's own slowdown
(`slow-search`, about +30 % of CPU time) is real and small: on a busy machine it is found, left
open or missed, and how often is `bench/demo_verdicts.py`'s to print, not a test's to assert.
The slowdown measured here adds a sleep of UNMISSABLE_MS to every search on top of it: a sleep
is not shortened by load, and it is tens of times the request's own latency (a fraction of a
millisecond), so head's rounds are slower than base's on any machine. Of the readme-only commit
only what holds whatever the timings is asserted (it runs, it reports, `perfbot demo` exits 0).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.local.conftest import git
from workflows.cli import main
from workflows.config import load_config
from workflows.local.demo import DEMO_DIR, make_repository

pytestmark = pytest.mark.slow
ROUNDS = "8"  # one sample per round and side: 8 rounds give the rank test room
BATCH = "10"  # requests per batch (the demo's own is 100)
SAMPLES = "3"  # batches per round (the demo's own is 8): a round takes a fraction of a second
UNMISSABLE_MS = 20  # per search request, in head only; the request itself takes well under 1 ms
ENDPOINTS = {"GET /search", "GET /items", "GET /stats", "GET /etag"}
VERDICTS = {"regressed", "improved", "unchanged", "inconclusive"}


@pytest.fixture(scope="module", autouse=True)
def short_benchmark() -> Iterator[None]:
    """The steps inherit this environment, so the demo's client measures smaller batches."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOP_BENCH_BATCH", BATCH)
        patch.setenv("SHOP_BENCH_SAMPLES", SAMPLES)
        yield


def unmissable_slowdown(repo: Path) -> None:
    """Amend the slowdown commit: every search in head also sleeps UNMISSABLE_MS."""
    server = repo / "shop" / "server.py"
    text = server.read_text()
    search = '            elif url.path == "/search":\n'
    assert search in text, "the demo's server no longer routes /search this way"
    slept = f'{search}                __import__("time").sleep({UNMISSABLE_MS / 1000})\n'
    server.write_text(text.replace(search, slept))
    git(repo, "commit", "--quiet", "--all", "--amend", "--no-edit")


def run_demo(change: str, out: Path) -> Result:
    return CliRunner().invoke(
        main, ["demo", "--change", change, "--out", str(out), "--rounds", ROUNDS, "--quiet"]
    )


@pytest.fixture(scope="module")
def slowdown(
    tmp_path_factory: pytest.TempPathFactory, short_benchmark: None
) -> tuple[Result, Path]:
    """`perfbot run --local --fail-on-regression` on the demo repository with the slowdown."""
    work = tmp_path_factory.mktemp("slow-search")
    repo = make_repository(work / "shop", "slow-search")
    unmissable_slowdown(repo)
    out = work / "out"
    args = ["run", "--local", "--repo", str(repo), "--base", "HEAD~1", "--head", "HEAD",
            "--out", str(out), "--rounds", ROUNDS, "--quiet", "--fail-on-regression"]  # fmt: skip
    return CliRunner().invoke(main, args), out


@pytest.fixture(scope="module")
def unchanged(
    tmp_path_factory: pytest.TempPathFactory, short_benchmark: None
) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("readme-only")
    return run_demo("readme-only", out), out


def verdicts(out: Path) -> dict[str, str]:
    report = json.loads((out / "report.json").read_text())
    return {item["name"]: item["verdict"] for item in report["benchmarks"]}


def test_the_unmissable_slowdown_is_found_on_any_machine(slowdown: tuple[Result, Path]) -> None:
    _, out = slowdown
    found = verdicts(out)
    assert set(found) == ENDPOINTS
    assert found["GET /search"] == "regressed"
    assert set(found.values()) <= VERDICTS  # the others: whatever the machine's load says


def test_the_slowed_endpoint_moved_most_and_upwards(slowdown: tuple[Result, Path]) -> None:
    _, out = slowdown
    changes = {
        b["name"]: b["change"]
        for b in json.loads((out / "report.json").read_text())["benchmarks"]
        if b.get("change") is not None
    }
    assert changes["GET /search"] > 1.0  # more than twice as slow
    assert max(changes, key=changes.get) == "GET /search"


def test_a_readme_only_commit_is_measured_and_reported(unchanged: tuple[Result, Path]) -> None:
    result, out = unchanged
    assert set(verdicts(out)) == ENDPOINTS
    assert set(verdicts(out).values()) <= VERDICTS
    assert (out / "report.md").is_file()
    assert "perfbot demo: this takes about" in result.output  # said before it starts
    assert result.exit_code == 0, result.output  # `perfbot demo` has no --fail-on-regression


def test_the_reports_are_written_and_the_text_report_printed(slowdown: tuple[Result, Path]) -> None:
    result, out = slowdown
    markdown = (out / "report.md").read_text()
    html = (out / "report.html").read_text()
    assert "GET /search" in markdown
    assert "github.com" not in markdown + html  # the demo's repository is not on GitHub
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "GET /search" in html
    assert "GET /search" in result.stdout


def rounds_in_order(out: Path) -> list[tuple[str, int]]:
    runs: list[tuple[float, str, int]] = []
    for side in ("base", "head"):
        for path in sorted((out / "results" / side).glob("round-*.json")):
            meta: dict[str, Any] = json.loads(path.read_text())["metadata"]
            assert meta["side"] == side
            runs.append((meta["started"], side, meta["round"]))
    return [(side, number) for _, side, number in sorted(runs)]


def test_benchmark_rounds_alternate_the_order_ab_ba(slowdown: tuple[Result, Path]) -> None:
    _, out = slowdown
    orders = (("base", "head"), ("head", "base"))
    expected = [(side, n) for n in range(1, int(ROUNDS) + 1) for side in orders[(n + 1) % 2]]
    assert rounds_in_order(out) == expected


def test_fail_on_regression_makes_the_slowdown_exit_1(slowdown: tuple[Result, Path]) -> None:
    result, out = slowdown
    assert json.loads((out / "report.json").read_text())["summary"]["verdict"] == "regressed"
    assert result.exit_code == 1, result.output


def test_the_confirmation_measured_only_the_flagged_slowed_endpoint_again(
    slowdown: tuple[Result, Path],
) -> None:
    _, out = slowdown
    report = json.loads((out / "report.json").read_text())
    again = report["confirmation"]["confirmed"] + report["confirmation"]["unconfirmed"]
    assert "GET /search" in again
    assert report["confirmation"]["confirmed"] == ["GET /search"]
    rounds = sorted((out / "results" / "confirm" / "head").glob("round-*.json"))
    job = load_config(DEMO_DIR / "perfbot.yaml").job("shop-api")
    assert job is not None
    assert len(rounds) == job.benchmark.confirm_rounds
    for path in rounds:
        names = {b["name"] for b in json.loads(path.read_text())["benchmarks"]}
        assert names == set(again)  # what the first measurement flagged, and only that
