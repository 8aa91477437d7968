"""Kubernetes labels that find a run again: by repository, pull request, job and head commit.

The bot lists and stops runs by these labels (one active run per PR and job), and people find
them with `argo list -l perfbot/pr=123`. Label values allow only `[A-Za-z0-9._-]`, 63 characters,
starting and ending alphanumeric, so `owner/name` is written `owner.name` (lowercased).
"""

from __future__ import annotations

import re

REPO = "perfbot/repo"
PR = "perfbot/pr"
JOB = "perfbot/job"
HEAD_SHA = "perfbot/head-sha"
# On a WorkflowTemplate (not its runs) that declares the run's workspace claim: what an overlay
# selects to set the claim's access mode, since kustomize cannot patch a field some lack.
WORKSPACE = "perfbot/workspace"

# Argo's own labels, used to tell running workflows from finished ones.
COMPLETED = "workflows.argoproj.io/completed"
WORKFLOW_TEMPLATE = "workflows.argoproj.io/workflow-template"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_VALUE = 63


def label_value(text: str) -> str:
    """`text` made a valid label value: unsafe runs become '.', trimmed to 63, ends alphanumeric."""
    value = _UNSAFE.sub(".", text)[:MAX_VALUE]
    return value.strip("._-")


def repo_label(repo: str) -> str:
    """GitHub names are case-insensitive; lowercase, so `Acme/DB` and `acme/db` match."""
    return label_value(repo.lower().replace("/", "."))


def run_labels(repo: str, pr: int, job: str, head_sha: str) -> dict[str, str]:
    return {
        REPO: repo_label(repo),
        PR: label_value(str(pr)),
        JOB: label_value(job),
        HEAD_SHA: label_value(head_sha),
    }


def selector(labels: dict[str, str]) -> str:
    """A label selector matching all of `labels` (`k=v,k2=v2`), in a stable order."""
    return ",".join(f"{key}={value}" for key, value in sorted(labels.items()))
