"""One benchmark node per run: both deploys and the benchmark client together, no other run there.

A difference between two machines (CPU stepping, a noisy neighbour, thermal state) reads as a
regression that interleaving cannot remove, so every pod a run measures with lands on one node,
and that node measures nothing else while the run holds it. Kubernetes' scheduler enforces both
with inter-pod affinity on the hostname topology, not a lock of ours:

- each measure pod carries `perfbot/measure-run: <workflow uid>` (a uid is 36 characters of
  `[0-9a-f-]`, always a valid label value, and unique to the run; a workflow name need not be);
- required pod affinity to that label: every pod after the first joins the node of the ones
  already there. The first has nothing to join; the scheduler lets a pod through when no pod
  matches the term yet and the pod matches its own term, which it does by its label;
- required pod anti-affinity to pods that carry the label with another value: no other run's
  measure pods on the node. Kubernetes checks the anti-affinity of pods already running too, so
  the rule holds in both directions.

Pods that measure nothing (check, build, compare, report) carry neither label and go wherever
the cluster puts them.
"""

from __future__ import annotations

from hera.workflows.models import (
    Affinity,
    LabelSelector,
    LabelSelectorRequirement,
    PodAffinity,
    PodAffinityTerm,
    PodAntiAffinity,
)

from workflows.pipeline.variables import var

RUN_LABEL = "perfbot/measure-run"
RUN_ID = var("workflow.uid")
TOPOLOGY_KEY = "kubernetes.io/hostname"


def measure_labels() -> dict[str, str]:
    return {RUN_LABEL: RUN_ID}


def measure_affinity() -> Affinity:
    same_run = LabelSelector(match_labels={RUN_LABEL: RUN_ID})
    other_runs = LabelSelector(
        match_expressions=[
            LabelSelectorRequirement(key=RUN_LABEL, operator="Exists"),
            LabelSelectorRequirement(key=RUN_LABEL, operator="NotIn", values=[RUN_ID]),
        ]
    )
    return Affinity(
        pod_affinity=PodAffinity(
            required_during_scheduling_ignored_during_execution=[
                PodAffinityTerm(label_selector=same_run, topology_key=TOPOLOGY_KEY)
            ]
        ),
        pod_anti_affinity=PodAntiAffinity(
            required_during_scheduling_ignored_during_execution=[
                PodAffinityTerm(label_selector=other_runs, topology_key=TOPOLOGY_KEY)
            ]
        ),
    )
