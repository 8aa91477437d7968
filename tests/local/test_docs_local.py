"""docs/local.md's claims about `perfbot run --local`, checked against the command itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflows.cli.run import command


@pytest.fixture(scope="module")
def local_md(project_root: Path) -> str:
    return (project_root / "docs" / "local.md").read_text()


def test_the_synopsis_shows_every_option_of_run(local_md: str) -> None:
    """A flag missing from the synopsis is a flag newcomers never use (`--record` was)."""
    synopsis = re.search(r"```sh\n(perfbot run --local .*?)```", local_md, re.S)
    assert synopsis
    options = {
        name
        for param in command.params
        if not getattr(param, "hidden", False)
        for name in param.opts
        if name.startswith("--") and name != "--local"
    }
    assert sorted(o for o in options if o not in synopsis.group(1)) == []


def test_every_option_in_the_synopsis_exists(local_md: str) -> None:
    synopsis = re.search(r"```sh\n(perfbot run --local .*?)```", local_md, re.S)
    assert synopsis
    known = {name for param in command.params for name in param.opts}
    assert sorted(set(re.findall(r"--[a-z-]+", synopsis.group(1))) - known) == []


def test_which_python_names_the_venvs_the_runner_puts_first(local_md: str) -> None:
    from workflows.local.containers import PROJECT_VENVS

    section = local_md[local_md.index("#### Which Python a step runs") :]
    section = section[: section.index("perfbot's templates carry")]
    assert [name for name in PROJECT_VENVS if f"`{name}`" not in section] == []
    assert "pyvenv.cfg" in section
    assert "relative `.venv/bin/python` in a job's command fails" in section
