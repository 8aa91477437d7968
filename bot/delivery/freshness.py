"""Which commands are run: only fresh ones, and on a fork only the head its approver saw.

The webhook's signature covers the body but not `X-GitHub-Delivery`, so a captured delivery
can be sent again under fresh ids, hours later. Three rules together make that start nothing:

- a comment's run is named after the comment (`workflows.argo.workflow_name_for_comment`), so
  while Argo keeps the run (a day at least) a replay meets "already exists";
- a command written more than `PERFBOT_COMMAND_MAX_AGE` seconds ago (default 15 minutes, at
  most the day Argo keeps a run) is not run at all, and not answered either: a replayer must not
  be able to make the bot talk. `comment.created_at` is GitHub's clock, inside the signed body;
- on a fork's pull request, the command approves the head its author saw. The head is read
  when the command is handled, so if the fork was pushed to after the command was written
  (`head.repo.pushed_at`, also GitHub's clock: a fork cannot set it) the head may be one nobody
  with write access has seen, and the command is refused with a reply. The same second counts
  as after: it cannot be told apart.
"""

from __future__ import annotations

import time


def is_stale(created: int, max_age: int, now: float | None = None) -> bool:
    """Written more than `max_age` seconds ago (a comment a little in the future is GitHub's
    clock running ahead of ours, and fresh)."""
    current = time.time() if now is None else now
    return current - created > max_age


def fork_pushed_since(created: int, pushed_at: int | None) -> bool:
    """The fork may hold a head the command's author has not seen (or cannot say)."""
    return pushed_at is None or pushed_at >= created
