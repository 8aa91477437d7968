"""A callback is accepted only for a run the bot (or `perfbot submit`) started, as started.

The signature proves the sender holds the callback secret, but the `report` step that holds
it works on files that pull-request code wrote, and a signed body can be captured and sent
again. So a callback is also checked against what was recorded when the run was submitted:
the workflow must exist in the bot's Argo namespace, and the labels set at submission
(`workflows.labels.run_labels`: repository, PR, job, head commit) must be the callback's. A
callback for a workflow Argo never had, or one naming another PR, repository, job or head
than its workflow, is refused with the reason. The workflow's creation time, from Argo and
not from the body, orders runs: `bot.results.sticky` never lets an older run's result or failure
replace a newer run's report.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.argo import ArgoClient, ArgoError, WorkflowNotFound
from workflows.callback import CallbackPayload
from workflows.labels import run_labels


@dataclass(frozen=True)
class BoundRun:
    """The run a callback belongs to, as Argo knows it."""

    workflow: str
    created: str  # metadata.creationTimestamp, RFC 3339 UTC: sorts as it orders
    kind: str  # the callback's kind: `result` or `exit`


class Refused(Exception):
    """A callback that is not its run's: `status` and `outcome` for the answer."""

    def __init__(self, status: int, outcome: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.outcome = status, outcome


def bind(argo: ArgoClient, payload: CallbackPayload) -> BoundRun:
    """The callback's run; raises `Refused` (4xx, or 503 while Argo cannot say)."""
    if payload.namespace != argo.namespace:
        raise Refused(403, "unknown-workflow", f"the bot's runs are in {argo.namespace}")
    try:
        workflow = argo.get(payload.workflow_name)
    except WorkflowNotFound:
        raise Refused(
            403, "unknown-workflow", f"Argo has no workflow {payload.workflow_name}"
        ) from None
    except ArgoError as exc:  # the sender retries a 5xx; the run is checked then
        raise Refused(503, "argo-unavailable", f"cannot check the run with Argo: {exc}") from None
    run = payload.run
    expected = run_labels(run.repo, run.pr, run.job, run.head_sha)
    differ = sorted(key for key, value in expected.items() if workflow.labels.get(key) != value)
    if differ:
        raise Refused(
            409,
            "run-mismatch",
            f"the callback's {', '.join(differ)} differ from workflow {workflow.name}'s",
        )
    return BoundRun(workflow.name, workflow.created, payload.kind)
