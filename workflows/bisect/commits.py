"""The commits a bisection walks: the base, then head's first-parent line down to it.

First-parent, as `git bisect --first-parent`: a pull request's own commits (and the merges it
took from main as single steps), never the commits those merges brought in, which were measured
on main already. The base must lie on that line; a branched-off base is refused with the way
out (its merge base with the head), not bisected from a commit the PR never had.
"""

from __future__ import annotations

from pathlib import Path

from workflows.local.worktrees import GitError, git


def first_parent_range(repo: Path, base: str, head: str) -> list[str]:
    """[base, c1, ..., head]: full SHAs, oldest first; GitError says why there is no range."""
    if base == head:
        raise GitError(f"base and head are the same commit ({base[:10]}): nothing to bisect")
    ancestor = git(repo, "merge-base", "--is-ancestor", base, head, check=False)
    if ancestor.returncode != 0:
        raise GitError(
            f"base {base[:10]} is not an ancestor of head {head[:10]}: bisect from their "
            "merge base (git merge-base BASE HEAD)"
        )
    listed = git(repo, "rev-list", "--first-parent", "--reverse", f"{base}..{head}").stdout.split()
    first_parent = git(repo, "rev-parse", f"{listed[0]}^1").stdout.strip() if listed else ""
    if first_parent != base:
        raise GitError(
            f"base {base[:10]} is not on the first-parent line of head {head[:10]} "
            "(it was merged in from another branch): pass a commit of that line as the base"
        )
    return [base, *listed]


def subject(repo: Path, sha: str) -> str:
    """The commit's subject line, as git has it (the caller cleans it for display)."""
    return git(repo, "log", "-1", "--format=%s", sha).stdout.strip()
