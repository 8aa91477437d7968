"""The branch a local run records: a branch's name, never a tag's (a tag run is no branch run,
so it must not become a point of the main branch's trend)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.local.conftest import git
from workflows.history.local import branch_of


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "commit", "--quiet", "--allow-empty", "-m", "first")
    git(tmp_path, "tag", "v1.0")
    return tmp_path


@pytest.mark.parametrize(
    ("ref", "branch"),
    [("HEAD", "main"), ("main", "main"), ("v1.0", None), ("HEAD~0", None), ("nothing", None)],
)
def test_a_local_run_records_a_branch_only_for_a_branch(
    repo: Path, ref: str, branch: str | None
) -> None:
    assert branch_of(repo, ref) == branch
