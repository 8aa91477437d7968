"""Git checkouts for `git` input artifacts: detached worktrees of the local repository.

Argo clones the repository into each pod; locally a `git worktree add --detach` of the same
commit is faster, needs no network and cannot touch the user's own working tree. Every
worktree made for a run is removed at the end (`git worktree remove --force`, then
`git worktree prune`), whatever way the run ends.

A checkout handed on as an output artifact (the `fetch` step's) stays a checkout: if the
worktree is unchanged when its step ends, every step that takes it gets a worktree of its own
of the same commit, as every pod in Argo unpacks its own copy of the tarball. A copy would
share the worktree's bookkeeping in the repository and, with hard links, its files.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path


class GitError(RuntimeError):
    """A git command failed; the message carries git's own first line of complaint."""


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if check and completed.returncode != 0:
        reason = (completed.stderr or completed.stdout).strip().splitlines()
        raise GitError(f"git {' '.join(args)}: {reason[0] if reason else 'failed'}")
    return completed


def toplevel(path: Path) -> Path:
    """The root of the git working tree containing `path`; GitError if there is none."""
    completed = git(path, "rev-parse", "--show-toplevel", check=False)
    if completed.returncode != 0:
        raise GitError(f"{path} is not inside a git repository")
    return Path(completed.stdout.strip())


def resolve_commit(repo: Path, ref: str) -> str:
    """The full SHA of `ref` (branch, tag, SHA, HEAD~1 ...); GitError naming it if unknown."""
    if not ref or ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    completed = git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if completed.returncode != 0:
        raise GitError(f"{ref!r} is not a commit in {repo}")
    return completed.stdout.strip()


class Worktrees:
    """The worktrees of one run; `remove_all` is safe to call more than once."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self._made: list[Path] = []
        self._commits: dict[Path, str] = {}  # worktree -> its commit
        self._handed: dict[Path, str] = {}  # unchanged worktrees handed on -> their commit
        self._lock = threading.Lock()

    def add(self, path: Path, revision: str) -> Path:
        sha = resolve_commit(self.repo, revision)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:  # git takes a lock on the repository's worktree list
            git(self.repo, "worktree", "add", "--detach", "--quiet", str(path), sha)
            self._made.append(path)
            self._commits[path] = sha
        return path

    def hand_on(self, path: Path) -> bool:
        """Mark `path` as a checkout handed on, if it is one of this run's worktrees and nothing
        in it changed (untracked and ignored files count); False: hand on a copy instead."""
        with self._lock:
            sha = self._commits.get(path) if path in self._made else None
        if sha is None:
            return False
        status = git(path, "status", "--porcelain", "--untracked-files=all", "--ignored",
                     check=False)  # fmt: skip
        if status.returncode != 0 or status.stdout.strip():
            return False
        with self._lock:
            self._handed[path] = sha
        return True

    def handed(self, path: Path) -> str | None:
        """The commit of a checkout handed on with `hand_on`, else None."""
        with self._lock:
            return self._handed.get(path)

    def made(self) -> list[Path]:
        with self._lock:
            return list(self._made)

    def remove_under(self, directory: Path) -> None:
        """Remove this run's worktrees inside `directory` (a retried step starts clean)."""
        with self._lock:
            inside = [p for p in self._made if p == directory or directory in p.parents]
            for path in inside:
                git(self.repo, "worktree", "remove", "--force", str(path), check=False)
                self._made.remove(path)
                self._commits.pop(path, None)
                self._handed.pop(path, None)
            if inside:
                git(self.repo, "worktree", "prune", check=False)

    def remove_all(self) -> None:
        with self._lock:
            made, self._made = self._made, []
            self._commits.clear()
            self._handed.clear()
            for path in made:
                git(self.repo, "worktree", "remove", "--force", str(path), check=False)
            git(self.repo, "worktree", "prune", check=False)
