"""The Workflow the Argo Server creates from a `WorkflowSubmitRequest`, without a server.

perfbot never sends a Workflow: `perfbot submit` and the bot send a submit request naming a
WorkflowTemplate, and the Argo Server turns it into a Workflow and validates that. To run
Argo's validator on exactly what a submission becomes, this follows the server's own steps
(`SubmitWorkflow` in server/workflow/workflow_server.go of Argo v4.0.5):
`common.NewWorkflowFromWorkflowTemplate` (generateName `<template>-`, a
`workflowTemplateRef`, the label naming the template), then `util.ApplySubmitOpts` (labels
`k=v,k2=v2`, parameters `name=value` split at the first `=`, name over generateName).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

API_VERSION = "argoproj.io/v1alpha1"
FROM_TEMPLATE = "workflows.argoproj.io/workflow-template"
SUPPORTED_KINDS = ("WorkflowTemplate", "workflowtemplate", "workflowtemplates", "wftmpl")

BAD_PAIRS = "expected {what} of the form NAME1=VALUE1,NAME2=VALUE2, got {item!r}"
BAD_PARAMETER = "expected parameter of the form: NAME=VALUE. Received: {item}"
BAD_KIND = "resource kind {kind!r} is not a WorkflowTemplate"
NO_TEMPLATE = "the request names no WorkflowTemplate (resourceName)"


class SubmitRequestError(ValueError):
    """A request the Argo Server would refuse before validating anything."""


def _pairs(text: str, what: str) -> dict[str, str]:
    """`k=v,k2=v2` as Argo's `cmdutil.ParseLabels` reads it: no spaces trimmed, no `=` in values."""
    pairs: dict[str, str] = {}
    if not text:
        return pairs
    for item in text.split(","):
        parts = item.split("=")
        if len(parts) != 2 or not parts[0]:
            raise SubmitRequestError(BAD_PAIRS.format(what=what, item=item))
        pairs[parts[0]] = parts[1]
    return pairs


def workflow_from_submit_request(request: Mapping[str, Any]) -> dict[str, Any]:
    """The Workflow (as a manifest) that submitting `request` asks the Argo Server to create."""
    kind = request.get("resourceKind")
    if kind not in SUPPORTED_KINDS:
        raise SubmitRequestError(BAD_KIND.format(kind=kind))
    template = request.get("resourceName") or ""
    if not template:
        raise SubmitRequestError(NO_TEMPLATE)
    options = request.get("submitOptions") or {}

    labels = {FROM_TEMPLATE: template, **_pairs(options.get("labels") or "", "labels")}
    annotations = _pairs(options.get("annotations") or "", "annotations")
    parameters = []
    for item in options.get("parameters") or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise SubmitRequestError(BAD_PARAMETER.format(item=item))
        parameters.append({"name": name, "value": value})

    metadata: dict[str, Any] = {"labels": labels}
    if annotations:
        metadata["annotations"] = annotations
    if options.get("name"):
        metadata["name"] = options["name"]
    else:
        metadata["generateName"] = options.get("generateName") or f"{template}-"
    if request.get("namespace"):
        metadata["namespace"] = request["namespace"]

    spec: dict[str, Any] = {"workflowTemplateRef": {"name": template}}
    if parameters:
        spec["arguments"] = {"parameters": parameters}
    for option, field in (("entryPoint", "entrypoint"), ("serviceAccount", "serviceAccountName")):
        if options.get(option):
            spec[field] = options[option]
    return {"apiVersion": API_VERSION, "kind": "Workflow", "metadata": metadata, "spec": spec}
