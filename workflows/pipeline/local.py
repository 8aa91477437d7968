"""Annotations that tell `perfbot run --local` how to run a template without a cluster.

Argo ignores them (they are pod annotations); the local runner reads them. docs/templates.md
describes the whole mapping of steps to local processes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

# On the WorkflowTemplate: the container path that is one directory for the whole run.
WORKSPACE = "perfbot/local-workspace"
# On a template: JSON argv that replaces the container's command + args locally.
COMMAND = "perfbot/local-command"
# On a template: the working directory to use locally instead of the container's.
WORKING_DIR = "perfbot/local-working-dir"
# On a template: why it cannot run locally; the local run stops there with this message.
UNSUPPORTED = "perfbot/local-unsupported"
# On a DAG template: comma-separated input parameters the local runner fills with free ports.
FREE_PORTS = "perfbot/local-free-ports"
# Set by the local runner in every step's environment.
LOCAL_ENV = "PERFBOT_LOCAL"


def command(argv: Sequence[str]) -> dict[str, str]:
    return {COMMAND: json.dumps(list(argv))}
