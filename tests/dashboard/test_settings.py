"""`PERFBOT_DASHBOARD` and `PERFBOT_HISTORY_URL` as the bot reads them."""

from __future__ import annotations

import pytest

from bot.shared.settings import BotSettings, SettingsError

REQUIRED = {
    "GITHUB_WEBHOOK_SECRET": "w",
    "PERFBOT_CALLBACK_SECRET": "c",
    "PERFBOT_PUBLIC_URL": "https://perfbot.example.org",
    "GITHUB_TOKEN": "t",
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "off"), ("off", "off"), ("public", "public"), ("PUBLIC", "public")],
)
def test_the_dashboard_is_off_unless_made_public(value: str | None, expected: str) -> None:
    env = {**REQUIRED, **({"PERFBOT_DASHBOARD": value} if value else {})}

    assert BotSettings.from_env(env).dashboard == expected


@pytest.mark.parametrize("value", ["on", "private", "yes"])
def test_any_other_dashboard_value_is_refused_by_name(value: str) -> None:
    with pytest.raises(SettingsError, match="PERFBOT_DASHBOARD must be public or off"):
        BotSettings.from_env({**REQUIRED, "PERFBOT_DASHBOARD": value})


def test_the_history_url_is_read_as_given() -> None:
    env = {**REQUIRED, "PERFBOT_HISTORY_URL": "postgresql://perfbot@db/perfbot"}

    assert BotSettings.from_env(env).history_url == "postgresql://perfbot@db/perfbot"


def test_a_history_that_cannot_be_opened_stops_the_bot_with_one_line(tmp_path) -> None:
    from dataclasses import replace

    from bot.dashboard import install

    settings = replace(BotSettings.from_env(REQUIRED), history_url="mysql://x@y/z")
    with pytest.raises(SettingsError, match=r"PERFBOT_HISTORY_URL: .*not mysql"):
        install(None, settings)  # type: ignore[arg-type]
