"""Extreme numbers in a signed callback: a 2xx or a 4xx with a reason, never a 500.

The `report` of a callback is `perfbot compare`'s JSON, read by the bot for the comment, the
check run, the history store and Horreum. Every number in a real report is replaced in turn by
a value that broke something before (1e308, a 400-digit integer, NaN and Infinity, which
Python's JSON writes and reads, negative zero, a number written as a string), and the bot,
with a history store, must answer without a traceback; what it stores and writes must stay
readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.bot.stack import Stack, result, running_stack, settle
from tests.security.conftest import CONFIG, assert_refused_cleanly, post_callback
from workflows.config import PerfbotConfig
from workflows.history import Store

ROOT = Path(__file__).resolve().parents[2]
HUGE_INT = "9" * 400

# raw JSON text that replaces every number of the report
EXTREMES = {
    "1e308": "1e308",
    "-1e308": "-1e308",
    "huge int": HUGE_INT,
    "past int's digit limit": "9" * 5000,
    "long float literal": "1." + "1" * 5000,
    "nan": "NaN",
    "infinity": "Infinity",
    "-infinity": "-Infinity",
    "negative zero": "-0.0",
    "number as string": '"1e308"',
    "tiny": "5e-324",
}
NUMBER = '"NUMBER"'


@pytest.fixture(scope="module")
def report_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example pair's JSON report with every number replaced by a placeholder."""
    from click.testing import CliRunner

    from workflows.cli import main

    examples = ROOT / "examples" / "results"
    out = CliRunner().invoke(
        main,
        ["compare", str(examples / "base.json"), str(examples / "head.json"), "--format", "json"],
    )
    assert out.exit_code == 0, out.output

    def placeholders(value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            return "NUMBER"
        if isinstance(value, dict):
            return {k: placeholders(v) for k, v in value.items()}
        if isinstance(value, list):
            return [placeholders(v) for v in value]
        return value

    return json.dumps(placeholders(json.loads(out.stdout)))


@pytest.fixture(scope="module")
def stack(
    contracts_dir: Path, config: PerfbotConfig, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    store = tmp_path_factory.mktemp("history") / "h.sqlite"
    yield from running_stack(
        contracts_dir, CONFIG, config, history_url=str(store), dashboard="public"
    )


def _body(report: str, workflow: str) -> bytes:
    payload = json.loads(result(workflow).to_json())
    payload["report"] = "REPORT"
    payload["verdict"] = "regressed"
    return json.dumps(payload).replace('"REPORT"', report).encode()


@pytest.mark.parametrize("raw", EXTREMES.values(), ids=EXTREMES.keys())
def test_a_report_full_of_extreme_numbers_is_answered_without_a_500(
    stack: Stack, report_template: str, raw: str
) -> None:
    workflow = f"perf-numbers-{abs(hash(raw)) % 10**8}"
    body = _body(report_template.replace(NUMBER, raw), workflow)

    response = post_callback(stack, body)

    if response.status_code >= 400:
        assert_refused_cleanly(response, 400, 422)
        return
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    settle(stack.app)  # the history is written after the answer
    store = Store.open(_store_url(stack))
    try:
        [run] = [r for r in store.runs(limit=500) if r.workflow_name == workflow]
        assert store.benchmarks(run.id)  # stored, and read back
    finally:
        store.close()
    for page in (f"/runs/{run.id}", "/"):  # the dashboard shows what was stored
        shown = stack.client.get(page)
        assert shown.status_code == 200, (page, shown.get_data(as_text=True)[:300])


def _store_url(stack: Stack) -> str:
    from bot.shared.services import EXTENSION

    return str(stack.app.extensions[EXTENSION].settings.history_url)


@pytest.mark.parametrize("raw", EXTREMES.values(), ids=EXTREMES.keys())
def test_extreme_samples_for_horreum_are_answered_without_a_500(stack: Stack, raw: str) -> None:
    payload = json.loads(result(f"perf-samples-{abs(hash(raw)) % 10**8}").to_json())
    payload["samples"] = "SAMPLES"
    samples = '{"base": {"x": [1, NUMBER]}, "head": {"x": [NUMBER, 2]}}'.replace("NUMBER", raw)
    body = json.dumps(payload).replace('"SAMPLES"', samples).encode()

    response = post_callback(stack, body)

    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert_refused_cleanly(response, 400, 422)
