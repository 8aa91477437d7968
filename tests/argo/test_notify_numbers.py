"""`perfbot notify` with extreme numbers: bad input is exit 2 before anything is sent, and a
report full of odd numbers still reaches the bot as a payload it can read.

Exit 1 is the step failing to deliver; it must not stand for "this value was odd", since the
exit handler then reports the run as failed.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from tests.argo.test_notify_cli import no_retry_wait, receiver, step_env, steps  # noqa: F401
from workflows.callback import MAX_PR
from workflows.cli import main

BAD_PRS = {
    "float text": "1e308",
    "too large": "9" * 30,
    "past int's digit limit": "9" * 5000,
    "negative": "-5",
    "arabic-indic digits": "\u0661\u0662",
    "one past MAX_PR": str(MAX_PR + 1),
    "padded": " 7",
}
GOOD_PRS = {"zero": ("0", 0), "plain": ("42", 42), "largest": (str(MAX_PR), MAX_PR)}


@pytest.mark.parametrize("pr", BAD_PRS.values(), ids=BAD_PRS.keys())
def test_a_bad_pr_number_is_exit_2_and_nothing_is_sent(steps, receiver, tmp_path, pr):  # noqa: F811
    env = step_env(steps, "notify-exit", receiver.url, tmp_path, PERFBOT_PR=pr)
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "--pr" in result.stderr
    assert receiver.bodies == []


@pytest.mark.parametrize(("pr", "number"), GOOD_PRS.values(), ids=GOOD_PRS.keys())
def test_a_good_pr_number_is_sent(steps, receiver, tmp_path, pr, number):  # noqa: F811
    env = step_env(steps, "notify-exit", receiver.url, tmp_path, PERFBOT_PR=pr)
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0, result.output
    (payload,) = receiver.payloads()
    assert payload.run.pr == number


EXTREME_REPORT_VALUES = {
    "nan": ("NaN", None),
    "infinity": ("Infinity", None),
    "1e308": ("1e308", 1e308),
    "huge int": ("9" * 400, None),
    "negative zero": ("-0.0", -0.0),
    "number as string": ('"12"', "12"),
}


@pytest.mark.parametrize(
    ("raw", "read"), EXTREME_REPORT_VALUES.values(), ids=EXTREME_REPORT_VALUES.keys()
)
def test_a_report_with_extreme_numbers_is_delivered_and_readable(
    steps,  # noqa: F811
    receiver,  # noqa: F811
    tmp_path,
    raw,
    read,
):
    report = '{"summary": {"verdict": "regressed", "geomean_change": VALUE}}'
    (tmp_path / "report.json").write_text(report.replace("VALUE", raw))
    (tmp_path / "report.md").write_text("## perfbot\n")
    env = step_env(steps, "report", receiver.url, tmp_path)

    result = CliRunner().invoke(main, ["notify", "--kind", "result"], env=env)

    assert result.exit_code == 0, result.output
    (payload,) = receiver.payloads()  # the bot's own reading of the body
    assert payload.report is not None
    value = payload.report["summary"]["geomean_change"]
    assert value == read or (isinstance(read, float) and math.copysign(1, value) == -1)
    json.dumps(payload.report, allow_nan=False)  # nothing left that strict JSON refuses
