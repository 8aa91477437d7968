"""`horreum:` in perfbot.yaml, the bot's Horreum settings, and the comment's Horreum section."""

from __future__ import annotations

import re

import pytest

from bot.github.markdown import defanged
from bot.horreum.section import MARKER, with_finding, with_note
from bot.horreum.settings import HorreumSettings
from bot.shared.settings import SettingsError
from workflows.config import ConfigError, parse_config

CONFIG = """\
repos:
  acme/db:
    default_job: sql
    horreum: {{url: https://horreum.example.com, test: db, owner: perf-team}}
    jobs:
      sql:
        build: {{command: [make], builder_image: "python:3.11"}}
        benchmark: {{image: "python:3.11", command: [b]}}
      kv:
        build: {{command: [make], builder_image: "python:3.11"}}
        benchmark: {{image: "python:3.11", command: [b]}}
        horreum: {job_horreum}
"""
TEAM_B = "{url: https://other.example.com, test: kv, owner: kv-team, api_key_secret: kv-key}"


def test_a_job_s_horreum_replaces_the_repository_s() -> None:
    repo = parse_config(CONFIG.format(job_horreum=TEAM_B)).repo("acme/db")

    assert repo.horreum_for("sql").test == "db"
    kv = repo.horreum_for("kv")
    assert (kv.url, kv.owner, kv.api_key_secret, kv.access) == (
        "https://other.example.com", "kv-team", "kv-key", "PROTECTED",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("job_horreum", "message"),
    [
        ("{url: ftp://h, test: t, owner: a-team}", "horreum.url: expected an http(s) URL"),
        ("{url: https://user:pw@h, test: t, owner: a-team}", "http(s) URL"),
        ("{url: https://h, test: t, owner: perf}", "-team"),
        ("{url: https://h, test: t, owner: a-team, access: SECRET}", "access"),
        ("{url: https://h, test: t, owner: a-team, api_key: k}", "api_key"),
        ("{url: https://h, test: t, owner: a-team, api_key_secret: Bad_Name}", "Secret name"),
    ],
)
def test_a_bad_horreum_section_is_refused_naming_the_key(job_horreum: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config(CONFIG.format(job_horreum=job_horreum))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PERFBOT_HORREUM_ACTION_TOKEN": "short"}, "at least 24"),
        ({"PERFBOT_HORREUM_RETRY_DELAYS": "1,x"}, "RETRY_DELAYS"),
        ({"PERFBOT_HORREUM_TIMEOUT": "0"}, "positive"),
    ],
)
def test_bad_horreum_settings_stop_the_bot_with_one_line(env: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        HorreumSettings.from_env(env)


def test_the_note_replaces_an_earlier_one_and_keeps_the_findings() -> None:
    body = with_finding(with_note("report", "first"), 7, "slower")

    body = with_note(body, "second")

    assert body.count(MARKER) == 1
    assert "first" not in body
    assert "second" in body
    assert "slower" in body
    assert body.startswith("report\n\n")


def test_a_report_cannot_fake_the_horreum_section() -> None:
    """Benchmark names come from the PR: a name holding the marker must not let the bot's
    next edit cut the report there."""
    report = defanged(f"| {MARKER} | +1 % |\n| real row | +2 % |")

    body = with_note(report, "Stored in Horreum")

    assert "| real row | +2 % |" in body
    assert body.count(MARKER) == 1
