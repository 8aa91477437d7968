"""After a result callback: store the run in Horreum, then add the outcome to the report.

The upload runs in the bot, not in a workflow step: the bot already holds secrets, and a
Horreum key inside the workflow would sit next to pods that run the PR's code. It runs from
the follow-up queue, after the callback has written the report and been answered, so a slow
or broken Horreum never delays or fails a PR's report: the upload is retried with backoff
within the follow-up's budget, and its outcome becomes one more line of the sticky comment
(or of the check run, for a run without a pull request): "Stored in Horreum: run 101", or
"results not stored in Horreum: <reason>".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from bot.horreum import section as horreum_section
from bot.horreum.settings import HorreumSettings
from bot.results import report, sticky
from bot.shared import deadline
from bot.shared.followups import Step
from bot.shared.services import Services
from workflows.callback import CallbackPayload
from workflows.horreum.client import HorreumClient
from workflows.horreum.config import HorreumConfig
from workflows.horreum.document import RunIdentity, build
from workflows.horreum.upload import UploadResult, upload

EXTENSION = "perfbot-horreum"
NO_KEY = "no API key: the Secret `{secret}` (key `api-key`) is not mounted into the bot"
GITHUB_CALLS_AFTER = 3  # find the comment, read it, edit it


@dataclass
class HorreumService:
    settings: HorreumSettings

    def client(self, config: HorreumConfig) -> HorreumClient | None:
        """A client with the key as mounted now (one session each: follow-ups run in threads)."""
        key = self.settings.api_key(config.api_key_secret)
        if key is None:
            return None
        return HorreumClient(config.url, key, timeout=self.settings.timeout)


def horreum() -> HorreumService:
    return current_app.extensions[EXTENSION]


def step_for(
    svc: Services,
    payload: CallbackPayload,
    outcome: report.Outcome,
    link: str | None,
    *,
    comment_mode: str,
    check_name: str | None,
) -> Step | None:
    """The upload of a result whose job names a Horreum instance, as a follow-up step; None if
    it names none. Made in the request (the service lives in the app), run after the answer."""
    repo_config = svc.config.repo(payload.run.repo)
    config = repo_config.horreum_for(payload.run.job) if repo_config is not None else None
    if config is None or payload.kind != "result" or payload.report is None:
        return None
    service = horreum()

    def step() -> None:
        result = store(service, svc, config, payload, link)
        show(svc, payload, outcome, result.note(config), link, comment_mode, check_name)

    return step


def store(
    service: HorreumService,
    svc: Services,
    config: HorreumConfig,
    payload: CallbackPayload,
    link: str | None,
) -> UploadResult:
    client = service.client(config)
    if client is None:
        return UploadResult(error=NO_KEY.format(secret=config.api_key_secret))
    run = payload.run
    identity = RunIdentity(
        repository=run.repo,
        pr=run.pr,
        job=run.job,
        base_ref=run.base_ref,
        base_sha=run.base_sha,
        head_sha=run.head_sha,
        workflow_name=payload.workflow_name,
        namespace=payload.namespace,
        workflow_url=link,
        parameters=dict(payload.parameters),
    )
    document = build(identity, payload.report or {}, payload.samples)
    reserve = service.settings.timeout + GITHUB_CALLS_AFTER * svc.settings.github_timeout
    return upload(
        client,
        config,
        document,
        delays=service.settings.retry_delays,
        may_retry=lambda delay: deadline.fits(delay + reserve),
    )


def show(
    svc: Services,
    payload: CallbackPayload,
    outcome: report.Outcome,
    note: str,
    link: str | None,
    comment_mode: str,
    check_name: str | None,
) -> None:
    """The note under the report: in the sticky comment if it still shows this run, and in
    the check run's summary (completed again with the same conclusion)."""
    run = payload.run
    github = svc.github.repo(run.repo)
    if outcome.comment is not None and report.comments(comment_mode, payload):
        author = svc.github.own_login()
        comment_id = github.find_comment(run.pr, sticky.marker(run.job), author)
        if comment_id is not None:
            body = github.comment_body(run.pr, comment_id)
            if f"`{payload.workflow_name}`" in body:  # not yet replaced by a newer run's report
                github.edit_comment(run.pr, comment_id, horreum_section.with_note(body, note))
    if check_name is not None and outcome.conclusion is not None:
        check = github.find_check_run(
            head_sha=run.head_sha, name=check_name, external_id=payload.workflow_name
        )
        if check is not None:
            github.complete_check_run(
                check.id,
                conclusion=outcome.conclusion,
                title=outcome.title,
                summary=(outcome.summary[: report.MAX_COMMENT - len(note) - 2] + "\n\n" + note),
                details_url=link,
            )
