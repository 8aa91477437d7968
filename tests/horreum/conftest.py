"""Fixtures of the Horreum tests: a stand-in Horreum, a real run's report and samples, and the
bot wired to stand-in GitHub, Argo and Horreum servers over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from bot.horreum.settings import HorreumSettings
from bot.server.app import create_app, shutdown
from tests.bot.constants import ARGO_TOKEN, CALLBACK_SECRET, HEAD_SHA, MAIN_SHA, TEMPLATES
from tests.bot.payloads import INSTALLATION_ID, PR_NUMBER, REPO
from tests.bot.stack import APP_ID, app_key, seed, settings_for, settle
from tests.standins.argo_server import ArgoStandIn
from tests.standins.github_server import GitHubStandIn, StandInRepo
from tests.standins.horreum_server import HorreumStandIn
from workflows.callback import SIGNATURE_HEADER, CallbackPayload, RunRef, sign
from workflows.cli.compare import compare_paths
from workflows.compare.json_report import report_dict
from workflows.compare.provenance import RunFacts
from workflows.config import PerfbotConfig, load_config
from workflows.horreum import samples

API_KEY = "horreum-key-of-the-perf-team"
SECRET = "horreum-perf-team"
TEST = "perf-hello"
TEAM = "perf-team"
ACTION_TOKEN = "a-long-random-action-token-0123456789"
WORKFLOW = "perf-api-x7k2p"
ROUNDS = 6


def write_rounds(directory: Path, medians: dict[str, float]) -> Path:
    """Round files in perfbot's format: 5 samples a round around each benchmark's median."""
    directory.mkdir(parents=True)
    for number in range(1, ROUNDS + 1):
        benchmarks = [
            {
                "name": name,
                "unit": "ms",
                "samples": [median * (1 + 0.002 * ((i + number) % 5 - 2)) for i in range(5)],
            }
            for name, median in medians.items()
        ]
        body = {"schema_version": 1, "metadata": {"machine": "bench-01"}, "benchmarks": benchmarks}
        (directory / f"round-{number:03d}.json").write_text(json.dumps(body))
    return directory


@pytest.fixture(scope="session")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Base and head rounds: `GET /search` 20 % slower on head, `GET /health` unchanged."""
    root = tmp_path_factory.mktemp("results")
    base = write_rounds(root / "base", {"GET /search": 12.0, "GET /health": 1.0})
    head = write_rounds(root / "head", {"GET /search": 14.4, "GET /health": 1.0})
    return base, head


@pytest.fixture(scope="session")
def report(results: tuple[Path, Path]) -> dict[str, Any]:
    facts = RunFacts(
        repository=REPO, job="api", pr=PR_NUMBER, base_ref="main", base_sha=MAIN_SHA,
        head_sha=HEAD_SHA,
    )  # fmt: skip
    return report_dict(compare_paths(*results), facts)


@pytest.fixture(scope="session")
def run_samples(results: tuple[Path, Path]) -> dict[str, Any]:
    return samples.collect(*results)


def result_payload(
    report: dict[str, Any], run_samples: dict[str, Any] | None, **run: Any
) -> CallbackPayload:
    ref = RunRef(
        repo=REPO, pr=PR_NUMBER, job="api", head_sha=HEAD_SHA, base_sha=MAIN_SHA, base_ref="main"
    )
    return CallbackPayload(
        kind="result",
        run=RunRef(**{**ref.__dict__, **run}),
        workflow_name=WORKFLOW,
        namespace="perfbot",
        verdict=report["summary"]["verdict"],
        report_markdown="| benchmark | change |\n| --- | --- |\n| GET /search | +20 % |",
        report=report,
        samples=run_samples,
        parameters={"rounds": str(ROUNDS)},
    )


@pytest.fixture
def horreum() -> Iterator[HorreumStandIn]:
    with HorreumStandIn(api_key=API_KEY, tests={TEST: TEAM}) as server:
        yield server


def horreum_config(tmp_path: Path, horreum_url: str) -> Path:
    text = (Path(__file__).with_name("perfbot.horreum.yaml")).read_text(encoding="utf-8")
    path = tmp_path / "perfbot.yaml"
    path.write_text(text.replace("HORREUM_URL", horreum_url), encoding="utf-8")
    return path


@dataclass
class Bot:
    """The bot serving real HTTP on `url`, and the stand-ins it talks to."""

    url: str
    app: Flask
    github: GitHubStandIn
    argo: ArgoStandIn
    horreum: HorreumStandIn
    config: PerfbotConfig

    @property
    def repo(self) -> StandInRepo:
        return self.github.repos[REPO]

    def sticky(self) -> str:
        bodies = [
            c["body"] for c in self.repo.issue_comments(PR_NUMBER) if "perfbot:job=api" in c["body"]
        ]
        assert len(bodies) == 1, bodies
        return bodies[0]

    def settle(self) -> None:
        settle(self.app, timeout=30)

    def callback(self, payload: CallbackPayload) -> requests.Response:
        """A signed result, as the report step sends it; returns once its follow-ups ran."""
        self.argo.add_run_of(payload)
        body = payload.to_json()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, CALLBACK_SECRET),
        }
        response = requests.post(f"{self.url}/callback", data=body, headers=headers, timeout=30)
        self.settle()
        return response

    def action_url(self, token: str = ACTION_TOKEN) -> str:
        return f"{self.url}/horreum?token={token}"


def bot_stack(
    tmp_path: Path, horreum: HorreumStandIn, horreum_url: str | None = None, **horreum_settings: Any
) -> Iterator[Bot]:
    config_path = horreum_config(tmp_path, horreum_url or horreum.url)
    config = load_config(config_path)
    _, public = app_key()
    settings = HorreumSettings(
        action_token=ACTION_TOKEN,
        timeout=2.0,
        retry_delays=(0.01, 0.02, 0.04),
        keys={SECRET: API_KEY},
        secrets_dir=tmp_path / "no-secrets",
    )
    settings = HorreumSettings(**{**settings.__dict__, **horreum_settings})
    with (
        GitHubStandIn(app_id=APP_ID, app_public_key=public) as github,
        ArgoStandIn(token=ARGO_TOKEN, templates=TEMPLATES) as argo,
    ):
        seed(github.repo(REPO, installation_id=INSTALLATION_ID))
        app = create_app(settings_for(github, argo, config_path), config=config, horreum=settings)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Bot(f"http://127.0.0.1:{server.server_port}", app, github, argo, horreum, config)
        finally:
            server.shutdown()
            shutdown(app, timeout=0)


@pytest.fixture
def bot(tmp_path: Path, horreum: HorreumStandIn) -> Iterator[Bot]:
    yield from bot_stack(tmp_path, horreum)
