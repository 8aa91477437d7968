"""perfbot's `perfbot/local-*` annotations: what a template says about running without a cluster.

Argo ignores these pod annotations; the Hera builders put them where a step cannot run as it
is on one machine (see `workflows.pipeline.local` and docs/templates.md):
- `perfbot/local-command` (template): JSON argv replacing `command + args` locally;
- `perfbot/local-working-dir` (template): the working directory to use locally;
- `perfbot/local-unsupported` (template): why it cannot run locally (the run refuses to start);
- `perfbot/local-free-ports` (DAG template): input parameters to fill with free local ports;
- `perfbot/local-workspace` (WorkflowTemplate): a container path that is one directory for the
  whole run, in every step, whether or not a volume is mounted there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from workflows.pipeline.local import (
    COMMAND,
    FREE_PORTS,
    LOCAL_ENV,
    UNSUPPORTED,
    WORKING_DIR,
    WORKSPACE,
)

__all__ = ["LOCAL_ENV", "annotations", "free_port_inputs", "local_command", "local_working_dir",
           "unsupported", "workspace"]  # fmt: skip


def annotations(item: Mapping[str, Any]) -> Mapping[str, str]:
    return (item.get("metadata") or {}).get("annotations") or {}


def local_command(template: Mapping[str, Any], where: str) -> list[str] | None:
    raw = annotations(template).get(COMMAND)
    if raw is None:
        return None
    try:
        argv = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"step {where}: {COMMAND} is not a JSON list: {exc}") from None
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        raise ValueError(f"step {where}: {COMMAND} must be a non-empty JSON list of strings")
    return argv


def local_working_dir(template: Mapping[str, Any]) -> str | None:
    return annotations(template).get(WORKING_DIR)


def unsupported(template: Mapping[str, Any]) -> str | None:
    return annotations(template).get(UNSUPPORTED)


def free_port_inputs(template: Mapping[str, Any]) -> list[str]:
    raw = annotations(template).get(FREE_PORTS) or ""
    return [name.strip() for name in raw.split(",") if name.strip()]


def workspace(document: Mapping[str, Any]) -> str | None:
    return annotations(document).get(WORKSPACE)
