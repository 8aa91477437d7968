"""Runs stored in a real Horreum: by `perfbot upload` and by the bot after a result, with the
schema `perfbot upload --import-schema` makes, whose labels Horreum computes for each run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.bot.constants import HEAD_SHA
from tests.bot.payloads import PR_NUMBER, REPO
from tests.horreum_real import runs
from tests.horreum_real.conftest import (
    Admin,
    Bot,
    HorreumTest,
    computed,
    figure,
    perfbot,
    wait_until,
)
from tests.horreum_real.stack import TEAM, Running
from workflows.horreum.client import HorreumClient
from workflows.horreum.config import HorreumConfig
from workflows.horreum.document import SCHEMA_URI, RunIdentity, build
from workflows.horreum.schema import LABELS
from workflows.horreum.upload import upload

pytestmark = [pytest.mark.horreum, pytest.mark.slow]


def test_import_schema_creates_the_schema_with_every_label(
    horreum_api: Admin, perf_test: HorreumTest
) -> None:
    schema = horreum_api.call("GET", f"/api/schema/{perf_test.schema_id}")
    labels = horreum_api.call("GET", f"/api/schema/{perf_test.schema_id}/labels")

    assert schema["uri"] == SCHEMA_URI
    assert sorted(label["name"] for label in labels) == sorted(name for name, *_ in LABELS)


def test_perfbot_upload_stores_a_run_whose_dataset_carries_the_labels(
    horreum_real: Running, horreum_api: Admin, perf_test: HorreumTest, tmp_path: Path
) -> None:
    report, _, base, head = runs.make_run(
        tmp_path, runs.medians(3), runs.medians(3, search=14.4), pr=7, head_sha="c" * 40
    )
    (tmp_path / "report.json").write_text(json.dumps(report))

    answer = perfbot(
        "upload", str(tmp_path / "report.json"), "--base-results", str(base),
        "--head-results", str(head), "--url", horreum_real.url, "--test", perf_test.name,
        "--owner", TEAM, key=horreum_real.api_key,
    )  # fmt: skip

    assert answer.returncode == 0, answer.stderr
    run_id = int(answer.stdout.split("[run ", 1)[1].split("]", 1)[0])
    values = computed(horreum_api, run_id)
    assert values["perfbot.repository"] == REPO
    assert values["perfbot.pr"] == 7
    assert values["perfbot.kind"] == "pull_request"
    assert values["perfbot.head_median"]["GET /search"] == pytest.approx(14.4e-3, rel=0.01)  # s
    assert set(values["perfbot.change"]) == set(runs.medians(3))


def test_the_bot_stores_a_pr_run_and_the_sticky_comment_links_it(
    real_bot: Bot, horreum_api: Admin, perf_test: HorreumTest, tmp_path: Path
) -> None:
    report, run_samples, *_ = runs.make_run(
        tmp_path, runs.medians(2), runs.medians(2, search=14.4), pr=PR_NUMBER, head_sha=HEAD_SHA
    )
    payload = runs.payload_for(report, run_samples, pr=PR_NUMBER, head_sha=HEAD_SHA)

    answer = runs.send(real_bot.url, real_bot.argo, payload)
    assert answer.status_code == 200, answer.text

    repo = real_bot.github.repos[REPO]

    def stored() -> str:
        bodies = [c["body"] for c in repo.issue_comments(PR_NUMBER) if "Horreum" in c["body"]]
        return next((b for b in bodies if "Stored in Horreum" in b), "")

    body = wait_until("the sticky comment's Horreum line", stored, 120)
    run_id = int(body.split("[run ", 1)[1].split("]", 1)[0])
    assert f"({horreum_api.url}/run/{run_id})" in body
    run = horreum_api.call("GET", f"/api/run/{run_id}")
    assert run["testname"] == perf_test.name
    values = computed(horreum_api, run_id)
    assert (values["perfbot.pr"], values["perfbot.job"]) == (PR_NUMBER, "api")
    assert values["perfbot.head_sha"] == HEAD_SHA


@pytest.mark.parametrize("count", [40, 2000])
def test_a_run_of_many_benchmarks_is_stored_whole(
    count: int, horreum_real: Running, horreum_api: Admin, perf_test: HorreumTest, tmp_path: Path
) -> None:
    report, run_samples, *_ = runs.make_run(
        tmp_path, runs.medians(count), runs.medians(count), pr=0, head_sha=f"{count:040d}"
    )
    identity = RunIdentity(repository="perf/bulk", pr=0, job="api", base_ref="main",
                           base_sha="a" * 40, head_sha=f"{count:040d}")  # fmt: skip
    document = build(identity, report, run_samples)
    target = HorreumConfig(url=horreum_real.url, test=perf_test.name, owner=TEAM, access="PUBLIC")
    client = HorreumClient(horreum_real.url, horreum_real.api_key, timeout=120)

    started = time.monotonic()
    result = upload(client, target, document, delays=())
    uploaded = time.monotonic() - started
    values = computed(horreum_api, result.run_ids[0], timeout=300)
    labelled = time.monotonic() - started

    assert result.ok, result.error
    assert len(values["perfbot.head_median"]) == count
    size = len(json.dumps(document)) / 1e6
    figure(f"upload of {count} benchmarks ({size:.1f} MB)",
           f"{uploaded:.2f} s to Horreum's answer, {labelled:.1f} s until its labels were "
           "computed")  # fmt: skip
