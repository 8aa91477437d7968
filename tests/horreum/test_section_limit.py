"""Horreum's findings never grow the sticky comment past GitHub's 65,536-character limit.

Each `change/new` finding adds a line under the report. Before, a run with many findings
grew the comment past the limit; from then on GitHub refused every edit (422) and later
findings were lost. Now the section keeps the newest findings that fit, whole lines only, and
says how many earlier ones are left out and where they are (Horreum).
"""

from __future__ import annotations

import pytest

from bot.horreum.section import GITHUB_LIMIT, MARKER, with_finding, with_note

LINE = (
    "`{n}` regressed in Horreum: "
    + "x" * 300
    + " [run 7 in Horreum](https://horreum.example/run/7)"
)
# (report characters, findings added, whether some must be left out)
CASES = [
    (100, 0, False),
    (100, 5, False),
    (100, 400, True),
    (30_000, 100, True),
    (60_000, 1, False),
    (60_000, 40, True),
    (64_000, 10, True),  # a report near the limit (written by something older)
]


def _grown(report_size: int, findings: int) -> str:
    body = with_note("r" * report_size, "Stored in Horreum: run 7")
    for n in range(findings):
        body = with_finding(body, n, LINE.format(n=n))
    return body


@pytest.mark.parametrize(("report_size", "findings", "cut"), CASES)
def test_the_comment_stays_under_githubs_limit(report_size: int, findings: int, cut: bool) -> None:
    body = _grown(report_size, findings)

    assert len(body) <= GITHUB_LIMIT
    assert body.count(MARKER) == 1
    assert "Stored in Horreum: run 7" in body
    assert body.startswith("r" * min(report_size, 1000))
    if findings:
        assert f"`{findings - 1}` regressed" in body  # the newest finding is shown
    assert ("earlier Horreum finding" in body) is cut
    for line in body.splitlines():  # whole lines: no finding is cut in half
        if line.startswith("- `"):
            assert line.endswith(" -->")


def test_the_left_out_count_is_exact() -> None:
    body = _grown(100, 400)
    shown = sum(1 for line in body.splitlines() if line.startswith("- `"))
    assert f"{400 - shown} earlier Horreum finding" in body


def test_a_finding_delivered_again_is_added_once_even_after_cuts() -> None:
    body = _grown(100, 400)
    again = with_finding(body, 399, LINE.format(n=399))
    assert again == body
