"""`perfbot notify`: the `report` step and the exit handler tell the bot about a run.

It runs inside the workflow, in the perfbot image, and receives everything as environment
variables (the template never splices a parameter into a script): the run's identity, the
callback URL and the HMAC secret. It builds a `workflows.callback.CallbackPayload`, signs it and
POSTs it, retrying a few times, because a lost result leaves the PR's check run hanging.

With no callback URL (a run submitted by hand) it prints what it would have sent and exits 0.
`--verdict-of REPORT.json` prints the overall verdict of a `perfbot compare` JSON report; the
compare step uses it to set its `verdict` output parameter. `--flagged-of REPORT.json` prints
the benchmarks it flagged (regressed or improved), one a line, for the `flagged` step that
starts a confirmation run; a name with a line break in it cannot be listed and is left out
(the confirmation then reports it as not measured again).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import click

from workflows.argo_values import UNRESOLVED, read_failures, read_parameters
from workflows.errors import BadInput

ENV = "PERFBOT_"
RETRY_DELAYS = (1.0, 3.0, 9.0)
NO_CALLBACK = "perfbot notify: no callback URL given; nothing sent"
VERDICT_KEYS = ("verdict", "overall_verdict")
UNKNOWN_VERDICT = "unknown"
MAX_MARKDOWN = 60_000  # a GitHub comment holds 65,536 characters; leave room for the bot's frame
# Raw samples ride along for Horreum only; above this they are left out, so that a suite with
# millions of samples never pushes the result over the bot's 25 MB cap and loses the report.
MAX_SAMPLES_BYTES = 8 * 1024 * 1024
RESERVE = "reserve"  # the measure DAG's first step (workflows.pipeline.reserve)
MEASURE = "measure"  # the DAG of deploys and rounds (workflows.pipeline.measure)
DAGS = {"pipeline", MEASURE}  # the templates of the run's DAG nodes, which have no pod
SAMPLES_LEFT_OUT = "perfbot notify: raw samples left out of the result ({why})"


class DeliveryFailed(click.ClickException):
    """The bot could not be reached or refused the payload: the step fails (exit 1)."""

    exit_code = 1


def overall_verdict(report: Any) -> str:
    """The overall verdict of a JSON report: `verdict`, or the same key under `summary`."""
    if isinstance(report, dict):
        for holder in (report, report.get("summary"), report.get("overall")):
            if isinstance(holder, dict):
                for key in VERDICT_KEYS:
                    value = holder.get(key)
                    if isinstance(value, str) and value:
                        return value
    return UNKNOWN_VERDICT


def parse_failures(raw: str | None) -> list[dict[str, Any]]:
    """Argo's `workflow.failures` in any encoding Argo uses; never fails the exit handler (an
    unreadable value is reported as one failure quoting it, with a line on stderr)."""
    failures, note = read_failures(raw)
    if note:
        click.echo(f"perfbot notify: {note}", err=True)
    return failures


def explain_reservation(failures: list[dict[str, Any]], note: str) -> list[dict[str, Any]]:
    """A run no benchmark node could take gets the run's sizes (`workflows.pipeline.reserve.
    note`) on the failure that stands for it.

    Two shapes say so. A `reserve` step that failed with Argo's "timeout". And what Argo v4.0.5
    really reports (seen on a real cluster, tests/cluster): a `reserve` pod that outlives its
    timeout while Pending keeps the phase Pending, so `workflow.failures` lists only the DAGs
    above it; a failed `measure` DAG with no failed step of its own under it is that case.
    """
    if not note:
        return failures
    steps = [f for f in failures if f.get("templateName") not in DAGS]
    explained = []
    for failure in failures:
        message = str(failure.get("message") or "")
        template = failure.get("templateName")
        timed_out = template == RESERVE and "timeout" in message.lower()
        never_placed = template == MEASURE and not steps
        if timed_out or never_placed:
            failure = {**failure, "message": f"{message}: {note}" if message else note}
        explained.append(failure)
    return explained


def _read_json(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"report {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"report {path} is not readable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadInput(f"report {path} must hold a JSON object")
    return data


def _read_text(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc}") from None
    if len(text) > MAX_MARKDOWN:
        text = text[:MAX_MARKDOWN] + "\n\n… (report truncated; the full report is an artifact)\n"
    return text


def _send(url: str, payload: Any, secret: str, timeout: float) -> None:
    import requests

    from workflows.callback import send

    last = ""
    for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
        if delay:
            time.sleep(delay)
        try:
            send(url, payload, secret, timeout=timeout)
            return
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            last = f"the bot answered {status}"
            if 400 <= status < 500 and status not in (408, 429):
                break  # a refused signature or body will not change on retry
        except requests.RequestException as exc:
            last = f"cannot reach {url}: {type(exc).__name__}"
        click.echo(f"perfbot notify: attempt {attempt + 1} failed: {last}", err=True)
    raise DeliveryFailed(f"could not deliver the {payload.kind} callback: {last}")


def _samples(base: Path | None, head: Path | None) -> dict[str, Any] | None:
    """Both sides' raw samples for Horreum; None (with a line on stderr) when they cannot be
    read or are too large: the report must reach the bot regardless."""
    if base is None or head is None or not base.exists() or not head.exists():
        return None
    from workflows.horreum.samples import collect
    from workflows.results import ResultsError

    try:
        samples = collect(base, head)
    except ResultsError as exc:
        click.echo(SAMPLES_LEFT_OUT.format(why=str(exc)[:200]), err=True)
        return None
    size = len(json.dumps(samples))
    if size > MAX_SAMPLES_BYTES:
        click.echo(SAMPLES_LEFT_OUT.format(why=f"{size} bytes"), err=True)
        return None
    return samples


def _pr_number(text: str) -> int:
    """The bot's rule (`workflows.callback`), checked here so that a value it would refuse is
    this step's bad input (exit 2), not a delivery failure (exit 1) after four attempts."""
    from workflows.callback import MAX_PR

    text = text or "0"
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PR)):
        raise BadInput(f"--pr must be a whole number from 0 to {MAX_PR}, got {text[:40]!r}")
    number = int(text)
    if number > MAX_PR:
        raise BadInput(f"--pr must be a whole number from 0 to {MAX_PR}, got {text!r}")
    return number


def _opt(name: str, **kwargs: Any) -> Any:
    env = ENV + name.upper().replace("-", "_")
    return click.option(f"--{name}", envvar=env, show_envvar=True, **kwargs)


@click.command(name="notify")
@click.option("--kind", type=click.Choice(["result", "exit"]), help="result (report step) or exit")
@click.option(
    "--verdict-of",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Print the overall verdict of a JSON report and exit.",
)
@click.option(
    "--flagged-of",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Print the benchmarks a JSON report flagged, one a line, and exit.",
)
@_opt("callback-url", default="", help="The bot's /callback URL; empty: send nothing.")
@_opt("repo", default="", help="owner/name")
@_opt("pr", default="0", help="Pull request number (0 for a manual run).")
@_opt("job", default="")
@_opt("head-sha", default="")
@_opt("base-sha", default="")
@_opt("base-ref", default="")
@_opt("workflow-name", default="")
@_opt("namespace", default="")
@_opt("status", default="", help="Argo's workflow.status (exit).")
@_opt("failures", default="", help="Argo's workflow.failures JSON (exit).")
@_opt("verdict", default="", help="The compare step's verdict (result).")
@_opt("report-json", type=click.Path(dir_okay=False, path_type=Path), default=None)
@_opt("report-markdown", type=click.Path(dir_okay=False, path_type=Path), default=None)
@_opt("results-base", type=click.Path(path_type=Path), default=None, help="Base's result files.")
@_opt("results-head", type=click.Path(path_type=Path), default=None, help="Head's result files.")
@_opt("parameters", default="", help="Argo's workflow.parameters.json (for Horreum).")
@_opt("reserve-note", default="", help="What a timed-out `reserve` step means (exit).")
@_opt("timeout", type=float, default=10.0, help="Seconds per attempt.")
def command(
    kind: str | None,
    verdict_of: Path | None,
    flagged_of: Path | None,
    callback_url: str,
    repo: str,
    pr: str,
    job: str,
    head_sha: str,
    base_sha: str,
    base_ref: str,
    workflow_name: str,
    namespace: str,
    status: str,
    failures: str,
    verdict: str,
    report_json: Path | None,
    report_markdown: Path | None,
    results_base: Path | None,
    results_head: Path | None,
    parameters: str,
    reserve_note: str,
    timeout: float,
) -> None:
    """Send a run's result or end to the bot, signed with PERFBOT_CALLBACK_SECRET."""
    if verdict_of is not None:
        click.echo(overall_verdict(_read_json(verdict_of)))
        return
    if flagged_of is not None:
        from workflows.compare.confirm import flagged_in_report

        names = flagged_in_report(_read_json(flagged_of))
        click.echo(
            "".join(f"{name}\n" for name in names if "\n" not in name and "\r" not in name),
            nl=False,
        )
        return
    if kind is None:
        raise BadInput("--kind result|exit is required")

    from workflows.callback import CallbackPayload, RunRef

    pr_number = _pr_number(pr)
    missing = [
        flag
        for flag, value in (
            ("--repo", repo),
            ("--job", job),
            ("--head-sha", head_sha),
            ("--base-sha", base_sha),
            ("--workflow-name", workflow_name),
            ("--namespace", namespace),
        )
        if not value
    ]
    if missing and callback_url:
        raise BadInput(f"missing {', '.join(missing)} (or their PERFBOT_* variables)")

    report = _read_json(report_json) if kind == "result" else None
    payload = CallbackPayload(
        kind=kind,
        run=RunRef(
            repo=repo,
            pr=pr_number,
            job=job,
            head_sha=head_sha,
            base_sha=base_sha,
            base_ref=base_ref or base_sha,
        ),
        workflow_name=workflow_name,
        namespace=namespace,
        status=status if kind == "exit" else "",  # how the workflow ended: exit only
        verdict=(verdict if verdict and UNRESOLVED not in verdict else None)
        or (overall_verdict(report) if report is not None else None),
        report_markdown=_read_text(report_markdown) if kind == "result" else None,
        report=report,
        failures=explain_reservation(parse_failures(failures), reserve_note)
        if kind == "exit"
        else [],
        samples=_samples(results_base, results_head) if kind == "result" else None,
        parameters=read_parameters(parameters) if kind == "result" else {},
    )
    if not callback_url:
        click.echo(NO_CALLBACK, err=True)
        click.echo(payload.to_json().decode())
        return
    if not callback_url.startswith(("http://", "https://")):
        raise BadInput(f"--callback-url must be an http(s) URL, got {callback_url!r}")
    secret = os.environ.get("PERFBOT_CALLBACK_SECRET", "")
    if not secret:
        raise BadInput("PERFBOT_CALLBACK_SECRET is empty: mount the callback Secret into this step")
    _send(callback_url, payload, secret, timeout)
    click.echo(f"perfbot notify: {kind} for {repo}#{pr_number} ({job}) sent", err=True)
