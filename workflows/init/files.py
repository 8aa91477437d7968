"""The repository's tracked files, which is all a step of `perfbot run --local` will see.

Steps run in fresh worktrees of a commit, so an untracked file (a virtual environment, a build
directory, a script not yet added) is not there when the benchmark runs: detection looks only
at what git tracks, so that it never proposes a job that needs something the worktree lacks.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_READ = 200_000  # bytes of one file read for detection; benchmarks are declared early


class NotARepository(Exception):
    """The directory is not inside a git work tree."""


@dataclass(frozen=True)
class Tree:
    """The tracked files of one repository, read on demand."""

    root: Path
    paths: tuple[PurePosixPath, ...]

    @classmethod
    def of(cls, directory: Path) -> Tree:
        top = _git(directory, "rev-parse", "--show-toplevel").strip()
        listed = _git(Path(top), "ls-files", "-z")
        paths = tuple(PurePosixPath(p) for p in listed.split("\0") if p)
        return cls(Path(top), paths)

    def has(self, path: str) -> bool:
        return PurePosixPath(path) in self.paths

    def named(self, *patterns: str) -> list[PurePosixPath]:
        """Tracked files whose name matches one of the glob patterns, shallowest first."""
        found = [p for p in self.paths if any(p.match(pattern) for pattern in patterns)]
        return sorted(found, key=lambda p: (len(p.parts), str(p)))

    def text(self, path: PurePosixPath | str) -> str:
        try:
            with open(self.root / path, "rb") as handle:
                return handle.read(MAX_READ).decode("utf-8", errors="replace")
        except OSError:
            return ""


def _git(directory: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise NotARepository("git is not installed") from None
    if done.returncode != 0:
        raise NotARepository(f"{directory} is not in a git repository (git init, then commit)")
    return done.stdout
