"""Warnings before a local run: what it will measure may not be what the user means.

Neither stops the run. `--head HEAD` measures the commit, never uncommitted edits (the steps
run in worktrees of commits), which is easy to forget mid-change; and base equal to head is
either a mistake or a deliberate A/A run that checks the machine's noise, so it is only said.
"""

from __future__ import annotations

from pathlib import Path

from workflows.local.worktrees import git

UNCOMMITTED = (
    "--head {ref} is the commit {sha}; the uncommitted changes in {repo} are not measured "
    "(commit them, or stash them to be sure what runs)"
)
SAME_COMMIT = (
    "base and head are the same commit {sha}: an A/A run, both sides measure the same code "
    "(any difference the report shows is the machine's noise)"
)


def cautions(
    repo: Path, head_ref: str, base_sha: str, head_sha: str, config: Path | None = None
) -> list[str]:
    """`config`, read from the working tree and so used as edited, is not an unmeasured change."""
    found = []
    head_of_checkout = git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    if head_of_checkout.stdout.strip() == head_sha and _dirty(repo, config):
        found.append(UNCOMMITTED.format(ref=head_ref, sha=head_sha[:10], repo=repo))
    if base_sha == head_sha:
        found.append(SAME_COMMIT.format(sha=head_sha[:10]))
    return found


def _dirty(repo: Path, config: Path | None = None) -> bool:
    """Changes to tracked files, staged or not; untracked files (build output) do not count,
    nor does the config, which the run reads as it is on disk."""
    status = git(repo, "status", "--porcelain", "-z", "--untracked-files=no", check=False)
    if status.returncode != 0:
        return False
    used = config.resolve() if config is not None else None
    changed = [entry[3:] for entry in status.stdout.split("\0") if len(entry) > 3]
    return any((repo / path).resolve() != used for path in changed)
