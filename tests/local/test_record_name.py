"""`perfbot run --local --record` keeps the run under the config's owner/name, not the
directory's name, so `perfbot history --repo owner/name` finds it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.local.conftest import ONE_RESULT, command_job
from workflows.cli import main


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("acme/tool", 1),  # the config's name for it (tests/local/conftest.py COMMAND_JOB)
        ("repo", 0),  # the directory's name is not the repository's
    ],
)
def test_a_recorded_local_run_is_stored_under_the_configs_owner_name(repo, tmp_path, query, found):
    job = command_job(repo, f"echo '{ONE_RESULT}' > \"$PERFBOT_RESULT\"\n", 2)
    out = tmp_path / "out"
    run = CliRunner().invoke(
        main, ["run", "--local", "--repo", str(job), "--base", "HEAD~1", "--quiet",
               "--out", str(out), "--record"],
    )  # fmt: skip
    assert run.exit_code == 0, run.output

    listed = CliRunner().invoke(
        main, ["history", "--store", str(out / "history.sqlite"), "--repo", query,
               "--format", "json"],
    )  # fmt: skip

    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.output)["runs"]) == found
