"""A local run links commits to GitHub only when the repository is there: when one of its
remotes is github.com/<the config's owner/name>. A local-only project (the demo's) gets none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.local.conftest import git
from workflows.local.links import commit_links

# (remote URL or None, the config's repository name, links?)
REMOTES = [
    ("https://github.com/acme/widgets.git", "acme/widgets", True),
    ("https://github.com/acme/widgets", "acme/widgets", True),
    ("git@github.com:acme/widgets.git", "acme/widgets", True),
    ("ssh://git@github.com/Acme/Widgets.git", "acme/widgets", True),  # GitHub ignores case
    ("https://github.com/acme/other.git", "acme/widgets", False),
    ("https://gitlab.example/acme/widgets.git", "acme/widgets", False),
    ("https://github.com.evil.example/acme/widgets.git", "acme/widgets", False),
    (None, "acme/widgets", False),  # no remote: a local-only repository
    ("https://github.com/acme/widgets.git", "", False),
]


@pytest.mark.parametrize(("remote", "name", "links"), REMOTES)
def test_commits_are_linked_only_where_the_repository_is_on_github(
    tmp_path: Path, remote: str | None, name: str, links: bool
) -> None:
    git(tmp_path, "init", "--quiet")
    if remote is not None:
        git(tmp_path, "remote", "add", "origin", remote)
    assert commit_links(tmp_path, name) is links
