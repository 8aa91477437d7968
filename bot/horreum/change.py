"""What a Horreum `change/new` action is about, read back from Horreum, never from the call.

Horreum's `http` action signs nothing, so even a call with the right token carries only a
hint: which dataset changed. The bot reads that dataset from Horreum with its own key, then the
run it came from, and acts only when that run is one perfbot uploaded for a repository and job
it serves, under the test that job's `horreum:` names on that same Horreum. Everything else
(an unknown id, someone else's run, a run of a repository this bot does not serve) is
acknowledged and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflows.config import PerfbotConfig
from workflows.horreum.client import HorreumClient, HorreumError
from workflows.horreum.config import HorreumConfig
from workflows.horreum.document import SCHEMA_URI


class Ignored(Exception):
    """Not a change perfbot acts on; the message says why (for the answer and the log)."""


@dataclass(frozen=True)
class Hint:
    dataset_id: int
    test_name: str
    variable: str
    description: str
    change_id: int


@dataclass(frozen=True)
class OurRun:
    run_id: int
    config: HorreumConfig
    document: dict[str, Any]

    @property
    def repository(self) -> str:
        return str(self.document["repository"])

    @property
    def job(self) -> str:
        return str(self.document["job"])

    @property
    def pr(self) -> int:
        return int(self.document["pr"])


def hint(payload: Any) -> Hint:
    """The ids a change event names; Ignored when it is not a change event."""
    if not isinstance(payload, dict) or not isinstance(payload.get("change"), dict):
        raise Ignored("not a change/new event")
    change = payload["change"]
    dataset = change.get("dataset") if isinstance(change.get("dataset"), dict) else None
    dataset = dataset or (
        payload.get("dataset") if isinstance(payload.get("dataset"), dict) else {}
    )
    variable = change.get("variable") if isinstance(change.get("variable"), dict) else {}
    try:
        return Hint(
            dataset_id=int(dataset["id"]),
            test_name=str(payload.get("testName") or ""),
            variable=str(variable.get("name") or "a variable"),
            description=str(change.get("description") or ""),
            change_id=int(change.get("id") or 0),
        )
    except (KeyError, TypeError, ValueError):
        raise Ignored("the change names no dataset id") from None


def candidates(config: PerfbotConfig, test_name: str) -> list[HorreumConfig]:
    """The configured Horreum targets whose test is the one the event names, one per URL."""
    found: dict[str, HorreumConfig] = {}
    for repo in config.repos.values():
        for job in repo.jobs:
            target = repo.horreum_for(job)
            if target is not None and target.test == test_name:
                found.setdefault(target.url, target)
    return list(found.values())


def read_back(
    config: PerfbotConfig, target: HorreumConfig, client: HorreumClient, found: Hint
) -> OurRun:
    """The run behind the hinted dataset, if perfbot uploaded it; Ignored otherwise."""
    try:
        dataset = client.dataset(found.dataset_id)
        run_id = int(dataset["runId"])
        run = client.run(run_id)
    except HorreumError as exc:
        raise Ignored(f"Horreum does not confirm it: {exc.reason}") from None
    except (KeyError, TypeError, ValueError):
        raise Ignored("Horreum's dataset names no run") from None
    document = run.get("data")
    if not isinstance(document, dict) or document.get("$schema") != SCHEMA_URI:
        raise Ignored(f"run {run_id} is not a perfbot run")
    repo = config.repo(str(document.get("repository") or ""))
    job = str(document.get("job") or "")
    ours = repo.horreum_for(job) if repo is not None and repo.job(job) else None
    if ours is None or ours.url != target.url or run.get("testname") != ours.test:
        raise Ignored(f"run {run_id} is not one this bot uploaded")
    if not isinstance(document.get("pr"), int):
        raise Ignored(f"run {run_id} has no pull request number")
    return OurRun(run_id, ours, document)
