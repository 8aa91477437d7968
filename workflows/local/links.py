"""Whether a local run's reports may link its commits to GitHub.

A report links a commit to github.com/<owner/name>/commit/<sha>, which is right for a
pull request's run and wrong for a local run of a repository that is not there (the demo's,
any project before it is pushed): the link would lead nowhere, or to someone else's project.
So a local run links only when one of the repository's remotes is that GitHub repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ENV = "PERFBOT_COMMIT_LINKS"  # read by `perfbot compare` (workflows.cli.run_facts.LINKS_ENV)
_GITHUB = re.compile(
    r"(?:https://|ssh://git@|git@)github\.com[/:](?P<name>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)"
    r"(?:\.git)?/?"
)


def commit_links(repo: Path, name: str) -> bool:
    """True when a remote of `repo` is github.com/`name` (case-insensitive, as GitHub is)."""
    if not name:
        return False
    found = subprocess.run(
        ["git", "-C", str(repo), "remote", "-v"], capture_output=True, text=True, check=False
    )
    for line in found.stdout.splitlines():
        fields = line.split()
        match = _GITHUB.fullmatch(fields[1]) if len(fields) > 1 else None
        if match and match.group("name").lower() == name.lower():
            return True
    return False
