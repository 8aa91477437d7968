"""The perfbot.yaml `perfbot init` writes: one job, commented, valid as written.

It is text, not a dumped mapping, so that every key can carry the comment a newcomer needs;
`document` validates the text with the config's own parser before returning it, so what is
written is never a file `perfbot run --local` would refuse.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from pathlib import Path

from workflows.init.kinds import Found

REMOTE = re.compile(
    r"github\.com[:/]+([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]+?)(?:\.git)?/?$"
)
UNSAFE = re.compile(r"[^a-z0-9-]+")
MAX_JOB = 40
WIDTH = 96  # comment lines of the written file


def repository_name(root: Path) -> str:
    """`owner/name` from the `origin` remote on GitHub, else `local/<directory>`."""
    url = subprocess.run(
        ["git", "-C", str(root), "remote", "get-url", "origin"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    match = REMOTE.search(url)
    if match:
        return f"{match.group(1)}/{match.group(2)}"
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", root.name).strip("-.") or "project"
    return f"local/{name}"


def job_name(repo: str) -> str:
    """The job: the repository's name, made a WorkflowTemplate-safe name, plus `-bench`."""
    base = UNSAFE.sub("-", repo.split("/", 1)[1].lower()).strip("-")[: MAX_JOB - len("-bench")]
    return f"{base.strip('-') or 'project'}-bench"


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def document(found: Found, repo: str, job: str) -> str:
    """The config's text; raises ConfigError if it would not load (a bug, never the user's)."""
    from workflows.config import parse_config

    env = "".join(f"\n            {k}: {json.dumps(v)}" for k, v in found.env.items())
    notes = "".join(
        "\n" + textwrap.fill(note, WIDTH, initial_indent="# - ", subsequent_indent="#   ")
        for note in found.notes
    )
    found_line = textwrap.fill(f"Found: {found.evidence}.", WIDTH, initial_indent="# ",
                               subsequent_indent="#   ")  # fmt: skip
    text = f"""\
# perfbot.yaml, written by `perfbot init` (docs/config.md describes every key).
{found_line}{notes}
#
# Try it: `perfbot run --local --base HEAD` (an A/A run: both sides this commit, so any
# difference is noise), then `perfbot run --local --base main --record` on a branch.
# Steps run in fresh git worktrees of the commits: only tracked files are there.

repos:
  # owner/name: the GitHub repository the bot serves; runs are recorded in the history
  # under this name (`perfbot history --repo {repo}`).
  {repo}:
    default_job: {job}
    jobs:
      {job}:
        description: {json.dumps(f"{found.kind} benchmarks, found by perfbot init")}
        build:
          # Runs in each side's checkout; the checkout (keep: ["."]) is then the side's build.
          # {found.build_comment or "the build the benchmark needs"}
          command: {_flow(found.build)}
          # On Argo this also needs `builder_image` (an image with the build's tools);
          # without it the job runs only with `perfbot run --local`.
        benchmark:
          # Runs in each side's build, base and head alternating, once per round; it must
          # write its results to $PERFBOT_RESULT, read as `format`.
          command:
            - sh
            - -c
            - {json.dumps(found.benchmark)}
          format: {found.format}
          rounds: 10 # rounds per side (AB BA AB BA ...)
          # A benchmark flagged in the first comparison is measured again for this many
          # rounds and reported only if the change repeats (0 turns it off).
          confirm_rounds: 10{"" if not env else chr(10) + "          env:" + env}
        compare:
          threshold: 0.05 # a change smaller than 5 % is not reported
"""
    parse_config(text, source="perfbot.yaml (perfbot init)")
    return text
