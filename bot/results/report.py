"""Turning a workflow's callback into the PR's sticky comment and its check run's end.

Two callbacks can arrive per run: `result` from the `report` step (the comparison ran) and
`exit` from the onExit handler (always, with how the workflow ended). `result` writes the
report and completes the check run from the verdict. `exit` matters when something went wrong:
a failed or errored run is reported with its failing step, a run stopped by a newer command or
`/perf-bot cancel` is closed as cancelled without touching the report, and a successful exit
only closes a check run that no result closed (a lost `result` callback).

Check run conclusions: `success` for improved or unchanged, `failure` for a regression (so a
repository can require the check before merging) and for a failed run, `neutral` for an
inconclusive run (some benchmark could not be judged: not a pass, not a failure; the title
names the reasons, from the report's `summary.open`) and for a verdict perfbot does not know,
`cancelled` for a stopped run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.github.api import RepoGitHub
from bot.github.markdown import defanged, inert, text
from bot.results import sticky
from bot.results.run_binding import BoundRun
from workflows.callback import CallbackPayload
from workflows.pipeline.deploy import NAME as DEPLOY

VERDICT_CONCLUSIONS = {
    "improved": "success",
    "unchanged": "success",
    "no-change": "success",
    "no significant change": "success",
    "regressed": "failure",
    "inconclusive": "neutral",
}
VERDICT_TITLES = {
    "improved": "Faster",
    "unchanged": "No significant change",
    "no-change": "No significant change",
    "no significant change": "No significant change",
    "regressed": "Regression",
    "inconclusive": "Inconclusive",
}
INCONCLUSIVE = "inconclusive"
MAX_COMMENT = 60000  # GitHub refuses comments over 65536 characters
_STOPPED = re.compile(r"workflow shutdown with strategy:\s*\w+|stopped with strategy", re.I)

RUN_LINE = "Head `{head}` against `{base_ref}` (`{base}`) · {link}\n"
RESULT_HEADER = "### perfbot · {job}: {title}\n\n" + RUN_LINE
FAILED_HEADER = "### perfbot · {job}: the run {status}\n\n" + RUN_LINE
FAILED_STEP = "- step **{step}** (`{template}`) {phase}: {message}{pod}"
FAILED_NO_STEP = "The workflow ended {status} without naming a failing step ({name})."
LOGS = "\nLogs: {link}, or `argo logs -n {namespace} {name}` (add the pod name to see one step)."
TRUNCATED = "\n\n… (report truncated; the full report is in the workflow's artifacts)"
UNFINISHED_TITLE = "Finished without a result"
UNFINISHED_SUMMARY = "The workflow `{name}` succeeded but its result never reached the bot."
CANCELLED_TITLE = "Stopped"
ENDED = {"Failed": "failed", "Error": "errored"}  # Argo's phases of a run that did not succeed
CANCELLED_SUMMARY = "The workflow `{name}` was stopped (superseded by a newer run, or cancelled)."


@dataclass(frozen=True)
class Outcome:
    """What the callback does to the check run, and the comment text if it changes it."""

    conclusion: str | None  # None: leave the check run as it is
    title: str
    summary: str
    comment: str | None = None
    only_if_open: bool = False  # complete the check run only if nothing else did


def outcome_for(payload: CallbackPayload, link: str | None) -> Outcome:
    run = payload.run
    shown = {
        "job": run.job,
        "head": run.head_sha[:12],
        "base_ref": inert(run.base_ref, 200),
        "base": run.base_sha[:12],
        "link": f"[workflow `{payload.workflow_name}`]({link})"
        if link
        else f"`{payload.workflow_name}`",
    }
    if payload.kind == "result":
        verdict = (payload.verdict or "").strip().lower()
        title = VERDICT_TITLES.get(verdict, f"Verdict: {text(payload.verdict or 'none', 60)}")
        if verdict == INCONCLUSIVE:
            title += open_reasons(payload.report)
        report = defanged(payload.report_markdown or "")
        body = RESULT_HEADER.format(title=title, **shown) + "\n" + report
        return Outcome(
            conclusion=VERDICT_CONCLUSIONS.get(verdict, "neutral"),
            title=title,
            summary=_limit(report or title),
            comment=_limit(body),
        )
    if payload.status == "Succeeded":
        return Outcome(
            conclusion="neutral",
            title=UNFINISHED_TITLE,
            summary=UNFINISHED_SUMMARY.format(name=payload.workflow_name),
            only_if_open=True,
        )
    if was_stopped(payload.failures):
        return Outcome(
            conclusion="cancelled",
            title=CANCELLED_TITLE,
            summary=CANCELLED_SUMMARY.format(name=payload.workflow_name),
        )
    status = ended(payload.status)
    details = failure_lines(payload) + LOGS.format(
        link=link or "the Argo UI", namespace=payload.namespace, name=payload.workflow_name
    )
    return Outcome(
        conclusion="failure",
        title=f"The run {status}" + _at_step(payload),
        summary=_limit(details),
        comment=_limit(FAILED_HEADER.format(status=status, **shown) + "\n" + details),
    )


def ended(status: str) -> str:
    """How a run ended, in words: Argo's `Error` (a step it could not run, such as a source
    fetch that failed) is as bad as `Failed` and is reported the same way."""
    if not status:
        return ENDED["Failed"]
    return ENDED.get(status) or f"ended {text(status.lower(), 40)}"


def open_reasons(report: dict[str, Any] | None) -> str:
    """`: 2 too noisy, 1 unconfirmed` from the JSON report's `summary.open` (the reasons
    benchmarks could not be judged); empty when the report does not say."""
    summary = report.get("summary") if isinstance(report, dict) else None
    counts = summary.get("open") if isinstance(summary, dict) else None
    if not isinstance(counts, dict):
        return ""
    shown = [
        f"{n} {text(str(reason), 40)}"
        for reason, n in counts.items()
        if isinstance(n, int) and not isinstance(n, bool) and n > 0
    ]
    return f": {', '.join(shown[:6])}" if shown else ""


def was_stopped(failures: list[dict[str, Any]]) -> bool:
    return any(
        isinstance(f, dict) and _STOPPED.search(str(f.get("message") or "")) for f in failures
    )


def ranked_failures(payload: CallbackPayload) -> list[dict[str, Any]]:
    """The failures a reader should see first: steps that say why, then the services Argo
    stopped because of them, then steps that never ran, then the DAGs above them (no message
    of their own), the workflow's own node last. Argo lists every failed node (DAGs and the
    run itself included) in no fixed order, so its first entry is often not the step that
    failed."""

    def rank(failure: dict[str, Any]) -> int:
        # Argo gives every node a podName, DAGs included; a DAG's own message is empty.
        if failure.get("displayName") == payload.workflow_name:
            return 4
        if not failure.get("message"):
            return 3
        # A step Argo created at or after the run's deadline and failed at once: it never ran
        # (Argo v4.0.5 even starts a step after services that never became ready, once the
        # deadline passes: it marks their retry nodes Succeeded).
        if failure.get("message") == NEVER_RAN:
            return 2
        # When another step fails, Argo stops the run's service daemons and lists them as
        # failed too (with their last log line): a cause only when nothing else failed.
        return 1 if failure.get("templateName") == DEPLOY else 0

    return sorted((f for f in payload.failures if isinstance(f, dict)), key=rank)


MESSAGE_LIMIT = 500
NEVER_RAN = "Step exceeded its deadline"  # Argo's message for a node failed at its creation
# Argo's own head of a failed container's message: "main: Error (exit code 3): ...".
ARGO_HEAD = re.compile(r"^([\w.-]+: [^\n:]* \(exit code \d+\)):? ?")
# Lines Argo's executor (emissary) writes into the main container's own log, and so into the
# log tail Kubernetes keeps as a failed container's termination message: noise beside the
# step's own last words. Its records carry `argo=true`; it ends with "Error: exit status N".
EXECUTOR_LINE = re.compile(r"(\bargo=true\b|^Error: exit status \d+$)")


def step_message(message: object) -> str:
    """A failed node's message for the report: the step's own last log lines (the templates
    ask Kubernetes to keep them: `workflows.pipeline.common.TERMINATION_MESSAGE_POLICY`)
    without the executor's, and, when long, its end, where the reason is."""
    if not message:
        return "no message"
    # "main: Error (exit code 3): <the log's tail>": the head is Argo's, and worth keeping.
    head, tail = "", str(message)
    if found := ARGO_HEAD.match(tail):
        head, tail = found.group(1), tail[found.end() :]
    lines = [line for line in tail.splitlines() if not EXECUTOR_LINE.search(line)]
    said = " / ".join(line.strip() for line in lines if line.strip())
    kept = ": ".join(part for part in (head, said) if part) or "no message"
    return kept if len(kept) <= MESSAGE_LIMIT else "…" + kept[-(MESSAGE_LIMIT - 1) :]


def failure_lines(payload: CallbackPayload) -> str:
    failing = ranked_failures(payload)
    if not failing:
        return FAILED_NO_STEP.format(status=text(payload.status, 40), name=payload.workflow_name)
    lines = []
    for failure in failing[:5]:
        pod = failure.get("podName")
        lines.append(
            FAILED_STEP.format(  # prose: `text`; inside a code span: `inert`
                step=text(str(failure.get("displayName") or "?"), 100),
                template=inert(str(failure.get("templateName") or "?"), 100),
                phase=text(str(failure.get("phase") or "failed").lower(), 20),
                message=text(step_message(failure.get("message")), MESSAGE_LIMIT),
                pod=f" (pod `{inert(str(pod), 253)}`)" if pod else "",
            )
        )
    return "\n".join(lines)


def _at_step(payload: CallbackPayload) -> str:
    for failure in ranked_failures(payload):
        if failure.get("displayName") and failure["displayName"] != payload.workflow_name:
            return f" at step {failure['displayName']}"
    return ""


def _limit(text: str) -> str:
    """At most MAX_COMMENT characters plus the note, cut after a whole line: a table row cut
    in half would show as a broken row (or, with its `|` gone, as text under the table)."""
    if len(text) <= MAX_COMMENT:
        return text
    kept = text[:MAX_COMMENT]
    cut = kept.rfind("\n")
    return (kept[:cut] if cut > 0 else kept) + TRUNCATED


CHANGED_VERDICTS = frozenset({"regressed", "improved"})


def comments(mode: str, payload: CallbackPayload) -> bool:
    """The repository's `comment:` setting: `always`; `on-change`, only a result whose verdict
    is a regression or an improvement (the check run says the rest); `quiet`, never. A run
    without a pull request (`pr` 0, a push) has nowhere to comment."""
    if not payload.run.pr or mode == "quiet":
        return False
    if mode == "on-change":
        verdict = (payload.verdict or "").strip().lower()
        return payload.kind == "result" and verdict in CHANGED_VERDICTS
    return True


@dataclass(frozen=True)
class Applied:
    """What a callback did, for its answer and the log; `repeated` when everything it would
    have done was done already (a redelivery): nothing after it (Horreum) runs again."""

    done: str
    repeated: bool = False


def apply(
    outcome: Outcome,
    payload: CallbackPayload,
    github: RepoGitHub,
    *,
    check_name: str | None,
    author: str,
    link: str | None,
    comment_mode: str = "always",
    run: BoundRun | None = None,
) -> Applied:
    """Write the comment (`comments` decides; `run` stamps it, so an older or repeated
    callback leaves a newer report alone), then complete the check run (`check_name` None:
    no check runs). An `exit` completes only a check run still open: a run's result, or a
    status reply that closed it, is never replaced by its end."""
    ran = payload.run
    done: list[str] = []
    shown: str | None = None  # what the comment step did; None: no comment for this one
    # `on-change` posts only changes, but a comment it posted must not go on saying
    # "Regression" after a later run found none or failed: that one is kept up to date.
    post = comments(comment_mode, payload)
    refresh = comment_mode == "on-change" and bool(ran.pr) and not post
    if outcome.comment is not None and (post or refresh):
        result = sticky.upsert(
            github, ran.pr, ran.job, outcome.comment, author=author, run=run, create=post
        )
        shown = result.done
        done.append(f"comment {shown}")
    was_closed = False
    if check_name is not None and outcome.conclusion is not None:
        check = github.find_check_run(
            head_sha=ran.head_sha, name=check_name, external_id=payload.workflow_name
        )
        was_closed = check is not None and check.status == "completed"
        ends_only_open = outcome.only_if_open or (run is not None and payload.kind == "exit")
        repeat = shown == sticky.DUPLICATE and was_closed  # this very callback, again
        if (outcome.only_if_open and check is None) or (ends_only_open and was_closed) or repeat:
            pass  # nothing left to close
        else:
            if check is None:  # creating it at submit time failed; the result still shows
                check_id = github.create_check_run(
                    name=check_name,
                    head_sha=ran.head_sha,
                    details_url=link,
                    external_id=payload.workflow_name,
                    summary=outcome.summary,
                )
            else:
                check_id = check.id
            github.complete_check_run(
                check_id,
                conclusion=outcome.conclusion,
                title=outcome.title,
                summary=outcome.summary,
                details_url=link,
            )
            done.append(f"check run {outcome.conclusion}")
    repeated = shown in (sticky.DUPLICATE, sticky.RESULT_KEPT) if shown else was_closed
    return Applied(", ".join(done) or "nothing", repeated=run is not None and repeated)
