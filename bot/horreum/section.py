"""The Horreum part of a sticky comment: one line on where the run is stored, then findings.

It sits at the end of the comment under its own marker, so the upload's line and each of
Horreum's `change/new` findings can be set without knowing the rest of the report. The
report's own Markdown cannot fake the marker: `bot.github.markdown.defanged` turns every `<!--` of a
report into text before it is posted.

Findings only ever add lines, so the section is bounded: the whole comment stays within
GitHub's 65,536 characters (beyond it every edit is refused and later findings are lost). The
newest findings that fit are shown, whole lines, with a line counting the earlier ones left out.
"""

from __future__ import annotations

import re

MARKER = "<!-- perfbot:horreum -->"
HEADING = "**Horreum**"
CHANGE_MARKER = "<!-- perfbot:horreum-change={id} -->"
CHANGE_PREFIX = "<!-- perfbot:horreum-change="
GITHUB_LIMIT = 65_536  # characters GitHub accepts in a comment; an edit beyond is refused (422)
OMITTED = (
    "- … {n} earlier Horreum finding{s} left out here (GitHub's comment size limit); "
    "Horreum has them all <!-- perfbot:horreum-omitted={n} -->"
)
_OMITTED = re.compile(r"<!-- perfbot:horreum-omitted=(\d{1,9}) -->")
REPORT_CUT = "\n\n… (cut to fit GitHub's comment size limit; the full report is in the run)"


def _split(body: str) -> tuple[str, str, list[str], int]:
    report, _, section = body.partition("\n\n" + MARKER + "\n")
    lines = [line for line in section.splitlines() if line.strip()]
    note = next((line for line in lines if line.startswith(HEADING)), "")
    findings = [line for line in lines if line.startswith("- ") and CHANGE_PREFIX in line]
    omitted = next((int(m[1]) for line in lines if (m := _OMITTED.search(line))), 0)
    return report.rstrip("\n"), note, findings, omitted


def _join(report: str, note: str, findings: list[str], omitted: int = 0) -> str:
    """The body, at most GITHUB_LIMIT characters: the newest findings that fit, whole lines,
    and a line counting the earlier ones left out; a report too long for even the note is cut
    after a whole line."""
    head = note or HEADING
    reserve = len(MARKER) + len(head) + len(OMITTED.format(n=10**9, s="s")) + 8
    if len(report) + reserve > GITHUB_LIMIT:
        kept = report[: GITHUB_LIMIT - reserve - len(REPORT_CUT)]
        report = (kept.rpartition("\n")[0] or kept) + REPORT_CUT
    room = GITHUB_LIMIT - len(report) - reserve
    shown: list[str] = []
    for line in reversed(findings):  # newest first: they matter most
        if len(line) + 1 > room:
            break
        shown.insert(0, line)
        room -= len(line) + 1
    omitted += len(findings) - len(shown)
    lines = [head]
    if omitted:
        lines.append(OMITTED.format(n=omitted, s="s" if omitted > 1 else ""))
    return f"{report}\n\n{MARKER}\n" + "\n".join(lines + shown) + "\n"


def with_note(body: str, note: str) -> str:
    """`body` with the upload's line set (replacing an earlier one), findings kept."""
    report, _, findings, omitted = _split(body)
    return _join(report, f"{HEADING} · {note}", findings, omitted)


def with_finding(body: str, change_id: int, line: str) -> str:
    """`body` with one more finding; the same change twice (Horreum retries) is added once."""
    marker = CHANGE_MARKER.format(id=int(change_id))
    report, note, findings, omitted = _split(body)
    if any(marker in finding for finding in findings):
        return body
    return _join(report, note, [*findings, f"- {line} {marker}"], omitted)
