"""Opening the history from a command line, and recording a finished local run in it.

Every command that takes `--store` (`perfbot history`, `perfbot dashboard`, `perfbot run --local
--record`, the demo) opens its store here, so a missing file or an unreachable database is the
same one line (`BadInput`, exit 2) whichever command met it. It sits in `workflows.history`, below
the CLI, because the local runner's demo and the bot's dashboard command need it too, and
neither may import `workflows.cli` (tests/test_layers.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from workflows.errors import BadInput
from workflows.history.database import StoreError, shown
from workflows.history.local import record_local
from workflows.history.store import Store
from workflows.results import ResultsError

NO_STORE_FILE = "no history at {}: record runs with `perfbot run --local --record` or the demo"
RECORDED = "recorded run #{id} in the history {store} (perfbot history --store {store})"
NOT_RECORDED = "the run's reports are in {out}, but recording it failed: {error}"


def open_store(target: str) -> Store:
    """The store at a path or URL, or BadInput naming why not (a path that is not there is not
    created: a typo must not start an empty history)."""
    if "://" not in target and not os.path.exists(target):
        raise BadInput(NO_STORE_FILE.format(target))
    try:
        return Store.open(target)
    except StoreError as exc:
        raise BadInput(str(exc)) from None


def record_run(out: Path, *, store: str | None, repo: Path, name: str, base: str, head: str) -> str:
    """Record a finished local run (`--record`, the demo); the line to print, or BadInput."""
    target = store or str(out / "history.sqlite")
    try:
        run_id = record_local(out, store=target, repo=repo, name=name, base_ref=base, head_ref=head)
    except (StoreError, ResultsError, OSError, ValueError) as exc:
        raise BadInput(NOT_RECORDED.format(out=out, error=exc)) from None
    return RECORDED.format(id=run_id, store=shown(target))
