"""Runs to store: real reports from round files, sent to the bot as its report step sends them."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import requests

from tests.bot.constants import CALLBACK_SECRET, MAIN_SHA
from tests.bot.payloads import REPO
from tests.horreum.conftest import result_payload, write_rounds
from workflows.callback import SIGNATURE_HEADER, CallbackPayload, sign
from workflows.cli.compare import compare_paths
from workflows.compare.json_report import report_dict
from workflows.compare.provenance import RunFacts
from workflows.horreum import samples

_NUMBERS = itertools.count(1)


def medians(count: int, *, search: float = 12.0) -> dict[str, float]:
    """`GET /search` at `search` ms and `count - 1` other benchmarks at steady medians."""
    others = {f"GET /item/{i:04d}": 1.0 + (i % 17) / 10 for i in range(count - 1)}
    return {"GET /search": search, **others}


def make_run(
    root: Path, base: dict[str, float], head: dict[str, float], **facts: Any
) -> tuple[dict[str, Any], dict[str, Any], Path, Path]:
    """(report, samples, base rounds, head rounds) of one comparison, in a new folder."""
    folder = root / f"run-{next(_NUMBERS):03d}"
    base_dir = write_rounds(folder / "base", base)
    head_dir = write_rounds(folder / "head", head)
    run_facts = RunFacts(**{"repository": REPO, "job": "api", "base_ref": "main",
                            "base_sha": MAIN_SHA, **facts})  # fmt: skip
    report = report_dict(compare_paths(base_dir, head_dir), run_facts)
    return report, samples.collect(base_dir, head_dir), base_dir, head_dir


def payload_for(
    report: dict[str, Any], run_samples: dict[str, Any], *, pr: int, head_sha: str
) -> CallbackPayload:
    payload = result_payload(report, run_samples, pr=pr, head_sha=head_sha)
    return dataclasses.replace(payload, workflow_name=f"perf-api-{head_sha[-8:]}")


def send(bot_url: str, argo: Any, payload: CallbackPayload) -> requests.Response:
    """A signed result, as the report step sends it; the bot uploads in a follow-up after."""
    argo.add_run_of(payload)
    body = payload.to_json()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, CALLBACK_SECRET)}
    return requests.post(f"{bot_url}/callback", data=body, headers=headers, timeout=60)
