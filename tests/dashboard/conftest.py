"""Fixtures of the dashboard's tests: the bot with a results store, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.stack import Stack, running_stack
from tests.history.databases import store_target
from workflows.config import PerfbotConfig, load_config

__all__ = ["store_target"]
BOT_CONFIG = Path(__file__).parents[1] / "bot" / "perfbot.test.yaml"


@pytest.fixture(scope="session")
def bot_config() -> PerfbotConfig:
    return load_config(BOT_CONFIG)


@pytest.fixture
def stack(contracts_dir: Path, bot_config: PerfbotConfig, store_target: str) -> Iterator[Stack]:
    """The bot (against stand-in GitHub and Argo) with a store and the dashboard public."""
    yield from running_stack(
        contracts_dir, BOT_CONFIG, bot_config, history_url=store_target, dashboard="public"
    )
