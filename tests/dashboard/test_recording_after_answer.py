"""The callback answers before the history is written, and the history still gets every run.

A 10,000-benchmark result took 13-37 s to write before the answer; `perfbot notify` gave up at
10 s and sent it again. Now the write is a follow-up (`bot.callback.followups`): the answer
does not wait for it, a failing write is tried again and then reported (log and metric), and
when the follow-up queue is full the write is done before the answer rather than dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.server.app import create_app, shutdown
from bot.shared.services import EXTENSION as SERVICES
from tests.bot.constants import ARGO_TOKEN, TEMPLATES
from tests.bot.stack import APP_ID, Stack, app_key, seed, settings_for, settle
from tests.history.builders import comparison, payload
from tests.standins.argo_server import ArgoStandIn
from tests.standins.github_server import GitHubStandIn
from workflows.config import PerfbotConfig
from workflows.history import Store
from workflows.history.database import StoreError

BOT_CONFIG = Path(__file__).parents[1] / "bot" / "perfbot.test.yaml"
SLOWER = {"GET /search": 10.0, "GET /health": 1.0}
SLOWED = {"GET /search": 13.0, "GET /health": 1.0}


class ControlledStore(Store):
    """A real store whose writes can be held back or made to fail."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        self.gate = threading.Event()
        self.gate.set()
        self.failures_left = 0
        self.attempts = 0

    def record(self, run: Any) -> int:
        self.attempts += 1
        assert self.gate.wait(30), "the test never opened the gate"
        if self.failures_left:
            self.failures_left -= 1
            raise StoreError(f"cannot record {run.workflow_name}: the database is restarting")
        return super().record(run)


@pytest.fixture
def controlled(
    contracts_dir: Path, bot_config: PerfbotConfig, tmp_path: Path
) -> Iterator[tuple[Stack, ControlledStore]]:
    """The bot with a controlled store, one follow-up worker and room for one waiting job."""
    store = ControlledStore(Store.open(str(tmp_path / "h.sqlite")).engine)
    _, public = app_key()
    with GitHubStandIn(app_id=APP_ID, app_public_key=public) as github:
        seed(github.repo("Codertocat/Hello-World", installation_id=1))
        argo = ArgoStandIn(token=ARGO_TOKEN, templates=TEMPLATES).start()
        settings = settings_for(
            github, argo, BOT_CONFIG, dashboard="public", followup_workers=1, followup_queue=1
        )
        app = create_app(settings, config=bot_config, history=store)
        try:
            yield Stack(github, argo, app.test_client(), contracts_dir, app), store
        finally:
            store.gate.set()
            shutdown(app, timeout=5)
            threading.Thread(target=argo.stop, daemon=True).start()


def _result(workflow: str) -> Any:
    report, _, _ = comparison(SLOWER, SLOWED, pr=1)
    return payload(report, pr=1, workflow=workflow)


def test_the_answer_does_not_wait_for_the_history(
    controlled: tuple[Stack, ControlledStore],
) -> None:
    stack, store = controlled
    store.gate.clear()  # the database is slow: nothing is written until the gate opens

    response = stack.callback(_result("perf-slow-store"), wait=False)

    assert (response.status_code, response.json["outcome"]) == (200, "reported")
    assert Store.runs(store) == []  # answered, not yet written
    store.gate.set()
    settle(stack.app)
    [run] = Store.runs(store)
    assert run.workflow_name == "perf-slow-store"


@pytest.mark.parametrize(("failures", "stored"), [(0, True), (1, True), (2, True), (3, False)])
def test_a_failing_write_is_tried_again_then_reported(
    controlled: tuple[Stack, ControlledStore], failures: int, stored: bool
) -> None:
    stack, store = controlled
    store.failures_left = failures

    response = stack.callback(_result("perf-flaky-store"))

    assert response.status_code == 200
    assert store.attempts == min(failures + 1, 3)
    assert bool(Store.runs(store)) is stored
    metrics = stack.app.extensions[SERVICES].metrics.exposition()[0].decode()
    outcome = "stored" if stored else "failed"
    assert f'perfbot_history_writes_total{{outcome="{outcome}"}} 1.0' in metrics


def test_with_the_queue_full_the_write_is_done_before_the_answer(
    controlled: tuple[Stack, ControlledStore],
) -> None:
    stack, store = controlled
    store.gate.clear()
    stack.callback(_result("perf-first"), wait=False)  # its write holds the only slot
    assert store.attempts == 1

    second: list[Any] = []
    sender = threading.Thread(
        target=lambda: second.append(stack.callback(_result("perf-second"), wait=False))
    )
    sender.start()
    sender.join(0.5)
    assert sender.is_alive()  # no room: the second write is done before its answer
    store.gate.set()
    sender.join(30)
    assert second[0].status_code == 200
    settle(stack.app)
    names = {run.workflow_name for run in Store.runs(store)}
    assert names == {"perf-first", "perf-second"}
    metrics = stack.app.extensions[SERVICES].metrics.exposition()[0].decode()
    assert 'perfbot_followups_total{outcome="dropped"}' not in metrics


def test_the_comment_links_the_run_by_its_workflow_before_it_is_stored(
    controlled: tuple[Stack, ControlledStore],
) -> None:
    stack, store = controlled
    store.gate.clear()
    stack.callback(_result("perf-linked"), wait=False)
    comments = [c["body"] for c in stack.repo.comments.values() if "perfbot dashboard" in c["body"]]
    assert len(comments) == 1
    assert "/runs/by-workflow/perf-linked" in comments[0]
    assert stack.client.get("/runs/by-workflow/perf-linked").status_code == 404  # not yet
    store.gate.set()
    settle(stack.app)
    found = stack.client.get("/runs/by-workflow/perf-linked")
    assert found.status_code == 302
    [run] = Store.runs(store)
    assert found.headers["Location"].endswith(f"/runs/{run.id}")
    assert stack.client.get("/runs/by-workflow/perf-unknown").status_code == 404
