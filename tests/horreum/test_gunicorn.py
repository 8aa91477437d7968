"""The whole loop as production runs it: gunicorn uploads a result to Horreum, and Horreum's
change/new action, fired at gunicorn, lands in the PR's sticky comment."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.bot.constants import CALLBACK_SECRET
from tests.bot.payloads import PR_NUMBER, REPO
from tests.bot.test_gunicorn import app_against_stand_ins, gunicorn, wait_for, wait_until_healthy
from tests.horreum.conftest import ACTION_TOKEN, API_KEY, SECRET, horreum_config, result_payload
from tests.standins.horreum_server import HorreumStandIn
from workflows.callback import SIGNATURE_HEADER, sign

pytestmark = pytest.mark.slow


def sticky(github) -> str:
    [body] = [c["body"] for c in github.repos[REPO].issue_comments(PR_NUMBER)
              if "perfbot:job=api" in c["body"]]  # fmt: skip
    return body


def test_under_gunicorn_a_run_is_stored_and_horreum_s_finding_reaches_the_pr(
    tmp_path: Path, project_root: Path, horreum: HorreumStandIn, report, run_samples
) -> None:
    secrets = tmp_path / "horreum-secrets"
    (secrets / SECRET).mkdir(parents=True)
    (secrets / SECRET / "api-key").write_text(API_KEY)
    config = horreum_config(tmp_path, horreum.url)
    with app_against_stand_ins(tmp_path, config) as (env, github, argo):
        env.update({
            "PERFBOT_HORREUM_SECRETS_DIR": str(secrets),
            "PERFBOT_HORREUM_ACTION_TOKEN": ACTION_TOKEN,
            "PERFBOT_HORREUM_RETRY_DELAYS": "0.05,0.1",
        })  # fmt: skip
        process = gunicorn(project_root, env)
        url = f"http://127.0.0.1:{env['PORT']}"
        try:
            wait_until_healthy(url, process)
            payload = result_payload(report, run_samples)
            argo.add_run_of(payload)  # the run the bot submitted
            body = payload.to_json()
            headers = {"Content-Type": "application/json",
                       SIGNATURE_HEADER: sign(body, CALLBACK_SECRET)}  # fmt: skip
            answer = requests.post(f"{url}/callback", data=body, headers=headers, timeout=10)
            assert answer.status_code == 200
            wait_for(lambda: "Stored in Horreum" in sticky(github), timeout=20)
            [run_id] = horreum.runs

            status = horreum.fire(f"{url}/horreum?token={ACTION_TOKEN}", "change/new",
                                  run_id=run_id, description="GET /search +20 %")  # fmt: skip

            assert status == 200
            assert "Horreum detected a change" in sticky(github)
            assert "GET /search +20 %" in sticky(github)
            assert "| GET /search | +20 % |" in sticky(github)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_the_access_log_never_shows_the_action_token(
    tmp_path: Path, project_root: Path, horreum: HorreumStandIn
) -> None:
    config = horreum_config(tmp_path, horreum.url)
    with app_against_stand_ins(tmp_path, config) as (env, _github, _argo):
        env["PERFBOT_HORREUM_ACTION_TOKEN"] = ACTION_TOKEN
        process = gunicorn(project_root, env)
        url = f"http://127.0.0.1:{env['PORT']}"
        try:
            wait_until_healthy(url, process)
            answer = requests.post(f"{url}/horreum?token={ACTION_TOKEN}", json={}, timeout=10)
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=15)

    assert answer.status_code == 200
    assert '"POST /horreum HTTP/1.1" 200' in output
    assert ACTION_TOKEN not in output
