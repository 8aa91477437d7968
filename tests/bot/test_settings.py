"""Settings from the environment: what is required, what is defaulted, and the error lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.shared.settings import DEFAULT_GITHUB_API_URL, BotSettings, SettingsError
from workflows.cli import main

MINIMAL = {
    "GITHUB_WEBHOOK_SECRET": "w",
    "PERFBOT_CALLBACK_SECRET": "c",
    "PERFBOT_PUBLIC_URL": "https://perfbot.example.test/",
    "GITHUB_TOKEN": "t",
}


def without(name: str) -> dict[str, str]:
    return {k: v for k, v in MINIMAL.items() if k != name}


def test_the_minimal_environment_gives_documented_defaults() -> None:
    settings = BotSettings.from_env(MINIMAL)
    assert settings.github_api_url == DEFAULT_GITHUB_API_URL
    assert settings.config_path == "perfbot.yaml"
    assert settings.callback_url == "https://perfbot.example.test/callback"
    assert not settings.check_runs  # only Apps may create check runs


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (without("GITHUB_WEBHOOK_SECRET"), "GITHUB_WEBHOOK_SECRET is not set"),
        ({**MINIMAL, "GITHUB_WEBHOOK_SECRET": "  "}, "GITHUB_WEBHOOK_SECRET is not set"),
        (without("PERFBOT_CALLBACK_SECRET"), "PERFBOT_CALLBACK_SECRET is not set"),
        (without("PERFBOT_PUBLIC_URL"), "PERFBOT_PUBLIC_URL is not set"),
        ({**MINIMAL, "PERFBOT_PUBLIC_URL": "perfbot.local"}, "must be an http(s) URL"),
        (without("GITHUB_TOKEN"), "no GitHub credentials"),
        ({**MINIMAL, "GITHUB_APP_ID": "12"}, "neither GITHUB_APP_PRIVATE_KEY"),
        ({**MINIMAL, "GITHUB_APP_ID": "x", "GITHUB_APP_PRIVATE_KEY": "k"}, "must be a number"),
        ({**MINIMAL, "PERFBOT_GITHUB_TIMEOUT": "2.5"}, "PERFBOT_GITHUB_TIMEOUT must be an integer"),
        ({**MINIMAL, "PERFBOT_ARGO_RETRIES": "-1"}, "must be at least 0"),
        (
            {**MINIMAL, "PERFBOT_DELIVERY_BUDGET": "3"},
            "PERFBOT_GITHUB_TIMEOUT (4 s) must be below PERFBOT_DELIVERY_BUDGET (3 s)",
        ),
        (
            {**MINIMAL, "PERFBOT_DELIVERY_BUDGET": "9", "PERFBOT_ARGO_TIMEOUT": "9.5"},
            "PERFBOT_ARGO_TIMEOUT (9.5 s) must be below PERFBOT_DELIVERY_BUDGET (9 s)",
        ),
        ({**MINIMAL, "PERFBOT_FOLLOWUP_QUEUE": "0"}, "must be at least 1"),
        (
            {**MINIMAL, "GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY_PATH": "/nonexistent/key"},
            "cannot read /nonexistent/key",
        ),
    ],
)
def test_a_bad_environment_is_one_line_naming_the_variable(env: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)) as exc:
        BotSettings.from_env(env)
    assert "\n" not in str(exc.value)


def test_app_credentials_win_over_a_token_and_enable_check_runs(tmp_path: Path) -> None:
    key = tmp_path / "app.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\n...\n")
    settings = BotSettings.from_env(
        {**MINIMAL, "GITHUB_APP_ID": "42", "GITHUB_APP_PRIVATE_KEY_PATH": str(key)}
    )
    assert (settings.github_app_id, settings.github_token) == ("42", None)
    assert settings.github_private_key == key.read_text()
    assert settings.check_runs


def test_an_inline_private_key_may_use_escaped_newlines() -> None:
    settings = BotSettings.from_env(
        {**MINIMAL, "GITHUB_APP_ID": "42", "GITHUB_APP_PRIVATE_KEY": "-----BEGIN-----\\nabc"}
    )
    assert settings.github_private_key == "-----BEGIN-----\nabc"


def test_timeouts_and_retries_are_configurable() -> None:
    settings = BotSettings.from_env(
        {
            **MINIMAL,
            "PERFBOT_GITHUB_TIMEOUT": "2",
            "PERFBOT_GITHUB_RETRIES": "0",
            "PERFBOT_ARGO_TIMEOUT": "1.5",
            "PERFBOT_RETRY_BACKOFF": "0",
        }
    )
    assert (settings.github_timeout, settings.github_retries) == (2, 0)
    assert (settings.argo_timeout, settings.retry_backoff) == (1.5, 0.0)


def test_the_delivery_budget_and_the_pools_are_configurable() -> None:
    defaults = BotSettings.from_env(MINIMAL)
    assert (defaults.delivery_budget, defaults.followup_workers) == (8.0, 8)
    settings = BotSettings.from_env(
        {
            **MINIMAL,
            "PERFBOT_DELIVERY_BUDGET": "6.5",
            "PERFBOT_READ_THREADS": "4",
            "PERFBOT_FOLLOWUP_WORKERS": "2",
            "PERFBOT_FOLLOWUP_QUEUE": "10",
        }
    )
    assert (settings.delivery_budget, settings.read_threads) == (6.5, 4)
    assert (settings.followup_workers, settings.followup_queue) == (2, 10)


def test_perfbot_serve_refuses_to_start_without_the_secret_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in MINIMAL:
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["serve"], env=without("GITHUB_WEBHOOK_SECRET"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: GITHUB_WEBHOOK_SECRET is not set: the bot refuses unsigned webhooks, "
        "so it needs the secret"
    ]


def test_perfbot_serve_names_a_missing_config_file(tmp_path: Path) -> None:
    missing = tmp_path / "perfbot.yaml"
    result = CliRunner().invoke(main, ["serve", "--config", str(missing)], env=MINIMAL)
    assert result.exit_code == 2
    assert f"{missing}: no such file" in result.output
    assert "Traceback" not in result.output


COMMAND_AGES = [
    ("", 900, None),
    ("60", 60, None),
    ("86400", 86400, None),
    ("86401", None, "PERFBOT_COMMAND_MAX_AGE (86401 s) must be at most 86400 s"),
    ("0", None, "PERFBOT_COMMAND_MAX_AGE must be at least 1"),
    ("soon", None, "PERFBOT_COMMAND_MAX_AGE must be an integer"),
]


@pytest.mark.parametrize(("raw", "seconds", "message"), COMMAND_AGES)
def test_a_command_is_fresh_at_most_as_long_as_argo_keeps_its_run(
    raw: str, seconds: int | None, message: str | None
) -> None:
    env = {**MINIMAL, "PERFBOT_COMMAND_MAX_AGE": raw}
    if message is None:
        assert BotSettings.from_env(env).command_max_age == seconds
        return
    with pytest.raises(SettingsError, match=re.escape(message)):
        BotSettings.from_env(env)


def test_the_bots_idea_of_how_long_argo_keeps_a_run_is_the_templates() -> None:
    """A replay is recognised by name only while the run exists (`bot.delivery.freshness`)."""
    from bot.shared.settings import RUN_KEPT
    from workflows.config import load_config
    from workflows.pipeline.render import template_dicts

    examples = Path(__file__).resolve().parents[2] / "examples" / "perfbot.yaml"
    for name, template in template_dicts(load_config(examples)).items():
        ttl = template["spec"]["ttlStrategy"]
        assert min(ttl.values()) == RUN_KEPT, name
