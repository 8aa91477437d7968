"""Text the bot writes as prose (not inside a code span) follows the results' rule.

`bot.github.markdown.inert` is meant for code spans: it stops mentions, HTML and backticks, but lets
`[text](url)`, images, emphasis and table pipes through. Where hostile text lands in prose,
the bot must use `bot.github.markdown.text` (`workflows.untrusted.markdown_text`). The places: a
failing step's message, name, template and pod (Argo takes a failed pod's message from what
the pod wrote, and pods run the PR's code), an unknown verdict or end status, the report's
reasons for "inconclusive", and the progress line's phase and step names (a table cell in
`/perf-bot status`). Each must parse into the same Markdown structure as a plain word would.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.results import report
from bot.runs import progress_line
from bot.runs.status import RunStatus
from tests.bot.stack import exit_callback, result
from tests.security.test_result_text import HOSTILE, MENTION, URLISH, _shape

PLAIN = "plain"
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = "https://argo.example/workflows/perfbot/perf-x"


def _failure(text: str) -> dict[str, str]:
    return {
        "displayName": text,
        "templateName": text,
        "message": text,
        "podName": text,
        "phase": "Failed",
    }


def _failed_step(text: str) -> str:
    outcome = report.outcome_for(exit_callback("perf-x", "Failed", [_failure(text)]), LINK)
    assert outcome.comment is not None
    return outcome.comment


def _unknown_status(text: str) -> str:
    outcome = report.outcome_for(exit_callback("perf-x", text or "x", []), LINK)
    assert outcome.comment is not None
    return outcome.comment


def _unknown_verdict(text: str) -> str:
    payload = result("perf-x", verdict=text or "x", report="| a | b |\n| --- | --- |\n| 1 | 2 |")
    outcome = report.outcome_for(payload, LINK)
    assert outcome.comment is not None
    return outcome.comment


def _open_reason(text: str) -> str:
    payload = result("perf-x", verdict="inconclusive", report="body")
    payload = type(payload)(**{**payload.__dict__, "report": {"summary": {"open": {text: 2}}}})
    outcome = report.outcome_for(payload, LINK)
    assert outcome.comment is not None
    return outcome.comment


def _status_cell(text: str) -> str:
    status = RunStatus(
        name="perf-x", phase=text or "x", created=None, progress=None, steps=(text or "x",),
        benchmark=None, benchmark_started=None, benchmark_running=False, waiting_for=None,
        started=None, estimated_duration=None,
    )  # fmt: skip
    line = progress_line.status_line(status, datetime.now(UTC))
    return f"| workflow | state |\n| --- | --- |\n| `perf-x` | {line} |"


SITES = {
    "failed step": _failed_step,
    "unknown end status": _unknown_status,
    "unknown verdict": _unknown_verdict,
    "inconclusive reason": _open_reason,
    "status table cell": _status_cell,
}


@pytest.mark.parametrize("site", SITES.values(), ids=SITES.keys())
@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_in_the_bots_prose_changes_no_structure(site, hostile: str) -> None:
    written = site(hostile)

    assert _shape(written) == _shape(site(PLAIN)), written[:500]
    prose = CODE_SPAN.sub("", written.replace(LINK, ""))  # GitHub autolinks no code span
    assert not URLISH.search(prose), written[:500]
    assert not MENTION.search(written), written[:500]
