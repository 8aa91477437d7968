"""docs/local.md's and docs/config.md's claims about `perfbot bisect --local`, checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.bisect.test_cli_bisect import CONFIG
from tests.bisect.test_search import Model, commits
from workflows.bisect.search import bisect
from workflows.cli.bisect import command
from workflows.config import DEFAULT_BISECT_STEPS, ConfigError, parse_config


@pytest.fixture(scope="module")
def synopsis(project_root: Path) -> str:
    text = (project_root / "docs" / "local.md").read_text()
    found = re.search(r"```sh\n(perfbot bisect --local .*?)```", text, re.S)
    assert found
    return found.group(1)


def test_the_synopsis_shows_every_option_of_bisect(synopsis: str) -> None:
    options = {n for p in command.params for n in p.opts if n.startswith("--")} - {"--local"}
    assert sorted(o for o in options if o not in synopsis) == []


def test_every_option_in_the_synopsis_exists(synopsis: str) -> None:
    known = {name for param in command.params for name in param.opts}
    assert sorted(set(re.findall(r"--[a-z-]+", synopsis)) - known) == []


def test_the_default_budget_pins_one_culprit_anywhere_among_32_commits() -> None:
    assert DEFAULT_BISECT_STEPS == 8
    for culprit in range(1, 33):
        found = bisect(commits(32), Model({"b": {culprit: 0.2}}), DEFAULT_BISECT_STEPS)
        assert found.culprits == (f"c{culprit}",)


def test_the_job_setting_is_the_default_budget() -> None:
    job = parse_config(CONFIG).job("cli")
    assert job is not None
    assert job.bisect.max_steps == DEFAULT_BISECT_STEPS


@pytest.mark.parametrize("steps", [0, 65, "many"])
def test_a_budget_out_of_range_is_a_config_error(steps: object) -> None:
    setting = f"        bisect:\n          max_steps: {steps}\n"
    text = CONFIG.replace(
        "          confirm_rounds: 5\n", "          confirm_rounds: 5\n" + setting
    )
    with pytest.raises(ConfigError, match=r"bisect\.max_steps"):
        parse_config(text)
