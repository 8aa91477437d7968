"""Where things are inside the pipeline's containers: all under `/perfbot`, one name each.

A single root keeps the local runner's job simple (it maps these prefixes to directories of the
run) and keeps perfbot's files apart from whatever the images put elsewhere. Commands learn these
paths from `PERFBOT_*` environment variables, never from text spliced into a script.
"""

from __future__ import annotations

ROOT = "/perfbot"
SOURCE = f"{ROOT}/src"  # the git checkout of the step's commit (an input artifact)
WORKSPACE = f"{ROOT}/workspace"  # run-wide: <WORKSPACE>/base and <WORKSPACE>/head builds
RESULTS = f"{ROOT}/results"  # benchmark output: <RESULTS>/base/round-001.json ...
INPUTS = f"{ROOT}/in"  # artifacts a step receives
OUTPUTS = f"{ROOT}/out"  # files a step hands on (output parameters, reports)
DOCKER_CONFIG = f"{ROOT}/docker"  # registry credentials for image checks and pushes

WORKSPACE_VOLUME = "workspace"
DOCKER_CONFIG_VOLUME = "registry"


def side_workspace(side: str) -> str:
    return f"{WORKSPACE}/{side}"
