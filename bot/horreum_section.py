"""The Horreum part of a sticky comment: one line on where the run is stored, then findings.

It sits at the end of the comment under its own marker, so the upload's line and each of
Horreum's `change/new` findings can be set without knowing the rest of the report. The
report's own Markdown cannot fake the marker: `bot.markdown.defanged` turns every `<!--` of a
report into text before it is posted.
"""

from __future__ import annotations

MARKER = "<!-- perfbot:horreum -->"
HEADING = "**Horreum**"
CHANGE_MARKER = "<!-- perfbot:horreum-change={id} -->"


def _split(body: str) -> tuple[str, str, list[str]]:
    report, _, section = body.partition("\n\n" + MARKER + "\n")
    lines = [line for line in section.splitlines() if line.strip()]
    note = next((line for line in lines if line.startswith(HEADING)), "")
    findings = [line for line in lines if line.startswith("- ")]
    return report.rstrip("\n"), note, findings


def _join(report: str, note: str, findings: list[str]) -> str:
    lines = [note] if note else [HEADING]
    return f"{report}\n\n{MARKER}\n" + "\n".join(lines + findings) + "\n"


def with_note(body: str, note: str) -> str:
    """`body` with the upload's line set (replacing an earlier one), findings kept."""
    report, _, findings = _split(body)
    return _join(report, f"{HEADING} · {note}", findings)


def with_finding(body: str, change_id: int, line: str) -> str:
    """`body` with one more finding; the same change twice (Horreum retries) is added once."""
    marker = CHANGE_MARKER.format(id=int(change_id))
    report, note, findings = _split(body)
    if any(marker in finding for finding in findings):
        return body
    return _join(report, note, [*findings, f"- {line} {marker}"])
